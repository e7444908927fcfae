# A variational autoencoder on scikit-learn's 8x8 digits: reparameterisation trick and KL
# term; the noise comes from NumPy so both frameworks see the same numbers.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, TensorDataset

digits = load_digits()
X = (digits.data[:256] / 16.0).astype(np.float32)
labels = digits.target[:256]
print(X.shape, X.dtype, X.max(), labels[:10])
ds = TensorDataset(torch.from_numpy(X), torch.from_numpy(labels))
loader = DataLoader(ds, batch_size=64, shuffle=False)
print(len(ds), len(loader), ds[0][0].shape, ds[0][1], ds[0][1].dtype)


class VAE(nn.Module):
    def __init__(self, latent=2):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(64, 32), nn.ReLU())
        self.mu = nn.Linear(32, latent)
        self.logvar = nn.Linear(32, latent)
        self.dec = nn.Sequential(nn.Linear(latent, 32), nn.ReLU(), nn.Linear(32, 64))

    def encode(self, x):
        h = self.enc(x)
        return self.mu(h), self.logvar(h)

    def reparameterize(self, mu, logvar, eps):
        std = torch.exp(0.5 * logvar)
        return mu + eps * std

    def forward(self, x, eps):
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar, eps)
        return self.dec(z), mu, logvar


def vae_loss(recon_logits, x, mu, logvar, beta=1.0):
    bce = F.binary_cross_entropy_with_logits(recon_logits, x, reduction='sum')
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return (bce + beta * kld) / x.size(0), bce / x.size(0), kld / x.size(0)


rng = np.random.default_rng(0)
model = VAE()
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.2, 0.2, p.shape).astype(np.float32)))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for epoch in range(5):
    model.train()
    tot = rec = kl = 0.0
    for xb, _ in loader:
        eps = torch.from_numpy(rng.standard_normal((xb.size(0), 2)).astype(np.float32))
        recon, mu, logvar = model(xb, eps)
        loss, b, k = vae_loss(recon, xb, mu, logvar)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * xb.size(0)
        rec += b.item() * xb.size(0)
        kl += k.item() * xb.size(0)
    n = len(ds)
    print(f"epoch {epoch} loss {tot / n:.3f} recon {rec / n:.3f} kl {kl / n:.3f}")

model.eval()
with torch.no_grad():
    mu, logvar = model.encode(torch.from_numpy(X))
    centroids = torch.stack([mu[torch.from_numpy(labels) == c].mean(0) for c in range(10)])
    print(mu.shape, centroids.shape)
    grid = torch.stack(torch.meshgrid(torch.linspace(-1, 1, 3), torch.linspace(-1, 1, 3), indexing='ij'), -1).reshape(-1, 2)
    imgs = torch.sigmoid(model.dec(grid)).view(-1, 1, 8, 8)
    print(imgs.shape, bool(((imgs >= 0) & (imgs <= 1)).all()))
    print(F.interpolate(imgs[:1], scale_factor=2).shape)
