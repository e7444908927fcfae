"""Tensor-level semantics against torch 2.13: attributes, conversions, Python protocols,
`torch.Size`, `new_*`, `.data` / `.detach()` and the error messages of each."""

import re

import numpy as np
import pytest
import torch

import ember

DTYPES = [
    "bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
    "complex64", "complex128",
]


def _both(data, dtype=None, requires_grad=False):
    kw_t = {} if dtype is None else {"dtype": getattr(torch, dtype)}
    kw_e = {} if dtype is None else {"dtype": getattr(ember, dtype)}
    t = torch.tensor(data, requires_grad=requires_grad, **kw_t)
    e = ember.tensor(data, requires_grad=requires_grad, **kw_e)
    return e, t


def _raises_like(fn_e, fn_t):
    """Both raise the same exception type with the same message."""
    with pytest.raises(Exception) as info_t:
        fn_t()
    with pytest.raises(type(info_t.value), match=re.escape(str(info_t.value))):
        fn_e()


def _same(e, t):
    assert isinstance(e, ember.Tensor)
    assert repr(e.dtype) == repr(t.dtype)
    assert tuple(e.shape) == tuple(t.shape)
    assert e.tolist() == t.tolist()


# ---------------------------------------------------------------------------- attributes
SHAPES = [(), (0,), (3,), (2, 3), (2, 0, 4), (1, 3, 1, 2)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_shape_size_dim_numel(shape):
    e = ember.zeros(shape)
    t = torch.zeros(shape)
    assert e.shape == t.shape and isinstance(e.shape, ember.Size)
    assert e.size() == t.size() and isinstance(e.size(), tuple)
    assert e.dim() == t.dim() == e.ndim == e.ndimension()
    assert e.numel() == t.numel() == e.nelement() == ember.numel(e)
    for d in range(-len(shape), len(shape)):
        assert e.size(d) == t.size(d)
        assert e.shape[d] == t.shape[d]


def test_size_dim_errors():
    e = ember.zeros(2, 3)
    t = torch.zeros(2, 3)
    _raises_like(lambda: e.size(2), lambda: t.size(2))
    _raises_like(lambda: e.size(-3), lambda: t.size(-3))
    _raises_like(lambda: ember.tensor(1.0).size(0), lambda: torch.tensor(1.0).size(0))
    _raises_like(lambda: ember.tensor(1.0).stride(0), lambda: torch.tensor(1.0).stride(0))
    _raises_like(lambda: e.stride(5), lambda: t.stride(5))


@pytest.mark.parametrize("name", DTYPES)
def test_dtype_device_element_size(name):
    e = ember.zeros(2, 3, dtype=getattr(ember, name))
    t = torch.zeros(2, 3, dtype=getattr(torch, name))
    assert repr(e.dtype) == repr(t.dtype)
    assert e.dtype is getattr(ember, name)
    assert e.element_size() == t.element_size()
    assert e.itemsize == t.itemsize
    assert e.nbytes == t.nbytes
    assert e.is_floating_point() == t.is_floating_point()
    assert e.is_complex() == t.is_complex()
    assert ember.is_floating_point(e) == torch.is_floating_point(t)
    assert e.dtype.is_floating_point == t.dtype.is_floating_point
    assert e.dtype.is_complex == t.dtype.is_complex
    assert e.dtype.is_signed == t.dtype.is_signed
    assert e.dtype.itemsize == t.dtype.itemsize
    assert str(e.device) == str(t.device) == "cpu"
    assert e.is_cuda is False and e.is_cpu is True


def test_transposes():
    a = np.arange(6.0).reshape(2, 3)
    e, t = _both(a)
    _same(e.T, t.T)
    _same(e.mT, t.mT)
    _same(e.t(), t.t())
    b = np.arange(24.0).reshape(2, 3, 4)
    e3, t3 = _both(b)
    _same(e3.mT, t3.mT)
    e1, t1 = _both([1.0, 2.0])
    _same(e1.T, t1.T)
    _same(e1.t(), t1.t())


def test_is_leaf():
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    assert e.is_leaf == t.is_leaf is True
    assert (e * 2).is_leaf == (t * 2).is_leaf is False
    assert ember.ones(2).is_leaf == torch.ones(2).is_leaf is True
    assert (ember.ones(2) * 2).is_leaf == (torch.ones(2) * 2).is_leaf is True
    assert e.detach().is_leaf == t.detach().is_leaf is True
    with ember.no_grad():
        assert (e * 2).is_leaf is True
    assert (e * 2).grad_fn is not None and e.grad_fn is None


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.zeros(2, 3),
        lambda m: m.zeros(2, 3).t(),
        lambda m: m.zeros(2, 3, 4).permute(2, 0, 1),
        lambda m: m.zeros(3).expand(2, 3),
        lambda m: m.zeros(2, 1, 3),
        lambda m: m.zeros(4, 1).expand(4, 5),
        lambda m: m.zeros(2, 3, dtype=m.float64).transpose(0, 1).unsqueeze(0),
        lambda m: m.zeros(()),
    ],
    ids=["contig", "t", "permute", "expand", "unit_dim", "expand_col", "unsqueeze", "0d"],
)
def test_stride_and_contiguity(make):
    e = make(ember)
    t = make(torch)
    assert e.stride() == t.stride()
    for d in range(e.dim()):
        assert e.stride(d) == t.stride(d)
    assert e.is_contiguous() == t.is_contiguous()
    c = e.contiguous()
    assert c.is_contiguous() and c.tolist() == e.tolist()


def test_storage_offset_of_views():
    e = ember.arange(12).reshape(3, 4)
    t = torch.arange(12).reshape(3, 4)
    assert e.storage_offset() == t.storage_offset() == 0
    assert e.t().storage_offset() == t.t().storage_offset()


# ---------------------------------------------------------------------------- conversions
@pytest.mark.parametrize("src", DTYPES)
@pytest.mark.parametrize("dst", DTYPES)
def test_to_dtype_values(src, dst):
    data = [[0, 1, 2], [3, 1, 0]] if src != "bool" else [[True, False, True], [False, True, True]]
    e, t = _both(data, src)
    _same(e.to(getattr(ember, dst)), t.to(getattr(torch, dst)))


def test_to_signatures():
    e, t = _both([1.5, -2.5])
    _same(e.to(ember.int32), t.to(torch.int32))
    _same(e.to(dtype=ember.float64), t.to(dtype=torch.float64))
    _same(e.to("cpu", ember.float16), t.to("cpu", torch.float16))
    _same(e.to(device="cpu", dtype=ember.int64), t.to(device="cpu", dtype=torch.int64))
    _same(e.to(ember.device("cpu")), t.to(torch.device("cpu")))
    other_e = ember.tensor([1], dtype=ember.int16)
    other_t = torch.tensor([1], dtype=torch.int16)
    _same(e.to(other_e), t.to(other_t))
    _same(e.to(ember.int32, False, True), t.to(torch.int32, False, True))
    # no change returns the tensor itself; copy=True forces a new one
    assert e.to(ember.float32) is e and t.to(torch.float32) is t
    assert e.to("cpu") is e
    assert e.to(ember.float32, copy=True) is not e
    c = e.to(ember.float32, False, True)
    assert c is not e and not np.shares_memory(c.cpu().numpy(), e.cpu().numpy())
    assert e.cpu() is e


def test_to_keeps_autograd():
    e, t = _both([1.0, 2.0], requires_grad=True)
    e2 = e.to(ember.float64)
    t2 = t.to(torch.float64)
    assert e2.requires_grad and e2.grad_fn is not None
    assert repr(e2) == repr(t2)
    e2.sum().backward()
    t2.sum().backward()
    assert e.grad.tolist() == t.grad.tolist()
    assert repr(e.grad.dtype) == repr(t.grad.dtype)


@pytest.mark.parametrize(
    "method", ["float", "double", "half", "long", "int", "short", "char", "byte", "bool"]
)
def test_cast_methods(method):
    e, t = _both([[1.7, -1.2, 0.0], [2.5, 3.0, -0.5]])
    if method in ("byte",):
        e, t = _both([[1.7, 1.2, 0.0], [2.5, 3.0, 0.5]])
    _same(getattr(e, method)(), getattr(t, method)())


def test_complex_casts():
    e, t = _both([1.5, -2.0])
    _same(e.cfloat(), t.cfloat())
    _same(e.cdouble(), t.cdouble())


@pytest.mark.parametrize("name", DTYPES)
def test_type_names(name):
    e = ember.zeros(2, dtype=getattr(ember, name))
    t = torch.zeros(2, dtype=getattr(torch, name))
    assert e.type() == t.type()


def test_type_conversions():
    e, t = _both([1.5, 2.5])
    for spec in ["torch.IntTensor", "torch.DoubleTensor", "torch.LongTensor", "torch.BoolTensor",
                 "torch.HalfTensor", "torch.ByteTensor", "torch.FloatTensor"]:
        _same(e.type(spec), t.type(spec))
    _same(e.type(ember.int16), t.type(torch.int16))
    _same(e.type_as(ember.tensor([1])), t.type_as(torch.tensor([1])))


def test_clone():
    e, t = _both([1.0, 2.0], requires_grad=True)
    c_e = e.clone()
    c_t = t.clone()
    assert repr(c_e) == repr(c_t)
    assert not np.shares_memory(c_e.detach().cpu().numpy(), e.detach().cpu().numpy())
    e2 = ember.tensor([1, 2])
    c2 = e2.clone()
    c2.add_(1)
    assert e2.tolist() == [1, 2]
    assert ember.clone(e2).tolist() == [1, 2]


@pytest.mark.parametrize(
    "data,dtype",
    [([[2.5]], None), (3, None), (True, None), (1 + 2j, None), ([7], "int8"), (2.5, "float16"),
     (1.1, "float32"), (1.1, "float64"), ([[[0]]], "uint8")],
)
def test_item(data, dtype):
    e, t = _both(data, dtype)
    assert e.item() == t.item()
    assert type(e.item()) is type(t.item())


def test_item_errors():
    _raises_like(lambda: ember.tensor([1.0, 2.0]).item(), lambda: torch.tensor([1.0, 2.0]).item())
    _raises_like(lambda: ember.tensor([]).item(), lambda: torch.tensor([]).item())


@pytest.mark.parametrize("name", DTYPES)
def test_tolist(name):
    a = (np.arange(12).reshape(2, 3, 2) % 4).astype(name)
    e = ember.from_numpy(a)
    t = torch.from_numpy(a)
    assert e.tolist() == t.tolist()
    assert [type(x) for x in e.reshape(-1).tolist()] == [type(x) for x in t.reshape(-1).tolist()]
    e0 = ember.from_numpy(a[0, 0, 0:1].reshape(()).copy())
    t0 = torch.from_numpy(a[0, 0, 0:1].reshape(()).copy())
    assert e0.tolist() == t0.tolist() and type(e0.tolist()) is type(t0.tolist())


# ---------------------------------------------------------------------------- requires_grad
@pytest.mark.parametrize("name", ["int64", "int32", "bool", "uint8"])
def test_requires_grad_on_integer_errors(name):
    dt_e = getattr(ember, name)
    dt_t = getattr(torch, name)
    _raises_like(lambda: ember.tensor([1, 2], dtype=dt_e, requires_grad=True),
                 lambda: torch.tensor([1, 2], dtype=dt_t, requires_grad=True))
    _raises_like(lambda: ember.zeros(2, dtype=dt_e, requires_grad=True),
                 lambda: torch.zeros(2, dtype=dt_t, requires_grad=True))
    _raises_like(lambda: ember.ones(2, dtype=dt_e).requires_grad_(),
                 lambda: torch.ones(2, dtype=dt_t).requires_grad_())

    def set_attr(m, dt):
        x = m.ones(2, dtype=dt)
        x.requires_grad = True

    _raises_like(lambda: set_attr(ember, dt_e), lambda: set_attr(torch, dt_t))


def test_requires_grad_flags():
    e = ember.tensor([1.0])
    assert e.requires_grad is False
    e.requires_grad_()
    assert e.requires_grad is True
    e.requires_grad = False
    assert e.requires_grad is False
    assert ember.tensor([1 + 1j], requires_grad=True).requires_grad
    y = ember.tensor([1.0], requires_grad=True) * 2
    yt = torch.tensor([1.0], requires_grad=True) * 2
    _raises_like(lambda: y.requires_grad_(False), lambda: yt.requires_grad_(False))


def test_numpy_on_requires_grad_error():
    _raises_like(lambda: ember.tensor([1.0], requires_grad=True).cpu().numpy(),
                 lambda: torch.tensor([1.0], requires_grad=True).cpu().numpy())


# ---------------------------------------------------------------------------- Python protocols
def test_len():
    e, t = _both([[1, 2, 3], [4, 5, 6]])
    assert len(e) == len(t) == 2
    assert len(ember.zeros(0, 3)) == len(torch.zeros(0, 3)) == 0
    _raises_like(lambda: len(ember.tensor(1.0)), lambda: len(torch.tensor(1.0)))


def test_iteration():
    e, t = _both([[1, 2, 3], [4, 5, 6]])
    rows_e = list(e)
    rows_t = list(t)
    assert len(rows_e) == len(rows_t)
    for r_e, r_t in zip(rows_e, rows_t):
        _same(r_e, r_t)
    assert [x.item() for x in ember.tensor([3, 4])] == [3, 4]
    a, b = ember.tensor([1.0, 2.0])
    assert a.item() == 1.0 and b.item() == 2.0


def test_iteration_backward():
    g = ember.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    gt = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (list(g * 2)[1] * ember.tensor([1.0, 5.0])).sum().backward()
    (list(gt * 2)[1] * torch.tensor([1.0, 5.0])).sum().backward()
    assert g.grad.tolist() == gt.grad.tolist()


def test_iteration_grad_fn_name():
    # torch's iteration is unbind(0), so its elements print grad_fn=<UnbindBackward0>
    g = ember.tensor([1.0, 2.0], requires_grad=True)
    gt = torch.tensor([1.0, 2.0], requires_grad=True)
    assert repr(list(g)) == repr(list(gt))


def test_iteration_over_0d_errors():
    _raises_like(lambda: iter(ember.tensor(1.0)), lambda: iter(torch.tensor(1.0)))


def test_bool():
    for data in ([1], [[0.0]], 0, 2.5, [True], [False]):
        e, t = _both(data)
        assert bool(e) == bool(t)
    _raises_like(lambda: bool(ember.tensor([1, 2])), lambda: bool(torch.tensor([1, 2])))
    _raises_like(lambda: bool(ember.tensor([])), lambda: bool(torch.tensor([])))
    e = ember.tensor([0, 1])
    t = torch.tensor([0, 1])
    _raises_like(lambda: e if e else None, lambda: t if t else None)


def test_int_float_complex():
    for data in ([2.7], -2.7, [[3]], True, 0):
        e, t = _both(data)
        assert int(e) == int(t)
        assert float(e) == float(t)
        assert complex(e) == complex(t)
    _raises_like(lambda: int(ember.tensor([1, 2])), lambda: int(torch.tensor([1, 2])))
    _raises_like(lambda: float(ember.tensor([])), lambda: float(torch.tensor([])))
    _raises_like(lambda: complex(ember.tensor([1.0, 2.0])), lambda: complex(torch.tensor([1.0, 2.0])))


def test_index_protocol():
    seq = [10, 20, 30, 40]
    assert seq[ember.tensor(1)] == seq[torch.tensor(1)] == 20
    assert seq[ember.tensor([2])] == seq[torch.tensor([2])] == 30
    assert seq[ember.tensor(1, dtype=ember.int8)] == 20
    assert list(range(ember.tensor(3))) == list(range(torch.tensor(3)))
    assert "abcdef"[ember.tensor(1):ember.tensor(3)] == "abcdef"[torch.tensor(1):torch.tensor(3)]
    assert np.arange(5)[ember.tensor(2)] == 2
    _raises_like(lambda: seq[ember.tensor(1.0)], lambda: seq[torch.tensor(1.0)])
    assert seq[ember.tensor(True)] == seq[torch.tensor(True)] == 20
    _raises_like(lambda: seq[ember.tensor([1, 2])], lambda: seq[torch.tensor([1, 2])])


def test_format_and_hash():
    e, t = _both(3.14159)
    assert f"{e:.3f}" == f"{t:.3f}"
    assert f"{e}" == f"{t}"
    assert hash(e) != hash(ember.tensor(3.14159))
    assert len({e, e}) == 1


# ---------------------------------------------------------------------------- torch.Size
def test_size_behaviour():
    for m in (ember, torch):
        s = m.zeros(2, 3, 4).shape
        assert s == (2, 3, 4) and isinstance(s, tuple)
        assert s.numel() == 24 and m.Size([]).numel() == 1
    e = ember.zeros(2, 3, 4).shape
    t = torch.zeros(2, 3, 4).shape
    for f in (
        lambda s: s[1:],
        lambda s: s[::-1],
        lambda s: s + (5,),
        lambda s: (5,) + s,
        lambda s: s * 2,
        lambda s: 2 * s,
        lambda s: s[-1],
        lambda s: list(s),
        lambda s: s.index(3),
        lambda s: s.count(2),
        lambda s: len(s),
        lambda s: str(s),
        lambda s: repr(s),
    ):
        r_e = f(e)
        r_t = f(t)
        assert repr(r_e) == repr(r_t)
        assert (type(r_e).__name__ == "Size") == (type(r_t).__name__ == "Size")


def test_size_constructor():
    assert repr(ember.Size([2, 3])) == repr(torch.Size([2, 3]))
    assert repr(ember.Size()) == repr(torch.Size())
    assert repr(ember.Size((np.int64(2), 3))) == repr(torch.Size((np.int64(2), 3)))
    assert repr(ember.Size([ember.tensor(2), 3])) == repr(torch.Size([torch.tensor(2), 3]))
    assert type(ember.Size([2])[0]) is int
    _raises_like(lambda: ember.Size([2.5]), lambda: torch.Size([2.5]))
    _raises_like(lambda: ember.Size([2, ember.tensor(2.0)]),
                 lambda: torch.Size([2, torch.tensor(2.0)]))
    _raises_like(lambda: ember.Size([2]) + [3], lambda: torch.Size([2]) + [3])


def test_size_used_to_build_tensors():
    s = ember.zeros(2, 3).shape
    assert ember.zeros(s).shape == s
    assert ember.ones(s[1:]).shape == (3,)
    assert ember.zeros(2, 3).reshape(s[::-1]).shape == (3, 2)
    assert ember.zeros(s).view(-1).shape == torch.zeros(2, 3).view(-1).shape


# ---------------------------------------------------------------------------- new_* and data
@pytest.mark.parametrize("name", ["float32", "float64", "int32", "bool"])
def test_new_methods(name):
    e = ember.ones(2, dtype=getattr(ember, name))
    t = torch.ones(2, dtype=getattr(torch, name))
    _same(e.new_zeros(2, 3), t.new_zeros(2, 3))
    _same(e.new_zeros((2, 3)), t.new_zeros((2, 3)))
    _same(e.new_ones([4]), t.new_ones([4]))
    _same(e.new_ones(3, dtype=ember.int64), t.new_ones(3, dtype=torch.int64))
    _same(e.new_full((2,), 3), t.new_full((2,), 3))
    _same(e.new_full([1, 2], 0), t.new_full([1, 2], 0))
    assert e.new_empty(2, 5).shape == t.new_empty(2, 5).shape
    assert repr(e.new_empty((1,)).dtype) == repr(t.new_empty((1,)).dtype)
    _same(e.new_tensor([1, 2]), t.new_tensor([1, 2]))
    _same(e.new_tensor([1.5, 2.5]), t.new_tensor([1.5, 2.5]))
    _same(e.new_zeros(e.shape), t.new_zeros(t.shape))


def test_new_tensor_requires_grad_and_copy():
    e = ember.tensor([1.0])
    src = ember.tensor([5.0, 6.0])
    n = e.new_tensor(src, requires_grad=True)
    assert n.requires_grad and n.is_leaf
    src.add_(1.0)
    assert n.tolist() == [5.0, 6.0]
    assert e.new_zeros(2, requires_grad=True).requires_grad


def test_data_shares_memory():
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    d_e = e.data
    d_t = t.data
    assert d_e.requires_grad == d_t.requires_grad is False
    assert d_e.is_leaf == d_t.is_leaf is True
    d_e.mul_(3.0)
    d_t.mul_(3.0)
    assert e.tolist() == t.tolist() == [3.0, 6.0]
    assert repr(e) == repr(t)


def test_data_setter():
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    e.data = ember.tensor([5.0, 6.0, 7.0], dtype=ember.float64)
    t.data = torch.tensor([5.0, 6.0, 7.0], dtype=torch.float64)
    assert repr(e) == repr(t)


def test_detach_shares_memory():
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    y = e * 2
    d = y.detach()
    assert d.requires_grad is False and d.grad_fn is None and d.is_leaf
    d.add_(1.0)
    assert y.detach().tolist() == [3.0, 5.0]
    x = e.detach()
    x.mul_(0.0)
    assert e.tolist() == [0.0, 0.0]
    assert np.shares_memory(e.detach().cpu().numpy(), x.cpu().numpy())


def test_detach_inplace_bumps_shared_version():
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    d_e = e.detach()
    d_t = t.detach()
    d_e.add_(1.0)
    d_t.add_(1.0)
    assert e._version_number == t._version == 1


def test_detach_breaks_graph():
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    (e * e.detach()).sum().backward()
    (t * t.detach()).sum().backward()
    assert e.grad.tolist() == t.grad.tolist()


# ---------------------------------------------------------------------------- construction
def test_tensor_class_constructor():
    _same(ember.Tensor([1, 2]), torch.Tensor([1, 2]))
    assert ember.Tensor(2, 3).shape == torch.Tensor(2, 3).shape
    assert repr(ember.Tensor(2, 3).dtype) == repr(torch.Tensor(2, 3).dtype)
    assert isinstance(ember.tensor(1), ember.Tensor)
    assert ember.is_tensor(ember.zeros(1)) and not ember.is_tensor(np.zeros(1))


@pytest.mark.parametrize(
    "data",
    [[1, 2], [1.0, 2], [True, False], [1, 2.5j], 3, 2.5, True, [[1, 2], [3, 4]], [],
     [np.float64(1.5)], [np.int32(2)], (1, 2)],
    ids=repr,
)
def test_tensor_dtype_inference(data):
    e, t = _both(data)
    _same(e, t)
