"""`Tensor.copy_`: write another tensor's values (any dtype, device, broadcastable shape) into
self, with autograd: the gradient goes to the source, none to self's overwritten value."""

import numpy as np

from ._registry import defop, apply
from ._bind import method
from ._inplace import check_leaf, bump, adopt
from ..autograd.grad_mode import GRAD


# torch names the node with its namespace, as for CopySlices (its class is CopyBackwards)
@defop("copy_", promote=False, grad_name="torch::autograd::CopyBackwards")
def _copy(xp, dst, src, dtype):
    return xp.broadcast_to(src.astype(dtype, copy=False), dst.shape).copy()


@_copy.defgrad
def _(F, g, out, dst, src, need, extra, dtype):
    gd = F.zeros(dst.shape, g) if need[0] else None
    gs = F.sum_to(g, src.shape) if need[1] else None
    return gd, gs


def _shape_error(dst, src):
    raise RuntimeError(
        f"output with shape {list(dst)} doesn't match the broadcast shape "
        f"{list(np.broadcast_shapes(dst, src))}"
    )


@method("copy_")
def copy_(self, src, non_blocking=False):
    """Mirrors `torch.Tensor.copy_`: casts, moves across devices and broadcasts `src`."""
    from .._tensor import Tensor
    from .._creation import tensor
    from .._device import move

    if not isinstance(src, Tensor):
        src = tensor(src)
    check_leaf(self)
    dshape = self._data.shape
    sshape = src._data.shape
    try:
        if np.broadcast_shapes(dshape, sshape) != dshape:
            _shape_error(dshape, sshape)
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({dshape[-1] if dshape else 1}) must match the size of tensor "
            f"b ({sshape[-1] if sshape else 1}) at non-singleton dimension "
            f"{max(len(dshape) - 1, 0)}"
        ) from None
    data = src._data
    if src._device is not self._device:
        data = move(data, self._device)
    recording = GRAD.enabled and (self._rg or src._rg) and self._dtype._kind >= 2
    if recording:
        moved = src if src._device is self._device else src.to(self._device)
        r = apply(_copy, (_snapshot(self), moved), {"dtype": self._dtype.np})
        self._data[...] = r._data
        bump(self)
        adopt(self, r._node)
        return self
    if data.dtype != self._data.dtype:
        if self._dtype._kind < 2 and data.dtype.kind in "fc" and self._data.dtype.kind != "b":
            # float to int truncates toward zero, as C casts (and PyTorch) do; to bool is
            # "nonzero" (0.5 is True), which astype does
            data = np.trunc(data.real if data.dtype.kind == "c" else data) if \
                self._device.type == "cpu" else data
        data = data.astype(self._data.dtype)
    try:
        self._data[...] = data
    except ValueError as e:
        from ._inplace import overlap_error

        overlap_error(self._data, e)
        raise
    bump(self)
    return self


def _snapshot(t):
    # self before the write: same node, data no longer needed by the rule (it saves nothing)
    from .._tensor import _new_tensor

    s = _new_tensor(t._data, t._dtype, t._device)
    s._node = t._node
    s._rg = t._rg
    return s
