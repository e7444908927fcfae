# Probabilistic modelling with torch.distributions: a Gaussian mixture as MixtureSameFamily
# fitted by gradient descent on log_prob, Beta-Bernoulli and Dirichlet-Categorical conjugate
# updates, Poisson regression, expand / batch shapes, cdf / icdf, rsample vs sample, and
# validation errors for bad parameters.
import torch
from torch.distributions import (Bernoulli, Beta, Categorical, Dirichlet, Gamma, LogNormal,
                                 MixtureSameFamily, MultivariateNormal, Normal, OneHotCategorical,
                                 Poisson, StudentT, Uniform, constraints, kl_divergence)

torch.manual_seed(3)
data = torch.cat([torch.randn(150) * 0.5 - 2.0, torch.randn(100) * 0.8 + 1.5])
logits = torch.zeros(2, requires_grad=True)
locs = torch.tensor([-1.0, 1.0], requires_grad=True)
log_scales = torch.zeros(2, requires_grad=True)
opt = torch.optim.Adam([logits, locs, log_scales], lr=0.05)
for step in range(200):
    mix = MixtureSameFamily(Categorical(logits=logits), Normal(locs, log_scales.exp()))
    nll = -mix.log_prob(data).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
print("mixture weights", logits.softmax(0).detach().round(decimals=3).tolist(),
      "locs", locs.detach().round(decimals=3).tolist(), "scales", log_scales.exp().detach().round(decimals=3).tolist())
print("nll", round(nll.item(), 4), "mixture mean", round(mix.mean.item(), 4), "variance", round(mix.variance.item(), 4))
print(mix.batch_shape, mix.event_shape, tuple(mix.sample((5,)).shape))
resp = torch.softmax(mix.component_distribution.log_prob(data[:4, None]) + logits.log_softmax(0), -1)
print("responsibilities", resp.detach().round(decimals=3))

# Beta-Bernoulli conjugacy
flips = Bernoulli(probs=torch.tensor(0.7)).sample((50,))
post = Beta(1.0 + flips.sum(), 1.0 + (1 - flips).sum())
print("heads", int(flips.sum()), "posterior mean", round(post.mean.item(), 4), "mode", round(post.mode.item(), 4),
      "95% interval by sampling", [round(v, 3) for v in post.sample((4000,)).quantile(torch.tensor([0.025, 0.975])).tolist()])
# Dirichlet-Categorical
rolls = Categorical(probs=torch.tensor([0.1, 0.2, 0.3, 0.4])).sample((80,))
counts = torch.bincount(rolls, minlength=4).float()
dpost = Dirichlet(torch.ones(4) + counts)
print("counts", counts.tolist(), "dirichlet mean", dpost.mean.round(decimals=3).tolist(),
      "entropy", round(dpost.entropy().item(), 4), "rsample sums to 1", round(dpost.rsample().sum().item(), 5))
oh = OneHotCategorical(probs=dpost.mean)
print("one-hot sample", oh.sample(), "log_prob", round(oh.log_prob(torch.tensor([0.0, 0.0, 1.0, 0.0])).item(), 4))

# Poisson regression
x = torch.rand(200, 1) * 2
y = Poisson(torch.exp(0.5 + 1.2 * x.squeeze())).sample()
w = torch.zeros(2, requires_grad=True)
opt = torch.optim.LBFGS([w], lr=0.5, max_iter=50)


def closure():
    opt.zero_grad()
    rate = torch.exp(w[0] + w[1] * x.squeeze())
    loss = -Poisson(rate).log_prob(y).mean()
    loss.backward()
    return loss


opt.step(closure)
print("poisson fit", w.detach().round(decimals=2).tolist(), "poisson_nll_loss", round(torch.nn.functional.poisson_nll_loss(w[0] + w[1] * x.squeeze(), y).item(), 4))

# shapes, expand, cdf/icdf
n = Normal(torch.zeros(3), torch.ones(3))
e = n.expand(torch.Size([4, 3]))
print("expand", e.batch_shape, tuple(e.sample().shape), "cdf", n.cdf(torch.tensor([-1.0, 0.0, 1.96])).round(decimals=4).tolist(),
      "icdf", n.icdf(torch.tensor([0.025, 0.5, 0.975])).round(decimals=4).tolist())
mvn = MultivariateNormal(torch.zeros(2), covariance_matrix=torch.tensor([[2.0, 0.6], [0.6, 1.0]]))
print("mvn", mvn.batch_shape, mvn.event_shape, "scale_tril", mvn.scale_tril.round(decimals=4).tolist(),
      "log_prob", round(mvn.log_prob(torch.tensor([0.5, -0.5])).item(), 4), "entropy", round(mvn.entropy().item(), 4))
print("kl(mvn || std)", round(kl_divergence(mvn, MultivariateNormal(torch.zeros(2), torch.eye(2))).item(), 4),
      "kl gamma", round(kl_divergence(Gamma(2.0, 1.0), Gamma(3.0, 2.0)).item(), 4))
print("lognormal mean", round(LogNormal(0.0, 0.5).mean.item(), 4), "studentT var", StudentT(5.0).variance.item(),
      "uniform entropy", round(Uniform(0.0, 4.0).entropy().item(), 4))
print("has_rsample", Normal(0.0, 1.0).has_rsample, Bernoulli(0.3).has_rsample, Dirichlet(torch.ones(2)).has_rsample)
print("support", Beta(2.0, 2.0).support, Poisson(1.0).support, constraints.simplex)
for bad in (lambda: Normal(0.0, -1.0), lambda: Bernoulli(probs=1.5), lambda: Categorical(probs=torch.tensor([[-0.1, 1.1]])),
            lambda: Normal(0.0, 1.0).log_prob(torch.tensor([[1.0]])).shape, lambda: Poisson(2.0).log_prob(torch.tensor(1.5))):
    try:
        print("ok", bad())
    except ValueError as err:
        print("ValueError:", str(err).split("\n")[0][:160])
