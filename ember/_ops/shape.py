"""Shape ops. View ops (`view=True`) return arrays sharing memory with their input; the
result shares the input's version counter and remembers how it was cut from it, so an
in-place write to the view can update the base's graph (see _inplace.py)."""

from ._registry import defop, apply
from ._bind import public, method
from .._tensor import Size, _wrap_dim

_E = {}


def _norm_shape(shape):
    # accept view(2, 3), view((2, 3)), view([2, 3]) and torch.Size
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = shape[0]
    return tuple(int(s) for s in shape)


def _infer_shape(shape, numel, orig):
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if neg:
        if known == 0 or numel % known:
            raise RuntimeError(
                f"shape '{list(shape)}' is invalid for input of size {numel}"
            )
        shape = list(shape)
        shape[neg[0]] = numel // known
        return tuple(shape)
    if known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


# ---------------------------------------------------------------- clone / contiguous
@defop("clone", promote=False)
def _clone(xp, a):
    return a.copy()


@_clone.defgrad
def _(F, g, out, a, need, extra):
    return (g,)


@public("clone")
def clone(input, *, memory_format=None):
    """Mirrors `torch.clone`."""
    return apply(_clone, (input,), _E)


@method("contiguous")
def contiguous(self, memory_format=None):
    """Mirrors `torch.Tensor.contiguous`: self when already C-contiguous."""
    if self._data.flags.c_contiguous:
        return self
    return clone(self)


# ---------------------------------------------------------------- reshape / view
@defop("view", promote=False, view=True)
def _view(xp, a, shape):
    return a.reshape(shape)


@_view.defgrad
def _(F, g, out, a, need, extra, shape):
    return (F.reshape(g, a.shape),)


@defop("reshape_copy", promote=False, grad_name="ReshapeAliasBackward0")
def _reshape_copy(xp, a, shape):
    return a.reshape(shape)


@_reshape_copy.defgrad
def _(F, g, out, a, need, extra, shape):
    return (F.reshape(g, a.shape),)


@method("view")
def view(self, *shape):
    """Mirrors `torch.Tensor.view` (shape form; a dtype argument reinterprets the bytes)."""
    if len(shape) == 1 and not isinstance(shape[0], (int, tuple, list, Size)):
        from .. import _dtype as D

        dt = D.to_dtype(shape[0])
        from .._tensor import _new_tensor

        return _new_tensor(self._data.view(dt.np), dt, self._device)
    shape = _infer_shape(_norm_shape(shape), self._data.size, self._data.shape)
    a = self._data
    if not a.flags.c_contiguous and a.size > 1:
        # numpy would copy; a view must not
        try:
            v = a.view()
            v.shape = shape
        except AttributeError:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
            ) from None
    return _shape_op(_view, self, shape)


def _shape_op(op, self, shape):
    return apply(op, (self,), {"shape": shape})


@public("reshape")
def reshape(input, *shape):
    """Mirrors `torch.reshape`: a view when the memory layout allows, else a copy."""
    shape = _infer_shape(_norm_shape(shape), input._data.size, input._data.shape)
    if input._data.flags.c_contiguous or input._data.size <= 1:
        return _shape_op(_view, input, shape)
    return _shape_op(_reshape_copy, input, shape)


@method("view_as")
def view_as(self, other):
    return view(self, other._data.shape)


@method("reshape_as")
def reshape_as(self, other):
    return reshape(self, other._data.shape)


@public("flatten")
def flatten(input, start_dim=0, end_dim=-1):
    """Mirrors `torch.flatten`."""
    shape = input._data.shape
    nd = len(shape)
    if nd == 0:
        return reshape(input, (1,))
    s = _wrap_dim(start_dim, nd)
    e = _wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    n = 1
    for d in shape[s : e + 1]:
        n *= d
    return reshape(input, shape[:s] + (n,) + shape[e + 1 :])


@public("unflatten")
def unflatten(input, dim, sizes):
    """Mirrors `torch.unflatten`."""
    shape = input._data.shape
    d = _wrap_dim(dim, len(shape))
    sizes = tuple(sizes)
    sizes = _infer_shape(sizes, shape[d], None) if -1 in sizes else sizes
    n = 1
    for s in sizes:
        n *= s
    if n != shape[d]:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
            f"{dim} ({shape[d]}) in the input tensor"
        )
    return reshape(input, shape[:d] + sizes + shape[d + 1 :])


@public("squeeze")
def squeeze(input, dim=None):
    """Mirrors `torch.squeeze` (dim may be an int or a tuple)."""
    shape = input._data.shape
    nd = len(shape)
    if dim is None:
        new = tuple(s for s in shape if s != 1)
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        dims = {_wrap_dim(d, nd) for d in dims}
        new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
    if new == shape:
        return _shape_op(_view, input, shape)
    return _shape_op(_view, input, new)


@public("unsqueeze")
def unsqueeze(input, dim):
    """Mirrors `torch.unsqueeze`."""
    shape = input._data.shape
    d = _wrap_dim(dim, len(shape) + 1)
    return _shape_op(_view, input, shape[:d] + (1,) + shape[d:])


# ---------------------------------------------------------------- permute / transpose
@defop("permute", promote=False, view=True)
def _permute(xp, a, dims):
    return a.transpose(dims)


@_permute.defgrad
def _(F, g, out, a, need, extra, dims):
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return (F.transpose(g, tuple(inv)),)


@public("permute")
def permute(input, *dims):
    """Mirrors `torch.permute`."""
    dims = _norm_shape(dims)
    nd = input._data.ndim
    if len(dims) != nd:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {nd} is not equal "
            f"to len(dims) = {len(dims)}"
        )
    dims = tuple(_wrap_dim(d, nd) for d in dims)
    if len(set(dims)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return apply(_permute, (input,), {"dims": dims})


@public("transpose", "swapaxes", "swapdims")
def transpose(input, dim0, dim1):
    """Mirrors `torch.transpose`."""
    nd = input._data.ndim
    if nd == 0:
        _wrap_dim(dim0, nd)
        _wrap_dim(dim1, nd)
        return _shape_op(_view, input, ())
    d0 = _wrap_dim(dim0, nd)
    d1 = _wrap_dim(dim1, nd)
    dims = list(range(nd))
    dims[d0] = d1
    dims[d1] = d0
    return apply(_permute, (input,), {"dims": tuple(dims)})


@public("t")
def t(input):
    """Mirrors `torch.t`: transpose of a tensor with at most 2 dimensions."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    if nd < 2:
        return _shape_op(_view, input, input._data.shape)
    return transpose(input, 0, 1)


def _T(self):
    nd = self._data.ndim
    if nd < 2:
        return self
    return apply(_permute, (self,), {"dims": tuple(range(nd - 1, -1, -1))})


def _mT(self):
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.")
    return transpose(self, -2, -1)


def _install_properties():
    from .._tensor import Tensor

    Tensor.T = property(_T)
    Tensor.mT = property(_mT)
    Tensor.H = property(lambda self: _T(self).conj() if self._dtype.is_complex else _T(self))
    Tensor.mH = property(lambda self: _mT(self).conj() if self._dtype.is_complex else _mT(self))


_install_properties()


# ---------------------------------------------------------------- expand / broadcast
@defop("expand", promote=False, view=True)
def _expand(xp, a, shape):
    return xp.broadcast_to(a, shape)


@_expand.defgrad
def _(F, g, out, a, need, extra, shape):
    return (F.sum_to(g, a.shape),)


@method("expand")
def expand(self, *sizes):
    """Mirrors `torch.Tensor.expand` (-1 keeps a size)."""
    sizes = _norm_shape(sizes)
    shape = self._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand({self.type()}{{{list(shape)}}}, size={list(sizes)}): the number of sizes "
            "provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor "
            f"({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    new = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s == -1:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            new.append(s)
            continue
        old = shape[i - lead]
        if s == -1:
            s = old
        elif old != 1 and old != s:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({old}) at "
                f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                f"{list(shape)}"
            )
        new.append(s)
    new = tuple(new)
    if new == shape:
        return _shape_op(_view, self, shape)
    return _shape_op(_expand, self, new)


@method("expand_as")
def expand_as(self, other):
    return expand(self, other._data.shape)


@public("broadcast_to")
def broadcast_to(input, size):
    """Mirrors `torch.broadcast_to`."""
    return expand(input, tuple(size))


# ---------------------------------------------------------------- copy_slices (in-place on views)
@defop("copy_slices", promote=False, grad_name="CopySlices")
def _copy_slices(xp, base, value, view_fn):
    out = base.copy()
    view_fn(out)[...] = value
    return out


@_copy_slices.defgrad
def _(F, g, out, base, value, need, extra, view_fn):
    gb = None
    gv = None
    if need[0]:
        gb = F.masked_region_zero(g, view_fn)
    if need[1]:
        gv = F.apply_view(g, view_fn)
    return gb, gv


def copy_slices(base, view, view_fn):
    """The base after `view` (cut from base by view_fn) was overwritten in place."""
    from ..autograd.grad_mode import no_grad

    # the base's data is already updated through memory sharing; only the graph is built here
    old = _snapshot(base)
    res = apply(_copy_slices, (old, view), {"view_fn": view_fn})
    del no_grad
    return res


def _snapshot(t):
    from .._tensor import _new_tensor

    s = _new_tensor(t._data, t._dtype, t._device)
    s._node = t._node
    s._rg = t._rg
    return s
