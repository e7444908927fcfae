"""OpInfos of the Fourier transforms (ember/_ops/fft.py, ember/fft.py). Complex results are
compared through view_as_real; complex inputs are built from two real ones."""

from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.opinfo import OpInfo, fixed_shapes


def _signal_shapes(n=1, min_dims=1, max_dims=3, min_side=1):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=5).map(lambda s: (tuple(s),) * n)


def _one_dim_kwargs(draw, shapes):
    shape = shapes[0]
    nd = len(shape)
    d = draw(st.integers(-nd, nd - 1))
    kw = {"dim": d, "norm": draw(st.sampled_from([None, "backward", "forward", "ortho"]))}
    if draw(st.booleans()):
        kw["n"] = draw(st.integers(1, shape[d] + 3))
    return kw


def _nd_kwargs(draw, shapes):
    nd = len(shapes[0])
    dims = draw(st.lists(st.integers(0, nd - 1), min_size=1, max_size=nd, unique=True))
    kw = {"dim": tuple(dims), "norm": draw(st.sampled_from([None, "forward", "ortho"]))}
    if draw(st.booleans()):
        kw["s"] = tuple(draw(st.integers(1, 6)) for _ in dims)
    return kw


def _irfft_kwargs(draw, shapes):
    return _one_dim_kwargs(draw, shapes)


def _c(m, a, b):
    return a + 1j * b


OPINFOS = [
    OpInfo("fft_real", lambda m, a, **kw: m.view_as_real(m.fft.fft(a, **kw)),
           ops=("fft_c2c",), kwargs=_one_dim_kwargs, shapes=_signal_shapes()),
    OpInfo("fft_complex", lambda m, a, b, **kw: m.view_as_real(m.fft.fft(_c(m, a, b), **kw)),
           ops=("fft_c2c",), nargs=2, kwargs=_one_dim_kwargs, shapes=_signal_shapes(2)),
    OpInfo("ifft_complex", lambda m, a, b, **kw: m.view_as_real(m.fft.ifft(_c(m, a, b), **kw)),
           ops=("fft_c2c",), nargs=2, kwargs=_one_dim_kwargs, shapes=_signal_shapes(2)),
    OpInfo("fftn", lambda m, a, b, **kw: m.view_as_real(m.fft.fftn(_c(m, a, b), **kw)),
           ops=("fft_c2c",), nargs=2, kwargs=_nd_kwargs, shapes=_signal_shapes(2)),
    OpInfo("ifft2", lambda m, a: m.view_as_real(m.fft.ifft2(a, norm="ortho")),
           ops=("fft_c2c",), shapes=_signal_shapes(min_dims=2)),
    OpInfo("rfft", lambda m, a, **kw: m.view_as_real(m.fft.rfft(a, **kw)),
           ops=("fft_r2c",), kwargs=_one_dim_kwargs, shapes=_signal_shapes()),
    OpInfo("rfftn", lambda m, a, **kw: m.view_as_real(m.fft.rfftn(a, **kw)),
           ops=("fft_r2c",), kwargs=_nd_kwargs, shapes=_signal_shapes()),
    OpInfo("irfft", lambda m, a, b, **kw: m.fft.irfft(_c(m, a, b), **kw), ops=("fft_c2r",),
           nargs=2, kwargs=_irfft_kwargs, shapes=_signal_shapes(2, min_side=2)),
    OpInfo("irfftn", lambda m, a, b, **kw: m.fft.irfftn(_c(m, a, b), **kw), ops=("fft_c2r",),
           nargs=2, kwargs=_nd_kwargs, shapes=_signal_shapes(2, min_side=2)),
    OpInfo("irfft2_roundtrip", lambda m, a: m.fft.irfft2(m.fft.rfft2(a), s=a.shape[-2:]),
           ops=("fft_r2c", "fft_c2r"), shapes=fixed_shapes(((3, 4),), ((2, 3, 5),))),
    # Hermitian transforms: hfft = irfft of the conjugate, ihfft = conj of rfft (dual norms)
    OpInfo("hfft", lambda m, a, b, **kw: m.fft.hfft(_c(m, a, b), **kw), ops=("fft_c2r",),
           nargs=2, kwargs=_irfft_kwargs, shapes=_signal_shapes(2, min_side=2)),
    OpInfo("hfft_real", lambda m, a, **kw: m.fft.hfft(a, **kw), ops=("fft_c2r",),
           kwargs=_irfft_kwargs, shapes=_signal_shapes(min_side=2)),
    OpInfo("hfftn", lambda m, a, b, **kw: m.fft.hfftn(_c(m, a, b), **kw), ops=("fft_c2r",),
           nargs=2, kwargs=_nd_kwargs, shapes=_signal_shapes(2, min_side=2)),
    OpInfo("hfft2", lambda m, a, b: m.fft.hfft2(_c(m, a, b), norm="ortho"), ops=("fft_c2r",),
           nargs=2, shapes=_signal_shapes(2, min_dims=2, min_side=2)),
    OpInfo("ihfft", lambda m, a, **kw: m.view_as_real(m.fft.ihfft(a, **kw).resolve_conj()),
           ops=("fft_r2c",), kwargs=_one_dim_kwargs, shapes=_signal_shapes()),
    OpInfo("ihfftn", lambda m, a, **kw: m.view_as_real(m.fft.ihfftn(a, **kw).resolve_conj()),
           ops=("fft_r2c",), kwargs=_nd_kwargs, shapes=_signal_shapes()),
    OpInfo("ihfft2", lambda m, a: m.view_as_real(m.fft.ihfft2(a, s=(3, 4)).resolve_conj()),
           ops=("fft_r2c",), shapes=_signal_shapes(min_dims=2)),
    OpInfo("fftshift", lambda m, a: m.fft.ifftshift(m.fft.fftshift(a, dim=0) * 2),
           shapes=_signal_shapes()),
]
