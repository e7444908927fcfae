# k-nearest neighbours with torch.cdist and topk: classification by majority vote with
# torch.mode and by distance-weighted bincount, regression, k chosen on a validation split,
# radius neighbours, and a nearest-centroid baseline.
import torch

torch.manual_seed(4)
torch.set_printoptions(precision=4)
C = 3
centers = torch.tensor([[0.0, 0.0], [3.0, 0.5], [1.0, 3.0]])
X = torch.cat([torch.randn(60, 2) + centers[c] for c in range(C)])
y = torch.arange(C).repeat_interleave(60)
perm = torch.randperm(X.shape[0])
X, y = X[perm], y[perm]
Xtr, ytr = X[:120], y[:120]
Xva, yva = X[120:150], y[120:150]
Xte, yte = X[150:], y[150:]
print("splits", Xtr.shape, Xva.shape, Xte.shape, torch.bincount(ytr).tolist())

D = torch.cdist(Xva, Xtr)
print("cdist", D.shape, D.dtype, f"{D.min().item():.4f}")
best_k, best_acc = None, -1.0
for k in (1, 3, 5, 9, 15):
    dist, idx = D.topk(k, dim=1, largest=False)
    votes = ytr[idx]
    pred = torch.mode(votes, dim=1).values
    acc = (pred == yva).float().mean().item()
    print(f"k={k:2d} val acc {acc:.4f} mean neighbour dist {dist.mean().item():.4f}")
    if acc > best_acc:
        best_k, best_acc = k, acc
print("best k", best_k)

Dt = torch.cdist(Xte, Xtr)
dist, idx = Dt.topk(best_k, dim=1, largest=False, sorted=True)
print("sorted ascending", bool((dist[:, 1:] >= dist[:, :-1]).all()) if best_k > 1 else True)
w = 1.0 / (dist + 1e-6)
scores = torch.zeros(Xte.shape[0], C).scatter_add_(1, ytr[idx], w)
pred_w = scores.argmax(1)
print(f"weighted knn test acc {(pred_w == yte).float().mean().item():.4f}")
print("first scores\n", (scores[:3] / scores[:3].sum(1, keepdim=True)))

# regression: predict the distance of a point from the origin
target = Xtr.norm(dim=1)
_, idx5 = Dt.topk(5, dim=1, largest=False)
reg = target[idx5].mean(1)
print(f"knn regression mae {(reg - Xte.norm(dim=1)).abs().mean().item():.4f}")

# radius neighbours
radius = 0.75
within = Dt < radius
print("radius counts", within.sum(1)[:10].tolist(), "isolated", (within.sum(1) == 0).sum().item())

# nearest centroid
cent = torch.stack([Xtr[ytr == c].mean(0) for c in range(C)])
pc = torch.cdist(Xte, cent).argmin(1)
print(f"nearest centroid acc {(pc == yte).float().mean().item():.4f}", cent.round(decimals=2).tolist())
print("argsort equals topk", torch.equal(Dt.argsort(1)[:, :1], Dt.topk(1, 1, largest=False).indices))
print("cdist p=1", torch.cdist(Xte[:2], Xtr[:3], p=1.0).round(decimals=3))
print("kthvalue", torch.kthvalue(Dt[0], 3).values.round(decimals=4), torch.kthvalue(Dt[0], 3).indices)
