"""`cupy.cuda` of the fake CuPy: one device, no-op synchronisation, host-timed events, streams,
a memory pool that counts the bytes of live arrays, and CuPy's memory hooks.

Names and signatures follow real CuPy (cupy.cuda.runtime, Device, Event, Stream,
get_current_stream, get_elapsed_time, MemoryHook, get_default_memory_pool) so that code that
runs here calls only what the real CuPy has.

The pool: `used_bytes()` is the size of every distinct NumPy buffer behind a live fake array
(found by walking the garbage collector's objects, so nothing is paid when nobody asks). While a
MemoryHook is registered, new buffers are reported to it as CuPy's pool reports its blocks
(malloc_preprocess / alloc_* / malloc_postprocess, then free_* when the buffer dies), and the
pool counts from those events instead of walking the heap. Sizes are not rounded to 512 bytes.
"""

import collections
import gc
import itertools
import sys as _sys
import threading
import time
import weakref

import numpy as _np

from . import _DeviceObj, ndarray


def is_available():
    return True


Device = _DeviceObj

# handles for streams and events: nonzero, distinct, like the pointers CUDA hands out
_HANDLES = itertools.count(0x1000, 0x10)
_TOTAL_MEMORY = 1 << 34


class CUDARuntimeError(RuntimeError):
    """Mirrors `cupy_backends.cuda.api.runtime.CUDARuntimeError` (a RuntimeError)."""


class _Runtime:
    CUDARuntimeError = CUDARuntimeError
    streamPerThread = 2

    @staticmethod
    def getDeviceCount():
        return 1

    @staticmethod
    def getDevice():
        return 0

    @staticmethod
    def setDevice(i):
        if i != 0:
            raise CUDARuntimeError("cudaErrorInvalidDevice: invalid device ordinal")

    @staticmethod
    def getDeviceProperties(i):
        if i != 0:
            raise CUDARuntimeError("cudaErrorInvalidDevice: invalid device ordinal")
        return {
            "name": b"Fake GPU (NumPy)",
            "totalGlobalMem": _TOTAL_MEMORY,
            "major": 9,
            "minor": 0,
            "multiProcessorCount": 1,
            "l2CacheSize": 1 << 20,
            "warpSize": 32,
            "maxThreadsPerMultiProcessor": 2048,
            "regsPerMultiprocessor": 65536,
            "integrated": 0,
            "isMultiGpuBoard": 0,
        }

    @staticmethod
    def memGetInfo():
        return (_TOTAL_MEMORY - _POOL.total_bytes(), _TOTAL_MEMORY)

    @staticmethod
    def deviceSynchronize():
        pass


runtime = _Runtime()


# ------------------------------------------------------------------------------- memory hooks
_HOOK_TLS = threading.local()


def get_memory_hooks():
    """The hooks registered in this thread (CuPy keeps them per thread too)."""
    hooks = getattr(_HOOK_TLS, "hooks", None)
    if hooks is None:
        hooks = collections.OrderedDict()
        _HOOK_TLS.hooks = hooks
    return hooks


class MemoryHook:
    """Mirrors `cupy.cuda.MemoryHook`: registered with `with hook:`, per thread, by name."""

    name = "MemoryHook"

    def __enter__(self):
        hooks = get_memory_hooks()
        if self.name in hooks:
            raise KeyError(f"memory hook {self.name} already exists")
        hooks[self.name] = self
        _Tracker.hook_registered()
        return self

    def __exit__(self, *_):
        del get_memory_hooks()[self.name]
        _Tracker.hook_removed()

    def alloc_preprocess(self, **kwargs):
        pass

    def alloc_postprocess(self, **kwargs):
        pass

    def malloc_preprocess(self, **kwargs):
        pass

    def malloc_postprocess(self, **kwargs):
        pass

    def free_preprocess(self, **kwargs):
        pass

    def free_postprocess(self, **kwargs):
        pass


class _MemoryHookModule:
    """`cupy.cuda.memory_hook`."""

    MemoryHook = MemoryHook
    get_memory_hooks = staticmethod(get_memory_hooks)


memory_hook = _MemoryHookModule()


# ------------------------------------------------------------------------------- memory pool
def _root(a):
    """The NumPy array that owns the buffer behind `a` (views count their buffer once)."""
    while a.base.__class__ is _np.ndarray:
        a = a.base
    return a


def _live_roots():
    roots = {}
    for obj in gc.get_objects():
        # type(), not .__class__: some objects (lazy modules) warn when their attributes are read
        if type(obj) is ndarray:
            root = _root(obj._a)
            roots[id(root)] = root
    return roots


# the fake array's constructors, kept out of any class: a classmethod read back through a class
# attribute would come out bound to that class
_ORIG_WRAP = ndarray.__dict__["_wrap"]
_ORIG_INIT = ndarray.__dict__["__init__"]
# id(root buffer) -> (nbytes, pointer, weak reference whose callback reports the free)
_BUFFERS = {}


class _Tracker:
    """Counts buffers as they are made and freed, while at least one memory hook is registered."""

    on = False
    current = 0
    registered = 0

    @classmethod
    def hook_registered(cls):
        cls.registered += 1
        if not cls.on:
            cls.start()

    @classmethod
    def hook_removed(cls):
        cls.registered -= 1
        if cls.registered == 0:
            cls.stop()

    @classmethod
    def start(cls):
        cls.on = True
        cls.current = 0
        for root in _live_roots().values():
            cls.watch(root)
        ndarray._wrap = classmethod(_tracking_wrap)
        ndarray.__init__ = _tracking_init

    @classmethod
    def stop(cls):
        ndarray._wrap = _ORIG_WRAP
        ndarray.__init__ = _ORIG_INIT
        # dropping the weak references drops their callbacks: nothing is reported any more
        _BUFFERS.clear()
        cls.current = 0
        cls.on = False

    @classmethod
    def watch(cls, root):
        """Start counting `root`; returns its size, or 0 when it was counted already."""
        key = id(root)
        size = root.nbytes
        if size == 0 or key in _BUFFERS:
            return 0
        ptr = root.__array_interface__["data"][0]
        ref = weakref.ref(root, lambda _ref, key=key: cls.freed(key))
        _BUFFERS[key] = (size, ptr, ref)
        cls.current += size
        return size

    @classmethod
    def allocated(cls, a):
        root = _root(a)
        if id(root) in _BUFFERS or root.nbytes == 0:
            return
        hooks = list(get_memory_hooks().values())
        size = root.nbytes
        for h in hooks:
            h.malloc_preprocess(device_id=0, size=size, mem_size=size)
        cls.watch(root)
        ptr = _BUFFERS[id(root)][1]
        if cls.current > _POOL._reserved:
            # the pool grows: CuPy would call cudaMalloc here
            grow = cls.current - _POOL._reserved
            for h in hooks:
                h.alloc_preprocess(device_id=0, mem_size=grow)
            _POOL._reserved = cls.current
            for h in hooks:
                h.alloc_postprocess(device_id=0, mem_size=grow, mem_ptr=ptr)
        for h in hooks:
            h.malloc_postprocess(
                device_id=0, size=size, mem_size=size, mem_ptr=ptr, pmem_id=id(root)
            )

    @classmethod
    def freed(cls, key):
        entry = _BUFFERS.pop(key, None)
        if entry is None:
            return
        size, ptr, _ = entry
        hooks = list(get_memory_hooks().values())
        for h in hooks:
            h.free_preprocess(device_id=0, mem_size=size, mem_ptr=ptr, pmem_id=key)
        cls.current -= size
        for h in hooks:
            h.free_postprocess(device_id=0, mem_size=size, mem_ptr=ptr, pmem_id=key)


def _tracking_wrap(cls, a):
    self = _ORIG_WRAP.__func__(cls, a)
    _Tracker.allocated(a)
    return self


def _tracking_init(self, shape, dtype=float):
    _ORIG_INIT(self, shape, dtype)
    _Tracker.allocated(self._a)


class _Pool:
    """Mirrors the used/total/free byte counts of `cupy.cuda.MemoryPool` (one device)."""

    def __init__(self):
        # the high-water mark of used bytes since the last free_all_blocks: the "cached" blocks
        self._reserved = 0

    def used_bytes(self):
        if _Tracker.on:
            return _Tracker.current
        return sum(r.nbytes for r in _live_roots().values())

    def total_bytes(self):
        self._reserved = max(self._reserved, self.used_bytes())
        return self._reserved

    def free_bytes(self):
        return self.total_bytes() - self.used_bytes()

    def n_free_blocks(self):
        return 1 if self.free_bytes() else 0

    def free_all_blocks(self, stream=None):
        self._reserved = self.used_bytes()


_POOL = _Pool()


def get_default_memory_pool():
    return _POOL


# real CuPy has this at the top level (`cupy.get_default_memory_pool()`); the package imports this
# module while it loads, so the name is put there from here
_sys.modules[__package__].get_default_memory_pool = get_default_memory_pool


# ------------------------------------------------------------------------------- events
class Event:
    """Mirrors `cupy.cuda.Event`; the time is taken on the host when the event is recorded."""

    def __init__(self, block=False, disable_timing=False, interprocess=False):
        if interprocess and not disable_timing:
            raise ValueError("Timing must be disabled for interprocess events")
        self._timing = not disable_timing
        self._t = None
        self.ptr = next(_HANDLES)

    @property
    def done(self):
        return True

    def record(self, stream=None):
        self._t = time.perf_counter()

    def synchronize(self):
        pass


def get_elapsed_time(start_event, end_event):
    """Milliseconds between two recorded timing events, as `cupy.cuda.get_elapsed_time`."""
    for e in (start_event, end_event):
        if not e._timing or e._t is None:
            raise CUDARuntimeError("cudaErrorInvalidResourceHandle: invalid resource handle")
    return (end_event._t - start_event._t) * 1000.0


# ------------------------------------------------------------------------------- streams
_STREAM_TLS = threading.local()


def _stream_state():
    st = getattr(_STREAM_TLS, "state", None)
    if st is None:
        # [current stream, stack of streams entered with `with`]
        st = [Stream.null, []]
        _STREAM_TLS.state = st
    return st


def _check_device(device_id):
    if device_id not in (-1, 0):
        raise RuntimeError(
            f"The device that the stream is created on ({device_id}) does not match with "
            "the current device (0)"
        )


class Stream:
    """Mirrors `cupy.cuda.Stream`; work runs at once, so streams only keep their bookkeeping."""

    null = None
    ptds = None

    def __init__(self, null=False, non_blocking=False, ptds=False, priority=None):
        if null:
            self.ptr = 0
            self.device_id = -1
        elif ptds:
            self.ptr = runtime.streamPerThread
            self.device_id = -1
        else:
            self.ptr = next(_HANDLES)
            self.device_id = runtime.getDevice()
        # CUDA clamps priorities to its range [-5, 0]; lower is more urgent
        self._priority = min(0, max(-5, priority or 0))

    def __eq__(self, other):
        if isinstance(other, Stream):
            return self.ptr == other.ptr
        return False

    def __hash__(self):
        return self.ptr

    def __repr__(self):
        return f"<Stream {self.ptr} (device {self.device_id})>"

    def __enter__(self):
        _check_device(self.device_id)
        st = _stream_state()
        st[1].append(st[0])
        st[0] = self
        return self

    def __exit__(self, *args):
        st = _stream_state()
        st[0] = st[1].pop()

    def use(self):
        _check_device(self.device_id)
        _stream_state()[0] = self
        return self

    @property
    def done(self):
        return True

    @property
    def priority(self):
        return self._priority

    def synchronize(self):
        pass

    def record(self, event=None):
        if event is None:
            event = Event()
        event.record(self)
        return event

    def wait_event(self, event):
        pass


Stream.null = Stream(null=True)
Stream.ptds = Stream(ptds=True)


def get_current_stream(device_id=-1):
    return _stream_state()[0]
