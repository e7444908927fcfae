"""Devices: `cpu` runs on NumPy, `cuda[:i]` on CuPy, imported only when first used."""

import numpy as np

from ._typenames import TorchNamed

_CUDA_HELP = (
    "Torch not compiled with CUDA enabled: ember needs CuPy and an NVIDIA GPU for 'cuda'. "
    'Install CuPy with pip install "ember[cuda13]" (or "ember[cuda12]" for CUDA 12).'
)

_cupy = []


def cupy_module():
    """The cupy module, or None when CuPy is missing or no GPU can be used."""
    if _cupy:
        return _cupy[0]
    try:
        import cupy

        if not cupy.cuda.is_available():
            cupy = None
    except Exception:
        cupy = None
    _cupy.append(cupy)
    return cupy


# the device types torch's parser knows, listed in its error message (ember runs cpu and cuda)
_TORCH_DEVICE_TYPES = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, "
                       "xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone")


class device(metaclass=TorchNamed):
    """Mirrors `torch.device`: `device("cpu")`, `device("cuda:0")`, `device("cuda", 1)`."""

    # what `type(x)` prints (see _typenames)
    _torch_name = "torch.device"

    __slots__ = ("type", "index", "_key")

    def __new__(cls, type_or_str, index=None):
        if type_or_str.__class__ is device:
            return type_or_str
        if isinstance(type_or_str, int):
            key = ("cuda", type_or_str)
        else:
            s = type_or_str
            if not s:
                raise RuntimeError("Device string must not be empty")
            if ":" in s:
                s, _, idx = s.partition(":")
                # torch's pattern for the index: 0 or [1-9][0-9]* (no sign, no leading zero)
                if index is not None or not idx.isdigit() or (idx[0] == "0" and idx != "0"):
                    raise RuntimeError(f"Invalid device string: '{type_or_str}'")
                index = int(idx)
            if s not in ("cpu", "cuda", "meta"):
                # torch first matches [a-zA-Z_]+ and only then looks the name up
                if not s.replace("_", "a").isalpha() or not s.isascii():
                    raise RuntimeError(f"Invalid device string: '{type_or_str}'")
                raise RuntimeError(
                    f"Expected one of {_TORCH_DEVICE_TYPES} device type at start of device "
                    f"string: {type_or_str}"
                )
            key = (s, index)
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        self = object.__new__(cls)
        self.type = key[0]
        self.index = key[1]
        self._key = key
        _CACHE[key] = self
        return self

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        if self.index is None:
            return self.type
        return f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        if other.__class__ is not device:
            return NotImplemented
        return self._key == other._key

    def __hash__(self):
        return hash(self._key)

    def __reduce__(self):
        return (device, (str(self),))

    def __enter__(self):
        # `with torch.device(d):` makes d the default device of factory functions inside
        _CONTEXT_STACK.append(_DEFAULT[0])
        set_default_device(self)
        return self

    def __exit__(self, *exc):
        _DEFAULT[0] = _CONTEXT_STACK.pop()
        return False

    @property
    def xp(self):
        # a meta tensor keeps a host array only for its shape and dtype: ops run on it as on
        # the CPU and their outputs stay on `meta`; its values are never shown
        if self.type == "cpu" or self.type == "meta":
            return np
        cp = cupy_module()
        if cp is None:
            raise AssertionError(_CUDA_HELP)
        return cp


_CACHE = {}
CPU = device("cpu")
# the default devices that `with device(...)` blocks replaced, innermost last
_CONTEXT_STACK = []


# set by `set_default_device`; read by the factory functions when no device= is given
_DEFAULT = [CPU]


def set_default_device(device):
    """Mirrors `torch.set_default_device`: where factory functions put tensors by default."""
    _DEFAULT[0] = CPU if device is None else to_device(device)


def get_default_device():
    """Mirrors `torch.get_default_device`."""
    return _DEFAULT[0]


def factory_device(obj):
    """The device a factory function creates on: the argument, else the default device."""
    if obj is None:
        return _DEFAULT[0]
    return to_device(obj)


def to_device(obj):
    """Normalise a device argument: None, str, int or device. 'cuda' gets index 0."""
    if obj is None:
        return None
    d = device(obj)
    if d.type == "cuda":
        cp = cupy_module()
        if cp is None:
            raise AssertionError(_CUDA_HELP)
        if d.index is None:
            d = device("cuda", cp.cuda.runtime.getDevice())
    return d


def device_of_array(a):
    """The device an array lives on."""
    if a.__class__ is np.ndarray:
        return CPU
    dev = getattr(a, "device", None)
    if dev is not None and hasattr(dev, "id"):
        return device("cuda", dev.id)
    return CPU


def move(array, dev):
    """Copy an array to a device (no copy when it is there already)."""
    if dev.type == "meta":
        # no data moves to `meta`: a zero-filled placeholder of the same shape and dtype
        return np.zeros(array.shape, dtype=array.dtype)
    if dev.type == "cpu":
        if array.__class__ is np.ndarray or isinstance(array, np.generic):
            # NumPy scalars (0-d results of ufuncs in a backward) are on the CPU already
            return array
        return array.get()
    if array.dtype.name == "bfloat16":
        # CuPy has no bfloat16 dtype
        raise RuntimeError("bfloat16 tensors are only supported on the CPU in ember (CuPy has "
                           "no bfloat16)")
    cp = dev.xp
    with cp.cuda.Device(dev.index):
        return cp.asarray(array)
