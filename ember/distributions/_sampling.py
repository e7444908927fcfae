"""Samplers the public ops lack (gamma, binomial), drawn from ember's generators so that
`ember.manual_seed` makes them reproducible, and the reparameterised gamma sample.

Gamma's rsample uses an implicit reparameterisation gradient: with F(x; a) the gamma CDF,
a sample x = F^-1(u; a) for a fixed uniform u has dx/da = -(dF/da) / p(x; a), summed from
the series of the regularised incomplete gamma function (see
ember._ops._special_kernels.gamma_cdf_da_ratio). This is the exact derivative (to ~1e-10), where
PyTorch uses a fitted approximation of it (~5e-4); samples themselves come from NumPy's (or
CuPy's) gamma sampler, not PyTorch's, so they differ from torch's draws.
"""

import numpy as np

import ember
from ember._ops import _special_kernels as _S
from ember._random import _gen


def _draw(device, np_fn, cp_fn):
    """Run a sampler with the default generator of `device` (NumPy's or CuPy's)."""
    g = _gen(None, device)
    if device.type == "cpu":
        return np_fn(g._np)
    with device.xp.cuda.Device(device.index):
        return cp_fn(g._cp)


def standard_gamma_array(alpha):
    """Gamma(alpha, 1) samples (an array) for a tensor of concentrations."""
    a = alpha.detach()._data.astype(np.float64)
    return _draw(alpha.device, lambda g: g.standard_gamma(a), lambda g: g.standard_gamma(a))


def standard_gamma_grad_array(xp, alpha, x):
    """dx/dalpha of a Gamma(alpha, 1) sample x at fixed CDF value (float64 arrays):
    -(dP/dalpha) / p, with the series of ember._ops._special_kernels.gamma_cdf_da_ratio."""
    alpha = xp.asarray(alpha, dtype=np.float64)
    x = xp.asarray(x, dtype=np.float64)
    alpha, x = xp.broadcast_arrays(alpha, x)
    ratio = _S.gamma_cdf_da_ratio(xp, alpha.reshape(-1), x.reshape(-1))
    return (-ratio).reshape(alpha.shape)


class _StandardGamma(ember.autograd.Function):
    """Gamma(alpha, 1) samples with the implicit reparameterisation gradient."""

    @staticmethod
    def forward(ctx, alpha):
        x = standard_gamma_array(alpha)
        out = ember.as_tensor(x.astype(alpha.dtype.np), device=alpha.device)
        ctx.save_for_backward(alpha, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        alpha, x = ctx.saved_tensors
        xp = alpha.device.xp
        tiny = float(np.finfo(alpha.dtype.np).tiny)
        d = standard_gamma_grad_array(xp, alpha.detach()._data, xp.maximum(x._data, tiny))
        d = ember.as_tensor(d.astype(alpha.dtype.np), device=alpha.device)
        return grad * d


def standard_gamma(alpha):
    """Gamma(alpha, 1) samples of alpha's shape; differentiable in alpha."""
    if alpha.requires_grad and ember.is_grad_enabled():
        return _StandardGamma.apply(alpha)
    x = standard_gamma_array(alpha)
    return ember.as_tensor(x.astype(alpha.dtype.np), device=alpha.device)


def binomial(count, probs):
    """Binomial(count, probs) samples (probs' dtype), like `torch.binomial`."""
    xp = probs.device.xp
    n = count.detach()._data.astype(np.int64)
    p = xp.clip(probs.detach()._data.astype(np.float64), 0.0, 1.0)
    arr = _draw(probs.device, lambda g: g.binomial(n, p), lambda g: g.binomial(n, p))
    return ember.as_tensor(arr.astype(probs.dtype.np), device=probs.device)

