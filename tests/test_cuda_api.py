"""`ember.cuda` against `torch.cuda`: devices, properties, memory counters, streams, events, seeds.

Tests marked `needs_cuda` run where ember sees a GPU (or the CuPy stand-in, EMBER_FAKE_CUDA=1)
and compare with torch.cuda when torch sees a GPU too. Tests marked `no_cuda` check the
behaviour without CUDA against the local torch, which must then have no CUDA either.
"""

import gc

import numpy as np
import pytest
import torch

import ember

CUDA = ember.cuda.is_available()
TORCH_CUDA = torch.cuda.is_available()
MIB = 1 << 20

needs_cuda = pytest.mark.skipif(not CUDA, reason="needs a CUDA device (or EMBER_FAKE_CUDA=1)")
needs_torch_cuda = pytest.mark.skipif(not (CUDA and TORCH_CUDA), reason="needs torch with CUDA")
no_cuda = pytest.mark.skipif(
    CUDA or TORCH_CUDA, reason="checks the CUDA-less behaviour against a torch without CUDA"
)
NOT_COMPILED = "^Torch not compiled with CUDA enabled"


@pytest.fixture(autouse=True, scope="module")
def _remove_peak_hook():
    yield
    # the peak-memory hook makes CuPy call into Python on every allocation: keep it out of
    # the tests that follow
    ember.cuda._stop_peak_tracking()


def _outcome(fn):
    try:
        return ("returns", fn())
    except Exception as e:  # noqa: BLE001 - the exception is the result being compared
        return ("raises", type(e), str(e))


# ------------------------------------------------------------------------------- without CUDA
@no_cuda
@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.init(),
        lambda m: m.current_device(),
        lambda m: m.get_device_name(),
        lambda m: m.get_device_name(0),
        lambda m: m.get_device_properties(0),
        lambda m: m.get_device_capability(),
        lambda m: m.mem_get_info(),
        lambda m: m.synchronize(),
        lambda m: m.current_stream(),
        lambda m: m.default_stream(),
        lambda m: m.initial_seed(),
        lambda m: m.get_rng_state(),
    ],
)
def test_without_cuda_raises_not_compiled(call):
    expected = _outcome(lambda: call(torch.cuda))
    assert expected[0] == "raises"
    with pytest.raises(expected[1], match=NOT_COMPILED):
        call(ember.cuda)


@no_cuda
@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.is_available(),
        lambda m: m.device_count(),
        lambda m: m.is_initialized(),
        lambda m: m.memory_allocated(),
        lambda m: m.max_memory_allocated(),
        lambda m: m.memory_reserved(),
        lambda m: m.max_memory_reserved(),
        lambda m: dict(m.memory_stats()),
        lambda m: m.empty_cache(),
        lambda m: m.manual_seed(1),
        lambda m: m.manual_seed_all(1),
        lambda m: m.seed(),
        lambda m: m.seed_all(),
        lambda m: m.get_rng_state_all(),
        lambda m: m.is_bf16_supported(),
    ],
)
def test_without_cuda_returns_like_torch(call):
    expected = _outcome(lambda: call(torch.cuda))
    assert expected[0] == "returns"
    assert call(ember.cuda) == expected[1]


@no_cuda
@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.Event(),
        lambda m: m.Event(enable_timing=True),
        lambda m: m.Stream(),
        lambda m: m.device(0).__enter__(),
    ],
)
def test_without_cuda_raises_runtime_error(call):
    expected = _outcome(lambda: call(torch.cuda))
    assert expected[:2] == ("raises", RuntimeError)
    with pytest.raises(RuntimeError):
        call(ember.cuda)


@no_cuda
def test_without_cuda_noop_contexts():
    # a negative index, a CPU tensor and a None stream select nothing, in torch too
    for m, lib in ((torch.cuda, torch), (ember.cuda, ember)):
        with m.device(-1):
            pass
        with m.device_of(lib.zeros(2)):
            pass
        with m.stream(None):
            pass
        m.set_device(-1)


@no_cuda
def test_without_cuda_peak_reset_and_summary_raise():
    # a CPU-only torch fails here with internal errors (AttributeError, KeyError); ember says
    # that CUDA is missing, as the rest of its CUDA-less API does
    with pytest.raises(AttributeError):
        torch.cuda.reset_peak_memory_stats()
    with pytest.raises(AssertionError, match=NOT_COMPILED):
        ember.cuda.reset_peak_memory_stats()
    with pytest.raises(AssertionError, match=NOT_COMPILED):
        ember.cuda.memory_summary()
    with pytest.raises(AssertionError, match=NOT_COMPILED):
        ember.cuda.set_device(0)


# ------------------------------------------------------------------------------- any build
@pytest.mark.parametrize("arg", ["cpu", "cuda"])
def test_set_device_argument_errors_match_torch(arg):
    # torch checks the argument before it touches CUDA
    expected = _outcome(lambda: torch.cuda.set_device(torch.device(arg)))
    assert expected[:2] == ("raises", ValueError)
    with pytest.raises(ValueError) as info:
        ember.cuda.set_device(ember.device(arg))
    assert str(info.value) == expected[2]
    with pytest.raises(ValueError) as info:
        ember.cuda.set_device(arg)
    assert str(info.value) == expected[2]


def test_cuda_seeding_leaves_cpu_generator_alone():
    for m in (torch, ember):
        m.manual_seed(0)
        a = m.rand(4, device="cpu").tolist()
        m.manual_seed(0)
        m.cuda.manual_seed(5)
        m.cuda.manual_seed_all(6)
        b = m.rand(4, device="cpu").tolist()
        assert a == b


# ------------------------------------------------------------------------------- devices
@needs_cuda
def test_device_count_and_current_device():
    n = ember.cuda.device_count()
    assert n >= 1
    assert 0 <= ember.cuda.current_device() < n
    ember.cuda.init()
    ember.zeros(1, device="cuda")
    assert ember.cuda.is_initialized() is True
    if TORCH_CUDA:
        assert n == torch.cuda.device_count()


@needs_cuda
def test_set_device_and_device_context():
    ember.cuda.set_device(0)
    assert ember.cuda.current_device() == 0
    for arg in (0, "cuda:0", ember.device("cuda", 0), ember.device("cuda"), None, -1):
        with ember.cuda.device(arg):
            assert ember.cuda.current_device() == 0
        assert ember.cuda.current_device() == 0
    ember.cuda.set_device(-1)
    assert ember.cuda.current_device() == 0
    x = ember.zeros(2, device="cuda:0")
    with ember.cuda.device_of(x):
        assert ember.cuda.current_device() == 0
    with ember.cuda.device_of(ember.zeros(2)):
        assert ember.cuda.current_device() == 0


@needs_cuda
def test_set_device_out_of_range_raises():
    n = ember.cuda.device_count()
    with pytest.raises(RuntimeError):
        ember.cuda.set_device(n)
    assert ember.cuda.current_device() == 0
    if TORCH_CUDA:
        with pytest.raises(RuntimeError):
            torch.cuda.set_device(n)


@needs_cuda
@pytest.mark.skipif(CUDA and ember.cuda.device_count() < 2, reason="needs two GPUs")
def test_device_context_switches_and_restores():
    with ember.cuda.device(1):
        assert ember.cuda.current_device() == 1
        assert ember.zeros(1, device="cuda").device == ember.device("cuda", 1)
        with ember.cuda.device(0):
            assert ember.cuda.current_device() == 0
        assert ember.cuda.current_device() == 1
    assert ember.cuda.current_device() == 0
    y = ember.zeros(1, device="cuda:1")
    with ember.cuda.device_of(y):
        assert ember.cuda.current_device() == 1
    assert ember.cuda.current_device() == 0


@needs_cuda
def test_get_device_name_forms():
    name = ember.cuda.get_device_name()
    assert isinstance(name, str) and name
    for arg in (0, "cuda:0", "cuda", ember.device("cuda:0"), ember.device("cuda"), None):
        assert ember.cuda.get_device_name(arg) == name
    assert ember.cuda.get_device_properties().name == name
    if TORCH_CUDA:
        assert name == torch.cuda.get_device_name(0)


@needs_cuda
def test_get_device_properties():
    p = ember.cuda.get_device_properties(0)
    assert isinstance(p.major, int) and p.major >= 1
    assert isinstance(p.minor, int) and p.minor >= 0
    assert p.total_memory > 0
    assert p.multi_processor_count >= 1
    assert ember.cuda.get_device_capability() == (p.major, p.minor)
    assert ember.cuda.get_device_capability("cuda:0") == (p.major, p.minor)
    r = repr(p)
    prefix = (
        f"_CudaDeviceProperties(name='{p.name}', major={p.major}, minor={p.minor}, "
        f"total_memory={p.total_memory // MIB}MB, "
        f"multi_processor_count={p.multi_processor_count}"
    )
    assert r.startswith(prefix)
    if TORCH_CUDA:
        t = torch.cuda.get_device_properties(0)
        assert (p.name, p.major, p.minor) == (t.name, t.major, t.minor)
        assert p.total_memory == t.total_memory
        assert p.multi_processor_count == t.multi_processor_count
        assert repr(t).startswith(prefix)
        assert ember.cuda.get_device_capability() == torch.cuda.get_device_capability()


@needs_cuda
def test_get_device_properties_invalid_id():
    n = ember.cuda.device_count()
    # torch: `raise AssertionError("Invalid device id")` for an index outside [0, device_count)
    with pytest.raises(AssertionError, match="^Invalid device id$"):
        ember.cuda.get_device_properties(n)
    with pytest.raises(AssertionError, match="^Invalid device id$"):
        ember.cuda.get_device_name(-1)
    if TORCH_CUDA:
        with pytest.raises(AssertionError, match="^Invalid device id$"):
            torch.cuda.get_device_properties(n)


@needs_cuda
def test_synchronize_forms():
    x = ember.ones(64, 64, device="cuda")
    y = x @ x
    for arg in (None, 0, "cuda:0", ember.device("cuda", 0)):
        ember.cuda.synchronize(arg)
    assert y[0, 0].item() == 64.0


# ------------------------------------------------------------------------------- memory
def _settle():
    ember.cuda.synchronize()
    gc.collect()


@needs_cuda
def test_memory_allocated_follows_a_tensor():
    _settle()
    warm = ember.empty(256, device="cuda")
    del warm
    base = ember.cuda.memory_allocated()
    x = ember.empty(MIB // 4, dtype=ember.float32, device="cuda")
    grown = ember.cuda.memory_allocated()
    # CuPy rounds blocks up to 512 bytes
    assert MIB <= grown - base < MIB + 4096
    assert ember.cuda.max_memory_allocated() >= grown
    assert ember.cuda.memory_reserved() >= grown
    for arg in (0, "cuda:0", "cuda", ember.device("cuda", 0)):
        assert ember.cuda.memory_allocated(arg) == grown
    del x
    gc.collect()
    assert ember.cuda.memory_allocated() == base


@needs_cuda
def test_peak_counts_a_block_freed_before_anyone_asked():
    _settle()
    ember.cuda.reset_peak_memory_stats()
    base = ember.cuda.memory_allocated()
    assert ember.cuda.max_memory_allocated() == base
    x = ember.empty(MIB, dtype=ember.float32, device="cuda")
    del x
    gc.collect()
    # the 4 MiB block lived and died between two queries: only the hook saw it
    assert ember.cuda.memory_allocated() == base
    peak = ember.cuda.max_memory_allocated()
    assert 4 * MIB <= peak - base < 4 * MIB + 4096
    assert ember.cuda.max_memory_reserved() >= base + 4 * MIB
    assert ember.cuda.max_memory_reserved() >= ember.cuda.memory_reserved()
    stats = ember.cuda.memory_stats()
    assert stats["allocated_bytes.all.current"] == base
    assert stats["allocated_bytes.all.peak"] == peak
    assert stats["reserved_bytes.all.current"] == ember.cuda.memory_reserved()
    ember.cuda.reset_peak_memory_stats()
    assert ember.cuda.max_memory_allocated() == ember.cuda.memory_allocated()
    assert ember.cuda.max_memory_reserved() == ember.cuda.memory_reserved()


@needs_cuda
def test_reset_max_memory_allocated_warns_and_resets():
    _settle()
    x = ember.empty(MIB // 4, device="cuda")
    del x
    gc.collect()
    with pytest.warns(FutureWarning, match="reset_max_memory_allocated now calls"):
        ember.cuda.reset_max_memory_allocated()
    assert ember.cuda.max_memory_allocated() == ember.cuda.memory_allocated()
    if TORCH_CUDA:
        with pytest.warns(FutureWarning, match="reset_max_memory_allocated now calls"):
            torch.cuda.reset_max_memory_allocated()


@needs_cuda
def test_empty_cache_returns_free_blocks():
    _settle()
    x = ember.empty(MIB // 4, device="cuda")
    del x
    gc.collect()
    before = ember.cuda.memory_reserved()
    ember.cuda.empty_cache()
    after = ember.cuda.memory_reserved()
    assert after <= before - MIB
    assert after >= ember.cuda.memory_allocated()


@needs_cuda
def test_mem_get_info_and_summary():
    free, total = ember.cuda.mem_get_info()
    assert 0 <= free <= total
    assert ember.cuda.mem_get_info(0)[1] == total
    assert ember.cuda.mem_get_info("cuda:0")[1] == total
    if TORCH_CUDA:
        assert total == torch.cuda.mem_get_info(0)[1]
    text = ember.cuda.memory_summary()
    assert isinstance(text, str)
    assert "device ID 0" in text
    assert "Allocated memory" in text


# ------------------------------------------------------------------------------- events
@needs_cuda
def test_event_times_a_matmul():
    a = ember.randn(512, 512, device="cuda")
    start = ember.cuda.Event(enable_timing=True)
    end = ember.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(4):
        a = (a @ a) / 512.0
    end.record()
    end.synchronize()
    assert end.query() is True
    ms = start.elapsed_time(end)
    assert isinstance(ms, float)
    assert ms > 0.0


@needs_cuda
def test_event_states_and_errors():
    e = ember.cuda.Event()
    # an event never recorded has nothing to wait for
    assert e.query() is True
    e.synchronize()
    e.wait()
    assert repr(e) == "<torch.cuda.Event uninitialized>"
    e.record()
    e.synchronize()
    assert e.query() is True
    assert e.cuda_event != 0
    assert repr(e) == f"<torch.cuda.Event {e.cuda_event:#x}>"
    t = ember.cuda.Event(enable_timing=True)
    t.record()
    with pytest.raises(ValueError, match="Both events must be created with argument"):
        e.elapsed_time(t)
    unrecorded = ember.cuda.Event(enable_timing=True)
    with pytest.raises(ValueError, match="Both events must be recorded"):
        t.elapsed_time(unrecorded)
    if TORCH_CUDA:
        te = torch.cuda.Event()
        tt = torch.cuda.Event(enable_timing=True)
        te.record()
        tt.record()
        with pytest.raises(ValueError, match="Both events must be created with argument"):
            te.elapsed_time(tt)
        with pytest.raises(ValueError, match="Both events must be recorded"):
            tt.elapsed_time(torch.cuda.Event(enable_timing=True))


# ------------------------------------------------------------------------------- streams
@needs_cuda
def test_stream_context_runs_work_on_the_stream():
    default = ember.cuda.default_stream()
    assert default.cuda_stream == 0
    assert ember.cuda.current_stream() == default
    s = ember.cuda.Stream()
    assert s != default
    assert s.device == ember.device("cuda", ember.cuda.current_device())
    assert repr(s).startswith("<torch.cuda.Stream device=cuda:0 cuda_stream=0x")
    x = ember.arange(6, dtype=ember.float32, device="cuda")
    s.wait_stream(default)
    with ember.cuda.stream(s) as entered:
        # torch's StreamContext.__enter__ returns nothing
        assert entered is None
        assert ember.cuda.current_stream() == s
        y = x * 2 + 1
    assert ember.cuda.current_stream() == default
    s.synchronize()
    assert s.query() is True
    np.testing.assert_array_equal(y.cpu().numpy(), np.arange(6, dtype=np.float32) * 2 + 1)
    with ember.cuda.stream(None):
        assert ember.cuda.current_stream() == default
    if TORCH_CUDA:
        assert torch.cuda.default_stream().cuda_stream == default.cuda_stream


@needs_cuda
def test_stream_events_and_set_stream():
    s = ember.cuda.Stream()
    e = s.record_event()
    assert isinstance(e, ember.cuda.Event)
    e.synchronize()
    assert e.query() is True
    ember.cuda.default_stream().wait_event(e)
    timed = ember.cuda.Event(enable_timing=True)
    assert s.record_event(timed) is timed
    ember.cuda.set_stream(s)
    try:
        assert ember.cuda.current_stream() == s
    finally:
        ember.cuda.set_stream(ember.cuda.default_stream())
    assert ember.cuda.current_stream() == ember.cuda.default_stream()
    assert ember.cuda.Stream().priority == 0
    assert -8 <= ember.cuda.Stream(priority=-1).priority <= 0
    assert ember.cuda.Stream(device=0).device_index == 0
    assert len({s, ember.cuda.Stream._wrap(s._cp, 0)}) == 1


# ------------------------------------------------------------------------------- seeds
@needs_cuda
def test_manual_seed_repeats_cuda_draws():
    ember.cuda.manual_seed(123)
    assert ember.cuda.initial_seed() == 123
    a = ember.rand(8, device="cuda").tolist()
    ember.cuda.manual_seed(123)
    b = ember.rand(8, device="cuda").tolist()
    assert a == b
    ember.cuda.manual_seed_all(9)
    c = ember.rand(8, device="cuda").tolist()
    ember.cuda.manual_seed_all(9)
    assert ember.rand(8, device="cuda").tolist() == c
    assert c != a
    # torch.manual_seed seeds the CUDA generators too
    ember.manual_seed(7)
    assert ember.cuda.initial_seed() == 7


@needs_cuda
def test_cuda_seed_does_not_move_cpu_generator():
    ember.manual_seed(0)
    state = ember.get_rng_state()
    ember.cuda.manual_seed(4)
    ember.rand(3, device="cuda")
    assert ember.equal(ember.get_rng_state(), state)


@needs_cuda
def test_cuda_rng_state_round_trip():
    ember.cuda.manual_seed(11)
    state = ember.cuda.get_rng_state()
    assert state.dtype == ember.uint8
    assert state.device == ember.device("cpu")
    a = ember.randn(5, device="cuda").tolist()
    ember.cuda.set_rng_state(state)
    assert ember.randn(5, device="cuda").tolist() == a
    states = ember.cuda.get_rng_state_all()
    assert len(states) == ember.cuda.device_count()
    b = ember.randn(5, device="cuda").tolist()
    ember.cuda.set_rng_state_all(states)
    assert ember.randn(5, device="cuda").tolist() == b
    for arg in (0, "cuda:0", ember.device("cuda", 0)):
        assert ember.cuda.get_rng_state(arg).shape == state.shape


@needs_cuda
def test_seed_and_seed_all_draw_new_seeds():
    ember.cuda.manual_seed(1)
    ember.cuda.seed()
    s1 = ember.cuda.initial_seed()
    ember.cuda.seed_all()
    s2 = ember.cuda.initial_seed()
    # 64-bit seeds from the operating system: a repeat is practically impossible
    assert len({1, s1, s2}) == 3
