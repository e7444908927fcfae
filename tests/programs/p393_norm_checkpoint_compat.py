# Loading weight_norm / spectral_norm checkpoints across the old hook API and parametrizations.
import io
import torch
import torch.nn as nn
from torch.nn.utils import parametrizations as PZ
import torch.nn.utils.parametrize as P

torch.manual_seed(0)

# a checkpoint written with the old weight_norm API ...
old = nn.utils.weight_norm(nn.Linear(4, 3))
with torch.no_grad():
    old.weight_g.mul_(2.0)
sd_old = old.state_dict()
print(list(sd_old.keys()))
x = torch.randn(2, 4)
ref = old(x)

# ... loads into the parametrization-based weight_norm
new = PZ.weight_norm(nn.Linear(4, 3))
print(list(new.state_dict().keys()))
res = new.load_state_dict(sd_old)
print(res)
print(torch.allclose(new(x), ref, atol=1e-6))
print(list(new.state_dict().keys()))

# round trip through BytesIO with parametrized modules
buf = io.BytesIO()
torch.save(new.state_dict(), buf)
buf.seek(0)
again = PZ.weight_norm(nn.Linear(4, 3))
print(again.load_state_dict(torch.load(buf)))
print(torch.allclose(again(x), ref, atol=1e-6))

# train a parametrized weight_norm model, then bake the weights in for export
opt = torch.optim.SGD(new.parameters(), lr=0.1)
for i in range(3):
    opt.zero_grad()
    loss = new(x).pow(2).sum()
    loss.backward()
    opt.step()
    print(i, round(loss.item(), 4), [tuple(p.grad.shape) for p in new.parameters()])
baked = P.remove_parametrizations(new, "weight")
print(type(baked).__name__, [n for n, _ in baked.named_parameters()])
print(round(baked(x).pow(2).sum().item(), 4))

# old spectral_norm checkpoint round trip and eval behaviour
torch.manual_seed(0)
sn = nn.utils.spectral_norm(nn.Linear(5, 4), n_power_iterations=2)
sn.train()
for _ in range(3):
    sn(torch.randn(3, 5))
sd = sn.state_dict()
print(list(sd.keys()))
print(sorted(sd._metadata.items())[:2])
sn2 = nn.utils.spectral_norm(nn.Linear(5, 4), n_power_iterations=2)
print(sn2.load_state_dict(sd))
sn.eval(); sn2.eval()
xs = torch.randn(2, 5)
print(torch.allclose(sn(xs), sn2(xs), atol=1e-6))
print(torch.allclose(sn2.weight_u, sn.weight_u), round(sn2.weight_u.norm().item(), 4))

# parametrizations.spectral_norm state dict and eval determinism
torch.manual_seed(0)
psn = PZ.spectral_norm(nn.Linear(5, 4))
for _ in range(3):
    psn(torch.randn(3, 5))
print(list(psn.state_dict().keys()))
psn2 = PZ.spectral_norm(nn.Linear(5, 4))
print(psn2.load_state_dict(psn.state_dict()))
psn.eval(); psn2.eval()
print(torch.allclose(psn(xs), psn2(xs), atol=1e-6))
sv = torch.linalg.svdvals(psn.weight.detach())
print(round(sv[0].item(), 3))

# conv weight_norm dims
c = PZ.weight_norm(nn.Conv2d(2, 3, 3), dim=0)
print(c.parametrizations.weight.original0.shape)
ct = PZ.weight_norm(nn.ConvTranspose2d(2, 3, 3), dim=1)
print(ct.parametrizations.weight.original0.shape)
c_old = nn.utils.weight_norm(nn.Conv2d(2, 3, 3), dim=None)
print(c_old.weight_g.shape, c_old.weight_g.dim())

# a pre-1.0 spectral_norm checkpoint: the computed weight is saved, weight_v is not
torch.manual_seed(0)
src = nn.utils.spectral_norm(nn.Linear(5, 4))
src.train()
src(torch.randn(2, 5))
legacy = {k: v.clone() for k, v in src.state_dict().items() if k != "weight_v"}
legacy["weight"] = src.weight.detach().clone()
dst = nn.utils.spectral_norm(nn.Linear(5, 4))
print(sorted(legacy))
print(dst.load_state_dict(legacy))
dst.eval(); src.eval()
print(torch.allclose(dst(xs), src(xs), atol=1e-4))
try:
    nn.utils.spectral_norm(dst)
except RuntimeError as e:
    print("RuntimeError", e)
nn.utils.remove_spectral_norm(dst)
print(list(dst.state_dict().keys()), len(dst._state_dict_hooks), len(dst._load_state_dict_pre_hooks))
try:
    nn.utils.remove_spectral_norm(dst)
except ValueError as e:
    print("ValueError", str(e).splitlines()[0])

# whole-model pickles of normalized GAN layers (torch.save(model) style)
torch.manual_seed(0)
disc = nn.Sequential(nn.utils.spectral_norm(nn.Conv1d(1, 2, 3)), nn.LeakyReLU(0.2),
                     nn.utils.weight_norm(nn.Linear(6, 1)))
buf = io.BytesIO()
torch.save(disc, buf)
buf.seek(0)
disc2 = torch.load(buf, weights_only=False)
disc.eval(); disc2.eval()
inp = torch.randn(2, 1, 8)
print(type(disc2[0]).__name__, torch.allclose(disc(inp), disc2(inp)))
print([type(h).__name__ for h in disc2[0]._forward_pre_hooks.values()],
      [type(h).__name__ for h in disc2[2]._forward_pre_hooks.values()])
print(sorted(disc2.state_dict()._metadata.items())[1])
