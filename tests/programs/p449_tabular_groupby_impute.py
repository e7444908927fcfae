# Tabular preprocessing with tensors only: missing values as NaN (nanmean / nansum / isnan),
# mean imputation per group with scatter_reduce and index_add, unique with inverse and counts,
# histc / histogram for a numeric column, k-nearest-neighbour imputation with cdist + topk,
# and a small regression head trained with Huber and quantile (pinball) losses.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)
N = 40
group = torch.randint(0, 4, (N,))
x1 = torch.randn(N) + group.float()
x2 = torch.rand(N) * 10
target = 2.0 * x1 - 0.3 * x2 + 0.2 * torch.randn(N)
X = torch.stack([x1, x2], 1)
missing = torch.rand(N, 2) < 0.15
X[missing] = float("nan")
print("missing per column", torch.isnan(X).sum(0).tolist(), "rows with any", torch.isnan(X).any(1).sum().item())
print("nanmean", X.nanmean(0).round(decimals=4).tolist(), "nansum", X.nansum(0).round(decimals=3).tolist(),
      "plain mean", X.mean(0).tolist())
print("nanmedian", [round(v, 4) for v in X.nanmedian(0).values.tolist()], X[:, 0].nanmedian().round(decimals=4))

# group statistics: unique with inverse and counts
groups, inverse, counts = torch.unique(group, sorted=True, return_inverse=True, return_counts=True)
print("groups", groups.tolist(), "counts", counts.tolist(), "inverse ok", torch.equal(groups[inverse], group))
valid = ~torch.isnan(X[:, 0])
sums = torch.zeros(len(groups)).index_add_(0, inverse[valid], X[valid, 0])
n_valid = torch.zeros(len(groups)).index_add_(0, inverse[valid], torch.ones(int(valid.sum())))
group_mean = sums / n_valid
print("group means (index_add)", group_mean.round(decimals=4).tolist())
sr = torch.zeros(len(groups)).scatter_reduce(0, inverse[valid], X[valid, 0], reduce="mean", include_self=False)
print("group means (scatter_reduce)", sr.round(decimals=4).tolist(), torch.allclose(sr, group_mean))
gmax = torch.full((len(groups),), float("-inf")).scatter_reduce(0, inverse[valid], X[valid, 0], reduce="amax")
gmin = torch.zeros(len(groups)).scatter_reduce(0, inverse[valid], X[valid, 0], reduce="amin", include_self=False)
print("group max", gmax.round(decimals=3).tolist(), "group min", gmin.round(decimals=3).tolist())
X_imp = X.clone()
X_imp[:, 0] = torch.where(valid, X[:, 0], group_mean[inverse])

# kNN imputation of column 1 using column 0 (already imputed) as the feature
known = ~torch.isnan(X[:, 1])
d = torch.cdist(X_imp[~known, :1], X_imp[known, :1])
print("cdist", tuple(d.shape), "p=1 equals p=2 in 1-D", torch.allclose(d, torch.cdist(X_imp[~known, :1], X_imp[known, :1], p=1)))
nn_idx = d.topk(3, largest=False).indices
X_imp[~known, 1] = X[known, 1][nn_idx].mean(1)
print("imputed column 1", X_imp[~known, 1].round(decimals=3).tolist())
print("any nan left", torch.isnan(X_imp).any().item())

# histograms
print("histc", torch.histc(X_imp[:, 1], bins=5, min=0, max=10).tolist())
h = torch.histogram(X_imp[:, 1], bins=4)
print("histogram", h.hist.tolist(), [round(v, 3) for v in h.bin_edges.tolist()])
print("bincount weights", torch.bincount(group, weights=target, minlength=4).round(decimals=3).tolist())
print("cummax", torch.cummax(torch.tensor([1.0, 3.0, 2.0, 5.0, 4.0]), 0))

# standardise and fit with Huber + pinball losses
mu, sd = X_imp.mean(0), X_imp.std(0)
Z = (X_imp - mu) / sd
onehot = F.one_hot(group, 4).float()
feats = torch.cat([Z, onehot], 1)
print("features", tuple(feats.shape), feats.dtype)


def pinball(pred, y, q):
    diff = y - pred
    return torch.maximum(q * diff, (q - 1) * diff).mean()


heads = nn.Linear(feats.size(1), 3)  # columns: median fit with Huber, 10% and 90% quantiles
opt = torch.optim.Adam(heads.parameters(), lr=0.05)
for step in range(150):
    out = heads(feats)
    loss = F.huber_loss(out[:, 0], target, delta=1.0) + pinball(out[:, 1], target, 0.1) + pinball(out[:, 2], target, 0.9)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(f"step {step} loss {loss.item():.4f}")
with torch.no_grad():
    out = heads(feats)
cover = ((target >= out[:, 1]) & (target <= out[:, 2])).float().mean().item()
print("final loss", round(loss.item(), 3), "interval coverage", round(cover, 3),
      "ordered", bool((out[:, 1] <= out[:, 2]).all()))
print("smooth_l1 vs huber", round(F.smooth_l1_loss(out[:, 0], target, beta=2.0).item(), 4),
      round(F.huber_loss(out[:, 0], target, delta=2.0).item() / 2.0, 4))
