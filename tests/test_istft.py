"""torch.istft against torch 2.13.0: the inverse of stft over window, hop, center, normalized,
onesided, length and return_complex, gradients to the spectrum and window, and errors."""

import warnings

import numpy as np
import pytest
import torch

import ember

CASES = [
    {"n_fft": 8},
    {"n_fft": 8, "hop_length": 3, "window": "hann"},
    {"n_fft": 8, "win_length": 6, "window": "hann6"},
    {"n_fft": 8, "center": False, "hop_length": 4},
    {"n_fft": 8, "normalized": True, "window": "hann", "length": 25},
    {"n_fft": 8, "window": "hann", "length": 40},
    {"n_fft": 8, "window": "hann", "onesided": False},
    {"n_fft": 8, "window": "hann", "onesided": False, "return_complex": True},
    {"n_fft": 7, "hop_length": 2, "window": "hann7"},
    {"n_fft": 8, "window": "hann", "batch": True},
]


def _window(m, name):
    if name is None:
        return None
    n = {"hann": 8, "hann6": 6, "hann7": 7}[name]
    # offset so that the window itself has a nonzero gradient everywhere
    return (m.hann_window(n, dtype=m.float64) + 0.1).requires_grad_(True)


def _run(m, case):
    case = dict(case)
    batch = case.pop("batch", False)
    win = _window(m, case.pop("window", None))
    sig = np.random.default_rng(0).standard_normal((2, 30) if batch else (30,))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = m.stft(m.tensor(sig), case["n_fft"], hop_length=case.get("hop_length"),
                      win_length=case.get("win_length"), window=win,
                      center=case.get("center", True), normalized=case.get("normalized", False),
                      onesided=case.get("onesided"), return_complex=True)
        spec = spec.detach().requires_grad_(True)
        y = m.istft(spec, **case, window=win)
    yr = m.view_as_real(y) if y.is_complex() else y
    g = m.tensor(np.random.default_rng(1).standard_normal(tuple(yr.shape)))
    inputs = (spec,) if win is None else (spec, win)
    grads = m.autograd.grad((yr * g).sum(), inputs)
    out = [yr.detach().cpu().numpy(), m.view_as_real(grads[0].resolve_conj()).detach().cpu().numpy()]
    if win is not None:
        out.append(grads[1].detach().cpu().numpy())
    return out


@pytest.mark.parametrize("case", CASES, ids=[str(i) for i in range(len(CASES))])
def test_istft_matches_torch(case):
    for e, t in zip(_run(ember, case), _run(torch, case)):
        assert e.shape == t.shape
        np.testing.assert_allclose(e, t, atol=1e-9)


def test_istft_roundtrip_and_errors():
    x = ember.randn(40, dtype=ember.float64)
    w = ember.hann_window(16, dtype=ember.float64)
    spec = ember.stft(x, 16, hop_length=4, window=w, return_complex=True)
    np.testing.assert_allclose(ember.istft(spec, 16, hop_length=4, window=w, length=40).cpu().numpy(),
                               x.cpu().numpy(), atol=1e-12)
    with pytest.raises(RuntimeError, match="istft requires a complex-valued input tensor"):
        ember.istft(spec.real, 16)
    with pytest.raises(RuntimeError, match=r"to match n_fft / 2 \+ 1 when onesided=True, but "
                                           "got 9"):
        ember.istft(spec, 20, window=ember.ones(20, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="expected 0 < hop_length <= win_length"):
        ember.istft(spec, 16, hop_length=0, window=w)
    with pytest.raises(RuntimeError, match="expected 0 < win_length <= n_fft"):
        ember.istft(spec, 16, win_length=17, window=w)
    with pytest.raises(RuntimeError, match="Invalid window shape. window has to be 1D"):
        ember.istft(spec, 16, window=ember.ones(5, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="expected a tensor with 3 or 4 dimensions, but got 5"):
        ember.istft(spec[None, None], 16, window=w)
    with pytest.raises(RuntimeError, match="window overlap add min"):
        ember.istft(spec, 16, window=ember.zeros(16, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="Cannot have onesided output if window or input is "
                                           "complex"):
        ember.istft(spec, 16, window=w, return_complex=True)
    with pytest.warns(UserWarning, match="A window was not provided"):
        ember.istft(spec, 16)
