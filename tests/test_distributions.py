"""ember.distributions against torch.distributions 2.13.0.

The same distribution is built on both sides from the same parameter arrays (batch shapes
broadcast between parameters), and every method torch has is compared: shapes, log_prob,
entropy, moments, cdf/icdf, enumerate_support, expand, and the gradients of log_prob, entropy
and cdf with respect to the parameters. Samples cannot match torch's numbers, so they are
checked by shape and dtype, by their moments against the distribution's, and (rsample) by
gradients against finite differences or torch's own formulas.
"""

import math
import warnings

import numpy as np
import pytest
import torch
import torch.distributions as TD

import ember
import ember.distributions as ED

RTOL = 1e-7
ATOL = 1e-8


def _np(t):
    return t.detach().cpu().numpy()


def _close(a, b, what, rtol=RTOL, atol=ATOL):
    a = _np(a)
    b = _np(b)
    assert a.shape == b.shape, f"{what}: shape {a.shape} vs torch {b.shape}"
    assert str(a.dtype) == str(b.dtype), f"{what}: dtype {a.dtype} vs torch {b.dtype}"
    if a.dtype.kind in "fc":
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(a, b, err_msg=what)


def _outcome(fn):
    """fn()'s value, or the type of the exception it raised."""
    try:
        return fn(), None
    except (NotImplementedError, ValueError, RuntimeError) as exc:
        return None, type(exc)


# ---------------------------------------------------------------- the cases
# each case: parameters (name -> numpy maker(rng, batch)), how to build the distribution from
# tensors, and how to draw values in its support (rng, shape of one batch of values)

def _pos(lo=0.3, hi=3.0):
    return lambda rng, shape: rng.uniform(lo, hi, size=shape)


def _real(lo=-2.0, hi=2.0):
    return lambda rng, shape: rng.uniform(lo, hi, size=shape)


def _simplex(k):
    def make(rng, shape):
        p = rng.uniform(0.1, 1.0, size=tuple(shape) + (k,))
        return p / p.sum(-1, keepdims=True)

    return make


def _simplex_values(rng, shape):
    # values of an event-shaped distribution: `shape` ends with the event dimension
    p = rng.uniform(0.1, 1.0, size=tuple(shape))
    return p / p.sum(-1, keepdims=True)


def _spd(k):
    def make(rng, shape):
        a = rng.standard_normal(tuple(shape) + (k, k))
        return a @ np.swapaxes(a, -1, -2) + k * np.eye(k)

    return make


def _tril(k):
    def make(rng, shape):
        a = np.tril(rng.uniform(-1, 1, size=tuple(shape) + (k, k)))
        idx = np.arange(k)
        a[..., idx, idx] = rng.uniform(0.5, 2.0, size=tuple(shape) + (k,))
        return a

    return make


def _ints(lo, hi):
    return lambda rng, shape: rng.integers(lo, hi, size=shape).astype(np.float64)


class Case:
    def __init__(self, name, params, build, values, event=0, grad=None, extra_event=(),
                 batch_shapes=None):
        self.name = name
        self.params = params  # dict name -> maker
        self.build = build  # build(D, **tensors) -> distribution
        self.values = values  # maker(rng, shape) for values (shape includes event dims)
        self.event = event  # event shape suffix added to parameter makers (tuple)
        self.grad = grad if grad is not None else tuple(params)
        self.extra_event = extra_event
        self.batch_shapes = batch_shapes

    def __repr__(self):
        return self.name


K = 3

CASES = [
    Case("Normal", {"loc": _real(), "scale": _pos()}, lambda D, loc, scale: D.Normal(loc, scale),
         _real(-3, 3)),
    Case("Uniform", {"low": _real(-2, -1), "high": _real(1, 2)},
         lambda D, low, high: D.Uniform(low, high), _real(-0.9, 0.9)),
    Case("Exponential", {"rate": _pos()}, lambda D, rate: D.Exponential(rate), _pos(0.1, 4)),
    Case("Laplace", {"loc": _real(), "scale": _pos()}, lambda D, loc, scale: D.Laplace(loc, scale),
         _real(-3, 3)),
    Case("Cauchy", {"loc": _real(), "scale": _pos()}, lambda D, loc, scale: D.Cauchy(loc, scale),
         _real(-3, 3)),
    Case("LogNormal", {"loc": _real(-1, 1), "scale": _pos(0.3, 1.5)},
         lambda D, loc, scale: D.LogNormal(loc, scale), _pos(0.1, 4)),
    Case("Gamma", {"concentration": _pos(0.5, 4), "rate": _pos()},
         lambda D, concentration, rate: D.Gamma(concentration, rate), _pos(0.1, 4)),
    Case("Chi2", {"df": _pos(0.5, 6)}, lambda D, df: D.Chi2(df), _pos(0.1, 4)),
    Case("Beta", {"concentration1": _pos(0.5, 4), "concentration0": _pos(0.5, 4)},
         lambda D, concentration1, concentration0: D.Beta(concentration1, concentration0),
         _real(0.05, 0.95)),
    Case("StudentT", {"df": _pos(0.5, 6), "loc": _real(), "scale": _pos()},
         lambda D, df, loc, scale: D.StudentT(df, loc, scale), _real(-3, 3)),
    Case("Dirichlet", {"concentration": lambda rng, s: rng.uniform(0.5, 3, tuple(s) + (K,))},
         lambda D, concentration: D.Dirichlet(concentration), _simplex_values,
         extra_event=(K,)),
    Case("Bernoulli_probs", {"probs": _real(0.05, 0.95)}, lambda D, probs: D.Bernoulli(probs),
         _ints(0, 2)),
    Case("Bernoulli_logits", {"logits": _real(-3, 3)},
         lambda D, logits: D.Bernoulli(logits=logits), _ints(0, 2)),
    Case("Geometric_probs", {"probs": _real(0.1, 0.9)}, lambda D, probs: D.Geometric(probs),
         _ints(0, 6)),
    Case("Geometric_logits", {"logits": _real(-2, 2)},
         lambda D, logits: D.Geometric(logits=logits), _ints(0, 6)),
    Case("Poisson", {"rate": _pos(0.5, 5)}, lambda D, rate: D.Poisson(rate), _ints(0, 8)),
    Case("Binomial_probs", {"probs": _real(0.1, 0.9)},
         lambda D, probs: D.Binomial(6, probs), _ints(0, 7)),
    Case("Binomial_logits", {"logits": _real(-2, 2)},
         lambda D, logits: D.Binomial(5, logits=logits), _ints(0, 6)),
    Case("Categorical_probs", {"probs": _simplex(K)}, lambda D, probs: D.Categorical(probs),
         _ints(0, K)),
    Case("Categorical_logits",
         {"logits": lambda rng, s: rng.uniform(-2, 2, tuple(s) + (K,))},
         lambda D, logits: D.Categorical(logits=logits), _ints(0, K)),
    Case("OneHotCategorical", {"probs": _simplex(K)},
         lambda D, probs: D.OneHotCategorical(probs),
         lambda rng, s: np.eye(K)[rng.integers(0, K, size=tuple(s)[:-1])], extra_event=(K,)),
    Case("Multinomial", {"probs": _simplex(K)}, lambda D, probs: D.Multinomial(4, probs),
         lambda rng, s: rng.multinomial(4, [0.2, 0.3, 0.5], size=tuple(s)[:-1]).astype(float),
         extra_event=(K,)),
    Case("MultivariateNormal_cov", {"loc": lambda rng, s: rng.uniform(-1, 1, tuple(s) + (K,)),
                                    "covariance_matrix": _spd(K)},
         lambda D, loc, covariance_matrix: D.MultivariateNormal(
             loc, covariance_matrix=covariance_matrix),
         lambda rng, s: rng.uniform(-2, 2, size=s), extra_event=(K,)),
    Case("MultivariateNormal_prec", {"loc": lambda rng, s: rng.uniform(-1, 1, tuple(s) + (K,)),
                                     "precision_matrix": _spd(K)},
         lambda D, loc, precision_matrix: D.MultivariateNormal(
             loc, precision_matrix=precision_matrix),
         lambda rng, s: rng.uniform(-2, 2, size=s), extra_event=(K,)),
    Case("MultivariateNormal_tril", {"loc": lambda rng, s: rng.uniform(-1, 1, tuple(s) + (K,)),
                                     "scale_tril": _tril(K)},
         lambda D, loc, scale_tril: D.MultivariateNormal(loc, scale_tril=scale_tril),
         lambda rng, s: rng.uniform(-2, 2, size=s), extra_event=(K,)),
    Case("Independent_Normal", {"loc": _real(), "scale": _pos()},
         lambda D, loc, scale: D.Independent(D.Normal(loc, scale), 1), _real(-3, 3),
         batch_shapes=[((4,), (4,)), ((2, 3), (3,)), ((2, 1), (2, 3))]),
    Case("Transformed_affine_exp", {"loc": _real(-1, 1), "scale": _pos(0.3, 1.5)},
         lambda D, loc, scale: D.TransformedDistribution(
             D.Normal(loc, scale), [D.AffineTransform(0.5, 2.0), D.ExpTransform()]),
         _pos(0.2, 5)),
    Case("Transformed_sigmoid", {"loc": _real(-1, 1), "scale": _pos(0.3, 1.5)},
         lambda D, loc, scale: D.TransformedDistribution(D.Normal(loc, scale),
                                                         D.SigmoidTransform()),
         _real(0.05, 0.95)),
    Case("Transformed_tanh", {"loc": _real(-1, 1), "scale": _pos(0.3, 1.5)},
         lambda D, loc, scale: D.TransformedDistribution(
             D.Normal(loc, scale), [D.TanhTransform(), D.AffineTransform(1.0, -3.0)]),
         _real(-1.9, 3.9)),
    Case("RelaxedBernoulli", {"temperature": _pos(0.5, 2), "probs": _real(0.1, 0.9)},
         lambda D, temperature, probs: D.RelaxedBernoulli(temperature, probs),
         _real(0.05, 0.95), batch_shapes=[((), (4,)), ((), (2, 3)), ((), ())]),
    Case("RelaxedOneHotCategorical", {"temperature": _pos(0.5, 2), "probs": _simplex(K)},
         lambda D, temperature, probs: D.RelaxedOneHotCategorical(temperature, probs),
         _simplex_values, extra_event=(K,), batch_shapes=[((), (4,)), ((), (2, 3)), ((), ())]),
]


def _corr_cholesky_values(rng, shape):
    # Cholesky factors of random correlation matrices; `shape` ends with (d, d)
    d = shape[-1]
    a = rng.standard_normal(tuple(shape[:-2]) + (d, d + 1))
    cov = a @ np.swapaxes(a, -1, -2) + np.eye(d)
    sd = np.sqrt(np.diagonal(cov, axis1=-2, axis2=-1))
    corr = cov / (sd[..., :, None] * sd[..., None, :])
    return np.linalg.cholesky(corr)


# distributions added after the first set (transformed families, heavy tails, mixtures ...)
CASES += [
    Case("HalfNormal", {"scale": _pos()}, lambda D, scale: D.HalfNormal(scale), _pos(0.1, 4)),
    Case("HalfCauchy", {"scale": _pos()}, lambda D, scale: D.HalfCauchy(scale), _pos(0.1, 4)),
    Case("Gumbel", {"loc": _real(), "scale": _pos()}, lambda D, loc, scale: D.Gumbel(loc, scale),
         _real(-3, 3)),
    Case("Weibull", {"scale": _pos(), "concentration": _pos(0.5, 3)},
         lambda D, scale, concentration: D.Weibull(scale, concentration), _pos(0.1, 4)),
    Case("Pareto", {"scale": _pos(0.3, 1.0), "alpha": _pos(0.5, 5)},
         lambda D, scale, alpha: D.Pareto(scale, alpha), _pos(1.0, 4)),
    Case("Kumaraswamy", {"concentration1": _pos(0.5, 4), "concentration0": _pos(0.5, 4)},
         lambda D, concentration1, concentration0: D.Kumaraswamy(concentration1,
                                                                  concentration0),
         _real(0.05, 0.95)),
    Case("NegativeBinomial_probs", {"total_count": _pos(0.5, 5), "probs": _real(0.1, 0.9)},
         lambda D, total_count, probs: D.NegativeBinomial(total_count, probs), _ints(0, 8)),
    Case("NegativeBinomial_logits", {"total_count": _pos(0.5, 5), "logits": _real(-2, 2)},
         lambda D, total_count, logits: D.NegativeBinomial(total_count, logits=logits),
         _ints(0, 8)),
    Case("FisherSnedecor", {"df1": _pos(0.5, 6), "df2": _pos(0.5, 9)},
         lambda D, df1, df2: D.FisherSnedecor(df1, df2), _pos(0.1, 4)),
    Case("ContinuousBernoulli_probs", {"probs": _real(0.05, 0.95)},
         lambda D, probs: D.ContinuousBernoulli(probs), _real(0.02, 0.98)),
    Case("ContinuousBernoulli_logits", {"logits": _real(-3, 3)},
         lambda D, logits: D.ContinuousBernoulli(logits=logits), _real(0.02, 0.98)),
    Case("VonMises", {"loc": _real(-1, 1), "concentration": _pos(0.3, 8)},
         lambda D, loc, concentration: D.VonMises(loc, concentration), _real(-3, 3)),
    Case("LogisticNormal", {"loc": _real(-1, 1), "scale": _pos(0.3, 1.5)},
         lambda D, loc, scale: D.LogisticNormal(loc, scale), _simplex_values,
         batch_shapes=[((4,), (4,)), ((2, 3), (3,)), ((), ())]),
    Case("LowRankMultivariateNormal",
         {"loc": lambda rng, s: rng.uniform(-1, 1, tuple(s) + (K,)),
          "cov_factor": lambda rng, s: rng.uniform(-1, 1, tuple(s) + (K, 2)),
          "cov_diag": lambda rng, s: rng.uniform(0.3, 2.0, tuple(s) + (K,))},
         lambda D, loc, cov_factor, cov_diag: D.LowRankMultivariateNormal(loc, cov_factor,
                                                                          cov_diag),
         lambda rng, s: rng.uniform(-2, 2, size=s), extra_event=(K,)),
    Case("MixtureSameFamily_Normal", {"logits": _real(), "loc": _real(), "scale": _pos()},
         lambda D, logits, loc, scale: D.MixtureSameFamily(D.Categorical(logits=logits),
                                                           D.Normal(loc, scale)),
         _real(-3, 3), batch_shapes=[((3,), (3,), (3,)), ((2, 3), (2, 3), (2, 3)),
                                     ((1, 3), (2, 3), (2, 1))]),
    Case("MixtureSameFamily_MVN", {"logits": _real(),
                                   "loc": lambda rng, s: rng.uniform(-1, 1, tuple(s) + (2,)),
                                   "scale_tril": _tril(2)},
         lambda D, logits, loc, scale_tril: D.MixtureSameFamily(
             D.Categorical(logits=logits), D.MultivariateNormal(loc, scale_tril=scale_tril)),
         lambda rng, s: rng.uniform(-2, 2, size=s), extra_event=(2,),
         batch_shapes=[((3,), (3,), (3,)), ((2, 3), (2, 3), (3,))]),
    Case("LKJCholesky", {"concentration": _pos(0.5, 3)},
         lambda D, concentration: D.LKJCholesky(3, concentration), _corr_cholesky_values,
         extra_event=(3, 3)),
    Case("Wishart", {"df": _pos(3.5, 7), "covariance_matrix": _spd(K)},
         lambda D, df, covariance_matrix: D.Wishart(df, covariance_matrix=covariance_matrix),
         lambda rng, s: _spd(K)(rng, tuple(s)[:-2]) / K, extra_event=(K, K),
         batch_shapes=[((4,), (4,)), ((2, 1), (3,)), ((), ())]),
    Case("Wishart_tril", {"df": _pos(3.5, 7), "scale_tril": _tril(K)},
         lambda D, df, scale_tril: D.Wishart(df, scale_tril=scale_tril),
         lambda rng, s: _spd(K)(rng, tuple(s)[:-2]) / K, extra_event=(K, K),
         batch_shapes=[((4,), (4,)), ((), ())],
         # torch's cholesky_solve backward also fills the (unused) upper triangle of the
         # factor, ember's does not: scale_tril's gradient is compared in
         # test_wishart_scale_tril_gradient_lower_triangle instead
         grad=("df",)),
]

# batch shapes of the parameters: equal, broadcast between parameters, scalar-shaped
BATCH_SHAPES = [((4,), (4,), (4,)), ((2, 1), (3,), (1, 3)), ((), (), ()), ((2, 3), (2, 3), (3,))]


def _make(case, batch_shapes, seed=0):
    rng = np.random.default_rng(seed)
    arrays = {}
    for (name, maker), shape in zip(case.params.items(), batch_shapes):
        arrays[name] = np.asarray(maker(rng, shape), dtype=np.float64)
    return rng, arrays


def _build(case, D, m, arrays, grad=True, dtype="float64"):
    tensors = {k: m.tensor(v.astype(dtype), requires_grad=grad and k in case.grad)
               for k, v in arrays.items()}
    return tensors, case.build(D, **tensors)


def _batch_param_shapes(case):
    if case.batch_shapes is not None:
        return case.batch_shapes
    n = len(case.params)
    return [s[:n] for s in BATCH_SHAPES]


CASE_SHAPES = [(c, s) for c in CASES for s in _batch_param_shapes(c)]


@pytest.mark.parametrize("case,shapes", CASE_SHAPES,
                         ids=[f"{c.name}-{i}" for c in CASES
                              for i in range(len(_batch_param_shapes(c)))])
def test_matches_torch(case, shapes):
    rng, arrays = _make(case, shapes)
    e_params, e = _build(case, ED, ember, arrays)
    t_params, t = _build(case, TD, torch, arrays)
    assert tuple(e.batch_shape) == tuple(t.batch_shape)
    assert tuple(e.event_shape) == tuple(t.event_shape)
    assert type(e.batch_shape) is ember.Size
    shape = tuple(t.batch_shape) + tuple(t.event_shape)
    # values broadcast against the batch, and with an extra sample dimension
    value = case.values(rng, (2,) + shape)
    up = rng.standard_normal((2,) + tuple(t.batch_shape))
    e_lp = e.log_prob(ember.tensor(value))
    t_lp = t.log_prob(torch.tensor(value))
    _close(e_lp, t_lp, "log_prob")
    names = [k for k in case.grad if k in t_params]
    e_g = ember.autograd.grad(e_lp, [e_params[k] for k in names], ember.tensor(up),
                              allow_unused=True, retain_graph=True)
    t_g = torch.autograd.grad(t_lp, [t_params[k] for k in names], torch.tensor(up),
                              allow_unused=True, retain_graph=True)
    for k, a, b in zip(names, e_g, t_g):
        if b is None:
            assert a is None or not np.any(_np(a)), f"grad {k}"
            continue
        _close(a, b, f"grad of log_prob w.r.t. {k}")
    for prop in ("mean", "variance", "stddev", "mode"):
        tv, texc = _outcome(lambda prop=prop: getattr(t, prop))
        ev, eexc = _outcome(lambda prop=prop: getattr(e, prop))
        assert eexc == texc, f"{prop}: {eexc} vs torch {texc}"
        if texc is None:
            _close(ev, tv, prop)
    for method in ("entropy",):
        tv, texc = _outcome(lambda method=method: getattr(t, method)())
        ev, eexc = _outcome(lambda method=method: getattr(e, method)())
        assert eexc == texc, f"{method}: {eexc} vs torch {texc}"
        if texc is None:
            _close(ev, tv, method)
            if tv.requires_grad:
                up_e = rng.standard_normal(tuple(tv.shape))
                tg = torch.autograd.grad(tv, [t_params[k] for k in names],
                                         torch.tensor(up_e), allow_unused=True,
                                         retain_graph=True)
                eg = ember.autograd.grad(ev, [e_params[k] for k in names], ember.tensor(up_e),
                                         allow_unused=True, retain_graph=True)
                for k, a, b in zip(names, eg, tg):
                    if b is not None:
                        _close(a, b, f"grad of entropy w.r.t. {k}")
    # cdf and icdf where torch has them
    tv, texc = _outcome(lambda: t.cdf(torch.tensor(value)))
    ev, eexc = _outcome(lambda: e.cdf(ember.tensor(value)))
    assert eexc == texc, f"cdf: {eexc} vs torch {texc}"
    if texc is None:
        _close(ev, tv, "cdf")
        for k in names if tv.requires_grad else ():
            # one parameter at a time: torch differentiates some cdfs in some parameters only
            tg, texc = _outcome(lambda k=k: torch.autograd.grad(
                tv.sum(), [t_params[k]], allow_unused=True, retain_graph=True)[0])
            eg, eexc = _outcome(lambda k=k: ember.autograd.grad(
                ev.sum(), [e_params[k]], allow_unused=True, retain_graph=True)[0])
            if texc is NotImplementedError:
                # torch has no derivative here (Gamma's cdf in concentration); ember's is
                # checked against finite differences in tests/test_special_fns.py
                continue
            assert eexc == texc, f"grad of cdf w.r.t. {k}: {eexc} vs torch {texc}"
            if tg is not None:
                _close(eg, tg, f"grad of cdf w.r.t. {k}")
    q = rng.uniform(0.05, 0.95, size=(2,) + shape)
    tv, texc = _outcome(lambda: t.icdf(torch.tensor(q)))
    ev, eexc = _outcome(lambda: e.icdf(ember.tensor(q)))
    assert eexc == texc, f"icdf: {eexc} vs torch {texc}"
    if texc is None:
        _close(ev, tv, "icdf")
    if t.has_enumerate_support:
        tv, texc = _outcome(lambda: t.enumerate_support())
        ev, eexc = _outcome(lambda: e.enumerate_support())
        assert eexc == texc
        if texc is None:
            _close(ev, tv, "enumerate_support")
            _close(e.enumerate_support(False), t.enumerate_support(False), "enumerate(False)")
    assert e.has_rsample == t.has_rsample
    # samples: shape and dtype
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ts = t.sample((5,))
    es = e.sample((5,))
    assert tuple(es.shape) == tuple(ts.shape)
    assert str(es.dtype).replace("torch.", "") == str(ts.dtype).replace("torch.", "")
    assert not es.requires_grad
    assert bool(e.support.check(es).all()), "samples outside the support"
    if t.has_rsample:
        rs = e.rsample((2, 1))
        assert tuple(rs.shape) == (2, 1) + shape
        assert rs.requires_grad
    # expand: a new leading batch dimension
    new_batch = (2,) + tuple(t.batch_shape)
    te = t.expand(new_batch)
    ee = e.expand(new_batch)
    assert tuple(ee.batch_shape) == tuple(te.batch_shape)
    assert type(ee) is type(e)
    v2 = case.values(rng, new_batch + tuple(t.event_shape))
    _close(ee.log_prob(ember.tensor(v2)), te.log_prob(torch.tensor(v2)), "expanded log_prob")
    assert tuple(ee.sample().shape) == tuple(te.sample().shape)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_float32_dtypes(case):
    shapes = _batch_param_shapes(case)[0]
    rng, arrays = _make(case, shapes, seed=3)
    _, e = _build(case, ED, ember, arrays, grad=False, dtype="float32")
    _, t = _build(case, TD, torch, arrays, grad=False, dtype="float32")
    shape = tuple(t.batch_shape) + tuple(t.event_shape)
    value = case.values(rng, shape).astype(np.float32)
    _close(e.log_prob(ember.tensor(value)), t.log_prob(torch.tensor(value)), "log_prob",
           rtol=2e-5, atol=2e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ts = t.sample()
    es = e.sample()
    assert str(es.dtype).replace("torch.", "") == str(ts.dtype).replace("torch.", "")


# ---------------------------------------------------------------- sampling statistics
MOMENT_CASES = [
    ("Normal", lambda D, m: D.Normal(m.tensor([0.5, -1.0]), m.tensor([1.0, 2.0]))),
    ("Uniform", lambda D, m: D.Uniform(m.tensor([0.0, -2.0]), m.tensor([1.0, 3.0]))),
    ("Exponential", lambda D, m: D.Exponential(m.tensor([0.5, 2.0]))),
    ("Laplace", lambda D, m: D.Laplace(m.tensor([0.5, -1.0]), m.tensor([1.0, 0.5]))),
    ("LogNormal", lambda D, m: D.LogNormal(m.tensor([0.0, 0.5]), m.tensor([0.25, 0.5]))),
    ("Gamma", lambda D, m: D.Gamma(m.tensor([0.3, 4.0]), m.tensor([1.0, 2.0]))),
    ("Beta", lambda D, m: D.Beta(m.tensor([0.5, 3.0]), m.tensor([2.0, 1.5]))),
    ("Dirichlet", lambda D, m: D.Dirichlet(m.tensor([0.5, 2.0, 3.0]))),
    ("Chi2", lambda D, m: D.Chi2(m.tensor([3.0, 7.0]))),
    ("StudentT", lambda D, m: D.StudentT(m.tensor([5.0, 8.0]), 1.0, 2.0)),
    ("Bernoulli", lambda D, m: D.Bernoulli(m.tensor([0.2, 0.7]))),
    ("Categorical", lambda D, m: D.OneHotCategorical(m.tensor([0.2, 0.3, 0.5]))),
    ("Poisson", lambda D, m: D.Poisson(m.tensor([0.5, 6.0]))),
    ("Binomial", lambda D, m: D.Binomial(10, m.tensor([0.2, 0.7]))),
    ("Geometric", lambda D, m: D.Geometric(m.tensor([0.3, 0.8]))),
    ("Multinomial", lambda D, m: D.Multinomial(5, m.tensor([0.2, 0.3, 0.5]))),
    ("MultivariateNormal", lambda D, m: D.MultivariateNormal(
        m.tensor([1.0, -1.0]), m.tensor([[2.0, 0.5], [0.5, 1.0]]))),
    ("HalfNormal", lambda D, m: D.HalfNormal(m.tensor([0.5, 2.0]))),
    ("Gumbel", lambda D, m: D.Gumbel(m.tensor([0.5, -1.0]), m.tensor([1.0, 2.0]))),
    ("Weibull", lambda D, m: D.Weibull(m.tensor([1.0, 2.0]), m.tensor([0.8, 3.0]))),
    ("Pareto", lambda D, m: D.Pareto(m.tensor([1.0, 0.5]), m.tensor([5.0, 7.0]))),
    ("Kumaraswamy", lambda D, m: D.Kumaraswamy(m.tensor([0.7, 3.0]), m.tensor([2.0, 0.8]))),
    ("NegativeBinomial", lambda D, m: D.NegativeBinomial(m.tensor([2.5, 6.0]),
                                                         m.tensor([0.3, 0.6]))),
    ("FisherSnedecor", lambda D, m: D.FisherSnedecor(m.tensor([5.0, 12.0]),
                                                     m.tensor([20.0, 30.0]))),
    ("ContinuousBernoulli", lambda D, m: D.ContinuousBernoulli(m.tensor([0.2, 0.5, 0.9]))),
    ("LowRankMultivariateNormal", lambda D, m: D.LowRankMultivariateNormal(
        m.tensor([1.0, -1.0, 0.0]), m.tensor([[1.0], [0.5], [-1.0]]),
        m.tensor([0.5, 1.0, 2.0]))),
    ("MixtureSameFamily", lambda D, m: D.MixtureSameFamily(
        D.Categorical(m.tensor([0.3, 0.7])),
        D.Normal(m.tensor([-1.0, 2.0]), m.tensor([0.5, 1.0])))),
    ("Wishart", lambda D, m: D.Wishart(m.tensor(5.0), m.tensor([[1.0, 0.3], [0.3, 0.5]]))),
]


@pytest.mark.parametrize("name,build", MOMENT_CASES, ids=[c[0] for c in MOMENT_CASES])
def test_sample_moments(name, build):
    ember.manual_seed(0)
    d = build(ED, ember)
    n = 20000
    s = d.sample((n,)).double()
    mean = _np(d.mean).astype(np.float64)
    var = _np(d.variance).astype(np.float64)
    got_mean = _np(s.mean(0))
    got_var = _np(s.var(0))
    # 5 standard errors of the mean; the variance within 10% (all have finite 4th moments)
    np.testing.assert_allclose(got_mean, mean, atol=5 * np.sqrt(var / n).max() + 1e-12)
    np.testing.assert_allclose(got_var, var, rtol=0.1)
    if d.has_rsample:
        r = d.rsample((n,)).double()
        np.testing.assert_allclose(_np(r.mean(0)), mean, atol=5 * np.sqrt(var / n).max())


def test_manual_seed_reproduces_samples():
    d = ED.Gamma(ember.tensor([0.5, 2.0]), ember.tensor([1.0, 1.0]))
    ember.manual_seed(123)
    a = d.sample((4,))
    b = ED.Normal(0.0, 1.0).sample((3,))
    ember.manual_seed(123)
    np.testing.assert_array_equal(_np(d.sample((4,))), _np(a))
    np.testing.assert_array_equal(_np(ED.Normal(0.0, 1.0).sample((3,))), _np(b))


# ---------------------------------------------------------------- rsample gradients
def test_rsample_gradients_location_scale():
    # loc + scale * eps: d/dloc = 1, d/dscale = eps = (x - loc) / scale
    for name in ("Normal", "Laplace", "Cauchy"):
        loc = ember.tensor([0.5, -1.0], dtype=ember.float64, requires_grad=True)
        scale = ember.tensor([1.5, 0.5], dtype=ember.float64, requires_grad=True)
        x = getattr(ED, name)(loc, scale).rsample()
        gl, gs = ember.autograd.grad(x.sum(), [loc, scale])
        np.testing.assert_allclose(_np(gl), [1.0, 1.0])
        np.testing.assert_allclose(_np(gs), _np((x - loc) / scale), rtol=1e-12)


def test_rsample_gradients_uniform_exponential_lognormal_mvn():
    low = ember.tensor([0.0, 1.0], dtype=ember.float64, requires_grad=True)
    high = ember.tensor([2.0, 4.0], dtype=ember.float64, requires_grad=True)
    x = ED.Uniform(low, high).rsample()
    gl, gh = ember.autograd.grad(x.sum(), [low, high])
    u = _np((x - low) / (high - low))
    np.testing.assert_allclose(_np(gh), u, rtol=1e-12)
    np.testing.assert_allclose(_np(gl), 1 - u, rtol=1e-12)
    rate = ember.tensor([0.5, 2.0], dtype=ember.float64, requires_grad=True)
    x = ED.Exponential(rate).rsample()
    (g,) = ember.autograd.grad(x.sum(), [rate])
    np.testing.assert_allclose(_np(g), _np(-x / rate), rtol=1e-12)
    loc = ember.tensor([0.1], dtype=ember.float64, requires_grad=True)
    x = ED.LogNormal(loc, 0.5).rsample()
    (g,) = ember.autograd.grad(x.sum(), [loc])
    np.testing.assert_allclose(_np(g), _np(x), rtol=1e-12)
    mloc = ember.tensor([1.0, 2.0], dtype=ember.float64, requires_grad=True)
    tril = ember.tensor([[1.0, 0.0], [0.5, 2.0]], dtype=ember.float64, requires_grad=True)
    x = ED.MultivariateNormal(mloc, scale_tril=tril).rsample((3,))
    gl, gt = ember.autograd.grad(x.sum(), [mloc, tril])
    np.testing.assert_allclose(_np(gl), [3.0, 3.0])
    eps = np.linalg.solve(_np(tril), (_np(x) - _np(mloc)).T).T  # x = loc + L eps
    # d/dL_ij of sum(L eps) is the sum of eps_j (the upper entries are used, as zeros, too)
    np.testing.assert_allclose(_np(gt), np.ones((2, 1)) * eps.sum(0), rtol=1e-10)


def test_gamma_rsample_implicit_gradient():
    # dx/dalpha at fixed CDF value: against torch's own approximation (accurate to ~5e-4)
    # and, when SciPy is installed, against finite differences of the inverse CDF
    ember.manual_seed(1)
    alpha = ember.tensor([0.05, 0.4, 1.0, 2.5, 9.0, 60.0], dtype=ember.float64,
                         requires_grad=True)
    x = ED.Gamma(alpha, 1.0).rsample((4,))
    (g,) = ember.autograd.grad(x.sum(), [alpha])
    xs = _np(x)
    a = np.broadcast_to(_np(alpha), xs.shape)
    ref = torch._standard_gamma_grad(torch.tensor(a), torch.tensor(xs)).cpu().numpy()
    np.testing.assert_allclose(_np(g), ref.sum(0), rtol=2e-3)
    sp = pytest.importorskip("scipy.special")
    u = sp.gammainc(a, xs)
    h = 1e-6 * a
    fd = (sp.gammaincinv(a + h, u) - sp.gammaincinv(a - h, u)) / (2 * h)
    keep = (u > 1e-8) & (u < 1 - 1e-8)
    from ember.distributions._sampling import standard_gamma_grad_array

    ours = standard_gamma_grad_array(np, a, xs)
    np.testing.assert_allclose(ours[keep], fd[keep], rtol=1e-6)


def test_beta_dirichlet_studentt_rsample_gradients_flow():
    ember.manual_seed(2)
    c = ember.tensor([0.7, 2.0, 3.0], dtype=ember.float64, requires_grad=True)
    x = ED.Dirichlet(c).rsample((6,))
    np.testing.assert_allclose(_np(x.sum(-1)), np.ones(6), rtol=1e-12)
    (g,) = ember.autograd.grad((x[:, 0] * 2 + x[:, 1]).sum(), [c])
    assert np.all(np.isfinite(_np(g)))
    a = ember.tensor(2.0, dtype=ember.float64, requires_grad=True)
    b = ember.tensor(3.0, dtype=ember.float64, requires_grad=True)
    y = ED.Beta(a, b).rsample((5,))
    ga, gb = ember.autograd.grad(y.sum(), [a, b])
    assert np.isfinite(_np(ga)) and np.isfinite(_np(gb))
    df = ember.tensor([4.0], dtype=ember.float64, requires_grad=True)
    z = ED.StudentT(df).rsample((3,))
    (gd,) = ember.autograd.grad(z.sum(), [df])
    assert np.isfinite(_np(gd)).all()


def test_relaxed_rsample_and_straight_through():
    ember.manual_seed(4)
    p = ember.tensor([0.2, 0.3, 0.5], dtype=ember.float64, requires_grad=True)
    t = ember.tensor(0.5, dtype=ember.float64)
    x = ED.RelaxedOneHotCategorical(t, p).rsample((4,))
    np.testing.assert_allclose(_np(x.sum(-1)), np.ones(4), rtol=1e-12)
    (g,) = ember.autograd.grad((x[:, 0]).sum(), [p])
    assert np.isfinite(_np(g)).all()
    st = ED.OneHotCategoricalStraightThrough(probs=p).rsample((3,))
    (g,) = ember.autograd.grad((st * ember.tensor([1.0, 2.0, 3.0], dtype=ember.float64)).sum(),
                               [p])
    # probs = p / sum(p): the straight-through gradient of <w, probs> is w - <w, probs>
    w = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(_np(g), 3 * (w - w @ _np(p)), rtol=1e-12)


# ---------------------------------------------------------------- KL divergences
KL_PAIRS = [
    ("Normal", lambda D, m, a, b: (D.Normal(a, b), D.Normal(b, a + 2))),
    ("Laplace", lambda D, m, a, b: (D.Laplace(a, b), D.Laplace(b, a + 2))),
    ("Cauchy", lambda D, m, a, b: (D.Cauchy(a, b), D.Cauchy(b, a + 2))),
    ("Exponential", lambda D, m, a, b: (D.Exponential(b), D.Exponential(a + 2))),
    ("Gamma", lambda D, m, a, b: (D.Gamma(b, a + 2), D.Gamma(a + 2, b))),
    ("Beta", lambda D, m, a, b: (D.Beta(b, a + 2), D.Beta(a + 2, b))),
    ("Uniform", lambda D, m, a, b: (D.Uniform(a - 1, a + b), D.Uniform(a - 2, a + 2 * b))),
    ("Uniform_outside", lambda D, m, a, b: (D.Uniform(a - 1, a + b), D.Uniform(a, a + b))),
    ("Poisson", lambda D, m, a, b: (D.Poisson(b), D.Poisson(a + 2))),
    ("Bernoulli", lambda D, m, a, b: (D.Bernoulli(m.sigmoid(a)), D.Bernoulli(logits=b))),
    ("Geometric", lambda D, m, a, b: (D.Geometric(m.sigmoid(a)), D.Geometric(logits=b))),
    ("Binomial", lambda D, m, a, b: (D.Binomial(5, m.sigmoid(a)), D.Binomial(5, logits=b))),
    ("Categorical", lambda D, m, a, b: (D.Categorical(logits=m.stack([a, b, a * b], -1)),
                                        D.Categorical(m.softmax(m.stack([b, a, b], -1), -1)))),
    ("OneHotCategorical", lambda D, m, a, b: (
        D.OneHotCategorical(logits=m.stack([a, b, a * b], -1)),
        D.OneHotCategorical(logits=m.stack([b, a, b], -1)))),
    ("Dirichlet", lambda D, m, a, b: (D.Dirichlet(m.stack([b, a + 2, b + 1], -1)),
                                      D.Dirichlet(m.stack([a + 2, b, b * 2], -1)))),
    ("MultivariateNormal", lambda D, m, a, b: (
        D.MultivariateNormal(m.stack([a, b], -1), scale_tril=m.diag_embed(
            m.stack([b, a + 2], -1)) + m.tensor([[0.0, 0.0], [0.3, 0.0]], dtype=a.dtype)),
        D.MultivariateNormal(m.stack([b, a], -1)[:1], covariance_matrix=m.tensor(
            [[2.0, 0.4], [0.4, 1.0]], dtype=a.dtype) * 1.5))),
    ("Independent", lambda D, m, a, b: (D.Independent(D.Normal(a, b), 1),
                                        D.Independent(D.Normal(b, a + 2), 1))),
    ("LogNormal", lambda D, m, a, b: (D.LogNormal(a, b), D.LogNormal(b, a + 2))),
    ("Exponential_Gamma", lambda D, m, a, b: (D.Exponential(b), D.Gamma(a + 2, b))),
    ("Normal_Laplace", lambda D, m, a, b: (D.Normal(a, b), D.Laplace(b, a + 2))),
    ("Uniform_Normal", lambda D, m, a, b: (D.Uniform(a - 1, a + b), D.Normal(b, a + 2))),
    ("HalfNormal", lambda D, m, a, b: (D.HalfNormal(a), D.HalfNormal(b))),
    ("Gumbel", lambda D, m, a, b: (D.Gumbel(a, b), D.Gumbel(b, a + 2))),
    ("Pareto", lambda D, m, a, b: (D.Pareto(a, b + 1), D.Pareto(b, a + 2))),
    ("ContinuousBernoulli", lambda D, m, a, b: (D.ContinuousBernoulli(m.sigmoid(a - 1)),
                                                D.ContinuousBernoulli(logits=b))),
    ("LowRankMVN", lambda D, m, a, b: (
        D.LowRankMultivariateNormal(a, m.stack([a, b], -1) * 0.5, b + 0.5),
        D.LowRankMultivariateNormal(b, m.stack([b * a, -a], -1) * 0.3, a + 0.2))),
    ("MVN_LowRankMVN", lambda D, m, a, b: (
        D.MultivariateNormal(a, scale_tril=m.diag_embed(b + 0.5)),
        D.LowRankMultivariateNormal(b, m.stack([b * a, -a], -1) * 0.3, a + 0.2))),
    ("LowRankMVN_MVN", lambda D, m, a, b: (
        D.LowRankMultivariateNormal(a, m.stack([a, b], -1) * 0.5, b + 0.5),
        D.MultivariateNormal(b, covariance_matrix=m.diag_embed(a + 1) + 0.1))),
]


BROADCAST_KL = {"Normal", "Laplace", "Cauchy", "Exponential", "Gamma", "Beta", "Poisson",
                "Geometric", "Independent", "LogNormal", "Exponential_Gamma", "Normal_Laplace",
                "Uniform_Normal", "HalfNormal", "Gumbel", "Pareto", "ContinuousBernoulli",
                "MVN_LowRankMVN"}


@pytest.mark.parametrize("name,build", KL_PAIRS, ids=[k[0] for k in KL_PAIRS])
def test_kl_divergence_matches_torch(name, build):
    rng = np.random.default_rng(5)
    a = rng.uniform(0.2, 1.5, size=(2, 3))
    # broadcast parameters where torch's own rules allow it (its masked assignments do not)
    b = rng.uniform(0.3, 2.0, size=(3,) if name in BROADCAST_KL else (2, 3))
    results = []
    for D, m in ((ED, ember), (TD, torch)):
        ta = m.tensor(a, requires_grad=True)
        tb = m.tensor(b, requires_grad=True)
        p, q = build(D, m, ta, tb)
        kl = D.kl_divergence(p, q)
        up = m.tensor(np.random.default_rng(6).standard_normal(tuple(kl.shape)))
        grads = m.autograd.grad(kl, [ta, tb], up, allow_unused=True)
        results.append((kl, grads))
    (ek, eg), (tk, tg) = results
    _close(ek, tk, "kl")
    for i, (x, y) in enumerate(zip(eg, tg)):
        if y is None:
            continue
        # an infinite KL has no gradient worth comparing
        _close(x, y, f"kl grad {i}")


def test_kl_errors_and_registration():
    # two different exponential families: torch's Bregman fallback refuses (same message)
    with pytest.raises(NotImplementedError) as t_err:
        torch.distributions.kl_divergence(torch.distributions.Normal(0.0, 1.0),
                                          torch.distributions.Bernoulli(0.5))
    with pytest.raises(NotImplementedError) as e_err:
        ED.kl_divergence(ED.Normal(0.0, 1.0), ED.Bernoulli(0.5))
    assert str(e_err.value) == str(t_err.value)
    # a family with no pair rule at all: torch's "No KL(p || q)" message
    with pytest.raises(NotImplementedError) as t_err:
        torch.distributions.kl_divergence(torch.distributions.Cauchy(0.0, 1.0),
                                          torch.distributions.Normal(0.0, 1.0))
    with pytest.raises(NotImplementedError) as e_err:
        ED.kl_divergence(ED.Cauchy(0.0, 1.0), ED.Normal(0.0, 1.0))
    assert str(e_err.value) == str(t_err.value)

    class MyNormal(ED.Normal):
        pass

    # subclasses use their base's rule until a more specific one is registered
    kl = ED.kl_divergence(MyNormal(0.0, 1.0), ED.Normal(1.0, 1.0))
    assert abs(kl.item() - 0.5) < 1e-6

    @ED.register_kl(MyNormal, ED.Normal)
    def _kl(p, q):
        return ember.tensor(42.0)

    assert ED.kl_divergence(MyNormal(0.0, 1.0), ED.Normal(1.0, 1.0)).item() == 42.0
    with pytest.raises(TypeError):
        ED.register_kl(int, ED.Normal)


# ---------------------------------------------------------------- validation messages
def _message(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - comparing type and message
        # on a GPU test run torch may still be on the CPU: compare without the device
        return type(exc), str(exc).replace(", device='cuda:0'", "")
    return None


VALIDATION = [
    lambda D, m: D.Normal(m.tensor([0.0, 1.0]), m.tensor([-1.0, 1.0])),
    lambda D, m: D.Normal(0.0, -1.0),
    lambda D, m: D.Normal(m.zeros(2), m.ones(2)).log_prob(m.zeros(3)),
    lambda D, m: D.Normal(m.zeros(2), m.ones(2)).log_prob([0.0, 1.0]),
    lambda D, m: D.Bernoulli(probs=m.tensor([0.5])).log_prob(m.tensor([0.5])),
    lambda D, m: D.Bernoulli(probs=m.tensor([1.5])),
    lambda D, m: D.Bernoulli(probs=0.5, logits=0.0),
    lambda D, m: D.Bernoulli(),
    lambda D, m: D.Categorical(m.tensor([0.5, -0.5])),
    lambda D, m: D.Categorical(m.tensor(0.5)),
    lambda D, m: D.Categorical(logits=m.tensor(0.5)),
    lambda D, m: D.Categorical(logits=m.zeros(3)).log_prob(m.tensor([3.0])),
    lambda D, m: D.Dirichlet(m.tensor([1.0, -2.0])),
    lambda D, m: D.Dirichlet(m.tensor(1.0)),
    lambda D, m: D.Dirichlet(m.tensor([1.0, 2.0])).log_prob(m.tensor([0.5, 0.6])),
    lambda D, m: D.Gamma(m.tensor([1.0]), m.tensor([0.0])),
    lambda D, m: D.Gamma(1.0, 1.0).log_prob(m.tensor(-1.0)),
    lambda D, m: D.Beta(m.tensor([1.0]), m.tensor([-1.0])),
    lambda D, m: D.Uniform(0.0, 1.0).log_prob(m.tensor(2.0)),
    lambda D, m: D.Exponential(m.tensor([-1.0])),
    lambda D, m: D.Poisson(m.tensor([1.0])).log_prob(m.tensor([1.5])),
    lambda D, m: D.Binomial(3, m.tensor([0.5])).log_prob(m.tensor([4.0])),
    lambda D, m: D.Geometric(m.tensor([0.0, 0.5])),
    lambda D, m: D.MultivariateNormal(m.tensor(0.0), m.eye(2)),
    lambda D, m: D.MultivariateNormal(m.zeros(2)),
    lambda D, m: D.MultivariateNormal(m.zeros(2), m.eye(2), scale_tril=m.eye(2)),
    lambda D, m: D.MultivariateNormal(m.zeros(2), m.ones(2)),
    lambda D, m: D.MultivariateNormal(m.zeros(2), m.tensor([[1.0, 2.0], [2.0, 1.0]])),
    lambda D, m: D.MultivariateNormal(m.zeros(2), scale_tril=m.tensor([[1.0, 1.0],
                                                                        [0.0, 1.0]])),
    lambda D, m: D.Independent(D.Normal(m.zeros(2), m.ones(2)), 2),
    lambda D, m: D.Multinomial(m.tensor(3), m.tensor([0.5, 0.5])),
    lambda D, m: D.Multinomial(3, m.tensor([0.5, 0.5])).log_prob(m.tensor([2.0, 2.0])),
    lambda D, m: D.TransformedDistribution(D.Normal(0.0, 1.0), "exp"),
    lambda D, m: D.LogNormal(0.0, 1.0).log_prob(m.tensor(-1.0)),
    lambda D, m: D.Normal(0.0, 1.0).mode if False else D.Poisson(1.0).entropy(),
    lambda D, m: D.Cauchy(0.0, 1.0).enumerate_support(),
    lambda D, m: D.Binomial(m.tensor([2.0, 3.0]), m.tensor([0.5, 0.5])).entropy(),
    lambda D, m: D.Distribution.set_default_validate_args(3),
    lambda D, m: D.transforms.Transform(cache_size=2),
    lambda D, m: D.utils.broadcast_all(m.zeros(2), "a"),
    lambda D, m: D.HalfNormal(m.tensor([-1.0])),
    lambda D, m: D.HalfNormal(1.0).log_prob(m.tensor(-1.0)),
    lambda D, m: D.HalfCauchy(m.tensor([0.0])),
    lambda D, m: D.Gumbel(0.0, 0.0),
    lambda D, m: D.Weibull(1.0, -1.0),
    lambda D, m: D.Weibull(1.0, 2.0).log_prob(m.tensor(0.0)),
    lambda D, m: D.Pareto(1.0, 1.0).log_prob(m.tensor(0.5)),
    lambda D, m: D.Pareto(m.tensor([1.0]), m.tensor([-2.0])),
    lambda D, m: D.Kumaraswamy(1.0, 2.0).log_prob(m.tensor(1.5)),
    lambda D, m: D.NegativeBinomial(m.tensor([-1.0]), m.tensor([0.5])),
    lambda D, m: D.NegativeBinomial(2.0, m.tensor([1.0])),
    lambda D, m: D.NegativeBinomial(2.0),
    lambda D, m: D.NegativeBinomial(2.0, m.tensor([0.5])).log_prob(m.tensor([0.5])),
    lambda D, m: D.FisherSnedecor(m.tensor([1.0]), m.tensor([-1.0])),
    lambda D, m: D.ContinuousBernoulli(m.tensor([1.5]), validate_args=True),
    lambda D, m: D.ContinuousBernoulli(probs=0.5, logits=0.0),
    lambda D, m: D.ContinuousBernoulli(0.3).log_prob(m.tensor(1.5)),
    lambda D, m: D.VonMises(0.0, -1.0),
    lambda D, m: D.VonMises(0.0, 1.0).entropy(),
    lambda D, m: D.LogisticNormal(m.zeros(2), m.ones(2)).log_prob(m.tensor([0.5, 0.6, 0.1])),
    lambda D, m: D.LowRankMultivariateNormal(m.tensor(0.0), m.zeros(2, 1), m.ones(2)),
    lambda D, m: D.LowRankMultivariateNormal(m.zeros(2), m.zeros(3, 1), m.ones(2)),
    lambda D, m: D.LowRankMultivariateNormal(m.zeros(2), m.zeros(2), m.ones(2)),
    lambda D, m: D.LowRankMultivariateNormal(m.zeros(2), m.zeros(2, 1), m.ones(3)),
    lambda D, m: D.LowRankMultivariateNormal(m.zeros(2), m.zeros(2, 1), -m.ones(2)),
    lambda D, m: D.LowRankMultivariateNormal(m.zeros(2, 2), m.zeros(3, 2, 1), m.ones(2)),
    lambda D, m: D.MixtureSameFamily(D.Normal(0.0, 1.0), D.Normal(m.zeros(2), m.ones(2))),
    lambda D, m: D.MixtureSameFamily(D.Categorical(m.ones(2)), "normal"),
    lambda D, m: D.MixtureSameFamily(D.Categorical(m.ones(3)), D.Normal(m.zeros(2),
                                                                        m.ones(2))),
    lambda D, m: D.MixtureSameFamily(D.Categorical(m.ones(2, 2)), D.Normal(m.zeros(3, 2),
                                                                           m.ones(3, 2))),
    lambda D, m: D.MixtureSameFamily(D.Categorical(m.ones(2)), D.Exponential(
        m.ones(2))).log_prob(m.tensor([-1.0, 1.0])),
    lambda D, m: D.LKJCholesky(1),
    lambda D, m: D.LKJCholesky(2, m.tensor([-1.0])),
    lambda D, m: D.LKJCholesky(2).log_prob(m.eye(2) * 2),
    lambda D, m: D.Wishart(m.tensor(1.0), m.eye(3)),
    lambda D, m: D.Wishart(m.tensor(3.0), m.ones(3)),
    lambda D, m: D.Wishart(m.tensor(3.0), m.eye(3), scale_tril=m.eye(3)),
    lambda D, m: D.Wishart(m.tensor(3.0), m.eye(2)).log_prob(-m.eye(2)),
    lambda D, m: D.constraint_registry.biject_to(D.constraints.lower_cholesky),
    lambda D, m: D.biject_to(D.constraints.positive_definite),
    lambda D, m: D.transform_to(D.constraints.boolean),
    lambda D, m: D.constraint_registry.ConstraintRegistry().register(int, lambda c: None),
]


@pytest.mark.parametrize("call", VALIDATION, ids=[str(i) for i in range(len(VALIDATION))])
def test_validation_errors_match_torch(call):
    ours = _message(lambda: call(ED, ember))
    theirs = _message(lambda: call(TD, torch))
    assert theirs is not None
    assert ours is not None, f"ember raised nothing; torch raised {theirs}"
    assert ours[0] is theirs[0]
    # tensor reprs in messages are compared without torch/ember differences in naming
    assert ours[1] == theirs[1]


def test_validate_args_switches():
    # validate_args=False skips the checks; the class default is settable, as in torch
    ED.Normal(0.0, -1.0, validate_args=False)
    ED.Distribution.set_default_validate_args(False)
    try:
        ED.Normal(0.0, -1.0)
        assert ED.Normal(0.0, 1.0).log_prob(ember.tensor([1.0, 2.0, 3.0])).shape == (3,)
    finally:
        ED.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        ED.Normal(0.0, -1.0)


def test_sample_n_warns_and_perplexity():
    d = ED.Normal(ember.zeros(2), ember.ones(2))
    with pytest.warns(UserWarning, match="sample_n will be deprecated"):
        assert d.sample_n(3).shape == (3, 2)
    t = TD.Normal(torch.zeros(2), torch.ones(2))
    _close(d.perplexity(), t.perplexity(), "perplexity", rtol=1e-6)


def test_repr_matches_torch():
    cases = [
        lambda D, m: D.Normal(m.zeros(2), m.ones(2)),
        lambda D, m: D.Normal(0.0, 1.0),
        lambda D, m: D.Bernoulli(logits=m.tensor([0.5])),
        lambda D, m: D.Independent(D.Normal(m.zeros(2), m.ones(2)), 1),
        lambda D, m: D.MultivariateNormal(m.zeros(2), m.eye(2)),
        lambda D, m: D.constraints.positive,
        lambda D, m: D.constraints.simplex,
        lambda D, m: D.constraints.independent(D.constraints.real, 1),
        lambda D, m: D.constraints.interval(0, 1),
        lambda D, m: D.constraints.integer_interval(0, 3),
        lambda D, m: D.constraints.nonnegative_integer,
        lambda D, m: D.constraints.unit_interval,
        lambda D, m: D.constraints.half_open_interval(0.0, 1.0),
        lambda D, m: D.constraints.lower_cholesky,
        lambda D, m: D.ExpTransform(),
        lambda D, m: D.ExpTransform().inv,
        lambda D, m: D.ComposeTransform([D.ExpTransform(), D.SigmoidTransform()]),
        lambda D, m: D.HalfNormal(m.ones(2)),
        lambda D, m: D.Gumbel(0.0, 1.0),
        lambda D, m: D.Pareto(m.ones(2), m.ones(2)),
        lambda D, m: D.LowRankMultivariateNormal(m.zeros(2), m.ones(2, 1), m.ones(2)),
        lambda D, m: D.Wishart(m.tensor(3.0), m.eye(2)),
        lambda D, m: D.constraints.MixtureSameFamilyConstraint(D.constraints.positive),
        lambda D, m: D.SoftplusTransform(),
        lambda D, m: D.StickBreakingTransform().inv,
        lambda D, m: D.biject_to(D.constraints.greater_than(1.0)),
    ]
    for c in cases:
        assert repr(c(ED, ember)).replace(", device='cuda:0'", "") == repr(c(TD, torch))


# ---------------------------------------------------------------- constraints and transforms
def test_constraints_check_match_torch():
    x = np.array([[-1.0, 0.0, 0.5], [1.0, 2.0, np.nan], [0.2, 0.3, 0.5]])
    names = ["real", "positive", "nonnegative", "unit_interval", "boolean", "nonnegative_integer",
             "positive_integer", "simplex", "real_vector", "one_hot"]
    for name in names:
        a = getattr(ED.constraints, name).check(ember.tensor(x))
        b = getattr(TD.constraints, name).check(torch.tensor(x))
        _close(a, b, name)
    for build in (lambda C: C.interval(-0.5, 1.0), lambda C: C.half_open_interval(0.0, 1.0),
                  lambda C: C.greater_than(0.2), lambda C: C.greater_than_eq(0.5),
                  lambda C: C.less_than(1.0), lambda C: C.integer_interval(0, 1),
                  lambda C: C.independent(C.positive, 1), lambda C: C.multinomial(3)):
        _close(build(ED.constraints).check(ember.tensor(x)),
               build(TD.constraints).check(torch.tensor(x)), repr(build(TD.constraints)))
    mats = np.stack([np.eye(2), [[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.0], [0.5, 2.0]],
                     [[2.0, 0.3], [0.3, 1.0]]])
    for name in ("lower_triangular", "lower_cholesky", "square", "symmetric",
                 "positive_definite", "positive_semidefinite"):
        _close(getattr(ED.constraints, name).check(ember.tensor(mats)),
               getattr(TD.constraints, name).check(torch.tensor(mats)), name)
    assert ED.constraints.is_dependent(ED.constraints.dependent)
    assert ED.constraints.positive.event_dim == 0
    assert ED.constraints.simplex.event_dim == 1
    assert ED.constraints.independent(ED.constraints.real, 2).event_dim == 2
    assert ED.constraints.nonnegative_integer.is_discrete
    with pytest.raises(ValueError, match="Cannot determine validity of dependent constraint"):
        ED.constraints.dependent.check(ember.zeros(1))


TRANSFORMS = [
    ("exp", lambda D, m: D.ExpTransform(), (-2, 2)),
    ("sigmoid", lambda D, m: D.SigmoidTransform(), (-3, 3)),
    ("tanh", lambda D, m: D.TanhTransform(), (-3, 3)),
    ("affine", lambda D, m: D.AffineTransform(m.tensor([0.5, -1.0, 2.0], dtype=m.float64),
                                              m.tensor([2.0, -0.5, 3.0], dtype=m.float64)),
     (-2, 2)),
    ("affine_event", lambda D, m: D.AffineTransform(1.0, -2.0, event_dim=1), (-2, 2)),
    ("power", lambda D, m: D.PowerTransform(m.tensor(2.5, dtype=m.float64)), (0.2, 2)),
    ("compose", lambda D, m: D.ComposeTransform([D.AffineTransform(0.0, 2.0), D.TanhTransform(),
                                                 D.AffineTransform(1.0, 3.0)]), (-1, 1)),
    ("inverse", lambda D, m: D.ExpTransform().inv, (0.2, 3)),
    ("independent", lambda D, m: D.IndependentTransform(D.ExpTransform(), 1), (-1, 1)),
    ("softmax", lambda D, m: D.SoftmaxTransform(), (-1, 1)),
    ("abs", lambda D, m: D.AbsTransform(), (-1, 1)),
    ("softplus", lambda D, m: D.SoftplusTransform(), (-3, 3)),
    ("stick_breaking", lambda D, m: D.StickBreakingTransform(), (-2, 2)),
    ("corr_cholesky", lambda D, m: D.CorrCholeskyTransform(), (-2, 2)),
    ("cat", lambda D, m: D.CatTransform([D.ExpTransform(), D.AffineTransform(1.0, 3.0)],
                                        dim=-1, lengths=[1, 2]), (-1, 1)),
    ("cat_batch", lambda D, m: D.CatTransform([D.SigmoidTransform(), D.TanhTransform()],
                                              dim=0), (-1, 1)),
    ("stack", lambda D, m: D.StackTransform([D.ExpTransform(), D.SigmoidTransform(),
                                             D.SoftplusTransform()], dim=-1), (-1, 1)),
]


@pytest.mark.parametrize("name,build,dom", TRANSFORMS, ids=[t[0] for t in TRANSFORMS])
def test_transforms_match_torch(name, build, dom):
    x = np.random.default_rng(7).uniform(*dom, size=(2, 3))
    out = []
    for D, m in ((ED, ember), (TD, torch)):
        t = build(D, m)
        xt = m.tensor(x, requires_grad=True)
        y = t(xt)
        res = {"y": y, "inv": t.inv(y.detach()),
               "event": (t.domain.event_dim, t.codomain.event_dim),
               "bijective": t.bijective, "forward_shape": tuple(t.forward_shape((2, 3)))}
        try:
            res["ladj"] = t.log_abs_det_jacobian(xt, y)
            if res["ladj"].requires_grad:
                res["ladj_grad"] = m.autograd.grad(res["ladj"].sum(), [xt], allow_unused=True)[0]
        except NotImplementedError:
            res["ladj"] = None
        try:
            s = t.sign
            res["sign"] = s if isinstance(s, int) else _np(s).tolist()
        except NotImplementedError:
            res["sign"] = None
        out.append(res)
    e, tt = out
    _close(e["y"], tt["y"], "forward")
    _close(e["inv"], tt["inv"], "inverse")
    for k in ("event", "bijective", "forward_shape", "sign"):
        assert e[k] == tt[k], k
    assert (e["ladj"] is None) == (tt["ladj"] is None)
    if tt["ladj"] is not None:
        _close(e["ladj"], tt["ladj"], "log_abs_det_jacobian")
        assert ("ladj_grad" in e) == ("ladj_grad" in tt)
        if tt.get("ladj_grad") is not None:
            _close(e["ladj_grad"], tt["ladj_grad"], "log_abs_det_jacobian grad")


def test_transform_cache_and_equality():
    t = ED.ExpTransform().with_cache(1)
    x = ember.tensor([0.5])
    y = t(x)
    assert t(x) is y
    assert t.inv(y) is x
    assert ED.ExpTransform() == ED.ExpTransform()
    assert ED.AffineTransform(1.0, 2.0) == ED.AffineTransform(1.0, 2.0)
    assert ED.AffineTransform(1.0, 2.0) != ED.AffineTransform(1.0, 3.0)
    assert ED.ExpTransform().inv == ED.ExpTransform().inv
    assert ED.ExpTransform().inv.inv == ED.ExpTransform()


# ---------------------------------------------------------------- misc API
def test_utils_match_torch():
    p = np.array([[0.0, 0.2, 0.8], [0.5, 0.5, 1.0]])
    from torch.distributions import utils as TU

    from ember.distributions import utils as EU

    _close(EU.probs_to_logits(ember.tensor(p)), TU.probs_to_logits(torch.tensor(p)), "p2l")
    _close(EU.probs_to_logits(ember.tensor(p), True), TU.probs_to_logits(torch.tensor(p), True),
           "p2l binary")
    _close(EU.logits_to_probs(ember.tensor(p)), TU.logits_to_probs(torch.tensor(p)), "l2p")
    _close(EU.clamp_probs(ember.tensor(p)), TU.clamp_probs(torch.tensor(p)), "clamp")
    a, b = EU.broadcast_all(ember.zeros(2, 1, dtype=ember.float64), 1.5)
    assert a.shape == (2, 1) and b.dtype == ember.float64 and b.shape == (2, 1)
    (c,) = EU.broadcast_all(2.0)
    assert c.dtype == ember.float32 and c.shape == ()
    m = np.arange(9.0).reshape(3, 3)
    _close(EU.tril_matrix_to_vec(ember.tensor(m)), TU.tril_matrix_to_vec(torch.tensor(m)), "t2v")
    v = np.arange(6.0)
    _close(EU.vec_to_tril_matrix(ember.tensor(v)), TU.vec_to_tril_matrix(torch.tensor(v)), "v2t")


def test_lazy_parametrisations_keep_graph():
    logits = ember.tensor([0.3, -1.0], dtype=ember.float64, requires_grad=True)
    d = ED.Bernoulli(logits=logits)
    assert "probs" not in d.__dict__
    (g,) = ember.autograd.grad(d.probs.sum(), [logits])
    s = _np(ember.sigmoid(logits))
    np.testing.assert_allclose(_np(g), s * (1 - s), rtol=1e-12)
    assert "probs" in d.__dict__


def test_mvn_parametrisations_agree():
    rng = np.random.default_rng(8)
    cov = _spd(3)(rng, (2,))
    loc = rng.standard_normal((2, 3))
    e1 = ED.MultivariateNormal(ember.tensor(loc), covariance_matrix=ember.tensor(cov))
    e2 = ED.MultivariateNormal(ember.tensor(loc), precision_matrix=ember.tensor(
        np.linalg.inv(cov)))
    t1 = TD.MultivariateNormal(torch.tensor(loc), covariance_matrix=torch.tensor(cov))
    for attr in ("scale_tril", "covariance_matrix", "precision_matrix", "variance"):
        _close(getattr(e1, attr), getattr(t1, attr), attr)
        _close(getattr(e2, attr), getattr(t1, attr), attr, rtol=1e-6, atol=1e-9)


def test_lazy_import_and_torch_style_use():
    import subprocess
    import sys

    code = ("import sys, ember; assert 'ember.distributions' not in sys.modules; "
            "d = ember.distributions.Normal(0.0, 1.0); "
            "from ember.distributions import Normal; assert Normal is type(d); "
            "import ember.distributions.constraints as c; assert c.real is not None; "
            "print('ok')")
    import os

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    r = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": root})
    assert r.stdout.strip() == "ok", r.stderr
    assert math.isfinite(ember.distributions.Normal(0.0, 1.0).entropy().item())



def test_matrix_transforms_match_torch():
    x = np.random.default_rng(9).uniform(-1, 1, size=(2, 3, 3))
    for name in ("LowerCholeskyTransform", "PositiveDefiniteTransform"):
        out = []
        for D, m in ((ED, ember), (TD, torch)):
            t = getattr(D, name)()
            xt = m.tensor(x, requires_grad=True)
            y = t(xt)
            (g,) = m.autograd.grad((y * m.tensor(x)).sum(), [xt])
            out.append((y, t.inv(y.detach()), g, t.codomain.check(y).all().item(),
                        t.domain.event_dim, t.bijective))
        for a, b in zip(*out):
            if isinstance(b, torch.Tensor):
                _close(a, b, name)
            else:
                assert a == b, name


CONSTRAINTS = [
    ("real", lambda C: C.real, (2, 3)),
    ("positive", lambda C: C.positive, (2, 3)),
    ("nonnegative", lambda C: C.nonnegative, (2, 3)),
    ("greater_than", lambda C: C.greater_than(1.5), (2, 3)),
    ("greater_than_eq", lambda C: C.greater_than_eq(-1.0), (2, 3)),
    ("less_than", lambda C: C.less_than(2.0), (2, 3)),
    ("interval", lambda C: C.interval(-1.0, 3.0), (2, 3)),
    ("unit_interval", lambda C: C.unit_interval, (2, 3)),
    ("half_open_interval", lambda C: C.half_open_interval(0.0, 2.0), (2, 3)),
    ("simplex", lambda C: C.simplex, (2, 3)),
    ("real_vector", lambda C: C.real_vector, (2, 3)),
    ("independent", lambda C: C.independent(C.positive, 1), (2, 3)),
    ("corr_cholesky", lambda C: C.corr_cholesky, (2, 3)),
    ("lower_cholesky", lambda C: C.lower_cholesky, (2, 3, 3)),
    ("positive_definite", lambda C: C.positive_definite, (2, 3, 3)),
    ("cat", lambda C: C.cat([C.positive, C.interval(0.0, 2.0)], dim=-1, lengths=[1, 2]),
     (2, 3)),
    ("stack", lambda C: C.stack([C.real, C.positive, C.unit_interval], dim=-1), (2, 3)),
]


@pytest.mark.parametrize("name,build,shape", CONSTRAINTS, ids=[c[0] for c in CONSTRAINTS])
def test_constraint_registry_matches_torch(name, build, shape):
    x = np.random.default_rng(10).uniform(-1.5, 1.5, size=shape)
    for registry in ("biject_to", "transform_to"):
        out = []
        for D, m in ((ED, ember), (TD, torch)):
            c = build(D.constraints)
            try:
                t = getattr(D, registry)(c)
            except NotImplementedError as exc:
                out.append(str(exc))
                continue
            xt = m.tensor(x, requires_grad=True)
            y = t(xt)
            res = {"type": type(t).__name__, "y": y, "inv": t.inv(y.detach()),
                   "in": bool(c.check(y.detach()).all()), "bijective": t.bijective}
            try:
                ladj = t.log_abs_det_jacobian(xt, y)
                res["ladj"] = ladj
                res["ladj_grad"] = None
                if ladj.requires_grad:
                    res["ladj_grad"] = m.autograd.grad(ladj.sum(), [xt], allow_unused=True)[0]
            except NotImplementedError:
                res["ladj"] = None
            out.append(res)
        e, t = out
        if isinstance(t, str):
            assert e == t
            continue
        assert e["type"] == t["type"] and e["bijective"] == t["bijective"]
        assert e["in"] and t["in"]
        _close(e["y"], t["y"], f"{registry} forward")
        _close(e["inv"], t["inv"], f"{registry} inverse")
        assert (e["ladj"] is None) == (t["ladj"] is None)
        if t["ladj"] is not None:
            _close(e["ladj"], t["ladj"], f"{registry} log_abs_det_jacobian")
            if t["ladj_grad"] is not None:
                _close(e["ladj_grad"], t["ladj_grad"], f"{registry} log_abs_det_jacobian grad")


def test_constraint_registry_register():
    class MyPositive(ED.constraints.Constraint):
        def check(self, value):
            return value > 0

    registry = ED.constraint_registry.ConstraintRegistry()

    @registry.register(MyPositive)
    def _factory(constraint):
        return ED.ExpTransform()

    assert isinstance(registry(MyPositive()), ED.ExpTransform)
    registry.register(MyPositive(), lambda c: ED.SoftplusTransform())
    assert isinstance(registry(MyPositive()), ED.SoftplusTransform)
    with pytest.raises(NotImplementedError, match="Cannot transform _Real constraints"):
        registry(ED.constraints.real)


# ---------------------------------------------------------------- the newer distributions
def test_continuous_bernoulli_taylor_region_matches_torch():
    # probs inside (0.499, 0.501) switch to Taylor expansions; at exactly 1/2 as well
    p = np.array([0.4985, 0.4995, 0.5, 0.5005, 0.501, 0.5012])
    v = np.array([0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
    results = []
    for D, m in ((ED, ember), (TD, torch)):
        pt = m.tensor(p, requires_grad=True)
        d = D.ContinuousBernoulli(pt)
        vals = [d.log_prob(m.tensor(v)), d.mean, d.variance, d.entropy(), d.cdf(m.tensor(v)),
                d.icdf(m.tensor(v))]
        grads = m.autograd.grad(vals[0].sum() + vals[3].sum(), [pt])
        results.append(vals + list(grads))
    for i, (a, b) in enumerate(zip(*results)):
        _close(a, b, f"ContinuousBernoulli value {i}", rtol=1e-9, atol=1e-12)


def test_wishart_scale_tril_gradient_lower_triangle():
    # torch's cholesky_solve backward also fills the upper triangle of the factor (entries
    # the distribution never reads); the lower triangle must agree
    rng = np.random.default_rng(11)
    tril = _tril(3)(rng, (2,))
    value = _spd(3)(rng, (2,)) / 3
    grads = []
    for D, m in ((ED, ember), (TD, torch)):
        L = m.tensor(tril, requires_grad=True)
        df = m.tensor([4.0, 5.5], dtype=m.float64, requires_grad=True)
        d = D.Wishart(df, scale_tril=L)
        out = d.log_prob(m.tensor(value)).sum() + d.entropy().sum()
        grads.append(m.autograd.grad(out, [L, df]))
    (gl_e, gd_e), (gl_t, gd_t) = grads
    np.testing.assert_allclose(np.tril(_np(gl_e)), np.tril(_np(gl_t)), rtol=1e-9)
    _close(gd_e, gd_t, "grad df")


def test_von_mises_samples():
    # circular moments: E[cos(x - loc)] = I1(k) / I0(k) = 1 - variance, E[sin(x - loc)] = 0
    ember.manual_seed(12)
    loc = ember.tensor([0.5, -2.5, 3.0], dtype=ember.float64)
    conc = ember.tensor([0.5, 2.0, 10.0], dtype=ember.float64)
    d = ED.VonMises(loc, conc)
    x = d.sample((20000,))
    assert x.dtype == ember.float64 and tuple(x.shape) == (20000, 3)
    assert bool(((x >= -math.pi) & (x < math.pi)).all())
    c = _np(ember.cos(x - loc).mean(0))
    s = _np(ember.sin(x - loc).mean(0))
    t = TD.VonMises(torch.tensor(_np(loc)), torch.tensor(_np(conc)))
    np.testing.assert_allclose(c, 1 - t.variance.cpu().numpy(), atol=0.02)
    np.testing.assert_allclose(s, 0.0, atol=0.02)
    assert ED.VonMises(0.0, 1.0).sample((4,)).dtype == ember.float32


def test_lkj_cholesky_samples():
    ember.manual_seed(13)
    d = ED.LKJCholesky(3, ember.tensor([0.5, 4.0]))
    L = d.sample((4000,))
    assert tuple(L.shape) == (4000, 2, 3, 3)
    assert bool(ED.constraints.corr_cholesky.check(L).all())
    corr = _np(L @ L.mT)
    np.testing.assert_allclose(np.diagonal(corr, axis1=-2, axis2=-1), 1.0, rtol=1e-5)
    # the marginal of an off-diagonal correlation is Beta(c + 1/2, c + 1/2) on (-1, 1),
    # variance 1 / (2 c + 2) for dimension 3
    c = np.array([0.5, 4.0]) + 0.5
    np.testing.assert_allclose(corr[..., 1, 0].var(0), 1 / (2 * c + 1), rtol=0.1)
    np.testing.assert_allclose(corr[..., 2, 1].mean(0), 0.0, atol=0.03)


def test_mixture_same_family_samples_and_gradients():
    ember.manual_seed(14)
    logits = ember.tensor([[0.2, -0.5, 1.0]], dtype=ember.float64, requires_grad=True)
    loc = ember.tensor([[-2.0, 0.0, 3.0]], dtype=ember.float64)
    d = ED.MixtureSameFamily(ED.Categorical(logits=logits),
                             ED.Normal(loc, ember.full((1, 3), 0.5, dtype=ember.float64)))
    t = TD.MixtureSameFamily(TD.Categorical(logits=torch.tensor(_np(logits),
                                                                requires_grad=True)),
                             TD.Normal(torch.tensor(_np(loc)), torch.full((1, 3), 0.5,
                                                                          dtype=torch.float64)))
    assert repr(d) == repr(t)
    x = d.sample((20000,))
    assert tuple(x.shape) == (20000, 1) and not x.requires_grad
    np.testing.assert_allclose(_np(x.mean(0)), _np(d.mean), atol=0.05)
    np.testing.assert_allclose(_np(x.var(0)), _np(d.variance), rtol=0.05)
    v = np.array([[-1.0], [0.5], [2.5]])
    lp = d.log_prob(ember.tensor(v))
    (g,) = ember.autograd.grad(lp.sum(), [logits])
    tl = t.mixture_distribution.logits
    (tg,) = torch.autograd.grad(t.log_prob(torch.tensor(v)).sum(), [tl])
    _close(g, tg, "grad of log_prob w.r.t. logits")


def test_rsample_gradients_of_new_distributions():
    # reparameterised samples: gradients against finite differences of the same draws
    cases = [
        ("HalfNormal", lambda p: ED.HalfNormal(p), [0.5, 2.0]),
        ("Gumbel", lambda p: ED.Gumbel(p, 1.5), [0.5, -1.0]),
        ("Weibull", lambda p: ED.Weibull(1.5, p), [0.8, 2.5]),
        ("Kumaraswamy", lambda p: ED.Kumaraswamy(p, 2.0), [0.7, 3.0]),
        ("ContinuousBernoulli", lambda p: ED.ContinuousBernoulli(p), [0.2, 0.8]),
        ("LogisticNormal", lambda p: ED.LogisticNormal(p, 0.5), [0.2, -0.4]),
    ]
    for name, build, values in cases:
        p = ember.tensor(values, dtype=ember.float64, requires_grad=True)
        gen_state = ember.random.get_rng_state()
        x = build(p).rsample((3,))
        # squared: the entries of a simplex sample sum to 1, whatever the parameters
        (g,) = ember.autograd.grad(x.pow(2).sum(), [p])
        h = 1e-6
        fd = []
        for i in range(len(values)):
            shifted = []
            for sign in (1, -1):
                q = np.array(values, dtype=np.float64)
                q[i] += sign * h
                ember.random.set_rng_state(gen_state)
                shifted.append((_np(build(ember.tensor(q)).rsample((3,))) ** 2).sum())
            fd.append((shifted[0] - shifted[1]) / (2 * h))
        np.testing.assert_allclose(_np(g), fd, rtol=1e-5, err_msg=name)
    for name in ("FisherSnedecor",):
        df = ember.tensor([3.0, 6.0], dtype=ember.float64, requires_grad=True)
        x = ED.FisherSnedecor(df, df + 1).rsample((4,))
        (g,) = ember.autograd.grad(x.sum(), [df])
        assert np.isfinite(_np(g)).all(), name
