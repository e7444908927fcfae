# weight_norm / spectral_norm (both APIs) and a custom parametrization, as in GAN and audio code.
import warnings

import torch
import torch.nn as nn
from torch.nn.utils import parametrize, parametrizations

warnings.simplefilter("ignore")
x = torch.linspace(-1, 1, 12).reshape(4, 3)


def set_weights(m):
    with torch.no_grad():
        m.weight.copy_(torch.arange(m.weight.numel(), dtype=torch.float32).reshape(m.weight.shape) / 10 - 0.3)
        m.bias.fill_(0.05)
    return m


lin = set_weights(nn.Linear(3, 2))
ref = lin(x)
wn = parametrizations.weight_norm(lin)
print(wn)
print([n for n, _ in wn.named_parameters()], torch.allclose(wn(x), ref, atol=1e-6))
g = wn.parametrizations.weight.original0
print(g.shape, g.detach().flatten().round(decimals=4))
opt = torch.optim.SGD(wn.parameters(), lr=0.1)
wn(x).pow(2).sum().backward()
opt.step()
print(wn.weight.norm(dim=1).round(decimals=4), g.detach().flatten().round(decimals=4))
old = torch.nn.utils.weight_norm(set_weights(nn.Linear(3, 2)), name="weight")
print([n for n, _ in old.named_parameters()], old.weight_g.flatten().round(decimals=4), torch.allclose(old(x), ref, atol=1e-6))
torch.nn.utils.remove_weight_norm(old)
print([n for n, _ in old.named_parameters()])
sn = torch.nn.utils.spectral_norm(set_weights(nn.Linear(3, 2)))
for _ in range(20):
    sn(x)
print([n for n, _ in sn.named_parameters()], [n for n, _ in sn.named_buffers()])
print(round(torch.linalg.matrix_norm(sn.weight, ord=2).item(), 4))
sn2 = parametrizations.spectral_norm(set_weights(nn.Linear(3, 2)))
print(round(torch.linalg.matrix_norm(sn2.weight, ord=2).item(), 4), list(sn2.state_dict().keys()))
sn2.eval()
print(torch.equal(sn2(x), sn2(x)))


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


layer = nn.Linear(3, 3)
with torch.no_grad():
    layer.weight.copy_(torch.arange(9.0).reshape(3, 3))
parametrize.register_parametrization(layer, "weight", Symmetric())
print(layer.weight, type(layer).__name__, parametrize.is_parametrized(layer, "weight"))
parametrize.remove_parametrizations(layer, "weight")
print(type(layer).__name__, layer.weight.requires_grad, [n for n, _ in layer.named_parameters()])
