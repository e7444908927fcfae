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


def empty_cache():
    """Mirrors `torch.cuda.empty_cache`: return CuPy's cached blocks to the GPU."""
    cp = cupy_module()
    if cp is not None:
        cp.get_default_memory_pool().free_all_blocks()


def current_device():
    """Mirrors `torch.cuda.current_device`."""
    cp = cupy_module()
    if cp is None:
        raise RuntimeError("Found no NVIDIA driver on your system.")
    return cp.cuda.Device().id


def get_device_name(device=None):
    """Mirrors `torch.cuda.get_device_name`."""
    cp = cupy_module()
    if cp is None:
        raise RuntimeError("Found no NVIDIA driver on your system.")
    idx = device if isinstance(device, int) else current_device()
    return cp.cuda.runtime.getDeviceProperties(idx)["name"].decode()


def is_bf16_supported(including_emulation=True):
    return False


def __getattr__(name):
    # `torch.cuda.amp` is reachable as an attribute without its own import statement
    if name == "amp":
        import importlib

        return importlib.import_module(__name__ + ".amp")
    raise AttributeError(f"module 'ember.cuda' has no attribute '{name}'")
