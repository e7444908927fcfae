# random_split + DataLoader(shuffle=True) with a custom Dataset, a seeded Generator for the
# split, WeightedRandomSampler and SubsetRandomSampler, and a training loop with early
# stopping on validation loss (a common StackOverflow "how do I split my dataset" answer).
import torch
import torch.nn as nn
from torch.utils.data import (DataLoader, Dataset, SubsetRandomSampler, WeightedRandomSampler,
                              random_split)

torch.manual_seed(42)


class Toy(Dataset):
    def __init__(self, n=300):
        self.x = torch.randn(n, 5)
        w = torch.tensor([1.5, -2.0, 0.5, 0.0, 1.0])
        self.y = (self.x @ w + 0.2 * torch.randn(n) > 0).float()

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


ds = Toy()
train_ds, val_ds, test_ds = random_split(ds, [0.7, 0.15, 0.15],
                                         generator=torch.Generator().manual_seed(42))
print(len(train_ds), len(val_ds), len(test_ds))
print("first train indices:", train_ds.indices[:8])
a, b = random_split(range(10), [7, 3])
print(list(a), list(b))

train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=64)
xb, yb = next(iter(train_loader))
print(xb[:2])
print(yb[:8])

model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.BCEWithLogitsLoss()
best, patience, bad = float("inf"), 3, 0
for epoch in range(30):
    model.train()
    for xb, yb in train_loader:
        opt.zero_grad()
        loss = loss_fn(model(xb).squeeze(1), yb)
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        val = sum(loss_fn(model(x).squeeze(1), y).item() * len(y) for x, y in val_loader)
        val /= len(val_ds)
    if epoch % 3 == 0:
        print(f"epoch {epoch:2d} train {loss.item():.4f} val {val:.4f}")
    if val < best - 1e-3:
        best, bad = val, 0
    else:
        bad += 1
        if bad >= patience:
            print(f"early stop at epoch {epoch}, best val {best:.4f}")
            break

with torch.no_grad():
    tx = torch.stack([test_ds[i][0] for i in range(len(test_ds))])
    ty = torch.stack([test_ds[i][1] for i in range(len(test_ds))])
    acc = ((model(tx).squeeze(1) > 0).float() == ty).float().mean()
print(f"test accuracy: {100 * acc.item():.1f}%")

# samplers
labels = ds.y.long()
counts = torch.bincount(labels)
weights = 1.0 / counts[labels].float()
sampler = WeightedRandomSampler(weights, num_samples=40, replacement=True)
drawn = labels[list(sampler)]
print("weighted sampler class counts:", torch.bincount(drawn, minlength=2).tolist())
sub = SubsetRandomSampler(list(range(0, 20, 2)))
print("subset order:", list(sub))
loader = DataLoader(ds, batch_size=4, sampler=SubsetRandomSampler(range(12)))
print([y.tolist() for _, y in loader])
