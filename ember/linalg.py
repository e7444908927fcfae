"""`ember.linalg`: mirrors `torch.linalg` (norms, inverse, determinants, solve, factorizations).

Checks, PyTorch's error messages, return types and composites live here; the ops and their
backward rules are in `ember/_ops/decomp.py`.
"""

import math

import numpy as np

from . import _dtype as D
from . import _return_types

# LU and Householder live in their own module
from ._linalg_lu import (
    householder_product,
    lu,
    lu_factor,
    lu_factor_ex,
    lu_solve,
)
from ._ops import linalg as _P
from ._ops._bind import public
from ._ops._registry import apply
from ._ops.decomp import (
    _cholesky,
    _det,
    _eigh_arrays,
    _eigh_l,
    _eigh_v,
    _inv,
    _qr_arrays,
    _qr_q,
    _qr_r,
    _slogdet,
    _solve_op,
    _svd_arrays,
    _svd_s,
    _svd_u,
    _svd_vh,
    _vector_norm,
)
from ._ops.linalg import _broadcast_batch, _tn, matmul
from ._ops.linalg import linalg_cross as cross
from ._tensor import _wrap_dim

__all__ = [
    "LinAlgError",
    "cholesky",
    "cholesky_ex",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "householder_product",
    "inv",
    "inv_ex",
    "lstsq",
    "lu",
    "lu_factor",
    "lu_factor_ex",
    "lu_solve",
    "matmul",
    "matrix_exp",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_ex",
    "solve_triangular",
    "svd",
    "svdvals",
    "tensorinv",
    "tensorsolve",
    "vander",
    "vecdot",
    "vector_norm",
]

_E = {}


class _LinAlgError(RuntimeError):
    """Mirrors `torch.linalg.LinAlgError` (a RuntimeError), whose class is named
    `_LinAlgError` in torch (`type(e).__name__` prints that)."""


LinAlgError = _LinAlgError


def _rt(name):
    # torch.return_types.<name>: a tuple with named fields, built from its items
    cls = getattr(_return_types, name)
    return lambda *items: cls(items)


linalg_qr = _rt("linalg_qr")
linalg_svd = _rt("linalg_svd")
linalg_eigh = _rt("linalg_eigh")
linalg_slogdet = _rt("linalg_slogdet")
linalg_inv_ex = _rt("linalg_inv_ex")
linalg_cholesky_ex = _rt("linalg_cholesky_ex")
linalg_solve_ex = _rt("linalg_solve_ex")
_slogdet_t = _rt("slogdet")
_qr_t = _rt("qr")
_svd_t = _rt("svd")


# ---------------------------------------------------------------- checks
def _check_matrix(A, name, square=True, low_precision=True):
    nd = A._data.ndim
    if nd < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    m, n = A._data.shape[-2:]
    if square and m != n:
        raise RuntimeError(
            f"{name}: A must be batches of square matrices, but they are {m} by {n} matrices"
        )
    _check_float(A, name)
    if low_precision and A._dtype is D.float16:
        raise RuntimeError(f"{name}: Low precision dtypes not supported. Got Half")


def _check_float(A, name):
    if A._dtype._kind < 2:
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as input. Got {_tn(A)}"
        )


def _batch_prefix(batch_index, ndim):
    return f"(Batch element {batch_index}): " if ndim > 2 else ""


# ---------------------------------------------------------------- rule helpers (F.linalg_*)


# ---------------------------------------------------------------- inv


def _first_zero_pivot(a):
    """1-based index of the first zero pivot of LU with partial pivoting (LAPACK's getrf info)."""
    a = np.array(a, dtype=np.complex128 if np.iscomplexobj(a) else np.float64)
    n = a.shape[0]
    for j in range(n):
        p = j + int(np.argmax(np.abs(a[j:, j])))
        if a[p, j] == 0:
            return j + 1
        if p != j:
            a[[j, p]] = a[[p, j]]
        a[j + 1:, j] /= a[j, j]
        a[j + 1:, j + 1:] -= np.outer(a[j + 1:, j], a[j, j + 1:])
    return 0


def _batches(arr):
    """(index, matrix) over the flattened batch of a (..., m, n) array on the CPU."""
    from ._device import CPU, move

    host = move(arr, CPU)
    flat = host.reshape((-1,) + host.shape[-2:])
    return enumerate(flat)


def _singular_error(A, name):
    for i, mat in _batches(A._data):
        k = _first_zero_pivot(mat)
        if k:
            raise LinAlgError(
                f"{name}: {_batch_prefix(i, A._data.ndim)}The diagonal element {k} is zero, the "
                "inversion could not be completed because the input matrix is singular."
            )
    raise LinAlgError(f"{name}: The input matrix is singular.")


def inv(A, *, out=None):
    """Mirrors `torch.linalg.inv`."""
    _check_matrix(A, "linalg.inv")
    try:
        res = apply(_inv, (A,), _E)
    except np.linalg.LinAlgError:
        _singular_error(A, "linalg.inv")
    return _P._out(res, out)


def inv_ex(A, *, check_errors=False, out=None):
    """Mirrors `torch.linalg.inv_ex`: info is the first zero pivot (0 when invertible)."""
    _check_matrix(A, "linalg.inv_ex")
    from ._creation import tensor

    try:
        res = apply(_inv, (A,), _E)
        info = np.zeros(A._data.shape[:-2], dtype=np.int32)
    except np.linalg.LinAlgError:
        if check_errors:
            _singular_error(A, "linalg.inv_ex")
        info = np.array([_first_zero_pivot(m) for _, m in _batches(A._data)], dtype=np.int32)
        info = info.reshape(A._data.shape[:-2])
        res = _nan_like(A)
    return linalg_inv_ex(res, tensor(info, device=A._device))


@public("inverse")
def inverse(input, *, out=None):
    """Mirrors `torch.inverse`."""
    return inv(input, out=out)


# ---------------------------------------------------------------- det / slogdet


def det(A, *, out=None):
    """Mirrors `torch.linalg.det`."""
    _check_matrix(A, "linalg.det")
    return _P._out(apply(_det, (A,), _E), out)


@public("det")
def _det_public(input):
    """Mirrors `torch.det`."""
    return det(input)


def slogdet(A, *, out=None):
    """Mirrors `torch.linalg.slogdet`: (sign, logabsdet)."""
    _check_matrix(A, "linalg.slogdet")
    logabs, sign = apply(_slogdet, (A,), _E)
    return linalg_slogdet(sign, logabs)


@public("slogdet")
def _slogdet_public(input):
    """Mirrors `torch.slogdet`."""
    sign, logabs = slogdet(input)
    return _slogdet_t(sign, logabs)


@public("logdet")
def logdet(input):
    """Mirrors `torch.logdet`: nan for a negative determinant."""
    sign, logabs = slogdet(input)
    if input._dtype.is_complex:
        return logabs + sign.log()
    xp = input._device.xp
    bad = xp.where(sign._data < 0, xp.nan, 0.0).astype(logabs._data.dtype)
    return logabs + _wrap_like(bad, logabs)


# ---------------------------------------------------------------- solve


def _solve(A, B, vec):
    try:
        return apply(_solve_op, (A, B), {"vec": vec})
    except np.linalg.LinAlgError:
        for i, mat in _batches(A._data):
            if _first_zero_pivot(mat):
                raise LinAlgError(
                    f"torch.linalg.solve: {_batch_prefix(i, A._data.ndim)}The solver failed "
                    "because the input matrix is singular."
                ) from None
        raise


def solve(A, B, *, left=True, out=None):
    """Mirrors `torch.linalg.solve` (B is a vector when 1-D or shaped like A without a column)."""
    _check_matrix(A, "linalg.solve")
    if A._dtype is not B._dtype:
        raise RuntimeError(
            "linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{_tn(A)} and B of type {_tn(B)} instead"
        )
    sa = A._data.shape
    sb = B._data.shape
    n = sa[-1]
    if not left:
        if len(sb) < 2 or sb[-1] != n:
            shown = f"{sb[-2]}x{sb[-1]}" if len(sb) >= 2 else f"{sb[-1]}x1"
            raise RuntimeError(
                "linalg.solve: Incompatible shapes of A and B for the equation XA = B "
                f"({n}x{n} and {shown})"
            )
        res = solve(A.mT, B.mT).mT
        return _P._out(res, out)
    vec = len(sb) == 1 or (len(sb) == len(sa) - 1 and sb == sa[:-1])
    rows = sb[-1] if vec else (sb[-2] if len(sb) >= 2 else sb[-1])
    if rows != n:
        shown = f"{sb[-1]}x1" if vec else f"{sb[-2]}x{sb[-1]}"
        raise RuntimeError(
            "linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({n}x{n} and {shown})"
        )
    _broadcast_batch(sb[:-1] if vec else sb[:-2], sa[:-2])
    return _P._out(_solve(A, B, vec), out)


def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    """Mirrors `torch.linalg.solve_ex`."""
    from ._creation import zeros

    res = solve(A, B, left=left)
    return linalg_solve_ex(res, zeros(A._data.shape[:-2], dtype=D.int32, device=A._device))


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    """Mirrors `torch.linalg.solve_triangular` (a general solve on the masked triangle)."""
    _check_matrix(A, "linalg.solve_triangular")
    n = A._data.shape[-1]
    from ._creation import eye, ones

    mask = ones(n, n, dtype=A._dtype, device=A._device)
    mask = mask.triu() if upper else mask.tril()
    T = A * mask
    if unitriangular:
        e = eye(n, dtype=A._dtype, device=A._device)
        T = T * (1 - e) + e
    if left:
        return _P._out(_solve(T, B, False), out)
    return _P._out(_solve(T.mT, B.mT, False).mT, out)


# ---------------------------------------------------------------- cholesky


def _not_pd_order(mat):
    """The order of the first leading minor that is not positive-definite (binary search)."""
    lo = 1
    hi = mat.shape[-1]
    while lo < hi:
        mid = (lo + hi) // 2
        try:
            np.linalg.cholesky(mat[:mid, :mid])
            lo = mid + 1
        except np.linalg.LinAlgError:
            hi = mid
    return lo


def _cholesky_info(A):
    info = []
    for _, mat in _batches(A._data):
        try:
            np.linalg.cholesky(mat)
            info.append(0)
        except np.linalg.LinAlgError:
            info.append(_not_pd_order(mat))
    return np.array(info, dtype=np.int32).reshape(A._data.shape[:-2])


def _cholesky_checked(A, name):
    try:
        return apply(_cholesky, (A,), _E)
    except np.linalg.LinAlgError:
        for i, k in enumerate(_cholesky_info(A).reshape(-1)):
            if k:
                raise LinAlgError(
                    f"{name}: {_batch_prefix(i, A._data.ndim)}The factorization could not be "
                    "completed because the input is not positive-definite (the leading minor "
                    f"of order {k} is not positive-definite)."
                ) from None
        raise


def cholesky(A, *, upper=False, out=None):
    """Mirrors `torch.linalg.cholesky` (the lower factor; upper=True gives its conjugate
    transpose)."""
    _check_matrix(A, "linalg.cholesky")
    L = _cholesky_checked(A, "linalg.cholesky")
    return _P._out(L.mH if upper else L, out)


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """Mirrors `torch.linalg.cholesky_ex`."""
    _check_matrix(A, "linalg.cholesky_ex")
    from ._creation import tensor

    if check_errors:
        L = _cholesky_checked(A, "linalg.cholesky_ex")
        info = np.zeros(A._data.shape[:-2], dtype=np.int32)
    else:
        try:
            L = apply(_cholesky, (A,), _E)
            info = np.zeros(A._data.shape[:-2], dtype=np.int32)
        except np.linalg.LinAlgError:
            info = _cholesky_info(A)
            L = _nan_like(A)
    return linalg_cholesky_ex(L.mH if upper else L, tensor(info, device=A._device))


@public("cholesky")
def _cholesky_public(input, upper=False, *, out=None):
    """Mirrors the deprecated `torch.cholesky`."""
    return cholesky(input, upper=upper, out=out)


# ---------------------------------------------------------------- qr


def _needs_graph(A):
    from .autograd.grad_mode import GRAD

    return GRAD.enabled and A._rg


def _nan_like(A):
    return _wrap_like(A._device.xp.full(A._data.shape, np.nan, dtype=A._data.dtype), A)


def _wrap_like(arr, A):
    from ._ops._registry import np_to_dtype
    from ._tensor import _new_tensor

    return _new_tensor(arr, np_to_dtype(arr), A._device)


def qr(A, mode="reduced", *, out=None):
    """Mirrors `torch.linalg.qr` (modes 'reduced', 'complete', 'r')."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    _check_matrix(A, "linalg.qr", square=False)
    if _needs_graph(A):
        R = apply(_qr_r, (A,), {"mode": mode})
        if mode == "r":
            Q = _wrap_like(A._device.xp.zeros((0,), A._data.dtype), A)
        else:
            Q = apply(_qr_q, (A,), {"mode": mode})
        return linalg_qr(Q, R)
    q, r = _qr_arrays(A._data, mode)
    return linalg_qr(_wrap_like(q, A), _wrap_like(r, A))


@public("qr")
def _qr_public(input, some=True, *, out=None):
    """Mirrors `torch.qr` (some=True is the reduced mode)."""
    Q, R = qr(input, "reduced" if some else "complete")
    return _qr_t(Q, R)


# ---------------------------------------------------------------- svd


def svd(A, full_matrices=True, *, driver=None, out=None):
    """Mirrors `torch.linalg.svd`: (U, S, Vh)."""
    _check_matrix(A, "linalg.svd", square=False)
    if _needs_graph(A):
        p = {"full_matrices": full_matrices}
        return linalg_svd(apply(_svd_u, (A,), p), apply(_svd_s, (A,), p),
                          apply(_svd_vh, (A,), p))
    u, s, vh = _svd_arrays(A._data, full_matrices)
    return linalg_svd(_wrap_like(u, A), _wrap_like(s, A), _wrap_like(vh, A))


def svdvals(A, *, driver=None, out=None):
    """Mirrors `torch.linalg.svdvals`."""
    _check_matrix(A, "linalg.svdvals", square=False)
    return _P._out(apply(_svd_s, (A,), {"full_matrices": False}), out)


@public("svd")
def _svd_public(input, some=True, compute_uv=True, *, out=None):
    """Mirrors `torch.svd`: (U, S, V) with V, not Vh."""
    U, S, Vh = svd(input, full_matrices=not some)
    if not compute_uv:
        from ._creation import zeros_like

        res = (zeros_like(U), S, zeros_like(Vh))
    else:
        res = (U, S, Vh.mH)
    if out is not None:
        # torch resizes each of the three buffers and returns them (as svd_out)
        return _svd_t(*(_P._out(r, o) for r, o in zip(res, out)))
    return _svd_t(*res)


# ---------------------------------------------------------------- eigh


def eigh(A, UPLO="L", *, out=None):
    """Mirrors `torch.linalg.eigh`: (eigenvalues ascending, eigenvectors)."""
    _check_matrix(A, "linalg.eigh")
    if _needs_graph(A):
        p = {"UPLO": UPLO}
        return linalg_eigh(apply(_eigh_l, (A,), p), apply(_eigh_v, (A,), p))
    w, v = _eigh_arrays(A._data, UPLO)
    return linalg_eigh(_wrap_like(w, A), _wrap_like(v, A))


def eigvalsh(A, UPLO="L", *, out=None):
    """Mirrors `torch.linalg.eigvalsh`."""
    _check_matrix(A, "linalg.eigvalsh")
    return _P._out(apply(_eigh_l, (A,), {"UPLO": UPLO}), out)


# ---------------------------------------------------------------- vector norms


def _norm_dims(dim, ndim):
    if dim is None:
        return None
    if isinstance(dim, int):
        dim = (dim,)
    dims = tuple(_wrap_dim(d, ndim) for d in dim)
    if not dims:
        return None
    return dims


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """Mirrors `torch.linalg.vector_norm`."""
    if isinstance(ord, str):
        raise TypeError("linalg_vector_norm(): argument 'ord' must be Number, not str")
    _check_float(x, "linalg.vector_norm")
    if dtype is not None:
        dt = D.to_dtype(dtype)
        if D.promote_types(x._dtype, dt) is not dt:
            raise RuntimeError(
                f"linalg.vector_norm: the dtype of the input ({_tn(x)}) should be convertible "
                f"without narrowing to the specified dtype ({_TNAME(dt)})"
            )
        x = x.to(dt)
    nd = x._data.ndim
    dims = _norm_dims(dim, nd)
    ord = float(ord)
    _check_empty(x, ord, dims)
    axis = None if nd == 0 else dims
    if math.isfinite(ord) and ord == int(ord):
        ord = int(ord)
    res = apply(_vector_norm, (x,), {"ord": ord, "axis": axis, "keepdims": keepdim})
    return _P._out(res, out)


def _TNAME(dt):
    from ._ops._inplace import _TORCH_NAMES

    return _TORCH_NAMES[dt.name]


def _fmt_ord(ord):
    if ord == math.inf:
        return "inf"
    if ord == -math.inf:
        return "-inf"
    return str(int(ord)) if ord == int(ord) else str(ord)


def _check_empty(x, ord, dims):
    if not (ord < 0 or ord == math.inf):
        return
    shape = x._data.shape
    if not shape:
        # a 0-d tensor holds one value; dim 0 or -1 names it, as for every reduction
        return
    if dims is None:
        if x._data.size == 0:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {_fmt_ord(ord)} norm on an empty tensor "
                "because the operation does not have an identity"
            )
        return
    for d in dims:
        if shape[d] == 0:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {_fmt_ord(ord)} norm on the dimension "
                f"{d}because this dimension is empty and the operation does not have an identity"
            )


# ---------------------------------------------------------------- matrix norms
def _matrix_dims(A, dim, name="linalg.matrix_norm"):
    nd = A._data.ndim
    if nd < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if isinstance(dim, int) or len(dim) != 2:
        shown = dim if isinstance(dim, int) else " ".join(str(d) for d in dim)
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {shown}")
    d0 = _wrap_dim(dim[0], nd)
    d1 = _wrap_dim(dim[1], nd)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    return d0, d1


def _to_last_two(A, d0, d1):
    nd = A._data.ndim
    rest = [i for i in range(nd) if i not in (d0, d1)]
    return A.permute(*rest, d0, d1)


def _restore(res, d0, d1, keepdim):
    if keepdim:
        for d in sorted((d0, d1)):
            res = res.unsqueeze(d)
    return res


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """Mirrors `torch.linalg.matrix_norm` ('fro', 'nuc', 1, -1, 2, -2, inf, -inf)."""
    if A._data.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    d0, d1 = _matrix_dims(A, dim)
    if dtype is not None:
        A = A.to(dtype)
    _check_float(A, "linalg.matrix_norm")
    if ord == "fro":
        return _P._out(vector_norm(A, 2, (d0, d1), keepdim), out)
    if ord == "nuc" or ord in (2, -2):
        s = svdvals(_to_last_two(A, d0, d1))
        if ord == "nuc":
            res = s.sum(-1)
        else:
            res = vector_norm(s, math.inf if ord == 2 else -math.inf, -1)
        return _P._out(_restore(res, d0, d1, keepdim), out)
    if ord in (1, -1, math.inf, -math.inf):
        # 1: the largest column sum of |A|; inf: the largest row sum
        sum_dim, max_dim = (d0, d1) if abs(ord) == 1 else (d1, d0)
        sums = vector_norm(A, 1, sum_dim, True)
        ext = math.inf if ord > 0 else -math.inf
        res = vector_norm(sums, ext, max_dim, True)
        if not keepdim:
            res = res.squeeze((d0, d1))
        return _P._out(res, out)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def norm(input, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """Mirrors `torch.linalg.norm` (torch names the tensor `input` here, not `A`)."""
    A = input
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 1:
            if isinstance(ord, str):
                raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dims[0]}")
            return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype, out=out)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype,
                               out=out)
        raise RuntimeError(
            f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}"
        )
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype, out=out)
    nd = A._data.ndim
    if nd == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype, out=out)
    if nd == 1:
        if isinstance(ord, str):
            raise RuntimeError(
                "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
            )
        return vector_norm(A, ord, None, keepdim, dtype=dtype, out=out)
    raise RuntimeError(
        f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {nd}D."
    )


@public("norm", method=False)
def _norm_public(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """Mirrors `torch.norm`."""
    dims = None if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
    if isinstance(p, str):
        if p == "fro" and (dims is None or len(dims) <= 2):
            return vector_norm(input, 2, dims, keepdim, dtype=dtype, out=out)
        if dims is None:
            dims = tuple(range(input._data.ndim))
        return matrix_norm(input, p, dims, keepdim, dtype=dtype, out=out)
    return vector_norm(input, 2.0 if p is None else p, dims, keepdim, dtype=dtype, out=out)


@public("norm", function=False)
def _norm_method(self, p="fro", dim=None, keepdim=False, dtype=None):
    """Mirrors `torch.Tensor.norm`: torch.norm without `out`, so the 4th positional is dtype."""
    return _norm_public(self, p, dim, keepdim, dtype=dtype)


# ---------------------------------------------------------------- composites
def multi_dot(tensors, *, out=None):
    """Mirrors `torch.linalg.multi_dot` (left to right)."""
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    res = tensors[0]
    for t in tensors[1:]:
        res = matmul(res, t)
    return _P._out(res, out)


@public("matrix_power")
def matrix_power(input, n, *, out=None):
    """Mirrors `torch.linalg.matrix_power` (square-and-multiply; negative n inverts); torch
    names the tensor `input` here."""
    A = input
    if A._data.ndim < 2 or A._data.shape[-1] != A._data.shape[-2]:
        raise RuntimeError(
            "linalg.matrix_power: A must be batches of square matrices, but they are "
            f"{A._data.shape[-2] if A._data.ndim >= 2 else 1} by {A._data.shape[-1]} matrices"
        )
    if n == 0:
        from ._creation import eye

        k = A._data.shape[-1]
        res = eye(k, dtype=A._dtype, device=A._device).expand(A._data.shape).clone()
        return _P._out(res, out)
    if n < 0:
        A = inv(A)
        n = -n
    res = None
    base = A
    while n:
        if n & 1:
            res = base if res is None else matmul(res, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return _P._out(res, out)


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """Mirrors `torch.linalg.pinv` (through the SVD; singular values under the tolerance drop)."""
    _check_matrix(A, "linalg.pinv", square=False)
    U, S, Vh = svd(A, full_matrices=False)
    m, n = A._data.shape[-2:]
    xp = A._device.xp
    smax = S._data.max(axis=-1, keepdims=True) if S._data.size else S._data
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else np.finfo(S._data.dtype).eps * max(m, n)
    tol = xp.maximum(0.0 if atol is None else atol, rtol * smax)
    keep = _wrap_like((S._data > tol).astype(S._data.dtype), S)
    sinv = keep / (S + (1 - keep))
    res = matmul(Vh.mH * sinv.unsqueeze(-2), U.mH)
    return _P._out(res, out)


@public("pinverse")
def pinverse(input, rcond=1e-15):
    """Mirrors `torch.pinverse`."""
    return pinv(input, rtol=rcond)


def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """Mirrors `torch.linalg.matrix_rank`."""
    _check_matrix(A, "linalg.matrix_rank", square=False)
    if hermitian:
        # torch takes |eigvalsh(A)|, which reads only the lower triangle (a non-Hermitian A
        # counts as the Hermitian matrix its lower triangle spans)
        s = abs(A._device.xp.linalg.eigvalsh(A._data, UPLO="L"))
        s = A._device.xp.sort(s, axis=-1)[..., ::-1]
    else:
        s = A._device.xp.linalg.svd(A._data, compute_uv=False)
    m, n = A._data.shape[-2:]
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else np.finfo(s.dtype).eps * max(m, n)
    smax = s.max(axis=-1, keepdims=True) if s.size else s
    tol = A._device.xp.maximum(0.0 if atol is None else atol, rtol * smax)
    rank = (s > tol).sum(axis=-1).astype(np.int64)
    return _wrap_like(A._device.xp.asarray(rank), A)


def vecdot(x, y, *, dim=-1, out=None):
    """Mirrors `torch.linalg.vecdot`: sum(conj(x) * y, dim)."""
    from ._ops.reduce import sum as _sum

    xc = x.conj() if x._dtype.is_complex else x
    return _P._out(_sum(xc * y, dim), out)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """Mirrors `torch.linalg.diagonal`."""
    import ember

    return ember.diagonal(A, offset, dim1, dim2)


def eig(A, *, out=None):
    """Mirrors `torch.linalg.eig` (complex eigenvalues and eigenvectors; no gradient)."""
    _check_matrix(A, "linalg.eig")
    if A._device.type != "cpu":
        raise NotImplementedError("linalg.eig: CuPy has no general eigensolver; use the CPU")
    w, v = np.linalg.eig(A._data)
    cdt = A._dtype.to_complex().np
    from ._ops.linalg import _new_tensor_of

    return _return_types.linalg_eig((_new_tensor_of(w.astype(cdt)), _new_tensor_of(v.astype(cdt))))


def eigvals(A, *, out=None):
    """Mirrors `torch.linalg.eigvals` (no gradient)."""
    return eig(A)[0]


def cond(A, p=None, *, out=None):
    """Mirrors `torch.linalg.cond`: ratio of extreme singular values, or norm(A) norm(A^-1)."""
    if p is None or p in (2, -2):
        s = svdvals(A)
        hi = s[..., 0]
        lo = s[..., -1]
        return _P._out(lo / hi if p == -2 else hi / lo, out)
    return _P._out(matrix_norm(A, p) * matrix_norm(inv(A), p), out)


def lstsq(A, B, rcond=None, *, driver=None):
    """Mirrors `torch.linalg.lstsq`: the minimum-norm solution through the pseudo-inverse,
    whatever the driver; the driver decides, as in PyTorch on CPU, which of residuals, rank
    and singular_values are filled in (the default 'gelsy' leaves residuals and
    singular_values empty, 'gels' leaves rank empty)."""
    from ._creation import zeros

    _check_matrix(A, "linalg.lstsq", square=False)
    driver = "gelsy" if driver is None else driver
    if driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError(
            "torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    vec = B._data.ndim == A._data.ndim - 1
    Bm = B.unsqueeze(-1) if vec else B
    sol = matmul(pinv(A, rtol=rcond), Bm)
    real = A._dtype.to_real()
    empty = zeros(0, dtype=real, device=A._device)
    m, n = A._data.shape[-2:]
    rank = zeros(0, dtype=D.int64, device=A._device)
    if driver != "gels":
        rank = matrix_rank(A, rtol=rcond)
    svals = svdvals(A) if driver in ("gelsd", "gelss") else empty
    residuals = empty
    # squared residual norms of each column: only for tall problems, and for the SVD drivers
    # only when every matrix has full column rank (PyTorch's rule)
    if m > n and driver != "gelsy" and (driver == "gels" or bool((rank == n).all())):
        r = matmul(A, sol) - Bm
        residuals = (r * r.conj()).real.sum(-2) if r.is_complex() else (r * r).sum(-2)
    if vec:
        sol = sol.squeeze(-1)
    return _return_types.linalg_lstsq((sol, residuals, rank, svals))


# Pade(13) coefficients of exp (Higham 2005, "The scaling and squaring method revisited")
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)


@public("matrix_exp")
def matrix_exp(A):
    """Mirrors `torch.linalg.matrix_exp`: scaling and squaring with a degree-13 Pade
    approximant, built from differentiable products and a solve (so it has gradients)."""
    _check_matrix(A, "linalg.matrix_exp", low_precision=False)
    from ._creation import eye

    n = A._data.shape[-1]
    if n == 0:
        return A.clone()
    # the scaling: 2**s brings the 1-norm under Pade(13)'s bound theta_13 = 5.37
    norm1 = float(A._device.xp.abs(A._data).sum(axis=-2).max()) if A._data.size else 0.0
    s = max(0, math.ceil(math.log2(norm1 / 5.371920351148152))) if norm1 > 0 else 0
    X = A / (2 ** s) if s else A
    b = _PADE13
    ident = eye(n, dtype=A._dtype, device=A._device)
    X2 = matmul(X, X)
    X4 = matmul(X2, X2)
    X6 = matmul(X4, X2)
    u_in = matmul(X6, b[13] * X6 + b[11] * X4 + b[9] * X2) + b[7] * X6 + b[5] * X4 + \
        b[3] * X2 + b[1] * ident
    U = matmul(X, u_in)
    V = matmul(X6, b[12] * X6 + b[10] * X4 + b[8] * X2) + b[6] * X6 + b[4] * X4 + \
        b[2] * X2 + b[0] * ident
    R = solve(V - U, V + U)
    for _ in range(s):
        R = matmul(R, R)
    return R


def tensorinv(A, ind=2, *, out=None):
    """Mirrors `torch.linalg.tensorinv`."""
    shape = tuple(A._data.shape)
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows = int(np.prod(shape[:ind]))
    cols = int(np.prod(shape[ind:]))
    res = inv(A.reshape(rows, cols))
    return _P._out(res.reshape(shape[ind:] + shape[:ind]), out)


def tensorsolve(A, B, dims=None, *, out=None):
    """Mirrors `torch.linalg.tensorsolve`."""
    if dims is not None:
        nd = A._data.ndim
        dims = [d % nd for d in dims]
        rest = [i for i in range(nd) if i not in dims]
        A = A.permute(*(rest + dims))
    bshape = tuple(B._data.shape)
    xshape = tuple(A._data.shape[B._data.ndim:])
    res = solve(A.reshape(int(np.prod(bshape)), int(np.prod(xshape))), B.reshape(-1))
    return _P._out(res.reshape(xshape), out)


def vander(x, *, N=None):
    """Mirrors `torch.linalg.vander`: columns x**0, x**1, ..., x**(N-1)."""
    from ._creation import arange

    n = (x._data.shape[-1] if x._data.ndim else 1) if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    powers = arange(n, device=x._device)
    base = x.unsqueeze(-1)
    if x._dtype._kind >= 2:
        powers = powers.to(x._dtype)
    return base ** powers



# ---------------------------------------------------------------- LDL^T (Bunch-Kaufman)
linalg_ldl_factor = _rt("linalg_ldl_factor")
linalg_ldl_factor_ex = _rt("linalg_ldl_factor_ex")


def _ldl_dtype_check(A, name):
    if A._dtype in (D.float16, D.bfloat16):
        from ._ops._inplace import _TORCH_NAMES

        kind = _TORCH_NAMES.get(A._dtype.name, "BFloat16")
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'{kind}\'')


def ldl_factor_ex(A, *, hermitian=False, check_errors=False, out=None):
    """Mirrors `torch.linalg.ldl_factor_ex`: LAPACK sytrf's (LD, pivots, info), see
    ember/_ops/ldl.py for the format."""
    from ._ops import ldl as _ldl
    from ._ops.elementwise import _out as _write

    _check_matrix(A, "torch.linalg.ldl_factor_ex", low_precision=False)
    _ldl_dtype_check(A, "ldl_factor_kernel")
    arr = A._data if A._device.type == "cpu" else A._data.get()
    ld, piv, info = _ldl.factor(np.asarray(arr), hermitian)
    xp = A._device.xp
    if xp is not np:
        ld, piv, info = xp.asarray(ld), xp.asarray(piv), xp.asarray(info)
    LD = apply(_ldl.ldl_node, (A,), {"ld": ld})
    pivots = _wrap_like(piv, A)
    info_t = _wrap_like(info, A)
    if check_errors and (info != 0).any():
        _ldl_info_error(info, "torch.linalg.ldl_factor_ex")
    res = linalg_ldl_factor_ex(LD, pivots, info_t)
    if out is not None:
        return linalg_ldl_factor_ex(*(_write(r, o) for r, o in zip(res, out)))
    return res


def _ldl_info_error(info, name):
    # PyTorch reports a zero pivot (an exactly singular D) as an unknown LAPACK code
    code = int(np.asarray(info).reshape(-1)[np.flatnonzero(np.asarray(info))[0]])
    raise RuntimeError(f"{name}: Unknown error code: {code}.")


def ldl_factor(A, *, hermitian=False, out=None):
    """Mirrors `torch.linalg.ldl_factor`: (LD, pivots) of LAPACK sytrf; an exactly singular
    D raises, as PyTorch's (internal-assert) check does."""
    from ._ops.elementwise import _out as _write

    LD, pivots, info = ldl_factor_ex(A, hermitian=hermitian)
    if (info._data != 0).any():
        _ldl_info_error(info._data, "torch.linalg.ldl_factor")
    res = linalg_ldl_factor(LD, pivots)
    if out is not None:
        return linalg_ldl_factor(*(_write(r, o) for r, o in zip(res, out)))
    return res


def ldl_solve(LD, pivots, B, *, hermitian=False, out=None):
    """Mirrors `torch.linalg.ldl_solve`: X with A X = B from ldl_factor's (LD, pivots).
    Deviation: no graph node (PyTorch has no derivative for it either, but records a node)."""
    from ._ops import ldl as _ldl
    from ._ops.elementwise import _out as _write

    _check_matrix(LD, "torch.linalg.ldl_solve", low_precision=False)
    if B._data.ndim < 2:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [-{max(B._data.ndim, 1)}, "
            f"{max(B._data.ndim, 1) - 1}], but got -2)")
    n = LD._data.shape[-1]
    if B._data.shape[-2] != n:
        raise RuntimeError(
            f"Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix is {n} by "
            f"{n} but each b matrix is {B._data.shape[-2]} by {B._data.shape[-1]}")
    if pivots._dtype is not D.int32:
        raise RuntimeError(
            "torch.linalg.ldl_solve: Expected pivots to be integers. Got " + _tn(pivots))
    to_host = (lambda t: t._data) if LD._device.type == "cpu" else (lambda t: t._data.get())
    ld = np.asarray(to_host(LD))
    piv = np.asarray(to_host(pivots))
    b = np.asarray(to_host(B))
    batch = np.broadcast_shapes(ld.shape[:-2], piv.shape[:-1], b.shape[:-2])
    ld = np.broadcast_to(ld, batch + ld.shape[-2:])
    piv = np.broadcast_to(piv, batch + piv.shape[-1:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    x = _ldl.solve(ld, piv, b, hermitian)
    dt = D.promote_types(LD._dtype, B._dtype)
    x = x.astype(dt.np, copy=False)
    if LD._device.type != "cpu":
        x = LD._device.xp.asarray(x)
    res = _wrap_like(x, LD)
    return _write(res, out) if out is not None else res
