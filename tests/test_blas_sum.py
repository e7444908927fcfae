"""The BLAS route for small sums (ember/_ops/_blas_sum.py) against NumPy in float64 and torch.

Public calls that take it: `Tensor.sum()`, loss reductions, bias gradients (sum over rows).
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import ember
from ember._ops import _blas_sum

DTYPES = [np.float32, np.float64]


def _tol(dtype):
    return (2e-6, 1e-6) if dtype == np.float32 else (1e-13, 1e-13)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 1100), dtype=st.sampled_from(DTYPES), seed=st.integers(0, 2**16),
       two_d=st.booleans())
def test_sum_all_matches_float64(n, dtype, seed, two_d):
    x = np.random.default_rng(seed).standard_normal(n).astype(dtype)
    if two_d and n % 2 == 0 and n:
        x = x.reshape(2, n // 2)[:, ::-1]  # non-contiguous
    got = _blas_sum.sum_all(x)
    assert got.shape == () and got.dtype == dtype
    want = x.astype(np.float64).sum()
    rtol, atol = _tol(dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol * np.abs(x).sum() + atol)


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(0, 1100), cols=st.integers(1, 40), dtype=st.sampled_from(DTYPES),
       seed=st.integers(0, 2**16))
def test_sum_rows_matches_float64(rows, cols, dtype, seed):
    x = np.random.default_rng(seed).standard_normal((rows, cols)).astype(dtype)
    got = _blas_sum.sum_rows(x)
    assert got.shape == (cols,) and got.dtype == dtype
    want = x.astype(np.float64).sum(0)
    rtol, atol = _tol(dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol * np.abs(x).sum() + atol)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_signed_zeros_nan_inf_as_torch(dtype):
    cases = [[-0.0], [-0.0, -0.0], [], [1.0, float("nan")], [float("inf"), 1.0],
             [float("inf"), float("-inf")]]
    for c in cases:
        t = torch.tensor(c, dtype=dtype).sum()
        e = ember.tensor(c, dtype=getattr(ember, str(dtype).split(".")[1])).sum()
        np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
        assert np.signbit(e.cpu().numpy()) == np.signbit(t.cpu().numpy())


def test_bias_gradient_of_negative_zeros_is_positive_zero_as_torch():
    grads = []
    for m in (torch, ember):
        b = m.zeros(3, requires_grad=True)
        y = m.zeros(4, 3) + b
        y.backward(-m.zeros(4, 3))
        grads.append(b.grad.cpu().numpy())
    np.testing.assert_array_equal(grads[0], grads[1])
    assert (np.signbit(grads[0]) == np.signbit(grads[1])).all()


def test_other_dtypes_take_numpy_reduction():
    x = np.arange(10, dtype=np.float16)
    assert _blas_sum.sum_all(x) == 45
    assert _blas_sum.sum_all(np.arange(5)) == 10
    np.testing.assert_array_equal(_blas_sum.sum_rows(np.ones((3, 2), np.int32)), [3, 3])


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 1100), dtype=st.sampled_from(DTYPES), seed=st.integers(0, 2**16),
       layout=st.sampled_from(["flat", "column", "strided", "block"]))
def test_sum_float_matches_float64(n, dtype, seed, layout):
    x = np.random.default_rng(seed).standard_normal(n).astype(dtype)
    if layout == "column":
        x = x.reshape(n, 1)
    elif layout == "strided":
        x = x[::2]
    elif layout == "block" and n % 4 == 0 and n:
        x = x.reshape(4, n // 4)
    got = _blas_sum.sum_float(x)
    assert type(got) is float
    rtol, atol = _tol(dtype)
    want = float(np.sum(x.astype(np.float64)))
    assert abs(got - want) <= atol * max(1, x.size) + rtol * abs(want)


@pytest.mark.parametrize("shape", [(3,), (3, 1), (2, 2)])
def test_sum_float_of_negative_zeros_is_positive(shape):
    # torch's and NumPy's sums start from +0.0
    x = np.full(shape, -0.0, dtype=np.float32)
    got = _blas_sum.sum_float(x)
    assert got == 0.0 and np.copysign(1.0, got) == 1.0
    assert np.copysign(1.0, float(torch.zeros(shape).neg().sum())) == 1.0
