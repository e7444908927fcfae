"""PyTorch in 60 lines: a Dataset over a NumPy array, a model class, train_one_epoch/evaluate,
a per-epoch table printed with f-strings and the history dict (plotting skipped)."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader, random_split

torch.manual_seed(0)
rng = np.random.default_rng(0)

X = rng.normal(size=(240, 4)).astype(np.float32)
w_true = np.array([1.5, -2.0, 0.5, 0.0], dtype=np.float32)
y = (X @ w_true + 0.3 * rng.normal(size=240) > 0).astype(np.int64)


class NumpyDataset(Dataset):
    def __init__(self, features, labels):
        self.features = torch.from_numpy(features)
        self.labels = torch.from_numpy(labels)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        return self.features[idx], self.labels[idx]


ds = NumpyDataset(X, y)
print(len(ds), ds[0][0].dtype, ds[0][1].dtype, ds[0][1], type(ds[3][1]))
train_ds, val_ds = random_split(ds, [200, 40], generator=torch.Generator().manual_seed(1))
print(len(train_ds), len(val_ds), type(train_ds).__name__, train_ds.indices[:5])
train_dl = DataLoader(train_ds, batch_size=32, shuffle=True)
val_dl = DataLoader(val_ds, batch_size=64)
xb, yb = next(iter(train_dl))
print(xb.shape, yb.shape, yb.dtype, len(train_dl), len(val_dl))


class Net(nn.Module):
    def __init__(self, in_features=4, hidden=16, n_classes=2):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def train_one_epoch(model, loader, loss_fn, optimizer):
    model.train()
    total, correct, running = 0, 0, 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        optimizer.step()
        running += loss.item() * xb.size(0)
        correct += (logits.argmax(1) == yb).sum().item()
        total += xb.size(0)
    return running / total, correct / total


@torch.no_grad()
def evaluate(model, loader, loss_fn):
    model.eval()
    total, correct, running = 0, 0, 0.0
    for xb, yb in loader:
        logits = model(xb)
        running += loss_fn(logits, yb).item() * len(yb)
        correct += (logits.argmax(dim=1) == yb).sum().item()
        total += len(yb)
    return running / total, correct / total


model = Net()
print(model)
print(f"params: {sum(p.numel() for p in model.parameters()):,}")
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
print(f"{'epoch':>5} | {'train loss':>10} | {'train acc':>9} | {'val loss':>8} | {'val acc':>7}")
print("-" * 52)
for epoch in range(1, 7):
    tl, ta = train_one_epoch(model, train_dl, loss_fn, optimizer)
    vl, va = evaluate(model, val_dl, loss_fn)
    for k, v in zip(history, (tl, ta, vl, va)):
        history[k].append(round(v, 4))
    print(f"{epoch:>5} | {tl:>10.4f} | {ta:>9.2%} | {vl:>8.4f} | {va:>7.1%}")
print(history)
best = max(range(len(history["val_acc"])), key=lambda i: history["val_acc"][i])
print(f"best epoch {best + 1}: val_acc={history['val_acc'][best]:.3f}")
torch.save(model.state_dict(), "model.pt")
restored = Net()
print(restored.load_state_dict(torch.load("model.pt")))
probe = torch.from_numpy(X[:5])
with torch.no_grad():
    print(torch.softmax(restored(probe), dim=1).round(decimals=3), restored(probe).argmax(1), torch.from_numpy(y[:5]))
print(model.training, restored.training, next(model.parameters()).requires_grad)
