"""Mirrors `torch.jit` as a pass-through: ember has no compiler, so scripting and tracing
return the function or module unchanged (it runs eagerly, with the same results).

`torch.jit.save` of a (scripted) module writes the whole module as a `torch.save` checkpoint
and `torch.jit.load` reads such a file back, so that the common save-then-reload round trip
works; TorchScript archives written by PyTorch cannot be read (ember has no TorchScript
interpreter) and are refused with a clear error.
"""

import contextlib
import os
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
    """Mirrors `torch.jit.save` for what `script`/`trace` return here (the module itself):
    writes the whole module as a checkpoint that `jit.load` reads back. (`_extra_files` are
    not stored.)"""
    from ..nn.modules.module import Module
    from ..serialization import save as _save

    if not isinstance(m, Module):
        # torch: a plain function has no `save` (only ScriptModules are saved)
        method = "save" if isinstance(f, (str, os.PathLike)) else "save_to_buffer"
        msg = f"'{type(m).__name__}' object has no attribute '{method}'"
        raise AttributeError(msg)  # noqa: TRY004
    _save(m, f)


def load(f, map_location=None, _extra_files=None, _restore_shapes=False):
    """Mirrors `torch.jit.load` for files written by `jit.save` above. The module's class must
    be defined or imported by the program (as for `torch.load(weights_only=False)`)."""
    from ..nn.modules.module import Module
    from ..serialization import load as _load

    if isinstance(f, (str, os.PathLike)) and not os.path.exists(f):
        raise ValueError(f"The provided filename {f} does not exist")
    try:
        obj = _load(f, map_location=map_location, weights_only=False)
    except Exception as e:  # noqa: BLE001 (a TorchScript archive: say why it cannot load)
        raise RuntimeError("ember.jit.load: ember cannot read TorchScript archives written by "
                           f"PyTorch, only modules saved with ember's torch.jit.save ({e})"
                           ) from None
    if not isinstance(obj, Module):
        # (torch fails to read such a file as an archive: a RuntimeError, not a TypeError)
        raise RuntimeError(  # noqa: TRY004
            "ember.jit.load: the file holds no module saved by torch.jit.save")
    return obj


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
