"""erf's float32 and tiny-array kernels (ember/_ops/_erf_fast.py) against math.erf and torch."""

import math

import numpy as np
import pytest
import torch

import ember
from ember._ops import _erf_fast


def _correctly_rounded(x, dtype):
    return np.array([math.erf(v) for v in x.astype(np.float64).tolist()]).astype(dtype)


def test_rational_is_within_2e_11_relative_of_math_erf():
    x = np.linspace(-4.0, 4.0, 400_001)
    x = x[x != 0.0]
    got = np.empty_like(x)
    _erf_fast._erf_block(x.copy(), got)
    want = np.array([math.erf(v) for v in x.tolist()])
    assert np.max(np.abs(got / want - 1.0)) < 2e-11


def test_float32_is_correctly_rounded_but_for_rare_one_ulp_cases():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.standard_normal(150_000) * 2, rng.uniform(-5, 5, 50_000)])
    x = x.astype(np.float32)
    got = ember.erf(ember.from_numpy(x)).cpu().numpy()
    want = _correctly_rounded(x, np.float32)
    off = got != want
    assert off.mean() < 1e-3
    # the ones that differ are one float32 step away
    steps = np.abs(got[off].view(np.int32) - want[off].view(np.int32))
    assert np.all(steps <= 1)


def test_float32_special_values_and_blocks_match_torch():
    special = [np.nan, np.inf, -np.inf, 0.0, -0.0, 4.0, -4.0, 3.9, 1e-30, -1e-38, 1e38]
    rng = np.random.default_rng(1)
    # longer than one block, with a ragged last block
    x = np.concatenate([special, rng.standard_normal(40_000) * 3]).astype(np.float32)
    got = ember.erf(ember.from_numpy(x)).cpu().numpy()
    want = torch.erf(torch.from_numpy(x)).cpu().numpy()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got, want, rtol=1.3e-6, atol=1e-7)
    # erf is odd: the sign of zero survives
    assert np.signbit(got[4]) and not np.signbit(got[3])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(), (0,), (3, 0), (5,), (4, 12), (7, 7)])
def test_small_and_empty_shapes_match_torch(dtype, shape):
    rng = np.random.default_rng(2)
    x = np.asarray(rng.standard_normal(shape) * 2).astype(dtype)
    got = ember.erf(ember.from_numpy(x))
    want = torch.erf(torch.from_numpy(x))
    assert tuple(got.shape) == tuple(want.shape)
    assert str(got.dtype) == str(want.dtype)
    tol = {np.float16: 1e-3, np.float32: 1.3e-6, np.float64: 1e-14}[dtype]
    np.testing.assert_allclose(got.cpu().numpy().astype(np.float64),
                               want.cpu().numpy().astype(np.float64), rtol=tol, atol=tol)


def test_non_contiguous_float32_input():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((300, 200)).astype(np.float32)
    got = ember.erf(ember.from_numpy(x).t()[::2])
    want = torch.erf(torch.from_numpy(x).t()[::2])
    np.testing.assert_allclose(got.cpu().numpy(), want.cpu().numpy(), rtol=1.3e-6, atol=1e-7)


def test_exact_gelu_on_a_large_float32_tensor_matches_torch():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((512, 300)).astype(np.float32) * 3
    xe = ember.from_numpy(x).requires_grad_()
    xt = torch.from_numpy(x).requires_grad_()
    ye = ember.nn.functional.gelu(xe)
    yt = torch.nn.functional.gelu(xt)
    # torch's float32 GELU kernel rounds 1 + erf differently where erf is near -1 (there
    # ember is the closer of the two to the exact value), so torch's float32 tolerances
    np.testing.assert_allclose(ye.detach().cpu().numpy(), yt.detach().cpu().numpy(), rtol=1.3e-6, atol=1e-5)
    g = rng.standard_normal(x.shape).astype(np.float32)
    ye.backward(ember.from_numpy(g))
    yt.backward(torch.from_numpy(g))
    np.testing.assert_allclose(xe.grad.cpu().numpy(), xt.grad.cpu().numpy(), rtol=1.3e-6, atol=1e-5)
