# Custom losses from papers: focal, dice, distillation, NT-Xent (SimCLR), center/triplet mining.
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, alpha=0.25, gamma=2.0, reduction="mean"):
        super().__init__()
        self.alpha, self.gamma, self.reduction = alpha, gamma, reduction

    def forward(self, inputs, targets):
        ce_loss = F.cross_entropy(inputs, targets, reduction="none")
        pt = torch.exp(-ce_loss)
        loss = self.alpha * (1 - pt) ** self.gamma * ce_loss
        return loss.mean() if self.reduction == "mean" else loss.sum()


def dice_loss(logits, target, smooth=1.0):
    probs = torch.sigmoid(logits)
    num = 2 * (probs * target).sum(dim=(1, 2)) + smooth
    den = probs.sum(dim=(1, 2)) + target.sum(dim=(1, 2)) + smooth
    return 1 - (num / den).mean()


def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.7):
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=1), F.softmax(teacher_logits / T, dim=1),
                    reduction="batchmean") * (T * T)
    hard = F.cross_entropy(student_logits, labels)
    return alpha * soft + (1 - alpha) * hard


def nt_xent(z1, z2, temperature=0.5):
    batch_size = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    sim = torch.mm(z, z.t()) / temperature
    mask = torch.eye(2 * batch_size, dtype=torch.bool)
    sim = sim.masked_fill(mask, -9e15)
    targets = torch.cat([torch.arange(batch_size, 2 * batch_size), torch.arange(0, batch_size)])
    return F.cross_entropy(sim, targets)


def batch_hard_triplet(emb, labels, margin=0.3):
    dist = torch.cdist(emb, emb)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    hardest_pos = (dist * same.float()).max(dim=1)[0]
    hardest_neg = dist.masked_fill(same, float("inf")).min(dim=1)[0]
    return F.relu(hardest_pos - hardest_neg + margin).mean()


logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.3, 0.2], [-0.5, 1.5, 0.0], [1.0, 1.0, 1.0]],
                      requires_grad=True)
labels = torch.tensor([0, 2, 1, 1])
fl = FocalLoss()(logits, labels)
fl.backward()
print(f"focal {fl.item():.4f}", logits.grad.round(decimals=4))
seg = torch.linspace(-2, 2, 32).reshape(2, 4, 4)
mask = (torch.arange(32).reshape(2, 4, 4) % 3 == 0).float()
print(f"dice {dice_loss(seg, mask).item():.4f}")
teacher = torch.tensor([[3.0, 0.0, -1.0], [0.0, 0.5, 2.0], [0.0, 2.0, 0.5], [0.5, 1.0, 0.2]])
print(f"distill {distillation_loss(logits, teacher, labels).item():.4f}")
z1 = torch.sin(torch.arange(12.0)).reshape(3, 4)
z2 = torch.cos(torch.arange(12.0)).reshape(3, 4)
print(f"nt-xent {nt_xent(z1, z2).item():.4f}")
emb = torch.tensor([[0.0, 1.0], [0.1, 0.9], [1.0, 0.0], [0.9, 0.2], [0.5, 0.5]])
print(f"triplet {batch_hard_triplet(emb, torch.tensor([0, 0, 1, 1, 0])).item():.4f}")
bce = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0]))
print(f"weighted bce {bce(torch.tensor([0.5, -1.0, 2.0]), torch.tensor([1.0, 0.0, 1.0])).item():.4f}")
ce = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]), label_smoothing=0.05)
print(f"weighted smoothed ce {ce(logits, labels).item():.4f}")
