"""torch.linalg.ldl_factor, ldl_factor_ex and ldl_solve: the Bunch-Kaufman LDL^T factorization
of symmetric (or Hermitian) matrices, in LAPACK's ?sytrf/?hetrf format.

PyTorch calls LAPACK's sytrf with uplo='L'; these kernels follow its unblocked algorithm
(?sytf2, which sytrf itself uses for n <= 64) step for step, so LD and the pivots agree with
PyTorch's: LD holds the unit lower triangular L below the diagonal and the 1x1 and 2x2 blocks
of D on it (and on the subdiagonal for a 2x2 block); the upper triangle is zero. The pivots are
1-based int32: pivots[k] = p > 0 means row and column k were swapped with p and D[k, k] is a
1x1 block; pivots[k] = pivots[k+1] = -p < 0 mark a 2x2 block, rows k+1 and p swapped.
Beyond n = 64 LAPACK's blocked code may round differently (same pivots in practice).

Each matrix of a batch is factored on its own (pivot choices differ between them); the
updates of the trailing submatrix are vectorised.
"""

import math

import numpy as np

_ALPHA = (1.0 + math.sqrt(17.0)) / 8.0


def _cabs1(v, complex_):
    # LAPACK compares |Re| + |Im| for complex entries (cheaper than the modulus)
    return (np.abs(v.real) + np.abs(v.imag)) if complex_ else np.abs(v)


def _first_argmax(v):
    # IDAMAX / IZAMAX: the first index of the largest value (nan never wins a comparison, and
    # LAPACK's loop keeps the first element then)
    if v.size == 0:
        return 0
    finite = np.where(np.isnan(v), -np.inf, v)
    return int(np.argmax(finite))


def sytf2(a, hermitian):
    """Factor one n x n matrix (its lower triangle is read) in place. Returns (ipiv as
    1-based int32 array, info)."""
    n = a.shape[0]
    cplx = np.iscomplexobj(a)
    herm = hermitian and cplx
    conj = np.conj if herm else (lambda v: v)
    ipiv = np.zeros(n, dtype=np.int32)
    info = 0
    if herm:
        # the diagonal of a Hermitian matrix is real
        idx = np.arange(n)
        a[idx, idx] = a[idx, idx].real
    k = 0
    while k < n:
        kstep = 1
        absakk = abs(a[k, k].real) if herm else _cabs1(a[k, k], cplx)
        if k < n - 1:
            col = _cabs1(a[k + 1:, k], cplx)
            imax = k + 1 + _first_argmax(col)
            colmax = col[imax - k - 1]
        else:
            imax = k
            colmax = 0.0
        if max(absakk, colmax) == 0 or math.isnan(absakk):
            # a zero column: D[k, k] = 0, no interchange
            if info == 0:
                info = k + 1
            kp = k
        else:
            if absakk >= _ALPHA * colmax:
                kp = k
            else:
                # the largest off-diagonal entry in row (and column) imax
                row = _cabs1(a[imax, k:imax], cplx)
                jmax = k + _first_argmax(row)
                rowmax = row[jmax - k]
                if imax < n - 1:
                    below = _cabs1(a[imax + 1:, imax], cplx)
                    jmax = imax + 1 + _first_argmax(below)
                    rowmax = max(rowmax, below[jmax - imax - 1])
                diag_imax = abs(a[imax, imax].real) if herm else _cabs1(a[imax, imax], cplx)
                if absakk >= _ALPHA * colmax * (colmax / rowmax):
                    kp = k
                elif diag_imax >= _ALPHA * rowmax:
                    kp = imax
                else:
                    kp = imax
                    kstep = 2
            kk = k + kstep - 1
            if kp != kk:
                _interchange(a, kk, kp, herm)
                if kstep == 2:
                    a[k + 1, k], a[kp, k] = a[kp, k], a[k + 1, k]
            if kstep == 1:
                _update_1x1(a, k, herm, conj)
            else:
                _update_2x2(a, k, herm, conj)
        if kstep == 1:
            ipiv[k] = kp + 1
        else:
            ipiv[k] = ipiv[k + 1] = -(kp + 1)
        k += kstep
    return ipiv, info


def _interchange(a, kk, kp, herm):
    """Swap rows and columns kk < kp of the trailing lower triangle."""
    n = a.shape[0]
    if kp < n - 1:
        tmp = a[kp + 1:, kk].copy()
        a[kp + 1:, kk] = a[kp + 1:, kp]
        a[kp + 1:, kp] = tmp
    seg = slice(kk + 1, kp)
    tmp = a[seg, kk].copy()
    if herm:
        a[seg, kk] = np.conj(a[kp, seg])
        a[kp, seg] = np.conj(tmp)
        a[kp, kk] = np.conj(a[kp, kk])
    else:
        a[seg, kk] = a[kp, seg]
        a[kp, seg] = tmp
    a[kk, kk], a[kp, kp] = a[kp, kp], a[kk, kk]


def _update_1x1(a, k, herm, conj):
    n = a.shape[0]
    if k >= n - 1:
        return
    r1 = 1.0 / (a[k, k].real if herm else a[k, k])
    x = a[k + 1:, k].copy()
    # A(k+1:, k+1:) -= r1 x x^T (x x^H when Hermitian), lower triangle
    upd = r1 * np.outer(x, conj(x))
    sub = a[k + 1:, k + 1:]
    sub -= np.tril(upd)
    if herm:
        d = np.arange(sub.shape[0])
        sub[d, d] = sub[d, d].real
    a[k + 1:, k] = x * r1


def _update_2x2(a, k, herm, conj):
    n = a.shape[0]
    if k >= n - 2:
        return
    if herm:
        d = abs(a[k + 1, k])
        d11 = a[k + 1, k + 1].real / d
        d22 = a[k, k].real / d
        tt = 1.0 / (d11 * d22 - 1.0)
        d21 = a[k + 1, k] / d
        d = tt / d
        wk = d * (d11 * a[k + 2:, k] - d21 * a[k + 2:, k + 1])
        wkp1 = d * (d22 * a[k + 2:, k + 1] - np.conj(d21) * a[k + 2:, k])
    else:
        d21 = a[k + 1, k]
        d11 = a[k + 1, k + 1] / d21
        d22 = a[k, k] / d21
        t = 1.0 / (d11 * d22 - 1.0)
        d21 = t / d21
        wk = d21 * (d11 * a[k + 2:, k] - a[k + 2:, k + 1])
        wkp1 = d21 * (d22 * a[k + 2:, k + 1] - a[k + 2:, k])
    ck = a[k + 2:, k].copy()
    ck1 = a[k + 2:, k + 1].copy()
    # A(j:, j) -= A(j:, k) wk_j + A(j:, k+1) wkp1_j for every j >= k+2 (lower triangle)
    upd = np.outer(ck, conj(wk)) + np.outer(ck1, conj(wkp1))
    sub = a[k + 2:, k + 2:]
    sub -= np.tril(upd)
    if herm:
        dd = np.arange(sub.shape[0])
        sub[dd, dd] = sub[dd, dd].real
    a[k + 2:, k] = wk
    a[k + 2:, k + 1] = wkp1


def factor(arr, hermitian):
    """(LD, pivots, info) of a batch of matrices (..., n, n)."""
    shape = arr.shape
    n = shape[-1]
    batch = int(np.prod(shape[:-2], dtype=np.int64))
    flat = np.array(arr.reshape((batch, n, n)), copy=True)
    piv = np.zeros(flat.shape[:-1], dtype=np.int32)
    info = np.zeros(flat.shape[0], dtype=np.int32)
    for b in range(flat.shape[0]):
        m = np.tril(flat[b])
        piv[b], info[b] = sytf2(m, hermitian)
        flat[b] = m
    return flat.reshape(shape), piv.reshape(shape[:-1]), info.reshape(shape[:-2])


def sytrs(ld, ipiv, b, hermitian):
    """Solve A X = B for one factored matrix (LAPACK ?sytrs / ?hetrs, lower); b: (n, k)."""
    n = ld.shape[0]
    herm = hermitian and np.iscomplexobj(ld)
    conj = np.conj if herm else (lambda v: v)
    b = b.copy()
    # L D Y = P^T B, walking down
    k = 0
    while k < n:
        if ipiv[k] > 0:
            kp = ipiv[k] - 1
            if kp != k:
                b[[k, kp]] = b[[kp, k]]
            b[k + 1:] -= np.outer(ld[k + 1:, k], b[k])
            b[k] = b[k] / (ld[k, k].real if herm else ld[k, k])
            k += 1
        else:
            kp = -ipiv[k] - 1
            if kp != k + 1:
                b[[k + 1, kp]] = b[[kp, k + 1]]
            if k < n - 2:
                b[k + 2:] -= np.outer(ld[k + 2:, k], b[k])
                b[k + 2:] -= np.outer(ld[k + 2:, k + 1], b[k + 1])
            akm1k = ld[k + 1, k]
            akm1 = ld[k, k] / (conj(akm1k))
            ak = ld[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1.0
            bkm1 = b[k] / conj(akm1k)
            bk = b[k + 1] / akm1k
            b[k] = (ak * bkm1 - bk) / denom
            b[k + 1] = (akm1 * bk - bkm1) / denom
            k += 2
    # L^T X = Y (L^H when Hermitian), walking up
    k = n - 1
    while k >= 0:
        if ipiv[k] > 0:
            if k < n - 1:
                b[k] -= conj(ld[k + 1:, k]) @ b[k + 1:]
            kp = ipiv[k] - 1
            if kp != k:
                b[[k, kp]] = b[[kp, k]]
            k -= 1
        else:
            if k < n - 1:
                b[k] -= conj(ld[k + 1:, k]) @ b[k + 1:]
                b[k - 1] -= conj(ld[k + 1:, k - 1]) @ b[k + 1:]
            kp = -ipiv[k] - 1
            if kp != k:
                b[[k, kp]] = b[[kp, k]]
            k -= 2
    return b


def solve(ld, piv, b, hermitian):
    """X for batches (broadcast already) ld (..., n, n), piv (..., n), b (..., n, k)."""
    n = ld.shape[-1]
    out = np.empty(b.shape, dtype=np.result_type(ld, b))
    batch = int(np.prod(b.shape[:-2], dtype=np.int64))
    fl = ld.reshape((batch, n, n))
    fp = piv.reshape((batch, n))
    fb = b.reshape((batch,) + b.shape[-2:]).astype(out.dtype, copy=False)
    fo = out.reshape((batch,) + b.shape[-2:])
    for i in range(fl.shape[0]):
        fo[i] = sytrs(fl[i], fp[i], fb[i], hermitian)
    return out


# ================================================================ the graph node
# PyTorch records a node (named NotImplemented) for ldl_factor_ex whose backward raises; the factorization itself is
# computed outside the op (it needs per-matrix pivoting), the op only carries the result
from ._registry import defop


@defop("linalg_ldl_factor_ex", promote=False, grad_name="NotImplemented")
def ldl_node(xp, a, ld=None):
    return ld


@ldl_node.defgrad
def _(F, g, out, a, need, extra, ld=None):
    raise RuntimeError("derivative for aten::linalg_ldl_factor_ex is not implemented")
