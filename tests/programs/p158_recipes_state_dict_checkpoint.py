# recipes: "What is a state_dict", "Saving and loading a general checkpoint",
# "Warmstarting model using parameters from a different model", "Zeroing out gradients"
import io
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


def det_init(model, scale=0.1):
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(torch.cos(torch.arange(p.numel(), dtype=torch.float32) * (0.3 + i)).reshape(p.shape) * scale)


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
det_init(net)
print(net)

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

# one training step so that the optimizer has state
criterion = nn.CrossEntropyLoss()
inputs = torch.linspace(-1, 1, 4 * 3 * 32 * 32).reshape(4, 3, 32, 32)
labels = torch.tensor([1, 3, 5, 7])
optimizer.zero_grad()
loss = criterion(net(inputs), labels)
loss.backward()
optimizer.step()
print(f"{loss.item():.4f}")
sd = optimizer.state_dict()
print(sd["param_groups"])
print(sorted(sd["state"].keys()), sd["state"][0]["momentum_buffer"].shape)

# Saving and loading a general checkpoint
tmp = tempfile.mkdtemp()
PATH = os.path.join(tmp, "model.pt")
EPOCH = 5
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
model.load_state_dict(checkpoint['model_state_dict'])
optimizer2.load_state_dict(checkpoint['optimizer_state_dict'])
epoch = checkpoint['epoch']
loss = checkpoint['loss']
print(epoch, loss)
model.eval()
# - or -
model.train()
print(torch.equal(model(inputs), net(inputs)))
print(torch.equal(optimizer2.state_dict()["state"][0]["momentum_buffer"],
                  optimizer.state_dict()["state"][0]["momentum_buffer"]))
for opt in (optimizer, optimizer2):
    opt.zero_grad()
for m, opt in ((net, optimizer), (model, optimizer2)):
    l = criterion(m(inputs), labels)
    l.backward()
    opt.step()
    print(f"{l.item():.4f}")
print(torch.equal(net.fc3.weight, model.fc3.weight))

# a state_dict round trip through an in-memory buffer
buf = io.BytesIO()
torch.save(net.state_dict(), buf)
buf.seek(0)
sd = torch.load(buf, weights_only=True)
print(type(sd).__name__, list(sd.keys())[:3])


# Warmstarting model using parameters from a different model
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
det_init(netA)


class NetB(nn.Module):
    def __init__(self):
        super(NetB, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)
        self.extra = nn.Linear(10, 2)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return self.extra(x)


netB = NetB()
PATH = os.path.join(tmp, "netA.pt")
torch.save(netA.state_dict(), PATH)
result = netB.load_state_dict(torch.load(PATH, weights_only=True), strict=False)
print(result)
print(result.missing_keys, result.unexpected_keys)
print(torch.equal(netB.conv1.weight, netA.conv1.weight))
try:
    netB.load_state_dict(torch.load(PATH, weights_only=True))
except RuntimeError as e:
    print(str(e).splitlines()[0])
sdA = netA.state_dict()
sdA["fc4.weight"] = torch.zeros(1)
print(NetA().load_state_dict(sdA, strict=False))

# Zeroing out gradients
net = Net()
det_init(net)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
data = [(torch.linspace(-1 + 0.1 * k, 1, 2 * 3 * 32 * 32).reshape(2, 3, 32, 32) * ((-1) ** k),
         torch.tensor([k % 10, (3 * k) % 10])) for k in range(6)]
for epoch in range(2):  # loop over the dataset multiple times
    running_loss = 0.0
    for i, data_i in enumerate(data, 0):
        # get the inputs; data is a list of [inputs, labels]
        inputs, labels = data_i

        # zero the parameter gradients
        optimizer.zero_grad()

        # forward + backward + optimize
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()

        # print statistics
        running_loss += loss.item()
        if i % 3 == 2:
            print('[%d, %5d] loss: %.3f' % (epoch + 1, i + 1, running_loss / 3))
            running_loss = 0.0
print('Finished Training')
print(net.conv1.weight.grad is not None, net.fc3.bias.grad.shape)
net.zero_grad()
print(net.conv1.weight.grad)
optimizer.zero_grad(set_to_none=False)
print(net.fc3.bias.grad)
