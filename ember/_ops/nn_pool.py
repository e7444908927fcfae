"""Pooling: max and average pooling (1-d, 2-d, 3-d), adaptive pooling, max unpooling.

Windows are read as one strided slice per kernel position and combined with K elementwise
passes (np.maximum, +): NumPy reduces a small trailing window axis far slower than it
combines K whole slices. Max pooling keeps PyTorch's flat indices (into each input plane);
its gradient scatters by them, and the scatter/gather pair below are each other's adjoints,
so second derivatives work too.
"""

import itertools
import math

import numpy as np

from .._memory_format import follow_channels_last
from ..autograd.grad_mode import GRAD
from ..cuda import _conv_pool
from ._namespace import register_ns
from ._registry import apply, defop
from .nn_conv import pooled


# ---------------------------------------------------------------------------- geometry
def pool_geometry(in_sp, k, stride, pad, dil, ceil_mode):
    """Output sizes and buffer pads ((lo, hi), ...) so every window lies in the buffer."""
    outs = []
    pads = []
    for n, kk, s, p, d in zip(in_sp, k, stride, pad, dil):
        eff = d * (kk - 1) + 1
        span = n + 2 * p - eff
        o = (span + (s - 1 if ceil_mode else 0)) // s + 1
        # with ceil_mode the last window must start inside the input or its left padding
        if ceil_mode and (o - 1) * s >= n + p:
            o -= 1
        need = (o - 1) * s + eff
        outs.append(o)
        pads.append((p, max(0, need - n - p)))
    return tuple(outs), tuple(pads)


def _pad_to(xp, x, pads, value):
    if not any(lo or hi for lo, hi in pads):
        return x
    sp = x.shape[2:]
    size = tuple(n + lo + hi for n, (lo, hi) in zip(sp, pads))
    buf = xp.full(x.shape[:2] + size, value, dtype=x.dtype)
    buf[(slice(None), slice(None)) + tuple(slice(lo, lo + n) for (lo, _), n in zip(pads, sp))] = x
    return buf


def _crop(buf, pads, in_sp):
    if not any(lo or hi for lo, hi in pads):
        return buf
    return buf[(slice(None), slice(None))
               + tuple(slice(lo, lo + n) for (lo, _), n in zip(pads, in_sp))]


def _slices(k, stride, dil, out):
    """One index tuple per kernel position: the window elements at that position."""
    res = []
    for pos in itertools.product(*[range(kk) for kk in k]):
        sl = (slice(None), slice(None)) + tuple(
            slice(i * d, i * d + s * (o - 1) + 1, s) for i, d, s, o in zip(pos, dil, stride, out)
        )
        res.append((pos, sl))
    return res


def _xp_of(a):
    if a.__class__ is np.ndarray:
        return np
    import cupy

    return cupy


# ---------------------------------------------------------------------------- max pooling
def _tiled(x_sp, k, stride, pads):
    """Windows that tile the input exactly (no padding, no overlap, no remainder)."""
    return all(lo == 0 and hi == 0 for lo, hi in pads) and all(
        s == kk and n % kk == 0 for n, kk, s in zip(x_sp, k, stride))


def _split_shape(lead, sp, k):
    # (N, C, o1, k1, o2, k2, ...): each spatial dim split into (windows, window elements)
    shape = list(lead)
    for n, kk in zip(sp, k):
        shape += [n // kk, kk]
    return tuple(shape)


# a large window is one reduction over a reshaped input; small ones are K slice adds, far
# faster than NumPy's reduction over short axes
_BIG_WINDOW = 16


def _pad_value(x):
    return -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min


def max_pool_array(xp, x, k, stride, dil, pads, out, with_arg):
    """Returns (values, window position of each max or None).

    The position is the index of the kernel offset (row-major) holding the first max, as a
    small unsigned int: PyTorch's tie rule at a fraction of the cost of flat indices.
    """
    K = math.prod(k)
    if xp is not np and len(k) == 2 and x.ndim == 4 and _conv_pool.usable(x, k):
        # on a GPU: one kernel instead of one launch per kernel position (cuda/_conv_pool.py)
        res, am = _conv_pool.max_pool2d(x, k, stride, dil, pads, out, np.dtype(_small_uint(K)))
        return res, (am if with_arg else None)
    if K > _BIG_WINDOW and _tiled(x.shape[2:], k, stride, pads) and all(d == 1 for d in dil):
        win = _windows_last(xp, x, k)
        if not with_arg:
            return win.max(axis=-1), None
        am = win.argmax(axis=-1)
        res = xp.take_along_axis(win, am[..., None], axis=-1)[..., 0]
        return res, am.astype(_small_uint(K))
    buf = _pad_to(xp, x, pads, _pad_value(x))
    views = _slices(k, stride, dil, out)
    res = pooled(xp, x.shape[:2] + tuple(out), x.dtype)
    if len(views) == 1:
        res[...] = buf[views[0][1]]
    else:
        xp.maximum(buf[views[0][1]], buf[views[1][1]], out=res)
        for _, sl in views[2:]:
            xp.maximum(res, buf[sl], out=res)
    if not with_arg:
        return res, None
    # walk the positions backwards with mask arithmetic on a small int: masked writes
    # (np.where, copyto(where=)) are several times slower here
    small = _small_uint(K)
    am = xp.full(res.shape, K - 1, dtype=small)
    for j in range(K - 2, -1, -1):
        eq = (buf[views[j][1]] == res).view(np.uint8).astype(small, copy=False)
        # am = j where eq, else am (am > j here, so the difference never wraps)
        am -= eq * (am - small(j))
    return res, am


def _windows_last(xp, x, k):
    """(N, C, *out, K): each tiling window's elements gathered on the last axis (a copy)."""
    nd = len(k)
    split = x.reshape(_split_shape(x.shape[:2], x.shape[2:], k))
    order = (0, 1) + tuple(2 + 2 * i for i in range(nd)) + tuple(3 + 2 * i for i in range(nd))
    win = split.transpose(order)
    return win.reshape(win.shape[: 2 + nd] + (math.prod(k),))


def _from_windows_last(xp, win, in_shape, k):
    """The inverse of _windows_last."""
    nd = len(k)
    lead = tuple(in_shape[:2])
    out = tuple(n // kk for n, kk in zip(in_shape[2:], k))
    split = win.reshape(lead + out + tuple(k))
    order = [0, 1]
    for i in range(nd):
        order += [2 + i, 2 + nd + i]
    return xp.ascontiguousarray(split.transpose(order)).reshape(tuple(in_shape))


def _small_uint(n):
    # an integer dtype ember can wrap (the positions come back as the op's extra output)
    return np.uint8 if n <= 255 else (np.int16 if n <= 32767 else np.int32)


def window_index(xp, am, in_sp, k, stride, dil, pads, out):
    """PyTorch's flat indices (into each input plane) from window positions."""
    Q = [1] * len(in_sp)
    for i in range(len(in_sp) - 2, -1, -1):
        Q[i] = Q[i + 1] * in_sp[i + 1]
    koff = [sum(i * d * q for i, d, q in zip(pos, dil, Q))
            for pos in itertools.product(*[range(kk) for kk in k])]
    idx = xp.take(xp.asarray(np.array(koff, dtype=np.int64)), am)
    for i, (o, s, (lo, _), q) in enumerate(zip(out, stride, pads, Q)):
        shape = [1] * len(out)
        shape[i] = o
        idx += xp.asarray(((np.arange(o) * s - lo) * q).reshape(shape))
    return idx


def window_scatter_array(g, am, in_shape, k, stride, dil, pads, out):
    """zeros(in_shape) with each g element added at its window's max position."""
    xp = _xp_of(g)
    in_sp = tuple(in_shape[2:])
    K = math.prod(k)
    if (xp is not np and len(k) == 2 and len(in_shape) == 4 and _conv_pool.usable(g, k)
            and am.__class__ is g.__class__):
        return _conv_pool.max_pool2d_backward(g, am, tuple(in_shape), k, stride, dil, pads, out)
    if K > _BIG_WINDOW and _tiled(in_sp, k, stride, pads) and all(d == 1 for d in dil):
        win = xp.zeros(g.shape + (K,), dtype=g.dtype)
        xp.put_along_axis(win, am[..., None].astype(np.int64), g[..., None], axis=-1)
        return _from_windows_last(xp, win, in_shape, k)
    size = tuple(n + lo + hi for n, (lo, hi) in zip(in_sp, pads))
    buf = pooled(xp, tuple(in_shape[:2]) + size, g.dtype, zero=True)
    disjoint = all(s >= d * (kk - 1) + 1 for s, d, kk in zip(stride, dil, k))
    for j, (_, sl) in enumerate(_slices(k, stride, dil, out)):
        if disjoint:
            # windows that cannot overlap: write each position's share directly
            xp.multiply(g, am == j, out=buf[sl])
        else:
            buf[sl] += g * (am == j)
    return xp.ascontiguousarray(_crop(buf, pads, in_sp))


def window_gather_array(x, am, k, stride, dil, pads, out):
    """The adjoint of window_scatter: x at each window's max position."""
    xp = _xp_of(x)
    if math.prod(k) > _BIG_WINDOW and _tiled(x.shape[2:], k, stride, pads) and all(
            d == 1 for d in dil):
        win = _windows_last(xp, x, k)
        return xp.take_along_axis(win, am[..., None].astype(np.int64), axis=-1)[..., 0]
    buf = _pad_to(xp, x, pads, 0)
    res = None
    for j, (_, sl) in enumerate(_slices(k, stride, dil, out)):
        part = buf[sl] * (am == j)
        res = part if res is None else res + part
    return res


@defop("max_pool", promote=False, extra=True, grad_name="MaxPool2DWithIndicesBackward0")
def _max_pool(xp, x, k, stride, dil, pads, out_sp):
    return max_pool_array(xp, x, k, stride, dil, pads, out_sp, True)


@_max_pool.defgrad
def _(F, g, out, x, need, extra, k, stride, dil, pads, out_sp):
    return (F.window_scatter(g, extra, tuple(x.shape), (k, stride, dil, pads, out_sp)),)


@defop("window_scatter", promote=False, grad_name="MaxPool2DWithIndicesBackwardBackward0")
def _window_scatter(xp, g, am, in_shape, k, stride, dil, pads, out_sp):
    return window_scatter_array(g, am, in_shape, k, stride, dil, pads, out_sp)


@_window_scatter.defgrad
def _(F, gg, out, g, need, extra, am, in_shape, k, stride, dil, pads, out_sp):
    return (F.window_gather(gg, am, (k, stride, dil, pads, out_sp)),)


@defop("window_gather", promote=False, grad_name="GatherBackward0")
def _window_gather(xp, x, am, k, stride, dil, pads, out_sp):
    return window_gather_array(x, am, k, stride, dil, pads, out_sp)


@_window_gather.defgrad
def _(F, g, out, x, need, extra, am, k, stride, dil, pads, out_sp):
    return (F.window_scatter(g, am, tuple(x.shape), (k, stride, dil, pads, out_sp)),)


def _idx_array(idx):
    return idx._data if hasattr(idx, "_data") else idx


def _wparams(am, p):
    k, stride, dil, pads, out_sp = p
    return {"am": _idx_array(am), "k": k, "stride": stride, "dil": dil, "pads": pads,
            "out_sp": out_sp}


register_ns(
    "window_scatter",
    lambda g, am, in_shape, p: window_scatter_array(g, am, tuple(in_shape), *p),
    lambda g, am, in_shape, p: apply(_window_scatter, (g,),
                                     dict(_wparams(am, p), in_shape=tuple(in_shape))),
)
register_ns(
    "window_gather",
    lambda x, am, p: window_gather_array(x, am, *p),
    lambda x, am, p: apply(_window_gather, (x,), _wparams(am, p)),
)


def _int64():
    from .. import _dtype

    return _dtype.int64


def _rows(xp, n_planes, plane):
    return (xp.arange(n_planes, dtype=np.int64) * plane)


def pool_scatter_array(g, idx, in_shape, disjoint):
    """zeros(in_shape) with g added at the flat per-plane indices idx."""
    xp = _xp_of(g)
    NC = math.prod(in_shape[:2])
    plane = math.prod(in_shape[2:])
    if NC == 0:
        return xp.zeros(in_shape, dtype=g.dtype)
    gidx = idx.reshape(NC, -1) + _rows(xp, NC, plane)[:, None]
    if disjoint:
        out = xp.zeros(NC * plane, dtype=g.dtype)
        out[gidx.ravel()] = g.ravel()
    else:
        out = xp.bincount(gidx.ravel(), weights=g.ravel(), minlength=NC * plane)
        out = out.astype(g.dtype, copy=False)
    return out.reshape(in_shape)


def pool_gather_array(x, idx):
    """x's elements at the flat per-plane indices idx (shape of idx)."""
    xp = _xp_of(x)
    shape = x.shape
    NC = math.prod(shape[:2])
    plane = math.prod(shape[2:])
    gidx = idx.reshape(NC, -1) + _rows(xp, NC, plane)[:, None]
    return x.reshape(-1)[gidx.ravel()].reshape(idx.shape)


@defop("adaptive_max_pool", promote=False, extra=True,
       grad_name="AdaptiveMaxPool2DBackward0")
def _adaptive_max_pool(xp, x, out_sp):
    return adaptive_max_array(xp, x, out_sp)


@_adaptive_max_pool.defgrad
def _(F, g, out, x, need, extra, out_sp):
    return (F.pool_scatter(g, extra, tuple(x.shape), False),)


@defop("pool_scatter", promote=False, grad_name="MaxPool2DWithIndicesBackwardBackward0")
def _pool_scatter(xp, g, idx, in_shape, disjoint):
    return pool_scatter_array(g, idx, in_shape, disjoint)


@_pool_scatter.defgrad
def _(F, gg, out, g, need, extra, idx, in_shape, disjoint):
    return (F.pool_gather(gg, idx),)


@defop("pool_gather", promote=False, grad_name="GatherBackward0")
def _pool_gather(xp, x, idx):
    return pool_gather_array(x, idx)


@_pool_gather.defgrad
def _(F, g, out, x, need, extra, idx):
    return (F.pool_scatter(g, idx, tuple(x.shape), False),)


register_ns(
    "pool_scatter",
    pool_scatter_array,
    lambda g, idx, in_shape, disjoint: apply(
        _pool_scatter, (g,), {"idx": _idx_array(idx), "in_shape": tuple(in_shape),
                              "disjoint": disjoint}),
)
register_ns(
    "pool_gather",
    pool_gather_array,
    lambda x, idx: apply(_pool_gather, (x,), {"idx": _idx_array(idx)}),
)


# ---------------------------------------------------------------------------- adaptive windows
def adaptive_bounds(n, o):
    """PyTorch's adaptive windows along one dim: start floor(i*n/o), end ceil((i+1)*n/o)."""
    i = np.arange(o)
    start = (i * n) // o
    end = ((i + 1) * n + o - 1) // o
    return start, end


def adaptive_max_array(xp, x, out_sp):
    """Adaptive max pooling with PyTorch's flat indices (first max in row-major order)."""
    in_sp = x.shape[2:]
    if x.size == 0:
        # an empty batch or channel dim: nothing to pool (empty spatial dims were refused)
        shape = tuple(x.shape[:2]) + tuple(out_sp)
        return xp.empty(shape, dtype=x.dtype), xp.empty(shape, dtype=np.int64)
    nd = len(in_sp)
    Q = [1] * nd
    for i in range(nd - 2, -1, -1):
        Q[i] = Q[i + 1] * in_sp[i + 1]
    per_dim = []
    for n, o in zip(in_sp, out_sp):
        start, end = adaptive_bounds(n, o)
        kmax = int((end - start).max()) if o else 0
        # windows shorter than kmax repeat their last element, which cannot change a max
        # and, coming later, never wins a tie
        j = np.arange(kmax)
        pos = np.minimum(start[:, None] + j[None, :], (end - 1)[:, None])
        per_dim.append(pos)
    N, C = x.shape[:2]
    flat = x.reshape(N, C, -1)
    res = None
    idx = None
    for offs in itertools.product(*[range(p.shape[1]) for p in per_dim]):
        lin = 0
        for i, (p, off) in enumerate(zip(per_dim, offs)):
            shape = [1] * nd
            shape[i] = p.shape[0]
            lin = lin + (p[:, off] * Q[i]).reshape(shape)
        lin = xp.asarray(np.broadcast_to(lin, tuple(out_sp)).reshape(-1))
        v = flat[:, :, lin]
        if res is None:
            res = v
            idx = xp.broadcast_to(lin, v.shape).copy()
            continue
        better = (v > res) | (xp.isnan(v) & ~xp.isnan(res))
        res = xp.where(better, v, res)
        idx = xp.where(better, lin, idx)
    return res.reshape((N, C) + tuple(out_sp)), idx.reshape((N, C) + tuple(out_sp))


# ---------------------------------------------------------------------------- average pooling
def avg_divisor(in_sp, k, stride, pads, pad, out, count_include_pad, divisor_override):
    """The per-window divisor: a scalar, or an array of the output's spatial shape."""
    if divisor_override:
        return float(divisor_override)
    sizes = []
    uniform = True
    for n, kk, s, p, o in zip(in_sp, k, stride, pad, out):
        start = np.arange(o) * s - p
        end = np.minimum(start + kk, n + p)
        size = end - start
        if not count_include_pad:
            size = np.minimum(end, n) - np.maximum(start, 0)
        if not (size == kk).all():
            uniform = False
        sizes.append(size)
    if uniform:
        return float(math.prod(k))
    div = np.ones((), dtype=np.float64)
    for i, size in enumerate(sizes):
        shape = [1] * len(sizes)
        shape[i] = len(size)
        div = div * size.reshape(shape)
    return div


def _div_for(xp, div, dtype):
    if isinstance(div, float):
        return div
    return xp.asarray(div.astype(dtype))


def avg_pool_array(xp, x, k, stride, pads, out, div):
    if math.prod(k) > _BIG_WINDOW and _tiled(x.shape[2:], k, stride, pads):
        nd = len(k)
        if all(o == 1 for o in out):
            # global pooling: one reduction over a contiguous last axis
            # (a product with ones: NumPy's sum over a short last axis is ~6x slower)
            flat = xp.ascontiguousarray(x).reshape(x.shape[:2] + (-1,))
            acc = (flat @ xp.ones(flat.shape[-1], dtype=x.dtype)).reshape(x.shape[:2] + out)
        else:
            axes = tuple(3 + 2 * i for i in range(nd))
            acc = x.reshape(_split_shape(x.shape[:2], x.shape[2:], k)).sum(axis=axes)
        acc /= _div_for(xp, div, x.dtype)
        return acc
    buf = _pad_to(xp, x, pads, 0)
    views = _slices(k, stride, (1,) * len(k), out)
    if len(views) == 1:
        acc = buf[views[0][1]].copy()
    else:
        acc = buf[views[0][1]] + buf[views[1][1]]
        for _, sl in views[2:]:
            acc += buf[sl]
    acc /= _div_for(xp, div, x.dtype)
    return acc


def avg_pool_adjoint_array(xp, g, in_shape, k, stride, pads, out, div):
    gs = g / _div_for(xp, div, g.dtype)
    in_sp = in_shape[2:]
    if math.prod(k) > _BIG_WINDOW and _tiled(in_sp, k, stride, pads):
        split = _split_shape(in_shape[:2], in_sp, k)
        # each window element receives its window's share: a broadcast
        shape = list(split)
        for i in range(len(k)):
            shape[3 + 2 * i] = 1
        return xp.ascontiguousarray(
            xp.broadcast_to(gs.reshape(shape), split)).reshape(tuple(in_shape))
    size = tuple(n + lo + hi for n, (lo, hi) in zip(in_sp, pads))
    buf = xp.zeros(tuple(in_shape[:2]) + size, dtype=g.dtype)
    for _, sl in _slices(k, stride, (1,) * len(k), out):
        buf[sl] += gs
    return xp.ascontiguousarray(_crop(buf, pads, in_sp))


@defop("avg_pool", promote=False, grad_name="AvgPool2DBackward0")
def _avg_pool(xp, x, k, stride, pads, out_sp, div):
    return avg_pool_array(xp, x, k, stride, pads, out_sp, div)


@_avg_pool.defgrad
def _(F, g, out, x, need, extra, k, stride, pads, out_sp, div):
    return (F.avg_pool_adjoint(g, tuple(x.shape), (k, stride, pads, out_sp, div)),)


@defop("avg_pool_adjoint", promote=False, grad_name="AvgPool2DBackwardBackward0")
def _avg_pool_adj(xp, g, in_shape, k, stride, pads, out_sp, div):
    return avg_pool_adjoint_array(xp, g, in_shape, k, stride, pads, out_sp, div)


@_avg_pool_adj.defgrad
def _(F, gg, out, g, need, extra, in_shape, k, stride, pads, out_sp, div):
    return (F.avg_pool_forward(gg, (k, stride, pads, out_sp, div)),)


def _avg_params(p):
    k, stride, pads, out_sp, div = p
    return {"k": k, "stride": stride, "pads": pads, "out_sp": out_sp, "div": div}


def _avg_adj_t(g, in_shape, p):
    params = _avg_params(p)
    params["in_shape"] = tuple(in_shape)
    return apply(_avg_pool_adj, (g,), params)


register_ns(
    "avg_pool_adjoint",
    lambda g, in_shape, p: avg_pool_adjoint_array(_xp_of(g), g, tuple(in_shape), *p),
    _avg_adj_t,
)
register_ns(
    "avg_pool_forward",
    lambda x, p: avg_pool_array(_xp_of(x), x, *p),
    lambda x, p: apply(_avg_pool, (x,), _avg_params(p)),
)


# ---------------------------------------------------------------------------- public helpers
def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def pool_tuple(value, n, fname, what):
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) == 1:
        return value * n
    if len(value) != n:
        words = {1: "a single int", 2: "a tuple of two ints", 3: "a tuple of three ints"}
        raise RuntimeError(f"{fname}: {what} must either be a single int, or {words[n]}")
    return value


def _check_input(input, n, fname):
    shape = tuple(input._data.shape)
    nd = len(shape)
    if nd not in (n + 1, n + 2):
        if fname in ("avg_pool1d", "max_pool1d_with_indices"):
            raise RuntimeError(
                f"Expected 2 to 3 dimensions, but got {nd}-dimensional tensor for argument #1 "
                f"'self' (while checking arguments for {fname[:10]})"
            )
        if fname == "avg_pool2d":
            # torch's avg_pool2d reads input.size(-3) before checking the dims
            input.size(-3)
            raise RuntimeError(
                "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, "
                f"but got:{_shape_str(shape)}"
            )
        if n == 1:
            raise RuntimeError(
                f"{fname}: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size "
                f"for input, but got:{_shape_str(shape)}"
            )
        raise RuntimeError(f"non-empty {n + 1}D or {n + 2}D (batch mode) tensor expected for input")
    if any(s == 0 for s in shape[(0 if nd == n + 1 else 1):]):
        raise RuntimeError(
            f"Expected {n + 1}D or {n + 2}D (batch mode) tensor with optional 0 dim batch size "
            f"for input, but got:{_shape_str(shape)}"
        )
    if nd == n + 1:
        return input.unsqueeze(0), False
    return input, True


def _check_out(input, in_sp, out, fname=""):
    if any(o <= 0 for o in out):
        if fname == "max_pool1d":
            # the no-indices max_pool1d has its own kernel and message
            raise RuntimeError(f"max_pool1d() Invalid computed output size: {out[0]}")
        if len(in_sp) == 1:
            # the other 1d pools run as 2d pools on an (N, C, 1, L) view
            in_sp, out = (1,) + tuple(in_sp), (1,) + tuple(out)
        C = input._data.shape[1]
        raise RuntimeError(
            f"Given input size: ({C}x{'x'.join(map(str, in_sp))}). Calculated output size: "
            f"({C}x{'x'.join(map(str, out))}). Output size is too small"
        )


def _pool_args(input, kernel_size, stride, padding, dilation, n, fname):
    k = pool_tuple(kernel_size, n, fname, "kernel_size")
    if stride is None or (not isinstance(stride, int) and len(stride) == 0):
        stride = k
    stride = pool_tuple(stride, n, fname, "stride")
    pad = pool_tuple(padding, n, fname, "padding")
    dil = pool_tuple(dilation, n, fname, "dilation")
    if any(s == 0 for s in stride) or any(kk == 0 for kk in k):
        raise RuntimeError("stride should not be zero")
    if any(d <= 0 for d in dil):
        raise RuntimeError(
            f"dilation should be greater than zero, but got dilationH: {dil[0]} dilationW: "
            f"{dil[-1]}"
        )
    for p, kk, d in zip(pad, k, dil):
        if p > (d * (kk - 1) + 1) // 2:
            raise RuntimeError(
                "pad should be at most half of effective kernel size, but got "
                f"pad={p}, kernel_size={kk} and dilation={d}"
            )
    return k, stride, pad, dil


def max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, n):
    """max_pool1d/2d/3d."""
    fname = f"max_pool{n}d"
    if n == 1 and return_indices:
        # max_pool1d_with_indices checks the rank like avg_pool1d does
        input, batched = _check_input(input, n, "max_pool1d_with_indices")
    else:
        input, batched = _check_input(input, n, fname)
    k, stride, pad, dil = _pool_args(input, kernel_size, stride, padding, dilation, n, fname)
    in_sp = tuple(input._data.shape[2:])
    out_sp, pads = pool_geometry(in_sp, k, stride, pad, dil, ceil_mode)
    _check_out(input, in_sp, out_sp, "" if return_indices else fname)
    params = {"k": k, "stride": stride, "dil": dil, "pads": pads, "out_sp": out_sp}
    if return_indices or (input._rg and GRAD.enabled):
        out, am = apply(_max_pool, (input,), params)
        idx = None
        if return_indices:
            from .._tensor import _new_tensor

            xp = np if input._device.type == "cpu" else input._device.xp
            arr = window_index(xp, am._data, in_sp, k, stride, dil, pads, out_sp)
            idx = _new_tensor(arr, _int64(), input._device)
    else:
        # no graph and no indices: only the maxima
        from .._tensor import _new_tensor

        arr = max_pool_array(input._device.xp if input._device.type != "cpu" else np,
                             input._data, k, stride, dil, pads, out_sp, False)[0]
        out = _new_tensor(arr, input._dtype, input._device)
        idx = None
    if not batched:
        out = out.squeeze(0)
        idx = idx.squeeze(0) if idx is not None else None
    return follow_channels_last((out, idx) if return_indices else out, input)


def avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override,
             n):
    """avg_pool1d/2d/3d."""
    fname = f"avg_pool{n}d"
    input, batched = _check_input(input, n, fname)
    k, stride, pad, dil = _pool_args(input, kernel_size, stride, padding, 1, n, fname)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    in_sp = tuple(input._data.shape[2:])
    if n == 3 and any(i < kk for i, kk in zip(in_sp, k)):
        # avg_pool3d's shape check compares the unpadded input with the kernel first
        raise RuntimeError(
            "input image (T: {} H: {} W: {}) smaller than kernel size (kT: {} kH: {} kW: {})"
            .format(*in_sp, *k)
        )
    out_sp, pads = pool_geometry(in_sp, k, stride, pad, dil, ceil_mode)
    _check_out(input, in_sp, out_sp)
    div = avg_divisor(in_sp, k, stride, pads, pad, out_sp, count_include_pad, divisor_override)
    params = {"k": k, "stride": stride, "pads": pads, "out_sp": out_sp, "div": div}
    out = apply(_avg_pool, (input,), params)
    return follow_channels_last(out, input) if batched else out.squeeze(0)


def _adaptive_size(output_size, in_sp, n, fname):
    if isinstance(output_size, int) or output_size is None:
        output_size = (output_size,) * n
    output_size = tuple(output_size)
    if len(output_size) != n:
        raise RuntimeError(f"{fname}: output_size must be {n}")
    return tuple(s if o is None else int(o) for o, s in zip(output_size, in_sp))


def _adaptive_input(input, n, fname, output_size):
    nd = input._data.ndim
    if nd not in (n + 1, n + 2):
        # torch.nn.functional's 2d/3d wrappers first compare a tuple output size with the
        # input's dims (_list_with_default); then each kernel words its own check
        if n > 1 and not isinstance(output_size, int) and nd <= len(output_size):
            raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
        if n == 1:
            raise RuntimeError(
                f"Expected 2 to 3 dimensions, but got {nd}-dimensional tensor for argument #1 "
                f"'self' (while checking arguments for {fname})"
            )
        colon = ":" if fname.startswith("adaptive_max") else ""
        raise RuntimeError(
            f"{fname}(): Expected {n + 1}D or {n + 2}D tensor, but got{colon} "
            f"{_shape_str(input.shape)}"
        )
    if nd == n + 1:
        return input.unsqueeze(0), False
    return input, True


def _adaptive_nonempty(shape, n, fname, avg):
    """torch's adaptive pool kernels refuse an empty non-batch dim; which dims they check
    differs: avg 1d/2d the last two (1d runs as 2d on an (..., 1, L) view), the others every
    dim after the first."""
    if avg and n == 1:
        shape, fname = shape[:-1] + (1,) + shape[-1:], "adaptive_avg_pool2d"
    dims = range(len(shape) - 2, len(shape)) if avg and n < 3 else range(1, len(shape))
    for i in dims:
        if shape[i] == 0:
            raise RuntimeError(
                f"{fname}(): Expected input to have non-zero size for non-batch dimensions, but "
                f"input has sizes {list(shape)} with dimension {i} being empty"
            )


def adaptive_avg_pool(input, output_size, n):
    """adaptive_avg_pool1d/2d/3d: a regular average pool when the sizes divide, else a
    product with per-dim averaging matrices (windows are separable)."""
    fname = f"adaptive_avg_pool{n}d"
    input, batched = _adaptive_input(input, n, fname, output_size)
    if input._data.size == 0:
        _adaptive_nonempty(tuple(input._data.shape[0 if batched else 1:]), n, fname, True)
    in_sp = tuple(input._data.shape[2:])
    out_sp = _adaptive_size(output_size, in_sp, n, fname)
    if all(o > 0 and s % o == 0 for s, o in zip(in_sp, out_sp)):
        k = tuple(s // o for s, o in zip(in_sp, out_sp))
        pads = ((0, 0),) * n
        params = {"k": k, "stride": k, "pads": pads, "out_sp": out_sp,
                  "div": float(math.prod(k))}
        out = apply(_avg_pool, (input,), params)
    else:
        out = _adaptive_avg_matrices(input, in_sp, out_sp)
    return follow_channels_last(out, input) if batched else out.squeeze(0)


def _adaptive_avg_matrices(input, in_sp, out_sp):
    from .. import _creation

    x = input
    nd = len(in_sp)
    for i, (s, o) in enumerate(zip(in_sp, out_sp)):
        start, end = adaptive_bounds(s, o)
        m = np.zeros((o, s), dtype=np.float64)
        for r in range(o):
            m[r, start[r]:end[r]] = 1.0 / (end[r] - start[r])
        mt = _creation.tensor(m.T, dtype=x.dtype, device=x.device)
        # move dim i last, contract it with the (s, o) matrix, move it back
        axis = 2 + i
        x = x.transpose(axis, -1) if axis != x.ndim - 1 else x
        x = x.matmul(mt)
        x = x.transpose(axis, -1) if axis != x.ndim - 1 else x
    return x.contiguous() if nd > 1 else x


def adaptive_max_pool(input, output_size, return_indices, n):
    """adaptive_max_pool1d/2d/3d."""
    fname = f"adaptive_max_pool{n}d"
    input, batched = _adaptive_input(input, n, fname, output_size)
    empty = input._data.size == 0
    if empty:
        _adaptive_nonempty(tuple(input._data.shape[0 if batched else 1:]), n, fname, False)
    in_sp = tuple(input._data.shape[2:])
    out_sp = _adaptive_size(output_size, in_sp, n, fname)
    # (max_pool refuses the empty channels of an unbatched input, which torch allows here)
    if not empty and all(o > 0 and s % o == 0 for s, o in zip(in_sp, out_sp)):
        # windows that tile the input: a regular max pool (global pooling included)
        k = tuple(s // o for s, o in zip(in_sp, out_sp))
        out, idx = max_pool(input, k, k, 0, 1, False, True, n)
    else:
        out, idx = apply(_adaptive_max_pool, (input,), {"out_sp": out_sp})
    if not batched:
        out = out.squeeze(0)
        idx = idx.squeeze(0)
    return follow_channels_last((out, idx) if return_indices else out, input)


# ---------------------------------------------------------------------------- unpooling
@defop("max_unpool", promote=False, grad_name="MaxUnpool2DBackward0")
def _max_unpool(xp, x, idx, out_shape):
    NC = math.prod(out_shape[:2])
    plane = math.prod(out_shape[2:])
    out = xp.zeros(NC * plane, dtype=x.dtype)
    gidx = idx.reshape(NC, -1) + _rows(xp, NC, plane)[:, None]
    out[gidx.ravel()] = x.ravel()
    return out.reshape(out_shape)


@_max_unpool.defgrad
def _(F, g, out, x, need, extra, idx, out_shape):
    return (F.pool_gather(g, idx),)


def _unpool_size(output_size, default, stride, n):
    """The spatial output size asked for, checked as torch checks it: n or n + 2 entries, each
    within one stride of the default size (anything else cannot hold the pooled indices)."""
    if len(output_size) == n + 2:
        output_size = output_size[2:]
    if len(output_size) != n:
        raise ValueError(
            f"output_size should be a sequence containing {n} or {n + 2} elements, but it has "
            f"a length of '{len(output_size)}'"
        )
    for d in range(n):
        lo = default[d] - stride[d]
        hi = default[d] + stride[d]
        if not lo < output_size[d] < hi:
            raise ValueError(
                f'invalid output_size "{output_size}" (dim {d} must be between {lo} and {hi})'
            )
    return tuple(int(s) for s in output_size)


def max_unpool(input, indices, kernel_size, stride, padding, output_size, n):
    """max_unpool1d/2d/3d."""
    fname = f"max_unpool{n}d"
    batched = input._data.ndim == n + 2
    if not batched:
        input = input.unsqueeze(0)
        indices = indices.unsqueeze(0)
    k = pool_tuple(kernel_size, n, fname, "kernel_size")
    stride = k if stride is None else pool_tuple(stride, n, fname, "stride")
    pad = pool_tuple(padding, n, fname, "padding")
    in_sp = input._data.shape[2:]
    default = tuple((i - 1) * s + kk - 2 * p for i, s, kk, p in zip(in_sp, stride, k, pad))
    if output_size is None:
        out_sp = default
    else:
        out_sp = _unpool_size(output_size, default, stride, n)
    idx = indices._data
    plane = math.prod(out_sp)
    if idx.size and (idx.min() < 0 or idx.max() >= plane):
        raise RuntimeError(
            f"Found an invalid max index: {int(idx.max())} (output volumes are of size "
            f"{'x'.join(map(str, out_sp))})"
        )
    out_shape = tuple(input._data.shape[:2]) + tuple(out_sp)
    out = apply(_max_unpool, (input,), {"idx": idx, "out_shape": out_shape})
    return out if batched else out.squeeze(0)
