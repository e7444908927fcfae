"""Seeded programs draw the same random numbers as torch: regressions found by the seeded
tutorial programs (tests/programs/p191..p205). Expected values come from torch itself."""

import os

import numpy as np
import pytest
import torch

import ember

# seeded results equal torch's through the CPU random stream (see tests/test_torch_rng.py)
pytestmark = pytest.mark.skipif(os.environ.get("EMBER_TEST_DEVICE", "cpu") != "cpu",
                                reason="torch's CPU random stream")


def _run(fn):
    """fn(m) with m = torch and m = ember after the same manual_seed; results as arrays, plus
    one draw afterwards so that the amount of the stream consumed is compared too."""
    out = []
    for m in (torch, ember):
        m.manual_seed(7)
        r = fn(m)
        r = r if isinstance(r, tuple) else (r,)
        out.append([np.asarray(t.detach().cpu().numpy()) for t in r] + [m.rand(3).cpu().numpy()])
    return out


def _same(fn):
    t, e = _run(fn)
    for a, b in zip(t, e):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(b, a)


# torch's dropout noise is empty_like(input), which keeps a transposed (non-overlapping, dense)
# input's strides, so the Bernoulli draws land in memory order; *_like samplers do the same
LAYOUTS = {
    "contiguous": lambda m: m.arange(24.0).reshape(4, 6) / 7 - 1,
    "transposed": lambda m: (m.arange(24.0).reshape(4, 6) / 7 - 1).t(),
    "permuted": lambda m: m.arange(60.0).reshape(3, 4, 5).permute(2, 0, 1) - 30,
    "sliced_with_gaps": lambda m: m.arange(48.0).reshape(4, 12)[:, ::2] - 20,
    "channels_last": lambda m: (m.arange(120.0).reshape(2, 3, 4, 5) - 60).contiguous(
        memory_format=m.channels_last),
    "expanded": lambda m: m.arange(6.0).reshape(1, 6).expand(4, 6) - 3,
}
SAMPLERS = {
    "dropout": lambda m, x: m.nn.functional.dropout(x, 0.3),
    "Dropout": lambda m, x: m.nn.Dropout(0.5)(x),
    "alpha_dropout": lambda m, x: m.nn.functional.alpha_dropout(x, 0.3, True),
    "rand_like": lambda m, x: m.rand_like(x),
    "randn_like": lambda m, x: m.randn_like(x),
    "randint_like": lambda m, x: m.randint_like(x, 10),
    "randn_like_contiguous_format": lambda m, x: m.randn_like(
        x, memory_format=m.contiguous_format),
    "rrelu": lambda m, x: m.nn.functional.rrelu(x, training=True),
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("sampler", SAMPLERS)
def test_samplers_follow_the_input_layout(sampler, layout):
    _same(lambda m: SAMPLERS[sampler](m, LAYOUTS[layout](m)))


def test_like_samplers_keep_the_input_strides():
    for m in (torch, ember):
        x = m.ones(3, 4).t()
        assert m.randn_like(x).stride() == (1, 4)
        assert m.rand_like(x, memory_format=m.contiguous_format).stride() == (3, 1)


def test_transformer_encoder_layer_dropout_in_training():
    # MultiheadAttention(batch_first=True) returns a transposed tensor; dropout1 after it
    # drew its mask in logical order, so every training step of a transformer differed
    def run(m):
        enc = m.nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, dropout=0.2,
                                           batch_first=True)
        x = m.randn(2, 5, 16)
        out = enc(x)
        out.sum().backward()
        return out, enc.linear1.weight.grad

    t, e = _run(run)
    np.testing.assert_allclose(e[0], t[0], atol=1e-5)
    np.testing.assert_allclose(e[1], t[1], atol=1e-4)
    np.testing.assert_array_equal(e[2], t[2])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rrelu_draws_only_for_non_positive_inputs(dtype):
    # torch draws one double uniform per element <= 0 (none for positives), with the bounds
    # rounded to the input's opmath type first
    def run(m):
        x = m.randn(300, dtype=getattr(m, dtype)).requires_grad_()
        y = m.nn.functional.rrelu(x, 0.1, 0.3, training=True)
        y.sum().backward()
        z = m.nn.RReLU()(m.randn(4, 5, dtype=getattr(m, dtype)))
        return y, x.grad, z

    _same(run)
