"""Regression tests for what the scientific-computing programs (tests/programs/p300-p329) found.

Expected values come from real torch, run in the same test.
"""

import io

import numpy as np
import pytest
import torch

import ember
from ember import _lowrank


def _np(t):
    return t.detach().cpu().numpy()


# ---------------------------------------------------------------- serialization
def _save_load(m, obj):
    buf = io.BytesIO()
    m.save(obj, buf)
    buf.seek(0)
    return m.load(buf)


@pytest.mark.parametrize("key", ["base", "view", "elem", "cols"])
def test_load_keeps_storage_offset_and_storage_of_saved_views(key):
    got = []
    for m in (ember, torch):
        base = m.arange(12.0)
        d = _save_load(m, {"base": base, "view": base[2:4], "elem": base[5],
                           "cols": base.view(3, 4)[:, 1]})
        t = d[key]
        got.append((t.storage_offset(), t.untyped_storage().size(), t.stride(),
                    t.tolist(), t._base is None))
    assert got[0] == got[1]


def test_loaded_views_still_share_memory_with_their_base():
    for m in (ember, torch):
        base = m.arange(6.0)
        d = _save_load(m, {"base": base, "view": base[2:4]})
        d["view"].mul_(10)
        assert d["base"].tolist() == [0.0, 1.0, 20.0, 30.0, 4.0, 5.0]


def test_a_saved_view_alone_keeps_its_whole_storage():
    res = []
    for m in (ember, torch):
        t = _save_load(m, m.arange(6.0)[2:4])
        res.append((t.tolist(), t.storage_offset(), t.untyped_storage().size()))
    assert res[0] == res[1]


# ---------------------------------------------------------------- linalg.lstsq drivers
LSTSQ_CASES = [
    ("tall", [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [[1.0, 5.0], [2.0, 1.0], [2.0, 0.0]]),
    ("tall_vector", [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1.0, 2.0, 2.0]),
    ("deficient", [[1.0, 2.0], [2.0, 4.0], [1.0, 2.0]], [[1.0], [1.0], [1.0]]),
    ("wide", [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], [[1.0], [2.0]]),
]


@pytest.mark.parametrize("driver", [None, "gels", "gelsy", "gelsd", "gelss"])
@pytest.mark.parametrize("name,A,B", LSTSQ_CASES, ids=[c[0] for c in LSTSQ_CASES])
def test_lstsq_fills_in_what_the_driver_fills_in(driver, name, A, B):
    if driver == "gels" and name == "deficient":
        pytest.skip("gels does not look at the rank: torch returns LAPACK's garbage there")
    outs = {}
    for m in (ember, torch):
        r = m.linalg.lstsq(m.tensor(A, dtype=m.float64), m.tensor(B, dtype=m.float64),
                           driver=driver)
        outs[m.__name__] = r
    e, t = outs["ember"], outs["torch"]
    np.testing.assert_allclose(_np(e.solution), _np(t.solution), atol=1e-10)
    for field in ("residuals", "rank", "singular_values"):
        a, b = getattr(e, field), getattr(t, field)
        assert str(a.dtype) == str(b.dtype) and tuple(a.shape) == tuple(b.shape), field
        np.testing.assert_allclose(_np(a), _np(b), atol=1e-6)


def test_lstsq_batched_residuals_only_when_every_matrix_has_full_rank():
    A = [[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [[1.0, 2.0], [2.0, 4.0], [1.0, 2.0]]]
    shapes = []
    for m in (ember, torch):
        full = m.linalg.lstsq(m.tensor(A[:1] * 2), m.ones(2, 3, 1), driver="gelsd")
        mixed = m.linalg.lstsq(m.tensor(A), m.ones(2, 3, 1), driver="gelsd")
        shapes.append((tuple(full.residuals.shape), tuple(mixed.residuals.shape),
                       mixed.rank.tolist(), tuple(mixed.singular_values.shape)))
    assert shapes[0] == shapes[1]


def test_lstsq_rejects_an_unknown_driver_like_torch():
    msgs = []
    for m in (ember, torch):
        with pytest.raises(RuntimeError) as info:
            m.linalg.lstsq(m.ones(3, 2), m.ones(3, 1), driver="qr")
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]


# ---------------------------------------------------------------- det's double backward
@pytest.mark.parametrize("M", [
    [[1.0, 2.0], [2.0, 4.0]],
    [[1.0, 0.0], [0.0, 0.0]],
    [[0.0, 0.0], [0.0, 0.0]],
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],
    [[2.0, 1.0], [0.5, 3.0]],
])
def test_det_gradient_with_create_graph_on_singular_matrices(M):
    # ember used to raise "input matrix is singular" from inv inside the differentiable rule
    res = []
    for m in (ember, torch):
        a = m.tensor(M, dtype=m.float64, requires_grad=True)
        (g,) = m.autograd.grad(m.linalg.det(a), a, create_graph=True)
        (gg,) = m.autograd.grad(g.sum(), a, allow_unused=True)
        res.append((_np(g), None if gg is None else _np(gg)))
    np.testing.assert_allclose(res[0][0], res[1][0], atol=1e-9)
    np.testing.assert_allclose(res[0][1], res[1][1], atol=1e-6)


# ---------------------------------------------------------------- svd_lowrank / pca_lowrank
def _data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((30, 2)) @ rng.standard_normal((2, 8)) * 3 + \
        0.01 * rng.standard_normal((30, 8))


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("shape", [(30, 8), (8, 30)])
def test_pca_lowrank_matches_torch(center, shape):
    x = _data() if shape == (30, 8) else _data().T.copy()
    outs = []
    for m, fn in ((ember, _lowrank.pca_lowrank), (torch, torch.pca_lowrank)):
        m.manual_seed(0)
        U, S, V = fn(m.tensor(x), q=3, center=center, niter=3)
        # singular vectors are defined up to sign: compare the projectors
        outs.append((_np(S), _np(U @ U.mT), _np(V @ V.mT), tuple(U.shape), tuple(V.shape)))
    e, t = outs
    np.testing.assert_allclose(e[0], t[0], rtol=1e-10)
    np.testing.assert_allclose(e[1], t[1], atol=1e-8)
    np.testing.assert_allclose(e[2], t[2], atol=1e-8)
    assert e[3:] == t[3:]


def test_svd_lowrank_with_mean_and_float32_default_q():
    x = _data().astype(np.float32)
    outs = []
    for m, fn in ((ember, _lowrank.svd_lowrank), (torch, torch.svd_lowrank)):
        m.manual_seed(1)
        A = m.tensor(x)
        U, S, _ = fn(A, M=A.mean(0, keepdim=True))
        outs.append((_np(S), str(S.dtype), tuple(U.shape)))
    np.testing.assert_allclose(outs[0][0][:2], outs[1][0][:2], rtol=1e-4)
    assert outs[0][1:] == outs[1][1:]


def test_pca_lowrank_checks_q_like_torch():
    msgs = []
    for m, fn in ((ember, _lowrank.pca_lowrank), (torch, torch.pca_lowrank)):
        with pytest.raises(ValueError) as info:
            fn(m.ones(4, 3), q=5)
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]
