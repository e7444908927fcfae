"""Mirrors `torch.autograd.profiler`: the legacy `profile` context manager and
`record_function`. See `ember.profiler` for what is recorded (the named ranges, not ops)."""

from .._profiler_events import EventList, FunctionEvent, FunctionEventAvg  # noqa: F401
from ..profiler import _KinetoProfile, record_function  # noqa: F401


class profile(_KinetoProfile):
    """Mirrors `torch.autograd.profiler.profile`: records the named ranges while enabled."""

    def __init__(self, enabled=True, *, use_cuda=False, use_device=None, record_shapes=False,
                 with_flops=False, profile_memory=False, with_stack=False, with_modules=False,
                 use_kineto=False, use_cpu=True, experimental_config=None, acc_events=False,
                 custom_trace_id_callback=None):
        super().__init__(record_shapes=record_shapes, profile_memory=profile_memory,
                         with_stack=with_stack, with_flops=with_flops,
                         with_modules=with_modules, acc_events=acc_events)
        self.enabled = enabled
        self.entered = False

    def __enter__(self):
        if not self.enabled:
            return self
        if self.entered:
            raise RuntimeError("Profiler context manager is not reentrant")
        self.entered = True
        self.start_trace()
        return self

    def __exit__(self, *exc):
        if self.enabled:
            self.stop_trace()
        return False

    @property
    def function_events(self):
        return self._events

    def events(self):
        if self._events is None:
            raise RuntimeError("Profiler didn't finish running")
        return self._events

    def table(self, sort_by=None, row_limit=100, max_src_column_width=75,
              max_name_column_width=55, max_shapes_column_width=80, header=None,
              top_level_events_only=False):
        return self.events().table(sort_by=sort_by, row_limit=row_limit,
                                   max_src_column_width=max_src_column_width,
                                   max_name_column_width=max_name_column_width,
                                   max_shapes_column_width=max_shapes_column_width,
                                   header=header, top_level_events_only=top_level_events_only)

    def total_average(self):
        return self.events().total_average()

    @property
    def self_cpu_time_total(self):
        return self.events().self_cpu_time_total

    def __str__(self):
        return self.table()


class emit_nvtx:
    """Mirrors `torch.autograd.profiler.emit_nvtx`: there is no NVTX here; a no-op."""

    def __init__(self, enabled=True, record_shapes=False):
        self.enabled = enabled

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


emit_itt = emit_nvtx
