# Seeded training: default init, random data, a shuffling DataLoader and dropout give the very
# numbers torch gives (ember's CPU generator reproduces torch's Mersenne Twister streams).
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(0)

# a small classification problem from torch.randn / torch.randint
X = torch.randn(200, 10)
w_true = torch.randn(10, 3)
y = (X @ w_true + 0.3 * torch.randn(200, 3)).argmax(dim=1)
noise_labels = torch.randint(0, 3, (200,))
flip = torch.rand(200) < 0.05
y = torch.where(flip, noise_labels, y)

train_set, val_set = random_split(TensorDataset(X, y), [160, 40])
loader = DataLoader(train_set, batch_size=16, shuffle=True)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 32)
        self.drop = nn.Dropout(0.2)
        self.fc2 = nn.Linear(32, 3)
        self.emb = nn.Embedding(3, 4)

    def forward(self, x):
        h = self.drop(F.relu(self.fc1(x)))
        return self.fc2(h)


model = Net()
print("init", round(model.fc1.weight.sum().item(), 4), round(model.fc2.bias.sum().item(), 4),
      round(model.emb.weight.abs().sum().item(), 4))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

for epoch in range(4):
    model.train()
    total, first = 0.0, None
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(yb)
        if first is None:
            first = yb[:6].tolist()
    model.eval()
    with torch.no_grad():
        vx = torch.stack([val_set[i][0] for i in range(len(val_set))])
        vy = torch.stack([val_set[i][1] for i in range(len(val_set))])
        acc = (model(vx).argmax(1) == vy).float().mean().item()
    print(f"epoch {epoch} loss {total / len(train_set):.4f} val_acc {acc:.4f} first {first}")

print("after", [f"{v:.4f}" for v in torch.randn(3).tolist()])
print("perm", torch.randperm(8).tolist())
