# A small ResNet on a synthetic 2-class image task: BatchNorm, residual blocks,
# AdaptiveAvgPool, model.eval() + torch.no_grad() for accuracy.
import numpy as np
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


class ResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=2):
        super(ResNet, self).__init__()
        self.in_planes = 4
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.layer1 = self._make_layer(block, 4, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 8, num_blocks[1], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.linear = nn.Linear(8 * block.expansion, num_classes)

    def _make_layer(self, block, planes, num_blocks, stride):
        strides = [stride] + [1] * (num_blocks - 1)
        layers = []
        for stride in strides:
            layers.append(block(self.in_planes, planes, stride))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer1(out)
        out = self.layer2(out)
        out = self.avgpool(out)
        out = torch.flatten(out, 1)
        return self.linear(out)


rng = np.random.default_rng(0)
# class 0: bright top half; class 1: bright bottom half
X = rng.normal(0, 0.3, (32, 1, 8, 8)).astype(np.float32)
y = np.arange(32) % 2
X[y == 0, :, :4] += 1.0
X[y == 1, :, 4:] += 1.0
X = torch.from_numpy(X)
y = torch.from_numpy(y)

model = ResNet(BasicBlock, [1, 1])
for m in model.modules():
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
    elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
        nn.init.constant_(m.weight, 1)
        nn.init.constant_(m.bias, 0)
with torch.no_grad():
    for name, p in model.named_parameters():
        if p.dim() > 1 or name.startswith('linear'):
            p.copy_(torch.from_numpy(rng.normal(0, 0.3, p.shape).astype(np.float32)))
print(model.layer2[0].shortcut)
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
print(len(list(model.buffers())), [n for n, _ in model.named_buffers()][:3])

optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(4):
    model.train()
    running = 0.0
    correct = 0
    for i in range(0, 32, 8):
        inputs, targets = X[i:i + 8], y[i:i + 8]
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        running += loss.item()
        _, predicted = outputs.max(1)
        correct += predicted.eq(targets).sum().item()
    print(f'epoch {epoch} loss {running / 4:.4f} acc {100. * correct / 32:.1f}%')

print(model.bn1.running_mean.round(decimals=4), model.bn1.num_batches_tracked)
model.eval()
with torch.no_grad():
    logits = model(X)
    probs = F.softmax(logits, dim=1)
    acc = (logits.argmax(dim=1) == y).float().mean()
print(f'eval acc {acc.item():.4f}', probs.shape, probs.sum(1).allclose(torch.ones(32)))
print(logits.requires_grad, model.training, model.layer1[0].bn1.training)
print(model(X[:2]).grad_fn.name())
