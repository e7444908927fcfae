# Numerical / scientific code: Newton's method with torch.autograd.functional.hessian and
# linalg.solve, least squares with lstsq vs normal equations, eigh / svd / cholesky / qr on
# well-conditioned matrices, torch.func.jacrev + vmap over a batch, and an ODE integrated by hand
# (RK4 vs explicit Euler) for a damped oscillator.
import math

import torch
from torch.autograd.functional import hessian, jacobian, hvp, vhp
from torch.func import grad, jacfwd, jacrev, vmap

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)


def rosen(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2 + 0.5 * (x[2] - 1) ** 2


x = torch.tensor([-1.2, 1.0, 0.0])
for it in range(8):
    xr = x.clone().requires_grad_(True)
    f = rosen(xr)
    (g,) = torch.autograd.grad(f, xr)
    H = hessian(rosen, x)
    step = torch.linalg.solve(H, g)
    x = x - step
    fv = f"{f.item():.6e}" if f.item() > 1e-15 else "<1e-15"
    gv = f"{g.norm().item():.3e}" if g.norm().item() > 1e-6 else "<1e-6"
    print(f"newton {it} f={fv} |g|={gv} cond={torch.linalg.cond(H).item():.2f}")
print("solution", x.round(decimals=6).tolist())
print("hessian at optimum\n", hessian(rosen, torch.ones(3)))
v = torch.tensor([1.0, 0.0, -1.0])
print("hvp", hvp(rosen, torch.ones(3), v)[1].tolist(), "vhp", vhp(rosen, torch.ones(3), v)[1].tolist())

# least squares: fit a cubic polynomial
t = torch.linspace(-1, 1, 50)
A = torch.stack([t ** k for k in range(4)], 1)
coef_true = torch.tensor([0.5, -1.0, 2.0, 0.3])
b = A @ coef_true + 0.01 * torch.randn(50)
sol = torch.linalg.lstsq(A, b.unsqueeze(1))
normal = torch.linalg.solve(A.T @ A, A.T @ b)
print("lstsq", sol.solution.squeeze().round(decimals=4).tolist(), "rank", sol.rank)
print("normal eq agrees", torch.allclose(sol.solution.squeeze(), normal, atol=1e-10))
pinv = torch.linalg.pinv(A) @ b
print("pinv agrees", torch.allclose(pinv, normal, atol=1e-10))

# symmetric positive definite matrix: eigh, cholesky, svd, qr
M = torch.randn(5, 5)
S = M @ M.T + 5 * torch.eye(5)
evals, evecs = torch.linalg.eigh(S)
print("eigvals", evals.round(decimals=4).tolist())
print("reconstruct", torch.allclose(evecs @ torch.diag(evals) @ evecs.T, S))
print("orthonormal", torch.allclose(evecs.T @ evecs, torch.eye(5)))
L = torch.linalg.cholesky(S)
print("cholesky lower", torch.equal(L, L.tril()), "logdet", round(2 * L.diagonal().log().sum().item(), 6),
      round(torch.logdet(S).item(), 6), [round(v.item(), 6) for v in torch.linalg.slogdet(S)])
U, s, Vh = torch.linalg.svd(S)
print("svd == eig", torch.allclose(s, evals.flip(0)), "norms", round(torch.linalg.matrix_norm(S, ord=2).item(), 4),
      round(torch.linalg.matrix_norm(S).item(), 4), round(torch.linalg.matrix_norm(S, "nuc").item(), 4))
Q, R = torch.linalg.qr(M)
print("qr", torch.allclose(Q @ R, M), "R upper", torch.equal(R, R.triu()))
print("solve_triangular gives L^T", torch.allclose(torch.linalg.solve_triangular(L, S, upper=False), L.T))
x_chol = torch.cholesky_solve(b[:5].unsqueeze(1), L)
print("cholesky_solve", torch.allclose(S @ x_chol, b[:5].unsqueeze(1)))


# jacrev / vmap: per-sample jacobians of a small map
def field(p):
    x, y = p[0], p[1]
    return torch.stack([x * y, torch.sin(x) + y ** 2, torch.exp(-x * x)])


pts = torch.randn(4, 2)
J = vmap(jacrev(field))(pts)
J2 = vmap(jacfwd(field))(pts)
J3 = torch.stack([jacobian(field, p) for p in pts])
print("batched jacobian", tuple(J.shape), torch.allclose(J, J2), torch.allclose(J, J3))
print(J[0].round(decimals=4))
energy = lambda p: 0.5 * (p ** 2).sum() + torch.cos(p).prod()
print("vmap(grad)", vmap(grad(energy))(pts).round(decimals=4))
print("in_dims", vmap(lambda a, b: a @ b, in_dims=(0, None))(torch.ones(3, 2, 2), torch.arange(2.0)))


# ODE: damped harmonic oscillator x'' + 2*zeta*w*x' + w^2 x = 0
def f(state, w=2.0, zeta=0.1):
    x, v = state[..., 0], state[..., 1]
    return torch.stack([v, -2 * zeta * w * v - w * w * x], -1)


def rk4(f, y0, dt, n):
    ys = [y0]
    y = y0
    for _ in range(n):
        k1 = f(y)
        k2 = f(y + 0.5 * dt * k1)
        k3 = f(y + 0.5 * dt * k2)
        k4 = f(y + dt * k3)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        ys.append(y)
    return torch.stack(ys)


def euler(f, y0, dt, n):
    ys = [y0]
    for _ in range(n):
        ys.append(ys[-1] + dt * f(ys[-1]))
    return torch.stack(ys)


y0 = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
dt, n = 0.05, 100
traj = rk4(f, y0, dt, n)
wd = 2.0 * math.sqrt(1 - 0.01)
tt = torch.arange(n + 1) * dt
exact = torch.exp(-0.2 * tt) * (torch.cos(wd * tt) + 0.2 / wd * torch.sin(wd * tt))
print("trajectory", tuple(traj.shape), "rk4 err", f"{(traj[:, 0, 0] - exact).abs().max().item():.3e}",
      "euler err", f"{(euler(f, y0, dt, n)[:, 0, 0] - exact).abs().max().item():.3e}")
energy_t = 0.5 * traj[..., 1] ** 2 + 2.0 * traj[..., 0] ** 2
print("energy decays", bool((energy_t[1:] <= energy_t[:-1] + 1e-12).all()), energy_t[-1].round(decimals=5).tolist())
# sensitivity of the final position to the damping coefficient, through the integrator
zeta = torch.tensor(0.1, requires_grad=True)
final = rk4(lambda s: f(s, zeta=zeta), y0[:1], dt, n)[-1, 0, 0]
final.backward()
print("d x(T) / d zeta", round(zeta.grad.item(), 6))
print("default dtype", torch.get_default_dtype(), torch.tensor(1.0).dtype)
