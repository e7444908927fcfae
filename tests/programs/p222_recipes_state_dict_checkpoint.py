# Recipes: "What is a state_dict in PyTorch", "Saving and loading a general checkpoint",
# "Warmstarting model using parameters from a different model", "Zeroing out gradients"
import io
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


net = Net()
print(net)

# --- What is a state_dict ---
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

# Print model's state_dict
print("Model's state_dict:")
for param_tensor in net.state_dict():
    print(param_tensor, "\t", net.state_dict()[param_tensor].size())

print()

# Print optimizer's state_dict
print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name])

# --- Zeroing out gradients ---
inputs = torch.randn(8, 3, 32, 32)
labels = torch.randint(0, 10, (8,))
criterion = nn.CrossEntropyLoss()
for epoch in range(2):
    running_loss = 0.0
    for i in range(4):
        # zero the parameter gradients
        optimizer.zero_grad()
        # forward + backward + optimize
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print('[%d] loss: %.4f' % (epoch + 1, running_loss / 4))
print(net.conv1.weight.grad is None)
net.zero_grad()
print(net.conv1.weight.grad)
print('Finished Training')

print("Optimizer's state_dict after training:")
sd = optimizer.state_dict()
print(sorted(sd['state'].keys()), sd['param_groups'])
print(sd['state'][0]['momentum_buffer'].shape)

# --- Saving and loading a general checkpoint ---
EPOCH = 5
PATH = os.path.join(tempfile.mkdtemp(), "model.pt")
LOSS = 0.4

torch.save({
    'epoch': EPOCH,
    'model_state_dict': net.state_dict(),
    'optimizer_state_dict': optimizer.state_dict(),
    'loss': LOSS,
}, PATH)

model = Net()
optimizer2 = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)

checkpoint = torch.load(PATH, weights_only=True)
print(sorted(checkpoint.keys()))
model.load_state_dict(checkpoint['model_state_dict'])
optimizer2.load_state_dict(checkpoint['optimizer_state_dict'])
epoch = checkpoint['epoch']
loss = checkpoint['loss']
print(epoch, loss)

model.eval()
with torch.no_grad():
    print(torch.equal(model(inputs), net(inputs)))
model.train()

# - or -
for opt, m in ((optimizer, net), (optimizer2, model)):
    opt.zero_grad()
    l = criterion(m(inputs), labels)
    l.backward()
    opt.step()
print(torch.equal(model.fc3.weight, net.fc3.weight))
print(optimizer2.state_dict()['state'][9]['momentum_buffer'][:4])

# save to an in-memory buffer as well
buffer = io.BytesIO()
torch.save(net.state_dict(), buffer)
buffer.seek(0)
sd2 = torch.load(buffer, weights_only=True)
print(type(sd2).__name__, len(sd2), sd2['fc3.bias'].dtype)

# --- Warmstarting a model using parameters from a different model ---


class NetA(nn.Module):
    def __init__(self):
        super(NetA, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


netA = NetA()


class NetB(nn.Module):
    def __init__(self):
        super(NetB, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc4 = nn.Linear(84, 3)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc4(x)
        return x


netB = NetB()

PATH_A = os.path.join(tempfile.mkdtemp(), "netA.pt")
torch.save(netA.state_dict(), PATH_A)
result = netB.load_state_dict(torch.load(PATH_A, weights_only=True), strict=False)
print(result)
print(result.missing_keys, result.unexpected_keys)
print(torch.equal(netA.conv2.weight, netB.conv2.weight), torch.equal(netA.fc2.bias, netB.fc2.bias))
try:
    netB.load_state_dict(torch.load(PATH_A, weights_only=True))
except RuntimeError as e:
    print(str(e).splitlines()[0])
    print(str(e).splitlines()[1])
