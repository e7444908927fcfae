# A minimal GAN on 1-D data: alternating discriminator / generator updates.
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(11)
real = torch.from_numpy(rng.normal(2.0, 0.5, size=(32, 1)).astype(np.float32))
noise = torch.from_numpy(rng.standard_normal((32, 2)).astype(np.float32))
G = nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
D = nn.Sequential(nn.Linear(1, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1), nn.Sigmoid())
for net in (G, D):
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
criterion = nn.BCELoss()
opt_g = torch.optim.Adam(G.parameters(), lr=0.01, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=0.01, betas=(0.5, 0.999))
ones = torch.ones(32, 1)
zeros = torch.zeros(32, 1)
for step in range(8):
    opt_d.zero_grad()
    fake = G(noise)
    d_loss = criterion(D(real), ones) + criterion(D(fake.detach()), zeros)
    d_loss.backward()
    opt_d.step()
    opt_g.zero_grad()
    g_loss = criterion(D(fake), ones)
    g_loss.backward()
    opt_g.step()
    print(f"step {step}: D {d_loss.item():.4f} G {g_loss.item():.4f}")
with torch.no_grad():
    samples = G(noise)
print(samples.shape, f"{samples.mean().item():.3f}", f"{samples.std().item():.3f}")
