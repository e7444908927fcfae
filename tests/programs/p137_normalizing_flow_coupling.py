# RealNVP-style normalizing flow: affine coupling layers with masks, log-det-Jacobian sums,
# a standard-normal base distribution, exact likelihood training and sampling by inversion.
import torch
import torch.nn as nn
from torch.distributions import MultivariateNormal, Normal, Independent

torch.manual_seed(0)


class AffineCoupling(nn.Module):
    def __init__(self, dim, mask, hidden=16):
        super().__init__()
        self.register_buffer("mask", mask)
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, 2 * dim))

    def forward(self, x):
        xm = x * self.mask
        s, t = self.net(xm).chunk(2, dim=-1)
        s = torch.tanh(s) * (1 - self.mask)
        t = t * (1 - self.mask)
        y = xm + (1 - self.mask) * (x * torch.exp(s) + t)
        return y, s.sum(-1)

    def inverse(self, y):
        ym = y * self.mask
        s, t = self.net(ym).chunk(2, dim=-1)
        s = torch.tanh(s) * (1 - self.mask)
        t = t * (1 - self.mask)
        x = ym + (1 - self.mask) * ((y - t) * torch.exp(-s))
        return x, -s.sum(-1)


class Flow(nn.Module):
    def __init__(self, dim=2, n_layers=4):
        super().__init__()
        masks = [torch.tensor([1.0, 0.0]) if i % 2 == 0 else torch.tensor([0.0, 1.0])
                 for i in range(n_layers)]
        self.layers = nn.ModuleList([AffineCoupling(dim, m) for m in masks])
        self.base = MultivariateNormal(torch.zeros(dim), torch.eye(dim))

    def forward(self, x):
        log_det = torch.zeros(x.shape[0])
        for layer in self.layers:
            x, ld = layer(x)
            log_det = log_det + ld
        return x, log_det

    def log_prob(self, x):
        z, log_det = self(x)
        return self.base.log_prob(z) + log_det

    def inverse(self, z):
        for layer in reversed(self.layers):
            z, _ = layer.inverse(z)
        return z


flow = Flow()
with torch.no_grad():
    for i, p in enumerate(flow.parameters()):
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.41 + i).view(p.shape) * 0.2)

# the base distribution: MultivariateNormal, Normal and Independent(Normal) agree
z = torch.tensor([[0.0, 0.0], [1.0, -1.0], [0.5, 2.0]])
mvn = MultivariateNormal(torch.zeros(2), torch.eye(2))
ind = Independent(Normal(torch.zeros(2), torch.ones(2)), 1)
print(mvn.log_prob(z))
print(ind.log_prob(z))
print(Normal(0.0, 1.0).log_prob(z).sum(-1))
print(mvn.batch_shape, mvn.event_shape, ind.event_shape)
cov = torch.tensor([[2.0, 0.3], [0.3, 0.5]])
m2 = MultivariateNormal(torch.tensor([1.0, -1.0]), covariance_matrix=cov)
print(m2.log_prob(z))
print(m2.entropy(), m2.mean, m2.variance)
print(torch.allclose(m2.scale_tril @ m2.scale_tril.T, cov))

# invertibility and the log-determinant against autograd's Jacobian
x = torch.tensor([[0.3, -0.7], [1.2, 0.4]])
zz, ld = flow(x)
print(torch.allclose(flow.inverse(zz), x, atol=1e-5))
J = torch.autograd.functional.jacobian(lambda v: flow(v.unsqueeze(0))[0].squeeze(0), x[0])
print(torch.allclose(torch.logdet(J), ld[0], atol=1e-5))
print(f"{torch.linalg.slogdet(J).logabsdet.item():.5f} {ld[0].item():.5f}")

# data: two moons-ish points from a fixed formula
t = torch.linspace(0, 3.1416, 64)
data = torch.cat([torch.stack([torch.cos(t), torch.sin(t)], 1),
                  torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)]) * 0.8
opt = torch.optim.Adam(flow.parameters(), lr=5e-3)
for step in range(100):
    opt.zero_grad()
    nll = -flow.log_prob(data).mean()
    nll.backward()
    opt.step()
    if step % 25 == 0:
        print(f"step {step:3d} nll {nll.item():.4f}")
print("nll improved:", nll.item() < 2.5)

with torch.no_grad():
    zs = flow.base.sample((5,))
    xs = flow.inverse(zs)
print(zs.shape, xs.shape, flow.base.sample().shape)
