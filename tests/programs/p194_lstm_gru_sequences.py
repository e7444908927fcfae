# LSTM and GRU on random sequences: predict the sum sign of a random sequence (LSTM classifier)
# and regress the next value of a noisy sine (GRU), with default init and DataLoader shuffling.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
seqs = torch.randn(128, 10, 3)
target = (seqs.sum(dim=(1, 2)) > 0).long()
print(seqs[0, :2])
print(target[:12])


class LSTMClassifier(nn.Module):
    def __init__(self, input_size=3, hidden_size=16, num_classes=2):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers=2, batch_first=True, dropout=0.1)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.fc(out[:, -1, :])


model = LSTMClassifier()
print(model.lstm.weight_hh_l0[:2, :4])
loader = DataLoader(TensorDataset(seqs, target), batch_size=16, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
crit = nn.CrossEntropyLoss()
for epoch in range(5):
    model.train()
    tot = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = crit(model(xb), yb)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tot += loss.item()
    model.eval()
    with torch.no_grad():
        acc = (model(seqs).argmax(1) == target).float().mean().item()
    print(f"epoch {epoch + 1} avg loss {tot / len(loader):.4f} acc {acc:.3f}")

# GRU next-step regression on a noisy sine wave
t = torch.linspace(0, 20, 220)
wave = torch.sin(t) + 0.05 * torch.randn(220)
win = 20
xs = torch.stack([wave[i:i + win] for i in range(200)]).unsqueeze(-1)
ys = wave[win:win + 200].unsqueeze(-1)


class GRUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 12, batch_first=True)
        self.head = nn.Linear(12, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


gru = GRUNet()
opt = torch.optim.Adam(gru.parameters(), lr=0.02)
for step in range(60):
    idx = torch.randint(0, 200, (32,))
    loss = nn.functional.mse_loss(gru(xs[idx]), ys[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 15 == 0:
        print(f"gru step {step:2d} mse {loss.item():.4f}")
with torch.no_grad():
    print("gru eval mse", round(nn.functional.mse_loss(gru(xs), ys).item(), 4))
