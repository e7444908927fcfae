"""nn.EmbeddingBag / F.embedding_bag, F.affine_grid and F.grid_sample against torch 2.13.0."""

import numpy as np
import pytest
import torch

import ember
import ember.nn.functional as EF

TF = torch.nn.functional
DTYPES = [(np.float32, 1e-5), (np.float64, 1e-12)]


def _pair(arr, grad=True):
    t = torch.tensor(arr, requires_grad=grad)
    e = ember.tensor(arr, requires_grad=grad)
    return t, e


def _close(t, e, tol):
    assert tuple(t.shape) == tuple(e.shape)
    np.testing.assert_allclose(e.detach().cpu().numpy(), t.detach().cpu().numpy(), rtol=tol, atol=tol)


def _backward(t_out, e_out, rng):
    up = rng.normal(size=tuple(t_out.shape)).astype(t_out.detach().cpu().numpy().dtype)
    (t_out * torch.tensor(up)).sum().backward()
    (e_out * ember.tensor(up)).sum().backward()


# ---------------------------------------------------------------------------- embedding_bag
BAG_CASES = [
    # (input shape or 1-D values, offsets, kwargs)
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 3, 3, 5], {"mode": "sum"}),
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 3, 3, 5], {"mode": "mean"}),
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 3, 3, 5], {"mode": "max"}),
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 2, 6, 8], {"mode": "sum", "include_last_offset": True}),
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 3, 6, 8], {"mode": "mean", "include_last_offset": True}),
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 2, 5, 8], {"mode": "max", "include_last_offset": True}),
    ([1, 2, 4, 2, 2, 3, 2, 9], [0, 3, 5], {"mode": "mean", "padding_idx": 2}),
    ([1, 2, 4, 2, 2, 3, 2, 9], [0, 3, 4], {"mode": "max", "padding_idx": 2}),
    ([1, 2, 4, 2, 2, 3, 2, 9], [0, 3, 5], {"mode": "sum", "padding_idx": 2}),
    ((3, 4), None, {"mode": "sum"}),
    ((3, 4), None, {"mode": "mean"}),
    ((3, 4), None, {"mode": "max"}),
    ((2, 5), None, {"mode": "mean", "padding_idx": 0}),
]


def _bag_input(spec, rng):
    if isinstance(spec, tuple):
        return rng.integers(0, 10, size=spec).astype(np.int64)
    return np.array(spec, dtype=np.int64)


@pytest.mark.parametrize("dtype,tol", DTYPES)
@pytest.mark.parametrize("case", range(len(BAG_CASES)))
def test_embedding_bag_matches_torch(case, dtype, tol):
    spec, offsets, kw = BAG_CASES[case]
    rng = np.random.default_rng(case)
    idx = _bag_input(spec, rng)
    tw, ew = _pair(rng.normal(size=(10, 3)).astype(dtype))
    t_off = None if offsets is None else torch.tensor(offsets)
    e_off = None if offsets is None else ember.tensor(offsets)
    t_out = TF.embedding_bag(torch.tensor(idx), tw, t_off, **kw)
    e_out = EF.embedding_bag(ember.tensor(idx), ew, e_off, **kw)
    _close(t_out, e_out, tol)
    _backward(t_out, e_out, rng)
    _close(tw.grad, ew.grad, tol)


@pytest.mark.parametrize("dtype,tol", DTYPES)
@pytest.mark.parametrize("two_d", [False, True])
def test_embedding_bag_per_sample_weights(dtype, tol, two_d):
    rng = np.random.default_rng(3)
    idx = rng.integers(0, 6, size=(2, 4) if two_d else (7,)).astype(np.int64)
    offsets = None if two_d else [0, 2, 2]
    tw, ew = _pair(rng.normal(size=(6, 4)).astype(dtype))
    tp, ep = _pair(rng.normal(size=idx.shape).astype(dtype))
    t_off = None if two_d else torch.tensor(offsets)
    e_off = None if two_d else ember.tensor(offsets)
    t_out = TF.embedding_bag(torch.tensor(idx), tw, t_off, mode="sum", per_sample_weights=tp,
                             padding_idx=1)
    e_out = EF.embedding_bag(ember.tensor(idx), ew, e_off, mode="sum", per_sample_weights=ep,
                             padding_idx=1)
    _close(t_out, e_out, tol)
    _backward(t_out, e_out, rng)
    _close(tw.grad, ew.grad, tol)
    _close(tp.grad, ep.grad, tol)


def test_embedding_bag_module_and_from_pretrained():
    rng = np.random.default_rng(5)
    w = rng.normal(size=(7, 3)).astype(np.float32)
    tm = torch.nn.EmbeddingBag(7, 3, mode="max", padding_idx=-1)
    em = ember.nn.EmbeddingBag(7, 3, mode="max", padding_idx=-1)
    assert repr(em) == repr(tm)
    assert em.padding_idx == tm.padding_idx
    with torch.no_grad():
        tm.weight.copy_(torch.tensor(w))
    with ember.no_grad():
        em.weight.copy_(ember.tensor(w))
    idx = [0, 6, 3, 1, 6, 2]
    t_out = tm(torch.tensor(idx), torch.tensor([0, 2, 5]))
    e_out = em(ember.tensor(idx), ember.tensor([0, 2, 5]))
    _close(t_out, e_out, 1e-6)
    tp = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(w), mode="sum")
    ep = ember.nn.EmbeddingBag.from_pretrained(ember.tensor(w), mode="sum")
    assert ep.weight.requires_grad == tp.weight.requires_grad
    assert repr(ep) == repr(tp)
    _close(tp(torch.tensor([[1, 2], [3, 3]])), ep(ember.tensor([[1, 2], [3, 3]])), 1e-6)


def test_embedding_bag_errors():
    w = ember.randn(5, 2)
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor but got None"):
        EF.embedding_bag(ember.tensor([1, 2]), w)
    with pytest.raises(ValueError, match="if input is 2D, then offsets has to be None"):
        EF.embedding_bag(ember.tensor([[1, 2]]), w, ember.tensor([0]))
    with pytest.raises(NotImplementedError, match="per_sample_weights is only supported"):
        EF.embedding_bag(ember.tensor([[1, 2]]), w, per_sample_weights=ember.ones(1, 2))
    # the same calls raise the same on torch
    tw = torch.randn(5, 2)
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor but got None"):
        TF.embedding_bag(torch.tensor([1, 2]), tw)
    with pytest.raises(NotImplementedError, match="per_sample_weights is only supported"):
        TF.embedding_bag(torch.tensor([[1, 2]]), tw, per_sample_weights=torch.ones(1, 2))


def test_embedding_grad_fn_name():
    w = ember.randn(5, 3, requires_grad=True)
    out = EF.embedding(ember.tensor([[1, 2], [0, 4]]), w)
    t_out = TF.embedding(torch.tensor([[1, 2], [0, 4]]), torch.randn(5, 3, requires_grad=True))
    assert type(out.grad_fn).__name__ == type(t_out.grad_fn).__name__ == "EmbeddingBackward0"
    bag = EF.embedding_bag(ember.tensor([[1, 2]]), w, mode="max")
    t_bag = TF.embedding_bag(torch.tensor([[1, 2]]), torch.randn(5, 3, requires_grad=True))
    assert type(bag.grad_fn).__name__ == type(t_bag.grad_fn).__name__ == "EmbeddingBagBackward0"
    assert tuple(out.shape) == (2, 2, 3)


# ---------------------------------------------------------------------------- sampling
@pytest.mark.parametrize("dtype,tol", DTYPES)
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(2, 3, 4, 5), (2, 1, 1, 3), (2, 2, 3, 4, 2)])
def test_affine_grid_matches_torch(size, align_corners, dtype, tol):
    rng = np.random.default_rng(len(size))
    k = len(size) - 2
    tt, et = _pair(rng.normal(size=(2, k, k + 1)).astype(dtype))
    with pytest.warns(UserWarning) if align_corners and 1 in size[2:] else _nowarn():
        t_out = TF.affine_grid(tt, size, align_corners=align_corners)
    e_out = EF.affine_grid(et, size, align_corners=align_corners)
    _close(t_out, e_out, tol)
    _backward(t_out, e_out, rng)
    _close(tt.grad, et.grad, tol * 10)


class _nowarn:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("dtype,tol", DTYPES)
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("k", [2, 3])
def test_grid_sample_matches_torch(k, mode, padding_mode, align_corners, dtype, tol):
    rng = np.random.default_rng(k * 7 + len(padding_mode))
    spatial = (4, 5) if k == 2 else (3, 4, 5)
    tx, ex = _pair(rng.normal(size=(2, 3) + spatial).astype(dtype))
    # coordinates beyond [-1, 1] exercise the padding modes
    tg, eg = _pair(rng.uniform(-1.6, 1.6, size=(2,) + (3, 2, 4)[:k] + (k,)).astype(dtype))
    kw = {"mode": mode, "padding_mode": padding_mode, "align_corners": align_corners}
    t_out = TF.grid_sample(tx, tg, **kw)
    e_out = EF.grid_sample(ex, eg, **kw)
    _close(t_out, e_out, tol)
    _backward(t_out, e_out, rng)
    _close(tx.grad, ex.grad, tol)
    if mode == "bilinear":
        _close(tg.grad, eg.grad, tol * 100)


def test_affine_grid_then_grid_sample_identity():
    # the identity transform with align_corners=False reproduces the input exactly
    x = np.random.default_rng(0).normal(size=(1, 2, 5, 6))
    theta = ember.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]], dtype=ember.float64)
    grid = EF.affine_grid(theta, (1, 2, 5, 6), align_corners=False)
    out = EF.grid_sample(ember.tensor(x), grid, align_corners=False)
    np.testing.assert_allclose(out.cpu().numpy(), x, atol=1e-12)


def test_grid_sample_errors():
    x = ember.randn(1, 1, 3, 3)
    with pytest.raises(ValueError, match="expected padding_mode to be 'zeros', 'border', or"):
        EF.grid_sample(x, ember.zeros(1, 2, 2, 2), padding_mode="wrap", align_corners=False)
    with pytest.raises(ValueError, match="expected padding_mode to be 'zeros', 'border', or"):
        TF.grid_sample(torch.randn(1, 1, 3, 3), torch.zeros(1, 2, 2, 2), padding_mode="wrap",
                       align_corners=False)
    with pytest.raises(RuntimeError, match="expected grid to have size 2 in last dimension"):
        EF.grid_sample(x, ember.zeros(1, 2, 2, 3), align_corners=False)
    with pytest.raises(RuntimeError, match="expected grid to have size 2 in last dimension"):
        TF.grid_sample(torch.randn(1, 1, 3, 3), torch.zeros(1, 2, 2, 3), align_corners=False)
