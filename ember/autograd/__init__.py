"""Mirrors `torch.autograd`: backward, grad, Function, grad modes, gradcheck, graph."""

from .grad_mode import (  # noqa: F401
    no_grad,
    enable_grad,
    set_grad_enabled,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    set_detect_anomaly,
    detect_anomaly,
    is_anomaly_enabled,
)
from . import _engine
from . import graph  # noqa: F401
from . import function  # noqa: F401
from . import functional  # noqa: F401
from . import forward_ad  # noqa: F401
from . import profiler  # noqa: F401
from .function import Function, once_differentiable  # noqa: F401
from .variable import Variable  # noqa: F401
from .gradcheck import gradcheck, gradgradcheck, GradcheckError  # noqa: F401


def _make_grads(outputs, grad_outputs, create_graph):
    """The gradient of each output: given, or ones for a scalar that requires grad."""

    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    grads = []
    # as PyTorch: pairs up to the shorter list, then the engine checks the counts
    for i, (t, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            if not t._rg:
                raise RuntimeError(
                    f"element {i} of tensors does not require grad and does not have a grad_fn"
                )
            if t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not t._dtype.is_floating_point:
                raise RuntimeError(
                    "grad can be implicitly created only for real scalar outputs but got "
                    + str(t._dtype)
                )
            g = t._device.xp.ones(t._data.shape, dtype=t._data.dtype)
        elif isinstance(g, Tensor):
            if g._data.shape != t._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                    f"output[{i}] has a shape of {t.shape}."
                )
            g = g if create_graph else g._data
        else:
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
        grads.append(g)
    if len(grads) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    return grads


def _as_tuple(x):
    if x is None:
        return None

    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def backward(
    tensors,
    grad_tensors=None,
    retain_graph=None,
    create_graph=False,
    grad_variables=None,
    inputs=None,
):
    """Mirrors `torch.autograd.backward`: accumulate gradients into leaves' `.grad`.

    With `inputs`, only those tensors' `.grad` receive gradients.
    """
    tensors = _as_tuple(tensors)
    if grad_tensors is None:
        grad_tensors = grad_variables
    grad_tensors = _as_tuple(grad_tensors)
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        for t in inputs:
            # PyTorch retains the grad of each input first, which checks this
            if not t._rg:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(tensors, grad_tensors, create_graph)
    _engine.backward(tensors, grads, retain_graph, create_graph, inputs, True, accumulate=True)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    only_inputs=True,
    allow_unused=None,
    is_grads_batched=False,
    materialize_grads=False,
):
    """Mirrors `torch.autograd.grad`: the gradients of `outputs` w.r.t. `inputs`."""
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, but "
            "got: allow_unused=False."
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    if is_grads_batched:
        return _grad_batched(outputs, inputs, grad_outputs, retain_graph, create_graph,
                             allow_unused, materialize_grads)
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    grad_outputs = _as_tuple(grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    # torch checks the outputs (in _make_grads) before the inputs (in its engine)
    grads = _make_grads(outputs, grad_outputs, create_graph)
    for t in inputs:
        if not t._rg:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    res = _engine.backward(outputs, grads, retain_graph, create_graph, inputs, allow_unused)
    if materialize_grads:
        from .._creation import zeros_like

        res = tuple(zeros_like(t) if g is None else g for t, g in zip(inputs, res))
    return res


def _grad_batched(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                  materialize_grads):
    """`grad(..., is_grads_batched=True)`: one backward pass per row of `grad_outputs`, the
    results stacked (PyTorch vmaps the backward; the values are the same)."""
    from .._ops._bind import FUNCTIONS

    stack = FUNCTIONS["stack"]
    grad_outputs = _as_tuple(grad_outputs)
    inputs = _as_tuple(inputs)
    n = grad_outputs[0].shape[0]
    rows = []
    for i in range(n):
        rows.append(grad(outputs, inputs, tuple(g[i] for g in grad_outputs), retain_graph=True,
                         create_graph=create_graph, allow_unused=allow_unused,
                         materialize_grads=materialize_grads))
    out = []
    for k in range(len(inputs)):
        column = [r[k] for r in rows]
        out.append(None if column[0] is None else stack(column))
    return tuple(out)


__all__ = [
    "backward",
    "grad",
    "Function",
    "once_differentiable",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "graph",
    "function",
    "functional",
]


def _bind_tensor():
    """Resolve the Tensor names once ember is imported (a module-level import would cycle);
    hot functions then read module globals instead of running an import statement per call."""
    global Tensor
    from .._tensor import Tensor
