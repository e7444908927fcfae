"""Mirrors `torch.nn.utils`: gradient clipping, parameter/vector conversion, rnn helpers."""

from .clip_grad import clip_grad_norm_, clip_grad_norm, clip_grad_value_, get_total_norm  # noqa
from .clip_grad import clip_grads_with_norm_  # noqa: F401
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401
from . import rnn  # noqa: F401
from . import parametrize, parametrizations  # noqa: F401
from .weight_norm import weight_norm, remove_weight_norm  # noqa: F401
from .spectral_norm import spectral_norm, remove_spectral_norm  # noqa: F401

from . import stateless  # noqa: F401,E402
from . import prune  # noqa: F401,E402
from . import fusion  # noqa: F401,E402
from .fusion import (  # noqa: F401,E402
    fuse_conv_bn_eval,
    fuse_conv_bn_weights,
    fuse_linear_bn_eval,
    fuse_linear_bn_weights,
)


def _convert_weight_memory_format(module, memory_format, types):
    for m in module.modules():
        if isinstance(m, types):
            m.weight.data = m.weight.detach().contiguous(memory_format=memory_format)
    return module


def convert_conv2d_weight_memory_format(module, memory_format):
    """Mirrors `torch.nn.utils.convert_conv2d_weight_memory_format`: the weights of every
    Conv2d / ConvTranspose2d in `module` laid out in `memory_format`, in place."""
    from ..modules.conv import Conv2d, ConvTranspose2d

    return _convert_weight_memory_format(module, memory_format, (Conv2d, ConvTranspose2d))


def convert_conv3d_weight_memory_format(module, memory_format):
    """Mirrors `torch.nn.utils.convert_conv3d_weight_memory_format` (Conv3d and
    ConvTranspose3d weights)."""
    from ..modules.conv import Conv3d, ConvTranspose3d

    return _convert_weight_memory_format(module, memory_format, (Conv3d, ConvTranspose3d))


def skip_init(module_cls, *args, **kwargs):
    """Mirrors `torch.nn.utils.skip_init`: the module built on the meta device (so its
    initialisation draws no random numbers) and then given uninitialised storage."""
    import inspect

    from ..modules.module import Module

    if not issubclass(module_cls, Module):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    final_device = kwargs.pop("device", "cpu")
    kwargs["device"] = "meta"
    return module_cls(*args, **kwargs).to_empty(device=final_device)
