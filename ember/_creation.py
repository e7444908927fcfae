"""Creation functions: tensor, as_tensor, from_numpy, zeros/ones/full/empty, ranges, eye, *_like,
the index helpers (tril_indices, meshgrid, cartesian_prod) and the legacy typed constructors."""

import math
import warnings

import numpy as np

from . import _dtype as D
from ._device import CPU, device_of_array, factory_device, move, to_device
from ._ops._bind import FUNCTIONS, public
from ._tensor import Size, Tensor, _new_tensor, _requires_grad_on_create

_SCALARS = (bool, int, float, complex)
_SEQS = (list, tuple, range)


# ---------------------------------------------------------------- nested data -> shape, dtype
def _scalar_dt(x):
    """The dtype PyTorch infers for one element of nested data."""
    t = type(x)
    if t is float:
        return D.get_default_dtype()
    if t is int:
        return D.int64
    if t is bool:
        return D.bool_
    if t is complex:
        return D.default_complex()
    if isinstance(x, Tensor):
        return x._dtype
    if isinstance(x, (np.generic, np.ndarray)):
        return D.from_numpy_dtype(x.dtype)
    if isinstance(x, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{t.__name__}'")
    raise RuntimeError(f"Could not infer dtype of {t.__name__}")


_FAST = {float: 2, int: 1, bool: 0, complex: 3}
_KIND_DT = (lambda: D.bool_, lambda: D.int64, D.get_default_dtype, D.default_complex)


def _leaf_dtype(seq):
    """dtype of a list of scalars; fast for plain Python numbers (one type() per element)."""
    kinds = set(map(type, seq))
    if kinds <= _FAST.keys():
        return _KIND_DT[max(_FAST[t] for t in kinds)]()
    dt = None
    for x in seq:
        d = _scalar_dt(x)
        dt = d if dt is None else D.promote_types(dt, d)
    return dt


def _is_seq(x):
    return isinstance(x, _SEQS) or (isinstance(x, np.ndarray) and x.ndim > 0)


def _sizes(data):
    """PyTorch's shape of nested data: the lengths down the first elements."""
    sizes = []
    x = data
    while _is_seq(x):
        n = len(x)
        sizes.append(n)
        if n == 0:
            break
        x = x[0]
    return sizes


def _walk(seq, sizes, d, state):
    """Check that `seq` (at depth d) has the shape `sizes`; promote the element dtypes."""
    n = len(seq)
    if n != sizes[d]:
        raise ValueError(f"expected sequence of length {sizes[d]} at dim {d} (got {n})")
    if isinstance(seq, np.ndarray):
        if tuple(seq.shape) != tuple(sizes[d:]):
            raise ValueError(
                f"expected sequence of length {sizes[d + 1]} at dim {d + 1} (got "
                f"{seq.shape[1] if seq.ndim > 1 else 1})"
            )
        _promote(state, D.from_numpy_dtype(seq.dtype))
        return
    if d == len(sizes) - 1:
        kinds = set(map(type, seq))
        if kinds <= _FAST.keys():
            # plain Python numbers: the dtype from the types alone, no per-element work
            _promote(state, _KIND_DT[max(_FAST[t] for t in kinds)]())
            return
        for x in seq:
            if _is_seq(x):
                raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an integer")
            if isinstance(x, Tensor):
                state[1] = True
                if x._data.size != 1:
                    raise ValueError("only one element tensors can be converted to Python scalars")
        _promote(state, _leaf_dtype(seq))
        return
    for x in seq:
        if not _is_seq(x):
            raise TypeError("not a sequence")
        _walk(x, sizes, d + 1, state)


def _promote(state, dt):
    state[0] = dt if state[0] is None else D.promote_types(state[0], dt)


def _nested_info(data):
    """(shape, dtype, holds_tensors) of nested Python data, with PyTorch's errors."""
    sizes = _sizes(data)
    state = [None, False]
    if not sizes:
        return (), _scalar_dt(data), isinstance(data, Tensor)
    if sizes[-1] == 0 and len(sizes) == 1:
        return tuple(sizes), D.get_default_dtype(), False
    if 0 in sizes:
        _walk_empty(data, sizes, 0)
        return tuple(sizes), D.get_default_dtype(), False
    _walk(data, sizes, 0, state)
    return tuple(sizes), state[0], state[1]


def _walk_empty(seq, sizes, d):
    if len(seq) != sizes[d]:
        raise ValueError(f"expected sequence of length {sizes[d]} at dim {d} (got {len(seq)})")
    if d + 1 < len(sizes):
        for x in seq:
            _walk_empty(x, sizes, d + 1)


def _infer_dtype(data):
    """PyTorch's dtype of nested data (kept for callers elsewhere in ember)."""
    return _nested_info(data)[1]


def _nested_to_list(x):
    # a list that holds tensors: turn them into Python values first
    if isinstance(x, _SEQS):
        return [_nested_to_list(v) for v in x]
    if isinstance(x, Tensor):
        return x.reshape(()).item() if x._data.ndim else x.item()
    return x


def _array_from_data(data, dt, dev, info=None):
    """A new array (copy) of `data` with ember dtype `dt` on `dev` (`info`: _nested_info of
    data when the caller has it already)."""
    if isinstance(data, Tensor):
        arr = data._data
    elif hasattr(data, "__cuda_array_interface__") or hasattr(data, "__array_interface__"):
        arr = data
    elif isinstance(data, _SEQS):
        _, inferred, has_tensors = info or _nested_info(data)
        if has_tensors:
            data = _nested_to_list(data)
        try:
            arr = np.array(data, dtype=(dt or inferred).np)
        except (OverflowError, ValueError):
            arr = _convert_checked(data, dt or inferred)
        # a fresh array: no second copy on the CPU
        return arr if dev.type == "cpu" else move(arr, dev)
    else:
        _scalar_dt(data)
        try:
            arr = np.array(data, dtype=dt.np if dt is not None else None)
        except (OverflowError, ValueError):
            arr = _convert_checked(data, dt)
    if dev.type == "cpu":
        if arr.__class__ is not np.ndarray:
            arr = move(arr, CPU) if hasattr(arr, "get") else np.asarray(arr)
        return np.array(arr, dtype=dt.np, copy=True)
    arr = move(arr, dev)
    return arr.astype(dt.np, copy=True)


# the C type names torch's scalar conversions (full, fill_) print in their overflow error
_C_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t", "float16": "c10::Half", "bfloat16": "c10::BFloat16"}


def _overflow(name):
    raise RuntimeError(f"value cannot be converted to type {name} without overflow")


def _convert_checked(data, dt):
    """Python numbers NumPy refused to convert to `dt` (nan, inf or out of range): torch's
    error, or its result where torch accepts (an unsigned type takes -max..max, wrapping)."""
    obj = np.array(data, dtype=object)
    flat = obj.reshape(-1)
    for v in flat:
        # torch reads every Python int as a C long long first
        if type(v) is int and not -(2**63) <= v < 2**63:
            raise ValueError("Overflow when unpacking long long")
    if dt.is_floating_point or dt.is_complex or dt is D.bool_:
        return np.array(data, dtype=dt.np)
    vals = []
    for v in flat:
        if not _fits(v, dt):
            _overflow(dt.name)
        vals.append(int(v))
    return np.array(vals, dtype=np.int64).astype(dt.np).reshape(obj.shape)


def checked_fill(value, dt):
    """A fill value for integer dtype `dt` as torch's checked conversion takes it: torch's
    error for nan, inf or out of range, a wrapped value for -max..-1 in an unsigned type."""
    if dt._kind != 1 or not isinstance(value, (int, float)):
        return value
    if not _fits(value, dt):
        _overflow(_C_NAMES.get(dt.name, dt.name))
    return np.array(int(value), dtype=np.int64).astype(dt.np)[()]


def _fits(v, dt):
    """c10's overflow test of a Python number for integer dtype `dt`: ints may wrap into an
    unsigned type from -max, floats must lie in [min, max] (nan never does)."""
    info = np.iinfo(dt.np)
    if isinstance(v, float):
        return info.min <= v <= info.max
    lo = -int(info.max) if info.min == 0 else int(info.min)
    return lo <= v <= info.max


_COPY_WARNING = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor)."
)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """Mirrors `torch.tensor`: always copies; infers the dtype like PyTorch."""
    dev = to_device(device)
    info = None
    if isinstance(data, Tensor):
        warnings.warn(_COPY_WARNING, UserWarning, stacklevel=2)
    if dtype is not None:
        dt = D.to_dtype(dtype)
    elif isinstance(data, Tensor):
        dt = data._dtype
    elif hasattr(data, "dtype") and hasattr(data, "shape"):
        dt = D.from_numpy_dtype(data.dtype)
    elif isinstance(data, _SEQS):
        info = _nested_info(data)
        dt = info[1]
    else:
        dt = _scalar_dt(data)
    if dev is None:
        if isinstance(data, Tensor):
            dev = data._device
        elif hasattr(data, "__cuda_array_interface__"):
            dev = device_of_array(data)
        else:
            dev = factory_device(None)
    arr = _array_from_data(data, dt, dev, info)
    t = _new_tensor(arr, dt, dev)
    if requires_grad:
        _requires_grad_on_create(t)
    return t


def as_tensor(data, dtype=None, device=None):
    """Mirrors `torch.as_tensor`: shares memory when dtype and device allow."""
    dt = D.to_dtype(dtype) if dtype is not None else None
    dev = to_device(device)
    if isinstance(data, Tensor):
        return data.to(dtype=dt, device=dev)
    if dev is None and not hasattr(data, "__cuda_array_interface__"):
        dev = factory_device(None)
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


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=None):
    """Mirrors `torch.asarray`. For a tensor, `requires_grad` defaults to the tensor's own
    (torch 2.13); a value that differs from the result's makes it a detached leaf, as in torch."""
    if isinstance(obj, Tensor):
        t = _asarray_tensor(obj, dtype, device, copy)
        if requires_grad is not None and t.requires_grad != bool(requires_grad):
            if requires_grad and not (t.is_floating_point() or t.is_complex()):
                raise RuntimeError("Only Tensors of floating point and complex dtype can "
                                   "require gradients")
            # torch sets the flag on a leaf itself (asarray(leaf, requires_grad=False) turns the
            # leaf's own flag off) and detaches anything else
            t = t if t.is_leaf else t.detach()
            t.requires_grad_(bool(requires_grad))
        return t
    if copy:
        t = tensor(obj, dtype=dtype, device=device)
    else:
        t = as_tensor(obj, dtype=dtype, device=device)
    if requires_grad:
        _requires_grad_on_create(t)
    return t


def _asarray_tensor(obj, dtype, device, copy):
    """The tensor itself, or its differentiable copy (clone, or `to` another dtype/device)."""
    dt = D.to_dtype(dtype) if dtype is not None else None
    dev = to_device(device)
    wrong_dtype = dt is not None and dt is not obj._dtype
    wrong_device = dev is not None and dev != obj.device
    if copy or (copy is None and (wrong_dtype or wrong_device)):
        if wrong_dtype or wrong_device:
            return obj.to(dtype=dt, device=dev, copy=True)
        return obj.clone()
    if wrong_device:
        raise ValueError(f"can't alias tensor from device '{obj.device}' to '{dev}'.")
    if wrong_dtype:
        from ._random import _scalar_name

        raise ValueError(f"can't alias tensor with dtype '{_scalar_name(obj._dtype)}' into "
                         f"dtype '{_scalar_name(dt)}'.")
    return obj


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


# ---------------------------------------------------------------- sizes
def _is_int(s):
    return isinstance(s, (int, np.integer)) and not isinstance(s, bool)


def _size_keyword(name, size, kw):
    """The shape given as `size=` (`torch.zeros(size=(2, 3))`) instead of positionally; other
    keywords, or a shape given both ways, raise torch's TypeError."""
    if set(kw) != {"size"} or size:
        got = ", ".join([type(v).__name__ for v in size]
                        + [f"{k}={type(v).__name__}" for k, v in kw.items()])
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({got})")
    return (kw["size"],)


def _size(size, name="zeros"):
    """PyTorch's size argument from varargs: ints, or one tuple/list/Size (or 0-d int tensor)."""
    if len(size) == 1:
        s0 = size[0]
        if isinstance(s0, (tuple, list)):
            return _size_items(s0, name, in_tuple=True)
        if isinstance(s0, Tensor):
            if s0._data.ndim == 0 and s0._dtype._kind == 1:
                return (int(s0.item()),)
            raise TypeError(
                f"{name}(): argument 'size' (position 1) must be tuple of ints, not Tensor"
            )
        if not _is_int(s0):
            raise TypeError(
                f"{name}(): argument 'size' (position 1) must be tuple of ints, not "
                f"{type(s0).__name__}"
            )
    return _size_items(size, name, in_tuple=False)


def _size_items(items, name, in_tuple):
    for s in items:
        if s.__class__ is not int or s < 0:
            break
    else:
        # the common case: plain non-negative ints
        return tuple(items)
    out = []
    for i, s in enumerate(items):
        if isinstance(s, Tensor) and s._data.ndim == 0 and s._dtype._kind == 1:
            s = s.item()
        if not _is_int(s):
            raise TypeError(
                f"{name}(): argument 'size' failed to unpack the object at pos {i + 1} with error "
                f"\"type must be tuple of ints,but got {type(s).__name__}\""
            )
        out.append(int(s))
    for s in out:
        if s < 0:
            if name == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {out}"
            )
    return tuple(out)


def _finish(arr, dt, dev, requires_grad):
    t = _new_tensor(arr, dt, dev)
    if requires_grad:
        _requires_grad_on_create(t)
    return t


def _dd(dtype, device):
    dt = D.get_default_dtype() if dtype is None else D.to_dtype(dtype)
    dev = factory_device(device)
    return dt, dev


def _write_out(res, out):
    if out is None:
        return res
    from ._ops._inplace import bump

    if out._data.shape == res._data.shape and out._dtype is res._dtype:
        out._data[...] = res._data
    else:
        out._data = res._data
        out._dtype = res._dtype
    bump(out)
    return out


def _check_layout(layout):
    """The `layout=` of the tensor-method factories: ember's tensors are all strided, so any
    other layout is refused rather than silently ignored."""
    if layout is not None and layout is not _strided_layout():
        raise NotImplementedError(f"layout={layout} is not supported here; only torch.strided")


def _strided_layout():
    from . import strided

    return strided


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None, **kw):
    """Mirrors `torch.zeros`."""
    if kw:
        size = _size_keyword("zeros", size, kw)
    dt, dev = _dd(dtype, device)
    res = _finish(dev.xp.zeros(_size(size, "zeros"), dtype=dt.np), dt, dev, requires_grad)
    return _write_out(res, out)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False, memory_format=None, **kw):
    """Mirrors `torch.ones`."""
    if kw:
        size = _size_keyword("ones", size, kw)
    dt, dev = _dd(dtype, device)
    res = _finish(dev.xp.ones(_size(size, "ones"), dtype=dt.np), dt, dev, requires_grad)
    return _write_out(res, out)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None, **kw):
    """Mirrors `torch.empty` (NumPy's uninitialised memory)."""
    if kw:
        size = _size_keyword("empty", size, kw)
    dt, dev = _dd(dtype, device)
    arr = dev.xp.empty(_size(size, "empty"), dtype=dt.np)
    if memory_format is not None:
        # torch.empty(..., memory_format=torch.channels_last): strides of that layout
        from ._memory_format import channel_order, check_rank, in_order

        check_rank(memory_format, arr.ndim)
        order = channel_order(memory_format, arr.ndim)
        if order is not None:
            arr = in_order(arr, order)
    res = _finish(arr, dt, dev, requires_grad)
    return _write_out(res, out)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Mirrors `torch.full`: the dtype follows the fill value when not given."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            f"full(): argument 'size' (position 1) must be tuple of ints, not "
            f"{type(size).__name__}"
        )
    for i, s in enumerate(size):
        if not _is_int(s):
            raise TypeError(
                "full(): argument 'size' (position 1) must be tuple of ints, but found element "
                f"of type {type(s).__name__} at pos {i}"
            )
    if isinstance(fill_value, Tensor):
        if dtype is None:
            dtype = fill_value._dtype
        fill_value = fill_value.item()
    dt = D.scalar_dtype(fill_value) if dtype is None else D.to_dtype(dtype)
    dev = factory_device(device)
    shape = _size((tuple(size),), "full")
    if dt._kind == 1 and fill_value.__class__ is float:
        # NumPy casts nan, inf and too large floats to integers silently
        fill_value = checked_fill(fill_value, dt)
    elif dt.np.kind == "f" and dt.np.itemsize < 8:
        # float16/32: a finite number beyond the type's range is torch's overflow error
        # (NumPy would round it to inf)
        fill_value = D.check_scalar(fill_value, dt)
    try:
        arr = dev.xp.full(shape, fill_value, dtype=dt.np)
    except (OverflowError, ValueError):
        arr = dev.xp.full(shape, checked_fill(fill_value, dt), dtype=dt.np)
    return _write_out(_finish(arr, dt, dev, requires_grad), out)


def _like(input, dtype, device, name):
    try:
        dt = input._dtype if dtype is None else D.to_dtype(dtype)
        dev = input._device if device is None else to_device(device)
    except AttributeError:
        if isinstance(input, Tensor):
            raise
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        ) from None
    return dt, dev


def _fill_like(input, dt, dev, memory_format, fill):
    """A new array of `input`'s shape holding `fill` (None: uninitialised), laid out as
    torch's *_like functions lay it out: with the default preserve_format a transposed or
    permuted input gives a transposed or permuted result (`stride()` shows it)."""
    arr = input._data
    xp = dev.xp
    st = None
    if memory_format is None and arr.flags.c_contiguous:
        pass
    elif xp is np and arr.__class__ is np.ndarray and arr.size:
        from . import _memory_format as MF

        if memory_format is None or memory_format is MF.preserve_format:
            if not arr.flags.c_contiguous and arr.ndim > 1:
                from ._ops.shape import _dense_strides

                st = _dense_strides(arr.shape, [s // arr.itemsize for s in arr.strides])
        else:
            MF.check_rank(memory_format, arr.ndim)
            order = MF.channel_order(memory_format, arr.ndim)
            if order is not None:
                # innermost dim first; `order` lists the dims outermost first
                st = [0] * arr.ndim
                cur = 1
                for i in reversed(order):
                    st[i] = cur
                    cur *= max(arr.shape[i], 1)
    if st is None:
        if fill is None:
            return xp.empty(arr.shape, dtype=dt.np)
        if fill.__class__ is int and fill == 0:
            # zeros, not full: a large zeroed array comes from calloc without a pass over it
            return xp.zeros(arr.shape, dtype=dt.np)
        return xp.full(arr.shape, fill, dtype=dt.np)
    item = np.dtype(dt.np).itemsize
    n = 1 + sum((d - 1) * s for d, s in zip(arr.shape, st))
    out = np.lib.stride_tricks.as_strided(np.empty(n, dt.np), arr.shape, [s * item for s in st])
    if fill is not None:
        out[...] = fill
    return out


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Mirrors `torch.zeros_like`."""
    dt, dev = _like(input, dtype, device, "zeros_like")
    return _finish(_fill_like(input, dt, dev, memory_format, 0), dt, dev, requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Mirrors `torch.ones_like`."""
    dt, dev = _like(input, dtype, device, "ones_like")
    return _finish(_fill_like(input, dt, dev, memory_format, 1), dt, dev, requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Mirrors `torch.empty_like`."""
    dt, dev = _like(input, dtype, device, "empty_like")
    return _finish(_fill_like(input, dt, dev, memory_format, None), dt, dev, requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Mirrors `torch.full_like` (the fill value is cast to the tensor's dtype)."""
    dt, dev = _like(input, dtype, device, "full_like")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    # torch's checked conversion of the number to the result dtype (wrapping -max..-1 into an
    # unsigned type, raising its overflow error beyond)
    fill_value = D.check_scalar(fill_value, dt)
    arr = _fill_like(input, dt, dev, memory_format, fill_value)
    return _finish(arr, dt, dev, requires_grad)


# ---------------------------------------------------------------- ranges
def _num(x):
    return x.item() if isinstance(x, Tensor) else x


def _is_float_arg(x):
    if isinstance(x, Tensor):
        return x._dtype._kind >= 2
    return isinstance(x, (float, np.floating))


def _fmt_bound(x):
    if isinstance(x, float) and math.isfinite(x) and x == int(x):
        return str(int(x))
    return str(x)


def _check_range_args(start, end, step):
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_fmt_bound(start)} -> {_fmt_bound(end)}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Mirrors `torch.arange`: int64 for integer arguments, else the default float dtype.

    Floating values are start + i * step computed in float64 and then cast (PyTorch's own
    kernel rounds the same way on its scalar path; its vector path can differ by one ulp).
    """
    if end is None:
        start, end = 0, start
    if (start.__class__ is int and end.__class__ is int and step.__class__ is int
            and dtype is None and out is None and not requires_grad and step > 0
            and 0 <= end - start < _ARANGE_DIRECT_MAX and -_ARANGE_DIRECT_MAX < start
            and end < _ARANGE_DIRECT_MAX):
        # arange(n), arange(a, b): int64 on the default device. The checks and conversions
        # below cost 2.5 of the 4 us of arange(10) (1.6 us in torch); these arguments pass
        # them all, and np.arange gives the same integers as a + s * arange(n)
        dev = factory_device(device)
        if dev is CPU:
            return _new_tensor(np.arange(start, end, step, dtype=np.int64), D.int64, CPU)
    is_float = _is_float_arg(start) or _is_float_arg(end) or _is_float_arg(step)
    start = _num(start)
    end = _num(end)
    step = _num(step)
    if dtype is None and out is not None:
        # torch takes the values in out's dtype (arange(3, out=float_tensor) gives 0., 1., 2.)
        dtype = out.dtype
    if dtype is None:
        dt = D.get_default_dtype() if is_float else D.int64
    else:
        dt = D.to_dtype(dtype)
    if dt is D.bool_:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    dev = factory_device(device)
    _check_range_args(start, end, step)
    if dt._kind == 1:
        # integer dtypes take integer start, end and step, as PyTorch does
        a, b, s = int(start), int(end), int(step)
        if s == 0:
            raise RuntimeError("step must be nonzero")
        n = max(0, -((a - b) // s))
        _check_size(n)
        arr = (a + s * np.arange(n, dtype=np.int64)).astype(dt.np)
    else:
        n = max(0, math.ceil((end - start) / step))
        _check_size(n)
        arr = (start + np.arange(n, dtype=np.float64) * step).astype(dt.np)
    if dev.type != "cpu":
        arr = move(arr, dev)
    return _write_out(_finish(arr, dt, dev, requires_grad), out)


# bounds of arange's direct path: far from int64's limits
_ARANGE_DIRECT_MAX = 1 << 62


def _check_size(n):
    if n >= 1 << 63:
        raise RuntimeError("invalid size, possible overflow?")


_RANGE_WARNING = (
    "torch.range is deprecated and will be removed in a future release because its behavior is "
    "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values "
    "in [start, end)."
)


def range_(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Mirrors the deprecated `torch.range`: end inclusive, default float dtype."""
    warnings.warn(_RANGE_WARNING, UserWarning, stacklevel=2)
    if end is None:
        start, end = 0, start
    start = _num(start)
    end = _num(end)
    step = _num(step)
    dt, dev = _dd(dtype, device)
    _check_range_args(start, end, step)
    n = math.floor((end - start) / step) + 1
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(dt.np)
    return _write_out(_finish(move(arr, dev), dt, dev, requires_grad), out)


public("range", method=False)(range_)


def _halves(start, end, steps, np_dtype):
    """PyTorch's linspace values: the first half from start, the second half back from end."""
    if steps == 1:
        return np.full(1, start, dtype=np_dtype)
    idx = np.arange(steps)
    step = (end - start) / (steps - 1)
    head = start + step * idx
    tail = end - step * (steps - 1 - idx)
    return np.where(idx < steps // 2, head, tail).astype(np_dtype)


def torch_linspace(start, end, steps, np_dtype):
    """linspace in a float dtype exactly as torch's CPU kernel rounds it (float32 and float64
    checked; float16 as affine_grid's base grid uses it): the step
    computed in the dtype, then round(start + step * k) for the first half and
    round(end - step * (steps - 1 - k)) for the second, one rounding each (a fused multiply-add;
    the product and sum are exact in float64 for float32 operands, and in long double for
    float64 ones). Checked against torch in tests/test_creation.py."""
    dt = np.dtype(np_dtype)
    if steps == 1:
        return np.full(1, start, dtype=dt)
    s = dt.type(start)
    e = dt.type(end)
    if dt == np.float64:
        step = np.longdouble((e - s) / (steps - 1))
        k = np.arange(steps, dtype=np.longdouble)
        out = np.where(k < steps // 2, np.longdouble(s) + step * k,
                       np.longdouble(e) - step * (steps - 1 - k))
        return out.astype(dt)
    step = float(dt.type(dt.type(e - s) / dt.type(steps - 1)))
    k = np.arange(steps, dtype=np.float64)
    return np.where(k < steps // 2, float(s) + step * k,
                    float(e) - step * (steps - 1 - k)).astype(dt)


def _check_steps(name, start, end, steps):
    if not _is_int(steps):
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got "
            f"({type(start).__name__}, {type(end).__name__}, {type(steps).__name__}), but "
            "expected one of:"
        )
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """Mirrors `torch.linspace`."""
    _check_steps("linspace", start, end, steps)
    start = _num(start)
    end = _num(end)
    dt = D.get_default_dtype() if dtype is None else D.to_dtype(dtype)
    if dtype is None and (isinstance(start, complex) or isinstance(end, complex)):
        dt = D.default_complex()
    if dt is D.bool_:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    dev = factory_device(device)
    if (dt.np in (np.float32, np.float64) and steps > 0 and not isinstance(start, complex)
            and not isinstance(end, complex)):
        arr = torch_linspace(start, end, steps, dt.np)
        return _write_out(_finish(move(arr, dev), dt, dev, requires_grad), out)
    wide = np.complex128 if dt.is_complex else np.float64
    arr = _halves(start, end, steps, wide)
    if dt._kind == 1:
        arr = np.trunc(arr)
    arr = arr.astype(dt.np)
    return _write_out(_finish(move(arr, dev), dt, dev, requires_grad), out)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """Mirrors `torch.logspace`: base ** linspace(start, end, steps)."""
    _check_steps("logspace", start, end, steps)
    dt, dev = _dd(dtype, device)
    if dt is D.bool_:
        raise NotImplementedError("\"logspace_cpu\" not implemented for 'Bool'")
    arr = np.power(float(base), _halves(_num(start), _num(end), steps, np.float64))
    if dt._kind == 1:
        arr = np.trunc(arr)
    return _write_out(_finish(move(arr.astype(dt.np), dev), dt, dev, requires_grad), out)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Mirrors `torch.eye`."""
    for name, v, pos in (("n", n, 1), ("m", m, 2)):
        if v is None:
            continue
        if not _is_int(v):
            raise TypeError(
                f"eye(): argument '{name}' (position {pos}) must be int, not {type(v).__name__}"
            )
        if v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    dt, dev = _dd(dtype, device)
    if m is None:
        m = n
    return _write_out(_finish(dev.xp.eye(n, m, dtype=dt.np), dt, dev, requires_grad), out)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    """Mirrors `torch.scalar_tensor`."""
    dt, dev = _dd(dtype, device)
    return _finish(dev.xp.asarray(_num(s), dtype=dt.np), dt, dev, requires_grad)


# ---------------------------------------------------------------- index helpers
def _tri_indices(name, row, col, offset, dtype, device, lower):
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    dt = D.int64 if dtype is None else D.to_dtype(dtype)
    if dt._kind != 1:
        from ._ops._inplace import _TORCH_NAMES

        raise NotImplementedError(f"\"{name}\" not implemented for '{_TORCH_NAMES[dt.name]}'")
    dev = factory_device(device)
    if lower:
        r, c = np.tril_indices(row, offset, col)
    else:
        r, c = np.triu_indices(row, offset, col)
    arr = np.stack([r, c]).astype(dt.np).reshape(2, -1)
    return _new_tensor(move(arr, dev), dt, dev)


@public("tril_indices", method=False)
def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Mirrors `torch.tril_indices`: (2, N) row and column indices of the lower triangle."""
    return _tri_indices("tril_indices", row, col, offset, dtype, device, True)


@public("triu_indices", method=False)
def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Mirrors `torch.triu_indices`."""
    return _tri_indices("triu_indices", row, col, offset, dtype, device, False)


_MESHGRID_WARNING = (
    "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument."
)
# non-empty once meshgrid has warned in this process
_MESHGRID_WARNED = []


@public("meshgrid", method=False)
def meshgrid(*tensors, indexing=None):
    """Mirrors `torch.meshgrid`: broadcast views; 'ij' (the default) or 'xy' indexing."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        if not _MESHGRID_WARNED:
            # torch's TORCH_WARN_ONCE: the first call in the process warns, no later one
            _MESHGRID_WARNED.append(True)
            warnings.warn(_MESHGRID_WARNING, UserWarning, stacklevel=2)
        indexing = "ij"
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    first = tensors[0]
    for t in tensors[1:]:
        if t._dtype is not first._dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        if t._device != first._device:
            raise RuntimeError("meshgrid expects all tensors to have the same device")
    if indexing not in ("ij", "xy"):
        raise RuntimeError(
            f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}"
        )
    for i, t in enumerate(tensors):
        if t._data.ndim > 1:
            dims = ",".join(str(s) for s in t._data.shape)
            raise RuntimeError(
                "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: "
                f"[ {t.type()}{{{dims}}} ]"
            )
    n = len(tensors)
    axes = list(range(n))
    if indexing == "xy" and n >= 2:
        # 'xy' swaps the roles of the first two axes (Cartesian, not matrix, indexing)
        axes[0], axes[1] = 1, 0
    sizes = [t._data.size for t in tensors]
    shape = [0] * n
    for i, ax in enumerate(axes):
        shape[ax] = sizes[i]
    out = []
    for i, t in enumerate(tensors):
        view = [1] * n
        view[axes[i]] = sizes[i]
        out.append(t.reshape(tuple(view)).expand(tuple(shape)))
    return tuple(out)


@public("cartesian_prod", method=False)
def cartesian_prod(*tensors):
    """Mirrors `torch.cartesian_prod`."""
    import ember

    from ._ops._registry import OPS  # noqa: F401  (ops are loaded by now)

    for t in tensors:
        if t._data.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t._data.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return ember.stack([g.reshape(-1) for g in grids], 1)


@public("complex", method=False)
def complex_(real, imag, *, out=None):
    """Mirrors `torch.complex`: real + i * imag."""
    from .autograd.grad_mode import GRAD

    _check_complex_parts(real, imag)
    if GRAD.enabled and (real._rg or imag._rg):
        return _write_out(real + imag * 1j, out)
    # set the parts directly: real + imag * 1j makes nan + inf j of an infinite imag part
    # (inf * 1j is nan + inf j), where torch keeps the real part
    xp = real._device.xp
    shape = np.broadcast_shapes(real._data.shape, imag._data.shape)
    cdt = D.complex128 if real._dtype is D.float64 else D.complex64
    arr = xp.empty(shape, dtype=cdt.np)
    arr.real = real._data
    arr.imag = imag._data
    return _write_out(_new_tensor(arr, cdt, real._device), out)


def _check_complex_parts(real, imag):
    # torch.complex and torch.polar take two floating tensors of one dtype
    from ._ops._inplace import _TORCH_NAMES

    for t in (real, imag):
        if t._dtype not in (D.float16, D.float32, D.float64):
            raise RuntimeError(
                "Expected both inputs to be Half, Float or Double tensors but got "
                f"{_TORCH_NAMES[real._dtype.name]} and {_TORCH_NAMES[imag._dtype.name]}"
            )
    if real._dtype is not imag._dtype:
        raise RuntimeError(
            f"Expected object of scalar type {_TORCH_NAMES[real._dtype.name]} but got scalar "
            f"type {_TORCH_NAMES[imag._dtype.name]} for second argument"
        )


@public("polar", method=False)
def polar(abs, angle, *, out=None):
    """Mirrors `torch.polar`: abs * (cos(angle) + i sin(angle))."""
    import ember

    _check_complex_parts(abs, angle)
    if abs._dtype is D.float16:
        raise NotImplementedError("\"polar_cpu\" not implemented for 'Half'")
    return complex_(abs * ember.cos(angle), abs * ember.sin(angle), out=out)


# ---------------------------------------------------------------- the legacy constructors
_NEW_CHOICES = "new() received an invalid combination of arguments"


def _legacy_data(args, dtype, device):
    """(array, dtype, device) for `Tensor(*args)`: sizes, data, a Size, or a tensor to alias."""
    dt = D.get_default_dtype() if dtype is None else D.to_dtype(dtype)
    dev = factory_device(device)
    if not args:
        return dev.xp.empty((0,), dtype=dt.np), dt, dev
    if len(args) == 1:
        a = args[0]
        if isinstance(a, Tensor):
            if dtype is not None and a._dtype is not dt:
                raise TypeError(
                    f"expected TensorOptions(dtype={_cpp(dt)}, device=cpu) (got "
                    f"TensorOptions(dtype={_cpp(a._dtype)}, device=cpu))"
                )
            return a._data, a._dtype, a._device
        if isinstance(a, Size):
            return dev.xp.zeros(_size((tuple(a),), "new"), dtype=dt.np), dt, dev
        if not _is_int(a):
            return _array_from_data(a, dt, dev), dt, dev
    elif any(isinstance(s, (list, tuple)) for s in args):
        raise TypeError(_NEW_CHOICES + f" - got ({', '.join(type(s).__name__ for s in args)})")
    shape = _size_items(args, "new", False)
    return dev.xp.zeros(shape, dtype=dt.np), dt, dev


def _cpp(dt):
    return {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "bool": "bool", "float16": "c10::Half", "uint8": "unsigned char",
            "int8": "signed char", "int16": "short int"}.get(dt.name, dt.name)


class _LegacyType(type):
    """Metaclass of torch.FloatTensor & co: a constructor and an isinstance check."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._dtype is cls.dtype and obj._device.type == "cpu"

    def __call__(cls, *args, device=None):
        return Tensor(*args, dtype=cls.dtype, device=device)

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _legacy(name, dt):
    return _LegacyType(name, (), {"dtype": dt, "is_cuda": False, "is_sparse": False})


for _name, _dt in (("FloatTensor", D.float32), ("DoubleTensor", D.float64),
                   ("HalfTensor", D.float16), ("LongTensor", D.int64), ("IntTensor", D.int32),
                   ("ShortTensor", D.int16), ("CharTensor", D.int8), ("ByteTensor", D.uint8),
                   ("BoolTensor", D.bool_)):
    FUNCTIONS[_name] = _legacy(_name, _dt)
del _name, _dt
