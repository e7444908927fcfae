"""Functions that ordinary PyTorch programs call and the other op modules lack: counting and
searching (bincount, histc, isin, searchsorted, bucketize), differences and statistics (diff,
quantile, cov, corrcoef, logcumsumexp), rearrangements (rot90, unfold, block_diag,
combinations), complex views (view_as_real, view_as_complex), in-place metadata changes (t_,
transpose_, squeeze_, unsqueeze_) and a few legacy Tensor methods.

Most are compositions of ember's differentiable ops, so gradients come for free; the ones with
their own forward (`logcumsumexp`, the complex views) register ops with backward rules.
"""

import itertools

import numpy as _np

from .. import _dtype as D
from .._tensor import Tensor, _new_tensor, _wrap_dim
from ._bind import method, public
from ._namespace import register_ns
from ._registry import apply, defop


def _as_tensor(x, like=None):
    from .._creation import tensor

    if isinstance(x, Tensor):
        return x
    if like is not None:
        return tensor(x, device=like.device)
    return tensor(x)


def _xp(t):
    return t._device.xp


def _array_xp(a):
    """(namespace, array) of a raw array a rule receives (NumPy scalars become 0-d arrays)."""
    if isinstance(a, (_np.ndarray, _np.generic)):
        return _np, _np.asarray(a)
    import cupy

    return cupy, a


# ---------------------------------------------------------------- broadcasting helpers
@public("broadcast_shapes", method=False)
def broadcast_shapes(*shapes):
    """Mirrors `torch.broadcast_shapes` (ints count as 1-d shapes)."""
    from .._tensor import Size

    norm = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    ndim = max((len(s) for s in norm), default=0)
    out = [1] * ndim
    for i, s in enumerate(norm):
        for k, n in enumerate(s):
            j = ndim - len(s) + k
            if n == out[j] or n == 1:
                continue
            if out[j] != 1:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {n} at {k - len(s)}! "
                    f"Mismatching argument at index {i} had {tuple(s)}; but expected shape "
                    f"should be broadcastable to {out}"
                )
            out[j] = n
    return Size(out)


@public("broadcast_tensors", method=False)
def broadcast_tensors(*tensors):
    """Mirrors `torch.broadcast_tensors`: views expanded to the common shape."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    try:
        shape = broadcast_shapes(*(t.shape for t in tensors))
    except RuntimeError:
        # torch.broadcast_shapes words its error in Python; broadcast_tensors goes through
        # the C++ infer_size and its "The size of tensor a ..." message
        from .math import _broadcast_error

        _broadcast_error(*(t._data for t in tensors))
        raise
    return tuple(t.expand(shape) for t in tensors)


# ---------------------------------------------------------------- counting and searching
@public("bincount")
def bincount(input, weights=None, minlength=0):
    """Mirrors `torch.bincount`: counts (int64), or sums of weights, of non-negative ints."""
    if input.dim() != 1 or input._dtype._kind != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    xp = _xp(input)
    a = input._data
    if a.size and int(a.min()) < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if weights is None:
        out = xp.bincount(a, minlength=minlength).astype(_np.int64)
        return _new_tensor(out, D.int64, input._device)
    w = weights._data
    # float32 weights give float32 sums; every other weight dtype gives float64
    dt = D.float32 if weights._dtype is D.float32 else D.float64
    out = xp.bincount(a, weights=w.astype(_np.float64), minlength=minlength).astype(dt.np)
    return _new_tensor(out, dt, input._device)


@public("histc")
def histc(input, bins=100, min=0, max=0, *, out=None):
    """Mirrors `torch.histc`: equal-width bins over [min, max] (data range when both are 0)."""
    if out is not None:
        return _write_out(histc(input, bins, min, max), out)
    if not input._dtype.is_floating_point:
        raise RuntimeError(f'"histogram_cpu" not implemented for \'{_TORCH_NAME(input)}\'')
    xp = _xp(input)
    a = input._data.reshape(-1).astype(_np.float64)
    lo, hi = float(min), float(max)
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histogram(): min should not exceed max, but got min "
                           f"{lo} max {hi}")
    keep = a[(a >= lo) & (a <= hi)]
    idx = ((keep - lo) * bins / (hi - lo)).astype(_np.int64)
    # the top edge belongs to the last bin
    idx = xp.minimum(idx, bins - 1)
    out = xp.bincount(idx, minlength=bins).astype(input._data.dtype)
    return _new_tensor(out, input._dtype, input._device)


@public("histogram")
def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):
    """Mirrors `torch.histogram`: (hist, bin_edges), with `bins` a count or the edges."""
    from .._creation import linspace
    from .._return_types import histogram as _result

    if not input._dtype.is_floating_point:
        raise RuntimeError(f'"histogram_cpu" not implemented for \'{_TORCH_NAME(input)}\'')
    xp = _xp(input)
    a = input._data.reshape(-1).astype(_np.float64)
    if isinstance(bins, Tensor):
        edges_t = bins
    else:
        if range is not None:
            lo, hi = float(range[0]), float(range[1])
        elif a.size:
            lo, hi = float(a.min()), float(a.max())
        else:
            lo, hi = 0.0, 0.0
        if lo > hi:
            raise RuntimeError("torch.histogram(): min should not exceed max, but got min "
                               f"{lo} max {hi}")
        if lo == hi:
            # an empty range is widened as NumPy does
            lo, hi = lo - 0.5, hi + 0.5
        edges_t = linspace(lo, hi, int(bins) + 1, dtype=input.dtype, device=input.device)
    edges = edges_t._data.astype(_np.float64)
    n_bins = int(edges.size) - 1
    inside = (a >= edges[0]) & (a <= edges[-1])
    keep = a[inside]
    # the right edge of each bin is open, except the last one's
    idx = xp.searchsorted(edges, keep, side="right") - 1
    idx = xp.minimum(idx, n_bins - 1)
    if weight is None:
        hist = xp.bincount(idx, minlength=n_bins).astype(_np.float64)
    else:
        w = weight._data.reshape(-1).astype(_np.float64)[inside]
        hist = xp.bincount(idx, weights=w, minlength=n_bins)
    if density:
        total = hist.sum()
        hist = hist / (total * xp.diff(edges))
    hist_t = _new_tensor(hist.astype(input._data.dtype), input._dtype, input._device)
    return _result((hist_t, edges_t))


@public("histogramdd", method=False)
def histogramdd(input, bins, *, range=None, weight=None, density=False):
    """Mirrors `torch.histogramdd`: the last dimension of `input` holds the coordinates;
    `bins` is one count, a count per dimension, or a list of edge tensors."""
    from .._creation import linspace
    from .._return_types import histogramdd as _result

    if not input._dtype.is_floating_point:
        raise RuntimeError(f'"histogramdd" not implemented for \'{_TORCH_NAME(input)}\'')
    xp = _xp(input)
    d = input.shape[-1]
    pts = input._data.reshape(-1, d).astype(_np.float64)
    if isinstance(bins, int):
        bins = [bins] * d
    edges_ts = []
    for k in _np.arange(d).tolist():
        b = bins[k]
        if isinstance(b, Tensor):
            edges_ts.append(b)
            continue
        col = pts[:, k]
        if range is not None:
            lo, hi = float(range[2 * k]), float(range[2 * k + 1])
        elif col.size:
            lo, hi = float(col.min()), float(col.max())
        else:
            lo, hi = 0.0, 0.0
        if lo == hi:
            # an empty range is widened as NumPy does
            lo, hi = lo - 0.5, hi + 0.5
        edges_ts.append(linspace(lo, hi, int(b) + 1, dtype=input.dtype, device=input.device))
    inside = xp.ones(pts.shape[0], dtype=bool)
    flat = xp.zeros(pts.shape[0], dtype=_np.int64)
    sizes = []
    for k, e_t in enumerate(edges_ts):
        edges = e_t._data.astype(_np.float64)
        n_bins = int(edges.size) - 1
        col = pts[:, k]
        inside &= (col >= edges[0]) & (col <= edges[-1])
        # the right edge of each bin is open, except the last one's
        idx = xp.clip(xp.searchsorted(edges, col, side="right") - 1, 0, n_bins - 1)
        flat = flat * n_bins + idx
        sizes.append(n_bins)
    total_bins = int(_np.prod(sizes))
    if weight is None:
        hist = xp.bincount(flat[inside], minlength=total_bins).astype(_np.float64)
    else:
        w = weight._data.reshape(-1).astype(_np.float64)[inside]
        hist = xp.bincount(flat[inside], weights=w, minlength=total_bins)
    hist = hist.reshape(sizes)
    if density:
        # divide by the total and by each bin's volume (an outer product of the widths)
        volume = xp.ones(sizes)
        for k, e_t in enumerate(edges_ts):
            shape = [1] * d
            shape[k] = sizes[k]
            volume = volume * xp.diff(e_t._data.astype(_np.float64)).reshape(shape)
        hist = hist / (hist.sum() * volume)
    hist_t = _new_tensor(hist.astype(input._data.dtype), input._dtype, input._device)
    return _result((hist_t, tuple(edges_ts)))


def _TORCH_NAME(t):
    return {"float16": "Half", "float32": "Float", "float64": "Double", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(t._dtype.name, t._dtype.name)


@public("isin")
def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Mirrors `torch.isin` (either argument may be a scalar)."""
    like = elements if isinstance(elements, Tensor) else test_elements
    e = _as_tensor(elements, like)
    t = _as_tensor(test_elements, like)
    xp = _xp(like)
    out = xp.isin(e._data, t._data.reshape(-1), invert=invert)
    return _new_tensor(xp.asarray(out), D.bool_, like._device)


def _search_result(arr, out_int32, dev):
    dt = D.int32 if out_int32 else D.int64
    return _new_tensor(arr.astype(dt.np), dt, dev)


@public("searchsorted", method=False)
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None):
    """Mirrors `torch.searchsorted`: 1-d boundaries, or one sorted row per leading index."""
    if side is not None:
        right = side == "right"
    side_name = "right" if right else "left"
    seq = sorted_sequence
    scalar = not isinstance(input, Tensor)
    vals = _as_tensor(input, seq)
    xp = _xp(seq)
    s = seq._data
    if sorter is not None:
        s = xp.take_along_axis(s, sorter._data, axis=-1)
    v = vals._data
    if s.ndim == 1:
        res = xp.searchsorted(s, v, side=side_name)
    else:
        if s.shape[:-1] != v.shape[:-1]:
            raise RuntimeError(
                "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                "dimensions of boundaries tensor and input value tensor must match, but we got "
                f"boundaries tensor {list(seq.shape)} and input value tensor {list(vals.shape)}"
            )
        rows_s = s.reshape(-1, s.shape[-1])
        rows_v = v.reshape(-1, v.shape[-1])
        res = xp.stack([xp.searchsorted(a, b, side=side_name) for a, b in zip(rows_s, rows_v)])
        res = res.reshape(v.shape)
    result = _search_result(xp.asarray(res), out_int32, seq._device)
    if scalar:
        result = result.reshape(())
    if out is not None:
        # torch resizes `out` to the result's shape (0-d included) and keeps its dtype
        return _write_out(result, out)
    return result


@public("bucketize")
def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """Mirrors `torch.bucketize`: the index of the bucket (given by 1-d boundaries) per value."""
    if boundaries.dim() != 1:
        raise RuntimeError(
            f"boundaries tensor must be 1 dimension, but got dim({boundaries.dim()})"
        )
    # bucketize's `right` names the closed end of a bucket: the opposite side of searchsorted
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)


@public("unravel_index", method=False)
def unravel_index(indices, shape):
    """Mirrors `torch.unravel_index`: a tuple of coordinate tensors."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    idx = _as_tensor(indices)
    if idx._dtype._kind != 1:
        raise TypeError("expected 'indices' to be integer dtype, but got " + str(idx.dtype))
    xp = _xp(idx)
    coords = xp.unravel_index(idx._data, shape)
    return tuple(_new_tensor(xp.asarray(c).astype(_np.int64), D.int64, idx._device)
                 for c in coords)


# ---------------------------------------------------------------- differences, statistics
@public("diff")
def diff(input, n=1, dim=-1, prepend=None, append=None, *, out=None):
    """Mirrors `torch.diff`: the n-th forward difference along dim."""
    if out is not None:
        from .elementwise import _out

        return _out(diff(input, n, dim, prepend, append), out)
    from .. import cat

    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    d = _wrap_dim(dim, input.dim())
    x = input
    parts = [p for p in (prepend, x, append) if p is not None]
    if len(parts) > 1:
        x = cat(parts, d)
    for _ in range(n):
        size = x.shape[d]
        if size == 0:
            break
        hi = x.narrow(d, 1, size - 1)
        lo = x.narrow(d, 0, size - 1)
        x = hi ^ lo if x._dtype is D.bool_ else hi - lo
    if x is input:
        x = x.clone()  # n=0: torch returns a copy, never the input itself
    return x


def _write_out(res, out):
    from .elementwise import _out

    return _out(res, out)


def _quantile_q(q, like):
    from .._creation import tensor

    if isinstance(q, Tensor):
        qs = q
    else:
        qs = tensor(q, dtype=like._dtype, device=like.device)
    vals = qs._data
    if vals.size and (float(vals.min()) < 0 or float(vals.max()) > 1):
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    return qs


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(input, q, dim, keepdim, interpolation, ignore_nan):
    # torch's nanquantile shares quantile's checks, and their messages, in this order
    name = "quantile"
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(
            f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, "
            f"but got {interpolation}"
        )
    if not isinstance(q, Tensor) and not 0 <= q <= 1:
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q:g}")
    if input._data.size == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if isinstance(q, Tensor) and q.dim() > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    if not input._dtype.is_floating_point:
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    qs = _quantile_q(q, input)
    x = input
    if dim is None:
        x = x.reshape(-1)
        d = 0
    else:
        d = _wrap_dim(dim, x.dim())
    x = x.movedim(d, -1) if x.dim() else x.reshape(1)
    n = x.shape[-1]
    if n == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    srt = x.sort(dim=-1).values
    isnan = x.isnan()
    if ignore_nan:
        count = (~isnan).sum(-1, keepdim=True)
    else:
        count = x.new_full(x.shape[:-1] + (1,), n, dtype=D.int64)
    # each quantile's fractional rank within the valid (sorted, nan-last) values
    qv = qs.reshape(-1)
    last = (count - 1).clamp(min=0).to(x.dtype)
    rank = last * qv
    if interpolation == "lower":
        rank = rank.floor()
    elif interpolation == "higher":
        rank = rank.ceil()
    elif interpolation == "nearest":
        rank = rank.round()
    lo = rank.floor().long()
    hi = rank.ceil().long()
    a = srt.gather(-1, lo.clamp(max=n - 1))
    b = srt.gather(-1, hi.clamp(max=n - 1))
    if interpolation == "midpoint":
        w = (hi > lo).to(x.dtype) * 0.5
    else:
        w = rank - lo.to(x.dtype)
    res = a.lerp(b, w)
    # a slice with a nan gives nan (quantile), or only nans does (nanquantile)
    bad = (count == 0) if ignore_nan else isnan.any(-1, keepdim=True)
    res = res.masked_fill(bad, float("nan"))
    res = res.movedim(-1, 0)
    if dim is None:
        if keepdim:
            res = res.reshape((res.shape[0],) + (1,) * input.dim())
    else:
        res = res.unsqueeze(d + 1) if keepdim else res
        if input.dim() == 0:
            res = res.reshape(res.shape[:1])
    if not isinstance(q, Tensor) or qs.dim() == 0:
        res = res[0]
    return res


@public("quantile")
def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """Mirrors `torch.quantile` (q a float or 1-d tensor; its values lead the result)."""
    res = _quantile(input, q, dim, keepdim, interpolation, False)
    if out is not None:
        # torch resizes `out` to the result's shape (0-d included) and keeps its dtype
        return _write_out(res, out)
    return res


@public("nanquantile")
def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """Mirrors `torch.nanquantile`: quantile over the values that are not nan."""
    res = _quantile(input, q, dim, keepdim, interpolation, True)
    if out is not None:
        # torch resizes `out` to the result's shape (0-d included) and keeps its dtype
        return _write_out(res, out)
    return res


@public("cov")
def cov(input, *, correction=1, fweights=None, aweights=None):
    """Mirrors `torch.cov`: rows are variables, columns observations."""
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input.dim()} dimensions")
    x = input.reshape(1, -1) if input.dim() < 2 else input
    if not x._dtype.is_floating_point and not x._dtype.is_complex:
        x = x.to(D.get_default_dtype())
    n = x.shape[1]
    w = None
    if fweights is not None:
        w = fweights.to(x.dtype)
    if aweights is not None:
        w = aweights.to(x.dtype) if w is None else w * aweights
    if w is None:
        total = x.new_full((), n)
        avg = x.mean(1, keepdim=True)
        norm = total - correction
    else:
        total = w.sum()
        avg = (x * w).sum(1, keepdim=True) / total
        if aweights is None or correction == 0:
            norm = total - correction
        else:
            norm = total - correction * (w * aweights).sum() / total
    norm = norm.clamp(min=0)
    xm = x - avg
    xw = xm if w is None else xm * w
    return (xw @ xm.mT.conj() / norm).squeeze()


@public("corrcoef")
def corrcoef(input):
    """Mirrors `torch.corrcoef`: Pearson correlation of the rows, clipped to [-1, 1]."""
    c = cov(input)
    if c.dim() == 0:
        return c / c
    d = c.diagonal()
    std = d.sqrt()
    c = c / std.unsqueeze(1)
    c = c / std.unsqueeze(0)
    return c.clamp(-1, 1)


@public("dist")
def dist(input, other, p=2):
    """Mirrors `torch.dist`: the p-norm of input - other."""
    return (input - other).norm(p=p)


# ---------------------------------------------------------------- logcumsumexp
def _logcumsumexp_array(a, axis):
    xp, a = _array_xp(a)
    # an exact running log-sum-exp: no overflow, no underflow of small terms
    accumulate = getattr(xp.logaddexp, "accumulate", None)
    if accumulate is not None:
        try:
            return accumulate(a, axis=axis)
        except (NotImplementedError, TypeError):
            pass
    if not a.size:
        return a.copy()
    # shifted by the maximum: terms far below it underflow (CuPy without ufunc.accumulate)
    m = xp.max(a, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, 0)
    return xp.log(xp.cumsum(xp.exp(a - m), axis=axis)) + m


def _logcumsumexp_tensor(t, axis):
    return logcumsumexp(t, axis)


register_ns("logcumsumexp", _logcumsumexp_array, _logcumsumexp_tensor)


@defop("logcumsumexp", promote=False, save_inputs=True, save_output=True)
def _logcumsumexp(xp, a, axis):
    if a.ndim == 0:
        return a.copy()
    if not a.flags.c_contiguous:
        # torch's result is contiguous whatever the input's layout
        a = xp.ascontiguousarray(a)
    return _logcumsumexp_array(a, axis)


@_logcumsumexp.defgrad
def _(F, g, out, a, need, extra, axis):
    if len(a.shape) == 0:
        return (g,)
    # sum over j >= i of g_j * exp(a_i - out_j), with the positive and negative parts of g
    # summed in log space (exact where exp(-out) would overflow). The part of g that is absent
    # gets a huge finite log, not -inf: its terms still vanish, and a second derivative through
    # them is 0 * finite instead of 0 * nan (logcumsumexp's own derivative at -inf is nan)
    low = 0.5 * float(_np.finfo(getattr(g.dtype, "np", g.dtype)).min)
    log_abs = F.log(F.abs(g))
    pos = F.where(g > 0, log_abs, low)
    neg = F.where(g < 0, log_abs, low)

    def rev_lcse(v):
        return F.flip(F.logcumsumexp(F.flip(v, (axis,)), axis), (axis,))

    return (F.exp(rev_lcse(pos - out) + a) - F.exp(rev_lcse(neg - out) + a),)


@public("logcumsumexp")
def logcumsumexp(input, dim, *, out=None):
    """Mirrors `torch.logcumsumexp`: log of the cumulative sum of exp along dim."""
    if not (input._dtype.is_floating_point or input._dtype.is_complex):
        input = input.to(D.get_default_dtype())
    axis = _wrap_dim(dim, max(input.dim(), 1))
    res = apply(_logcumsumexp, (input,), {"axis": axis})
    if out is not None:
        # torch resizes `out` to the result's shape (0-d included) and keeps its dtype
        return _write_out(res, out)
    return res


# ---------------------------------------------------------------- rearrangements
@public("rot90")
def rot90(input, k=1, dims=(0, 1)):
    """Mirrors `torch.rot90`: rotate by 90 degrees k times, from dims[0] towards dims[1]."""
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    nd = input.dim()
    if nd < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {nd}")
    d0 = _wrap_dim(dims[0], nd)
    d1 = _wrap_dim(dims[1], nd)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} "
                           f"and dim1 = {dims[1]}")
    k = k % 4
    if k == 1:
        return input.flip(d1).transpose(d0, d1)
    if k == 2:
        return input.flip(d0, d1)
    if k == 3:
        return input.flip(d0).transpose(d0, d1)
    return input.clone()


def _unfold_array(a, dim, size, step):
    """The windows of `a` along `dim` as a strided view (overlapping when step < size)."""
    xp, a = _array_xp(a)
    n = (a.shape[dim] - size) // step + 1
    shape = a.shape[:dim] + (n,) + a.shape[dim + 1:] + (size,)
    strides = a.strides[:dim] + (a.strides[dim] * step,) + a.strides[dim + 1:] + (a.strides[dim],)
    if xp is _np:
        return _np.lib.stride_tricks.as_strided(a, shape, strides, writeable=True)
    return xp.lib.stride_tricks.as_strided(a, shape, strides)


def _unfold_backward_array(g, input_shape, dim, size, step):
    """Adds each window's gradient back onto the positions it was read from."""
    xp, g = _array_xp(g)
    out = xp.zeros(input_shape, dtype=g.dtype)
    n = g.shape[dim]
    for k in range(size):
        # for one offset k the windows read distinct positions k, k + step, ...
        sl = [slice(None)] * len(input_shape)
        sl[dim] = slice(k, k + step * (n - 1) + 1, step)
        out[tuple(sl)] += g[..., k]
    return out


def _unfold_backward_tensor(g, input_shape, dim, size, step):
    from .._creation import zeros

    out = zeros(input_shape, dtype=g.dtype, device=g.device)
    n = g.shape[dim]
    if size == 0 or n == 0:
        # no window reads anything; the result still hangs off g's graph
        return out + g.sum() * 0
    for k in range(size):
        sl = [slice(None)] * len(input_shape)
        sl[dim] = slice(k, k + step * (n - 1) + 1, step)
        out[tuple(sl)] += g[..., k]
    return out


register_ns("unfold_backward", _unfold_backward_array, _unfold_backward_tensor)


@defop("unfold", promote=False, view=True)
def _unfold(xp, a, dim, size, step):
    return _unfold_array(a, dim, size, step)


@_unfold.defgrad
def _(F, g, out, a, need, extra, dim, size, step):
    return (F.unfold_backward(g, a.shape, dim, size, step),)


@method("unfold")
def unfold(self, dimension, size, step):
    """Mirrors `torch.Tensor.unfold`: windows of `size` every `step` along `dimension`, as a
    new last dimension; a view of self, as in PyTorch."""
    nd = self.dim()
    d = _wrap_dim(dimension, max(nd, 1))
    length = self.shape[d] if nd else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is "
                           f"{size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if nd == 0:
        # a 0-d tensor unfolds to `size` (0 or 1) elements
        return self.reshape(1)[:size]
    return apply(_unfold, (self,), {"dim": d, "size": size, "step": step})


@public("vander", method=False)
def vander(x, N=None, increasing=False):
    """Mirrors `torch.vander`: columns are powers of x (decreasing unless `increasing`)."""
    from .. import cat, ones

    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    # integer and bool inputs give int64 powers, as in PyTorch
    dt = D.promote_types(x._dtype, D.int64)
    if n == 0:
        return x.new_empty((x.shape[0], 0)).to(dt)
    xs = x.to(dt)
    cols = [ones(x.shape[0], 1, dtype=dt, device=x.device)]
    if n > 1:
        cols.append(xs.unsqueeze(1).expand(x.shape[0], n - 1))
    powers = cat(cols, 1).cumprod(1)
    return powers if increasing else powers.flip(1)


@public("block_diag", method=False)
def block_diag(*tensors):
    """Mirrors `torch.block_diag`: the inputs (0-, 1- or 2-d) along the diagonal."""
    from .. import cat, zeros

    mats = []
    for i, t in enumerate(tensors):
        if t.dim() > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {i} has {t.dim()} dimensions")
        mats.append(t.reshape(1, -1) if t.dim() < 2 else t)
    dt = mats[0]._dtype if mats else D.get_default_dtype()
    for m in mats[1:]:
        dt = D.promote_types(dt, m._dtype)
    if not mats:
        return zeros(1, 0)
    width = sum(m.shape[1] for m in mats)
    rows = []
    left = 0
    for m in mats:
        r, c = m.shape
        parts = []
        if left:
            parts.append(zeros(r, left, dtype=dt, device=m.device))
        parts.append(m.to(dt))
        if width - left - c:
            parts.append(zeros(r, width - left - c, dtype=dt, device=m.device))
        rows.append(cat(parts, 1))
        left += c
    return cat(rows, 0)


@public("combinations", method=False)
def combinations(input, r=2, with_replacement=False):
    """Mirrors `torch.combinations` of a 1-d tensor's elements (as itertools orders them)."""
    from .._creation import tensor

    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty(0)
    pick = itertools.combinations_with_replacement if with_replacement else \
        itertools.combinations
    combos = list(pick(range(input.shape[0]), r))
    if not combos:
        return input.new_empty((0, r))
    idx = tensor(combos, dtype=D.int64, device=input.device)
    return input[idx.reshape(-1)].reshape(len(combos), r)


@public("diagflat")
def diagflat(input, offset=0):
    """Mirrors `torch.diagflat`: the flattened input on a diagonal of a square matrix."""
    from .. import diag

    return diag(input.reshape(-1), offset)


@method("fill_diagonal_")
def fill_diagonal_(self, fill_value, wrap=False):
    """Mirrors `torch.Tensor.fill_diagonal_` (wrap: restart below a tall matrix's square)."""
    nd = self.dim()
    if nd < 2:
        raise RuntimeError("dimensions must larger than 1")
    if nd > 2 and len(set(self.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    from ._inplace import inplace

    def fill(t, value):
        xp = _xp(t)
        a = t._data.copy()
        n = min(a.shape)
        if nd == 2 and wrap and a.shape[0] > a.shape[1]:
            # numpy's wrap follows the flat stride n+1, as PyTorch's does
            xp.fill_diagonal(a, value, wrap=True)
        else:
            idx = xp.arange(n)
            a[(idx,) * nd] = value
        return _new_tensor(a, t._dtype, t._device)

    return inplace(self, fill, fill_value)


# ---------------------------------------------------------------- complex views
def _view_as_real_array(a):
    from numpy.lib.stride_tricks import as_strided

    xp, a = _array_xp(a)
    re = a.real
    if xp is _np:
        return as_strided(re, a.shape + (2,), re.strides + (re.itemsize,), writeable=True)
    return xp.lib.stride_tricks.as_strided(re, a.shape + (2,), re.strides + (re.itemsize,))


def _view_as_complex_array(a):
    xp, a = _array_xp(a)
    if a.size == 0 or a.strides[-1] != a.itemsize or \
            any((s // a.itemsize) % 2 for s in a.strides[:-1]):
        # a gradient may come broadcast or strided: pairs must be adjacent in memory
        a = xp.ascontiguousarray(a)
    cdt = _np.complex64 if a.dtype == _np.float32 else (
        _np.complex128 if a.dtype == _np.float64 else _np.complex64)
    return a.view(cdt)[..., 0]


register_ns("view_as_real", _view_as_real_array, lambda t: view_as_real(t))
register_ns("view_as_complex", _view_as_complex_array,
            lambda t: view_as_complex(t.contiguous()))


@defop("view_as_real", promote=False, view=True)
def _view_as_real(xp, a):
    return _view_as_real_array(a)


@_view_as_real.defgrad
def _(F, g, out, a, need, extra):
    return (F.view_as_complex(g),)


@defop("view_as_complex", promote=False, view=True)
def _view_as_complex(xp, a):
    return _view_as_complex_array(a)


@_view_as_complex.defgrad
def _(F, g, out, a, need, extra):
    return (F.view_as_real(g),)


@public("view_as_real", method=False)
def view_as_real(input):
    """Mirrors `torch.view_as_real`: a complex tensor's memory as (..., 2) real values."""
    if not input._dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return apply(_view_as_real, (input,), {})


@public("view_as_complex", method=False)
def view_as_complex(input):
    """Mirrors `torch.view_as_complex`: pairs of the last dimension (size 2) as complex."""
    dt = input._dtype
    if dt not in (D.float32, D.float64):
        raise RuntimeError(
            "view_as_complex is only supported for float and double tensors, but got a tensor "
            f"of scalar type: {_TORCH_NAME(input)}"
        )
    a = input._data
    if a.ndim == 0 or a.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if a.size == 0:
        # nothing to view: any strides will do
        return apply(_view_as_complex, (input,), {})
    if a.strides[-1] != a.itemsize:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any((s // a.itemsize) % 2 for s in a.strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last "
                           "dimension")
    return apply(_view_as_complex, (input,), {})


# ---------------------------------------------------------------- in-place metadata changes
def _meta_inplace(self, fn, *args):
    """Make `self` the result of the view op `fn` (PyTorch's x.t_() and friends)."""
    from ._inplace import bump, check_leaf

    check_leaf(self)  # a leaf, or a view of one, that requires grad
    out = fn(self, *args)
    self._data = out._data
    self._node = out._node
    # torch counts a metadata change as a write: saved copies of self are stale after it
    bump(self)
    return self


@method("t_")
def t_(self):
    """Mirrors `torch.Tensor.t_`."""
    return _meta_inplace(self, Tensor.t)


@method("transpose_")
def transpose_(self, dim0, dim1):
    """Mirrors `torch.Tensor.transpose_`."""
    return _meta_inplace(self, Tensor.transpose, dim0, dim1)


@method("swapaxes_")
def swapaxes_(self, axis0, axis1):
    """Mirrors `torch.Tensor.swapaxes_`."""
    return _meta_inplace(self, Tensor.transpose, axis0, axis1)


@method("swapdims_")
def swapdims_(self, dim0, dim1):
    """Mirrors `torch.Tensor.swapdims_` (torch names its dims dim0/dim1, swapaxes_'s axis0/1)."""
    return _meta_inplace(self, Tensor.transpose, dim0, dim1)


@method("squeeze_")
def squeeze_(self, *dims, dim=None):
    """Mirrors `torch.Tensor.squeeze_` (dims by position, or torch's `dim=` keyword)."""
    if dim is not None:
        dims = (dim,)
    return _meta_inplace(self, Tensor.squeeze, *dims)


@method("unsqueeze_")
def unsqueeze_(self, dim):
    """Mirrors `torch.Tensor.unsqueeze_`."""
    return _meta_inplace(self, Tensor.unsqueeze, dim)


@method("resize_")
def resize_(self, *sizes, memory_format=None):
    """Mirrors `torch.Tensor.resize_`: the elements kept in row-major order, new ones left
    uninitialised (here: zero); a same-sized contiguous resize stays a view of the storage."""
    if len(sizes) == 1 and not isinstance(sizes[0], int):
        sizes = tuple(sizes[0])
    shape = tuple(int(s) for s in sizes)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: "
                           f"{list(shape)}")
    if self._rg:
        raise RuntimeError("cannot resize variables that require grad")
    arr = self._data
    n = 1
    for s in shape:
        n *= s
    if n == arr.size and arr.flags.c_contiguous:
        self._data = arr.reshape(shape)
        return self
    kept = _resize_in_storage(self, n)
    if kept is not None:
        self._data = kept.reshape(shape)
        return self
    xp = self._device.xp
    flat = xp.zeros(n, dtype=arr.dtype)
    keep = min(n, arr.size)
    flat[:keep] = arr.reshape(-1)[:keep]
    self._data = flat.reshape(shape)
    return self


def _resize_in_storage(t, n):
    """The n elements of t's storage from t's storage offset on, as a view of that storage:
    torch's resize_ keeps the storage and offset and sets contiguous strides, so a view grows
    into (or shrinks within) the elements that follow it. None when they would run past the
    end of the storage (torch reallocates it) or the storage is not one contiguous array."""
    root = t
    while root._view_of is not None:
        root = root._view_of[0]
    storage = root._data
    if not storage.flags.c_contiguous or t._data.dtype != storage.dtype:
        return None
    storage = storage.reshape(-1)
    if storage.size == 0:
        return None
    offset = t.data_ptr() - root.data_ptr()
    if offset % storage.itemsize:
        return None
    offset //= storage.itemsize
    if offset < 0 or offset + n > storage.size:
        return None
    return storage[offset:offset + n]


@method("resize_as_")
def resize_as_(self, the_template, memory_format=None):
    """Mirrors `torch.Tensor.resize_as_`."""
    return resize_(self, the_template.shape)


# ---------------------------------------------------------------- small methods
@method("apply_")
def apply_(self, callable):
    """Mirrors `torch.Tensor.apply_`: a Python function on each element, in place (CPU)."""
    if self._device.type != "cpu":
        raise TypeError("apply_ is only implemented on CPU tensors")
    flat = self._data.reshape(-1)
    vals = [callable(v) for v in flat.tolist()]
    self._data[...] = _np.asarray(vals, dtype=self._data.dtype).reshape(self._data.shape)
    return self


@method("map_")
def map_(self, tensor, callable):
    """Mirrors `torch.Tensor.map_`: callable(self_element, other_element), in place (CPU)."""
    if self._device.type != "cpu":
        raise TypeError("map_ is only implemented on CPU tensors")
    other = _np.broadcast_to(tensor._data, self._data.shape)
    vals = [callable(a, b) for a, b in zip(self._data.reshape(-1).tolist(),
                                           other.reshape(-1).tolist())]
    self._data[...] = _np.asarray(vals, dtype=self._data.dtype).reshape(self._data.shape)
    return self


@method("new")
def new(self, *args, **kwargs):
    """Mirrors the legacy `torch.Tensor.new`: sizes give an uninitialised tensor, a sequence
    gives its values, both with self's dtype and device."""
    from .._creation import empty, tensor
    from .._tensor import Size

    dev = kwargs.pop("device", self.device)
    if not args:
        return empty(0, dtype=self.dtype, device=dev)
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0].detach().to(self.dtype)
    if len(args) == 1 and not isinstance(args[0], (int, Size)) and \
            hasattr(args[0], "__len__"):
        return tensor(args[0], dtype=self.dtype, device=dev)
    return empty(*args, dtype=self.dtype, device=dev)


@method("get_device")
def get_device(self):
    """Mirrors `torch.Tensor.get_device`: -1 on the CPU, else the device index."""
    if self._device.type == "cpu":
        return -1
    return self._device.index or 0


@method("is_signed")
def is_signed(self):
    """Mirrors `torch.Tensor.is_signed`."""
    return self._dtype.is_signed


@method("is_nonzero")
def _is_nonzero_method(self):
    return is_nonzero(self)


@public("is_nonzero", method=False)
def is_nonzero(input):
    """Mirrors `torch.is_nonzero`: the truth of a one-element tensor."""
    if input.numel() == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if input.numel() > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input.item())


@method("share_memory_")
def share_memory_(self):
    """Mirrors `torch.Tensor.share_memory_` (a no-op: worker processes fork)."""
    return self


@method("is_shared")
def is_shared(self):
    return False


@method("is_same_size")
def is_same_size(self, other):
    return tuple(self.shape) == tuple(other.shape)


@public("positive")
def positive(input):
    """Mirrors `torch.positive`: the input itself (bool is an error)."""
    if input._dtype is D.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


@public("heaviside")
def heaviside(input, values, *, out=None):
    """Mirrors `torch.heaviside`: 0 below zero, 1 above, `values` at zero."""
    from .. import where
    from .elementwise import _out

    if input._dtype is not values._dtype:
        raise RuntimeError(
            "heaviside is not yet implemented for tensors with different dtypes."
        )
    one = input.new_ones(())
    zero = input.new_zeros(())
    return _out(where(input == 0, values, where(input > 0, one, zero)), out)


def _int_binary(name, fn):
    def op(input, other, *, out=None):
        from .._dtype import result_type
        from ._inplace import _TORCH_NAMES

        o = _as_tensor(other, input)
        dt = result_type(input, o)
        # the kernel runs on the promoted dtype: a bool tensor with an int8 one is fine
        if dt._kind != 1:
            raise NotImplementedError(
                f'"{name}_cpu" not implemented for \'{_TORCH_NAMES[dt.name]}\''
            )
        xp = _xp(input)
        res = fn(xp, input._data.astype(dt.np), o._data.astype(dt.np))
        res = _new_tensor(xp.asarray(res).astype(dt.np), dt, input._device)
        if out is None:
            return res
        from .elementwise import _out

        return _out(res, out)

    op.__name__ = name
    op.__doc__ = f"Mirrors `torch.{name}` (integer tensors)."
    return op


gcd = public("gcd")(_int_binary("gcd", lambda xp, a, b: xp.gcd(a, b)))
lcm = public("lcm")(_int_binary("lcm", lambda xp, a, b: xp.lcm(a, b)))


# ---------------------------------------------------------------- cholesky helpers
@public("cholesky_solve", method=False)
def cholesky_solve(B, L, upper=False, *, out=None):
    """Mirrors `torch.cholesky_solve`: solves A X = B given A's Cholesky factor L."""
    from .. import linalg

    if upper:
        y = linalg.solve_triangular(L.mT.conj(), B, upper=False)
        res = linalg.solve_triangular(L, y, upper=True)
    else:
        y = linalg.solve_triangular(L, B, upper=False)
        res = linalg.solve_triangular(L.mT.conj(), y, upper=True)
    if out is not None:
        # torch resizes `out` to the result's shape (0-d included) and keeps its dtype
        return _write_out(res, out)
    return res


@method("cholesky_solve")
def _cholesky_solve_method(self, input2, upper=False):
    """Mirrors `torch.Tensor.cholesky_solve`: the factor is named `input2` on the method."""
    return cholesky_solve(self, input2, upper)


@public("cholesky_inverse")
def cholesky_inverse(L, upper=False, *, out=None):
    """Mirrors `torch.cholesky_inverse`: A^-1 from A's Cholesky factor."""
    from .. import eye

    n = L.shape[-1]
    ident = eye(n, dtype=L.dtype, device=L.device).expand(L.shape)
    return cholesky_solve(ident, L, upper, out=out)


_TRIANGULAR_SOLVE_WARNED = False


@public("triangular_solve")
def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """Mirrors `torch.triangular_solve` (deprecated API): solves op(A) X = input for a
    triangular A and returns `(solution, cloned_coefficient)`."""
    from .. import _return_types as RT
    from .. import linalg

    global _TRIANGULAR_SOLVE_WARNED
    if not _TRIANGULAR_SOLVE_WARNED:
        # PyTorch warns once per process about the deprecated API
        _TRIANGULAR_SOLVE_WARNED = True
        import warnings

        warnings.warn(
            "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangular"
            "and will be removed in a future PyTorch release.\ntorch.linalg.solve_triangular "
            "has its arguments reversed and does not return a copy of one of the inputs.\n"
            "X = torch.triangular_solve(B, A).solution\nshould be replaced with\n"
            "X = torch.linalg.solve_triangular(A, B).", UserWarning, stacklevel=2)
    if input.dim() < 2 or A.dim() < 2:
        raise RuntimeError(
            "torch.triangular_solve: Expected b to have at least 2 dimensions, but it has "
            f"{input.dim()} dimensions instead" if input.dim() < 2 else
            "torch.triangular_solve: Expected A to have at least 2 dimensions, but it has "
            f"{A.dim()} dimensions instead")
    # transposing A swaps which triangle holds the data
    T = A.mT if transpose else A
    tri_upper = (not upper) if transpose else upper
    sol = linalg.solve_triangular(T, input, upper=tri_upper, unitriangular=unitriangular)
    # the coefficient is returned broadcast to the batch of the solution, as PyTorch does
    coeff = A.expand(sol.shape[:-2] + A.shape[-2:]).clone()
    if out is not None:
        out[0].resize_(sol.shape).copy_(sol)
        out[1].resize_(coeff.shape).copy_(coeff)
        return RT.triangular_solve((out[0], out[1]))
    return RT.triangular_solve((sol, coeff))



# ---------------------------------------------------------------- pairwise distances, integrals
@public("pdist", method=False)
def pdist(input, p=2):
    """Mirrors `torch.pdist`: distances between the rows of a matrix, pairs i < j in order."""
    from .. import triu_indices

    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    n = input.shape[0]
    i, j = triu_indices(n, n, 1, device=input.device)
    return (input[i] - input[j]).norm(p=p, dim=1)


def _trapezoid_parts(y, x, dx, dim):
    d = _wrap_dim(dim, y.dim())
    n = y.shape[d]
    if n == 0:
        return None, d
    avg = (y.narrow(d, 1, n - 1) + y.narrow(d, 0, n - 1)) / 2
    if x is not None:
        if x.dim() == 1:
            shape = [1] * y.dim()
            shape[d] = x.shape[0]
            x = x.reshape(shape)
        return avg * diff(x, dim=d), d
    return avg * (1 if dx is None else dx), d


@public("trapezoid", method=False)
def trapezoid(y, x=None, *, dx=None, dim=-1):
    """Mirrors `torch.trapezoid`: the trapezoidal rule along dim (sample points x, or a
    constant spacing dx)."""
    parts, d = _trapezoid_parts(y, x, dx, dim)
    if parts is None:
        return y.sum(d)
    return parts.sum(d)


@public("trapz", method=False)
def trapz(y, x=None, *, dx=None, dim=-1):
    """Mirrors `torch.trapz` (an alias of trapezoid)."""
    return trapezoid(y, x, dx=dx, dim=dim)


@public("cumulative_trapezoid", method=False)
def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """Mirrors `torch.cumulative_trapezoid`: the running trapezoidal integral along dim."""
    parts, d = _trapezoid_parts(y, x, dx, dim)
    if parts is None:
        return y.narrow(d, 0, 0)
    return parts.cumsum(d)


# ---------------------------------------------------------------- layouts and tensor kinds
class layout:
    """Mirrors `torch.layout`: how a tensor's elements are stored (ember: always strided)."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name


strided = layout("strided")
sparse_coo = layout("sparse_coo")
sparse_csr = layout("sparse_csr")
_mkldnn = layout("_mkldnn")

# ember tensors are dense, strided and unquantized: code that checks (a custom optimizer's
# `if grad.is_sparse: raise ...`) takes its dense path
Tensor.layout = property(lambda self: strided)
Tensor.is_sparse = property(lambda self: False)
Tensor.is_sparse_csr = property(lambda self: False)
Tensor.is_quantized = property(lambda self: False)
Tensor.is_meta = property(lambda self: self._device.type == "meta")
Tensor.is_mkldnn = property(lambda self: False)
Tensor.is_nested = property(lambda self: False)


# ---------------------------------------------------------------- small numeric functions
@public("renorm")
def renorm(input, p, dim, maxnorm, *, out=None):
    """Mirrors `torch.renorm`: each slice along `dim` whose p-norm exceeds `maxnorm` is scaled
    down to norm `maxnorm` (PyTorch's factor maxnorm / (norm + 1e-7))."""
    if out is not None:
        return _write_out(renorm(input, p, dim, maxnorm), out)
    from ._naming import named

    nd = input.dim()
    d = _wrap_dim(dim, max(nd, 1))
    others = tuple(i for i in range(nd) if i != d)
    norm = input.norm(p=p, dim=others, keepdim=True) if others else input.abs()
    with _no_grad():
        # PyTorch treats the factor as computed from the norm, gradient included; the mask
        # itself is not differentiable
        over = norm > maxnorm
    factor = _where(over, maxnorm / (norm + 1e-7), 1.0)
    return named(input * factor, "RenormBackward0")


def _no_grad():
    from ..autograd.grad_mode import no_grad

    return no_grad()


def _where(cond, a, b):
    from .. import where

    return where(cond, a, b)


@public("ldexp")
def ldexp(input, other, *, out=None):
    """Mirrors `torch.ldexp`: input * 2 ** other, always floating."""
    from .elementwise import _out

    two = _as_tensor(2.0, like=input)
    if not input._dtype.is_floating_point and not input._dtype.is_complex:
        input = input.to(D.get_default_dtype())
    return _out(input * two.to(input._dtype).pow(other), out)


@public("frexp")
def frexp(input, *, out=None):
    """Mirrors `torch.frexp`: mantissa in [0.5, 1) and int32 exponent, input = m * 2 ** e."""
    from .._return_types import frexp as _ret

    if out is not None:
        m, e = frexp(input)
        return _ret((_write_out(m, out[0]), _write_out(e, out[1])))

    if not input._dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    xp = _xp(input)
    m, e = xp.frexp(input._data)
    return _ret((_new_tensor(m, input._dtype, input._device),
                 _new_tensor(e.astype(_np.int32), D.int32, input._device)))


@public("nextafter")
def nextafter(input, other, *, out=None):
    """Mirrors `torch.nextafter`: the next representable value after input towards other."""
    from ._inplace import _TORCH_NAMES
    from .elementwise import _out

    other = _as_tensor(other, like=input)
    # torch's promotion: a 0-d float64 tensor with a bfloat16 one gives bfloat16
    dt = D.result_type(input, other)
    if dt._kind != 2:
        raise NotImplementedError(
            f"\"nextafter_cpu\" not implemented for '{_TORCH_NAMES[dt.name]}'"
        )
    xp = _xp(input)
    a = input._data.astype(dt.np, copy=False)
    b = other._data.astype(dt.np, copy=False)
    return _out(_new_tensor(xp.asarray(xp.nextafter(a, b)), dt, input._device), out)


@method("sum_to_size")
def sum_to_size(self, *size):
    """Mirrors `torch.Tensor.sum_to_size`: sums the broadcast dimensions away."""
    if len(size) == 1 and not isinstance(size[0], int):
        size = tuple(size[0])
    shape = tuple(self.shape)
    lead = len(shape) - len(size)
    if lead < 0 or any(s != 1 and s != shape[lead + i] for i, s in enumerate(size)):
        raise RuntimeError(f"size {{{', '.join(map(str, size))}}} is not expandable to size "
                           f"{{{', '.join(map(str, shape))}}}.")
    dims = list(range(lead)) + [lead + i for i, s in enumerate(size)
                                 if s == 1 and shape[lead + i] != 1]
    out = self.sum(dim=dims, keepdim=True) if dims else self
    return out.reshape(size) if lead else out


@public("chain_matmul", method=False)
def chain_matmul(*matrices, out=None):
    """Mirrors the deprecated `torch.chain_matmul` (torch.linalg.multi_dot)."""
    import warnings

    from .. import linalg

    warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch "
                  "release. Use torch.linalg.multi_dot instead, which accepts a list of two or "
                  "more tensors rather than multiple parameters.", stacklevel=2)
    if len(matrices) == 1:
        return matrices[0].clone()
    return linalg.multi_dot(list(matrices))


@public("select_scatter")
def select_scatter(input, src, dim, index):
    """Mirrors `torch.select_scatter`: a copy of input with input.select(dim, index) = src."""
    from ._naming import named

    out = input.clone()
    idx = [slice(None)] * input.dim()
    idx[_wrap_dim(dim, input.dim())] = index
    out[tuple(idx)] = src
    return named(out, "SelectScatterBackward0") if out.grad_fn is not None else out


@public("slice_scatter")
def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    """Mirrors `torch.slice_scatter`: a copy of input with its slice along dim set to src."""
    from ._naming import named

    out = input.clone()
    idx = [slice(None)] * input.dim()
    idx[_wrap_dim(dim, input.dim())] = slice(start, end, step)
    out[tuple(idx)] = src
    return named(out, "SliceScatterBackward0") if out.grad_fn is not None else out


def _index_reduce_args(self, dim, index, source):
    d = _wrap_dim(dim, max(self.dim(), 1))
    shape = [1] * source.dim()
    if source.dim():
        shape[d] = index.numel()
    idx = index.reshape(shape).expand(source.shape) if source.dim() else index.reshape(())
    return d, idx


@public("index_reduce")
def index_reduce(input, dim, index, source, reduce, *, include_self=True, out=None):
    """Mirrors `torch.index_reduce`: source's slices reduced (prod, mean, amax, amin) into
    input's slices at `index` along dim."""
    if out is not None:
        return _write_out(index_reduce(input, dim, index, source, reduce,
                                       include_self=include_self), out)
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or "
                           f"amin but got {reduce}.")
    d, idx = _index_reduce_args(input, dim, index, source)
    return input.scatter_reduce(d, idx, source, reduce, include_self=include_self)


@method("index_reduce_")
def index_reduce_(self, dim, index, source, reduce, *, include_self=True):
    """Mirrors `torch.Tensor.index_reduce_`."""
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or "
                           f"amin but got {reduce}.")
    d, idx = _index_reduce_args(self, dim, index, source)
    return self.scatter_reduce_(d, idx, source, reduce, include_self=include_self)


# ---------------------------------------------------------------- as_strided
def _as_strided_array(a, size, stride, offset):
    """A strided window on the row-major storage of `a` (copied first if not contiguous)."""
    xp, a = _array_xp(a)
    if not a.flags.c_contiguous:
        a = xp.ascontiguousarray(a)
    flat = a.reshape(-1)
    need = offset + sum((n - 1) * s for n, s in zip(size, stride) if n > 0) + 1
    if any(n == 0 for n in size):
        need = 0
    if need > flat.size:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, "
            f"and itemsize {a.itemsize} requiring a storage size of {need * a.itemsize} are "
            f"out of bounds for storage of size {flat.size * a.itemsize}")
    item = a.itemsize
    strides = tuple(s * item for s in stride)
    base = flat[offset:]
    if xp is _np:
        return _np.lib.stride_tricks.as_strided(base, tuple(size), strides, writeable=True)
    return xp.lib.stride_tricks.as_strided(base, tuple(size), strides)


def _as_strided_backward_array(g, input_shape, size, stride, offset):
    xp, g = _array_xp(g)
    n = 1
    for s in input_shape:
        n *= s
    positions = _as_strided_array(xp.arange(n), size, stride, offset)
    flat = xp.zeros(n, dtype=g.dtype)
    # windows may overlap: every read adds its gradient
    if xp is _np:
        _np.add.at(flat, positions.reshape(-1), g.reshape(-1))
    else:
        xp.add.at(flat, positions.reshape(-1), g.reshape(-1))
    return flat.reshape(input_shape)


def _as_strided_backward_tensor(g, input_shape, size, stride, offset):
    from .._creation import tensor, zeros

    n = 1
    for s in input_shape:
        n *= s
    positions = _as_strided_array(_np.arange(n), size, stride, offset)
    idx = tensor(_np.ascontiguousarray(positions).reshape(-1), device=g.device)
    flat = zeros(n, dtype=g.dtype, device=g.device)
    return flat.index_add(0, idx, g.reshape(-1)).reshape(input_shape)


register_ns("as_strided_backward", _as_strided_backward_array, _as_strided_backward_tensor)


@defop("as_strided", promote=False, view=True)
def _as_strided(xp, a, size, stride, offset):
    return _as_strided_array(a, size, stride, offset)


@_as_strided.defgrad
def _(F, g, out, a, need, extra, size, stride, offset):
    return (F.as_strided_backward(g, a.shape, size, stride, offset),)


@public("as_strided")
def as_strided(input, size, stride, storage_offset=None):
    """Mirrors `torch.as_strided` for contiguous tensors (strides count elements of the
    tensor's row-major storage); a non-contiguous tensor is read through a contiguous copy."""
    size = tuple(int(s) for s in size)
    stride = tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    return apply(_as_strided, (input,), {"size": size, "stride": stride,
                                         "offset": int(storage_offset or 0)})


@public("empty_strided", method=False)
def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """Mirrors `torch.empty_strided`: an uninitialised (here: zero) tensor with these strides."""
    from .._creation import zeros

    size = tuple(int(s) for s in size)
    stride = tuple(int(s) for s in stride)
    n = 1 + sum((s - 1) * st for s, st in zip(size, stride)) if all(size) else 0
    storage = zeros(max(n, 0), dtype=dtype, device=device)
    out = as_strided(storage, size, stride)
    return out.requires_grad_(requires_grad) if requires_grad else out


# ---------------------------------------------------------------- short-time Fourier transform
@public("stft")
def stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
         pad_mode="reflect", normalized=False, onesided=None, return_complex=None,
         align_to_window=None):
    """Mirrors `torch.stft`: windowed frames (unfold), their FFT, as (..., freq, frames).
    Composed of differentiable ops, so gradients flow to the input and the window."""
    import warnings

    from .. import fft as _fft
    from ..nn import functional as F

    if return_complex is None:
        if not (input._dtype.is_complex or (window is not None and window._dtype.is_complex)):
            raise RuntimeError(
                "stft requires the return_complex parameter be given for real inputs, and will "
                "further require that return_complex=True in a future PyTorch release.")
        return_complex = True
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    if hop <= 0:
        raise RuntimeError(f"stft: expected hop_length > 0, but got hop_length={hop}")
    if win <= 0 or win > n_fft:
        raise RuntimeError(f"stft: expected 0 < win_length <= n_fft, but got win_length={win}")
    x = input
    batched = x.dim() == 2
    if x.dim() == 1:
        x = x.unsqueeze(0)
    elif x.dim() != 2:
        raise RuntimeError(f"stft: expected a 1D or 2D tensor, but got {x.dim()}D tensor")
    if center:
        half = n_fft // 2
        x = F.pad(x.unsqueeze(1), (half, half), mode=pad_mode).squeeze(1)
    if x.shape[-1] < n_fft:
        raise RuntimeError(f"stft: expected 0 < n_fft < {x.shape[-1]}, but got n_fft={n_fft}")
    frames = x.unfold(-1, n_fft, hop)
    if window is None:
        if win_length is None or win == n_fft:
            warnings.warn("A window was not provided. A rectangular window will be applied,which "
                          "is known to cause spectral leakage. Other windows such as "
                          "torch.hann_window or torch.hamming_window are recommended to reduce "
                          "spectral leakage.To suppress this warning and continue the execution "
                          "without a window, pass torch.ones(win_length, device=your_device) as "
                          "the window.", stacklevel=2)
        from .._creation import ones

        window = ones(win, dtype=x.dtype.to_real() if x._dtype.is_complex else x.dtype,
                      device=x.device)
    if window.shape[0] != win:
        raise RuntimeError(f"stft: expected a 1D window tensor of size equal to win_length="
                           f"{win}, but got window with size {list(window.shape)}")
    if win < n_fft:
        # a shorter window sits in the middle of the frame
        left = (n_fft - win) // 2
        window = F.pad(window, (left, n_fft - win - left))
    frames = frames * window
    if onesided is None:
        onesided = not (x._dtype.is_complex or window._dtype.is_complex)
    spec = _fft.rfft(frames, dim=-1) if onesided else _fft.fft(frames, dim=-1)
    if normalized:
        spec = spec * (n_fft ** -0.5)
    spec = spec.transpose(-1, -2)
    if not batched:
        spec = spec.squeeze(0)
    if not return_complex:
        return view_as_real(spec.contiguous())
    return spec


def _istft_prefix(x, n_fft, hop, win, window, center, normalized, onesided, length,
                  return_complex):
    """The call description PyTorch puts in front of istft's argument errors."""
    kind = "ComplexDouble" if x._dtype is D.complex128 else "ComplexFloat"
    dev = "CUDA" if x._device.type == "cuda" else "CPU"
    if window is None:
        shown_window = "None"
    else:
        names = {"float32": "Float", "float64": "Double", "complex64": "ComplexFloat",
                 "complex128": "ComplexDouble"}
        shown_window = f"torch.{names.get(window._dtype.name, 'Float')}Tensor{{{list(window.shape)}}}"
    shown_onesided = "None" if onesided is None else int(onesided)
    return (f"istft({dev}{kind}Type{list(x.shape)}, n_fft={n_fft}, hop_length={hop}, "
            f"win_length={win}, window={shown_window}, center={int(center)}, "
            f"normalized={int(normalized)}, onesided={shown_onesided}, length={length}, "
            f"return_complex={int(return_complex)}) : ")


def _overlap_add(frames, hop, total):
    """Sum frames (..., n_frames, n_fft) into a signal of `total` samples, frame t starting at
    t * hop (the adjoint of unfold; index_add keeps it differentiable)."""
    from .._creation import arange, zeros

    n_frames, n_fft = frames.shape[-2:]
    starts = arange(n_frames, device=frames.device).unsqueeze(1) * hop
    index = (starts + arange(n_fft, device=frames.device)).reshape(-1)
    lead = tuple(frames.shape[:-2])
    out = zeros(lead + (total,), dtype=frames.dtype, device=frames.device)
    return out.index_add(-1, index, frames.reshape(lead + (n_frames * n_fft,)))


@public("istft")
def istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
          normalized=False, onesided=None, length=None, return_complex=False):
    """Mirrors `torch.istft`: the inverse of stft by windowed overlap-add, each sample divided
    by the summed squared window (the least-squares inverse of Griffin and Lim). Composed of
    differentiable ops (inverse FFT, index_add), so gradients flow to the input and window."""
    import warnings

    from .. import fft as _fft

    if not input._dtype.is_complex:
        raise RuntimeError("istft requires a complex-valued input tensor matching the output "
                           "from stft with return_complex=True.")
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    prefix = _istft_prefix(input, n_fft, hop, win, window, center, normalized, onesided,
                           length, return_complex)
    nd = input.dim()
    if nd not in (2, 3):
        # PyTorch counts the dimensions of the real view (one more)
        raise RuntimeError(prefix + f"expected a tensor with 3 or 4 dimensions, but got {nd + 1}")
    x = input if nd == 3 else input.unsqueeze(0)
    fft_size = x.shape[-2]
    n_frames = x.shape[-1]
    if onesided is None:
        onesided = fft_size != n_fft
    if onesided and n_fft // 2 + 1 != fft_size:
        raise RuntimeError(prefix + "expected the frequency dimension (3rd to the last) of the "
                           "input tensor to match n_fft / 2 + 1 when onesided=True, but got "
                           f"{fft_size}")
    if not onesided and n_fft != fft_size:
        raise RuntimeError(prefix + "expected the frequency dimension (3rd to the last) of the "
                           f"input tensor to match n_fft when onesided=False, but got {fft_size}")
    if not 0 < hop <= win:
        raise RuntimeError(prefix + "expected 0 < hop_length <= win_length")
    if not 0 < win <= n_fft:
        raise RuntimeError(prefix + "expected 0 < win_length <= n_fft")
    if window is not None and (window.dim() != 1 or window.shape[0] != win):
        raise RuntimeError(prefix + "Invalid window shape. window has to be 1D and length of "
                           "`win_length`")
    if window is None:
        warnings.warn("A window was not provided. A rectangular window will be applied.Please "
                      "provide the same window used by stft to make the inversion lossless.To "
                      "suppress this warning and use a rectangular window, explicitly set "
                      "`window=torch.ones(n_fft, device=<device>)`.", stacklevel=2)
        from .._creation import ones

        window = ones(win, dtype=x._dtype.to_real(), device=x.device)
    if win != n_fft:
        # a shorter window sits in the middle of the frame, as in stft
        from ..nn import functional as F

        left = (n_fft - win) // 2
        window = F.pad(window, (left, n_fft - win - left))
    if normalized:
        x = x * (n_fft ** 0.5)
    x = x.transpose(1, 2)
    if return_complex:
        if onesided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        frames = _fft.ifft(x, dim=-1)
    else:
        if window._dtype.is_complex:
            raise RuntimeError("Complex windows are incompatible with return_complex=False")
        if not onesided:
            # a two-sided spectrum of a real signal: its first half determines it
            x = x.narrow(-1, 0, n_fft // 2 + 1)
        frames = _fft.irfft(x, n=n_fft, dim=-1)
    frames = frames * window
    total = n_fft + hop * (n_frames - 1)
    y = _overlap_add(frames, hop, total)
    envelope = _overlap_add((window * window).expand(n_frames, n_fft), hop, total)
    start = n_fft // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = total - n_fft // 2 if center else total
    stop = min(end, total)
    y = y[..., start:stop]
    envelope = envelope[start:stop]
    if envelope.numel() and float(envelope.abs().min()) < 1e-11:
        raise RuntimeError(prefix + "window overlap add min: 1")
    y = y / envelope
    if end > total:
        warnings.warn("The length of signal is shorter than the length parameter. Result is "
                      "being padded with zeros in the tail. Please check your center and "
                      "hop_length settings.", stacklevel=2)
        from ..nn import functional as F

        y = F.pad(y, (0, end - total))
    if nd == 2:
        y = y.squeeze(0)
    return y
