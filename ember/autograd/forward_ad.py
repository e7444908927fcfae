"""Mirrors `torch.autograd.forward_ad`: dual tensors and forward-mode Jacobian-vector products.

ember's engine is reverse-mode only, so a tangent is computed when it is asked for, by the
double-backward trick: for an output y of dual inputs x_i with tangents t_i,
g_i(u) = (dy/dx_i)^T u is linear in a dummy cotangent u, and d/du sum_i <g_i(u), t_i> = J t.
Every op whose backward rule supports `create_graph=True` (all registered ops) therefore has a
forward derivative, with no per-op JVP rule.

How it works:
- `make_dual(p, t)` returns a tensor that shares `p`'s storage and requires grad (a fresh leaf
  when `p` does not require grad, a view of `p` when it does) and records `t` for the level;
- `unpack_dual(y)` runs two backward passes through y's graph (kept: the user may call
  backward later) and returns J t, or None when y does not depend on any dual tensor.

Limits (differences from PyTorch):
- the dual tensors, and what is computed from them, report `requires_grad=True`;
- nothing computed under `no_grad()`/`inference_mode()` carries a tangent, since no graph is
  recorded there (PyTorch's forward AD ignores grad mode);
- each `unpack_dual` costs two backward passes (torch propagates tangents during the forward);
- tangents are for real floating-point tensors; complex tensors are not supported.
- nested levels are refused, as in PyTorch.
"""

from typing import NamedTuple

from . import grad_mode

_STATE = {"level": -1, "duals": []}


class UnpackedDualTensor(NamedTuple):
    """Mirrors `torch.autograd.forward_ad.UnpackedDualTensor`: (primal, tangent)."""

    primal: object
    tangent: object


def enter_dual_level():
    """Mirrors `torch.autograd.forward_ad.enter_dual_level`: start level 0 (one at a time)."""
    if _STATE["level"] >= 0:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _STATE["level"] = 0
    _STATE["duals"] = []
    return 0


def exit_dual_level(*, level=None):
    """Mirrors `torch.autograd.forward_ad.exit_dual_level`: the tangents of the level go."""
    if level is None:
        level = _STATE["level"]
    if level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    if level != _STATE["level"]:
        raise RuntimeError(
            "Trying to exit a forward AD level that was not the last one that was created. This "
            "is not supported."
        )
    _STATE["level"] = -1
    _STATE["duals"] = []


class dual_level:
    """Mirrors `torch.autograd.forward_ad.dual_level`: a context manager (and decorator) that
    enters a dual level and exits it, dropping its tangents."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with dual_level():
                return fn(*args, **kwargs)

        return wrapper


def _check_level(level, what):
    current = _STATE["level"]
    if level is None:
        level = current
    if level < 0:
        raise RuntimeError(
            "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
            "enter_dual_level() first."
        )
    if level != current:
        raise RuntimeError(f"Invalid level given to {what}")
    return level


def _is_float(t):
    return t._dtype.is_floating_point or t._dtype.is_complex


def make_dual(tensor, tangent, *, level=None):
    """Mirrors `torch.autograd.forward_ad.make_dual`: `tensor` carrying `tangent` (its
    directional derivative) for the current level."""
    _check_level(level, "_make_dual")
    if not _is_float(tensor):
        raise ValueError(
            f"Expected primal to be floating point or complex, but got: {_name(tensor)}"
        )
    if not _is_float(tangent):
        raise ValueError(
            f"Expected tangent to be floating point or complex, but got: {_name(tangent)}"
        )
    if tuple(tensor.shape) != tuple(tangent.shape):
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {list(tensor.shape)} "
            f"while the given forward gradient is of size {list(tangent.shape)}."
        )
    with grad_mode.enable_grad():
        if tensor.requires_grad:
            # a view keeps the path back to the primal for a later backward
            dual = tensor.view_as(tensor)
        else:
            dual = tensor.detach().requires_grad_(True)
    _STATE["duals"].append((dual, tangent))
    return dual


def _name(t):
    return "torch." + t._dtype.name


def unpack_dual(tensor, *, level=None):
    """Mirrors `torch.autograd.forward_ad.unpack_dual`: (primal, tangent), the tangent being
    the Jacobian of `tensor` with respect to the level's dual tensors times their tangents
    (None outside a level or when `tensor` depends on no dual tensor)."""
    current = _STATE["level"]
    if level is None:
        level = current
    if level < 0 or level != current or not _STATE["duals"]:
        return UnpackedDualTensor(tensor, None)
    for dual, tangent in _STATE["duals"]:
        if dual is tensor:
            return UnpackedDualTensor(
                tensor if _on_user_graph(tensor) else tensor.detach(), tangent)
    if not tensor.requires_grad:
        return UnpackedDualTensor(tensor, None)
    user = _on_user_graph(tensor)
    return UnpackedDualTensor(tensor if user else tensor.detach(), _jvp(tensor, user))


def _on_user_graph(tensor):
    """Whether `tensor` requires grad for the user, not only because of the level's fresh
    dual leaves (in PyTorch a primal computed from those alone does not require grad)."""
    fresh = {id(d) for d, _ in _STATE["duals"] if d._node is None}
    if not fresh:
        return True
    node = tensor._node
    if node is None:
        return id(tensor) not in fresh
    seen = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        for e in getattr(n, "next", ()) or ():
            if e is None:
                continue
            if hasattr(e, "_data"):
                # a leaf tensor: one the user differentiates keeps the primal attached
                if id(e) not in fresh:
                    return True
            else:
                stack.append(e)
    return False


def _jvp(out, user=False):
    from .._creation import zeros_like
    from . import grad

    duals = [d for d, _ in _STATE["duals"]]
    tangents = [t for _, t in _STATE["duals"]]
    with grad_mode.enable_grad():
        # g_i(u) = J_i^T u, a graph that is linear in the dummy cotangent u
        u = zeros_like(out).requires_grad_(True)
        gs = grad(out, duals, grad_outputs=u, create_graph=True, allow_unused=True)
        pairs = [(g, t.to(g.dtype)) for g, t in zip(gs, tangents) if g is not None]
        if not pairs:
            return None
        linear = [(g, t) for g, t in pairs if g.requires_grad]
        if not linear:
            # out does not vary with the duals (e.g. multiplied by zero): a zero tangent
            return zeros_like(out).detach()
        # the tangent stays differentiable when the output depends on tensors the user
        # differentiates (module parameters), as PyTorch's tangent does
        keep = user or any(t.requires_grad for _, t in linear)
        (jv,) = grad([g for g, _ in linear], u, grad_outputs=[t for _, t in linear],
                     create_graph=keep, allow_unused=True)
    if jv is None:
        return zeros_like(out).detach()
    return jv if keep else jv.detach()


__all__ = [
    "UnpackedDualTensor",
    "dual_level",
    "enter_dual_level",
    "exit_dual_level",
    "make_dual",
    "unpack_dual",
]
