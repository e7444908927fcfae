"""Mirrors `torch.mtia` (Meta's accelerator) on a build without it: nothing is available."""

from ._device_modules import needs_backend, nothing


def is_available():
    """Mirrors `torch.mtia.is_available`: always False here."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def init():
    raise AssertionError("Torch not compiled with MTIA enabled.")


def _needs(what):
    return needs_backend(what, "MTIA")


current_device = _needs("getCurrentDevice")
synchronize = _needs("getCurrentDevice")
empty_cache = _needs("emptyCache")


manual_seed = nothing
manual_seed_all = nothing
seed = nothing


def memory_allocated(device=None):
    return 0
