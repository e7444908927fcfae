# Random data augmentation written with torch ops (no torchvision): random flips chosen with
# torch.rand masks, random crops from torch.randint offsets, cutout, mixup with a Beta-free
# lambda from torch.rand, gaussian noise; then a quick train step on the augmented batch.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
images = torch.rand(8, 3, 10, 10)
labels = torch.randint(0, 4, (8,))


def random_hflip(x, p=0.5):
    flip = torch.rand(x.size(0)) < p
    x = x.clone()
    x[flip] = x[flip].flip(-1)
    return x, flip


def random_crop(x, size=8, padding=1):
    x = F.pad(x, (padding,) * 4, mode="reflect")
    n, _, h, w = x.shape
    tops = torch.randint(0, h - size + 1, (n,))
    lefts = torch.randint(0, w - size + 1, (n,))
    return torch.stack([x[i, :, t:t + size, l:l + size] for i, (t, l) in
                        enumerate(zip(tops.tolist(), lefts.tolist()))]), tops


def cutout(x, size=3):
    n, _, h, w = x.shape
    cy = torch.randint(0, h, (n,))
    cx = torch.randint(0, w, (n,))
    ys = torch.arange(h).view(1, h, 1)
    xs = torch.arange(w).view(1, 1, w)
    mask = ((ys - cy.view(n, 1, 1)).abs() <= size // 2) & ((xs - cx.view(n, 1, 1)).abs() <= size // 2)
    return x * (~mask).unsqueeze(1).float()


def mixup(x, y, num_classes=4, alpha_lo=0.3):
    lam = alpha_lo + (1 - alpha_lo) * torch.rand(1).item()
    index = torch.randperm(x.size(0))
    y1 = F.one_hot(y, num_classes).float()
    return lam * x + (1 - lam) * x[index], lam * y1 + (1 - lam) * y1[index], lam, index


flipped, which = random_hflip(images)
print("flipped:", which.tolist())
cropped, tops = random_crop(flipped)
print("crop tops:", tops.tolist(), tuple(cropped.shape))
cut = cutout(cropped)
print("zeroed pixels per image:", (cut[:, 0] == 0).sum(dim=(1, 2)).tolist())
mixed, soft, lam, index = mixup(cut, labels)
print(f"lambda {lam:.4f} perm {index.tolist()}")
print(soft[:3])
noisy = mixed + 0.05 * torch.randn_like(mixed)
brightness = 1 + 0.2 * (torch.rand(noisy.size(0), 1, 1, 1) - 0.5)
augmented = (noisy * brightness).clamp(0, 1)
print(augmented[0, 0, :2])

# random erasing of whole channels and pixel dropout with a keep mask
keep = torch.rand(augmented.shape) > 0.1
augmented = augmented * keep
channel_drop = torch.bernoulli(torch.full((8, 3, 1, 1), 0.9))
augmented = augmented * channel_drop
print("kept fraction %.4f" % keep.float().mean().item(), channel_drop.flatten().tolist())

model = nn.Sequential(nn.Conv2d(3, 6, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(6, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(5):
    x, _ = random_hflip(augmented)
    out = model(x)
    loss = torch.sum(-soft * F.log_softmax(out, dim=1), dim=1).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.4f}")
