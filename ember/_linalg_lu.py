"""LU and Householder functions of `ember.linalg` (lu_factor, lu_factor_ex, lu, lu_unpack,
lu_solve, householder_product) and their deprecated `torch.*` aliases (lu, lu_solve, lu_unpack,
orgqr). Mirrors torch 2.13.0.

The factorization is one op (`ember/_ops/lu.py`); unpacking, solving and the Householder
product are compositions of differentiable ops, so their gradients (and second derivatives)
follow from the rules of those ops.
"""

import warnings

import numpy as np

from . import _dtype as D
from . import _return_types
from ._ops import lu as _K
from ._ops._bind import public
from ._ops._registry import apply
from ._ops.linalg import _broadcast_batch, _out, _tn

_E = {}

linalg_lu_factor = _return_types.linalg_lu_factor
linalg_lu_factor_ex = _return_types.linalg_lu_factor_ex
linalg_lu = _return_types.linalg_lu
lu_unpack_t = _return_types.lu_unpack
# torch.lu(..., get_infos=True) returns torch.return_types._lu_with_info
_lu_with_info = _return_types._make("_lu_with_info", ("LU", "pivots", "info"))


def _wrap(arr, like):
    from ._ops._registry import np_to_dtype
    from ._tensor import _new_tensor

    arr = like._device.xp.asarray(arr)
    return _new_tensor(arr, np_to_dtype(arr), like._device)


def _check_lu_input(A, name):
    if A._data.ndim < 2:
        raise RuntimeError(
            f"{name}: Expected tensor with 2 or more dimensions. Got size: {list(A.shape)} "
            "instead"
        )
    if A._dtype._kind < 2 or A._dtype.itemsize < 4:
        raise NotImplementedError(f'"lu_cpu" not implemented for \'{_tn(A)}\'')


def _factor(A, pivot, name):
    _check_lu_input(A, name)
    if not pivot:
        raise RuntimeError(
            f"{name.replace('torch.', '')}: LU without pivoting is not implemented on the CPU"
        )
    LU, pivots = apply(_K._lu_factor, (A,), _E)
    info = _info_of(LU)
    return LU, pivots, info


def _info_of(LU):
    """getrf's info: the 1-based index of the first exactly-zero diagonal entry of U, or 0."""
    xp = LU._device.xp
    data = LU._data
    diag = xp.diagonal(data, axis1=-2, axis2=-1)
    zero = diag == 0
    first = xp.argmax(zero, axis=-1) + 1 if diag.shape[-1] else xp.zeros(diag.shape[:-1], int)
    info = xp.where(zero.any(axis=-1), first, 0).astype(np.int32)
    return _wrap(info, LU)


def _raise_singular(info, ndim, name):
    flat = np.asarray(info._data.get() if hasattr(info._data, "get") else info._data).reshape(-1)
    for i, k in enumerate(flat):
        if k:
            prefix = f"(Batch element {i}): " if ndim > 2 else ""
            raise RuntimeError(
                f"{name}: {prefix}U[{k},{k}] is zero and using it on lu_solve would result in a "
                "division by zero. If you still want to perform the factorization, consider "
                "calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
            )


def lu_factor(A, *, pivot=True, out=None):
    """Mirrors `torch.linalg.lu_factor`: (LU, pivots); a singular matrix raises."""
    LU, pivots, info = _factor(A, pivot, "torch.lu_factor")
    _raise_singular(info, A._data.ndim, "torch.linalg.lu_factor")
    return linalg_lu_factor((LU, pivots))


def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    """Mirrors `torch.linalg.lu_factor_ex`: (LU, pivots, info), info > 0 for a singular U."""
    LU, pivots, info = _factor(A, pivot, "torch.lu_factor")
    if check_errors:
        _raise_singular(info, A._data.ndim, "torch.linalg.lu_factor_ex")
    return linalg_lu_factor_ex((LU, pivots, info))


def _empty(like, dtype=None):
    from ._creation import empty

    return empty(0, dtype=dtype or like._dtype, device=like._device)


def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True, *, out=None):
    """Mirrors `torch.lu_unpack`: (P, L, U) with A = P L U from lu_factor's output; the parts
    not asked for are empty."""
    if LU_data._data.ndim < 2:
        raise RuntimeError(
            "torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: "
            f"{list(LU_data.shape)} instead"
        )
    if LU_pivots._dtype is not D.int32:
        raise RuntimeError(
            "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 "
            "dtype.\nNote: this function is intended to be used with the output produced by "
            "torch.linalg.lu_factor"
        )
    m, n = LU_data.shape[-2:]
    k = min(m, n)
    if unpack_data:
        from ._creation import eye

        L = LU_data.tril(-1).narrow(-1, 0, k) + eye(m, k, dtype=LU_data._dtype,
                                                     device=LU_data._device)
        U = LU_data.triu().narrow(-2, 0, k)
    else:
        L = _empty(LU_data)
        U = _empty(LU_data)
    if unpack_pivots:
        piv = LU_pivots._data
        host = piv.get() if hasattr(piv, "get") else piv
        if host.size and (host.min() < 1 or host.max() > m):
            raise RuntimeError(
                "pivots passed to lu_unpack must be between 1 and LU.size(-2) inclusive.Did you "
                "properly pass the result of lu_factor?"
            )
        P = _wrap(_K.permutation_arrays(LU_data._device.xp, LU_data._data, host), LU_data)
    else:
        P = _empty(LU_data)
    return lu_unpack_t((P, L, U))


public("lu_unpack", method=False)(lu_unpack)


def lu(A, *, pivot=True, out=None):
    """Mirrors `torch.linalg.lu`: (P, L, U) with A = P L U; L is m x k, U is k x n."""
    _check_lu_input(A, "linalg.lu")
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    LU, pivots = apply(_K._lu_factor, (A,), _E)
    P, L, U = lu_unpack(LU, pivots)
    return linalg_lu((P, L, U))


def _check_lu_solve(LU, pivots, B, left):
    if LU._data.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor LU must have at least 2 dimensions.")
    if B._data.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    m, n = LU.shape[-2:]
    if m != n:
        raise RuntimeError(
            f"torch.linalg.lu_solve: A must be batches of square matrices, but they are {m} by "
            f"{n} matrices"
        )
    if pivots._dtype is not D.int32:
        raise RuntimeError(
            "linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32"
        )
    if LU._dtype is not B._dtype:
        raise RuntimeError(
            "linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type "
            f"{_tn(LU)} and B of type {_tn(B)} instead"
        )
    rows, cols = B.shape[-2:]
    if (left and rows != n) or (not left and cols != n):
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.lu_solve: Incompatible shapes of A and B for the equation {eq} "
            f"({n}x{n} and {rows}x{cols})"
        )
    _broadcast_batch(tuple(B.shape[:-2]), tuple(LU.shape[:-2]))


def lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):
    """Mirrors `torch.linalg.lu_solve`: the solution of A X = B (A^H X = B with adjoint, X A = B
    with left=False) for A = P L U given by lu_factor; two triangular solves and a
    permutation, all differentiable (in LU and B)."""
    from .linalg import solve_triangular

    _check_lu_solve(LU, pivots, B, left)
    P, L, U = lu_unpack(LU, pivots)
    Lh = L.mH
    Uh = U.mH
    if left and not adjoint:
        # A^-1 B = U^-1 L^-1 P^T B
        y = solve_triangular(L, P.mT @ B, upper=False, unitriangular=True)
        res = solve_triangular(U, y, upper=True)
    elif left:
        # A^-H B = P L^-H U^-H B
        y = solve_triangular(Uh, B, upper=False)
        res = P @ solve_triangular(Lh, y, upper=True, unitriangular=True)
    elif not adjoint:
        # B A^-1 = B U^-1 L^-1 P^T
        y = solve_triangular(U, B, upper=True, left=False)
        res = solve_triangular(L, y, upper=False, left=False, unitriangular=True) @ P.mT
    else:
        # B A^-H = B P L^-H U^-H
        y = solve_triangular(Lh, B @ P, upper=True, left=False, unitriangular=True)
        res = solve_triangular(Uh, y, upper=False, left=False)
    return _out(res, out)


@public("lu")
def _lu_public(A, pivot=True, get_infos=False, out=None):
    """Mirrors the deprecated `torch.lu` (and `Tensor.lu`): (LU, pivots), plus info with
    get_infos; it never raises for a singular matrix."""
    warnings.warn(
        "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex "
        "and will be removed in a future PyTorch release.\nLU, pivots = torch.lu(A, "
        "compute_pivots)\nshould be replaced with\nLU, pivots = torch.linalg.lu_factor(A, "
        "compute_pivots)\nand\nLU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)\n"
        "should be replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, "
        "compute_pivots)",
        UserWarning,
        stacklevel=2,
    )
    LU, pivots, info = _factor(A, pivot, "torch.lu_factor")
    if get_infos:
        return _lu_with_info((LU, pivots, info))
    return LU, pivots


@public("lu_solve")
def _lu_solve_public(input, LU_data, LU_pivots, *, out=None):
    """Mirrors the deprecated `torch.lu_solve(b, LU_data, LU_pivots)`."""
    warnings.warn(
        "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a "
        "future PyTorch release.\nNote that torch.linalg.lu_solve has its arguments reversed.\n"
        "X = torch.lu_solve(B, LU, pivots)\nshould be replaced with\n"
        "X = torch.linalg.lu_solve(LU, pivots, B)",
        UserWarning,
        stacklevel=2,
    )
    return lu_solve(LU_data, LU_pivots, input, out=out)


# ---------------------------------------------------------------- householder_product


def householder_product(A, tau, *, out=None):
    """Mirrors `torch.linalg.householder_product`: the first n columns of
    H_1 ... H_k with H_i = I - tau_i v_i v_i^H, v_i = (0, ..., 0, 1, A[i+1:, i]).

    Applied right to left on the first n columns of the identity, one rank-1 update per
    reflector, through differentiable ops (gradients in A and tau, as PyTorch's).
    """
    name = "torch.linalg.householder_product"
    if A._data.ndim < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if tau._data.ndim < 1:
        raise RuntimeError(f"{name}: tau must have at least 1 dimension.")
    m, n = A.shape[-2:]
    k = tau.shape[-1]
    if m < n:
        raise RuntimeError(
            f"{name}: input.shape[-2] must be greater than or equal to input.shape[-1]"
        )
    if n < k:
        raise RuntimeError(f"{name}: input.shape[-1] must be greater than or equal to "
                           "tau.shape[-1]")
    if A._data.ndim - tau._data.ndim != 1 or tuple(tau.shape[:-1]) != tuple(A.shape[:-2]):
        raise RuntimeError(
            f"{name}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got "
            f"{list(tau.shape[:-1])}"
        )
    if A._dtype._kind < 2 or A._dtype.itemsize < 4:
        raise NotImplementedError(f'"orgqr_cpu" not implemented for \'{_tn(A)}\'')
    if tau._dtype is not A._dtype:
        raise RuntimeError(
            f"{name}: tau dtype {_tn(tau)} does not match input dtype {_tn(A)}"
        )
    from ._creation import eye

    xp = A._device.xp
    Q = eye(m, n, dtype=A._dtype, device=A._device).expand(tuple(A.shape[:-2]) + (m, n))
    idx = np.arange(m)
    for i in range(k - 1, -1, -1):
        below = _wrap((idx > i).astype(A._data.dtype), A)
        unit = _wrap((idx == i).astype(A._data.dtype), A)
        v = A[..., :, i] * below + unit
        vh = v.conj() if A._dtype.is_complex else v
        coef = tau[..., i].unsqueeze(-1).unsqueeze(-1)
        Q = Q - coef * v.unsqueeze(-1) * (vh.unsqueeze(-2) @ Q)
    del xp
    if k == 0 and (A.requires_grad or tau.requires_grad):
        # no reflector: the identity, still an output of A and tau (zero gradients) as torch's
        Q = Q + A * 0 + (tau.sum(-1) * 0).unsqueeze(-1).unsqueeze(-1)
    return _out(Q, out)


@public("orgqr", method=False)
def orgqr(input, tau):
    """Mirrors `torch.orgqr`: `linalg.householder_product`."""
    return householder_product(input, tau)


@public("orgqr", function=False)
def _orgqr_method(self, input2):
    """Mirrors `torch.Tensor.orgqr`, whose tau argument is named `input2`."""
    return householder_product(self, input2)


@public("geqrf")
def geqrf(input, *, out=None):
    """Mirrors `torch.geqrf` (and `Tensor.geqrf`): LAPACK's compact QR, (a, tau), with the
    Householder reflectors below the diagonal of a and R on and above it. Not differentiable
    (torch has no derivative for it either); NumPy's qr(mode='raw') is geqrf, transposed."""
    if input._data.ndim < 2:
        raise RuntimeError(
            "torch.geqrf: input must have at least 2 dimensions."
        )
    if input._dtype._kind < 2 or input._dtype.itemsize < 4:
        raise NotImplementedError(f'"geqrf_cpu" not implemented for \'{_tn(input)}\'')
    xp = input._device.xp
    data = input._data
    m, n = data.shape[-2:]
    if data.size == 0:
        h = xp.swapaxes(xp.zeros(data.shape, dtype=data.dtype), -1, -2)
        tau = xp.zeros(data.shape[:-2] + (min(m, n),), dtype=data.dtype)
    else:
        h, tau = xp.linalg.qr(data, mode="raw")
    a = xp.ascontiguousarray(xp.swapaxes(h, -1, -2)).astype(data.dtype, copy=False)
    return _return_types.geqrf((_wrap(a, input), _wrap(tau.astype(data.dtype, copy=False),
                                                        input)))
