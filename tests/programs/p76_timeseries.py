# Time-series forecasting: sliding windows (unfold), min-max scaling, an LSTM, and inverse
# scaling of the predictions.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

series = torch.tensor(np.sin(np.linspace(0, 6 * np.pi, 60)) * 10 + 20, dtype=torch.float32)
lo, hi = series.min(), series.max()
scaled = (series - lo) / (hi - lo)
windows = scaled.unfold(0, 7, 1)
X, y = windows[:, :6].unsqueeze(-1), windows[:, 6:]
print(windows.shape, X.shape, y.shape)
split = int(0.8 * len(X))
train = TensorDataset(X[:split], y[:split])
loader = DataLoader(train, batch_size=16, shuffle=False)


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 8, batch_first=True)
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        out, (h_n, c_n) = self.lstm(x)
        return self.head(h_n[-1])


model = Forecaster()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.cos(torch.arange(p.numel(), dtype=torch.float32) * 0.7 + i).reshape(p.shape) * 0.3)
opt = torch.optim.Adam(model.parameters(), lr=0.02)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0)
for epoch in range(5):
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    with torch.no_grad():
        val = nn.functional.mse_loss(model(X[split:]), y[split:]).item()
    sched.step(val)
    print(epoch, f"{total / len(train):.4f}", f"{val:.4f}", opt.param_groups[0]["lr"])
with torch.no_grad():
    pred = model(X[split:]) * (hi - lo) + lo
print(pred.shape, pred.squeeze(1)[:3].round(decimals=2))
