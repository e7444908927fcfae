import torch
import torch.distributions as D
from torch.distributions import transforms as T
from torch.distributions import constraints

torch.manual_seed(0)

# ---- shapes and reprs
n = D.Normal(torch.zeros(3), torch.ones(3))
ind = D.Independent(n, 1)
print(n.batch_shape, n.event_shape, ind.batch_shape, ind.event_shape)
print(ind)
x = ind.sample((2,))
print(x.shape, ind.log_prob(x).shape, n.log_prob(x).shape)
print(ind.log_prob(x).round(decimals=4))
print(ind.entropy().round(decimals=4))
print(D.Normal(0.0, 1.0).expand([2, 2]).batch_shape)

# ---- mixture of diagonal Gaussians
K, Dm = 3, 2
logits = torch.randn(K)
means = torch.randn(K, Dm)
scales = torch.rand(K, Dm) + 0.5
mix = D.Categorical(logits=logits)
comp = D.Independent(D.Normal(means, scales), 1)
gmm = D.MixtureSameFamily(mix, comp)
print(gmm.batch_shape, gmm.event_shape)
s = gmm.sample((4,))
print(s.round(decimals=4))
print(gmm.log_prob(s).round(decimals=4))
print(gmm.mean.round(decimals=4), gmm.variance.round(decimals=4))
# 1-D mixture cdf
gmm1 = D.MixtureSameFamily(D.Categorical(torch.tensor([0.3, 0.7])), D.Normal(torch.tensor([-1.0, 2.0]), torch.tensor([0.5, 1.0])))
print(gmm1.cdf(torch.tensor([0.0, 1.0])).round(decimals=4))

# ---- variational inference with rsample (fit q to a target)
target = D.Normal(torch.tensor([1.0, -2.0]), torch.tensor([0.5, 2.0]))
mu = torch.zeros(2, requires_grad=True)
log_sigma = torch.zeros(2, requires_grad=True)
opt = torch.optim.Adam([mu, log_sigma], lr=0.1)
for step in range(150):
    q = D.Normal(mu, log_sigma.exp())
    z = q.rsample((32,))
    loss = (q.log_prob(z) - target.log_prob(z)).sum(-1).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(mu.detach().round(decimals=2), log_sigma.exp().detach().round(decimals=2))
kl = D.kl_divergence(D.Normal(mu, log_sigma.exp()), target)
print(kl.detach().round(decimals=3))

# ---- KL divergences between families
pairs = [
    (D.Normal(0.0, 1.0), D.Normal(1.0, 2.0)),
    (D.Bernoulli(0.3), D.Bernoulli(0.6)),
    (D.Categorical(torch.tensor([0.2, 0.3, 0.5])), D.Categorical(torch.tensor([0.4, 0.4, 0.2]))),
    (D.Beta(2.0, 3.0), D.Beta(1.0, 1.0)),
    (D.Gamma(2.0, 1.0), D.Gamma(3.0, 2.0)),
    (D.Exponential(1.0), D.Exponential(3.0)),
    (D.Dirichlet(torch.tensor([1.0, 2.0, 3.0])), D.Dirichlet(torch.ones(3))),
    (D.Poisson(3.0), D.Poisson(2.0)),
    (D.Laplace(0.0, 1.0), D.Laplace(1.0, 2.0)),
    (D.Uniform(0.0, 1.0), D.Uniform(-1.0, 2.0)),
    (D.Independent(D.Normal(torch.zeros(2), torch.ones(2)), 1), D.Independent(D.Normal(torch.ones(2), torch.ones(2)), 1)),
]
for p, q in pairs:
    print(type(p).__name__, round(D.kl_divergence(p, q).item(), 4))
mvn_p = D.MultivariateNormal(torch.zeros(2), scale_tril=torch.tensor([[1.0, 0.0], [0.5, 1.0]]))
mvn_q = D.MultivariateNormal(torch.ones(2), covariance_matrix=torch.tensor([[2.0, 0.3], [0.3, 1.0]]))
print(round(D.kl_divergence(mvn_p, mvn_q).item(), 4))
# between different families (some are infinite: p has mass outside q's support)
cross = [
    (D.Beta(2.0, 2.0), D.Normal(0.5, 0.3)),
    (D.Gamma(torch.tensor([2.0, 5.0]), 1.0), D.Normal(2.0, 1.5)),
    (D.Normal(0.0, 1.0), D.Gumbel(0.0, 2.0)),
    (D.Uniform(0.2, 0.6), D.Beta(2.0, 5.0)),
    (D.Bernoulli(0.3), D.Poisson(0.5)),
    (D.Exponential(2.0), D.Normal(0.5, 1.0)),
    (D.Normal(0.0, 1.0), D.Exponential(1.0)),
    (D.Pareto(1.0, torch.tensor([1.5, 3.0])), D.Normal(0.0, 2.0)),
    (D.Gamma(3.0, 2.0), D.Exponential(1.0)),
]
for p, q in cross:
    print(type(p).__name__, type(q).__name__, D.kl_divergence(p, q).round(decimals=4))
try:
    D.kl_divergence(D.Cauchy(0.0, 1.0), D.Normal(0.0, 1.0))
except NotImplementedError as e:
    print("NotImplementedError")

# ---- transforms and flows
base = D.Normal(torch.zeros(2), torch.ones(2))
flow = D.TransformedDistribution(base, [T.AffineTransform(loc=1.0, scale=2.0), T.SigmoidTransform()])
y = flow.sample((3,))
print(y.round(decimals=4))
print(flow.log_prob(y).round(decimals=4))
lognorm = D.TransformedDistribution(D.Normal(0.0, 0.5), [T.ExpTransform()])
ref = D.LogNormal(0.0, 0.5)
v = torch.tensor([0.5, 1.0, 2.0])
print(torch.allclose(lognorm.log_prob(v), ref.log_prob(v)))
ct = T.ComposeTransform([T.ExpTransform(), T.AffineTransform(0.0, 3.0)])
print(ct(torch.tensor([0.0, 1.0])).round(decimals=4), ct.inv(torch.tensor([3.0])).round(decimals=4))
print(ct.log_abs_det_jacobian(torch.tensor([0.0]), ct(torch.tensor([0.0]))).round(decimals=4))
sb = T.StickBreakingTransform()
u = torch.randn(3)
simp = sb(u)
print(simp.round(decimals=4), round(simp.sum().item(), 4), torch.allclose(sb.inv(simp), u, atol=1e-5))
print(D.biject_to(constraints.positive)(torch.tensor([-1.0, 0.0, 1.0])).round(decimals=4))
print(D.biject_to(constraints.interval(-2.0, 2.0))(torch.tensor([0.0, 3.0])).round(decimals=4))
print(D.transform_to(constraints.simplex)(torch.zeros(2)).round(decimals=4))
tl = D.transform_to(constraints.lower_cholesky)(torch.randn(3, 3))
print(torch.all(tl.triu(1) == 0).item(), torch.all(torch.diagonal(tl) > 0).item())
tanh_normal = D.TransformedDistribution(D.Normal(torch.zeros(2), torch.ones(2)), [T.TanhTransform(cache_size=1)])
a = tanh_normal.rsample()
print(a.round(decimals=4), tanh_normal.log_prob(a).round(decimals=4))

# ---- other distribution methods
print(D.Normal(0.0, 1.0).icdf(torch.tensor([0.025, 0.5, 0.975])).round(decimals=4))
print(D.Normal(0.0, 1.0).cdf(torch.tensor([-1.96, 0.0, 1.96])).round(decimals=4))
cat = D.Categorical(probs=torch.tensor([[0.1, 0.9], [0.5, 0.5]]))
print(cat.enumerate_support().shape, cat.entropy().round(decimals=4))
bern = D.Bernoulli(logits=torch.tensor([0.0, 2.0]))
print(bern.enumerate_support(expand=False).shape, bern.probs.round(decimals=4))
print(D.Binomial(10, torch.tensor([0.2, 0.8])).sample().tolist())
print(D.StudentT(3.0).log_prob(torch.tensor(1.0)).round(decimals=4))
print(D.Cauchy(0.0, 1.0).log_prob(torch.tensor(2.0)).round(decimals=4))
print(D.Gumbel(0.0, 1.0).mean.round(decimals=4), D.HalfNormal(1.0).mean.round(decimals=4))
print(D.VonMises(0.0, 2.0).log_prob(torch.tensor(0.5)).round(decimals=4))
print(D.Weibull(1.0, 2.0).mean.round(decimals=4), D.Chi2(4.0).variance.round(decimals=4))
print(D.Multinomial(5, torch.tensor([0.2, 0.3, 0.5])).log_prob(torch.tensor([1.0, 1.0, 3.0])).round(decimals=4))
print(D.Geometric(0.3).log_prob(torch.tensor(2.0)).round(decimals=4))
print(D.NegativeBinomial(5, 0.4).mean.round(decimals=4))
rel = D.RelaxedOneHotCategorical(torch.tensor(0.5), logits=torch.tensor([1.0, 2.0, 0.5]))
r = rel.rsample()
print(r.round(decimals=4), round(r.sum().item(), 4))
print(D.ContinuousBernoulli(0.3).mean.round(decimals=4))
lr = D.LowRankMultivariateNormal(torch.zeros(3), torch.randn(3, 1), torch.ones(3))
print(lr.log_prob(torch.ones(3)).round(decimals=4), lr.entropy().round(decimals=4))
try:
    D.Normal(0.0, -1.0)
except ValueError as e:
    print("ValueError:", str(e)[:70])
