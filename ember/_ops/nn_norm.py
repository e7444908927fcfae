"""Normalization: batch, layer, group and instance norm.

One fused kernel normalizes over `axes` and applies an affine (weight and bias already shaped
to broadcast against the input); the batch, layer and group norm ops are that kernel under
PyTorch's names. The forward keeps (mean, var, invstd) as its extra output, which the fast
backward reuses; under create_graph the rule recomputes them from the input with ember's ops
so that second derivatives see their dependence on it.
"""

import math

import numpy as np

from .._memory_format import follow_channels_last
from ..amp._lists import ACTIVE as _AC
from ..amp._lists import run as _autocast
from ._inplace import bump
from ._namespace import ANS
from ._naming import named
from ._registry import apply, defop
from ._blas_sum import row_sums, sum_rows
from .nn_conv import pooled

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _dot_keep(xp, a, b, keep):
    """sum(a * b) over every dim not in `keep` (kept dims stay, in order), with no temporary:
    einsum's sum of products beats a product array plus a reduction by 3-4x here."""
    sub = _LETTERS[: a.ndim]
    out = "".join(sub[d] for d in keep)
    return xp.einsum(f"{sub},{sub}->{out}", a, b)


def _sum_keep(xp, a, keep):
    """sum of a over every dim not in `keep`, kept dims in order (a flat array).

    When the kept dims are one contiguous run, the sums are products with a vector of ones
    (BLAS): NumPy's reductions over short trailing axes cost far more per element.
    """
    nd = a.ndim
    if keep and list(keep) == list(range(keep[0], keep[-1] + 1)) and a.flags.c_contiguous:
        pre = math.prod(a.shape[: keep[0]])
        mid = math.prod(a.shape[d] for d in keep)
        post = math.prod(a.shape[keep[-1] + 1:])
        # two-dimensional products only: NumPy sends those to BLAS (gemv)
        s = a.reshape(pre * mid, post)
        s = s @ xp.ones(post, dtype=a.dtype) if post > 1 else s[:, 0]
        if pre > 1:
            s = xp.ones(pre, dtype=a.dtype) @ s.reshape(pre, mid)
        return s
    return a.sum(axis=tuple(d for d in range(nd) if d not in keep))


def _kept(shape, nd):
    """The dims of an nd-d array a broadcast operand of `shape` does not reduce over."""
    lead = nd - len(shape)
    return tuple(lead + i for i, s in enumerate(shape) if s != 1)


def _reduced_shape(shape, axes):
    return tuple(1 if d in axes else s for d, s in enumerate(shape))


def _trailing_rows(xp, x, axes):
    """(rows, n): x seen as a 2-D C-contiguous NumPy float array whose rows are the groups
    normalized over (layer norm: the trailing dims), or None for any other layout."""
    nd = x.ndim
    if (xp is not np or not axes or axes[0] + len(axes) != nd or axes[0] == 0
            or not x.flags.c_contiguous or x.dtype.kind != "f" or x.size == 0):
        return None
    n = math.prod(x.shape[axes[0]:])
    return x.size // n, n


def _layer_rows_forward(x, w, b, axes, eps, rows, n):
    """norm_forward for layer norm over C-contiguous trailing dims: the row sums through BLAS
    (row_sums) instead of einsum, whose set-up costs more than a small layer's work."""
    x2 = x.reshape(rows, n)
    mean = row_sums(x2)
    mean /= n
    out = pooled(np, x.shape, x.dtype)
    o2 = out.reshape(rows, n)
    np.subtract(x2, mean, out=o2)
    sq = o2 * o2
    var = row_sums(sq)
    var /= n
    invstd = var + eps
    np.sqrt(invstd, out=invstd)
    np.divide(1.0, invstd, out=invstd)
    o2 *= invstd
    if w is not None:
        out *= w
    if b is not None:
        out += b
    rshape = _reduced_shape(x.shape, axes)
    stats = np.stack([mean.reshape(rshape), var.reshape(rshape), invstd.reshape(rshape)])
    return out, stats


def norm_forward(xp, x, w, b, axes, eps):
    """Returns (output, stats) with stats = stack(mean, var, invstd), reduced dims kept."""
    rows = _trailing_rows(xp, x, axes)
    if rows is not None:
        return _layer_rows_forward(x, w, b, axes, eps, *rows)
    nd = x.ndim
    keep = tuple(d for d in range(nd) if d not in axes)
    rshape = _reduced_shape(x.shape, axes)
    n = _count(x.shape, axes)
    xc = x if x.flags.c_contiguous else xp.ascontiguousarray(x)
    mean = (_sum_keep(xp, xc, keep) / max(n, 1)).reshape(rshape).astype(x.dtype, copy=False)
    out = pooled(xp, x.shape, x.dtype)
    xp.subtract(x, mean, out=out)
    var = (_dot_keep(xp, out, out, keep) / max(n, 1)).reshape(rshape).astype(x.dtype, copy=False)
    invstd = (1.0 / xp.sqrt(var + eps)).astype(x.dtype, copy=False)
    if w is not None and _kept(w.shape, nd) and set(_kept(w.shape, nd)) <= set(keep):
        # weight constant over the normalized dims (batch norm): one combined scale
        out *= invstd * w
    else:
        out *= invstd
        if w is not None:
            out *= w
    if b is not None:
        out += b
    stats = xp.stack([mean, var, invstd])
    return out, stats


def _count(shape, axes):
    return math.prod(shape[a] for a in axes)


def _layer_rows_backward(g, x, w, b, need, stats, rows, n):
    """_norm_backward_array for layer norm over C-contiguous trailing dims (weight and bias of
    the normalized shape): row sums and bias/weight column sums through BLAS, not einsum."""
    x2 = x.reshape(rows, n)
    g2 = g.reshape(rows, n)
    mean = stats[0].reshape(rows, 1)
    invstd = stats[2].reshape(rows, 1)
    xhat = pooled(np, (rows, n), x.dtype)
    np.subtract(x2, mean, out=xhat)
    xhat *= invstd
    gx = gw = gb = None
    if need[0]:
        gxhat = g2 if w is None else g2 * w.reshape(n)
        m1 = row_sums(gxhat)
        m1 /= n
        m2 = row_sums(gxhat * xhat)
        m2 /= n
        gx = pooled(np, (rows, n), x.dtype)
        np.multiply(xhat, m2, out=gx)
        np.subtract(gxhat, gx, out=gx)
        gx -= m1
        gx *= invstd
        gx = gx.reshape(x.shape)
    if w is not None and need[1]:
        gw = sum_rows(g2 * xhat).reshape(w.shape)
    if b is not None and need[2]:
        gb = sum_rows(g2).reshape(b.shape)
    return gx, gw, gb


def _norm_backward_array(xp, g, x, w, b, need, stats, axes):
    rows = _trailing_rows(xp, x, axes)
    if rows is not None and g.__class__ is np.ndarray:
        normalized = x.shape[axes[0]:]
        if ((w is None or w.shape == normalized) and (b is None or b.shape == normalized)
                and g.dtype == x.dtype and g.shape == x.shape):
            if not g.flags.c_contiguous:
                # (a broadcast gradient, as from .sum(): one copy beats einsum's strides)
                g = np.ascontiguousarray(g)
            return _layer_rows_backward(g, x, w, b, need, stats, *rows)
    nd = x.ndim
    keep = tuple(d for d in range(nd) if d not in axes)
    rshape = _reduced_shape(x.shape, axes)
    n = max(_count(x.shape, axes), 1)
    mean, invstd = stats[0], stats[2]
    xhat = pooled(xp, x.shape, x.dtype)
    xp.subtract(x, mean, out=xhat)
    xhat *= invstd
    gx = gw = gb = None
    if need[0]:
        gxhat = g if w is None else g * w
        if not gxhat.flags.c_contiguous:
            gxhat = xp.ascontiguousarray(gxhat)
        m1 = (_sum_keep(xp, gxhat, keep) / n).reshape(rshape).astype(x.dtype, copy=False)
        m2 = (_dot_keep(xp, gxhat, xhat, keep) / n).reshape(rshape).astype(x.dtype, copy=False)
        gx = pooled(xp, x.shape, x.dtype)
        xp.multiply(xhat, m2, out=gx)
        xp.subtract(gxhat, gx, out=gx)
        gx -= m1
        gx *= invstd
    if w is not None and need[1]:
        gw = _dot_keep(xp, g, xhat, _kept(w.shape, nd)).reshape(w.shape)
    if b is not None and need[2]:
        gc = g if g.flags.c_contiguous else xp.ascontiguousarray(g)
        gb = _sum_keep(xp, gc, _kept(b.shape, nd)).reshape(b.shape)
    return gx, gw, gb


def norm_backward(F, g, x, w, b, need, stats, axes, eps):
    """Gradients of out = (x - mean) * invstd * w + b for x, w and b."""
    if F is ANS:
        return _norm_backward_array(_xp_of(x), g, x, w, b, need, stats, axes)
    # create_graph: the statistics depend on x, so rebuild them differentiably
    mean = F.mean(x, axis=axes, keepdims=True)
    xc = x - mean
    invstd = (F.mean(xc * xc, axis=axes, keepdims=True) + eps) ** -0.5
    xhat = xc * invstd
    gx = gw = gb = None
    if need[0]:
        gxhat = g if w is None else g * w
        m1 = F.mean(gxhat, axis=axes, keepdims=True)
        m2 = F.mean(gxhat * xhat, axis=axes, keepdims=True)
        gx = (gxhat - m1 - xhat * m2) * invstd
    if w is not None and need[1]:
        gw = F.sum_to(g * xhat, tuple(w.shape))
    if b is not None and need[2]:
        gb = F.sum_to(g, tuple(b.shape))
    return gx, gw, gb


def _xp_of(a):
    if a.__class__ is np.ndarray:
        return np
    import cupy

    return cupy


def _make_norm_op(name, grad_name):
    @defop(name, promote=False, save_inputs=True, extra=True, grad_name=grad_name)
    def op(xp, x, w, b, axes, eps):
        return norm_forward(xp, x, w, b, axes, eps)

    @op.defgrad
    def _(F, g, out, x, w, b, need, extra, axes, eps):
        return norm_backward(F, g, x, w, b, need, extra, axes, eps)

    return op


_batch_norm = _make_norm_op("native_batch_norm", "NativeBatchNormBackward0")
_layer_norm = _make_norm_op("native_layer_norm", "NativeLayerNormBackward0")
_group_norm = _make_norm_op("native_group_norm", "NativeGroupNormBackward0")


# ---------------------------------------------------------------------------- helpers
def _size_str(shape):
    return f"torch.Size({list(shape)})"


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _channel_shape(nd):
    return (1, -1) + (1,) * (nd - 2)


def _update_running(t, value, momentum):
    """t = (1 - momentum) * t + momentum * value, in place on t's array (no graph)."""
    if t is None:
        return
    arr = t._data
    arr *= 1 - momentum
    arr += (momentum * value).astype(arr.dtype, copy=False)
    bump(t)


def _check_vec(t, n, what):
    if t is not None and t._data.size != n:
        raise RuntimeError(f"{what} should contain {n} elements not {t._data.size}")


def _affine_eval(input, mean, var, weight, bias, eps):
    """(x - mean) / sqrt(var + eps) * weight + bias per channel, from ember ops."""
    nd = input._data.ndim
    shape = _channel_shape(nd)
    scale = (var + eps) ** -0.5
    if weight is not None:
        scale = scale * weight
    shift = -mean * scale
    if bias is not None:
        shift = shift + bias
    return input * scale.reshape(shape) + shift.reshape(shape)


# ---------------------------------------------------------------------------- public functions
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Mirrors `torch.nn.functional.batch_norm` (running stats updated in place)."""
    shape = tuple(input._data.shape)
    C = shape[1] if len(shape) > 1 else 0
    if training:
        # torch's _verify_batch_size: size(0) * prod(size[2:]) values per channel
        if not shape:
            raise IndexError("tuple index out of range")
        n = shape[0] * math.prod(shape[2:])
        # exactly one: an empty batch passes (its result is empty)
        if n == 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size "
                f"{_size_str(shape)}"
            )
        if eps <= 0.0:
            raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    elif eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    _check_vec(running_mean, C, "running_mean")
    _check_vec(running_var, C, "running_var")
    _check_vec(weight, C, "weight")
    _check_vec(bias, C, "bias")
    if len(shape) < 2:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-max(len(shape), 1)}, "
            f"{max(len(shape), 1) - 1}], but got 1)"
        )
    if input._data.size == 0:
        return _batch_norm_empty(input, weight, bias)
    if not training:
        if running_mean is None or running_var is None:
            raise RuntimeError("running_mean must be defined in evaluation mode")
        return follow_channels_last(
            _affine_eval(input, running_mean, running_var, weight, bias, eps), input)
    nd = len(shape)
    axes = (0,) + tuple(range(2, nd))
    cs = _channel_shape(nd)
    w = weight.reshape(cs) if weight is not None else None
    b = bias.reshape(cs) if bias is not None else None
    out, stats = apply(_batch_norm, (input, w, b), {"axes": axes, "eps": eps})
    if running_mean is not None or running_var is not None:
        st = stats._data
        if running_mean is not None:
            _update_running(running_mean, st[0].reshape(C), momentum)
        if running_var is not None:
            _update_running(running_var, st[1].reshape(C) * (n / (n - 1)), momentum)
    # a channels-last input normalizes to a channels-last output, as in PyTorch
    return follow_channels_last(out, input)


def _batch_norm_empty(input, weight, bias):
    """torch's shortcut for an empty input: a clone scaled by weight[0] and shifted by bias[0]
    (keeping the graph to both), the running stats left alone."""
    out = input.clone()
    if weight is not None:
        out = out * weight[0]
    if bias is not None:
        out = out + bias[0]
    return out


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Mirrors `torch.nn.functional.layer_norm`."""
    if _AC[0]:
        return _autocast("layer_norm", layer_norm, locals())
    if isinstance(normalized_shape, int):
        raise TypeError(
            "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not "
            "int"
        )
    ns = tuple(int(s) for s in normalized_shape)
    shape = tuple(input._data.shape)
    k = len(ns)
    if k == 0 or len(shape) < k or shape[len(shape) - k:] != ns:
        raise RuntimeError(
            f"Given normalized_shape={list(ns)}, expected input with shape [*, "
            f"{', '.join(map(str, ns))}], but got input of size{_shape_str(shape)}"
        )
    for t, what in ((weight, "weight"), (bias, "bias")):
        if t is not None and tuple(t._data.shape) != ns:
            raise RuntimeError(
                f"Expected {what} to be of same shape as normalized_shape, but got {what} of "
                f"shape {_shape_str(t._data.shape)} and normalized_shape = {_shape_str(ns)}"
            )
    axes = tuple(range(len(shape) - k, len(shape)))
    return apply(_layer_norm, (input, weight, bias), {"axes": axes, "eps": eps})[0]


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Mirrors `torch.nn.functional.group_norm`."""
    if _AC[0]:
        return _autocast("group_norm", group_norm, locals())
    shape = tuple(input._data.shape)
    if len(shape) < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {len(shape)}"
        )
    N, C = shape[:2]
    # F.group_norm's _verify_batch_size on [N*C//G, G, *spatial], in eval mode as well
    if N * C // num_groups * math.prod(shape[2:]) == 1:
        raise ValueError(
            "Expected more than 1 value per channel when training, got input size "
            f"{[N * C // num_groups, num_groups, *shape[2:]]}"
        )
    if C % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {_shape_str(shape)} and num_groups={num_groups}"
        )
    for t, what in ((weight, "weight"), (bias, "bias")):
        if t is not None and (t._data.ndim != 1 or t._data.size != C):
            raise RuntimeError(
                f"Expected {what} to be a vector of size equal to the number of channels in "
                f"input, but got {what} of shape {_shape_str(t._data.shape)} and input of shape "
                f"{_shape_str(shape)}"
            )
    G = num_groups
    S = math.prod(shape[2:])
    if input._data.size == 0 and C == 0:
        # no channels: nothing to normalize (an empty batch runs the kernel as usual)
        return named(input.clone(), "NativeGroupNormBackward0")
    x = input.reshape(N, G, C // G, S)
    w = weight.reshape(G, C // G, 1) if weight is not None else None
    b = bias.reshape(G, C // G, 1) if bias is not None else None
    out = apply(_group_norm, (x, w, b), {"axes": (2, 3), "eps": eps})[0]
    # one fused op in torch: its node is NativeGroupNormBackward0, not the reshape's
    return named(out.reshape(shape), "NativeGroupNormBackward0")


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """Mirrors `torch.nn.functional.instance_norm`."""
    shape = tuple(input._data.shape)
    nd = len(shape)
    C = shape[1] if nd > 1 else 0
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise RuntimeError("Expected running_mean and running_var to be defined when "
                               "use_input_stats is false")
        return _affine_eval(input, running_mean, running_var, weight, bias, eps)
    S = math.prod(shape[2:])
    if S <= 1:
        raise ValueError(
            "Expected more than 1 spatial element when training, got input size "
            f"{_size_str(shape)}"
        )
    _check_vec(weight, C, "weight")
    _check_vec(bias, C, "bias")
    axes = tuple(range(2, nd))
    cs = (-1,) + (1,) * (nd - 2)
    w = weight.reshape(cs) if weight is not None else None
    b = bias.reshape(cs) if bias is not None else None
    out, stats = apply(_batch_norm, (input, w, b), {"axes": axes, "eps": eps})
    st = stats._data
    N = shape[0]
    if running_mean is not None:
        _update_running(running_mean, st[0].reshape(N, C).mean(axis=0), momentum)
    if running_var is not None:
        _update_running(running_var, (st[1].reshape(N, C) * (S / (S - 1))).mean(axis=0),
                        momentum)
    return out
