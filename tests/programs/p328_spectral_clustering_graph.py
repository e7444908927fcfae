# Spectral clustering: an RBF affinity graph from torch.cdist, k-nearest-neighbour
# sparsification with topk + scatter, the symmetric normalised Laplacian, its smallest
# eigenvectors with torch.linalg.eigh, k-means on the row-normalised embedding, and checks
# with the adjusted-for-permutation accuracy and the eigengap.
import itertools
import math

import torch

torch.manual_seed(99)
n_per = 40
angles = torch.rand(n_per) * 2 * math.pi
inner = torch.stack([torch.cos(angles), torch.sin(angles)], 1) * 1.0
outer = torch.stack([torch.cos(angles), torch.sin(angles)], 1) * 3.0
blob = torch.randn(n_per, 2) * 0.3 + torch.tensor([6.0, 0.0])
X = torch.cat([inner, outer, blob]).double() + 0.05 * torch.randn(3 * n_per, 2, dtype=torch.float64)
truth = torch.arange(3).repeat_interleave(n_per)
N = X.shape[0]

D = torch.cdist(X, X)
sigma = 0.5
W = torch.exp(-D ** 2 / (2 * sigma ** 2))
W.fill_diagonal_(0)
k = 8
_, nn_idx = D.topk(k + 1, dim=1, largest=False)
mask = torch.zeros(N, N, dtype=torch.bool).scatter_(1, nn_idx[:, 1:], True)
mask = mask | mask.T
Wk = W * mask
deg = Wk.sum(1)
print("graph edges", int(mask.sum().item()) // 2, f"degree range {deg.min().item():.4f}..{deg.max().item():.4f}")

Dm = torch.diag(deg.rsqrt())
L = torch.eye(N, dtype=torch.float64) - Dm @ Wk @ Dm
print("laplacian symmetric", torch.allclose(L, L.T), "psd", bool(torch.linalg.eigvalsh(L).min() > -1e-10))
evals, evecs = torch.linalg.eigh(L)
print("smallest eigenvalues", evals[:5].round(decimals=6).abs().tolist())
gaps = evals[1:8] - evals[:7]
print("eigengap suggests k =", gaps.argmax().item() + 1)

U = evecs[:, :3]
U = U / U.norm(dim=1, keepdim=True)


def kmeans(Z, k, iters=50):
    # farthest-point init: deterministic, independent of the eigenvector signs
    cents = [Z[0]]
    for _ in range(k - 1):
        cents.append(Z[torch.cdist(Z, torch.stack(cents)).min(1).values.argmax()])
    C = torch.stack(cents)
    for _ in range(iters):
        lab = torch.cdist(Z, C).argmin(1)
        newC = torch.stack([Z[lab == j].mean(0) for j in range(k)])
        if torch.allclose(newC, C):
            break
        C = newC
    return lab


def best_perm_acc(pred, truth, k):
    return max((torch.tensor(p)[pred] == truth).double().mean().item() for p in itertools.permutations(range(k)))


spec = kmeans(U, 3)
plain = kmeans(X, 3)
print(f"spectral acc {best_perm_acc(spec, truth, 3):.4f} plain k-means acc {best_perm_acc(plain, truth, 3):.4f}")
print("cluster sizes", sorted(torch.bincount(spec, minlength=3).tolist()))

# connected components from the unnormalised Laplacian's null space, no noise edges
comp = (torch.linalg.eigvalsh(torch.diag(mask.sum(1).double()) - mask.double()) < 1e-8).sum()
print("zero eigenvalues (components)", comp.item())

# label propagation from one labelled point per cluster
Y = torch.zeros(N, 3, dtype=torch.float64)
seeds = torch.tensor([0, n_per, 2 * n_per])
Y[seeds, torch.arange(3)] = 1.0
S = Dm @ Wk @ Dm
F_ = Y.clone()
for _ in range(200):
    F_ = 0.99 * S @ F_ + 0.01 * Y
print(f"label propagation acc {(F_.argmax(1) == truth).double().mean().item():.4f}")
