"""Mirrors `torch.autograd`: backward, grad, Function, grad modes, gradcheck."""

from .grad_mode import no_grad, enable_grad, set_grad_enabled, inference_mode  # noqa: F401
from . import _engine
from .gradcheck import gradcheck, gradgradcheck, GradcheckError  # noqa: F401


def _make_grads(outputs, grad_outputs, create_graph):
    from .._tensor import Tensor

    grads = []
    for i, t in enumerate(outputs):
        g = grad_outputs[i] if grad_outputs is not None else None
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
                    + repr(t._dtype)
                )
            xp = t._device.xp
            g = xp.ones(t._data.shape, dtype=t._data.dtype)
        elif isinstance(g, Tensor):
            if g._data.shape != t._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                    f"output[{i}] has a shape of {t.shape}."
                )
            g = g if create_graph else g._data
        else:
            g = t._device.xp.asarray(g, dtype=t._data.dtype)
        grads.append(g)
    return grads


def _as_tuple(x):
    if x is None:
        return None
    from .._tensor import Tensor

    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Mirrors `torch.autograd.backward`."""
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(tensors, grad_tensors, create_graph)
    if inputs is not None:
        inputs = _as_tuple(inputs)
        res = _engine.backward(tensors, grads, retain_graph, create_graph, inputs, True)
        for t, g in zip(inputs, res):
            if g is None:
                continue
            if t.grad is None:
                t.grad = g if create_graph else g.clone() if False else g
            else:
                t.grad = t.grad + g
        return
    _engine.backward(tensors, grads, retain_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Mirrors `torch.autograd.grad`."""
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    for t in inputs:
        if not t._rg:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grad_outputs = _as_tuple(grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    grads = _make_grads(outputs, grad_outputs, create_graph)
    res = _engine.backward(outputs, grads, retain_graph, create_graph, inputs, allow_unused)
    if materialize_grads:
        from .._creation import zeros_like

        res = tuple(zeros_like(t) if g is None else g for t, g in zip(inputs, res))
    return res
