"""`cupyx.scipy.special` of the fake CuPy: erf, erfc and erfinv elementwise via math."""

import math

import numpy as _np

import cupy as _cp


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
