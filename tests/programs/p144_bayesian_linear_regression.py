# Bayesian linear regression with polynomial features: closed-form Gaussian posterior,
# predictive variance, evidence maximisation, and a variational (Bayes-by-backprop) version
# using torch.distributions.Normal and kl_divergence.
import math

import torch
from torch.distributions import Normal, kl_divergence

torch.set_printoptions(precision=4)
x = torch.linspace(-1, 1, 20, dtype=torch.float64)
y = 0.5 - 1.2 * x + 0.8 * x ** 3 + 0.05 * torch.sin(17 * x)
Phi = torch.stack([x ** k for k in range(4)], dim=1)
print(Phi.shape, Phi.dtype)
print(torch.vander(x[:3], N=4, increasing=True))

alpha, beta = 2.0, 100.0  # prior precision and noise precision
S_inv = alpha * torch.eye(4, dtype=torch.float64) + beta * Phi.T @ Phi
S = torch.linalg.inv(S_inv)
m = beta * S @ Phi.T @ y
print("posterior mean:", m)
print("posterior std:", S.diagonal().sqrt())
print(torch.allclose(S @ S_inv, torch.eye(4, dtype=torch.float64)))
# the same mean through a solve and through lstsq with a ridge-augmented system
m2 = torch.linalg.solve(S_inv, beta * Phi.T @ y)
A = torch.cat([math.sqrt(beta) * Phi, math.sqrt(alpha) * torch.eye(4, dtype=torch.float64)])
b = torch.cat([math.sqrt(beta) * y, torch.zeros(4, dtype=torch.float64)])
m3 = torch.linalg.lstsq(A, b.unsqueeze(1)).solution.squeeze(1)
print(torch.allclose(m, m2), torch.allclose(m, m3))

xs = torch.tensor([-1.5, 0.0, 1.5], dtype=torch.float64)
Phis = torch.stack([xs ** k for k in range(4)], dim=1)
pred_mean = Phis @ m
pred_var = 1 / beta + (Phis @ S * Phis).sum(1)
print(pred_mean, pred_var.sqrt())
print(torch.einsum("ni,ij,nj->n", Phis, S, Phis) + 1 / beta)

# log evidence as a function of alpha, Bishop eq. 3.86
def log_evidence(alpha, beta):
    N, M = Phi.shape
    A = alpha * torch.eye(M, dtype=torch.float64) + beta * Phi.T @ Phi
    mN = beta * torch.linalg.solve(A, Phi.T @ y)
    E = beta / 2 * (y - Phi @ mN).pow(2).sum() + alpha / 2 * mN @ mN
    return (M / 2 * math.log(alpha) + N / 2 * math.log(beta) - E
            - 0.5 * torch.logdet(A) - N / 2 * math.log(2 * math.pi))


for a in [0.01, 1.0, 100.0]:
    print(f"alpha={a}: log evidence {log_evidence(a, beta).item():.4f}")

# variational inference with a mean-field Gaussian over the weights
torch.manual_seed(0)
mu = torch.zeros(4, dtype=torch.float64, requires_grad=True)
rho = torch.full((4,), -3.0, dtype=torch.float64, requires_grad=True)
prior = Normal(torch.zeros(4, dtype=torch.float64), torch.full((4,), alpha ** -0.5, dtype=torch.float64))
eps = torch.linspace(-1, 1, 4 * 8, dtype=torch.float64).view(8, 4)  # fixed "samples"
opt = torch.optim.Adam([mu, rho], lr=0.05)
for step in range(200):
    sigma = torch.nn.functional.softplus(rho)
    q = Normal(mu, sigma)
    w = mu + sigma * eps  # reparameterisation with fixed noise
    log_lik = Normal(w @ Phi.T, beta ** -0.5).log_prob(y).sum(1).mean()
    kl = kl_divergence(q, prior).sum()
    loss = kl - log_lik
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(f"step {step:3d} elbo {-loss.item():.3f}")
print("vi mean close to exact:", torch.allclose(mu.detach(), m, atol=0.1))
print(q.mean.shape, q.stddev.dtype, q.entropy().shape)
print(Normal(0.0, 1.0).cdf(torch.tensor([-1.0, 0.0, 1.96])))
print(Normal(0.0, 1.0).icdf(torch.tensor([0.025, 0.5, 0.975])))
print(kl_divergence(Normal(0.0, 1.0), Normal(1.0, 2.0)))
