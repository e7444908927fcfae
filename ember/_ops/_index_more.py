"""More index ops: scatter_reduce, masked_fill/select/scatter, take/put/take_along_dim and
nonzero. Loaded by index.py, whose two ops (`index`, `index_put`) most of them reduce to."""

import numpy as np

from .. import _dtype as D
from .._tensor import _wrap_dim
from ._bind import method, public
from ._inplace import _TORCH_NAMES, inplace
from ._registry import apply, defop, renamed
from .index import (
    _as_1d,
    _bounds,
    _expanded_write,
    _fill_value,
    _finish,
    _first_bad,
    _full_index,
    _gather,
    _index_array,
    _masked_scatter,
    _masked_select,
    _put,
    _put_params,
    _scatter_prep,
    _shape1,
    _take,
    _unsqueezed_result,
    _xp,
)
from .shape import _slice, expand, reshape

# ---------------------------------------------------------------- scatter_reduce
_REDUCES = ("sum", "prod", "mean", "amax", "amin")


@defop("scatter_reduce", promote=False, save_inputs=True, save_output=True)
def _scatter_reduce_op(xp, a, src, index, reduce, include_self):
    ix = index[1]
    out = a.copy()
    if reduce in ("sum", "mean"):
        if not include_self:
            out[ix] = 0
        _ufunc_at(xp, "add", out, ix, src)
        if reduce == "mean":
            cnt = _counts(xp, a, ix, include_self)
            if out.dtype.kind in "iu":
                out = xp.floor_divide(out, cnt).astype(a.dtype)
            else:
                out = (out / cnt).astype(a.dtype)
        return out
    name = {"prod": "multiply", "amax": "maximum", "amin": "minimum"}[reduce]
    if not include_self:
        # the first write to each position must replace self: seed with the reduction's identity
        out[ix] = _identity(xp, reduce, a.dtype)
    _ufunc_at(xp, name, out, ix, src)
    return out


def _identity(xp, reduce, dtype):
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(dtype) if dtype.kind in "iu" else None
    if info is None:
        return reduce != "amax"
    return info.min if reduce == "amax" else info.max


def _ufunc_at(xp, name, out, ix, src):
    try:
        getattr(xp, name).at(out, ix, src)
    except NotImplementedError:
        # CuPy has add/maximum/minimum.at but not multiply.at: the product runs on the host
        def host(x):
            # device arrays come back; slices, ints and scalars pass as they are
            return x.get() if hasattr(x, "get") else x

        ix_host = tuple(host(i) for i in ix) if isinstance(ix, tuple) else host(ix)
        res = out.get()
        getattr(np, name).at(res, ix_host, host(src))
        out[...] = xp.asarray(res)


def _counts(xp, a, ix, include_self):
    cnt = xp.zeros(a.shape, dtype=np.int64)
    xp.add.at(cnt, ix, 1)
    if include_self:
        cnt += 1
    return xp.maximum(cnt, 1)


@_scatter_reduce_op.defgrad
def _(F, g, out, a, src, need, extra, index, reduce, include_self):
    ix = index
    if reduce == "sum":
        ga = g if include_self else F.index_zero(g, ix)
        gs = F.index_take(g, ix)
        return (ga if need[0] else None), (gs if need[1] else None)
    if reduce == "mean":
        cnt = F.index_scatter(a.shape, ix, F.ones_like(src)) + (1 if include_self else 0)
        cnt = F.maximum(cnt, 1)
        gm = g / cnt
        ga = gm if include_self else F.index_zero(gm, ix)
        return (ga if need[0] else None), (F.index_take(gm, ix) if need[1] else None)
    if reduce == "prod":
        # d out / d x = out / x (the product of the others); PyTorch handles zeros exactly,
        # this rule is for inputs without zeros
        ga = g * out / a if include_self else F.index_zero(g, ix)
        gs = F.index_take(g * out, ix) / src
        return (ga if need[0] else None), (gs if need[1] else None)
    # amax / amin: the gradient goes to every element equal to the result, shared evenly
    sel_src = F.index_take(out, ix) == src
    if include_self:
        sel_a = a == out
    else:
        # without self, only the positions no index reaches keep (and take g from) self
        sel_a = F.index_scatter(a.shape, ix, src * 0 + 1) == 0
    n = F.index_scatter(a.shape, ix, F.where(sel_src, 1.0, 0.0) + src * 0) + F.where(
        sel_a, 1.0, 0.0
    )
    share = g / F.maximum(n, 1.0)
    ga = F.where(sel_a, share, 0.0) if need[0] else None
    gs = F.where(sel_src, F.index_take(share, ix), 0.0) if need[1] else None
    return ga, gs


@public("scatter_reduce")
def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """Mirrors `torch.scatter_reduce` (sum, prod, mean, amax, amin)."""
    if reduce not in _REDUCES:
        raise RuntimeError(
            f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}"
        )
    pair, s = _scatter_prep(input, dim, index, src, "scatter_reduce")
    s = _contiguous_src(s)
    params = {"index": pair, "reduce": reduce, "include_self": bool(include_self)}
    res = apply(_scatter_reduce_op, (_as_1d(input), s), params)
    return _unsqueezed_result(input, res)


def _contiguous_src(s):
    from .shape import contiguous

    return contiguous(s)


@method("scatter_reduce_")
def scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
    """Mirrors `torch.Tensor.scatter_reduce_`."""
    return inplace(self, scatter_reduce, dim, index, src, reduce, include_self=include_self)


# ---------------------------------------------------------------- masked ops
_MASK_DTYPES = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "complex64": "c10::complex<float>",
    "complex128": "c10::complex<double>",
}


def _broadcast(a_shape, b_shape):
    try:
        return tuple(np.broadcast_shapes(a_shape, b_shape))
    except ValueError:
        nd = max(len(a_shape), len(b_shape))
        pa = (1,) * (nd - len(a_shape)) + tuple(a_shape)
        pb = (1,) * (nd - len(b_shape)) + tuple(b_shape)
        for i in range(nd - 1, -1, -1):
            if pa[i] != pb[i] and pa[i] != 1 and pb[i] != 1:
                raise RuntimeError(
                    f"The size of tensor a ({pa[i]}) must match the size of tensor b ({pb[i]}) "
                    f"at non-singleton dimension {i}"
                ) from None
        raise


@defop("masked_fill", promote=False)
def _masked_fill(xp, a, v, mask):
    v = xp.asarray(v).astype(a.dtype)
    out = xp.where(mask, v, a)
    # torch fills a contiguous copy: a transposed input gives a contiguous result
    return out if out.flags.c_contiguous else xp.ascontiguousarray(out)


@_masked_fill.defgrad
def _(F, g, out, a, v, need, extra, mask):
    pair = (None, (mask,))
    ga = F.sum_to(F.index_zero(g, pair), a.shape) if need[0] else None
    gv = F.sum(F.index_take(g, pair)) if need[1] else None
    return ga, gv


# a 0-d tensor value is an edge of torch's node (MaskedFillBackward1); a number is not
_masked_fill_t = renamed(_masked_fill, "MaskedFillBackward1")
_masked_fill.edges = (0,)


def _mask_array(mask, input, shape):
    arr = _index_array(mask, input._device)
    if arr.shape != shape:
        arr = _xp(input).broadcast_to(arr, shape)
    return arr


@public("masked_fill")
def masked_fill(input, mask, value):
    """Mirrors `torch.masked_fill`: value where mask is True (mask broadcasts)."""
    if mask._dtype is not D.bool_:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{_MASK_DTYPES[mask._dtype.name]}"
        )
    shape = _broadcast(mask._data.shape, input._data.shape)
    value = _fill_value(input, value, "masked_fill_")
    op = _masked_fill_t if hasattr(value, "_data") else _masked_fill
    return apply(op, (input, value), {"mask": _mask_array(mask, input, shape)})


@method("masked_fill_")
def masked_fill_(self, mask, value):
    """Mirrors `torch.Tensor.masked_fill_`."""
    if self._data.ndim and not self._data.flags.writeable and mask._dtype is D.bool_:
        # an expanded self: torch warns and writes the masked elements' memory
        shape = _broadcast(mask._data.shape, self._data.shape)
        if shape == self._data.shape:
            v = _fill_value(self, value, "masked_fill_")
            if _expanded_write(self, "masked_fill_", (None, (_mask_array(mask, self, shape),)),
                               v):
                return self
    return inplace(self, masked_fill, mask, value)


@public("masked_select")
def masked_select(input, mask, *, out=None):
    """Mirrors `torch.masked_select`: the elements where mask (broadcast) is True, 1-D."""
    if mask._dtype is not D.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = _broadcast(mask._data.shape, input._data.shape)
    src = input if input._data.shape == shape else expand(input, shape)
    m = _mask_array(mask, input, shape)
    if not shape:
        src = reshape(src, (1,))
        m = m.reshape(1)
    res = apply(_masked_select, (src,), {"index": (None, (m,))})
    return _finish(res, out)


@public("masked_scatter")
def masked_scatter(input, mask, source):
    """Mirrors `torch.masked_scatter`: source's leading elements where mask is True."""
    if mask._dtype is not D.bool_:
        raise RuntimeError(
            "masked_scatter_ only supports boolean masks, but got mask with dtype "
            f"{_TORCH_NAMES[mask._dtype.name]}"
        )
    if source._dtype is not input._dtype:
        raise RuntimeError(
            "masked_scatter: expected self and source to have same dtypes but got"
            f"{_TORCH_NAMES[input._dtype.name]} and {_TORCH_NAMES[source._dtype.name]}"
        )
    shape = _broadcast(mask._data.shape, input._data.shape)
    m = _mask_array(mask, input, shape)
    count = int(m.sum())
    if count > source._data.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    src = input if input._data.shape == shape else expand(input, shape)
    if not shape:
        src = reshape(src, (1,))
        m = m.reshape(1)
    vals = reshape(source, (-1,))
    if vals._data.shape[0] != count:
        vals = apply(_slice, (vals,), {"key": (slice(0, count), Ellipsis)})
    res = apply(_masked_scatter, (src, vals), _put_params((None, (m,))))
    return reshape(res, ()) if not shape else res


@method("masked_scatter_")
def masked_scatter_(self, mask, source):
    """Mirrors `torch.Tensor.masked_scatter_`."""
    return inplace(self, masked_scatter, mask, source)


# ---------------------------------------------------------------- take / put / take_along_dim
def _flat_index(input, index, name):
    if index._dtype.name != "int64":
        raise RuntimeError(
            f"{name}(): Expected a long tensor for index, but got "
            f"{_TORCH_NAMES[index._dtype.name]}"
        )
    n = input._data.size
    arr = _index_array(index, input._device)
    v = _first_bad(arr, -n, n)
    if v is not None:
        raise IndexError(f"out of range: tried to access index {v} on a tensor of {n} elements.")
    return arr


@public("take")
def take_flat(input, index):
    """Mirrors `torch.take`: input treated as 1-D, result shaped like index."""
    arr = _flat_index(input, index, "take")
    return apply(_take, (reshape(input, (-1,)),), {"index": (None, (arr,))})


@public("put")
def put_copy(input, index, source, accumulate=False):
    """Mirrors `torch.put`: a copy with source written at flat indices."""
    arr = _flat_index(input, index, "put_")
    if source._data.size != arr.size:
        raise IndexError(
            "put_(): Expected source and index to have the same number of elements, but got "
            f"source.numel() = {source._data.size}, index.numel() = {arr.size}"
        )
    if source._dtype is not input._dtype:
        raise RuntimeError(
            "put_(): self and source expected to have the same dtype, but got self.dtype = "
            f"{_TORCH_NAMES[input._dtype.name]} and source.dtype = "
            f"{_TORCH_NAMES[source._dtype.name]}"
        )
    flat = reshape(input, (-1,))
    vals = reshape(source, (-1,))
    res = apply(_put, (flat, vals), _put_params((None, (arr.reshape(-1),)), bool(accumulate)))
    return reshape(res, input._data.shape)


@method("put_")
def put_(self, index, source, accumulate=False):
    """Mirrors `torch.Tensor.put_`."""
    return inplace(self, put_copy, index, source, accumulate)


@public("take_along_dim")
def take_along_dim(input, indices, dim=None, *, out=None):
    """Mirrors `torch.take_along_dim`: gather with input and indices broadcast (not along dim)."""
    if indices._dtype.name != "int64":
        raise RuntimeError(
            "torch.take_along_dim(): dtype of indices should be Long but got "
            f"{_TORCH_NAMES[indices._dtype.name]}"
        )
    if dim is None:
        return _finish(take_flat(input, _wrap_neg(reshape(indices, (-1,)), input._data.size)), out)
    a_nd = input._data.ndim
    if indices._data.ndim != a_nd:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {a_nd} dimensions for input, and {indices._data.ndim} "
            "dimensions for indices"
        )
    d = _wrap_dim(dim, a_nd)
    ashape = list(input._data.shape)
    ishape = list(indices._data.shape)
    a_b = list(ashape)
    i_b = list(ishape)
    for k in range(a_nd):
        if k == d:
            continue
        s = _broadcast((ashape[k],), (ishape[k],))[0]
        a_b[k] = s
        i_b[k] = s
    src = input if tuple(a_b) == tuple(ashape) else expand(input, tuple(a_b))
    idx = _index_array(indices, input._device)
    idx = _xp(input).broadcast_to(idx, tuple(i_b))
    n = _shape1(input)[d]
    idx = _wrap_neg_arr(idx, n)
    _bounds(idx, n, d)
    res = apply(_gather, (_as_1d(src),), {"index": (None, _full_index(_xp(input), idx, d))})
    return _finish(_unsqueezed_result(input, res), out)


def _wrap_neg_arr(arr, n):
    if arr.size and int(arr.min()) < 0:
        arr = arr + (arr < 0) * n
    return arr


def _wrap_neg(t, n):
    from .._tensor import _new_tensor

    return _new_tensor(_wrap_neg_arr(t._data, n), t._dtype, t._device)


# ---------------------------------------------------------------- nonzero / argwhere
@public("nonzero")
def nonzero(input, *, out=None, as_tuple=False):
    """Mirrors `torch.nonzero` (int64 coordinates, or a tuple of index tensors)."""
    from .._tensor import _new_tensor

    a = input._data
    xp = _xp(input)
    dev = input._device
    if a.ndim == 0:
        a = a.reshape(1)
        if as_tuple:
            return (_new_tensor(xp.nonzero(a)[0].astype(np.int64), D.int64, dev),)
        n = int(bool(a[0]))
        return _new_tensor(xp.zeros((n, 0), dtype=np.int64), D.int64, dev)
    nz = xp.nonzero(a)
    if as_tuple:
        return tuple(_new_tensor(i.astype(np.int64, copy=False), D.int64, dev) for i in nz)
    res = _new_tensor(xp.stack(nz, axis=1).astype(np.int64, copy=False), D.int64, dev)
    return _finish(res, out)


@public("argwhere")
def argwhere(input):
    """Mirrors `torch.argwhere`."""
    return nonzero(input)
