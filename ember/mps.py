"""Mirrors `torch.mps` on a machine without Apple's Metal backend: nothing is available.

`torch.mps.is_available()` is False (so is `torch.backends.mps.is_available()`); seeding is a
no-op and the calls that need the device raise PyTorch's RuntimeError.
"""

from ._device_modules import needs_backend


def is_available():
    """Mirrors `torch.mps.is_available`: always False here."""
    return False


def device_count():
    return 0


def manual_seed(seed):
    # torch accepts the seed silently without MPS
    return None


def _needs(what):
    return needs_backend(what, "MPS")


synchronize = _needs("deviceSynchronize")
empty_cache = _needs("emptyCache")
seed = _needs("getDefaultGenerator")
get_rng_state = _needs("getDefaultGenerator")
set_rng_state = _needs("getDefaultGenerator")
current_allocated_memory = _needs("getCurrentAllocatedMemory")
driver_allocated_memory = _needs("getDriverAllocatedMemory")
