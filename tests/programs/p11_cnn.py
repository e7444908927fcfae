# A small CNN trained for a few steps on synthetic images.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.fc1 = nn.Linear(8 * 2 * 2, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


net = Net()
rng = np.random.default_rng(4)
with torch.no_grad():
    for name, p in net.named_parameters():
        p.copy_(torch.tensor(rng.normal(0, 0.2, size=p.shape), dtype=torch.float32))
print(net)
images = torch.tensor(rng.standard_normal((8, 1, 12, 12)), dtype=torch.float32)
labels = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
for step in range(5):
    optimizer.zero_grad()
    outputs = net(images)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    print(f"[{step + 1}] loss: {loss.item():.4f}")
print(outputs.shape, net.conv1(images).shape, net.conv1.weight.grad.shape)
seq = nn.Sequential(
    nn.Conv2d(1, 2, kernel_size=3, stride=2, padding=1),
    nn.BatchNorm2d(2),
    nn.ReLU(inplace=True),
    nn.AdaptiveAvgPool2d((1, 1)),
    nn.Flatten(),
)
print(seq(images).shape)
print(seq)
