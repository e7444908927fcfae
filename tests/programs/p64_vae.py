# A variational autoencoder with the reparameterisation trick (noise fixed from NumPy).
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(16, 8)
        self.fc21 = nn.Linear(8, 2)
        self.fc22 = nn.Linear(8, 2)
        self.fc3 = nn.Linear(2, 8)
        self.fc4 = nn.Linear(8, 16)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar, eps):
        std = torch.exp(0.5 * logvar)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x, eps):
        mu, logvar = self.encode(x.view(-1, 16))
        z = self.reparameterize(mu, logvar, eps)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 16), reduction='sum')
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


rng = np.random.default_rng(18)
model = VAE()
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.4, 0.4, p.shape).astype(np.float32)))
data = torch.from_numpy((rng.random((8, 1, 4, 4)) > 0.5).astype(np.float32))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model.train()
for epoch in range(1, 5):
    eps = torch.from_numpy(rng.standard_normal((8, 2)).astype(np.float32))
    optimizer.zero_grad()
    recon_batch, mu, logvar = model(data, eps)
    loss = loss_function(recon_batch, data, mu, logvar)
    loss.backward()
    train_loss = loss.item()
    optimizer.step()
    print('====> Epoch: {} Average loss: {:.4f}'.format(epoch, train_loss / len(data)))
model.eval()
with torch.no_grad():
    sample = model.decode(torch.zeros(3, 2))
    print(sample.view(3, 1, 4, 4).shape, sample.mean().round(decimals=3))
    recon, mu, logvar = model(data, torch.zeros(8, 2))
    print(mu.shape, logvar.exp().mean().round(decimals=3))
