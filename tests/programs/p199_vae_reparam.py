# A VAE on random binary patterns: reparameterisation with torch.randn_like, KL + BCE loss,
# shuffled DataLoader, sampling from the prior with torch.randn and printing the decoded means.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
prototypes = (torch.rand(5, 16) > 0.5).float()
which = torch.randint(0, 5, (400,))
flips = (torch.rand(400, 16) < 0.05).float()
data = (prototypes[which] + flips) % 2
print(prototypes)


class VAE(nn.Module):
    def __init__(self, d=16, h=32, z=2):
        super().__init__()
        self.fc1 = nn.Linear(d, h)
        self.fc_mu = nn.Linear(h, z)
        self.fc_logvar = nn.Linear(h, z)
        self.fc3 = nn.Linear(z, h)
        self.fc4 = nn.Linear(h, d)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc_mu(h), self.fc_logvar(h)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loader = DataLoader(TensorDataset(data), batch_size=50, shuffle=True)
for epoch in range(1, 9):
    model.train()
    train_loss = 0
    for batch_idx, (x,) in enumerate(loader):
        optimizer.zero_grad()
        recon, mu, logvar = model(x)
        loss = loss_function(recon, x, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
    print("====> Epoch: {} Average loss: {:.4f}".format(epoch, train_loss / len(loader.dataset)))

model.eval()
with torch.no_grad():
    sample = model.decode(torch.randn(3, 2))
    print((sample > 0.5).int())
    mu, logvar = model.encode(prototypes)
    print("mu", mu.shape, "logvar mean %.3f" % logvar.mean().item())
