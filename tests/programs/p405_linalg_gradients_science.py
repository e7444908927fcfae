import torch

torch.manual_seed(0)
torch.set_printoptions(precision=4)

def spd(n):
    a = torch.randn(n, n, dtype=torch.float64)
    return a @ a.T + n * torch.eye(n, dtype=torch.float64)

A = spd(3).requires_grad_()
b = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)

x = torch.linalg.solve(A, b)
x.sum().backward()
print(x.detach().round(decimals=4))
print(A.grad.round(decimals=4))
print(b.grad.round(decimals=4))

# log-determinant of a covariance (Gaussian log-likelihood)
A.grad = None
L = torch.linalg.cholesky(A)
logdet = 2 * torch.log(torch.diagonal(L)).sum()
sign, ld = torch.linalg.slogdet(A)
print(round(logdet.item(), 6), round(ld.item(), 6), sign.item())
logdet.backward()
print(torch.allclose(A.grad, torch.linalg.inv(A).detach()))

# determinant gradient = det * inv^T
M = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
d = torch.det(M)
(g,) = torch.autograd.grad(d, M)
print(torch.allclose(g, (d * torch.linalg.inv(M).T).detach()))

# eigh: gradient of the largest eigenvalue is v v^T
S = spd(4).requires_grad_()
w, V = torch.linalg.eigh(S)
print(w.detach().round(decimals=4))
w[-1].backward()
v = V[:, -1].detach()
print(torch.allclose(S.grad, torch.outer(v, v)))
S.grad = None
w, V = torch.linalg.eigh(S)
(V.abs().sum() + w.sum()).backward()
print(S.grad.round(decimals=3))

# svd: nuclear norm and its gradient U V^T
X = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
U, s, Vh = torch.linalg.svd(X, full_matrices=False)
nuc = s.sum()
nuc.backward()
print(round(nuc.item(), 4), round(torch.linalg.matrix_norm(X, ord="nuc").item(), 4))
print(torch.allclose(X.grad, (U @ Vh).detach()))
X.grad = None
torch.linalg.svdvals(X).pow(2).sum().backward()
print(torch.allclose(X.grad, 2 * X.detach()))

# lstsq: polynomial fit and gradient wrt the data
t = torch.linspace(0, 1, 20, dtype=torch.float64)
y = (1 + 2 * t - 3 * t ** 2 + 0.01 * torch.randn(20, dtype=torch.float64)).requires_grad_()
Vd = torch.stack([t ** k for k in range(3)], dim=1)
coef = torch.linalg.lstsq(Vd, y.unsqueeze(1)).solution
print(coef.squeeze().detach().round(decimals=3))
coef.sum().backward()
print(y.grad[:4].round(decimals=4))
res = torch.linalg.lstsq(Vd, y.detach().unsqueeze(1), driver="gelsd")
print(res.rank, res.solution.squeeze().round(decimals=3))

# matrix exponential: solution of a linear ODE dx/dt = K x, gradient wrt K
K = torch.tensor([[0.0, 1.0], [-2.0, -0.3]], dtype=torch.float64, requires_grad=True)
x0 = torch.tensor([1.0, 0.0], dtype=torch.float64)
xt = torch.linalg.matrix_exp(K * 2.0) @ x0
print(xt.detach().round(decimals=5))
xt[0].backward()
print(K.grad.round(decimals=4))
# compare with fine-grained Euler
xe = x0.clone()
for _ in range(20000):
    xe = xe + 1e-4 * (K.detach() @ xe)
print(torch.allclose(xe, xt.detach(), atol=1e-3))

# QR, inverse, pinv, cholesky_solve, triangular solves with grads
Q, R = torch.linalg.qr(X)
print(torch.allclose(Q @ R, X), Q.shape, R.shape)
(Q.sum() + R.diagonal().sum()).backward()
print(X.grad.round(decimals=3))
P = torch.linalg.pinv(X)
print(torch.allclose(P @ X, torch.eye(3, dtype=torch.float64)))
Lc = torch.linalg.cholesky(spd(3))
rhs = torch.randn(3, 1, dtype=torch.float64)
sol = torch.cholesky_solve(rhs, Lc)
print(torch.allclose(Lc @ Lc.T @ sol, rhs))
tri = torch.linalg.solve_triangular(Lc, rhs, upper=False)
print(torch.allclose(Lc @ tri, rhs))
Ainv = torch.linalg.inv_ex(spd(2))
print(Ainv.info.item(), Ainv.inverse.round(decimals=4))
print(torch.linalg.matrix_power(torch.tensor([[1.0, 1.0], [1.0, 0.0]]), 10))
print(torch.linalg.cond(spd(3)).round(decimals=3), torch.linalg.matrix_rank(X.detach()).item())
print(torch.linalg.vector_norm(torch.arange(4.0), ord=3).round(decimals=4))
eigvals = torch.linalg.eigvals(torch.tensor([[0.0, 1.0], [-1.0, 0.0]]))
print(eigvals)
# Gaussian process negative log marginal likelihood with learnable lengthscale
xs = torch.linspace(-2, 2, 15, dtype=torch.float64).unsqueeze(1)
ys = torch.sin(2 * xs).squeeze() + 0.05 * torch.randn(15, dtype=torch.float64)
log_ell = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([log_ell], lr=0.05)
for it in range(60):
    Kx = torch.exp(-0.5 * torch.cdist(xs, xs) ** 2 / log_ell.exp() ** 2) + 1e-2 * torch.eye(15, dtype=torch.float64)
    Lk = torch.linalg.cholesky(Kx)
    alpha = torch.cholesky_solve(ys.unsqueeze(1), Lk)
    nll = 0.5 * (ys.unsqueeze(1) * alpha).sum() + torch.log(torch.diagonal(Lk)).sum()
    opt.zero_grad()
    nll.backward()
    opt.step()
print(round(log_ell.exp().item(), 3), round(nll.item(), 3))
