# A small CNN classifier with BatchNorm2d, Dropout2d and AdaptiveAvgPool2d on synthetic
# "bars" images; evaluation with a confusion matrix, per-class precision/recall and top-k.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
rng = np.random.default_rng(0)


def make_images(n):
    # class 0: horizontal bar, 1: vertical bar, 2: diagonal
    imgs = np.zeros((n, 1, 8, 8), dtype=np.float32)
    labels = np.arange(n) % 3
    for i, c in enumerate(labels):
        k = rng.integers(1, 7)
        if c == 0:
            imgs[i, 0, k, :] = 1.0
        elif c == 1:
            imgs[i, 0, :, k] = 1.0
        else:
            np.fill_diagonal(imgs[i, 0], 1.0)
    imgs += 0.1 * rng.standard_normal(imgs.shape).astype(np.float32)
    return torch.from_numpy(imgs), torch.from_numpy(labels).long()


x_train, y_train = make_images(96)
x_test, y_test = make_images(30)
print(x_train.shape, x_train.dtype, y_train[:6])


class Net(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1, bias=False),
            nn.BatchNorm2d(8),
            nn.ReLU(inplace=True),
            nn.Dropout2d(0.1),
            nn.Conv2d(8, 16, 3, padding=1, bias=False),
            nn.BatchNorm2d(16),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.AdaptiveAvgPool2d((1, 1)),
        )
        self.classifier = nn.Linear(16, n_classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


model = Net()
print(model)
for m in model.modules():
    if isinstance(m, nn.Conv2d):
        with torch.no_grad():
            m.weight.copy_(torch.sin(torch.arange(m.weight.numel()) * 0.77).view_as(m.weight) * 0.5)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.constant_(m.weight, 1)
        nn.init.constant_(m.bias, 0)
    elif isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.01)
        nn.init.zeros_(m.bias)
n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
print("trainable params:", n_params)
print([name for name, _ in model.named_buffers()][:3])

# Dropout2d zeroes whole channels in training mode
drop = nn.Dropout2d(0.5)
out = drop(torch.ones(4, 6, 3, 3))
per_channel = out.view(4, 6, -1)
print(bool(((per_channel == 0).all(-1) | (per_channel == 2).all(-1)).all()))
drop.eval()
print(torch.equal(drop(torch.ones(2, 2, 2, 2)), torch.ones(2, 2, 2, 2)))

# train with dropout turned off so that the run is reproducible across frameworks
model.features[3].p = 0.0
loader = DataLoader(TensorDataset(x_train, y_train), batch_size=16, shuffle=False)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
for epoch in range(6):
    model.train()
    running, correct = 0.0, 0
    for xb, yb in loader:
        opt.zero_grad()
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        loss.backward()
        opt.step()
        running += loss.item() * xb.size(0)
        correct += (logits.argmax(1) == yb).sum().item()
    sched.step()
    print(f"epoch {epoch} loss {running / len(x_train):.3f} acc {correct / len(x_train):.3f} "
          f"lr {sched.get_last_lr()[0]:.4f}")

bn = model.features[1]
print("bn batches tracked:", bn.num_batches_tracked.item())
print(bn.running_mean.shape, bn.running_var.dtype)

model.eval()
with torch.no_grad():
    logits = model(x_test)
    preds = logits.argmax(dim=1)
conf = torch.zeros(3, 3, dtype=torch.int64)
for t, p in zip(y_test, preds):
    conf[t, p] += 1
print(conf)
conf2 = torch.bincount(y_test * 3 + preds, minlength=9).view(3, 3)
print(torch.equal(conf, conf2))
tp = conf.diag().float()
precision = tp / conf.sum(0).clamp(min=1).float()
recall = tp / conf.sum(1).clamp(min=1).float()
f1 = 2 * precision * recall / (precision + recall).clamp(min=1e-8)
print("precision", [round(v, 3) for v in precision.tolist()])
print("recall", [round(v, 3) for v in recall.tolist()])
print("macro f1", round(f1.mean().item(), 3))
top2 = logits.topk(2, dim=1).indices
print("top-2 acc:", (top2 == y_test.unsqueeze(1)).any(1).float().mean().item())
