"""The layer half of `torch.nn.functional`: convolution, pooling, normalization, dropout,
embedding, padding and resampling. The implementations live in `ember._ops.nn` (the op layer);
this module only re-exports them under `ember.nn.functional`."""

from .._ops import nn as _nn

__all__ = list(_nn.FUNCTIONAL)

globals().update({name: getattr(_nn, name) for name in __all__})
