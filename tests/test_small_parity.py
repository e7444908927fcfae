"""Small behaviours found by the differential fuzzer (tests/test_fuzz_parity.py), each run on
torch and on ember."""

import warnings

import numpy as np
import pytest
import torch

import ember


@pytest.mark.parametrize("shape", [(0,), (1, 0, 1), (2, 0, 3), (0, 3), (3, 0), (0, 0, 2)])
def test_strides_of_empty_tensors(shape):
    assert ember.zeros(shape).stride() == torch.zeros(shape).stride()
    assert ember.empty(shape).stride(-1) == torch.empty(shape).stride(-1)


@pytest.mark.parametrize("name", ["mT", "mH"])
def test_matrix_transposes_of_0d_tensors_are_the_identity_with_a_warning(name):
    for m in (torch, ember):
        x = m.tensor(5.0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = getattr(x, name)
        assert y.item() == 5.0
        assert any("deprecated on 0-D tensors" in str(w.message) for w in caught)


@pytest.mark.parametrize("name", ["mT", "mH"])
def test_matrix_transposes_of_1d_tensors_name_the_property(name):
    msgs = []
    for m in (torch, ember):
        with pytest.raises(RuntimeError) as err:
            getattr(m.tensor([1.0, 2.0]), name)
        msgs.append(str(err.value))
    assert msgs[0] == msgs[1]


def test_unary_plus():
    x = ember.ones(2)
    assert (+x) is x
    msgs = []
    for m in (torch, ember):
        with pytest.raises(RuntimeError) as err:
            +m.tensor([True])
        msgs.append(str(err.value))
    assert msgs[0] == msgs[1]


_OUT_CALLS = {
    "sum": lambda m, x, o: m.sum(x, 1, out=o),
    "nansum": lambda m, x, o: m.nansum(x, 1, out=o),
    "mean": lambda m, x, o: m.mean(x, 1, out=o),
    "nanmean": lambda m, x, o: m.nanmean(x, 1, out=o),
    "prod": lambda m, x, o: m.prod(x, 1, out=o),
    "var": lambda m, x, o: m.var(x, 1, out=o),
    "std": lambda m, x, o: m.std(x, 1, out=o),
    "diff": lambda m, x, o: m.diff(x, out=o),
}


@pytest.mark.parametrize("name", sorted(_OUT_CALLS))
def test_reductions_write_into_out(name):
    results = []
    for m in (torch, ember):
        x = m.arange(12.0).reshape(3, 4)
        o = m.empty(0)
        r = _OUT_CALLS[name](m, x, o)
        # the result is `out` itself, resized
        assert r is o
        results.append(o.tolist())
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6)


def test_aminmax_out():
    got = []
    for m in (torch, ember):
        x = m.tensor([[3.0, 1.0], [0.0, 5.0]])
        lo, hi = m.empty(2), m.empty(2)
        r = m.aminmax(x, dim=1, out=(lo, hi))
        assert r[0] is lo and r[1] is hi
        got.append((lo.tolist(), hi.tolist()))
    assert got[0] == got[1]


def test_arange_takes_the_dtype_of_out():
    for m in (torch, ember):
        o = m.empty(0)
        m.arange(3, out=o)
        assert o.dtype == m.float32
        assert o.tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_gradient_of_a_transposed_input(smoothing, reduction):
    # CLIP's loss: cross_entropy(logits.t(), labels); the input is F-ordered
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 5)).astype(np.float32)
    grads = []
    for m in (torch, ember):
        xt = m.tensor(x, requires_grad=True)
        loss = m.nn.functional.cross_entropy(xt.t(), m.arange(5) % 4, reduction=reduction,
                                             label_smoothing=smoothing)
        loss.sum().backward()
        grads.append(xt.grad.cpu().numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("n", [1, 2, 5, 8, 16])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_of_up_to_16_elements_orders_ties_as_torch(n, descending):
    # torch's CPU sort of <= 16 elements keeps ties in order (an insertion sort); NumPy's SIMD
    # sort does not, so ember sorts such rows with the stable kind
    rng = np.random.default_rng(n)
    for _ in range(50):
        a = rng.integers(0, 3, (3, n)).astype(np.float32)
        for dim in (0, 1):
            t = torch.sort(torch.from_numpy(a), dim=dim, descending=descending).indices
            e = ember.sort(ember.from_numpy(a), dim=dim, descending=descending).indices
            np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
            t = torch.argsort(torch.from_numpy(a), dim=dim, descending=descending)
            e = ember.argsort(ember.from_numpy(a), dim=dim, descending=descending)
            np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())


@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("align_corners", [False, True])
def test_bilinear_interpolate_of_uint8_images(antialias, align_corners):
    # torch resamples uint8 images with a fixed-point kernel; ember in float32, rounded half up
    # per pass: at most one unit apart (ember returned zeros for uint8 before)
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (2, 3, 5, 7)).astype(np.uint8)
    kw = dict(size=(9, 4), mode="bilinear", align_corners=align_corners, antialias=antialias)
    t = torch.nn.functional.interpolate(torch.tensor(a), **kw)
    e = ember.nn.functional.interpolate(ember.tensor(a), **kw)
    assert str(e.dtype) == str(t.dtype) and tuple(e.shape) == tuple(t.shape)
    diff = np.abs(e.numpy().astype(int) - t.numpy().astype(int))
    assert diff.max() <= 1 and diff.mean() < 0.5


@pytest.mark.parametrize("padding_mode", ["border", "reflection", "zeros"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_spatial_transformer_gradient_at_the_border(padding_mode, align_corners):
    # an identity affine grid puts sample points exactly on the image's edges, where torch's
    # clipping passes no gradient (clamp's own rule passes it: the theta gradient was wrong)
    out = []
    for m in (torch, ember):
        m.manual_seed(0)
        x = m.randn(2, 3, 6, 5)
        theta = m.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]] * 2, requires_grad=True)
        grid = m.nn.functional.affine_grid(theta, (2, 3, 6, 5), align_corners=align_corners)
        y = m.nn.functional.grid_sample(x, grid, padding_mode=padding_mode,
                                        align_corners=align_corners)
        (y * y).sum().backward()
        out.append((y.detach().numpy(), theta.grad.numpy()))
    np.testing.assert_allclose(out[1][0], out[0][0], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out[1][1], out[0][1], rtol=1e-5, atol=1e-3)
