# An autoencoder on synthetic data with a train loop over a DataLoader.
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

rng = np.random.default_rng(8)
data = torch.tensor(rng.random((32, 8)), dtype=torch.float32)
loader = DataLoader(TensorDataset(data), batch_size=8, shuffle=False)


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
        self.decoder = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 8), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = AutoEncoder()
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.tensor(rng.uniform(-0.5, 0.5, tuple(p.shape)), dtype=torch.float32))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-5)
criterion = nn.MSELoss()
for epoch in range(4):
    running = 0.0
    for (batch,) in loader:
        recon = model(batch)
        loss = criterion(recon, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item() * batch.size(0)
    print(f"epoch {epoch}: {running / len(loader.dataset):.4f}")
with torch.no_grad():
    codes = model.encoder(data)
print(codes.shape, codes.dtype)
print(model)
print(list(model.encoder.children())[0], len(model.decoder), model.decoder[-1])
