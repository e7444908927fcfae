"""In-place ops: compute out of place, write the result through `self`'s memory, bump the
version counter, and move `self` (and the base it is a view of) onto the new graph node."""

from ..autograd.grad_mode import GRAD
from .._dtype import promote_types  # noqa: F401
from .._tensor import _new_tensor

_TORCH_NAMES = {
    "bool": "Bool",
    "uint8": "Byte",
    "int8": "Char",
    "int16": "Short",
    "int32": "Int",
    "int64": "Long",
    "float16": "Half",
    "bfloat16": "BFloat16",
    "float32": "Float",
    "float64": "Double",
    "complex64": "ComplexFloat",
    "complex128": "ComplexDouble",
}


def check_leaf(self):
    if not GRAD.enabled:
        return
    if self._rg and self._node is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )
    vo = self._view_of
    while vo is not None:
        base = vo[0]
        if base._rg and base._node is None:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation."
            )
        vo = base._view_of


def inplace(self, fn, *args, **kwargs):
    """`self = fn(self, *args, **kwargs)` in place. Returns self."""
    check_leaf(self)
    if not (GRAD.enabled and (self._rg or _any_rg(args))):
        try:
            r = fn(self, *args, **kwargs)
        except RuntimeError:
            _shape_first(self, args)
            raise
        assign(self, r, False)
        return self
    # self's old value as the operand: same memory and graph position, a version counter of
    # its own, so the node records an edge to self's old node (as PyTorch's does)
    src = _new_tensor(self._data, self._dtype, self._device)
    src._node = self._node
    src._rg = self._rg
    try:
        r = fn(src, *args, **kwargs)
    except RuntimeError:
        _shape_first(self, args)
        raise
    v = src._vc
    if v is not None:
        # an op saved the old value (or cut a view of it): the write below would destroy it,
        # so the saved tensor gets a copy; views of the old memory are marked stale, so using
        # them in backward raises instead of reading the new values
        src._data = self._data.copy()
        v[0] += 1
        src._vc = [0]
    assign(self, r, True)
    return self


def _shape_first(self, args):
    """The op failed (an integer division by zero, say): torch sizes the in-place output before
    it computes anything, so an operand that broadcasts self to a bigger shape is the error to
    give. Only the failure path pays for this."""
    sshape = self._data.shape
    bshape = sshape
    for a in args:
        data = getattr(a, "_data", None)
        if data is not None and data.shape != sshape:
            try:
                bshape = _broadcast_shape(bshape, data.shape)
            except RuntimeError:
                return
    if bshape != sshape:
        raise RuntimeError(
            f"output with shape {list(sshape)} doesn't match the broadcast shape {list(bshape)}"
        ) from None


def _any_rg(args):
    for a in args:
        if getattr(a, "_rg", False):
            return True
    return False


def check_cast(self, r):
    rd = r._dtype
    sd = self._dtype
    if rd is not sd and rd._kind > sd._kind:
        raise RuntimeError(
            f"result type {_TORCH_NAMES[rd.name]} can't be cast to the desired output type "
            f"{_TORCH_NAMES[sd.name]}"
        )


def assign(self, r, recording):
    """Write tensor `r` into `self` (same shape after broadcasting) and rebase the graph."""
    sshape = self._data.shape
    if r._data.shape != sshape:
        # torch checks the shape before the dtype
        rs = r._data.shape
        bshape = _broadcast_shape(sshape, rs)
        if bshape != sshape:
            raise RuntimeError(
                f"output with shape {list(sshape)} doesn't match the broadcast shape "
                f"{list(bshape)}"
            )
    check_cast(self, r)
    data = r._data
    if self._device is not r._device:
        from .._device import move

        data = move(data, self._device)
    try:
        self._data[...] = data
    except ValueError as e:
        overlap_error(self._data, e)
        raise
    bump(self)
    if recording:
        if r._data.shape != sshape:
            from .shape import expand

            r = expand(r, sshape)
        if r._dtype is not self._dtype:
            r = r.to(self._dtype)
        node = r._node
        if node is not None and node.out is r._data:
            # the node saved its output (exp_, sigmoid_): that output is self from now on, so a
            # later in-place change of self is caught, and r's buffer can be freed
            node.out = self._data
            node.out_version = (self._vc, self._vc[0])
        adopt(self, node)


def overlap_error(arr, err):
    """Raise torch's error for a write into an expanded tensor (a stride-0 dimension), which
    NumPy refuses as read-only; return for any other ValueError."""
    if "read-only" in str(err) and any(
            st == 0 and n > 1 for st, n in zip(arr.strides, arr.shape)):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        ) from None


def adopt(self, node):
    """self was just written in place by the op whose graph node is `node` (its version already
    bumped): move self onto that node; a retained `.grad` and the base self is a view of follow.
    """
    if self._retains_grad and node is not None:
        # self's .grad is now the gradient of its new value only (as in PyTorch)
        import weakref

        if self._node is not None:
            self._node.retain = None
        node.retain = weakref.ref(self)
    self._node = node
    self._rg = node is not None
    if self._view_of is not None and node is not None:
        _rebase_base(self)
    if node is not None and "_views" in self.__dict__:
        refresh_views(self)


def bump(self):
    v = self._vc
    if v is None:
        v = self._vc = [0]
    v[0] += 1


def _broadcast_shape(a, b):
    import numpy as np

    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({a[-1] if a else 1}) must match the size of tensor b "
            f"({b[-1] if b else 1}) at non-singleton dimension"
        ) from None


def _rebase_base(view):
    """After an in-place op on a view, give its base a CopySlices node that routes the
    gradient of the written region through the view's new node and the rest to the base's old
    node (the base's data is already updated through the shared memory)."""
    from ..autograd._node import Node, Meta

    base, view_fn = view._view_of
    old = base._node
    if old is None and base._rg:
        old = base
    vd = view._data
    bd = base._data
    node = Node(
        _copy_slices_op(),
        (old, view._node),
        (Meta(bd.shape, bd.dtype), Meta(vd.shape, vd.dtype)),
        (old is not None, view._node is not None),
    )
    node.params = {"view_fn": view_fn}
    if base._retains_grad:
        # the base's retained .grad follows it onto its new node
        import weakref

        if base._node is not None:
            base._node.retain = None
        node.retain = weakref.ref(base)
    base._node = node
    base._rg = True
    # PyTorch regenerates the written view's grad_fn from the base's CopySlices, so it shows
    # as AsStridedBackward0; here the view keeps its op's rule (the same gradient), renamed
    from ._naming import named

    named(view, "AsStridedBackward0")
    if "_views" in base.__dict__:
        refresh_views(base, skip=view)
    if base._view_of is not None:
        _rebase_base(base)


_COPY_SLICES = []


def _copy_slices_op():
    # shape.copy_slices' rule under PyTorch's node name (torch::autograd::CopySlices)
    if not _COPY_SLICES:
        import copy

        from .shape import _copy_slices

        op = copy.copy(_copy_slices)
        op.grad_name = "torch::autograd::CopySlices"
        _COPY_SLICES.append(op)
    return _COPY_SLICES[0]


# ---------------------------------------------------------------- stale views
# A view's graph node describes how it was cut from its base *when it was cut*. After the
# base (or another view of it) is written in place, the view's values come from the new base,
# so its node must be regenerated from the base's new node, as PyTorch does. Bases keep weak
# references to the views cut from them while recording (see _registry._mark_view).


def _view_regen_fwd(xp, base, view_fn):
    return view_fn(base)


def _view_regen_bwd(F, g, out, base, need, extra, view_fn):
    return (F.view_scatter(g, base.shape, view_fn),)


def _view_scatter_array(g, shape, view_fn):
    import numpy as np

    out = np.zeros_like(g, shape=shape)
    view_fn(out)[...] = g
    return out


def _view_scatter_tensor(g, shape, view_fn):
    raise NotImplementedError(
        "double backward through a view whose base was modified in place is not supported"
    )


def _make_view_regen_op():
    from ._registry import Op
    from ._namespace import register_ns

    op = Op("view_regen", _view_regen_fwd, False, False, False, True, False)
    op.grad_name = "AsStridedBackward0"
    op.bwd = _view_regen_bwd
    register_ns("view_scatter", _view_scatter_array, _view_scatter_tensor)
    return op


_VIEW_REGEN = _make_view_regen_op()


def refresh_views(base, skip=None):
    """Give every live view of `base` (except `skip`) a node cut from base's current node."""
    views = base.__dict__.get("_views")
    if not views:
        return
    from ..autograd._node import Node, Meta

    alive = []
    for ref in views:
        v = ref()
        if v is None or v._view_of is None or v._view_of[0] is not base:
            continue
        alive.append(ref)
        if v is skip:
            continue
        parent = base._node if base._node is not None else (base if base._rg else None)
        if parent is None:
            continue
        bd = base._data
        node = Node(_VIEW_REGEN, (parent,), (Meta(bd.shape, bd.dtype),), (True,))
        node.params = {"view_fn": v._view_of[1]}
        v._node = node
        v._rg = True
        refresh_views(v)
    base.__dict__["_views"] = alive


def is_expanded(arr):
    """Whether `arr` is a read-only expanded view (a stride-0 dimension of size > 1)."""
    return not arr.flags.writeable and any(
        st == 0 and n > 1 for st, n in zip(arr.strides, arr.shape))


def writable_view(arr):
    """A writable array over the same memory as the read-only expanded view `arr` (writes
    reach every element that aliases), or None when the memory itself is read-only."""
    import numpy as np

    if arr.__class__ is not np.ndarray:
        return None
    owner = arr
    while True:
        b = getattr(owner, "base", None)
        if b is None:
            break
        owner = b
    if not isinstance(owner, np.ndarray) or not owner.flags.writeable:
        return None
    iface = dict(arr.__array_interface__)
    iface["data"] = (iface["data"][0], False)
    return np.asarray(_Memory(iface, owner)).view(arr.dtype)


class _Memory:
    # an __array_interface__ holder that keeps the owning array alive
    __slots__ = ("__array_interface__", "base")

    def __init__(self, iface, base):
        self.__array_interface__ = iface
        self.base = base


def expanded_warning(name):
    """torch's deprecation warning for masked_fill_ / index_fill_ / index_put_ writing into an
    expanded tensor (the write still happens)."""
    import warnings

    warnings.warn(
        f"Use of {name} on expanded tensors is deprecated. Please clone() the tensor before "
        "performing this operation. This also applies to advanced indexing e.g. "
        + ("tensor[indices] = tensor" if name == "index_put_" else "tensor[mask] = scalar"),
        UserWarning, stacklevel=3)
