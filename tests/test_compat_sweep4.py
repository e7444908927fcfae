"""Regressions found by the fourth sweep of new programs (tests/programs/p170-p189): each
test runs the same code with real torch and with ember and compares."""

import io
import math

import numpy as np
import pytest
import torch

import ember


def _both(fn):
    return fn(torch), fn(ember)


def _np(x):
    if isinstance(x, (tuple, list)):
        return [_np(v) for v in x]
    return x.detach().cpu().numpy() if hasattr(x, "detach") else np.asarray(x)


def _close(t, e, atol=1e-6, rtol=1e-5):
    if isinstance(t, (tuple, list)):
        assert isinstance(e, (tuple, list)) and len(t) == len(e)
        for a, b in zip(t, e):
            _close(a, b, atol, rtol)
        return
    np.testing.assert_allclose(_np(e), _np(t), atol=atol, rtol=rtol)


# ---------------------------------------------------------------- torch.load(weights_only=False)
def test_load_weights_only_false_reads_a_plain_training_checkpoint():
    ckpt = {"epoch": 3, "model": {"w": torch.arange(4.0)}, "args": {"lr": 0.1, "name": "x"},
            "history": [0.5, 0.25], "rng_state": torch.get_rng_state()[:8]}
    buf = io.BytesIO()
    torch.save(ckpt, buf)
    buf.seek(0)
    got = ember.load(buf, weights_only=False)
    assert got["epoch"] == 3 and got["args"] == {"lr": 0.1, "name": "x"}
    assert got["history"] == [0.5, 0.25]
    np.testing.assert_array_equal(got["model"]["w"].cpu().numpy(), np.arange(4.0, dtype=np.float32))
    np.testing.assert_array_equal(got["rng_state"].cpu().numpy(), ckpt["rng_state"].cpu().numpy())


# ---------------------------------------------------------------- assert_close messages
@pytest.mark.parametrize("a, e", [([1, 2], [1, 3]), ([7, 2, 9], [3, 2, 8]), ([True], [False])])
def test_assert_close_integer_relative_difference_is_float32(a, e):
    def msg(m):
        try:
            m.testing.assert_close(m.tensor(a), m.tensor(e))
        except AssertionError as ex:
            return str(ex)

    t, m = _both(msg)
    assert m == t


# ---------------------------------------------------------------- interpolate(antialias=True)
@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("size, scale", [((5, 4), None), ((3, 9), None), (None, 0.5),
                                         (None, (0.4, 1.7)), ((20, 30), None)])
@pytest.mark.parametrize("align_corners", [False, True])
def test_interpolate_antialias_matches_torch(mode, size, scale, align_corners):
    x = np.random.default_rng(0).standard_normal((2, 3, 12, 14))

    def run(m):
        t = m.tensor(x, dtype=m.float64, requires_grad=True)
        out = m.nn.functional.interpolate(t, size=size, scale_factor=scale, mode=mode,
                                          align_corners=align_corners, antialias=True)
        (g,) = m.autograd.grad((out * out.detach().sin()).sum(), t)
        return out, g, out.grad_fn.name()

    (to, tg, tn), (eo, eg, en) = _both(run)
    _close(to, eo, atol=1e-10)
    _close(tg, eg, atol=1e-10)
    assert en == tn


def test_interpolate_antialias_needs_4d_bilinear_or_bicubic():
    for m in (torch, ember):
        with pytest.raises(ValueError, match="Anti-alias option is restricted"):
            m.nn.functional.interpolate(m.ones(1, 1, 4), size=2, mode="linear", antialias=True)


# ---------------------------------------------------------------- grid_sample(mode="bicubic")
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_grid_sample_bicubic_matches_torch(padding_mode, align_corners):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 5, 6))
    grid = rng.uniform(-1.3, 1.3, (2, 4, 7, 2))

    def run(m):
        xt = m.tensor(x, requires_grad=True)
        gt = m.tensor(grid, requires_grad=True)
        out = m.nn.functional.grid_sample(xt, gt, mode="bicubic", padding_mode=padding_mode,
                                          align_corners=align_corners)
        grads = m.autograd.grad((out * out.detach().cos()).sum(), (xt, gt))
        return out, grads

    (to, tg), (eo, eg) = _both(run)
    _close(to, eo, atol=1e-10)
    _close(tg, eg, atol=1e-9)


def test_grid_sample_bicubic_needs_4d_input():
    with pytest.raises(RuntimeError, match="bicubic interpolation only supports 4D input"):
        ember.nn.functional.grid_sample(ember.ones(1, 1, 2, 2, 2), ember.zeros(1, 1, 1, 1, 3),
                                        mode="bicubic", align_corners=False)


# ---------------------------------------------------------------- scaled_dot_product_attention
def test_sdpa_4d_equal_weights_give_exact_means():
    def run(m):
        q = m.ones(1, 2, 3, 4)
        v = m.arange(24.0).view(1, 2, 3, 4)
        return m.nn.functional.scaled_dot_product_attention(q, q, v, is_causal=True, scale=0.5)

    t, e = _both(run)
    np.testing.assert_array_equal(_np(e), _np(t))


@pytest.mark.parametrize("shape", [(3, 5, 8), (2, 3, 5, 8), (2, 2, 3, 5, 8)])
def test_sdpa_dead_rows_are_positive_zero_with_zero_grad(shape):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(shape)
    mask = rng.random((shape[-2], shape[-2])) > 0.5
    mask[1] = False  # a query with nothing to attend to

    def run(m):
        t = m.tensor(x, dtype=m.float32, requires_grad=True)
        out = m.nn.functional.scaled_dot_product_attention(t, t * 0.5, t, attn_mask=m.tensor(mask))
        (g,) = m.autograd.grad((out * out.detach()).sum(), t)
        return out, g

    (to, tg), (eo, eg) = _both(run)
    _close(to, eo, atol=1e-5)
    _close(tg, eg, atol=1e-4)
    assert not np.signbit(_np(eo)[..., 1, :]).any()


# ---------------------------------------------------------------- torch._foreach_*
def test_foreach_ops_match_torch():
    a = [np.array([1.0, -2.0, 3.0]), np.array([[0.5], [4.0]])]
    b = [np.array([2.0, 0.5, -1.0]), np.array([[1.5], [-2.0]])]

    def run(m):
        xs = [m.tensor(v) for v in a]
        ys = [m.tensor(v) for v in b]
        out = [
            m._foreach_add(xs, 1.5), m._foreach_add(xs, ys, alpha=2), m._foreach_sub(xs, [1.0, 2.0]),
            m._foreach_mul(xs, ys), m._foreach_div(xs, 2.0), m._foreach_maximum(xs, ys),
            m._foreach_minimum(xs, 0.0), m._foreach_pow(xs, 2), m._foreach_clamp_min(xs, 0.5),
            m._foreach_clamp_max(xs, 1.0), m._foreach_abs(xs), m._foreach_exp(xs),
            m._foreach_neg(xs), m._foreach_sigmoid(xs), m._foreach_addcmul(xs, xs, ys, value=0.5),
            m._foreach_addcdiv(xs, xs, ys, [0.5, 2.0]), m._foreach_lerp(xs, ys, 0.25),
            m._foreach_norm(xs), m._foreach_norm(xs, ord=math.inf), m._foreach_max(xs),
        ]
        m._foreach_mul_(xs, 0.9)
        m._foreach_add_(xs, ys, alpha=0.1)
        m._foreach_lerp_(xs, ys, 0.5)
        m._foreach_addcmul_(xs, ys, ys, value=2.0)
        m._foreach_sqrt_(m._foreach_abs(xs))
        out.append(xs)
        zs = [v.clone() for v in ys]
        m._foreach_zero_(zs)
        out.append(zs)
        m._foreach_copy_(zs, ys)
        out.append(zs)
        return out, type(out[0]).__name__, m._foreach_add_(xs, 1.0) is xs

    (t, tk, tr), (e, ek, er) = _both(run)
    _close(t, e, atol=1e-12)
    assert ek == tk and er is tr is True


def test_foreach_inplace_on_leaf_requiring_grad_raises_like_add_():
    p = [ember.ones(2, requires_grad=True)]
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        ember._foreach_add_(p, 1.0)
    with ember.no_grad():
        ember._foreach_add_(p, 1.0)
    np.testing.assert_array_equal(p[0].detach().cpu().numpy(), [2.0, 2.0])
