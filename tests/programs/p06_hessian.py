# Higher-order gradients: grad of grad, Hessians, Jacobians.
import torch
from torch.autograd.functional import hessian, jacobian

x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)


def f(x):
    return x[0] ** 2 * x[1] + torch.sin(x[1]) * x[0] ** 3


y = f(x)
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g)
H = torch.stack([torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(2)])
print(H)
print(hessian(f, x.detach()))
print(jacobian(lambda v: torch.stack([v[0] * v[1], v[0] + v[1] ** 2]), x.detach()))

t = torch.tensor(1.5, requires_grad=True)
y = t ** 4
d1 = torch.autograd.grad(y, t, create_graph=True)[0]
d2 = torch.autograd.grad(d1, t, create_graph=True)[0]
d3 = torch.autograd.grad(d2, t)[0]
print(d1, d2, d3)

# gradient penalty as in WGAN-GP
w = torch.tensor([[0.5, -0.3], [0.2, 0.8]], requires_grad=True)
inp = torch.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)
out = torch.tanh(inp @ w).sum()
grads = torch.autograd.grad(out, inp, grad_outputs=torch.ones_like(out), create_graph=True)[0]
penalty = ((grads.norm(2, dim=1) - 1) ** 2).mean()
penalty.backward()
print(round(penalty.item(), 4))
print(w.grad.round(decimals=4))

# Hessian-vector product
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
loss = (x ** 3).sum() + (x[0] * x[1])
g = torch.autograd.grad(loss, x, create_graph=True)[0]
v = torch.tensor([1.0, 0.0, 1.0])
hv = torch.autograd.grad(g, x, grad_outputs=v)[0]
print(hv)
print(torch.autograd.functional.vjp(lambda a: a ** 2, torch.tensor([1.0, 2.0]), torch.tensor([1.0, 1.0])))
print(torch.autograd.functional.jvp(lambda a: a ** 2, torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.0])))
