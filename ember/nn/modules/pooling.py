"""Mirrors `torch.nn.modules.pooling`: max, average, adaptive, Lp pooling and max unpooling."""

from ..._ops import nn_pool as _pool
from .. import functional as F
from .module import Module

__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "FractionalMaxPool2d",
    "LPPool1d",
    "LPPool2d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool1d",
    "MaxUnpool2d",
    "MaxUnpool3d",
]


def _ntuple(value, n):
    if isinstance(value, int):
        return (value,) * n
    value = tuple(value)
    return value * n if len(value) == 1 else value


class _MaxPoolNd(Module):
    __constants__ = ("kernel_size", "stride", "padding", "dilation", "return_indices",
                     "ceil_mode")
    _n = 2

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input):
        return _pool.max_pool(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices, self._n)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """Mirrors `torch.nn.MaxPool1d`."""

    _n = 1


class MaxPool2d(_MaxPoolNd):
    """Mirrors `torch.nn.MaxPool2d`."""

    _n = 2


class MaxPool3d(_MaxPoolNd):
    """Mirrors `torch.nn.MaxPool3d`."""

    _n = 3


class _AvgPoolNd(Module):
    __constants__ = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")
    _n = 2

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input):
        return _pool.avg_pool(input, self.kernel_size, self.stride, self.padding,
                              self.ceil_mode, self.count_include_pad, self.divisor_override,
                              self._n)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    """Mirrors `torch.nn.AvgPool1d` (which stores its sizes as 1-tuples)."""

    _n = 1

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__(_ntuple(kernel_size, 1),
                         _ntuple(stride if stride is not None else kernel_size, 1),
                         _ntuple(padding, 1), ceil_mode, count_include_pad)


class AvgPool2d(_AvgPoolNd):
    """Mirrors `torch.nn.AvgPool2d`."""

    _n = 2


class AvgPool3d(_AvgPoolNd):
    """Mirrors `torch.nn.AvgPool3d`."""

    _n = 3


class _AdaptiveAvgPoolNd(Module):
    __constants__ = ("output_size",)
    _n = 2

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return _pool.adaptive_avg_pool(input, self.output_size, self._n)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """Mirrors `torch.nn.AdaptiveAvgPool1d`."""

    _n = 1


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """Mirrors `torch.nn.AdaptiveAvgPool2d`."""

    _n = 2


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    """Mirrors `torch.nn.AdaptiveAvgPool3d`."""

    _n = 3


class _AdaptiveMaxPoolNd(Module):
    __constants__ = ("output_size", "return_indices")
    _n = 2

    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def forward(self, input):
        return _pool.adaptive_max_pool(input, self.output_size, self.return_indices, self._n)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """Mirrors `torch.nn.AdaptiveMaxPool1d`."""

    _n = 1


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """Mirrors `torch.nn.AdaptiveMaxPool2d`."""

    _n = 2


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """Mirrors `torch.nn.AdaptiveMaxPool3d`."""

    _n = 3


class _MaxUnpoolNd(Module):
    _n = 2

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        n = self._n
        self.kernel_size = _ntuple(kernel_size, n)
        self.stride = _ntuple(stride if stride is not None else kernel_size, n)
        self.padding = _ntuple(padding, n)

    def forward(self, input, indices, output_size=None):
        return _pool.max_unpool(input, indices, self.kernel_size, self.stride, self.padding,
                                output_size, self._n)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """Mirrors `torch.nn.MaxUnpool1d`."""

    _n = 1


class MaxUnpool2d(_MaxUnpoolNd):
    """Mirrors `torch.nn.MaxUnpool2d`."""

    _n = 2


class MaxUnpool3d(_MaxUnpoolNd):
    """Mirrors `torch.nn.MaxUnpool3d`."""

    _n = 3


class _LPPoolNd(Module):
    __constants__ = ("norm_type", "kernel_size", "stride", "ceil_mode")

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """Mirrors `torch.nn.LPPool1d`."""

    def forward(self, input):
        return F.lp_pool1d(input, float(self.norm_type), self.kernel_size, self.stride,
                           self.ceil_mode)


class LPPool2d(_LPPoolNd):
    """Mirrors `torch.nn.LPPool2d`."""

    def forward(self, input):
        return F.lp_pool2d(input, float(self.norm_type), self.kernel_size, self.stride,
                           self.ceil_mode)


class FractionalMaxPool2d(Module):
    """Mirrors `torch.nn.FractionalMaxPool2d` (windows placed by random samples; pass
    `_random_samples` to fix them)."""

    __constants__ = ("kernel_size", "return_indices", "output_size", "output_ratio")

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                 _random_samples=None):
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, 2)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = _ntuple(output_size, 2) if output_size is not None else None
        # a ratio is a float (or a pair of them): _ntuple only pairs ints
        ratio = output_ratio
        if isinstance(ratio, (int, float)):
            ratio = (ratio, ratio)
        self.output_ratio = tuple(ratio) if ratio is not None else None
        if output_size is None and output_ratio is None:
            raise ValueError("FractionalMaxPool2d requires specifying either an output size, "
                             "or a pooling ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        ratio = self.output_ratio
        if ratio is not None and not (0 < ratio[0] < 1 and 0 < ratio[1] < 1):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input):
        return F.fractional_max_pool2d(input, self.kernel_size, self.output_size,
                                       self.output_ratio, self.return_indices,
                                       _random_samples=self._random_samples)
