"""Interop: NumPy (memory sharing, operators, __array__), DLPack with NumPy and torch,
PyTorch's type promotion over every dtype pair, and the CUDA-less device story."""

import copy
import importlib.util
import os
import pickle
import re

import numpy as np
import pytest
import torch

import ember

# NumPy interop (shared memory, NumPy operands, np.asarray) is about CPU tensors: torch refuses
# the same calls on cuda tensors, so with cuda as the default device (EMBER_TEST_DEVICE) these
# are skipped
cpu_only = pytest.mark.skipif(os.environ.get("EMBER_TEST_DEVICE", "cpu") != "cpu",
                              reason="NumPy interop is CPU-only")

DTYPES = [
    "bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
    "complex64", "complex128",
]
NP_OF = {name: np.dtype(name) for name in DTYPES}


def _pairs():
    return [(a, b) for a in DTYPES for b in DTYPES]


def _complex32(a, b):
    # torch promotes float16 with complex (0-d or scalar) to complex32, a dtype ember lacks
    return {a, b} in ({"float16", "complex64"}, {"float16", "complex128"})


# ---------------------------------------------------------------------------- NumPy memory
@cpu_only
def test_numpy_shares_memory_both_ways():
    t = ember.tensor([1.0, 2.0, 3.0])
    a = t.cpu().numpy()
    assert isinstance(a, np.ndarray) and a.dtype == np.float32
    a[0] = 10.0
    assert t.tolist() == [10.0, 2.0, 3.0]
    t.add_(1.0)
    assert a.tolist() == [11.0, 3.0, 4.0]
    assert np.shares_memory(a, t.cpu().numpy())


def test_numpy_array_object_is_independent():
    # reshaping the returned array must not change the tensor (torch returns a fresh array)
    t = ember.zeros(2, 3)
    a = t.cpu().numpy()
    a.shape = (3, 2)
    assert t.shape == (2, 3)


def test_from_numpy_shares_memory_and_keeps_dtype():
    for name in DTYPES:
        a = np.ones((2, 3), dtype=name)
        e = ember.from_numpy(a)
        t = torch.from_numpy(a.copy())
        assert repr(e.dtype) == repr(t.dtype)
        assert e.shape == t.shape
    a = np.arange(6.0).reshape(2, 3)
    e = ember.from_numpy(a)
    assert e.dtype == ember.float64
    a[0, 0] = 42.0
    assert e.tolist()[0][0] == 42.0
    e.mul_(2.0)
    assert a[0, 0] == 84.0 and a[1, 2] == 10.0


def test_from_numpy_errors():
    with pytest.raises(TypeError, match="expected np.ndarray"):
        ember.from_numpy([1, 2])
    with pytest.raises(TypeError):
        torch.from_numpy([1, 2])


def test_from_numpy_noncontiguous_view():
    a = np.arange(12.0).reshape(3, 4)[:, ::2]
    e = ember.from_numpy(a)
    t = torch.from_numpy(a)
    assert e.tolist() == t.tolist()
    assert e.stride() == t.stride()
    assert e.is_contiguous() == t.is_contiguous()


@cpu_only
def test_np_asarray_and_array():
    t = ember.tensor([[1, 2], [3, 4]], dtype=ember.int32)
    a = np.asarray(t)
    assert a.dtype == np.int32 and a.tolist() == [[1, 2], [3, 4]]
    assert np.shares_memory(a, t.cpu().numpy())
    b = np.array(t, dtype=np.float64)
    assert b.dtype == np.float64
    assert np.asarray(torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)).tolist() == a.tolist()


def test_np_asarray_requires_grad():
    e = ember.tensor([1.0], requires_grad=True)
    t = torch.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        e.cpu().numpy()
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        t.cpu().numpy()
    assert e.detach().cpu().numpy().tolist() == t.detach().cpu().numpy().tolist()


@cpu_only
def test_numpy_operand_gives_tensor():
    # ember goes beyond torch here (torch raises): a NumPy array acts as a CPU tensor
    t = ember.tensor([1.0, 2.0, 3.0])
    for r in (np.ones(3) + t, t + np.ones(3), np.ones(3) * t, t - np.ones(3), np.ones(3) - t):
        assert isinstance(r, ember.Tensor)
    assert (np.ones(3) - t).tolist() == [0.0, -1.0, -2.0]
    # the array behaves as torch.from_numpy(array) would
    want = (torch.from_numpy(np.ones(3)) + torch.tensor([1.0, 2.0, 3.0])).dtype
    assert repr((np.ones(3) + t).dtype) == repr(want)
    want = (torch.from_numpy(np.ones(3, np.float32)) * torch.tensor([1, 2, 3])).dtype
    assert repr((np.ones(3, np.float32) * ember.tensor([1, 2, 3])).dtype) == repr(want)


@pytest.mark.parametrize(
    "scalar",
    [np.int8(2), np.uint8(3), np.int64(2), np.float16(2.5), np.float32(2.5), np.float64(2.5),
     np.complex128(1j)],
    ids=repr,
)
@pytest.mark.parametrize("name", DTYPES)
def test_numpy_scalars_promote_like_python_numbers(name, scalar):
    if name == "float16" and isinstance(scalar, np.complexfloating):
        pytest.skip("torch gives complex32, which ember lacks")
    t = torch.ones(2, dtype=getattr(torch, name))
    e = ember.ones(2, dtype=getattr(ember, name))
    for f in (lambda x: x + scalar, lambda x: scalar + x, lambda x: x * scalar):
        r_t = f(t)
        r_e = f(e)
        assert isinstance(r_e, ember.Tensor)
        assert repr(r_e.dtype) == repr(r_t.dtype)
        assert r_e.tolist() == r_t.tolist()


@cpu_only
def test_numpy_ufunc_on_tensor():
    t = torch.tensor([0.5, 1.0])
    e = ember.tensor([0.5, 1.0])
    r = np.sin(e)
    assert isinstance(r, ember.Tensor)
    np.testing.assert_allclose(np.asarray(r), np.sin(t.cpu().numpy()), rtol=1e-6)


def test_three_by_three_matrix_exercise():
    arr = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    e = ember.from_numpy(arr)
    t = torch.from_numpy(arr)
    assert repr(e.dtype) == repr(t.dtype) == "torch.int64"
    assert e.tolist() == t.tolist()
    assert repr(e) == repr(t)
    farr = np.random.default_rng(0).random((3, 3))
    e = ember.tensor(farr)
    t = torch.tensor(farr)
    assert repr(e.dtype) == repr(t.dtype) == "torch.float64"
    assert e.tolist() == t.tolist()
    assert repr(e) == repr(t)
    assert repr(ember.as_tensor(farr)) == repr(torch.as_tensor(farr))


def test_seed_from_numpy_float():
    data = np.random.default_rng(1).normal(5.0, 3.0, size=(8, 3))
    normalized_data = (data - data.mean(axis=0)) / data.std(axis=0)
    assert normalized_data.dtype == np.float64
    torch_data = torch.from_numpy(normalized_data).float()
    ember_data = ember.from_numpy(normalized_data).float()
    assert repr(ember_data.dtype) == repr(torch_data.dtype) == "torch.float32"
    assert ember_data.shape == torch_data.shape
    np.testing.assert_array_equal(ember_data.cpu().numpy(), torch_data.cpu().numpy())
    assert repr(ember_data) == repr(torch_data)
    # .float() copies: the float32 tensor no longer shares the float64 array
    normalized_data[0, 0] = 100.0
    assert ember_data.tolist()[0][0] == torch_data.tolist()[0][0]


# ---------------------------------------------------------------------------- DLPack
@cpu_only
def test_numpy_from_dlpack_of_ember():
    e = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    a = np.from_dlpack(e)
    assert a.dtype == np.float32 and a.tolist() == e.tolist()
    a[0, 0] = 9.0
    assert e.tolist()[0][0] == 9.0


def test_ember_from_dlpack_of_numpy():
    a = np.arange(6.0).reshape(2, 3)
    e = ember.from_dlpack(a)
    t = torch.from_dlpack(a.copy())
    assert repr(e.dtype) == repr(t.dtype)
    assert e.shape == t.shape and e.tolist() == t.tolist()
    a[1, 1] = -1.0
    assert e.tolist()[1][1] == -1.0


@pytest.mark.parametrize("name", DTYPES)
def test_torch_from_dlpack_of_ember(name):
    arr = (np.arange(6).reshape(2, 3) % 2).astype(name)
    e = ember.from_numpy(arr)
    t = torch.from_dlpack(e)
    assert repr(t.dtype) == repr(e.dtype)
    assert t.tolist() == e.tolist()
    assert t.data_ptr() == e.data_ptr()


@pytest.mark.parametrize("name", DTYPES)
def test_ember_from_dlpack_of_torch(name):
    t = torch.from_numpy((np.arange(6).reshape(2, 3) % 2).astype(name))
    e = ember.from_dlpack(t)
    assert isinstance(e, ember.Tensor)
    assert repr(e.dtype) == repr(t.dtype)
    assert e.tolist() == t.tolist()
    assert e.data_ptr() == t.data_ptr()


def test_dlpack_shares_memory_with_torch():
    t = torch.zeros(4)
    e = ember.from_dlpack(t)
    t[1] = 5.0
    assert e.tolist() == [0.0, 5.0, 0.0, 0.0]
    e2 = ember.arange(4.0)
    t2 = torch.from_dlpack(e2)
    t2.mul_(2)
    assert e2.tolist() == [0.0, 2.0, 4.0, 6.0]


def test_dlpack_noncontiguous_and_0d():
    e = ember.arange(6.0).reshape(2, 3).t()
    t = torch.from_dlpack(e)
    assert t.stride() == e.stride() and t.tolist() == e.tolist()
    t0 = torch.from_dlpack(ember.tensor(3.5))
    assert t0.dim() == 0 and t0.item() == 3.5
    e0 = ember.from_dlpack(torch.tensor(2))
    assert e0.dim() == 0 and e0.item() == 2


def test_utils_dlpack_capsules():
    cap = ember.utils.dlpack.to_dlpack(ember.tensor([1.0, 2.0]))
    assert type(cap).__name__ == "PyCapsule"
    e = ember.utils.dlpack.from_dlpack(cap)
    assert e.tolist() == [1.0, 2.0] and e.dtype == ember.float32
    cap = torch.utils.dlpack.to_dlpack(torch.tensor([3, 4], dtype=torch.int16))
    e = ember.utils.dlpack.from_dlpack(cap)
    assert e.tolist() == [3, 4] and e.dtype == ember.int16
    cap = ember.utils.dlpack.to_dlpack(ember.tensor([True, False]))
    t = torch.utils.dlpack.from_dlpack(cap)
    assert t.tolist() == [True, False] and t.dtype == torch.bool


def test_dlpack_requires_grad_error():
    msg = re.escape("Can't export tensors that require gradient, use tensor.detach()")
    with pytest.raises(BufferError, match=msg):
        torch.from_dlpack(torch.tensor([1.0], requires_grad=True))
    with pytest.raises(BufferError, match=msg):
        torch.from_dlpack(ember.tensor([1.0], requires_grad=True))
    with pytest.raises(BufferError, match=msg):
        np.from_dlpack(ember.tensor([1.0], requires_grad=True))


def test_from_dlpack_rejects_non_producers():
    with pytest.raises(TypeError):
        ember.from_dlpack([1, 2])


# ---------------------------------------------------------------------------- type promotion
@pytest.mark.parametrize("a,b", _pairs())
def test_promote_types_and_can_cast(a, b):
    ta, tb = getattr(torch, a), getattr(torch, b)
    ea, eb = getattr(ember, a), getattr(ember, b)
    assert repr(ember.promote_types(ea, eb)) == repr(torch.promote_types(ta, tb))
    assert ember.can_cast(ea, eb) == torch.can_cast(ta, tb)


@pytest.mark.parametrize("a,b", _pairs())
def test_binary_result_dtype_all_pairs(a, b):
    for da in (0, 1):
        for db in (0, 1):
            if (da != db) and _complex32(a, b):
                continue
            x_t = torch.ones((2,) * da, dtype=getattr(torch, a))
            y_t = torch.ones((2,) * db, dtype=getattr(torch, b))
            x_e = ember.ones((2,) * da, dtype=getattr(ember, a))
            y_e = ember.ones((2,) * db, dtype=getattr(ember, b))
            want = repr(torch.result_type(x_t, y_t))
            assert repr(ember.result_type(x_e, y_e)) == want, (da, db)
            if a == b == "bool":
                continue  # bool + bool is an error-free "or" in both; skip values
            assert repr((x_e + y_e).dtype) == repr((x_t + y_t).dtype), (da, db)
            assert repr((x_e * y_e).dtype) == repr((x_t * y_t).dtype), (da, db)


@pytest.mark.parametrize("scalar", [True, 3, 2.5, 1 + 2j], ids=repr)
@pytest.mark.parametrize("name", DTYPES)
def test_python_scalar_promotion(name, scalar):
    if name == "float16" and isinstance(scalar, complex):
        pytest.skip("torch gives complex32, which ember lacks")
    for nd in (0, 1, 2):
        t = torch.ones((2,) * nd, dtype=getattr(torch, name))
        e = ember.ones((2,) * nd, dtype=getattr(ember, name))
        assert repr(ember.result_type(e, scalar)) == repr(torch.result_type(t, scalar))
        assert repr((e + scalar).dtype) == repr((t + scalar).dtype)
        assert repr((scalar + e).dtype) == repr((scalar + t).dtype)
        assert repr((e * scalar).dtype) == repr((t * scalar).dtype)


def test_result_type_of_two_scalars():
    for a in (True, 2, 2.5, 1j):
        for b in (True, 2, 2.5, 1j):
            assert repr(ember.result_type(ember.tensor(a), b)) == repr(
                torch.result_type(torch.tensor(a), b))


def test_promotion_follows_default_dtype():
    old = torch.get_default_dtype()
    try:
        torch.set_default_dtype(torch.float64)
        ember.set_default_dtype(ember.float64)
        for s in (2.5, 1j):
            t = torch.ones(2, dtype=torch.int32) + s
            e = ember.ones(2, dtype=ember.int32) + s
            assert repr(e.dtype) == repr(t.dtype)
        assert repr(ember.tensor([1.5]).dtype) == repr(torch.tensor([1.5]).dtype)
        assert repr(ember.tensor([1j]).dtype) == repr(torch.tensor([1j]).dtype)
        assert repr(ember.arange(0.0, 1.0, 0.5).dtype) == repr(torch.arange(0.0, 1.0, 0.5).dtype)
    finally:
        torch.set_default_dtype(old)
        ember.set_default_dtype(ember.float32)
    assert ember.get_default_dtype() is ember.float32


def test_set_default_dtype_rejects_integers():
    msg = "only floating-point types are supported as the default type"
    with pytest.raises(TypeError, match=msg):
        torch.set_default_dtype(torch.int32)
    with pytest.raises(TypeError, match=msg):
        ember.set_default_dtype(ember.int32)


# ---------------------------------------------------------------------------- CUDA-less device
def test_cuda_is_not_available_and_seed_pattern_runs():
    if importlib.util.find_spec("cupy") is None:
        assert ember.cuda.is_available() is False
    if not ember.cuda.is_available():
        assert ember.cuda.device_count() == 0
    x = ember.tensor([1.0, 2.0])
    if ember.cuda.is_available():
        x = x.to("cuda")
    assert x.tolist() == [1.0, 2.0]
    device = ember.device("cuda" if ember.cuda.is_available() else "cpu")
    y = ember.ones(2, device=device)
    assert y.device.type == device.type


@pytest.mark.skipif(ember.cuda.is_available(), reason="a GPU is present")
@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.tensor([1.0]).to("cuda"),
        lambda m: m.tensor([1.0]).cuda(),
        lambda m: m.zeros(2, device="cuda"),
        lambda m: m.tensor([1.0], device="cuda:0"),
    ],
    ids=["to", "cuda", "zeros", "tensor"],
)
def test_cuda_without_gpu_raises_with_install_hint(make):
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        make(torch)
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled") as info:
        make(ember)
    text = str(info.value)
    assert "CuPy" in text and "ember[cuda13]" in text


@cpu_only
def test_device_objects():
    for spec in ["cpu", "cuda", "cuda:1"]:
        assert repr(ember.device(spec)) == repr(torch.device(spec))
        assert str(ember.device(spec)) == str(torch.device(spec))
    assert ember.device("cuda", 0) == ember.device("cuda:0")
    assert ember.device("cpu") == "cpu"
    assert ember.ones(2).device == ember.device("cpu")
    assert ember.ones(2).device.type == "cpu" and ember.ones(2).device.index is None
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        ember.device("gpu")
    msgs = []
    for m in (ember, torch):
        with pytest.raises(RuntimeError) as info:
            m.ones(1).to("tpu")
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]


# ---------------------------------------------------------------------------- copy and pickle
def test_deepcopy_leaf():
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    c = copy.deepcopy(e)
    assert c is not e and c.requires_grad and c.is_leaf
    assert not np.shares_memory(c.detach().cpu().numpy(), e.detach().cpu().numpy())
    assert c.tolist() == e.tolist()
    # a shared tensor stays shared inside one deepcopy
    pair = copy.deepcopy([e, e])
    assert pair[0] is pair[1]


def test_deepcopy_nonleaf_error():
    msg = "Only Tensors created explicitly by the user"
    with pytest.raises(RuntimeError, match=msg):
        copy.deepcopy(torch.tensor([1.0], requires_grad=True) * 2)
    with pytest.raises(RuntimeError, match=msg):
        copy.deepcopy(ember.tensor([1.0], requires_grad=True) * 2)


def test_copy_copy():
    e = ember.tensor([1.0, 2.0])
    c = copy.copy(e)
    assert c.tolist() == e.tolist()


def _has_serialization():
    try:
        import ember.serialization
    except ImportError:
        return False
    return hasattr(ember.serialization, "_reduce_tensor")


@pytest.mark.skipif(not _has_serialization(), reason="ember.serialization not written yet")
@pytest.mark.parametrize("name", DTYPES)
def test_pickle_roundtrip(name):
    e = ember.from_numpy((np.arange(6).reshape(2, 3) % 3).astype(name))
    r = pickle.loads(pickle.dumps(e))
    assert isinstance(r, ember.Tensor)
    assert r.dtype is e.dtype and r.tolist() == e.tolist()
    g = ember.tensor([1.0], requires_grad=True)
    assert pickle.loads(pickle.dumps(g)).requires_grad


def test_pickle_dtype_device_size():
    for obj in (ember.float32, ember.int64, ember.device("cpu"), ember.Size([2, 3])):
        r = pickle.loads(pickle.dumps(obj))
        assert r == obj
    assert pickle.loads(pickle.dumps(ember.float16)) is ember.float16
    assert type(pickle.loads(pickle.dumps(ember.Size([2, 3])))) is ember.Size
