"""Adafactor. Mirrors `torch.optim.Adafactor` (torch/optim/_adafactor.py, single-tensor path):
factored second moments (row and column means of g*g) for parameters with two or more
dimensions, a full second moment for vectors and scalars, relative step size and update
clipping. Each operation follows torch's order on the raw arrays, so float32 results agree
with torch step by step.
"""

import numpy as np

from ._algorithms import _bump
from .optimizer import Optimizer, _hooked_step, _step_tensor


def _lerp_(start, end, weight):
    """`start.lerp_(end, weight)` with torch's formula for a scalar weight (the two branches
    keep the result exact at weight 0 and 1)."""
    if abs(weight) < 0.5:
        start += weight * (end - start)
    else:
        start[...] = end - (end - start) * (1 - weight)


def _norm(a):
    """`a.norm(2).item()`: rounded to a's dtype before it becomes a Python float, as torch."""
    return float(np.sqrt(np.sum(a * a)))


def _as_float(lr):
    # torch's _to_scalar: a 1-element Tensor lr is used as its Python value
    return lr.item() if hasattr(lr, "item") and not isinstance(lr, float) else lr


class Adafactor(Optimizer):
    """Mirrors `torch.optim.Adafactor` (lr, beta2_decay, eps, d, weight_decay, maximize)."""

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if hasattr(lr, "numel") and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d,
                        weight_decay=weight_decay, foreach=foreach, maximize=maximize)
        super().__init__(params, defaults)

    def _init_state(self, p, g):
        from .._creation import zeros

        state = self.state[p]
        if len(state) == 0:
            state["step"] = zeros((), dtype=_scalar_dtype())
            if g.ndim > 1:
                # row factor: the mean over the last dim; col factor: over the one before
                state["row_var"] = zeros(g.shape[:-1] + (1,), dtype=p.dtype, device=p.device)
                state["col_var"] = zeros(g.shape[:-2] + (1, g.shape[-1]), dtype=p.dtype,
                                         device=p.device)
            else:
                state["variance"] = zeros(g.shape, dtype=p.dtype, device=p.device)
        return state

    @_hooked_step
    def step(self, closure=None):
        """Mirrors `torch.optim.Adafactor.step`."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            eps1, eps2 = group["eps"]
            lr = _as_float(group["lr"])
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.is_complex():
                    raise RuntimeError("Adafactor does not support complex parameters")
                if p.grad.is_sparse:
                    raise RuntimeError("Adafactor does not support sparse gradients")
                state = self._init_state(p, p.grad._data)
                g = p.grad._data
                if group["maximize"]:
                    g = -g
                _adafactor_one(p, p._data, g, state, lr, group["beta2_decay"],
                               group["weight_decay"], eps1, eps2, group["d"])
                _bump(p)
        return loss


def _scalar_dtype():
    # torch's _get_scalar_dtype: float64 only when the default dtype is float64
    from .. import _dtype as D

    return D.float64 if D.get_default_dtype() is D.float64 else D.float32


def _adafactor_one(p, w, g, state, lr, beta2_decay, weight_decay, eps1, eps2, d):
    """One parameter's update, operation by operation as torch's _single_tensor_adafactor."""
    if eps1 is None:
        eps1 = float(np.finfo(w.dtype).eps)
    step = _step_tensor(state)
    one_minus_beta2_t = step**beta2_decay
    rho_t = min(lr, 1 / (step**0.5))
    alpha = max(eps2, _norm(w) / (w.size**0.5)) * rho_t
    if weight_decay != 0:
        w *= 1 - lr * weight_decay
    if g.ndim > 1:
        row_var = state["row_var"]._data
        col_var = state["col_var"]._data
        # torch.norm(g, dim=-1).square_() / size: the mean of g*g, rounded as torch does
        row_mean = np.square(np.sqrt(np.sum(g * g, axis=-1, keepdims=True))) / g.shape[-1]
        _lerp_(row_var, row_mean, one_minus_beta2_t)
        col_mean = np.square(np.sqrt(np.sum(g * g, axis=-2, keepdims=True))) / g.shape[-2]
        _lerp_(col_var, col_mean, one_minus_beta2_t)
        var_estimate = np.matmul(row_var, col_var)
        var_estimate /= np.maximum(np.mean(row_var, axis=-2, keepdims=True), eps1)
    else:
        variance = state["variance"]._data
        _lerp_(variance, g * g, one_minus_beta2_t)
        var_estimate = variance.copy()
    # eps1 is squared because a square root follows
    update = 1 / np.sqrt(np.maximum(var_estimate, eps1 * eps1))
    update *= g
    denom = max(1.0, _norm(update) / ((update.size**0.5) * d))
    w += (-alpha / denom) * update

