# Mixture density network (Bishop 1994) on the inverted sine problem: the network outputs
# mixture logits, means and log-scales; the NLL uses log_softmax + logsumexp.
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

K = 3
rng = np.random.default_rng(1)
y_np = rng.uniform(-10.5, 10.5, size=(200, 1)).astype(np.float32)
x_np = (np.sin(0.75 * y_np) * 7.0 + y_np * 0.5 + rng.normal(0, 1, size=y_np.shape)).astype(np.float32)
x = torch.from_numpy(x_np) / 10
y = torch.from_numpy(y_np) / 10
print(x.shape, y.shape, x.dtype)


class MDN(nn.Module):
    def __init__(self, hidden=20, k=K):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(1, hidden), nn.Tanh())
        self.pi = nn.Linear(hidden, k)
        self.mu = nn.Linear(hidden, k)
        self.log_sigma = nn.Linear(hidden, k)

    def forward(self, x):
        h = self.body(x)
        return self.pi(h), self.mu(h), self.log_sigma(h).clamp(-7, 7)


def mdn_nll(logits, mu, log_sigma, y):
    log_pi = F.log_softmax(logits, dim=-1)
    z = (y - mu) / log_sigma.exp()
    log_n = -0.5 * z ** 2 - log_sigma - 0.5 * math.log(2 * math.pi)
    return -torch.logsumexp(log_pi + log_n, dim=-1).mean()


model = MDN()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 1.3 + i).view(p.shape) * 0.8)

logits, mu, log_sigma = model(x)
print(logits.shape, mu.shape, log_sigma.shape)
# the hand-written NLL matches torch.distributions' MixtureSameFamily
from torch.distributions import Categorical, MixtureSameFamily, Normal

mix = MixtureSameFamily(Categorical(logits=logits), Normal(mu, log_sigma.exp()))
print(torch.allclose(-mix.log_prob(y.squeeze(-1)).mean(), mdn_nll(logits, mu, log_sigma, y),
                     atol=1e-5))
print(mix.batch_shape, mix.event_shape)

# logsumexp is stable where the naive formula overflows
big = torch.tensor([[1000.0, 1000.0], [-1000.0, -1000.0]])
print(torch.logsumexp(big, dim=1), torch.log(torch.exp(big).sum(1)))
print(torch.logsumexp(torch.tensor([float("-inf"), float("-inf")]), 0))
print(F.softmax(big, dim=1), F.log_softmax(big, dim=1))
print(torch.softmax(torch.tensor([1.0, 2.0, 3.0]), 0, dtype=torch.float64))

opt = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(150):
    opt.zero_grad()
    loss = mdn_nll(*model(x), y)
    loss.backward()
    opt.step()
    if epoch % 50 == 0:
        print(f"epoch {epoch} nll {loss.item():.4f}")
print("nll decreased:", loss.item() < 0.5)

with torch.no_grad():
    xt = torch.linspace(-1, 1, 5).unsqueeze(1)
    logits, mu, log_sigma = model(xt)
    pi = logits.softmax(-1)
print(pi.shape, torch.allclose(pi.sum(-1), torch.ones(5)))
# the mode of the mixture: the mean of the most likely component
best = pi.argmax(-1, keepdim=True)
print(mu.gather(1, best).shape)
print(torch.log_softmax(torch.zeros(2, 4), -1)[0])
