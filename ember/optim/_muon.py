"""Muon. Mirrors `torch.optim.Muon` (torch/optim/_muon.py): momentum (Nesterov by default), a
Newton-Schulz orthogonalization of the update in bfloat16, decoupled weight decay and a
shape-dependent learning rate, for 2-D parameters only.

torch runs the Newton-Schulz iteration on bfloat16 tensors; its CPU kernels compute every op
in float32 and round the result to bfloat16 once (matmul, addmm = beta*input + alpha*(m1@m2),
norm, division). ember does the same on float32 arrays with an explicit round-to-nearest-even
to bfloat16, so it needs no bfloat16 dtype (ml_dtypes) and matches torch's iterates exactly.
"""

import math

import numpy as np

from ._adafactor import _as_float, _lerp_
from ._algorithms import _bump
from .optimizer import Optimizer, _hooked_step

EPS = 1e-7
DEFAULT_A = 3.4445
DEFAULT_B = -4.7750
DEFAULT_C = 2.0315
DEFAULT_NS_STEPS = 5


def _round_bf16(x):
    """float32 values rounded to the nearest bfloat16 (ties to even), kept as float32."""
    x = x.astype(np.float32)
    bits = x.view(np.uint32).astype(np.uint64)
    # add half an ulp of bfloat16 (minus one when the kept part is even: ties go to even),
    # then drop the low 16 bits
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    out = bits.astype(np.uint32).view(np.float32)
    # NaN stays NaN (the carry could turn a NaN payload into infinity)
    return np.where(np.isnan(x), x, out)


def _zeropower_via_newtonschulz(grad, ns_coefficients, ns_steps, eps):
    """torch's quintic Newton-Schulz iteration on a 2-D array; returns bfloat16 values as
    float32."""
    if ns_steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if grad.ndim != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(ns_coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = (np.float32(v) for v in ns_coefficients)
    x = _round_bf16(grad)
    wide = grad.shape[0] > grad.shape[1]
    if wide:
        # iterate on the side whose Gram matrix is smaller
        x = x.T
    norm = _round_bf16(np.sqrt(np.sum(x * x)))
    # clamp(min=eps) on a bfloat16 tensor: eps is rounded to bfloat16 too
    # (a Python float: a NumPy 0-d array would not mix with a CuPy array)
    norm = np.maximum(norm, float(_round_bf16(np.float32(eps))))
    x = _round_bf16(x / norm)
    for _ in range(ns_steps):
        gram = _round_bf16(x @ x.T)
        gram_update = _round_bf16(b * gram + c * (gram @ gram))
        x = _round_bf16(a * x + gram_update @ x)
    return x.T if wide else x


def _adjust_lr(lr, adjust_lr_fn, param_shape):
    """torch's learning-rate scaling by the parameter's shape."""
    A, B = param_shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        ratio = math.sqrt(max(1, A / B))
    elif adjust_lr_fn == "match_rms_adamw":
        ratio = 0.2 * math.sqrt(max(A, B))
    else:
        ratio = 1.0
    return lr * ratio


class Muon(Optimizer):
    """Mirrors `torch.optim.Muon` (2-D parameters only). The update's bfloat16 rounding is
    emulated on float32 arrays (see the module docstring)."""

    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(DEFAULT_A, DEFAULT_B, DEFAULT_C), eps=EPS,
                 ns_steps=DEFAULT_NS_STEPS, adjust_lr_fn=None):
        if hasattr(lr, "numel") and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ["original", "match_rms_adamw"]:
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = dict(lr=lr, weight_decay=weight_decay, momentum=momentum, nesterov=nesterov,
                        ns_coefficients=ns_coefficients, eps=eps, ns_steps=ns_steps,
                        adjust_lr_fn=adjust_lr_fn)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(
                        "Muon only supports 2D parameters whereas we found a parameter with "
                        f"size: {p.size()}")

    @_hooked_step
    def step(self, closure=None):
        """Mirrors `torch.optim.Muon.step`."""
        from .._creation import zeros_like

        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = _as_float(group["lr"])
            wd = group["weight_decay"]
            momentum = group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.is_complex():
                    raise RuntimeError("Muon does not support complex parameters")
                if p.grad.is_sparse:
                    raise RuntimeError("Muon does not support sparse gradients")
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = zeros_like(p.grad.detach())
                g = p.grad._data
                if g.ndim != 2:
                    raise ValueError("Param gradient must be a 2D matrix")
                buf = state["momentum_buffer"]._data
                _lerp_(buf, g, 1 - momentum)
                if group["nesterov"]:
                    update = g.copy()
                    _lerp_(update, buf, momentum)
                else:
                    update = buf
                update = _zeropower_via_newtonschulz(update, group["ns_coefficients"],
                                                     group["ns_steps"], group["eps"])
                w = p._data
                w *= 1 - lr * wd
                # bfloat16 update times a Python alpha, added in the parameter's dtype
                w += (-_adjust_lr(lr, group["adjust_lr_fn"], w.shape)) * update.astype(w.dtype)
                _bump(p)
        return loss
