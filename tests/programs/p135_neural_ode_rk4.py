# Neural-ODE style training: a small MLP vector field integrated with fixed-step Euler and
# RK4 loops, backpropagating through the solver to fit a spiral trajectory.
import math

import torch
import torch.nn as nn


class ODEFunc(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 2))
        self.nfe = 0

    def forward(self, t, y):
        self.nfe += 1
        return self.net(y ** 3)


def rk4_step(func, t, y, dt):
    k1 = func(t, y)
    k2 = func(t + dt / 2, y + dt * k1 / 2)
    k3 = func(t + dt / 2, y + dt * k2 / 2)
    k4 = func(t + dt, y + dt * k3)
    return y + dt * (k1 + 2 * k2 + 2 * k3 + k4) / 6


def odeint(func, y0, t, method="rk4"):
    ys = [y0]
    y = y0
    for i in range(len(t) - 1):
        dt = t[i + 1] - t[i]
        if method == "rk4":
            y = rk4_step(func, t[i], y, dt)
        else:
            y = y + dt * func(t[i], y)
        ys.append(y)
    return torch.stack(ys)


# check the integrators on dy/dt = -y, whose solution is exp(-t)
decay = lambda t, y: -y  # noqa: E731
t = torch.linspace(0, 1, 11)
y0 = torch.tensor([1.0])
exact = math.exp(-1.0)
for method in ["euler", "rk4"]:
    yT = odeint(decay, y0, t, method)[-1].item()
    print(f"{method}: y(1)={yT:.6f} err={abs(yT - exact):.2e}")

# harmonic oscillator keeps energy with RK4
A = torch.tensor([[0.0, 1.0], [-1.0, 0.0]])
traj = odeint(lambda t, y: y @ A.T, torch.tensor([1.0, 0.0]), torch.linspace(0, 6.2832, 101))
energy = (traj ** 2).sum(1)
print(traj.shape, f"{energy.min().item():.5f} {energy.max().item():.5f}")

# ground-truth spiral from a linear ODE in y**3
true_A = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]])
t = torch.linspace(0.0, 1.5, 16)
with torch.no_grad():
    true_y = odeint(lambda t, y: (y ** 3) @ true_A, torch.tensor([[2.0, 0.0]]), t)
print(true_y.shape)
print(true_y[::5].squeeze(1))

func = ODEFunc()
with torch.no_grad():
    for i, p in enumerate(func.parameters()):
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.9 + i).view(p.shape) * 0.1)
opt = torch.optim.RMSprop(func.parameters(), lr=1e-3)
for itr in range(1, 31):
    opt.zero_grad()
    pred_y = odeint(func, true_y[0], t)
    loss = torch.mean(torch.abs(pred_y - true_y))
    loss.backward()
    opt.step()
    if itr % 10 == 0:
        print(f"iter {itr:02d} loss {loss.item():.4f}")
print("function evaluations:", func.nfe)
g = func.net[0].weight.grad
print(g.shape, bool(torch.isfinite(g).all()))
