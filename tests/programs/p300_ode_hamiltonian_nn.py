# Physics with autograd: integrate a pendulum with Euler, symplectic Euler and RK4, check
# energy drift, then fit a Hamiltonian neural network whose vector field comes from
# torch.autograd.grad(H, (q, p), create_graph=True) and roll it out with leapfrog.
import math

import torch
import torch.nn as nn

torch.manual_seed(0)


def pendulum_H(q, p):
    return 0.5 * p ** 2 + (1 - torch.cos(q))


def field(state):
    # dq/dt = dH/dp, dp/dt = -dH/dq, both from autograd of the true Hamiltonian
    state = state.detach().requires_grad_(True)
    q, p = state[..., 0], state[..., 1]
    H = pendulum_H(q, p).sum()
    dq, dp = torch.autograd.grad(H, (q, p))
    return torch.stack([dp, -dq], dim=-1)


def euler(s, dt):
    return s + dt * field(s)


def symplectic(s, dt):
    q, p = s[..., 0], s[..., 1]
    p = p - dt * torch.sin(q)
    q = q + dt * p
    return torch.stack([q, p], -1)


def rk4(s, dt):
    k1 = field(s)
    k2 = field(s + 0.5 * dt * k1)
    k3 = field(s + 0.5 * dt * k2)
    k4 = field(s + dt * k3)
    return s + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


s0 = torch.tensor([1.0, 0.0], dtype=torch.float64)
E0 = pendulum_H(s0[0], s0[1]).item()
for name, step in [("euler", euler), ("symplectic", symplectic), ("rk4", rk4)]:
    s = s0.clone()
    for _ in range(200):
        s = step(s, 0.05)
    E = pendulum_H(s[0], s[1]).item()
    print(f"{name:>10}: q={s[0].item():+.5f} p={s[1].item():+.5f} dE={E - E0:+.2e}")

# training data: states and true time derivatives
q = (torch.rand(256, dtype=torch.float64) * 2 - 1) * 2.0
p = (torch.rand(256, dtype=torch.float64) * 2 - 1) * 1.5
X = torch.stack([q, p], 1).float()
Y = field(torch.stack([q, p], 1)).float()
print("data", X.shape, Y.shape, X.dtype, f"{Y.abs().mean():.4f}")


class HNN(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.Tanh(), nn.Linear(hidden, hidden),
                                 nn.Tanh(), nn.Linear(hidden, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)

    def time_derivative(self, x):
        with torch.enable_grad():
            x = x if x.requires_grad else x.requires_grad_(True)
            H = self(x).sum()
            dH = torch.autograd.grad(H, x, create_graph=True)[0]
        return torch.stack([dH[:, 1], -dH[:, 0]], 1)


model = HNN()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(150):
    opt.zero_grad()
    pred = model.time_derivative(X.clone())
    loss = ((pred - Y) ** 2).mean()
    loss.backward()
    opt.step()
    if epoch % 30 == 0 or epoch == 149:
        print(f"epoch {epoch:3d} loss {loss.item():.4f}")

# leapfrog rollout with the learned field; compare with the truth
x = torch.tensor([[1.0, 0.0]])
traj = [x]
for _ in range(50):
    x = (x + 0.1 * model.time_derivative(x.clone())).detach()
    traj.append(x)
traj = torch.cat(traj)
true = s0.clone()
for _ in range(50):
    true = rk4(true, 0.1)
print("rollout", traj.shape, f"end {traj[-1, 0].item():.2f} {traj[-1, 1].item():.2f}",
      f"true {true[0].item():.2f} {true[1].item():.2f}")
Hl = model(traj).detach()
print(f"learned H spread {(Hl.max() - Hl.min()).item():.3f}", torch.isfinite(Hl).all().item())
print("period estimate", round(2 * math.pi / math.sqrt(1.0), 4))
