# Grid physics: the 2-D heat equation stepped with a 5-point Laplacian as F.conv2d (Dirichlet
# and periodic boundaries via F.pad modes), a wave equation with leapfrog, Jacobi iterations
# for Laplace's equation, and a 2-D Ising model sampled with checkerboard Metropolis updates
# from a seeded generator.
import math

import torch
import torch.nn.functional as F

torch.set_printoptions(precision=4, sci_mode=False)
lap = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]], dtype=torch.float64).view(1, 1, 3, 3)

N = 32
u = torch.zeros(1, 1, N, N, dtype=torch.float64)
u[..., 12:20, 12:20] = 1.0
alpha = 0.2  # dt * kappa / dx^2, stable below 0.25
mass0 = u.sum().item()
for step in range(100):
    u = u + alpha * F.conv2d(F.pad(u, (1, 1, 1, 1), mode="circular"), lap)
print(f"periodic heat: mass {mass0:.4f} -> {u.sum().item():.4f}, max {u.max().item():.4f}, min {u.min().item():.4f}")
v = torch.zeros(1, 1, N, N, dtype=torch.float64)
v[..., 12:20, 12:20] = 1.0
for step in range(100):
    v = v + alpha * F.conv2d(F.pad(v, (1, 1, 1, 1), mode="constant", value=0.0), lap)
print(f"dirichlet heat: mass {v.sum().item():.4f} (leaks), centre {v[0, 0, 16, 16].item():.4f}")
r = F.pad(torch.arange(9.0).view(1, 1, 3, 3), (1, 1, 1, 1), mode="replicate")
print("replicate pad\n", r[0, 0])
print("reflect pad\n", F.pad(torch.arange(9.0).view(1, 1, 3, 3), (1, 1, 1, 1), mode="reflect")[0, 0])

# 1-D wave equation, leapfrog, fixed ends; energy approximately conserved
M = 100
x = torch.linspace(0, 1, M, dtype=torch.float64)
c, dx = 1.0, 1.0 / (M - 1)
dt = 0.5 * dx / c
prev = torch.exp(-200 * (x - 0.3) ** 2)
prev[0] = prev[-1] = 0.0
cur = prev.clone()
k1 = torch.tensor([1.0, -2.0, 1.0], dtype=torch.float64).view(1, 1, 3)
for n in range(300):
    lapl = F.conv1d(cur.view(1, 1, -1), k1, padding=1).view(-1)
    nxt = 2 * cur - prev + (c * dt / dx) ** 2 * lapl
    nxt[0] = nxt[-1] = 0.0
    prev, cur = cur, nxt
print(f"wave: peak at x={x[cur.abs().argmax()].item():.4f} amplitude {cur.abs().max().item():.4f}")

# Laplace's equation on a square: top edge held at 1, Jacobi until converged
phi = torch.zeros(N, N, dtype=torch.float64)
phi[0, :] = 1.0
avg = torch.tensor([[0.0, 0.25, 0.0], [0.25, 0.0, 0.25], [0.0, 0.25, 0.0]], dtype=torch.float64).view(1, 1, 3, 3)
for it in range(3000):
    new = phi.clone()
    new[1:-1, 1:-1] = F.conv2d(phi.view(1, 1, N, N), avg).view(N - 2, N - 2)
    delta = (new - phi).abs().max().item()
    phi = new
    if delta < 1e-6:
        break
print(f"laplace: {it + 1} iterations, centre {phi[N // 2, N // 2].item():.4f} (symmetric {torch.allclose(phi, phi.flip(1))})")

# Ising model: checkerboard Metropolis with a seeded generator
g = torch.Generator().manual_seed(2024)
L = 24
ii, jj = torch.meshgrid(torch.arange(L), torch.arange(L), indexing="ij")
black = (ii + jj) % 2 == 0
nbr = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]).view(1, 1, 3, 3)
for T in (1.5, 2.27, 3.5):
    spins = torch.where(torch.rand(L, L, generator=g) < 0.5, -1.0, 1.0)
    mags = []
    for sweep in range(200):
        for colour in (black, ~black):
            h = F.conv2d(F.pad(spins.view(1, 1, L, L), (1, 1, 1, 1), mode="circular"), nbr).view(L, L)
            dE = 2 * spins * h
            accept = torch.rand(L, L, generator=g) < torch.exp(-dE / T)
            spins = torch.where(colour & accept, -spins, spins)
        if sweep >= 100:
            mags.append(spins.mean().abs().item())
    h = F.conv2d(F.pad(spins.view(1, 1, L, L), (1, 1, 1, 1), mode="circular"), nbr).view(L, L)
    energy = -(spins * h).sum().item() / 2 / L ** 2
    print(f"ising T={T}: <|m|>={sum(mags) / len(mags):.3f} energy/site={energy:.3f}")
print("critical temperature", round(2 / math.log(1 + math.sqrt(2)), 4))
