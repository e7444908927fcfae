"""fractional_max_pool2d / nn.FractionalMaxPool2d against torch 2.13.0 with fixed
_random_samples: values, indices, gradients (with ties) and errors."""

import numpy as np
import pytest
import torch

import ember

CASES = [((2, 3, 7, 9), (2, 3), (4, 3)), ((1, 2, 10, 10), 2, 5), ((3, 8, 6), 3, (4, 2)),
         ((2, 1, 5, 5), 1, (5, 5)), ((2, 2, 9, 7), (3, 2), (1, 4))]


@pytest.mark.parametrize("shape,kernel,size", CASES)
def test_matches_torch(shape, kernel, size):
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal(shape)
    x.flat[::7] = x.flat[3]  # ties: the first maximum of a window wins, as in torch
    n = shape[0] if len(shape) == 4 else 1
    samples = rng.uniform(size=(n, shape[-3], 2))
    g = rng.standard_normal
    results = []
    for m in (torch, ember):
        xt = m.tensor(x, requires_grad=True)
        out, idx = m.nn.functional.fractional_max_pool2d(
            xt, kernel, output_size=size, return_indices=True, _random_samples=m.tensor(samples))
        grad_out = m.tensor(np.random.default_rng(1).standard_normal(tuple(out.shape)))
        (gx,) = m.autograd.grad((out * grad_out).sum(), xt)
        layer = m.nn.FractionalMaxPool2d(kernel, output_size=size,
                                         _random_samples=m.tensor(samples))
        results.append((out.detach().cpu().numpy(), idx.cpu().numpy(), gx.cpu().numpy(),
                        layer(m.tensor(x)).cpu().numpy()))
    del g
    for e, t in zip(results[1], results[0]):
        assert e.shape == t.shape and e.dtype == t.dtype
        np.testing.assert_allclose(e, t)


def test_ratio_random_and_errors():
    x = ember.randn(2, 3, 10, 8)
    out = ember.nn.FractionalMaxPool2d(3, output_ratio=0.5)(x)
    assert tuple(out.shape) == (2, 3, 5, 4)
    F = ember.nn.functional
    with pytest.raises(ValueError, match="requires specifying either an output_size or an "
                                         "output_ratio"):
        F.fractional_max_pool2d(x, 2)
    with pytest.raises(ValueError, match="requires specifying either an output size, or a "
                                         "pooling ratio"):
        ember.nn.FractionalMaxPool2d(2)
    with pytest.raises(ValueError, match=r"output_ratio must be between 0 and 1 \(got 1.5\)"):
        ember.nn.FractionalMaxPool2d(2, output_ratio=1.5)
    with pytest.raises(ValueError, match="only one of output_size and output_ratio"):
        ember.nn.FractionalMaxPool2d(2, output_size=3, output_ratio=0.5)
    with pytest.raises(RuntimeError, match="pool height 2 too large relative to input height 10"):
        F.fractional_max_pool2d(x, 2, output_size=10)
    with pytest.raises(RuntimeError, match="Expect _random_samples.size\\(0\\) no less then "
                                           "input batch size."):
        F.fractional_max_pool2d(x, 2, output_size=3, _random_samples=ember.rand(1, 3, 2))
