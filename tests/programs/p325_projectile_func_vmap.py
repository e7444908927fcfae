# Differentiable simulation with torch.func: a projectile with quadratic drag integrated by
# semi-implicit Euler, the launch angle and speed optimised through the whole simulation,
# per-parameter sensitivities with jacrev/jacfwd, vmap over a batch of launch angles, and
# hessian of the range with respect to the angle.
import math

import torch
from torch.func import grad, hessian, jacfwd, jacrev, vmap

g_acc = 9.81
drag = 0.05
dt = 0.01
steps = 150


def simulate(params):
    # params: [angle (rad), speed]; returns the final position after a fixed time
    angle, speed = params[0], params[1]
    pos = torch.zeros(2, dtype=params.dtype)
    vel = torch.stack([speed * torch.cos(angle), speed * torch.sin(angle)])
    for _ in range(steps):
        acc = -drag * vel.norm() * vel + torch.tensor([0.0, -g_acc], dtype=params.dtype)
        vel = vel + dt * acc
        pos = pos + dt * vel
    return pos


p0 = torch.tensor([math.radians(45.0), 12.0], dtype=torch.float64)
end = simulate(p0)
print("end position", end.round(decimals=4).tolist())
J = jacrev(simulate)(p0)
Jf = jacfwd(simulate)(p0)
print("jacobian\n", J.round(decimals=4), "\nrev == fwd", torch.allclose(J, Jf))
eps = 1e-6
fd = torch.stack([(simulate(p0 + eps * e) - simulate(p0 - eps * e)) / (2 * eps)
                  for e in torch.eye(2, dtype=torch.float64)], 1)
print("finite differences agree", torch.allclose(J, fd, atol=1e-5))

# hit a target at (8, 2) by adjusting angle and speed
target = torch.tensor([8.0, 2.0], dtype=torch.float64)
params = p0.clone().requires_grad_(True)
opt = torch.optim.Adam([params], lr=0.05)
for it in range(60):
    loss = (simulate(params) - target).pow(2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 20 == 0:
        print(f"it {it:2d} loss {loss.item():.5f} angle {math.degrees(params[0].item()):.3f} speed {params[1].item():.4f}")
print(f"final miss {(simulate(params.detach()) - target).norm().item():.4f}")

# vmap over many angles: height at the fixed time
angles = torch.linspace(0.2, 1.4, 7, dtype=torch.float64)
batch = torch.stack([angles, torch.full_like(angles, 12.0)], 1)
ends = vmap(simulate)(batch)
print("vmapped ends", ends.shape, ends[:, 0].round(decimals=3).tolist())
loop = torch.stack([simulate(b) for b in batch])
print("vmap == loop", torch.allclose(ends, loop))


def horizontal(angle):
    return simulate(torch.stack([angle, torch.tensor(12.0, dtype=torch.float64)]))[0]


a0 = torch.tensor(0.6, dtype=torch.float64)
print(f"d x/d angle {grad(horizontal)(a0).item():.5f} d2 {hessian(horizontal)(a0).item():.5f}")
best = angles[ends[:, 0].argmax()]
print(f"best grid angle {math.degrees(best.item()):.1f} deg")
# per-sample gradients of a scalar function with vmap(grad)
def energy(p):
    return 0.5 * p[1] ** 2 + g_acc * torch.sin(p[0])


print("per-sample grads\n", vmap(grad(energy))(batch[:3]).round(decimals=4))
