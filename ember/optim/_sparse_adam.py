"""SparseAdam. Mirrors `torch.optim.SparseAdam`: Adam's moments and parameter updated only at
the rows a sparse gradient has (Embedding(sparse=True)), in torch's order of operations so
float32 results agree; a dense gradient raises torch's error."""

import math

import numpy as np

from .optimizer import Optimizer, _as_float, _hooked_step


class SparseAdam(Optimizer):
    """Mirrors `torch.optim.SparseAdam` (its lazy, masked Adam for sparse gradients)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False):
        if hasattr(lr, "numel") and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        defaults = dict(lr=lr, betas=betas, eps=eps, maximize=maximize)
        super().__init__(params, defaults)
        complex_params = []
        for index, group in enumerate(self.param_groups):
            for d_index, p in enumerate(group["params"]):
                if p.is_complex():
                    complex_params.append([index, d_index])
        if complex_params:
            raise ValueError(
                f"Complex params at indices {complex_params}: SparseAdam does not support "
                "complex parameters")

    @_hooked_step
    def step(self, closure=None):
        """Mirrors `torch.optim.SparseAdam.step`."""
        from .._creation import zeros_like

        loss = self._run_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            # as torch: every parameter's state and step first, then the updates
            todo = []
            for p in group["params"]:
                if p.grad is None:
                    continue
                if not p.grad.is_sparse:
                    raise RuntimeError(
                        "SparseAdam does not support dense gradients, please consider Adam "
                        "instead")
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = 0
                    state["exp_avg"] = zeros_like(p.detach())
                    state["exp_avg_sq"] = zeros_like(p.detach())
                state["step"] += 1
                todo.append((p, state))
            for p, state in todo:
                _update(p, p.grad, state, _as_float(group["lr"]), beta1, beta2, group["eps"],
                        group.get("maximize", False))
        return loss


def _update(p, grad, state, lr, beta1, beta2, eps, maximize):
    """torch.optim._functional.sparse_adam for one parameter, on the arrays at the gradient's
    (coalesced, so distinct) indices."""
    if maximize:
        grad = -grad
    grad = grad.coalesce()
    at = tuple(grad._idx)
    g = grad._vals.detach()._data
    if g.size == 0:
        return
    m = state["exp_avg"]._data
    v = state["exp_avg_sq"]._data
    # old <- b * old + (1 - b) * new, written old += (1 - b) * (new - old)
    old_m = m[at]
    upd_m = (g - old_m) * (1 - beta1)
    m[at] = old_m + upd_m
    old_v = v[at]
    upd_v = (g * g - old_v) * (1 - beta2)
    v[at] = old_v + upd_v
    numer = upd_m + old_m
    denom = np.sqrt(upd_v + old_v) + eps
    step = state["step"]
    step_size = lr * math.sqrt(1 - beta2**step) / (1 - beta1**step)
    w = p._data
    w[at] = w[at] + -step_size * (numer / denom)
    v_ = p._vc
    if v_ is not None:
        v_[0] += 1
