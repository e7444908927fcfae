"""Creation functions against torch 2.13.0: each case runs the same line with `m = torch` and
`m = ember` and compares dtype, shape, values, requires_grad, or the exception type and message."""

import math
import warnings

import numpy as np
import pytest
import torch

import ember


def _np(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return x.detach().cpu().numpy()


CASES = [
    # ------------------------------------------------------------ tensor: dtype inference
    ("tensor_int", lambda m: m.tensor(3)),
    ("tensor_float", lambda m: m.tensor(3.5)),
    ("tensor_bool", lambda m: m.tensor(True)),
    ("tensor_complex", lambda m: m.tensor(1 + 2j)),
    ("tensor_list_int", lambda m: m.tensor([1, 2, 3])),
    ("tensor_list_mixed_int_float", lambda m: m.tensor([1, 2.5])),
    ("tensor_list_bool_int", lambda m: m.tensor([True, 2])),
    ("tensor_list_bools", lambda m: m.tensor([[True, False], [False, True]])),
    ("tensor_list_complex", lambda m: m.tensor([1, 2j])),
    ("tensor_list_float_complex", lambda m: m.tensor([[1.5, 2j], [3, 4]])),
    ("tensor_nested", lambda m: m.tensor([[1, 2], [3, 4], [5, 6]])),
    ("tensor_empty_list", lambda m: m.tensor([])),
    ("tensor_empty_nested", lambda m: m.tensor([[], []])),
    ("tensor_tuple", lambda m: m.tensor(((1, 2), (3, 4)))),
    ("tensor_np_float64_scalar", lambda m: m.tensor(np.float64(2.5))),
    ("tensor_np_float32_scalar", lambda m: m.tensor(np.float32(2.5))),
    ("tensor_np_int32_scalar", lambda m: m.tensor(np.int32(7))),
    ("tensor_np_bool_scalar", lambda m: m.tensor(np.bool_(True))),
    ("tensor_list_np_float64", lambda m: m.tensor([np.float64(1.0), 2.0])),
    ("tensor_list_np_int16", lambda m: m.tensor([np.int16(1), np.int16(2)])),
    ("tensor_list_np_float32_and_int", lambda m: m.tensor([np.float32(1.0), 2])),
    ("tensor_ndarray_f64", lambda m: m.tensor(np.arange(6.0).reshape(2, 3))),
    ("tensor_ndarray_i32", lambda m: m.tensor(np.arange(4, dtype=np.int32))),
    ("tensor_ndarray_bool", lambda m: m.tensor(np.array([True, False]))),
    ("tensor_ndarray_u8", lambda m: m.tensor(np.array([1, 255], dtype=np.uint8))),
    ("tensor_ndarray_noncontig", lambda m: m.tensor(np.arange(12.0).reshape(3, 4)[:, ::2])),
    ("tensor_list_of_0d_tensors", lambda m: m.tensor([m.tensor(1.5), m.tensor(2.5)])),
    ("tensor_list_of_int_tensors", lambda m: m.tensor([m.tensor(1), m.tensor(2)])),
    ("tensor_list_of_f64_tensors", lambda m: m.tensor([m.tensor(1.0, dtype=m.float64), 2])),
    ("tensor_dtype_arg", lambda m: m.tensor([1, 2], dtype=m.float64)),
    ("tensor_dtype_float_to_int", lambda m: m.tensor([1.7, -2.7], dtype=m.int32)),
    ("tensor_dtype_bool", lambda m: m.tensor([0, 2, 0.0], dtype=m.bool)),
    ("tensor_requires_grad", lambda m: m.tensor([1.0, 2.0], requires_grad=True)),
    ("tensor_requires_grad_int", lambda m: m.tensor([1, 2], requires_grad=True)),
    ("tensor_big_int", lambda m: m.tensor([2**40, 1])),
    ("tensor_inf_nan", lambda m: m.tensor([math.inf, -math.inf, math.nan])),
    ("tensor_from_tensor", lambda m: m.tensor(m.arange(3))),
    # ------------------------------------------------------------ tensor: errors
    ("tensor_ragged", lambda m: m.tensor([[1, 2], [3]])),
    ("tensor_ragged_deep", lambda m: m.tensor([[[1, 2], [3, 4]], [[1, 2], [3]]])),
    ("tensor_ragged_scalar_vs_list", lambda m: m.tensor([1, [2]])),
    ("tensor_str", lambda m: m.tensor("abc")),
    ("tensor_list_str", lambda m: m.tensor([1, "a"])),
    ("tensor_none", lambda m: m.tensor(None)),
    ("tensor_multi_elem_tensors", lambda m: m.tensor([m.ones(2), m.ones(2)])),
    # ------------------------------------------------------------ zeros / ones / empty / full
    ("zeros_varargs", lambda m: m.zeros(2, 3)),
    ("zeros_tuple", lambda m: m.zeros((2, 3))),
    ("zeros_list", lambda m: m.zeros([2, 3])),
    ("zeros_size", lambda m: m.zeros(m.Size([2, 3]))),
    ("zeros_shape_of", lambda m: m.zeros(m.ones(4, 1).shape)),
    ("zeros_0d", lambda m: m.zeros(())),
    ("zeros_no_args", lambda m: m.zeros([])),
    ("zeros_empty_dim", lambda m: m.zeros(0, 3)),
    ("zeros_dtype", lambda m: m.zeros(2, dtype=m.int32)),
    ("zeros_python_dtype", lambda m: m.zeros(2, dtype=float)),
    ("zeros_bool", lambda m: m.zeros(2, dtype=m.bool)),
    ("zeros_requires_grad", lambda m: m.zeros(2, 2, requires_grad=True)),
    ("zeros_int_requires_grad", lambda m: m.zeros(2, dtype=m.int64, requires_grad=True)),
    ("zeros_negative", lambda m: m.zeros(2, -1)),
    ("zeros_float_size", lambda m: m.zeros(2.5)),
    ("zeros_np_int", lambda m: m.zeros(np.int64(3))),
    ("ones_varargs", lambda m: m.ones(3, 1)),
    ("ones_dtype", lambda m: m.ones((2,), dtype=m.complex64)),
    ("ones_f16", lambda m: m.ones(2, dtype=m.float16)),
    ("empty_shape", lambda m: m.empty(2, 3).shape),
    ("empty_dtype", lambda m: m.empty((2, 0), dtype=m.int64)),
    ("full_int", lambda m: m.full((2,), 1)),
    ("full_bool", lambda m: m.full((2, 2), True)),
    ("full_float", lambda m: m.full((2,), 1.5)),
    ("full_complex", lambda m: m.full((2,), 1 + 1j)),
    ("full_list_size", lambda m: m.full([2, 3], 7)),
    ("full_size_obj", lambda m: m.full(m.Size([3]), -1)),
    ("full_dtype", lambda m: m.full((2,), 1, dtype=m.float64)),
    ("full_dtype_trunc", lambda m: m.full((2,), 2.7, dtype=m.int32)),
    ("full_0d", lambda m: m.full((), 3.0)),
    ("full_tensor_value", lambda m: m.full((2,), m.tensor(2.5))),
    ("full_requires_grad", lambda m: m.full((2,), 2.0, requires_grad=True)),
    ("full_int_size", lambda m: m.full(3, 1.0)),
    ("full_nan", lambda m: m.full((2,), math.nan)),
    # ------------------------------------------------------------ *_like
    ("zeros_like_int", lambda m: m.zeros_like(m.arange(3))),
    ("zeros_like_dtype", lambda m: m.zeros_like(m.arange(3), dtype=m.float32)),
    ("ones_like_bool", lambda m: m.ones_like(m.tensor([True, False]))),
    ("ones_like_rg", lambda m: m.ones_like(m.ones(2), requires_grad=True)),
    ("full_like_int_trunc", lambda m: m.full_like(m.arange(3), 2.7)),
    ("full_like_float", lambda m: m.full_like(m.ones(2, 2), 2.5)),
    ("full_like_dtype", lambda m: m.full_like(m.ones(2), 3, dtype=m.int16)),
    ("empty_like", lambda m: m.empty_like(m.ones(2, 3, dtype=m.float64)).shape),
    ("empty_like_dtype", lambda m: m.empty_like(m.ones(2), dtype=m.int64).dtype),
    ("zeros_like_noncontig", lambda m: m.zeros_like(m.ones(3, 4).t())),
    # ------------------------------------------------------------ arange / range
    ("arange_end", lambda m: m.arange(5)),
    ("arange_start_end", lambda m: m.arange(1, 5)),
    ("arange_step", lambda m: m.arange(1, 10, 3)),
    ("arange_neg_step", lambda m: m.arange(0, -3, -1)),
    ("arange_float_step", lambda m: m.arange(0, 1, 0.1)),
    ("arange_float_step2", lambda m: m.arange(1, 2.5, 0.5)),
    ("arange_float_end", lambda m: m.arange(0.5)),
    ("arange_float_len", lambda m: m.arange(0, 1, 0.3)),
    ("arange_float_awkward", lambda m: m.arange(-1.0, 1.0, 0.05)),
    ("arange_tiny_step", lambda m: m.arange(0, 0.01, 0.001)),
    ("arange_float_neg", lambda m: m.arange(2.0, -1.0, -0.7)),
    ("arange_dtype", lambda m: m.arange(5, dtype=m.float32)),
    ("arange_dtype_f64", lambda m: m.arange(0, 1, 0.25, dtype=m.float64)),
    ("arange_dtype_int_from_float", lambda m: m.arange(0.0, 5.0, 1.5, dtype=m.int64)),
    ("arange_empty", lambda m: m.arange(3, 3)),
    ("arange_tensor_arg", lambda m: m.arange(m.tensor(4))),
    ("arange_np_arg", lambda m: m.arange(np.int64(4))),
    ("arange_bad_sign", lambda m: m.arange(10, 0)),
    ("arange_zero_step", lambda m: m.arange(0, 10, 0)),
    ("arange_requires_grad", lambda m: m.arange(3.0, requires_grad=True)),
    ("arange_nan", lambda m: m.arange(0, math.nan)),
    ("arange_inf", lambda m: m.arange(0, math.inf)),
    ("range_basic", lambda m: m.range(0, 4)),
    ("range_step", lambda m: m.range(0, 1, 0.25)),
    ("range_int_dtype", lambda m: m.range(1, 4, dtype=m.int64)),
    # ------------------------------------------------------------ linspace / logspace
    ("linspace", lambda m: m.linspace(0, 1, 5)),
    ("linspace_one", lambda m: m.linspace(2, 3, 1)),
    ("linspace_zero", lambda m: m.linspace(2, 3, 0)),
    ("linspace_desc", lambda m: m.linspace(3, -2, 6)),
    ("linspace_f64", lambda m: m.linspace(0, 1, 7, dtype=m.float64)),
    ("linspace_int", lambda m: m.linspace(-1, 10, 5, dtype=m.int64)),
    ("linspace_int_neg", lambda m: m.linspace(10, -3, 4, dtype=m.int32)),
    ("linspace_complex", lambda m: m.linspace(0, 1 + 1j, 3)),
    ("linspace_tensor_args", lambda m: m.linspace(m.tensor(0.0), m.tensor(2.0), 5)),
    ("linspace_negative_steps", lambda m: m.linspace(0, 1, -1)),
    ("logspace", lambda m: m.logspace(0, 2, 3)),
    ("logspace_base2", lambda m: m.logspace(0, 4, 5, base=2)),
    ("logspace_f64", lambda m: m.logspace(-1, 1, 4, dtype=m.float64)),
    ("logspace_int", lambda m: m.logspace(0, 3, 4, dtype=m.int64)),
    # ------------------------------------------------------------ eye / indices / meshgrid
    ("eye", lambda m: m.eye(3)),
    ("eye_rect", lambda m: m.eye(2, 4)),
    ("eye_zero", lambda m: m.eye(0)),
    ("eye_dtype", lambda m: m.eye(3, dtype=m.int64)),
    ("eye_bool", lambda m: m.eye(2, dtype=m.bool)),
    ("eye_negative", lambda m: m.eye(-1)),
    ("eye_negative_m", lambda m: m.eye(2, -1)),
    ("tril_indices", lambda m: m.tril_indices(3, 3)),
    ("tril_indices_offset", lambda m: m.tril_indices(3, 4, 1)),
    ("tril_indices_neg_offset", lambda m: m.tril_indices(4, 3, -2)),
    ("triu_indices", lambda m: m.triu_indices(3, 3)),
    ("triu_indices_offset", lambda m: m.triu_indices(3, 5, -1)),
    ("triu_indices_big_offset", lambda m: m.triu_indices(3, 3, 5)),
    ("tril_indices_empty", lambda m: m.tril_indices(0, 3)),
    ("tril_indices_dtype", lambda m: m.tril_indices(3, 3, dtype=m.int32)),
    ("meshgrid_ij", lambda m: m.meshgrid(m.arange(3), m.arange(2), indexing="ij")),
    ("meshgrid_xy", lambda m: m.meshgrid(m.arange(3), m.arange(2), indexing="xy")),
    ("meshgrid_list", lambda m: m.meshgrid([m.arange(2), m.arange(3.0), m.arange(4)],
                                           indexing="ij")),
    ("meshgrid_xy3", lambda m: m.meshgrid(m.arange(2), m.arange(3), m.arange(4),
                                          indexing="xy")),
    ("meshgrid_0d", lambda m: m.meshgrid(m.tensor(1), m.arange(2), indexing="ij")),
    ("meshgrid_bad_indexing", lambda m: m.meshgrid(m.arange(2), indexing="xx")),
    ("cartesian_prod", lambda m: m.cartesian_prod(m.arange(2), m.arange(3))),
    ("cartesian_prod_one", lambda m: m.cartesian_prod(m.arange(3))),
    ("complex", lambda m: m.complex(m.tensor([1.0, 2.0]), m.tensor([3.0, -1.0]))),
    ("complex_f64", lambda m: m.complex(m.ones(2, dtype=m.float64), m.zeros(2, dtype=m.float64))),
    ("complex_int", lambda m: m.complex(m.ones(2, dtype=m.int64), m.ones(2, dtype=m.int64))),
    ("polar", lambda m: m.polar(m.tensor([1.0, 2.0]), m.tensor([0.0, math.pi / 2]))),
    ("scalar_tensor", lambda m: m.scalar_tensor(3)),
    ("scalar_tensor_dtype", lambda m: m.scalar_tensor(3.5, dtype=m.int64)),
    # ------------------------------------------------------------ legacy constructor
    ("Tensor_sizes", lambda m: m.Tensor(2, 3).shape),
    ("Tensor_data", lambda m: m.Tensor([1, 2, 3])),
    ("Tensor_nested", lambda m: m.Tensor([[1, 2], [3, 4]])),
    ("Tensor_empty", lambda m: m.Tensor()),
    ("Tensor_size_obj", lambda m: m.Tensor(m.Size([2, 2])).shape),
    ("Tensor_bools", lambda m: m.Tensor([True, False])),
    ("Tensor_ndarray", lambda m: m.Tensor(np.arange(3))),
    ("FloatTensor", lambda m: m.FloatTensor([1, 2])),
    ("LongTensor", lambda m: m.LongTensor([1.7, 2])),
    ("DoubleTensor_size", lambda m: m.DoubleTensor(2).shape),
    ("BoolTensor", lambda m: m.BoolTensor([1, 0])),
]


def _run(fn, m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(m), None
        except Exception as e:  # noqa: BLE001 - the exception is the result being compared
            return None, e


def _check_same(a, b, label):
    if isinstance(b, (tuple, list)) and not isinstance(b, torch.Size):
        assert isinstance(a, (tuple, list)), f"{label}: expected a sequence, got {type(a)}"
        assert len(a) == len(b), label
        for x, y in zip(a, b):
            _check_same(x, y, label)
        return
    if isinstance(b, torch.Tensor):
        assert isinstance(a, ember.Tensor), f"{label}: expected a Tensor, got {type(a)}"
        assert str(a.dtype) == str(b.dtype), f"{label}: dtype {a.dtype} != {b.dtype}"
        assert tuple(a.shape) == tuple(b.shape), f"{label}: shape {a.shape} != {b.shape}"
        assert a.requires_grad == b.requires_grad, f"{label}: requires_grad"
        x = _np(a)
        y = _np(b)
        if y.dtype.kind == "f" and y.size:
            # PyTorch's vectorised kernels (arange) may round the last bit differently
            eps = float(np.finfo(y.dtype).eps)
            scale = float(np.nanmax(np.abs(y[np.isfinite(y)]), initial=0.0))
            np.testing.assert_allclose(x, y, rtol=2 * eps, atol=2 * eps * scale, err_msg=label)
        else:
            np.testing.assert_array_equal(x, y, err_msg=label)
        return
    if isinstance(b, torch.Size):
        assert tuple(a) == tuple(b), label
        return
    if isinstance(b, torch.dtype):
        assert str(a) == str(b), label
        return
    assert a == b, f"{label}: {a} != {b}"


@pytest.mark.parametrize("label,fn", CASES, ids=[c[0] for c in CASES])
def test_creation_matches_torch(label, fn):
    expected, t_err = _run(fn, torch)
    got, e_err = _run(fn, ember)
    if t_err is not None:
        assert e_err is not None, f"{label}: torch raised {t_err!r}, ember returned {got!r}"
        assert isinstance(e_err, type(t_err)) or type(t_err).__name__ == type(e_err).__name__ \
            or (isinstance(t_err, RuntimeError) and isinstance(e_err, RuntimeError)), (
                f"{label}: {type(e_err).__name__} != {type(t_err).__name__}")
        assert str(e_err).split("\n")[0] == str(t_err).split("\n")[0], label
        return
    assert e_err is None, f"{label}: ember raised {e_err!r}"
    _check_same(got, expected, label)


# ---------------------------------------------------------------- memory sharing
def test_from_numpy_shares_memory():
    a = np.arange(4.0)
    t = ember.from_numpy(a)
    assert t.dtype == ember.float64
    a[0] = 10
    assert t[0].item() == 10
    t.add_(1) if hasattr(t, "add_") else None
    assert np.shares_memory(a, t.cpu().numpy())


def test_from_numpy_errors_match_torch():
    for bad in ([1, 2], 3):
        with pytest.raises(TypeError) as te:
            torch.from_numpy(bad)
        with pytest.raises(TypeError, match=str(te.value).replace("(", r"\(").replace(")", r"\)")):
            ember.from_numpy(bad)


def test_as_tensor_shares_and_copies():
    a = np.ones(3, dtype=np.float32)
    t = ember.as_tensor(a)
    assert np.shares_memory(a, t.cpu().numpy())
    t2 = ember.as_tensor(a, dtype=ember.float64)
    assert not np.shares_memory(a, t2.cpu().numpy())
    x = ember.ones(2)
    assert ember.as_tensor(x) is x
    lst = [1.0, 2.0]
    assert ember.as_tensor(lst).dtype == torch.as_tensor(lst).dtype.__repr__().replace(
        "torch.", "") or True
    assert str(ember.as_tensor(lst).dtype) == str(torch.as_tensor(lst).dtype)


def test_asarray_copy_semantics():
    a = np.arange(3.0)
    assert np.shares_memory(a, ember.asarray(a).cpu().numpy())
    assert not np.shares_memory(a, ember.asarray(a, copy=True).cpu().numpy())
    x = ember.ones(3)
    y = ember.asarray(x)
    assert np.shares_memory(x.cpu().numpy(), y.cpu().numpy())
    z = ember.asarray([1, 2], dtype=ember.float64)
    assert z.dtype == ember.float64
    assert ember.asarray([1.0], requires_grad=True).requires_grad


def test_tensor_always_copies():
    a = np.arange(3.0)
    t = ember.tensor(a)
    a[0] = 5
    assert t[0].item() == 0


def test_tensor_from_tensor_warns_like_torch():
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        torch.tensor(torch.ones(2))
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        ember.tensor(ember.ones(2))


def test_range_warns_deprecated():
    with pytest.warns(UserWarning, match="torch.range is deprecated"):
        ember.range(0, 3)


_MESHGRID_TWICE = """
import warnings
import {m} as torch
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    torch.meshgrid(torch.arange(2), torch.arange(3))
    torch.meshgrid(torch.arange(2), torch.arange(3))
print([str(x.message)[:60] for x in w])
"""


def test_meshgrid_warns_once_without_indexing():
    # torch warns once per process (TORCH_WARN_ONCE): compared in fresh processes
    import subprocess
    import sys

    out = {}
    for m in ("torch", "ember"):
        out[m] = subprocess.run([sys.executable, "-c", _MESHGRID_TWICE.format(m=m)],
                                capture_output=True, text=True, check=True).stdout
    assert out["ember"] == out["torch"]
    assert "torch.meshgrid: in an upcoming release" in out["torch"]


def test_meshgrid_rejects_2d_like_torch():
    msg = "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got:"
    with pytest.raises(RuntimeError, match=msg):
        torch.meshgrid(torch.ones(2, 2), indexing="ij")
    with pytest.raises(RuntimeError, match=msg):
        ember.meshgrid(ember.ones(2, 2), indexing="ij")


def test_legacy_types_isinstance():
    assert isinstance(ember.ones(2), ember.FloatTensor)
    assert not isinstance(ember.ones(2, dtype=ember.float64), ember.FloatTensor)
    assert isinstance(ember.arange(2), ember.LongTensor)
    assert ember.LongTensor(2, 3).dtype == ember.int64


def test_meshgrid_gradient():
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([4.0, 5.0])
    grads = []
    for m in (torch, ember):
        x = m.tensor(a, requires_grad=True)
        y = m.tensor(b, requires_grad=True)
        gx, gy = m.meshgrid(x, y, indexing="xy")
        (gx * gy * m.tensor(np.arange(6.0).reshape(2, 3))).sum().backward()
        grads.append((_np(x.grad), _np(y.grad)))
    np.testing.assert_allclose(grads[1][0], grads[0][0])
    np.testing.assert_allclose(grads[1][1], grads[0][1])


def test_zeros_requires_grad_is_leaf():
    z = ember.zeros(2, 3, requires_grad=True)
    assert z.requires_grad and z.is_leaf and z.grad_fn is None
    (z * 2).sum().backward()
    np.testing.assert_array_equal(z.grad.cpu().numpy(), np.full((2, 3), 2.0, dtype=np.float32))


def test_default_dtype_follows_set_default_dtype():
    old = ember.get_default_dtype()
    try:
        ember.set_default_dtype(ember.float64)
        torch.set_default_dtype(torch.float64)
        for fn in (lambda m: m.tensor([1.5]), lambda m: m.zeros(2), lambda m: m.arange(0.5),
                   lambda m: m.linspace(0, 1, 3), lambda m: m.full((1,), 2.0),
                   lambda m: m.tensor([1j])):
            assert str(fn(ember).dtype) == str(fn(torch).dtype)
    finally:
        ember.set_default_dtype(old)
        torch.set_default_dtype(torch.float32)


def test_linspace_rounds_as_torch():
    # torch's CPU kernel: the step in the dtype, each element one rounding from start or end
    rng = np.random.default_rng(7)
    for _ in range(300):
        a = float(rng.uniform(-50, 50))
        b = float(rng.uniform(-50, 50))
        n = int(rng.integers(0, 130))
        for dt in ("float32", "float64"):
            want = torch.linspace(a, b, n, dtype=getattr(torch, dt)).numpy()
            got = ember.linspace(a, b, n, dtype=getattr(ember, dt)).numpy()
            assert np.array_equal(got, want), (a, b, n, dt)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
def test_size_keyword(name):
    for size in [(2, 3), [4], ()]:
        got = getattr(ember, name)(size=size)
        want = getattr(torch, name)(size=size)
        assert tuple(got.shape) == tuple(want.shape) and got.dtype.is_floating_point
    with pytest.raises(TypeError):
        getattr(ember, name)(2, size=(2,))
