"""Mirrors `torch.distributions.bernoulli`, the module that holds `Bernoulli`
(defined in ember.distributions.discrete)."""

from .discrete import Bernoulli

__all__ = ["Bernoulli"]
