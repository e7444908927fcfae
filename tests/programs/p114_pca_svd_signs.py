# PCA via SVD with a sign convention, explained variance, whitening, and low-rank reconstruction.
import torch

torch.set_printoptions(precision=4)
t = torch.linspace(0, 1, 20)
X = torch.stack([t, 2 * t + 0.1 * torch.sin(7 * t), -t + 0.05 * torch.cos(11 * t), 0.3 * torch.sin(3 * t)], dim=1)
X = X.double()
mean = X.mean(dim=0, keepdim=True)
Xc = X - mean
U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
print(U.shape, S.shape, Vh.shape)
# make the largest-magnitude entry of each component positive (like sklearn's svd_flip)
max_idx = Vh.abs().argmax(dim=1)
signs = torch.sign(Vh[torch.arange(Vh.shape[0]), max_idx])
Vh = Vh * signs.unsqueeze(1)
U = U * signs
print("singular values", S)
explained = S ** 2 / (X.shape[0] - 1)
ratio = explained / explained.sum()
print("explained ratio", ratio, ratio.cumsum(0))
print("components", Vh[:2])
scores = Xc @ Vh[:2].T
print(scores[:3])
print(torch.allclose(scores, U[:, :2] * S[:2]))
recon = scores @ Vh[:2] + mean
print(f"rank-2 reconstruction error {torch.linalg.norm(X - recon):.6f}")
print(f"{torch.linalg.matrix_norm(X - recon, ord='fro').item():.6f}")
cov = torch.cov(Xc.T)
evals, evecs = torch.linalg.eigh(cov)
print(evals.flip(0)[:2], torch.allclose(evals.flip(0), explained, atol=1e-10))
whitened = scores / S[:2] * (X.shape[0] - 1) ** 0.5
print(torch.cov(whitened.T).round(decimals=6) + 0.0)  # (+ 0.0: no -0. from rounding noise)
print(torch.linalg.svdvals(Xc), torch.linalg.matrix_rank(Xc), torch.linalg.matrix_rank(Xc[:, :2]))
U2, S2, V2 = torch.svd(Xc)
print(V2.shape, torch.allclose(S2, S), torch.allclose((U2 * S2) @ V2.T, Xc))
Uf, Sf, Vhf = torch.linalg.svd(Xc)
print(Uf.shape, Vhf.shape)
print(torch.dist(Uf[:, :4].abs(), U.abs()) < 1e-8)
