"""Mirrors the parts of `torch._dynamo` that eager programs touch: `config` (settings such as
`suppress_errors = True`), `reset`, `disable`, `is_compiling`, the shape markers
(`mark_dynamic`, ...) and `optimize`. ember has no graph compiler, so these record or return
what they are given."""

from ..compiler import (  # noqa: F401
    allow_in_graph,
    assume_constant_result,
    is_compiling,
    list_backends,
    reset,
    set_stance,
    substitute_in_graph,
)
from . import config  # noqa: F401


def disable(fn=None, recursive=True, *, reason=None, wrapping=True):
    """Mirrors `torch._dynamo.disable`: returns fn (or an identity decorator)."""
    if fn is None:
        return lambda f: f
    return fn


def optimize(*args, **kwargs):
    """Mirrors `torch._dynamo.optimize(backend)`: a decorator that returns what it
    decorates."""
    return lambda fn: fn


def run(fn=None):
    """Mirrors `torch._dynamo.run`: fn itself."""
    return fn


def graph_break(msg=""):
    """Mirrors `torch._dynamo.graph_break`: nothing to break."""
    return


def disallow_in_graph(fn):
    """Mirrors `torch._dynamo.disallow_in_graph`: returns fn."""
    return fn


def forbid_in_graph(fn):
    """Mirrors `torch._dynamo.forbid_in_graph`: returns fn."""
    return fn


def is_dynamo_supported():
    """Mirrors `torch._dynamo.is_dynamo_supported`: False, ember has no dynamo (programs that
    ask before compiling then stay eager)."""
    return False


def _indices(index):
    return set(index) if isinstance(index, (list, tuple)) else {index}


def mark_dynamic(t, index, *, hint_override=None, min=None, max=None, specialize_on=None):
    """Mirrors `torch._dynamo.mark_dynamic`: records the dims in `t._dynamo_dynamic_indices`,
    as torch does."""
    t.__dict__.setdefault("_dynamo_dynamic_indices", set()).update(_indices(index))


def maybe_mark_dynamic(t, index):
    """Mirrors `torch._dynamo.maybe_mark_dynamic`: recorded as torch does."""
    t.__dict__.setdefault("_dynamo_weak_dynamic_indices", set()).update(_indices(index))


def mark_static(t, index=None):
    """Mirrors `torch._dynamo.mark_static`: recorded as torch does."""
    if index is None:
        t.__dict__["_dynamo_marked_static"] = True
        return
    t.__dict__.setdefault("_dynamo_static_indices", set()).update(_indices(index))


def mark_static_address(t, guard=False):
    """Mirrors `torch._dynamo.mark_static_address`: recorded as torch does."""
    t.__dict__["_dynamo_static_input_type"] = "guarded" if guard else "unguarded"
