"""Course-notebook regression: a Dataset with a transform over NumPy arrays, standardisation
stats from the training split, a model class, train/evaluate pair, LR scheduler, early
stopping, history dict and a final results table."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader, Subset

np.random.seed(3)
torch.manual_seed(3)
N = 300
X = np.random.uniform(-3, 3, size=(N, 2))
y = np.sin(X[:, 0]) + 0.5 * X[:, 1] ** 2 + 0.1 * np.random.randn(N)
print(X.dtype, y.dtype, X.shape, y.shape)


class Standardize:
    def __init__(self, mean, std):
        self.mean, self.std = mean, std

    def __call__(self, x):
        return (x - self.mean) / self.std

    def __repr__(self):
        return f"Standardize(mean={self.mean.tolist()}, std={[round(s, 3) for s in self.std.tolist()]})"


class RegressionData(Dataset):
    def __init__(self, X, y, transform=None):
        self.X = torch.tensor(X, dtype=torch.float32)
        self.y = torch.tensor(y, dtype=torch.float32).unsqueeze(1)
        self.transform = transform

    def __len__(self):
        return self.X.shape[0]

    def __getitem__(self, i):
        x = self.X[i]
        if self.transform:
            x = self.transform(x)
        return x, self.y[i]


perm = torch.randperm(N).tolist()
train_idx, val_idx = perm[:240], perm[240:]
raw = RegressionData(X, y)
mean = raw.X[train_idx].mean(0)
std = raw.X[train_idx].std(0)
tf = Standardize(mean.round(decimals=2), std)
print(tf)
ds = RegressionData(X, y, transform=tf)
train_set, val_set = Subset(ds, train_idx), Subset(ds, val_idx)
print(len(train_set), len(val_set), train_set[0][0].round(decimals=3), train_set[0][1])
train_loader = DataLoader(train_set, batch_size=16, shuffle=True, drop_last=True)
val_loader = DataLoader(val_set, batch_size=100)
print(len(train_loader), len(val_loader), [b[0].shape[0] for b in val_loader])


class MLP(nn.Module):
    def __init__(self, sizes=(2, 32, 32, 1), dropout=0.0):
        super().__init__()
        layers = []
        for a, b in zip(sizes[:-2], sizes[1:-1]):
            layers += [nn.Linear(a, b), nn.SiLU(), nn.Dropout(dropout)]
        layers.append(nn.Linear(sizes[-2], sizes[-1]))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def train_one_epoch(model, loader, opt, loss_fn):
    model.train()
    losses = []
    for xb, yb in loader:
        pred = model(xb)
        loss = loss_fn(pred, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
        opt.step()
        losses.append(loss.item())
    return float(np.mean(losses))


def evaluate(model, loader):
    model.eval()
    se, ae, n = 0.0, 0.0, 0
    with torch.no_grad():
        for xb, yb in loader:
            pred = model(xb)
            se += ((pred - yb) ** 2).sum().item()
            ae += (pred - yb).abs().sum().item()
            n += yb.numel()
    return se / n, ae / n


model = MLP(dropout=0.05)
print(model)
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
loss_fn = nn.MSELoss()
history = {"epoch": [], "lr": [], "train": [], "val_mse": [], "val_mae": []}
best, bad, patience = float("inf"), 0, 3
for epoch in range(12):
    tr = train_one_epoch(model, train_loader, opt, loss_fn)
    mse, mae = evaluate(model, val_loader)
    lr = sched.get_last_lr()[0]
    sched.step()
    for k, v in zip(history, (epoch, lr, tr, mse, mae)):
        history[k].append(round(v, 4) if isinstance(v, float) else v)
    flag = ""
    if mse < best - 1e-3:
        best, bad, flag = mse, 0, "*"
        best_state = {k: v.clone() for k, v in model.state_dict().items()}
    else:
        bad += 1
    print(f"epoch {epoch:02d} lr={lr:.5f} train={tr:7.4f} val_mse={mse:7.4f} val_mae={mae:6.4f} {flag}")
    if bad >= patience:
        print(f"early stop at epoch {epoch} (best val_mse={best:.4f})")
        break
print({k: v[-3:] for k, v in history.items()})
model.load_state_dict(best_state)
print(evaluate(model, val_loader) == (best, evaluate(model, val_loader)[1]))
print(f"{'x0':>6} {'x1':>6} {'true':>7} {'pred':>7}")
model.eval()
with torch.no_grad():
    for i in val_idx[:4]:
        xi, yi = ds[i]
        print(f"{X[i, 0]:6.2f} {X[i, 1]:6.2f} {yi.item():7.3f} {model(xi.unsqueeze(0)).item():7.3f}")
print(opt.state_dict()["param_groups"][0]["lr"], sched.state_dict()["last_epoch"], type(sched).__name__)
