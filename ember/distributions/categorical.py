"""Mirrors `torch.distributions.categorical`, the module that holds `Categorical`
(defined in ember.distributions.discrete)."""

from .discrete import Categorical

__all__ = ["Categorical"]
