# Image augmentation written by hand: flips, rolls, rot90, random-free crops, and
# affine warps through F.affine_grid + F.grid_sample (spatial-transformer style).
import math

import torch
import torch.nn.functional as F

img = torch.arange(2 * 1 * 4 * 5, dtype=torch.float32).view(2, 1, 4, 5)
print(img[0, 0])
print(torch.flip(img, dims=[3])[0, 0])
print(img.flip(-2)[0, 0, 0])
print(torch.fliplr(img[0, 0])[0], torch.flipud(img[0, 0])[0])
print(torch.roll(img, shifts=1, dims=3)[0, 0, 0])
print(torch.roll(img, shifts=(1, -2), dims=(2, 3))[0, 0])
print(torch.roll(torch.arange(6), 2))
print(torch.rot90(img, 1, dims=(2, 3)).shape)
print(torch.rot90(img[0, 0], 1))
print(torch.rot90(img[0, 0], -1)[0])
print(torch.rot90(img[0, 0], 2).equal(img[0, 0].flip(0).flip(1)))

# center and corner crops by slicing, five-crop stacking
def center_crop(x, size):
    h, w = x.shape[-2:]
    top = (h - size) // 2
    left = (w - size) // 2
    return x[..., top:top + size, left:left + size]


print(center_crop(img, 2)[1, 0])
crops = torch.stack([img[..., :2, :2], img[..., :2, -2:], img[..., -2:, :2], img[..., -2:, -2:],
                     center_crop(img, 2)], dim=1)
print(crops.shape)

# padding then cropping (random-crop style with fixed offsets)
padded = F.pad(img, (1, 1, 1, 1), mode="reflect")
print(padded.shape, padded[0, 0, 0])

# identity affine grid reproduces the image (align_corners=False)
theta = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]).unsqueeze(0).repeat(2, 1, 1)
grid = F.affine_grid(theta, img.size(), align_corners=False)
print(grid.shape)
print(grid[0, 0, :, 0])
out = F.grid_sample(img, grid, align_corners=False)
print(torch.allclose(out, img, atol=1e-5))

# horizontal flip through the grid
flip_theta = torch.tensor([[[-1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
flipped = F.grid_sample(img[:1], F.affine_grid(flip_theta, (1, 1, 4, 5), align_corners=False),
                        align_corners=False)
print(torch.allclose(flipped, img[:1].flip(-1), atol=1e-5))

# rotation by 30 degrees and a half-pixel translation, several modes
a = math.radians(30)
rot = torch.tensor([[[math.cos(a), -math.sin(a), 0.1], [math.sin(a), math.cos(a), -0.2]]])
g = F.affine_grid(rot, (1, 1, 4, 5), align_corners=True)
for mode in ["bilinear", "nearest"]:
    for pad in ["zeros", "border", "reflection"]:
        o = F.grid_sample(img[:1], g, mode=mode, padding_mode=pad, align_corners=True)
        print(mode, pad, [round(v, 3) for v in o[0, 0, 1].tolist()])

# scaling down (zoom out) and a differentiable spatial transformer
theta = torch.tensor([[[0.8, 0.1, 0.0], [-0.1, 0.8, 0.05]]], requires_grad=True)
grid = F.affine_grid(theta, (1, 1, 4, 5), align_corners=False)
warped = F.grid_sample(img[:1], grid, mode="bilinear", padding_mode="border", align_corners=False)
loss = (warped - img[:1]).pow(2).mean()
loss.backward()
print(f"{loss.item():.4f}")
print(theta.grad.shape, [round(v, 2) for v in theta.grad.view(-1).tolist()])

# interpolate as a resize augmentation
print(F.interpolate(img[:1], size=(2, 3), mode="bilinear", align_corners=False)[0, 0])
print(F.interpolate(img[:1], scale_factor=2, mode="nearest").shape)

# colour-jitter style brightness/contrast adjustments on a 3-channel image
rgb = torch.linspace(0, 1, 3 * 2 * 2).view(3, 2, 2)
bright = (rgb * 1.2).clamp(0, 1)
mean = rgb.mean(dim=(-3, -2, -1), keepdim=True)
contrast = ((rgb - mean) * 0.5 + mean).clamp(0, 1)
gray = (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2])
print(bright[2], contrast[0], gray)
