# Decoder-side layers of UNet / super-resolution code: ConvTranspose{1,2,3}d with stride,
# output_padding, groups, dilation and the output_size= call argument; F.interpolate with every
# mode, align_corners, scale_factor vs size, recompute_scale_factor, antialias; nn.Upsample and
# nn.UpsamplingBilinear2d reprs; PixelShuffle / PixelUnshuffle round trips; gradients.
import torch
import torch.nn as nn
import torch.nn.functional as F


def r(t):
    return round(float(t), 4)


def s(t):
    # sums printed in float64 so that the order of float32 additions cannot show
    return round(float(t.detach().double().sum()), 4)


torch.manual_seed(0)
x = torch.randn(2, 4, 5, 7, requires_grad=True)

for kw in [dict(stride=2), dict(stride=2, output_padding=1), dict(stride=3, padding=1, output_padding=2),
           dict(stride=2, groups=2), dict(stride=2, dilation=2, padding=2, output_padding=1),
           dict(stride=(2, 1), padding=(1, 0), output_padding=(1, 0))]:
    torch.manual_seed(1)
    ct = nn.ConvTranspose2d(4, 6, 3, **kw)
    y = ct(x)
    print(ct, tuple(y.shape), s(y), r(y.abs().mean()))

torch.manual_seed(2)
ct = nn.ConvTranspose2d(4, 3, 4, stride=2, padding=1, bias=False)
print(ct)
for size in [(10, 14), (11, 15)]:
    y = ct(x, output_size=size)
    print("output_size", size, tuple(y.shape), s(y))
y = ct(x, output_size=[2, 3, 11, 14])
print("output_size 4d", tuple(y.shape))
y.pow(2).mean().backward()
print("ct grad", r(ct.weight.grad.norm()), r(x.grad.norm()))

torch.manual_seed(3)
c1 = nn.ConvTranspose1d(3, 2, 5, stride=3, padding=2, output_padding=1)
z = torch.randn(2, 3, 8)
print(c1, tuple(c1(z).shape), s(c1(z)))
c3 = nn.ConvTranspose3d(2, 2, (2, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), output_padding=(0, 1, 1))
v = torch.randn(1, 2, 3, 4, 4)
print(c3, tuple(c3(v).shape), s(c3(v)))

img = torch.randn(1, 2, 4, 6)
for mode in ["nearest", "nearest-exact", "bilinear", "bicubic", "area"]:
    for sz in [(7, 9), (3, 4)]:
        if mode in ("bilinear", "bicubic"):
            for ac in (False, True):
                y = F.interpolate(img, size=sz, mode=mode, align_corners=ac)
                print(mode, sz, ac, s(y), r(y[0, 1, -1, -1]))
        else:
            y = F.interpolate(img, size=sz, mode=mode)
            print(mode, sz, s(y), r(y[0, 1, -1, -1]))
for sf in [1.5, 2, (0.5, 1.7)]:
    for mode in ["nearest", "bilinear"]:
        y = F.interpolate(img, scale_factor=sf, mode=mode)
        y2 = F.interpolate(img, scale_factor=sf, mode=mode, recompute_scale_factor=True)
        print("sf", sf, mode, tuple(y.shape), s(y), s(y2))
y = F.interpolate(img, size=(2, 3), mode="bilinear", antialias=True)
print("antialias", s(y), r(y[0, 0, 1, 2]))
y = F.interpolate(img, size=(2, 3), mode="bicubic", antialias=True)
print("antialias bicubic", s(y))
seq = torch.randn(2, 3, 5)
print("linear", r(F.interpolate(seq, size=8, mode="linear").sum()), r(F.interpolate(seq, scale_factor=2, mode="linear", align_corners=True).sum()))
print("nearest 1d", F.interpolate(seq, size=3).shape, s(F.interpolate(seq, size=3)))
vol = torch.randn(1, 1, 2, 3, 4)
print("trilinear", r(F.interpolate(vol, size=(3, 4, 5), mode="trilinear").sum()), r(F.interpolate(vol, scale_factor=2, mode="trilinear", align_corners=True).sum()))
print("nearest 3d", s(F.interpolate(vol, scale_factor=(1, 2, 0.5))))

ups = [nn.Upsample(scale_factor=2, mode="nearest"), nn.Upsample(size=(8, 8), mode="bilinear", align_corners=False),
       nn.Upsample(scale_factor=(2.0, 3.0), mode="bicubic", align_corners=True), nn.UpsamplingBilinear2d(scale_factor=2),
       nn.UpsamplingNearest2d(size=5)]
for u in ups:
    print(u, tuple(u(img).shape), s(u(img)))

ps = nn.PixelShuffle(2)
pu = nn.PixelUnshuffle(2)
print(ps, pu)
a = torch.arange(2 * 8 * 3 * 2, dtype=torch.float32).view(2, 8, 3, 2)
b = ps(a)
print(tuple(b.shape), b[0, 0].tolist(), torch.equal(pu(b), a))
print(F.pixel_shuffle(torch.arange(9.).view(1, 9, 1, 1), 3)[0, 0].tolist())

# a small sub-pixel decoder trained one step
torch.manual_seed(4)
dec = nn.Sequential(nn.Conv2d(4, 16, 3, padding=1), nn.ReLU(), nn.PixelShuffle(2),
                    nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1),
                    nn.Upsample(scale_factor=0.5, mode="bilinear"))
opt = torch.optim.Adam(dec.parameters(), lr=1e-2)
inp = torch.randn(2, 4, 3, 3)
tgt = torch.randn(2, 2, 6, 6)
for step in range(2):
    opt.zero_grad()
    out = dec(inp)
    loss = F.mse_loss(out, tgt)
    loss.backward()
    print("step", step, tuple(out.shape), r(loss), r(dec[3].weight.grad.norm()), r(dec[0].weight.grad.norm()))
    opt.step()
