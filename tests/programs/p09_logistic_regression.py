# Logistic regression on a synthetic 2-class problem.
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(1)
n = 100
x0 = rng.normal(-1.0, 0.7, size=(n, 2))
x1 = rng.normal(1.0, 0.7, size=(n, 2))
X = torch.tensor(np.vstack([x0, x1]), dtype=torch.float32)
y = torch.cat([torch.zeros(n), torch.ones(n)]).unsqueeze(1)
print(X.shape, y.shape, y.dtype)


class LogisticRegression(nn.Module):
    def __init__(self, input_dim):
        super().__init__()
        self.linear = nn.Linear(input_dim, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


model = LogisticRegression(2)
nn.init.zeros_(model.linear.weight)
nn.init.constant_(model.linear.bias, 0.0)
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(40):
    optimizer.zero_grad()
    out = model(X)
    loss = criterion(out, y)
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0:
        print(epoch, f"{loss.item():.4f}")
with torch.no_grad():
    probs = model(X)
    preds = (probs > 0.5).float()
    acc = (preds == y).float().mean()
print(f"accuracy: {acc.item():.3f}")
print(preds[:3].squeeze(), preds.sum().int())

# same with logits
model2 = nn.Linear(2, 1)
nn.init.zeros_(model2.weight)
nn.init.zeros_(model2.bias)
opt = torch.optim.Adam(model2.parameters(), lr=0.05)
lossf = nn.BCEWithLogitsLoss()
for epoch in range(20):
    opt.zero_grad()
    l = lossf(model2(X), y)
    l.backward()
    opt.step()
print(f"{l.item():.4f}")
print(torch.sigmoid(model2(X[:2])).detach().round(decimals=3))
