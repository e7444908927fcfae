# LSTM time-series forecaster: sliding windows via unfold/stack, min-max scaling, multi-step eval.
import math
import torch
import torch.nn as nn

series = torch.sin(torch.linspace(0, 4 * math.pi, 60)) + 0.1 * torch.linspace(0, 1, 60)
lo, hi = series.min(), series.max()
scaled = (series - lo) / (hi - lo)
window = 8
windows = scaled.unfold(0, window + 1, 1)
print(windows.shape, windows.stride(), windows.is_contiguous())
X = windows[:, :-1].unsqueeze(-1)
Y = windows[:, -1:]
X2 = torch.stack([scaled[i:i + window] for i in range(len(scaled) - window)]).unsqueeze(2)
print(torch.equal(X, X2), X.shape, Y.shape)


class Forecaster(nn.Module):
    def __init__(self, hidden=6, layers=2):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, num_layers=layers, batch_first=True,
                            dropout=0.0)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x, state=None):
        out, (h, c) = self.lstm(x, state)
        return self.fc(out[:, -1, :]), (h, c)


model = Forecaster()
for name, p in model.named_parameters():
    n = p.numel()
    with torch.no_grad():
        if "weight" in name:
            p.copy_(torch.cos(torch.arange(n, dtype=torch.float32)).reshape(p.shape) * 0.3)
        else:
            p.fill_(0.01)
print([(n, tuple(p.shape)) for n, p in model.named_parameters()][:4])
opt = torch.optim.RMSprop(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
train_X, train_Y = X[:40], Y[:40]
for epoch in range(5):
    perm = torch.arange(40).flip(0) if epoch % 2 else torch.arange(40)
    total = 0.0
    for i in range(0, 40, 10):
        idx = perm[i:i + 10]
        pred, _ = model(train_X[idx])
        loss = loss_fn(pred, train_Y[idx])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        opt.step()
        total += loss.item() * len(idx)
    print(f"epoch {epoch} mse {total / 40:.4f}")
model.eval()
with torch.no_grad():
    ctx = X[40:41].clone()
    preds = []
    for _ in range(5):
        p, _ = model(ctx)
        preds.append(p.item())
        ctx = torch.cat([ctx[:, 1:, :], p.view(1, 1, 1)], dim=1)
    preds = torch.tensor(preds) * (hi - lo) + lo
print(preds.round(decimals=3))
print(series[49:54].round(decimals=3))
h0 = torch.zeros(2, 3, 6)
c0 = torch.zeros(2, 3, 6)
out, (hn, cn) = model.lstm(X[:3], (h0, c0))
print(out.shape, hn.shape, cn.shape, torch.allclose(out[:, -1], hn[-1]))
cell = nn.LSTMCell(1, 4)
h, c = cell(X[0, :1])
print(h.shape, c.shape)
