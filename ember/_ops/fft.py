"""The three discrete Fourier transform ops behind `ember.fft`: complex-to-complex (c2c),
real-to-complex one-sided (r2c) and complex-to-real (c2r), over given axes with a
normalisation mode. Resizing (`n`, `s`) happens before, through ember's differentiable
narrow/pad, so these ops always transform their whole input.

Gradients are the adjoint transforms, as PyTorch's: the adjoint of a transform with norm m
is the opposite-direction transform with the dual norm (backward <-> forward, ortho stays).
"""

import numpy as _np

from .. import _dtype as D
from ._namespace import register_ns
from ._registry import apply, defop

_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}
_E = {}


def _array_xp(a):
    if isinstance(a, (_np.ndarray, _np.generic)):
        return _np, _np.asarray(a)
    import cupy

    return cupy, a


def _complex_of(dt):
    return _np.complex128 if dt in (_np.float64, _np.complex128) else _np.complex64


# ---------------------------------------------------------------- array forms
def _c2c_array(a, axes, norm, forward):
    xp, a = _array_xp(a)
    fn = xp.fft.fftn if forward else xp.fft.ifftn
    return fn(a, axes=axes, norm=norm).astype(_complex_of(a.dtype), copy=False)


def _r2c_array(a, axes, norm):
    xp, a = _array_xp(a)
    return xp.fft.rfftn(a, axes=axes, norm=norm).astype(_complex_of(a.dtype), copy=False)


def _c2r_array(a, axes, norm, last):
    xp, a = _array_xp(a)
    s = [a.shape[ax] for ax in axes[:-1]] + [last]
    real = _np.float64 if a.dtype == _np.complex128 else _np.float32
    return xp.fft.irfftn(a, s=s, axes=axes, norm=norm).astype(real, copy=False)


def _doubled(n_half, last, axis, ndim):
    """The weights (1 or 2) of a one-sided spectrum's bins along `axis`: a bin that stands for
    itself and its conjugate twin counts twice in the adjoint of c2r."""
    w = _np.ones(n_half)
    twins = last - n_half
    if twins > 0:
        w[1:1 + twins] = 2
    shape = [1] * ndim
    shape[axis] = n_half
    return w.reshape(shape)


register_ns("fft_c2c", _c2c_array, lambda t, axes, norm, forward: c2c(t, axes, norm, forward))
register_ns("fft_r2c", _r2c_array, lambda t, axes, norm: r2c(t, axes, norm))
register_ns("fft_c2r", _c2r_array, lambda t, axes, norm, last: c2r(t, axes, norm, last))


# ---------------------------------------------------------------- ops
@defop("fft_c2c", promote=False, grad_name="FftC2CBackward0")
def _fft_c2c(xp, a, axes, norm, forward):
    return _c2c_array(a, axes, norm, forward)


@_fft_c2c.defgrad
def _(F, g, out, a, need, extra, axes, norm, forward):
    return (F.fft_c2c(g, axes, _DUAL[norm], not forward),)


@defop("fft_r2c", promote=False, grad_name="FftR2CBackward0")
def _fft_r2c(xp, a, axes, norm):
    return _r2c_array(a, axes, norm)


@_fft_r2c.defgrad
def _(F, g, out, a, need, extra, axes, norm):
    # the dropped half of the spectrum has zero gradient: pad, transform back, keep the real part
    last = axes[-1]
    widths = [(0, 0)] * len(a.shape)
    widths[last] = (0, a.shape[last] - g.shape[last])
    full = F.pad(g, widths)
    return (F.real(F.fft_c2c(full, axes, _DUAL[norm], False)),)


@defop("fft_c2r", promote=False, grad_name="FftC2RBackward0")
def _fft_c2r(xp, a, axes, norm, last):
    return _c2r_array(a, axes, norm, last)


@_fft_c2r.defgrad
def _(F, g, out, a, need, extra, axes, norm, last):
    spec = F.fft_r2c(g, axes, _DUAL[norm])
    w = _doubled(a.shape[axes[-1]], last, axes[-1], len(a.shape))
    w = w.astype(_np.float64 if a.dtype == _np.complex128 else _np.float32)
    if hasattr(spec, "_data"):
        # a Tensor (double backward): the weights are a constant Tensor on its device
        from .._tensor import wrap_array

        w = wrap_array(w, spec._device)
    elif spec.__class__ is not _np.ndarray:
        # a CUDA spectrum: the weights go to its device
        w = _array_xp(spec)[0].asarray(w)
    return (spec * w,)


def c2c(x, axes, norm, forward):
    """The complex-to-complex transform of a complex tensor over `axes`."""
    return apply(_fft_c2c, (x,), {"axes": tuple(axes), "norm": norm, "forward": forward})


def r2c(x, axes, norm):
    """The one-sided transform of a real tensor (the last of `axes` is halved)."""
    return apply(_fft_r2c, (x,), {"axes": tuple(axes), "norm": norm})


def c2r(x, axes, norm, last):
    """The inverse of r2c: a real tensor whose last transformed axis has length `last`."""
    return apply(_fft_c2r, (x,), {"axes": tuple(axes), "norm": norm, "last": int(last)})


def complex_dtype(dt):
    """The complex dtype a transform of `dt` computes in (integers go through the default)."""
    if dt.is_complex:
        return dt
    if not dt.is_floating_point:
        dt = D.get_default_dtype()
    return D.complex128 if dt is D.float64 else D.complex64
