"""Shape ops that reorder or replicate elements: flip, roll, movedim, diagonals, triangles,
repeats. Loaded by shape.py; same conventions (forward on raw arrays, rule written against `F`)."""

import numpy as _np

from .._tensor import _wrap_dim
from ._bind import method, public
from ._registry import apply, defop
from .shape import _finish_out, _norm_shape, _permute, _shape_op, _view, clone, expand, reshape


# ---------------------------------------------------------------- flip / roll / movedim
@defop("flip", promote=False)
def _flip(xp, a, axis):
    # numpy's flip is a view with negative strides; PyTorch's flip is a copy
    return xp.flip(a, axis).copy()


@_flip.defgrad
def _(F, g, out, a, need, extra, axis):
    return (F.flip(g, axis),)


def _dims_tuple(dims):
    if isinstance(dims, int):
        return (dims,)
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        return tuple(dims[0])
    return tuple(dims)


@public("flip")
def flip(input, *args, dims=None):
    """Mirrors `torch.flip` (dims as a tuple; also `x.flip(0, 1)`)."""
    if dims is None:
        dims = args[0] if len(args) == 1 else args
    dims = _dims_tuple(dims)
    nd = input._data.ndim
    axes = tuple(_wrap_dim(d, nd) for d in dims)
    if len(set(axes)) != len(axes):
        for a in axes:
            if axes.count(a) > 1:
                raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
    if nd == 0:
        axes = ()
    return apply(_flip, (input,), {"axis": axes})


@public("fliplr")
def fliplr(input):
    """Mirrors `torch.fliplr`."""
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


@public("flipud")
def flipud(input):
    """Mirrors `torch.flipud`."""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


@defop("roll", promote=False)
def _roll(xp, a, shift, axis):
    out = xp.roll(a, shift, axis)
    # torch's result is contiguous whatever the input's layout
    return out if out.flags.c_contiguous else xp.ascontiguousarray(out)


@_roll.defgrad
def _(F, g, out, a, need, extra, shift, axis):
    neg = tuple(-s for s in shift) if isinstance(shift, tuple) else -shift
    return (F.roll(g, neg, axis),)


@public("roll")
def roll(input, shifts, dims=None):
    """Mirrors `torch.roll` (without dims: over the flattened tensor)."""
    nd = input._data.ndim
    if dims is None or (isinstance(dims, (tuple, list)) and len(dims) == 0):
        s = _dims_tuple(shifts)
        if len(s) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(s)}, dims:0")
        return apply(_roll, (input,), {"shift": int(s[0]), "axis": None})
    s = _dims_tuple(shifts)
    d = _dims_tuple(dims)
    if len(s) != len(d):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(s)}, dims:{len(d)}")
    axes = tuple(_wrap_dim(x, nd) for x in d)
    if nd == 0:
        return apply(_roll, (input,), {"shift": 0, "axis": None})
    return apply(_roll, (input,), {"shift": tuple(int(v) for v in s), "axis": axes})


@public("movedim", "moveaxis")
def movedim(input, source, destination):
    """Mirrors `torch.movedim`: a permuted view."""
    nd = input._data.ndim
    src = list(_dims_tuple(source))
    dst = list(_dims_tuple(destination))
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({src} dims) should contain "
            f"the same number of dims as destination ({dst} dims)"
        )
    ws = [_wrap_dim(d, nd) for d in src]
    wd = [_wrap_dim(d, nd) for d in dst]
    if len(set(ws)) != len(ws):
        raise RuntimeError(f"movedim: repeated dim in `source` ({src})")
    if len(set(wd)) != len(wd):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({dst})")
    if nd == 0:
        return _shape_op(_view, input, ())
    order = [i for i in range(nd) if i not in ws]
    for dd, ss in sorted(zip(wd, ws)):
        order.insert(dd, ss)
    return apply(_permute, (input,), {"dims": tuple(order)})


# ---------------------------------------------------------------- diagonals, triangles
def _diag_view(xp, a, offset, axis1, axis2):
    d = a.diagonal(offset, axis1, axis2)
    if xp is _np and not d.flags.writeable and a.flags.writeable:
        # numpy hands out diagonals read-only; PyTorch's diagonal is a writable view
        d.flags.writeable = True
    return d


@defop("diagonal", promote=False, view=True)
def _diagonal(xp, a, offset, axis1, axis2):
    return _diag_view(xp, a, offset, axis1, axis2)


@_diagonal.defgrad
def _(F, g, out, a, need, extra, offset, axis1, axis2):
    return (F.diag_place(g, a.shape, offset, axis1, axis2),)


def _diag_dims(nd, dim1, dim2):
    d1 = _wrap_dim(dim1, nd)
    d2 = _wrap_dim(dim2, nd)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


@public("diagonal")
def diagonal(input, offset=0, dim1=0, dim2=1):
    """Mirrors `torch.diagonal`: a view of the diagonal in dims (dim1, dim2), last."""
    d1, d2 = _diag_dims(input._data.ndim, dim1, dim2)
    return apply(_diagonal, (input,), {"offset": int(offset), "axis1": d1, "axis2": d2})


_diagonal_view = diagonal


@defop("diagonal_scatter", promote=False)
def _diagonal_scatter(xp, a, src, offset, axis1, axis2):
    out = a.copy()
    _diag_view(xp, out, offset, axis1, axis2)[...] = src
    return out


@_diagonal_scatter.defgrad
def _(F, g, out, a, src, need, extra, offset, axis1, axis2):
    ga = F.diag_zero(g, offset, axis1, axis2) if need[0] else None
    gs = F.diagonal(g, offset, axis1, axis2) if need[1] else None
    return ga, gs


@public("diagonal_scatter")
def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """Mirrors `torch.diagonal_scatter`: a copy of input with src on the diagonal."""
    d1, d2 = _diag_dims(input._data.ndim, dim1, dim2)
    want = input._data.diagonal(int(offset), d1, d2).shape
    if src._data.shape != want:
        raise RuntimeError(
            f"expected src to have a size equal to the slice of self. src size = "
            f"{list(src._data.shape)}, slice size = {list(want)}"
        )
    if src._dtype is not input._dtype:
        src = src.to(input._dtype)
    params = {"offset": int(offset), "axis1": d1, "axis2": d2}
    return apply(_diagonal_scatter, (input, src), params)


@defop("diag_embed", promote=False)
def _diag_embed(xp, a, offset, dim1, dim2):
    n = a.shape[-1] + abs(offset)
    rest = iter(a.shape[:-1])
    shape = [n if i in (dim1, dim2) else next(rest) for i in range(a.ndim + 1)]
    out = xp.zeros(shape, dtype=a.dtype)
    _diag_view(xp, out, offset, dim1, dim2)[...] = a
    return out


@_diag_embed.defgrad
def _(F, g, out, a, need, extra, offset, dim1, dim2):
    return (F.diagonal(g, offset, dim1, dim2),)


@public("diag_embed")
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Mirrors `torch.diag_embed`: the last dim of input on diagonals of new (dim1, dim2)."""
    nd = input._data.ndim + 1
    d1, d2 = _diag_dims(nd, dim1, dim2)
    return apply(_diag_embed, (input,), {"offset": int(offset), "dim1": d1, "dim2": d2})


@public("diag")
def diag(input, diagonal=0, *, out=None):
    """Mirrors `torch.diag`: 1-D -> square matrix with it on a diagonal; 2-D -> that diagonal."""
    if out is not None:
        from .elementwise import _out

        return _out(diag(input, diagonal), out)
    nd = input._data.ndim
    if nd == 1:
        return diag_embed(input, diagonal, 0, 1)
    if nd == 2:
        return clone(_diagonal_view(input, diagonal, 0, 1))
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {nd}D")


def _diag_place_arr(g, shape, offset, axis1, axis2):
    from ._indexing import xp_of

    xp = xp_of(g)
    out = xp.zeros(shape, dtype=g.dtype)
    _diag_view(xp, out, offset, axis1, axis2)[...] = g
    return out


def _diag_place_t(g, shape, offset, axis1, axis2):
    from .._creation import zeros

    z = zeros(tuple(shape), dtype=g._dtype, device=g._device)
    return apply(_diagonal_scatter, (z, g), {"offset": offset, "axis1": axis1, "axis2": axis2})


def _diag_zero_arr(g, offset, axis1, axis2):
    from ._indexing import xp_of

    out = xp_of(g).array(g)
    _diag_view(xp_of(g), out, offset, axis1, axis2)[...] = 0
    return out


def _diag_zero_t(g, offset, axis1, axis2):
    return apply(_diagonal_scatter, (g, 0), {"offset": offset, "axis1": axis1, "axis2": axis2})


@defop("tril", promote=False)
def _tril(xp, a, k):
    return xp.tril(a, k)


@_tril.defgrad
def _(F, g, out, a, need, extra, k):
    return (F.tril(g, k),)


@defop("triu", promote=False)
def _triu(xp, a, k):
    return xp.triu(a, k)


@_triu.defgrad
def _(F, g, out, a, need, extra, k):
    return (F.triu(g, k),)


def _tri(op, name, input, diagonal):
    if input._data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return apply(op, (input,), {"k": int(diagonal)})


@public("tril")
def tril(input, diagonal=0, *, out=None):
    """Mirrors `torch.tril`."""
    return _finish_out(_tri(_tril, "tril", input, diagonal), out)


@public("triu")
def triu(input, diagonal=0, *, out=None):
    """Mirrors `torch.triu`."""
    return _finish_out(_tri(_triu, "triu", input, diagonal), out)


@method("tril_")
def tril_(self, diagonal=0):
    """Mirrors `torch.Tensor.tril_`."""
    from ._inplace import inplace

    return inplace(self, tril, diagonal)


@method("triu_")
def triu_(self, diagonal=0):
    """Mirrors `torch.Tensor.triu_`."""
    from ._inplace import inplace

    return inplace(self, triu, diagonal)


# ---------------------------------------------------------------- repeat / tile
@defop("repeat", promote=False)
def _repeat(xp, a, reps):
    return xp.tile(a, reps)


@_repeat.defgrad
def _(F, g, out, a, need, extra, reps):
    # output dim i is reps[i] copies of the (padded) input dim: split it and sum the copies
    shape = tuple(a.shape)
    pad = (1,) * (len(reps) - len(shape)) + shape
    inter = []
    for r, s in zip(reps, pad):
        inter += [r, s]
    if not reps:
        return (g,)
    gg = F.sum(F.reshape(g, tuple(inter)), axis=tuple(range(0, 2 * len(reps), 2)))
    return (F.reshape(gg, shape),)


@method("repeat")
def repeat(self, *sizes):
    """Mirrors `torch.Tensor.repeat`."""
    reps = _norm_shape(sizes) if sizes else ()
    shape = self._data.shape
    if len(reps) < len(shape):
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor"
        )
    pad = (1,) * (len(reps) - len(shape)) + shape
    new = [r * s for r, s in zip(reps, pad)]
    for r in reps:
        if r < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {min(new)}: {new}"
            )
    return apply(_repeat, (self,), {"reps": reps})


@public("tile")
def tile(input, dims):
    """Mirrors `torch.tile`: `repeat` with dims padded by ones in front."""
    dims = _dims_tuple(dims)
    nd = input._data.ndim
    if len(dims) < nd:
        dims = (1,) * (nd - len(dims)) + dims
    return repeat(input, dims)


@public("repeat_interleave")
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Mirrors `torch.repeat_interleave` (int or tensor repeats)."""
    from .._tensor import Tensor

    if repeats is None:
        # torch.repeat_interleave(r): each index i repeated r[i] times
        from .. import _dtype as D
        from .._tensor import _new_tensor

        r = _host(input._data)
        idx = _np.repeat(_np.arange(r.shape[0]), r)
        return _new_tensor(input._device.xp.asarray(idx), D.int64, input._device)
    if dim is None:
        input = reshape(input, (-1,))
        dim = 0
    shape = input._data.shape
    d = _wrap_dim(dim, len(shape))
    if isinstance(repeats, Tensor) and repeats._data.ndim == 0:
        repeats = int(repeats)
    if not isinstance(repeats, Tensor):
        return _repeat_int(input, d, int(repeats))
    r = repeats._data
    n = shape[d] if shape else 1
    if r.size == 1:
        return _repeat_int(input, d, int(r.reshape(())))
    if r.shape[0] != n:
        raise RuntimeError(
            "repeats must have the same size as input along dim, but got repeats.size(0) = "
            f"{r.shape[0]} and input.size({d}) = {n}"
        )
    if r.size and int(r.min()) < 0:
        raise RuntimeError("repeats can not be negative")
    # the gather index is built on the host (CuPy's repeat takes no array of counts)
    idx = _np.repeat(_np.arange(n), _host(r))
    from .index import index_select

    return index_select(input, d, idx)


def _host(a):
    return a if a.__class__ is _np.ndarray else a.get()


def _repeat_int(input, d, r):
    if r < 0:
        raise RuntimeError("Repeats must be non-negative")
    shape = input._data.shape
    if not shape:
        input = _shape_op(_view, input, (1,))
        shape = (1,)
    if r == 1:
        # torch always returns a new tensor: a view here would let writes reach the input
        from .shape import clone

        input = clone(input)
    # insert a dim after d, expand it to r, and merge: a view then one copy
    u = _shape_op(_view, input, shape[: d + 1] + (1,) + shape[d + 1 :])
    e = expand(u, shape[: d + 1] + (r,) + shape[d + 1 :])
    # contiguous first: reshape alone may keep a stride-0 view of the input (0-d input)
    return reshape(e.contiguous(), shape[:d] + (shape[d] * r,) + shape[d + 1 :])


def _register_ns():
    from ._namespace import register_ns

    register_ns("diag_place", _diag_place_arr, _diag_place_t)
    register_ns("diag_zero", _diag_zero_arr, _diag_zero_t)


_register_ns()
