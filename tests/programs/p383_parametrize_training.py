# nn.utils.parametrize in training code: custom parametrizations, caching, removal, state dicts.
import copy
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P
from torch.nn.utils import parametrizations

torch.manual_seed(0)


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


class PositiveDiag(nn.Module):
    def forward(self, X):
        return X - torch.diag(torch.diag(X)) + torch.diag(torch.diag(X).exp())

    def right_inverse(self, Z):
        return Z - torch.diag(torch.diag(Z)) + torch.diag(torch.diag(Z).clamp_min(1e-6).log())


layer = nn.Linear(4, 4)
P.register_parametrization(layer, "weight", Symmetric())
print(type(layer).__name__, type(layer).__mro__[1].__name__)
print(P.is_parametrized(layer), P.is_parametrized(layer, "weight"), P.is_parametrized(layer, "bias"))
print([n for n, _ in layer.named_parameters()])
print(list(layer.state_dict().keys()))
W = layer.weight
print(torch.allclose(W, W.T))
print(layer)

P.register_parametrization(layer, "weight", PositiveDiag())
print(len(layer.parametrizations.weight))
print(bool((torch.diag(layer.weight) > 0).all()))

# assignment goes through right_inverse
target = torch.eye(4) * 2.0
try:
    layer.weight = target
    print("assigned", round(layer.weight.sum().item(), 4))
except Exception as e:
    print(type(e).__name__)

x = torch.randn(8, 4)
y = torch.randn(8, 4)
opt = torch.optim.Adam(layer.parameters(), lr=0.05)
for step in range(5):
    opt.zero_grad()
    loss = nn.functional.mse_loss(layer(x), y)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
print(torch.allclose(layer.weight, layer.weight.T, atol=1e-6))

with P.cached():
    a = layer.weight
    b = layer.weight
    print("cached same object", a is b)
print("uncached same object", layer.weight is layer.weight)

# deepcopy of a parametrized module
layer2 = copy.deepcopy(layer)
print(type(layer2).__name__, torch.allclose(layer2.weight, layer.weight))

# loading a state dict into a fresh parametrized module
fresh = nn.Linear(4, 4)
P.register_parametrization(fresh, "weight", Symmetric())
P.register_parametrization(fresh, "weight", PositiveDiag())
print(fresh.load_state_dict(layer.state_dict()))
print(torch.allclose(fresh(x), layer(x)))

# removal
w_before = layer.weight.detach().clone()
P.remove_parametrizations(layer, "weight", leave_parametrized=True)
print(type(layer).__name__, P.is_parametrized(layer))
print(torch.allclose(layer.weight, w_before), isinstance(layer.weight, nn.Parameter))
print(list(layer.state_dict().keys()))
P.remove_parametrizations(fresh, "weight", leave_parametrized=False)
print(list(fresh.state_dict().keys()))

# unsafe parametrization that changes the shape
class Flatten2(nn.Module):
    def forward(self, X):
        return X.reshape(2, -1)

lin = nn.Linear(4, 2)
P.register_parametrization(lin, "weight", Flatten2(), unsafe=True)
print(lin.weight.shape)
try:
    P.remove_parametrizations(nn.Linear(2, 2), "weight")
except ValueError as e:
    print("ValueError", e)

# orthogonal parametrization
torch.manual_seed(1)
q = nn.Linear(5, 5, bias=False)
parametrizations.orthogonal(q)
Q = q.weight
print(torch.allclose(Q @ Q.T, torch.eye(5), atol=1e-5))
print([n for n, _ in q.named_parameters()])
opt = torch.optim.SGD(q.parameters(), lr=0.1)
x5 = torch.randn(16, 5)
t5 = torch.randn(16, 5)
for step in range(3):
    opt.zero_grad()
    loss = (q(x5) - t5).pow(2).mean()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
Q = q.weight
print(torch.allclose(Q @ Q.T, torch.eye(5), atol=1e-5))

# rectangular orthogonal
r = nn.Linear(3, 6, bias=False)
parametrizations.orthogonal(r, orthogonal_map="householder")
print(torch.allclose(r.weight.T @ r.weight, torch.eye(3), atol=1e-5))
