"""Gamma-family and modified Bessel special functions: lgamma, digamma, polygamma, mvlgamma,
igamma/igammac (torch.special.gammainc/gammaincc), i0, and torch.special's i0e, i1, i1e.

NumPy has none of these (only i0), and SciPy is not a dependency, so the CPU numerics are
written in _special_kernels.py on float64 arrays (float32/float16 inputs are computed in
float64 and rounded):

- lgamma: a power series about 2 (coefficients (zeta(k) - 1) / k) for x in [0.5, 2.5), the
  recurrence down to that interval for x < 12, Stirling's series past 12, and the reflection
  formula for negative x. Relative error ~1e-15 except near the zeros of lgamma at negative x,
  where the reflection formula cancels (as every implementation's does).
- digamma and polygamma: the recurrence up to x >= 12 (+ n), then Stirling's series (digamma)
  or Euler-Maclaurin for the Hurwitz zeta function (polygamma(n, x) = (-1)^(n+1) n!
  zeta(n+1, x)); the reflection formula for negative x, with the derivatives of cot as
  polynomials in cot.
- i0, i1 and their exponentially scaled forms: the power series below |x| = 20 (all terms
  positive, so no cancellation), the asymptotic expansion above.
- igamma: the series of P(a, x) below x = a + 1, the continued fraction of Q(a, x) above
  (~1e-12 relative). Its derivative in a (which PyTorch does not implement) is summed from P's
  series differentiated term by term; it is a constant in the graph (no second derivatives
  through it).

Values at poles and infinities follow PyTorch (digamma(-0.) is +inf, digamma at negative
integers nan, ...). On CUDA the forwards are cupyx.scipy.special's kernels with the same fixups.
"""

import math

import numpy as np

from .. import _dtype as D
from ._bind import method, public
from ._inplace import _TORCH_NAMES, inplace
from ._namespace import register_ns
from ._registry import apply, defop
from .math import _make_inplace
from ._special_kernels import (
    _bessel64,
    _digamma64,
    _factorial,
    _igamma64,
    _igamma_da64,
    _lgamma64,
    _polygamma64,
    _polygamma_edges,
)

_E = {}
_LOG_PI = math.log(math.pi)


# ================================================================ dispatch: float64 or CuPy
def _cupy_special(name):
    from cupyx.scipy import special

    return getattr(special, name)


def _real_only(xp, a, kernel):
    if a.dtype.kind == "c":
        dev = "cpu" if xp is np else "cuda"
        name = _TORCH_NAMES[D.from_numpy_dtype(a.dtype).name]
        suffix = f"_{dev}" if kernel.endswith("_vml") else ""
        raise NotImplementedError(f'"{kernel}{suffix}" not implemented for \'{name}\'')


def _wide(xp, a, fn):
    """fn on a float64 copy of `a` (at least 1-d), rounded back to a's dtype and shape."""
    x = xp.asarray(a, dtype=np.float64).reshape(-1)
    r = fn(x)
    return r.astype(a.dtype, copy=False).reshape(a.shape)


def lgamma_array(xp, a):
    if xp is not np:
        # SciPy's kernel gives -inf at -inf; PyTorch gives +inf (a pole's value)
        r = _cupy_special("gammaln")(a)
        return xp.where(a == -math.inf, math.inf, r).astype(a.dtype, copy=False)
    return _wide(xp, a, lambda x: _lgamma64(xp, x))


def digamma_array(xp, a):
    if xp is not np:
        r = _cupy_special("digamma")(a)
        # SciPy's conventions at 0 differ from PyTorch's (+0 -> -inf, -0 -> +inf)
        return xp.where(a == 0, xp.where(xp.signbit(a), math.inf, -math.inf), r).astype(a.dtype)
    return _wide(xp, a, lambda x: _digamma64(xp, x))


def polygamma_array(xp, n, a):
    if n == 0:
        return digamma_array(xp, a)
    if xp is not np:
        # polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x), with PyTorch's edge values
        sign = 1.0 if n % 2 else -1.0
        r = (sign * _factorial(n)) * _cupy_special("zeta")(float(n + 1), a)
        return _polygamma_edges(xp, n, a, r).astype(a.dtype, copy=False)
    return _wide(xp, a, lambda x: _polygamma64(xp, n, x))


def bessel_array(xp, a, order, scaled):
    if xp is not np:
        name = ("i0", "i1")[order] + ("e" if scaled else "")
        r = _cupy_special(name)(a)
        if not scaled:
            # PyTorch's kernel gives nan at +-inf
            r = xp.where(xp.isinf(a), math.nan, r)
        # (cupyx's kernels widen float16 to float64, as SciPy's type rules do)
        return r.astype(a.dtype, copy=False)
    r = _wide(xp, a, lambda x: _bessel64(xp, x, order, scaled))
    if not scaled and a.dtype == np.float32:
        # PyTorch's float32 kernel computes e^|x| in float32, which overflows past
        # log(FLT_MAX): inf there though I0, I1 themselves still fit (up to |x| ~ 91)
        over = (xp.abs(a) > _EXPF_MAX) & xp.isfinite(a)
        if over.any():
            # I0 is even, I1 odd
            inf = xp.where(a < 0, -math.inf, math.inf) if order else math.inf
            r = xp.where(over, inf, r).astype(np.float32, copy=False)
    return r


# the largest float32 whose exp is finite in float32
_EXPF_MAX = 88.72283172607422


def igamma_array(xp, a, x, upper):
    if xp is not np:
        r = _cupy_special("gammaincc" if upper else "gammainc")(a, x)
        return r.astype(np.result_type(a, x), copy=False)
    a64, x64 = np.broadcast_arrays(a.astype(np.float64), x.astype(np.float64))
    shape = a64.shape
    r = _igamma64(xp, a64.reshape(-1), x64.reshape(-1), upper)
    return r.reshape(shape).astype(np.result_type(a, x), copy=False)


def _xp_of(a):
    if isinstance(a, np.ndarray):
        return np
    from .._device import device_of_array

    return device_of_array(a).xp


# ================================================================ ops
def _check_n(n):
    if not isinstance(n, (int, np.integer)):
        raise TypeError(
            f"polygamma(): argument 'n' (position 1) must be int, not {type(n).__name__}"
        )
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return int(n)


@defop("lgamma", promote="float", save_inputs=True)
def _lgamma(xp, a):
    _real_only(xp, a, "lgamma_vml")
    return lgamma_array(xp, a)


@_lgamma.defgrad
def _(F, g, out, a, need, extra):
    return (g * F.digamma(a),)


@defop("sinc", promote="float", save_inputs=True)
def _sinc(xp, a):
    # sin(pi x) / (pi x), 1 at 0 (the product pi * x rounds in a's dtype, as PyTorch's does)
    px = a * math.pi
    safe = xp.where(a == 0, 1, px)
    return xp.where(a == 0, 1, xp.sin(safe) / safe).astype(a.dtype, copy=False)


@_sinc.defgrad
def _(F, g, out, a, need, extra):
    # d/dx sinc = (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 at x = 0
    zero = a == 0
    safe = F.where(zero, 1.0 + 0.0 * a, a)
    px = safe * math.pi
    d = (px * F.cos(px) - F.sin(px)) / (px * safe)
    return (g * F.where(zero, 0.0 * a, d),)


@defop("digamma", promote="float", save_inputs=True)
def _digamma(xp, a):
    _real_only(xp, a, "digamma")
    return digamma_array(xp, a)


@_digamma.defgrad
def _(F, g, out, a, need, extra):
    return (g * F.polygamma(1, a),)


_POLY_KERNEL = {0: "digamma", 1: "trigamma"}


@defop("polygamma", promote="float", save_inputs=True)
def _polygamma(xp, a, n):
    _real_only(xp, a, _POLY_KERNEL.get(n, "polygamma"))
    return polygamma_array(xp, n, a)


@_polygamma.defgrad
def _(F, g, out, a, need, extra, n):
    return (g * F.polygamma(n + 1, a),)


@defop("i0", promote="float", save_inputs=True)
def _i0(xp, a):
    _real_only(xp, a, "i0_vml")
    return bessel_array(xp, a, 0, False)


@_i0.defgrad
def _(F, g, out, a, need, extra):
    return (g * F.special_i1(a),)


@defop("special_i0e", promote="float", save_inputs=True, save_output=True,
       grad_name="SpecialI0EBackward0")
def _i0e(xp, a):
    _real_only(xp, a, "i0e_cpu")
    return bessel_array(xp, a, 0, True)


@_i0e.defgrad
def _(F, g, out, a, need, extra):
    # d/dx e^-|x| I0(x) = e^-|x| I1(x) - sign(x) e^-|x| I0(x)
    return (g * (F.special_i1e(a) - F.sign(a) * out),)


@defop("special_i1", promote="float", save_inputs=True, save_output=True,
       grad_name="SpecialI1Backward0")
def _i1(xp, a):
    _real_only(xp, a, "i1_cpu")
    return bessel_array(xp, a, 1, False)


def _tiny(a):
    # the input dtype's epsilon: PyTorch's cut-off below which the limit at 0 is used
    d = a.dtype
    wide = d is D.float64 if isinstance(d, D.dtype) else d == np.float64
    return float(np.finfo(np.float64 if wide else np.float32).eps)


@_i1.defgrad
def _(F, g, out, a, need, extra):
    # I1'(x) = I0(x) - I1(x)/x, whose limit at 0 is 1/2; near 0 that limit is used, with a
    # safe x in the other branch so that its gradient stays finite
    eps = _tiny(a)
    big = F.abs(a) > eps
    safe = F.where(big, a, eps)
    d = F.i0(safe) - out / safe
    return (g * F.where(big, d, 0.5),)


@defop("special_i1e", promote="float", save_inputs=True, save_output=True,
       grad_name="SpecialI1EBackward0")
def _i1e(xp, a):
    _real_only(xp, a, "i1e_cpu")
    return bessel_array(xp, a, 1, True)


@_i1e.defgrad
def _(F, g, out, a, need, extra):
    # d/dx e^-|x| I1(x) = e^-|x| I0(x) - e^-|x| I1(x) (sign(x) + 1/x); 1/2 at 0
    eps = _tiny(a)
    big = F.abs(a) > eps
    safe = F.where(big, a, eps)
    d = F.special_i0e(safe) - out * (F.sign(a) + 1.0 / safe)
    return (g * F.where(big, d, 0.5),)


def _igamma_check(xp, a, x, kernel):
    for arr in (a, x):
        dt = getattr(arr, "dtype", None)
        if dt is not None and dt.kind != "f":
            dev = "cpu" if xp is np else "cuda"
            name = _TORCH_NAMES[D.from_numpy_dtype(dt).name]
            raise NotImplementedError(f'"{kernel}_{dev}" not implemented for \'{name}\'')


def _igamma_fwd(xp, a, x, upper, kernel):
    _igamma_check(xp, a, x, kernel)
    # a Python number takes the tensor's (already promoted) dtype
    dt = a.dtype if hasattr(a, "dtype") else x.dtype
    return igamma_array(xp, xp.asarray(a, dtype=dt), xp.asarray(x, dtype=dt), upper)


@defop("igamma", save_inputs=True)
def _igamma(xp, a, x):
    return _igamma_fwd(xp, a, x, False, "igamma")


@defop("igammac", save_inputs=True)
def _igammac(xp, a, x):
    return _igamma_fwd(xp, a, x, True, "igammac")


def _raw(v):
    # the array of a Tensor (rules see Tensors under create_graph), or v itself
    return v._data if hasattr(v, "_data") else v


def _igamma_da(g, a, x):
    """g * dP/da as g's kind (array or Tensor); a constant in the graph (no second
    derivatives through it)."""
    ga = _raw(g)
    xp = _xp_of(ga)
    a64 = xp.asarray(_raw(a), dtype=np.float64)
    x64 = xp.asarray(_raw(x), dtype=np.float64)
    a64, x64 = xp.broadcast_arrays(a64, x64)
    d = _igamma_da64(xp, a64.reshape(-1), x64.reshape(-1)).reshape(a64.shape)
    d = d.astype(ga.dtype, copy=False)
    if hasattr(g, "_data"):
        from .._creation import as_tensor

        d = as_tensor(d, device=g.device)
    return g * d


def _igamma_rule(sign):
    # PyTorch differentiates igamma only in x ("the derivative for 'igamma: input' is not
    # implemented"); ember also gives the derivative in a, summed from P's series
    def rule(F, g, out, a, x, need, extra):
        ga = None
        gx = None
        if need[0]:
            ga = F.sum_to(_igamma_da(sign * g, a, x), a.shape)
        if need[1]:
            # d/dx P(a, x) = x^(a-1) e^-x / Gamma(a), the gamma density
            lg = math.lgamma(a) if not hasattr(a, "shape") else F.lgamma(a)
            density = F.exp((a - 1) * F.log(x) - x - lg)
            gx = F.sum_to(sign * g * density, x.shape)
        return ga, gx

    return rule


_igamma.defgrad(_igamma_rule(1.0))
_igammac.defgrad(_igamma_rule(-1.0))


# ================================================================ public bindings
def _out(res, out):
    if out is None:
        return res
    from .elementwise import _out as write_out

    return write_out(res, out)


def _unary(op, name):
    def fn(input, *, out=None):
        return _out(apply(op, (input,), _E), out)

    fn.__name__ = name
    fn.__qualname__ = name
    fn.__doc__ = f"Mirrors `torch.{name}`."
    return fn


lgamma = public("lgamma")(_unary(_lgamma, "lgamma"))
digamma = public("digamma")(_unary(_digamma, "digamma"))
sinc = public("sinc")(_unary(_sinc, "sinc"))
i0 = public("i0")(_unary(_i0, "i0"))
# torch.special only (no Tensor methods, no ember.X)
special_i0e = _unary(_i0e, "i0e")
special_i1 = _unary(_i1, "i1")
special_i1e = _unary(_i1e, "i1e")
method("lgamma_")(_make_inplace(lgamma, "lgamma_"))
method("digamma_")(_make_inplace(digamma, "digamma_"))
method("i0_")(_make_inplace(i0, "i0_"))


@public("polygamma", method=False)
def polygamma(n, input, *, out=None):
    """Mirrors `torch.polygamma(n, input)`: the n-th derivative of digamma."""
    n = _check_n(n)
    return _out(apply(_polygamma, (input,), {"n": n}), out)


@method("polygamma")
def _polygamma_method(self, n):
    """Mirrors `torch.Tensor.polygamma(n)`."""
    return polygamma(n, self)


@method("polygamma_")
def _polygamma_inplace(self, n):
    """Mirrors `torch.Tensor.polygamma_(n)`."""
    n = _check_n(n)
    return inplace(self, lambda s: polygamma(n, s))


def _check_p(p):
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")


@public("mvlgamma")
def mvlgamma(input, p, *, out=None):
    """Mirrors `torch.mvlgamma(input, p)`: the log of the multivariate gamma function,
    sum_j lgamma(input - j/2) (j = 0 .. p-1) + p (p-1)/4 log(pi). Like PyTorch 2.13 it does
    not check that input > (p-1)/2."""
    _check_p(p)
    if input._dtype.is_complex:
        kind = _TORCH_NAMES[input._dtype.name]
        dev = input._device.type
        raise NotImplementedError(f'"arange_{dev}" not implemented for \'{kind}\'')
    total = None
    for j in range(p):
        term = lgamma(input - 0.5 * j) if j else lgamma(input)
        total = term if total is None else total + term
    res = total + (p * (p - 1) / 4.0) * _LOG_PI
    # torch sums the terms with a reduction over a new last dim: a C-ordered result whatever
    # the input's layout
    return _out(res.contiguous(), out)


method("mvlgamma_")(_make_inplace(mvlgamma, "mvlgamma_"))


def _binary(op, name):
    def fn(input, other, *, out=None):
        return _out(apply(op, (input, other), _E), out)

    fn.__name__ = name
    fn.__qualname__ = name
    part = "upper" if name == "igammac" else "lower"
    fn.__doc__ = f"Mirrors `torch.{name}`: the regularised {part} incomplete gamma function."
    return fn


igamma = public("igamma")(_binary(_igamma, "igamma"))
igammac = public("igammac")(_binary(_igammac, "igammac"))
method("igamma_")(_make_inplace(igamma, "igamma_"))
method("sinc_")(_make_inplace(sinc, "sinc_"))
method("igammac_")(_make_inplace(igammac, "igammac_"))


# ================================================================ rule namespace entries
def _ns_unary(kernel):
    def array_fn(a):
        return kernel(_xp_of(a), a)

    return array_fn


def _ns_polygamma(n, a):
    return polygamma_array(_xp_of(a), n, a)


register_ns("lgamma", _ns_unary(lgamma_array), lgamma)
register_ns("digamma", _ns_unary(digamma_array), digamma)
register_ns("polygamma", _ns_polygamma, polygamma)
register_ns("i0", lambda a: bessel_array(_xp_of(a), a, 0, False), i0)
register_ns("special_i0e", lambda a: bessel_array(_xp_of(a), a, 0, True), special_i0e)
register_ns("special_i1", lambda a: bessel_array(_xp_of(a), a, 1, False), special_i1)
register_ns("special_i1e", lambda a: bessel_array(_xp_of(a), a, 1, True), special_i1e)


# the rest of torch.special (Bessel J/Y/K, Airy, erfcx, zeta, orthogonal polynomials)
from . import special_more  # noqa: F401
