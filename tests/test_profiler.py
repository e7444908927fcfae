"""torch.profiler and torch.autograd.profiler: the API runs as in torch; the names, counts and
nesting of the recorded ranges match torch's user annotations (timings naturally differ)."""

import json
import warnings

import pytest
import torch

import ember


def _user_rows(prof):
    # torch also records aten:: ops; ember records the named ranges only
    return sorted((e.key, e.count) for e in prof.key_averages()
                  if not e.key.startswith("aten::") and "[" not in e.key)


def _work(m):
    x = m.ones(8, 8)
    with m.profiler.record_function("outer"):
        for _ in range(2):
            with m.profiler.record_function("inner"):
                x = x @ x * 0.1
    return x


def test_profile_context_key_averages_table_and_trace(tmp_path):
    out = {}
    for m in (torch, ember):
        from_m = m.profiler
        with from_m.profile(activities=[from_m.ProfilerActivity.CPU], record_shapes=True,
                            profile_memory=True, with_stack=True) as prof:
            _work(m)
        # with_stack makes torch record Python calls too: compare the named ranges
        out[m.__name__] = [r for r in _user_rows(prof) if r[0] in ("inner", "outer")]
        table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=100)
        assert "Self CPU time total" in table and "outer" in table and "# of Calls" in table
        table = prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=1)
        path = tmp_path / f"{m.__name__}.json"
        prof.export_chrome_trace(str(path))
        names = {e["name"] for e in json.loads(path.read_text())["traceEvents"]}
        assert {"outer", "inner"} <= names
    assert out["torch"] == out["ember"]


def test_nesting_and_self_time():
    with ember.profiler.profile() as prof:
        _work(ember)
    events = {e.name: e for e in prof.events()}
    outer = events["outer"]
    assert [c.name for c in outer.cpu_children] == ["inner", "inner"]
    assert outer.self_cpu_time_total <= outer.cpu_time_total
    avg = {e.key: e for e in prof.key_averages()}
    assert avg["inner"].count == 2
    assert abs(avg["inner"].cpu_time_total - sum(c.cpu_time_total for c in outer.cpu_children)) < 1


def test_record_function_as_decorator_and_outside_profiling():
    for m in (torch, ember):
        @m.profiler.record_function("decorated")
        def f(x):
            return x + 1

        assert f(m.ones(1)).tolist() == [2.0]  # no profiler running: nothing recorded
        with m.profiler.profile() as prof:
            f(m.ones(1))
            f(m.ones(1))
        assert ("decorated", 2) in _user_rows(prof)


def test_schedule_matches_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for kw in [dict(wait=1, warmup=1, active=2), dict(wait=1, warmup=1, active=2, repeat=2),
                   dict(wait=2, warmup=0, active=1, skip_first=3),
                   dict(wait=3, warmup=1, active=2, skip_first=2, skip_first_wait=1)]:
            ts = torch.profiler.schedule(**kw)
            es = ember.profiler.schedule(**kw)
            assert [ts(i).name for i in range(20)] == [es(i).name for i in range(20)]
    with pytest.raises(AssertionError) as t:
        torch.profiler.schedule(wait=0, warmup=0, active=0)
    with pytest.raises(AssertionError) as e:
        ember.profiler.schedule(wait=0, warmup=0, active=0)
    assert str(t.value) == str(e.value)


def test_profile_with_schedule_and_on_trace_ready():
    results = {}
    for m in (torch, ember):
        traces = []

        def ready(prof):
            traces.append((prof.step_num, _user_rows(prof)))

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sched = m.profiler.schedule(wait=1, warmup=1, active=2, repeat=2)
            with m.profiler.profile(schedule=sched, on_trace_ready=ready) as prof:
                for step in range(10):
                    with m.profiler.record_function("train_step"):
                        m.ones(2) * 2
                    prof.step()
        results[m.__name__] = traces
    assert results["torch"] == results["ember"]


def test_tensorboard_trace_handler(tmp_path):
    handler = ember.profiler.tensorboard_trace_handler(str(tmp_path), worker_name="w0")
    with ember.profiler.profile(schedule=ember.profiler.schedule(wait=0, warmup=1, active=1),
                                on_trace_ready=handler) as prof:
        for _ in range(3):
            with ember.profiler.record_function("s"):
                pass
            prof.step()
    files = list(tmp_path.glob("w0.*.pt.trace.json"))
    assert files and "traceEvents" in json.loads(files[0].read_text())


def test_autograd_profiler_legacy_api(tmp_path):
    out = {}
    for m in (torch, ember):
        with m.autograd.profiler.profile(use_cuda=False, record_shapes=True) as prof:
            with m.autograd.profiler.record_function("block"):
                m.ones(3).sum()
        assert "block" in prof.key_averages().table(sort_by="self_cpu_time_total")
        assert "block" in str(prof)
        assert prof.self_cpu_time_total >= 0 and prof.total_average().count >= 1
        prof.export_chrome_trace(str(tmp_path / "t.json"))
        json.loads((tmp_path / "t.json").read_text())
        out[m.__name__] = [(e.name, e.count) for e in prof.function_events if e.name == "block"]
        with m.autograd.profiler.profile(enabled=False) as off:
            m.ones(1)
    assert out["torch"] == out["ember"]
    assert str(ember.profiler.ProfilerActivity.CPU) == str(torch.profiler.ProfilerActivity.CPU)
