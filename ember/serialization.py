"""save / load in PyTorch's checkpoint format, and safetensors, without running code from files.

A PyTorch checkpoint is a zip archive: `<name>/data.pkl` (a pickle whose tensors refer to
storages by persistent id), `<name>/data/<key>` (raw little-endian storage bytes), `version`,
`byteorder`. `save` writes that format so `torch.load(path, weights_only=True)` reads it;
`load` reads files written by `torch.save` with an unpickler that only resolves an allowlist of
globals (never `os.system` & co.), like `torch.load(weights_only=True)`.
"""

import _compat_pickle
import codecs
import collections
import io
import json
import os
import pickle
import struct
import sys
import zipfile

import numpy as np

from . import _dtype as D
from ._tensor import Size, Tensor, _new_tensor
from ._device import CPU, to_device, move
from ._ops.more import strided as _STRIDED

# storage class names in PyTorch's format, both ways
_STORAGE_OF = {
    "float32": "FloatStorage",
    "float64": "DoubleStorage",
    "float16": "HalfStorage",
    "bfloat16": "BFloat16Storage",
    "int64": "LongStorage",
    "int32": "IntStorage",
    "int16": "ShortStorage",
    "int8": "CharStorage",
    "uint8": "ByteStorage",
    "bool": "BoolStorage",
    "complex64": "ComplexFloatStorage",
    "complex128": "ComplexDoubleStorage",
}
_DTYPE_OF_STORAGE = {v: D._NAMES[k] for k, v in _STORAGE_OF.items()}


class _Global:
    """A global emitted by name into the pickle (torch need not be importable)."""

    __slots__ = ("module", "name")

    def __init__(self, module, name):
        self.module = module
        self.name = name


class _StorageRef:
    __slots__ = ("key", "dtype", "numel")

    def __init__(self, key, dtype, numel):
        self.key = key
        self.dtype = dtype
        self.numel = numel


class _Reduce:
    """(callable, args[, state]) to be written as GLOBAL + args + REDUCE (+ BUILD)."""

    __slots__ = ("fn", "args", "state")

    def __init__(self, fn, args, state=None):
        self.fn = fn
        self.args = args
        self.state = state


_REBUILD_TENSOR = _Global("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAM = _Global("torch._utils", "_rebuild_parameter")
_ORDERED_DICT = _Global("collections", "OrderedDict")
_REBUILD_SPARSE = _Global("torch._utils", "_rebuild_sparse_tensor")
_GET_LAYOUT = _Global("torch.serialization", "_get_layout")


class _Writer(pickle._Pickler):
    """A protocol-2 pickler that writes ember objects as PyTorch's globals."""

    def __init__(self, file, storages):
        super().__init__(file, protocol=2)
        self._storages = storages
        self._storage_ids = {}
        self._owners = []
        self.dispatch = dict(pickle._Pickler.dispatch)
        self.dispatch[_Global] = _Writer._save_marker_global
        self.dispatch[_Reduce] = _Writer._save_reduce_marker
        self.dispatch[collections.OrderedDict] = _Writer._save_ordered_dict

    def persistent_id(self, obj):
        if obj.__class__ is _StorageRef:
            storage_cls = _Global("torch", _STORAGE_OF[obj.dtype.name])
            return ("storage", storage_cls, obj.key, "cpu", obj.numel)
        return None

    def _save_marker_global(self, obj):
        self.write(pickle.GLOBAL + obj.module.encode() + b"\n" + obj.name.encode() + b"\n")
        self.memoize(obj)

    def _save_reduce_marker(self, obj):
        self.save(obj.fn)
        self.save(obj.args)
        self.write(pickle.REDUCE)
        if obj.state is not None:
            self.save(obj.state)
            self.write(pickle.BUILD)

    def _save_ordered_dict(self, obj):
        # as torch writes state dicts: OrderedDict() then SETITEMS, then its __dict__ (metadata)
        self.save(_ORDERED_DICT)
        self.save(())
        self.write(pickle.REDUCE)
        self.memoize(obj)
        self._batch_setitems(iter(obj.items()))
        extra = getattr(obj, "__dict__", None)
        if extra:
            self.save(dict(extra))
            self.write(pickle.BUILD)

    def reducer_override(self, obj):
        return NotImplemented

    def save(self, obj, save_persistent_id=True):
        if isinstance(obj, Tensor):
            return self._save_tensor(obj)
        if obj.__class__ is D.dtype:
            return self.save(_Global("torch", obj.name))
        from ._device import device

        if obj.__class__ is device:
            return self.save(_Reduce(_Global("torch", "device"), (str(obj),)))
        if obj.__class__ is Size:
            # torch writes a Size as `torch.Size((2, 3))`, which its weights-only loader accepts
            return self.save(_Reduce(_Global("torch", "Size"), (tuple(obj),)))
        return super().save(obj, save_persistent_id)

    def _save_tensor(self, t):
        x = self.memo.get(id(t))
        if x is not None:
            self.write(self.get(x[0]))
            return
        if t.layout is not _STRIDED:
            # torch's form: torch._utils._rebuild_sparse_tensor(layout, (indices, values, ...))
            from ._sparse import torch_save_args

            layout, data = torch_save_args(t)
            self.save(_Reduce(_REBUILD_SPARSE, (_Reduce(_GET_LAYOUT, ("torch." + layout.name,)),
                                                data)))
            self.memoize(t)
            return
        arr = t._data
        if t._device.type != "cpu":
            arr = move(arr, CPU)
        owner, flat, offset, stride = _storage_of(arr)
        key = self._storage_ids.get(id(owner))
        if key is None:
            key = str(len(self._storages))
            self._storage_ids[id(owner)] = key
            # keep the owner alive while writing, so that its id is not reused
            self._storages.append((key, flat))
            self._owners.append(owner)
        ref = _StorageRef(key, t._dtype, int(flat.size))
        hooks = _Reduce(_ORDERED_DICT, ())
        tensor_args = (ref, offset, tuple(arr.shape), stride, False, hooks)
        if _is_parameter(t):
            inner = _Reduce(_REBUILD_TENSOR, tensor_args)
            self.save(_Reduce(_REBUILD_PARAM, (inner, bool(t.requires_grad), hooks)))
        else:
            args = (ref, offset, tuple(arr.shape), stride, bool(t.requires_grad), hooks)
            self.save(_Reduce(_REBUILD_TENSOR, args))
        self.memoize(t)


def _storage_of(arr):
    """(owner, flat storage array, offset, strides in elements) for a NumPy array.

    Views of one array are written as one storage with offsets and strides, as torch does, so
    tensors that share memory before `save` still share it after `load`. An array that cannot
    be described that way (negative strides, a reinterpreted dtype) is written as a copy.
    """
    root = arr
    while isinstance(root.base, np.ndarray):
        root = root.base
    itemsize = arr.itemsize
    if (root is not arr and root.dtype == arr.dtype and root.flags.c_contiguous
            and arr.size > 0 and all(s >= 0 and s % itemsize == 0 for s in arr.strides)):
        byte_offset = arr.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        if byte_offset >= 0 and byte_offset % itemsize == 0:
            stride = tuple(s // itemsize for s in arr.strides)
            return root, root.reshape(-1), byte_offset // itemsize, stride
    if root is arr and arr.flags.c_contiguous:
        # the array owns its memory: views of it found later resolve to it
        return arr, arr.reshape(-1), 0, _contiguous_stride(arr.shape)
    return arr, np.ascontiguousarray(arr).reshape(-1), 0, _contiguous_stride(arr.shape)


def _is_parameter(t):
    return type(t).__name__ == "Parameter" and type(t) is not Tensor


def _contiguous_stride(shape):
    stride = []
    acc = 1
    for s in reversed(shape):
        stride.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(stride))


def _archive_name(f):
    if isinstance(f, (str, os.PathLike)):
        base = os.path.basename(os.fspath(f))
        stem = os.path.splitext(base)[0]
        return stem or "archive"
    return "archive"


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True):
    """Mirrors `torch.save`: PyTorch's zip checkpoint format, readable by torch.load."""
    buf = io.BytesIO()
    storages = []
    _Writer(buf, storages).dump(obj)
    name = _archive_name(f)
    if isinstance(f, (str, os.PathLike)):
        try:
            fh = open(f, "wb")  # noqa: SIM115 (closed by the `with` below)
        except FileNotFoundError:
            parent = os.path.dirname(os.fspath(f))
            if parent and not os.path.isdir(parent):
                raise RuntimeError(f"Parent directory {parent} does not exist.") from None
            raise
        with fh:
            _write_zip(fh, name, buf.getvalue(), storages)
    else:
        _write_zip(f, name, buf.getvalue(), storages)


def _write_zip(fh, name, pkl, storages):
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as z:
        _add(z, f"{name}/data.pkl", pkl)
        _add(z, f"{name}/.format_version", b"1")
        _add(z, f"{name}/.storage_alignment", b"64")
        _add(z, f"{name}/byteorder", b"little")
        for key, arr in storages:
            data = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
            _add(z, f"{name}/data/{key}", data, align=True)
        _add(z, f"{name}/version", b"3\n")
        _add(z, f"{name}/.data/serialization_id", b"0" * 40)


def _add(z, path, data, align=False):
    info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    if align:
        # pad the local header's extra field so the data starts at a multiple of 64,
        # as PyTorch's writer does (readers may mmap storages)
        offset = z.fp.tell() + 30 + len(path.encode())
        pad = (-(offset + 4)) % 64
        info.extra = struct.pack("<HH", 0x4654, pad) + b"Z" * pad
    z.writestr(info, data)


# ---------------------------------------------------------------- load
_safe_globals = {}


def add_safe_globals(safe_globals):
    """Mirrors `torch.serialization.add_safe_globals`: allow more globals in `load`."""
    for g in safe_globals:
        if isinstance(g, tuple):
            obj, name = g
            module, _, qual = name.rpartition(".")
        else:
            obj = g
            module = g.__module__
            qual = g.__qualname__
        _safe_globals[(module, qual)] = obj


def get_safe_globals():
    return list(_safe_globals.values())


def clear_safe_globals():
    _safe_globals.clear()


class UnpicklingError(pickle.UnpicklingError):
    pass


_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    # torch's weights-only allowlist has these too (MultiStepLR's state holds a Counter;
    # protocol-2 pickles spell bytes as _codecs.encode(str, "latin1"))
    ("collections", "Counter"): collections.Counter,
    ("_codecs", "encode"): codecs.encode,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "complex"): complex,
    ("builtins", "slice"): slice,
    ("builtins", "range"): range,
    ("builtins", "bytearray"): bytearray,
}


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False,
                       backward_hooks=None, metadata=None):
    arr, dtype = storage
    size = tuple(size)
    stride = tuple(stride)
    itemsize = arr.itemsize
    if not size:
        view = arr[storage_offset:storage_offset + 1].reshape(())
    else:
        view = np.lib.stride_tricks.as_strided(
            arr[storage_offset:], shape=size, strides=tuple(s * itemsize for s in stride)
        ) if arr.size else np.zeros(size, dtype=arr.dtype)
    # a view, not a copy: tensors saved from one storage share memory again, as in torch
    t = _new_tensor(view, dtype, CPU)
    if isinstance(storage, _LoadedStorage) and (storage_offset or view.size != arr.size):
        _view_of_storage(t, storage, storage_offset, size, stride)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _view_of_storage(t, storage, offset, size, stride):
    """Make t, a part of a loaded storage, a view of a tensor over the whole storage, so that
    `storage_offset()` and `untyped_storage()` answer as torch's do after `load`. A tensor
    that covers its whole storage (the usual case) stays a plain tensor: views take slower
    paths in in-place ops."""
    if storage.root is None:
        storage.root = _new_tensor(storage[0], storage[1], CPU)
    itemsize = storage[0].itemsize

    def view_fn(flat):
        if not size:
            return flat[offset:offset + 1].reshape(())
        return np.lib.stride_tricks.as_strided(
            flat[offset:], shape=size, strides=tuple(s * itemsize for s in stride))

    # its own version counter, as torch's `set_`-built tensors have
    t._view_of = (storage.root, view_fn)
    t.__dict__["_no_base"] = True


def _rebuild_parameter(data, requires_grad, backward_hooks=None):
    from .nn.parameter import Parameter

    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    p = _rebuild_parameter(data, requires_grad)
    for k, v in (state or {}).items():
        setattr(p, k, v)
    return p


def _rebuild_sparse_tensor(layout, data):
    # the package, not only ember._sparse: its install wires torch.mm & co to sparse tensors
    from . import sparse  # noqa: F401
    from ._sparse import rebuild_sparse_tensor

    return rebuild_sparse_tensor(layout, data)


def _get_layout(name):
    """Mirrors `torch.serialization._get_layout`: "torch.sparse_coo" -> the layout."""
    from ._ops import more

    layout = getattr(more, name.rpartition(".")[2], None)
    if layout.__class__ is not more.layout:
        raise pickle.UnpicklingError(f"unknown layout {name!r}")
    return layout


def _rebuild_device(s):
    from ._device import device

    return device(s)


def _torch_global(name):
    if name in D._NAMES:
        return D._NAMES[name]
    aliases = {"float": D.float32, "double": D.float64, "half": D.float16, "long": D.int64,
               "int": D.int32, "short": D.int16, "bool": D.bool_, "cfloat": D.complex64,
               "cdouble": D.complex128}
    if name in aliases:
        return aliases[name]
    if name == "device":
        return _rebuild_device
    if name == "Size":
        from ._tensor import Size

        return Size
    if name in _DTYPE_OF_STORAGE:
        return ("storage_type", name)
    return None


def _module_class(module, name):
    """For `weights_only=False`: the nn.Module subclass a whole pickled model names, found in a
    module that is already imported (the file makes nothing import), torch.nn's classes as
    ember's; None for anything else. Unpickling then builds the object with the class's
    `__new__` and `__setstate__` (or, at worst, calls the class's own constructor): no
    function named by the file runs."""
    from .nn.modules.module import Module

    cls = None
    if module == "torch" or module.startswith("torch."):
        mod = sys.modules.get("ember" + module[len("torch"):])
        cls = getattr(mod, name, None) if mod is not None else None
        if cls is None and module.startswith("torch.nn"):
            from . import nn

            cls = getattr(nn, name, None)
    else:
        mod = sys.modules.get(module)
        cls = getattr(mod, name, None) if mod is not None else None
    if isinstance(cls, type) and issubclass(cls, Module):
        return cls
    return None


def _hook_class(module, name):
    """For `weights_only=False`: the helper objects torch.nn keeps in a module's hook dicts
    (weight_norm / spectral_norm hooks, wrapped load_state_dict pre-hooks), by torch's or
    ember's name; None for anything else. They are plain data holders."""
    if not (module.startswith("torch.nn.") or module.startswith("ember.nn.")):
        return None
    short = module.split(".", 1)[1]
    if short == "nn.modules.module" and name in ("_WrappedHook",):
        from .nn.modules.module import _WrappedHook

        return _WrappedHook
    if short == "nn.utils.weight_norm" and name == "WeightNorm":
        from .nn.utils.weight_norm import WeightNorm

        return WeightNorm
    if short == "nn.utils.spectral_norm" and name in (
            "SpectralNorm", "SpectralNormStateDictHook", "SpectralNormLoadStateDictPreHook"):
        from .nn.utils.spectral_norm import (SpectralNorm, SpectralNormLoadStateDictPreHook,
                                             SpectralNormStateDictHook)

        return {"SpectralNorm": SpectralNorm, "SpectralNormStateDictHook":
                SpectralNormStateDictHook, "SpectralNormLoadStateDictPreHook":
                SpectralNormLoadStateDictPreHook}[name]
    return None


# harmless builtins a pickled module's state holds (its non-persistent buffer names)
_MODULE_STATE_BUILTINS = {("builtins", "set"): set, ("__builtin__", "set"): set,
                          ("builtins", "frozenset"): frozenset,
                          # (MultiStepLR's milestones in a scheduler state dict)
                          ("collections", "Counter"): collections.Counter}


def _weights_only_refusal(full_path):
    """torch.load's message for a global outside the weights-only allowlist."""
    module, _, name = full_path.rpartition(".")
    # protocol-2 pickles spell Python 3 modules the Python 2 way (__builtin__); torch names
    # them as Python 3 does, builtins without a prefix, and ember's classes as torch's
    module = _compat_pickle.IMPORT_MAPPING.get(module, module)
    if module == "ember" or module.startswith("ember."):
        module = "torch" + module[len("ember"):]
    full_path = name if module == "builtins" else f"{module}.{name}"
    return (
        "Weights only load failed. This file can still be loaded, to do so you have two "
        "options, \033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
        "\n\t(1) In PyTorch 2.6, we changed the default value of the `weights_only` argument in "
        "`torch.load` from `False` to `True`. Re-running `torch.load` with `weights_only` set to "
        "`False` will likely succeed, but it can result in arbitrary code execution. Do it only "
        "if you got the file from a trusted source.\n\t(2) Alternatively, to load with "
        "`weights_only=True` please check the recommended steps in the following error message."
        "\n\tWeightsUnpickler error: Unsupported global: GLOBAL "
        f"{full_path} was not an allowed global by default. Please use "
        f"`torch.serialization.add_safe_globals([{full_path}])` or the "
        f"`torch.serialization.safe_globals([{full_path}])` context manager to allowlist this "
        "global if you trust this class/function.\n\nCheck the documentation of torch.load to "
        "learn more about types accepted by default with weights_only "
        "https://pytorch.org/docs/stable/generated/torch.load.html."
    )


class _Reader(pickle.Unpickler):
    """Resolves only allowlisted globals; storages come from the zip by persistent id.
    With `modules=True` (`load(weights_only=False)`) also the classes of whole pickled
    models (see _module_class)."""

    def __init__(self, file, read_storage, modules=False):
        super().__init__(file, encoding="utf-8")
        self._read_storage = read_storage
        self._loaded = {}
        self._modules = modules

    def find_class(self, module, name):
        key = (module, name)
        if key in _safe_globals:
            return _safe_globals[key]
        if key in _ALLOWED:
            return _ALLOWED[key]
        if module == "torch._utils":
            fns = {
                "_rebuild_tensor_v2": _rebuild_tensor_v2,
                "_rebuild_parameter": _rebuild_parameter,
                "_rebuild_parameter_with_state": _rebuild_parameter_with_state,
                "_rebuild_sparse_tensor": _rebuild_sparse_tensor,
            }
            if name in fns:
                return fns[name]
        if module == "torch.serialization" and name == "_get_layout":
            return _get_layout
        if module == "torch":
            g = _torch_global(name)
            if g is not None:
                return g
        if module == "torch.nn.parameter" and name == "Parameter":
            from .nn.parameter import Parameter

            return Parameter
        if module in ("ember", "ember._dtype") and name in D._NAMES:
            return D._NAMES[name]
        if self._modules:
            if key in _MODULE_STATE_BUILTINS:
                return _MODULE_STATE_BUILTINS[key]
            cls = _module_class(module, name) or _hook_class(module, name)
            if cls is not None:
                return cls
        if not self._modules:
            # torch's weights-only refusal word for word (programs print it)
            raise UnpicklingError(_weights_only_refusal(f"{module}.{name}"))
        raise UnpicklingError(
            "Weights only load failed. In PyTorch 2.6, we changed the default value of the "
            "`weights_only` argument in `torch.load` from `False` to `True`. ember never "
            "unpickles arbitrary code.\n Please file an issue with the following so that we can "
            f"make `weights_only=True` compatible with your use case: WeightsUnpickler error: "
            f"Unsupported global: GLOBAL {module}.{name} was not an allowed global by default. "
            f"Please use `ember.serialization.add_safe_globals([{name}])` to allowlist this "
            "global if you trust this class/function."
        )

    def persistent_load(self, pid):
        if not isinstance(pid, tuple) or not pid or pid[0] != "storage":
            raise UnpicklingError(f"unsupported persistent id {pid!r}")
        _, storage_type, key, location, numel = pid
        if isinstance(storage_type, tuple) and storage_type[0] == "storage_type":
            dtype = _DTYPE_OF_STORAGE[storage_type[1]]
            if dtype is None:
                raise RuntimeError(f"ember has no dtype for {storage_type[1]}")
        elif isinstance(storage_type, D.dtype):
            dtype = storage_type
        else:
            raise UnpicklingError(f"unsupported storage type {storage_type!r}")
        if key not in self._loaded:
            self._loaded[key] = _LoadedStorage((self._read_storage(key, dtype, numel), dtype))
        return self._loaded[key]


class _LoadedStorage(tuple):
    """(flat array, dtype) of one storage read from a checkpoint; `root`, made on demand, is
    the tensor over the whole storage that partial tensors cut from it are views of."""

    root = None


def load(f, map_location=None, pickle_module=None, *, weights_only=True, mmap=None,
         **pickle_load_args):
    """Mirrors `torch.load`: reads PyTorch's zip checkpoints (and ember's).

    Never executes code from the file: globals outside an allowlist raise UnpicklingError,
    whatever `weights_only` says. `weights_only=False` (common in training scripts that save
    optimizer and scheduler state, and in those that save a whole model with
    `torch.save(model)`) loads every checkpoint made of tensors, numbers, strings and
    containers, plus whole models whose nn.Module classes the program has already imported or
    defined (torch.nn's as ember's); any other global is refused instead of run.
    """
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            data = fh.read()
    else:
        data = f.read()
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = z.namelist()
    except zipfile.BadZipFile:
        _not_a_zip(data)
    pkl = [n for n in names if n.endswith("/data.pkl") or n == "data.pkl"]
    if not pkl:
        raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")
    prefix = pkl[0][: -len("data.pkl")]
    byteorder = "little"
    if prefix + "byteorder" in names:
        byteorder = z.read(prefix + "byteorder").decode().strip()

    def read_storage(key, dtype, numel):
        try:
            raw = z.read(f"{prefix}data/{key}")
        except (KeyError, zipfile.BadZipFile) as e:
            raise RuntimeError(f"checkpoint is corrupt: storage {key} unreadable ({e})") from None
        np_dtype = dtype.np.newbyteorder("<" if byteorder == "little" else ">")
        if len(raw) < numel * dtype.itemsize:
            raise RuntimeError(f"checkpoint is corrupt: storage {key} is truncated")
        arr = np.frombuffer(raw, dtype=np_dtype, count=numel)
        return arr.astype(dtype.np)

    try:
        obj = _Reader(io.BytesIO(z.read(pkl[0])), read_storage,
                      modules=weights_only is False).load()
    except zipfile.BadZipFile as e:
        raise RuntimeError(f"checkpoint is corrupt: {e}") from None
    except UnpicklingError:
        # a refused global: say so, it is not corruption
        raise
    except (EOFError, struct.error, ValueError, IndexError, KeyError, TypeError,
            pickle.UnpicklingError) as e:
        raise RuntimeError(f"checkpoint is corrupt: data.pkl could not be read ({e!r})") from None
    if map_location is not None:
        obj = _map(obj, map_location)
    return obj


# the first pickle of torch's legacy (pre-1.6) format
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C

_NOT_ZIP = (
    "PytorchStreamReader failed reading zip archive: failed finding central directory. This is "
    "an internal miniz error. If you are seeing this error, there is a high likelihood that "
    "your checkpoint file is corrupted. This can happen if the checkpoint was not saved "
    "properly, was transferred incorrectly, or the file was modified after saving."
)


def _not_a_zip(data):
    """The error for a file that is not a zip checkpoint.

    torch reads such a file as its legacy format, which starts with a pickled magic number;
    ember reads that first pickle (with the same allowlist) for torch's errors: the refusal of
    a pickle that would run code, 'Invalid magic number' for any other pickle. A legacy
    checkpoint itself is not supported."""
    if not data:
        # torch's unpickler raises a bare EOFError here
        raise EOFError("the file is empty: not a checkpoint")
    if data[:1] != b"\x80":
        raise RuntimeError(_NOT_ZIP)
    try:
        magic = _Reader(io.BytesIO(data), None).load()
    except UnpicklingError:
        raise
    except Exception:  # noqa: BLE001 (a damaged pickle: its first object is no magic number)
        magic = None
    if magic != _LEGACY_MAGIC:
        raise RuntimeError("Invalid magic number; corrupt file?")
    raise RuntimeError(
        "ember.load reads PyTorch's zip checkpoint format (torch.save since 1.6); this file is "
        "in the legacy format, which is not supported"
    )


def _map(obj, map_location):
    if callable(map_location) and not isinstance(map_location, str):
        return obj
    if isinstance(map_location, dict):
        map_location = map_location.get("cpu", "cpu")
    dev = to_device(map_location)
    if isinstance(obj, Tensor):
        if _is_parameter(obj):
            obj.data = obj.data.to(dev)
            return obj
        return obj.to(dev)
    if isinstance(obj, dict):
        out = type(obj)()
        for k, v in obj.items():
            out[k] = _map(v, dev)
        if hasattr(obj, "__dict__"):
            out.__dict__.update(obj.__dict__)
        return out
    if isinstance(obj, list):
        return [_map(v, dev) for v in obj]
    if isinstance(obj, tuple):
        return type(obj)(_map(v, dev) for v in obj) if not hasattr(obj, "_fields") else \
            type(obj)(*(_map(v, dev) for v in obj))
    return obj


# ---------------------------------------------------------------- pickling tensors directly
def _reduce_tensor(t):
    arr = t._data if t._device.type == "cpu" else move(t._data, CPU)
    if _is_parameter(t):
        return (_unpickle_parameter, (np.array(arr), t._dtype.name, t.requires_grad))
    return (_unpickle_tensor, (np.array(arr), t._dtype.name, t.requires_grad, str(t._device)))


def _unpickle_tensor(arr, dtype_name, requires_grad, device="cpu"):
    t = _new_tensor(arr, D._NAMES[dtype_name], CPU)
    if device != "cpu":
        t = t.to(device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _unpickle_parameter(arr, dtype_name, requires_grad):
    from .nn.parameter import Parameter

    return Parameter(_new_tensor(arr, D._NAMES[dtype_name], CPU), requires_grad)


# ---------------------------------------------------------------- safetensors
_ST_CODES = {
    "float64": "F64", "float32": "F32", "float16": "F16", "int64": "I64", "int32": "I32",
    "int16": "I16", "int8": "I8", "uint8": "U8", "bool": "BOOL", "complex64": "C64",
    "bfloat16": "BF16",
}
_ST_DTYPES = {v: D._NAMES[k] for k, v in _ST_CODES.items()}


def save_file(tensors, filename, metadata=None):
    """Mirrors `safetensors.torch.save_file`: a dict of tensors to the safetensors format."""
    with open(filename, "wb") as fh:
        fh.write(save_bytes(tensors, metadata))


def save_bytes(tensors, metadata=None):
    """Mirrors `safetensors.torch.save`."""
    header = {}
    chunks = []
    offset = 0
    if metadata is not None:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        t = tensors[name]
        if not isinstance(t, Tensor):
            raise ValueError(f"Key `{name}` is invalid, expected ember.Tensor but received "
                             f"{type(t)}")
        arr = t._data if t._device.type == "cpu" else move(t._data, CPU)
        raw = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _ST_CODES[t._dtype.name], "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((-len(h)) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(chunks)


def load_file(filename, device="cpu"):
    """Mirrors `safetensors.torch.load_file`."""
    with open(filename, "rb") as fh:
        return load_bytes(fh.read(), device)


def load_bytes(data, device="cpu"):
    """Mirrors `safetensors.torch.load`."""
    if len(data) < 8:
        raise RuntimeError("safetensors file is truncated: no header")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise RuntimeError("safetensors file is truncated or corrupt: header too large")
    try:
        header = json.loads(data[8:8 + n])
    except ValueError as e:
        raise RuntimeError(f"safetensors header is not valid JSON: {e}") from None
    body = data[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dt = _ST_DTYPES.get(info["dtype"])
        if dt is None:
            raise RuntimeError(f"unsupported safetensors dtype {info['dtype']}")
        start, end = info["data_offsets"]
        if end > len(body) or start > end:
            raise RuntimeError(f"safetensors file is truncated: tensor {name} out of range")
        arr = np.frombuffer(body[start:end], dtype=dt.np.newbyteorder("<")).astype(dt.np)
        arr = arr.reshape(info["shape"])
        t = _new_tensor(arr, dt, CPU)
        if device != "cpu":
            t = t.to(device)
        out[name] = t
    return out
