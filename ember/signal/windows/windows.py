"""Window functions of `torch.signal.windows`, built from ember's ops in the same order as
PyTorch builds them (a linspace of sample positions, then an elementwise formula), so values
round as PyTorch's do in float32 and float64.

`sym=True` gives a symmetric window (for filter design), `sym=False` a periodic one (for
spectral analysis: the symmetric window of length M + 1 without its last point).
"""

import math
from collections.abc import Iterable

import ember

_strided = ember.strided


def _checks(name, M, dtype, layout):
    # PyTorch's checks, in its order and words
    if M < 0:
        raise ValueError(f"{name} requires non-negative window length, got M={M}")
    if layout is not _strided:
        raise ValueError(f"{name} is implemented for strided tensors only, got: {layout}")
    if dtype not in (ember.float32, ember.float64):
        raise ValueError(f"{name} expects float32 or float64 dtypes, got: {dtype}")


def _prepare(name, M, dtype, layout):
    if dtype is None:
        dtype = ember.get_default_dtype()
    _checks(name, M, dtype, layout)
    return dtype


def _empty(dtype, device, requires_grad):
    return ember.empty((0,), dtype=dtype, device=device, requires_grad=requires_grad)


def _ones(dtype, device, requires_grad):
    return ember.ones((1,), dtype=dtype, device=device, requires_grad=requires_grad)


def _positions(start, end, M, dtype, device, requires_grad):
    return ember.linspace(start, end, M, dtype=dtype, device=device,
                          requires_grad=requires_grad)


def exponential(M, *, center=None, tau=1.0, sym=True, dtype=None, layout=_strided,
                device=None, requires_grad=False):
    """Mirrors `torch.signal.windows.exponential`: exp(-|n - center| / tau)."""
    dtype = _prepare("exponential", M, dtype, layout)
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    if M == 0:
        return _empty(dtype, device, requires_grad)
    if center is None:
        center = (M if not sym and M > 1 else M - 1) / 2.0
    constant = 1 / tau
    k = _positions(-center * constant, (-center + (M - 1)) * constant, M, dtype, device,
                   requires_grad)
    return ember.exp(-ember.abs(k))


def cosine(M, *, sym=True, dtype=None, layout=_strided, device=None, requires_grad=False):
    """Mirrors `torch.signal.windows.cosine` (the sine window): sin(pi (n + 0.5) / M)."""
    dtype = _prepare("cosine", M, dtype, layout)
    if M == 0:
        return _empty(dtype, device, requires_grad)
    start = 0.5
    constant = math.pi / (M + 1 if not sym and M > 1 else M)
    k = _positions(start * constant, (start + (M - 1)) * constant, M, dtype, device,
                   requires_grad)
    return ember.sin(k)


def gaussian(M, *, std=1.0, sym=True, dtype=None, layout=_strided, device=None,
             requires_grad=False):
    """Mirrors `torch.signal.windows.gaussian`: exp(-(n / (sqrt(2) std))^2), n centred."""
    dtype = _prepare("gaussian", M, dtype, layout)
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    if M == 0:
        return _empty(dtype, device, requires_grad)
    start = -(M if not sym and M > 1 else M - 1) / 2.0
    constant = 1 / (std * math.sqrt(2))
    k = _positions(start * constant, (start + (M - 1)) * constant, M, dtype, device,
                   requires_grad)
    return ember.exp(-(k**2))


def kaiser(M, *, beta=12.0, sym=True, dtype=None, layout=_strided, device=None,
           requires_grad=False):
    """Mirrors `torch.signal.windows.kaiser`: I0(beta sqrt(1 - (2n/N - 1)^2)) / I0(beta)."""
    dtype = _prepare("kaiser", M, dtype, layout)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    if M == 0:
        return _empty(dtype, device, requires_grad)
    if M == 1:
        return _ones(dtype, device, requires_grad)
    # beta as a tensor of the window's dtype, so that the end point rounds as PyTorch's
    beta = ember.tensor(beta, dtype=dtype, device=device)
    start = -beta
    constant = 2.0 * beta / (M if not sym else M - 1)
    end = ember.minimum(beta, start + (M - 1) * constant)
    k = _positions(start.item(), end.item(), M, dtype, device, requires_grad)
    return ember.i0(ember.sqrt(beta * beta - ember.pow(k, 2))) / ember.i0(beta)


def hamming(M, *, sym=True, dtype=None, layout=_strided, device=None, requires_grad=False):
    """Mirrors `torch.signal.windows.hamming`: general_hamming with alpha = 0.54."""
    return general_hamming(M, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)


def hann(M, *, sym=True, dtype=None, layout=_strided, device=None, requires_grad=False):
    """Mirrors `torch.signal.windows.hann`: general_hamming with alpha = 0.5."""
    return general_hamming(M, alpha=0.5, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)


def blackman(M, *, sym=True, dtype=None, layout=_strided, device=None, requires_grad=False):
    """Mirrors `torch.signal.windows.blackman`: general_cosine with a = (0.42, 0.5, 0.08)."""
    dtype = _prepare("blackman", M, dtype, layout)
    return general_cosine(M, a=[0.42, 0.5, 0.08], sym=sym, dtype=dtype, layout=layout,
                          device=device, requires_grad=requires_grad)


def bartlett(M, *, sym=True, dtype=None, layout=_strided, device=None, requires_grad=False):
    """Mirrors `torch.signal.windows.bartlett` (the triangular window): 1 - |2n/N - 1|."""
    dtype = _prepare("bartlett", M, dtype, layout)
    if M == 0:
        return _empty(dtype, device, requires_grad)
    if M == 1:
        return _ones(dtype, device, requires_grad)
    start = -1
    constant = 2 / (M if not sym else M - 1)
    k = _positions(start, start + (M - 1) * constant, M, dtype, device, requires_grad)
    return 1 - ember.abs(k)


def general_cosine(M, *, a, sym=True, dtype=None, layout=_strided, device=None,
                   requires_grad=False):
    """Mirrors `torch.signal.windows.general_cosine`: sum_i (-1)^i a_i cos(2 pi i n / N)."""
    dtype = _prepare("general_cosine", M, dtype, layout)
    if M == 0:
        return _empty(dtype, device, requires_grad)
    if M == 1:
        return _ones(dtype, device, requires_grad)
    if not isinstance(a, Iterable):
        raise TypeError("Coefficients must be a list/tuple")
    if not a:
        raise ValueError("Coefficients cannot be empty")
    constant = 2 * math.pi / (M if not sym else M - 1)
    k = _positions(0, (M - 1) * constant, M, dtype, device, requires_grad)
    a_i = ember.tensor([(-1) ** i * w for i, w in enumerate(a)], device=device, dtype=dtype,
                       requires_grad=requires_grad)
    i = ember.arange(a_i.shape[0], dtype=a_i.dtype, device=a_i.device,
                     requires_grad=a_i.requires_grad)
    return (a_i.unsqueeze(-1) * ember.cos(i.unsqueeze(-1) * k)).sum(0)


def general_hamming(M, *, alpha=0.54, sym=True, dtype=None, layout=_strided, device=None,
                    requires_grad=False):
    """Mirrors `torch.signal.windows.general_hamming`: alpha - (1 - alpha) cos(2 pi n / N)."""
    return general_cosine(M, a=[alpha, 1.0 - alpha], sym=sym, dtype=dtype, layout=layout,
                          device=device, requires_grad=requires_grad)


def nuttall(M, *, sym=True, dtype=None, layout=_strided, device=None, requires_grad=False):
    """Mirrors `torch.signal.windows.nuttall`: the 4-term Blackman-Harris window of Nuttall."""
    return general_cosine(M, a=[0.3635819, 0.4891775, 0.1365995, 0.0106411], sym=sym,
                          dtype=dtype, layout=layout, device=device,
                          requires_grad=requires_grad)
