"""`cupyx` of the fake CuPy."""

import numpy as _np

import cupy as _cp


def scatter_add(a, slices, value):
    _np.add.at(a._a, _cp._u_index(slices), _cp._u(value))
