"""`torch.get_device_module`: the module (`torch.cuda`, `torch.cpu`, ...) of a device type."""

import importlib


def needs_backend(what, backend):
    """A function that raises torch's RuntimeError for a call needing a missing backend."""

    def call(*args, **kwargs):
        raise RuntimeError(f"Cannot execute {what}() without {backend} backend.")

    return call


def nothing(*args, **kwargs):
    """torch's seeding and cache functions are silent no-ops without the device."""
    return None


def get_device_module(device=None):
    """Mirrors `torch.get_device_module`: the module of `device`, or of the current accelerator
    (the CPU when there is none) when `device` is None."""
    from ._device import device as device_cls
    from . import cuda

    if isinstance(device, device_cls):
        name = device.type
    elif isinstance(device, str):
        name = device_cls(device).type
    elif device is None:
        name = "cuda" if cuda.is_available() else "cpu"
    else:
        raise RuntimeError(
            f"Invalid value of device '{device}', expect torch.device, str, or None"
        )
    if name in ("cpu", "cuda", "xpu", "mps", "mtia"):
        return importlib.import_module("ember." + name)
    raise RuntimeError(
        f"Device '{name}' does not have a corresponding module registered as 'torch.{name}'."
    )
