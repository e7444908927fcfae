"""Mirrors `torch.nn.init`: in-place initializers, run without recording a graph.

Random fills go through the tensor's own `uniform_` / `normal_` (ember's generator, so
`ember.manual_seed` makes them reproducible) and call them in the same order as PyTorch.
"""

import math
import warnings

import numpy as np

from ..autograd.grad_mode import no_grad

__all__ = [
    "calculate_gain",
    "uniform_",
    "normal_",
    "trunc_normal_",
    "constant_",
    "ones_",
    "zeros_",
    "eye_",
    "dirac_",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
    "orthogonal_",
    "sparse_",
]


# ---------------------------------------------------------------- random sources
def _write(tensor, arr):
    """tensor[...] = arr through its memory (no graph), bumping the version counter."""
    data = tensor._data
    xp = tensor._device.xp
    data[...] = arr if xp is np else xp.asarray(arr, dtype=data.dtype)
    v = tensor._vc
    if v is not None:
        v[0] += 1


def _uniform(tensor, a, b, generator=None):
    with no_grad():
        tensor.uniform_(a, b, generator=generator)
    return tensor


def _normal(tensor, mean, std, generator=None):
    with no_grad():
        tensor.normal_(mean, std, generator=generator)
    return tensor


def _uniform_like(input, lower, upper):
    """A new tensor shaped like input, uniform in [lower, upper) (rrelu's slopes)."""
    from .._creation import empty

    t = empty(tuple(input.shape), dtype=input.dtype, device=input.device)
    return _uniform(t, lower, upper)


# ---------------------------------------------------------------- gains and fans
def calculate_gain(nonlinearity, param=None):
    """Mirrors `torch.nn.init.calculate_gain`."""
    linear_fns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                  "conv_transpose2d", "conv_transpose3d"]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field (dims 2+)."""
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    shape = tuple(tensor.shape)
    receptive = 1
    for s in shape[2:]:
        receptive *= s
    return shape[1] * receptive, shape[0] * receptive


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    valid = ["fan_in", "fan_out"]
    if mode not in valid:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _empty_noop(tensor):
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


# ---------------------------------------------------------------- initializers
def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Mirrors `torch.nn.init.uniform_`: U(a, b)."""
    return _uniform(tensor, a, b, generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Mirrors `torch.nn.init.normal_`: N(mean, std^2)."""
    return _normal(tensor, mean, std, generator)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Mirrors `torch.nn.init.trunc_normal_`: N(mean, std^2) truncated to [a, b], drawn as
    torch 2.13 draws it (the same numbers after the same seed): when [a, b] holds more than 30%
    of the mass, normals redrawn where out of bounds; else rejection sampling from a uniform
    on [a, b] against the normal's log-density."""
    from .. import _creation, where

    def cdf(x):
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if tensor.is_meta:
        return tensor
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of "
            "values may be incorrect.",
            stacklevel=2,
        )
    with no_grad():
        if cdf((b - mean) / std) - cdf((a - mean) / std) > 0.3:
            # the bounds in the tensor's dtype, so the mask agrees with the stored values
            lo = tensor.new_tensor(a, device="cpu").item()
            hi = tensor.new_tensor(b, device="cpu").item()
            result = tensor.normal_(mean, std, generator=generator)
            while True:
                mask = (result < lo) | (result > hi)
                if not mask.any():
                    break
                fresh = _creation.empty_like(result).normal_(mean, std, generator=generator)
                result = where(mask, fresh, result)
            if tensor is not result:
                tensor.copy_(result)
            return tensor
        mode = max(a, min(mean, b))
        log_peak = -0.5 * ((mode - mean) / std) ** 2
        candidates = _creation.empty_like(tensor)
        accept = _creation.empty_like(tensor)
        tensor.uniform_(a, b, generator=generator)
        candidates.copy_(tensor)
        candidates.sub_(mean).div_(std).pow_(2).mul_(-0.5).sub_(log_peak)
        pending = accept.uniform_(generator=generator).log_().gt(candidates)
        if pending.any():
            result = tensor
            while True:
                candidates.uniform_(a, b, generator=generator)
                result = where(pending, candidates, result)
                candidates.sub_(mean).div_(std).pow_(2).mul_(-0.5).sub_(log_peak)
                pending = where(pending, accept.uniform_(generator=generator).log_()
                                .gt(candidates), pending)
                if not pending.any():
                    break
            tensor.copy_(result)
    return tensor


def constant_(tensor, val):
    """Mirrors `torch.nn.init.constant_`."""
    _write(tensor, val)
    return tensor


def ones_(tensor):
    """Mirrors `torch.nn.init.ones_`."""
    _write(tensor, 1)
    return tensor


def zeros_(tensor):
    """Mirrors `torch.nn.init.zeros_`."""
    _write(tensor, 0)
    return tensor


def eye_(tensor):
    """Mirrors `torch.nn.init.eye_`: the identity on a 2-D tensor."""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    _write(tensor, np.eye(*tuple(tensor.shape)))
    return tensor


def dirac_(tensor, groups=1):
    """Mirrors `torch.nn.init.dirac_`: identity-preserving conv weights (3, 4 or 5 dims)."""
    nd = tensor.ndim
    if nd not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    shape = tuple(tensor.shape)
    if shape[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_per_group = shape[0] // groups
    min_dim = min(out_per_group, shape[1])
    w = np.zeros(shape)
    centre = tuple(s // 2 for s in shape[2:])
    for g in range(groups):
        for d in range(min_dim):
            w[(g * out_per_group + d, d) + centre] = 1
    _write(tensor, w)
    return tensor


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Mirrors `torch.nn.init.xavier_uniform_`: U(-a, a), a = gain sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return _uniform(tensor, -a, a, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Mirrors `torch.nn.init.xavier_normal_`: N(0, gain^2 2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return _normal(tensor, 0.0, std, generator)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Mirrors `torch.nn.init.kaiming_uniform_`: U(-b, b), b = gain sqrt(3 / fan)."""
    if _empty_noop(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    bound = math.sqrt(3.0) * gain / math.sqrt(fan)
    return _uniform(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Mirrors `torch.nn.init.kaiming_normal_`: N(0, gain^2 / fan)."""
    if _empty_noop(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    return _normal(tensor, 0.0, gain / math.sqrt(fan), generator)


def orthogonal_(tensor, gain=1, generator=None):
    """Mirrors `torch.nn.init.orthogonal_`: a (semi-)orthogonal matrix from a QR decomposition
    of a Gaussian one, signs fixed so the result is uniformly distributed."""
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    from .._creation import empty

    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = _normal(empty((rows, cols), dtype=tensor.dtype, device=tensor.device), 0.0, 1.0,
                   generator)
    a = flat._data
    if tensor._device.type != "cpu":
        a = a.get()
    a = a.astype(np.float64)
    if rows < cols:
        a = a.T
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    _write(tensor, (q * gain).reshape(tuple(tensor.shape)))
    return tensor


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """Mirrors `torch.nn.init.sparse_`: N(0, std^2) with a fraction `sparsity` of each column
    set to zero."""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tuple(tensor.shape)
    num_zeros = math.ceil(sparsity * rows)
    _normal(tensor, 0.0, std, generator)
    w = tensor._data
    if tensor._device.type != "cpu":
        w = w.get()
    w = np.array(w)
    import ember

    for c in range(cols):
        w[ember.randperm(rows, generator=generator)[:num_zeros].numpy(), c] = 0
    _write(tensor, w)
    return tensor


def _deprecated(new):
    def old(*args, **kwargs):
        warnings.warn(
            f"`nn.init.{new.__name__[:-1]}` is now deprecated in favor of "
            f"`nn.init.{new.__name__}`.",
            FutureWarning,
            stacklevel=2,
        )
        return new(*args, **kwargs)

    old.__name__ = new.__name__[:-1]
    return old


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
