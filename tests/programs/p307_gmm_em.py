# Gaussian mixture model fitted by expectation-maximisation in float64: responsibilities with
# logsumexp, weighted means and full covariances, log-likelihood that never decreases, and
# comparison with torch.distributions.MixtureSameFamily's log_prob.
import torch
from torch.distributions import Categorical, MixtureSameFamily, MultivariateNormal

torch.manual_seed(5)
true_means = torch.tensor([[0.0, 0.0], [4.0, 4.0], [-3.0, 4.0]], dtype=torch.float64)
counts = [120, 80, 100]
pts = []
for k, c in enumerate(counts):
    A = torch.randn(2, 2, dtype=torch.float64) * 0.6
    pts.append(torch.randn(c, 2, dtype=torch.float64) @ A + true_means[k])
X = torch.cat(pts)
N, D = X.shape
K = 3
print("data", X.shape, X.dtype, X.mean(0).round(decimals=4).tolist())

# initialise with k-means++ style deterministic picks: the farthest-point heuristic
centers = [X[0]]
for _ in range(K - 1):
    d = torch.cdist(X, torch.stack(centers)).min(1).values
    centers.append(X[d.argmax()])
mu = torch.stack(centers)
cov = torch.eye(D, dtype=torch.float64).repeat(K, 1, 1)
pi = torch.full((K,), 1.0 / K, dtype=torch.float64)


def log_gauss(X, mu, cov):
    L = torch.linalg.cholesky(cov)
    diff = X[None] - mu[:, None]  # K, N, D
    sol = torch.linalg.solve_triangular(L, diff.transpose(1, 2), upper=False)  # K, D, N
    maha = sol.pow(2).sum(1)  # K, N
    logdet = 2 * torch.log(torch.diagonal(L, dim1=-2, dim2=-1)).sum(-1)
    return -0.5 * (maha + logdet[:, None] + D * torch.log(torch.tensor(2 * torch.pi, dtype=torch.float64)))


prev = -float("inf")
for it in range(60):
    logp = torch.log(pi)[:, None] + log_gauss(X, mu, cov)  # K, N
    ll = torch.logsumexp(logp, 0)
    resp = torch.exp(logp - ll)  # K, N
    total = ll.sum().item()
    assert total >= prev - 1e-8
    if it % 10 == 0:
        print(f"em it {it:2d} loglik {total:.4f}")
    if total - prev < 1e-9:
        print(f"converged at it {it} loglik {total:.4f}")
        break
    prev = total
    Nk = resp.sum(1)
    pi = Nk / N
    mu = (resp @ X) / Nk[:, None]
    diff = X[None] - mu[:, None]
    cov = torch.einsum("kn,knd,kne->kde", resp, diff, diff) / Nk[:, None, None]
    cov = cov + 1e-6 * torch.eye(D, dtype=torch.float64)

order = mu[:, 0].argsort()
print("weights", pi[order].round(decimals=3).tolist())
print("means\n", mu[order].round(decimals=2))
print("cov dets", torch.linalg.det(cov[order]).round(decimals=4).tolist())
labels = resp.argmax(0)
print("cluster sizes", torch.bincount(labels, minlength=K)[order].tolist())

gmm = MixtureSameFamily(Categorical(probs=pi), MultivariateNormal(mu, covariance_matrix=cov))
print("distributions agree", torch.allclose(gmm.log_prob(X), ll), f"{gmm.log_prob(X).sum().item():.4f}")
print("mixture mean", gmm.mean.round(decimals=4).tolist())
bic = -2 * ll.sum() + (K - 1 + K * D + K * D * (D + 1) / 2) * torch.log(torch.tensor(float(N), dtype=torch.float64))
print(f"BIC {bic.item():.3f}")
