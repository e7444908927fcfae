# MLP classifier trained with CrossEntropyLoss and Adam.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(2)
X = torch.from_numpy(rng.standard_normal((120, 4)).astype(np.float32))
y = torch.from_numpy((X.numpy()[:, 0] > 0).astype(np.int64) + (X.numpy()[:, 1] > 0.5).astype(np.int64))
print(y.dtype, y.bincount())


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(4, 16)
        self.fc2 = nn.Linear(16, 16)
        self.fc3 = nn.Linear(16, 3)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


net = Net()
prng = np.random.default_rng(3)
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.from_numpy(prng.uniform(-0.3, 0.3, size=tuple(p.shape)).astype(np.float32)))
print(net)
print(sum(p.numel() for p in net.parameters() if p.requires_grad))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
for epoch in range(25):
    optimizer.zero_grad()
    outputs = net(X)
    loss = criterion(outputs, y)
    loss.backward()
    optimizer.step()
    if epoch % 5 == 4:
        _, predicted = torch.max(outputs.data, 1)
        correct = (predicted == y).sum().item()
        print(f"epoch {epoch + 1} loss {loss.item():.4f} acc {100 * correct / y.size(0):.1f}%")
net.eval()
with torch.no_grad():
    logits = net(X[:4])
    print(logits.argmax(dim=1), F.softmax(logits, dim=1).sum(dim=1).round(decimals=4))
for name, param in net.named_parameters():
    print(name, param.size(), param.grad.shape)
