# The classic CS231n spiral dataset, built with torch ops, classified by a 2-layer MLP with
# default init, trained full-batch with Adam; prints loss and accuracy as the notes do.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
N, D, K = 100, 2, 3  # points per class, dimensions, classes
X = torch.zeros(N * K, D)
y = torch.zeros(N * K, dtype=torch.long)
for j in range(K):
    r = torch.linspace(0.0, 1, N)
    t = torch.linspace(j * 4, (j + 1) * 4, N) + torch.randn(N) * 0.2
    X[j * N:(j + 1) * N] = torch.stack([r * torch.sin(t), r * torch.cos(t)], dim=1)
    y[j * N:(j + 1) * N] = j
print(X.shape, y.bincount())
print(X[::60])

# "two moons" in the same style
t = torch.rand(150) * math.pi
moon1 = torch.stack([torch.cos(t), torch.sin(t)], 1)
moon2 = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
Xm = torch.cat([moon1, moon2]) + 0.1 * torch.randn(300, 2)
ym = torch.cat([torch.zeros(150), torch.ones(150)]).long()
print("moons mean", Xm.mean(0))

model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, K))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-4)
for step in range(200):
    scores = model(X)
    loss = F.cross_entropy(scores, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 40 == 0:
        acc = (scores.argmax(1) == y).float().mean()
        print(f"iteration {step}: loss {loss.item():.3f}, training accuracy: {acc.item():.2f}")
print("final accuracy: %.2f" % (model(X).argmax(1) == y).float().mean().item())

moon_net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
opt2 = torch.optim.SGD(moon_net.parameters(), lr=0.5)
for step in range(100):
    loss = F.cross_entropy(moon_net(Xm), ym)
    opt2.zero_grad()
    loss.backward()
    opt2.step()
    if step % 25 == 0:
        print("moons", step, round(loss.item(), 4))
with torch.no_grad():
    grid = torch.stack(torch.meshgrid(torch.linspace(-1, 2, 4), torch.linspace(-1, 1.5, 3),
                                      indexing="ij"), -1).reshape(-1, 2)
    print(moon_net(grid).argmax(1))
