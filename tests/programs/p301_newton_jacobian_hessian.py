# Newton's method with torch.autograd.functional: root finding of a nonlinear system with the
# Jacobian, unconstrained minimisation with the Hessian, and a damped Newton on Rosenbrock;
# vjp/jvp/hvp for the same functions, compared with finite differences.
import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vjp

torch.set_printoptions(precision=6)


def F(x):
    # intersection of a circle and a parabola, plus a third coupled equation
    return torch.stack([x[0] ** 2 + x[1] ** 2 - 4.0,
                        x[1] - x[0] ** 2 + 1.0,
                        x[2] * x[0] - torch.sin(x[1])])


x = torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64)
for it in range(8):
    J = jacobian(F, x)
    r = F(x)
    dx = torch.linalg.solve(J, -r)
    x = x + dx
    print(f"newton it {it}: |F|={r.norm().item():.3e} x={[round(v, 6) for v in x.tolist()]}")
print("J shape", J.shape, J.dtype)


def rosen(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


x = torch.tensor([-1.2, 1.0], dtype=torch.float64)
for it in range(30):
    g = jacobian(rosen, x)
    H = hessian(rosen, x)
    step = torch.linalg.solve(H + 1e-3 * torch.eye(2, dtype=torch.float64), g)
    t = 1.0
    while rosen(x - t * step) > rosen(x) and t > 1e-4:
        t *= 0.5
    x = x - t * step
    if it % 5 == 0:
        print(f"rosen it {it:2d} f={rosen(x).item():.6e} t={t}")
    if g.norm() < 1e-10:
        break
print("minimum", x.round(decimals=6), "f", f"{rosen(x).item():.2e}")
print("H at min\n", hessian(rosen, x).round(decimals=3))

# vector-Jacobian and Jacobian-vector products vs finite differences
x0 = torch.tensor([0.3, -0.7, 1.1], dtype=torch.float64)
v = torch.tensor([1.0, 2.0, -1.0], dtype=torch.float64)
out, vj = vjp(F, x0, v)
_, jv = jvp(F, x0, v)
eps = 1e-6
fd = (F(x0 + eps * v) - F(x0 - eps * v)) / (2 * eps)
print("vjp", vj.round(decimals=6), "jvp", jv.round(decimals=6))
print("jvp vs fd", torch.allclose(jv, fd, atol=1e-6), "vjp == J^T v",
      torch.allclose(vj, jacobian(F, x0).T @ v))


def energy(x):
    return (x ** 4).sum() / 4 + (x[:-1] * x[1:]).sum()


_, hv = hvp(energy, x0, v)
print("hvp", hv.round(decimals=6), torch.allclose(hv, hessian(energy, x0) @ v))

# Jacobian of a function with two inputs and a tuple of outputs
def two(a, b):
    return a * b, a.sum() + b.pow(2).sum()


Ja = jacobian(two, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])))
print(type(Ja).__name__, len(Ja), [tuple(j.shape) for pair in Ja for j in pair])
print(Ja[0][0], Ja[1][1], sep="\n")
Hv = hessian(lambda a: (a.sin() * a).sum(), torch.tensor([0.5, 1.5]), vectorize=False)
print(Hv)
