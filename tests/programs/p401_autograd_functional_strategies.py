import torch
from torch.autograd.functional import jacobian, hessian, jvp, vjp, hvp, vhp

torch.manual_seed(0)


def f(x):
    return torch.stack([x[0] ** 2 * x[1], torch.sin(x[1]) * x[2], x.exp().sum()])


x = torch.randn(3)
J1 = jacobian(f, x)
J2 = jacobian(f, x, vectorize=True)
J3 = jacobian(f, x, vectorize=True, strategy="forward-mode")
print(J1.round(decimals=4))
print(torch.allclose(J1, J2), torch.allclose(J1, J3))
try:
    jacobian(f, x, strategy="forward-mode")
except NotImplementedError as e:
    print("NotImplementedError:", e)


def g(a, b):
    return (a @ b).tanh(), a.sum() * b


A = torch.randn(2, 3)
B = torch.randn(3, 2)
Jg = jacobian(g, (A, B))
print(type(Jg).__name__, len(Jg), type(Jg[0]).__name__)
for row in Jg:
    for j in row:
        print(tuple(j.shape), round(j.abs().sum().item(), 4))
Jg_c = jacobian(g, (A, B), create_graph=True)
print(Jg_c[0][0].requires_grad)


def energy(x):
    return (x ** 4).sum() / 4 - (x[:-1] * x[1:]).sum()


x = torch.randn(4)
H = hessian(energy, x)
print(H.round(decimals=4))
Hv = hessian(energy, x, vectorize=True, outer_jacobian_strategy="forward-mode")
print(torch.allclose(H, Hv))
v = torch.ones(4)
val, hv = hvp(energy, x, v)
print(round(val.item(), 4), hv.round(decimals=4))
val, vh = vhp(energy, x, v)
print(torch.allclose(hv, vh))
out, jv = jvp(f, x[:3], torch.tensor([1.0, 0.0, 0.0]))
print(out.round(decimals=4), jv.round(decimals=4))
out, vj = vjp(f, x[:3], torch.tensor([0.0, 1.0, 1.0]))
print(vj.round(decimals=4))
# functions with tuple inputs: hessian returns nested tuples
def quad(a, b):
    return (a * b).sum() + (a ** 2).sum() * b.sum()
Hq = hessian(quad, (torch.randn(2), torch.randn(2)))
print([[tuple(h.shape) for h in r] for r in Hq])
print(Hq[0][1].round(decimals=4))
# strict mode detects an output independent of the input
try:
    jacobian(lambda t: torch.ones(2), torch.randn(2), strict=True)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:80])
print(jacobian(lambda t: torch.ones(2), torch.randn(2)))


# Hessian-vector product via double backward (Pearlmutter trick)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
data = torch.randn(8, 3)
target = torch.randn(8, 1)
loss = torch.nn.functional.mse_loss(model(data), target)
params = [p for p in model.parameters()]
grads = torch.autograd.grad(loss, params, create_graph=True)
vecs = [torch.randn_like(p) for p in params]
gv = sum((g * v).sum() for g, v in zip(grads, vecs))
hvs = torch.autograd.grad(gv, params, retain_graph=True)
for h in hvs:
    print(tuple(h.shape), round(h.norm().item(), 4))
# power iteration for the top Hessian eigenvalue
vec = [torch.randn_like(p) for p in params]
for it in range(10):
    norm = torch.sqrt(sum((v ** 2).sum() for v in vec))
    vec = [v / norm for v in vec]
    hv = torch.autograd.grad(grads, params, grad_outputs=vec, retain_graph=True)
    eig = sum((h * v).sum() for h, v in zip(hv, vec))
    vec = [h.detach() for h in hv]
print("top eig", round(eig.item(), 3))
