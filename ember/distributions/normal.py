"""Mirrors `torch.distributions.normal`, the module that holds `Normal`
(defined in ember.distributions.continuous)."""

from .continuous import Normal

__all__ = ["Normal"]
