"""ember.signal.windows against torch.signal.windows: values (float32 and float64, symmetric
and periodic), dtypes, parameters, errors, requires_grad."""

import pytest
import torch

import ember
import ember.signal

WINDOWS = ["bartlett", "blackman", "cosine", "exponential", "gaussian", "general_hamming",
           "hamming", "hann", "kaiser", "nuttall"]


def _both(name, *args, **kwargs):
    kw_e = {k: (getattr(ember, str(v).split(".")[-1]) if k == "dtype" else v)
            for k, v in kwargs.items()}
    e = getattr(ember.signal.windows, name)(*args, **kw_e)
    t = getattr(torch.signal.windows, name)(*args, **kwargs)
    return e, t


def _close(e, t):
    assert str(e.dtype) == str(t.dtype)
    assert tuple(e.shape) == tuple(t.shape)
    torch.testing.assert_close(torch.from_numpy(e.detach().cpu().numpy()), t.detach(),
                               rtol=2e-6 if t.dtype == torch.float32 else 1e-12, atol=1e-7)


@pytest.mark.parametrize("name", WINDOWS)
@pytest.mark.parametrize("M", [0, 1, 2, 3, 7, 10, 65])
@pytest.mark.parametrize("sym", [True, False])
def test_window_values(name, M, sym):
    for dtype in (torch.float32, torch.float64):
        _close(*_both(name, M, sym=sym, dtype=dtype))
    _close(*_both(name, M, sym=sym))  # the default dtype


def test_window_parameters():
    _close(*_both("general_cosine", 9, a=[0.5, 0.3, 0.2]))
    _close(*_both("general_cosine", 8, a=(1.0,), sym=False, dtype=torch.float64))
    _close(*_both("exponential", 6, sym=False, center=1.5, tau=2.0))
    _close(*_both("exponential", 11, tau=0.3, dtype=torch.float64))
    _close(*_both("gaussian", 12, std=0.7, sym=False))
    _close(*_both("kaiser", 9, beta=0.0))
    _close(*_both("kaiser", 16, beta=5.5, sym=False, dtype=torch.float64))
    _close(*_both("general_hamming", 10, alpha=0.6))


def test_window_errors():
    cases = [
        ("hann", (-1,), {}),
        ("hann", (4,), {"dtype": torch.int64}),
        ("gaussian", (4,), {"std": 0.0}),
        ("exponential", (4,), {"tau": -1.0}),
        ("exponential", (4,), {"center": 1.0}),
        ("kaiser", (4,), {"beta": -1.0}),
        ("general_cosine", (4,), {"a": []}),
        ("general_cosine", (4,), {"a": 3}),
        ("hann", (4,), {"dtype": torch.float16}),
    ]
    for name, args, kwargs in cases:
        with pytest.raises(Exception) as te:
            getattr(torch.signal.windows, name)(*args, **kwargs)
        kw = {k: (getattr(ember, str(v).split(".")[-1]) if k == "dtype" else v)
              for k, v in kwargs.items()}
        with pytest.raises(type(te.value)) as ee:
            getattr(ember.signal.windows, name)(*args, **kw)
        assert str(ee.value) == str(te.value)


def test_window_requires_grad():
    e, t = _both("hann", 6, requires_grad=True)
    assert e.requires_grad and t.requires_grad
    assert type(e.grad_fn).__name__ == type(t.grad_fn).__name__
    _close(e, t)
    e, t = _both("gaussian", 5, requires_grad=True)
    assert e.requires_grad and t.requires_grad
