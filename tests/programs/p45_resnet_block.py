# A ResNet basic block and a tiny ResNet forward/backward.
import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super(BasicBlock, self).__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != self.expansion * planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion * planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(self.expansion * planes)
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        out = F.relu(out)
        return out


class TinyResNet(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.layer1 = BasicBlock(4, 4)
        self.layer2 = BasicBlock(4, 8, stride=2)
        self.linear = nn.Linear(8, num_classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer2(self.layer1(out))
        out = F.adaptive_avg_pool2d(out, (1, 1))
        out = out.view(out.size(0), -1)
        return self.linear(out)


net = TinyResNet()
with torch.no_grad():
    for i, (name, p) in enumerate(net.named_parameters()):
        if "bn" in name or "shortcut.1" in name:
            continue
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.7 + i).reshape(p.shape) * 0.3)
x = torch.cos(torch.arange(2 * 3 * 8 * 8, dtype=torch.float32) * 0.1).reshape(2, 3, 8, 8)
out = net(x)
print(out.shape, out.round(decimals=3))
loss = F.cross_entropy(out, torch.tensor([1, 3]))
loss.backward()
print(round(loss.item(), 4), net.conv1.weight.grad.shape, net.layer2.shortcut[0].weight.grad.abs().sum().round(decimals=2))
print(net.layer2)
print(sum(p.numel() for p in net.parameters()), len(net.state_dict()))
net.eval()
with torch.no_grad():
    print(net(x).round(decimals=3))
