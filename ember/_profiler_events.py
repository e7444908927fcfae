"""The profiler's events and their tables: mirrors `torch.autograd.profiler_util`.

An event is one timed range (a `record_function` block or a `ProfilerStep#N`), measured with
`time.perf_counter_ns` in microseconds. ember's ops are not instrumented (they are NumPy calls
made by Python code), so the events are the ranges the program names, not `aten::` ops.
"""

import json
import os
import threading


def _fmt_us(us):
    """A time in microseconds as torch prints it: 12.345us, 1.234ms, 1.234s."""
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


def _fmt_bytes(n):
    for unit, size in (("Gb", 1 << 30), ("Mb", 1 << 20), ("Kb", 1 << 10)):
        if abs(n) >= size:
            return f"{n / size:.2f} {unit}"
    return f"{n} b"


class FunctionEvent:
    """One recorded range. Mirrors `torch.autograd.profiler_util.FunctionEvent`."""

    def __init__(self, id, name, thread, start_us, end_us, input_shapes=None, stack=None,
                 is_user_annotation=True):
        self.id = id
        self.name = name
        self.key = name
        self.thread = thread
        self.start_us = start_us
        self.end_us = end_us
        self.input_shapes = input_shapes if input_shapes is not None else []
        self.stack = stack if stack is not None else []
        self.is_user_annotation = is_user_annotation
        self.cpu_children = []
        self.cpu_parent = None
        self.count = 1
        self.cpu_memory_usage = 0
        self.device_memory_usage = 0
        self.flops = 0
        self.device_type = "CPU"
        self.is_async = False
        self.is_remote = False

    @property
    def cpu_time_total(self):
        return self.end_us - self.start_us

    @property
    def self_cpu_time_total(self):
        return self.cpu_time_total - sum(c.cpu_time_total for c in self.cpu_children)

    @property
    def cpu_time(self):
        return self.cpu_time_total

    @property
    def self_cpu_memory_usage(self):
        return self.cpu_memory_usage - sum(c.cpu_memory_usage for c in self.cpu_children)

    # ember runs nothing on a device while profiling: the device columns are zero
    device_time_total = 0
    self_device_time_total = 0
    cuda_time_total = 0
    self_cuda_time_total = 0
    device_time = 0
    self_device_memory_usage = 0

    def __repr__(self):
        return (f"<FunctionEvent id={self.id} name={self.name} "
                f"cpu_time={_fmt_us(self.cpu_time_total)} start_us={self.start_us:.0f} "
                f"end_us={self.end_us:.0f} input_shapes={self.input_shapes}>")


class FunctionEventAvg:
    """The events of one key added up. Mirrors `torch.autograd.profiler_util.FunctionEventAvg`."""

    def __init__(self):
        self.key = None
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0
        self.cpu_memory_usage = 0
        self.self_cpu_memory_usage = 0
        self.input_shapes = None
        self.stack = None
        self.is_user_annotation = True
        self.device_time_total = 0
        self.self_device_time_total = 0
        self.cuda_time_total = 0
        self.self_cuda_time_total = 0
        self.device_memory_usage = 0
        self.self_device_memory_usage = 0
        self.flops = 0

    def add(self, other):
        if self.key is None:
            self.key = other.key
            self.input_shapes = other.input_shapes
            self.stack = other.stack
        self.count += other.count
        self.cpu_time_total += other.cpu_time_total
        self.self_cpu_time_total += other.self_cpu_time_total
        self.cpu_memory_usage += other.cpu_memory_usage
        self.self_cpu_memory_usage += other.self_cpu_memory_usage
        return self

    __iadd__ = add

    @property
    def cpu_time(self):
        return self.cpu_time_total / max(self.count, 1)

    def __repr__(self):
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={_fmt_us(self.self_cpu_time_total)}"
                f" cpu_time={_fmt_us(self.cpu_time)} input_shapes={self.input_shapes}>")


class EventList(list):
    """A list of events with torch's summaries. Mirrors `torch.autograd.profiler_util.EventList`."""

    def __init__(self, *args, profile_memory=False, with_stack=False, **kwargs):
        super().__init__(*args)
        self._profile_memory = profile_memory
        self._with_stack = with_stack

    @property
    def self_cpu_time_total(self):
        return sum(e.self_cpu_time_total for e in self)

    def key_averages(self, group_by_input_shapes=False, group_by_stack_n=0,
                     group_by_overload_name=False):
        """Mirrors `EventList.key_averages`: one FunctionEventAvg per name (and shapes)."""
        groups = {}
        for e in self:
            key = e.key
            if key.startswith("ProfilerStep#"):
                # torch adds the per-step ranges up into one row
                key = "ProfilerStep*"
            if group_by_input_shapes:
                key = (key, str(e.input_shapes))
            if group_by_stack_n > 0:
                key = (key, tuple(e.stack[:group_by_stack_n]))
            avg = groups.get(key)
            if avg is None:
                avg = groups[key] = FunctionEventAvg()
                avg.key = key if isinstance(key, str) else key[0]
                avg.input_shapes = e.input_shapes
                avg.stack = e.stack
            avg.add(e)
        return EventList(groups.values(), profile_memory=self._profile_memory,
                         with_stack=self._with_stack)

    def total_average(self):
        total = FunctionEventAvg()
        for e in self:
            total.add(e)
        total.key = "Total"
        return total

    def table(self, sort_by=None, row_limit=100, max_src_column_width=75,
              max_name_column_width=55, max_shapes_column_width=80, header=None,
              top_level_events_only=False, time_unit=None):
        """Mirrors `EventList.table`: the events (sorted by `sort_by`, descending) as text."""
        events = list(self)
        if top_level_events_only:
            events = [e for e in events if getattr(e, "cpu_parent", None) is None]
        if sort_by is not None:
            events.sort(key=lambda e: getattr(e, sort_by, 0), reverse=True)
        if row_limit is not None and row_limit >= 0:
            events = events[:row_limit]
        total = self.self_cpu_time_total
        show_shapes = any(e.input_shapes for e in events)
        name_w = max([len("Name")] + [len(e.key) for e in events]) + 4
        name_w = min(name_w, max_name_column_width)
        cols = ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg"]
        if self._profile_memory:
            cols += ["CPU Mem", "Self CPU Mem"]
        cols.append("# of Calls")
        shapes_w = max_shapes_column_width if show_shapes else 0
        line = "-" * name_w + "  " + "  ".join("-" * 12 for _ in cols) + "  "
        head = "Name".rjust(name_w) + "  " + "  ".join(c.rjust(12) for c in cols) + "  "
        if show_shapes:
            line += "-" * shapes_w + "  "
            head += "Input Shapes".rjust(shapes_w) + "  "
        out = []
        if header is not None:
            out += ["=" * len(line), header]
        out += [line, head, line]
        for e in events:
            name = e.key if len(e.key) <= name_w - 3 else e.key[: name_w - 6] + "..."
            pct = (lambda t: f"{100.0 * t / total:.2f}%" if total > 0 else "0.00%")
            vals = [pct(e.self_cpu_time_total), _fmt_us(e.self_cpu_time_total),
                    pct(e.cpu_time_total), _fmt_us(e.cpu_time_total), _fmt_us(e.cpu_time)]
            if self._profile_memory:
                vals += [_fmt_bytes(e.cpu_memory_usage), _fmt_bytes(e.self_cpu_memory_usage)]
            vals.append(str(e.count))
            row = name.rjust(name_w) + "  " + "  ".join(v.rjust(12) for v in vals) + "  "
            if show_shapes:
                row += str(e.input_shapes)[:shapes_w].rjust(shapes_w) + "  "
            out.append(row)
        out.append(line)
        out.append(f"Self CPU time total: {_fmt_us(total)}")
        return "\n".join(out) + "\n"

    def __str__(self):
        return self.table()

    def export_chrome_trace(self, path):
        """Write the events in Chrome's trace-event JSON format (chrome://tracing, Perfetto)."""
        trace = {
            "schemaVersion": 1,
            "traceEvents": [
                {
                    "ph": "X",
                    "cat": "user_annotation" if e.is_user_annotation else "cpu_op",
                    "name": e.name,
                    "pid": os.getpid(),
                    "tid": e.thread,
                    "ts": e.start_us,
                    "dur": e.cpu_time_total,
                    "args": {"Input Dims": e.input_shapes} if e.input_shapes else {},
                }
                for e in self
            ],
            "displayTimeUnit": "ms",
        }
        with open(path, "w") as f:
            json.dump(trace, f)
        return path


class _Recorder:
    """The ranges of one profiling session: a stack per thread links each range to its parent."""

    def __init__(self, record_shapes=False, with_stack=False):
        self.record_shapes = record_shapes
        self.with_stack = with_stack
        self.events = []
        self._stacks = {}
        self._lock = threading.Lock()

    def begin(self, name, start_us, input_shapes=None, stack=None):
        tid = threading.get_ident()
        with self._lock:
            ev = FunctionEvent(len(self.events), name, tid, start_us, start_us,
                               input_shapes, stack)
            self.events.append(ev)
            stack_of_thread = self._stacks.setdefault(tid, [])
            if stack_of_thread:
                parent = stack_of_thread[-1]
                ev.cpu_parent = parent
                parent.cpu_children.append(ev)
            stack_of_thread.append(ev)
        return ev

    def end(self, ev, end_us):
        ev.end_us = end_us
        with self._lock:
            stack_of_thread = self._stacks.get(ev.thread, [])
            if ev in stack_of_thread:
                stack_of_thread.remove(ev)
