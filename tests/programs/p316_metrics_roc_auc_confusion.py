# Evaluation metrics by hand: confusion matrix with bincount, per-class precision/recall/F1
# (macro, micro, weighted), ROC curve and AUC by sorting scores (with ties), trapezoid rule,
# PR curve and average precision, log-loss, Brier score, and a threshold sweep.
import torch

torch.manual_seed(41)
torch.set_printoptions(precision=4, sci_mode=False)
C = 3
y_true = torch.randint(0, C, (200,))
logits = torch.randn(200, C) + 1.5 * torch.nn.functional.one_hot(y_true, C)
y_pred = logits.argmax(1)
cm = torch.bincount(y_true * C + y_pred, minlength=C * C).view(C, C)
print("confusion\n", cm)
tp = cm.diag().float()
prec = tp / cm.sum(0).clamp(min=1)
rec = tp / cm.sum(1).clamp(min=1)
f1 = 2 * prec * rec / (prec + rec).clamp(min=1e-12)
support = cm.sum(1).float()
print("precision", prec, "\nrecall", rec, "\nf1", f1)
print(f"macro f1 {f1.mean().item():.4f} weighted f1 {(f1 * support / support.sum()).sum().item():.4f}"
      f" micro f1 (=acc) {(tp.sum() / cm.sum()).item():.4f}")
print("balanced acc", round(rec.mean().item(), 4), "normalised rows\n", cm.float() / cm.sum(1, keepdim=True))

# binary ROC-AUC by sorting
scores = torch.sigmoid(logits[:, 1] - logits[:, 0])
pos = (y_true == 1)
order = torch.argsort(scores, descending=True, stable=True)
s_sorted, p_sorted = scores[order], pos[order].float()
tps = p_sorted.cumsum(0)
fps = (1 - p_sorted).cumsum(0)
# keep the last index of each run of tied scores
distinct = torch.cat([s_sorted[1:] != s_sorted[:-1], torch.tensor([True])])
tpr = torch.cat([torch.zeros(1), tps[distinct] / tps[-1]])
fpr = torch.cat([torch.zeros(1), fps[distinct] / fps[-1]])
auc = torch.trapezoid(tpr, fpr)
print(f"roc points {tpr.numel()} auc {auc.item():.4f}")

# AUC as the Mann-Whitney statistic with average ranks for ties
ranks = torch.empty_like(scores)
ranks[scores.argsort()] = torch.arange(1, 201, dtype=torch.float)
n_pos, n_neg = pos.sum().item(), (~pos).sum().item()
auc_mw = (ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
print(f"mann-whitney auc {auc_mw.item():.4f} agree {abs(auc_mw.item() - auc.item()) < 1e-5}")

# ties: quantised scores
q = (scores * 4).round() / 4
o = torch.argsort(q, descending=True, stable=True)
qs, qp = q[o], pos[o].float()
d = torch.cat([qs[1:] != qs[:-1], torch.tensor([True])])
tpr_q = torch.cat([torch.zeros(1), qp.cumsum(0)[d] / n_pos])
fpr_q = torch.cat([torch.zeros(1), (1 - qp).cumsum(0)[d] / n_neg])
print("tied roc", tpr_q.round(decimals=4).tolist(), f"auc {torch.trapezoid(tpr_q, fpr_q).item():.4f}")

precision_curve = tps / torch.arange(1, 201)
ap = (precision_curve * p_sorted).sum() / n_pos
print(f"average precision {ap.item():.4f}")

probs = torch.softmax(logits, 1)
logloss = -torch.log(probs[torch.arange(200), y_true]).mean()
brier = ((probs - torch.nn.functional.one_hot(y_true, C)) ** 2).sum(1).mean()
print(f"log-loss {logloss.item():.4f} (F.cross_entropy {torch.nn.functional.cross_entropy(logits, y_true).item():.4f}) brier {brier.item():.4f}")

for t in torch.linspace(0.1, 0.9, 5):
    pred = scores >= t
    tp_ = (pred & pos).sum().item()
    fp_ = (pred & ~pos).sum().item()
    fn_ = (~pred & pos).sum().item()
    f1_ = 2 * tp_ / max(2 * tp_ + fp_ + fn_, 1)
    print(f"threshold {t.item():.1f}: tp={tp_:3d} fp={fp_:3d} fn={fn_:3d} f1={f1_:.4f}")
topk_acc = (logits.topk(2, 1).indices == y_true[:, None]).any(1).float().mean()
print(f"top-2 acc {topk_acc.item():.4f}", "histc", torch.histc(scores, bins=5, min=0, max=1))
