# Physics-informed network for u''(x) = -pi^2 sin(pi x) on [0, 1] with u(0)=u(1)=0:
# derivatives of the network output w.r.t. its input through autograd.grad(create_graph=True).
import math

import torch
import torch.nn as nn

torch.manual_seed(0)


class PINN(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, width), nn.Tanh(), nn.Linear(width, width),
                                 nn.Tanh(), nn.Linear(width, 1))

    def forward(self, x):
        return self.net(x)


model = PINN()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.cos(torch.arange(p.numel(), dtype=torch.float32) * 1.7 + i).view(p.shape) * 0.5)


def derivatives(u, x):
    du = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    d2u = torch.autograd.grad(du, x, grad_outputs=torch.ones_like(du), create_graph=True)[0]
    return du, d2u


# sanity check on a known function: u = x^3 -> u' = 3x^2, u'' = 6x
x = torch.linspace(-1, 1, 5).view(-1, 1).requires_grad_(True)
du, d2u = derivatives(x ** 3, x)
print(du.view(-1))
print(d2u.view(-1))
print(du.requires_grad, d2u.grad_fn is not None)

# third derivative of sin is -cos
xs = torch.tensor([0.0, 0.5, 1.0], requires_grad=True)
y = torch.sin(xs)
g1, = torch.autograd.grad(y.sum(), xs, create_graph=True)
g2, = torch.autograd.grad(g1.sum(), xs, create_graph=True)
g3, = torch.autograd.grad(g2.sum(), xs)
print(torch.allclose(g3, -torch.cos(xs.detach())))

x_col = torch.linspace(0, 1, 32).view(-1, 1).requires_grad_(True)
x_bc = torch.tensor([[0.0], [1.0]])
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(200):
    opt.zero_grad()
    u = model(x_col)
    _, u_xx = derivatives(u, x_col)
    residual = u_xx + math.pi ** 2 * torch.sin(math.pi * x_col)
    loss_pde = residual.pow(2).mean()
    loss_bc = model(x_bc).pow(2).mean()
    loss = loss_pde + 10 * loss_bc
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(f"step {step:3d} pde {loss_pde.item():.3f} bc {loss_bc.item():.4f}")

x_test = torch.linspace(0, 1, 11).view(-1, 1)
with torch.no_grad():
    err = (model(x_test) - torch.sin(math.pi * x_test)).abs().max().item()
print("max error < 0.5:", err < 0.5)
print("loss decreased:", loss.item() < 10.0)

# the gradient w.r.t. the input of a batched network via vmap-free Jacobian
jac = torch.autograd.functional.jacobian(lambda z: model(z).sum(0), torch.tensor([[0.25], [0.75]]))
print(jac.shape)
hess = torch.autograd.functional.hessian(lambda z: model(z.view(1, 1)).squeeze(), torch.tensor(0.5))
print(hess.shape)
