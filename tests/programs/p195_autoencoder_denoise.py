# A denoising autoencoder on random low-rank data: noise with torch.randn_like, masks from
# torch.rand, bottleneck, training with a shuffled DataLoader; prints reconstructions.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
basis = torch.randn(4, 20)
codes = torch.randn(300, 4)
data = torch.tanh(codes @ basis / 2)
print(data[:2, :6])


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(20, 12), nn.ReLU(), nn.Linear(12, 4))
        self.decoder = nn.Sequential(nn.Linear(4, 12), nn.ReLU(), nn.Linear(12, 20), nn.Tanh())

    def forward(self, x):
        return self.decoder(self.encoder(x))


ae = AutoEncoder()
loader = DataLoader(TensorDataset(data), batch_size=30, shuffle=True)
optimizer = torch.optim.Adam(ae.parameters(), lr=5e-3)
loss_fn = nn.MSELoss()
for epoch in range(10):
    epoch_loss = 0.0
    for (batch,) in loader:
        noisy = batch + 0.1 * torch.randn_like(batch)
        keep = (torch.rand(batch.shape) > 0.1).float()  # masking noise
        recon = ae(noisy * keep)
        loss = loss_fn(recon, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item() * batch.size(0)
    if epoch % 2 == 1:
        print(f"epoch {epoch + 1:2d} | loss {epoch_loss / len(data):.5f}")

ae.eval()
with torch.no_grad():
    z = ae.encoder(data[:3])
    out = ae(data[:3])
print("codes", z.shape)
print("error", (out - data[:3]).abs().mean().item() < 0.5)
print("recon mse %.4f" % loss_fn(ae(data), data).item())
