"""Random numbers: determinism under seeds and generators, state save/restore, shapes, dtypes and
errors against torch 2.13.0, and the distributions (moments of 100k samples against the exact
values, bounds, permutations, category frequencies)."""

import math
import re
import warnings

import numpy as np
import pytest
import torch

import ember

N = 100_000


def _np(t):
    return t.detach().cpu().numpy()


# ---------------------------------------------------------------- determinism and state
SAMPLERS = [
    ("rand", lambda m, g: m.rand(5, 3, generator=g)),
    ("randn", lambda m, g: m.randn(7, generator=g, dtype=m.float64)),
    ("randint", lambda m, g: m.randint(-3, 9, (4, 4), generator=g)),
    ("randperm", lambda m, g: m.randperm(20, generator=g)),
    ("normal_scalar", lambda m, g: m.normal(1.0, 2.0, (6,), generator=g)),
    ("normal_tensor", lambda m, g: m.normal(m.zeros(3), m.ones(3), generator=g)),
    ("bernoulli", lambda m, g: m.bernoulli(m.full((10,), 0.4), generator=g)),
    ("multinomial", lambda m, g: m.multinomial(m.tensor([0.2, 0.3, 0.5]), 6, True, generator=g)),
    ("multinomial_noreplace", lambda m, g: m.multinomial(m.ones(2, 5), 3, generator=g)),
    ("poisson", lambda m, g: m.poisson(m.full((5,), 3.0), generator=g)),
    ("rand_like", lambda m, g: m.rand_like(m.ones(3), generator=g)),
    ("randint_like", lambda m, g: m.randint_like(m.ones(3), 10, generator=g)),
    ("normal_", lambda m, g: m.empty(5).normal_(generator=g)),
    ("uniform_", lambda m, g: m.empty(5).uniform_(-2, 2, generator=g)),
    ("exponential_", lambda m, g: m.empty(5).exponential_(generator=g)),
    ("random_", lambda m, g: m.empty(5).random_(0, 100, generator=g)),
    ("bernoulli_", lambda m, g: m.empty(5).bernoulli_(0.5, generator=g)),
    ("geometric_", lambda m, g: m.empty(5).geometric_(0.3, generator=g)),
    ("cauchy_", lambda m, g: m.empty(5).cauchy_(generator=g)),
    ("log_normal_", lambda m, g: m.empty(5).log_normal_(generator=g)),
]


@pytest.mark.parametrize("name,fn", SAMPLERS, ids=[s[0] for s in SAMPLERS])
def test_manual_seed_determinism(name, fn):
    ember.manual_seed(1234)
    a = _np(fn(ember, None))
    b = _np(fn(ember, None))
    ember.manual_seed(1234)
    c = _np(fn(ember, None))
    np.testing.assert_array_equal(a, c)
    if a.size > 4 and name not in ("bernoulli_",):
        assert not np.array_equal(a, b), "consecutive draws should differ"


@pytest.mark.parametrize("name,fn", SAMPLERS, ids=[s[0] for s in SAMPLERS])
def test_generator_determinism(name, fn):
    g1 = ember.Generator().manual_seed(7)
    g2 = ember.Generator()
    g2.manual_seed(7)
    ember.manual_seed(0)
    np.testing.assert_array_equal(_np(fn(ember, g1)), _np(fn(ember, g2)))
    # a private generator leaves the default stream alone
    ember.manual_seed(0)
    x = _np(ember.rand(4))
    ember.manual_seed(0)
    fn(ember, ember.Generator().manual_seed(9))
    np.testing.assert_array_equal(_np(ember.rand(4)), x)


def test_rng_state_roundtrip():
    ember.manual_seed(3)
    ember.rand(10)
    state = ember.get_rng_state()
    assert state.dtype == ember.uint8 and state.dim() == 1
    a = _np(ember.randn(20))
    b = _np(ember.randint(0, 1000, (5,)))
    ember.set_rng_state(state)
    np.testing.assert_array_equal(_np(ember.randn(20)), a)
    np.testing.assert_array_equal(_np(ember.randint(0, 1000, (5,))), b)


def test_generator_state_roundtrip_and_clone():
    g = ember.Generator().manual_seed(11)
    g.normal_ = None  # attributes do not matter to the state
    state = g.get_state()
    a = _np(ember.rand(8, generator=g))
    other = ember.Generator().set_state(state)
    np.testing.assert_array_equal(_np(ember.rand(8, generator=other)), a)
    assert other.initial_seed() == 11


def test_seed_values_match_torch():
    assert ember.manual_seed(5).initial_seed() == torch.manual_seed(5).initial_seed()
    assert ember.initial_seed() == 5
    assert ember.manual_seed(-1).initial_seed() == torch.manual_seed(-1).initial_seed()
    assert ember.Generator().initial_seed() == torch.Generator().initial_seed()
    assert isinstance(ember.manual_seed(1), ember.Generator)
    assert ember.default_generator.initial_seed() == 1
    s = ember.seed()
    assert ember.initial_seed() == s and 0 <= s < 2**64
    torch.manual_seed(0)


def test_seed_errors_match_torch():
    for bad in (2**64, "a"):
        with pytest.raises(ValueError) as te:
            torch.manual_seed(bad)
        with pytest.raises(ValueError, match=re.escape(str(te.value))):
            ember.manual_seed(bad)
    torch.manual_seed(0)
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        torch.set_rng_state(torch.zeros(3))
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        ember.set_rng_state(ember.zeros(3))
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size"):
        ember.set_rng_state(ember.zeros(3, dtype=ember.uint8))


# ---------------------------------------------------------------- shapes, dtypes, errors vs torch
CALLS = [
    ("rand_varargs", lambda m: m.rand(2, 3)),
    ("rand_tuple", lambda m: m.rand((2, 3))),
    ("rand_size", lambda m: m.rand(m.Size([4]))),
    ("rand_0d", lambda m: m.rand(())),
    ("rand_empty", lambda m: m.rand(0, 2)),
    ("rand_f64", lambda m: m.rand(2, dtype=m.float64)),
    ("rand_f16", lambda m: m.rand(2, dtype=m.float16)),
    ("rand_complex", lambda m: m.rand(2, dtype=m.complex64)),
    ("rand_rg", lambda m: m.rand(2, requires_grad=True)),
    ("rand_long", lambda m: m.rand(2, dtype=m.int64)),
    ("rand_bool", lambda m: m.rand(2, dtype=m.bool)),
    ("rand_negative", lambda m: m.rand(-1)),
    ("rand_noargs", lambda m: m.rand()),
    ("randn", lambda m: m.randn(3, 1)),
    ("randn_complex128", lambda m: m.randn(2, dtype=m.complex128)),
    ("randn_long", lambda m: m.randn(2, dtype=m.int64)),
    ("randint_high", lambda m: m.randint(5, (3,))),
    ("randint_low_high", lambda m: m.randint(2, 5, (3, 2))),
    ("randint_kw", lambda m: m.randint(low=2, high=5, size=(3,))),
    ("randint_dtype", lambda m: m.randint(5, (2,), dtype=m.float32)),
    ("randint_bool", lambda m: m.randint(0, 2, (2,), dtype=m.bool)),
    ("randint_uint8_bounds", lambda m: m.randint(-5, 300, (2,), dtype=m.uint8)),
    ("randint_uint8_high", lambda m: m.randint(0, 300, (2,), dtype=m.uint8)),
    ("randint_empty_range", lambda m: m.randint(5, 5, (2,))),
    ("randint_bad_range", lambda m: m.randint(5, 3, (2,))),
    ("randint_size_int", lambda m: m.randint(5, 2)),
    ("randint_float_high", lambda m: m.randint(2.5, (3,))),
    ("randint_rg", lambda m: m.randint(5, (2,), dtype=m.float32, requires_grad=True)),
    ("randperm", lambda m: m.randperm(4)),
    ("randperm_dtype", lambda m: m.randperm(4, dtype=m.float32)),
    ("randperm_zero", lambda m: m.randperm(0)),
    ("randperm_negative", lambda m: m.randperm(-1)),
    ("normal_floats_size", lambda m: m.normal(2.0, 3.0, (3,))),
    ("normal_floats_nosize", lambda m: m.normal(2.0, 3.0)),
    ("normal_mean_tensor", lambda m: m.normal(m.zeros(3), 1.0)),
    ("normal_std_tensor", lambda m: m.normal(0.0, m.ones(2, 3))),
    ("normal_broadcast", lambda m: m.normal(m.zeros(3), m.ones(2, 3))),
    ("normal_bad_broadcast", lambda m: m.normal(m.zeros(3), m.ones(4))),
    ("normal_negative_std", lambda m: m.normal(m.zeros(3), -m.ones(3))),
    ("normal_negative_float_std", lambda m: m.normal(0.0, -1.0, (3,))),
    ("normal_long_mean", lambda m: m.normal(m.zeros(3, dtype=m.int64), 1.0)),
    ("normal_promote", lambda m: m.normal(m.zeros(3, dtype=m.float64), m.ones(3))),
    ("normal_dtype", lambda m: m.normal(0.0, 1.0, (2,), dtype=m.float64)),
    ("rand_like", lambda m: m.rand_like(m.ones(2, 3, dtype=m.float64))),
    ("rand_like_long", lambda m: m.rand_like(m.ones(2, dtype=m.int64))),
    ("randn_like_dtype", lambda m: m.randn_like(m.ones(2), dtype=m.float64)),
    ("randint_like", lambda m: m.randint_like(m.ones(2, 2), 3)),
    ("randint_like_low_high", lambda m: m.randint_like(m.ones(2, dtype=m.int32), 3, 9)),
    ("bernoulli", lambda m: m.bernoulli(m.full((3,), 0.5))),
    ("bernoulli_p", lambda m: m.bernoulli(m.full((3,), 0.5, dtype=m.float64), 0.2)),
    ("bernoulli_bad_p", lambda m: m.bernoulli(m.full((3,), 1.5))),
    ("bernoulli_long", lambda m: m.bernoulli(m.ones(3, dtype=m.int64))),
    ("multinomial", lambda m: m.multinomial(m.ones(3), 2)),
    ("multinomial_2d", lambda m: m.multinomial(m.ones(4, 3), 5, replacement=True)),
    ("multinomial_too_many", lambda m: m.multinomial(m.ones(3), 4)),
    ("multinomial_negative", lambda m: m.multinomial(m.tensor([-1.0, 0.0, 0.0]), 2)),
    ("multinomial_zero_sum", lambda m: m.multinomial(m.zeros(3), 2, True)),
    ("multinomial_3d", lambda m: m.multinomial(m.ones(2, 2, 2), 1)),
    ("multinomial_long", lambda m: m.multinomial(m.ones(3, dtype=m.int64), 1)),
    ("multinomial_zero_samples", lambda m: m.multinomial(m.ones(3), 0)),
    ("poisson", lambda m: m.poisson(m.ones(2, 3))),
    ("normal_method", lambda m: m.zeros(3).normal_(2.0, 0.5)),
    ("normal_method_bad_std", lambda m: m.zeros(3).normal_(0, -1)),
    ("normal_method_long", lambda m: m.zeros(3, dtype=m.int64).normal_()),
    ("uniform_bad_range", lambda m: m.zeros(3).uniform_(3, 2)),
    ("uniform_long", lambda m: m.zeros(3, dtype=m.int64).uniform_()),
    ("exponential_zero", lambda m: m.zeros(3).exponential_(0)),
    ("exponential_long", lambda m: m.zeros(3, dtype=m.int64).exponential_()),
    ("geometric_bad_p", lambda m: m.zeros(3).geometric_(0)),
    ("geometric_long", lambda m: m.zeros(3, dtype=m.int64).geometric_(0.5)),
    ("bernoulli_method_bad_p", lambda m: m.zeros(3).bernoulli_(1.3)),
    ("bernoulli_method_long", lambda m: m.zeros(3, dtype=m.int64).bernoulli_(0.5)),
    ("random_bad_range", lambda m: m.zeros(3, dtype=m.int64).random_(5, 3)),
    ("random_negative_to", lambda m: m.zeros(3, dtype=m.int64).random_(-3)),
    ("random_uint8_to", lambda m: m.zeros(3, dtype=m.uint8).random_(300)),
    ("random_bool", lambda m: m.zeros(3, dtype=m.bool).random_()),
    ("fill_int_trunc", lambda m: m.zeros(3, dtype=m.int64).fill_(2.7)),
    ("fill_tensor_value", lambda m: m.zeros(3).fill_(m.tensor(1.5))),
    ("fill_1d_value", lambda m: m.zeros(3).fill_(m.tensor([1.0]))),
    ("fill_leaf", lambda m: m.zeros(3, requires_grad=True).fill_(1)),
    ("zero_leaf", lambda m: m.ones(3, requires_grad=True).zero_()),
    ("normal_leaf", lambda m: m.zeros(3, requires_grad=True).normal_()),
    ("zero_", lambda m: m.ones(2, 2).zero_()),
]


def _run(fn, m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(m), None
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            return None, e


@pytest.mark.parametrize("label,fn", CALLS, ids=[c[0] for c in CALLS])
def test_shapes_dtypes_errors_match_torch(label, fn):
    expected, t_err = _run(fn, torch)
    got, e_err = _run(fn, ember)
    if t_err is not None:
        assert e_err is not None, f"{label}: torch raised {t_err!r}, ember returned {got!r}"
        assert type(e_err).__name__ == type(t_err).__name__ or (
            isinstance(t_err, RuntimeError) and isinstance(e_err, RuntimeError)
        ), f"{label}: {e_err!r} vs {t_err!r}"
        assert str(e_err).split("\n")[0] == str(t_err).split("\n")[0], label
        return
    assert e_err is None, f"{label}: ember raised {e_err!r}"
    assert str(got.dtype) == str(expected.dtype), label
    assert tuple(got.shape) == tuple(expected.shape), label
    assert got.requires_grad == expected.requires_grad, label
    if label in ("zero_", "fill_int_trunc", "fill_tensor_value"):
        np.testing.assert_array_equal(_np(got), _np(expected))


# ---------------------------------------------------------------- distributions
def _moments(x):
    x = np.asarray(x, dtype=np.float64).ravel()
    return x.mean(), x.std()


def test_rand_uniform_moments_and_bounds():
    ember.manual_seed(0)
    for dt in (ember.float32, ember.float64, ember.float16):
        x = _np(ember.rand(N, dtype=dt))
        assert x.min() >= 0 and x.max() < 1
        m, s = _moments(x)
        assert abs(m - 0.5) < 0.005 and abs(s - math.sqrt(1 / 12)) < 0.005


def test_randn_moments():
    ember.manual_seed(1)
    x = _np(ember.randn(N))
    m, s = _moments(x)
    assert abs(m) < 0.015 and abs(s - 1) < 0.01
    # the tails of a normal: about 4.55% beyond two standard deviations
    assert abs((np.abs(x) > 2).mean() - 0.0455) < 0.004


def test_randn_complex_splits_variance():
    ember.manual_seed(2)
    z = _np(ember.randn(N, dtype=ember.complex64))
    assert abs(z.real.var() - 0.5) < 0.01 and abs(z.imag.var() - 0.5) < 0.01
    assert abs(np.mean(np.abs(z) ** 2) - 1) < 0.02


def test_normal_overloads_moments():
    ember.manual_seed(3)
    m, s = _moments(_np(ember.normal(3.0, 2.0, (N,))))
    assert abs(m - 3) < 0.03 and abs(s - 2) < 0.03
    means = ember.tensor([-5.0, 0.0, 5.0]).reshape(3, 1).expand(3, N // 3)
    stds = ember.tensor([0.5, 1.0, 2.0]).reshape(3, 1)
    x = _np(ember.normal(means, stds))
    np.testing.assert_allclose(x.mean(1), [-5, 0, 5], atol=0.05)
    np.testing.assert_allclose(x.std(1), [0.5, 1.0, 2.0], rtol=0.03)
    x = _np(ember.empty(N).normal_(-1.0, 0.25))
    assert abs(x.mean() + 1) < 0.01 and abs(x.std() - 0.25) < 0.01


def test_randint_bounds_and_frequencies():
    ember.manual_seed(4)
    x = _np(ember.randint(-3, 7, (N,)))
    assert x.dtype == np.int64 and x.min() == -3 and x.max() == 6
    freq = np.bincount(x + 3, minlength=10) / N
    np.testing.assert_allclose(freq, 0.1, atol=0.006)
    y = _np(ember.randint(250, 256, (1000,), dtype=ember.uint8))
    assert y.min() >= 250 and y.max() <= 255


def test_randperm_is_a_permutation():
    ember.manual_seed(5)
    for n in (0, 1, 10, 1000):
        p = _np(ember.randperm(n))
        np.testing.assert_array_equal(np.sort(p), np.arange(n))
    a = _np(ember.randperm(50))
    b = _np(ember.randperm(50))
    assert not np.array_equal(a, b)
    # position of element 0 is uniform over many permutations
    pos = [int(np.argmax(_np(ember.randperm(5)) == 0)) for _ in range(5000)]
    np.testing.assert_allclose(np.bincount(pos) / 5000, 0.2, atol=0.025)


def test_multinomial_with_replacement_frequencies():
    ember.manual_seed(6)
    p = np.array([0.1, 0.0, 0.6, 0.3])
    x = _np(ember.multinomial(ember.tensor(p * 7), N, replacement=True))
    assert x.shape == (N,) and x.dtype == np.int64
    np.testing.assert_allclose(np.bincount(x, minlength=4) / N, p, atol=0.006)
    rows = _np(ember.multinomial(ember.tensor([[1.0, 0.0], [0.0, 2.0]]), 50, True))
    assert (rows[0] == 0).all() and (rows[1] == 1).all()


def test_multinomial_without_replacement():
    ember.manual_seed(7)
    w = ember.tensor([[1.0, 2.0, 0.0, 5.0, 2.0]] * 4000)
    x = _np(ember.multinomial(w, 3))
    assert x.shape == (4000, 3)
    assert all(len(set(r)) == 3 for r in x[:200])
    assert not (x == 2).any(), "zero-weight categories are never drawn"
    first = np.bincount(x[:, 0], minlength=5) / 4000
    np.testing.assert_allclose(first, [0.1, 0.2, 0.0, 0.5, 0.2], atol=0.025)
    # all categories when n equals their count: a permutation of the nonzero ones first
    full = _np(ember.multinomial(ember.ones(6), 6))
    np.testing.assert_array_equal(np.sort(full), np.arange(6))


def test_bernoulli_and_poisson_moments():
    ember.manual_seed(8)
    b = _np(ember.bernoulli(ember.full((N,), 0.3)))
    assert set(np.unique(b)) <= {0.0, 1.0} and abs(b.mean() - 0.3) < 0.006
    b2 = _np(ember.bernoulli(ember.zeros(N), 0.7))
    assert abs(b2.mean() - 0.7) < 0.006
    probs = ember.tensor([0.0, 1.0, 0.5]).reshape(3, 1).expand(3, 20000)
    r = _np(ember.bernoulli(probs)).mean(1)
    np.testing.assert_allclose(r, [0.0, 1.0, 0.5], atol=0.015)
    x = _np(ember.poisson(ember.full((N,), 4.0)))
    assert abs(x.mean() - 4) < 0.03 and abs(x.var() - 4) < 0.1
    assert (x == np.round(x)).all()


def test_inplace_sampler_moments():
    ember.manual_seed(9)
    u = _np(ember.empty(N).uniform_(-2, 3))
    assert u.min() >= -2 and u.max() < 3 and abs(u.mean() - 0.5) < 0.03
    e = _np(ember.empty(N, dtype=ember.float64).exponential_(2.0))
    assert e.min() >= 0 and abs(e.mean() - 0.5) < 0.01 and abs(e.std() - 0.5) < 0.01
    g = _np(ember.empty(N).geometric_(0.25))
    assert g.min() >= 1 and (g == np.round(g)).all() and abs(g.mean() - 4) < 0.06
    assert abs(g.var() - (1 - 0.25) / 0.25**2) < 0.5
    c = _np(ember.empty(N).cauchy_(1.0, 2.0))
    assert abs(np.median(c) - 1) < 0.05
    assert abs(np.percentile(c, 75) - np.percentile(c, 25) - 4) < 0.15
    ln = _np(ember.empty(N, dtype=ember.float64).log_normal_(0.5, 0.3))
    assert ln.min() > 0 and abs(np.log(ln).mean() - 0.5) < 0.01
    assert abs(np.log(ln).std() - 0.3) < 0.01
    r = _np(ember.empty(N, dtype=ember.int64).random_(3, 8))
    assert r.min() == 3 and r.max() == 7
    bern = _np(ember.empty(N).bernoulli_(0.2))
    assert abs(bern.mean() - 0.2) < 0.006


def test_random_default_ranges():
    ember.manual_seed(10)
    f = _np(ember.empty(10000).random_())
    assert f.min() >= 0 and f.max() <= 2**24 and (f == np.round(f)).all() and f.max() > 2**20
    b = _np(ember.empty(1000, dtype=ember.bool).random_())
    assert b.any() and not b.all()
    u8 = _np(ember.empty(10000, dtype=ember.uint8).random_())
    assert u8.max() > 200


# ---------------------------------------------------------------- in-place semantics
def test_inplace_samplers_write_through_views_and_bump_version():
    x = ember.zeros(6)
    v = x[2:4]
    before = x._version_number
    v.normal_()
    out = _np(x)
    assert (out[[0, 1, 4, 5]] == 0).all() and (out[2:4] != 0).all()
    assert x._version_number > before
    v.fill_(7.0)
    np.testing.assert_array_equal(_np(x), [0, 0, 7, 7, 0, 0])
    x.zero_()
    assert not _np(x).any()


def test_inplace_samplers_on_leaf_allowed_under_no_grad():
    w = ember.zeros(3, requires_grad=True)
    with ember.no_grad():
        w.uniform_(-1, 1)
        w.fill_(2.0)
    assert w.requires_grad and w.is_leaf
    np.testing.assert_array_equal(_np(w), [2, 2, 2])


def test_nonleaf_sampler_has_zero_gradient_like_torch():
    results = []
    for m in (torch, ember):
        a = m.ones(3, requires_grad=True)
        b = a * 2
        b.normal_()
        c = a * 3
        c.fill_(5.0)
        (b.sum() + c.sum() + (a * a).sum()).backward()
        results.append(_np(a.grad))
        assert b.grad_fn is not None and c.grad_fn is not None
    np.testing.assert_array_equal(results[1], results[0])


def test_fill_with_tensor_value_gradient_like_torch():
    grads = []
    for m in (torch, ember):
        v = m.tensor(2.0, requires_grad=True)
        y = m.zeros(3).fill_(v)
        (y * m.tensor([1.0, 2.0, 3.0])).sum().backward()
        grads.append(float(v.grad))
    assert grads[0] == grads[1] == 6.0


def test_normal_with_grad_inputs_gives_zero_grads_like_torch():
    grads = []
    for m in (torch, ember):
        mean = m.zeros(3, requires_grad=True)
        std = m.ones(3, requires_grad=True)
        out = m.normal(mean, std)
        assert out.requires_grad
        out.sum().backward()
        grads.append((_np(mean.grad), _np(std.grad)))
    np.testing.assert_array_equal(grads[1][0], grads[0][0])
    np.testing.assert_array_equal(grads[1][1], grads[0][1])


def test_generator_device_mismatch_errors():
    g = ember.Generator()
    assert g.device == ember.device("cpu")
    if ember.cuda.is_available():
        with pytest.raises(RuntimeError, match="Expected a 'cuda' device type for generator"):
            ember.rand(2, device="cuda", generator=g)


def test_random_module_and_fork_rng():
    ember.random.manual_seed(21)
    with ember.random.fork_rng():
        inside = _np(ember.rand(5))
    after = _np(ember.rand(5))
    np.testing.assert_array_equal(inside, after)
    assert ember.random.initial_seed() == 21
    assert ember.random.default_generator is ember.default_generator
