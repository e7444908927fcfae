"""Mirrors `torch.memory_format`: contiguous_format, channels_last, channels_last_3d and
preserve_format. NumPy arrays take any strides, so channels-last layouts are real here."""


class memory_format:
    """A memory layout name. Mirrors `torch.memory_format`."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))


def _by_name(name):
    return globals()[name]


contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
preserve_format = memory_format("preserve_format")


def channel_order(fmt, ndim):
    """The axes, outermost first, of a channels-last layout of rank `ndim` (None for other
    formats or ranks)."""
    if fmt is channels_last and ndim == 4:
        return (0, 2, 3, 1)
    if fmt is channels_last_3d and ndim == 5:
        return (0, 2, 3, 4, 1)
    return None


def check_rank(fmt, ndim):
    if fmt is channels_last and ndim != 4:
        raise RuntimeError("required rank 4 tensor to use channels_last format")
    if fmt is channels_last_3d and ndim != 5:
        raise RuntimeError("required rank 5 tensor to use channels_last_3d format")


def in_order(arr, order):
    """An array laid out in memory with axes `order` outermost first (values unchanged)."""
    import numpy as np

    xp = np if arr.__class__ is np.ndarray else __import__("cupy")
    moved = xp.ascontiguousarray(arr.transpose(order))
    back = [0] * len(order)
    for i, ax in enumerate(order):
        back[ax] = i
    return moved.transpose(back)


def is_in_order(arr, order):
    """True when `arr` is dense with axes `order` outermost first (size-1 axes are free)."""
    expected = arr.itemsize
    for ax in reversed(order):
        n = arr.shape[ax]
        if n != 1 and arr.strides[ax] != expected:
            return False
        expected *= n
    return True
