"""Reductions over `dim` (int, tuple or None) with `keepdim`, scans (cumsum, cummax, ...) and
selections (max with indices, sort, topk, median, unique).

Ops that pick elements (max(dim), sort, topk, ...) return their indices as the op's `extra`; the
backward rule scatters the gradient back through them. Rules that need a mask (which elements
tie for the max, where the zeros are) compute it with `F.red_const`, a non-differentiable call
on the raw arrays, so one rule serves a normal backward and `create_graph=True`.
"""

import builtins
import warnings

import numpy as np

from .. import _dtype as D
from .. import _return_types as RT
from .._tensor import _new_tensor, _wrap_dim, wrap_array
from ._bind import method, public
from ._blas_sum import sum_all
from ._inplace import inplace
from ._namespace import register_ns
from ._registry import apply, defop
from ._topk_ties import fix_tie_order, unsorted_topk
from .shape import _named

_pymax = builtins.max
_pymin = builtins.min
_INF = float("inf")
_REQUIRED = object()


# ---------------------------------------------------------------- dim arguments
def norm_dims(dim, ndim):
    """PyTorch's dim argument as a tuple of wrapped axes (given order), or None for all."""
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
    if len(dims) == 1:
        # numpy reduces several times faster over an int axis than over a 1-tuple
        return dims[0]
    return dims


def _axes(axis):
    """An op's axis parameter (None, int or tuple) as a tuple, or None for all."""
    if axis is None or axis.__class__ is tuple:
        return axis
    return (axis,)


def _alias(dim, keepdim, axis, keepdims):
    # numpy's spellings, which PyTorch accepts too
    if axis is not None:
        dim = axis
    if keepdims is not None:
        keepdim = keepdims
    return dim, keepdim


def _count(shape, axis):
    n = 1
    for i in range(len(shape)) if axis is None else _axes(axis):
        n *= shape[i]
    return n


def _keep_shape(o, nd, axis, keepdims):
    """A reduction's output `o` with its reduced axes restored as size 1 (raw arrays)."""
    if keepdims or o.ndim == nd:
        return o
    if axis is None:
        return o.reshape((1,) * nd)
    shape = list(o.shape)
    for a in sorted(_axes(axis)):
        shape.insert(a, 1)
    return o.reshape(tuple(shape))


def _torch_name(dt):
    from ._inplace import _TORCH_NAMES

    return _TORCH_NAMES[dt.name]


def _int_to_int64(input, dtype):
    """PyTorch's accumulation dtype: bool and integer inputs sum to int64 unless told."""
    if dtype is not None:
        return D.to_dtype(dtype).np
    if input._dtype._kind < 2:
        return D.int64.np
    return None


def _wrap_out(res, out):
    if out is None:
        return res
    from .elementwise import _out

    return _out(res, out)


# ---------------------------------------------------------------- rule helpers (namespace)
def _xp(a):
    if isinstance(a, (np.ndarray, np.generic)):
        return np
    from .._device import device_of_array

    return device_of_array(a).xp


def _const_array(fn, *xs):
    return fn(*xs)


def _const_tensor(fn, *xs):
    dev = None
    arrs = []
    for x in xs:
        if hasattr(x, "_data"):
            dev = x._device
            arrs.append(x._data)
        else:
            arrs.append(x)
    r = fn(*arrs)
    if isinstance(r, tuple):
        return tuple(wrap_array(_as_arr(a), dev) for a in r)
    return wrap_array(_as_arr(r), dev)


def _as_arr(a):
    return np.asarray(a) if isinstance(a, np.generic) else a


def _flag_array(fn, *xs):
    return bool(fn(*xs))


def _flag_tensor(fn, *xs):
    return bool(fn(*[x._data if hasattr(x, "_data") else x for x in xs]))


def _lin_index(xp, idx, axis, shape):
    """Flat positions in an array of `shape` of the elements `idx` selects along `axis`."""
    nd = len(shape)
    strides = [1] * nd
    for d in range(nd - 2, -1, -1):
        strides[d] = strides[d + 1] * shape[d + 1]
    lin = idx * strides[axis]
    for d in range(nd):
        if d != axis:
            r = xp.arange(idx.shape[d], dtype=idx.dtype) * strides[d]
            lin = lin + r.reshape((idx.shape[d],) + (1,) * (nd - 1 - d))
    return lin


def _put_along_array(values, idx, axis, shape, accumulate):
    """zeros(shape) with `values` written (or, repeated indices, added) at `idx` along axis."""
    shape = tuple(shape)
    xp = _xp(values)
    if len(shape) == 0:
        return xp.asarray(values).reshape(())
    size = 1
    for s in shape:
        size *= s
    lin = _lin_index(xp, idx, axis, shape).ravel()
    v = xp.broadcast_to(values, idx.shape).ravel()
    if accumulate:
        if v.dtype.kind == "c":
            re = xp.bincount(lin, weights=v.real, minlength=size)
            im = xp.bincount(lin, weights=v.imag, minlength=size)
            out = re + 1j * im
        else:
            out = xp.bincount(lin, weights=v, minlength=size)
        return out.astype(values.dtype, copy=False).reshape(shape)
    out = xp.zeros(size, dtype=values.dtype)
    out[lin] = v
    return out.reshape(shape)


def _take_along_array(x, idx, axis):
    if x.ndim == 0:
        return x
    return _xp(x).take_along_axis(x, idx, axis)


def _rev_cumsum_array(g, axis):
    # sum of g[i:] for every i: the transpose of a cumulative sum
    xp = _xp(g)
    return xp.flip(xp.cumsum(xp.flip(g, axis), axis=axis), axis)


def _rev_cumsum_tensor(g, axis):
    import ember as E

    flip = getattr(E, "flip", None)
    if flip is not None:
        return flip(E.cumsum(flip(g, (axis,)), axis), (axis,))
    return E.sum(g, dim=axis, keepdim=True) - E.cumsum(g, axis) + g


def _red_perm(nd, axis):
    red = list(range(nd)) if axis is None else sorted(_axes(axis))
    kept = [d for d in range(nd) if d not in red]
    return kept + red, len(kept)


def _inverse(perm):
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return inv


def _prod_others_array(x, axis):
    """For each element, the product of the other elements of its reduced slice (no division,
    so zeros are fine): exclusive cumulative products from the left and from the right."""
    xp = _xp(x)
    nd = x.ndim
    if nd == 0:
        return xp.ones_like(x)
    perm, nk = _red_perm(nd, axis)
    t = x.transpose(perm)
    tshape = t.shape
    t = t.reshape(tshape[:nk] + (-1,))
    left = xp.ones_like(t)
    right = xp.ones_like(t)
    if t.shape[-1] > 1:
        left[..., 1:] = xp.cumprod(t[..., :-1], axis=-1)
        right[..., :-1] = xp.flip(xp.cumprod(xp.flip(t[..., 1:], -1), axis=-1), -1)
    return (left * right).reshape(tshape).transpose(_inverse(perm))


def _prod_others_tensor(x, axis):
    # double backward only: an O(n^2) form built from differentiable ops
    import ember as E

    nd = x.ndim
    if nd == 0:
        return E.ones_like(x)
    perm, nk = _red_perm(nd, axis)
    t = E.permute(x, tuple(perm))
    tshape = tuple(t.shape)
    n = 1
    for s in tshape[nk:]:
        n *= s
    t = t.reshape(tshape[:nk] + (n,))
    eye = E.eye(n, dtype=x.dtype, device=x.device)
    # row k of rep is the slice with element k replaced by 1
    rep = E.unsqueeze(t, -2) * (1 - eye) + eye
    others = E.prod(rep, -1)
    return E.permute(others.reshape(tshape), tuple(_inverse(perm)))


def _cumprod_grad_array(g, x, out, axis):
    """The cumprod gradient with zeros in `x`, in O(n): sum_{i>=k} g_i prod_{j<=i, j!=k} x_j.

    Before the first zero z of a slice it is the usual reversed cumsum of g * out over x_k;
    after z it is 0; at z it is a cumprod of x with x_z set to 1, summed against g from z on.
    """
    xp = _xp(x)
    zeros = x == 0
    seen = zeros.cumsum(axis=axis)
    after = seen > 0
    at = zeros & (seen == 1)
    gc = g * out.conj()
    part = xp.where(after, 0, _rev_cumsum_array(gc, axis) / xp.where(after, 1, x).conj())
    c = xp.cumprod(xp.where(at, 1, x), axis=axis).conj()
    cz = xp.where(after, g * c, 0).sum(axis=axis, keepdims=True)
    return part + xp.where(at, cz, 0)


def _cumprod_grad_tensor(g, x, out, axis):
    # double backward: the exact O(n^2) form, every term a differentiable function of x
    import ember as E

    t = E.transpose(x, axis, -1)
    gt = E.transpose(g, axis, -1)
    n = t.shape[-1]
    eye = E.eye(n, dtype=x.dtype, device=x.device)
    # row k: the slice with x_k replaced by 1; its cumprod at i >= k is prod_{j<=i, j!=k} x_j
    c = E.cumprod(E.unsqueeze(t, -2) * (1 - eye) + eye, -1)
    if c.is_complex():
        c = E.conj(c)
    upper = wrap_array(np.triu(np.ones((n, n), dtype=x._data.dtype)), x.device)
    r = E.sum(E.unsqueeze(gt, -2) * c * upper, -1)
    return E.transpose(r, axis, -1)


def _sgn_tensor(x):
    return apply(_sgn_op, (x,), {})


def _put_along_tensor(values, idx, axis, shape, accumulate):
    return apply(
        _put_along_op,
        (values,),
        {"idx": idx, "axis": axis, "shape": tuple(shape), "accumulate": accumulate},
    )


def _take_along_tensor(x, idx, axis):
    if x.ndim == 0:
        return x
    return apply(_take_along_op, (x,), {"idx": idx, "axis": axis})


register_ns("red_const", _const_array, _const_tensor)
register_ns("red_flag", _flag_array, _flag_tensor)
register_ns("red_put_along", _put_along_array, _put_along_tensor)
register_ns("red_take_along", _take_along_array, _take_along_tensor)
register_ns("red_rev_cumsum", _rev_cumsum_array, _rev_cumsum_tensor)
register_ns("red_prod_others", _prod_others_array, _prod_others_tensor)
register_ns("red_cumprod_grad", _cumprod_grad_array, _cumprod_grad_tensor)
register_ns("red_sgn", lambda x: _sgn(x), _sgn_tensor)


# scatter and gather along an axis: the gradients of the selecting ops, as ops of their own so
# that double backward through them works
@defop("_put_along", promote=False, grad_name="ScatterAddBackward0")
def _put_along_op(xp, values, idx, axis, shape, accumulate):
    return _put_along_array(values, idx, axis, shape, accumulate)


@_put_along_op.defgrad
def _(F, g, out, values, need, extra, idx, axis, shape, accumulate):
    return (F.red_take_along(g, idx, axis),)


@defop("_take_along", promote=False, grad_name="GatherBackward0")
def _take_along_op(xp, x, idx, axis):
    return xp.take_along_axis(x, idx, axis)


@_take_along_op.defgrad
def _(F, g, out, x, need, extra, idx, axis):
    return (F.red_put_along(g, idx, axis, x.shape, True),)


# the sign, as PyTorch's rules use it: an op with a zero derivative
@defop("_red_sgn", promote=False, grad_name="SgnBackward0")
def _sgn_op(xp, x):
    return _sgn(x)


@_sgn_op.defgrad
def _(F, g, out, x, need, extra):
    return (F.zeros(g.shape, g),)


# masks and weights computed on raw arrays (never differentiated)
def _isnan(a):
    if a.dtype.kind in "fc":
        return _xp(a).isnan(a)
    return _xp(a).zeros(a.shape, dtype=bool)


def _notnan(a):
    return (~_isnan(a)).astype(a.dtype)


def _has_zero(a):
    return (a == 0).any()


def _sgn(x):
    if x.dtype.kind == "c":
        ab = abs(x)
        return x / (ab + (ab == 0))
    return _xp(x).sign(x)


def _even_weights(x, o, axis, keepdims, nan_aware):
    """Weights that share a gradient evenly among the elements equal to the result."""
    ok = _keep_shape(o, x.ndim, axis, keepdims)
    if nan_aware:
        # torch's evenly_distribute_backward: a NaN result takes its gradient from the NaNs
        m = (x == ok) | (_isnan(x) & _isnan(ok))
    else:
        m = x == ok
    m = m.astype(x.dtype)
    return m / m.sum(axis=axis, keepdims=True)


def _is_zero(o):
    return o == 0


def _zero_mask(o):
    return (o == 0).astype(o.dtype)


# ---------------------------------------------------------------- sum / nansum / mean
@defop("sum", promote=False)
def _sum(xp, a, axis, keepdims, dtype):
    return a.sum(axis=axis, keepdims=keepdims, dtype=dtype)


@_sum.defgrad
def _(F, g, out, a, need, extra, axis, keepdims, dtype):
    return (F.unreduce(g, a.shape, axis, keepdims),)


@public("sum")
def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None, out=None):
    """Mirrors `torch.sum` (bool and integer inputs sum to int64)."""
    if out is not None:
        return _wrap_out(sum(input, dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims),
                         out)
    dim, keepdim = _alias(dim, keepdim, axis, keepdims)
    nd = input._data.ndim
    dims = norm_dims(dim, nd)
    dtype = _int_to_int64(input, dtype)
    # PyTorch's node for a sum over given dims is SumBackward1
    op = _sum if dim is None else _sum_dims
    return apply(op, (input,), {"axis": _axis(dims, nd), "keepdims": keepdim, "dtype": dtype})


_sum_dims = _named(_sum, "SumBackward1")


@defop("nansum", promote=False, save_inputs=True)
def _nansum(xp, a, axis, keepdims, dtype):
    return xp.nansum(a, axis=axis, keepdims=keepdims, dtype=dtype)


@_nansum.defgrad
def _(F, g, out, a, need, extra, axis, keepdims, dtype):
    return (F.unreduce(g, a.shape, axis, keepdims) * F.red_const(_notnan, a),)


@public("nansum")
def nansum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None, out=None):
    """Mirrors `torch.nansum` (NaNs count as zero)."""
    if out is not None:
        return _wrap_out(nansum(input, dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims),
                         out)
    dim, keepdim = _alias(dim, keepdim, axis, keepdims)
    nd = input._data.ndim
    dims = norm_dims(dim, nd)
    dtype = _int_to_int64(input, dtype)
    return apply(_nansum, (input,), {"axis": _axis(dims, nd), "keepdims": keepdim, "dtype": dtype})


@defop("mean", promote=False)
def _mean(xp, a, axis, keepdims):
    if a.size == 0:
        # numpy warns on an empty mean; PyTorch quietly gives NaN
        return a.sum(axis=axis, keepdims=keepdims) / _count(a.shape, axis)
    if a.__class__ is np.ndarray and a.dtype in _BLAS_FLOATS:
        # ndarray.mean's Python wrapper costs several times a small reduction
        n = _count(a.shape, axis)
        if axis is None and not keepdims:
            # a quotient computed in double and rounded once to float32 is the correctly
            # rounded float32 quotient: exact, and cheaper than NumPy's 0-d arithmetic
            return np.array(float(sum_all(a)) / n, dtype=a.dtype)
        total = np.add.reduce(a, axis, None, None, keepdims)
        total /= n
        return total
    return a.mean(axis=axis, keepdims=keepdims)


_BLAS_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


@_mean.defgrad
def _(F, g, out, a, need, extra, axis, keepdims):
    n = _count(a.shape, axis)
    return (F.unreduce(g / n, a.shape, axis, keepdims),)


@public("mean")
def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None, out=None):
    """Mirrors `torch.mean` (floating and complex inputs only, as in PyTorch)."""
    if out is not None:
        return _wrap_out(mean(input, dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims),
                         out)
    dim, keepdim = _alias(dim, keepdim, axis, keepdims)
    if dtype is not None:
        input = input.to(dtype)
    if input._dtype._kind < 2:
        raise RuntimeError(
            "mean(): could not infer output dtype. "
            f"{'Input' if dtype is None else 'Optional'} dtype must be either a floating point "
            f"or complex dtype. Got: {_torch_name(input._dtype)}"
        )
    nd = input._data.ndim
    dims = norm_dims(dim, nd)
    op = _mean if dim is None else _mean_dims
    return apply(op, (input,), {"axis": _axis(dims, nd), "keepdims": keepdim})


_mean_dims = _named(_mean, "MeanBackward1")


@defop("nanmean", promote=False, save_inputs=True)
def _nanmean(xp, a, axis, keepdims):
    keep = ~xp.isnan(a)
    s = xp.where(keep, a, 0).sum(axis=axis, keepdims=keepdims)
    return s / keep.sum(axis=axis, keepdims=keepdims).astype(s.dtype)


def _nan_count(axis, keepdims):
    def fn(a):
        return (~_isnan(a)).sum(axis=axis, keepdims=keepdims).astype(a.dtype)

    return fn


@_nanmean.defgrad
def _(F, g, out, a, need, extra, axis, keepdims):
    cnt = F.red_const(_nan_count(axis, keepdims), a)
    return (F.unreduce(g / cnt, a.shape, axis, keepdims) * F.red_const(_notnan, a),)


@public("nanmean")
def nanmean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None, out=None):
    """Mirrors `torch.nanmean` (the mean of the non-NaN elements)."""
    if out is not None:
        return _wrap_out(nanmean(input, dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims),
                         out)
    dim, keepdim = _alias(dim, keepdim, axis, keepdims)
    if dtype is not None:
        input = input.to(dtype)
    if input._dtype._kind < 2:
        raise RuntimeError(
            "nanmean(): expected input to have floating point or complex dtype but got "
            f"{_torch_name(input._dtype)}"
        )
    nd = input._data.ndim
    dims = norm_dims(dim, nd)
    return apply(_nanmean, (input,), {"axis": _axis(dims, nd), "keepdims": keepdim})


# ---------------------------------------------------------------- prod
@defop("prod", promote=False, save_inputs=True, save_output=True)
def _prod(xp, a, axis, keepdims, dtype):
    return a.prod(axis=axis, keepdims=keepdims, dtype=dtype)


@_prod.defgrad
def _(F, g, out, a, need, extra, axis, keepdims, dtype):
    shape = a.shape
    gx = F.unreduce(g, shape, axis, keepdims)
    if len(shape) == 0:
        # the product of a 0-d tensor is itself
        return (gx,)
    if not F.red_flag(_has_zero, a):
        return (gx * F.conj(F.unreduce(out, shape, axis, keepdims) / a),)
    # out / a is 0/0 at a zero: use the product of the other elements instead
    return (gx * F.conj(F.red_prod_others(a, axis)),)


@public("prod")
def prod(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None, out=None):
    """Mirrors `torch.prod` (bool and integer inputs multiply in int64)."""
    if out is not None:
        return _wrap_out(prod(input, dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims),
                         out)
    dim, keepdim = _alias(dim, keepdim, axis, keepdims)
    nd = input._data.ndim
    dims = norm_dims(dim, nd)
    dtype = _int_to_int64(input, dtype)
    return apply(_prod, (input,), {"axis": _axis(dims, nd), "keepdims": keepdim, "dtype": dtype})


# ---------------------------------------------------------------- amax / amin / max / min
def _amax_fwd(xp, a, axis, keepdims):
    return a.max(axis=axis, keepdims=keepdims)


def _amin_fwd(xp, a, axis, keepdims):
    return a.min(axis=axis, keepdims=keepdims)


def _amax_rule(F, g, out, a, need, extra, axis, keepdims):
    # ties share the gradient evenly; a NaN result gives NaN gradients, as in PyTorch
    w = F.red_const(lambda x, o: _even_weights(x, o, axis, keepdims, False), a, out)
    return (F.unreduce(g, a.shape, axis, keepdims) * w,)


def _whole_rule(F, g, out, a, need, extra, axis, keepdims):
    # torch's evenly_distribute_backward (max(), min(), median() of the whole tensor)
    w = F.red_const(lambda x, o: _even_weights(x, o, None, False, True), a, out)
    return (g * w,)


def _reg(name, fwd, rule, grad_name=None, **kw):
    op = defop(name, promote=False, grad_name=grad_name, **kw)(fwd)
    op.defgrad(rule)
    return op


_amax = _reg("amax", _amax_fwd, _amax_rule, save_inputs=True, save_output=True)
_amin = _reg("amin", _amin_fwd, _amax_rule, save_inputs=True, save_output=True)
_max_all = _reg(
    "max_all", _amax_fwd, _whole_rule, "MaxBackward1", save_inputs=True, save_output=True
)
_min_all = _reg(
    "min_all", _amin_fwd, _whole_rule, "MinBackward1", save_inputs=True, save_output=True
)


def _check_nonempty(name, input, dims, sep="()"):
    a = input._data
    if a.size:
        return
    if dims is None:
        raise RuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument."
        )
    for d in dims:
        if a.ndim and a.shape[d] == 0:
            raise IndexError(f"{name}{sep}: Expected reduction dim {d} to have non-zero size.")


def _amax_public(op, name):
    def fn(input, dim=(), keepdim=False, *, out=None, axis=None, keepdims=None):
        dim, keepdim = _alias(dim, keepdim, axis, keepdims)
        nd = input._data.ndim
        dims = norm_dims(dim, nd)
        _check_nonempty(name, input, dims)
        r = apply(op, (input,), {"axis": _axis(dims, nd), "keepdims": keepdim})
        return _wrap_out(r, out)

    fn.__name__ = name
    fn.__doc__ = f"Mirrors `torch.{name}` (ties share the gradient evenly)."
    return fn


amax = public("amax")(_amax_public(_amax, "amax"))
amin = public("amin")(_amax_public(_amin, "amin"))


def _argsel_fwd(pick):
    # the value at the first max (min) is the max (min): NaN where argmax finds a NaN
    reducer = np.maximum.reduce if pick == "argmax" else np.minimum.reduce

    def fwd(xp, a, axis, keepdims):
        if a.ndim == 0:
            return a.copy(), xp.zeros((), dtype=np.int64)
        if a.__class__ is np.ndarray:
            # two C calls instead of take_along_axis's Python index building
            idx = getattr(a, pick)(axis, None, keepdims=keepdims).astype(np.int64, copy=False)
            return reducer(a, axis, keepdims=keepdims), idx
        idx = getattr(xp, pick)(a, axis=axis, keepdims=True).astype(np.int64, copy=False)
        vals = xp.take_along_axis(a, idx, axis)
        if not keepdims:
            vals = vals.squeeze(axis)
            idx = idx.squeeze(axis)
        return vals, idx

    return fwd


def _select_rule(F, g, out, a, need, extra, axis, keepdims, **params):
    """The gradient of a value picked at `extra` (indices) along `axis`."""
    shape = a.shape
    if len(shape) == 0:
        return (F.reshape(g, ()),)
    idx = extra
    if not keepdims:
        g = F.expand_dims(g, axis)
        idx = idx.reshape(tuple(g.shape))
    return (F.red_put_along(g, idx, axis, shape, False),)


_max_dim = _reg("max_dim", _argsel_fwd("argmax"), _select_rule, "MaxBackward0", extra=True)
_min_dim = _reg("min_dim", _argsel_fwd("argmin"), _select_rule, "MinBackward0", extra=True)


def _minmax_public(name, whole_op, dim_op, binary):
    rtype = getattr(RT, name)

    # `other` is torch's keyword for the elementwise overload, max(input, other=t); by
    # position the tensor arrives as `dim`
    def fn(input, dim=None, keepdim=False, other=None, *, out=None, axis=None, keepdims=None):
        dim, keepdim = _alias(dim, keepdim, axis, keepdims)
        if other is not None:
            if dim is not None:
                raise TypeError(f"{name}() received an invalid combination of arguments")
            dim = other
        if dim is None:
            _check_nonempty(name, input, None)
            return apply(whole_op, (input,), {"axis": None, "keepdims": False})
        if not isinstance(dim, int):
            if hasattr(dim, "_data"):
                # max(a, b) is the elementwise maximum
                import ember

                return _wrap_out(getattr(ember, binary)(input, dim), out)
            raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
        nd = input._data.ndim
        d = _wrap_dim(dim, nd)
        _check_nonempty(name, input, (d,))
        v, i = apply(dim_op, (input,), {"axis": d, "keepdims": keepdim})
        return rtype((v, i))

    fn.__name__ = name
    fn.__doc__ = (
        f"Mirrors `torch.{name}`: whole tensor (ties share the gradient), `(values, indices)` "
        f"along `dim`, or the elementwise {binary} with a tensor."
    )
    return fn


max = public("max")(_minmax_public("max", _max_all, _max_dim, "maximum"))
min = public("min")(_minmax_public("min", _min_all, _min_dim, "minimum"))


@public("aminmax")
def aminmax(input, *, dim=None, keepdim=False, out=None):
    """Mirrors `torch.aminmax`: `(min, max)`."""
    if out is not None:
        res = aminmax(input, dim=dim, keepdim=keepdim)
        return RT.aminmax((_wrap_out(res[0], out[0]), _wrap_out(res[1], out[1])))
    a = input._data
    nd = a.ndim
    if dim is None:
        if a.size == 0:
            raise RuntimeError(
                "aminmax(): cannot compute aminmax over an empty dimension as the operation "
                "has no identity."
            )
        dims = None
    else:
        dims = (_wrap_dim(dim, nd),)
        _check_nonempty("aminmax", input, dims, sep="")
    params = {"axis": _axis(dims, nd), "keepdims": keepdim}
    return RT.aminmax((apply(_amin, (input,), params), apply(_amax, (input,), params)))


@defop("argmax", promote=False, differentiable=False)
def _argmax(xp, a, axis, keepdims):
    return _argpick(xp, xp.argmax, a, axis, keepdims)


@defop("argmin", promote=False, differentiable=False)
def _argmin(xp, a, axis, keepdims):
    return _argpick(xp, xp.argmin, a, axis, keepdims)


def _argpick(xp, pick, a, axis, keepdims):
    if a.ndim == 0:
        return xp.zeros((), dtype=np.int64)
    if axis is None:
        r = pick(a)
        if keepdims:
            return xp.asarray(r, dtype=np.int64).reshape((1,) * a.ndim)
        return xp.asarray(r, dtype=np.int64)
    return pick(a, axis=axis, keepdims=keepdims).astype(np.int64, copy=False)


def _arg_public(op, name):
    def fn(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
        dim, keepdim = _alias(dim, keepdim, axis, keepdims)
        if input._dtype is D.bool_:
            raise RuntimeError(f"{name}(): does not support bool input")
        nd = input._data.ndim
        if dim is None:
            if input._data.size == 0:
                raise IndexError(
                    f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
                )
            return _wrap_out(apply(op, (input,), {"axis": None, "keepdims": keepdim}), out)
        d = _wrap_dim(dim, nd)
        _check_nonempty(name, input, (d,))
        return _wrap_out(apply(op, (input,), {"axis": d, "keepdims": keepdim}), out)

    fn.__name__ = name
    fn.__doc__ = f"Mirrors `torch.{name}` (the first occurrence wins)."
    return fn


argmax = public("argmax")(_arg_public(_argmax, "argmax"))
argmin = public("argmin")(_arg_public(_argmin, "argmin"))


# ---------------------------------------------------------------- var / std
def _var_fwd(xp, a, axis, keepdims, correction):
    if a.dtype.itemsize == 2 and a.dtype.kind not in "iu":
        # float16 and bfloat16 accumulate in float32 as torch's kernels do (a square of 60000
        # overflows float16), rounded once at the end
        low = a.dtype
        return _var_fwd(xp, a.astype(np.float32), axis, keepdims, correction).astype(low)
    n = _count(a.shape, axis)
    m = a.sum(axis=axis, keepdims=True) / n
    d = a - m
    sq = (d.real * d.real + d.imag * d.imag) if d.dtype.kind == "c" else d * d
    return sq.sum(axis=axis, keepdims=keepdims) / _pymax(n - correction, 0)


@defop("var", promote=False, save_inputs=True)
def _var(xp, a, axis, keepdims, correction):
    return _var_fwd(xp, a, axis, keepdims, correction)


def _var_grad(F, g, a, axis, keepdims, correction):
    shape = a.shape
    n = _count(shape, axis)
    dof = n - correction
    gx = F.unreduce(g, shape, axis, keepdims)
    if dof <= 0 and (axis is None or len(shape) == 0):
        # PyTorch's whole-tensor rule: 2 / 0 times (x - mean) is nan where x is the mean and
        # +inf elsewhere (the sign is not kept)
        return gx * F.red_const(_dof_overflow, a)
    centered = a - F.sum(a, axis, True) / n
    # 2 (x - mean) / (N - correction), the divisor not clamped here (unlike the forward)
    return gx * centered * 2 / dof


def _dof_overflow(x):
    xp = _xp(x)
    m = x.sum() / x.size
    return xp.where(x == m, xp.nan, xp.inf).astype(x.dtype)


@_var.defgrad
def _(F, g, out, a, need, extra, axis, keepdims, correction):
    return (_var_grad(F, g, a, axis, keepdims, correction),)


@defop("std", promote=False, save_inputs=True, save_output=True)
def _std(xp, a, axis, keepdims, correction):
    if a.dtype.itemsize == 2 and a.dtype.kind not in "iu":
        # the square root too in float32: the variance alone can overflow float16
        v = _var_fwd(xp, a.astype(np.float32), axis, keepdims, correction)
        return xp.sqrt(v).astype(a.dtype)
    return xp.sqrt(_var_fwd(xp, a, axis, keepdims, correction))


@_std.defgrad
def _(F, g, out, a, need, extra, axis, keepdims, correction):
    # d sqrt(v) = dv / (2 sqrt(v)); PyTorch sends 0 where the std is exactly 0
    gv = F.where(F.red_const(_is_zero, out), 0, g / (2 * out))
    return (_var_grad(F, gv, a, axis, keepdims, correction),)


def _var_setup(name, input, dim, unbiased, keepdim, correction):
    if isinstance(dim, bool):
        # var(x, True): the legacy positional `unbiased`
        dim, unbiased = None, dim
    if input._dtype._kind < 2:
        who = name if name.endswith("_mean") else "std and var"
        raise RuntimeError(f"{who} only support floating point and complex dtypes")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    nd = input._data.ndim
    dims = norm_dims(dim, nd)
    axis = _axis(dims, nd)
    n = _count(input._data.shape, axis)
    if n - correction <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=3,
        )
    return {"axis": axis, "keepdims": keepdim, "correction": correction}


@public("var")
def var(
    input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None,
    out=None
):
    """Mirrors `torch.var` (`correction`, or the legacy `unbiased`)."""
    if out is not None:
        res = var(input, dim, unbiased, keepdim, correction=correction, axis=axis,
                  keepdims=keepdims)
        return _wrap_out(res, out)
    dim, keepdim = _alias(dim, keepdim, axis, keepdims)
    return apply(_var, (input,), _var_setup("var", input, dim, unbiased, keepdim, correction))


@public("std")
def std(
    input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None,
    out=None
):
    """Mirrors `torch.std` (`correction`, or the legacy `unbiased`)."""
    if out is not None:
        res = std(input, dim, unbiased, keepdim, correction=correction, axis=axis,
                  keepdims=keepdims)
        return _wrap_out(res, out)
    dim, keepdim = _alias(dim, keepdim, axis, keepdims)
    return apply(_std, (input,), _var_setup("std", input, dim, unbiased, keepdim, correction))


@public("var_mean", method=False)
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Mirrors `torch.var_mean`: `(var, mean)`."""
    p = _var_setup("var_mean", input, dim, unbiased, keepdim, correction)
    m = apply(_mean, (input,), {"axis": p["axis"], "keepdims": keepdim})
    return apply(_var, (input,), p), m


@public("std_mean", method=False)
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Mirrors `torch.std_mean`: `(std, mean)`."""
    p = _var_setup("std_mean", input, dim, unbiased, keepdim, correction)
    m = apply(_mean, (input,), {"axis": p["axis"], "keepdims": keepdim})
    return apply(_std, (input,), p), m


# ---------------------------------------------------------------- norm
@defop(
    "norm", promote=False, save_inputs=True, save_output=True, grad_name="LinalgVectorNormBackward0"
)
def _norm(xp, a, p, axis, keepdims):
    if p == 0:
        return (a != 0).sum(axis=axis, keepdims=keepdims).astype(a.real.dtype)
    if p == 2 and a.dtype.kind != "c":
        return xp.sqrt((a * a).sum(axis=axis, keepdims=keepdims))
    ab = xp.abs(a)
    if p == 2:
        return xp.sqrt((ab * ab).sum(axis=axis, keepdims=keepdims))
    if p == 1:
        return ab.sum(axis=axis, keepdims=keepdims)
    if p == _INF:
        return ab.max(axis=axis, keepdims=keepdims)
    if p == -_INF:
        return ab.min(axis=axis, keepdims=keepdims)
    return (ab**p).sum(axis=axis, keepdims=keepdims) ** (1.0 / p)


@_norm.defgrad
def _(F, g, out, a, need, extra, p, axis, keepdims):
    if p == 0:
        # the count of non-zeros: no gradient at all, as in PyTorch
        return (None,)
    shape = a.shape
    gx = F.unreduce(g, shape, axis, keepdims)
    if p == 1:
        return (gx * F.red_sgn(a),)
    if p == _INF or p == -_INF:
        w = F.red_const(lambda x, o: _even_weights(abs(x), o, axis, keepdims, False), a, out)
        return (gx * F.red_sgn(a) * w,)
    nrm = F.unreduce(out, shape, axis, keepdims)
    z = F.red_const(_zero_mask, nrm)
    if p == 2:
        # x / |x|, and 0 where the norm is 0 (the subgradient PyTorch picks)
        return (gx * a / (nrm + z),)
    ab = F.abs(a)
    sgn = F.red_sgn(a)
    if p < 1:
        xz = F.red_const(_zero_mask, a)
        scaled = sgn * (ab + xz) ** (p - 1) * (1 - xz)
        return (scaled * gx * nrm ** (1 - p),)
    scale = gx / (nrm + z) ** (p - 1) * (1 - z)
    return (sgn * ab ** (p - 1) * scale,)


def _norm_p(p):
    if p is None or p == "fro":
        return 2.0
    if isinstance(p, str):
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")  # noqa: TRY004
    return float(p)


@public("norm")
def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """Mirrors `torch.norm` (vector p-norms over `dim`; 'fro' is the 2-norm; 'nuc' goes to
    `linalg.matrix_norm`)."""
    if isinstance(dim, int):
        dim = (dim,)
    if p == "nuc":
        import ember

        return ember.linalg.matrix_norm(input, "nuc", dim if dim is not None else (-2, -1), keepdim)
    if dtype is not None:
        input = input.to(dtype)
    if input._dtype._kind < 2:
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{_torch_name(input._dtype)}"
        )
    p = _norm_p(p)
    a = input._data
    nd = a.ndim
    dims = norm_dims(dim, nd)
    axis = _axis(dims, nd)
    if (p < 0 or p == _INF) and a.size == 0:
        _norm_empty(a, dims, p)
    return _wrap_out(apply(_norm, (input,), {"p": p, "axis": axis, "keepdims": keepdim}), out)


def _norm_empty(a, dims, p):
    # norms with no identity (max, or sums of negative powers) refuse empty slices
    name = "inf" if p == _INF else "-inf" if p == -_INF else f"{p:g}"
    if dims is None:
        raise RuntimeError(
            f"linalg.vector_norm cannot compute the {name} norm on an empty tensor because the "
            "operation does not have an identity"
        )
    for d in dims:
        if a.shape[d] == 0:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {name} norm on the dimension {d}because "
                "this dimension is empty and the operation does not have an identity"
            )


# ---------------------------------------------------------------- logsumexp
@defop("logsumexp", promote=False, save_inputs=True, save_output=True)
def _logsumexp(xp, a, axis, keepdims):
    if a.size == 0:
        return xp.log(xp.exp(a).sum(axis=axis, keepdims=keepdims))
    # subtract the max for stability (0 where it is infinite, so inf - inf never appears)
    m = (
        a.max(axis=axis, keepdims=True)
        if a.dtype.kind != "c"
        else a.real.max(axis=axis, keepdims=True)
    )
    m = xp.where(xp.isfinite(m), m, 0)
    r = xp.log(xp.exp(a - m).sum(axis=axis, keepdims=True)) + m
    if keepdims:
        return r
    return r.reshape(()) if axis is None else r.squeeze(axis)


@_logsumexp.defgrad
def _(F, g, out, a, need, extra, axis, keepdims):
    shape = a.shape
    o = F.unreduce(out, shape, axis, keepdims)
    return (F.unreduce(g, shape, axis, keepdims) * F.exp(a - o),)


@public("logsumexp")
def logsumexp(input, dim=_REQUIRED, keepdim=False, *, out=None):
    """Mirrors `torch.logsumexp` (stable: the max is subtracted first)."""
    if dim is _REQUIRED:
        raise TypeError('logsumexp() missing 1 required positional arguments: "dim"')
    if input._dtype._kind < 2:
        input = input.to(D.get_default_dtype())
    nd = input._data.ndim
    dims = norm_dims(dim, nd)
    return _wrap_out(
        apply(_logsumexp, (input,), {"axis": _axis(dims, nd), "keepdims": keepdim}), out
    )


# ---------------------------------------------------------------- cumsum / cumprod
@defop("cumsum", promote=False)
def _cumsum(xp, a, axis, dtype):
    if a.ndim == 0:
        return a.astype(dtype or a.dtype)
    if not a.flags.c_contiguous:
        # torch's result is contiguous whatever the input's layout (NumPy would keep it)
        a = xp.ascontiguousarray(a)
    return _half_acc(xp.cumsum, a, axis, dtype)


def _half_acc(fn, a, axis, dtype):
    """fn (cumsum, cumprod) accumulating float16 in float32, each output rounded once, as
    torch's CPU kernels do (a float16 running sum stalls at 2048 + 1)."""
    out_dt = np.dtype(dtype) if dtype is not None else a.dtype
    if out_dt == np.float16:
        return fn(a, axis=axis, dtype=np.float32).astype(np.float16)
    return fn(a, axis=axis, dtype=dtype)


@_cumsum.defgrad
def _(F, g, out, a, need, extra, axis, dtype):
    if len(a.shape) == 0:
        return (g,)
    return (F.red_rev_cumsum(g, axis),)


@defop("cumprod", promote=False, save_inputs=True, save_output=True)
def _cumprod(xp, a, axis, dtype):
    if a.ndim == 0:
        return a.astype(dtype or a.dtype)
    if not a.flags.c_contiguous:
        a = xp.ascontiguousarray(a)
    return _half_acc(xp.cumprod, a, axis, dtype)


@_cumprod.defgrad
def _(F, g, out, a, need, extra, axis, dtype):
    shape = a.shape
    if len(shape) == 0 or shape[axis] == 1:
        return (g,)
    if not F.red_flag(_has_zero, a):
        # d out_i / d a_k = out_i / a_k for i >= k: a reversed cumulative sum of g * out
        return (F.red_rev_cumsum(g * F.conj(out), axis) / F.conj(a),)
    return (F.red_cumprod_grad(g, a, out, axis),)


def _cum_public(op, name):
    def fn(input, dim=None, *, dtype=None, out=None, axis=None):
        if axis is not None:
            dim = axis
        if dim is None:
            raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
        d = _wrap_dim(dim, input._data.ndim)
        return _wrap_out(
            apply(op, (input,), {"axis": d, "dtype": _int_to_int64(input, dtype)}), out
        )

    fn.__name__ = name
    fn.__doc__ = f"Mirrors `torch.{name}` (bool and integer inputs accumulate in int64)."
    return fn


cumsum = public("cumsum")(_cum_public(_cumsum, "cumsum"))
cumprod = public("cumprod")(_cum_public(_cumprod, "cumprod"))


@method("cumsum_")
def cumsum_(self, dim, *, dtype=None):
    """Mirrors `torch.Tensor.cumsum_`."""
    return inplace(self, cumsum, dim, dtype=dtype or self._dtype)


@method("cumprod_")
def cumprod_(self, dim, *, dtype=None):
    """Mirrors `torch.Tensor.cumprod_`."""
    return inplace(self, cumprod, dim, dtype=dtype or self._dtype)


# ---------------------------------------------------------------- cummax / cummin
def _accumulate(xp, name, a, axis):
    """`xp.<name>.accumulate(a, axis)`; CuPy lacks it for maximum and minimum, so there a
    Hillis-Steele scan runs instead: log2(n) elementwise passes, each position combined with
    the one 2^k places before it."""
    fn = getattr(xp, name)
    if xp is np:
        return fn.accumulate(a, axis=axis)
    try:
        return fn.accumulate(a, axis=axis)
    except NotImplementedError:
        pass
    # a fresh C-ordered copy: the passes below write into it
    out = xp.moveaxis(a, axis, -1).copy()
    n = out.shape[-1]
    k = 1
    while k < n:
        prev = out[..., :-k].copy()
        fn(out[..., k:], prev, out=out[..., k:])
        k *= 2
    return xp.moveaxis(out, -1, axis)


def _cumsel_fwd(acc):
    def fwd(xp, a, axis):
        if a.ndim == 0:
            return a.copy(), xp.zeros((), dtype=np.int64)
        if not a.flags.c_contiguous:
            # torch's results are contiguous whatever the input's layout
            a = xp.ascontiguousarray(a)
        vals = _accumulate(xp, acc, a, axis)
        # the index moves to i when a_i reaches the running value (ties: the last one wins) or
        # is NaN, which PyTorch treats as beyond every number
        upd = a == vals
        if a.dtype.kind in "fc":
            upd |= xp.isnan(a)
        n = a.shape[axis]
        pos = xp.arange(n, dtype=np.int64).reshape((n,) + (1,) * (a.ndim - 1 - axis))
        idx = _accumulate(xp, "maximum", xp.where(upd, pos, 0), axis)
        return vals, idx

    return fwd


def _cumsel_rule(F, g, out, a, need, extra, axis):
    if len(a.shape) == 0:
        return (g,)
    return (F.red_put_along(g, extra, axis, a.shape, True),)


_cummax = _reg("cummax", _cumsel_fwd("maximum"), _cumsel_rule, extra=True)
_cummin = _reg("cummin", _cumsel_fwd("minimum"), _cumsel_rule, extra=True)


def _cumsel_public(op, name):
    rtype = getattr(RT, name)

    def fn(input, dim, *, out=None):
        a = input._data
        if a.ndim == 0:
            if dim not in (0, -1):
                raise IndexError(
                    f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}"
                )
            d = 0
        elif a.size == 0:
            # torch returns empty results before it wraps `dim`, so any dim passes
            d = 0
        else:
            d = _wrap_dim(dim, a.ndim)
        v, i = apply(op, (input,), {"axis": d})
        return rtype((v, i))

    fn.__name__ = name
    fn.__doc__ = f"Mirrors `torch.{name}`: `(values, indices)`; ties give the last index."
    return fn


cummax = public("cummax")(_cumsel_public(_cummax, "cummax"))
cummin = public("cummin")(_cumsel_public(_cummin, "cummin"))


# ---------------------------------------------------------------- all / any / count_nonzero
@defop("all", promote=False, differentiable=False)
def _all(xp, a, axis, keepdims):
    return _logical(xp.all, a, axis, keepdims)


@defop("any", promote=False, differentiable=False)
def _any(xp, a, axis, keepdims):
    return _logical(xp.any, a, axis, keepdims)


def _logical(fn, a, axis, keepdims):
    if axis == ():
        r = a != 0
    else:
        r = fn(a, axis=axis, keepdims=keepdims)
    # PyTorch keeps uint8 for uint8 inputs (a legacy of byte masks)
    return r.astype(np.uint8) if a.dtype == np.uint8 else r


def _logical_public(op, name):
    def fn(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
        dim, keepdim = _alias(dim, keepdim, axis, keepdims)
        nd = input._data.ndim
        ax = None
        if dim is not None:
            dims = (dim,) if isinstance(dim, int) else tuple(dim)
            # an empty tuple reduces nothing here, unlike sum
            ax = tuple(_wrap_dim(d, nd) for d in dims)
            if nd == 0:
                ax = None
        return _wrap_out(apply(op, (input,), {"axis": ax, "keepdims": keepdim}), out)

    fn.__name__ = name
    fn.__doc__ = f"Mirrors `torch.{name}` (bool result; uint8 for uint8 input)."
    return fn


all = public("all")(_logical_public(_all, "all"))
any = public("any")(_logical_public(_any, "any"))


@public("count_nonzero")
def count_nonzero(input, dim=None):
    """Mirrors `torch.count_nonzero` (int64)."""
    a = input._data
    dims = norm_dims(dim, a.ndim)
    r = (a != 0).sum(axis=_axis(dims, a.ndim), dtype=np.int64)
    return _new_tensor(_as_arr(r), D.int64, input._device)


# ---------------------------------------------------------------- sort / argsort / topk
def _argsort(xp, a, axis, descending, stable=True):
    # numpy's default sort is several times faster than its stable one; ties may then come
    # in any order, which PyTorch allows when stable=False. But torch's CPU sort of 16 or
    # fewer elements is an insertion sort, stable in effect, and small sorts are the ones
    # programs print: there the stable kind gives torch's order of ties (NumPy's SIMD sort
    # does not keep them)
    # (topk passes stable=None: its own tie order, from torch's nth_element, is neither)
    small = stable is not None and (a.ndim == 0 or a.shape[axis] <= 16)
    kind = "stable" if stable or small else None
    if xp is np:
        # ndarray.argsort and a reversing slice: np.argsort and np.flip are Python wrappers
        # (np.flip normalizes its axis through normalize_axis_tuple: 1.7 us against 0.2 us)
        if not descending:
            return a.argsort(axis, kind)
        rev = _slice_axis(a.ndim, axis, _REVERSE)
        r = a[rev].argsort(axis, kind)
        # subtract before reversing: ufuncs on negative strides cost 1 us more
        np.subtract(a.shape[axis] - 1, r, out=r)
        return r[rev].copy()
    if not descending:
        return xp.argsort(a, axis=axis, kind=kind)
    # descending: sort the reversed slice ascending, then reverse the result (a stable sort
    # keeps equal elements in order; NaNs, the largest in PyTorch, come first)
    n = a.shape[axis]
    r = xp.argsort(xp.flip(a, axis), axis=axis, kind=kind)
    return (n - 1) - xp.flip(r, axis)


_REVERSE = slice(None, None, -1)
_tuple_new = tuple.__new__
# (index shape, axis) -> the position aranges of _take_along (read-only, shared), bounded
_ALONG = {}


def _take_along(xp, a, idx, axis):
    """`xp.take_along_axis(a, idx, axis)` for `idx` of a's shape but along `axis`, its values
    in range. On the CPU the fancy index is cached per shape: np.take_along_axis rebuilds it
    in Python on every call (4.3 us against 1.3 us on 8x16 floats)."""
    if xp is not np:
        return xp.take_along_axis(a, idx, axis)
    nd = idx.ndim
    if nd == 1:
        return a[idx]
    key = (idx.shape, axis)
    ix = _ALONG.get(key)
    if ix is None:
        ix = []
        for k, n in enumerate(idx.shape):
            r = None
            if k != axis:
                r = np.arange(n).reshape((1,) * k + (n,) + (1,) * (nd - k - 1))
                r.flags.writeable = False
            ix.append(r)
        if len(_ALONG) >= 256:
            _ALONG.clear()
        _ALONG[key] = ix
    ix = ix.copy()
    ix[axis] = idx
    return a[tuple(ix)]


@defop("sort", promote=False, extra=True)
def _sort(xp, a, axis, descending, stable):
    if a.ndim == 0:
        return a.copy(), xp.zeros((), dtype=np.int64)
    idx = _argsort(xp, a, axis, descending, stable).astype(np.int64, copy=False)
    return _take_along(xp, a, idx, axis), idx


def _scatter_rule(F, g, out, a, need, extra, axis, **params):
    if len(a.shape) == 0:
        return (F.reshape(g, ()),)
    return (F.red_put_along(g, extra, axis, a.shape, False),)


_sort.defgrad(_scatter_rule)


def _no_complex(input, msg):
    if input._dtype._kind == 3:
        raise RuntimeError(msg)


@public("sort")
def sort(input, dim=-1, descending=False, stable=False, *, out=None):
    """Mirrors `torch.sort`: `(values, indices)`; NaNs sort as the largest; equal elements
    keep their order only with `stable=True`."""
    _no_complex(input, " Sort does not support complex dtypes on CPU")
    if isinstance(dim, bool):
        # sort(x, True): the legacy positional `descending`
        dim, descending = -1, dim
    d = _wrap_dim(dim, input._data.ndim)
    params = {"axis": d, "descending": bool(descending), "stable": bool(stable)}
    v, i = apply(_sort, (input,), params)
    return RT.sort((v, i))


@defop("argsort", promote=False, differentiable=False)
def _argsort_op(xp, a, axis, descending, stable):
    if a.ndim == 0:
        return xp.zeros((), dtype=np.int64)
    return _argsort(xp, a, axis, descending, stable).astype(np.int64, copy=False)


@public("argsort")
def argsort(input, dim=-1, descending=False, *, stable=False):
    """Mirrors `torch.argsort` (equal elements keep their order only with `stable=True`)."""
    _no_complex(input, " Sort does not support complex dtypes on CPU")
    d = _wrap_dim(dim, input._data.ndim)
    params = {"axis": d, "descending": bool(descending), "stable": bool(stable)}
    return apply(_argsort_op, (input,), params)


@public("msort")
def msort(input, *, out=None):
    """Mirrors `torch.msort`: sorted values along dim 0."""
    from .elementwise import _out

    return _out(sort(input, 0).values, out)


def _slice_axis(nd, axis, sl):
    return (slice(None),) * axis + (sl,) + (slice(None),) * (nd - axis - 1)


@defop("topk", promote=False, extra=True)
def _topk(xp, a, k, axis, largest, sorted=True):
    if a.ndim == 0:
        return a.copy(), xp.zeros((), dtype=np.int64)
    if not sorted and xp is np:
        # sorted=False: torch returns its selection's own order, which programs print
        idx = unsorted_topk(a, k, axis, largest)
        if idx is not None:
            return _take_along(xp, a, idx, axis), idx
    n = a.shape[axis]
    nd = a.ndim
    if 0 < k and k * 8 < n:
        # select the k first with a partition, then order only those
        if largest:
            part = xp.argpartition(a, n - k, axis=axis)[_slice_axis(nd, axis, slice(n - k, n))]
        else:
            part = xp.argpartition(a, k - 1, axis=axis)[_slice_axis(nd, axis, slice(0, k))]
        order = _argsort(xp, _take_along(xp, a, part, axis), axis, largest, None)
        idx = _take_along(xp, part, order, axis)
    else:
        idx = _argsort(xp, a, axis, largest, None)[_slice_axis(nd, axis, slice(0, k))]
    idx = idx.astype(np.int64, copy=False)
    vals = _take_along(xp, a, idx, axis)
    if xp is np:
        # tied values: torch's unstable selection leaves their indices in its own order
        fixed = fix_tie_order(a, idx, vals, k, axis, largest)
        if fixed is not None:
            idx = np.ascontiguousarray(fixed)
            vals = _take_along(xp, a, idx, axis)
    return vals, idx


_topk.defgrad(_scatter_rule)


@public("topk")
def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """Mirrors `torch.topk`: `(values, indices)`; with sorted=False in the order torch's
    selection leaves them."""
    if input._dtype is D.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    a = input._data
    d = _wrap_dim(dim, a.ndim)
    n = a.shape[d] if a.ndim else 1
    k = int(k)
    if k < 0 or k > n:
        raise RuntimeError("selected index k out of range")
    params = {"k": k, "axis": d, "largest": bool(largest)}
    if not sorted:
        params["sorted"] = False
    v, i = apply(_topk, (input,), params)
    # the named tuple without its constructor's length check (two items by construction)
    return _tuple_new(RT.topk, (v, i))


# ---------------------------------------------------------------- kthvalue / median / mode
def _pick_at(xp, a, idx_sorted, pos, axis, keepdims):
    """Values and indices at sorted positions `pos` (one per slice, keepdims shape)."""
    idx = xp.take_along_axis(idx_sorted, pos, axis).astype(np.int64, copy=False)
    vals = xp.take_along_axis(a, idx, axis)
    if not keepdims:
        vals = vals.squeeze(axis)
        idx = idx.squeeze(axis)
    return vals, idx


@defop("kthvalue", promote=False, extra=True)
def _kthvalue(xp, a, k, axis, keepdims):
    if a.ndim == 0:
        return a.copy(), xp.zeros((), dtype=np.int64)
    part = xp.argpartition(a, k - 1, axis=axis)
    shape = list(a.shape)
    shape[axis] = 1
    pos = xp.full(tuple(shape), k - 1, dtype=np.int64)
    return _pick_at(xp, a, part, pos, axis, keepdims)


_kthvalue.defgrad(_select_rule)


@public("kthvalue")
def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """Mirrors `torch.kthvalue`: the k-th smallest `(values, indices)` along `dim`."""
    _no_bool(input, "kthvalue_cpu")
    a = input._data
    d = _wrap_dim(dim, a.ndim)
    _check_nonempty("kthvalue", input, (d,))
    n = a.shape[d] if a.ndim else 1
    if k < 1 or k > n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    v, i = apply(_kthvalue, (input,), {"k": int(k), "axis": d, "keepdims": keepdim})
    return RT.kthvalue((v, i))


def _no_bool(input, kernel):
    if input._dtype is D.bool_ or input._dtype._kind == 3:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_torch_name(input._dtype)}'")


def _median_pos(xp, a, axis, ignore_nan):
    """Sorted positions of the lower median of each slice (keepdims shape)."""
    n = a.shape[axis]
    if a.dtype.kind not in "fc":
        shape = list(a.shape)
        shape[axis] = 1
        return xp.full(tuple(shape), (n - 1) // 2, dtype=np.int64)
    c = (~xp.isnan(a)).sum(axis=axis, keepdims=True)
    if ignore_nan:
        # nanmedian: the median of the numbers; the first NaN when there are none
        return xp.maximum((c - 1) // 2, 0)
    # median: a slice with a NaN has the NaN (its first) as median, as in PyTorch
    return xp.where(c < n, c, (n - 1) // 2)


def _median_dim_fwd(ignore_nan):
    def fwd(xp, a, axis, keepdims):
        if a.ndim == 0:
            return a.copy(), xp.zeros((), dtype=np.int64)
        pos = _median_pos(xp, a, axis, ignore_nan)
        n = a.shape[axis]
        if n and (a.dtype.kind not in "fc" or not xp.isnan(a).any()):
            # one position for every slice: a partition is enough
            k = (n - 1) // 2
            idx = xp.argpartition(a, k, axis=axis)
        else:
            idx = xp.argsort(a, axis=axis, kind="stable")
        return _pick_at(xp, a, idx, pos, axis, keepdims)

    return fwd


def _median_all_fwd(ignore_nan):
    def fwd(xp, a, axis, keepdims):
        flat = a.reshape(-1)
        if flat.size == 0:
            return xp.asarray(_empty_median(flat.dtype), dtype=a.dtype)
        if flat.dtype.kind in "fc":
            c = int((~xp.isnan(flat)).sum())
            if c == 0 or (c < flat.size and not ignore_nan):
                return xp.asarray(xp.nan, dtype=a.dtype)
        else:
            c = flat.size
        k = (c - 1) // 2
        # partition puts NaNs last, so the k-th of the numbers is the k-th overall
        return xp.partition(flat, k)[k]

    return fwd


def _empty_median(dtype):
    """torch's median of nothing: NaN, which its C cast turns into the lowest int32/int64 and
    into 0 for the narrower integers (their int32 bits cut down)."""
    if dtype.kind in "fc":
        return np.nan
    return np.iinfo(dtype).min if dtype.itemsize >= 4 else 0


_median_all = _reg(
    "median_all",
    _median_all_fwd(False),
    _whole_rule,
    "MedianBackward0",
    save_inputs=True,
    save_output=True,
)
_nanmedian_all = _reg(
    "nanmedian_all",
    _median_all_fwd(True),
    _whole_rule,
    "NanmedianBackward0",
    save_inputs=True,
    save_output=True,
)
_median_dim = _reg(
    "median_dim", _median_dim_fwd(False), _select_rule, "MedianBackward1", extra=True
)
_nanmedian_dim = _reg(
    "nanmedian_dim", _median_dim_fwd(True), _select_rule, "NanmedianBackward1", extra=True
)


def _median_public(name, all_op, dim_op):
    rtype = getattr(RT, name)

    def fn(input, dim=None, keepdim=False, *, out=None):
        # torch's nanmedian runs median's kernels, and names them in its errors
        if dim is None:
            _no_bool(input, "median_cpu")
            return apply(all_op, (input,), {"axis": None, "keepdims": False})
        d = _wrap_dim(dim, input._data.ndim)
        _check_nonempty("median", input, (d,))
        _no_bool(input, "median_out")
        v, i = apply(dim_op, (input,), {"axis": d, "keepdims": keepdim})
        return rtype((v, i))

    fn.__name__ = name
    fn.__doc__ = (
        f"Mirrors `torch.{name}`: the lower median of the whole tensor, or `(values, indices)` "
        "along `dim`."
    )
    return fn


median = public("median")(_median_public("median", _median_all, _median_dim))
nanmedian = public("nanmedian")(_median_public("nanmedian", _nanmedian_all, _nanmedian_dim))


@defop("mode", promote=False, extra=True)
def _mode(xp, a, axis, keepdims):
    if a.ndim == 0:
        return a.copy(), xp.zeros((), dtype=np.int64)
    t = xp.moveaxis(a, axis, -1)
    lead = t.shape[:-1]
    n = t.shape[-1]
    t = t.reshape(-1, n)
    order = xp.argsort(t, axis=-1, kind="stable")
    s = xp.take_along_axis(t, order, -1)
    # runs of equal values in each sorted row: where each starts and ends
    pos = xp.arange(n)
    new = xp.ones(s.shape, dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    start = _accumulate(xp, "maximum", xp.where(new, pos, 0), -1)
    last = xp.ones(s.shape, dtype=bool)
    last[:, :-1] = new[:, 1:]
    end = xp.flip(_accumulate(xp, "minimum", xp.flip(xp.where(last, pos, n), -1), -1), -1)
    # the longest run; argmax takes the first, i.e. the smallest value among equally long ones
    best = xp.argmax(end - start, axis=-1)[:, None]
    bstart = xp.take_along_axis(start, best, -1)
    # PyTorch reports the last occurrence of the value
    idx = xp.where(start == bstart, order, -1).max(axis=-1).astype(np.int64)
    vals = xp.take_along_axis(s, best, -1)[:, 0]
    vals = vals.reshape(lead)
    idx = idx.reshape(lead)
    if keepdims:
        vals = xp.expand_dims(vals, axis)
        idx = xp.expand_dims(idx, axis)
    return vals, idx


_mode.defgrad(_select_rule)


@public("mode")
def mode(input, dim=-1, keepdim=False, *, out=None):
    """Mirrors `torch.mode`: the most frequent value (the smallest of equally frequent ones)
    and its last index."""
    d = _wrap_dim(dim, input._data.ndim)
    _check_nonempty("mode", input, (d,))
    v, i = apply(_mode, (input,), {"axis": d, "keepdims": keepdim})
    return RT.mode((v, i))


# ---------------------------------------------------------------- unique
def _unique_result(out, inv, cnt, return_inverse, return_counts, input):
    dev = input._device
    res = [_new_tensor(out, input._dtype, dev)]
    if return_inverse:
        res.append(_new_tensor(inv.astype(np.int64, copy=False), D.int64, dev))
    if return_counts:
        res.append(_new_tensor(cnt.astype(np.int64, copy=False), D.int64, dev))
    return res[0] if len(res) == 1 else tuple(res)


def _unique_dim(input, dim):
    nd = input._data.ndim
    if nd == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = _wrap_dim(dim, nd)
    # torch's unique_dim kernels: an empty slice shape is ill-formed unless the only empty dim
    # is the selected one (whose result is then empty too)
    zeros = input._data.shape.count(0)
    if input._data.shape[d] == 0 and zeros > 1:
        raise RuntimeError(
            "Number of zero sized dimensions is more than one, so unique cannot be applied "
        )
    if input._data.shape[d] != 0 and zeros:
        raise RuntimeError(
            "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied"
        )
    return d


@public("unique")
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """Mirrors `torch.unique` (results are always sorted, as PyTorch's CPU kernel gives;
    the output carries no gradient)."""
    a = input._data
    xp = input._device.xp
    if dim is None:
        out, inv, cnt = xp.unique(
            a.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False
        )
        inv = inv.reshape(a.shape)
    else:
        d = _unique_dim(input, dim)
        out, inv, cnt = xp.unique(
            a, return_inverse=True, return_counts=True, axis=d, equal_nan=False
        )
        inv = inv.reshape(-1)
    return _unique_result(out, inv, cnt, return_inverse, return_counts, input)


@public("unique_consecutive")
def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Mirrors `torch.unique_consecutive`: collapse runs of equal elements (or slices)."""
    a = input._data
    xp = input._device.xp
    if dim is None:
        flat = a.reshape(-1)
        change = flat[1:] != flat[:-1]
        d = 0
    else:
        d = _unique_dim(input, dim)
        flat = a
        m = xp.moveaxis(a, d, 0)
        rest = 1
        for s in m.shape[1:]:
            rest *= s
        diff = (m[1:] != m[:-1]).reshape(_pymax(m.shape[0] - 1, 0), rest)
        change = diff.any(axis=1)
    n = flat.shape[d]
    starts = xp.concatenate([xp.ones(_pymin(n, 1), dtype=bool), change])
    where = xp.nonzero(starts)[0]
    out = xp.take(flat, where, axis=d)
    inv = xp.cumsum(starts) - 1
    cnt = xp.diff(xp.concatenate([where, xp.asarray([n])]))
    if dim is None:
        inv = inv.reshape(a.shape)
    return _unique_result(out, inv, cnt, return_inverse, return_counts, input)
