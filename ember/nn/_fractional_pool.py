"""Mirrors `torch.nn.functional.fractional_max_pool2d` (Graham, "Fractional Max-Pooling", 2014):
max pooling over windows whose starts advance by a random, non-integer stride.

One uniform sample u per (batch, channel, dimension) places the windows as PyTorch does:
with alpha = (input - pool) / (output - 1), window i starts at
floor((i + u) alpha) - floor(u alpha), and the last window ends at the input's edge. The
argmax of each window is found in NumPy (no gradient); the values are then gathered from the
input through a differentiable gather, so the gradient reaches each window's maximum.
"""

import numpy as np


def _pair(v):
    return (v, v) if isinstance(v, (int, float)) else tuple(v)


def _starts(samples, size_in, size_out, pool):
    """(..., size_out) window starts along one dimension for the samples u (...,)."""
    if size_out == 1:
        return np.full(samples.shape + (1,), size_in - pool, dtype=np.int64)
    alpha = (size_in - pool) / (size_out - 1)
    i = np.arange(size_out - 1)
    u = samples[..., None]
    starts = np.floor((i + u) * alpha).astype(np.int64) - np.floor(u * alpha).astype(np.int64)
    last = np.full(samples.shape + (1,), size_in - pool, dtype=np.int64)
    return np.concatenate([starts, last], axis=-1)


def _argmax_indices(x, samples, out_h, out_w, kh, kw):
    """Flat (h * W + w) indices of each window's maximum, shape (N, C, out_h, out_w)."""
    n, c, h, w = x.shape
    # the first sample of a plane moves the columns, the second the rows (PyTorch's order)
    rows = _starts(samples[..., 1], h, out_h, kh)[..., :, None] + np.arange(kh)
    cols = _starts(samples[..., 0], w, out_w, kw)[..., :, None] + np.arange(kw)
    # windows (N, C, out_h, out_w, kh, kw) by advanced indexing over the planes
    ni = np.arange(n)[:, None, None, None, None, None]
    ci = np.arange(c)[None, :, None, None, None, None]
    r = rows[:, :, :, None, :, None]
    q = cols[:, :, None, :, None, :]
    windows = x[ni, ci, r, q].reshape(n, c, out_h, out_w, kh * kw)
    flat = (r * w + q)
    flat = np.broadcast_to(flat, (n, c, out_h, out_w, kh, kw)).reshape(n, c, out_h, out_w,
                                                                        kh * kw)
    # a NaN wins over any number, and a later NaN over an earlier one (PyTorch's scan)
    nan = np.isnan(windows)
    pick = np.argmax(windows, axis=-1)
    if nan.any():
        last_nan = kh * kw - 1 - np.argmax(nan[..., ::-1], axis=-1)
        pick = np.where(nan.any(axis=-1), last_nan, pick)
    return np.take_along_axis(flat, pick[..., None], axis=-1)[..., 0]


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    """Mirrors `torch.nn.functional.fractional_max_pool2d_with_indices`: (output, indices)."""
    import ember

    if output_size is None and output_ratio is None:
        raise ValueError(
            "fractional_max_pool2d requires specifying either an output_size or an output_ratio"
        )
    kh, kw = _pair(kernel_size)
    in_h, in_w = input.shape[-2], input.shape[-1]
    if output_size is None:
        ratio = _pair(output_ratio)
        output_size = (int(in_h * ratio[0]), int(in_w * ratio[1]))
    out_h, out_w = _pair(output_size)
    batched = input.dim() == 4
    if input.dim() not in (3, 4):
        raise RuntimeError(
            "fractional_max_pool2d(): Expected 3D or 4D tensor, but got: "
            f"{list(input.shape)}"
        )
    x = input if batched else input.unsqueeze(0)
    n, c = x.shape[0], x.shape[1]
    if _random_samples is None:
        _random_samples = ember.rand(n, c, 2, dtype=input.dtype, device=input.device)
    if _random_samples.shape[0] < n:
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if out_h + kh - 1 > in_h:
        raise RuntimeError(f"fractional_max_pool2d(): pool height {kh} too large relative to "
                           f"input height {in_h}")
    if out_w + kw - 1 > in_w:
        raise RuntimeError(f"fractional_max_pool2d(): pool width {kw} too large relative to "
                           f"input width {in_w}")
    host = x.detach().cpu().numpy()
    samples = _random_samples.detach().cpu().numpy().astype(np.float64)[:n]
    idx = _argmax_indices(host, samples, out_h, out_w, kh, kw)
    indices = ember.tensor(idx, dtype=ember.int64, device=input.device)
    out = x.flatten(-2).gather(-1, indices.flatten(-2)).reshape(n, c, out_h, out_w)
    if not batched:
        out = out.squeeze(0)
        indices = indices.squeeze(0)
    return out, indices


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    """Mirrors `torch.nn.functional.fractional_max_pool2d` (indices with return_indices)."""
    out, indices = fractional_max_pool2d_with_indices(input, kernel_size, output_size,
                                                      output_ratio, return_indices,
                                                      _random_samples)
    return (out, indices) if return_indices else out
