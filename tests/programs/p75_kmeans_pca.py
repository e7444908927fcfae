# K-means with cdist/argmin/index_add and PCA with SVD / eigh, written with tensor ops.
import numpy as np
import torch

rng = np.random.default_rng(21)
pts = np.concatenate([rng.normal(c, 0.3, size=(20, 2)) for c in ([0, 0], [3, 3], [0, 4])])
X = torch.from_numpy(pts).double()
centroids = X[[0, 20, 40]].clone()
for it in range(5):
    d = torch.cdist(X, centroids)
    assign = d.argmin(dim=1)
    sums = torch.zeros_like(centroids).index_add_(0, assign, X)
    counts = torch.bincount(assign, minlength=3).unsqueeze(1)
    centroids = sums / counts
    inertia = d.gather(1, assign.unsqueeze(1)).pow(2).sum()
    print(it, round(inertia.item(), 4), counts.squeeze(1).tolist())
print(centroids.round(decimals=3))
Xc = X - X.mean(dim=0, keepdim=True)
U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
explained = S ** 2 / (S ** 2).sum()
print(S.round(decimals=4), explained.round(decimals=4))
C = Xc.T @ Xc / (X.shape[0] - 1)
evals, evecs = torch.linalg.eigh(C)
print(evals.flip(0).round(decimals=4), torch.allclose(evals.flip(0), S ** 2 / (X.shape[0] - 1)))
proj = Xc @ Vh.T[:, :1]
print(proj.shape, proj.abs().max().round(decimals=3))
print(torch.allclose(torch.cov(X.T), C))
