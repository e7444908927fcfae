"""Mirrors `torch.finfo` and `torch.iinfo`: numeric limits of a dtype, as Python numbers."""

import math

import numpy as np

from . import _dtype as D


class finfo:
    """Mirrors `torch.finfo(dtype=None)`: limits of a floating point (or complex) dtype."""

    def __init__(self, type=None):
        dt = D.get_default_dtype() if type is None else D.to_dtype(type)
        if not (dt.is_floating_point or dt.is_complex):
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        dt = dt.to_real()
        if dt is D.bfloat16:
            # written out, so finfo(bfloat16) works without the optional ml_dtypes package:
            # 8 exponent bits like float32, 7 stored mantissa bits
            self.bits = 16
            self.eps = 2.0**-7
            self.max = (2.0 - 2.0**-7) * 2.0**127
            self.min = -self.max
            self.tiny = 2.0**-126
        else:
            info = np.finfo(dt.np)
            self.bits = int(info.bits)
            self.eps = float(info.eps)
            self.max = float(info.max)
            self.min = float(info.min)
            self.tiny = float(info.tiny)
        self.smallest_normal = self.tiny
        # PyTorch's resolution: 10 ** -(decimal digits of precision)
        self.resolution = 10.0 ** -int(-math.log10(self.eps))
        self.dtype = dt.name

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Mirrors `torch.iinfo(dtype)`: limits of an integer dtype."""

    def __init__(self, type):
        dt = D.to_dtype(type)
        if dt._kind != 1:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        info = np.iinfo(dt.np)
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)
        self.dtype = dt.name

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
