"""Mirrors `torch.jit` as a pass-through: ember has no compiler, so scripting and tracing
return the function or module unchanged (it runs eagerly, with the same results).

`torch.jit.save`/`load` of a scripted module need TorchScript's archive format and are
refused with a clear error.
"""

import contextlib
import warnings

__all__ = [
    "Attribute",
    "Final",
    "ScriptFunction",
    "ScriptModule",
    "annotate",
    "enable_onednn_fusion",
    "export",
    "fork",
    "freeze",
    "fuser",
    "ignore",
    "interface",
    "is_scripting",
    "is_tracing",
    "load",
    "optimize_for_inference",
    "optimized_execution",
    "save",
    "script",
    "strict_fusion",
    "trace",
    "trace_module",
    "unused",
    "wait",
]


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    """Mirrors `torch.jit.script`: returns `obj` itself (it runs eagerly in ember)."""
    if optimize is not None:
        warnings.warn("`optimize` is deprecated and has no effect. Use `with "
                      "torch.jit.optimized_execution()` instead", FutureWarning, stacklevel=2)
    return obj


def trace(func, example_inputs=None, optimize=None, check_trace=True, check_inputs=None,
          check_tolerance=1e-5, strict=True, _force_outplace=False,
          _module_class=None, _compilation_unit=None, example_kwarg_inputs=None,
          _store_inputs=True):
    """Mirrors `torch.jit.trace`: returns `func` itself (it runs eagerly in ember)."""
    return func


def trace_module(mod, inputs, *args, **kwargs):
    """Mirrors `torch.jit.trace_module`: returns the module itself."""
    return mod


def ignore(drop=False, **kwargs):
    """Mirrors the `@torch.jit.ignore` decorator (with or without arguments)."""
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn):
    """Mirrors the `@torch.jit.unused` decorator."""
    return fn


def export(fn):
    """Mirrors the `@torch.jit.export` decorator."""
    return fn


def interface(obj):
    return obj


def is_scripting():
    """Mirrors `torch.jit.is_scripting`: always False (code runs eagerly)."""
    return False


def is_tracing():
    """Mirrors `torch.jit.is_tracing`: always False."""
    return False


def annotate(the_type, the_value):
    """Mirrors `torch.jit.annotate`: returns the value."""
    return the_value


def freeze(mod, preserved_attrs=None, optimize_numerics=True):
    return mod


def optimize_for_inference(mod, other_methods=None):
    return mod


class _Future:
    def __init__(self, value):
        self._value = value

    def wait(self):
        return self._value


def fork(func, *args, **kwargs):
    """Mirrors `torch.jit.fork`: runs `func` now; `wait` returns its result."""
    return _Future(func(*args, **kwargs))


def wait(future):
    return future.wait()


def save(m, f, _extra_files=None):
    raise RuntimeError("ember.jit.save: ember has no TorchScript; save the state_dict with "
                       "torch.save(model.state_dict(), f) instead")


def load(f, map_location=None, _extra_files=None, _restore_shapes=False):
    raise RuntimeError("ember.jit.load: ember cannot read TorchScript archives; load a "
                       "state_dict with torch.load instead")


# `Final[int]` in class annotations
try:
    from typing import Final
except ImportError:  # pragma: no cover
    Final = None


def Attribute(value, type=None):
    return value


class ScriptModule:
    """Placeholder for isinstance checks: no ember object is a ScriptModule."""


class ScriptFunction:
    """Placeholder for isinstance checks: no ember object is a ScriptFunction."""


def enable_onednn_fusion(enabled):
    return None


@contextlib.contextmanager
def strict_fusion():
    yield


@contextlib.contextmanager
def optimized_execution(should_optimize):
    yield


@contextlib.contextmanager
def fuser(name):
    yield
