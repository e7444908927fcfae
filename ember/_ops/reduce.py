"""Reductions over `dim` (int, tuple or None) with `keepdim`."""

from ._registry import defop, apply
from ._bind import public
from .. import _dtype as D
from .._tensor import _wrap_dim


def norm_dims(dim, ndim):
    """PyTorch's dim argument as a sorted tuple of axes, or None for all."""
    if dim is None:
        return None
    if isinstance(dim, int):
        return (_wrap_dim(dim, ndim),)
    dims = tuple(_wrap_dim(d, ndim) for d in dim)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
    if not dims:
        return None
    return dims


def _axis(dims, ndim):
    # numpy wants () to mean "nothing" while torch's empty dim means "all"
    if dims is None or ndim == 0:
        return None
    return dims


@defop("sum", promote=False)
def _sum(xp, a, axis, keepdims, dtype):
    return a.sum(axis=axis, keepdims=keepdims, dtype=dtype)


@_sum.defgrad
def _(F, g, out, a, need, extra, axis, keepdims, dtype):
    return (F.unreduce(g, a.shape, axis, keepdims),)


@public("sum")
def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Mirrors `torch.sum` (bool and integer inputs sum to int64)."""
    if axis is not None:
        dim = axis
    if keepdims is not None:
        keepdim = keepdims
    nd = input._data.ndim
    dims = norm_dims(dim, nd)
    if dtype is not None:
        dtype = D.to_dtype(dtype).np
    elif input._dtype._kind < 2:
        dtype = D.int64.np
    return apply(_sum, (input,), {"axis": _axis(dims, nd), "keepdims": keepdim, "dtype": dtype})


@defop("mean", promote=False)
def _mean(xp, a, axis, keepdims):
    return a.mean(axis=axis, keepdims=keepdims)


@_mean.defgrad
def _(F, g, out, a, need, extra, axis, keepdims):
    n = 1
    shape = a.shape
    for i in range(len(shape)) if axis is None else axis:
        n *= shape[i]
    return (F.unreduce(g / n, shape, axis, keepdims),)


@public("mean")
def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Mirrors `torch.mean` (floating and complex inputs only, as in PyTorch)."""
    if axis is not None:
        dim = axis
    if keepdims is not None:
        keepdim = keepdims
    if dtype is not None:
        input = input.to(dtype)
    if input._dtype._kind < 2:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_torch_name(input._dtype)}"
        )
    nd = input._data.ndim
    dims = norm_dims(dim, nd)
    return apply(_mean, (input,), {"axis": _axis(dims, nd), "keepdims": keepdim})


def _torch_name(dt):
    from ._inplace import _TORCH_NAMES

    return _TORCH_NAMES[dt.name]
