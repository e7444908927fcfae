"""Mirrors `torch.nn.functional.lp_pool3d`, `fractional_max_pool3d(_with_indices)` and
`rrelu_`, and the function behind `torch.nn.CrossMapLRN2d`.

fractional_max_pool3d places its windows as the 2-D version does (ember/nn/_fractional_pool.py):
one uniform sample per (batch, channel, dimension); the first sample moves the windows along
time (depth), the second along height, the third along width, as PyTorch's kernel reads them.
"""

import numpy as np

from ._fractional_pool import _starts


def _triple(v):
    return (v, v, v) if isinstance(v, (int, float)) else tuple(v)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Mirrors `torch.nn.functional.lp_pool3d`."""
    from . import functional as F

    kd, kw, kh = _triple(kernel_size)
    if norm_type == float("inf"):
        return F.max_pool3d(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -float("inf"):
        return -F.max_pool3d(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    out = F.avg_pool3d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * out.abs().relu()).mul(kd * kw * kh).pow(1.0 / norm_type)


def _argmax_indices3d(x, samples, out_size, kernel):
    """Flat (t * H * W + h * W + w) indices of each window's maximum, (N, C, oT, oH, oW)."""
    n, c, t, h, w = x.shape
    (ot, oh, ow), (kt, kh, kw) = out_size, kernel
    ts = _starts(samples[..., 0], t, ot, kt)[..., :, None] + np.arange(kt)
    hs = _starts(samples[..., 1], h, oh, kh)[..., :, None] + np.arange(kh)
    ws = _starts(samples[..., 2], w, ow, kw)[..., :, None] + np.arange(kw)
    ni = np.arange(n)[:, None, None, None, None, None, None, None]
    ci = np.arange(c)[None, :, None, None, None, None, None, None]
    # (N, C, oT, oH, oW, kT, kH, kW) windows by advanced indexing over the volumes
    ti = ts[:, :, :, None, None, :, None, None]
    hi = hs[:, :, None, :, None, None, :, None]
    wi = ws[:, :, None, None, :, None, None, :]
    shape = (n, c, ot, oh, ow, kt * kh * kw)
    windows = x[ni, ci, ti, hi, wi].reshape(shape)
    flat = np.broadcast_to(ti * (h * w) + hi * w + wi,
                           (n, c, ot, oh, ow, kt, kh, kw)).reshape(shape)
    # a NaN wins over any number, and a later NaN over an earlier one (PyTorch's scan)
    nan = np.isnan(windows)
    pick = np.argmax(windows, axis=-1)
    if nan.any():
        last_nan = shape[-1] - 1 - np.argmax(nan[..., ::-1], axis=-1)
        pick = np.where(nan.any(axis=-1), last_nan, pick)
    return np.take_along_axis(flat, pick[..., None], axis=-1)[..., 0]


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    """Mirrors `torch.nn.functional.fractional_max_pool3d_with_indices`: (output, indices).
    Without `_random_samples` the samples come from ember's generator (not torch's stream)."""
    import ember

    if output_size is None and output_ratio is None:
        raise ValueError(
            "fractional_max_pool3d requires specifying either an output_size or an output_ratio")
    kernel = _triple(kernel_size)
    if input.dim() not in (4, 5):
        raise RuntimeError(
            f"fractional_max_pool3d_out(): Expected 4D or 5D tensor, but got: "
            f"{list(input.shape)}")
    size_in = tuple(input.shape[-3:])
    if output_size is None:
        ratio = _triple(output_ratio)
        output_size = tuple(int(s * r) for s, r in zip(size_in, ratio))
    out_size = _triple(output_size)
    for name, o, k, i in zip(("time", "height", "width"), out_size, kernel, size_in):
        # (strictly smaller: torch's 3-D check, unlike its 2-D one, refuses equality)
        if o + k - 1 >= i:
            raise RuntimeError(f"fractional_max_pool3d_out(): pool {name} {k} too large "
                               f"relative to input {name} {i}")
    batched = input.dim() == 5
    x = input if batched else input.unsqueeze(0)
    n, c = x.shape[0], x.shape[1]
    if _random_samples is None:
        _random_samples = ember.rand(n, c, 3, dtype=input.dtype, device=input.device)
    host = x.detach().cpu().numpy()
    samples = _random_samples.detach().cpu().numpy().astype(np.float64)[:n]
    idx = _argmax_indices3d(host, samples, out_size, kernel)
    indices = ember.tensor(idx, dtype=ember.int64, device=input.device)
    out = x.flatten(-3).gather(-1, indices.flatten(-3)).reshape((n, c) + out_size)
    if not batched:
        out, indices = out.squeeze(0), indices.squeeze(0)
    return out, indices


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    """Mirrors `torch.nn.functional.fractional_max_pool3d` (indices with return_indices)."""
    out, indices = fractional_max_pool3d_with_indices(input, kernel_size, output_size,
                                                      output_ratio, return_indices,
                                                      _random_samples)
    return (out, indices) if return_indices else out


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """Mirrors `torch.nn.functional.rrelu_`: rrelu in place."""
    from . import functional as F

    return F.rrelu(input, lower, upper, training, inplace=True)


# ------------------------------------------------------------------ CrossMapLRN2d
def _window_matrix(channels, size):
    """(C, C) 0/1 matrix M with scale[c] = sum_j M[c, j] x[j]^2, replaying torch's running
    window exactly (including its `c > pre_pad` bound, which keeps one more channel at the
    start than a centred window would)."""
    pre_pad = int((size - 1) / 2 + 1)
    m = np.zeros((channels, channels))
    m[0, :min(pre_pad, channels)] = 1
    for c in range(1, channels):
        m[c] = m[c - 1]
        if c < channels - pre_pad + 1:
            m[c, c + pre_pad - 1] += 1
        if c > pre_pad:
            m[c, c - pre_pad] -= 1
    return m


def _cross_map_lrn2d_class():
    from ..autograd.function import Function

    class CrossMapLRN2d(Function):
        """torch.nn._functions.CrossMapLRN2d: forward and torch's own backward formula."""

        @staticmethod
        def forward(ctx, input, size, alpha=1e-4, beta=0.75, k=1):
            import ember

            if input.dim() != 4:
                raise ValueError(
                    f"CrossMapLRN2d: Expected input to be 4D, got {input.dim()}D instead.")
            x = input.detach().cpu().numpy()
            m = _window_matrix(x.shape[1], size).astype(x.dtype)
            scale = np.einsum("cj,njhw->nchw", m, x * x) * (alpha / size) + k
            out = scale ** (-beta) * x
            ctx.size, ctx.alpha, ctx.beta = size, alpha, beta
            ctx.arrays = (x, out, scale)
            return ember.tensor(out.astype(x.dtype), device=input.device)

        @staticmethod
        def backward(ctx, grad_output):
            import ember

            x, out, scale = ctx.arrays
            g = grad_output.detach().cpu().numpy()
            size = ctx.size
            n, c = x.shape[:2]
            inverse_pre_pad = int(size - (size - 1) / 2)
            padded = np.zeros((n, c + size - 1) + x.shape[2:], dtype=x.dtype)
            padded[:, inverse_pre_pad:inverse_pre_pad + c] = g * out / scale
            # accum[c] = padded[c] + ... + padded[c + size - 1]
            csum = np.concatenate([np.zeros_like(padded[:, :1]), np.cumsum(padded, axis=1)],
                                  axis=1)
            accum = csum[:, size:size + c] - csum[:, :c]
            ratio = 2 * ctx.alpha * ctx.beta / size
            grad = scale ** (-ctx.beta) * g - ratio * x * accum
            return ember.tensor(grad.astype(x.dtype), device=grad_output.device), None, None, \
                None, None

    return CrossMapLRN2d


_CROSS_MAP = []


def cross_map_lrn2d(input, size, alpha=1e-4, beta=0.75, k=1):
    """`torch.nn._functions.CrossMapLRN2d.apply(input, size, alpha, beta, k)`."""
    if not _CROSS_MAP:
        _CROSS_MAP.append(_cross_map_lrn2d_class())
    return _CROSS_MAP[0].apply(input, size, alpha, beta, k)
