"""ember's own CUDA kernels (ember/cuda/_fused.py, _conv_pool.py) against the array code they
replace, on the same GPU, and against torch on cuda where torch is there. Runs only where ember
sees a real GPU (the CuPy stand-in has no RawKernel, so there the array code runs anyway)."""

import numpy as np
import pytest

import ember
from ember.cuda import _conv_pool, _fused

pytestmark = pytest.mark.skipif(
    not (ember.cuda.is_available() and _fused.on_device(ember.zeros(1, device="cuda")._data)),
    reason="needs a CUDA GPU with CuPy's RawKernel",
)


@pytest.fixture
def array_code(monkeypatch):
    """A function that runs `fn()` with ember's kernels switched off (the array code)."""

    def run(fn):
        with monkeypatch.context() as m:
            m.setattr(_fused, "usable", lambda *a: False)
            m.setattr(_fused, "ce_usable", lambda *a: False)
            m.setattr(_fused, "device_array", lambda *a: False)
            m.setattr(_fused, "on_device", lambda *a: False)
            m.setattr(_conv_pool, "usable", lambda *a: False)
            return fn()

    return run


def _host(t):
    return t.detach().cpu().numpy()


def _close(a, b, dtype):
    tol = dict(rtol=2e-6, atol=1e-6) if dtype == "float32" else dict(rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(a, b, **tol)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(7, 5), (64, 10), (3, 1), (2, 1000)])
def test_cross_entropy(array_code, dtype, reduction, shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(dtype) * 3
    x[0, 0] = 40.0  # a large logit: the shift by the row max matters
    t = rng.integers(0, shape[1], shape[0])

    def run():
        xe = ember.tensor(x, device="cuda", requires_grad=True)
        loss = ember.nn.functional.cross_entropy(xe, ember.tensor(t, device="cuda"),
                                                 reduction=reduction)
        loss.sum().backward()
        return _host(loss), _host(xe.grad)

    fused = run()
    plain = array_code(run)
    _close(fused[0], plain[0], dtype)
    _close(fused[1], plain[1], dtype)


def test_cross_entropy_target_errors_and_ignore_index():
    x = ember.randn(4, 3, device="cuda", requires_grad=True)
    with pytest.raises(IndexError, match="Target 3 is out of bounds."):
        ember.nn.functional.cross_entropy(x, ember.tensor([0, 1, 3, 2], device="cuda"))
    with pytest.raises(IndexError, match="Target -2 is out of bounds."):
        ember.nn.functional.cross_entropy(x, ember.tensor([0, -2, 1, 2], device="cuda"))
    # an ignored row takes the array code; the loss averages the other three
    t = ember.tensor([0, -100, 1, 2], device="cuda")
    loss = ember.nn.functional.cross_entropy(x, t)
    keep = ember.nn.functional.cross_entropy(x[[0, 2, 3]], t[[0, 2, 3]])
    np.testing.assert_allclose(_host(loss), _host(keep), rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_backward(array_code, dtype):
    a = np.array([-1.0, 0.0, -0.0, 2.0, np.nan, np.inf, -np.inf], dtype=dtype)
    up = np.array([1.0, 2.0, 3.0, 4.0, 5.0, np.inf, 7.0], dtype=dtype)

    def run():
        x = ember.tensor(a, device="cuda", requires_grad=True)
        ember.relu(x).backward(ember.tensor(up, device="cuda"))
        return _host(x.grad)

    np.testing.assert_array_equal(run(), array_code(run))


POOL_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0), dilation=(2, 1)),
    dict(kernel_size=3, stride=1, padding=1),  # overlapping windows
    dict(kernel_size=2, ceil_mode=True),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(POOL_CASES)))
def test_max_pool2d(array_code, dtype, case):
    kw = POOL_CASES[case]
    rng = np.random.default_rng(case)
    # small integers: many ties, so the first-maximum rule is checked
    x = rng.integers(-3, 4, (2, 3, 7, 9)).astype(dtype)
    up = rng.standard_normal((2, 3, 7, 9)).astype(dtype)

    def run():
        xe = ember.tensor(x, device="cuda", requires_grad=True)
        y, idx = ember.nn.functional.max_pool2d(xe, return_indices=True, **kw)
        y.backward(ember.tensor(up[tuple(slice(0, s) for s in y.shape)], device="cuda"))
        return _host(y), _host(idx), _host(xe.grad)

    fused = run()
    plain = array_code(run)
    for f, p in zip(fused, plain):
        np.testing.assert_array_equal(f, p)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("conv", [dict(), dict(padding=2), dict(stride=2, padding=1),
                                  dict(dilation=2, groups=2)])
def test_conv2d_input_gradient(array_code, dtype, conv):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 4, 11, 10)).astype(dtype)
    w = rng.standard_normal((6, 4 // conv.get("groups", 1), 5, 5)).astype(dtype)

    def run():
        xe = ember.tensor(x, device="cuda", requires_grad=True)
        we = ember.tensor(w, device="cuda", requires_grad=True)
        y = ember.nn.functional.conv2d(xe, we, **conv)
        (y * y).sum().backward()
        return _host(xe.grad), _host(we.grad)

    fused = run()
    plain = array_code(run)
    _close(fused[0], plain[0], dtype)
    _close(fused[1], plain[1], dtype)


OPTIMIZERS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, weight_decay=0.01, maximize=True)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.01, betas=(0.3, 0.5), maximize=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.5, amsgrad=True)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", range(len(OPTIMIZERS)))
def test_optimizer_steps(array_code, dtype, case):
    name, kw = OPTIMIZERS[case]
    rng = np.random.default_rng(case)
    w0 = rng.standard_normal((5, 4)).astype(dtype)
    grads = [rng.standard_normal((5, 4)).astype(dtype) for _ in range(6)]

    def run():
        p = ember.nn.Parameter(ember.tensor(w0, device="cuda"))
        opt = getattr(ember.optim, name)([p], **kw)
        for g in grads:
            p.grad = ember.tensor(g, device="cuda")
            opt.step()
        return _host(p)

    fused = run()
    plain = array_code(run)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fused, plain, **tol)
