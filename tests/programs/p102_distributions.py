# torch.distributions in ordinary model code: maximum-likelihood fits, a squashed-Gaussian
# policy's log-probability (SAC style), a categorical policy-gradient step, KL terms and
# validation errors. No random draws are printed (they are the framework's own numbers);
# only their shapes, and values computed from fixed inputs.
import math

import torch
import torch.distributions as D
from torch.distributions import constraints, kl_divergence

torch.set_printoptions(precision=4)
data = torch.tensor([0.3, 1.7, 2.2, 0.9, 1.4, 3.1, 2.6, 1.1], dtype=torch.float64)

# 1. fit a Normal by gradient descent on the negative log-likelihood
loc = torch.zeros((), dtype=torch.float64, requires_grad=True)
log_scale = torch.zeros((), dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([loc, log_scale], lr=0.1)
for step in range(60):
    opt.zero_grad()
    nll = -D.Normal(loc, log_scale.exp()).log_prob(data).mean()
    nll.backward()
    opt.step()
    if step % 20 == 0:
        print("normal", step, f"{nll.item():.6f}", f"{loc.item():.6f}", f"{log_scale.item():.6f}")
print("mle mean vs data mean", f"{loc.item():.4f}", f"{data.mean().item():.4f}")

# 2. a Gamma fit through softplus-parametrised concentration and rate
raw = torch.tensor([0.5, 0.5], dtype=torch.float64, requires_grad=True)
opt = torch.optim.SGD([raw], lr=0.05)
for step in range(40):
    opt.zero_grad()
    conc, rate = torch.nn.functional.softplus(raw)
    g = D.Gamma(conc, rate)
    loss = -g.log_prob(data).sum()
    loss.backward()
    opt.step()
fitted = torch.nn.functional.softplus(raw).tolist()
print("gamma", f"{loss.item():.6f}", [f"{v:.6f}" for v in fitted])
print("gamma stats", g.mean, g.variance, g.entropy(), g.cdf(torch.tensor(2.0, dtype=torch.float64)))

# 3. squashed Gaussian policy: log-prob of actions a = tanh(u), u = mu + sigma * eps
mu = torch.tensor([[0.1, -0.4], [0.7, 0.2]], dtype=torch.float64, requires_grad=True)
sigma = torch.tensor([[0.5, 0.8], [0.3, 1.2]], dtype=torch.float64, requires_grad=True)
eps = torch.tensor([[0.3, -1.1], [0.9, 0.05]], dtype=torch.float64)
base = D.Independent(D.Normal(mu, sigma), 1)
policy = D.TransformedDistribution(base, [D.TanhTransform(cache_size=1)])
action = torch.tanh(mu + sigma * eps)
logp = policy.log_prob(action)
print("policy", policy.batch_shape, policy.event_shape, logp)
logp.sum().backward()
print("policy grads", mu.grad, sigma.grad)

# 4. categorical policy gradient (REINFORCE with fixed actions and returns)
w = torch.tensor([[0.2, -0.1, 0.4], [0.0, 0.3, -0.2]], requires_grad=True)
states = torch.tensor([[1.0, 0.5], [-0.3, 2.0], [0.7, -1.0]])
actions = torch.tensor([2, 0, 1])
returns = torch.tensor([1.0, -0.5, 2.0])
dist = D.Categorical(logits=states @ w)
loss = -(dist.log_prob(actions) * returns).mean() - 0.01 * dist.entropy().mean()
loss.backward()
print("reinforce", f"{loss.item():.5f}", w.grad)
print("probs", dist.probs, dist.mode)

# 5. KL terms, closed forms
q = D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
p = D.Normal(torch.tensor([0.5, 0.5]), torch.tensor([0.8, 1.0]))
print("kl normal", kl_divergence(p, q))
print("kl mvn", kl_divergence(
    D.MultivariateNormal(torch.zeros(2), torch.tensor([[2.0, 0.3], [0.3, 1.0]])),
    D.MultivariateNormal(torch.ones(2), scale_tril=torch.tensor([[1.5, 0.0], [0.2, 0.7]]))))
print("kl dirichlet", kl_divergence(D.Dirichlet(torch.tensor([1.0, 2.0, 3.0])),
                                    D.Dirichlet(torch.tensor([2.0, 2.0, 2.0]))))
print("kl bernoulli", kl_divergence(D.Bernoulli(torch.tensor([0.2, 0.9])),
                                    D.Bernoulli(logits=torch.tensor([0.0, 1.0]))))

# 6. more densities and moments
b = D.Beta(torch.tensor([2.0, 0.5]), torch.tensor([3.0, 0.5]))
print("beta", b.log_prob(torch.tensor([0.3, 0.9])), b.mean, b.variance, b.entropy())
mvn = D.MultivariateNormal(torch.tensor([1.0, -1.0]),
                           precision_matrix=torch.tensor([[2.0, 0.5], [0.5, 1.0]]))
print("mvn", mvn.log_prob(torch.tensor([[0.0, 0.0], [1.0, -1.0]])), mvn.covariance_matrix)
print("studentt", D.StudentT(3.0).log_prob(torch.tensor([0.0, 2.0])), D.StudentT(3.0).variance)
print("poisson", D.Poisson(torch.tensor([2.0])).log_prob(torch.tensor([0.0, 3.0])))
print("binomial", D.Binomial(5, torch.tensor(0.3)).log_prob(torch.arange(6.0)))
print("lognormal", D.LogNormal(0.0, 0.5).cdf(torch.tensor([0.5, 1.0, 2.0])),
      D.LogNormal(0.0, 0.5).icdf(torch.tensor([0.25, 0.5])))
print("laplace", D.Laplace(0.0, 2.0).cdf(torch.tensor([-1.0, 1.0])))
print("uniform", D.Uniform(0.0, 4.0).log_prob(torch.tensor([1.0])), D.Uniform(0.0, 4.0).entropy())

# 7. shapes of samples (values are the framework's own)
torch.manual_seed(0)
print("sample shapes", D.Normal(torch.zeros(3), 1.0).sample((2,)).shape,
      D.Dirichlet(torch.ones(2, 4)).rsample((5,)).shape,
      D.Categorical(torch.ones(3, 6)).sample((4,)).shape,
      D.Multinomial(7, torch.ones(4)).sample().sum().item(),
      D.OneHotCategorical(torch.ones(2, 5)).sample().sum(-1))
print("expand", D.Normal(0.0, 1.0).expand((3, 2)).batch_shape)
print("constraints", constraints.positive, constraints.simplex.check(torch.tensor([0.2, 0.8])))
print("support", D.Binomial(4, torch.tensor(0.5)).support, D.Beta(1.0, 1.0).support)

# 8. validation errors
for make in (lambda: D.Normal(0.0, -1.0), lambda: D.Categorical(torch.tensor([0.5, -0.5])),
             lambda: D.Bernoulli(0.5).log_prob(torch.tensor(0.3))):
    try:
        make()
    except ValueError as exc:
        print("ValueError:", str(exc).splitlines()[0])
print("log 2 pi", f"{math.log(2 * math.pi):.6f}")
