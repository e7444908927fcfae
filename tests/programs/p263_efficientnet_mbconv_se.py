# EfficientNet-style MBConv: expansion, depthwise conv, squeeze-and-excitation with SiLU and a
# sigmoid gate, stochastic depth (drop connect) written by hand, compound scaling helpers.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def drop_connect(inputs, p, training):
    """Drop connect (per-sample stochastic depth)."""
    if not training:
        return inputs
    batch_size = inputs.shape[0]
    keep_prob = 1 - p
    random_tensor = keep_prob
    random_tensor += torch.rand([batch_size, 1, 1, 1], dtype=inputs.dtype, device=inputs.device)
    binary_tensor = torch.floor(random_tensor)
    output = inputs / keep_prob * binary_tensor
    return output


class SqueezeExcitation(nn.Module):
    def __init__(self, input_channels, squeeze_channels, activation=nn.ReLU, scale_activation=nn.Sigmoid):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def _scale(self, input):
        scale = self.avgpool(input)
        scale = self.fc1(scale)
        scale = self.activation(scale)
        scale = self.fc2(scale)
        return self.scale_activation(scale)

    def forward(self, input):
        scale = self._scale(input)
        return scale * input


class SEBlockLinear(nn.Module):
    """The original SENet formulation with Linear layers and a reduction ratio."""

    def __init__(self, channel, reduction=4):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(
            nn.Linear(channel, channel // reduction, bias=False),
            nn.ReLU(inplace=True),
            nn.Linear(channel // reduction, channel, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.avg_pool(x).view(b, c)
        y = self.fc(y).view(b, c, 1, 1)
        return x * y.expand_as(x)


class MBConv(nn.Module):
    def __init__(self, in_ch, out_ch, expand_ratio, kernel, stride, se_ratio=0.25, drop_rate=0.2):
        super().__init__()
        hidden = in_ch * expand_ratio
        self.use_res = stride == 1 and in_ch == out_ch
        self.drop_rate = drop_rate
        layers = []
        if expand_ratio != 1:
            layers += [nn.Conv2d(in_ch, hidden, 1, bias=False),
                       nn.BatchNorm2d(hidden, eps=1e-3, momentum=0.01), nn.SiLU(inplace=True)]
        layers += [nn.Conv2d(hidden, hidden, kernel, stride, kernel // 2, groups=hidden, bias=False),
                   nn.BatchNorm2d(hidden, eps=1e-3, momentum=0.01), nn.SiLU(inplace=True)]
        layers.append(SqueezeExcitation(hidden, max(1, int(in_ch * se_ratio)), activation=nn.SiLU))
        layers += [nn.Conv2d(hidden, out_ch, 1, bias=False), nn.BatchNorm2d(out_ch, eps=1e-3, momentum=0.01)]
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        out = self.block(x)
        if self.use_res:
            out = drop_connect(out, self.drop_rate, self.training) + x
        return out


def round_filters(filters, width_coefficient, divisor=8):
    filters *= width_coefficient
    new_filters = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    if new_filters < 0.9 * filters:
        new_filters += divisor
    return int(new_filters)


def round_repeats(repeats, depth_coefficient):
    return int(math.ceil(depth_coefficient * repeats))


print("filters:", [round_filters(f, 1.1) for f in (32, 16, 24, 40, 80, 112, 192, 320)])
print("repeats:", [round_repeats(r, 1.2) for r in (1, 2, 2, 3, 3, 4, 1)])

torch.manual_seed(0)
se = SEBlockLinear(16)
x = torch.randn(2, 16, 5, 5)
print("se linear:", se(x).shape, f"{se(x).abs().mean().item():.4f}")
print(SqueezeExcitation(16, 4, activation=nn.SiLU))

net = nn.Sequential(
    nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16, eps=1e-3, momentum=0.01), nn.SiLU(),
    MBConv(16, 16, 1, 3, 1),
    MBConv(16, 24, 6, 5, 2),
    MBConv(24, 24, 6, 5, 1),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(24, 4),
)
print(net[4])
x = torch.randn(4, 3, 24, 24)
torch.manual_seed(5)
y = drop_connect(torch.ones(6, 2, 1, 1), 0.5, True)
print("drop_connect:", y.flatten().tolist())
print("drop_connect eval is identity:", torch.equal(drop_connect(x, 0.5, False), x))

opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
target = torch.tensor([0, 1, 2, 3])
torch.manual_seed(7)
for step in range(3):
    opt.zero_grad()
    loss = F.cross_entropy(net(x), target)
    loss.backward()
    opt.step()
    print(f"step {step}: {loss.item():.4f}")
net.eval()
print("bn running_var:", net[1].running_var[:4].round(decimals=4))
print("eval out:", net(x).detach().round(decimals=3))
print("silu:", F.silu(torch.tensor([-2.0, 0.0, 2.0])), nn.SiLU()(torch.tensor([1.0])), torch.sigmoid(torch.tensor(1.0)) * 1.0)
