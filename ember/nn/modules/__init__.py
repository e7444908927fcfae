"""Mirrors `torch.nn.modules`: every layer class."""

import importlib as _importlib

from . import activation as _activation
from . import loss as _loss
from . import utils  # noqa: F401  (torch.nn.modules.utils is reachable as an attribute)
from .activation import *  # noqa: F403
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .flatten import Flatten, Unflatten
from .linear import Bilinear, Identity, Linear
from .loss import *  # noqa: F403
from .module import Module

__all__ = [
    "Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict",
    "Identity", "Linear", "Bilinear", "Flatten", "Unflatten",
] + list(_activation.__all__) + list(_loss.__all__)

# layers written in parallel (convolution, pooling, normalization, dropout, embedding): their
# classes appear here once the files exist; an error inside an existing file is not hidden
_LAYER_MODULES = ("conv", "pooling", "normalization", "dropout", "sparse", "padding",
                  "upsampling", "rnn", "activation_attn", "transformer", "distance", "lazy", "sync_batchnorm",
                  "extra_layers")


def _import_layers():
    names = {}
    for short in _LAYER_MODULES:
        full = f"{__name__}.{short}"
        try:
            mod = _importlib.import_module(full)
        except ModuleNotFoundError as e:
            if e.name != full:
                raise
            continue
        public = getattr(mod, "__all__", None)
        if public is None:
            public = [
                k for k, v in vars(mod).items()
                if not k.startswith("_") and isinstance(v, type) and issubclass(v, Module)
                and v.__module__ == full
            ]
        for k in public:
            names[k] = getattr(mod, k)
    return names


_layers = _import_layers()
globals().update(_layers)
__all__ += list(_layers)
del _import_layers, _layers
