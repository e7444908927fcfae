"""Mirrors `torch.xpu` on a build without Intel GPU support: nothing is available.

Device-selection code asks `torch.xpu.is_available()`; the answer is False, the counters are 0,
seeding is a no-op, and whatever needs a device raises PyTorch's AssertionError.
"""

from ._device_modules import nothing

_HELP = "Torch not compiled with XPU enabled"


def is_available():
    """Mirrors `torch.xpu.is_available`: always False here."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def _no_device(*args, **kwargs):
    raise AssertionError(_HELP)


init = _no_device
current_device = _no_device
set_device = _no_device
synchronize = _no_device
get_device_name = _no_device
get_device_properties = _no_device
get_device_capability = _no_device


manual_seed = nothing
manual_seed_all = nothing
seed = nothing
seed_all = nothing
empty_cache = nothing
reset_peak_memory_stats = nothing


def memory_allocated(device=None):
    return 0


def memory_reserved(device=None):
    return 0


def max_memory_allocated(device=None):
    return 0


def max_memory_reserved(device=None):
    return 0


def is_bf16_supported(including_emulation=True):
    return False
