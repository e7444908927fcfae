"""SGD, Adam, AdamW, RMSprop, Adagrad. Formulas follow PyTorch's single-tensor implementations
operation by operation, so float32 results agree with torch step by step."""

import math

import numpy as np

from .._ops._registry import const
from ..cuda import _fused
from .optimizer import (Optimizer, required, _step_tensor, _grads, _hooked_step,
                        _as_float)


def _bump(p):
    # an in-place update is a new version (backward through an older graph must notice)
    v = p._vc
    if v is not None:
        v[0] += 1


def _zeros_like_state(p):
    from .._creation import zeros_like

    return zeros_like(p.detach())


def _check(cond, msg):
    if not cond:
        raise ValueError(msg)


class SGD(Optimizer):
    """Mirrors `torch.optim.SGD` (momentum, dampening, nesterov, weight_decay, maximize)."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        _check(lr is required or lr >= 0.0, f"Invalid learning rate: {lr}")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum}")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    @_hooked_step
    def step(self, closure=None):
        loss = None if closure is None else self._run_closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            if lr.__class__ is not float:
                # (a tensor lr: its value)
                lr = _as_float(lr)
            mom = group["momentum"]
            damp = group["dampening"]
            wd = group["weight_decay"]
            nesterov = group["nesterov"]
            maximize = group["maximize"]
            # lr as a 0-d array of the parameters' dtype (see below), made once per dtype
            lr_dtype = None
            lr_arr = None
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                try:
                    g = g._data
                except NotImplementedError:
                    # a sparse gradient: its `_data` refuses (costs nothing on dense ones)
                    self._sparse_step(p, p.grad, lr, mom, damp, wd, nesterov, maximize)
                    continue
                w = p._data
                if w.__class__ is not np.ndarray and _fused.usable(w, g):
                    self._fused_step(p, w, g, lr, mom, damp, wd, nesterov, maximize)
                    continue
                if maximize:
                    g = -g
                if wd != 0:
                    g = g + wd * w
                if mom != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        from .._creation import tensor

                        buf = state["momentum_buffer"] = tensor(g, dtype=p.dtype)
                        b = buf._data
                    else:
                        b = buf._data
                        if b.__class__ is np.ndarray:
                            # (0-d arrays of b's dtype, as lr below; and 1 * g is g exactly)
                            b *= const(mom, p._dtype)
                            if damp == 0:
                                b += g
                            else:
                                b += g * const(1 - damp, p._dtype)
                        else:
                            b *= mom
                            b += (1 - damp) * g
                    g = g + mom * b if nesterov else b
                if w.__class__ is np.ndarray:
                    # lr as a 0-d array of w's dtype: NumPy converts a Python float operand on
                    # every call, which costs more than the update of a small parameter
                    if p._dtype is not lr_dtype:
                        lr_dtype = p._dtype
                        lr_arr = const(lr, lr_dtype)
                    w -= g * lr_arr
                else:
                    w -= lr * g
                # an in-place update is a new version (as _bump, inline: once per parameter)
                v = p._vc
                if v is not None:
                    v[0] += 1
        return loss

    def _sparse_step(self, p, g, lr, mom, damp, wd, nesterov, maximize):
        """torch's single-tensor SGD on a sparse gradient, with its sparse ops: weight decay
        raises torch's error (a sparse gradient plus the dense parameter), the momentum buffer
        is a sparse tensor, and the parameter gets a dense + sparse add."""
        if maximize:
            g = -g
        if wd != 0:
            g = g.add(p, alpha=wd)
        if mom != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = g.detach().clone()
            else:
                buf.mul_(mom).add_(g, alpha=1 - damp)
            g = g.add(buf, alpha=mom) if nesterov else buf
        p.add_(g, alpha=-lr)

    def _fused_step(self, p, w, g, lr, mom, damp, wd, nesterov, maximize):
        """One CUDA kernel for the whole update of one parameter (cuda/_fused.py)."""
        if mom == 0:
            _fused.sgd(w, g, lr, wd, maximize)
        else:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            first = buf is None
            if first:
                buf = state["momentum_buffer"] = _zeros_like_state(p)
            _fused.sgd_momentum(w, g, buf._data, lr, wd, mom, damp, nesterov, maximize, first)
        _bump(p)


class Adam(Optimizer):
    """Mirrors `torch.optim.Adam` (amsgrad, weight_decay, maximize, decoupled_weight_decay)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        _check(0.0 <= lr, f"Invalid learning rate: {lr}")
        _check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
        _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
        _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _decoupled(self, group):
        return group.get("decoupled_weight_decay", False)

    def _scratch(self, p, w):
        buffers = self.__dict__.setdefault("_buffers", {})
        tmp = buffers.get(id(p))
        if tmp is None or tmp.shape != w.shape or tmp.dtype != w.dtype:
            tmp = buffers[id(p)] = np.empty_like(w)
        return tmp

    @_hooked_step
    def step(self, closure=None):
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            if lr.__class__ is not float:
                # (a tensor lr: its value)
                lr = _as_float(lr)
            beta1, beta2 = group["betas"]
            eps = group["eps"]
            wd = group["weight_decay"]
            amsgrad = group["amsgrad"]
            decoupled = self._decoupled(group)
            for p, w, g in _grads(group, "Adam"):
                state = self.state[p]
                if "exp_avg" not in state:
                    state["exp_avg"] = _zeros_like_state(p)
                    state["exp_avg_sq"] = _zeros_like_state(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = _zeros_like_state(p)
                step = _step_tensor(state)
                if w.__class__ is not np.ndarray and _fused.usable(w, g):
                    mx = state["max_exp_avg_sq"]._data if amsgrad else None
                    _fused.adam(w, g, state["exp_avg"]._data, state["exp_avg_sq"]._data, mx,
                                lr, beta1, beta2, eps, wd, decoupled, step, group["maximize"])
                    _bump(p)
                    continue
                if group["maximize"]:
                    g = -g
                if wd != 0:
                    if decoupled:
                        w *= 1 - lr * wd
                    else:
                        g = g + wd * w
                m = state["exp_avg"]._data
                v = state["exp_avg_sq"]._data
                mx = state["max_exp_avg_sq"]._data if amsgrad else None
                # one scratch array per parameter, reused every step: no temporaries, so
                # no allocation (and page faults) for large parameters
                tmp = self._scratch(p, w)
                bc1 = 1 - beta1**step
                bc2 = 1 - beta2**step
                step_size = lr / bc1
                bc2_sqrt = math.sqrt(bc2)
                for w_, g_, m_, v_, tmp_, mx_ in _chunks((w, g, m, v, tmp, mx)):
                    _adam_update(w_, g_, m_, v_, tmp_, mx_, beta1, beta2, eps, step_size,
                                 bc2_sqrt)
                _bump(p)
        return loss


# Adam's update makes about a dozen passes over each array. For a large parameter they all go
# to main memory; run piece by piece, each piece stays in the CPU's cache between passes. The
# arithmetic is the same element by element, so the result is too (benchmarks/train.py, MLP
# 784-512-512-10 with Adam, measures the gain).
_CHUNK_BYTES = 256 * 1024


def _chunks(arrays):
    """The arrays (same shape; None entries stay None) as a list of tuples of matching flat
    pieces, or one tuple of the whole arrays when they are small or not all contiguous (a
    reshape would copy, and the update would be lost)."""
    w = arrays[0]
    step = _CHUNK_BYTES // w.itemsize
    n = w.size
    if n < 2 * step or w.__class__ is not np.ndarray:
        return (arrays,)
    flat = []
    for a in arrays:
        if a is not None:
            if not a.flags.c_contiguous:
                return (arrays,)
            a = a.reshape(n)
        flat.append(a)
    pieces = []
    for i in range(0, n, step):
        pieces.append(tuple(None if a is None else a[i:i + step] for a in flat))
    return pieces


def _adam_update(w, g, m, v, tmp, mx, beta1, beta2, eps, step_size, bc2_sqrt):
    """One Adam step on arrays, in torch's order of operations (so float32 results agree)."""
    # exp_avg.lerp_(grad, 1 - beta1)
    np.subtract(g, m, out=tmp)
    tmp *= 1 - beta1
    m += tmp
    # exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    np.multiply(g, g, out=tmp)
    tmp *= 1 - beta2
    v *= beta2
    v += tmp
    if mx is not None:
        np.maximum(mx, v, out=mx)
        np.sqrt(mx, out=tmp)
    else:
        np.sqrt(v, out=tmp)
    # denom = sqrt(v) / sqrt(bc2) + eps; param.addcdiv_(exp_avg, denom, -step_size)
    tmp /= bc2_sqrt
    tmp += eps
    np.divide(m, tmp, out=tmp)
    tmp *= step_size
    w -= tmp


class AdamW(Adam):
    """Mirrors `torch.optim.AdamW`: Adam with decoupled weight decay (default 1e-2)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def _decoupled(self, group):
        return True


class RMSprop(Optimizer):
    """Mirrors `torch.optim.RMSprop` (alpha, eps, weight_decay, momentum, centered)."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        _check(0.0 <= lr, f"Invalid learning rate: {lr}")
        _check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        _check(0.0 <= momentum, f"Invalid momentum value: {momentum}")
        _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        _check(0.0 <= alpha, f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    @_hooked_step
    def step(self, closure=None):
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = group["lr"]
            if lr.__class__ is not float:
                # (a tensor lr: its value)
                lr = _as_float(lr)
            alpha = group["alpha"]
            eps = group["eps"]
            wd = group["weight_decay"]
            mom = group["momentum"]
            centered = group["centered"]
            for p, w, g in _grads(group, "RMSprop"):
                if group["maximize"]:
                    g = -g
                state = self.state[p]
                if "square_avg" not in state:
                    state["square_avg"] = _zeros_like_state(p)
                    if mom > 0:
                        state["momentum_buffer"] = _zeros_like_state(p)
                    if centered:
                        state["grad_avg"] = _zeros_like_state(p)
                _step_tensor(state)
                if wd != 0:
                    g = g + wd * w
                sq = state["square_avg"]._data
                sq *= alpha
                sq += (1 - alpha) * g * g  # torch's addcmul rounds (value * g) * g
                if centered:
                    ga = state["grad_avg"]._data
                    ga += (g - ga) * (1 - alpha)
                    avg = np.sqrt(sq - ga * ga) + eps
                else:
                    avg = np.sqrt(sq) + eps
                if mom > 0:
                    buf = state["momentum_buffer"]._data
                    buf *= mom
                    buf += g / avg
                    w -= lr * buf
                else:
                    w -= lr * g / avg  # torch's addcdiv rounds (value * g) / avg
                _bump(p)
        return loss


class Adagrad(Optimizer):
    """Mirrors `torch.optim.Adagrad` (lr_decay, weight_decay, initial_accumulator_value, eps)."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check(0.0 <= lr, f"Invalid learning rate: {lr}")
        _check(0.0 <= lr_decay, f"Invalid lr_decay value: {lr_decay}")
        _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        _check(0.0 <= initial_accumulator_value,
               f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        _check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        from .._creation import full_like, zeros
        from .._dtype import float32

        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = zeros((), dtype=float32)
                state["sum"] = full_like(p.detach(), group["initial_accumulator_value"])

    @_hooked_step
    def step(self, closure=None):
        loss = self._run_closure(closure)
        for group in self.param_groups:
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                try:
                    g = g._data
                except NotImplementedError:
                    # a sparse gradient: its `_data` refuses (costs nothing on dense ones)
                    self._sparse_step(p, p.grad, group)
                    continue
                w = p._data
                if group["maximize"]:
                    g = -g
                state = self.state[p]
                step = _step_tensor(state)
                wd = group["weight_decay"]
                if wd != 0:
                    g = g + wd * w
                clr = _as_float(group["lr"]) / (1 + (step - 1) * group["lr_decay"])
                s = state["sum"]._data
                s += g * g
                std = np.sqrt(s) + group["eps"]
                w -= clr * (g / std)
                _bump(p)
        return loss

    def _sparse_step(self, p, g, group):
        """torch's Adagrad update for a sparse gradient: coalesced, then the accumulated
        squares and the parameter change at its indices only."""
        state = self.state[p]
        step = _step_tensor(state)
        if group["maximize"]:
            g = -g
        if group["weight_decay"] != 0:
            raise RuntimeError("weight_decay option is not compatible with sparse gradients")
        clr = _as_float(group["lr"]) / (1 + (step - 1) * group["lr_decay"])
        g = g.coalesce()
        at = tuple(g._idx)
        v = g._vals.detach()._data
        s = state["sum"]._data
        # state_sum.add_(sparse(v ** 2)); std = state_sum.sparse_mask(grad).sqrt() + eps
        s[at] += v * v
        std = np.sqrt(s[at]) + group["eps"]
        # param.add_(sparse(v / std), alpha=-clr)
        w = p._data
        w[at] += -clr * (v / std)
        _bump(p)
