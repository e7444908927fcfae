"""bfloat16 tensors (through the optional ml_dtypes package) against real torch."""

import io

import os

import numpy as np
import pytest
import torch

import ember

# ember's bfloat16 is CPU-only (CuPy has no bfloat16 dtype)
pytestmark = pytest.mark.skipif(os.environ.get("EMBER_TEST_DEVICE", "cpu") != "cpu",
                                reason="bfloat16 is CPU-only in ember")

pytest.importorskip("ml_dtypes", reason="bfloat16 needs the optional ml_dtypes package")

VALUES = [1.0, 2.5, -3.14159, 1e-3, 123.456, 0.0, -7.25, 1e4]


def _pair(values=VALUES, **kw):
    return (torch.tensor(values, dtype=torch.bfloat16, **kw),
            ember.tensor(values, dtype=ember.bfloat16, **kw))


def _same_bits(e, t):
    # equal as float32 (every bfloat16 is exact there), NaNs in the same places
    assert str(e.dtype) == str(t.dtype)
    np.testing.assert_array_equal(e.detach().float().cpu().numpy(), t.detach().float().cpu().numpy())


def test_dtype_object_and_attributes():
    assert ember.bfloat16 is ember.bfloat16
    assert repr(ember.bfloat16) == repr(torch.bfloat16)
    assert ember.bfloat16.is_floating_point == torch.bfloat16.is_floating_point
    assert ember.bfloat16.itemsize == torch.bfloat16.itemsize == 2
    t, e = _pair()
    assert e.element_size() == t.element_size()
    assert e.is_floating_point() and e.dtype == ember.bfloat16


def test_finfo_matches_torch():
    a = torch.finfo(torch.bfloat16)
    b = ember.finfo(ember.bfloat16)
    for name in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
        assert getattr(b, name) == getattr(a, name), name
    assert b.dtype == a.dtype == "bfloat16"


@pytest.mark.parametrize("factory", ["zeros", "ones", "empty", "rand", "randn"])
def test_creation_with_dtype(factory):
    e = getattr(ember, factory)(2, 3, dtype=ember.bfloat16)
    t = getattr(torch, factory)(2, 3, dtype=torch.bfloat16)
    assert str(e.dtype) == str(t.dtype) and tuple(e.shape) == tuple(t.shape)


def test_full_arange_and_casts():
    _same_bits(ember.full((3,), 1.7, dtype=ember.bfloat16), torch.full((3,), 1.7, dtype=torch.bfloat16))
    _same_bits(ember.arange(7, dtype=ember.bfloat16), torch.arange(7, dtype=torch.bfloat16))
    x = np.random.default_rng(0).standard_normal(50).astype(np.float32) * 100
    tx = torch.from_numpy(x)
    ex = ember.from_numpy(x)
    _same_bits(ex.bfloat16(), tx.bfloat16())
    _same_bits(ex.to(ember.bfloat16), tx.to(torch.bfloat16))
    assert ex.bfloat16().float().dtype == ember.float32
    _same_bits(ex.double().bfloat16(), tx.double().bfloat16())
    _same_bits(ember.tensor([1, 2, 300]).bfloat16(), torch.tensor([1, 2, 300]).bfloat16())
    assert ex.bfloat16()[0].item() == tx.bfloat16()[0].item()
    assert ex.bfloat16()[:3].tolist() == tx.bfloat16()[:3].tolist()


def test_type_promotion_matches_torch():
    names = ["bfloat16", "float16", "float32", "float64", "int64", "int32", "uint8", "bool"]
    for a in names:
        for b in names:
            assert str(ember.promote_types(getattr(ember, a), getattr(ember, b))) == \
                str(torch.promote_types(getattr(torch, a), getattr(torch, b))), (a, b)
    t, e = _pair()
    others = [
        (lambda m: m.ones(8, dtype=m.float16)),
        (lambda m: m.ones(8, dtype=m.float32)),
        (lambda m: m.ones(8, dtype=m.int64)),
        (lambda m: m.ones(8, dtype=m.bool)),
        (lambda m: m.tensor(2.0)),
        (lambda m: m.tensor(2.0, dtype=m.float64)),
        (lambda m: 1.5),
        (lambda m: 3),
    ]
    for make in others:
        assert str((e + make(ember)).dtype) == str((t + make(torch)).dtype)
    # a 0-d bfloat16 tensor with an int tensor that has dimensions
    assert str((ember.tensor([1, 2]) * ember.tensor(1.5, dtype=ember.bfloat16)).dtype) == \
        str((torch.tensor([1, 2]) * torch.tensor(1.5, dtype=torch.bfloat16)).dtype)


def test_printing_matches_torch():
    cases = [
        [1.0, 2.5],
        VALUES,
        [1e10, 1e-10],
        [100000.0, 2.0],
        [0.1, 0.2, 0.3],
        [float("inf"), float("nan"), -1.0],
    ]
    for values in cases:
        t, e = _pair(values)
        assert repr(e) == repr(t)
    t, e = _pair([1.0, 2.0], requires_grad=True)
    assert repr(e) == repr(t)
    assert repr(ember.tensor(3.5, dtype=ember.bfloat16)) == repr(torch.tensor(3.5, dtype=torch.bfloat16))


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "tanh", "relu", "sigmoid", "neg", "abs"])
def test_unary_bitwise(name):
    x = np.random.default_rng(1).uniform(0.01, 5, 200).astype(np.float32)
    t = torch.from_numpy(x).bfloat16()
    e = ember.from_numpy(x).bfloat16()
    _same_bits(getattr(ember, name)(e), getattr(torch, name)(t))


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
def test_binary_bitwise(op):
    rng = np.random.default_rng(2)
    x = rng.standard_normal(300).astype(np.float32) * 10
    y = rng.standard_normal(300).astype(np.float32) * 10
    tx, ty = torch.from_numpy(x).bfloat16(), torch.from_numpy(y).bfloat16()
    ex, ey = ember.from_numpy(x).bfloat16(), ember.from_numpy(y).bfloat16()
    _same_bits(getattr(ember, op)(ex, ey), getattr(torch, op)(tx, ty))
    for s in (3.7, 0.1, 3, -1e-3):
        _same_bits(getattr(ember, op)(ex, s), getattr(torch, op)(tx, s))
    assert str(getattr(ember, op)(ex, 2.5).dtype) == "torch.bfloat16"


def test_reductions_and_matmul_accumulate_in_float32():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((16, 64)).astype(np.float32)
    w = rng.standard_normal((8, 64)).astype(np.float32)
    tx, tw = torch.from_numpy(x).bfloat16(), torch.from_numpy(w).bfloat16()
    ex, ew = ember.from_numpy(x).bfloat16(), ember.from_numpy(w).bfloat16()
    pairs = [
        (ex.sum(), tx.sum()),
        (ex.sum(1), tx.sum(1)),
        (ex.mean(0), tx.mean(0)),
        (ex @ ew.T, tx @ tw.T),
        (ember.nn.functional.linear(ex, ew), torch.nn.functional.linear(tx, tw)),
        (ember.softmax(ex, -1), torch.softmax(tx, -1)),
        (ember.nn.functional.layer_norm(ex, (64,)), torch.nn.functional.layer_norm(tx, (64,))),
    ]
    for e, t in pairs:
        assert str(e.dtype) == str(t.dtype) == "torch.bfloat16"
        # one bfloat16 ulp: both accumulate in float32, in different orders
        np.testing.assert_allclose(e.float().cpu().numpy(), t.float().cpu().numpy(), rtol=2**-7, atol=1e-2)


def test_autograd_through_bfloat16():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4, 8)).astype(np.float32)
    w = rng.standard_normal((3, 8)).astype(np.float32)
    grads = []
    for m in (torch, ember):
        a = m.from_numpy(x).bfloat16().requires_grad_()
        b = m.from_numpy(w).bfloat16().requires_grad_()
        y = m.tanh(m.nn.functional.linear(a, b)) * 2.0
        y.sum().backward()
        assert str(a.grad.dtype) == str(b.grad.dtype) == "torch.bfloat16"
        grads.append((a.grad.float().cpu().numpy(), b.grad.float().cpu().numpy()))
    for g_t, g_e in zip(grads[0], grads[1]):
        np.testing.assert_allclose(g_e, g_t, rtol=2**-6, atol=3e-2)


def test_module_to_bfloat16():
    lin = ember.nn.Linear(4, 2)
    assert lin.bfloat16().weight.dtype == ember.bfloat16
    lin2 = ember.nn.Linear(4, 2).to(ember.bfloat16)
    assert lin2.bias.dtype == ember.bfloat16
    out = lin2(ember.randn(3, 4, dtype=ember.bfloat16))
    assert out.dtype == ember.bfloat16
    assert lin2.float().weight.dtype == ember.float32


def test_autocast_cpu_defaults_to_bfloat16_and_casts():
    def run(m):
        a = m.ones(2, 4)
        w = m.ones(3, 4)
        with m.autocast("cpu"):
            seen = [str(m.get_autocast_dtype("cpu")), str((a @ w.T).dtype),
                    str(m.nn.functional.linear(a, w).dtype), str((a + a).dtype),
                    str(m.mm(a, w.T).dtype)]
        with m.autocast("cpu", dtype=m.bfloat16):
            seen.append(str(m.matmul(a, w.T).dtype))
        return seen

    assert run(ember) == run(torch)


def test_numpy_refused_like_torch():
    t, e = _pair()
    with pytest.raises(TypeError) as te:
        t.cpu().numpy()
    with pytest.raises(TypeError) as ee:
        e.cpu().numpy()
    assert str(ee.value) == str(te.value)


def test_save_load_interoperates_with_torch():
    t = torch.tensor([1.0, 2.5, -3.140625, 1e20, 1e-20], dtype=torch.bfloat16)
    buf = io.BytesIO()
    torch.save({"w": t}, buf)
    buf.seek(0)
    e = ember.load(buf)["w"]
    _same_bits(e, t)
    buf = io.BytesIO()
    ember.save({"w": e}, buf)
    buf.seek(0)
    back = torch.load(buf, weights_only=True)["w"]
    assert back.dtype == torch.bfloat16 and torch.equal(back, t)
