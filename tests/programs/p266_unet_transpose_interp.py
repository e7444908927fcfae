# milesial-style UNet: DoubleConv, Down (maxpool), Up with either bilinear nn.Upsample or
# ConvTranspose2d, F.pad to fix odd sizes, skip concatenation; Dice + BCE loss; plus the
# F.interpolate modes (align_corners False/True, scale_factor, size) people use on masks.
import torch
import torch.nn as nn
import torch.nn.functional as F


class DoubleConv(nn.Module):
    """(convolution => [BN] => ReLU) * 2"""

    def __init__(self, in_channels, out_channels, mid_channels=None):
        super().__init__()
        if not mid_channels:
            mid_channels = out_channels
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(in_channels, out_channels))

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    def __init__(self, in_channels, out_channels, bilinear=True):
        super().__init__()
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
            self.conv = DoubleConv(in_channels, out_channels, in_channels // 2)
        else:
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        # input is CHW
        diffY = x2.size()[2] - x1.size()[2]
        diffX = x2.size()[3] - x1.size()[3]
        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=False, base=8):
        super().__init__()
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.bilinear = bilinear
        factor = 2 if bilinear else 1
        self.inc = DoubleConv(n_channels, base)
        self.down1 = Down(base, base * 2)
        self.down2 = Down(base * 2, base * 4)
        self.down3 = Down(base * 4, base * 8 // factor)
        self.up1 = Up(base * 8, base * 4 // factor, bilinear)
        self.up2 = Up(base * 4, base * 2 // factor, bilinear)
        self.up3 = Up(base * 2, base, bilinear)
        self.outc = nn.Conv2d(base, n_classes, kernel_size=1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x = self.up1(x4, x3)
        x = self.up2(x, x2)
        x = self.up3(x, x1)
        return self.outc(x)


def dice_coeff(input, target, reduce_batch_first=False, epsilon=1e-6):
    sum_dim = (-1, -2) if input.dim() == 2 or not reduce_batch_first else (-1, -2, -3)
    inter = 2 * (input * target).sum(dim=sum_dim)
    sets_sum = input.sum(dim=sum_dim) + target.sum(dim=sum_dim)
    sets_sum = torch.where(sets_sum == 0, inter, sets_sum)
    dice = (inter + epsilon) / (sets_sum + epsilon)
    return dice.mean()


torch.manual_seed(0)
for bilinear in (False, True):
    net = UNet(n_channels=3, n_classes=1, bilinear=bilinear)
    print(f"bilinear={bilinear} params={sum(p.numel() for p in net.parameters())}")
    print(net.up1)
    x = torch.randn(2, 3, 20, 22)   # odd after pooling: exercises F.pad
    mask = (torch.rand(2, 1, 20, 22) > 0.5).float()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for step in range(2):
        logits = net(x)
        loss = F.binary_cross_entropy_with_logits(logits, mask)
        loss = loss + (1 - dice_coeff(torch.sigmoid(logits), mask, reduce_batch_first=True))
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"  step {step}: out {tuple(logits.shape)} loss {loss.item():.4f}")

ct = nn.ConvTranspose2d(2, 3, kernel_size=3, stride=2, padding=1, output_padding=1)
y = ct(torch.randn(1, 2, 4, 5))
print("convT:", y.shape, ct.weight.shape, f"{y.sum().item():.4f}")
ct2 = nn.ConvTranspose2d(2, 2, 4, stride=2, padding=1, groups=2, bias=False)
print("convT groups:", ct2(torch.ones(1, 2, 3, 3)).shape, ct2.weight.shape)
print("output_size:", ct(torch.randn(1, 2, 4, 5), output_size=[7, 9]).shape)

img = torch.arange(16.0).reshape(1, 1, 4, 4)
for mode, ac in (("bilinear", False), ("bilinear", True), ("bicubic", False), ("nearest", None), ("nearest-exact", None)):
    kw = {} if ac is None else {"align_corners": ac}
    out = F.interpolate(img, scale_factor=1.5, mode=mode, **kw)
    print(mode, ac, tuple(out.shape), out[0, 0, 1].round(decimals=4).tolist())
print(F.interpolate(img, size=(3, 5), mode="bilinear", align_corners=False)[0, 0].round(decimals=4))
print(F.interpolate(img, size=(2, 2), mode="area")[0, 0])
print(F.interpolate(torch.arange(6.0).view(1, 1, 6), scale_factor=0.5, mode="linear", align_corners=False))
seg = torch.randint(0, 4, (1, 1, 3, 3)).float()
print(F.interpolate(seg, size=(6, 6), mode="nearest").long()[0, 0])
