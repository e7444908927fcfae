# Gaussian-process regression from the textbook (Rasmussen & Williams, Alg. 2.1): RBF kernel
# via cdist, Cholesky factorisation, cholesky_solve, triangular solves, log marginal likelihood
# and hyper-parameter fitting by gradient descent in float64.
import math

import torch

torch.set_default_dtype(torch.float64)
X = torch.linspace(0, 5, 12).unsqueeze(1)
y = torch.sin(X).squeeze(1) + 0.1 * torch.cos(7 * X).squeeze(1)
Xs = torch.linspace(-0.5, 5.5, 7).unsqueeze(1)
print(X.dtype, torch.get_default_dtype())


def rbf(a, b, lengthscale, variance):
    d2 = torch.cdist(a, b).pow(2)
    return variance * torch.exp(-0.5 * d2 / lengthscale ** 2)


ls, var, noise = torch.tensor(1.0), torch.tensor(1.0), torch.tensor(0.01)
K = rbf(X, X, ls, var) + noise * torch.eye(len(X))
print(K.shape, torch.allclose(K, K.T))
L = torch.linalg.cholesky(K)
print(torch.allclose(L @ L.T, K), torch.equal(L, L.tril()))
alpha = torch.cholesky_solve(y.unsqueeze(1), L)
alpha2 = torch.linalg.solve(K, y.unsqueeze(1))
print(torch.allclose(alpha, alpha2))

Ks = rbf(X, Xs, ls, var)
mean = Ks.T @ alpha
v = torch.linalg.solve_triangular(L, Ks, upper=False)
cov = rbf(Xs, Xs, ls, var) - v.T @ v
std = cov.diagonal().clamp(min=0).sqrt()
print([round(m, 4) for m in mean.squeeze(1).tolist()])
print([round(s, 4) for s in std.tolist()])

# log marginal likelihood three ways
n = len(X)
lml = -0.5 * y @ alpha.squeeze(1) - L.diagonal().log().sum() - 0.5 * n * math.log(2 * math.pi)
sign, logabsdet = torch.linalg.slogdet(K)
lml2 = -0.5 * y @ torch.linalg.solve(K, y) - 0.5 * logabsdet - 0.5 * n * math.log(2 * math.pi)
mvn = torch.distributions.MultivariateNormal(torch.zeros(n), covariance_matrix=K)
print(f"{lml.item():.6f} {lml2.item():.6f} {mvn.log_prob(y).item():.6f}")
print(sign.item(), f"{torch.logdet(K).item():.6f}", f"{2 * L.diagonal().log().sum().item():.6f}")

# triangular_solve (old API) and cholesky_inverse
sol_old = torch.triangular_solve(Ks, L, upper=False).solution
print(torch.allclose(sol_old, v))
Kinv = torch.cholesky_inverse(L)
print(torch.allclose(Kinv @ K, torch.eye(n), atol=1e-8))
U = torch.linalg.cholesky(K, upper=True)
print(torch.allclose(U, L.T))
Lc, info = torch.linalg.cholesky_ex(K)
print(info, torch.allclose(Lc, L))

# a non positive-definite matrix reports the failing minor
bad = torch.tensor([[1.0, 2.0], [2.0, 1.0]])
print(torch.linalg.cholesky_ex(bad).info)
try:
    torch.linalg.cholesky(bad)
except Exception as e:  # noqa: BLE001
    print(type(e).__name__)

# fit hyper-parameters (in log space) by maximising the marginal likelihood
log_ls = torch.tensor(0.0, requires_grad=True)
log_var = torch.tensor(0.0, requires_grad=True)
log_noise = torch.tensor(-2.0, requires_grad=True)
opt = torch.optim.Adam([log_ls, log_var, log_noise], lr=0.05)
for step in range(60):
    opt.zero_grad()
    K = rbf(X, X, log_ls.exp(), log_var.exp()) + log_noise.exp() * torch.eye(n)
    L = torch.linalg.cholesky(K)
    a = torch.cholesky_solve(y.unsqueeze(1), L)
    nlml = 0.5 * (y.unsqueeze(1) * a).sum() + L.diagonal().log().sum() + 0.5 * n * math.log(2 * math.pi)
    nlml.backward()
    opt.step()
    if step % 20 == 0:
        print(f"step {step} nlml {nlml.item():.5f}")
print(f"ls {log_ls.exp().item():.4f} var {log_var.exp().item():.4f} noise {log_noise.exp().item():.5f}")
print(log_ls.grad.dtype)
torch.set_default_dtype(torch.float32)
print(torch.tensor([1.0]).dtype)
