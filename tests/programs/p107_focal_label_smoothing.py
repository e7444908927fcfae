# Hand-written focal loss and label smoothing compared with the built-in label_smoothing argument.
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, gamma=2.0, alpha=None, reduction="mean"):
        super().__init__()
        self.gamma = gamma
        self.alpha = alpha
        self.reduction = reduction

    def forward(self, logits, target):
        logp = F.log_softmax(logits, dim=-1)
        logpt = logp.gather(1, target.unsqueeze(1)).squeeze(1)
        pt = logpt.exp()
        loss = -((1 - pt) ** self.gamma) * logpt
        if self.alpha is not None:
            loss = loss * self.alpha[target]
        if self.reduction == "mean":
            return loss.mean()
        if self.reduction == "sum":
            return loss.sum()
        return loss


class LabelSmoothingCE(nn.Module):
    def __init__(self, smoothing=0.1):
        super().__init__()
        self.smoothing = smoothing

    def forward(self, logits, target):
        n = logits.size(-1)
        logp = logits.log_softmax(dim=-1)
        with torch.no_grad():
            true_dist = torch.zeros_like(logp)
            true_dist.fill_(self.smoothing / (n - 1))
            true_dist.scatter_(1, target.data.unsqueeze(1), 1.0 - self.smoothing)
        return torch.mean(torch.sum(-true_dist * logp, dim=-1))


logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-1.0, 3.0, 0.0], [0.5, 0.5, -2.0]],
                      requires_grad=True)
target = torch.tensor([0, 2, 1, 1])
fl = FocalLoss(gamma=2.0)
print(fl)
loss = fl(logits, target)
print(f"focal: {loss.item():.6f}")
loss.backward()
print(logits.grad)
logits.grad = None
print(FocalLoss(gamma=0.0)(logits, target).item() - F.cross_entropy(logits, target).item() < 1e-6)
alpha = torch.tensor([0.25, 0.5, 0.25])
print(FocalLoss(alpha=alpha, reduction="none")(logits, target))
print(FocalLoss(reduction="sum")(logits, target))
eps = 0.1
ls = LabelSmoothingCE(eps)(logits, target)
print(f"smoothed (hand): {ls.item():.6f}")
# PyTorch's label_smoothing spreads eps over all classes (eps/C), including the true one
builtin = nn.CrossEntropyLoss(label_smoothing=eps)(logits, target)
print(f"smoothed (builtin): {builtin.item():.6f}")
n = logits.size(1)
logp = F.log_softmax(logits, 1)
manual = (1 - eps) * F.nll_loss(logp, target) + eps * (-logp.mean(dim=1)).mean()
print(torch.allclose(manual, builtin), torch.isclose(manual, builtin).item())
w = torch.tensor([1.0, 2.0, 0.5])
print(F.cross_entropy(logits, target, weight=w, label_smoothing=0.2))
print(F.cross_entropy(logits, target, reduction="none", label_smoothing=0.05))
soft_targets = F.one_hot(target, 3).float() * 0.9 + 0.1 / 3
print(F.cross_entropy(logits, soft_targets))
# binary focal loss on logits with BCE
z = torch.tensor([1.5, -0.5, 0.2, -2.0])
y = torch.tensor([1.0, 0.0, 1.0, 1.0])
bce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
p_t = torch.exp(-bce)
binary_focal = (0.25 * (1 - p_t) ** 2 * bce).mean()
print(round(binary_focal.item(), 6), bce)
print(F.binary_cross_entropy_with_logits(z, y, pos_weight=torch.tensor([3.0])))
