"""Window functions for signal processing (hann_window & co.), as PyTorch computes them:
in the requested dtype, step by step, so that the values round the same way."""

import math

import numpy as np

from . import _dtype as D


def _prepare(name, window_length, periodic, dtype, device, requires_grad):
    from ._creation import factory_device

    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got "
                           f"window_length={window_length}")
    dt = D.get_default_dtype() if dtype is None else D.to_dtype(dtype)
    if not dt.is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: {dt}")
    return dt, factory_device(device)


def _finish(arr, n, periodic, dt, dev, requires_grad):
    from ._tensor import _new_tensor

    if periodic:
        arr = arr[:n]
    t = _new_tensor(dev.xp.asarray(np.ascontiguousarray(arr)), dt, dev)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _trivial(n, dt, dev, requires_grad):
    from ._tensor import _new_tensor

    t = _new_tensor(dev.xp.ones(n, dtype=dt.np), dt, dev)
    if requires_grad:
        t.requires_grad_(True)
    return t


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, pin_memory=False, requires_grad=False):
    """Mirrors `torch.hamming_window`."""
    dt, dev = _prepare("hamming_window", window_length, periodic, dtype, device, requires_grad)
    if window_length <= 1:
        return _trivial(window_length, dt, dev, requires_grad)
    n = window_length + 1 if periodic else window_length
    f = dt.np.type
    w = np.arange(n, dtype=dt.np) * f(2 * math.pi / (n - 1))
    w = np.cos(w) * f(-beta) + f(alpha)
    return _finish(w, window_length, periodic, dt, dev, requires_grad)


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                pin_memory=False, requires_grad=False):
    """Mirrors `torch.hann_window`: a Hamming window with alpha = beta = 0.5."""
    _prepare("hann_window", window_length, periodic, dtype, device, requires_grad)
    return hamming_window(window_length, periodic, 0.5, 0.5, dtype=dtype, device=device,
                          requires_grad=requires_grad)


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    """Mirrors `torch.blackman_window`."""
    dt, dev = _prepare("blackman_window", window_length, periodic, dtype, device, requires_grad)
    if window_length <= 1:
        return _trivial(window_length, dt, dev, requires_grad)
    n = window_length + 1 if periodic else window_length
    f = dt.np.type
    w = np.arange(n, dtype=dt.np) * f(math.pi / (n - 1))
    w = np.cos(w * f(4)) * f(0.08) - np.cos(w * f(2)) * f(0.5) + f(0.42)
    return _finish(w, window_length, periodic, dt, dev, requires_grad)


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    """Mirrors `torch.bartlett_window`."""
    dt, dev = _prepare("bartlett_window", window_length, periodic, dtype, device, requires_grad)
    if window_length <= 1:
        return _trivial(window_length, dt, dev, requires_grad)
    n = window_length + 1 if periodic else window_length
    f = dt.np.type
    w = np.arange(n, dtype=dt.np) * f(2.0 / (n - 1))
    half = ((n - 1) >> 1) + 1
    w[half:] = w[half:] * f(-1) + f(2)
    return _finish(w, window_length, periodic, dt, dev, requires_grad)


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, pin_memory=False, requires_grad=False):
    """Mirrors `torch.kaiser_window`."""
    dt, dev = _prepare("kaiser_window", window_length, periodic, dtype, device, requires_grad)
    if window_length <= 1:
        return _trivial(window_length, dt, dev, requires_grad)
    n = window_length + 1 if periodic else window_length
    f = dt.np.type
    alpha = f((n - 1) / 2.0)
    k = np.arange(n, dtype=dt.np)
    ratio = (k - alpha) / alpha
    w = np.i0(f(beta) * np.sqrt(np.maximum(f(1) - ratio * ratio, f(0)))).astype(dt.np)
    w = (w / np.i0(f(beta))).astype(dt.np)
    return _finish(w, window_length, periodic, dt, dev, requires_grad)


__all__ = [
    "bartlett_window",
    "blackman_window",
    "hamming_window",
    "hann_window",
    "kaiser_window",
]
