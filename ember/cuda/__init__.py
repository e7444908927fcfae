"""Mirrors `torch.cuda` on CuPy. Nothing here imports CuPy until it is asked for.

Without CuPy or a GPU the functions behave as on a PyTorch built without CUDA: is_available() is
False, device_count() is 0, the memory counters are 0, seeding is a no-op, and whatever needs a
device raises AssertionError("Torch not compiled with CUDA enabled...").

Memory statistics come from CuPy's default memory pool (the allocator ember's arrays use):
memory_allocated is the bytes of the pool's blocks in use, memory_reserved the bytes the pool
holds from the driver. CuPy keeps no peaks, so the peaks are measured with a CuPy MemoryHook (see
`_PeakMemoryHook`) that the first memory query installs.
"""

import threading
import warnings
from collections import OrderedDict

from .. import _device as _dev
from .._device import _CUDA_HELP, cupy_module


def _cupy():
    """CuPy, or PyTorch's error for a build without CUDA."""
    cp = cupy_module()
    if cp is None:
        raise AssertionError(_CUDA_HELP)
    return cp


def is_available():
    """True when CuPy imports and sees a usable NVIDIA GPU."""
    return cupy_module() is not None


def device_count():
    """Mirrors `torch.cuda.device_count`."""
    cp = cupy_module()
    if cp is None:
        return 0
    return cp.cuda.runtime.getDeviceCount()


def is_initialized():
    """Mirrors `torch.cuda.is_initialized`: True once ember has loaded CuPy and found a GPU."""
    # reads the cache of cupy_module() so that asking does not initialise anything
    return bool(_dev._cupy) and _dev._cupy[0] is not None


def init():
    """Mirrors `torch.cuda.init`."""
    _cupy().cuda.runtime.getDeviceCount()


# ------------------------------------------------------------------------------- devices
def _device_index(dev, optional=False):
    """The device index of an int, 'cuda:i' string, ember.device or cuda.device; mirrors torch's
    `_get_device_index`. A device without an index (or None) is the current device when
    `optional`; a negative index is passed through (callers treat it as 'no device')."""
    if isinstance(dev, device):
        return dev.idx
    if isinstance(dev, str):
        dev = _dev.device(dev)
    if isinstance(dev, _dev.device):
        if dev.type != "cuda":
            raise ValueError(f"Expected a cuda device, but got: {dev}")
        idx = dev.index
    elif isinstance(dev, int):
        return dev
    else:
        idx = None
    if idx is None:
        if optional:
            return current_device()
        raise ValueError(
            f"Expected a torch.device with a specified index or an integer, but got:{dev}"
        )
    return idx


def current_device():
    """Mirrors `torch.cuda.current_device`."""
    return _cupy().cuda.runtime.getDevice()


def set_device(device):
    """Mirrors `torch.cuda.set_device`: a negative index is a no-op."""
    idx = _device_index(device)
    if idx >= 0:
        _cupy().cuda.runtime.setDevice(idx)


class device:
    """Mirrors `torch.cuda.device`: a context manager that makes a device current. A negative
    index or None is a no-op."""

    def __init__(self, device):
        if device is None:
            self.idx = current_device() if is_available() else -1
        else:
            self.idx = _device_index(device, optional=True)
        self.prev_idx = -1

    def __enter__(self):
        if self.idx < 0:
            self.prev_idx = -1
            return
        cp = cupy_module()
        if cp is None:
            # PyTorch without CUDA raises RuntimeError here (not AssertionError)
            raise RuntimeError(_CUDA_HELP)
        self.prev_idx = cp.cuda.runtime.getDevice()
        if self.prev_idx != self.idx:
            cp.cuda.runtime.setDevice(self.idx)

    def __exit__(self, type, value, traceback):
        if self.prev_idx >= 0 and self.prev_idx != self.idx:
            cupy_module().cuda.runtime.setDevice(self.prev_idx)
        return False


class device_of(device):
    """Mirrors `torch.cuda.device_of`: makes the device of a tensor current (no-op on the CPU)."""

    def __init__(self, obj):
        dev = obj.device
        super().__init__(dev.index if dev.type == "cuda" else -1)


class _CudaDeviceProperties:
    """Mirrors `torch._C._CudaDeviceProperties`, filled from cudaGetDeviceProperties."""

    def __init__(self, props):
        name = props["name"]
        self.name = name.decode() if isinstance(name, bytes) else str(name)
        self.major = props["major"]
        self.minor = props["minor"]
        self.total_memory = props["totalGlobalMem"]
        self.multi_processor_count = props["multiProcessorCount"]
        self.is_integrated = props.get("integrated", 0)
        self.is_multi_gpu_board = props.get("isMultiGpuBoard", 0)
        self.max_threads_per_multi_processor = props.get("maxThreadsPerMultiProcessor", 0)
        self.warp_size = props.get("warpSize", 32)
        self.regs_per_multiprocessor = props.get("regsPerMultiprocessor", 0)
        self.L2_cache_size = props.get("l2CacheSize", 0)

    def __repr__(self):
        mb = 1024 * 1024
        return (
            f"_CudaDeviceProperties(name='{self.name}', major={self.major}, "
            f"minor={self.minor}, total_memory={self.total_memory // mb}MB, "
            f"multi_processor_count={self.multi_processor_count}, "
            f"L2_cache_size={self.L2_cache_size // mb}MB)"
        )


_PROPERTIES = {}


def get_device_properties(device=None):
    """Mirrors `torch.cuda.get_device_properties`."""
    cp = _cupy()
    idx = _device_index(device, optional=True)
    if idx < 0 or idx >= device_count():
        raise AssertionError("Invalid device id")
    props = _PROPERTIES.get(idx)
    if props is None:
        # the properties never change; the query costs a driver call
        props = _CudaDeviceProperties(cp.cuda.runtime.getDeviceProperties(idx))
        _PROPERTIES[idx] = props
    return props


def get_device_name(device=None):
    """Mirrors `torch.cuda.get_device_name`."""
    return get_device_properties(device).name


def get_device_capability(device=None):
    """Mirrors `torch.cuda.get_device_capability`: (major, minor)."""
    props = get_device_properties(device)
    return props.major, props.minor


def is_bf16_supported(including_emulation=True):
    # ember has no bfloat16 dtype
    return False


def synchronize(device=None):
    """Mirrors `torch.cuda.synchronize`: wait for all work on a device."""
    cp = _cupy()
    cp.cuda.Device(_device_index(device, optional=True)).synchronize()


# ------------------------------------------------------------------------------- random
def _generator(idx):
    from .. import _random

    return _random._cuda_generator(_dev.device("cuda", idx))


def manual_seed(seed):
    """Mirrors `torch.cuda.manual_seed`: seeds the current device's default generator (no-op
    without CUDA)."""
    seed = int(seed)
    if is_available():
        _generator(current_device()).manual_seed(seed)


def manual_seed_all(seed):
    """Mirrors `torch.cuda.manual_seed_all`: seeds every device's default generator, also those
    made later, as `ember.manual_seed` does for CUDA."""
    from .. import _random

    seed = _random._check_seed(seed)
    _random._CUDA_SEED[0] = seed
    for g in _random._CUDA_GENERATORS.values():
        g.manual_seed(seed)


def seed():
    """Mirrors `torch.cuda.seed`: a random seed for the current device's generator."""
    if is_available():
        _generator(current_device()).seed()


def seed_all():
    """Mirrors `torch.cuda.seed_all`: one random seed for every device's generator."""
    if is_available():
        s = _generator(current_device()).seed()
        manual_seed_all(s)


def initial_seed():
    """Mirrors `torch.cuda.initial_seed`."""
    _cupy()
    return _generator(current_device()).initial_seed()


def _rng_index(device):
    if isinstance(device, int):
        return device
    d = _dev.device(device)
    return current_device() if d.index is None else d.index


def get_rng_state(device="cuda"):
    """Mirrors `torch.cuda.get_rng_state`: the generator state as a uint8 CPU tensor."""
    _cupy()
    return _generator(_rng_index(device)).get_state()


def set_rng_state(new_state, device="cuda"):
    """Mirrors `torch.cuda.set_rng_state` (no-op without CUDA)."""
    if is_available():
        _generator(_rng_index(device)).set_state(new_state)


def get_rng_state_all():
    """Mirrors `torch.cuda.get_rng_state_all`."""
    return [get_rng_state(i) for i in range(device_count())]


def set_rng_state_all(new_states):
    """Mirrors `torch.cuda.set_rng_state_all`."""
    for i, state in enumerate(new_states):
        set_rng_state(state, i)


# ------------------------------------------------------------------------------- memory
# device index -> [bytes in use, peak bytes in use, peak bytes reserved]
_PEAK = {}
_PEAK_HOOK = []
_PEAK_TLS = threading.local()


def _pool_bytes(cp, idx):
    """(used, reserved) bytes of CuPy's default pool on device idx (CuPy's pool counts per
    device, for the current one)."""
    with cp.cuda.Device(idx):
        pool = cp.get_default_memory_pool()
        return pool.used_bytes(), pool.total_bytes()


def _peak_counters(cp, idx):
    st = _PEAK.get(idx)
    if st is None:
        used, reserved = _pool_bytes(cp, idx)
        st = [used, used, reserved]
        _PEAK[idx] = st
    return st


def _make_peak_hook(cp):
    class _PeakMemoryHook(cp.cuda.MemoryHook):
        """Keeps a running count of the pool's bytes in use from CuPy's malloc/free callbacks
        (which give the rounded block size), and the highest value it reached. CuPy computes
        used_bytes() by walking every block in use, too slow to call on each allocation."""

        name = "ember_peak_memory"

        def malloc_preprocess(self, **kw):
            # a device seen for the first time starts from the pool's count before this block
            _peak_counters(cp, kw["device_id"])

        def malloc_postprocess(self, **kw):
            if kw["mem_ptr"] == 0:
                # a failed or empty allocation
                return
            st = _PEAK[kw["device_id"]]
            st[0] += kw["mem_size"]
            st[1] = max(st[1], st[0])

        def free_postprocess(self, **kw):
            st = _PEAK.get(kw["device_id"])
            if st is not None:
                st[0] -= kw["mem_size"]

        def alloc_postprocess(self, **kw):
            # the pool took new memory from the driver: its reserved total may be a new peak
            if kw["mem_ptr"] == 0:
                return
            st = _peak_counters(cp, kw["device_id"])
            reserved = _pool_bytes(cp, kw["device_id"])[1]
            st[2] = max(st[2], reserved)

    return _PeakMemoryHook()


def _track_peaks(cp, idx):
    """Start measuring peaks in this thread (CuPy's hooks are per thread); returns device idx's
    counters, brought in line with the pool's exact count, and its reserved bytes now."""
    if getattr(_PEAK_TLS, "hook", None) is None:
        if not _PEAK_HOOK:
            _PEAK_HOOK.append(_make_peak_hook(cp))
        _PEAK_HOOK[0].__enter__()
        _PEAK_TLS.hook = _PEAK_HOOK[0]
    used, reserved = _pool_bytes(cp, idx)
    st = _peak_counters(cp, idx)
    st[0] = used
    st[1] = max(st[1], used)
    st[2] = max(st[2], reserved)
    return st, reserved


def _stop_peak_tracking():
    """Remove the peak hook from this thread and forget the peaks (for tests: with the hook
    installed CuPy calls into Python on every allocation)."""
    hook = getattr(_PEAK_TLS, "hook", None)
    if hook is not None:
        hook.__exit__(None, None, None)
        _PEAK_TLS.hook = None
    _PEAK.clear()


def memory_allocated(device=None):
    """Mirrors `torch.cuda.memory_allocated`: bytes of CuPy's default pool in use (0 without
    CUDA)."""
    cp = cupy_module()
    if cp is None:
        return 0
    st, _ = _track_peaks(cp, _device_index(device, optional=True))
    return st[0]


def max_memory_allocated(device=None):
    """Mirrors `torch.cuda.max_memory_allocated`: the peak of memory_allocated since the last
    reset_peak_memory_stats, or since ember first measured memory in this process (the first
    call of a memory function, or of memory_stats)."""
    cp = cupy_module()
    if cp is None:
        return 0
    st, _ = _track_peaks(cp, _device_index(device, optional=True))
    return st[1]


def memory_reserved(device=None):
    """Mirrors `torch.cuda.memory_reserved`: bytes CuPy's default pool holds from the driver."""
    cp = cupy_module()
    if cp is None:
        return 0
    _, reserved = _track_peaks(cp, _device_index(device, optional=True))
    return reserved


def max_memory_reserved(device=None):
    """Mirrors `torch.cuda.max_memory_reserved` (peak measured like max_memory_allocated)."""
    cp = cupy_module()
    if cp is None:
        return 0
    st, _ = _track_peaks(cp, _device_index(device, optional=True))
    return st[2]


def reset_peak_memory_stats(device=None):
    """Mirrors `torch.cuda.reset_peak_memory_stats`: the peaks restart from the current values."""
    cp = _cupy()
    st, reserved = _track_peaks(cp, _device_index(device, optional=True))
    st[1] = st[0]
    st[2] = reserved


def reset_max_memory_allocated(device=None):
    """Mirrors `torch.cuda.reset_max_memory_allocated`."""
    warnings.warn(
        "torch.cuda.reset_max_memory_allocated now calls torch.cuda.reset_peak_memory_stats, "
        "which resets /all/ peak memory stats.",
        FutureWarning,
        stacklevel=2,
    )
    return reset_peak_memory_stats(device=device)


def reset_max_memory_cached(device=None):
    """Mirrors `torch.cuda.reset_max_memory_cached`."""
    warnings.warn(
        "torch.cuda.reset_max_memory_cached now calls torch.cuda.reset_peak_memory_stats, "
        "which resets /all/ peak memory stats.",
        FutureWarning,
        stacklevel=2,
    )
    return reset_peak_memory_stats(device=device)


def memory_stats(device=None):
    """Mirrors `torch.cuda.memory_stats` for the counters ember has: allocated and reserved
    bytes, current and peak. Empty without CUDA, as in PyTorch."""
    stats = OrderedDict()
    cp = cupy_module()
    if cp is None:
        return stats
    st, reserved = _track_peaks(cp, _device_index(device, optional=True))
    stats["allocated_bytes.all.current"] = st[0]
    stats["allocated_bytes.all.peak"] = st[1]
    stats["reserved_bytes.all.current"] = reserved
    stats["reserved_bytes.all.peak"] = st[2]
    return stats


def mem_get_info(device=None):
    """Mirrors `torch.cuda.mem_get_info`: (free, total) bytes of the device, from the driver."""
    cp = _cupy()
    idx = _device_index(device, optional=True)
    with cp.cuda.Device(idx):
        free, total = cp.cuda.runtime.memGetInfo()
    return free, total


def _fmt_bytes(n):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.2f} {unit}"
        n /= 1024


def memory_summary(device=None, abbreviated=False):
    """Mirrors `torch.cuda.memory_summary`: a short table of the counters ember keeps."""
    cp = _cupy()
    idx = _device_index(device, optional=True)
    stats = memory_stats(idx)
    free, total = mem_get_info(idx)
    with cp.cuda.Device(idx):
        free_blocks = cp.get_default_memory_pool().n_free_blocks()
    rows = [
        (
            "Allocated memory",
            stats["allocated_bytes.all.current"],
            stats["allocated_bytes.all.peak"],
        ),
        ("Reserved memory", stats["reserved_bytes.all.current"], stats["reserved_bytes.all.peak"]),
    ]
    lines = [
        f"ember CUDA memory summary, device ID {idx} (CuPy default memory pool)",
        f"{'Metric':<20}{'Cur Usage':>16}{'Peak Usage':>16}",
    ]
    for label, cur, peak in rows:
        lines.append(f"{label:<20}{_fmt_bytes(cur):>16}{_fmt_bytes(peak):>16}")
    lines.append(f"{'Cached free blocks':<20}{free_blocks:>16}")
    lines.append(f"{'Device memory':<20}{_fmt_bytes(free) + ' free':>16} of {_fmt_bytes(total)}")
    return "\n".join(lines) + "\n"


def empty_cache():
    """Mirrors `torch.cuda.empty_cache`: return CuPy's cached free blocks (current device) to
    the driver. A no-op without CUDA."""
    cp = cupy_module()
    if cp is not None:
        cp.get_default_memory_pool().free_all_blocks()


# ------------------------------------------------------------------------------- streams
class Stream:
    """Mirrors `torch.cuda.Stream` on a `cupy.cuda.Stream`. Lower priority numbers are more
    urgent; 0 is the default."""

    def __init__(self, device=None, priority=0):
        cp = cupy_module()
        if cp is None:
            raise RuntimeError("torch.cuda.Stream requires CUDA support")
        idx = _device_index(device, optional=True)
        with cp.cuda.Device(idx):
            self._cp = cp.cuda.Stream(priority=priority)
        self._index = idx

    @classmethod
    def _wrap(cls, cp_stream, idx):
        """A Stream around an existing CuPy stream (the null stream has device_id -1)."""
        self = object.__new__(cls)
        self._cp = cp_stream
        self._index = cp_stream.device_id if cp_stream.device_id >= 0 else idx
        return self

    @property
    def device(self):
        return _dev.device("cuda", self._index)

    @property
    def device_index(self):
        return self._index

    @property
    def cuda_stream(self):
        return self._cp.ptr

    @property
    def priority(self):
        return self._cp.priority

    def query(self):
        """True when all work queued on the stream has finished."""
        return self._cp.done

    def synchronize(self):
        """Wait for all work queued on the stream."""
        self._cp.synchronize()

    def wait_event(self, event):
        """Make future work on this stream wait for the event."""
        event.wait(self)

    def wait_stream(self, stream):
        """Make future work on this stream wait for the work queued on `stream` so far."""
        self.wait_event(stream.record_event())

    def record_event(self, event=None):
        """Record an event (a new one by default) on this stream; returns it."""
        if event is None:
            event = Event()
        event.record(self)
        return event

    def __eq__(self, other):
        if isinstance(other, Stream):
            return self.cuda_stream == other.cuda_stream and self._index == other._index
        return False

    def __hash__(self):
        return hash((self.cuda_stream, self._index))

    def __repr__(self):
        return f"<torch.cuda.Stream device={self.device} cuda_stream={self.cuda_stream:#x}>"


def current_stream(device=None):
    """Mirrors `torch.cuda.current_stream`."""
    cp = _cupy()
    idx = _device_index(device, optional=True)
    return Stream._wrap(cp.cuda.get_current_stream(idx), idx)


def default_stream(device=None):
    """Mirrors `torch.cuda.default_stream`: CuPy's null stream."""
    cp = _cupy()
    idx = _device_index(device, optional=True)
    return Stream._wrap(cp.cuda.Stream.null, idx)


def set_stream(stream):
    """Mirrors `torch.cuda.set_stream`: make `stream` current on its device."""
    if stream is None:
        return
    cp = _cupy()
    with cp.cuda.Device(stream.device_index):
        stream._cp.use()


class StreamContext:
    """Mirrors `torch.cuda.StreamContext`: work inside runs on `stream` (no-op for None)."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        s = self.stream
        if s is None:
            return
        cp = _cupy()
        # CuPy keeps a current stream per device and refuses a stream of another device
        with cp.cuda.Device(s.device_index):
            s._cp.__enter__()

    def __exit__(self, type, value, traceback):
        s = self.stream
        if s is None:
            return
        with cupy_module().cuda.Device(s.device_index):
            s._cp.__exit__(type, value, traceback)


def stream(stream):
    """Mirrors `torch.cuda.stream`: a context manager that makes `stream` current."""
    return StreamContext(stream)


# ------------------------------------------------------------------------------- events
class Event:
    """Mirrors `torch.cuda.Event` on a `cupy.cuda.Event`, made when first recorded (as in
    PyTorch, so an event never recorded is 'done' and waits for nothing)."""

    def __init__(self, enable_timing=False, blocking=False, interprocess=False):
        if cupy_module() is None:
            raise RuntimeError("torch.cuda.Event requires CUDA support")
        self.enable_timing = enable_timing
        self.blocking = blocking
        self.interprocess = interprocess
        self._cp = None

    def record(self, stream=None):
        """Record the event on a stream (the current stream by default)."""
        if stream is None:
            stream = current_stream()
        if self._cp is None:
            cp = cupy_module()
            with cp.cuda.Device(stream.device_index):
                self._cp = cp.cuda.Event(
                    block=self.blocking,
                    disable_timing=not self.enable_timing,
                    interprocess=self.interprocess,
                )
        self._cp.record(stream._cp)

    def wait(self, stream=None):
        """Make future work on `stream` (the current one by default) wait for this event."""
        if stream is None:
            stream = current_stream()
        if self._cp is not None:
            stream._cp.wait_event(self._cp)

    def query(self):
        """True when the work recorded before the event has finished."""
        if self._cp is None:
            return True
        return self._cp.done

    def synchronize(self):
        """Wait until the work recorded before the event has finished."""
        if self._cp is not None:
            self._cp.synchronize()

    def elapsed_time(self, end_event):
        """Milliseconds from this event to `end_event`; both must have finished."""
        if not (self.enable_timing and end_event.enable_timing):
            raise ValueError("Both events must be created with argument 'enable_timing=True'.")
        if self._cp is None or end_event._cp is None:
            raise ValueError("Both events must be recorded before calculating elapsed time.")
        if not (self.query() and end_event.query()):
            raise RuntimeError("Both events must be completed before calculating elapsed time.")
        return cupy_module().cuda.get_elapsed_time(self._cp, end_event._cp)

    @property
    def cuda_event(self):
        return 0 if self._cp is None else self._cp.ptr

    def __repr__(self):
        if self._cp is None:
            return "<torch.cuda.Event uninitialized>"
        return f"<torch.cuda.Event {self._cp.ptr:#x}>"


def __getattr__(name):
    # `torch.cuda.amp` is reachable as an attribute without its own import statement
    if name == "amp":
        import importlib

        return importlib.import_module(__name__ + ".amp")
    raise AttributeError(f"module 'ember.cuda' has no attribute '{name}'")
