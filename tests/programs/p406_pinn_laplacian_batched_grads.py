import math
import torch
import torch.nn as nn

torch.manual_seed(0)


class MLP(nn.Module):
    def __init__(self, din=2, width=16, depth=2):
        super().__init__()
        layers = [nn.Linear(din, width), nn.Tanh()]
        for _ in range(depth - 1):
            layers += [nn.Linear(width, width), nn.Tanh()]
        layers.append(nn.Linear(width, 1))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def laplacian(u, x):
    grads = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    lap = torch.zeros_like(u.squeeze(-1))
    for i in range(x.shape[1]):
        g2 = torch.autograd.grad(grads[:, i], x, grad_outputs=torch.ones_like(grads[:, i]),
                                 create_graph=True)[0][:, i]
        lap = lap + g2
    return lap


# Poisson problem -lap u = 2 pi^2 sin(pi x) sin(pi y) on the unit square, u = 0 on the boundary
model = MLP()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
xi = torch.rand(64, 2, requires_grad=True)
side = torch.rand(16, 1)
zeros = torch.zeros(16, 1)
ones = torch.ones(16, 1)
xb = torch.cat([torch.cat([side, zeros], 1), torch.cat([side, ones], 1),
                torch.cat([zeros, side], 1), torch.cat([ones, side], 1)])
f = 2 * math.pi ** 2 * torch.sin(math.pi * xi[:, 0]) * torch.sin(math.pi * xi[:, 1])
f = f.detach()
for step in range(40):
    u = model(xi)
    res = -laplacian(u, xi) - f
    loss = res.pow(2).mean() + 10 * model(xb).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(step, round(loss.item(), 3))

# check the autograd Laplacian against an analytic one
xt = torch.rand(5, 2, requires_grad=True)
u = (torch.sin(xt[:, 0]) * xt[:, 1] ** 3).unsqueeze(1)
lap = laplacian(u, xt)
exact = -torch.sin(xt[:, 0]) * xt[:, 1] ** 3 + 6 * torch.sin(xt[:, 0]) * xt[:, 1]
print(torch.allclose(lap, exact.detach(), atol=1e-5))

# the same with torch.func: trace of the Hessian, vmapped over points
from torch.func import hessian, vmap, jacrev, functional_call

params = {k: v.detach() for k, v in model.named_parameters()}


def u_single(p, x):
    return functional_call(model, p, (x,)).squeeze()


lap_func = vmap(lambda x: torch.trace(hessian(u_single, argnums=1)(params, x)))(xi.detach()[:6])
print(torch.allclose(lap_func, laplacian(model(xi), xi)[:6].detach(), atol=1e-4))
grad_u = vmap(jacrev(u_single, argnums=1), in_dims=(None, 0))(params, xi.detach()[:3])
print(grad_u.shape, grad_u.round(decimals=3))

# is_grads_batched: the whole Jacobian in one call
x = torch.randn(3, requires_grad=True)
y = torch.stack([x[0] * x[1], x[1] ** 2, x.sum().sin()])
(J,) = torch.autograd.grad(y, x, grad_outputs=torch.eye(3), is_grads_batched=True)
print(J.round(decimals=4))
print(torch.allclose(J, torch.autograd.functional.jacobian(
    lambda t: torch.stack([t[0] * t[1], t[1] ** 2, t.sum().sin()]), x.detach())))

# allow_unused and materialize_grads
a = torch.randn(2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
out = (a * 2).sum()
ga, gb = torch.autograd.grad(out, (a, b), allow_unused=True, retain_graph=True)
print(ga, gb)
ga, gb = torch.autograd.grad(out, (a, b), materialize_grads=True)
print(ga, gb)
try:
    torch.autograd.grad((a * 2).sum(), (a, b))
except RuntimeError as e:
    print("RuntimeError:", str(e)[:90])

# Burgers-type residual: u_t + u u_x - nu u_xx on (t, x) pairs
net = MLP()
tx = torch.rand(10, 2, requires_grad=True)
u = net(tx)
du = torch.autograd.grad(u.sum(), tx, create_graph=True)[0]
u_t, u_x = du[:, 0:1], du[:, 1:2]
u_xx = torch.autograd.grad(u_x.sum(), tx, create_graph=True)[0][:, 1:2]
residual = u_t + u * u_x - (0.01 / math.pi) * u_xx
loss = residual.pow(2).mean()
loss.backward()
print(round(loss.item(), 5), round(sum(p.grad.abs().sum().item() for p in net.parameters()), 4))
print(u_xx.grad_fn is not None, tx.grad.shape)
