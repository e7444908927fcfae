"""Mirrors `torch.profiler`: `profile`, `record_function`, `schedule`, `ProfilerActivity`.

An honest, simple profiler. It times the ranges a program names with `record_function` (and
one `ProfilerStep#N` range per `prof.step()`), with the wall clock, and keeps their nesting, so
`key_averages().table(...)`, `events()` and `export_chrome_trace(path)` work as in PyTorch.
ember's ops are plain NumPy calls and are not instrumented: there are no `aten::` rows, no
device times, and the memory columns are zero. `activities`, `record_shapes`, `profile_memory`,
`with_stack`, `with_flops` and `with_modules` are accepted for compatibility.
"""

import enum
import functools
import os
import socket
import time
import warnings

from ._profiler_events import EventList, FunctionEvent, FunctionEventAvg, _Recorder  # noqa: F401

# the recorders of the profiling sessions now recording (record_function writes to each)
_ACTIVE = []


def _now_us():
    return time.perf_counter_ns() / 1000.0


class ProfilerActivity(enum.Enum):
    """Mirrors `torch.profiler.ProfilerActivity`."""

    CPU = 0
    XPU = 1
    MTIA = 2
    CUDA = 3
    HPU = 4
    PrivateUse1 = 5


class ProfilerAction(enum.Enum):
    """Mirrors `torch.profiler.ProfilerAction`: what a schedule asks for at a step."""

    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3


def supported_activities():
    """Mirrors `torch.profiler.supported_activities`: the CPU only here."""
    return {ProfilerActivity.CPU}


def schedule(*, wait, warmup, active, repeat=0, skip_first=0, skip_first_wait=0):
    """Mirrors `torch.profiler.schedule`: step number -> ProfilerAction, PyTorch's exact rule."""

    def schedule_fn(step):
        if step < 0:
            raise AssertionError(f"Step must be non-negative. Got {step}.")
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        if skip_first_wait != 0:
            step += wait
        num_steps = wait + warmup + active
        if repeat > 0 and step / num_steps >= repeat:
            return ProfilerAction.NONE
        mod_step = step % num_steps
        if mod_step < wait:
            return ProfilerAction.NONE
        if mod_step < wait + warmup:
            return ProfilerAction.WARMUP
        if mod_step < num_steps - 1:
            return ProfilerAction.RECORD
        return ProfilerAction.RECORD_AND_SAVE

    if wait < 0 or warmup < 0 or active <= 0 or repeat < 0 or skip_first < 0:
        raise AssertionError(
            f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), "
            f"warmup={warmup} (need >= 0), active={active} (need > 0), repeat={repeat} "
            f"(need >= 0), skip_first={skip_first} (need >= 0)."
        )
    if warmup == 0:
        warnings.warn("Profiler won't be using warmup, this can skew profiler results",
                      stacklevel=2)
    return schedule_fn


def _default_schedule_fn(_):
    return ProfilerAction.RECORD


def tensorboard_trace_handler(dir_name, worker_name=None, use_gzip=False,
                              use_python_export=False):
    """Mirrors `torch.profiler.tensorboard_trace_handler`: a callback writing each trace as
    `{worker_name}.{time_ms}.pt.trace.json` in `dir_name`."""

    def handler_fn(prof):
        os.makedirs(dir_name, exist_ok=True)
        name = worker_name or f"{socket.gethostname()}_{os.getpid()}"
        file_name = f"{name}.{time.time_ns() // 1_000_000}.pt.trace.json"
        if use_gzip:
            file_name += ".gz"
        path = os.path.join(dir_name, file_name)
        prof.export_chrome_trace(path)
        if use_gzip:
            import gzip

            with open(path, "rb") as f:
                data = f.read()
            with gzip.open(path, "wb") as f:
                f.write(data)

    return handler_fn


class record_function:
    """Mirrors `torch.profiler.record_function`: names a range in the profile; usable as a
    context manager or a decorator. Costs next to nothing when no profiler is recording."""

    def __init__(self, name, args=None):
        self.name = name
        self.args = args
        self._events = ()

    def __enter__(self):
        if _ACTIVE:
            start = _now_us()
            self._events = [(rec, rec.begin(self.name, start)) for rec in _ACTIVE]
        return self

    def __exit__(self, *exc):
        if self._events:
            end = _now_us()
            for rec, ev in self._events:
                rec.end(ev, end)
            self._events = ()
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with record_function(self.name, self.args):
                return fn(*args, **kwargs)

        return wrapped


class _KinetoProfile:
    """The recording shared by `profile`: start, stop, events and their exports."""

    def __init__(self, *, activities=None, record_shapes=False, profile_memory=False,
                 with_stack=False, with_flops=False, with_modules=False,
                 experimental_config=None, execution_trace_observer=None, acc_events=False,
                 custom_trace_id_callback=None):
        self.activities = set(activities) if activities else supported_activities()
        self.record_shapes = record_shapes
        self.profile_memory = profile_memory
        self.with_stack = with_stack
        self.with_flops = with_flops
        self.with_modules = with_modules
        self.acc_events = acc_events
        self._recorder = None
        self._events = None
        self._step_event = None

    def start_trace(self):
        if self._recorder is None or not self.acc_events:
            self._recorder = _Recorder(self.record_shapes, self.with_stack)
        if self._recorder not in _ACTIVE:
            _ACTIVE.append(self._recorder)

    def stop_trace(self):
        rec = self._recorder
        if rec is None:
            return
        if rec in _ACTIVE:
            _ACTIVE.remove(rec)
        self._events = EventList(rec.events, profile_memory=self.profile_memory,
                                 with_stack=self.with_stack)

    def _recording(self):
        return self._recorder is not None and self._recorder in _ACTIVE

    def events(self):
        """The recorded events (those of the last finished trace)."""
        if self._events is None:
            raise AssertionError("Profiler must be stopped before reading events")
        return self._events

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0,
                     group_by_overload_name=False):
        return self.events().key_averages(group_by_input_shape, group_by_stack_n,
                                          group_by_overload_name)

    def export_chrome_trace(self, path):
        return self.events().export_chrome_trace(path)

    def export_stacks(self, path, metric="self_cpu_time_total"):
        # no Python stacks are sampled: the file lists each range with its self time
        with open(path, "w") as f:
            for e in self.events():
                f.write(f"{e.name} {int(getattr(e, metric, 0))}\n")

    def export_memory_timeline(self, path, device=None):
        raise NotImplementedError("ember's profiler does not record memory")


class profile(_KinetoProfile):
    """Mirrors `torch.profiler.profile`: a context manager that records the named ranges,
    steps through `schedule` with `step()` and hands each finished trace to `on_trace_ready`."""

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None,
                 record_shapes=False, profile_memory=False, with_stack=False, with_flops=False,
                 with_modules=False, experimental_config=None, execution_trace_observer=None,
                 acc_events=False, use_cuda=None, custom_trace_id_callback=None):
        if use_cuda is not None:
            warnings.warn("`use_cuda` is deprecated, use `activities` argument instead",
                          FutureWarning, stacklevel=2)
        super().__init__(activities=activities, record_shapes=record_shapes,
                         profile_memory=profile_memory, with_stack=with_stack,
                         with_flops=with_flops, with_modules=with_modules,
                         acc_events=acc_events)
        self.schedule = schedule if schedule is not None else _default_schedule_fn
        self.record_steps = schedule is not None
        self.on_trace_ready = on_trace_ready
        self.step_num = 0
        self.current_action = self.schedule(self.step_num)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        if self.current_action in (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE):
            self.start_trace()
        self._begin_step()

    def stop(self):
        self._end_step()
        if self.current_action in (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE):
            self._save()

    def _save(self):
        self.stop_trace()
        if self.on_trace_ready is not None:
            self.on_trace_ready(self)

    def _begin_step(self):
        # torch wraps each scheduled step in a ProfilerStep#N range
        if self.record_steps and self._recording():
            self._step_event = record_function("ProfilerStep#" + str(self.step_num))
            self._step_event.__enter__()

    def _end_step(self):
        if self._step_event is not None:
            self._step_event.__exit__(None, None, None)
            self._step_event = None

    def step(self):
        """Mirrors `profile.step`: the end of a training step; follow the schedule."""
        self._end_step()
        prev = self.current_action
        self.step_num += 1
        self.current_action = self.schedule(self.step_num)
        recording = (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)
        if prev == ProfilerAction.RECORD_AND_SAVE:
            self._save()
            if self.current_action in recording:
                self.start_trace()
        elif prev == ProfilerAction.RECORD and self.current_action not in recording:
            warnings.warn("Incorrect schedule: RECORD followed by NONE/WARMUP", stacklevel=2)
            self._save()
        elif prev not in recording and self.current_action in recording:
            self.start_trace()
        self._begin_step()
