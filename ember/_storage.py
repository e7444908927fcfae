"""Storages: the memory under a tensor. Mirrors `torch.UntypedStorage` and `torch.TypedStorage`.

ember keeps no storage objects: a tensor is one NumPy (or CuPy) array, and a view is an array
over its base's memory. A storage here is made on request from the tensor's root base (the
end of its chain of views): it covers the bytes of that base, so its `data_ptr()` is the base's
address for every view, as in PyTorch, and on the CPU its bytes alias the tensor's memory
(writing through the storage writes the tensor). On CUDA only `data_ptr`, `nbytes`, `size` and
`device` are available.
"""

import ctypes
import warnings

import numpy as np

_TYPED_DEPRECATION = (
    "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the "
    "only storage class. This should only matter to you if you are using storages directly.  To "
    "access UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()"
)


def _extent(arr):
    """(lowest address, byte count) of the memory an array spans."""
    if arr.size == 0:
        return _address(arr), 0
    lo = hi = 0
    for n, st in zip(arr.shape, arr.strides):
        if st < 0:
            lo += (n - 1) * st
        else:
            hi += (n - 1) * st
    return _address(arr) + lo, hi - lo + arr.itemsize


def _address(arr):
    if isinstance(arr, np.ndarray):
        return arr.__array_interface__["data"][0]
    return arr.data.ptr


def _root(tensor):
    t = tensor
    while t._view_of is not None:
        t = t._view_of[0]
    return t


class UntypedStorage:
    """Mirrors `torch.UntypedStorage`: a run of bytes on a device."""

    def __init__(self, *args, device=None):
        from ._device import device as device_cls

        dev = device_cls(device if device is not None else "cpu")
        if dev.type != "cpu":
            raise RuntimeError("ember creates new storages on the CPU only")
        if len(args) == 1 and isinstance(args[0], int):
            # torch's new storage is uninitialised memory; zeros are one valid such content
            owner = np.zeros(args[0], np.uint8)
        elif len(args) == 1:
            owner = np.array(args[0], np.uint8)
        else:
            owner = np.zeros(0, np.uint8)
        self._set(owner, _address(owner), owner.nbytes, dev)

    @classmethod
    def _of(cls, owner, ptr, nbytes, dev):
        s = cls.__new__(cls)
        s._set(owner, ptr, nbytes, dev)
        return s

    def _set(self, owner, ptr, nbytes, dev):
        # `owner` keeps the memory alive for as long as the storage is
        self._owner = owner
        self._ptr = ptr
        self._nbytes = nbytes
        self._device = dev

    def _bytes(self):
        """The storage's bytes as a uint8 NumPy array over the same memory (CPU only)."""
        if self._device.type != "cpu":
            raise RuntimeError("ember reads the bytes of CPU storages only")
        if self._nbytes == 0:
            return np.zeros(0, np.uint8)
        buf = (ctypes.c_uint8 * self._nbytes).from_address(self._ptr)
        return np.frombuffer(buf, np.uint8)

    def data_ptr(self):
        return self._ptr

    def nbytes(self):
        return self._nbytes

    def size(self):
        return self._nbytes

    def __len__(self):
        return self._nbytes

    def element_size(self):
        return 1

    @property
    def device(self):
        return self._device

    @property
    def is_cuda(self):
        return self._device.type == "cuda"

    is_sparse = False

    def get_device(self):
        return -1 if self._device.type == "cpu" else self._device.index

    def type(self, dtype=None, non_blocking=False):
        return "torch.storage.UntypedStorage"

    def is_shared(self):
        return False

    def is_pinned(self, device="cuda"):
        return False

    def resizable(self):
        return False

    def tolist(self):
        return self._bytes().tolist()

    def __getitem__(self, idx):
        return self._bytes()[idx].tolist()

    def __setitem__(self, idx, value):
        self._bytes()[idx] = value

    def fill_(self, value):
        self._bytes()[:] = value
        return self

    def copy_(self, source, non_blocking=None):
        self._bytes()[:] = source._bytes()
        return self

    def clone(self):
        return UntypedStorage(self._bytes().copy())

    def cpu(self):
        return self

    def untyped(self):
        return self

    def __iter__(self):
        return iter(self.tolist())

    def __str__(self):
        info = f"[torch.storage.UntypedStorage(device={self._device}) of size {len(self)}]"
        return " " + "\n ".join(str(v) for v in self.tolist()) + "\n" + info

    __repr__ = __str__


class TypedStorage:
    """Mirrors the deprecated `torch.TypedStorage`: an UntypedStorage read as one dtype."""

    is_sparse = False

    def __init__(self, *args, dtype=None, device=None, wrap_storage=None, _internal=False):
        from . import _dtype as D

        if not _internal:
            warnings.warn(_TYPED_DEPRECATION, UserWarning, stacklevel=2)
        if wrap_storage is not None:
            self._untyped = wrap_storage
            self.dtype = dtype if dtype is not None else D.get_default_dtype()
            return
        if dtype is None:
            dtype = D.get_default_dtype()
        self.dtype = dtype
        if len(args) == 1 and isinstance(args[0], int):
            owner = np.zeros(args[0], dtype.np)
        elif len(args) == 1:
            owner = np.array(args[0], dtype.np)
        else:
            owner = np.zeros(0, dtype.np)
        self._untyped = UntypedStorage._of(owner, _address(owner), owner.nbytes,
                                           _cpu_device())

    def _values(self):
        return self._untyped._bytes().view(self.dtype.np)

    def untyped(self):
        return self._untyped

    def data_ptr(self):
        return self._untyped.data_ptr()

    def nbytes(self):
        return self._untyped.nbytes()

    def element_size(self):
        return self.dtype.itemsize

    def size(self):
        return self._untyped.nbytes() // self.dtype.itemsize

    def __len__(self):
        return self.size()

    @property
    def device(self):
        return self._untyped.device

    @property
    def is_cuda(self):
        return self._untyped.is_cuda

    def get_device(self):
        return self._untyped.get_device()

    def type(self, dtype=None, non_blocking=False):
        from .autograd._node import _type_name

        # the legacy tensor type's name, Tensor -> Storage: torch.FloatStorage
        return _type_name(self).replace("Tensor", "Storage")

    @property
    def _dtype(self):
        return self.dtype

    @property
    def _device(self):
        return self._untyped.device

    def is_shared(self):
        return False

    def is_pinned(self, device="cuda"):
        return False

    def tolist(self):
        return self._values().tolist()

    def __getitem__(self, idx):
        return self._values()[idx].tolist()

    def __setitem__(self, idx, value):
        self._values()[idx] = value

    def fill_(self, value):
        self._values()[:] = value
        return self

    def copy_(self, source, non_blocking=None):
        self._values()[:] = source._values()
        return self

    def clone(self):
        return TypedStorage(self._values().copy(), dtype=self.dtype, _internal=True)

    def cpu(self):
        return self

    def __iter__(self):
        return iter(self.tolist())

    def __str__(self):
        info = (f"[torch.storage.TypedStorage(dtype={self.dtype}, device={self.device}) "
                f"of size {len(self)}]")
        return " " + "\n ".join(str(v) for v in self.tolist()) + "\n" + info

    __repr__ = __str__


def _cpu_device():
    from ._device import CPU

    return CPU


def untyped_storage(tensor):
    """Mirrors `torch.Tensor.untyped_storage`: the storage of the tensor's root base. The same
    object comes back while the base keeps its memory, so `is` comparisons work as in torch."""
    root = _root(tensor)
    arr = root._data
    cached = root.__dict__.get("_storage_cache")
    if cached is not None and cached._owner is arr:
        return cached
    ptr, nbytes = _extent(arr)
    s = UntypedStorage._of(arr, ptr, nbytes, root._device)
    root.__dict__["_storage_cache"] = s
    return s


def storage(tensor):
    """Mirrors the deprecated `torch.Tensor.storage`: a TypedStorage of the tensor's dtype."""
    warnings.warn(_TYPED_DEPRECATION, UserWarning, stacklevel=2)
    return TypedStorage(wrap_storage=untyped_storage(tensor), dtype=tensor.dtype, _internal=True)


def is_storage(obj):
    """Mirrors `torch.is_storage`."""
    return isinstance(obj, (UntypedStorage, TypedStorage))
