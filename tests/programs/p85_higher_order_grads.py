# Higher-order gradients: Hessian-vector products, torch.autograd.functional, gradient
# penalties (WGAN-GP style) and a Newton step.
import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp


def rosenbrock(xy):
    x, y = xy[0], xy[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


p = torch.tensor([0.5, 1.5], requires_grad=True)
f = rosenbrock(p)
(g,) = torch.autograd.grad(f, p, create_graph=True)
print(f, g)
v = torch.tensor([1.0, 0.0])
(hv,) = torch.autograd.grad(g, p, grad_outputs=v, retain_graph=True)
print(hv)
H = torch.stack([torch.autograd.grad(g[i], p, retain_graph=True)[0] for i in range(2)])
print(H)
print(hessian(rosenbrock, p.detach()))
print(hvp(rosenbrock, p.detach(), v))
print(vhp(rosenbrock, p.detach(), v))

# Newton's method converges in a few steps on this quadratic-ish start
x = torch.tensor([1.2, 1.2], dtype=torch.float64)
for it in range(5):
    H = hessian(rosenbrock, x)
    gx = jacobian(rosenbrock, x)
    x = x - torch.linalg.solve(H, gx)
    print(it, [round(v, 8) for v in x.tolist()], f"{rosenbrock(x).item():.3e}")


def f2(a, b):
    return torch.stack([a * b, a + b.sum(), (a ** 2).sum() * b])


a = torch.tensor([1.0, 2.0])
b = torch.tensor([3.0, 4.0])
J = jacobian(f2, (a, b))
print(type(J), len(J), len(J[0]), J[0][0].shape)
print(J[0][0], J[1][2])
out, vjp_res = vjp(lambda t: t ** 2 + t, a, torch.ones(2))
print(out, vjp_res)
out, jvp_res = jvp(lambda t: t.exp(), a, torch.tensor([1.0, 0.0]))
print(out, jvp_res)
print(jacobian(lambda t: t.cumsum(0), torch.ones(3)))
print(jacobian(lambda t: t @ t, torch.arange(3.0)), jacobian(torch.sin, torch.zeros(2), create_graph=True).requires_grad)

# gradient penalty: || d critic / d input || - 1, backpropagated into the critic
torch.manual_seed(0)
critic = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
with torch.no_grad():
    for i, prm in enumerate(critic.parameters()):
        prm.copy_(torch.linspace(-1, 1, prm.numel()).reshape(prm.shape) * (0.5 + 0.1 * i))
interp = torch.tensor([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], requires_grad=True)
out = critic(interp)
grads = torch.autograd.grad(outputs=out, inputs=interp, grad_outputs=torch.ones_like(out),
                            create_graph=True, retain_graph=True, only_inputs=True)[0]
penalty = ((grads.norm(2, dim=1) - 1) ** 2).mean()
penalty.backward()
print(round(penalty.item(), 5))
print([None if prm.grad is None else prm.grad.abs().sum().round(decimals=4).item()
       for prm in critic.parameters()])

# third derivative of x**4 and allow_unused
x = torch.tensor(2.0, requires_grad=True)
y = x ** 4
d1, = torch.autograd.grad(y, x, create_graph=True)
d2, = torch.autograd.grad(d1, x, create_graph=True)
d3, = torch.autograd.grad(d2, x)
print(d1, d2, d3)
z = torch.tensor(1.0, requires_grad=True)
print(torch.autograd.grad(x * 3, [x, z], allow_unused=True))
print(torch.autograd.grad(x * 3, [x, z], allow_unused=True, materialize_grads=True))
try:
    torch.autograd.grad(x * 3, [x, z])
except RuntimeError as e:
    print(e)
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward(create_graph=True)
print(w.grad.detach(), w.grad.requires_grad, w.grad.grad_fn is not None)
gnorm = w.grad.pow(2).sum()
w.grad = None
gnorm.backward()
print(w.grad)
