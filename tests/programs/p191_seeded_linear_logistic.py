# Linear and logistic regression on torch.randn data, the way an intro course notebook does it:
# nn.Linear with default init, MSE / BCEWithLogits, SGD, print the loss every few epochs.
import torch
import torch.nn as nn

torch.manual_seed(42)

# --- linear regression: y = 3x - 2 + noise
X = torch.randn(100, 1)
y = 3 * X - 2 + 0.1 * torch.randn(100, 1)
print(X[:3])
print(y[:3])

model = nn.Linear(1, 1)
print(model.weight, model.bias)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(50):
    pred = model(X)
    loss = criterion(pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 10 == 0:
        print(f"Epoch [{epoch + 1}/50], Loss: {loss.item():.4f}")

w, b = model.weight.item(), model.bias.item()
print(f"learned w={w:.3f} b={b:.3f}")

# --- logistic regression on two Gaussian blobs
n = 200
x0 = torch.randn(n // 2, 2) + torch.tensor([-1.5, -1.5])
x1 = torch.randn(n // 2, 2) + torch.tensor([1.5, 1.5])
Xc = torch.cat([x0, x1])
yc = torch.cat([torch.zeros(n // 2), torch.ones(n // 2)]).unsqueeze(1)
perm = torch.randperm(n)
Xc, yc = Xc[perm], yc[perm]
print(perm[:10])

clf = nn.Linear(2, 1)
opt = torch.optim.Adam(clf.parameters(), lr=0.05)
bce = nn.BCEWithLogitsLoss()
for epoch in range(100):
    logits = clf(Xc)
    loss = bce(logits, yc)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 25 == 0:
        acc = ((logits > 0).float() == yc).float().mean()
        print(f"epoch {epoch:3d} loss {loss.item():.4f} acc {acc.item():.3f}")

with torch.no_grad():
    probs = torch.sigmoid(clf(Xc[:5]))
print(probs.round(decimals=3))
print("final acc", ((clf(Xc) > 0).float() == yc).float().mean().item())
