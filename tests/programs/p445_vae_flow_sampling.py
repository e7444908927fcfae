# Generative models: a tiny VAE whose posterior is Independent(Normal) with kl_divergence against
# the prior and rsample for the reparameterisation trick, a one-layer planar-ish affine flow
# trained by maximum likelihood with TransformedDistribution, and a token sampler using seeded
# generators, torch.multinomial, temperature, top-k and top-p (nucleus) filtering.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import (Categorical, Independent, Normal, TransformedDistribution,
                                 kl_divergence)
from torch.distributions.transforms import AffineTransform, ExpTransform

torch.manual_seed(0)
# --- data: two gaussian blobs in 4-D
data = torch.cat([torch.randn(100, 4) * 0.3 + 1.0, torch.randn(100, 4) * 0.3 - 1.0])


class VAE(nn.Module):
    def __init__(self, d=4, z=2, h=16):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(d, h), nn.Tanh(), nn.Linear(h, 2 * z))
        self.dec = nn.Sequential(nn.Linear(z, h), nn.Tanh(), nn.Linear(h, d))
        self.z = z

    def posterior(self, x):
        mu, log_sigma = self.enc(x).chunk(2, dim=-1)
        return Independent(Normal(mu, log_sigma.exp()), 1)

    def prior(self):
        return Independent(Normal(torch.zeros(self.z), torch.ones(self.z)), 1)

    def forward(self, x):
        q = self.posterior(x)
        z = q.rsample()
        px = Independent(Normal(self.dec(z), 0.3), 1)
        rec = px.log_prob(x)
        kl = kl_divergence(q, self.prior())
        return -(rec - kl).mean(), rec.mean(), kl.mean()


vae = VAE()
q = vae.posterior(data[:3])
print(q)
print("batch_shape", q.batch_shape, "event_shape", q.event_shape, "sample", tuple(q.sample((5,)).shape))
print("log_prob shape", tuple(q.log_prob(q.rsample()).shape), "entropy", q.entropy().round(decimals=4))
opt = torch.optim.Adam(vae.parameters(), lr=1e-2)
for step in range(150):
    loss, rec, kl = vae(data)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0 or step == 149:
        print(f"vae step {step} loss {loss.item():.4f} rec {rec.item():.4f} kl {kl.item():.4f}")
with torch.no_grad():
    mu = vae.posterior(data).mean
    print("latent means by blob", mu[:100].mean(0).round(decimals=2).tolist(), mu[100:].mean(0).round(decimals=2).tolist())
    g = torch.Generator().manual_seed(123)
    z = torch.randn(3, 2, generator=g)
    print("decoded samples", vae.dec(z).round(decimals=3))

# analytic KL between normals vs Monte Carlo estimate
p, r = Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])), Normal(torch.tensor([0.5, 0.0]), torch.tensor([1.5, 1.0]))
s = p.sample((20000,))
print("kl analytic", kl_divergence(p, r).round(decimals=4).tolist(),
      "mc close", torch.allclose((p.log_prob(s) - r.log_prob(s)).mean(0), kl_divergence(p, r), atol=0.05))

# --- flow: learn a log-normal with exp(affine(base))
target = torch.exp(torch.randn(500) * 0.5 + 0.7)
loc = torch.zeros((), requires_grad=True)
log_scale = torch.zeros((), requires_grad=True)
fopt = torch.optim.Adam([loc, log_scale], lr=0.05)
for step in range(200):
    flow = TransformedDistribution(Normal(0.0, 1.0), [AffineTransform(loc, log_scale.exp()), ExpTransform()])
    nll = -flow.log_prob(target).mean()
    fopt.zero_grad()
    nll.backward()
    fopt.step()
print("flow fit loc", round(loc.item(), 3), "scale", round(log_scale.exp().item(), 3), "nll", round(nll.item(), 4))
print("flow sample", tuple(flow.sample((4,)).shape), "support", flow.support)

# --- sampling loop with temperature / top-k / top-p
vocab = 12
W = torch.randn(vocab, vocab)


def filter_logits(logits, top_k=0, top_p=1.0):
    logits = logits.clone()
    if top_k > 0:
        kth = torch.topk(logits, top_k).values[..., -1, None]
        logits[logits < kth] = float("-inf")
    if top_p < 1.0:
        sorted_logits, sorted_idx = torch.sort(logits, descending=True)
        cum = sorted_logits.softmax(-1).cumsum(-1)
        remove = cum > top_p
        remove[..., 1:] = remove[..., :-1].clone()
        remove[..., 0] = False
        logits[remove.scatter(-1, sorted_idx, remove)] = float("-inf")
    return logits


def generate(start, n, temperature=1.0, top_k=0, top_p=1.0, seed=0):
    g = torch.Generator().manual_seed(seed)
    seq = [start]
    for _ in range(n):
        logits = W[seq[-1]] / temperature
        probs = F.softmax(filter_logits(logits, top_k, top_p), dim=-1)
        seq.append(torch.multinomial(probs, 1, generator=g).item())
    return seq


print("greedy-ish  ", generate(0, 10, temperature=0.1))
print("top-k 3     ", generate(0, 10, top_k=3))
print("top-p 0.8   ", generate(0, 10, top_p=0.8))
print("same seed   ", generate(0, 10, top_p=0.8) == generate(0, 10, top_p=0.8))
f = filter_logits(W[0], top_k=4)
print("kept", torch.isfinite(f).sum().item(), f.topk(4).indices.tolist())
print("filtered", filter_logits(torch.tensor([2.0, 1.0, 0.5, 0.0, -1.0]), top_p=0.7))
c = Categorical(logits=W[:2])
print(c, "sample", c.sample((3,), ).shape, "entropy", c.entropy().round(decimals=4).tolist())
draws = torch.multinomial(torch.tensor([0.1, 0.0, 0.6, 0.3]), 4000, replacement=True, generator=torch.Generator().manual_seed(1))
print("empirical", (torch.bincount(draws, minlength=4) / 4000.0).tolist())
print("without replacement", torch.multinomial(torch.tensor([1.0, 2.0, 3.0, 4.0]), 4, generator=torch.Generator().manual_seed(2)).tolist())
try:
    torch.multinomial(torch.tensor([1.0, 0.0, 0.0]), 4)
except RuntimeError as e:
    print("RuntimeError:", e)
