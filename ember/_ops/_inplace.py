"""In-place ops: compute out of place, write the result through `self`'s memory, bump the
version counter, and move `self` (and the base it is a view of) onto the new graph node."""

from ..autograd.grad_mode import GRAD
from .._dtype import promote_types

_TORCH_NAMES = {
    "bool": "Bool",
    "uint8": "Byte",
    "int8": "Char",
    "int16": "Short",
    "int32": "Int",
    "int64": "Long",
    "float16": "Half",
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
    recording = GRAD.enabled and (self._rg or _any_rg(args))
    src = self
    if recording:
        # the rule may need self's old value, which the write below destroys: save a copy
        from .shape import clone

        src = clone(self)
    r = fn(src, *args, **kwargs)
    assign(self, r, recording)
    return self


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
    check_cast(self, r)
    sshape = self._data.shape
    if r._data.shape != sshape:
        rs = r._data.shape
        bshape = _broadcast_shape(sshape, rs)
        if bshape != sshape:
            raise RuntimeError(
                f"output with shape {list(sshape)} doesn't match the broadcast shape "
                f"{list(bshape)}"
            )
    data = r._data
    if self._device is not r._device:
        from .._device import move

        data = move(data, self._device)
    self._data[...] = data
    bump(self)
    if recording:
        if r._data.shape != sshape:
            from .shape import expand

            r = expand(r, sshape)
        if r._dtype is not self._dtype:
            r = r.to(self._dtype)
        self._node = r._node
        self._rg = r._rg
        if self._view_of is not None:
            _rebase_base(self)


def bump(self):
    v = self._version
    if v is None:
        v = self._version = [0]
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
    """After an in-place op on a view, give its base a node that routes gradients into it."""
    from .shape import copy_slices

    base, view_fn = view._view_of
    new = copy_slices(base, view, view_fn)
    base._node = new._node
    base._rg = True
    if base._view_of is not None:
        _rebase_base(base)
