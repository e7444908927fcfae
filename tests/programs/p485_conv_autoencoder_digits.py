"""Tiny convolutional autoencoder / U-Net-lite on load_digits: ConvTranspose2d output shapes
for strides/paddings/output_padding, F.interpolate scale factors, reconstruction losses."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.manual_seed(0)
digits = load_digits()
images = torch.tensor(digits.images[:128], dtype=torch.float32).unsqueeze(1) / 16.0
print(images.shape, images.dtype, images.min().item(), images.max().item())

# ConvTranspose2d output-size arithmetic: (H-1)*s - 2p + d*(k-1) + op + 1
x = torch.randn(1, 2, 5, 5)
for k, s, p, op in [(3, 1, 0, 0), (3, 2, 1, 0), (3, 2, 1, 1), (4, 2, 1, 0), (2, 2, 0, 0), (5, 3, 2, 2), (3, 3, 0, 1)]:
    layer = nn.ConvTranspose2d(2, 1, kernel_size=k, stride=s, padding=p, output_padding=op)
    h = (5 - 1) * s - 2 * p + (k - 1) + op + 1
    print(f"k={k} s={s} p={p} op={op}: {tuple(layer(x).shape)} expected H={h}")
up = nn.ConvTranspose2d(2, 1, 3, stride=2, padding=1)
print(up(x, output_size=[10, 10]).shape, up(x, output_size=(9, 9)).shape)
try:
    nn.ConvTranspose2d(2, 1, 3, stride=2, output_padding=2)(x)
except RuntimeError as e:
    print("RuntimeError:", e)
print(nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2, bias=False))

# F.interpolate with scale factors and sizes
img = images[:1]
for kw in [dict(scale_factor=2), dict(scale_factor=0.5), dict(scale_factor=1.5, mode="bilinear"),
           dict(size=(5, 7), mode="bilinear", align_corners=True), dict(scale_factor=(2, 1), mode="nearest"),
           dict(scale_factor=0.75, mode="area"), dict(size=12, mode="bicubic", align_corners=False)]:
    out = F.interpolate(img, **kw)
    print(kw, tuple(out.shape), round(out.mean().item(), 4))
print(F.interpolate(torch.arange(4.0).view(1, 1, 4), scale_factor=1.5, mode="linear"))
print(F.interpolate(torch.arange(4.0).view(1, 1, 2, 2), scale_factor=2, mode="nearest").squeeze())
print(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), nn.Upsample(size=(4, 4)))


class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(),   # 8 -> 4
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),  # 4 -> 2
        )
        self.dec = nn.Sequential(
            nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),  # 2 -> 4
            nn.ConvTranspose2d(8, 1, 4, stride=2, padding=1), nn.Sigmoid(),  # 4 -> 8
        )

    def forward(self, x):
        return self.dec(self.enc(x))


class UNetLite(nn.Module):
    def __init__(self, c=8):
        super().__init__()
        self.down1 = nn.Sequential(nn.Conv2d(1, c, 3, padding=1), nn.ReLU())
        self.down2 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU())
        self.up = nn.ConvTranspose2d(2 * c, c, 2, stride=2)
        self.fuse = nn.Sequential(nn.Conv2d(2 * c, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, 1, 1))

    def forward(self, x):
        d1 = self.down1(x)
        d2 = self.down2(d1)
        u = self.up(d2)
        return self.fuse(torch.cat([u, d1], dim=1))


ae = AE()
z = ae.enc(images[:4])
print(z.shape, ae(images[:4]).shape)
print(sum(p.numel() for p in ae.parameters()), sum(p.numel() for p in UNetLite().parameters()))
for name, model, lr in [("ae", ae, 1e-2), ("unet", UNetLite(), 5e-3)]:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in range(30):
        idx = torch.randint(0, len(images), (32,))
        batch = images[idx]
        noisy = (batch + 0.2 * torch.randn_like(batch)).clamp(0, 1)
        recon = model(noisy)
        if name == "unet":
            recon = torch.sigmoid(recon)
        loss = F.mse_loss(recon, batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    print(name, [round(l, 4) for l in losses[::6]], f"final={losses[-1]:.4f}")
    model.eval()
    with torch.no_grad():
        out = model(images[:8])
        if name == "unet":
            out = torch.sigmoid(out)
        per_image = F.mse_loss(out, images[:8], reduction="none").mean(dim=(1, 2, 3))
        print(per_image.round(decimals=4), out.shape, round(F.l1_loss(out, images[:8]).item(), 4))
print(ae.dec[0].weight.shape, ae.dec[0].stride, ae.dec[0].output_padding, ae.dec[2].padding)
