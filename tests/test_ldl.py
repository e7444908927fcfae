"""torch.linalg.ldl_factor / ldl_factor_ex / ldl_solve against torch 2.13 (LAPACK sytrf):
the same LD and pivots (1x1 and 2x2 Bunch-Kaufman pivots, batches, complex symmetric and
Hermitian), solutions of A X = B, errors and autograd."""

import numpy as np
import pytest
import torch

import ember


def _sym(rng, shape, n, small_diag, cplx=False, herm=False):
    a = rng.standard_normal(shape + (n, n))
    if cplx:
        a = a + 1j * rng.standard_normal(shape + (n, n))
    a = a + (np.conj(np.swapaxes(a, -1, -2)) if herm else np.swapaxes(a, -1, -2))
    if small_diag:
        # a small diagonal makes Bunch-Kaufman choose interchanges and 2x2 blocks
        a[..., range(n), range(n)] *= 0.01
    return a


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_factor_and_solve_match_torch(dtype):
    rng = np.random.default_rng(0)
    tol = 1e-12 if dtype == np.float64 else 2e-5
    seen_2x2 = False
    for trial in range(120):
        n = int(rng.integers(1, 10))
        batch = [(), (3,), (2, 2)][trial % 3]
        a = _sym(rng, batch, n, trial % 2 == 1).astype(dtype)
        LDt, pt = torch.linalg.ldl_factor(torch.tensor(a))
        LDe, pe = ember.linalg.ldl_factor(ember.tensor(a))
        assert str(pe.dtype) == "torch.int32" and str(LDe.dtype) == str(LDt.dtype)
        np.testing.assert_array_equal(pe.cpu().numpy(), pt.cpu().numpy())
        np.testing.assert_allclose(LDe.cpu().numpy(), LDt.cpu().numpy(), rtol=tol, atol=tol)
        seen_2x2 |= bool((pt < 0).any())
        b = rng.standard_normal(batch + (n, 3)).astype(dtype)
        xe = ember.linalg.ldl_solve(LDe, pe, ember.tensor(b)).cpu().numpy()
        xt = torch.linalg.ldl_solve(LDt, pt, torch.tensor(b)).cpu().numpy()
        scale = np.abs(xt).max() + 1
        np.testing.assert_allclose(xe / scale, xt / scale, atol=100 * tol)
        # and it solves the system
        if dtype == np.float64:
            np.testing.assert_allclose(a @ xe, b, atol=1e-8)
    assert seen_2x2


@pytest.mark.parametrize("hermitian", [False, True])
def test_complex(hermitian):
    rng = np.random.default_rng(1)
    for trial in range(30):
        n = int(rng.integers(1, 7))
        a = _sym(rng, (), n, trial % 2 == 1, cplx=True, herm=hermitian)
        LDt, pt = torch.linalg.ldl_factor(torch.tensor(a), hermitian=hermitian)
        LDe, pe = ember.linalg.ldl_factor(ember.tensor(a), hermitian=hermitian)
        np.testing.assert_array_equal(pe.cpu().numpy(), pt.cpu().numpy())
        np.testing.assert_allclose(LDe.cpu().numpy(), LDt.cpu().numpy(), atol=1e-12)
        b = rng.standard_normal((n, 2)) + 0j
        xe = ember.linalg.ldl_solve(LDe, pe, ember.tensor(b), hermitian=hermitian).cpu().numpy()
        xt = torch.linalg.ldl_solve(LDt, pt, torch.tensor(b), hermitian=hermitian).cpu().numpy()
        np.testing.assert_allclose(xe, xt, atol=1e-9)


def test_ex_info_and_singular():
    for m in (ember, torch):
        res = m.linalg.ldl_factor_ex(m.zeros(3, 3))
        assert res.info.item() == 1
        assert res.pivots.tolist() == [1, 2, 3]
    # broadcasting of the right-hand side's batch
    rng = np.random.default_rng(2)
    a = _sym(rng, (2,), 4, True)
    b = rng.standard_normal((4, 2))
    LDe, pe = ember.linalg.ldl_factor(ember.tensor(a))
    LDt, pt = torch.linalg.ldl_factor(torch.tensor(a))
    np.testing.assert_allclose(ember.linalg.ldl_solve(LDe, pe, ember.tensor(b)).cpu().numpy(),
                               torch.linalg.ldl_solve(LDt, pt, torch.tensor(b)).cpu().numpy(),
                               atol=1e-10)
    with pytest.raises(RuntimeError, match="Unknown error code: 1"):
        ember.linalg.ldl_factor(ember.zeros(3, 3))
    with pytest.raises(RuntimeError, match="Unknown error code: 1"):
        torch.linalg.ldl_factor(torch.zeros(3, 3))


def test_errors_match_torch():
    cases = [
        lambda m: m.linalg.ldl_factor(m.ones(2, 3)),
        lambda m: m.linalg.ldl_factor(m.ones(3, 3, dtype=m.float16)),
        lambda m: m.linalg.ldl_factor(m.ones(3, 3, dtype=m.int64)),
        lambda m: m.linalg.ldl_solve(*m.linalg.ldl_factor(m.eye(3)), m.ones(4, 2)),
        lambda m: m.linalg.ldl_solve(*m.linalg.ldl_factor(m.eye(3)), m.ones(3)),
    ]
    for case in cases:
        with pytest.raises(Exception) as te:
            case(torch)
        with pytest.raises(type(te.value)) as ee:
            case(ember)
        assert str(ee.value) == str(te.value)


def test_autograd_node_raises():
    x = ember.randn(3, 3, requires_grad=True)
    LD = ember.linalg.ldl_factor(x + x.mT).LD
    xt = torch.randn(3, 3, requires_grad=True)
    LDt = torch.linalg.ldl_factor(xt + xt.mT).LD
    assert type(LD.grad_fn).__name__ == type(LDt.grad_fn).__name__
    with pytest.raises(RuntimeError, match="derivative for aten::linalg_ldl_factor_ex"):
        LD.sum().backward()


def test_empty():
    e = ember.linalg.ldl_factor(ember.zeros(2, 0, 0))
    t = torch.linalg.ldl_factor(torch.zeros(2, 0, 0))
    assert tuple(e.LD.shape) == tuple(t.LD.shape) and tuple(e.pivots.shape) == (2, 0)
