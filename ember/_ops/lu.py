"""The LU factorization op behind `ember.linalg.lu_factor` (and lu, lu_factor_ex, torch.lu).

NumPy exposes no LAPACK getrf, so the forward is Gaussian elimination with partial pivoting in
NumPy, vectorised over the batch (one loop over the columns). It follows getrf's conventions:
the pivot of a column is its first entry of largest magnitude (|re| + |im| for complex, as
izamax), pivots are 1-based int32 row interchanges, and a zero pivot leaves its column alone.
CUDA inputs are factored on the host and moved back.

The op's output is the packed LU matrix; the pivots ride along as its non-differentiable
`extra`. Its rule is the derivative of A = P L U for the unit-lower L and upper U held in the
packed output, written through `F` so a second derivative differentiates it again.
"""

import numpy as np

from ._registry import defop
from .decomp import _mH, _right_solve_h, _select


def lu_factor_arrays(a):
    """(LU, pivots, info) of a (..., m, n) float or complex array on the CPU."""
    m, n = a.shape[-2:]
    batch = a.shape[:-2]
    k = min(m, n)
    count = int(np.prod(batch, dtype=np.int64))
    lu = np.array(a, copy=True).reshape((count, m, n))
    rows = np.arange(count)
    pivots = np.empty((count, k), dtype=np.int32)
    info = np.zeros(count, dtype=np.int32)
    is_complex = lu.dtype.kind == "c"
    for j in range(k):
        col = lu[:, j:, j]
        # LAPACK's i?amax: |re| + |im| for complex entries; argmax takes the first maximum
        mag = np.abs(col.real) + np.abs(col.imag) if is_complex else np.abs(col)
        p = j + np.argmax(mag, axis=1) if count else np.zeros(0, dtype=np.int64)
        pivots[:, j] = p + 1
        swap = p != j
        if swap.any():
            top = lu[rows, j].copy()
            lu[rows, j] = lu[rows, p]
            lu[rows, p] = top
        pivot = lu[:, j, j]
        zero = pivot == 0
        info = np.where(zero & (info == 0), j + 1, info).astype(np.int32)
        if j + 1 >= m:
            continue
        # a zero pivot means the rest of the column is zero too: nothing to eliminate
        safe = np.where(zero, 1, pivot)
        factors = lu[:, j + 1:, j] * (1 / safe)[:, None]
        lu[:, j + 1:, j] = factors
        if j + 1 < n:
            lu[:, j + 1:, j + 1:] -= factors[:, :, None] * lu[:, j, None, j + 1:]
    return lu.reshape(a.shape), pivots.reshape(batch + (k,)), info.reshape(batch)


def permutation_arrays(xp, like, pivots):
    """The (..., m, m) matrix P of A = P L U from getrf's pivots, in the dtype of `like`."""
    m = like.shape[-2]
    piv = pivots.get() if hasattr(pivots, "get") else np.asarray(pivots)
    batch = piv.shape[:-1]
    flat = piv.reshape((int(np.prod(batch, dtype=np.int64)), piv.shape[-1]))
    perm = np.tile(np.arange(m), (flat.shape[0], 1))
    rows = np.arange(flat.shape[0])
    # replay the row interchanges on the row order: row i of P^T A is row perm[i] of A
    for i in range(flat.shape[1]):
        target = flat[:, i].astype(np.int64) - 1
        here = perm[:, i].copy()
        perm[:, i] = perm[rows, target]
        perm[rows, target] = here
    perm = perm.reshape(batch + (m,))
    eye = np.eye(m, dtype=np.dtype(like.dtype) if hasattr(like, "dtype") else np.float64)
    # P[perm[j], j] = 1: column j of P is the unit vector of row perm[j]
    p = np.swapaxes(eye[perm], -1, -2)
    return xp.asarray(p)


def _strict_lower(xp, like, k):
    return xp.tri(k, k, -1, dtype=like.dtype)


def _upper(xp, like, k):
    return 1 - xp.tri(k, k, -1, dtype=like.dtype)


def _eye(xp, like, k):
    return xp.eye(k, dtype=like.dtype)


@defop("linalg_lu_factor", promote=False, save_output=True, extra=True,
       grad_name="LinalgLuFactorExBackward0")
def _lu_factor(xp, a):
    host = a if xp is np else a.get()
    lu, pivots, _ = lu_factor_arrays(host)
    return xp.asarray(lu), xp.asarray(pivots)


@_lu_factor.defgrad
def _(F, g, out, a, need, extra):
    return (lu_backward(F, out, extra, g),)


def _square_part(F, LU, phi_extra_l, gL, gU, L, U, k):
    """L^-H (tril_{-1}(L^H gL + extra) + triu(gU U^H)) U^-H for square L, U of order k."""
    lower = F.matmul(_mH(F, L), gL)
    if phi_extra_l is not None:
        lower = lower - phi_extra_l
    upper = F.matmul(gU, _mH(F, U))
    phi = lower * F.linalg_const(_strict_lower, LU, k) + upper * F.linalg_const(_upper, LU, k)
    x = F.linalg_solve(_mH(F, L), phi, False)
    return _right_solve_h(F, x, U)


def lu_backward(F, LU, pivots, gLU):
    """The gradient of A from that of its packed factorization LU (A = P L U).

    Square: dA = P (dL U + L dU) and L^-1 P^T dA U^-1 = L^-1 dL + dU U^-1 splits into its
    strictly lower and upper parts, so gA = P L^-H (tril_{-1}(L^H gL) + triu(gU U^H)) U^-H.
    A wide A = [A1 | A2] adds U2 = L^-1 P^T A2; a tall one adds L2 = (P^T A)_2 U^-1.
    """
    m, n = LU.shape[-2:]
    k = min(m, n)
    P = F.linalg_const(permutation_arrays, LU, pivots)
    lower_mask = F.linalg_const(_strict_lower, LU, k)
    upper_mask = F.linalg_const(_upper, LU, k)
    eye = F.linalg_const(_eye, LU, k)
    if m == n:
        L = LU * lower_mask + eye
        U = LU * upper_mask
        top = _square_part(F, LU, None, gLU * lower_mask, gLU * upper_mask, L, U, k)
        return F.matmul(P, top)
    if m < n:
        # columns 0:m hold L and U1, columns m:n hold U2
        s1 = _select(F, LU, n, 0, m)
        s2 = _select(F, LU, n, m, n)
        LU1 = F.matmul(LU, s1)
        L = LU1 * lower_mask + eye
        U1 = LU1 * upper_mask
        U2 = F.matmul(LU, s2)
        g1 = F.matmul(gLU, s1)
        gU2 = F.matmul(gLU, s2)
        # U2 = L^-1 P^T A2: its gradient reaches L as -L^-H gU2 U2^H
        extra = F.matmul(gU2, _mH(F, U2))
        ga1 = _square_part(F, LU, extra, g1 * lower_mask, g1 * upper_mask, L, U1, k)
        ga2 = F.linalg_solve(_mH(F, L), gU2, False)
        ga = F.matmul(ga1, F.swapaxes(s1, -1, -2)) + F.matmul(ga2, F.swapaxes(s2, -1, -2))
        return F.matmul(P, ga)
    # tall: rows 0:n hold L1 and U, rows n:m hold L2
    r1 = F.swapaxes(_select(F, LU, m, 0, n), -1, -2)
    r2 = F.swapaxes(_select(F, LU, m, n, m), -1, -2)
    LU1 = F.matmul(r1, LU)
    L1 = LU1 * lower_mask + eye
    U = LU1 * upper_mask
    L2 = F.matmul(r2, LU)
    g1 = F.matmul(r1, gLU)
    gL2 = F.matmul(r2, gLU)
    # L2 = (P^T A)_2 U^-1: its gradient reaches U as -L2^H gL2 U^-H, i.e. gU U^H - L2^H gL2
    gU = g1 * upper_mask - _right_solve_h(F, F.matmul(_mH(F, L2), gL2), U)
    top = _square_part(F, LU, None, g1 * lower_mask, gU, L1, U, k)
    bottom = _right_solve_h(F, gL2, U)
    ga = F.matmul(F.swapaxes(r1, -1, -2), top) + F.matmul(F.swapaxes(r2, -1, -2), bottom)
    return F.matmul(P, ga)
