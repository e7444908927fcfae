"""Mirrors `torch.fft`: discrete Fourier transforms with gradients (NumPy's or CuPy's FFT).

`n`/`s` crop or zero-pad the input first (differentiable), then one transform op runs; real
inputs of the complex transforms are promoted to complex, as PyTorch does.
"""

from . import _dtype as D
from ._ops import fft as _K
from ._ops._registry import apply as _apply
from ._ops._registry import renamed as _renamed
from ._tensor import Tensor as _Tensor
from ._tensor import _wrap_dim

# a complex transform of a real input: PyTorch's node is FftR2CBackward0
_REAL_C2C = _renamed(_K._fft_c2c, "FftR2CBackward0")
_NORMS = ("backward", "forward", "ortho")


def _norm(norm):
    if norm is None:
        return "backward"
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def _resize(x, axis, n):
    """x cropped or zero-padded to length n along axis."""
    from . import cat, zeros

    size = x.shape[axis]
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")
    if n < size:
        return x.narrow(axis, 0, n)
    if n > size:
        shape = list(x.shape)
        shape[axis] = n - size
        return cat([x, zeros(shape, dtype=x.dtype, device=x.device)], axis)
    return x


def _dims_sizes(x, s, dim, default_all=True):
    nd = x.dim()
    if dim is None:
        if s is None:
            dims = list(range(nd)) if default_all else [nd - 2, nd - 1]
        else:
            dims = list(range(nd - len(s), nd))
    else:
        dims = [dim] if isinstance(dim, int) else list(dim)
        dims = [_wrap_dim(d, nd) for d in dims]
    if s is not None:
        s = [s] if isinstance(s, int) else list(s)
        if len(s) != len(dims):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
    return dims, s


def _to_complex(x):
    return x.to(_K.complex_dtype(x._dtype))


def _to_real(x, name):
    if x._dtype.is_complex:
        kind = "ComplexDouble" if x._dtype is D.complex128 else "ComplexFloat"
        raise RuntimeError(f"{name} expects a real input tensor, but got {kind}")
    if not x._dtype.is_floating_point:
        x = x.to(D.get_default_dtype())
    return x


def _c2c(input, s, dim, norm, forward, one_dim=False):
    dims, sizes = _dims_sizes(input, s, dim)
    x = input
    if sizes is not None:
        for ax, n in zip(dims, sizes):
            x = _resize(x, ax, n if n != -1 else x.shape[ax])
    real = not x._dtype.is_complex
    x = _to_complex(x)
    params = {"axes": tuple(dims), "norm": _norm(norm), "forward": forward}
    if real and one_dim:
        # torch.fft.fft/ifft of a real input run torch's real-to-complex kernel (node
        # FftR2CBackward0); ifft is conj(fft(x)) with the dual norm (node ConjBackward0), so
        # where fft's imaginary part is 0. ifft's is -0.
        if forward:
            return _apply(_REAL_C2C, (x,), params)
        params.update(norm=_K._DUAL[params["norm"]], forward=True)
        return _apply(_REAL_C2C, (x,), params).conj_physical()
    # fft2/fftn (and their inverses) of a real input are complex transforms in torch
    return _apply(_K._fft_c2c, (x,), params)


def _r2c(input, s, dim, norm, name, default_all=True):
    x = _to_real(input, name)
    dims, sizes = _dims_sizes(x, s, dim, default_all)
    if sizes is not None:
        for ax, n in zip(dims, sizes):
            x = _resize(x, ax, n if n != -1 else x.shape[ax])
    return _K.r2c(x, dims, _norm(norm))


def _c2r(input, s, dim, norm, default_all=True):
    x = _to_complex(input)
    dims, sizes = _dims_sizes(x, s, dim, default_all)
    if sizes is None:
        sizes = [x.shape[ax] for ax in dims[:-1]] + [2 * (x.shape[dims[-1]] - 1)]
    for ax, n in zip(dims[:-1], sizes[:-1]):
        x = _resize(x, ax, n if n != -1 else x.shape[ax])
    last = sizes[-1] if sizes[-1] != -1 else 2 * (x.shape[dims[-1]] - 1)
    if last < 1:
        raise RuntimeError(f"Invalid number of data points ({last}) specified")
    x = _resize(x, dims[-1], last // 2 + 1)
    return _K.c2r(x, dims, _norm(norm), last)


def _single(n):
    return None if n is None else [n]


def fft(input, n=None, dim=-1, norm=None, *, out=None):
    """Mirrors `torch.fft.fft`: the 1-d transform along dim."""
    return _c2c(input, _single(n), dim, norm, True, one_dim=True)


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """Mirrors `torch.fft.ifft`."""
    return _c2c(input, _single(n), dim, norm, False, one_dim=True)


def fft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """Mirrors `torch.fft.fft2`."""
    return _c2c(input, s, dim, norm, True)


def ifft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """Mirrors `torch.fft.ifft2`."""
    return _c2c(input, s, dim, norm, False)


def fftn(input, s=None, dim=None, norm=None, *, out=None):
    """Mirrors `torch.fft.fftn` (all dims by default, or the last len(s))."""
    return _c2c(input, s, dim, norm, True)


def ifftn(input, s=None, dim=None, norm=None, *, out=None):
    """Mirrors `torch.fft.ifftn`."""
    return _c2c(input, s, dim, norm, False)


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Mirrors `torch.fft.rfft`: the one-sided transform of a real signal."""
    return _r2c(input, _single(n), dim, norm, "rfft")


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Mirrors `torch.fft.irfft`: a real signal of length n (default 2 * (m - 1))."""
    return _c2r(input, _single(n), dim, norm)


def rfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """Mirrors `torch.fft.rfft2`."""
    return _r2c(input, s, dim, norm, "rfftn")


def irfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """Mirrors `torch.fft.irfft2`."""
    return _c2r(input, s, dim, norm)


def rfftn(input, s=None, dim=None, norm=None, *, out=None):
    """Mirrors `torch.fft.rfftn`."""
    return _r2c(input, s, dim, norm, "rfftn")


def irfftn(input, s=None, dim=None, norm=None, *, out=None):
    """Mirrors `torch.fft.irfftn`."""
    return _c2r(input, s, dim, norm)


_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _conj_complex(input):
    """The conjugate of `input` made complex (a real input is its own conjugate)."""
    return _to_complex(input).conj()


def _real_only(input):
    # the n-dimensional Hermitian inverses check the dtype before anything else
    if input._dtype.is_complex:
        kind = "ComplexDouble" if input._dtype is D.complex128 else "ComplexFloat"
        raise RuntimeError(f"Only supports floating-point dtypes, but found: {kind}")


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Mirrors `torch.fft.hfft`: the real spectrum of a signal whose one-sided half is given
    (Hermitian symmetric in time). hfft(x) = irfft(conj(x)) with the dual normalisation."""
    return _c2r(_conj_complex(input), _single(n), dim, _DUAL[_norm(norm)])


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Mirrors `torch.fft.ihfft`: the one-sided inverse transform of a real signal,
    conj(rfft(x)) with the dual normalisation."""
    return _r2c(input, _single(n), dim, _DUAL[_norm(norm)], "ihfft").conj()


def hfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """Mirrors `torch.fft.hfft2`."""
    return _c2r(_conj_complex(input), s, dim, _DUAL[_norm(norm)])


def ihfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """Mirrors `torch.fft.ihfft2`."""
    _real_only(input)
    return _r2c(input, s, dim, _DUAL[_norm(norm)], "ihfftn").conj()


def hfftn(input, s=None, dim=None, norm=None, *, out=None):
    """Mirrors `torch.fft.hfftn` (the last transformed dim is the Hermitian half)."""
    return _c2r(_conj_complex(input), s, dim, _DUAL[_norm(norm)])


def ihfftn(input, s=None, dim=None, norm=None, *, out=None):
    """Mirrors `torch.fft.ihfftn`."""
    _real_only(input)
    return _r2c(input, s, dim, _DUAL[_norm(norm)], "ihfftn").conj()


def _freq(ints, n, d, dtype, device, requires_grad):
    # as PyTorch: the integer bins in the result dtype, times the scale 1 / (n d) rounded to
    # that dtype (not numpy's division, which differs in the last bit)
    import numpy as np
    from ._creation import tensor

    dt = dtype or D.get_default_dtype()
    np_dt = np.dtype(np.float64 if dt.itemsize >= 8 else np.float32)
    scale = 1.0 / (n * d)
    if dt.itemsize < 4:
        # a half-precision result: the scale is first rounded to that precision
        scale = tensor(scale, dtype=dt).item()
    scale = np_dt.type(scale)
    values = np.asarray(ints).astype(np_dt) * scale
    out = tensor(values, dtype=dt, device=device)
    if requires_grad:
        out.requires_grad_(True)
    return out


def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Mirrors `torch.fft.fftfreq`: the sample frequencies of an n-point transform."""
    import numpy as np

    ints = np.concatenate([np.arange(0, (n - 1) // 2 + 1), np.arange(-(n // 2), 0)])
    return _freq(ints, n, d, dtype, device, requires_grad)


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Mirrors `torch.fft.rfftfreq`: the frequencies of rfft's one-sided output."""
    import numpy as np

    return _freq(np.arange(0, n // 2 + 1), n, d, dtype, device, requires_grad)


def _shift(input, dim, sign):
    from . import roll

    if dim is None:
        dims = tuple(range(input.dim()))
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
    shifts = tuple(sign * (input.shape[d] // 2) for d in dims)
    return roll(input, shifts, dims)


def fftshift(input, dim=None):
    """Mirrors `torch.fft.fftshift`: the zero frequency moved to the centre."""
    return _shift(input, dim, 1)


def ifftshift(input, dim=None):
    """Mirrors `torch.fft.ifftshift`: the inverse of fftshift."""
    return _shift(input, dim, -1)


del _Tensor
