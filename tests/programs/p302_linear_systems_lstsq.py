# Solving linear systems and least squares with torch.linalg: solve, lstsq, cholesky,
# QR, SVD-based pseudo-inverse, condition numbers, a tridiagonal Poisson problem and
# polynomial fitting; every route checked against the others.
import torch

torch.manual_seed(1)
torch.set_printoptions(precision=5, sci_mode=False)

n = 6
A = torch.randn(n, n, dtype=torch.float64)
spd = A @ A.T + n * torch.eye(n, dtype=torch.float64)
b = torch.randn(n, dtype=torch.float64)
x_solve = torch.linalg.solve(spd, b)
L = torch.linalg.cholesky(spd)
y = torch.linalg.solve_triangular(L, b.unsqueeze(1), upper=False)
x_chol = torch.linalg.solve_triangular(L.T, y, upper=True).squeeze(1)
x_cs = torch.cholesky_solve(b.unsqueeze(1), L).squeeze(1)
print("solve", x_solve)
print("agree", torch.allclose(x_solve, x_chol), torch.allclose(x_solve, x_cs),
      (spd @ x_solve - b).norm().item() < 1e-12)
print("cond", round(torch.linalg.cond(spd).item(), 4), "det", round(torch.linalg.det(spd).item(), 3),
      "slogdet", [round(v.item(), 4) for v in torch.linalg.slogdet(spd)])
print("L diag", L.diagonal())

# batched solves with several right-hand sides
As = torch.randn(3, 4, 4, dtype=torch.float64) + 4 * torch.eye(4, dtype=torch.float64)
Bs = torch.randn(3, 4, 2, dtype=torch.float64)
Xs = torch.linalg.solve(As, Bs)
print("batched", Xs.shape, torch.allclose(As @ Xs, Bs))
LU, piv = torch.linalg.lu_factor(As)
print("lu_solve", torch.allclose(torch.linalg.lu_solve(LU, piv, Bs), Xs), piv.dtype)

# overdetermined least squares: polynomial fit
xs = torch.linspace(-1, 1, 25, dtype=torch.float64)
ys = 0.5 - 1.2 * xs + 2.0 * xs ** 3 + 0.05 * torch.randn(25, dtype=torch.float64)
V = torch.vander(xs, N=4, increasing=True)
coef = torch.linalg.lstsq(V, ys.unsqueeze(1)).solution.squeeze(1)
Q, R = torch.linalg.qr(V)
coef_qr = torch.linalg.solve_triangular(R, (Q.T @ ys).unsqueeze(1), upper=True).squeeze(1)
coef_pinv = torch.linalg.pinv(V) @ ys
coef_normal = torch.linalg.solve(V.T @ V, V.T @ ys)
print("coef", coef.round(decimals=4))
print("routes agree", torch.allclose(coef, coef_qr), torch.allclose(coef, coef_pinv),
      torch.allclose(coef, coef_normal))
print("Q orthonormal", torch.allclose(Q.T @ Q, torch.eye(4, dtype=torch.float64)), Q.shape, R.shape)
rss = ((V @ coef - ys) ** 2).sum()
print(f"rss {rss.item():.5f} r2 {1 - rss.item() / ((ys - ys.mean()) ** 2).sum().item():.5f}")

# 1-D Poisson -u'' = f on (0,1), u(0)=u(1)=0, exact u = sin(pi x)
m = 31
h = 1.0 / (m + 1)
grid = torch.arange(1, m + 1, dtype=torch.float64) * h
T = (torch.diag(torch.full((m,), 2.0, dtype=torch.float64))
     - torch.diag(torch.ones(m - 1, dtype=torch.float64), 1)
     - torch.diag(torch.ones(m - 1, dtype=torch.float64), -1)) / h ** 2
f = torch.pi ** 2 * torch.sin(torch.pi * grid)
u = torch.linalg.solve(T, f)
print(f"poisson max err {(u - torch.sin(torch.pi * grid)).abs().max().item():.3e}")
evals = torch.linalg.eigvalsh(T)
print("eigs", evals[:3].round(decimals=3), "vs", [round(4 / h ** 2 * torch.sin(torch.tensor(k * torch.pi * h / 2)).item() ** 2, 3) for k in (1, 2, 3)])

# rank-deficient: lstsq with gelsd on CPU, matrix_rank, pinv
D = torch.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]],
                 dtype=torch.float64)
print("rank", torch.linalg.matrix_rank(D).item(), "svals", torch.linalg.svdvals(D).round(decimals=4))
sol = torch.linalg.lstsq(D, torch.ones(4, 1, dtype=torch.float64), driver="gelsd")
print("gelsd rank", sol.rank.item(), "solution", sol.solution.squeeze(1).round(decimals=5))
print("pinv agrees", torch.allclose(torch.linalg.pinv(D) @ torch.ones(4, 1, dtype=torch.float64), sol.solution))
print("inv check", torch.allclose(torch.linalg.inv(spd) @ spd, torch.eye(n, dtype=torch.float64)))
print("norms", round(torch.linalg.norm(spd).item(), 4), round(torch.linalg.matrix_norm(spd, ord=2).item(), 4),
      round(torch.linalg.vector_norm(b, ord=1).item(), 4))
