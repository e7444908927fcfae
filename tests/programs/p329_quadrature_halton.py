# Numerical integration: trapezoid and cumulative_trapezoid, Simpson's rule by slicing,
# Gauss-Legendre nodes from the Golub-Welsch eigenproblem (torch.linalg.eigh), quasi-Monte
# Carlo with a Halton sequence built by hand vs plain Monte Carlo, and differentiating an
# integral with respect to a parameter.
import math

import torch

torch.set_printoptions(precision=6)
f = lambda x: torch.exp(-x ** 2)
exact = math.sqrt(math.pi) / 2 * math.erf(2.0)
for n in (5, 17, 65):
    x = torch.linspace(0, 2, n, dtype=torch.float64)
    y = f(x)
    trap = torch.trapezoid(y, x).item()
    h = (x[1] - x[0]).item()
    simpson = h / 3 * (y[0] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum() + y[-1]).item()
    print(f"n={n:3d} trapezoid err {abs(trap - exact):.3e} simpson err {abs(simpson - exact):.3e}")
x = torch.linspace(0, 2, 9, dtype=torch.float64)
print("cumulative", torch.cumulative_trapezoid(f(x), x)[-3:].round(decimals=6), "dx form", round(torch.trapezoid(f(x), dx=0.25).item(), 12))
print("2-D trapezoid", torch.trapezoid(torch.ones(3, 5), dim=1), torch.trapz(torch.arange(4.0)))


def gauss_legendre(n):
    k = torch.arange(1, n, dtype=torch.float64)
    beta = k / torch.sqrt(4 * k ** 2 - 1)
    J = torch.diag(beta, 1) + torch.diag(beta, -1)
    nodes, vecs = torch.linalg.eigh(J)
    weights = 2 * vecs[0] ** 2
    return nodes, weights


for n in (2, 4, 8):
    nodes, w = gauss_legendre(n)
    # map [-1, 1] -> [0, 2]
    val = (w * f(nodes + 1)).sum().item()
    print(f"gauss-legendre n={n}: err {abs(val - exact):.3e} weights sum {w.sum().item():.6f}")
nodes, w = gauss_legendre(3)
print("nodes", nodes.round(decimals=12) + 0.0, "weights", w)

# quasi-Monte Carlo vs Monte Carlo on a 3-D integral: int over [0,1]^3 of prod(2x) = 1
def van_der_corput(n, base):
    i = torch.arange(1, n + 1, dtype=torch.int64)
    out = torch.zeros(n, dtype=torch.float64)
    denom = 1.0
    while bool((i > 0).any()):
        denom *= base
        out += (i % base).double() / denom
        i = torch.div(i, base, rounding_mode="floor")
    return out


pts = torch.stack([van_der_corput(1024, b) for b in (2, 3, 5)], 1)
print("halton", pts.shape, pts.dtype, pts[:3].round(decimals=6).tolist())
qmc = (2 * pts).prod(1).mean().item()
g = torch.Generator().manual_seed(0)
mc = (2 * torch.rand(1024, 3, generator=g, dtype=torch.float64)).prod(1).mean().item()
print(f"qmc err {abs(qmc - 1):.2e} mc err {abs(mc - 1):.2e} qmc better {abs(qmc - 1) < abs(mc - 1)}")
print("discrepancy proxy", [round(v, 4) for v in pts.mean(0).tolist()], round(pts.var(0).mean().item(), 4))

# d/ds of int_0^1 exp(-s x^2) dx, via autograd through the quadrature
s = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
nodes, w = gauss_legendre(10)
xq = (nodes + 1) / 2
I = 0.5 * (w * torch.exp(-s * xq ** 2)).sum()
(dI,) = torch.autograd.grad(I, s)
ref = 0.5 * (w * (-xq ** 2) * torch.exp(-s * xq ** 2)).sum()
print(f"integral {I.item():.10f} derivative {dI.item():.10f} matches {torch.allclose(dI, ref)}")
