# Data-augmentation tricks from classification training scripts: mixup with
# torch.distributions.Beta, cutmix with a seeded numpy RandomState (rand_bbox), soft-target
# cross entropy, label smoothing (nn.CrossEntropyLoss and by hand), one-hot with F.one_hot.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def rand_bbox(size, lam, rng):
    W = size[2]
    H = size[3]
    cut_rat = np.sqrt(1.0 - lam)
    cut_w = int(W * cut_rat)
    cut_h = int(H * cut_rat)
    # uniform
    cx = rng.randint(W)
    cy = rng.randint(H)
    bbx1 = np.clip(cx - cut_w // 2, 0, W)
    bby1 = np.clip(cy - cut_h // 2, 0, H)
    bbx2 = np.clip(cx + cut_w // 2, 0, W)
    bby2 = np.clip(cy + cut_h // 2, 0, H)
    return bbx1, bby1, bbx2, bby2


def mixup_data(x, y, alpha=1.0, beta_dist=None):
    lam = beta_dist.sample().item() if alpha > 0 else 1.0
    batch_size = x.size()[0]
    index = torch.randperm(batch_size)
    mixed_x = lam * x + (1 - lam) * x[index, :]
    y_a, y_b = y, y[index]
    return mixed_x, y_a, y_b, lam


def mixup_criterion(criterion, pred, y_a, y_b, lam):
    return lam * criterion(pred, y_a) + (1 - lam) * criterion(pred, y_b)


class SoftTargetCrossEntropy(nn.Module):
    def forward(self, x, target):
        loss = torch.sum(-target * F.log_softmax(x, dim=-1), dim=-1)
        return loss.mean()


class LabelSmoothingCrossEntropy(nn.Module):
    def __init__(self, smoothing=0.1):
        super().__init__()
        assert smoothing < 1.0
        self.smoothing = smoothing
        self.confidence = 1.0 - smoothing

    def forward(self, x, target):
        logprobs = F.log_softmax(x, dim=-1)
        nll_loss = -logprobs.gather(dim=-1, index=target.unsqueeze(1))
        nll_loss = nll_loss.squeeze(1)
        smooth_loss = -logprobs.mean(dim=-1)
        loss = self.confidence * nll_loss + self.smoothing * smooth_loss
        return loss.mean()


def one_hot_mix(target, num_classes, lam=1.0, smoothing=0.0):
    off_value = smoothing / num_classes
    on_value = 1.0 - smoothing + off_value
    y1 = torch.full((target.size(0), num_classes), off_value).scatter_(1, target.long().view(-1, 1), on_value)
    y2 = torch.full((target.size(0), num_classes), off_value).scatter_(1, target.flip(0).long().view(-1, 1), on_value)
    return y1 * lam + y2 * (1.0 - lam)


torch.manual_seed(0)
x = torch.randn(6, 3, 8, 8)
y = torch.tensor([0, 1, 2, 3, 4, 0])
beta = torch.distributions.Beta(torch.tensor([0.4]), torch.tensor([0.4]))
print(beta, beta.mean, beta.variance.round(decimals=4))
mx, ya, yb, lam = mixup_data(x, y, alpha=0.4, beta_dist=beta)
print(f"mixup lam={lam:.6f}", ya.tolist(), yb.tolist(), f"{mx.sum().item():.4f}")
print("beta samples:", torch.distributions.Beta(2.0, 5.0).sample((4,)))
print("beta log_prob:", torch.distributions.Beta(torch.tensor(2.0), torch.tensor(5.0)).log_prob(torch.tensor([0.1, 0.5, 0.9])))

rng = np.random.RandomState(42)
lam = rng.beta(1.0, 1.0)
bbx1, bby1, bbx2, bby2 = rand_bbox(x.size(), lam, rng)
rand_index = torch.randperm(x.size()[0])
x_cut = x.clone()
x_cut[:, :, bbx1:bbx2, bby1:bby2] = x[rand_index, :, bbx1:bbx2, bby1:bby2]
lam_adj = 1 - ((bbx2 - bbx1) * (bby2 - bby1) / (x.size()[-1] * x.size()[-2]))
print(f"cutmix lam={lam:.6f} box=({bbx1},{bby1},{bbx2},{bby2}) adj={lam_adj:.6f}", rand_index.tolist())
print("changed pixels:", (x_cut != x).sum().item())

torch.manual_seed(1)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 5))
logits = model(mx)
crit = nn.CrossEntropyLoss()
print(f"mixup loss {mixup_criterion(crit, logits, ya, yb, lam).item():.5f}")
soft = one_hot_mix(y, 5, lam=0.7, smoothing=0.1)
print(soft)
print(f"soft CE {SoftTargetCrossEntropy()(logits, soft).item():.5f}")
print(f"CE prob targets {F.cross_entropy(logits, soft).item():.5f}")
ls = LabelSmoothingCrossEntropy(0.1)(logits, y)
ref = nn.CrossEntropyLoss(label_smoothing=0.1)(logits, y)
print(f"label smoothing by hand {ls.item():.5f} builtin {ref.item():.5f}")
print(f"smoothing+weights {F.cross_entropy(logits, y, weight=torch.tensor([1.0, 2, 1, 1, 0.5]), label_smoothing=0.2).item():.5f}")
print(f"smoothing+ignore {F.cross_entropy(logits, torch.tensor([0, -100, 2, 3, 4, 0]), label_smoothing=0.2).item():.5f}")
print(F.one_hot(y, num_classes=6), F.one_hot(torch.tensor([[1], [2]])).shape)

np.random.seed(3)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    r = np.random.rand(1)
    if r < 0.5:
        lam = np.random.beta(1.0, 1.0)
        idx = torch.randperm(x.size(0))
        inp = lam * x + (1 - lam) * x[idx]
        loss = mixup_criterion(crit, model(inp), y, y[idx], lam)
    else:
        loss = crit(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
