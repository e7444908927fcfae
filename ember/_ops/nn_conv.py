"""Convolutions (1-d, 2-d, 3-d) and transposed convolutions.

Forward is im2col through a strided view plus one batched matmul (BLAS); the input gradient
(and the transposed convolution) is col2im, one slice-add per kernel position. Three ops are
closed under differentiation, so gradients of any order stay fast:

    convolution(x, w)     y = conv(x, w)
    conv_transpose(g, w)  the adjoint of conv in x: d<y, g>/dx
    conv_weight(x, g)     the adjoint of conv in w: d<y, g>/dw

With every stride 1, the input gradient uses whole padded planes as columns, which turns
col2im into long contiguous slice-adds (see `_input_grad_planes`).
"""

import itertools
import math
import sys
import threading
from collections import OrderedDict

import numpy as np

from .._memory_format import follow_channels_last
from ..amp._lists import ACTIVE as _AC
from ..cuda import _conv_pool
from ..amp._lists import run as _autocast
from ._namespace import register_ns
from ._registry import apply, defop


# ---------------------------------------------------------------------------- geometry
class Geom:
    """Shapes and strides shared by im2col, col2im and the input gradient of one convolution."""

    __slots__ = ("K", "L", "P", "dil", "k", "out", "padded", "pads", "stride")

    def __init__(self, in_sp, k, stride, pads, dil):
        self.k = k
        self.stride = stride
        self.pads = pads
        self.dil = dil
        padded = tuple(n + lo + hi for n, (lo, hi) in zip(in_sp, pads))
        self.padded = padded
        self.out = tuple(
            (p - d * (kk - 1) - 1) // s + 1 for p, kk, s, d in zip(padded, k, stride, dil)
        )
        # element strides of the (contiguous) padded buffer's spatial dims
        P = [1] * len(padded)
        for i in range(len(padded) - 2, -1, -1):
            P[i] = P[i + 1] * padded[i + 1]
        self.P = tuple(P)
        self.K = math.prod(k)
        self.L = math.prod(self.out)

    def offsets(self):
        """Flat offset, in the padded buffer, of each kernel position."""
        return [sum(i * d * p for i, d, p in zip(pos, self.dil, self.P))
                for pos in itertools.product(*[range(kk) for kk in self.k])]


# ---------------------------------------------------------------------------- buffer pool
# Big arrays that NumPy frees go back to the OS (glibc trims its heap) and fault in again,
# page by page, at the next allocation: thousands of page faults per training step. The pool
# keeps big buffers and hands one out again only when nothing else references it (CPython's
# reference count: views, tensors and graph nodes all hold a reference to the buffer).
_POOL = threading.local()
_POOL_MIN = 1 << 18  # bytes: smaller arrays come cheaply from malloc's heap
_POOL_MAX = 1 << 27  # bytes: larger ones are not kept
_POOL_TOTAL = 1 << 28  # bytes kept per thread, least recently used shapes dropped first
_POOL_PER_SHAPE = 4
_FREE_REFS = 3  # the pool's list, the loop variable and getrefcount's argument


def pooled(xp, shape, dtype, zero=False):
    """An array of `shape` and `dtype` (uninitialised unless `zero`), reused from the pool when
    a pooled one of that shape is no longer referenced anywhere (CPU only)."""
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    if xp is not np or nbytes < _POOL_MIN or nbytes > _POOL_MAX:
        return xp.zeros(shape, dtype=dtype) if zero else xp.empty(shape, dtype=dtype)
    state = getattr(_POOL, "state", None)
    if state is None:
        state = _POOL.state = [OrderedDict(), 0]
    pools = state[0]
    key = (shape, dtype)
    bucket = pools.get(key)
    if bucket is None:
        bucket = pools[key] = []
    else:
        pools.move_to_end(key)
    for arr in bucket:
        if sys.getrefcount(arr) == _FREE_REFS:
            if zero:
                arr.fill(0)
            return arr
    arr = np.zeros(shape, dtype=dtype)
    if len(bucket) < _POOL_PER_SHAPE:
        bucket.append(arr)
        state[1] += nbytes
        if state[1] > _POOL_TOTAL:
            _trim(state)
    return arr


def _trim(state):
    """Forget pooled arrays, least recently used shapes first, down to half the budget (arrays
    still in use stay alive through their other references)."""
    pools = state[0]
    while state[1] > _POOL_TOTAL // 2 and pools:
        _, bucket = pools.popitem(last=False)
        state[1] -= sum(a.nbytes for a in bucket)


def pad_buffer(xp, x, geom):
    """x with its spatial dims zero-padded into a contiguous buffer (x itself if unpadded)."""
    size = geom.padded
    sp = x.shape[2:]
    if size == sp and x.flags.c_contiguous:
        return x
    shape = x.shape[:2] + size
    buf = pooled(xp, shape, x.dtype, zero=True)
    region = (slice(None), slice(None)) + tuple(
        slice(lo, lo + n) for (lo, _), n in zip(geom.pads, sp)
    )
    buf[region] = x
    return buf


def _strided(xp, a, shape, strides):
    return xp.lib.stride_tricks.as_strided(a, shape=shape, strides=strides)


def im2col(xp, buf, geom):
    """Columns (N, C*K, L) of a contiguous padded buffer (N, C, *padded)."""
    N, C = buf.shape[:2]
    item = buf.itemsize
    kstr = tuple(d * p * item for d, p in zip(geom.dil, geom.P))
    ostr = tuple(s * p * item for s, p in zip(geom.stride, geom.P))
    view = _strided(xp, buf, (N, C) + geom.k + geom.out, buf.strides[:2] + kstr + ostr)
    if view.flags.c_contiguous:
        return view.reshape(N, C * geom.K, geom.L)
    cols = pooled(xp, (N, C * geom.K, geom.L), buf.dtype)
    cols.reshape(view.shape)[...] = view
    return cols


def col2im(xp, cols, geom, C):
    """The adjoint of im2col: (N, C*K, L) columns summed into a padded buffer (N, C, *padded)."""
    N = cols.shape[0]
    buf = xp.zeros((N, C) + geom.padded, dtype=cols.dtype)
    flat = buf.reshape(N, C, math.prod(geom.padded))
    cols = cols.reshape((N, C, geom.K) + geom.out)
    item = buf.itemsize
    ostr = flat.strides[:2] + tuple(s * p * item for s, p in zip(geom.stride, geom.P))
    for j, off in enumerate(geom.offsets()):
        view = _strided(xp, flat[:, :, off:], (N, C) + geom.out, ostr)
        view += cols[:, :, j]
    return buf


def unpad(buf, geom, in_sp):
    region = (slice(None), slice(None)) + tuple(
        slice(lo, lo + n) for (lo, _), n in zip(geom.pads, in_sp)
    )
    return buf[region]


# ---------------------------------------------------------------------------- array kernels
def _wmat(w, groups):
    # (O, Cg, *k) -> (G, Og, Cg*K), or (O, C*K) for one group
    O = w.shape[0]
    if groups == 1:
        return w.reshape(O, -1)
    return w.reshape(groups, O // groups, -1)


def conv_fwd_array(xp, x, w, b, stride, padding, dilation, groups):
    """Returns (output, columns)."""
    geom = Geom(x.shape[2:], w.shape[2:], stride, padding, dilation)
    N = x.shape[0]
    O = w.shape[0]
    buf = pad_buffer(xp, x, geom)
    cols = im2col(xp, buf, geom)
    wm = _wmat(w, groups)
    res = pooled(xp, (N, O, geom.L), cols.dtype)
    if groups == 1:
        xp.matmul(wm, cols, out=res)
    else:
        xp.matmul(wm, cols.reshape(N, groups, -1, geom.L),
                  out=res.reshape(N, groups, O // groups, geom.L))
    out = res.reshape((N, O) + geom.out)
    if b is not None:
        out += b.reshape((O,) + (1,) * len(geom.out))
    return out, cols


def conv_input_grad_array(xp, g, w, in_sp, stride, padding, dilation, groups):
    """d<conv(x, w), g>/dx for x of spatial size in_sp: col2im of w^T g."""
    geom = Geom(in_sp, w.shape[2:], stride, padding, dilation)
    N = g.shape[0]
    C = w.shape[1] * groups
    if N * C == 0 or geom.L == 0:
        return xp.zeros((N, C) + tuple(in_sp), dtype=g.dtype)
    if all(s == 1 for s in stride):
        if xp is np:
            return _input_grad_planes_cpu(g, w, geom, groups, in_sp)
        buf = _input_grad_planes(xp, g, w, geom, groups)
        return _contiguous(xp, unpad(buf, geom, in_sp))
    O = w.shape[0]
    wm = _wmat(w, groups)
    gl = g.reshape(N, O, geom.L)
    if groups == 1:
        gcols = wm.T @ gl
    else:
        gcols = wm.transpose(0, 2, 1) @ gl.reshape(N, groups, O // groups, geom.L)
    buf = col2im(xp, gcols.reshape(N, C * geom.K, geom.L), geom, C)
    return _contiguous(xp, unpad(buf, geom, in_sp))


def _contiguous(xp, view):
    """A C-contiguous copy of a view, in a pooled buffer."""
    out = pooled(xp, view.shape, view.dtype)
    out[...] = view
    return out


def _planes_setup(g, w, geom, groups):
    """Sizes of a stride-1 input gradient over whole planes, and the weight as (G, K*Cg, Og)
    with rows ordered (kernel position, channel)."""
    N, O = g.shape[:2]
    Og = O // groups
    Cg = w.shape[1]
    K = geom.K
    wk = w.reshape(groups, Og, Cg, K).transpose(0, 3, 2, 1).reshape(groups, K * Cg, Og)
    return N, O, groups, Og, Cg, Cg * groups, K, math.prod(geom.padded), wk


def _input_grad_planes(xp, g, w, geom, groups):
    """Stride-1 input gradient with whole padded planes as columns.

    The gradient is laid out over full padded planes (zeros off the output positions) and the
    weight rows are ordered (kernel position, channel), so each kernel position's columns form
    contiguous blocks: col2im becomes K slice-adds of whole planes. An output
    position shifted by a kernel offset stays inside its plane; only the zero columns can run
    into the next plane or the buffer's tail, which adds nothing.
    """
    N, O, G, Og, Cg, C, K, P, wk = _planes_setup(g, w, geom, groups)
    gp = pooled(xp, (N, O) + geom.padded, g.dtype, zero=True)
    gp[(slice(None), slice(None)) + tuple(slice(0, o) for o in geom.out)] = g
    offs = geom.offsets()
    # (measured within a training step: a contiguous matmul output beats writing it in a
    # (K, C, N, P) order for one-dimensional adds, which looked faster in isolation)
    gc = pooled(xp, (N, G, K * Cg, P), g.dtype)
    xp.matmul(wk, gp.reshape(N, G, Og, P), out=gc)
    gc = gc.reshape(N, G, K, Cg * P)
    if xp is not np and _conv_pool.usable(gc, None):
        # on a GPU: the K slice-adds below as one kernel (cuda/_conv_pool.py)
        flat = _conv_pool.col2im(gc, offs, N * G, K, Cg * P)
        return flat.reshape((N, C) + geom.padded)
    flat = pooled(xp, (N * C * P + max(offs),), g.dtype, zero=True)
    item = flat.itemsize
    shape = (N, G, Cg * P)
    strides = (C * P * item, Cg * P * item, item)
    for j, off in enumerate(offs):
        view = _strided(xp, flat[off:], shape, strides)
        view += gc[:, :, j]
    return flat[: N * C * P].reshape((N, C) + geom.padded)


def _input_grad_planes_cpu(g, w, geom, groups, in_sp):
    """Stride-1 input gradient on the CPU: `_input_grad_planes` with the batch inside the
    columns, so that w^T g is one GEMM per group and each kernel position one long add.

    The gradient's planes are laid out (O, N, padded) and the weight rows (kernel position,
    channel): the product is (G, K, Cg, N, P), and each kernel position's block adds, shifted
    by its offset, onto the (C, N, P) buffer in one contiguous slice-add. Measured in the
    LeNet step: 64 per-sample GEMMs of (150, 16) @ (16, 196) and 25 adds of 64 rows each took
    1.3 ms; this takes 0.85.
    """
    N, O, G, Og, Cg, C, K, P, wk = _planes_setup(g, w, geom, groups)
    gp = pooled(np, (O, N) + geom.padded, g.dtype, zero=True)
    gp[(slice(None), slice(None)) + tuple(slice(0, o) for o in geom.out)] = g.swapaxes(0, 1)
    gc = pooled(np, (G, K * Cg, N * P), g.dtype)
    np.matmul(wk, gp.reshape(G, Og, N * P), out=gc)
    block = Cg * N * P
    gc = gc.reshape(G, K, block)
    offs = geom.offsets()
    # nonzero columns never leave their plane; zeros may run on into the next plane, the next
    # group's block or the tail, and add nothing
    flat = pooled(np, (C * N * P + max(offs),), g.dtype, zero=True)
    item = flat.itemsize
    for j, off in enumerate(offs):
        if G == 1:
            flat[off:off + block] += gc[0, j]
        else:
            view = _strided(np, flat[off:], (G, block), (block * item, item))
            view += gc[:, j]
    planes = flat[: C * N * P].reshape((C, N) + geom.padded)
    # back to (N, C, *in_sp): one copy, which also drops the padding
    return _contiguous(np, unpad(planes, geom, in_sp).swapaxes(0, 1))


def conv_weight_grad_array(xp, x, g, wshape, cols, stride, padding, dilation, groups):
    """d<conv(x, w), g>/dw: g times the columns of x, summed over the batch."""
    geom = Geom(x.shape[2:], wshape[2:], stride, padding, dilation)
    N = x.shape[0]
    O = wshape[0]
    if cols is None:
        cols = im2col(xp, pad_buffer(xp, x, geom), geom)
    gw = g.reshape(N, O, geom.L)
    # one matmul per sample reading the columns in place ((O, N*L) @ (N*L, C*K) would copy
    # them); columns @ g^T (rows C*K, then transposed) ran faster in OpenBLAS than g @ columns^T
    if groups == 1:
        res = (cols @ gw.transpose(0, 2, 1)).sum(axis=0).T
    else:
        gg = gw.reshape(N, groups, O // groups, geom.L)
        cc = cols.reshape(N, groups, -1, geom.L)
        res = (cc @ gg.transpose(0, 1, 3, 2)).sum(axis=0).transpose(0, 2, 1)
    return xp.ascontiguousarray(res).reshape(wshape)


# ---------------------------------------------------------------------------- ops
def _spatial_axes(nd):
    return (0,) + tuple(range(2, nd))


@defop("convolution", promote=False, save_inputs=True, extra=True,
       grad_name="ConvolutionBackward0")
def _conv(xp, x, w, b, stride, padding, dilation, groups):
    return conv_fwd_array(xp, x, w, b, stride, padding, dilation, groups)


@_conv.defgrad
def _(F, g, out, x, w, b, need, extra, stride, padding, dilation, groups):
    p = (stride, padding, dilation, groups)
    gx = F.conv_input_grad(g, w, tuple(x.shape[2:]), p) if need[0] else None
    gw = F.conv_weight_grad(x, g, tuple(w.shape), extra, p) if need[1] else None
    gb = F.sum(g, axis=_spatial_axes(len(g.shape))) if need[2] else None
    return gx, gw, gb


@defop("conv_transpose", promote=False, save_inputs=True, grad_name="ConvolutionBackward0")
def _conv_t(xp, g, w, b, stride, padding, dilation, groups, out_size):
    out = conv_input_grad_array(xp, g, w, out_size, stride, padding, dilation, groups)
    if b is not None:
        out += b.reshape((-1,) + (1,) * len(out_size))
    return out


@_conv_t.defgrad
def _(F, gg, out, g, w, b, need, extra, stride, padding, dilation, groups, out_size):
    # conv_transpose is linear in g and in w; its adjoints are conv and conv_weight
    p = (stride, padding, dilation, groups)
    dg = F.conv_forward(gg, w, p) if need[0] else None
    dw = F.conv_weight_grad(gg, g, tuple(w.shape), None, p) if need[1] else None
    db = F.sum(gg, axis=_spatial_axes(len(gg.shape))) if need[2] else None
    return dg, dw, db


@defop("conv_weight", promote=False, save_inputs=True,
       grad_name="ConvolutionBackwardBackward0")
def _conv_w(xp, x, g, stride, padding, dilation, groups, wshape):
    return conv_weight_grad_array(xp, x, g, wshape, None, stride, padding, dilation, groups)


@_conv_w.defgrad
def _(F, gw, out, x, g, need, extra, stride, padding, dilation, groups, wshape):
    p = (stride, padding, dilation, groups)
    dx = F.conv_input_grad(g, gw, tuple(x.shape[2:]), p) if need[0] else None
    dg = F.conv_forward(x, gw, p) if need[1] else None
    return dx, dg


def _params(p):
    stride, padding, dilation, groups = p
    return {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}


def _xp_of(a):
    return np if a.__class__ is np.ndarray else _cupy()


def _cupy():
    import cupy

    return cupy


def _ns_conv_forward_a(x, w, p):
    return conv_fwd_array(_xp_of(x), x, w, None, *p)[0]


def _ns_conv_forward_t(x, w, p):
    return apply(_conv, (x, w, None), _params(p))[0]


def _ns_input_grad_a(g, w, in_sp, p):
    return conv_input_grad_array(_xp_of(g), g, w, in_sp, *p)


def _ns_input_grad_t(g, w, in_sp, p):
    params = _params(p)
    params["out_size"] = tuple(in_sp)
    return apply(_conv_t, (g, w, None), params)


def _ns_weight_grad_a(x, g, wshape, cols, p):
    return conv_weight_grad_array(_xp_of(g), x, g, wshape, cols, *p)


def _ns_weight_grad_t(x, g, wshape, cols, p):
    params = _params(p)
    params["wshape"] = tuple(wshape)
    return apply(_conv_w, (x, g), params)


register_ns("conv_forward", _ns_conv_forward_a, _ns_conv_forward_t)
register_ns("conv_input_grad", _ns_input_grad_a, _ns_input_grad_t)
register_ns("conv_weight_grad", _ns_weight_grad_a, _ns_weight_grad_t)


# ---------------------------------------------------------------------------- argument checks
# checks run in PyTorch's order, so the first problem found is the one PyTorch reports
_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half"}
_TYPES = {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor",
          "float16": "torch.HalfTensor"}


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _as_list(value, n):
    # the Python binding turns an int into n copies and keeps a sequence as given
    if isinstance(value, int):
        return [value] * n
    return [int(v) for v in value]


def _expand(value, n, k, name):
    """value as a k-tuple for a k-d weight; PyTorch's message for a wrong length."""
    vals = _as_list(value, n)
    if len(vals) == 1:
        return tuple(vals) * k
    if len(vals) != k:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {k} values to match the "
            f"convolution dimensions, but got {name}={vals}"
        )
    return tuple(vals)


def same_padding(k, stride, dilation):
    """'same': total d*(k-1) per dim, the odd element on the high side (as PyTorch)."""
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    return tuple((d * (kk - 1) // 2, d * (kk - 1) - d * (kk - 1) // 2)
                 for kk, d in zip(k, dilation))


def _batchify(input, n, name):
    xs = tuple(input._data.shape)
    if len(xs) not in (n + 1, n + 2):
        raise RuntimeError(
            f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to {name}, but got "
            f"input of size: {_shape_str(xs)}"
        )
    if len(xs) == n + 1:
        return input.unsqueeze(0), False
    return input, True


def _check_bias_dtype(input, bias):
    if bias is not None and bias._dtype is not input._dtype:
        raise RuntimeError(
            f"Input type ({_NAMES.get(input._dtype.name, input._dtype.name)}) and bias type "
            f"({_NAMES.get(bias._dtype.name, bias._dtype.name)}) should be the same"
        )


def _check_params(weight, stride, padding, dilation, n):
    """Lengths and signs of stride/padding/dilation for this weight. Returns k-tuples."""
    if weight._data.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    k = weight._data.ndim - 2
    stride = _expand(stride, n, k, "stride")
    pad = padding if isinstance(padding, str) else _expand(padding, n, k, "padding")
    dilation = _expand(dilation, n, k, "dilation")
    if not isinstance(pad, str) and any(v < 0 for v in pad):
        raise RuntimeError("negative padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    return stride, pad, dilation


def _check_shapes(input, weight, bias, groups, transposed):
    xs = tuple(input._data.shape)
    ws = tuple(weight._data.shape)
    if len(xs) != len(ws):
        raise RuntimeError(
            f"Expected {len(ws)}-dimensional input for {len(ws)}-dimensional weight "
            f"{_shape_str(ws)}, but got {len(xs)}-dimensional input of size {_shape_str(xs)} "
            "instead"
        )
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if ws[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
            f"but got weight of size {_shape_str(ws)} instead"
        )
    if transposed:
        if xs[1] != ws[0]:
            raise RuntimeError(
                f"Given transposed=1, weight of size {_shape_str(ws)}, expected input"
                f"{_shape_str(xs)} to have {ws[0]} channels, but got {xs[1]} channels instead"
            )
        out_ch = ws[1] * groups
    else:
        if xs[1] != ws[1] * groups:
            raise RuntimeError(
                f"Given groups={groups}, weight of size {_shape_str(ws)}, expected input"
                f"{_shape_str(xs)} to have {ws[1] * groups} channels, but got {xs[1]} channels "
                "instead"
            )
        out_ch = ws[0]
    if bias is not None and tuple(bias._data.shape) != (out_ch,):
        raise RuntimeError(
            f"Given weight of size {_shape_str(ws)}, expected bias to be 1-dimensional with "
            f"{out_ch} elements, but got bias of size {_shape_str(bias._data.shape)} instead"
        )


def _check_dtypes(input, weight):
    a = input._dtype.name
    b = weight._dtype.name
    if a == b:
        return
    if a == "float64" and b in _NAMES:
        raise RuntimeError(f"expected scalar type Double but found {_long_name(weight._dtype)}")
    raise RuntimeError(
        f"Input type ({_TYPES.get(a, a)}) and weight type ({_TYPES.get(b, b)}) should be the "
        "same or input should be a MKLDNN tensor and weight is a dense tensor"
    )


def _long_name(dt):
    from ._inplace import _TORCH_NAMES

    return _TORCH_NAMES[dt.name]


# ---------------------------------------------------------------------------- public functions
def convolution(input, weight, bias, stride, padding, dilation, groups, n):
    """conv1d/2d/3d: PyTorch's checks, then the op."""
    if _AC[0]:
        return _autocast("convolution", convolution, locals())
    _check_bias_dtype(input, bias)
    input, batched = _batchify(input, n, f"conv{n}d")
    if isinstance(padding, str) and padding not in ("same", "valid"):
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    stride, pad, dilation = _check_params(weight, stride, padding, dilation, n)
    _check_shapes(input, weight, bias, groups, False)
    k = tuple(weight._data.shape[2:])
    if pad == "same":
        pads = same_padding(k, stride, dilation)
    elif pad == "valid":
        pads = ((0, 0),) * len(k)
    else:
        pads = tuple((v, v) for v in pad)
    in_sp = input._data.shape[2:]
    padded = [s + lo + hi for s, (lo, hi) in zip(in_sp, pads)]
    eff = [d * (kk - 1) + 1 for kk, d in zip(k, dilation)]
    if any(p < e for p, e in zip(padded, eff)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
            f"Kernel size: ({' x '.join(map(str, eff))}). Kernel size can't be greater than "
            "actual input size"
        )
    _check_dtypes(input, weight)
    params = {"stride": stride, "padding": pads, "dilation": dilation, "groups": groups}
    out = apply(_conv, (input, weight, bias), params)[0]
    # a channels-last input or weight gives a channels-last output, as in PyTorch
    return follow_channels_last(out, input, weight) if batched else out.squeeze(0)


def conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, n):
    """conv_transpose1d/2d/3d: PyTorch's checks, then the op."""
    if _AC[0]:
        return _autocast("conv_transpose", conv_transpose, locals())
    _check_bias_dtype(input, bias)
    input, batched = _batchify(input, n, f"conv_transpose{n}d")
    if isinstance(padding, str):
        # PyTorch's argument parser: transposed convolutions take no padding string
        raise TypeError(f"conv_transpose{n}d(): argument 'padding' must be tuple of ints, not str")
    if isinstance(padding, (tuple, list)):
        for i, p in enumerate(padding):
            if not isinstance(p, int):
                # the message of the positional call that ConvTransposeNd.forward makes (a
                # padding string given to the module arrives as a tuple of characters)
                raise TypeError(
                    f"conv_transpose{n}d(): argument 'padding' (position 5) must be tuple of "
                    f"ints, but found element of type {type(p).__name__} at pos {i}"
                )
    stride, pad, dilation = _check_params(weight, stride, padding, dilation, n)
    k = tuple(weight._data.shape[2:])
    opad = _expand(output_padding, n, len(k), "output_padding")
    _check_shapes(input, weight, bias, groups, True)
    for o, s, d in zip(opad, stride, dilation):
        if o >= s and o >= d:
            raise RuntimeError(
                "output padding must be smaller than either stride or dilation, but got "
                f"output_padding_height: {opad[0]} output_padding_width: {opad[-1]} "
                f"stride_height: {stride[0]} stride_width: {stride[-1]} dilation_height: "
                f"{dilation[0]} dilation_width: {dilation[-1]}"
            )
    in_sp = input._data.shape[2:]
    out_sp = tuple(
        (i - 1) * s - 2 * p + d * (kk - 1) + o + 1
        for i, s, p, d, kk, o in zip(in_sp, stride, pad, dilation, k, opad)
    )
    if any(o <= 0 for o in out_sp):
        raise RuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, in_sp))}). Calculated output "
            f"size per channel: ({' x '.join(map(str, out_sp))}). Output size is too small"
        )
    _check_dtypes(input, weight)
    pads = []
    for p, i, s, d, kk, o in zip(pad, in_sp, stride, dilation, k, out_sp):
        # the padded buffer must hold every position the columns touch and the whole output,
        # while a convolution over it still yields exactly i positions
        target = max(p + o, (i - 1) * s + d * (kk - 1) + 1)
        if (target - d * (kk - 1) - 1) // s + 1 != i:
            raise NotImplementedError("output_padding >= stride + padding is not supported")
        pads.append((p, target - p - o))
    params = {"stride": stride, "padding": tuple(pads), "dilation": dilation, "groups": groups,
              "out_size": out_sp}
    out = apply(_conv_t, (input, weight, bias), params)
    return out if batched else out.squeeze(0)
