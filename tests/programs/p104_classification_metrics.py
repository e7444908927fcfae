# Evaluation metrics by hand: confusion matrix via bincount, precision/recall/F1, top-k, ROC AUC.
import torch
import torch.nn.functional as F

num_classes = 4
logits = torch.tensor([
    [2.0, 0.1, -1.0, 0.3],
    [0.2, 1.5, 0.3, -0.2],
    [0.1, 0.2, 0.3, 2.2],
    [1.1, 1.0, 0.2, 0.1],
    [-0.5, 0.3, 1.9, 0.0],
    [0.3, 2.1, 0.2, 0.4],
    [0.0, 0.1, 0.2, 0.3],
    [1.7, -0.2, 0.4, 0.9],
])
targets = torch.tensor([0, 1, 3, 1, 2, 1, 2, 3])
preds = logits.argmax(dim=1)
print("preds", preds)
cm = torch.bincount(targets * num_classes + preds, minlength=num_classes ** 2).reshape(num_classes, num_classes)
print(cm)
tp = cm.diag()
fp = cm.sum(0) - tp
fn = cm.sum(1) - tp
precision = tp.float() / (tp + fp).clamp(min=1)
recall = tp.float() / (tp + fn).clamp(min=1)
f1 = 2 * precision * recall / (precision + recall).clamp(min=1e-8)
print("precision", precision)
print("recall", recall)
print("f1", f1, "macro", f1.mean().item())
print(f"accuracy: {(preds == targets).float().mean().item():.4f}")
_, top2 = logits.topk(2, dim=1)
correct = top2.eq(targets.view(-1, 1).expand_as(top2))
print("top2", correct.any(dim=1).sum().item(), correct.float().sum(0))
probs = F.softmax(logits, dim=1)
print(probs.max(dim=1))
# binary AUC for class 1 vs rest using the rank statistic
scores = probs[:, 1]
labels = (targets == 1).long()
order = torch.argsort(scores, descending=True)
sorted_labels = labels[order]
tps = torch.cumsum(sorted_labels, 0).float()
fps = torch.cumsum(1 - sorted_labels, 0).float()
tpr = tps / tps[-1]
fpr = fps / fps[-1]
tpr = torch.cat([torch.zeros(1), tpr])
fpr = torch.cat([torch.zeros(1), fpr])
auc = torch.trapz(tpr, fpr)
print("auc", round(auc.item(), 4), torch.trapezoid(tpr, x=fpr).item() == auc.item())
ranks = scores.argsort().argsort().float() + 1
n_pos = labels.sum()
n_neg = len(labels) - n_pos
auc2 = (ranks[labels.bool()].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
print("auc (rank)", f"{auc2.item():.4f}")
# per-class support and a balanced accuracy
support = torch.bincount(targets, minlength=num_classes)
print(support, support.tolist(), (recall * (support > 0)).sum() / (support > 0).sum())
onehot = F.one_hot(preds, num_classes)
print(onehot.sum(0), onehot.dtype, torch.unique(preds, return_counts=True))
print(torch.histc(scores, bins=4, min=0, max=1))
