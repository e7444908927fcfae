"""DLPack exchange: `ember.from_dlpack`, `ember.utils.dlpack.{from_dlpack, to_dlpack}`.

A producer is anything with `__dlpack__` (NumPy and CuPy arrays, torch tensors, JAX arrays)
or a legacy "dltensor" capsule. CPU data becomes a NumPy array and GPU data a CuPy array,
both sharing the producer's memory.
"""

import ctypes

import numpy as np

from . import _dtype as D
from ._device import _CUDA_HELP, CPU, cupy_module, device_of_array
from ._tensor import _new_tensor

# DLPack device types (dlpack.h): CPU, CUDA, CUDA host (pinned) memory, CUDA managed memory
_KDL_CPU = 1
_KDL_CUDA = 2
_KDL_CUDA_HOST = 3
_KDL_CUDA_MANAGED = 13
_HOST_TYPES = (_KDL_CPU, _KDL_CUDA_HOST)


def from_dlpack(ext_tensor):
    """Mirrors `torch.from_dlpack`: a Tensor sharing memory with `ext_tensor`."""
    if hasattr(ext_tensor, "__dlpack__"):
        kind = ext_tensor.__dlpack_device__()[0]
        producer = ext_tensor
    else:
        kind = _capsule_device_type(ext_tensor)
        producer = _Capsule(ext_tensor, kind)
    if kind in _HOST_TYPES:
        arr = np.from_dlpack(producer)
        if not arr.flags.writeable and producer.__class__ is _Capsule:
            arr = _writeable_view(arr)
    elif kind in (_KDL_CUDA, _KDL_CUDA_MANAGED):
        cp = cupy_module()
        if cp is None:
            raise AssertionError(_CUDA_HELP)
        arr = cp.from_dlpack(producer)
    else:
        raise BufferError(f"DLPack device type {kind} is not supported by ember")
    dev = CPU if arr.__class__ is np.ndarray else device_of_array(arr)
    return _new_tensor(arr, D.from_numpy_dtype(arr.dtype), dev)


class _Memory:
    """Exposes an array's memory through `__array_interface__` as writeable, keeping it alive."""

    __slots__ = ("__array_interface__", "owner")

    def __init__(self, arr):
        self.owner = arr
        iface = dict(arr.__array_interface__)
        iface["data"] = (iface["data"][0], False)  # False: not read-only
        self.__array_interface__ = iface


def _writeable_view(arr):
    # NumPy marks arrays imported from a legacy (unversioned) capsule read-only, since that
    # format cannot say whether writing is allowed; torch writes through them (its docstring's
    # `t3[0] = -9` shows memory shared between three tensors), and so does ember
    return np.asarray(_Memory(arr))


def to_dlpack(tensor):
    """Mirrors `torch.utils.dlpack.to_dlpack`: a "dltensor" capsule of the tensor's memory."""
    return tensor.__dlpack__()


class _Capsule:
    """Presents a bare DLPack capsule through the `__dlpack__` protocol (consumed once)."""

    __slots__ = ("capsule", "kind")

    def __init__(self, capsule, kind):
        self.capsule = capsule
        self.kind = kind

    def __dlpack__(self, stream=None, **kwargs):
        return self.capsule

    def __dlpack_device__(self):
        return (self.kind, 0)


_CAPSULE_NAME = b"dltensor"


def _capsule_device_type(capsule):
    """The DLPack device type stored in a legacy capsule (read from the C struct)."""
    api = ctypes.pythonapi
    api.PyCapsule_IsValid.restype = ctypes.c_int
    api.PyCapsule_IsValid.argtypes = [ctypes.py_object, ctypes.c_char_p]
    if not api.PyCapsule_IsValid(capsule, _CAPSULE_NAME):
        raise TypeError(
            "from_dlpack expects an object with __dlpack__ or an unconsumed DLPack capsule, "
            f"got {type(capsule).__name__}"
        )
    api.PyCapsule_GetPointer.restype = ctypes.c_void_p
    api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    ptr = api.PyCapsule_GetPointer(capsule, _CAPSULE_NAME)
    # DLManagedTensor starts with DLTensor {void *data; DLDevice {int32 type; int32 id}; ...}
    return ctypes.c_int32.from_address(ptr + ctypes.sizeof(ctypes.c_void_p)).value
