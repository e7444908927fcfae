"""Mirrors `torch.distributions.multinomial`, the module that holds `Multinomial`
(defined in ember.distributions.discrete)."""

from .discrete import Multinomial

__all__ = ["Multinomial"]
