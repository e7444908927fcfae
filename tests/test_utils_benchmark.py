"""ember.utils.benchmark against torch.utils.benchmark: the same API and the same shape of
results (the times themselves are each framework's own)."""

import torch
import torch.utils.benchmark as tb

import ember
import ember.utils.benchmark as eb


def _run(b, m):
    t = b.Timer(stmt="x + y", globals={"x": m.ones(3), "y": m.ones(3)}, label="add",
                sub_label="small", description="cpu")
    one = t.timeit(50)
    auto = t.blocked_autorange(min_run_time=0.02)
    adaptive = t.adaptive_autorange(min_run_time=0.01)
    return one, auto, adaptive


def test_timer_results_have_torchs_shape():
    for (te, ee) in zip(_run(tb, torch), _run(eb, ember)):
        assert ee.number_per_run > 0 and ee.times and ee.median > 0 and ee.mean > 0
        assert ee.title == te.title == "add: small"
        assert len(ee.times) == len(ee.raw_times)
    one_t, _, _ = _run(tb, torch)
    one_e, _, _ = _run(eb, ember)
    assert one_e.number_per_run == one_t.number_per_run == 50
    # the printed lines other than the time itself: title, description, runs and threads
    lines_t = repr(one_t).splitlines()
    lines_e = repr(one_e).splitlines()
    assert lines_e[1:3] == lines_t[1:3]
    assert lines_e[-1] == lines_t[-1]
    assert "Compare" in dir(eb) and str(eb.Compare([one_e]))
