"""Mirrors `torch.compiler` for eager execution. ember has no graph compiler: `compile` gives
the model or function back unchanged, nothing is ever compiling, and the decorators that
steer the compiler (`disable`, `allow_in_graph`, `assume_constant_result`, ...) return what
they decorate, so code written for `torch.compile` runs unchanged."""

from . import config  # noqa: F401

__all__ = [
    "allow_in_graph",
    "assume_constant_result",
    "compile",
    "cudagraph_mark_step_begin",
    "disable",
    "get_default_backend",
    "is_compiling",
    "is_dynamo_compiling",
    "is_exporting",
    "list_backends",
    "nested_compile_region",
    "reset",
    "set_default_backend",
    "set_stance",
    "substitute_in_graph",
    "wrap_numpy",
]

_STANCES = ("default", "force_eager", "eager_on_recompile", "fail_on_recompile",
            "eager_then_compile", "aot_eager_then_compile")
_DEFAULT_BACKEND = ["inductor"]


def compile(*args, **kwargs):
    """Mirrors `torch.compiler.compile`: the same as `torch.compile` (returns the model)."""
    from .._runtime import compile as _compile

    return _compile(*args, **kwargs)


def reset():
    """Mirrors `torch.compiler.reset`: there are no compiled caches to clear."""
    return


def is_compiling():
    """Mirrors `torch.compiler.is_compiling`: always False (ember runs eagerly)."""
    return False


def is_dynamo_compiling():
    """Mirrors `torch.compiler.is_dynamo_compiling`: always False."""
    return False


def is_exporting():
    """Mirrors `torch.compiler.is_exporting`: always False."""
    return False


def disable(fn=None, recursive=True, *, reason=None):
    """Mirrors `torch.compiler.disable`: with a function, the function (eager already); with
    no function, a decorator that returns what it decorates."""
    if fn is None:
        return lambda f: f
    return fn


def allow_in_graph(fn):
    """Mirrors `torch.compiler.allow_in_graph`: returns fn."""
    return fn


def assume_constant_result(fn):
    """Mirrors `torch.compiler.assume_constant_result`: returns fn."""
    return fn


def substitute_in_graph(original_fn, *, can_constant_fold_through=False,
                        skip_signature_check=False):
    """Mirrors `torch.compiler.substitute_in_graph`: a decorator that returns the decorated
    (traceable) function; eager code keeps calling the original."""
    return lambda fn: fn


def nested_compile_region(fn=None, *, options=None, max_reuse_entries=8, reuse_hash_fn=None):
    """Mirrors `torch.compiler.nested_compile_region`: returns fn (or an identity
    decorator)."""
    if fn is None:
        return lambda f: f
    return fn


def wrap_numpy(fn):
    """Mirrors `torch.compiler.wrap_numpy`: fn takes and returns NumPy arrays; the wrapper
    takes and returns tensors (converted on the way in and out)."""
    import functools

    from .._tensor import Tensor

    def to_numpy(v):
        if isinstance(v, Tensor):
            return v.numpy(force=True)
        if isinstance(v, (list, tuple)):
            return type(v)(to_numpy(x) for x in v)
        if isinstance(v, dict):
            return {k: to_numpy(x) for k, x in v.items()}
        return v

    def to_tensor(v):
        import numpy as np

        from .._creation import as_tensor

        if isinstance(v, np.ndarray):
            return as_tensor(v)
        if isinstance(v, (list, tuple)):
            return type(v)(to_tensor(x) for x in v)
        if isinstance(v, dict):
            return {k: to_tensor(x) for k, x in v.items()}
        return v

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        return to_tensor(fn(*to_numpy(args), **to_numpy(kwargs)))

    return wrapped


def cudagraph_mark_step_begin():
    """Mirrors `torch.compiler.cudagraph_mark_step_begin`: nothing to mark."""
    return


def list_backends(exclude_tags=("debug", "experimental")):
    """Mirrors `torch.compiler.list_backends`: the names torch lists by default (none of
    them compiles anything in ember)."""
    return ["cudagraphs", "inductor", "openxla", "tvm"]


def get_default_backend():
    """Mirrors `torch.compiler.get_default_backend`."""
    return _DEFAULT_BACKEND[0]


def set_default_backend(backend):
    """Mirrors `torch.compiler.set_default_backend` (recorded only)."""
    _DEFAULT_BACKEND[0] = backend


class _Stance:
    """What `set_stance` returns: usable as a context manager and as a decorator."""

    def __init__(self, stance):
        self.stance = stance

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self, fn):
        return fn


def set_stance(stance="default", *, skip_guard_eval_unsafe=False, force_backend=None):
    """Mirrors `torch.compiler.set_stance`: checks the stance name; eager either way."""
    if stance not in _STANCES:
        raise RuntimeError(f"Unsupported stance: {stance}")
    return _Stance(stance)
