"""Mirrors `torch.accelerator`: the current accelerator is CUDA (through CuPy) or none."""

from . import cuda as _cuda


def is_available():
    """True when a CUDA device is usable."""
    return _cuda.is_available()


def current_accelerator(check_available=False):
    """Mirrors `torch.accelerator.current_accelerator`: device('cuda') or None."""
    from ._device import device

    if _cuda.is_available():
        return device("cuda")
    return None


def device_count():
    return _cuda.device_count()


def synchronize(device=None):
    if not _cuda.is_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")
    _cuda.synchronize(device)
