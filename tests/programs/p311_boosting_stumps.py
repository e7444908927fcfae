# AdaBoost with decision stumps, vectorised in torch: every (feature, threshold, polarity)
# stump scored at once with broadcasting, weighted error with the sample weights, alpha
# updates, staged training/test accuracy; then gradient boosting of stumps for regression.
import math

import torch

torch.manual_seed(8)
n = 240
X = torch.rand(n, 3) * 4 - 2
y = torch.where((X[:, 0] ** 2 + X[:, 1] ** 2) < 1.5, 1.0, -1.0)
flip = torch.rand(n) < 0.05
y[flip] = -y[flip]
Xtr, ytr, Xte, yte = X[:160], y[:160], X[160:], y[160:]
print("positives", (ytr > 0).sum().item(), (yte > 0).sum().item())

# candidate thresholds: midpoints of sorted unique values per feature (subsampled)
thr = torch.quantile(Xtr, torch.linspace(0.02, 0.98, 25), dim=0).T  # features x 25
print("thresholds", thr.shape)


def stump_predict(X, f, t, s):
    return s * torch.where(X[:, f] > t, 1.0, -1.0)


def fit_stump(X, y, w):
    # preds: features x thresholds x samples
    preds = torch.where(X.T[:, None, :] > thr[:, :, None], 1.0, -1.0)
    err_pos = ((preds != y) * w).sum(-1)
    err = torch.stack([err_pos, w.sum() - err_pos])  # polarity +1 / -1
    flat = err.argmin()
    s_idx, f, t_idx = torch.unravel_index(flat, err.shape)
    return f.item(), thr[f, t_idx].item(), 1.0 if s_idx.item() == 0 else -1.0, err.flatten()[flat].item()


w = torch.full((160,), 1.0 / 160)
stumps = []
F_tr = torch.zeros(160)
F_te = torch.zeros(80)
for m in range(30):
    f, t, s, e = fit_stump(Xtr, ytr, w)
    e = max(e, 1e-10)
    alpha = 0.5 * math.log((1 - e) / e)
    h = stump_predict(Xtr, f, t, s)
    w = w * torch.exp(-alpha * ytr * h)
    w = w / w.sum()
    stumps.append((f, t, s, alpha))
    F_tr += alpha * h
    F_te += alpha * stump_predict(Xte, f, t, s)
    if m % 5 == 4:
        tr = (F_tr.sign() == ytr).float().mean().item()
        te = (F_te.sign() == yte).float().mean().item()
        print(f"round {m + 1:2d} stump(f={f}, t={t:+.3f}, s={s:+.0f}) err {e:.4f} alpha {alpha:.4f}"
              f" train {tr:.4f} test {te:.4f}")
print("feature use", torch.bincount(torch.tensor([s[0] for s in stumps]), minlength=3).tolist())
print(f"max weight {w.max().item():.4f} exp-loss {torch.exp(-ytr * F_tr).mean().item():.4f}")

# gradient boosting for regression with squared loss: each stump fits the residual
yr = torch.sin(2 * X[:, 0]) + 0.3 * X[:, 2]
pred = torch.full_like(yr, yr.mean().item())
lr = 0.3
for m in range(40):
    r = yr - pred
    best = None
    for f in range(3):
        above = X[:, f][None, :] > thr[f][:, None]  # thresholds x n
        cnt_a = above.sum(1).clamp(min=1)
        cnt_b = (~above).sum(1).clamp(min=1)
        mean_a = (r * above).sum(1) / cnt_a
        mean_b = (r * ~above).sum(1) / cnt_b
        fitted = torch.where(above, mean_a[:, None], mean_b[:, None])
        sse = ((r - fitted) ** 2).sum(1)
        i = sse.argmin()
        if best is None or sse[i] < best[0]:
            best = (sse[i], f, i, fitted[i])
    pred = pred + lr * best[3]
    if m % 10 == 9:
        print(f"gb round {m + 1} mse {((yr - pred) ** 2).mean().item():.5f} feature {best[1]}")
