# MobileNetV2 as in torchvision: _make_divisible, ConvBNReLU with ReLU6, InvertedResidual with a
# depthwise conv (groups=hidden_dim), width multiplier; init loop; one training step.
import torch
from torch import nn


def _make_divisible(v, divisor, min_value=None):
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    # Make sure that round down does not go down by more than 10%.
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class ConvBNActivation(nn.Sequential):
    def __init__(self, in_planes, out_planes, kernel_size=3, stride=1, groups=1,
                 norm_layer=None, activation_layer=None):
        padding = (kernel_size - 1) // 2
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        if activation_layer is None:
            activation_layer = nn.ReLU6
        super().__init__(
            nn.Conv2d(in_planes, out_planes, kernel_size, stride, padding, groups=groups, bias=False),
            norm_layer(out_planes),
            activation_layer(inplace=True),
        )
        self.out_channels = out_planes


class InvertedResidual(nn.Module):
    def __init__(self, inp, oup, stride, expand_ratio):
        super().__init__()
        self.stride = stride
        assert stride in [1, 2]
        hidden_dim = int(round(inp * expand_ratio))
        self.use_res_connect = self.stride == 1 and inp == oup
        layers = []
        if expand_ratio != 1:
            # pw
            layers.append(ConvBNActivation(inp, hidden_dim, kernel_size=1))
        layers.extend([
            # dw
            ConvBNActivation(hidden_dim, hidden_dim, stride=stride, groups=hidden_dim),
            # pw-linear
            nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),
            nn.BatchNorm2d(oup),
        ])
        self.conv = nn.Sequential(*layers)
        self.out_channels = oup
        self._is_cn = stride > 1

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)


class MobileNetV2(nn.Module):
    def __init__(self, num_classes=10, width_mult=0.25, round_nearest=8, dropout=0.2):
        super().__init__()
        input_channel = 32
        last_channel = 320
        inverted_residual_setting = [
            # t, c, n, s
            [1, 16, 1, 1],
            [6, 24, 2, 2],
            [6, 32, 2, 2],
            [6, 64, 1, 2],
        ]
        input_channel = _make_divisible(input_channel * width_mult, round_nearest)
        self.last_channel = _make_divisible(last_channel * max(1.0, width_mult), round_nearest)
        features = [ConvBNActivation(3, input_channel, stride=2)]
        for t, c, n, s in inverted_residual_setting:
            output_channel = _make_divisible(c * width_mult, round_nearest)
            for i in range(n):
                stride = s if i == 0 else 1
                features.append(InvertedResidual(input_channel, output_channel, stride, expand_ratio=t))
                input_channel = output_channel
        features.append(ConvBNActivation(input_channel, self.last_channel, kernel_size=1))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Linear(self.last_channel, num_classes),
        )
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.features(x)
        x = nn.functional.adaptive_avg_pool2d(x, (1, 1))
        x = torch.flatten(x, 1)
        return self.classifier(x)


print([_make_divisible(c * 0.25, 8) for c in (32, 16, 24, 32, 64, 96, 160, 320)])
torch.manual_seed(0)
model = MobileNetV2()
print(model.features[2])
print(model.classifier)
dw = [m for m in model.modules() if isinstance(m, nn.Conv2d) and m.groups > 1]
print("depthwise convs:", len(dw), [(m.in_channels, m.groups, tuple(m.weight.shape)) for m in dw[:3]])
print("residual blocks:", sum(m.use_res_connect for m in model.modules() if isinstance(m, InvertedResidual)))
print("params:", sum(p.numel() for p in model.parameters()))

x = torch.randn(2, 3, 32, 32) * 3
feats = model.features[:3](x)
print("features[:3]:", feats.shape, f"{feats.max().item():.4f}", "relu6 cap:", feats.max().item() <= 6.0)
act = nn.ReLU6()(torch.tensor([-1.0, 0.5, 6.0, 7.5]))
print(act, nn.functional.relu6(torch.tensor([8.0]), inplace=False), nn.Hardtanh(0.0, 6.0)(torch.tensor([9.0])))

opt = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, eps=0.0316, momentum=0.9, weight_decay=4e-5)
target = torch.tensor([3, 7])
for step in range(2):
    opt.zero_grad()
    out = model(x)
    loss = nn.CrossEntropyLoss(label_smoothing=0.1)(out, target)
    loss.backward()
    opt.step()
    print(f"step {step}: loss={loss.item():.4f}")
model.eval()
with torch.no_grad():
    print("eval logits:", model(x).round(decimals=3))
