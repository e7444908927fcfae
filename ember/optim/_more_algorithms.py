"""Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop and LBFGS.

As in `_algorithms.py`, each update follows PyTorch's single-tensor formulas operation by
operation on the parameters' raw arrays, so float32 results agree with torch step by step.
State scalars that PyTorch keeps as float32 0-d tensors (`step`, `mu_product`, `eta`, `mu`)
are 0-d tensors here too: their rounding is part of the result.
"""

import math

import numpy as np

from .optimizer import Optimizer, _step_tensor, _grads, _hooked_step, _as_float
from ._algorithms import _bump, _check, _zeros_like_state


def _scalar_state(value, p):
    """A 0-d state tensor in PyTorch's scalar dtype (float64 only for float64 defaults)."""
    from .._creation import tensor
    from .._dtype import get_default_dtype

    return tensor(value, dtype=get_default_dtype(), device=p.device)


def _checks(lr, eps=None, weight_decay=None, betas=None):
    _check(0.0 <= lr, f"Invalid learning rate: {lr}")
    if eps is not None:
        _check(0.0 <= eps, f"Invalid epsilon value: {eps}")
    if betas is not None:
        _check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
        _check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
    if weight_decay is not None:
        _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")


class Adadelta(Optimizer):
    """Mirrors `torch.optim.Adadelta` (rho, eps, weight_decay, maximize)."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        _checks(lr, eps, weight_decay)
        _check(0.0 <= rho <= 1.0, f"Invalid rho value: {rho}")
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    @_hooked_step
    def step(self, closure=None):
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr, rho = _as_float(group["lr"]), group["rho"]
            eps, wd = group["eps"], group["weight_decay"]
            for p, w, g in _grads(group, "Adadelta"):
                if group["maximize"]:
                    g = -g
                state = self.state[p]
                if "square_avg" not in state:
                    state["square_avg"] = _zeros_like_state(p)
                    state["acc_delta"] = _zeros_like_state(p)
                _step_tensor(state)
                if wd != 0:
                    g = g + wd * w
                sq = state["square_avg"]._data
                acc = state["acc_delta"]._data
                sq *= rho
                sq += (1 - rho) * (g * g)
                std = np.sqrt(sq + eps)
                delta = np.sqrt(acc + eps) / std * g
                acc *= rho
                acc += (1 - rho) * (delta * delta)
                w -= lr * delta
                _bump(p)
        return loss


class Adamax(Optimizer):
    """Mirrors `torch.optim.Adamax`: Adam with the infinity norm."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        _checks(lr, eps, weight_decay, betas)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    @_hooked_step
    def step(self, closure=None):
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr, eps, wd = _as_float(group["lr"]), group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            for p, w, g in _grads(group, "Adamax"):
                if group["maximize"]:
                    g = -g
                state = self.state[p]
                if "exp_avg" not in state:
                    state["exp_avg"] = _zeros_like_state(p)
                    state["exp_inf"] = _zeros_like_state(p)
                step = _step_tensor(state)
                if wd != 0:
                    g = g + wd * w
                m = state["exp_avg"]._data
                u = state["exp_inf"]._data
                m += (g - m) * (1 - beta1)
                u *= beta2
                np.maximum(u, np.abs(g) + eps, out=u)
                clr = lr / (1 - beta1**step)
                w -= clr * (m / u)
                _bump(p)
        return loss


class NAdam(Optimizer):
    """Mirrors `torch.optim.NAdam` (momentum_decay, decoupled_weight_decay)."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        _checks(lr, eps, weight_decay, betas)
        _check(0.0 <= momentum_decay, f"Invalid momentum_decay value: {momentum_decay}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    @_hooked_step
    def step(self, closure=None):
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr, eps, wd = _as_float(group["lr"]), group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            psi = group["momentum_decay"]
            for p, w, g in _grads(group, "NAdam"):
                if group["maximize"]:
                    g = -g
                state = self.state[p]
                if "exp_avg" not in state:
                    state["mu_product"] = _scalar_state(1.0, p)
                    state["exp_avg"] = _zeros_like_state(p)
                    state["exp_avg_sq"] = _zeros_like_state(p)
                step = _step_tensor(state)
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        w *= 1 - lr * wd
                    else:
                        g = g + wd * w
                mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * psi))
                mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * psi))
                prod = state["mu_product"]._data
                prod *= mu
                mu_product = float(prod)
                m = state["exp_avg"]._data
                v = state["exp_avg_sq"]._data
                m += (g - m) * (1 - beta1)
                v *= beta2
                v += (1 - beta2) * (g * g)
                denom = np.sqrt(v / (1 - beta2**step)) + eps
                w -= (lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom)
                w -= (lr * mu_next / (1.0 - mu_product * mu_next)) * (m / denom)
                _bump(p)
        return loss


class RAdam(Optimizer):
    """Mirrors `torch.optim.RAdam`: Adam with the variance rectification term."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        _checks(lr, eps, weight_decay, betas)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    @_hooked_step
    def step(self, closure=None):
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr, eps, wd = _as_float(group["lr"]), group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            rho_inf = 2 / (1 - beta2) - 1
            for p, w, g in _grads(group, "RAdam"):
                if group["maximize"]:
                    g = -g
                state = self.state[p]
                if "exp_avg" not in state:
                    state["exp_avg"] = _zeros_like_state(p)
                    state["exp_avg_sq"] = _zeros_like_state(p)
                step = _step_tensor(state)
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        w *= 1 - lr * wd
                    else:
                        g = g + wd * w
                m = state["exp_avg"]._data
                v = state["exp_avg_sq"]._data
                m += (g - m) * (1 - beta1)
                v *= beta2
                v += (1 - beta2) * (g * g)
                bc1 = 1 - beta1**step
                bc2 = 1 - beta2**step
                m_hat = m / bc1
                rho_t = rho_inf - 2 * step * (beta2**step) / bc2
                if rho_t > 5.0:
                    # the variance is tractable: the adaptive step, rectified
                    rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                                     / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                    adaptive = math.sqrt(bc2) / (np.sqrt(v) + eps)
                    w -= m_hat * lr * adaptive * rect
                else:
                    w -= m_hat * lr
                _bump(p)
        return loss


class ASGD(Optimizer):
    """Mirrors `torch.optim.ASGD`: averaged SGD (the average is in state["ax"])."""

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        _checks(lr, None, weight_decay)
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    @_hooked_step
    def step(self, closure=None):
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr, lambd = _as_float(group["lr"]), group["lambd"]
            alpha, t0 = group["alpha"], group["t0"]
            wd = group["weight_decay"]
            for p, w, g in _grads(group, "ASGD"):
                if group["maximize"]:
                    g = -g
                state = self.state[p]
                if "ax" not in state:
                    state["eta"] = _scalar_state(lr, p)
                    state["mu"] = _scalar_state(1.0, p)
                    state["ax"] = _zeros_like_state(p)
                step = _step_tensor(state)
                if wd != 0:
                    g = g + wd * w
                eta = float(state["eta"]._data)
                w *= 1 - lambd * eta
                w -= eta * g
                _bump(p)
                ax = state["ax"]._data
                mu = float(state["mu"]._data)
                if mu != 1:
                    ax += (w - ax) * mu
                else:
                    ax[...] = w
                state["eta"]._data[...] = lr / ((1 + lambd * lr * step) ** alpha)
                state["mu"]._data[...] = 1 / max(1, step - t0)
        return loss


class Rprop(Optimizer):
    """Mirrors `torch.optim.Rprop`: sign-based steps with per-element step sizes."""

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _checks(lr)
        _check(0.0 < etas[0] < 1.0 < etas[1], f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    @_hooked_step
    def step(self, closure=None):
        from .._creation import full_like

        loss = self._run_closure(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            smin, smax = group["step_sizes"]
            for p, w, g in _grads(group, "Rprop"):
                if group["maximize"]:
                    g = -g
                state = self.state[p]
                if "prev" not in state:
                    state["prev"] = _zeros_like_state(p)
                    state["step_size"] = full_like(p.detach(), _as_float(group["lr"]))
                _step_tensor(state)
                prev = state["prev"]._data
                size = state["step_size"]._data
                s = np.sign(g * prev)
                factor = np.where(s > 0, etaplus, np.where(s < 0, etaminus, 1.0)).astype(w.dtype)
                size *= factor
                np.clip(size, smin, smax, out=size)
                # after a sign change the step is skipped and the gradient forgotten
                g = np.where(s < 0, 0, g).astype(w.dtype)
                w -= np.sign(g) * size
                prev[...] = g
                _bump(p)
        return loss


# ---------------------------------------------------------------- L-BFGS
def _axpy(x, alpha, y):
    """x + alpha * y rounded once, as PyTorch's `x.add(y, alpha=alpha)` computes it (a fused
    multiply-add with alpha in x's dtype). A float32 product of float32 values is exact in
    float64, so float64 arithmetic then one rounding reproduces the fused result."""
    if x.dtype.itemsize >= 8:
        return x + alpha * y
    a = float(x.dtype.type(float(alpha)))
    return (x.astype(np.float64) + a * y.astype(np.float64)).astype(x.dtype)


def _direction(g, prev_g, d, t, old_dirs, old_stps, ro, history, h_diag, al):
    """The two-loop recursion: the inverse-Hessian estimate applied to -g (and that estimate's
    diagonal scale). The curvature memory lists and the coefficients `al` are updated in
    place."""
    y = g - prev_g
    s = d * t
    ys = y.dot(s)
    if ys > 1e-10:
        # a curvature pair worth keeping (the oldest goes when the memory is full)
        if len(old_dirs) == history:
            old_dirs.pop(0)
            old_stps.pop(0)
            ro.pop(0)
        old_dirs.append(y)
        old_stps.append(s)
        ro.append(1.0 / ys)
        h_diag = ys / y.dot(y)
    q = -g
    for i in range(len(old_dirs) - 1, -1, -1):
        al[i] = old_stps[i].dot(q) * ro[i]
        q = _axpy(q, -al[i], old_dirs[i])
    r = q * h_diag
    for i in range(len(old_dirs)):
        be_i = old_dirs[i].dot(r) * ro[i]
        r = _axpy(r, al[i] - be_i, old_stps[i])
    return r, h_diag


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), kept in bounds."""
    if bounds is not None:
        lo, hi = bounds
    else:
        lo, hi = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(pos, lo), hi)
    return (lo + hi) / 2.0


class _Bracket:
    """The line search's interval: step, loss, gradient and directional derivative per end."""

    def __init__(self, ts, fs, gs, gtds):
        self.t = list(ts)
        self.f = list(fs)
        self.g = list(gs)
        self.gtd = list(gtds)

    def set(self, i, t, f, g, gtd):
        self.t[i] = t
        self.f[i] = f
        self.g[i] = g
        self.gtd[i] = gtd

    def order(self):
        return (0, 1) if self.f[0] <= self.f[-1] else (1, 0)


def _strong_wolfe(obj, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                  max_ls=25):
    """A line search for a step satisfying the strong Wolfe conditions (bracket, then zoom)."""
    d_norm = np.abs(d).max()
    g = g.copy()
    f_new, g_new = obj(x, t, d)
    evals = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    br = None
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            br = _Bracket([t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()],
                          [gtd_prev, gtd_new])
            break
        if abs(gtd_new) <= -c2 * gtd:
            br = _Bracket([t], [f_new], [g_new], [gtd_new])
            done = True
            break
        if gtd_new >= 0:
            br = _Bracket([t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()],
                          [gtd_prev, gtd_new])
            break
        # extrapolate
        t_next = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                                    bounds=(t + 0.01 * (t - t_prev), t * 10))
        t_prev, f_prev, g_prev, gtd_prev = t, f_new, g_new.copy(), gtd_new
        t = t_next
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if ls_iter == max_ls:
        br = _Bracket([0, t], [f, f_new], [g, g_new], [gtd, gtd_new])

    insuf_progress = False
    low, high = br.order()
    while not done and ls_iter < max_ls:
        if abs(br.t[1] - br.t[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(br.t[0], br.f[0], br.gtd[0], br.t[1], br.f[1], br.gtd[1])
        # keep away from the ends of the bracket, unless that made no progress last time
        tmax, tmin = max(br.t), min(br.t)
        eps = 0.1 * (tmax - tmin)
        if min(tmax - t, t - tmin) < eps:
            if insuf_progress or t >= tmax or t <= tmin:
                t = tmax - eps if abs(t - tmax) < abs(t - tmin) else tmin + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= br.f[low]:
            br.set(high, t, f_new, g_new.copy(), gtd_new)
            low, high = br.order()
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (br.t[high] - br.t[low]) >= 0:
                br.set(high, br.t[low], br.f[low], br.g[low], br.gtd[low])
            br.set(low, t, f_new, g_new.copy(), gtd_new)
    return br.f[low], br.g[low], br.t[low], evals


class LBFGS(Optimizer):
    """Mirrors `torch.optim.LBFGS` (one parameter group; `step` needs a closure)."""

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        _checks(lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                        history_size=history_size, line_search_fn=line_search_fn)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError(
                "LBFGS doesn't support per-parameter options (parameter groups)"
            )
        self._params = self.param_groups[0]["params"]

    # the parameters as one flat vector
    def _flat_grad(self):
        parts = []
        for p in self._params:
            if p.grad is None:
                parts.append(np.zeros(p._data.size, dtype=p._data.dtype))
            else:
                parts.append(p.grad._data.reshape(-1))
        return np.concatenate(parts)

    def _add_grad(self, t, d):
        offset = 0
        for p in self._params:
            n = p._data.size
            step = d[offset:offset + n].reshape(p._data.shape)
            p._data[...] = _axpy(p._data, t, step.astype(p._data.dtype, copy=False))
            offset += n
            _bump(p)

    def _clone_params(self):
        return [p._data.copy() for p in self._params]

    def _set_params(self, values):
        for p, v in zip(self._params, values):
            p._data[...] = v
            _bump(p)

    def _evaluate(self, closure, x, t, d):
        self._add_grad(t, d)
        loss = float(self._run_closure(closure))
        g = self._flat_grad()
        self._set_params(x)
        return loss, g

    @_hooked_step
    def step(self, closure):
        """Mirrors `torch.optim.LBFGS.step`: up to max_iter quasi-Newton iterations."""
        if closure is None:
            raise RuntimeError("LBFGS requires a closure")
        group = self.param_groups[0]
        lr = _as_float(group["lr"])
        max_iter = group["max_iter"]
        max_eval = group["max_eval"]
        tol_grad = group["tolerance_grad"]
        tol_change = group["tolerance_change"]
        history = group["history_size"]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = self._run_closure(closure)
        loss = float(orig_loss)
        evals = 1
        state["func_evals"] += 1
        g = self._flat_grad()
        if np.abs(g).max() <= tol_grad:
            return orig_loss

        d = state.get("d")
        t = state.get("t")
        old_dirs = state.get("old_dirs")
        old_stps = state.get("old_stps")
        ro = state.get("ro")
        h_diag = state.get("H_diag")
        prev_g = state.get("prev_flat_grad")
        prev_loss = state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -g
                old_dirs, old_stps, ro = [], [], []
                h_diag = 1
            else:
                # `al` lives in the state, as PyTorch keeps it
                al = state.setdefault("al", [None] * history)
                d, h_diag = _direction(g, prev_g, d, t, old_dirs, old_stps, ro, history, h_diag,
                                       al)
            prev_g = g.copy()
            prev_loss = loss
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / np.abs(g).sum()) * lr
            else:
                t = lr
            gtd = g.dot(d)
            if gtd > -tol_change:
                break
            if group["line_search_fn"] is not None:
                if group["line_search_fn"] != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = self._clone_params()

                def obj(x, step, direction):
                    return self._evaluate(closure, x, step, direction)

                loss, g, t, ls_evals = _strong_wolfe(obj, x_init, t, d, loss, g, gtd)
                self._add_grad(t, d)
                opt_cond = np.abs(g).max() <= tol_grad
            else:
                self._add_grad(t, d)
                ls_evals = 0
                opt_cond = False
                if n_iter != max_iter:
                    loss = float(self._run_closure(closure))
                    g = self._flat_grad()
                    opt_cond = np.abs(g).max() <= tol_grad
                    ls_evals = 1
            evals += ls_evals
            state["func_evals"] += ls_evals
            if n_iter == max_iter or evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change:
                break

        state.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=h_diag,
                     prev_flat_grad=prev_g, prev_loss=prev_loss)
        return orig_loss
