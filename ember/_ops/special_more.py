"""The rest of torch.special: Bessel functions of the first and second kind, modified Bessel
functions, Airy's Ai, spherical j0, erfcx, the Hurwitz zeta function and the orthogonal
polynomials. Kernels: _special_kernels2.py (float64) and _orthopoly.py (in the input's dtype).

As in PyTorch 2.13, only erfcx and zeta (in its second argument) have derivatives; the other ops
are not differentiable (their outputs never require grad), and zeta's derivative in its first
argument raises "the derivative for 'zeta' is not implemented." when backward needs it.
Integer and bool inputs compute in the default float dtype; float16, bfloat16 and complex
inputs raise PyTorch's NotImplementedError. CUDA inputs are computed on the CPU and moved back.
"""

import math

import numpy as np

from .. import _dtype as D
from . import _orthopoly as P
from . import _special_kernels2 as K
from ._inplace import _TORCH_NAMES
from ._namespace import register_ns
from ._registry import apply, defop, renamed
from .special_fns import _out, bessel_array

_E = {}
_NAMES = dict(_TORCH_NAMES, bfloat16="BFloat16")
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _check_dtypes(kernel, *args):
    """PyTorch's error for dtypes its CPU kernel lacks (checked before promotion, which would
    turn bfloat16 into float32)."""
    for a in args:
        dt = getattr(a, "_dtype", None)
        if dt is not None and (dt.is_complex or dt in (D.float16, D.bfloat16)):
            dev = a._device.type
            raise NotImplementedError(f'"{kernel}_{dev}" not implemented for '
                                      f"'{_NAMES[dt.name]}'")


def _to_host(xp, a):
    return a if xp is np else xp.asnumpy(a)


def _from_host(xp, a):
    return a if xp is np else xp.asarray(a)


def _wide(xp, a, fn):
    """fn(float64 copy of `a` as 1-d, a's dtype) rounded back to a's dtype and shape."""
    h = _to_host(xp, a)
    x = np.asarray(h, dtype=np.float64).reshape(-1)
    with np.errstate(all="ignore"):
        r = fn(x, h.dtype)
    return _from_host(xp, r.astype(h.dtype, copy=False).reshape(h.shape))


# ================================================================ unary functions
def _spherical_j0(x, dtype):
    # sin(x)/x, 1 near 0; 0 at +-inf (PyTorch's values)
    small = np.abs(x) < 0.5
    safe = np.where(small, 1.0, x)
    z = x * x
    series = 1.0 + z * (-1.0 / 6 + z * (1.0 / 120 + z * (-1.0 / 5040 + z * (
        1.0 / 362880 + z * (-1.0 / 39916800 + z / 6227020800.0)))))
    out = np.where(small, series, np.sin(safe) / safe)
    return np.where(np.isinf(x), 0.0, out)


_UNARY = {
    "airy_ai": lambda x, dt: K.airy_ai64(x, dt),
    "bessel_j0": lambda x, dt: K.bessel_jy64(x, "j0", dt),
    "bessel_j1": lambda x, dt: K.bessel_jy64(x, "j1", dt),
    "bessel_y0": lambda x, dt: K.bessel_jy64(x, "y0", dt),
    "bessel_y1": lambda x, dt: K.bessel_jy64(x, "y1", dt),
    "modified_bessel_k0": lambda x, dt: K.bessel_k64(x, 0, False),
    "modified_bessel_k1": lambda x, dt: K.bessel_k64(x, 1, False),
    "scaled_modified_bessel_k0": lambda x, dt: K.bessel_k64(x, 0, True),
    "scaled_modified_bessel_k1": lambda x, dt: K.bessel_k64(x, 1, True),
    "spherical_bessel_j0": _spherical_j0,
}


def _make_unary(name, kernel):
    @defop("special_" + name, promote="float", differentiable=False)
    def op(xp, a):
        return _wide(xp, a, kernel)

    return op


def _make_modified_i(order):
    # the same function as torch.i0 / torch.special.i1 (PyTorch's values agree too)
    @defop(f"special_modified_bessel_i{order}", promote="float", differentiable=False)
    def op(xp, a):
        return bessel_array(xp, a, order, False)

    return op


_OPS = {name: _make_unary(name, k) for name, k in _UNARY.items()}
_OPS["modified_bessel_i0"] = _make_modified_i(0)
_OPS["modified_bessel_i1"] = _make_modified_i(1)


def _public_unary(name):
    op = _OPS[name]

    def fn(input, *, out=None):
        _check_dtypes(name, input)
        return _out(apply(op, (input,), _E), out)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Mirrors `torch.special.{name}`."
    return fn


UNARY = {name: _public_unary(name) for name in _OPS}


# ================================================================ erfcx
def erfcx_array(xp, a):
    return _wide(xp, a, lambda x, dt: K.erfcx64(x))


@defop("special_erfcx", promote="float", save_inputs=True, save_output=True)
def _erfcx(xp, a):
    return erfcx_array(xp, a)


@_erfcx.defgrad
def _(F, g, out, a, need, extra):
    # erfcx' = 2x erfcx(x) - 2/sqrt(pi)
    return (g * (2.0 * a * out - _TWO_OVER_SQRT_PI),)


def erfcx(input, *, out=None):
    """Mirrors `torch.special.erfcx`: exp(x^2) erfc(x), computed without overflow."""
    _check_dtypes("erfcx", input)
    return _out(apply(_erfcx, (input,), _E), out)


# ================================================================ binary: shared checks
def _is_tensor(v):
    return hasattr(v, "_data")


def _signature_error(fname, names, a, b, kw=None):
    first, second = names
    alt = "self" if first == "input" else first
    got = f"({type(a).__name__}, {type(b).__name__})"
    raise TypeError(
        f"{fname}() received an invalid combination of arguments - got {got}, but expected "
        f"one of:\n * (Tensor {first}, Tensor {second}, *, Tensor out = None)\n"
        f" * (Number {alt}, Tensor {second}, *, Tensor out = None)\n"
        f" * (Tensor {first}, Number {second}, *, Tensor out = None)\n"
    )


def _binary_arrays(xp, a, b):
    """The float arrays of a binary op's operands (a Python number takes the other's dtype)."""
    dt = a.dtype if hasattr(a, "dtype") else b.dtype
    return _to_host(xp, xp.asarray(a, dtype=dt)), _to_host(xp, xp.asarray(b, dtype=dt)), dt


# ================================================================ zeta
def zeta_array(xp, x, q):
    xh, qh, dt = _binary_arrays(xp, x, q)
    x64, q64 = np.broadcast_arrays(xh.astype(np.float64), qh.astype(np.float64))
    shape = x64.shape
    r = K.zeta64(x64.reshape(-1), q64.reshape(-1)).reshape(shape)
    return _from_host(xp, r.astype(dt, copy=False))


@defop("special_zeta", promote="float", save_inputs=True)
def _zeta(xp, x, q):
    return zeta_array(xp, x, q)


@_zeta.defgrad
def _(F, g, out, x, q, need, extra):
    if need[0]:
        raise NotImplementedError("the derivative for 'zeta' is not implemented.")
    # d/dq zeta(x, q) = -x zeta(x + 1, q)
    return None, F.sum_to(g * (-x * F.special_zeta(x + 1, q)), q.shape)


# PyTorch's nodes: SpecialZetaBackward0 (tensor, tensor), 1 (number, tensor), 2 (tensor, number)
_zeta_st = renamed(_zeta, "SpecialZetaBackward1")
_zeta_ts = renamed(_zeta, "SpecialZetaBackward2")
_zeta_st.edges = (1,)
_zeta_ts.edges = (0,)


def zeta(input, other, *, out=None):
    """Mirrors `torch.special.zeta`: the Hurwitz zeta function zeta(input, other)."""
    ta = _is_tensor(input)
    tb = _is_tensor(other)
    if not (ta or tb):
        _signature_error("special_zeta", ("input", "other"), input, other)
    _check_dtypes("zeta", input, other)
    op = _zeta if ta and tb else (_zeta_ts if ta else _zeta_st)
    return _out(apply(op, (input, other), _E), out)


def _ns_zeta(x, q):
    xp = np
    for v in (x, q):
        if hasattr(v, "dtype") and not isinstance(v, np.ndarray):
            from .._device import device_of_array

            xp = device_of_array(v).xp
    return zeta_array(xp, x, q)


register_ns("special_zeta", _ns_zeta, zeta)


# ================================================================ orthogonal polynomials
def _poly_kernel(name):
    if "chebyshev" in name:
        kind = name[-1]
        shifted = name.startswith("shifted")
        return lambda x, n: P.chebyshev(x, n, kind, shifted)
    return {
        "hermite_polynomial_h": P.hermite_h,
        "hermite_polynomial_he": P.hermite_he,
        "laguerre_polynomial_l": P.laguerre_l,
        "legendre_polynomial_p": P.legendre_p,
    }[name]


POLYNOMIALS = (
    "chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
    "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
    "laguerre_polynomial_l", "legendre_polynomial_p",
)


def _make_poly(name):
    kernel = _poly_kernel(name)

    @defop("special_" + name, promote="float", differentiable=False)
    def op(xp, x, n):
        dt = x.dtype if hasattr(x, "dtype") else n.dtype
        xh = _to_host(xp, xp.asarray(x, dtype=dt))
        # a Python int degree stays an integer (no rounding through float32)
        nh = _to_host(xp, xp.asarray(n) if isinstance(n, int) else xp.asarray(n, dtype=dt))
        with np.errstate(all="ignore"):
            r = kernel(xh, nh)
        return _from_host(xp, np.asarray(r, dtype=dt))

    def fn(x, n, *, out=None):
        if not (_is_tensor(x) or _is_tensor(n)):
            _signature_error("special_" + name, ("x", "n"), x, n)
        _check_dtypes(name, x, n)
        return _out(apply(op, (x, n), _E), out)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"Mirrors `torch.special.{name}(x, n)`: n is truncated to an integer; "
                  "negative n gives 0.")
    return fn


POLY = {name: _make_poly(name) for name in POLYNOMIALS}
