"""Layer norm over C-contiguous trailing dims takes a BLAS row-sum path (ember/_ops/nn_norm.py,
_layer_rows_forward/_backward); other layouts take the general kernel. Both sides of the
branch against torch, forward and backward."""

import numpy as np
import pytest
import torch

import ember


@pytest.mark.parametrize("shape,normalized", [
    ((5, 7), (7,)), ((2, 3, 16), (16,)), ((2, 3, 16), (3, 16)), ((1100, 4), (4,)),
    ((4, 2000), (2000,)), ((1, 3), (3,)),
])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("transposed", [False, True])
def test_layer_norm_matches_torch(shape, normalized, affine, dtype, transposed):
    rng = np.random.default_rng(len(shape) + shape[-1])
    x = rng.standard_normal(shape).astype(dtype) * 3 + 1
    g = rng.standard_normal(shape).astype(dtype)
    w = rng.standard_normal(normalized).astype(dtype)
    b = rng.standard_normal(normalized).astype(dtype)
    res = {}
    for m in (torch, ember):
        xt = m.tensor(x)
        if transposed and len(shape) == 2 and shape[0] == shape[1]:
            xt = xt.t()
        xt.requires_grad_(True)
        wt = m.tensor(w, requires_grad=True) if affine else None
        bt = m.tensor(b, requires_grad=True) if affine else None
        y = m.nn.functional.layer_norm(xt, normalized, wt, bt, eps=1e-5)
        y.backward(m.tensor(g))
        grads = [xt.grad] + ([wt.grad, bt.grad] if affine else [])
        res[m.__name__] = [y.detach().cpu().numpy()] + [t.cpu().numpy() for t in grads]
    tol = 1e-4 if dtype == "float32" else 1e-10
    for t, e in zip(res["torch"], res["ember"]):
        np.testing.assert_allclose(e, t, rtol=tol, atol=tol)


def test_layer_norm_gradcheck_float64():
    x = ember.randn(3, 5, dtype=ember.float64, requires_grad=True)
    w = ember.randn(5, dtype=ember.float64, requires_grad=True)
    b = ember.randn(5, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(
        lambda x, w, b: ember.nn.functional.layer_norm(x, (5,), w, b), (x, w, b))
