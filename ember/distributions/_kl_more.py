"""KL divergences between different families, as registered by `torch.distributions.kl`.

Each finite pair is computed as KL(p || q) = -H(p) - E_p[log q(X)]: the cross term needs only
a few expectations under p (E[X], E[X^2], E[log X], E[log(1 - X)], E[exp(-X / s)]), which are
written once per family of p (`_Moments`) and combined with the log density of each family of
q (`_cross_*`). Pairs where p puts mass outside the support of q are infinite, as in PyTorch
(including PyTorch's choice of closed or open bounds for the Uniform pairs).
"""

import math

import ember

from .continuous import Beta, Exponential, Gamma, Laplace, Normal, Uniform
from .discrete import Bernoulli, Binomial, Poisson
from .kl import register_kl
from .more_continuous import ContinuousBernoulli
from .transformed_families import Gumbel, Pareto
from .utils import _sum_rightmost, euler_constant

_INF = math.inf


def _xlogx(t):
    return ember.special.xlogy(t, t)


def _inf_like(t):
    return ember.full_like(t, _INF)


class _Moments:
    """Expectations of simple functions of X ~ p, for the families used as p below."""

    def __init__(self, p):
        self.p = p

    # E[X]
    def m1(self):
        p = self.p
        if isinstance(p, Beta):
            return p.concentration1 / (p.concentration1 + p.concentration0)
        if isinstance(p, Exponential):
            return p.rate.reciprocal()
        if isinstance(p, Gamma):
            return p.concentration / p.rate
        if isinstance(p, Gumbel):
            return p.loc + p.scale * euler_constant
        if isinstance(p, Laplace):
            return p.loc
        if isinstance(p, Uniform):
            return (p.high + p.low) / 2
        if isinstance(p, Pareto):
            return p.alpha * p.scale / (p.alpha - 1)
        return p.mean

    # E[X^2]
    def m2(self):
        p = self.p
        if isinstance(p, Beta):
            total = p.concentration1 + p.concentration0
            mean = p.concentration1 / total
            return mean * (1 - mean) / (total + 1) + mean.pow(2)
        if isinstance(p, Exponential):
            return 2 * p.rate.pow(-2)
        if isinstance(p, Gamma):
            return p.concentration * (p.concentration + 1) / p.rate.pow(2)
        if isinstance(p, Gumbel):
            return (math.pi * p.scale).pow(2) / 6 + self.m1().pow(2)
        if isinstance(p, Laplace):
            return 2 * p.scale.pow(2) + p.loc.pow(2)
        if isinstance(p, Uniform):
            return (p.high.pow(2) + p.high * p.low + p.low.pow(2)) / 3
        if isinstance(p, Pareto):
            return p.alpha * p.scale.pow(2) / (p.alpha - 2)
        return p.variance + p.mean.pow(2)

    # E[log X]
    def mlog(self):
        p = self.p
        if isinstance(p, Beta):
            return p.concentration1.digamma() - (p.concentration1 + p.concentration0).digamma()
        if isinstance(p, Exponential):
            return -euler_constant - p.rate.log()
        if isinstance(p, Gamma):
            return p.concentration.digamma() - p.rate.log()
        if isinstance(p, Uniform):
            width = p.high - p.low
            return (_xlogx(p.high) - _xlogx(p.low) - width) / width
        if isinstance(p, Pareto):
            return p.scale.log() + p.alpha.reciprocal()
        raise NotImplementedError

    # E[log(1 - X)]
    def mlog1m(self):
        p = self.p
        if isinstance(p, Beta):
            return p.concentration0.digamma() - (p.concentration1 + p.concentration0).digamma()
        if isinstance(p, Uniform):
            width = p.high - p.low
            return (_xlogx(1 - p.low) - _xlogx(1 - p.high) - width) / width
        raise NotImplementedError

    # E[exp(-X / s)]
    def mexp(self, s):
        p = self.p
        if isinstance(p, Exponential):
            return p.rate / (p.rate + s.reciprocal())
        if isinstance(p, Gamma):
            return (1 + (p.rate * s).reciprocal()).pow(-p.concentration)
        if isinstance(p, Normal):
            return ember.exp(-p.loc / s + 0.5 * (p.scale / s).pow(2))
        if isinstance(p, Uniform):
            width = p.high - p.low
            return s * (ember.exp(-p.low / s) - ember.exp(-p.high / s)) / width
        raise NotImplementedError


# E_p[log q(X)] for each family of q
def _cross_normal(m, q):
    var = q.scale.pow(2)
    quad = m.m2() - 2 * q.loc * m.m1() + q.loc.pow(2)
    return -0.5 * (2 * math.pi * var).log() - quad / (2 * var)


def _cross_exponential(m, q):
    return q.rate.log() - q.rate * m.m1()


def _cross_gamma(m, q):
    k = q.concentration
    return k * q.rate.log() - k.lgamma() + (k - 1) * m.mlog() - q.rate * m.m1()


def _cross_gumbel(m, q):
    # log q(x) = -log s - (x - loc) / s - exp(-(x - loc) / s)
    ratio = q.loc / q.scale
    return (-q.scale.log() - m.m1() / q.scale + ratio
            - ember.exp(ratio) * m.mexp(q.scale))


def _cross_beta(m, q):
    a, b = q.concentration1, q.concentration0
    log_beta = a.lgamma() + b.lgamma() - (a + b).lgamma()
    return (a - 1) * m.mlog() + (b - 1) * m.mlog1m() - log_beta


def _cross_continuous_bernoulli(m, q):
    return q._cont_bern_log_norm() + m.m1() * q.logits + ember.log1p(-q.probs)


def _cross_pareto(m, q):
    return (q.alpha.log() + q.alpha * q.scale.log()) - (q.alpha + 1) * m.mlog()


_CROSS = {
    Normal: _cross_normal,
    Exponential: _cross_exponential,
    Gamma: _cross_gamma,
    Gumbel: _cross_gumbel,
    Beta: _cross_beta,
    ContinuousBernoulli: _cross_continuous_bernoulli,
    Pareto: _cross_pareto,
}


def _by_cross_entropy(p, q):
    cross = _CROSS[_family(q)]
    return -p.entropy() - cross(_Moments(p), q)


def _family(q):
    for cls in _CROSS:
        if isinstance(q, cls):
            return cls
    raise NotImplementedError


def _register(pairs, fun):
    for tp, tq in pairs:
        register_kl(tp, tq)(fun)


# ---------------------------------------------------------------- finite pairs
_register([(Beta, Normal), (Beta, Exponential), (Beta, Gamma), (Beta, ContinuousBernoulli),
           (ContinuousBernoulli, Exponential), (ContinuousBernoulli, Normal),
           (Exponential, Normal), (Exponential, Gumbel),
           (Gamma, Exponential), (Gamma, Normal), (Gamma, Gumbel),
           (Gumbel, Normal), (Laplace, Normal), (Normal, Gumbel),
           (Uniform, Gumbel)], _by_cross_entropy)


@register_kl(Beta, Uniform)
def _kl_beta_uniform(p, q):
    res = -p.entropy() + (q.high - q.low).log()
    return ember.where((q.low > 0) | (q.high < 1), _INF, res)


@register_kl(ContinuousBernoulli, Uniform)
def _kl_continuous_bernoulli_uniform(p, q):
    res = -p.entropy() + (q.high - q.low).log()
    return ember.where((q.low >= 0) | (q.high <= 1), _INF, res)


@register_kl(Pareto, Exponential)
@register_kl(Pareto, Gamma)
def _kl_pareto_positive(p, q):
    return ember.where(p.alpha <= 1, _INF, _by_cross_entropy(p, q))


@register_kl(Pareto, Normal)
def _kl_pareto_normal(p, q):
    return ember.where(p.alpha <= 2, _INF, _by_cross_entropy(p, q))


@register_kl(Uniform, Beta)
def _kl_uniform_beta(p, q):
    return ember.where((p.high > 1) | (p.low < 0), _INF, _by_cross_entropy(p, q))


@register_kl(Uniform, ContinuousBernoulli)
def _kl_uniform_continuous_bernoulli(p, q):
    return ember.where((p.high >= 1) | (p.low <= 0), _INF, _by_cross_entropy(p, q))


@register_kl(Uniform, Exponential)
@register_kl(Uniform, Gamma)
def _kl_uniform_positive(p, q):
    return ember.where(p.low < 0, _INF, _by_cross_entropy(p, q))


@register_kl(Uniform, Pareto)
def _kl_uniform_pareto(p, q):
    return ember.where(p.low < q.scale, _INF, _by_cross_entropy(p, q))


@register_kl(Bernoulli, Poisson)
def _kl_bernoulli_poisson(p, q):
    # log q(x) = x log(rate) - rate - log(x!), and log(x!) = 0 for x in {0, 1}
    return -p.entropy() - (p.probs * q.rate.log() - q.rate)


# ---------------------------------------------------------------- infinite pairs
def _infinite(attr):
    def fun(p, q):
        return _inf_like(getattr(p, attr))

    return fun


_UNBOUNDED_Q = (Beta, ContinuousBernoulli, Pareto, Uniform)
_register([(Beta, Pareto), ], _infinite("concentration1"))
_register([(ContinuousBernoulli, Pareto)], _infinite("probs"))
_register([(Exponential, t) for t in _UNBOUNDED_Q], _infinite("rate"))
_register([(Gamma, t) for t in _UNBOUNDED_Q], _infinite("concentration"))
_register([(Gumbel, t) for t in _UNBOUNDED_Q + (Exponential, Gamma)], _infinite("loc"))
_register([(Laplace, t) for t in _UNBOUNDED_Q + (Exponential, Gamma)], _infinite("loc"))
_register([(Normal, t) for t in _UNBOUNDED_Q + (Exponential, Gamma)], _infinite("loc"))
_register([(Pareto, Beta), (Pareto, ContinuousBernoulli), (Pareto, Uniform)],
          _infinite("scale"))
_register([(Poisson, Bernoulli), (Poisson, Binomial)], _infinite("rate"))


# ---------------------------------------------------------------- any two exponential families
# torch's fallback for a pair with no rule of its own: the Bregman divergence of the log
# normalizer between the natural parameters (same family only). Registered on the base class, so
# every more specific rule above is found first.
def _kl_expfamily_expfamily(p, q):
    if type(p) is not type(q):
        # (torch's message, with the spaces of its continued source line)
        raise NotImplementedError(
            "The cross KL-divergence between different exponential families cannot"
            "                             be computed using Bregman divergences"
        )
    p_nat = [t.detach().requires_grad_() for t in p._natural_params]
    q_nat = q._natural_params
    lg = p._log_normalizer(*p_nat)
    grads = ember.autograd.grad(lg.sum(), p_nat, create_graph=True)
    result = q._log_normalizer(*q_nat) - lg
    for pn, qn, g in zip(p_nat, q_nat, grads):
        result = result - _sum_rightmost((qn - pn) * g, len(q.event_shape))
    return result


def _register_expfamily():
    from .distribution import ExponentialFamily

    register_kl(ExponentialFamily, ExponentialFamily)(_kl_expfamily_expfamily)


_register_expfamily()
