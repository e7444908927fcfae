# A full train/validate loop with early stopping, metrics and best-model checkpointing.
import copy

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

rng = np.random.default_rng(10)
X = rng.standard_normal((96, 5)).astype(np.float32)
w = np.array([1.0, -2.0, 0.5, 0.0, 3.0], dtype=np.float32)
y = (X @ w > 0).astype(np.int64)
train_ds = TensorDataset(torch.from_numpy(X[:64]), torch.from_numpy(y[:64]))
val_ds = TensorDataset(torch.from_numpy(X[64:]), torch.from_numpy(y[64:]))
train_loader = DataLoader(train_ds, batch_size=16)
val_loader = DataLoader(val_ds, batch_size=32)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Dropout(0.0), nn.Linear(8, 2)).to(device)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.5)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)


def train_one_epoch():
    model.train()
    total_loss, correct, n = 0.0, 0, 0
    for inputs, targets in train_loader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * inputs.size(0)
        correct += (outputs.argmax(1) == targets).sum().item()
        n += inputs.size(0)
    return total_loss / n, correct / n


@torch.no_grad()
def evaluate():
    model.eval()
    total_loss, correct = 0.0, 0
    for inputs, targets in val_loader:
        outputs = model(inputs)
        total_loss += criterion(outputs, targets).item() * len(targets)
        _, pred = outputs.max(1)
        correct += pred.eq(targets).sum().item()
    return total_loss / len(val_ds), correct / len(val_ds)


best_loss, best_state, patience, bad = float("inf"), None, 2, 0
for epoch in range(6):
    tl, ta = train_one_epoch()
    vl, va = evaluate()
    scheduler.step()
    print(f"epoch {epoch}: train {tl:.4f}/{ta:.3f} val {vl:.4f}/{va:.3f} lr {scheduler.get_last_lr()[0]:.4f}")
    if vl < best_loss:
        best_loss, bad = vl, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad += 1
        if bad >= patience:
            print("early stop")
            break
model.load_state_dict(best_state)
print(f"best {best_loss:.4f}", evaluate()[0] == best_loss)
