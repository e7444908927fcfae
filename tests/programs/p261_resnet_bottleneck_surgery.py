# ResNet with Bottleneck blocks (expansion 4), then the usual fine-tuning surgery: freeze
# everything, swap the head, freeze BatchNorm statistics, replace every ReLU with GELU via
# named_modules + setattr, and count trainable parameters per top-level module.
import torch
import torch.nn as nn


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64):
        super().__init__()
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = nn.Conv2d(inplanes, width, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, kernel_size=3, stride=stride, padding=1,
                               groups=groups, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, planes * self.expansion, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


class TinyResNet(nn.Module):
    def __init__(self, layers=(1, 2, 1), num_classes=5, groups=1, width_per_group=64):
        super().__init__()
        self.inplanes = 16
        self.groups = groups
        self.base_width = width_per_group
        self.stem = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=1, padding=1, bias=False),
            nn.BatchNorm2d(16),
            nn.ReLU(inplace=True),
        )
        self.layer1 = self._make_layer(8, layers[0])
        self.layer2 = self._make_layer(16, layers[1], stride=2)
        self.layer3 = self._make_layer(32, layers[2], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32 * Bottleneck.expansion, num_classes)

    def _make_layer(self, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * Bottleneck.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * Bottleneck.expansion, 1, stride=stride, bias=False),
                nn.BatchNorm2d(planes * Bottleneck.expansion),
            )
        layers = [Bottleneck(self.inplanes, planes, stride, downsample, self.groups, self.base_width)]
        self.inplanes = planes * Bottleneck.expansion
        for _ in range(1, blocks):
            layers.append(Bottleneck(self.inplanes, planes, groups=self.groups, base_width=self.base_width))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.stem(x)
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def count(m, trainable_only=False):
    return sum(p.numel() for p in m.parameters() if p.requires_grad or not trainable_only)


torch.manual_seed(1)
# ResNeXt-style: 4 groups of width 8 each
model = TinyResNet(groups=4, width_per_group=8)
print(model.layer1[0])
print("total params:", count(model))
print("conv2 groups:", [m.conv2.groups for m in model.modules() if isinstance(m, Bottleneck)])

# 1) freeze the backbone, new head
for param in model.parameters():
    param.requires_grad = False
model.fc = nn.Linear(model.fc.in_features, 3)
print("trainable after freeze:", count(model, True))

# 2) unfreeze layer3, keep BN frozen (eval mode + no grad)
for name, p in model.named_parameters():
    if name.startswith("layer3"):
        p.requires_grad = True


def freeze_bn(module):
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()
            m.weight.requires_grad_(False)
            m.bias.requires_grad_(False)


model.train()
freeze_bn(model)
print("trainable with layer3:", count(model, True))
print("bn training flags:", sorted({m.training for m in model.modules() if isinstance(m, nn.BatchNorm2d)}))


# 3) replace every ReLU by GELU (modules are addressed by their dotted names)
def replace_modules(model, old_type, make_new):
    n = 0
    for name, module in list(model.named_modules()):
        if isinstance(module, old_type):
            parent_name, _, attr = name.rpartition(".")
            parent = model.get_submodule(parent_name) if parent_name else model
            setattr(parent, attr, make_new())
            n += 1
    return n


print("replaced:", replace_modules(model, nn.ReLU, lambda: nn.GELU(approximate="tanh")))
print(model.stem)
print("kinds:", sorted({type(m).__name__ for m in model.modules()}))

for name, child in model.named_children():
    print(f"{name:8s} total={count(child):6d} trainable={count(child, True):6d}")

torch.manual_seed(2)
x = torch.randn(6, 3, 16, 16)
y = torch.randint(0, 3, (6,))
opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
before = model.layer1[0].conv1.weight.clone()
bn_mean = model.layer3[0].bn1.running_mean.clone()
for it in range(3):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    print(f"iter {it}: loss {loss.item():.4f}")
print("frozen conv unchanged:", torch.equal(before, model.layer1[0].conv1.weight))
print("frozen bn stats unchanged:", torch.equal(bn_mean, model.layer3[0].bn1.running_mean))
print("grads:", model.layer1[0].conv1.weight.grad, model.fc.weight.grad.shape)
print("state_dict keys:", len(model.state_dict()), list(model.state_dict())[:6])
