"""Mirrors `torch.autograd.functional`: vjp, jvp, jacobian, hessian, vhp, hvp.

All are built on `autograd.grad`: a Jacobian is one backward per output element (reverse
mode), a forward-mode product (jvp) uses the double-backward trick (differentiate the vjp with
respect to its linear argument v).
"""

from .grad_mode import enable_grad


def _as_tuple(x, what, fn_name):
    from .._tensor import Tensor

    if isinstance(x, Tensor):
        return False, (x,)
    if not isinstance(x, tuple):
        raise TypeError(
            f"The {what} given to {fn_name} must be either a Tensor or a tuple of Tensors but "
            f"the given {what} has type {type(x)}."
        )
    for i, t in enumerate(x):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"The {what} given to {fn_name} must be either a Tensor or a tuple of Tensors "
                f"but the value at index {i} has type {type(t)}."
            )
    return True, x


def _untuple(res, is_tuple):
    return res if is_tuple else res[0]


def _prepare(inputs, create_graph):
    # a fresh tensor per input, so the function's own use of it is what gets differentiated;
    # with create_graph it stays connected to the caller's graph
    res = []
    for t in inputs:
        if create_graph and t.requires_grad:
            res.append(t.view_as(t))
        else:
            res.append(t.detach().requires_grad_(True))
    return tuple(res)


def _finish(x, create_graph):
    if isinstance(x, tuple):
        return tuple(_finish(t, create_graph) for t in x)
    return x if create_graph else x.detach()


def _grad(outputs, inputs, grad_outputs, create_graph, retain_graph=None):
    from . import grad

    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    return grad(
        [o for o, _ in pairs],
        inputs,
        [g for _, g in pairs],
        retain_graph=retain_graph,
        create_graph=create_graph,
        allow_unused=True,
    )


def _zeros_for_none(grads, refs, strict, what):
    from .._creation import zeros_like

    out = []
    for i, (g, r) in enumerate(zip(grads, refs)):
        if g is None:
            if strict:
                subject = what if what[0].isupper() else f"The {what}"
                raise RuntimeError(
                    f"{subject} of the user-provided function is independent of input {i}. "
                    "This is not allowed in strict mode."
                )
            g = zeros_like(r)
        out.append(g)
    return tuple(out)


def _check_requires_grad(tensors, kind, strict):
    """strict mode: each output (or first gradient) must depend on the inputs, with
    PyTorch's messages per `kind`."""
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError(
                f"The output of the user-provided function is independent of input {i}. This "
                "is not allowed in strict mode."
            )
        if t.requires_grad:
            continue
        if kind == "hessian":
            raise RuntimeError(
                f"The hessian of the user-provided function with respect to input {i} is "
                "independent of the input. This is not allowed in strict mode. You should "
                "ensure that your function is thrice differentiable and that the hessian "
                "depends on the inputs."
            )
        if kind == "jacobian":
            raise RuntimeError(
                "While computing the hessian, found that the jacobian of the user-provided "
                f"function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example)."
            )
        raise RuntimeError(
            f"Output {i} of the user-provided function does not require gradients. The outputs "
            "must be computed in a differentiable manner from the input when running in strict "
            "mode."
        )


def _check_v(v, outputs, fn_name, scalar_ok, is_other_tuple=True):
    from .._creation import ones_like

    if v is None:
        if not scalar_ok or len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError(
                "The vector v can only be None if the user-provided function returns a single "
                "Tensor with a single element."
            )
        return (ones_like(outputs[0]),)
    _, v = _as_tuple(v, "v", fn_name)
    if len(v) != len(outputs):
        if not is_other_tuple:
            raise RuntimeError("The given v should contain a single Tensor.")
        raise RuntimeError(
            f"v is a tuple of invalid length: should be {len(outputs)} but got {len(v)}."
        )
    for i, (a, b) in enumerate(zip(v, outputs)):
        if tuple(a.shape) != tuple(b.shape):
            prefix = f"Entry {i} in " if is_other_tuple else ""
            raise RuntimeError(
                f"{prefix}v has invalid size: should be {b.shape} but got {a.shape}."
            )
    return v


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """Mirrors `torch.autograd.functional.vjp`: (func(inputs), v^T J)."""
    with enable_grad():
        is_in, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _prepare(inputs, create_graph)
        is_out, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "vjp")
        _check_requires_grad(outputs, "outputs", strict)
        v = _check_v(v, outputs, "vjp", True, is_out)
        grads = _grad(outputs, inputs, v, create_graph)
        res = _zeros_for_none(grads, inputs, strict, "output")
    return (
        _untuple(_finish(outputs, create_graph), is_out),
        _untuple(_finish(res, create_graph), is_in),
    )


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """Mirrors `torch.autograd.functional.jvp`: (func(inputs), J v)."""
    from .._creation import zeros_like

    with enable_grad():
        is_in, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare(inputs, create_graph)
        if v is None:
            if len(inputs) != 1 or inputs[0].numel() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the input to the user-provided function "
                    "is a single Tensor with a single element."
                )
            from .._creation import ones_like

            v = (ones_like(inputs[0]),)
        else:
            v = _check_v(v, inputs, "jvp", False, is_in)
        is_out, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "jvp")
        _check_requires_grad(outputs, "outputs", strict)
        # J v = d/du <J^T u, v>: J^T u is linear in u, so any u (zeros) will do
        us = tuple(zeros_like(o).requires_grad_(True) for o in outputs)
        gi = _grad(outputs, inputs, us, create_graph=True)
        pairs = [(g, t) for g, t in zip(gi, v) if g is not None and g.requires_grad]
        if pairs:
            res = _grad(
                [g for g, _ in pairs],
                us,
                [t for _, t in pairs],
                create_graph,
                retain_graph=create_graph or None,
            )
        else:
            res = (None,) * len(us)
        res = _zeros_for_none(res, outputs, strict, "output")
    return (
        _untuple(_finish(outputs, create_graph), is_out),
        _untuple(_finish(res, create_graph), is_out),
    )


def jacobian(
    func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"
):
    """Mirrors `torch.autograd.functional.jacobian` (reverse mode, one backward per output
    element). Entry [i][j] has shape outputs[i].shape + inputs[j].shape."""
    from .._creation import zeros
    from .. import stack

    if strategy not in ("reverse-mode", "forward-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode":
        # same checks as torch; the values are then computed in reverse mode (they agree)
        if create_graph:
            raise NotImplementedError(
                "torch.autograd.functional.jacobian: `create_graph=True` "
                'and `strategy="forward-mode"` are not supported together (yet). '
                "Please either set `create_graph=False` or "
                '`strategy="reverse-mode"`.'
            )
        if strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` "
                'and `strategy="forward-mode"` are not supported together (yet). '
                "Please either set `strict=False` or "
                '`strategy="reverse-mode"`.'
            )
        if not vectorize:
            raise NotImplementedError(
                "Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
                "only implemented for `vectorize=True`."
            )
    with enable_grad():
        is_in, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _prepare(inputs, create_graph)
        is_out, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "jacobian"
        )
        _check_requires_grad(outputs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                "not supported together. Please either set `strict=False` or "
                "`vectorize=False`."
            )
        rows = []
        for i, out in enumerate(outputs):
            n = out.numel()
            per_input = [[] for _ in inputs]
            for k in range(n):
                onehot = zeros(n, dtype=out.dtype, device=out.device)
                onehot[k] = 1
                gs = _grad(
                    (out,),
                    inputs,
                    (onehot.reshape(tuple(out.shape)),),
                    create_graph,
                    retain_graph=True,
                )
                gs = _zeros_for_none(gs, inputs, strict, f"Output {i}")
                for j, g in enumerate(gs):
                    per_input[j].append(g)
            row = []
            for j, t in enumerate(inputs):
                shape = tuple(out.shape) + tuple(t.shape)
                if n:
                    row.append(stack(per_input[j]).reshape(shape))
                else:
                    row.append(zeros(shape, dtype=t.dtype, device=t.device))
            rows.append(tuple(_finish(r, create_graph) for r in row))
    if is_out:
        return tuple(_untuple(r, is_in) for r in rows)
    return _untuple(rows[0], is_in)


def hessian(
    func,
    inputs,
    create_graph=False,
    strict=False,
    vectorize=False,
    outer_jacobian_strategy="reverse-mode",
):
    """Mirrors `torch.autograd.functional.hessian` of a function with a single-element
    output. Entry [i][j] has shape inputs[i].shape + inputs[j].shape."""
    is_in, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def scalar(*xs):
        out = func(*xs)
        is_out, outs = _as_tuple(out, "outputs of the user-provided function", "hessian")
        if is_out or outs[0].numel() != 1:
            if is_out:
                raise RuntimeError("The function given to hessian should return a single Tensor")
            raise RuntimeError(
                "The Tensor returned by the function given to hessian should contain a single "
                "element"
            )
        return outs[0].reshape(())

    def first(*xs):
        g = jacobian(scalar, xs, create_graph=True, strict=strict)
        return tuple(g)

    res = jacobian(first, inputs, create_graph=create_graph, strict=strict,
                   vectorize=vectorize, strategy=outer_jacobian_strategy)
    if is_in:
        return res
    return res[0][0]


def vhp(func, inputs, v=None, create_graph=False, strict=False, _name="vhp"):
    """Mirrors `torch.autograd.functional.vhp`: (func(inputs), v^T H)."""
    with enable_grad():
        is_in, inputs = _as_tuple(inputs, "inputs", _name)
        inputs = _prepare(inputs, create_graph)
        if v is None:
            if len(inputs) != 1 or inputs[0].numel() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the input to the user-provided function "
                    "is a single Tensor with a single element."
                )
            from .._creation import ones_like

            v = (ones_like(inputs[0]),)
        else:
            v = _check_v(v, inputs, _name, False, is_in)
        out = func(*inputs)
        is_out, outs = _as_tuple(out, "outputs of the user-provided function", _name)
        _check_requires_grad(outs, "outputs", strict)
        if is_out:
            raise RuntimeError(f"The function given to {_name} should return a single Tensor")
        if outs[0].numel() != 1:
            raise RuntimeError(
                f"The Tensor returned by the function given to {_name} should contain a single "
                "element"
            )
        from .._creation import ones_like

        jac = _grad(outs, inputs, (ones_like(outs[0]),), create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        jac = _zeros_for_none(jac, inputs, strict, "jacobian")
        res = _grad(jac, inputs, v, create_graph)
        res = _zeros_for_none(res, inputs, strict, "jacobian")
    return _finish(outs[0], create_graph), _untuple(_finish(res, create_graph), is_in)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """Mirrors `torch.autograd.functional.hvp`: (func(inputs), H v). A Hessian is symmetric,
    so this is v^T H computed as in vhp."""
    return vhp(func, inputs, v, create_graph, strict, _name="hvp")


__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]
