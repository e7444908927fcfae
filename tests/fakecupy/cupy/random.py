"""`cupy.random` of the fake CuPy: NumPy's RandomState with results on the fake device."""

import numpy as _np

from . import _w


class RandomState:
    def __init__(self, seed=None):
        self._rs = _np.random.RandomState(seed % (2**32) if seed is not None else None)

    def __getattr__(self, name):
        f = getattr(self._rs, name)

        def call(*a, dtype=None, **k):
            # parameters given as device arrays (poisson, standard_gamma, binomial, ...)
            a = tuple(x._a if hasattr(x, "_a") else x for x in a)
            if name in ("random_sample", "standard_normal"):
                out = f(*a, **k)
                return _w(_np.asarray(out, dtype=dtype or _np.float64))
            if dtype is not None:
                k["dtype"] = dtype
            return _w(_np.asarray(f(*a, **k)))

        return call


_STATE = [RandomState(0)]


def seed(s=None):
    _STATE[0] = RandomState(s)


def __getattr__(name):
    return getattr(_STATE[0], name)
