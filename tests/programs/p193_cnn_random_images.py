# A small CNN on random "images" (torch.rand) with a planted pattern as the label: conv, pool,
# dropout, DataLoader(shuffle=True), train/eval loop with accuracy, printing as tutorials do.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
n = 256
images = torch.rand(n, 1, 12, 12)
labels = torch.randint(0, 2, (n,))
# class 1 has a bright 4x4 square in the top-left corner
images[labels == 1, :, :4, :4] += 0.8
print(images.shape, labels[:10])

train_ds = TensorDataset(images[:192], labels[:192])
test_ds = TensorDataset(images[192:], labels[192:])
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)
test_loader = DataLoader(test_ds, batch_size=64)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = self.dropout(F.relu(self.fc1(x)))
        return self.fc2(x)


model = Net()
print(model)
print("conv1 bias", model.conv1.bias)
print(sum(p.numel() for p in model.parameters()), "parameters")
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

for epoch in range(1, 5):
    model.train()
    running = 0.0
    for batch_idx, (data, target) in enumerate(train_loader):
        optimizer.zero_grad()
        output = model(data)
        loss = F.cross_entropy(output, target)
        loss.backward()
        optimizer.step()
        running += loss.item()
        if batch_idx % 3 == 0:
            print("Train Epoch: {} [{}/{}]\tLoss: {:.4f}".format(
                epoch, batch_idx * len(data), len(train_loader.dataset), loss.item()))
    model.eval()
    correct, test_loss = 0, 0.0
    with torch.no_grad():
        for data, target in test_loader:
            output = model(data)
            test_loss += F.cross_entropy(output, target, reduction="sum").item()
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    print("Test set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)".format(
        test_loss, correct, len(test_loader.dataset), 100.0 * correct / len(test_loader.dataset)))
