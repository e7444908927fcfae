"""`cupyx.scipy.special` of the fake CuPy: erf, erfc and erfinv elementwise via math."""

import math

import cupy as _cp
import numpy as _np


def _elementwise(f):
    def call(x):
        a = _cp._u(x)
        out = _np.vectorize(f, otypes=[a.dtype])(a) if a.size else a.copy()
        return _cp._w(_np.asarray(out, dtype=a.dtype))

    return call


def _erfinv(y):
    if y <= -1.0:
        return -math.inf if y == -1.0 else math.nan
    if y >= 1.0:
        return math.inf if y == 1.0 else math.nan
    # bisection is slow but exact enough for a test stand-in
    lo, hi = -6.0, 6.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if math.erf(mid) < y:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


erf = _elementwise(math.erf)
erfc = _elementwise(math.erfc)
erfinv = _elementwise(_erfinv)


def _host_kernel(name):
    # without SciPy: ember's own float64 kernels on the host (the stand-in then checks the
    # dispatch and the fixups around the kernel, not CuPy's numerics)
    from ember._ops import _special_kernels as S

    kernels = {
        "gammaln": lambda x: S._lgamma64(_np, x),
        "digamma": lambda x: S._digamma64(_np, x),
        "zeta": lambda s, q: S._zeta_pos(_np, int(s), q),
        "i0": lambda x: S._bessel64(_np, x, 0, False),
        "i0e": lambda x: S._bessel64(_np, x, 0, True),
        "i1": lambda x: S._bessel64(_np, x, 1, False),
        "i1e": lambda x: S._bessel64(_np, x, 1, True),
        "gammainc": lambda a, x: S._igamma64(_np, a, x, False),
        "gammaincc": lambda a, x: S._igamma64(_np, a, x, True),
    }
    fn = kernels[name]

    def call(*args):
        arrays = [_np.asarray(a, dtype=_np.float64) if hasattr(a, "shape") else a for a in args]
        shape = _np.broadcast_shapes(*[getattr(a, "shape", ()) for a in arrays])
        flat = [_np.broadcast_to(a, shape).reshape(-1) if hasattr(a, "shape") else a
                for a in arrays]
        return fn(*flat).reshape(shape)

    return call


def _scipy(name):
    # the gamma-family and Bessel kernels through SciPy when it is installed (tests only)
    def call(*args):
        arrays = [_cp._u(a) if hasattr(a, "shape") else a for a in args]
        try:
            from scipy import special

            out = _np.asarray(getattr(special, name)(*arrays))
        except ImportError:
            out = _np.asarray(_host_kernel(name)(*arrays))
        like = arrays[-1]
        return _cp._w(out.astype(like.dtype, copy=False))

    return call


gammaln = _scipy("gammaln")
digamma = _scipy("digamma")
zeta = _scipy("zeta")
gammainc = _scipy("gammainc")
gammaincc = _scipy("gammaincc")
i0 = _scipy("i0")
i0e = _scipy("i0e")
i1 = _scipy("i1")
i1e = _scipy("i1e")
