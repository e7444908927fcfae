"""nn ops: convolutions, pooling, normalization, dropout, embedding, padding, interpolation.

The ops live in one file per concern (nn_conv, nn_pool, nn_norm, nn_misc); importing this
module registers them all. This file holds the functions with `torch.nn.functional`'s
signatures (re-exported by `ember.nn.functional`), and binds those that PyTorch also has
under `torch.` with the same signature (`torch.conv2d`, `torch.max_pool2d`, ...).
"""

from ..amp._lists import ACTIVE as _AC
from ..amp._lists import run as _autocast
from . import nn_conv
from . import nn_misc, nn_pool
from ._naming import named
from ._bind import public
from .nn_misc import (  # noqa: F401
    alpha_dropout,
    channel_shuffle,
    dropout,
    embedding,
    fold,
    interpolate,
    pad,
    pixel_shuffle,
    pixel_unshuffle,
    unfold,
)
from .nn_norm import batch_norm, group_norm, instance_norm, layer_norm  # noqa: F401


# ---------------------------------------------------------------------------- convolution
@public("conv1d", method=False)
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors `torch.nn.functional.conv1d`."""
    return nn_conv.convolution(input, weight, bias, stride, padding, dilation, groups, 1)


@public("conv2d", method=False)
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors `torch.nn.functional.conv2d`."""
    return nn_conv.convolution(input, weight, bias, stride, padding, dilation, groups, 2)


@public("conv3d", method=False)
def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Mirrors `torch.nn.functional.conv3d`."""
    return nn_conv.convolution(input, weight, bias, stride, padding, dilation, groups, 3)


@public("conv_transpose1d", method=False)
def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Mirrors `torch.nn.functional.conv_transpose1d`."""
    return nn_conv.conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                                  dilation, 1)


@public("conv_transpose2d", method=False)
def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Mirrors `torch.nn.functional.conv_transpose2d`."""
    return nn_conv.conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                                  dilation, 2)


@public("conv_transpose3d", method=False)
def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Mirrors `torch.nn.functional.conv_transpose3d`."""
    return nn_conv.conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                                  dilation, 3)


# ---------------------------------------------------------------------------- pooling
def _squeezed(out):
    # torch pools 1-d inputs as 2-d ones and squeezes the result: its node is SqueezeBackward1
    if isinstance(out, tuple):
        named(out[0], "SqueezeBackward1")
    else:
        named(out, "SqueezeBackward1")
    return out


@public("max_pool1d", method=False)
def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Mirrors `torch.nn.functional.max_pool1d`."""
    return _squeezed(nn_pool.max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                                      return_indices, 1))


@public("max_pool2d", method=False)
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Mirrors `torch.nn.functional.max_pool2d`."""
    return nn_pool.max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                            return_indices, 2)


@public("max_pool3d", method=False)
def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Mirrors `torch.nn.functional.max_pool3d`."""
    if _AC[0]:
        return _autocast("max_pool3d", max_pool3d, locals())
    return nn_pool.max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                            return_indices, 3)


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=True):
    return _squeezed(nn_pool.max_pool(input, kernel_size, stride, padding, dilation, ceil_mode,
                                      True, 1))


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=True):
    return nn_pool.max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, True, 2)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=True):
    if _AC[0]:
        return _autocast("max_pool3d", max_pool3d_with_indices, locals())
    return nn_pool.max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, True, 3)


@public("avg_pool1d", method=False)
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """Mirrors `torch.nn.functional.avg_pool1d`."""
    return _squeezed(nn_pool.avg_pool(input, kernel_size, stride, padding, ceil_mode,
                                      count_include_pad, None, 1))


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """Mirrors `torch.nn.functional.avg_pool2d`."""
    return nn_pool.avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                            divisor_override, 2)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """Mirrors `torch.nn.functional.avg_pool3d`."""
    if _AC[0]:
        return _autocast("avg_pool3d", avg_pool3d, locals())
    return nn_pool.avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                            divisor_override, 3)


@public("adaptive_avg_pool1d", method=False)
def adaptive_avg_pool1d(input, output_size):
    """Mirrors `torch.nn.functional.adaptive_avg_pool1d`."""
    return _squeezed(nn_pool.adaptive_avg_pool(input, output_size, 1))


def adaptive_avg_pool2d(input, output_size):
    """Mirrors `torch.nn.functional.adaptive_avg_pool2d`."""
    return nn_pool.adaptive_avg_pool(input, output_size, 2)


def adaptive_avg_pool3d(input, output_size):
    """Mirrors `torch.nn.functional.adaptive_avg_pool3d`."""
    if _AC[0]:
        return _autocast("adaptive_avg_pool3d", adaptive_avg_pool3d, locals())
    return nn_pool.adaptive_avg_pool(input, output_size, 3)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Mirrors `torch.nn.functional.adaptive_max_pool1d`."""
    return _squeezed(nn_pool.adaptive_max_pool(input, output_size, return_indices, 1))


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Mirrors `torch.nn.functional.adaptive_max_pool2d`."""
    return nn_pool.adaptive_max_pool(input, output_size, return_indices, 2)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Mirrors `torch.nn.functional.adaptive_max_pool3d`."""
    if _AC[0]:
        return _autocast("adaptive_max_pool3d", adaptive_max_pool3d, locals())
    return nn_pool.adaptive_max_pool(input, output_size, return_indices, 3)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=True):
    return _squeezed(nn_pool.adaptive_max_pool(input, output_size, True, 1))


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=True):
    return nn_pool.adaptive_max_pool(input, output_size, True, 2)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=True):
    if _AC[0]:
        return _autocast("adaptive_max_pool3d", adaptive_max_pool3d_with_indices, locals())
    return nn_pool.adaptive_max_pool(input, output_size, True, 3)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Mirrors `torch.nn.functional.max_unpool1d`."""
    return nn_pool.max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Mirrors `torch.nn.functional.max_unpool2d`."""
    if _AC[0]:
        return _autocast("max_unpool2d", max_unpool2d, locals())
    return nn_pool.max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Mirrors `torch.nn.functional.max_unpool3d`."""
    if _AC[0]:
        return _autocast("max_unpool3d", max_unpool3d, locals())
    return nn_pool.max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Mirrors `torch.nn.functional.lp_pool1d`: (sum over the window of x**p) ** (1/p)."""
    out = avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
    return (out.sign() * out.abs().relu()).mul(k).pow(1.0 / norm_type)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Mirrors `torch.nn.functional.lp_pool2d`."""
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    out = avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * out.abs().relu()).mul(kh * kw).pow(1.0 / norm_type)


# ---------------------------------------------------------------------------- dropout
def dropout1d(input, p=0.5, training=True, inplace=False):
    """Mirrors `torch.nn.functional.dropout1d`."""
    return nn_misc.feature_dropout(input, p, training, inplace, 1, "dropout1d")


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Mirrors `torch.nn.functional.dropout2d` (a 3-D input is read as (N, C, L))."""
    nd = input._data.ndim
    if nd == 3:
        return nn_misc.feature_dropout(input, p, training, inplace, 1, "dropout2d")
    return nn_misc.feature_dropout(input, p, training, inplace, 2, "dropout2d")


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Mirrors `torch.nn.functional.dropout3d`."""
    return nn_misc.feature_dropout(input, p, training, inplace, 3, "dropout3d")


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Mirrors `torch.nn.functional.feature_alpha_dropout`."""
    return nn_misc.alpha_dropout(input, p, training, inplace, feature=True)


# ---------------------------------------------------------------------------- normalization
def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Mirrors `torch.nn.functional.rms_norm`: x / sqrt(mean(x**2) + eps) * weight."""
    ns = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(ns)
    shape = tuple(input._data.shape)
    if len(shape) < k:
        raise ValueError(f"Input tensor must have at least {k} dimensions, but got {len(shape)}")
    if shape[len(shape) - k:] != ns:
        raise RuntimeError(
            f"Given normalized_shape={list(ns)}, expected input with shape "
            f"[*{', '.join(map(str, ns))}], but got input of size{list(shape)}"
        )
    if eps is None:
        import numpy as np

        eps = float(np.finfo(input._dtype.np).eps)
    dims = tuple(range(len(shape) - k, len(shape)))
    out = input * ((input * input).mean(dim=dims, keepdim=True) + eps) ** -0.5
    return out * weight if weight is not None else out


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Mirrors `torch.nn.functional.local_response_norm` (across channels)."""
    if _AC[0]:
        return _autocast("local_response_norm", local_response_norm, locals())
    nd = input._data.ndim
    if nd < 3:
        # torch's message carries the indentation of its source's line continuation
        raise ValueError(
            f"Expected 3D or higher dimensionality{' ' * 26}input (got {nd} dimensions)"
        )
    div = input * input
    shape = tuple(input._data.shape)
    div = div.reshape(shape[0], 1, shape[1], -1)
    div = pad(div, (0, 0, size // 2, (size - 1) // 2))
    div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    div = div.reshape(shape)
    div = (div * alpha + k) ** beta
    return input / div


# ---------------------------------------------------------------------------- resampling
def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Mirrors `torch.nn.functional.upsample` (an alias of interpolate)."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Mirrors `torch.nn.functional.upsample_nearest`."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Mirrors `torch.nn.functional.upsample_bilinear` (align_corners=True)."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


@public("pixel_shuffle", method=False)
def _pixel_shuffle(input, upscale_factor):
    """Mirrors `torch.pixel_shuffle`."""
    return pixel_shuffle(input, upscale_factor)


@public("pixel_unshuffle", method=False)
def _pixel_unshuffle(input, downscale_factor):
    """Mirrors `torch.pixel_unshuffle`."""
    return pixel_unshuffle(input, downscale_factor)


@public("channel_shuffle", "native_channel_shuffle", method=False)
def _channel_shuffle(input, groups):
    """Mirrors `torch.channel_shuffle`."""
    return channel_shuffle(input, groups)


# torch.nn.functional has it too (F.native_channel_shuffle's docstring uses it)
native_channel_shuffle = _channel_shuffle


@public("constant_pad_nd", method=False)
def constant_pad_nd(input, pad, value=0):
    """Mirrors `torch.constant_pad_nd`."""
    return nn_misc.pad(input, pad, "constant", value)


FUNCTIONAL = (
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
    "max_pool2d_with_indices", "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d",
    "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
    "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices", "max_unpool1d", "max_unpool2d", "max_unpool3d",
    "lp_pool1d", "lp_pool2d", "batch_norm", "layer_norm", "group_norm", "instance_norm",
    "rms_norm", "local_response_norm", "dropout", "dropout1d", "dropout2d", "dropout3d",
    "alpha_dropout", "feature_alpha_dropout", "embedding", "pad", "interpolate", "upsample",
    "upsample_nearest", "upsample_bilinear", "unfold", "fold", "pixel_shuffle",
    "pixel_unshuffle", "channel_shuffle", "native_channel_shuffle",
)
