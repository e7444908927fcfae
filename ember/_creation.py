"""Creation functions: tensor, as_tensor, from_numpy, zeros/ones/full/empty, ranges, eye, *_like."""

import math

import numpy as np

from . import _dtype as D
from ._device import CPU, to_device, device_of_array, move
from ._tensor import Tensor, _new_tensor


def _infer_dtype(data):
    """PyTorch's dtype for nested Python data: bool < int64 < default float < complex."""
    kind = -1
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(x)
            continue
        if isinstance(x, Tensor):
            d = x._dtype
            kind = max(kind, d._kind)
            continue
        t = type(x)
        if t is bool or t is np.bool_:
            kind = max(kind, 0)
        elif t is int or isinstance(x, np.integer):
            kind = max(kind, 1)
        elif t is float or isinstance(x, np.floating):
            kind = max(kind, 2)
        elif t is complex or isinstance(x, np.complexfloating):
            kind = max(kind, 3)
        else:
            raise TypeError(f"Could not infer dtype of {t.__name__}")
    if kind <= 0:
        return D.bool_ if kind == 0 else D.get_default_dtype()
    if kind == 1:
        return D.int64
    if kind == 2:
        return D.get_default_dtype()
    return D.default_complex()


def _nested_to_list(x):
    # a list that holds tensors: turn them into Python values first
    if isinstance(x, (list, tuple)):
        return [_nested_to_list(v) for v in x]
    if isinstance(x, Tensor):
        return x.tolist()
    return x


def _array_from_data(data, dt, dev):
    """A new array (copy) of `data` with ember dtype `dt` on `dev`."""
    if isinstance(data, Tensor):
        arr = data._data
    elif hasattr(data, "__cuda_array_interface__") or hasattr(data, "__array_interface__"):
        arr = data
    elif isinstance(data, (list, tuple)):
        arr = np.array(_nested_to_list(data), dtype=dt.np if dt is not None else None)
        if arr.dtype == object:
            raise ValueError("expected sequence of uniform length")
    else:
        arr = np.array(data, dtype=dt.np if dt is not None else None)
    if dev.type == "cpu":
        if arr.__class__ is not np.ndarray:
            arr = move(arr, CPU) if hasattr(arr, "get") else np.asarray(arr)
        return np.array(arr, dtype=dt.np, copy=True)
    arr = move(arr, dev)
    return arr.astype(dt.np, copy=True)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """Mirrors `torch.tensor`: always copies; infers the dtype like PyTorch."""
    dev = to_device(device)
    if dtype is not None:
        dt = D.to_dtype(dtype)
    elif isinstance(data, Tensor):
        dt = data._dtype
    elif hasattr(data, "dtype") and hasattr(data, "shape"):
        dt = D.from_numpy_dtype(data.dtype)
    else:
        dt = _infer_dtype(data)
    if dev is None:
        if isinstance(data, Tensor):
            dev = data._device
        elif hasattr(data, "__cuda_array_interface__"):
            dev = device_of_array(data)
        else:
            dev = CPU
    if isinstance(data, (list, tuple)) and _has_cuda_tensor(data):
        data = _nested_to_list(data)
    arr = _array_from_data(data, dt, dev)
    t = _new_tensor(arr, dt, dev)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _has_cuda_tensor(data):
    for x in data:
        if isinstance(x, Tensor) and x._device.type != "cpu":
            return True
        if isinstance(x, (list, tuple)) and _has_cuda_tensor(x):
            return True
    return False


def as_tensor(data, dtype=None, device=None):
    """Mirrors `torch.as_tensor`: shares memory when dtype and device allow."""
    dt = D.to_dtype(dtype) if dtype is not None else None
    dev = to_device(device)
    if isinstance(data, Tensor):
        return data.to(dtype=dt, device=dev)
    if isinstance(data, np.ndarray) and (dev is None or dev.type == "cpu"):
        t = from_numpy(data)
        if dt is not None and dt is not t._dtype:
            return t.to(dt)
        return t
    if hasattr(data, "__cuda_array_interface__") and not isinstance(data, np.ndarray):
        t = wrap_foreign(data)
        return t.to(dtype=dt, device=dev)
    return tensor(data, dtype=dt, device=dev)


def wrap_foreign(arr):
    """Wrap a CuPy array without copying."""
    return _new_tensor(arr, D.from_numpy_dtype(arr.dtype), device_of_array(arr))


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """Mirrors `torch.asarray`."""
    if copy:
        t = tensor(obj, dtype=dtype, device=device)
    else:
        t = as_tensor(obj, dtype=dtype, device=device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(ndarray):
    """Mirrors `torch.from_numpy`: shares memory with the array; keeps its dtype."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    dt = D.from_numpy_dtype(ndarray.dtype)
    if not ndarray.dtype.isnative:
        raise ValueError(
            "given numpy array has byte order different from the native byte order. "
            "Conversion between byte orders is currently not supported."
        )
    return _new_tensor(ndarray, dt, CPU)


def _size(size):
    if len(size) == 1 and not isinstance(size[0], (int, np.integer)):
        size = tuple(size[0])
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s.item())
        if not isinstance(s, (int, np.integer)):
            raise TypeError(
                f"{type(s).__name__!r} object cannot be interpreted as an integer"
            )
        if s < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {list(size)}"
            )
        out.append(int(s))
    return tuple(out)


def _finish(arr, dt, dev, requires_grad):
    t = _new_tensor(arr, dt, dev)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _dd(dtype, device):
    dt = D.get_default_dtype() if dtype is None else D.to_dtype(dtype)
    dev = to_device(device) or CPU
    return dt, dev


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    """Mirrors `torch.zeros`."""
    dt, dev = _dd(dtype, device)
    return _finish(dev.xp.zeros(_size(size), dtype=dt.np), dt, dev, requires_grad)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False, memory_format=None):
    """Mirrors `torch.ones`."""
    dt, dev = _dd(dtype, device)
    return _finish(dev.xp.ones(_size(size), dtype=dt.np), dt, dev, requires_grad)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    """Mirrors `torch.empty` (NumPy's uninitialised memory)."""
    dt, dev = _dd(dtype, device)
    return _finish(dev.xp.empty(_size(size), dtype=dt.np), dt, dev, requires_grad)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Mirrors `torch.full`: the dtype follows the fill value when not given."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if dtype is None:
        dt = D.scalar_dtype(fill_value)
    else:
        dt = D.to_dtype(dtype)
    dev = to_device(device) or CPU
    arr = dev.xp.full(_size((size,) if isinstance(size, int) else (tuple(size),)), fill_value,
                      dtype=dt.np)
    return _finish(arr, dt, dev, requires_grad)


def _like(input, dtype, device):
    dt = input._dtype if dtype is None else D.to_dtype(dtype)
    dev = input._device if device is None else to_device(device)
    return dt, dev


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    dt, dev = _like(input, dtype, device)
    return _finish(dev.xp.zeros(input._data.shape, dtype=dt.np), dt, dev, requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    dt, dev = _like(input, dtype, device)
    return _finish(dev.xp.ones(input._data.shape, dtype=dt.np), dt, dev, requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    dt, dev = _like(input, dtype, device)
    return _finish(dev.xp.empty(input._data.shape, dtype=dt.np), dt, dev, requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    dt, dev = _like(input, dtype, device)
    arr = dev.xp.full(input._data.shape, fill_value, dtype=dt.np)
    return _finish(arr, dt, dev, requires_grad)


def _num(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Mirrors `torch.arange`: int64 for integer arguments, else the default float dtype."""
    start = _num(start)
    end = _num(end)
    step = _num(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(
            "upper bound and larger bound inconsistent with step sign"
        )
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                     for v in (start, end, step))
        dt = D.int64 if is_int else D.get_default_dtype()
    else:
        dt = D.to_dtype(dtype)
    dev = to_device(device) or CPU
    n = max(0, math.ceil((end - start) / step))
    # computed in float64 (or int64) and cast, as PyTorch does, so lengths match
    if dt._kind == 1 and all(isinstance(v, (int, np.integer)) for v in (start, end, step)):
        arr = np.arange(start, end, step, dtype=np.int64)[:n]
    else:
        arr = start + np.arange(n, dtype=np.float64) * step
    arr = arr.astype(dt.np)
    if dev.type != "cpu":
        arr = move(arr, dev)
    return _finish(arr, dt, dev, requires_grad)


def range_(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Mirrors the deprecated `torch.range` (end inclusive)."""
    if end is None:
        start, end = 0, start
    dt = D.get_default_dtype() if dtype is None else D.to_dtype(dtype)
    n = int(math.floor((end - start) / step)) + 1
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(dt.np)
    dev = to_device(device) or CPU
    return _finish(move(arr, dev), dt, dev, requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """Mirrors `torch.linspace`."""
    start = _num(start)
    end = _num(end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = D.get_default_dtype() if dtype is None else D.to_dtype(dtype)
    if dtype is None and (isinstance(start, complex) or isinstance(end, complex)):
        dt = D.default_complex()
    dev = to_device(device) or CPU
    arr = np.linspace(start, end, steps, dtype=np.complex128 if dt.is_complex else np.float64)
    if dt._kind == 1:
        arr = np.trunc(arr) if dt._kind == 1 else arr
    arr = arr.astype(dt.np)
    return _finish(move(arr, dev), dt, dev, requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """Mirrors `torch.logspace`."""
    dt = D.get_default_dtype() if dtype is None else D.to_dtype(dtype)
    dev = to_device(device) or CPU
    arr = np.logspace(_num(start), _num(end), steps, base=base, dtype=np.float64).astype(dt.np)
    return _finish(move(arr, dev), dt, dev, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Mirrors `torch.eye`."""
    dt, dev = _dd(dtype, device)
    if m is None:
        m = n
    return _finish(dev.xp.eye(n, m, dtype=dt.np), dt, dev, requires_grad)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    dt, dev = _dd(dtype, device)
    return _finish(dev.xp.asarray(s, dtype=dt.np), dt, dev, requires_grad)
