# Image operations by hand: interpolate modes, pad modes, unfold/fold, pixel_shuffle,
# affine_grid + grid_sample, and a Sobel filter with conv2d.
import math

import torch
import torch.nn.functional as F

img = torch.arange(16.0).reshape(1, 1, 4, 4)
rgb = torch.linspace(0, 1, 2 * 3 * 5 * 6).reshape(2, 3, 5, 6)
r4 = lambda t: t.round(decimals=4)

r3 = lambda t: t.round(decimals=3)  # bicubic sums 16 products: keep to 3 decimals
for mode in ["nearest", "nearest-exact", "bilinear", "bicubic", "area"]:
    print(mode, r3(F.interpolate(img, size=(3, 5), mode=mode))[0, 0])
for ac in [False, True]:
    print("bilinear ac", ac, r4(F.interpolate(img, scale_factor=1.5, mode="bilinear", align_corners=ac))[0, 0, 1])
    print("bicubic ac", ac, r3(F.interpolate(img, scale_factor=2, mode="bicubic", align_corners=ac))[0, 0, 2])
big = torch.linspace(-1, 1, 12 * 14).reshape(1, 1, 12, 14) ** 2
for mode in ["bilinear", "bicubic"]:
    print(mode, "antialias", r3(F.interpolate(big, size=(5, 4), mode=mode, antialias=True))[0, 0])
    print(mode, "antialias up", r3(F.interpolate(img, scale_factor=1.5, mode=mode, antialias=True))[0, 0, 2])
print(r4(F.interpolate(img, scale_factor=(0.5, 1.5), mode="nearest", recompute_scale_factor=True)).shape)
sig = torch.tensor([[[1.0, 3.0, 2.0, 5.0]]])
print(r4(F.interpolate(sig, size=7, mode="linear")), F.interpolate(sig, scale_factor=2).tolist())
vol = torch.arange(8.0).reshape(1, 1, 2, 2, 2)
print(r4(F.interpolate(vol, size=(3, 3, 3), mode="trilinear", align_corners=True))[0, 0, 1])
up = torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
print(up, up(img).shape, torch.nn.UpsamplingNearest2d(scale_factor=2)(img)[0, 0, 0])

small = torch.arange(6.0).reshape(1, 1, 2, 3)
for mode in ["constant", "reflect", "replicate", "circular"]:
    print(mode, F.pad(small, (2, 1, 1, 1), mode=mode)[0, 0])
print(F.pad(small, (1, 1), value=-1.0)[0, 0], F.pad(small, (0, 0, 0, 0, 1, 0)).shape)
print(F.pad(small, (-1, 0, 0, 1))[0, 0])
print(F.pad(torch.arange(5.0).reshape(1, 1, 5), (2, 2), mode="reflect"))
print(torch.nn.ReflectionPad2d((1, 0, 1, 0))(small), torch.nn.ZeroPad2d(1)(small).shape, torch.nn.ConstantPad1d((0, 2), 3.5)(sig))
print(torch.nn.ReplicationPad1d(2)(sig), torch.nn.CircularPad2d(1)(small)[0, 0, 0])

# unfold / fold: im2col by hand and an average of overlapping patches
cols = F.unfold(img, kernel_size=2, stride=1)
print(cols.shape, cols[0, :, :3])
back = F.fold(cols, output_size=(4, 4), kernel_size=2)
counts = F.fold(torch.ones_like(cols), output_size=(4, 4), kernel_size=2)
print(torch.equal(back / counts, img), counts[0, 0])
cols2 = F.unfold(rgb, kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=2)
print(cols2.shape, r4(cols2.sum()))
unf = torch.nn.Unfold(kernel_size=3, padding=1)
fld = torch.nn.Fold(output_size=(5, 6), kernel_size=3, padding=1)
print(unf, fld, r4(fld(unf(rgb)) / fld(unf(torch.ones_like(rgb))) - rgb).abs().max())
w = torch.arange(2 * 3 * 2 * 3.0).reshape(2, 3 * 2 * 3) / 50
conv_by_unfold = (w @ F.unfold(rgb, (2, 3))).reshape(2, 2, 4, 4)
conv = F.conv2d(rgb, w.reshape(2, 3, 2, 3))
print(torch.allclose(conv_by_unfold, conv, atol=1e-6))
print(rgb.unfold(2, 2, 1).unfold(3, 3, 3).shape)

# pixel shuffle (sub-pixel convolution) and its inverse
ps_in = torch.arange(2 * 8 * 2 * 3.0).reshape(2, 8, 2, 3)
shuf = F.pixel_shuffle(ps_in, 2)
print(shuf.shape, shuf[0, 0, :2])
print(torch.equal(F.pixel_unshuffle(shuf, 2), ps_in), torch.nn.PixelShuffle(2), torch.nn.PixelUnshuffle(2)(shuf).shape)
print(F.channel_shuffle(torch.arange(6.0).reshape(1, 6, 1, 1), 2).flatten() if hasattr(F, "channel_shuffle") else None)
print(torch.nn.ChannelShuffle(3)(torch.arange(6.0).reshape(1, 6, 1, 1)).flatten())

# affine_grid + grid_sample: rotation, translation, flips
theta_rot = torch.tensor([[[math.cos(math.pi / 2), -math.sin(math.pi / 2), 0.0],
                           [math.sin(math.pi / 2), math.cos(math.pi / 2), 0.0]]])
theta_shift = torch.tensor([[[1.0, 0.0, 0.5], [0.0, 1.0, 0.0]]])
for ac in [False, True]:
    grid = F.affine_grid(theta_rot, size=(1, 1, 4, 4), align_corners=ac)
    print("grid", ac, r4(grid[0, 0]))
    for mode in ["bilinear", "nearest", "bicubic"]:
        for pm in ["zeros", "border", "reflection"]:
            out = F.grid_sample(img, F.affine_grid(theta_shift, (1, 1, 4, 4), align_corners=ac),
                                mode=mode, padding_mode=pm, align_corners=ac)
            print(mode, pm, r4(out[0, 0, 1]).tolist())
    print(r4(F.grid_sample(img, grid, align_corners=ac, mode="nearest"))[0, 0])
flip = torch.tensor([[[-1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
print(torch.equal(F.grid_sample(img, F.affine_grid(flip, (1, 1, 4, 4), align_corners=False), align_corners=False),
                  img.flip(-1)))
g3 = F.affine_grid(torch.eye(3, 4).unsqueeze(0), (1, 1, 2, 2, 2), align_corners=False)
print(g3.shape, F.grid_sample(vol, g3, align_corners=False).flatten())

# Sobel edge detection with a fixed kernel
gray = (rgb * torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(1, keepdim=True)
sobel_x = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
kernels = torch.stack([sobel_x, sobel_x.t()]).unsqueeze(1)
edges = F.conv2d(F.pad(gray, (1, 1, 1, 1), mode="replicate"), kernels)
mag = edges.pow(2).sum(1).sqrt()
print(edges.shape, r4(mag[0]))
print(r4(F.avg_pool2d(rgb, 2, ceil_mode=True, count_include_pad=False)[0, 0]))
print(r4(F.max_pool2d(img, 3, stride=1, padding=1))[0, 0])
print(r4(F.adaptive_avg_pool2d(rgb, (2, 4))[1, 2]), r4(F.adaptive_max_pool2d(img, 3))[0, 0])
print(r4(F.lp_pool2d(img, 2, 2))[0, 0], r4(F.avg_pool2d(img, 3, stride=2, padding=1, divisor_override=2))[0, 0])
