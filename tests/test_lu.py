"""LU factorization, lu_unpack, lu_solve and householder_product against torch 2.13.0: values,
pivots, info, shapes, dtypes and error messages (gradients are in tests/opinfos/lu.py)."""

import warnings

import numpy as np
import pytest
import torch

import ember


def _np(t):
    return t.detach().resolve_conj().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.cpu().numpy())


def _close(e, t, tol=1e-10):
    assert tuple(e.shape) == tuple(t.shape)
    assert str(e.dtype) == str(t.dtype)
    np.testing.assert_allclose(_np(e), _np(t), atol=tol, rtol=tol)


SHAPES = [(3, 3), (2, 4, 4), (2, 4), (5, 3), (2, 3, 6, 2), (1, 1), (0, 0), (2, 0, 3)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", ["float64", "complex128", "float32"])
def test_lu_factor_ex_and_lu(shape, dtype):
    rng = np.random.default_rng(len(shape) + sum(shape))
    a = rng.standard_normal(shape)
    if dtype == "complex128":
        a = a + 1j * rng.standard_normal(shape)
    a = a.astype(dtype)
    tol = 1e-4 if dtype == "float32" else 1e-10
    got = ember.linalg.lu_factor_ex(ember.tensor(a))
    want = torch.linalg.lu_factor_ex(torch.tensor(a))
    for e, t in zip(got, want):
        _close(e, t, tol)
    for e, t in zip(ember.linalg.lu(ember.tensor(a)), torch.linalg.lu(torch.tensor(a))):
        _close(e, t, tol)


def test_singular_info_and_errors():
    a = np.array([[1.0, 2, 3], [2, 4, 6], [1, 0, 1]])
    for e, t in zip(ember.linalg.lu_factor_ex(ember.tensor(a)),
                    torch.linalg.lu_factor_ex(torch.tensor(a))):
        _close(e, t)
    z = np.zeros((2, 3, 3))
    for e, t in zip(ember.linalg.lu_factor_ex(ember.tensor(z)),
                    torch.linalg.lu_factor_ex(torch.tensor(z))):
        _close(e, t)
    with pytest.raises(RuntimeError, match=r"U\[3,3\] is zero and using it on lu_solve"):
        ember.linalg.lu_factor(ember.tensor(a))
    with pytest.raises(RuntimeError, match=r"\(Batch element 0\): U\[1,1\] is zero"):
        ember.linalg.lu_factor(ember.tensor(z))
    with pytest.raises(RuntimeError, match="torch.lu_factor: Expected tensor with 2 or more "
                                           r"dimensions. Got size: \[3\] instead"):
        ember.linalg.lu_factor(ember.zeros(3))
    with pytest.raises(NotImplementedError, match="\"lu_cpu\" not implemented for 'Long'"):
        ember.linalg.lu_factor(ember.zeros(3, 3, dtype=ember.int64))
    with pytest.raises(RuntimeError, match="LU without pivoting is not implemented on the CPU"):
        ember.linalg.lu(ember.zeros(3, 3), pivot=False)


def test_torch_lu_alias():
    a = np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 10]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = ember.lu(ember.tensor(a), get_infos=True)
        want = torch.lu(torch.tensor(a), get_infos=True)
        lu_e, piv_e = ember.tensor(a).lu()
        singular = ember.lu(ember.zeros(3, 3), get_infos=True)
    assert type(got).__name__ == "_lu_with_info"
    for e, t in zip(got, want):
        _close(e, t)
    _close(lu_e, want[0])
    _close(piv_e, want[1])
    assert int(singular.info) == 1


def test_lu_unpack_flags_and_errors():
    a = np.random.default_rng(1).standard_normal((3, 3))
    LU, piv = ember.linalg.lu_factor(ember.tensor(a))
    P, L, U = ember.lu_unpack(LU, piv, unpack_data=False)
    assert tuple(L.shape) == (0,) and tuple(U.shape) == (0,)
    np.testing.assert_allclose(_np(P @ ember.tensor(_np(torch.linalg.lu(torch.tensor(a)).L))
                                   @ ember.tensor(_np(torch.linalg.lu(torch.tensor(a)).U))), a,
                               atol=1e-12)
    P, L, U = ember.lu_unpack(LU, piv, unpack_pivots=False)
    assert tuple(P.shape) == (0,)
    with pytest.raises(RuntimeError, match="LU_pivots is expected to be a contiguous tensor of "
                                           "torch.int32 dtype"):
        ember.lu_unpack(LU, piv.long())
    with pytest.raises(RuntimeError, match="pivots passed to lu_unpack must be between 1 and"):
        ember.lu_unpack(LU, ember.zeros(3, dtype=ember.int32))


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve_broadcast(left, adjoint):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((2, 4, 4)) + 1j * rng.standard_normal((2, 4, 4))
    b = rng.standard_normal((3, 1, 4, 2) if left else (2, 2, 4)) + 0j
    want = torch.linalg.lu_solve(*torch.linalg.lu_factor(torch.tensor(a)), torch.tensor(b),
                                 left=left, adjoint=adjoint)
    got = ember.linalg.lu_solve(*ember.linalg.lu_factor(ember.tensor(a)), ember.tensor(b),
                                left=left, adjoint=adjoint)
    _close(got, want)


def test_lu_solve_errors():
    LU, piv = ember.linalg.lu_factor(ember.randn(3, 3))
    with pytest.raises(RuntimeError, match=r"equation AX = B \(3x3 and 4x2\)"):
        ember.linalg.lu_solve(LU, piv, ember.randn(4, 2))
    with pytest.raises(RuntimeError, match=r"equation XA = B \(3x3 and 2x4\)"):
        ember.linalg.lu_solve(LU, piv, ember.randn(2, 4), left=False)
    with pytest.raises(RuntimeError, match="The input tensor B must have at least 2 dimensions"):
        ember.linalg.lu_solve(LU, piv, ember.randn(3))
    with pytest.raises(RuntimeError, match="pivots should be a Tensor of scalar type torch.int32"):
        ember.linalg.lu_solve(LU, piv.long(), ember.randn(3, 2))
    with pytest.raises(RuntimeError, match="found LU of type Float and B of type Double"):
        ember.linalg.lu_solve(LU, piv, ember.randn(3, 2, dtype=ember.float64))


def test_householder_product_values_and_errors():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((2, 5, 3)) + 1j * rng.standard_normal((2, 5, 3))
    tau = rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2))
    _close(ember.linalg.householder_product(ember.tensor(a), ember.tensor(tau)),
           torch.linalg.householder_product(torch.tensor(a), torch.tensor(tau)))
    # geqrf's reflectors reproduce Q of the QR factorization
    q_in, tau_in = torch.geqrf(torch.tensor(a.real))
    _close(ember.orgqr(ember.tensor(_np(q_in)), ember.tensor(_np(tau_in))),
           torch.linalg.qr(torch.tensor(a.real)).Q)
    name = "torch.linalg.householder_product: "
    cases = [
        ((3, 4), (2,), "float32", "input.shape\\[-2\\] must be greater than or equal to"),
        ((4, 3), (4,), "float32", "input.shape\\[-1\\] must be greater than or equal to tau"),
        ((4,), (4,), "float32", "input must have at least 2 dimensions"),
        ((2, 4, 3), (3, 2), "float32", ("Expected batch dimensions of tau to be equal to "
                                        "input.shape\\[:-2\\], but got \\[3\\]")),
        ((4, 3), (2,), "float64", "tau dtype Double does not match input dtype Float"),
    ]
    for sa, st, tdt, msg in cases:
        with pytest.raises(RuntimeError, match=name + msg):
            ember.linalg.householder_product(ember.zeros(sa), ember.zeros(st, dtype=tdt))
