# A minimal GAN on 1-D Gaussian data (the "GANs in 50 lines" post): generator and discriminator
# MLPs with default init, randn noise, alternating Adam steps, BCE losses printed per epoch.
import torch
import torch.nn as nn

torch.manual_seed(42)
latent = 4

G = nn.Sequential(nn.Linear(latent, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
D = nn.Sequential(nn.Linear(1, 16), nn.LeakyReLU(0.2), nn.Dropout(0.3), nn.Linear(16, 1),
                  nn.Sigmoid())
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
criterion = nn.BCELoss()
batch = 64

for epoch in range(200):
    real = torch.randn(batch, 1) * 1.25 + 4.0
    z = torch.randn(batch, latent)
    fake = G(z)

    # discriminator: real -> 1, fake -> 0
    opt_d.zero_grad()
    d_loss = criterion(D(real), torch.ones(batch, 1)) + criterion(D(fake.detach()),
                                                                 torch.zeros(batch, 1))
    d_loss.backward()
    opt_d.step()

    # generator: fool the discriminator
    opt_g.zero_grad()
    g_loss = criterion(D(fake), torch.ones(batch, 1))
    g_loss.backward()
    opt_g.step()

    if epoch % 40 == 0:
        print(f"Epoch {epoch}: D loss {d_loss.item():.4f}, G loss {g_loss.item():.4f}")

with torch.no_grad():
    samples = G(torch.randn(1000, latent))
print("generated mean %.2f std %.2f" % (samples.mean().item(), samples.std().item()))
print(samples[:4].squeeze())
