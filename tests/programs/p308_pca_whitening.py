# PCA by SVD and by eigendecomposition of the covariance, explained variance, PCA and ZCA
# whitening, reconstruction error vs rank, torch.pca_lowrank, and sign conventions fixed so
# the output does not depend on the LAPACK's choice of signs.
import torch

torch.manual_seed(2)
torch.set_printoptions(precision=4, sci_mode=False)
n, d = 200, 5
latent = torch.randn(n, 2, dtype=torch.float64)
mix = torch.tensor([[2.0, 0.5, 0.0, 1.0, -1.0], [0.0, 1.0, 3.0, -0.5, 0.2]], dtype=torch.float64)
X = latent @ mix + 0.1 * torch.randn(n, d, dtype=torch.float64) + torch.arange(d, dtype=torch.float64)

mean = X.mean(0)
Xc = X - mean
U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
# flip signs so that the largest-|.| entry of each component is positive
signs = torch.sign(Vh[torch.arange(d), Vh.abs().argmax(1)])
Vh = Vh * signs[:, None]
U = U * signs[None, :]
var = S ** 2 / (n - 1)
ratio = var / var.sum()
print("singular values", S)
print("explained ratio", ratio, "cumulative", ratio.cumsum(0)[:3])

cov = torch.cov(Xc.T)
evals, evecs = torch.linalg.eigh(cov)
evals, evecs = evals.flip(0), evecs.flip(1)
evecs = evecs * torch.sign(evecs[evecs.abs().argmax(0), torch.arange(d)])
print("eigh agrees with svd", torch.allclose(evals, var), torch.allclose(evecs.T, Vh, atol=1e-8))

for k in range(1, d + 1):
    Z = Xc @ Vh[:k].T
    rec = Z @ Vh[:k] + mean
    err = (rec - X).pow(2).mean().item()
    print(f"rank {k}: recon mse {err:.6f}")

# PCA whitening: unit covariance
eps = 1e-8
W_pca = Vh.T / torch.sqrt(var + eps)
Zw = Xc @ W_pca
print("pca white cov ~ I", torch.allclose(torch.cov(Zw.T), torch.eye(d, dtype=torch.float64), atol=1e-6))
# ZCA whitening: rotate back, stays closest to the data
W_zca = Vh.T @ torch.diag(1 / torch.sqrt(var + eps)) @ Vh
Zz = Xc @ W_zca
print("zca white cov ~ I", torch.allclose(torch.cov(Zz.T), torch.eye(d, dtype=torch.float64), atol=1e-6),
      "symmetric", torch.allclose(W_zca, W_zca.T))
print(f"zca distance {(Zz - Xc).pow(2).mean().item():.4f} < pca distance {(Zw - Xc).pow(2).mean().item():.4f}")

# torch.pca_lowrank (randomised, seeded) recovers the same top-2 subspace
torch.manual_seed(0)
U2, S2, V2 = torch.pca_lowrank(X, q=2, center=True, niter=4)
print("lowrank S", S2.round(decimals=4), "matches", torch.allclose(S2, S[:2]))
proj_a = Vh[:2].T @ Vh[:2]
proj_b = V2 @ V2.T
print("same subspace", torch.allclose(proj_a, proj_b, atol=1e-8))
print("corrcoef", torch.corrcoef(X.T)[0].round(decimals=3))
print("float32 svd", torch.linalg.svdvals(Xc.float()).round(decimals=2), torch.linalg.svdvals(Xc.float()).dtype)
