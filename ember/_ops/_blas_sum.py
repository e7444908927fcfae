"""Sums and products of small arrays through BLAS's direct entry points.

NumPy's reduction machinery costs about 0.8 µs a call whatever the size. The small sums a
training step makes (a loss over a batch, a bias gradient over the batch, `x.sum()` of a few
numbers) take half that or less as a BLAS product with a vector of ones: 0.36 µs instead of
0.91 for the column sums of a 100x1 gradient, 0.67 instead of 2.6 for 64x128
(`benchmarks/overhead.py`, `benchmarks/train.py` measure the effect).

Only float32/float64 NumPy arrays take this way, and only when at most MAX elements are added
into each result: BLAS adds each SIMD lane in sequence, so for long sums NumPy's pairwise
summation is kept for its accuracy.
"""

import numpy as np

MAX = 1024

_ndarray = np.ndarray
_empty = np.empty
_add_reduce = np.add.reduce
# NumPy dtype -> {length: read-only vector of ones}
_ONES = {np.dtype(np.float32): {}, np.dtype(np.float64): {}}


def _ones(n, dtype, by_length):
    ones = by_length.get(n)
    if ones is None:
        ones = np.ones(n, dtype)
        ones.flags.writeable = False
        by_length[n] = ones
    return ones


def sum_all(x):
    """The sum of every element of the NumPy array `x`, as a 0-d array."""
    dtype = x.dtype
    by_length = _ONES.get(dtype)
    n = x.size
    if by_length is None or n > MAX:
        return np.array(_add_reduce(x, None))
    if x.ndim != 1:
        x = x.reshape(n)
    ones = by_length.get(n)
    if ones is None:
        ones = _ones(n, dtype, by_length)
    out = _empty((), dtype)
    x.dot(ones, out)
    if not out:
        # BLAS keeps the sign of -0.0 + -0.0; a sum starts from +0.0, as torch's and NumPy's do
        out[()] = 0.0
    return out


def sum_float(x):
    """The sum of every element of the NumPy array `x`, as a Python float (a mean's numerator)."""
    by_length = _ONES.get(x.dtype)
    n = x.size
    if by_length is None or n > MAX:
        return float(_add_reduce(x, None))
    ones = by_length.get(n)
    if ones is None:
        ones = _ones(n, x.dtype, by_length)
    if x.ndim == 1:
        s = x.dot(ones)
    elif x.ndim == 2 and x.shape[1] == 1:
        # a column (a regression model's output): gemv, without flattening it first
        s = ones.dot(x)[0]
    else:
        s = x.reshape(n).dot(ones)
    s = float(s)
    # a sum starts from +0.0, as torch's and NumPy's do (BLAS keeps -0.0 + -0.0)
    return s if s else 0.0


def sum_rows(x):
    """`x.sum(axis=0)` of the 2-D NumPy array `x` (the bias gradient of a linear layer)."""
    dtype = x.dtype
    by_length = _ONES.get(dtype)
    n = x.shape[0]
    if by_length is None or n > MAX or n == 0:
        return _add_reduce(x, 0)
    # (gemv starts each sum from +0.0, so unlike dot above an all -0.0 column gives +0.0)
    return _ones(n, dtype, by_length).dot(x)


def row_sums(x):
    """`x.sum(axis=1, keepdims=True)` of the 2-D NumPy array `x` (softmax's denominators).

    NumPy sums each short row in a loop of its own (2.3 µs for 64 rows of 10); a product with
    a vector of ones is one gemv (0.4 µs)."""
    by_length = _ONES.get(x.dtype)
    rows, n = x.shape
    if by_length is None or n > MAX or n == 0 or rows < 8:
        return _add_reduce(x, 1, None, None, True)
    ones = by_length.get(n)
    if ones is None:
        ones = _ones(n, x.dtype, by_length)
    return x.dot(ones).reshape(rows, 1)


# ndarray.dot reaches BLAS with less per-call work than np.matmul (0.46 against 0.95 µs for a
# 16x16 product) but is slower on large or transposed operands (5-15% at n = 256-512), so it
# only takes products of up to this many multiply-adds.
DOT_MAX_WORK = 1 << 20


def matmul2d(a, b):
    """`a @ b` for two 2-D arrays (NumPy or CuPy)."""
    m, k = a.shape
    if m * k * b.shape[-1] <= DOT_MAX_WORK:
        return a.dot(b)
    return a @ b


def row_max(a, axis):
    """`np.maximum.reduce(a, axis, keepdims=True)` for a NumPy array.

    NumPy reduces each short row in its own inner loop: 5 µs for the row maxima of 64x10
    logits, 50 µs for 512x32. Reducing the columns of a transposed copy runs one vectorised
    loop over all rows per column instead (1.8 and 16.5 µs). The maximum is exact, so the
    result is the same.
    """
    if a.ndim == 2 and (axis == 1 or axis == -1):
        rows, cols = a.shape
        if rows >= 16 and cols <= 64:
            return np.maximum.reduce(np.ascontiguousarray(a.T), 0).reshape(rows, 1)
    return np.maximum.reduce(a, axis, keepdims=True)
