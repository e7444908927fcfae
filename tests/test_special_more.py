"""torch.special's Bessel, Airy, erfcx, zeta and orthogonal-polynomial functions
(ember/_ops/special_more.py) against torch 2.13 on wide ranges and edge values, plus float64
accuracy against SciPy where it is installed (torch's own float64 kernels are off by up to
~2e-6 for J0, J1, Y0, Y1 on 5 < x < 25 and Airy's Ai on -5 < x < -2: the comparisons with torch
allow that)."""

import math

import numpy as np
import pytest
import torch

import ember

INF = math.inf
NAN = math.nan

UNARY = ["airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_i0",
         "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1",
         "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "spherical_bessel_j0",
         "erfcx"]
POLYS = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
         "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
         "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
         "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
         "laguerre_polynomial_l", "legendre_polynomial_p"]
EDGES = [0.0, -0.0, 1e-30, -1e-30, 1.0, -1.0, 2.0, -2.0, 2.09, -2.09, 5.0, 8.3203353, 10.0,
         -10.0, 25.0, -25.0, 50.0, 5e7, 6e7, -6.1, -26.7, -26.8, 103.892, 103.9, 200.0, -200.0,
         709.0, 712.0, 1e10, -1e10, 1e300, INF, -INF, NAN]


def _points(seed=0):
    rng = np.random.default_rng(seed)
    sign = np.where(rng.uniform(size=400) < 0.5, -1.0, 1.0)
    return np.concatenate([rng.uniform(-3, 3, 800), rng.uniform(-30, 30, 800),
                           rng.uniform(-150, 150, 400), sign * 10.0 ** rng.uniform(-8, 8, 400),
                           EDGES])


def _run(name, x, lib):
    mod = ember if lib == "ember" else torch
    return getattr(mod.special, name)(mod.tensor(x)).cpu().numpy()


def _assert_like_torch(ours, ref, rtol, atol):
    # the same nan and inf positions, close values elsewhere
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref))
    inf = np.isinf(ref)
    np.testing.assert_array_equal(ours[inf], ref[inf])
    fin = np.isfinite(ref)
    np.testing.assert_allclose(ours[fin], ref[fin], rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", UNARY)
def test_unary_against_torch(name, dtype):
    x = _points().astype(dtype)
    ours = _run(name, x, "ember")
    ref = _run(name, x, "torch")
    assert ours.dtype == ref.dtype
    # float64: torch's kernels carry errors up to ~6e-6 (relative to the amplitude) in places;
    # float32: a few ulps, and the phase of the oscillating ones rounds in float32
    rtol, atol = (2e-5, 2e-6) if dtype == "float64" else (2e-4, 2e-5)
    _assert_like_torch(ours, ref, rtol, atol)


SCIPY = {
    "bessel_j0": "j0", "bessel_j1": "j1", "bessel_y0": "y0", "bessel_y1": "y1",
    "modified_bessel_k0": "k0", "modified_bessel_k1": "k1", "scaled_modified_bessel_k0": "k0e",
    "scaled_modified_bessel_k1": "k1e", "erfcx": "erfcx", "modified_bessel_i0": "i0",
    "modified_bessel_i1": "i1",
}


@pytest.mark.parametrize("name", sorted(SCIPY) + ["airy_ai"])
def test_float64_accuracy(name):
    sp = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(-3, 3, 1000), rng.uniform(-40, 40, 1000),
                        rng.uniform(-300, 300, 300)])
    ours = ember.special.__dict__[name](ember.tensor(x)).cpu().numpy()
    ref = sp.airy(x)[0] if name == "airy_ai" else getattr(sp, SCIPY[name])(x)
    fin = np.isfinite(ref)
    np.testing.assert_array_equal(np.isfinite(ours), fin)
    # relative to the local amplitude of the oscillating ones (absolute error near their zeros)
    amp = np.abs(ref[fin])
    if name.startswith("bessel") or name == "airy_ai":
        amp = np.maximum(amp, 0.3 / np.maximum(np.abs(x[fin]), 1.0) ** 0.5)
    err = np.abs(ours[fin] - ref[fin]) / np.maximum(amp, 1e-300)
    assert err.max() < (2e-11 if name == "airy_ai" else 1e-13), err.max()


@pytest.mark.parametrize("name", UNARY)
def test_edge_values_match_torch(name):
    for dtype in ("float64", "float32"):
        x = np.array(EDGES, dtype=dtype)
        _assert_like_torch(_run(name, x, "ember"), _run(name, x, "torch"), 1e-5, 1e-30)


@pytest.mark.parametrize("name", UNARY)
def test_dtypes_and_errors(name):
    fe = getattr(ember.special, name)
    ft = getattr(torch.special, name)
    for dt in ("int64", "int32", "uint8", "bool"):
        e = fe(ember.tensor([1, 0, 1], dtype=getattr(ember, dt)))
        t = ft(torch.tensor([1, 0, 1], dtype=getattr(torch, dt)))
        assert str(e.dtype) == str(t.dtype) == "torch.float32"
        np.testing.assert_allclose(e.cpu().numpy(), t.cpu().numpy(), rtol=1e-6)
    for dt in ("float16", "bfloat16", "complex64"):
        with pytest.raises(NotImplementedError) as te:
            ft(torch.ones(2, dtype=getattr(torch, dt)))
        with pytest.raises(NotImplementedError) as ee:
            fe(ember.ones(2, dtype=getattr(ember, dt)))
        assert str(ee.value) == str(te.value)
    # shapes: 0-d, empty, non-contiguous
    assert fe(ember.tensor(1.5)).shape == ft(torch.tensor(1.5)).shape
    assert fe(ember.zeros(0, 3)).shape == (0, 3)
    x = np.arange(12.0).reshape(3, 4) / 3 + 0.1
    np.testing.assert_allclose(fe(ember.tensor(x).mT).cpu().numpy(), ft(torch.tensor(x).mT).cpu().numpy(),
                               rtol=1e-5)


@pytest.mark.parametrize("name", [n for n in UNARY if n != "erfcx"])
def test_not_differentiable(name):
    # torch records no node for these: the output does not require grad
    x = ember.tensor([0.5, 1.5], requires_grad=True)
    out = getattr(ember.special, name)(x)
    tout = getattr(torch.special, name)(torch.tensor([0.5, 1.5], requires_grad=True))
    assert out.requires_grad is tout.requires_grad is False
    assert out.grad_fn is None


def test_out_argument():
    out = ember.empty(3, dtype=ember.float64)
    res = ember.special.bessel_j0(ember.tensor([0.5, 1.0, 2.0]), out=out)
    assert res is out
    ref = torch.special.bessel_j0(torch.tensor([0.5, 1.0, 2.0]),
                                  out=torch.empty(3, dtype=torch.float64))
    np.testing.assert_allclose(out.cpu().numpy(), ref.cpu().numpy(), rtol=1e-6)


# ================================================================ erfcx
def test_erfcx_grad_and_double_grad():
    x = np.array([-3.0, -0.5, 0.0, 0.7, 1.5, 3.0, 60.0])
    xe = ember.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    ye = ember.special.erfcx(xe)
    yt = torch.special.erfcx(xt)
    assert type(ye.grad_fn).__name__ == type(yt.grad_fn).__name__ == "SpecialErfcxBackward0"
    ge, = ember.autograd.grad(ye.sum(), xe, create_graph=True)
    gt, = torch.autograd.grad(yt.sum(), xt, create_graph=True)
    np.testing.assert_allclose(ge.detach().cpu().numpy(), gt.detach().cpu().numpy(), rtol=1e-10)
    gge, = ember.autograd.grad(ge.sum(), xe)
    ggt, = torch.autograd.grad(gt.sum(), xt)
    np.testing.assert_allclose(gge.cpu().numpy(), ggt.cpu().numpy(), rtol=1e-9)
    xs = ember.tensor([-1.2, 0.3, 1.7, 2.5], dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(ember.special.erfcx, (xs,))


# ================================================================ zeta
def test_zeta_grid_against_torch():
    xs = [1.0, 0.5, 2.0, 3.0, 2.5, INF, NAN, -2.0, 1.0000001, 50.0, 400.0, 1.5, 7.0]
    qs = [0.0, -0.0, -1.0, -1.5, 0.5, 1.0, 2.0, 1e9, INF, -INF, NAN, 1e-300, -2.5, 1e-5, 3.3,
          100.0, -7.5, 1e7]
    for dt in ("float64", "float32"):
        X = np.array(xs, dtype=dt)[:, None]
        Q = np.array(qs, dtype=dt)[None]
        ours = ember.special.zeta(ember.tensor(X), ember.tensor(Q)).cpu().numpy()
        ref = torch.special.zeta(torch.tensor(X), torch.tensor(Q)).cpu().numpy()
        assert ours.dtype == ref.dtype
        _assert_like_torch(ours, ref, 1e-10 if dt == "float64" else 1e-5, 0)


def test_zeta_random_and_scalars():
    rng = np.random.default_rng(5)
    x = rng.uniform(1.01, 12, 2000)
    q = rng.uniform(-5, 30, 2000)
    q[::7] = np.round(q[::7])
    ours = ember.special.zeta(ember.tensor(x), ember.tensor(q)).cpu().numpy()
    ref = torch.special.zeta(torch.tensor(x), torch.tensor(q)).cpu().numpy()
    _assert_like_torch(ours, ref, 1e-10, 0)
    np.testing.assert_allclose(ember.special.zeta(2.0, ember.tensor(q[q > 0])).cpu().numpy(),
                               torch.special.zeta(2.0, torch.tensor(q[q > 0])).cpu().numpy(),
                               rtol=1e-10)
    np.testing.assert_allclose(ember.special.zeta(ember.tensor(x), 3).cpu().numpy(),
                               torch.special.zeta(torch.tensor(x), 3).cpu().numpy(), rtol=1e-10)
    e = ember.special.zeta(ember.tensor([2, 3]), ember.tensor([1, 2]))
    t = torch.special.zeta(torch.tensor([2, 3]), torch.tensor([1, 2]))
    assert str(e.dtype) == str(t.dtype)
    with pytest.raises(TypeError) as te:
        torch.special.zeta(2.0, 3.0)
    with pytest.raises(TypeError) as ee:
        ember.special.zeta(2.0, 3.0)
    assert str(ee.value) == str(te.value)


def test_zeta_gradients():
    x = np.array([2.5, 3.0, 4.5])
    q = np.array([1.5, 2.0, 0.7])
    for number_x in (False, True):
        qe = ember.tensor(q, requires_grad=True)
        qt = torch.tensor(q, requires_grad=True)
        ye = ember.special.zeta(2.5 if number_x else ember.tensor(x), qe)
        yt = torch.special.zeta(2.5 if number_x else torch.tensor(x), qt)
        assert type(ye.grad_fn).__name__ == type(yt.grad_fn).__name__
        ge, = ember.autograd.grad(ye.sum(), qe, create_graph=True)
        gt, = torch.autograd.grad(yt.sum(), qt, create_graph=True)
        np.testing.assert_allclose(ge.detach().cpu().numpy(), gt.detach().cpu().numpy(), rtol=1e-10)
        np.testing.assert_allclose(ember.autograd.grad(ge.sum(), qe)[0].cpu().numpy(),
                                   torch.autograd.grad(gt.sum(), qt)[0].cpu().numpy(), rtol=1e-9)
    # in x: a node that raises on backward, as torch's
    xe = ember.tensor(x, requires_grad=True)
    ye = ember.special.zeta(xe, 2.0)
    yt = torch.special.zeta(torch.tensor(x, requires_grad=True), 2.0)
    assert type(ye.grad_fn).__name__ == type(yt.grad_fn).__name__ == "SpecialZetaBackward2"
    with pytest.raises(NotImplementedError, match="the derivative for 'zeta' is not implemented"):
        ye.sum().backward()
    with pytest.raises(NotImplementedError, match="the derivative for 'zeta' is not implemented"):
        yt.sum().backward()


# ================================================================ orthogonal polynomials
X_POLY = np.concatenate([np.random.default_rng(7).uniform(-1.3, 1.3, 300),
                         [0.0, 1.0, -1.0, 0.5, -0.5, 1e-8, INF, -INF, 2.0, -3.0, 1.0000001,
                          0.9999999, 30.0]])
N_POLY = np.array([-3, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 30, 100, 129, 200, 513, 3.7,
                   -0.5, NAN, INF, -INF, 1e20])


@pytest.mark.parametrize("name", POLYS)
def test_polynomials_float64(name):
    X = X_POLY[:, None]
    N = N_POLY[None]
    ours = getattr(ember.special, name)(ember.tensor(X), ember.tensor(N)).cpu().numpy()
    ref = getattr(torch.special, name)(torch.tensor(X), torch.tensor(N)).cpu().numpy()
    _assert_like_torch(ours, ref, 1e-9, 1e-9)


@pytest.mark.parametrize("name", POLYS)
def test_polynomials_float32(name):
    # moderate degrees: beyond ~100 the float32 phase n * acos(x) is only good to n ulps
    x = X_POLY[np.isfinite(X_POLY) & (np.abs(X_POLY) < 1.3)].astype(np.float32)[:, None]
    # (Hermite's recurrences cancel heavily for |x| < sqrt(n): rounding differences grow)
    n = np.arange(-1, 16 if "hermite" in name else 40, dtype=np.float32)[None]
    ours = getattr(ember.special, name)(ember.tensor(x), ember.tensor(n)).cpu().numpy()
    ref = getattr(torch.special, name)(torch.tensor(x), torch.tensor(n)).cpu().numpy()
    assert ours.dtype == ref.dtype == np.float32
    scale = np.maximum(np.abs(ref), 1.0)
    _assert_like_torch(ours / scale, ref / scale, 0, 2e-4)


@pytest.mark.parametrize("name", POLYS)
def test_polynomial_argument_forms(name):
    fe = getattr(ember.special, name)
    ft = getattr(torch.special, name)
    x = np.array([0.3, -0.7, 0.9])
    # (tensor, int), (number, tensor), int tensors (default float dtype), broadcasting
    cases = [
        (lambda m: (m.tensor(x), 5)),
        (lambda m: (0.3, m.tensor([2.0, 3.0, 11.0]))),
        (lambda m: (m.tensor([1, 2, 3]), m.tensor([2, 3, 4]))),
        (lambda m: (m.tensor(x)[:, None], m.tensor([0, 1, 2, 7, 12]))),
        (lambda m: (m.tensor(x, dtype=m.float32), m.tensor([4.0], dtype=m.float64))),
    ]
    for make in cases:
        e = fe(*make(ember))
        t = ft(*make(torch))
        assert str(e.dtype) == str(t.dtype)
        assert tuple(e.shape) == tuple(t.shape)
        np.testing.assert_allclose(e.cpu().numpy(), t.cpu().numpy(), rtol=1e-5, atol=1e-5)
        assert not e.requires_grad
    with pytest.raises(TypeError) as te:
        ft(0.5, 2)
    with pytest.raises(TypeError) as ee:
        fe(0.5, 2)
    assert str(ee.value) == str(te.value)
    with pytest.raises(NotImplementedError) as te:
        ft(torch.ones(2, dtype=torch.float16), 2)
    with pytest.raises(NotImplementedError) as ee:
        fe(ember.ones(2, dtype=ember.float16), 2)
    assert str(ee.value) == str(te.value)


def test_polynomial_values_against_numpy():
    # independent float64 reference: NumPy's polynomial classes
    from numpy.polynomial import chebyshev, hermite, hermite_e, laguerre, legendre

    x = np.linspace(-0.95, 0.95, 41)
    for n in range(12):
        c = np.zeros(n + 1)
        c[n] = 1
        xt = ember.tensor(x)
        np.testing.assert_allclose(ember.special.chebyshev_polynomial_t(xt, n).cpu().numpy(),
                                   chebyshev.chebval(x, c), atol=1e-12)
        np.testing.assert_allclose(ember.special.legendre_polynomial_p(xt, n).cpu().numpy(),
                                   legendre.legval(x, c), atol=1e-12)
        np.testing.assert_allclose(ember.special.laguerre_polynomial_l(xt, n).cpu().numpy(),
                                   laguerre.lagval(x, c), atol=1e-12)
        np.testing.assert_allclose(ember.special.hermite_polynomial_h(xt, n).cpu().numpy(),
                                   hermite.hermval(x, c), rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(ember.special.hermite_polynomial_he(xt, n).cpu().numpy(),
                                   hermite_e.hermeval(x, c), rtol=1e-12, atol=1e-9)
        # U_n(cos t) = sin((n+1) t) / sin t
        t = np.arccos(x)
        np.testing.assert_allclose(ember.special.chebyshev_polynomial_u(xt, n).cpu().numpy(),
                                   np.sin((n + 1) * t) / np.sin(t), atol=1e-10)
        np.testing.assert_allclose(
            ember.special.shifted_chebyshev_polynomial_t(ember.tensor((x + 1) / 2), n).cpu().numpy(),
            chebyshev.chebval(x, c), atol=1e-12)


def test_modified_bessel_i_float32_overflow_like_torch():
    # torch computes e^|x| in float32: inf from |x| > 88.72 on, though I0 still fits there
    x = np.array([88.7, 88.72283, 88.72284, 90.0, -90.0], dtype=np.float32)
    for name in ("i0", "i1", "modified_bessel_i0", "modified_bessel_i1"):
        ours = getattr(ember.special, name)(ember.tensor(x)).cpu().numpy()
        ref = getattr(torch.special, name)(torch.tensor(x)).cpu().numpy()
        np.testing.assert_allclose(ours, ref, rtol=1e-5)
