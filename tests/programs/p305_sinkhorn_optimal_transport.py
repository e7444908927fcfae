# Entropic optimal transport with Sinkhorn iterations, in plain and log-domain form, between
# two point clouds; transport plan marginals, the Wasserstein cost, barycentric mapping, and a
# gradient of the Sinkhorn cost with respect to the source points (point-cloud flow).
import torch

torch.manual_seed(7)
n, m = 40, 30
x = torch.randn(n, 2, dtype=torch.float64)
y = torch.randn(m, 2, dtype=torch.float64) * 0.5 + torch.tensor([3.0, 1.0], dtype=torch.float64)
a = torch.full((n,), 1.0 / n, dtype=torch.float64)
b = torch.full((m,), 1.0 / m, dtype=torch.float64)


def sinkhorn(C, a, b, eps, iters=200):
    K = torch.exp(-C / eps)
    u = torch.ones_like(a)
    for _ in range(iters):
        v = b / (K.T @ u)
        u = a / (K @ v)
    return u[:, None] * K * v[None, :]


def sinkhorn_log(C, a, b, eps, iters=200):
    f = torch.zeros_like(a)
    g = torch.zeros_like(b)
    for _ in range(iters):
        f = eps * torch.log(a) - eps * torch.logsumexp((g[None, :] - C) / eps, dim=1)
        g = eps * torch.log(b) - eps * torch.logsumexp((f[:, None] - C) / eps, dim=0)
    return torch.exp((f[:, None] + g[None, :] - C) / eps)


C = torch.cdist(x, y) ** 2
print("cost matrix", C.shape, C.dtype, f"{C.mean().item():.4f}")
P = sinkhorn(C, a, b, eps=1.0)
Pl = sinkhorn_log(C, a, b, eps=1.0)
print("plans agree", torch.allclose(P, Pl, atol=1e-10))
print(f"marginal errors {(P.sum(1) - a).abs().max().item() < 1e-12} {(P.sum(0) - b).abs().max().item() < 1e-12}")
print(f"OT cost eps=1 {(P * C).sum().item():.4f}")
for eps in (0.5, 0.1, 0.05):
    Pe = sinkhorn_log(C, a, b, eps=eps, iters=500)
    ent = -(Pe * torch.log(Pe.clamp_min(1e-300))).sum()
    print(f"eps={eps:<5} cost {(Pe * C).sum().item():.4f} entropy {ent.item():.4f}")

# barycentric projection of sources onto targets
T = (P @ y) / P.sum(1, keepdim=True)
print("mapped mean", T.mean(0).round(decimals=4).tolist(), "target mean", y.mean(0).round(decimals=4).tolist())

# flow source points toward the target by descending the Sinkhorn cost
xs = x.clone().requires_grad_(True)
opt = torch.optim.SGD([xs], lr=2.0)
for step in range(40):
    Cx = torch.cdist(xs, y) ** 2
    Px = sinkhorn_log(Cx, a, b, eps=0.5, iters=50)
    loss = (Px * Cx).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0 or step == 39:
        print(f"flow step {step:2d} cost {loss.item():.4f} grad {xs.grad.norm().item():.4f}")

# exact assignment for a tiny problem by brute force over permutations
import itertools

xa = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
yb = torch.tensor([[1.1, 0.1], [0.1, 1.2], [-0.1, 0.0]])
Cs = torch.cdist(xa, yb, p=1)
best = min(itertools.permutations(range(3)), key=lambda p: Cs[range(3), list(p)].sum().item())
print("best assignment", best, f"{Cs[range(3), list(best)].sum().item():.4f}")
