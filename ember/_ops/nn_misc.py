"""Embedding, padding, dropout, interpolation, unfold/fold and pixel shuffle.

Linear maps come in adjoint pairs of ops (gather/scatter, pad/its adjoint, im2col/col2im), each
the other's backward rule, so gradients of every order stay fused. Bilinear-type resampling is
separable: it is a product with one small interpolation matrix per spatial dim, through
ember's matmul.
"""

import math

import numpy as np

from .. import _dtype as D
from .._memory_format import follow_channels_last
from . import nn_conv
from ._namespace import register_ns
from ._naming import named
from ._registry import apply, defop, renamed


def _xp_of(a):
    if a.__class__ is np.ndarray:
        return np
    import cupy

    return cupy


# ---------------------------------------------------------------------------- gather / scatter
def gather_array(x, idx, axis, mask):
    """x.take(idx, axis); positions whose index equals `mask` are zero when mask is not None."""
    xp = _xp_of(x)
    idx = xp.asarray(idx)
    out = xp.take(x, idx, axis=axis)
    if mask is not None:
        keep = (idx != mask).astype(x.dtype)
        shape = [1] * x.ndim
        shape[axis] = len(idx)
        out *= keep.reshape(shape)
    return out


def scatter_array(g, idx, axis, n, mask):
    """The adjoint of gather: zeros with n entries along axis, g's slices added at idx."""
    xp = _xp_of(g)
    idx = xp.asarray(idx)
    if mask is not None:
        keep = idx != mask
        idx = idx[keep]
        g = xp.compress(keep, g, axis=axis)
    shape = list(g.shape)
    shape[axis] = n
    if not idx.size:
        return xp.zeros(tuple(shape), dtype=g.dtype)
    if xp is not np:
        import cupyx

        out = xp.zeros(tuple(shape), dtype=g.dtype)
        cupyx.scatter_add(xp.moveaxis(out, axis, 0), idx, xp.moveaxis(g, axis, 0))
        return out
    return _segment_sum(g, idx, axis, tuple(shape))


def _segment_sum(g, idx, axis, shape):
    """zeros(shape) plus g's slices along `axis` summed at idx, repeated indices included.

    After a stable sort, equal indices form runs: the first slice of every run, then the
    second of every run long enough, and so on, are each one np.take and add (np.add.at and
    np.add.reduceat are several times slower on rows). Very long runs use reduceat.
    """
    if idx.size > 1 and not (idx[1:] >= idx[:-1]).all():
        order = np.argsort(idx, kind="stable")
        idx = idx[order]
        g = np.take(g, order, axis=axis)
    starts = np.flatnonzero(np.concatenate(([True], idx[1:] != idx[:-1])))
    lengths = np.diff(np.concatenate((starts, [idx.size])))
    longest = int(lengths.max())
    lead = (slice(None),) * axis
    if (lengths == longest).all():
        # runs of one length r (an integer nearest upsampling): strided slices, no gathers
        acc = g[lead + (slice(0, None, longest),)].copy()
        for k in range(1, longest):
            acc += g[lead + (slice(k, None, longest),)]
    elif longest > _MAX_RUN:
        acc = np.add.reduceat(g, starts, axis=axis)
    else:
        acc = np.take(g, starts, axis=axis)
        for k in range(1, longest):
            more = lengths > k
            if more.all():
                acc += np.take(g, starts + k, axis=axis)
            else:
                sel = np.flatnonzero(more)
                acc[lead + (sel,)] += np.take(g, starts[sel] + k, axis=axis)
    heads = idx[starts]
    if heads.size == shape[axis] and heads[0] == 0 and heads[-1] == heads.size - 1:
        # every index present (sorted and distinct): the sums are the result
        return acc
    out = np.zeros(shape, dtype=g.dtype)
    # the run heads are distinct indices: a plain assignment, by rows of the leading axis
    np.moveaxis(out, axis, 0)[heads] = np.moveaxis(acc, axis, 0)
    return out


_MAX_RUN = 8


def _make_gather(name, grad_name, masked_forward):
    @defop(name, promote=False, grad_name=grad_name)
    def op(xp, x, idx, axis, mask, scale):
        return gather_array(x, idx, axis, mask if masked_forward else None)

    @op.defgrad
    def _(F, g, out, x, need, extra, idx, axis, mask, scale):
        if scale is not None:
            g = g * scale
        return (F.scatter_axis(g, idx, axis, x.shape[axis], mask),)

    return op


@defop("embedding", promote=False, grad_name="EmbeddingBackward0")
def _embedding(xp, w, idx, mask, scale, shape):
    # the forward reads every row (padding_idx too) and returns the input's shape + (D,), so the
    # result's grad_fn is the embedding node itself, as in torch
    return xp.take(w, xp.asarray(idx), axis=0).reshape(shape)


@_embedding.defgrad
def _(F, g, out, w, need, extra, idx, mask, scale, shape):
    g = F.reshape(g, (len(idx), w.shape[1]))
    if scale is not None:
        g = g * scale
    # the gradient skips padding_idx
    return (F.scatter_axis(g, idx, 0, w.shape[0], mask),)


def _sparse_rows_rule(F, g, out, w, need, extra, idx, mask, scale, shape):
    """The weight's gradient as torch's sparse embedding backward makes it: the looked-up
    rows (padding_idx left out) with the output gradient's rows, uncoalesced (a RowGrad, see
    ember/_sparse_grad.py). A double backward (create_graph) gets the dense gradient."""
    from .._sparse_grad import RowGrad
    from ._namespace import ANS

    if scale is not None:
        raise RuntimeError(
            "embedding_backward: scale_grad_by_freq not supported with sparse gradients")
    if F is not ANS:
        return _dense_rows_rule(F, g, out, w, need, extra, idx, mask, scale, shape)
    vals = g.reshape(len(idx), w.shape[1])
    rows = idx
    # torch selects the non-padding entries (a copy, so contiguous values) whenever a
    # padding_idx is set; otherwise its values are a view of the output gradient
    contiguous = True
    if mask is not None:
        keep = idx != mask
        rows = idx[keep]
        vals = vals[keep]
    else:
        contiguous = bool(vals.flags.c_contiguous)
    return (RowGrad(rows, vals, tuple(w.shape), contiguous),)


# `Embedding(sparse=True)` on a leaf weight: the same forward and node name, the sparse rule
_embedding_sparse = renamed(_embedding, "EmbeddingBackward0")
_dense_rows_rule = _embedding.bwd
_embedding_sparse.bwd = _sparse_rows_rule

_gather_axis = _make_gather("gather_axis", "IndexSelectBackward0", True)


@defop("scatter_axis", promote=False, grad_name="EmbeddingDenseBackward0")
def _scatter_axis(xp, g, idx, axis, n, mask):
    return scatter_array(g, idx, axis, n, mask)


@_scatter_axis.defgrad
def _(F, gg, out, g, need, extra, idx, axis, n, mask):
    return (F.gather_axis(gg, idx, axis, mask),)


register_ns(
    "scatter_axis",
    scatter_array,
    lambda g, idx, axis, n, mask: apply(
        _scatter_axis, (g,), {"idx": idx, "axis": axis, "n": n, "mask": mask}),
)
register_ns(
    "gather_axis",
    gather_array,
    lambda x, idx, axis, mask: apply(
        _gather_axis, (x,), {"idx": idx, "axis": axis, "mask": mask, "scale": None}),
)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Mirrors `torch.nn.functional.embedding`."""
    if input._dtype.name not in ("int64", "int32"):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {_type_name(input)} instead (while checking arguments "
            "for embedding)"
        )
    if weight._data.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    V = weight._data.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= V:
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -V:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = V + padding_idx
    idx = input._data.reshape(-1).astype(np.int64, copy=False)
    if idx.size and (idx.min() < 0 or idx.max() >= V):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows(weight, idx, max_norm, norm_type)
    scale = None
    if scale_grad_by_freq and idx.size:
        xp = _xp_of(idx)
        counts = xp.bincount(idx, minlength=V)
        scale = (1.0 / counts[idx]).astype(weight._data.dtype).reshape(-1, 1)
    shape = tuple(input._data.shape) + (weight._data.shape[1],)
    # (inline `_embedding_op`: this runs on every lookup)
    op = _embedding_sparse if sparse and weight._node is None else _embedding
    return apply(op, (weight,), {"idx": idx, "mask": padding_idx, "scale": scale,
                                 "shape": shape})


def _embedding_op(weight, sparse):
    """The embedding op: with sparse=True and a leaf weight, the one whose backward makes a
    sparse gradient. (ember sends a non-leaf weight a dense gradient: the rules of the ops
    that made it take dense gradients only.)"""
    if sparse and weight._node is None:
        return _embedding_sparse
    return _embedding


def _renorm_rows(weight, idx, max_norm, norm_type):
    """Rescale, in place and outside autograd, the referenced rows whose norm exceeds max_norm."""
    from ._inplace import bump

    xp = _xp_of(idx)
    rows = xp.unique(idx)
    w = weight._data
    sel = w[rows]
    norms = (xp.abs(sel) ** norm_type).sum(axis=1) ** (1.0 / norm_type)
    big = norms > max_norm
    if big.any():
        factor = xp.where(big, max_norm / (norms + 1e-7), 1.0).astype(w.dtype)
        w[rows] = sel * factor[:, None]
        bump(weight)


def _type_name(t):
    from ._inplace import _TORCH_NAMES

    if t._dtype.name == "bool":
        # torch's scalar-type check prints bool tensors by their dispatch type's name
        return "CPUBoolType"
    return f"torch.{_TORCH_NAMES[t._dtype.name]}Tensor"


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    """Mirrors `torch.nn.functional.embedding_bag`.

    Built from the embedding gather and the segment-sum scatter, so every order of gradient
    w.r.t. weight and per_sample_weights comes from their rules.
    """
    if weight._dtype._kind == 1 and input._dtype._kind == 2:
        # the old (weight, input) argument order, which torch still accepts
        input, weight = weight, input
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
            f"then it must have the same shape as the input ({input.shape})")
    if weight.dim() != 2:
        raise ValueError(
            f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    idx, starts, ends = _bag_bounds(input, offsets, include_last_offset)
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"mode has to be one of sum, mean or max, but got {mode}")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub.")
    V = weight._data.shape[0]
    if padding_idx is not None:
        if not -V <= padding_idx < V:
            raise AssertionError("padding_idx must be within the number of embeddings")
        padding_idx %= V
    if idx.size and (idx.min() < 0 or idx.max() >= V):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows(weight, idx, max_norm, norm_type)
    xp = _xp_of(idx)
    seg = xp.searchsorted(starts, xp.arange(idx.size), side="right") - 1
    pos = _bag_members(idx, seg, ends, padding_idx)
    counts = None
    if include_last_offset and len(ends) and (mode != "sum"):
        # torch's last bag runs to the end of input for 'max' and for the 'mean' divisor,
        # but not for the 'mean' sum, when the last offset stops short of it
        full = ends.copy()
        full[-1] = idx.size
        pos_full = _bag_members(idx, seg, full, padding_idx)
        if mode == "max":
            pos = pos_full
        else:
            counts = xp.bincount(seg[pos_full], minlength=len(starts))
    return _bag_reduce(weight, idx, pos, seg[pos], len(starts), mode, per_sample_weights,
                       scale_grad_by_freq, counts, sparse)


@defop("embedding_bag", promote=False, grad_name="EmbeddingBagBackward0")
def _bag_sum(xp, rows, seg, n, scale):
    # rows (M, D) summed into n bags by bag number seg, then each bag times scale (n, 1)
    out = scatter_array(rows, seg, 0, n, None)
    if scale is not None:
        out *= scale
        # an empty bag's row (scale 0) is +0 in torch; -0.0 + 0.0 is +0.0
        out += 0.0
    return out


@_bag_sum.defgrad
def _(F, g, out, rows, need, extra, seg, n, scale):
    if scale is not None:
        g = g * scale
    return (F.gather_axis(g, seg, 0, None),)


def _bag_members(idx, seg, ends, padding_idx):
    """The positions of idx inside some bag (seg) before its end, padding_idx left out."""
    xp = _xp_of(idx)
    keep = (seg >= 0) & (xp.arange(idx.size) < ends[xp.maximum(seg, 0)])
    if padding_idx is not None:
        keep &= idx != padding_idx
    return xp.flatnonzero(keep)


def _bag_bounds(input, offsets, include_last_offset):
    """Flat int64 indices and each bag's [start, end) positions."""
    xp = _xp_of(input._data)
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a "
                "mini-batch of fixed length sequences. However, found offsets of type "
                f"{type(offsets).__name__}")
        B, L = input._data.shape
        starts = xp.arange(B, dtype=np.int64) * L
        return input._data.reshape(-1).astype(np.int64), starts, starts + L
    if input.dim() != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{input.dim()}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    if offsets.dim() != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    idx = input._data.astype(np.int64)
    off = offsets._data.astype(np.int64)
    if include_last_offset:
        return idx, off[:-1], off[1:]
    return idx, off, xp.concatenate((off[1:], xp.asarray([idx.size], dtype=np.int64)))


def _bag_reduce(weight, idx, pos, seg, B, mode, psw, scale_grad_by_freq, counts, sparse=False):
    """Reduce the rows weight[idx[pos]] into B bags by their bag number `seg`."""
    xp = _xp_of(idx)
    V, D = weight._data.shape
    sel = idx[pos]
    if mode == "max":
        return _bag_max(weight, sel, seg, B)
    scale = None
    if scale_grad_by_freq and sel.size:
        counts = xp.bincount(idx, minlength=V)
        scale = (1.0 / counts[sel]).astype(weight._data.dtype).reshape(-1, 1)
    rows = apply(_embedding_op(weight, sparse), (weight,),
                 {"idx": sel, "mask": None, "scale": scale, "shape": (sel.size, D)})
    if psw is not None:
        w = psw.reshape(-1)[_like(pos, None)]
        rows = rows * w.unsqueeze(1)
    scale = None
    if mode == "mean":
        if counts is None:
            counts = xp.bincount(seg, minlength=B)
        scale = (1 / xp.maximum(counts, 1)).astype(weight._data.dtype).reshape(-1, 1)
    return apply(_bag_sum, (rows,), {"seg": seg, "n": B, "scale": scale})


def _bag_max(weight, sel, seg, B):
    """Per bag and column the largest row value; the first maximal row gets the gradient."""
    import ember

    xp = _xp_of(sel)
    w = weight._data
    D = w.shape[1]
    vals = w[sel]
    best = xp.full((B, D), -xp.inf, dtype=w.dtype)
    xp.maximum.at(best, seg, vals)
    M = sel.size
    cand = xp.where(vals == best[seg], xp.arange(M)[:, None], M)
    first = xp.full((B, D), M, dtype=np.int64)
    xp.minimum.at(first, seg, cand)
    empty = first[:, 0] == M
    rows = xp.concatenate((sel, xp.zeros(1, dtype=np.int64)))[first]
    out = ember.gather(weight, 0, _like(rows, None))
    # empty bags are zero, as in torch; the bag op (one row per bag) names the grad_fn
    scale = (~empty).astype(w.dtype).reshape(-1, 1) if empty.any() else None
    return apply(_bag_sum, (out,), {"seg": xp.arange(B), "n": B, "scale": scale})


def _like(arr, ref):
    """Wrap an array as a Tensor on ref's device (constants of rules and formulas)."""
    from .._tensor import wrap_array

    return wrap_array(arr)


# ---------------------------------------------------------------------------- padding
def constant_pad_array(x, pads, value):
    """pads: ((lo, hi), ...) per dim of x (negative values crop)."""
    xp = _xp_of(x)
    shape = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape, pads))
    if value == 0:
        out = xp.zeros(shape, dtype=x.dtype)
    else:
        out = xp.full(shape, value, dtype=x.dtype)
    src = []
    dst = []
    for n, (lo, hi) in zip(x.shape, pads):
        s0 = max(0, -lo)
        s1 = n - max(0, -hi)
        if s1 <= s0:
            return out
        src.append(slice(s0, s1))
        dst.append(slice(max(0, lo), max(0, lo) + s1 - s0))
    out[tuple(dst)] = x[tuple(src)]
    return out


@defop("constant_pad_nd", promote=False, grad_name="ConstantPadNdBackward0")
def _constant_pad(xp, x, pads, value):
    return constant_pad_array(x, pads, value)


@_constant_pad.defgrad
def _(F, g, out, x, need, extra, pads, value):
    # the adjoint of padding is cropping: padding by the negated amounts
    return (F.constant_pad(g, tuple((-lo, -hi) for lo, hi in pads)),)


register_ns(
    "constant_pad",
    lambda x, pads: constant_pad_array(x, pads, 0),
    lambda x, pads: apply(_constant_pad, (x,), {"pads": tuple(pads), "value": 0}),
)

_NP_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def mode_pad_array(x, pads, mode):
    xp = _xp_of(x)
    return xp.pad(x, pads, mode=_NP_MODES[mode])


def mode_pad_adjoint_array(g, pads, mode):
    """The adjoint of a reflect/replicate/circular pad, one padded dim at a time."""
    xp = _xp_of(g)
    out = g
    for axis, (lo, hi) in enumerate(pads):
        if not lo and not hi:
            continue
        n = out.shape[axis] - lo - hi
        a = xp.moveaxis(out, axis, 0)
        x = a[lo:lo + n].copy()
        left = a[:lo]
        right = a[lo + n:]
        if mode == "reflect":
            x[1:lo + 1] += left[::-1]
            x[n - 1 - hi:n - 1] += right[::-1]
        elif mode == "replicate":
            x[0] += left.sum(axis=0)
            x[n - 1] += right.sum(axis=0)
        else:
            x[n - lo:] += left
            x[:hi] += right
        out = xp.moveaxis(x, 0, axis)
    return xp.ascontiguousarray(out)


@defop("mode_pad", promote=False, grad_name="ReflectionPad2DBackward0")
def _mode_pad(xp, x, pads, mode):
    return mode_pad_array(x, pads, mode)


@_mode_pad.defgrad
def _(F, g, out, x, need, extra, pads, mode):
    return (F.mode_pad_adjoint(g, pads, mode),)


@defop("mode_pad_adjoint", promote=False, grad_name="ReflectionPad2DBackwardBackward0")
def _mode_pad_adj(xp, g, pads, mode):
    return mode_pad_adjoint_array(g, pads, mode)


@_mode_pad_adj.defgrad
def _(F, gg, out, g, need, extra, pads, mode):
    return (F.mode_pad_forward(gg, pads, mode),)


register_ns(
    "mode_pad_adjoint",
    mode_pad_adjoint_array,
    lambda g, pads, mode: apply(_mode_pad_adj, (g,), {"pads": pads, "mode": mode}),
)
register_ns(
    "mode_pad_forward",
    mode_pad_array,
    lambda x, pads, mode: apply(_mode_pad, (x,), {"pads": pads, "mode": mode}),
)


def pad(input, pad, mode="constant", value=None):
    """Mirrors `torch.nn.functional.pad`."""
    pad = [int(p) for p in pad]
    shape = tuple(input._data.shape)
    nd = len(shape)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    k = len(pad) // 2
    if k > nd:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {nd}"
        )
    pads = [(0, 0)] * nd
    for i in range(k):
        pads[nd - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    pads = tuple(pads)
    if mode == "constant":
        for n, (lo, hi) in zip(shape, pads):
            if n + lo + hi < 0:
                raise RuntimeError(
                    f"The input size {n}, plus negative padding {lo} and {hi} resulted in a "
                    f"negative output size, which is invalid. Check dimension of your input."
                )
        return apply(_constant_pad, (input,), {"pads": pads, "value": 0 if value is None
                                                  else value})
    if mode not in _NP_MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if not (k in (1, 2, 3) and nd in (k + 1, k + 2)):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {nd}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        return _negative_mode_pad(input, pad, mode)
    for i, (n, (lo, hi)) in enumerate(zip(shape, pads)):
        if not lo and not hi:
            continue
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(
                f"Argument #4: Padding size should be less than the corresponding input "
                f"dimension, but got: padding ({lo}, {hi}) at dimension {i} of input "
                f"{list(shape)}"
            )
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
    out = apply(_mode_pad, (input,), {"pads": pads, "mode": mode})
    # torch has one kernel per mode and dimension count; circular padding is made of copies
    if mode == "circular":
        return named(out, "torch::autograd::CopySlices")
    kind = "ReflectionPad" if mode == "reflect" else "ReplicationPad"
    return named(out, f"{kind}{k}DBackward0")


def _negative_mode_pad(input, amounts, mode):
    """A reflect/replicate/circular pad with negative amounts. torch's reflect and replicate
    kernels index the whole input (so: pad by the positive amounts, then cut the negative
    ones); its circular padding cuts the input first, then wraps what is left."""

    def cut(x):
        for i in range(len(amounts) // 2):
            lo, hi = amounts[2 * i], amounts[2 * i + 1]
            d = x.dim() - 1 - i
            start = -lo if lo < 0 else 0
            stop = x.shape[d] - (-hi if hi < 0 else 0)
            x = x.narrow(d, start, stop - start)
        return x

    positive = [max(p, 0) for p in amounts]
    if mode == "circular":
        return pad(cut(input), positive, mode)
    return cut(pad(input, positive, mode))


# ---------------------------------------------------------------------------- dropout
def _keep_mask(shape, p, dtype, device, like=None):
    """Bernoulli(1 - p) mask scaled by 1 / (1 - p), as a raw array of `dtype`: torch's
    `noise.bernoulli_(1 - p); noise.div_(1 - p)` (the same draws on the CPU)."""
    mask = _keep(shape, p, device, like).astype(dtype.np)
    # div_ by a scalar divides in the tensor's dtype (float for half types)
    wide = np.float64 if mask.dtype == np.float64 else np.float32
    return (mask.astype(wide) / wide(1.0 - p)).astype(dtype.np, copy=False)


def _keep(shape, p, device, like=None):
    """Booleans, True with probability 1 - p: torch's bernoulli_(1 - p) on the default
    generator (so manual_seed and fork_rng apply to dropout masks). torch's noise is
    `empty_like(input)`, which keeps a transposed input's layout, so the draws follow the
    memory order of `like` (the input's array) when given."""
    from .._random import _bernoulli_mask

    return _bernoulli_mask(shape, 1.0 - p, device, like)


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _apply_mask(input, mask, inplace):
    from .._tensor import _new_tensor

    m = _new_tensor(mask, input._dtype, input._device)
    if inplace:
        return input.mul_(m)
    return input * m


def dropout(input, p=0.5, training=True, inplace=False):
    """Mirrors `torch.nn.functional.dropout`."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input.mul_(0.0) if inplace else input * 0.0
    mask = _keep_mask(tuple(input._data.shape), p, input._dtype, input._device, input._data)
    return _apply_mask(input, mask, inplace)


def _feature_dropout_warnings(fname, nd):
    """torch's deprecation warnings for dropout2d/dropout3d inputs of an unexpected rank."""
    import warnings

    k = 2 if fname == "dropout2d" else 3
    if nd not in (k + 1, k + 2):
        warnings.warn(
            f"{fname}: Received a {nd}-D input to {fname}, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            f"and silence this warning, please use dropout instead. Note that {fname} "
            f"exists to provide channel-wise dropout on inputs with {k} spatial dimensions, "
            f"a channel dimension, and an optional batch dimension (i.e. {k + 1}D or {k + 2}D "
            "inputs).", stacklevel=4)
    if fname == "dropout2d" and nd == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=4)


def feature_dropout(input, p, training, inplace, n, fname):
    """dropout1d/2d/3d: one Bernoulli draw per (sample, channel)."""
    _check_p(p)
    nd = input._data.ndim
    if n == 1 and nd not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {nd}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs)."
        )
    if fname in ("dropout2d", "dropout3d"):
        _feature_dropout_warnings(fname, nd)
    # torch adds a batch dim to a dropout1d/dropout3d input of any other rank than the
    # batched one (dropout2d never does), then ATen's feature dropout needs 2 dims, but only
    # when it draws a mask
    unbatched = nd != n + 2 and fname != "dropout2d"
    if not training or p == 0.0 or input._data.size == 0:
        return input
    if p == 1.0:
        return input.mul_(0.0) if inplace else input * 0.0
    if nd + unbatched < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    shape = tuple(input._data.shape)
    if unbatched:
        mshape = (shape[0],) + (1,) * (nd - 1)
    else:
        mshape = shape[:2] + (1,) * (nd - 2)
    mask = _keep_mask(mshape, p, input._dtype, input._device)
    return _apply_mask(input, mask, inplace)


_SELU_ALPHA = 1.7580993408473766


def alpha_dropout(input, p=0.5, training=False, inplace=False, feature=False):
    """Mirrors `torch.nn.functional.alpha_dropout` (and feature_alpha_dropout)."""
    _check_p(p)
    if not training or p == 0.0 or input._data.size == 0:
        return input
    shape = tuple(input._data.shape)
    if p == 1.0:
        return input.mul_(0.0) if inplace else input * 0.0
    if feature and len(shape) < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    mshape = shape[:2] + (1,) * (len(shape) - 2) if feature else shape
    # feature noise is a fresh contiguous (N, C, 1, ...) tensor; plain noise is empty_like
    keep = _keep(mshape, p, input._device, None if feature else input._data)
    keep = keep.astype(input._dtype.np)
    a = 1.0 / math.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
    b = (keep - 1.0) * (_SELU_ALPHA * a) + _SELU_ALPHA * a * p
    from .._tensor import _new_tensor

    mult = _new_tensor((keep * a).astype(input._dtype.np), input._dtype, input._device)
    add = _new_tensor(b.astype(input._dtype.np), input._dtype, input._device)
    if inplace:
        return input.mul_(mult).add_(add)
    return input * mult + add


# ---------------------------------------------------------------------------- interpolation
_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")
_NEEDS = {"linear": 3, "bilinear": 4, "trilinear": 5, "bicubic": 4}


def _scale_value(scale, n_in, n_out, dtype):
    # PyTorch: 1 / scale_factor when one was given, else in / out, in the compute dtype
    if scale is not None and scale > 0:
        return dtype(1.0 / scale)
    return dtype(n_in) / dtype(n_out)


def _nearest_index(n_in, n_out, scale, exact):
    f32 = np.float32
    s = _scale_value(scale, n_in, n_out, f32)
    o = np.arange(n_out, dtype=f32)
    if exact:
        src = np.floor((o + f32(0.5)) * s)
    else:
        src = np.floor(o * s)
    return np.minimum(src.astype(np.int64), n_in - 1)


def _linear_matrix(n_in, n_out, scale, align_corners, cubic, dtype):
    """(n_out, n_in) matrix of PyTorch's linear (or cubic) interpolation weights."""
    ct = np.float32 if dtype == np.float32 else np.float64
    if align_corners:
        s = ct(n_in - 1) / ct(n_out - 1) if n_out > 1 else ct(0)
    else:
        s = _scale_value(scale, n_in, n_out, ct)
    o = np.arange(n_out, dtype=ct)
    if align_corners:
        src = o * s
    else:
        src = s * (o + ct(0.5)) - ct(0.5)
        if not cubic:
            src = np.maximum(src, ct(0))
    m = np.zeros((n_out, n_in), dtype=np.float64)
    rows = np.arange(n_out)
    if not cubic:
        i0 = src.astype(np.int64)
        i1 = np.minimum(i0 + 1, n_in - 1)
        l1 = src - i0.astype(ct)
        l0 = ct(1) - l1
        np.add.at(m, (rows, i0), l0)
        np.add.at(m, (rows, i1), l1)
        return m
    fl = np.floor(src)
    t = src - fl
    base = fl.astype(np.int64)
    A = ct(-0.75)

    def near(x):
        return ((A + 2) * x - (A + 3)) * x * x + 1

    def far(x):
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A

    weights = (far(t + 1), near(t), near(1 - t), far(2 - t))
    for j, w in zip(range(-1, 3), weights):
        np.add.at(m, (rows, np.clip(base + j, 0, n_in - 1)), w)
    return m


def _aa_matrix(n_in, n_out, scale, align_corners, cubic, dtype):
    """(n_out, n_in) matrix of PyTorch's antialiased (PIL-style) resampling weights: when
    downsampling, the filter is stretched by the scale so every input pixel contributes."""
    ct = np.float32 if dtype == np.float32 else np.float64
    if align_corners:
        s = ct(n_in - 1) / ct(n_out - 1) if n_out > 1 else ct(0)
    else:
        s = _scale_value(scale, n_in, n_out, ct)
    interp_size = 4 if cubic else 2
    support = ct(interp_size * 0.5) * s if s >= 1 else ct(interp_size * 0.5)
    invscale = ct(1) / s if s >= 1 else ct(1)
    A = ct(-0.5)  # the cubic filter here is Keys' a=-0.5 (as PIL), not -0.75

    def filt(x):
        x = np.abs(x)
        if not cubic:
            return np.where(x < 1, ct(1) - x, ct(0))
        near = ((A + 2) * x - (A + 3)) * x * x + 1
        far = ((A * x - 5 * A) * x + 8 * A) * x - 4 * A
        return np.where(x < 1, near, np.where(x < 2, far, ct(0)))

    m = np.zeros((n_out, n_in), dtype=np.float64)
    for i in range(n_out):
        center = s * (ct(i) + ct(0.5))
        # C++ casts to int64 truncate toward zero
        xmin = max(int(center - support + ct(0.5)), 0)
        xsize = min(int(center + support + ct(0.5)), n_in) - xmin
        j = np.arange(xsize, dtype=ct)
        w = filt((j + ct(xmin) - center + ct(0.5)) * invscale).astype(ct)
        total = w.sum(dtype=ct)
        if total != 0:
            w = w / total
        m[i, xmin:xmin + xsize] = w
    return m


def _along(x, axis, mat):
    """Contract spatial `axis` of x with mat (n_out, n_in) through ember's matmul."""
    from .._creation import tensor

    mt = tensor(np.ascontiguousarray(mat.T), dtype=x.dtype, device=x.device)
    last = x.ndim - 1
    if axis == last:
        return x.matmul(mt)
    return x.transpose(axis, last).matmul(mt).transpose(axis, last)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Mirrors `torch.nn.functional.interpolate`."""
    nd = input._data.ndim
    n = nd - 2
    if mode not in _MODES:
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {nd}D) for the modes: "
            "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact "
            f"(got {mode})"
        )
    if align_corners is not None and mode in ("nearest", "area", "nearest-exact"):
        raise ValueError(
            "align_corners option can only be set with the interpolating modes: "
            "linear | bilinear | bicubic | trilinear"
        )
    if antialias and not (mode in ("bilinear", "bicubic") and nd == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos "
                         "modes and requires a 4-D tensor as input")
    in_sp = tuple(input._data.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != n:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(in_sp)} and output size of {size}. "
                    "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output "
                    "size in (o1, o2, ...,oK) format."
                )
            out_sp = tuple(int(s) for s in size)
        else:
            out_sp = (int(size),) * n
        scales = (None,) * n
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != n:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but "
                    f"got input with spatial dimensions of {list(in_sp)} and scale_factor of "
                    f"shape {scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                    "format and scale_factor in (s1, s2, ...,sK) format."
                )
            scales = tuple(float(s) for s in scale_factor)
        else:
            scales = (float(scale_factor),) * n
        out_sp = tuple(math.floor(float(s) * f) for s, f in zip(in_sp, scales))
        if recompute_scale_factor:
            scales = (None,) * n
    else:
        raise ValueError("either size or scale_factor should be defined")
    # PyTorch names the expected rank only for linear/bilinear/trilinear on a 3-5D input;
    # everything else (bicubic off 4D, any mode off 3-5D) gets the generic message
    if nd not in (3, 4, 5) or (mode == "bicubic" and nd != 4):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {nd}D) for the modes: "
            "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact "
            f"(got {mode})"
        )
    if mode in _NEEDS and nd != _NEEDS[mode]:
        raise NotImplementedError(f"Got {nd}D input, but {mode} mode needs {_NEEDS[mode]}D input")
    if mode != "area":
        _check_upsample_sizes(input, in_sp, out_sp)
    if mode == "area":
        from .nn_pool import adaptive_avg_pool

        return adaptive_avg_pool(input, out_sp, n)
    x = input
    if mode in ("nearest", "nearest-exact"):
        for i, (a, b, s) in enumerate(zip(in_sp, out_sp, scales)):
            if a == b:
                continue
            idx = _nearest_index(a, b, s, mode == "nearest-exact")
            x = apply(_upsample_nearest, (x,), {"idx": idx, "axis": 2 + i, "mask": None,
                                                "scale": None})
        out = x if x is not input else input.clone()
        kind = "NearestExact" if mode == "nearest-exact" else "Nearest"
        return follow_channels_last(named(out, f"Upsample{kind}{n}DBackward0"), input)
    cubic = mode == "bicubic"
    weights = _aa_matrix if antialias else _linear_matrix
    # uint8 images: torch resamples them too, each pass in float and rounded half up back to
    # uint8 (its fixed-point kernel); integer arithmetic with the fractional weights gives 0s
    as_uint8 = input._dtype is D.uint8
    wdt = np.float32 if as_uint8 else input._dtype.np
    # torch resamples the last axis first
    for i, (a, b, s) in reversed(list(enumerate(zip(in_sp, out_sp, scales)))):
        mat = weights(a, b, s, bool(align_corners), cubic, wdt)
        if as_uint8:
            y = _along(x.float(), 2 + i, mat)
            x = (y + 0.5).floor().clamp(0, 255).to(D.uint8)
        else:
            x = _along(x, 2 + i, mat)
    # one separable pass per axis here, one kernel (and node) in torch
    node = _UPSAMPLE_NODE[mode]
    if antialias:
        node = node.replace("2DBackward0", "2DAaBackward0")
    # a channels-last image resamples to a channels-last one, as in PyTorch
    return follow_channels_last(named(x.contiguous(), node), input)


def _check_upsample_sizes(input, in_sp, out_sp):
    """torch's upsample kernels refuse an empty spatial size (in or out), then empty channels;
    an empty batch is fine."""
    if not all(i > 0 and o > 0 for i, o in zip(in_sp, out_sp)):
        names = ("D", "H", "W")[3 - len(in_sp):]

        def show(sizes):
            return ", ".join(f"{k}: {v}" for k, v in zip(names, sizes))

        # the 1-d message alone says "and output"
        sep = " and " if len(in_sp) == 1 else " "
        raise RuntimeError(
            "Input and output sizes should be greater than 0, but got "
            f"input ({show(in_sp)}){sep}output ({show(out_sp)})"
        )
    shape = input._data.shape
    if shape[1] == 0:
        raise RuntimeError(
            f"Non-empty {len(shape)}D data tensor expected but got a tensor with sizes "
            f"{list(shape)}"
        )


_UPSAMPLE_NODE = {"linear": "UpsampleLinear1DBackward0", "bilinear": "UpsampleBilinear2DBackward0",
                  "bicubic": "UpsampleBicubic2DBackward0",
                  "trilinear": "UpsampleTrilinear3DBackward0"}


_upsample_nearest = _make_gather("upsample_nearest", "UpsampleNearest2DBackward0", False)


# ---------------------------------------------------------------------------- unfold / fold
def _exact_geom(in_sp, k, stride, pads, dil):
    return nn_conv.Geom(in_sp, k, stride, pads, dil)


def im2col_array(x, k, stride, pads, dil):
    xp = _xp_of(x)
    geom = _exact_geom(x.shape[2:], k, stride, pads, dil)
    buf = nn_conv.pad_buffer(xp, x, geom)
    return nn_conv.im2col(xp, buf, geom)


def col2im_array(cols, out_sp, k, stride, pads, dil):
    xp = _xp_of(cols)
    geom = _exact_geom(out_sp, k, stride, pads, dil)
    C = cols.shape[1] // geom.K
    buf = nn_conv.col2im(xp, cols, geom, C)
    return xp.ascontiguousarray(nn_conv.unpad(buf, geom, out_sp))


@defop("im2col", promote=False, grad_name="Im2ColBackward0")
def _im2col(xp, x, k, stride, pads, dil):
    return im2col_array(x, k, stride, pads, dil)


@_im2col.defgrad
def _(F, g, out, x, need, extra, k, stride, pads, dil):
    return (F.col2im(g, tuple(x.shape[2:]), (k, stride, pads, dil)),)


@defop("col2im", promote=False, grad_name="Col2ImBackward0")
def _col2im(xp, cols, out_sp, k, stride, pads, dil):
    return col2im_array(cols, out_sp, k, stride, pads, dil)


@_col2im.defgrad
def _(F, g, out, cols, need, extra, out_sp, k, stride, pads, dil):
    return (F.im2col(g, (k, stride, pads, dil)),)


def _cp(p):
    k, stride, pads, dil = p
    return {"k": k, "stride": stride, "pads": pads, "dil": dil}


register_ns(
    "col2im",
    lambda cols, out_sp, p: col2im_array(cols, tuple(out_sp), *p),
    lambda cols, out_sp, p: apply(_col2im, (cols,), dict(_cp(p), out_sp=tuple(out_sp))),
)
register_ns(
    "im2col",
    lambda x, p: im2col_array(x, *p),
    lambda x, p: apply(_im2col, (x,), _cp(p)),
)


def _pair(v, name):
    if isinstance(v, int):
        return (v, v)
    v = tuple(int(a) for a in v)
    if len(v) == 1:
        return v * 2
    return v


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Mirrors `torch.nn.functional.unfold` (4-D or unbatched 3-D input)."""
    nd = input._data.ndim
    if nd == 0:
        raise IndexError("Dimension specified as 1 but tensor has no dimensions")
    if nd < 3:
        # PyTorch's messages: it reads a size past the last dimension before checking the rank
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {nd})"
        )
    if nd > 4:
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
            f"dimensions for input, but got: {list(input._data.shape)}"
        )
    batched = nd == 4
    x = input if batched else input.unsqueeze(0)
    k = _pair(kernel_size, "kernel_size")
    dil = _pair(dilation, "dilation")
    pad = _pair(padding, "padding")
    stride = _pair(stride, "stride")
    _im2col_check(tuple(input._data.shape), k, dil, pad, stride)
    pads = tuple((p, p) for p in pad)
    out = apply(_im2col, (x,), {"k": k, "stride": stride, "pads": pads, "dil": dil})
    return out if batched else out.squeeze(0)


def _im2col_check(shape, k, dil, pad, stride):
    """torch's im2col_shape_check: positive geometry, non-empty dims (batch aside) and at least
    one sliding block along each spatial dim."""
    checks = (("kernel size", "kernel", k, 1), ("dilation", "dilation", dil, 1),
              ("padding", "pad", pad, 0), ("stride", "stride", stride, 1))
    for what, name, (h, w), least in checks:
        if h < least or w < least:
            bound = "non-negative" if least == 0 else "greater than zero"
            raise RuntimeError(
                f"{what} should be {bound}, but got {name}_height: {h} {name}_width: {w}"
            )
    if 0 in shape[len(shape) - 3:] or (len(shape) == 3 and shape[0] == 0):
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
            f"dimensions for input, but got: {list(shape)}"
        )
    sp = shape[-2:]
    blocks = tuple((n + 2 * p - (d * (kk - 1) + 1)) // s + 1
                   for n, p, d, kk, s in zip(sp, pad, dil, k, stride))
    if min(blocks) < 1:
        raise RuntimeError(
            f"Given input with spatial size ({sp[0]}, {sp[1]}), kernel_size=({k[0]}, {k[1]}), "
            f"dilation=({dil[0]}, {dil[1]}), padding=({pad[0]}, {pad[1]}), calculated shape of "
            f"the array of sliding blocks as ({blocks[0]}, {blocks[1]}), but its components "
            "must be at least one."
        )


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Mirrors `torch.nn.functional.fold` (3-D or unbatched 2-D input)."""
    nd = input._data.ndim
    if nd not in (2, 3):
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
            f"non-zero dimensions for input, but got: {list(input._data.shape)}"
        )
    batched = nd == 3
    cols = input if batched else input.unsqueeze(0)
    out_sp = _pair(output_size, "output_size")
    k = _pair(kernel_size, "kernel_size")
    dil = _pair(dilation, "dilation")
    pad = _pair(padding, "padding")
    stride = _pair(stride, "stride")
    pads = tuple((p, p) for p in pad)
    blocks = [
        (o + 2 * p - d * (kk - 1) - 1) // s + 1
        for o, p, d, kk, s in zip(out_sp, pad, dil, k, stride)
    ]
    L = cols._data.shape[2]
    K = k[0] * k[1]
    if cols._data.shape[1] % K:
        raise RuntimeError(
            "Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
            f"but got input.size(1)={cols._data.shape[1]} and kernel_size={k}."
        )
    if blocks[0] * blocks[1] != L:
        raise RuntimeError(
            f"Given output_size={out_sp}, kernel_size={k}, dilation={dil}, padding={pad}, "
            f"stride={stride}, expected size of input's dimension 2 to match the calculated "
            f"number of sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, but "
            f"got input.size(2)={L}."
        )
    out = apply(_col2im, (cols,), {"out_sp": out_sp, "k": k, "stride": stride, "pads": pads,
                                   "dil": dil})
    return out if batched else out.squeeze(0)


# ---------------------------------------------------------------------------- pixel shuffle
def pixel_shuffle(input, upscale_factor):
    """Mirrors `torch.nn.functional.pixel_shuffle`."""
    r = int(upscale_factor)
    shape = tuple(input._data.shape)
    if len(shape) < 3:
        raise RuntimeError(
            f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
            f"{len(shape)} dimension(s)"
        )
    C, H, W = shape[-3:]
    if C % (r * r):
        raise RuntimeError(
            "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
            f"of upscale_factor, but input.size(-3)={C} is not divisible by {r * r}"
        )
    lead = shape[:-3]
    b = len(lead)
    x = input.reshape(lead + (C // (r * r), r, r, H, W))
    perm = tuple(range(b)) + (b, b + 3, b + 1, b + 4, b + 2)
    out = x.permute(perm).reshape(lead + (C // (r * r), H * r, W * r))
    return named(out, "PixelShuffleBackward0")


def channel_shuffle(input, groups):
    """Mirrors `torch.nn.functional.channel_shuffle`: (N, g * k, ...) -> channels interleaved
    across the g groups (ShuffleNet)."""
    g = int(groups)
    shape = tuple(input._data.shape)
    if len(shape) < 3:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with "
                           f"sizes {list(shape)}")
    if g <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{g}")
    c = shape[1]
    if c % g:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {g} groups.")
    x = input.reshape((shape[0], g, c // g) + shape[2:]).transpose(1, 2)
    return named(x.reshape(shape), "ChannelShuffleBackward0")


def pixel_unshuffle(input, downscale_factor):
    """Mirrors `torch.nn.functional.pixel_unshuffle`."""
    r = int(downscale_factor)
    shape = tuple(input._data.shape)
    if len(shape) < 3:
        raise RuntimeError(
            f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
            f"{len(shape)} dimension(s)"
        )
    C, H, W = shape[-3:]
    if H % r:
        raise RuntimeError(
            "pixel_unshuffle expects height to be divisible by downscale_factor, but "
            f"input.size(-2)={H} is not divisible by {r}"
        )
    if W % r:
        raise RuntimeError(
            "pixel_unshuffle expects width to be divisible by downscale_factor, but "
            f"input.size(-1)={W} is not divisible by {r}"
        )
    lead = shape[:-3]
    b = len(lead)
    x = input.reshape(lead + (C, H // r, r, W // r, r))
    perm = tuple(range(b)) + (b, b + 2, b + 4, b + 1, b + 3)
    out = x.permute(perm).reshape(lead + (C * r * r, H // r, W // r))
    return named(out, "PixelUnshuffleBackward0")
