"""Mirrors `torch.nn.modules.padding`: zero, constant, reflection, replication and circular
padding layers."""

from ..._ops import nn_misc as _misc
from .module import Module

__all__ = [
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]


def _ntuple(value, n):
    if isinstance(value, int):
        return (value,) * n
    return tuple(value)


class _ConstantPadNd(Module):
    __constants__ = ("padding", "value")
    _n = 2

    def __init__(self, padding, value):
        super().__init__()
        self.padding = _ntuple(padding, 2 * self._n)
        self.value = value

    def forward(self, input):
        return _misc.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Mirrors `torch.nn.ConstantPad1d`."""

    _n = 1


class ConstantPad2d(_ConstantPadNd):
    """Mirrors `torch.nn.ConstantPad2d`."""

    _n = 2


class ConstantPad3d(_ConstantPadNd):
    """Mirrors `torch.nn.ConstantPad3d`."""

    _n = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Mirrors `torch.nn.ZeroPad1d`."""

    _n = 1


class ZeroPad2d(_ZeroPadNd):
    """Mirrors `torch.nn.ZeroPad2d`."""

    _n = 2


class ZeroPad3d(_ZeroPadNd):
    """Mirrors `torch.nn.ZeroPad3d`."""

    _n = 3


class _ModePadNd(Module):
    __constants__ = ("padding",)
    _n = 2
    _mode = "reflect"

    def __init__(self, padding):
        super().__init__()
        self.padding = _ntuple(padding, 2 * self._n)

    def forward(self, input):
        if self._mode == "circular":
            # torch's CircularPadNd modules check the rank themselves (ValueError)
            nd = input.ndim
            if nd not in (self._n + 1, self._n + 2):
                raise ValueError(
                    f"expected {self._n + 1}D or {self._n + 2}D input (got {nd}D input)"
                )
        return _misc.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


def _mode_class(name, n, mode):
    doc = f"Mirrors `torch.nn.{name}`."
    return type(name, (_ModePadNd,), {"_n": n, "_mode": mode, "__doc__": doc,
                                      "__module__": __name__})


ReflectionPad1d = _mode_class("ReflectionPad1d", 1, "reflect")
ReflectionPad2d = _mode_class("ReflectionPad2d", 2, "reflect")
ReflectionPad3d = _mode_class("ReflectionPad3d", 3, "reflect")
ReplicationPad1d = _mode_class("ReplicationPad1d", 1, "replicate")
ReplicationPad2d = _mode_class("ReplicationPad2d", 2, "replicate")
ReplicationPad3d = _mode_class("ReplicationPad3d", 3, "replicate")
CircularPad1d = _mode_class("CircularPad1d", 1, "circular")
CircularPad2d = _mode_class("CircularPad2d", 2, "circular")
CircularPad3d = _mode_class("CircularPad3d", 3, "circular")
