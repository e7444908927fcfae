"""Mirrors `torch.special`: the special functions under their SciPy-style names."""

import math as _math

from . import _ops  # noqa: F401  (the ops are registered before this module runs)
from ._ops import math as _math_ops
from ._ops import special_fns as _special_fns
from ._ops import special_more as _special_more
from ._ops._bind import FUNCTIONS as _F

expit = _F["sigmoid"]
logit = _F["logit"]
erf = _F["erf"]
erfc = _F["erfc"]
erfinv = _F["erfinv"]
exp2 = _F["exp2"]
expm1 = _F["expm1"]
log1p = _F["log1p"]
round = _F["round"]
logsumexp = _F["logsumexp"]
xlogy = _F["xlogy"]
xlog1py = _math_ops.xlog1py
gammaln = _F["lgamma"]
digamma = _F["digamma"]
psi = _F["digamma"]
polygamma = _F["polygamma"]
multigammaln = _F["mvlgamma"]
i0 = _F["i0"]
i0e = _special_fns.special_i0e
i1 = _special_fns.special_i1
i1e = _special_fns.special_i1e
gammainc = _F["igamma"]
gammaincc = _F["igammac"]
sinc = _F["sinc"]

# Bessel, Airy and related functions (not differentiable, as in PyTorch)
airy_ai = _special_more.UNARY["airy_ai"]
bessel_j0 = _special_more.UNARY["bessel_j0"]
bessel_j1 = _special_more.UNARY["bessel_j1"]
bessel_y0 = _special_more.UNARY["bessel_y0"]
bessel_y1 = _special_more.UNARY["bessel_y1"]
modified_bessel_i0 = _special_more.UNARY["modified_bessel_i0"]
modified_bessel_i1 = _special_more.UNARY["modified_bessel_i1"]
modified_bessel_k0 = _special_more.UNARY["modified_bessel_k0"]
modified_bessel_k1 = _special_more.UNARY["modified_bessel_k1"]
scaled_modified_bessel_k0 = _special_more.UNARY["scaled_modified_bessel_k0"]
scaled_modified_bessel_k1 = _special_more.UNARY["scaled_modified_bessel_k1"]
spherical_bessel_j0 = _special_more.UNARY["spherical_bessel_j0"]
erfcx = _special_more.erfcx
zeta = _special_more.zeta

# orthogonal polynomials p(x, n)
chebyshev_polynomial_t = _special_more.POLY["chebyshev_polynomial_t"]
chebyshev_polynomial_u = _special_more.POLY["chebyshev_polynomial_u"]
chebyshev_polynomial_v = _special_more.POLY["chebyshev_polynomial_v"]
chebyshev_polynomial_w = _special_more.POLY["chebyshev_polynomial_w"]
shifted_chebyshev_polynomial_t = _special_more.POLY["shifted_chebyshev_polynomial_t"]
shifted_chebyshev_polynomial_u = _special_more.POLY["shifted_chebyshev_polynomial_u"]
shifted_chebyshev_polynomial_v = _special_more.POLY["shifted_chebyshev_polynomial_v"]
shifted_chebyshev_polynomial_w = _special_more.POLY["shifted_chebyshev_polynomial_w"]
hermite_polynomial_h = _special_more.POLY["hermite_polynomial_h"]
hermite_polynomial_he = _special_more.POLY["hermite_polynomial_he"]
laguerre_polynomial_l = _special_more.POLY["laguerre_polynomial_l"]
legendre_polynomial_p = _special_more.POLY["legendre_polynomial_p"]


def softmax(input, dim, *, dtype=None):
    """Mirrors `torch.special.softmax`."""
    return _F["softmax"](input, dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None):
    """Mirrors `torch.special.log_softmax`."""
    return _F["log_softmax"](input, dim, dtype=dtype)


def _special_out(res, out):
    # torch's out= semantics (resize, dtype-cast check) live in one place
    from ._ops.elementwise import _out

    return _out(res, out)


def entr(input, *, out=None):
    """Mirrors `torch.special.entr`: -x log x (0 at 0, -inf below 0)."""
    if out is not None:
        return _special_out(entr(input), out)
    where = _F["where"]
    val = -input * _F["log"](input)
    val = where(input == 0, input.new_zeros(()), val)
    return where(input < 0, input.new_full((), -_math.inf), val)


def ndtr(input, *, out=None):
    """Mirrors `torch.special.ndtr`: the standard normal CDF."""
    if out is not None:
        return _special_out(ndtr(input), out)
    return (1 + _F["erf"](input / _math.sqrt(2))) / 2


def log_ndtr(input, *, out=None):
    """Mirrors `torch.special.log_ndtr`: log of the standard normal CDF."""
    if out is not None:
        return _special_out(log_ndtr(input), out)
    return _F["log"](_F["erfc"](-input / _math.sqrt(2)) / 2)


def ndtri(input, *, out=None):
    """Mirrors `torch.special.ndtri`: the inverse of the standard normal CDF."""
    if out is not None:
        return _special_out(ndtri(input), out)
    return _F["erfinv"](2 * input - 1) * _math.sqrt(2)
