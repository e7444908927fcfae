"""Samplers the public ops lack (gamma, binomial), drawn from ember's generators, and the
reparameterised gamma sample.

On the CPU the draws are torch's own (_s_gamma_cpu, _s_binomial_cpu reproduced in
ember/_cpu_rng.py), so a seeded program samples what torch samples.

Gamma's rsample uses an implicit reparameterisation gradient: with F(x; a) the gamma CDF,
a sample x = F^-1(u; a) for a fixed uniform u has dx/da = -(dF/da) / p(x; a), summed from
the series of the regularised incomplete gamma function (see
ember._ops._special_kernels.gamma_cdf_da_ratio). This is the exact derivative (to ~1e-10), where
PyTorch uses a fitted approximation of it (~5e-4).
"""

import numpy as np

import ember
from ember import _random
from ember._ops import _special_kernels as _S


def standard_gamma_array(alpha):
    """Gamma(alpha, 1) samples (an array in alpha's dtype) for a tensor of concentrations."""
    return _random.standard_gamma_array(alpha.detach())


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
        out = ember.as_tensor(standard_gamma_array(alpha), device=alpha.device)
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
    return ember.as_tensor(standard_gamma_array(alpha), device=alpha.device)


def binomial(count, probs):
    """Binomial(count, probs) samples, like `torch.binomial` (which Binomial.sample calls)."""
    return _random.binomial(count.detach(), probs.detach())
