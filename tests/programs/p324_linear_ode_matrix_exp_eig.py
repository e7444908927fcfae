# Linear dynamics: x' = A x solved exactly with torch.linalg.matrix_exp, checked against RK4
# and against the eigendecomposition (torch.linalg.eig, complex eigenvalues of a damped
# oscillator), polynomial roots from the companion matrix, stability from eigenvalues, and
# gradients of a matrix_exp solution with respect to A's parameters.
import torch

torch.set_printoptions(precision=5, sci_mode=False)
k, c = 4.0, 0.5
A = torch.tensor([[0.0, 1.0], [-k, -c]], dtype=torch.float64)
x0 = torch.tensor([1.0, 0.0], dtype=torch.float64)
ts = torch.linspace(0, 5, 6, dtype=torch.float64)
exact = torch.stack([torch.linalg.matrix_exp(A * t) @ x0 for t in ts])
print("matrix_exp solution\n", exact)

x = x0.clone()
h = 0.01
traj = [x]
f = lambda v: A @ v
for i in range(500):
    k1 = f(x); k2 = f(x + h / 2 * k1); k3 = f(x + h / 2 * k2); k4 = f(x + h * k3)
    x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    traj.append(x)
traj = torch.stack(traj)[::100]
print("rk4 matches", torch.allclose(traj, exact, atol=1e-8))

evals, evecs = torch.linalg.eig(A)
order = torch.argsort(evals.imag)
evals, evecs = evals[order], evecs[:, order]
print("eigenvalues", evals, evals.dtype)
print("damping ratio", round(c / (2 * k ** 0.5), 5), "|lambda|", evals.abs().round(decimals=5))
coef = torch.linalg.solve(evecs, x0.to(torch.complex128))
via_eig = torch.stack([(evecs @ (coef * torch.exp(evals * t))).real for t in ts])
print("eig solution matches", torch.allclose(via_eig, exact, atol=1e-10))
print("eigvals only", torch.linalg.eigvals(A).real.round(decimals=5))

# polynomial roots: x^3 - 6x^2 + 11x - 6 = (x-1)(x-2)(x-3) and x^2 + 1
for coeffs in ([1.0, -6.0, 11.0, -6.0], [1.0, 0.0, 1.0]):
    p = torch.tensor(coeffs, dtype=torch.float64)
    n = len(coeffs) - 1
    comp = torch.zeros(n, n, dtype=torch.float64)
    comp[0] = -p[1:] / p[0]
    comp[1:, :-1] = torch.eye(n - 1, dtype=torch.float64)
    roots = torch.linalg.eigvals(comp)
    roots = roots[torch.argsort(roots.real * 10 + roots.imag)]
    print("roots", (roots.real.round(decimals=6) + 0.0).tolist(), roots.imag.round(decimals=6).abs().tolist())

# stability of random systems: stable iff all Re(lambda) < 0
g = torch.Generator().manual_seed(3)
for shift in (0.0, -2.0):
    M = torch.randn(4, 4, generator=g, dtype=torch.float64) + shift * torch.eye(4, dtype=torch.float64)
    re = torch.linalg.eigvals(M).real
    decay = torch.linalg.matrix_exp(10 * M).norm().item()
    print(f"shift {shift}: max Re {re.max().item():.4f} stable {bool((re < 0).all())} |exp(10M)| small {decay < 1}")

# gradient of a loss on the exact solution with respect to stiffness and damping
params = torch.tensor([4.0, 0.5], dtype=torch.float64, requires_grad=True)
target = torch.tensor([0.2, -0.5], dtype=torch.float64)
opt = torch.optim.Adam([params], lr=0.05)
for it in range(100):
    Ap = torch.stack([torch.stack([torch.zeros((), dtype=torch.float64), torch.ones((), dtype=torch.float64)]),
                      torch.stack([-params[0], -params[1]])])
    xT = torch.linalg.matrix_exp(Ap * 2.0) @ x0
    loss = (xT - target).pow(2).sum()
    opt.zero_grad()
    loss.backward()
    if it == 0:
        print("first grad", params.grad)
    opt.step()
print(f"fitted k={params[0].item():.4f} c={params[1].item():.4f} loss {loss.item():.2e}")
print("matrix_exp of nilpotent", torch.linalg.matrix_exp(torch.tensor([[0.0, 1.0], [0.0, 0.0]])))
print("batched", torch.linalg.matrix_exp(torch.zeros(3, 2, 2)).shape, torch.matrix_exp(torch.eye(2)).diagonal())
