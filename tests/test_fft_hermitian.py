"""Errors and dtypes of torch.fft.hfft/ihfft and their 2-d/n-d forms (values and gradients
are in tests/opinfos/fft.py)."""

import pytest

import ember


def test_errors():
    with pytest.raises(RuntimeError, match="ihfft expects a real input tensor, but got "
                                           "ComplexFloat"):
        ember.fft.ihfft(ember.zeros(3, dtype=ember.complex64))
    for fn in (ember.fft.ihfft2, ember.fft.ihfftn):
        with pytest.raises(RuntimeError, match="Only supports floating-point dtypes, but found: "
                                               "ComplexFloat"):
            fn(ember.zeros(3, 3, dtype=ember.complex64))
    with pytest.raises(RuntimeError, match=r"Invalid number of data points \(0\) specified"):
        ember.fft.hfft(ember.zeros(3), n=0)
    with pytest.raises(RuntimeError, match='Invalid normalization mode: "x"'):
        ember.fft.hfft(ember.zeros(3), norm="x")


def test_dtypes_and_shapes():
    assert ember.fft.hfft(ember.zeros(3, 4, dtype=ember.complex128)).dtype is ember.float64
    assert tuple(ember.fft.hfftn(ember.zeros(3, 4, dtype=ember.complex64)).shape) == (3, 6)
    assert ember.fft.ihfft(ember.ones(3, dtype=ember.int64)).dtype is ember.complex64
    assert tuple(ember.fft.ihfft2(ember.ones(4, 6)).shape) == (4, 4)
