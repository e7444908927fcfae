"""Indexing: `Tensor.__getitem__`/`__setitem__`, gather/scatter, index_* and masked_* ops.

Everything reduces to two differentiable ops on an index pair (see _indexing.py):
`index` reads `a[first][second]` (its gradient scatters g back, repeated indices adding up) and
`index_put` writes or adds values there (gradients: g with the written region zeroed, and g read
at the region). The public ops are aliases of these two that differ only in their grad_fn name.
"""

import math

import numpy as np

from .. import _dtype as D
from .._device import CPU as _CPU
from .._tensor import Tensor, _new_tensor, _wrap_dim
from ..autograd.grad_mode import GRAD
from ._bind import method, public
from ._indexing import _FULL, parse, put, take, xp_of
from ._inplace import _TORCH_NAMES, _rebase_base, bump, check_leaf, inplace
from ._registry import apply, defop, renamed
from .shape import _select, _slice, _view, cut_view, reshape


# ---------------------------------------------------------------- the two ops
@defop("index", promote=False, grad_name="IndexBackward0")
def _index(xp, a, index):
    return take(a, index)


@_index.defgrad
def _(F, g, out, a, need, extra, index):
    return (F.index_scatter(a.shape, index, g),)


@defop("index_put", promote=False, grad_name="IndexPutBackward0")
def _index_put(xp, a, v, index, accumulate, inplace):
    out = a if inplace else a.copy()
    put(out, index, v, accumulate)
    return out


@_index_put.defgrad
def _(F, g, out, a, v, need, extra, index, accumulate, inplace):
    ga = None
    gv = None
    if need[0]:
        ga = g if accumulate else F.index_zero(g, index)
    if need[1]:
        gv = F.sum_to(F.index_take(g, index), v.shape)
    return ga, gv


def _alias(base, name, grad_name):
    # the same forward and rule under another name (PyTorch's grad_fn names differ per op)
    op = defop(name, promote=False, grad_name=grad_name)(base.fwd)
    op.bwd = base.bwd
    return op


_gather = _alias(_index, "gather", "GatherBackward0")
_index_select = _alias(_index, "index_select", "IndexSelectBackward0")
_take = _alias(_index, "take", "TakeBackward0")
_masked_select = _alias(_index, "masked_select", "MaskedSelectBackward0")
_scatter = _alias(_index_put, "scatter", "ScatterBackward0")
_scatter_add = _alias(_index_put, "scatter_add", "ScatterAddBackward0")
_index_add = _alias(_index_put, "index_add", "IndexAddBackward0")
_index_copy = _alias(_index_put, "index_copy", "IndexCopyBackward0")
_masked_scatter = _alias(_index_put, "masked_scatter", "MaskedScatterBackward0")
_put = _alias(_index_put, "put", "PutBackward0")
_setitem_basic = _alias(_index_put, "setitem", "torch::autograd::CopySlices")


@defop("index_fill", promote=False, grad_name="IndexFillBackward1")
def _index_fill(xp, a, v, index, accumulate, inplace):
    out = a.copy()
    put(out, index, v, False)
    return out


@_index_fill.defgrad
def _(F, g, out, a, v, need, extra, index, accumulate, inplace):
    ga = F.index_zero(g, index) if need[0] else None
    gv = None
    if need[1]:
        # each filled position counts once, however often the index repeats it
        gv = F.sum(g - F.index_zero(g, index))
    return ga, gv


def _put_params(pair, accumulate=False, inplace=False):
    return {"index": pair, "accumulate": accumulate, "inplace": inplace}


# ---------------------------------------------------------------- rule namespace functions
def _take_arr(x, index):
    return take(x, index)


def _take_t(x, index):
    return apply(_index, (x,), {"index": index})


def _scatter_arr(shape, index, values):
    xp = xp_of(values)
    out = xp.zeros(shape, dtype=values.dtype)
    put(out, index, values, True)
    return out


def _scatter_t(shape, index, values):
    from .._creation import zeros

    z = zeros(tuple(shape), dtype=values._dtype, device=values._device)
    return apply(_index_put, (z, values), _put_params(index, True))


def _zero_arr(g, index):
    # copy (a NumPy scalar, which backward may pass, becomes a 0-d array)
    out = xp_of(g).array(g)
    put(out, index, 0, False)
    return out


def _zero_t(g, index):
    return apply(_index_put, (g, 0), _put_params(index))


def _register_ns():
    from ._namespace import register_ns

    register_ns("index_take", _take_arr, _take_t)
    register_ns("index_scatter", _scatter_arr, _scatter_t)
    register_ns("index_zero", _zero_arr, _zero_t)


_register_ns()


@public("_index_put_acc", method=False)
def _index_put_acc(z, index, values):
    """z with `values` added at the NumPy index `index` (repeated indices add up);
    differentiable in both. Used by the Tensor namespace of backward rules."""
    index = _raw_index(index, z._device)
    return apply(_index_put, (z, values), _put_params((None, index), True))


def _raw_index(index, dev):
    from .._device import move

    if isinstance(index, Tensor):
        return move(index._data, dev)
    if isinstance(index, tuple):
        return tuple(_raw_index(i, dev) for i in index)
    return index


# ---------------------------------------------------------------- __getitem__
def _xp(t):
    d = t._device
    return np if d.type == "cpu" else d.xp


@method("__getitem__")
def getitem(self, index):
    """Mirrors `torch.Tensor.__getitem__`: basic indexing is a view, advanced a copy."""
    c = index.__class__
    if c is int:
        shape = self._data.shape
        if shape and -shape[0] <= index < shape[0]:
            return cut_view(self, _select, (index, Ellipsis))
    elif c is tuple or index is None:
        # x[:, 1], x[1:3, 2:], x[None]: parse and pick the node name in one pass (parse, then
        # _view_op, took 1.8 us of the 3.2 us x[:, 1] cost on an 8x16 tensor)
        fast = _basic_view(self, index)
        if fast is not None:
            return fast
    elif c is Tensor:
        fast = _tensor_index(self, index)
        if fast is not None:
            return fast
    p = parse(index, self._data.shape, _xp(self), self._device)
    first, second = p.pair
    if second is None:
        if index.__class__ is slice:
            # a lone slice is always applied, even a full one
            return cut_view(self, _slice, first)
        return cut_view(self, _view_op(first, self._data.shape), first)
    pair = _owned(p.pair) if self._rg and GRAD.enabled else p.pair
    return apply(_index, (self,), {"index": pair})


def _owned(pair):
    """`pair` with its index arrays copied, for a node that keeps it until backward: an index
    array can be a tensor's own data (x[idx], x[mask] = v), and an in-place change to that
    tensor afterwards (`idx += 1` in a loop) must not change which elements the gradient goes
    to. (torch saves the index tensor and raises at backward; ember keeps the index the op
    used, so the gradient is the right one.)"""
    first, second = pair
    if second is None:
        return pair
    if second.__class__ is tuple:
        return first, tuple(s.copy() if hasattr(s, "__array_interface__") or
                            hasattr(s, "__cuda_array_interface__") else s for s in second)
    if hasattr(second, "copy") and second.__class__ is not slice:
        return first, second.copy()
    return pair


def _basic_view(self, index):
    """`self[index]` for `index` None or a tuple of in-range ints, step-less slices of plain
    ints and Nones (no Ellipsis), or None when the index is anything else: the general parse
    then handles it (and reports errors)."""
    shape = self._data.shape
    if index is None:
        return cut_view(self, _unsqueeze_view, _NONE_KEY)
    op = _alias_view
    dim = 0
    nd = len(shape)
    for it in index:
        c = it.__class__
        if c is int:
            if dim >= nd:
                return None
            n = shape[dim]
            if it >= n or it < -n:
                return None
            op = _select
            dim += 1
        elif c is slice:
            if dim >= nd or it.step is not None:
                return None
            start = it.start
            stop = it.stop
            if start is not None or stop is not None:
                if (start is not None and start.__class__ is not int) or (
                    stop is not None and stop.__class__ is not int
                ):
                    return None
                # full only when it starts at 0 and reaches the end (slice.indices clamps
                # out-of-range bounds as the view does)
                n = shape[dim]
                b, e, _ = it.indices(n)
                if b != 0 or e != n:
                    op = _slice
            dim += 1
        elif it is None:
            op = _unsqueeze_view
        else:
            return None
    return cut_view(self, op, index + _ELL_KEY)


def _tensor_index(self, index):
    """`self[index]` for a CPU long or int tensor `index` of at least one dimension, or None
    for anything else (and for out-of-range indices: the general path reports them).

    The general parse checked the bounds with two reductions and built the index pair in
    several passes (7 us for x[idx] on an 8x16 tensor); NumPy checks the bounds itself, with
    the same accepted range [-n, n), so its IndexError just hands over to the general path.
    """
    dt = index._dtype
    if (dt is not D.int64 and dt is not D.int32) or index._device is not _CPU:
        return None
    arr = index._data
    if arr.ndim == 0 or self._device is not _CPU or self._data.ndim == 0:
        return None
    if (self._rg and GRAD.enabled) or self._dtype is D.bfloat16:
        try:
            return apply(_index, (self,), {"index": (None, (arr.copy(),))})
        except IndexError:
            return None
    try:
        out = self._data[arr]
    except IndexError:
        return None
    return _new_tensor(out, self._dtype, _CPU)


_NONE_KEY = (None, Ellipsis)
_ELL_KEY = (Ellipsis,)


# torch applies a basic index item by item (select, slice, unsqueeze), skipping full slices;
# the view's node is named after the last one applied, AliasBackward0 when none was
_unsqueeze_view = renamed(_slice, "UnsqueezeBackward0")
_alias_view = renamed(_slice, "AliasBackward0")


def _view_op(key, shape):
    op = _alias_view
    dim = 0
    n_ell = len(shape) - sum(1 for k in key if k is not None and k is not Ellipsis)
    for k in key:
        c = k.__class__
        if c is int:
            op = _select
            dim += 1
        elif c is slice:
            if not _is_full(k, shape[dim]):
                op = _slice
            dim += 1
        elif k is None:
            op = _unsqueeze_view
        else:
            dim += n_ell
            # the Ellipsis closing a parsed key comes last
            n_ell = 0
    return op


def _is_full(s, n):
    start, stop, step = s.indices(n)
    return start == 0 and stop == n and step == 1


# ---------------------------------------------------------------- __setitem__
_INT_LIMITS = {
    "uint8": (-255, 255, "uint8_t"),
    "int8": (-128, 127, "int8_t"),
    "int16": (-(2**15), 2**15 - 1, "int16_t"),
    "int32": (-(2**31), 2**31 - 1, "int"),
    "int64": (-(2**63), 2**63 - 1, "int64_t"),
}
_F32_MAX = float(np.finfo(np.float32).max)


def _overflow(cname):
    raise RuntimeError(f"value cannot be converted to type {cname} without overflow")


def scalar_for(value, dt):
    """A Python scalar checked (PyTorch's overflow errors) and ready to write into `dt`."""
    if isinstance(value, np.generic):
        value = value.item()
    name = dt.name
    if dt._kind == 1:
        # integers: c10's checked conversion (an unsigned type takes ints from -max, floats
        # only from 0)
        return D.check_scalar(value, dt)
    if value.__class__ is complex and dt._kind < 3:
        if name == "bool":
            return bool(value)
        if value.imag != 0:
            # a half-precision destination reads the number as a double first
            _overflow(_C_NAMES.get(name, "double"))
        value = value.real
    lim = _INT_LIMITS.get(name)
    if lim is not None:
        if math.isnan(value) or value < lim[0] or value > lim[1]:
            _overflow(lim[2])
        value = int(value)
        if name == "uint8" and value < 0:
            value += 256
    elif name == "float32":
        if abs(value) > _F32_MAX and abs(value) != float("inf"):
            _overflow("float")
    elif name == "complex64":
        c = complex(value)
        for part in (c.real, c.imag):
            if abs(part) > _F32_MAX and abs(part) != float("inf"):
                _overflow("c10::complex<float>")
    return value


_C_NAMES = {"float32": "float", "float64": "double", "bool": "bool"}

_LEAF = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_LEAF = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)


@method("__setitem__")
def setitem(self, index, value):
    """Mirrors `torch.Tensor.__setitem__`: writes through memory (views see it), bumps the
    version and records the write for autograd."""
    if index is True:
        # torch copies into self.unsqueeze(0), as for a None index (any dtype, any shape)
        index = None
    elif index is False:
        # and writes nothing at all for a bare False
        return
    p = parse(index, self._data.shape, _xp(self), self._device)
    _write(self, p, value, False)


def _write(self, p, value, accumulate):
    pair = p.pair
    basic = pair[1] is None
    if GRAD.enabled:
        if self._rg and self._node is None:
            raise RuntimeError(_VIEW_LEAF if p.viewish else _LEAF)
        check_leaf(self)
    if isinstance(value, Tensor):
        v = _value_tensor(self, value, basic or (p.only_mask and value._data.size == 1))
        vrg = v._rg
    elif isinstance(value, (bool, int, float, complex, np.generic)):
        v = scalar_for(value, self._dtype)
        vrg = False
    else:
        t = type(value)
        tname = t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"
        raise TypeError(f"can't assign a {tname} to a {self.type()}")
    if not (GRAD.enabled and (self._rg or vrg)):
        raw = v._data if isinstance(v, Tensor) else v
        data = self._data
        if not data.flags.writeable and data.__class__ is np.ndarray:
            data = _expanded_target(self, pair, basic, p.only_mask and
                                    getattr(raw, "size", 1) == 1)
        try:
            put(data, pair, raw, accumulate)
        except ValueError as e:
            _raise_shape(self, pair, raw, basic, e)
        bump(self)
        return
    op = _setitem_basic if basic else _index_put
    try:
        res = apply(op, (self, v), _put_params(_owned(pair), accumulate, True))
    except ValueError as e:
        _raise_shape(self, pair, v, basic, e)
    _adopt(self, res._node)


def _value_tensor(self, value, cast_ok):
    if value._dtype is not self._dtype:
        if not cast_ok:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{_TORCH_NAMES[self._dtype.name]} for the destination and "
                f"{_TORCH_NAMES[value._dtype.name]} for the source."
            )
        value = value.to(self._dtype)
    if value._device is not self._device:
        value = value.to(self._device)
    vs = value._data.shape
    k = 0
    while k < len(vs) and vs[k] == 1:
        k += 1
    if k:
        # PyTorch drops the value's leading ones before broadcasting it to the region
        value = apply(_view, (value,), {"shape": vs[k:]})
    return value


def _expanded_target(self, pair, basic, mask_fill):
    """Where a write into a read-only self goes: for an expanded self, torch writes through
    (a basic index must pick elements that do not alias; an advanced one warns)."""
    from ._inplace import expanded_warning, is_expanded, overlap_error, writable_view

    data = self._data
    if not is_expanded(data):
        return data
    w = writable_view(data)
    if w is None:
        return data
    if basic:
        region = take(data, pair)
        if getattr(region, "ndim", 0) and is_expanded(region):
            overlap_error(region, ValueError("read-only"))
    else:
        expanded_warning("index_put_")
        if mask_fill:
            expanded_warning("masked_fill_")
    return w


def _checked_put(self, pair, raw, accumulate, basic):
    try:
        put(self._data, pair, raw, accumulate)
    except ValueError as e:
        _raise_shape(self, pair, raw, basic, e)


def _raise_shape(self, pair, v, basic, err):
    if "broadcast" not in str(err):
        raise err
    region = take(self._data, pair).shape
    vshape = tuple(getattr(v, "shape", ()))
    if not basic:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(vshape)} cannot be broadcast to "
            f"indexing result of shape {list(region)}"
        ) from None
    if len(vshape) > len(region):
        raise RuntimeError(
            f"expand({self.type()}{{{list(vshape)}}}, size={list(region)}): the number of sizes "
            f"provided ({len(region)}) must be greater or equal to the number of dimensions in "
            f"the tensor ({len(vshape)})"
        ) from None
    lead = len(region) - len(vshape)
    for i, s in enumerate(vshape):
        if s != 1 and s != region[lead + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({region[lead + i]}) must match the existing "
                f"size ({s}) at non-singleton dimension {lead + i}.  Target sizes: "
                f"{list(region)}.  Tensor sizes: {list(vshape)}"
            ) from None
    raise err


def _adopt(self, node):
    """self's data was written in place by the op whose node is `node`: move self onto it."""
    bump(self)
    if self._retains_grad:
        import weakref

        old = self._node
        if old is not None and old.retain is not None:
            # .grad now follows the written tensor only (PyTorch moves retain_grad along)
            old.retain = None
        node.retain = weakref.ref(self)
    self._node = node
    self._rg = True
    if self._view_of is not None:
        _rebase_base(self)


# ---------------------------------------------------------------- index_put
def _parse_put(self, indices, name):
    if isinstance(indices, Tensor):
        raise TypeError(
            f"{name}(): argument 'indices' (position 2) must be tuple of Tensors, not Tensor"
        )
    idx = []
    for i, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 1, but got {type(t).__name__}"
            )
        # every index tensor is an advanced index here (NumPy's rules), 0-d ones included:
        # a length-1 vector broadcasts the same way
        idx.append(t.reshape(1) if t._data.ndim == 0 and t._dtype._kind == 1 else t)
    return parse(tuple(idx), self._data.shape, _xp(self), self._device)


@public("index_put")
def index_put(input, indices, values, accumulate=False):
    """Mirrors `torch.index_put`: a copy of input with values written (or added) at indices."""
    p = _parse_put(input, indices, "index_put")
    if not isinstance(values, Tensor):
        raise TypeError(
            "index_put(): argument 'values' (position 3) must be Tensor, not "
            f"{type(values).__name__}"
        )
    v = _value_tensor(input, values, p.only_mask and values._data.size == 1)
    try:
        pair = _owned(p.pair) if GRAD.enabled and (input._rg or v._rg) else p.pair
        return apply(_index_put, (input, v), _put_params(pair, bool(accumulate)))
    except ValueError as e:
        _raise_shape(input, p.pair, v, False, e)


@method("index_put_")
def index_put_(self, indices, values, accumulate=False):
    """Mirrors `torch.Tensor.index_put_`."""
    p = _parse_put(self, indices, "index_put_")
    _write(self, p, values, bool(accumulate))
    return self


# ---------------------------------------------------------------- dim-wise index helpers
def _check_index_dtype(index, msg, allowed=("int64", "int32"), exc=RuntimeError):
    if index._dtype.name not in allowed:
        raise exc(msg.format(_TORCH_NAMES[index._dtype.name]))


def _first_bad(arr, lo, hi):
    """The first value of arr outside [lo, hi), or None."""
    if arr.size == 0:
        return None
    u = _UNSIGNED.get(arr.dtype) if lo == 0 and arr.__class__ is np.ndarray else None
    if u is not None:
        # one reduction instead of two (0.9 us each on a small index): read as unsigned,
        # negative values are above every size
        if int(_umax(arr.view(u), None)) < hi:
            return None
    elif int(arr.min()) >= lo and int(arr.max()) < hi:
        return None
    flat = arr.ravel()
    bad = (flat < lo) | (flat >= hi)
    return int(flat[int(bad.argmax())])


_umax = np.maximum.reduce
_UNSIGNED = {np.dtype(np.int64): np.dtype(np.uint64), np.dtype(np.int32): np.dtype(np.uint32)}
# (shape, axis) -> the position aranges of _full_index on the CPU (read-only, shared), bounded
_FULL_INDEX = {}


def _full_index(xp, idx, d):
    """The NumPy index that reads `idx` along axis d and position elsewhere (gather/scatter)."""
    nd = idx.ndim
    if xp is np:
        # the aranges depend only on the shape: built once (they took 1.5 us per gather)
        key = (idx.shape, d)
        out = _FULL_INDEX.get(key)
        if out is None:
            out = list(_full_index_np(idx, d))
            if len(_FULL_INDEX) >= 256:
                _FULL_INDEX.clear()
            _FULL_INDEX[key] = out
        out = out.copy()
        out[d] = idx
        return tuple(out)
    out = []
    for k in range(nd):
        if k == d:
            out.append(idx)
        else:
            shape = [1] * nd
            shape[k] = idx.shape[k]
            out.append(xp.arange(idx.shape[k]).reshape(shape))
    return tuple(out)


def _full_index_np(idx, d):
    nd = idx.ndim
    for k in range(nd):
        if k == d:
            yield None
        else:
            shape = [1] * nd
            shape[k] = idx.shape[k]
            r = np.arange(idx.shape[k]).reshape(shape)
            r.flags.writeable = False
            yield r


def _as_1d(t):
    return reshape(t, (1,)) if t._data.ndim == 0 else t


def _index_array(index, dev):
    arr = index._data
    if index._device is not dev:
        from .._device import move

        arr = move(arr, dev)
    return arr


# ---------------------------------------------------------------- gather / scatter
@public("gather")
def gather(input, dim, index, *, sparse_grad=False, out=None):
    """Mirrors `torch.gather`: out[i][j] = input[i][index[i][j]] (for dim=1)."""
    _check_index_dtype(index, "gather(): Expected dtype int32/int64 for index")
    a_nd = max(input._data.ndim, 1)
    if max(index._data.ndim, 1) != a_nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    d = _wrap_dim(dim, input._data.ndim)
    ashape = _shape1(input)
    ishape = _shape1(index)
    for k in range(a_nd):
        if k != d and ishape[k] > ashape[k]:
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {list(index.shape)} to be "
                f"no larger than self {list(input.shape)} apart from dimension {d}"
            )
    idx = _index_array(index, input._device).reshape(ishape)
    _bounds(idx, ashape[d], d)
    src = _as_1d(input)
    key = _full_index(_xp(input), idx, d)
    if (src._device is _CPU and not (src._rg and GRAD.enabled) and src._dtype is not D.bfloat16
            and index._data.ndim and out is None):
        # what apply would do (no promotion, no node to record), without its argument handling
        return _new_tensor(src._data[key], src._dtype, _CPU)
    res = apply(_gather, (src,), {"index": (None, key)})
    if index._data.ndim == 0:
        res = reshape(res, ())
    return _finish(res, out)


def _shape1(t):
    return t._data.shape if t._data.ndim else (1,)


def _bounds(idx, n, d):
    v = _first_bad(idx, 0, n)
    if v is not None:
        raise RuntimeError(f"index {v} is out of bounds for dimension {d} with size {n}")


def _finish(res, out):
    if out is None:
        return res
    from .elementwise import _out

    return _out(res, out)


def _scatter_prep(input, dim, index, src, name):
    """Checks of scatter/scatter_add; returns (pair, src or None)."""
    _check_index_dtype(index, f"{name}(): Expected dtype int32/int64 for index")
    a_nd = max(input._data.ndim, 1)
    if max(index._data.ndim, 1) != a_nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    d = _wrap_dim(dim, input._data.ndim)
    ashape = _shape1(input)
    ishape = _shape1(index)
    is_t = isinstance(src, Tensor)
    if is_t:
        if max(src._data.ndim, 1) != a_nd:
            raise RuntimeError(
                "Index tensor must have the same number of dimensions as src tensor"
            )
        if src._dtype is not input._dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        sshape = _shape1(src)
    for k in range(a_nd):
        bad = (k != d and ishape[k] > ashape[k]) or (is_t and ishape[k] > sshape[k])
        if bad:
            msg = (
                f"Expected index {list(index.shape)} to be no larger than self "
                f"{list(input.shape)} apart from dimension {d}"
            )
            if is_t:
                msg += f" and to be no larger size than src {list(src.shape)}"
            raise RuntimeError(msg)
    idx = _index_array(index, input._device).reshape(ishape)
    _bounds(idx, ashape[d], d)
    pair = (None, _full_index(_xp(input), idx, d))
    if is_t:
        src = _as_1d(src)
        if tuple(src._data.shape) != tuple(ishape):
            # only the leading index-shaped block of src is used
            key = tuple(slice(0, s) for s in ishape) + (Ellipsis,)
            src = apply(_slice, (src,), {"key": key})
    return pair, src


def _unsqueezed_result(input, res):
    return reshape(res, ()) if input._data.ndim == 0 else res


@public("scatter")
def scatter(input, dim, index, src=None, value=None, *, reduce=None, out=None):
    """Mirrors `torch.scatter` (src tensor or scalar value; reduce='add'|'multiply')."""
    if src is None:
        src = value
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    pair, s = _scatter_prep(input, dim, index, src, "scatter")
    if not isinstance(s, Tensor):
        s = D.check_scalar(s, input._dtype)
        if s.__class__ is complex and input._dtype is D.bool_:
            s = bool(s)
    a = _as_1d(input)
    if reduce == "multiply":
        res = _scatter_multiply(a, s, pair)
    else:
        res = apply(_scatter if reduce is None else _scatter_add, (a, s),
                    _put_params(pair, reduce == "add"))
    return _finish(_unsqueezed_result(input, res), out)


@defop("scatter_multiply", promote=False, differentiable=False)
def _scatter_mul_op(xp, a, v, index):
    # not differentiable in PyTorch either ("derivative for aten::scatter is not implemented")
    out = a.copy()
    xp.multiply.at(out, index[1], v)
    return out


def _scatter_multiply(a, s, pair):
    return apply(_scatter_mul_op, (a, s), {"index": pair})


@public("scatter_add")
def scatter_add(input, dim, index, src):
    """Mirrors `torch.scatter_add`: repeated indices add up."""
    pair, s = _scatter_prep(input, dim, index, src, "scatter")
    res = apply(_scatter_add, (_as_1d(input), s), _put_params(pair, True))
    return _unsqueezed_result(input, res)


@method("scatter_")
def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    """Mirrors `torch.Tensor.scatter_`."""
    return inplace(self, scatter, dim, index, src, value, reduce=reduce)


@method("scatter_add_")
def scatter_add_(self, dim, index, src):
    """Mirrors `torch.Tensor.scatter_add_`."""
    return inplace(self, scatter_add, dim, index, src)


# ---------------------------------------------------------------- index_select / index_*
def _vector_index(index, input):
    return _index_array(index, input._device).reshape(-1)


def _dim_pair(d, arr):
    return (None, (_FULL,) * d + (arr,))


@public("index_select")
def index_select(input, dim, index, *, out=None):
    """Mirrors `torch.index_select`."""
    if not isinstance(index, Tensor):
        index = _wrap_index(index, input)
    _check_index_dtype(index, "index_select(): Expected dtype int32 or int64 for index")
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = _wrap_dim(dim, input._data.ndim)
    n = _shape1(input)[d]
    arr = _vector_index(index, input)
    v = _first_bad(arr, 0, n)
    if v is not None:
        # torch's CPU kernel has a separate loop (with its own check) for dim 1
        if d == 1:
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={v} axis_dim={n}")
        raise IndexError("index out of range in self")
    src = _as_1d(input)
    res = apply(_index_select, (src,), {"index": _dim_pair(d, arr)})
    return _finish(_unsqueezed_result(input, res), out)


def _wrap_index(index, like):
    arr = like._device.xp.asarray(index)
    return _new_tensor(arr, D.from_numpy_dtype(arr.dtype), like._device)


@public("index_add")
def index_add(input, dim, index, source, *, alpha=1, out=None):
    """Mirrors `torch.index_add`: input with alpha * source added at `index` along dim."""
    if index._dtype.name not in ("int64", "int32"):
        raise RuntimeError(
            "index_add_(): Expected dtype int32/int64 for index but got: "
            f"{_TORCH_NAMES[index._dtype.name]}"
        )
    if index._data.ndim > 1:
        raise IndexError(
            "index_add_(): Index is supposed to be a vector, but got dim: "
            f"{index._data.ndim} with type: {_TORCH_NAMES[index._dtype.name]} and size: "
            f"{list(index.shape)}"
        )
    d = _wrap_dim(dim, input._data.ndim)
    if source._dtype is not input._dtype:
        raise RuntimeError(
            f"index_add_(): self ({_TORCH_NAMES[input._dtype.name]}) and source "
            f"({_TORCH_NAMES[source._dtype.name]}) must have the same scalar type"
        )
    nidx = index._data.size
    ss = _shape1(source)
    if ss[d] != nidx:
        raise RuntimeError(
            f"index_add_(): Number of indices ({nidx}) should be equal to source.size(dim): "
            f"({ss[d]}), for dim: {d}"
        )
    ashape = _shape1(input)
    if len(ss) != len(ashape) or any(ss[k] != ashape[k] for k in range(len(ss)) if k != d):
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {list(input.shape)} source.shape = {list(source.shape)}"
        )
    arr = _vector_index(index, input)
    if input._data.ndim == 1 and _first_bad(arr, 0, ashape[d]) is not None:
        # torch's CPU kernel for 1-d tensors takes no negative indices, and says so this way
        raise IndexError("index out of range in self")
    _bounds(arr, ashape[d], d)
    if alpha != 1:
        source = source * alpha
    res = apply(_index_add, (_as_1d(input), _as_1d(source)), _put_params(_dim_pair(d, arr), True))
    return _finish(_unsqueezed_result(input, res), out)


@public("index_copy")
def index_copy(input, dim, index, source, *, out=None):
    """Mirrors `torch.index_copy`."""
    if out is not None:
        from .elementwise import _out

        return _out(index_copy(input, dim, index, source), out)
    if index._dtype.name != "int64":
        raise RuntimeError(
            "index_copy_(): Expected a long tensor for index, but got "
            f"{_TORCH_NAMES[index._dtype.name]}"
        )
    d = _wrap_dim(dim, input._data.ndim)
    if source._dtype is not input._dtype:
        raise RuntimeError(
            "index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{_TORCH_NAMES[input._dtype.name]} and (source) {_TORCH_NAMES[source._dtype.name]}"
        )
    nidx = index._data.size
    ss = _shape1(source)
    ashape = _shape1(input)
    sd = min(d, len(ss) - 1)
    if ss[sd] != nidx:
        raise IndexError(
            f"index_copy_(): Number of indices ({nidx}) should be equal to source.size(dim) "
            f"({ss[sd]})"
        )
    for k in range(len(ashape)):
        if k != d and (k >= len(ss) or ss[k] != ashape[k]):
            raise RuntimeError(
                "index_copy_(): Source/destination tensor must have same slice shapes. "
                f"Destination slice shape: {ashape[k]} at dimension {k} and source slice shape: "
                f"{ss[k] if k < len(ss) else 1} at dimension {k}."
            )
    arr = _vector_index(index, input)
    v = _first_bad(arr, 0, ashape[d])
    if v is not None:
        raise IndexError(
            f"index_copy_(): index {v} is out of bounds for dimension {d} with size {ashape[d]}"
        )
    res = apply(_index_copy, (_as_1d(input), _as_1d(source)), _put_params(_dim_pair(d, arr)))
    return _unsqueezed_result(input, res)


@public("index_fill")
def index_fill(input, dim, index, value):
    """Mirrors `torch.index_fill` (value: a scalar or a 0-d tensor)."""
    d, arr, value = _index_fill_prep(input, dim, index, value)
    res = apply(_index_fill, (_as_1d(input), value), _put_params(_dim_pair(d, arr)))
    return _unsqueezed_result(input, res)


def _index_fill_prep(input, dim, index, value):
    if index._dtype.name != "int64":
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index._data.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    d = _wrap_dim(dim, input._data.ndim)
    n = _shape1(input)[d]
    arr = _vector_index(index, input)
    v = _first_bad(arr, -n, n)
    if v is not None:
        raise IndexError(f"index {v} is out of bounds for dimension {d} with size {n}")
    vc = value.__class__
    if (vc is complex or (isinstance(value, Tensor) and value._dtype.is_complex)) \
            and not input._dtype.is_complex:
        raise RuntimeError(
            "index_fill_(): Converting complex Scalar to non-complex type is not supported")
    return d, arr, _fill_value(input, value, "index_fill_")


def _fill_value(input, value, name):
    """index_fill's and masked_fill's value: a scalar through torch's checked conversion, a
    0-d tensor cast to input's dtype (its value checked the same way when the dtypes differ)."""
    if isinstance(value, Tensor):
        if value._data.ndim != 0:
            raise RuntimeError(
                f"{name} only supports a 0-dimensional value tensor, but got tensor with "
                f"{value._data.ndim} dimension(s)."
            )
        if value._dtype is not input._dtype:
            # torch reads the value as a Scalar: the same overflow check as a number
            D.check_scalar(value._data.item(), input._dtype)
            value = value.to(input._dtype)
        if value._device is not input._device:
            value = value.to(input._device)
        return value
    value = D.check_scalar(value, input._dtype)
    if value.__class__ is complex and input._dtype is D.bool_:
        value = bool(value)
    return value


def _expanded_write(self, name, key, value):
    """An in-place fill of an expanded (stride-0) tensor outside autograd: torch warns and
    writes through to the memory underneath. Returns False when this path does not apply."""
    from ._inplace import check_leaf, expanded_warning, is_expanded, writable_view

    data = self._data
    if data.__class__ is not np.ndarray or not is_expanded(data):
        return False
    if GRAD.enabled and (self._rg or getattr(value, "_rg", False)):
        return False
    w = writable_view(data)
    if w is None:
        return False
    check_leaf(self)
    expanded_warning(name)
    raw = value._data if isinstance(value, Tensor) else value
    put(w, key, raw, False)
    bump(self)
    return True


@method("index_add_")
def index_add_(self, dim, index, source, *, alpha=1):
    """Mirrors `torch.Tensor.index_add_`."""
    return inplace(self, index_add, dim, index, source, alpha=alpha)


@method("index_copy_")
def index_copy_(self, dim, index, source):
    """Mirrors `torch.Tensor.index_copy_`."""
    return inplace(self, index_copy, dim, index, source)


@method("index_fill_")
def index_fill_(self, dim, index, value):
    """Mirrors `torch.Tensor.index_fill_`."""
    if self._data.ndim and not self._data.flags.writeable:
        d, arr, v = _index_fill_prep(self, dim, index, value)
        if _expanded_write(self, "index_fill_", _dim_pair(d, arr), v):
            return self
    return inplace(self, index_fill, dim, index, value)


# scatter_reduce, the masked ops, take/put and nonzero live in _index_more.py
from . import _index_more  # noqa: F401
