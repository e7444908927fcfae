"""Mirrors `torch.autograd.graph`: the `Node` interface, `AccumulateGrad`, gradient edges.

ember's graph nodes (`ember.autograd._node.Node`, custom-Function nodes) and the
`AccumulateGrad` objects that `next_functions` shows for leaves are all instances of
`graph.Node`, as in PyTorch.
"""

import abc
import weakref
from typing import NamedTuple

from . import _node


class Node(abc.ABC):
    """Mirrors `torch.autograd.graph.Node`: what `Tensor.grad_fn` returns."""

    @abc.abstractmethod
    def name(self):
        """The node's name, e.g. 'MulBackward0'."""

    @property
    @abc.abstractmethod
    def next_functions(self):
        """((node, output index), ...) for each input of the op."""

    @abc.abstractmethod
    def register_hook(self, fn):
        """fn(grad_inputs, grad_outputs) runs after the node ran."""

    @abc.abstractmethod
    def register_prehook(self, fn):
        """fn(grad_outputs) runs before the node runs."""


class AccumulateGrad:
    """The node that writes a leaf's `.grad`. Mirrors PyTorch's `AccumulateGrad`.

    The engine accumulates into leaves directly; this object exists for graph inspection
    (`next_functions`, `.variable`) and for hooks on the leaf.
    """

    __slots__ = ("_var", "_metadata", "__weakref__")

    def __init__(self, variable):
        # a weak reference: the tensor caches this object, so a strong one would be a cycle
        self._var = weakref.ref(variable)
        self._metadata = None

    @property
    def variable(self):
        return self._var()

    def name(self):
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self):
        return ()

    @property
    def metadata(self):
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def register_prehook(self, fn):
        """fn((grad,)) before the gradient is accumulated; may return a replacement tuple."""

        def hook(g):
            r = fn((g,))
            return None if r is None else r[0]

        return self.variable.register_hook(hook)

    def register_hook(self, fn):
        """fn(grad_inputs, grad_outputs): for a leaf both are seen before accumulation."""

        def hook(g):
            fn((), (g,))

        return self.variable.register_hook(hook)

    def __repr__(self):
        return f"<AccumulateGrad object at {hex(id(self))}>"


def accumulate_grad(t):
    """The (cached) AccumulateGrad of leaf tensor `t`."""
    acc = t.__dict__.get("_accumulate_grad")
    if acc is None:
        acc = AccumulateGrad(t)
        t.__dict__["_accumulate_grad"] = acc
    return acc


Node.register(_node.Node)
Node.register(AccumulateGrad)


class GradientEdge(NamedTuple):
    """Mirrors `torch.autograd.graph.GradientEdge`: (node, output_nr)."""

    node: object
    output_nr: int


def get_gradient_edge(tensor):
    """Mirrors `torch.autograd.graph.get_gradient_edge`."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "It is not possible to get the gradient edge for a Tensor that does not require "
            "gradients"
        )
    if tensor._node is None:
        return GradientEdge(accumulate_grad(tensor), 0)
    return GradientEdge(*_node.edge_of(tensor._node))


def increment_version(tensor):
    """Mirrors `torch.autograd.graph.increment_version` (a tensor or an iterable of them)."""
    tensors = (tensor,) if hasattr(tensor, "_data") else tensor
    for t in tensors:
        t._version_counter()[0] += 1


# ---------------------------------------------------------------- multi grad hooks
class _MultiHandle:
    """What register_multi_grad_hook returns: `remove()` takes its tensor hooks off."""

    def __init__(self, handles):
        self._handles = handles

    def remove(self):
        for h in self._handles:
            h.remove()
        self._handles = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def register_multi_grad_hook(tensors, fn, *, mode="all"):
    """Mirrors `torch.autograd.graph.register_multi_grad_hook`.

    mode "all": once per backward pass that computes a gradient for any of `tensors`,
    `fn(grads)` gets one gradient per tensor (None for those the pass did not reach), after
    they are all computed. mode "any": `fn(grad)` gets the first gradient computed in a pass.
    """
    from . import _engine

    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    state = {"grads": None, "fired": False}
    handles = []

    if mode == "all":
        def finish():
            grads = state["grads"]
            state["grads"] = None
            fn(tuple(grads))

        def make(i):
            def hook(g):
                if state["grads"] is None:
                    state["grads"] = [None] * len(tensors)
                    _engine.queue_callback(finish)
                state["grads"][i] = g
            return hook
    else:
        def reset():
            state["fired"] = False

        def make(i):
            def hook(g):
                if not state["fired"]:
                    state["fired"] = True
                    _engine.queue_callback(reset)
                    fn(g)
            return hook

    for i, t in enumerate(tensors):
        if t.requires_grad:
            handles.append(t.register_hook(make(i)))
    return _MultiHandle(handles)


# ---------------------------------------------------------------- saved tensor hooks
# the (pack, unpack) pairs of the saved_tensors_hooks contexts entered, innermost last; only
# the innermost pair applies, as in PyTorch (shared with the op recorders, see _saved_hooks)
from ._saved_hooks import HOOKS as _HOOKS  # noqa: E402
# the message of the innermost disable_saved_tensors_hooks context, or None
_DISABLED = [None]


def current_saved_tensors_hooks():
    """The (pack, unpack) pair that applies to a tensor saved now, or None."""
    return _HOOKS[-1] if _HOOKS else None


class saved_tensors_hooks:
    """Mirrors `torch.autograd.graph.saved_tensors_hooks`: `pack_hook(tensor)` runs when a
    tensor is saved for backward, `unpack_hook(packed)` when backward reads it: built-in ops
    (see _saved_hooks) and custom `autograd.Function`s (`ctx.save_for_backward`) alike.
    """

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        if _DISABLED[0] is not None:
            raise RuntimeError(_DISABLED[0])
        _HOOKS.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc):
        _HOOKS.pop()
        return False


class save_on_cpu(saved_tensors_hooks):
    """Mirrors `torch.autograd.graph.save_on_cpu`: saved tensors wait on the CPU and go back
    to their device for backward (`pin_memory` has no effect: NumPy memory is not pinned)."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        def pack(t):
            return t.device, t.cpu()

        def unpack(packed):
            device, t = packed
            return t.to(device, non_blocking=pin_memory)

        super().__init__(pack, unpack)


class disable_saved_tensors_hooks:
    """Mirrors `torch.autograd.graph.disable_saved_tensors_hooks`: entering a
    saved_tensors_hooks context inside raises RuntimeError(error_message)."""

    def __init__(self, error_message):
        self.error_message = error_message

    def __enter__(self):
        if _HOOKS:
            # PyTorch refuses to disable hooks while a hooks context is active
            raise RuntimeError(self.error_message)
        self._prev = _DISABLED[0]
        _DISABLED[0] = self.error_message
        return None

    def __exit__(self, *exc):
        _DISABLED[0] = self._prev
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with disable_saved_tensors_hooks(self.error_message):
                return fn(*args, **kwargs)

        return wrapper


__all__ = [
    "Node",
    "AccumulateGrad",
    "GradientEdge",
    "get_gradient_edge",
    "increment_version",
    "register_multi_grad_hook",
    "saved_tensors_hooks",
    "save_on_cpu",
    "disable_saved_tensors_hooks",
]
