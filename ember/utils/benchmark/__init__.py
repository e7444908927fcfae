"""Mirrors `torch.utils.benchmark`: `Timer` and its `Measurement`, for programs that time code.

The times are ember's, measured with `timeit` (so they are not torch's numbers); the API and the
printed layout follow torch's: `timeit(number)`, `blocked_autorange`, `adaptive_autorange`,
and a Measurement with `mean`, `median`, `iqr`, `times` and torch's repr. `Compare` prints the
measurements as a simple table.
"""

import statistics
import timeit as _timeit

__all__ = ["Timer", "Measurement", "Compare"]


def _unit(seconds):
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "us"), (1e-9, "ns")):
        if seconds >= scale:
            return scale, unit
    return 1e-9, "ns"


class Measurement:
    """The result of timing a statement: per-run times of each block of `number_per_run` runs."""

    def __init__(self, number_per_run, raw_times, task_spec, metadata=None):
        self.number_per_run = number_per_run
        self.raw_times = list(raw_times)
        self.task_spec = task_spec
        self.metadata = metadata

    @property
    def times(self):
        return [t / self.number_per_run for t in self.raw_times]

    @property
    def mean(self):
        return statistics.fmean(self.times)

    @property
    def median(self):
        return statistics.median(self.times)

    def _quartiles(self):
        times = sorted(self.times)
        if len(times) < 4:
            return times[0], times[-1]
        q = statistics.quantiles(times, n=4)
        return q[0], q[2]

    @property
    def iqr(self):
        lo, hi = self._quartiles()
        return hi - lo

    @property
    def title(self):
        return self.task_spec.title

    @property
    def env(self):
        return self.task_spec.env

    @property
    def has_warnings(self):
        return False

    def meets_confidence(self, threshold=0.1):
        return self.iqr / self.median < threshold if self.median else True

    @property
    def significant_figures(self):
        return 3

    def __repr__(self):
        scale, unit = _unit(self.median)
        lines = [f"<torch.utils.benchmark.utils.common.Measurement object at {hex(id(self))}>"]
        lines.append(self.task_spec.title)
        if self.task_spec.description:
            lines.append(self.task_spec.description)
        if len(self.times) > 1:
            lines.append(f"  Median: {self.median / scale:.2f} {unit}")
            lo, hi = self._quartiles()
            lines.append(f"  IQR:    {self.iqr / scale:.2f} {unit} ({lo / scale:.2f} to "
                         f"{hi / scale:.2f})")
        else:
            lines.append(f"  {self.median / scale:.2f} {unit}")
        runs = self.number_per_run * len(self.raw_times)
        block = "measurement" if len(self.raw_times) == 1 else "measurements"
        lines.append(f"  {len(self.raw_times)} {block}, {runs} runs , "
                     f"{self.task_spec.num_threads} thread"
                     + ("s" if self.task_spec.num_threads != 1 else ""))
        return "\n".join(lines)


class _TaskSpec:
    def __init__(self, stmt, setup, label, sub_label, description, env, num_threads):
        self.stmt = stmt
        self.setup = setup
        self.label = label
        self.sub_label = sub_label
        self.description = description
        self.env = env
        self.num_threads = num_threads

    @property
    def title(self):
        if self.label:
            return self.label + (f": {self.sub_label}" if self.sub_label else "")
        return self.stmt


class Timer:
    """Mirrors `torch.utils.benchmark.Timer` (Python statements; `timeit` underneath)."""

    def __init__(self, stmt="pass", setup="pass", global_setup="", timer=None, globals=None,
                 label=None, sub_label=None, description=None, env=None, num_threads=1,
                 language="python"):
        if language not in ("python", "py"):
            raise ValueError("ember's Timer runs Python statements only")
        self._spec = _TaskSpec(stmt, setup, label, sub_label, description, env, num_threads)
        kwargs = {"stmt": stmt, "setup": setup, "globals": dict(globals or {})}
        if timer is not None:
            kwargs["timer"] = timer
        self._timer = _timeit.Timer(**kwargs)

    def timeit(self, number=1000000):
        """Run the statement `number` times (after one warm-up run): one measurement."""
        self._timer.timeit(1)
        return Measurement(number, [self._timer.timeit(number)], self._spec)

    def repeat(self, repeat=-1, number=-1):
        raise NotImplementedError("See `Timer.blocked_autorange.`")

    def _blocks(self, min_run_time, max_blocks=None):
        # a block size that takes at least 0.1 ms, then blocks until min_run_time is spent
        number = 1
        while True:
            t = self._timer.timeit(number)
            if t >= 1e-4 or number >= 1 << 30:
                break
            number *= 10
        times = []
        total = 0.0
        while total < min_run_time and (max_blocks is None or len(times) < max_blocks):
            t = self._timer.timeit(number)
            times.append(t)
            total += t
        return number, times

    def blocked_autorange(self, callback=None, min_run_time=0.2):
        number, times = self._blocks(min_run_time)
        if callback is not None:
            for t in times:
                callback(number, t)
        return Measurement(number, times, self._spec)

    def adaptive_autorange(self, threshold=0.1, *, min_run_time=0.01, max_run_time=10.0,
                           callback=None):
        number, times = self._blocks(min_run_time)
        m = Measurement(number, times, self._spec)
        spent = sum(times)
        while not m.meets_confidence(threshold) and spent < max_run_time:
            t = self._timer.timeit(number)
            times.append(t)
            spent += t
            m = Measurement(number, times, self._spec)
        return m


class Compare:
    """Mirrors `torch.utils.benchmark.Compare`: prints measurements as a table (median times)."""

    def __init__(self, results):
        self._results = list(results)

    def trim_significant_figures(self):
        pass

    def colorize(self, rowwise=False):
        pass

    def highlight_warnings(self):
        pass

    def __str__(self):
        lines = []
        for m in self._results:
            scale, unit = _unit(m.median)
            lines.append(f"{m.title:<40} {m.task_spec.description or '':<20} "
                         f"{m.median / scale:10.2f} {unit}")
        return "\n".join(lines)

    def print(self):
        print(str(self))
