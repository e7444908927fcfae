"""The layer half of `torch.nn.functional`: convolution, pooling, normalization, dropout,
embedding, padding and resampling. The implementations live in `ember._ops.nn` (the op layer);
this module only re-exports them under `ember.nn.functional`."""

from .._ops import nn as _nn
from .._ops import nn_misc as _misc
from .._ops import nn_sample as _sample

_EXTRA = {
    "embedding_bag": _misc.embedding_bag,
    "affine_grid": _sample.affine_grid,
    "grid_sample": _sample.grid_sample,
}

__all__ = list(_nn.FUNCTIONAL) + list(_EXTRA)

globals().update({name: getattr(_nn, name) for name in _nn.FUNCTIONAL})
globals().update(_EXTRA)
