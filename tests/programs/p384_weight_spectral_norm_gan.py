# weight_norm / spectral_norm in GAN-style training (both the old hooks and parametrizations).
import torch
import torch.nn as nn
from torch.nn.utils import weight_norm, spectral_norm, remove_weight_norm, remove_spectral_norm
from torch.nn.utils import parametrizations as PZ

torch.manual_seed(0)

# old-style weight_norm
lin = weight_norm(nn.Linear(6, 4), name="weight", dim=0)
print(sorted(n for n, _ in lin.named_parameters()))
print(lin.weight_g.shape, lin.weight_v.shape)
print(round(lin.weight_g.sum().item(), 4))
print(list(lin.state_dict().keys()))
x = torch.randn(10, 6)
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
for i in range(3):
    opt.zero_grad()
    loss = lin(x).pow(2).mean()
    loss.backward()
    opt.step()
    print(i, round(loss.item(), 4), round(lin.weight_g.grad.norm().item(), 4))
remove_weight_norm(lin)
print(sorted(n for n, _ in lin.named_parameters()))

lin_none = weight_norm(nn.Linear(6, 4), dim=None)
print(lin_none.weight_g.shape)

# parametrizations.weight_norm
pw = PZ.weight_norm(nn.Conv1d(2, 3, 3))
print(sorted(n for n, _ in pw.named_parameters()))
print(list(pw.state_dict().keys()))
print(pw.parametrizations.weight.original0.shape, pw.parametrizations.weight.original1.shape)

# old-style spectral_norm on a discriminator
torch.manual_seed(0)
D = nn.Sequential(spectral_norm(nn.Linear(6, 8)), nn.LeakyReLU(0.2), spectral_norm(nn.Linear(8, 1)))
print(sorted(n for n, _ in D.named_parameters()))
print(sorted(n for n, _ in D.named_buffers()))
print(list(D.state_dict().keys()))
G = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 6))
optD = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
optG = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
real = torch.randn(16, 6) + 1.0
bce = nn.BCEWithLogitsLoss()
for step in range(4):
    z = torch.randn(16, 3)
    fake = G(z)
    optD.zero_grad()
    ld = bce(D(real), torch.ones(16, 1)) + bce(D(fake.detach()), torch.zeros(16, 1))
    ld.backward()
    optD.step()
    optG.zero_grad()
    lg = bce(D(fake), torch.ones(16, 1))
    lg.backward()
    optG.step()
    print(step, round(ld.item(), 4), round(lg.item(), 4))
sigma = torch.linalg.matrix_norm(D[0].weight.detach(), ord=2).item()
print("sigma", round(sigma, 3))
D.eval()
with torch.no_grad():
    a = D(real).sum().item()
    b = D(real).sum().item()
print(round(a, 4) == round(b, 4))
sd = D.state_dict()
D2 = nn.Sequential(spectral_norm(nn.Linear(6, 8)), nn.LeakyReLU(0.2), spectral_norm(nn.Linear(8, 1)))
print(D2.load_state_dict(sd))
D2.eval()
with torch.no_grad():
    print(torch.allclose(D2(real), D(real)))
remove_spectral_norm(D[0])
print(sorted(n for n, _ in D[0].named_parameters()), sorted(n for n, _ in D[0].named_buffers()))

# parametrizations.spectral_norm
torch.manual_seed(0)
sn = PZ.spectral_norm(nn.Linear(5, 7))
print(sorted(n for n, _ in sn.named_parameters()))
print(sorted(n for n, _ in sn.named_buffers()))
print(list(sn.state_dict().keys()))
xx = torch.randn(4, 5)
opt = torch.optim.SGD(sn.parameters(), lr=0.05)
for i in range(3):
    opt.zero_grad()
    loss = sn(xx).pow(2).sum()
    loss.backward()
    opt.step()
    print(i, round(loss.item(), 4))
sn.eval()
print(round(torch.linalg.matrix_norm(sn.weight.detach(), ord=2).item(), 2))
