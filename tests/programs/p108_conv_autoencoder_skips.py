# A tiny U-Net-like conv autoencoder: ConvTranspose2d, skip connections via torch.cat, interpolate.
import torch
import torch.nn as nn
import torch.nn.functional as F


def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = double_conv(1, 4)
        self.enc2 = double_conv(4, 8)
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = double_conv(8, 8)
        self.up2 = nn.ConvTranspose2d(8, 8, kernel_size=2, stride=2)
        self.dec2 = double_conv(16, 4)
        self.dec1 = double_conv(8, 4)
        self.head = nn.Conv2d(4, 1, kernel_size=1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        b = self.bottleneck(self.pool(e2))
        d2 = self.up2(b)
        d2 = self.dec2(torch.cat([d2, e2], dim=1))
        d1 = F.interpolate(d2, scale_factor=2, mode="bilinear", align_corners=False)
        d1 = self.dec1(torch.cat((d1, e1), 1))
        return torch.sigmoid(self.head(d1))


model = TinyUNet()
for name, p in model.named_parameters():
    with torch.no_grad():
        k = torch.arange(p.numel(), dtype=torch.float32)
        p.copy_(((k % 7) - 3).reshape(p.shape) * 0.05)
print(model.up2)
print(sum(p.numel() for p in model.parameters()), "parameters")
x = (torch.arange(2 * 1 * 8 * 8, dtype=torch.float32).reshape(2, 1, 8, 8) % 5) / 5
model.train()
y = model(x)
print(y.shape, y.dtype)
print(y[0, 0, :2].detach())
loss = F.binary_cross_entropy(y, x)
loss.backward()
print(f"{loss.item():.5f}", model.head.weight.grad.flatten()[:3])
print(model.enc1[1].running_mean, model.enc1[1].num_batches_tracked)
model.eval()
with torch.no_grad():
    out = model(x)
print(out.mean().item() > 0, out.shape)
up = F.interpolate(x[:, :, :4, :4], size=(6, 6), mode="nearest")
print(up[0, 0])
print(F.interpolate(x[:1, :, :2, :2], scale_factor=2, mode="bilinear", align_corners=True)[0, 0])
print(nn.Upsample(scale_factor=2, mode="nearest")(torch.arange(4.0).view(1, 1, 2, 2)))
ct = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1, bias=False)
nn.init.ones_(ct.weight)
print(ct(torch.ones(1, 1, 2, 2)))
print(F.conv_transpose2d(torch.ones(1, 2, 2, 2), torch.ones(2, 1, 2, 2), stride=2).shape)
