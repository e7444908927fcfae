"""The factorization ops behind `ember.linalg` (inv, det, slogdet, solve, cholesky, qr, svd,
eigh) and vector_norm: forwards on raw arrays (NumPy's or CuPy's LAPACK) and backward rules.

A decomposition with several differentiable outputs (qr, svd, eigh) is one op per output, all
computing the same factorization; backward is linear in the output gradients, so each op's rule
is the full rule with the other output gradients set to zero, and their sum is the full
gradient. Rules recompute the factorization through `F` (`F.linalg_qr`, ...), so a second
derivative differentiates through it again. Constants a rule needs (masks, identities) come from
`F.linalg_const`, which computes them on raw data in both namespaces.
"""

import math

import numpy as np

from ._namespace import register_ns
from ._registry import defop


def _L():
    # the public functions (ember.linalg) that the Tensor namespace calls back into
    from .. import linalg

    return linalg


def _xp_of(a):
    from .._device import device_of_array

    return device_of_array(a).xp


def _mH(F, x):
    return F.conj(F.swapaxes(x, -1, -2))


def _const_arrays(fn, *args):
    return fn(_xp_of(args[0]), *args)


def _const_tensors(fn, *args):
    # a non-differentiable value (a mask, a count) computed on the raw data
    from .._tensor import Tensor, _new_tensor

    first = args[0]
    raw = [a._data if isinstance(a, Tensor) else a for a in args]
    out = fn(first._device.xp, *raw)
    from ._registry import np_to_dtype

    out = first._device.xp.asarray(out)
    return _new_tensor(out, np_to_dtype(out), first._device)


register_ns("linalg_const", _const_arrays, _const_tensors)


def _tril_mask(xp, like, k=0, diag=1.0):
    """tril of ones (offset k) with `diag` on the main diagonal; dtype and batch of `like`."""
    n, m = like.shape[-2:]
    mask = xp.tri(n, m, k, dtype=like.dtype)
    if diag != 1.0 and k >= 0:
        mask = mask - (1.0 - diag) * xp.eye(n, m, dtype=like.dtype)
    return mask


def _tril(F, x, k=0):
    return x * F.linalg_const(_tril_mask, x, k)


def _solve_arrays(A, B, vec):
    xp = _xp_of(A)
    if vec:
        B = B[..., None]
    if xp is not np:
        # CuPy neither broadcasts the batch dimensions nor reports a singular matrix unless
        # asked (it returns inf/nan); NumPy does both
        batch = np.broadcast_shapes(A.shape[:-2], B.shape[:-2])
        A = xp.broadcast_to(A, batch + A.shape[-2:])
        B = xp.broadcast_to(B, batch + B.shape[-2:])
        with _raising_linalg():
            X = xp.linalg.solve(A, B)
    else:
        X = xp.linalg.solve(A, B)
    return X[..., 0] if vec else X


def _raising_linalg():
    """A context in which CuPy's solvers raise numpy.linalg.LinAlgError on a singular matrix,
    as NumPy's do (one wait for the device; torch's CUDA solvers check too)."""
    import contextlib

    import cupyx

    errstate = getattr(cupyx, "errstate", None)
    return errstate(linalg="raise") if errstate else contextlib.nullcontext()


def _inv_arrays(A):
    xp = _xp_of(A)
    if xp is np:
        return np.linalg.inv(A)
    with _raising_linalg():
        return xp.linalg.inv(A)


def _qr_arrays(A, mode):
    xp = _xp_of(A)
    if mode == "r":
        return xp.zeros((0,), A.dtype), xp.linalg.qr(A, mode="r")
    return xp.linalg.qr(A, mode=mode)


def _svd_arrays(A, full_matrices):
    return _xp_of(A).linalg.svd(A, full_matrices=full_matrices)


def _eigh_arrays(A, UPLO):
    return _xp_of(A).linalg.eigh(A, UPLO=UPLO)


register_ns("linalg_inv", _inv_arrays, lambda A: _L().inv(A))


register_ns("linalg_solve", _solve_arrays, lambda A, B, vec: _L()._solve(A, B, vec))


register_ns("linalg_qr", _qr_arrays, lambda A, mode: tuple(_L().qr(A, mode)))


register_ns("linalg_svd", _svd_arrays, lambda A, fm: tuple(_L().svd(A, full_matrices=fm)))


register_ns("linalg_eigh", _eigh_arrays, lambda A, UPLO: tuple(_L().eigh(A, UPLO)))


@defop("linalg_inv", promote=False, save_output=True, grad_name="LinalgInvExBackward0")
def _inv(xp, a):
    return xp.linalg.inv(a)


@_inv.defgrad
def _(F, g, out, a, need, extra):
    # d(A^-1) = -A^-1 dA A^-1
    ih = _mH(F, out)
    return (-F.matmul(F.matmul(ih, g), ih),)


@defop("linalg_det", promote=False, save_inputs=True, save_output=True)
def _det(xp, a):
    # large matrices: torch's blocked LU rounds differently anyway, NumPy's det is faster
    if xp is np and 0 < a.shape[-1] <= 64:
        return _det_by_lu(a)
    return xp.asarray(xp.linalg.det(a))


def _fused_sub(c, a, b):
    """c - a * b rounded once, as the fused multiply-add of an optimised LAPACK computes it."""
    if c.dtype == np.float32:
        # the float64 product of two float32 numbers is exact: one rounding at the end
        exact = c.astype(np.float64) - a.astype(np.float64) * b.astype(np.float64)
        return exact.astype(np.float32)
    if c.dtype != np.float64:
        return c - a * b
    # float64: the product's rounding error recovered exactly (Dekker's two-product)
    p = a * b
    split = 134217729.0  # 2**27 + 1
    t = split * a
    a_hi = t - (t - a)
    a_lo = a - a_hi
    t = split * b
    b_hi = t - (t - b)
    b_lo = b - b_hi
    err = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    # c - p exactly as s + e (Knuth's two-sum), then the small terms folded in
    s = c - p
    bb = s - c
    e = (c - (s - bb)) + (-p - bb)
    with np.errstate(invalid="ignore", over="ignore"):
        out = s + (e - err)
    # inf or nan (overflow in the splitting) falls back to the plain expression
    bad = ~np.isfinite(out)
    if bad.any():
        out[bad] = (c - a * b)[bad]
    return out


def _det_by_lu(a):
    """det(A) as the signed product of the LU pivots, as PyTorch (LAPACK getrf) computes it.

    NumPy's `det` goes through the log-determinant, exp(sum(log|u_ii|)), so an integer
    matrix's determinant prints as 43.0000 instead of 43. Elimination with partial pivoting
    reproduces the rounding of torch's getrf on most small matrices.
    """
    n = a.shape[-1]
    batch = a.shape[:-2]
    # torch hands LAPACK its row-major matrix as a column-major one, so it factors A^T
    # (the same determinant, rounded differently)
    lu = np.array(np.swapaxes(a, -1, -2), copy=True).reshape((-1, n, n))
    rows = np.arange(lu.shape[0])
    sign = np.ones(lu.shape[0], dtype=lu.dtype)
    for k in range(n):
        p = k + np.argmax(np.abs(lu[:, k:, k]), axis=1)
        swap = p != k
        if swap.any():
            top = lu[rows, k].copy()
            lu[rows, k] = lu[rows, p]
            lu[rows, p] = top
            sign = np.where(swap, -sign, sign)
        pivot = lu[:, k, k]
        with np.errstate(divide="ignore", invalid="ignore"):
            if n - k - 1 == 1:
                factors = lu[:, k + 1:, k] / pivot[:, None]
            else:
                # a longer column is scaled by the pivot's reciprocal (LAPACK's dscal)
                factors = lu[:, k + 1:, k] * (1 / pivot)[:, None]
        # a zero pivot means a zero column: nothing to eliminate, and the determinant is 0
        factors[pivot == 0] = 0
        lu[:, k + 1:, k + 1:] = _fused_sub(lu[:, k + 1:, k + 1:], factors[:, :, None],
                                           lu[:, k, None, k + 1:])
    diag = np.diagonal(lu, axis1=1, axis2=2)
    det = sign * np.prod(diag, axis=1)
    return det.reshape(batch).astype(a.dtype)


@_det.defgrad
def _(F, g, out, a, need, extra):
    # d det(A) = det(A) tr(A^-1 dA): the gradient is g * conj(det(A) A^-T)
    if a.shape[-1] == 1:
        # det of a 1x1 matrix is its entry: a constant cofactor (and no second derivative)
        cof = F.linalg_const(_ones_like, a)
    else:
        cof = F.linalg_cofactor(a)
    return (F.expand_dims(F.expand_dims(g, -1), -1) * F.conj(cof),)


def _ones_like(xp, a):
    return xp.ones(a.shape, dtype=a.dtype)


def _cofactor_arrays(A):
    """det(A) * A^-T, also for singular matrices (through the SVD)."""
    xp = _xp_of(A)
    try:
        return xp.linalg.det(A)[..., None, None] * xp.swapaxes(_inv_arrays(A), -1, -2)
    except np.linalg.LinAlgError:
        pass
    # adj(A)^T with A = U S Vh: det(U) det(Vh) * U diag(prod_{j != i} s_j) Vh
    U, S, Vh = xp.linalg.svd(A)
    n = S.shape[-1]
    ones = xp.ones(S.shape[:-1] + (1,), dtype=S.dtype)
    left = xp.cumprod(xp.concatenate([ones, S[..., :-1]], -1), -1)
    right = xp.flip(xp.cumprod(xp.concatenate([ones, xp.flip(S, -1)[..., :-1]], -1), -1), -1)
    others = left * right
    scale = (xp.linalg.det(U) * xp.linalg.det(Vh))[..., None] * others
    del n
    return xp.conj(xp.matmul(U * scale[..., None, :], Vh))


def _cofactor_tensors(A):
    """det(A) * A^-T as differentiable Tensor ops (a second derivative), also for singular
    matrices: there through the SVD, like PyTorch's double backward of det."""
    L = _L()
    try:
        return L.det(A)[..., None, None] * L.inv(A).mT
    except L.LinAlgError:
        pass
    import ember

    U, S, Vh = L.svd(A)
    # prod_{j != i} s_j from running products from the left and from the right (no division,
    # so zero singular values are fine)
    ones = ember.ones_like(S[..., :1])
    left = ember.cumprod(ember.cat([ones, S[..., :-1]], -1), -1)
    right = ember.cumprod(ember.cat([ones, S.flip(-1)[..., :-1]], -1), -1).flip(-1)
    scale = (L.det(U) * L.det(Vh))[..., None] * (left * right)
    return ember.matmul(U * scale[..., None, :], Vh).conj()


register_ns("linalg_cofactor", _cofactor_arrays, _cofactor_tensors)


@defop("linalg_slogdet", promote=False, save_inputs=True, extra=True)
def _slogdet(xp, a):
    sign, logabs = xp.linalg.slogdet(a)
    return xp.asarray(logabs), xp.asarray(sign)


@_slogdet.defgrad
def _(F, g, out, a, need, extra):
    # d log|det A| = Re tr(A^-1 dA): the gradient is g * A^-H (the sign is not differentiated)
    ih = _mH(F, F.linalg_inv(a))
    return (F.expand_dims(F.expand_dims(g, -1), -1) * ih,)


@defop("linalg_solve", promote=False, save_inputs=True, save_output=True,
       grad_name="LinalgSolveExBackward0")
def _solve_op(xp, a, b, vec):
    if vec:
        b = b[..., None]
    if xp is not np and a.shape[:-2] != b.shape[:-2]:
        # CuPy's solve wants equal batch dimensions; NumPy (and PyTorch) broadcast them
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        a = xp.broadcast_to(a, batch + a.shape[-2:])
        b = xp.broadcast_to(b, batch + b.shape[-2:])
    out = xp.linalg.solve(a, b)
    return out[..., 0] if vec else out


@_solve_op.defgrad
def _(F, g, out, a, b, need, extra, vec):
    # X = A^-1 B: gB = A^-H g, gA = -gB X^H
    gb = F.linalg_solve(_mH(F, a), g, vec)
    ga = None
    if need[0]:
        if vec:
            ga = -F.expand_dims(gb, -1) * F.expand_dims(F.conj(out), -2)
        else:
            ga = -F.matmul(gb, _mH(F, out))
        ga = F.sum_to(ga, a.shape)
    return ga, (F.sum_to(gb, b.shape) if need[1] else None)


@defop("linalg_cholesky", promote=False, save_output=True, grad_name="LinalgCholeskyExBackward0")
def _cholesky(xp, a):
    return xp.linalg.cholesky(a)


@_cholesky.defgrad
def _(F, g, out, a, need, extra):
    # A = L L^H: gA = sym(L^-H Phi(L^H gL) L^-1), Phi = lower triangle with a halved diagonal
    L = out
    phi = F.matmul(_mH(F, L), g)
    phi = phi * F.linalg_const(_tril_mask, phi, 0, 0.5)
    linv = F.linalg_inv(L)
    s = F.matmul(F.matmul(_mH(F, linv), phi), linv)
    return ((s + _mH(F, s)) * 0.5,)


def _select(F, like, n, start, stop):
    """The constant (n, stop - start) matrix that picks columns start:stop by a product."""
    return F.linalg_const(_select_mask, like, n, start, stop)


def _select_mask(xp, like, n, start, stop):
    return xp.eye(n, dtype=like.dtype)[:, start:stop]


def _right_solve_h(F, x, R):
    """x R^-H, through a solve with R (square, triangular)."""
    return _mH(F, F.linalg_solve(R, _mH(F, x), False))


def _qr_backward(F, Q, R, gQ, gR):
    """Gradient of A = QR (A m x n with m >= n, Q m x n, R n x n) for gQ, gR (either None)."""
    term = None
    if gR is not None:
        rdr = F.matmul(R, _mH(F, gR))
        term = rdr - _mH(F, rdr)
    if gQ is not None:
        qdq = F.matmul(_mH(F, Q), gQ)
        skew = qdq - _mH(F, qdq)
        term = skew if term is None else term + skew
    inner = _right_solve_h(F, _tril(F, term), R)
    if gR is not None:
        inner = inner + gR
    ga = F.matmul(Q, inner)
    if gQ is not None:
        ga = ga + _right_solve_h(F, gQ - F.matmul(Q, qdq), R)
    if _is_complex(Q):
        # complex QR: the imaginary part of diag(R gR^H - gQ^H Q) is not fixed by the
        # triangular structure; add it back (the phase convention of a real diagonal R)
        m = None
        if gR is not None:
            m = rdr
        if gQ is not None:
            m = -_mH(F, qdq) if m is None else m - _mH(F, qdq)
        eyem = m * F.linalg_const(_eye_mask, m, m.shape[-1])
        correction = eyem - F.real(eyem)
        ga = ga + _right_solve_h(F, F.matmul(Q, _mH(F, correction)), R)
    return ga


def _is_complex(x):
    dt = x.dtype
    return getattr(dt, "kind", None) == "c" or getattr(dt, "is_complex", False)


def _qr_grad(F, a, mode, gQ, gR):
    if mode == "r":
        raise RuntimeError(
            "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
            "Please use linalg.qr(A, mode='reduced') if you are going to differentiate through "
            "linalg.qr."
        )
    m, n = a.shape[-2:]
    if mode == "complete" and m > n:
        raise RuntimeError(
            "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."
        )
    Q, R = F.linalg_qr(a, mode)
    if m >= n:
        return _qr_backward(F, Q, R, gQ, gR)
    # wide A = [X | Y] with X = Q U square: R = [U | V] and Y = Q V
    sx = _select(F, a, n, 0, m)
    sy = _select(F, a, n, m, n)
    Y = F.matmul(a, sy)
    U = F.matmul(R, sx)
    gU = gY = None
    if gR is not None:
        gU = F.matmul(gR, sx)
        gV = F.matmul(gR, sy)
        gY = F.matmul(Q, gV)
        extra_q = F.matmul(Y, _mH(F, gV))
        gQ = extra_q if gQ is None else gQ + extra_q
    gX = _qr_backward(F, Q, U, gQ, gU)
    ga = F.matmul(gX, F.swapaxes(sx, -1, -2))
    if gY is not None:
        ga = ga + F.matmul(gY, F.swapaxes(sy, -1, -2))
    return ga


@defop("linalg_qr_q", promote=False, save_inputs=True, grad_name="LinalgQrBackward0")
def _qr_q(xp, a, mode):
    return xp.linalg.qr(a, mode=mode)[0]


@_qr_q.defgrad
def _(F, g, out, a, need, extra, mode):
    return (_qr_grad(F, a, mode, g, None),)


@defop("linalg_qr_r", promote=False, save_inputs=True, grad_name="LinalgQrBackward0")
def _qr_r(xp, a, mode):
    if mode == "r":
        return xp.linalg.qr(a, mode="r")
    return xp.linalg.qr(a, mode=mode)[1]


@_qr_r.defgrad
def _(F, g, out, a, need, extra, mode):
    return (_qr_grad(F, a, mode, None, g),)


def _svd_grad(F, a, full_matrices, gU, gS, gVh):
    """Gradient of the (reduced) SVD A = U diag(S) Vh for any of gU, gS, gVh (others None)."""
    m, n = a.shape[-2:]
    k = min(m, n)
    U, S, Vh = F.linalg_svd(a, False)
    if full_matrices and gU is not None and m > k:
        gU = F.matmul(gU, _select(F, a, m, 0, k))
    if full_matrices and gVh is not None and n > k:
        gVh = F.matmul(F.swapaxes(_select(F, a, n, 0, k), -1, -2), gVh)
    if gU is None and gVh is None:
        return F.matmul(U * F.expand_dims(gS, -2), Vh)
    V = _mH(F, Vh)
    # F_ij = 1 / (s_j^2 - s_i^2) off the diagonal, 0 on it
    s2 = S * S
    eye = F.linalg_const(_eye_mask, S, k)
    diff = F.expand_dims(s2, -2) - F.expand_dims(s2, -1)
    finv = (1 - eye) / (diff + eye)
    inner = None
    if gS is not None:
        inner = eye * F.expand_dims(gS, -2)
    if gU is not None:
        uhgu = F.matmul(_mH(F, U), gU)
        j = finv * (uhgu - _mH(F, uhgu))
        t = j * F.expand_dims(S, -2)
        inner = t if inner is None else inner + t
    if gVh is not None:
        gV = _mH(F, gVh)
        vhgv = F.matmul(_mH(F, V), gV)
        kk = finv * (vhgv - _mH(F, vhgv))
        t = F.expand_dims(S, -1) * kk
        inner = t if inner is None else inner + t
    ga = F.matmul(F.matmul(U, inner), Vh)
    sinv = 1 / F.expand_dims(S, -2)
    if gU is not None and m > k:
        # the part of gU outside the column space of U
        proj = gU - F.matmul(U, F.matmul(_mH(F, U), gU))
        ga = ga + F.matmul(proj * sinv, Vh)
    if gVh is not None and n > k:
        proj = gV - F.matmul(V, F.matmul(Vh, gV))
        ga = ga + F.matmul(U * sinv, _mH(F, proj))
    return ga


def _eye_mask(xp, like, k):
    return xp.eye(k, dtype=like.dtype)


def _svd_op(name, index):
    def fwd(xp, a, full_matrices):
        if index == 1:
            return xp.linalg.svd(a, compute_uv=False)
        return xp.linalg.svd(a, full_matrices=full_matrices)[index]

    op = defop(name, promote=False, save_inputs=True, grad_name="LinalgSvdBackward0")(fwd)

    def rule(F, g, out, a, need, extra, full_matrices):
        gs = [None, None, None]
        gs[index] = g
        return (_svd_grad(F, a, full_matrices, *gs),)

    op.defgrad(rule)
    return op


_svd_u = _svd_op("linalg_svd_u", 0)


_svd_s = _svd_op("linalg_svd_s", 1)


_svd_vh = _svd_op("linalg_svd_vh", 2)


def _eigh_grad(F, a, UPLO, gL, gV):
    L, V = F.linalg_eigh(a, UPLO)
    n = a.shape[-1]
    eye = F.linalg_const(_eye_mask, L, n)
    inner = None
    if gV is not None:
        vhgv = F.matmul(_mH(F, V), gV)
        # project onto skew-Hermitian matrices, then divide by E_ij = L_j - L_i off the diagonal
        skew = (vhgv - _mH(F, vhgv)) * 0.5
        diff = F.expand_dims(L, -2) - F.expand_dims(L, -1)
        inner = skew * ((1 - eye) / (diff + eye))
    if gL is not None:
        d = eye * F.expand_dims(gL, -2)
        inner = d if inner is None else inner + d
    return F.matmul(F.matmul(V, inner), _mH(F, V))


@defop("linalg_eigh_l", promote=False, save_inputs=True, grad_name="LinalgEighBackward0")
def _eigh_l(xp, a, UPLO):
    return xp.linalg.eigvalsh(a, UPLO=UPLO)


@_eigh_l.defgrad
def _(F, g, out, a, need, extra, UPLO):
    return (_eigh_grad(F, a, UPLO, g, None),)


@defop("linalg_eigh_v", promote=False, save_inputs=True, grad_name="LinalgEighBackward0")
def _eigh_v(xp, a, UPLO):
    return xp.linalg.eigh(a, UPLO=UPLO)[1]


@_eigh_v.defgrad
def _(F, g, out, a, need, extra, UPLO):
    return (_eigh_grad(F, a, UPLO, None, g),)


@defop("linalg_vector_norm", promote=False, save_inputs=True, save_output=True)
def _vector_norm(xp, x, ord, axis, keepdims):
    if x.dtype.itemsize == 2 and x.dtype.kind != "i" and x.dtype.kind != "u":
        # float16 and bfloat16 accumulate in float32, as torch's kernels do: 60000 ** 2
        # overflows float16 though the norm fits
        low = x.dtype
        return _norm_kernel(xp, x.astype(np.float32), ord, axis, keepdims).astype(low)
    return _norm_kernel(xp, x, ord, axis, keepdims)


def _norm_kernel(xp, x, ord, axis, keepdims):
    ax = xp.abs(x)
    if ord == 2:
        sq = ax * ax if x.dtype.kind == "c" else x * x
        return xp.sqrt(sq.sum(axis=axis, keepdims=keepdims))
    if ord == math.inf:
        return ax.max(axis=axis, keepdims=keepdims)
    if ord == -math.inf:
        return ax.min(axis=axis, keepdims=keepdims)
    if ord == 0:
        return (ax != 0).sum(axis=axis, keepdims=keepdims).astype(ax.dtype)
    if ord == 1:
        return ax.sum(axis=axis, keepdims=keepdims)
    return (ax ** ord).sum(axis=axis, keepdims=keepdims) ** (1.0 / ord)


@_vector_norm.defgrad
def _(F, g, out, x, need, extra, ord, axis, keepdims):
    shape = x.shape
    gk = F.unsqueeze_reduced(g, shape, axis, keepdims)
    nk = F.unsqueeze_reduced(out, shape, axis, keepdims)
    if ord == 0:
        # the 0-"norm" counts nonzeros: PyTorch gives no gradient at all (None)
        return (None,)
    if ord == math.inf or ord == -math.inf:
        # the gradient goes to the entries of largest (smallest) magnitude, shared among ties
        mask = F.linalg_const(_extreme_mask, x, nk, axis)
        return (x / (nk + F.linalg_const(_zero_mask, nk)) * mask * gk,)
    nz = 1 - F.linalg_const(_zero_mask, nk)
    safe = nk + (1 - nz)
    if ord == 2:
        return (x * (gk * nz / safe),)
    # d/dx (sum |x|^p)^(1/p) = x |x|^(p-2) / norm^(p-1); zero where x (or the norm) is zero
    xz = F.linalg_const(_zero_mask, x)
    sq = x * F.conj(x) + xz
    scale = gk * nz / safe ** (ord - 1)
    return (x * sq ** ((ord - 2) / 2) * (1 - xz) * scale,)


def _zero_mask(xp, a):
    return (a == 0).astype(a.dtype if a.dtype.kind == "f" else np.float64)


def _extreme_mask(xp, x, nk, axis):
    ax = xp.abs(x)
    hit = (ax == nk) | xp.isnan(ax)
    hit = hit.astype(ax.dtype)
    count = hit.sum(axis=axis, keepdims=True) if axis is not None else hit.sum()
    return hit / count
