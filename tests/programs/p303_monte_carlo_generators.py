# Monte Carlo with explicitly seeded torch.Generator objects: estimating pi, an integral with
# importance sampling, a random walk, option pricing with antithetic variates, and checking
# that generators are independent of the global stream and reproducible via get/set_state.
import math

import torch

g = torch.Generator().manual_seed(1234)
print("initial seed", g.initial_seed())

# pi by rejection
for n in (1000, 10000, 100000):
    pts = torch.rand(n, 2, generator=g)
    inside = (pts.pow(2).sum(1) <= 1.0).sum()
    print(f"n={n:6d} inside={inside.item():6d} pi~{4 * inside.item() / n:.4f}")

# integral of exp(-x^2) over [0, inf) = sqrt(pi)/2 via exponential importance sampling
u = torch.rand(50000, generator=g, dtype=torch.float64)
x = -torch.log1p(-u)  # Exp(1) samples
w = torch.exp(-x ** 2) / torch.exp(-x)
est = w.mean().item()
se = (w.std() / math.sqrt(w.numel())).item()
print(f"importance {est:.4f} +- {se:.4f} exact {math.sqrt(math.pi) / 2:.4f}")

# reproducibility with get_state / set_state
state = g.get_state()
a = torch.randn(5, generator=g)
g.set_state(state)
b = torch.randn(5, generator=g)
print("replay equal", torch.equal(a, b), state.dtype, state.shape)

# the global stream is unaffected by the private generator
torch.manual_seed(0)
first = torch.rand(3)
torch.manual_seed(0)
_ = torch.rand(100, generator=torch.Generator().manual_seed(5))
print("global untouched", torch.equal(first, torch.rand(3)))

# random walk: 200 walkers, 100 steps of +-1
steps = torch.randint(0, 2, (200, 100), generator=g) * 2 - 1
paths = steps.cumsum(1)
print("walk", steps.dtype, paths[:, -1].float().mean().item(), round(paths[:, -1].float().var().item(), 3),
      paths.abs().max().item())

# geometric Brownian motion, European call with antithetic variates
S0, K, r, sigma, T = 100.0, 105.0, 0.03, 0.2, 1.0
z = torch.randn(20000, generator=g, dtype=torch.float64)
drift = (r - 0.5 * sigma ** 2) * T
ST_plus = S0 * torch.exp(drift + sigma * math.sqrt(T) * z)
ST_minus = S0 * torch.exp(drift - sigma * math.sqrt(T) * z)
pay = 0.5 * ((ST_plus - K).clamp(min=0) + (ST_minus - K).clamp(min=0))
price = math.exp(-r * T) * pay.mean().item()
d1 = (math.log(S0 / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * math.sqrt(T))
d2 = d1 - sigma * math.sqrt(T)
Phi = lambda v: 0.5 * (1 + math.erf(v / math.sqrt(2)))
bs = S0 * Phi(d1) - K * math.exp(-r * T) * Phi(d2)
print(f"mc call {price:.3f} black-scholes {bs:.3f}")

# categorical sampling and bootstrapping
probs = torch.tensor([0.1, 0.2, 0.3, 0.4])
draws = torch.multinomial(probs, 4000, replacement=True, generator=g)
print("multinomial freq", (torch.bincount(draws, minlength=4) / 4000.0).tolist())
data = torch.randn(50, generator=g) + 3
idx = torch.randint(0, 50, (500, 50), generator=g)
boot = data[idx].mean(1)
lo, hi = torch.quantile(boot, torch.tensor([0.025, 0.975]))
print(f"bootstrap mean CI [{lo.item():.3f}, {hi.item():.3f}] sample mean {data.mean().item():.3f}")
perm = torch.randperm(10, generator=g)
print("randperm", perm.tolist(), perm.dtype)
print("normal_", torch.empty(4).normal_(mean=2.0, std=0.1, generator=g))
print("uniform_", torch.empty(2, 2).uniform_(-1, 1, generator=g))
print("bernoulli", torch.bernoulli(torch.full((8,), 0.5), generator=g))
