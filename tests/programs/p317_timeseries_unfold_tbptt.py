# Time series: sliding windows with Tensor.unfold (and its strides), moving averages via
# conv1d and cumsum, autocorrelation, a causal 1-D CNN forecaster, and a stateful LSTM trained
# with truncated backprop through time (hidden state carried and detached between chunks,
# reset between epochs), then multi-step autoregressive forecasting.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(51)
T = 400
t = torch.arange(T, dtype=torch.float32)
series = torch.sin(2 * math.pi * t / 25) + 0.5 * torch.sin(2 * math.pi * t / 60) + 0.1 * torch.randn(T)
print("series", series.shape, f"mean {series.mean().item():.4f} std {series.std().item():.4f}")

win = series.unfold(0, 10, 3)
print("windows", win.shape, win.stride(), win.is_contiguous(), torch.equal(win[2], series[6:16]))
ma_unfold = series.unfold(0, 5, 1).mean(1)
ma_conv = F.conv1d(series.view(1, 1, -1), torch.full((1, 1, 5), 0.2)).view(-1)
cs = torch.cat([torch.zeros(1), series.cumsum(0)])
ma_cumsum = (cs[5:] - cs[:-5]) / 5
print("moving averages agree", torch.allclose(ma_unfold, ma_conv, atol=1e-6), torch.allclose(ma_unfold, ma_cumsum, atol=1e-4))
x0 = series - series.mean()
acf = torch.stack([(x0[:T - k] * x0[k:]).sum() for k in range(60)]) / (x0 * x0).sum()
print("acf peak lag", acf[10:].argmax().item() + 10, [round(v, 3) for v in acf[[1, 12, 25]].tolist()])
ewm = torch.empty(T)
ewm[0] = series[0]
for i in range(1, T):
    ewm[i] = 0.9 * ewm[i - 1] + 0.1 * series[i]
print(f"ewm tail {ewm[-3:].round(decimals=4).tolist()}")

# supervised windows: 24 steps in, 1 out
L = 24
Xw = series[:-1].unfold(0, L, 1)
yw = series[L:]
split = 300
Xtr, ytr, Xte, yte = Xw[:split], yw[:split], Xw[split:], yw[split:]
print("supervised", Xtr.shape, ytr.shape, Xte.shape)


class CausalCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 8, 3, dilation=1)
        self.c2 = nn.Conv1d(8, 8, 3, dilation=2)
        self.c3 = nn.Conv1d(8, 8, 3, dilation=4)
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        h = x.unsqueeze(1)
        for conv in (self.c1, self.c2, self.c3):
            h = torch.relu(conv(F.pad(h, (conv.dilation[0] * 2, 0))))
        return self.head(h[:, :, -1]).squeeze(1)


cnn = CausalCNN()
opt = torch.optim.Adam(cnn.parameters(), lr=0.01)
for epoch in range(60):
    opt.zero_grad()
    loss = F.mse_loss(cnn(Xtr), ytr)
    loss.backward()
    opt.step()
with torch.no_grad():
    print(f"cnn train {loss.item():.4f} test {F.mse_loss(cnn(Xte), yte).item():.4f}")


class Stateful(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x, state=None):
        h, state = self.lstm(x, state)
        return self.out(h).squeeze(-1), state


net = Stateful()
opt = torch.optim.Adam(net.parameters(), lr=0.01)
inp, tgt = series[:split - 1].view(1, -1, 1), series[1:split].view(1, -1)
chunk = 50
for epoch in range(15):
    state = None  # tear down the hidden state at the start of every epoch
    total = 0.0
    for s in range(0, inp.shape[1], chunk):
        pred, state = net(inp[:, s:s + chunk], state)
        state = tuple(h.detach() for h in state)  # truncate the graph here
        loss = F.mse_loss(pred, tgt[:, s:s + chunk])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    if epoch % 5 == 4:
        print(f"tbptt epoch {epoch + 1} loss {total / math.ceil(inp.shape[1] / chunk):.4f}",
              "state", tuple(state[0].shape), state[0].requires_grad)

# warm up on the history, then forecast 20 steps feeding predictions back
with torch.no_grad():
    _, state = net(series[:split].view(1, -1, 1))
    last = series[split - 1:split].view(1, 1, 1)
    preds = []
    for _ in range(20):
        p, state = net(last, state)
        preds.append(p.item())
        last = p.view(1, 1, 1)
fc = torch.tensor(preds)
print("forecast", fc.shape, f"mae {(fc - series[split:split + 20]).abs().mean().item():.3f}")
print("lstm param shapes", [tuple(p.shape) for p in net.lstm.parameters()])
