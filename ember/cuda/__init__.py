"""Mirrors `torch.cuda` on CuPy. Nothing here imports CuPy until it is asked for."""

from .._device import cupy_module


def is_available():
    """True when CuPy imports and sees a usable NVIDIA GPU."""
    return cupy_module() is not None


def device_count():
    cp = cupy_module()
    if cp is None:
        return 0
    return cp.cuda.runtime.getDeviceCount()


def manual_seed(seed):
    cp = cupy_module()
    if cp is not None:
        cp.random.seed(seed)


def manual_seed_all(seed):
    manual_seed(seed)


def synchronize(device=None):
    cp = cupy_module()
    if cp is not None:
        cp.cuda.Device().synchronize()
