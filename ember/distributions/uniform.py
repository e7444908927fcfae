"""Mirrors `torch.distributions.uniform`, the module that holds `Uniform`
(defined in ember.distributions.continuous)."""

from .continuous import Uniform

__all__ = ["Uniform"]
