# Image-style code on sklearn's 8x8 digits: unfold-based patch extraction, augmentation with
# flips / rolls / F.interpolate / F.grid_sample (a small random affine), a tiny ResNet with
# BatchNorm and AdaptiveAvgPool2d, evaluation with model.eval() + torch.inference_mode(), and a
# confusion matrix built with torch.bincount.
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.manual_seed(0)
digits = load_digits()
X = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
y = torch.tensor(digits.target)
print("data", tuple(X.shape), X.dtype, y.dtype, "range", X.min().item(), X.max().item())
perm = torch.randperm(len(X))
train_idx, test_idx = perm[:600], perm[1500:1700]
Xtr, ytr, Xte, yte = X[train_idx], y[train_idx], X[test_idx], y[test_idx]

# patches with unfold: (N, C*k*k, L) -> (N, L, C*k*k)
patches = F.unfold(Xtr[:2], kernel_size=4, stride=4)
print("unfold", tuple(patches.shape), "-> tokens", tuple(patches.transpose(1, 2).shape))
back = F.fold(patches, output_size=(8, 8), kernel_size=4, stride=4)
print("fold roundtrip exact", torch.equal(back, Xtr[:2]))
over = F.fold(F.unfold(Xtr[:1], 3, padding=1), (8, 8), 3, padding=1)
print("overlap counts", (over / Xtr[:1]).nan_to_num(0.0)[0, 0, :3, :3].round(decimals=3))
t = Xtr[:1].unfold(2, 4, 2).unfold(3, 4, 2)
print("tensor.unfold", tuple(t.shape), t.is_contiguous())


def augment(x, gen):
    n = x.size(0)
    flip = torch.rand(n, generator=gen) < 0.5
    x = torch.where(flip.view(n, 1, 1, 1), x.flip(-1), x)
    shift = int(torch.randint(-1, 2, (1,), generator=gen))
    x = torch.roll(x, shifts=shift, dims=2)
    angle = (torch.rand(n, generator=gen) - 0.5) * 0.4
    scale = 1.0 + (torch.rand(n, generator=gen) - 0.5) * 0.2
    cos, sin = torch.cos(angle) * scale, torch.sin(angle) * scale
    theta = torch.stack([torch.stack([cos, -sin, torch.zeros(n)], 1),
                         torch.stack([sin, cos, torch.zeros(n)], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


gen = torch.Generator().manual_seed(3)
aug = augment(Xtr[:4], gen)
print("augmented", tuple(aug.shape), round(aug.sum().item(), 3), round(aug.std().item(), 4))
up = F.interpolate(Xtr[:2], scale_factor=2, mode="bilinear", align_corners=False)
up_n = F.interpolate(Xtr[:2], size=(12, 12), mode="nearest")
down = F.interpolate(up, size=(8, 8), mode="area")
print("interp", tuple(up.shape), tuple(up_n.shape), "area back err", round((down - Xtr[:2]).abs().max().item(), 4))
print("bicubic", round(F.interpolate(Xtr[:1], scale_factor=1.5, mode="bicubic", align_corners=True).sum().item(), 3))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = nn.Sequential()
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.short(x))


class TinyResNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True))
        self.layer1 = BasicBlock(8, 8)
        self.layer2 = BasicBlock(8, 16, stride=2)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(16, classes)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


model = TinyResNet()
print(model.layer2)
print("params", sum(p.numel() for p in model.parameters()),
      "buffers", [n for n, _ in model.named_buffers()][:3])
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
for epoch in range(3):
    model.train()
    order = torch.randperm(len(Xtr), generator=gen)
    total = 0.0
    for b in order.split(100):
        xb = augment(Xtr[b], gen)
        loss = F.cross_entropy(model(xb), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(b)
    print(f"epoch {epoch} loss {total / len(Xtr):.4f}")

model.eval()
with torch.inference_mode():
    logits = model(Xte)
    pred = logits.argmax(1)
print("inference tensor", logits.is_inference(), logits.requires_grad)
conf = torch.bincount(yte * 10 + pred, minlength=100).reshape(10, 10)
print(conf)
print("accuracy", round((conf.diag().sum() / conf.sum()).item(), 4),
      "per-class recall", (conf.diag() / conf.sum(1).clamp(min=1)).round(decimals=2).tolist())
try:
    logits.add_(1)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    (logits * torch.ones(1, requires_grad=True)).sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
print("bn1 running var", model.layer1.bn1.running_var[:4].round(decimals=3))
