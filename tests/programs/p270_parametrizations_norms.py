# torch.nn.utils.parametrizations: weight_norm (the new API, original0/original1), spectral_norm
# (power iteration, u/v buffers, eval mode), orthogonal (matrix_exp / cayley / householder),
# a custom parametrization registered with parametrize.register_parametrization, caching, and
# remove_parametrizations; the old-style torch.nn.utils.weight_norm for comparison.
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P
from torch.nn.utils.parametrizations import orthogonal, spectral_norm, weight_norm

torch.manual_seed(0)
lin = weight_norm(nn.Linear(5, 3), name="weight", dim=0)
print(lin)
print(sorted(n for n, _ in lin.named_parameters()))
g, v = lin.parametrizations.weight.original0, lin.parametrizations.weight.original1
print("g:", g.shape, g.flatten().round(decimals=4), "v:", v.shape)
print("weight == g * v/|v|:", torch.allclose(lin.weight, g * v / v.norm(dim=1, keepdim=True)))
print("is_parametrized:", P.is_parametrized(lin), P.is_parametrized(lin, "bias"), P.is_parametrized(nn.Linear(2, 2)))

conv = weight_norm(nn.Conv1d(2, 4, 3), dim=0)
x = torch.randn(2, 2, 7)
out = conv(x)
out.sum().backward()
print("conv g grad:", conv.parametrizations.weight.original0.grad.flatten().round(decimals=4))
old = torch.nn.utils.weight_norm(nn.Linear(5, 3))
print("old api params:", sorted(n for n, _ in old.named_parameters()))
print("old api g:", old.weight_g.shape, old.weight_v.shape)

torch.manual_seed(1)
sn = spectral_norm(nn.Linear(6, 4), n_power_iterations=3)
print(sn.parametrizations.weight)
W0 = sn.parametrizations.weight.original
print("u, v buffers:", [n for n, _ in sn.parametrizations.weight[0].named_buffers()])
sn.train()
for _ in range(3):
    y = sn(torch.randn(2, 6))
sigma_true = torch.linalg.matrix_norm(W0.detach(), ord=2)
sigma_est = torch.linalg.matrix_norm(sn.weight.detach(), ord=2)
print(f"true sigma {sigma_true.item():.4f} normalised weight sigma {sigma_est.item():.4f}")
sn.eval()
w1 = sn.weight.clone()
w2 = sn.weight.clone()
print("eval weight stable:", torch.equal(w1, w2))
csn = spectral_norm(nn.Conv2d(3, 8, 3), n_power_iterations=1)
print("conv sn:", csn(torch.randn(1, 3, 5, 5)).shape, csn.parametrizations.weight[0]._u.shape)

torch.manual_seed(2)
for kind in ("matrix_exp", "cayley", "householder"):
    q = orthogonal(nn.Linear(4, 4), orthogonal_map=kind)
    Q = q.weight
    print(kind, "Q^T Q = I:", torch.allclose(Q.T @ Q, torch.eye(4), atol=1e-5), f"det {torch.linalg.det(Q).abs().item():.4f}")
rect = orthogonal(nn.Linear(3, 5))
print("rect:", rect.weight.shape, torch.allclose(rect.weight.T @ rect.weight, torch.eye(3), atol=1e-5))


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


class PositiveDiag(nn.Module):
    def forward(self, X):
        return X.tril(-1) + torch.diag_embed(X.diagonal().exp())

    def right_inverse(self, A):
        return A.tril(-1) + torch.diag_embed(A.diagonal().log())


torch.manual_seed(3)
layer = nn.Linear(3, 3)
P.register_parametrization(layer, "weight", Symmetric())
print("symmetric:", torch.equal(layer.weight, layer.weight.T))
print(layer.parametrizations)
opt = torch.optim.SGD(layer.parameters(), lr=0.1)
for _ in range(3):
    loss = layer(torch.randn(4, 3)).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print("still symmetric after training:", torch.equal(layer.weight, layer.weight.T), f"loss {loss.item():.4f}")
with P.cached():
    a = layer.weight
    b = layer.weight
    print("cached same object:", a is b)
m = nn.Linear(3, 3)
P.register_parametrization(m, "weight", PositiveDiag())
m.weight = torch.tensor([[2.0, 0.0, 0.0], [1.0, 3.0, 0.0], [0.5, 0.2, 1.0]])
print("right_inverse roundtrip:", m.weight, m.parametrizations.weight.original.diagonal().round(decimals=4))
P.remove_parametrizations(layer, "weight", leave_parametrized=True)
print("removed:", type(layer.weight).__name__, P.is_parametrized(layer), sorted(dict(layer.named_parameters())))
print("state_dict:", list(lin.state_dict().keys()))
