# Image-to-image code: reflect / replicate / circular padding, a max-pool encoder with
# return_indices and a MaxUnpool2d decoder, PixelShuffle sub-pixel upsampling vs
# ConvTranspose2d, depthwise-separable convolutions, and PSNR / SSIM-like metrics by hand.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2)
img = torch.rand(2, 1, 8, 8)
small = torch.arange(9.0).view(1, 1, 3, 3)
for mode in ("constant", "reflect", "replicate", "circular"):
    p = F.pad(small, (1, 2, 2, 1), mode=mode)
    print(mode, tuple(p.shape), p[0, 0, 0].tolist(), p[0, 0, :, 0].tolist())
print("pad value", F.pad(small, (1, 1), value=-1.0)[0, 0, 0].tolist())
print("negative pad crops", F.pad(small, (-1, 0, 0, -1))[0, 0].tolist())
print(nn.ReflectionPad2d(1), nn.ZeroPad2d((1, 0, 0, 1))(small).shape, nn.ConstantPad1d(2, 3.5)(torch.ones(1, 2)).tolist())

pooled, idx = F.max_pool2d(img, 2, return_indices=True)
print("pooled", tuple(pooled.shape), idx.dtype, idx[0, 0, 0].tolist())
restored = F.max_unpool2d(pooled, idx, 2)
print("unpool keeps maxima", torch.equal(restored.amax((2, 3)), img.amax((2, 3))),
      "nonzeros", (restored != 0).sum().item())
unpool = nn.MaxUnpool2d(2)
print("unpool with output_size", tuple(unpool(pooled, idx, output_size=img.shape).shape))
ceil = F.max_pool2d(torch.arange(25.0).view(1, 1, 5, 5), 2, ceil_mode=True)
print("ceil_mode", ceil[0, 0].tolist(), F.avg_pool2d(torch.ones(1, 1, 5, 5), 2, ceil_mode=True, count_include_pad=False)[0, 0].tolist())
print("lp_pool", F.lp_pool2d(small, 2, 2).round(decimals=4).tolist())

ps = nn.PixelShuffle(2)
x = torch.arange(16.0).view(1, 4, 2, 2)
print("pixel shuffle", ps(x)[0, 0].tolist(), "inverse ok", torch.equal(nn.PixelUnshuffle(2)(ps(x)), x))


class DSConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.depth = nn.Conv2d(cin, cin, 3, padding=1, groups=cin, padding_mode="reflect")
        self.point = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return F.relu6(self.point(self.depth(x)))


class SuperRes(nn.Module):
    def __init__(self, scale=2):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.PReLU(8), DSConv(8, 8))
        self.tail = nn.Sequential(nn.Conv2d(8, scale * scale, 3, padding=1), nn.PixelShuffle(scale))

    def forward(self, x):
        base = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        return base + self.tail(self.body(x))


model = SuperRes()
print(model.body[2])
print("depthwise weight", tuple(model.body[2].depth.weight.shape), "groups", model.body[2].depth.groups)
deconv = nn.ConvTranspose2d(1, 1, kernel_size=4, stride=2, padding=1)
print("conv transpose", tuple(deconv(img).shape), "output_padding", tuple(nn.ConvTranspose2d(1, 1, 3, stride=2, output_padding=1)(img).shape))
hr = torch.rand(4, 1, 16, 16)
lr = F.avg_pool2d(hr, 2)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)


def psnr(a, b):
    mse = F.mse_loss(a, b)
    return 10 * torch.log10(1.0 / mse)


def ssim_like(a, b, c1=0.01 ** 2, c2=0.03 ** 2):
    mu_a, mu_b = F.avg_pool2d(a, 3, 1, 1), F.avg_pool2d(b, 3, 1, 1)
    var_a = F.avg_pool2d(a * a, 3, 1, 1) - mu_a ** 2
    var_b = F.avg_pool2d(b * b, 3, 1, 1) - mu_b ** 2
    cov = F.avg_pool2d(a * b, 3, 1, 1) - mu_a * mu_b
    s = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))
    return s.mean()


bicubic = F.interpolate(lr, scale_factor=2, mode="bicubic", align_corners=False).clamp(0, 1)
print(f"bicubic psnr {psnr(bicubic, hr).item():.3f} ssim {ssim_like(bicubic, hr).item():.4f}")
for step in range(40):
    sr = model(lr)
    loss = F.l1_loss(sr, hr)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} l1 {loss.item():.4f}")
model.eval()
with torch.no_grad():
    sr = model(lr).clamp(0, 1)
print(f"model psnr {psnr(sr, hr).item():.3f} ssim {ssim_like(sr, hr).item():.4f}")
print("prelu weights", model.body[1].weight.detach().round(decimals=3).tolist())
print("psnr of identical", psnr(hr, hr).item(), math.isinf(psnr(hr, hr).item()))
