"""Mirrors `torch.nn.modules.dropout`: Dropout, Dropout1d/2d/3d, AlphaDropout,
FeatureAlphaDropout."""

from ..._ops import nn_misc as _misc
from .. import functional as F
from .module import Module

__all__ = [
    "AlphaDropout",
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "FeatureAlphaDropout",
]


class _DropoutNd(Module):
    __constants__ = ("p", "inplace")

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Mirrors `torch.nn.Dropout`: zero each element with probability p, scale by 1/(1-p)."""

    def forward(self, input):
        return _misc.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Mirrors `torch.nn.Dropout1d`: whole channels of (N, C, L) inputs."""

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Mirrors `torch.nn.Dropout2d`: whole channels of (N, C, H, W) inputs."""

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Mirrors `torch.nn.Dropout3d`: whole channels of (N, C, D, H, W) inputs."""

    def forward(self, input):
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Mirrors `torch.nn.AlphaDropout` (keeps SELU's mean and variance)."""

    def forward(self, input):
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Mirrors `torch.nn.FeatureAlphaDropout`."""

    def forward(self, input):
        return F.feature_alpha_dropout(input, self.p, self.training)
