"""Products: matmul (1-D, 2-D, batched with broadcasting), mm, bmm, mv, dot, vdot, outer, inner,
the add* fused forms, tensordot, kron, trace, cross, cdist (einsum is in einsum.py).

mm, bmm, mv, dot and matmul are one forward (`xp.matmul`) and one backward rule registered under
PyTorch's names so `grad_fn` reads as in PyTorch. Composites (outer, inner, kron, tensordot,
add*) reuse these ops and einsum.
"""

import numpy as np

from .. import _dtype as D
from ..amp._lists import ACTIVE as _AC
from ..amp._lists import run as _autocast
from ._bind import method, public
from ._inplace import _TORCH_NAMES, inplace
from ._namespace import register_ns
from ._registry import apply, defop
from ._blas_sum import matmul2d
from .einsum import _LETTERS, _new_tensor_of, einsum  # noqa: F401  (einsum's ops load here)

_E = {}

_CPP = {
    "Float": "float",
    "Double": "double",
    "Half": "c10::Half",
    "Long": "long int",
    "Int": "int",
    "Short": "short int",
    "Char": "signed char",
    "Byte": "unsigned char",
    "Bool": "bool",
    "ComplexFloat": "c10::complex<float>",
    "ComplexDouble": "c10::complex<double>",
}


def _tn(t):
    """PyTorch's ScalarType name of a tensor's dtype (Float, Double, Long...)."""
    return _TORCH_NAMES[t._dtype.name]


def _check_dtypes(a, b, what):
    """mm-style dtype check: PyTorch names the C++ types."""
    if a._dtype is not b._dtype:
        raise RuntimeError(
            f"expected {what[0]} and {what[1]} to have the same dtype, but got: "
            f"{_CPP[_tn(a)]} != {_CPP[_tn(b)]}"
        )


def _not_bool(t, kernel):
    if t._dtype is D.bool_:
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


# ---------------------------------------------------------------- the matmul family
def _matmul_fwd(xp, a, b):
    # the operator, not xp.matmul: CuPy's matmul function is a Python generalized ufunc whose
    # call costs about as much as a small product itself (~20 us against `@`'s ~0)
    if a.ndim == 2 and b.ndim == 2:
        return matmul2d(a, b)
    return a @ b


def _matmul_rule(F, g, out, a, b, need, extra):
    ga = None
    gb = None
    an = len(a.shape)
    bn = len(b.shape)
    if an == 1 and bn == 1:
        # dot product: g is 0-d
        if need[0]:
            ga = g * F.conj(b)
        if need[1]:
            gb = g * F.conj(a)
        return ga, gb
    if an == 1:
        # (k) @ (..., k, n) -> (..., n): treat a as a (1, k) matrix
        if need[0]:
            ga = F.matmul(F.expand_dims(g, -2), F.swapaxes(F.conj(b), -1, -2))
            ga = F.reshape(F.sum_to(ga, (1,) + tuple(a.shape)), a.shape)
        if need[1]:
            gb = F.sum_to(F.expand_dims(F.conj(a), -1) * F.expand_dims(g, -2), b.shape)
        return ga, gb
    if bn == 1:
        # (..., m, k) @ (k) -> (..., m)
        if need[0]:
            ga = F.sum_to(F.expand_dims(g, -1) * F.conj(b), a.shape)
        if need[1]:
            gb = F.matmul(F.swapaxes(F.conj(a), -1, -2), F.expand_dims(g, -1))
            gb = F.reshape(F.sum_to(gb, tuple(b.shape) + (1,)), b.shape)
        return ga, gb
    if need[0]:
        ga = F.sum_to(F.matmul(g, F.swapaxes(F.conj(b), -1, -2)), a.shape)
    if need[1]:
        gb = F.sum_to(F.matmul(F.swapaxes(F.conj(a), -1, -2), g), b.shape)
    return ga, gb


def _matmul_op(name, grad_name):
    op = defop(name, promote=False, save_inputs=True, grad_name=grad_name)(_matmul_fwd)
    op.defgrad(_matmul_rule)
    return op


_matmul = _matmul_op("matmul", "UnsafeViewBackward0")
_mm = _matmul_op("mm", "MmBackward0")
_bmm = _matmul_op("bmm", "BmmBackward0")
_mv = _matmul_op("mv", "MvBackward0")
_dot = _matmul_op("dot", "DotBackward0")


def _mm_check(sa, sb, a, b):
    """PyTorch's mm checks on shapes sa @ sb (possibly folded): shapes first, then dtypes."""
    if sa[1] != sb[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and {sb[0]}x{sb[1]})"
        )
    _check_dtypes(a, b, ("m1", "m2"))
    _not_bool(a, "addmm_impl_cpu_")


def _mv_check(sa, n, a, b):
    if sa[1] != n:
        raise RuntimeError(f"size mismatch, got input ({sa[0]}), mat ({sa[0]}x{sa[1]}), vec ({n})")
    if a._dtype is not b._dtype:
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {_tn(b)}, {_tn(a)}, and "
            f"{_tn(b)}"
        )
    _not_bool(a, "addmv_impl_cpu")


def _dot_check(a, b, name="dot"):
    if a._dtype is not b._dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {_tn(a)} and {_tn(b)}"
        )
    na = a._data.shape[0]
    nb = b._data.shape[0]
    if na != nb:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{na}] and src [{nb}] to have the same "
            f"number of elements, but got {na} and {nb} elements respectively"
        )
    _not_bool(a, name)


def _broadcast_batch(ba, bb):
    """Broadcast two batch shapes with PyTorch's error message."""
    n = max(len(ba), len(bb))
    pa = (1,) * (n - len(ba)) + tuple(ba)
    pb = (1,) * (n - len(bb)) + tuple(bb)
    out = []
    for i, (x, y) in enumerate(zip(pa, pb)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {i}"
            )
        out.append(y if x == 1 else x)
    return tuple(out)


def _bmm_check(batch, ka, kb, a, b):
    if ka != kb:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {ka}] "
            f"but got: [{batch}, {kb}]."
        )
    if a._dtype is not b._dtype:
        raise RuntimeError(f"expected scalar type {_tn(a)} but found {_tn(b)}")
    _not_bool(a, "bmm")


def _prod(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def _matmul_checks(a, b):
    """Validate matmul(a, b) as PyTorch does and return the op that computes it."""
    sa = a._data.shape
    sb = b._data.shape
    na = len(sa)
    nb = len(sb)
    if na == 0 or nb == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D"
        )
    if na == 1 and nb == 1:
        _dot_check(a, b)
        return _dot
    if na == 2 and nb == 1:
        _mv_check(sa, sb[0], a, b)
        return _mv
    if na == 1 and nb == 2:
        _mm_check((1, sa[0]), sb, a, b)
        return _matmul
    if na == 2 and nb == 2:
        _mm_check(sa, sb, a, b)
        return _mm
    if na >= 3 and nb <= 2:
        # PyTorch folds the batch dimensions of a into its rows
        rows = _prod(sa[:-1])
        if nb == 1:
            _mv_check((rows, sa[-1]), sb[0], a, b)
        else:
            _mm_check((rows, sa[-1]), sb, a, b)
        return _matmul
    batch = _broadcast_batch(sa[:-2], sb[:-2])
    _bmm_check(_prod(batch), sa[-1], sb[-2], a, b)
    return _matmul


def _out(res, out):
    if out is None:
        return res
    from .elementwise import _out as _eout

    return _eout(res, out)


# the sparse tensor class, set when ember.sparse loads (ember/_sparse.py imports the ops, so
# this module cannot import it): a sparse first operand goes to ember/_sparse_ops.py
_SPARSE = None


def _sparse_op(name):
    from .. import _sparse_ops

    return getattr(_sparse_ops, name)


@public("matmul")
def matmul(input, other, *, out=None):
    """Mirrors `torch.matmul`."""
    if input.__class__ is _SPARSE:
        return _out(_sparse_op("matmul")(input, other), out)
    if _AC[0]:
        return _autocast("matmul", matmul, locals())
    op = _matmul_checks(input, other)
    return _out(apply(op, (input, other), _E), out)


def _need_dims(t, n, msg):
    if t._data.ndim != n:
        raise RuntimeError(msg)


@public("mm")
def mm(input, mat2, *, out=None):
    """Mirrors `torch.mm`."""
    if input.__class__ is _SPARSE:
        return _out(_sparse_op("mm")(input, mat2), out)
    if _AC[0]:
        return _autocast("mm", mm, locals())
    _need_dims(input, 2, "self must be a matrix")
    _need_dims(mat2, 2, "mat2 must be a matrix")
    _mm_check(input._data.shape, mat2._data.shape, input, mat2)
    return _out(apply(_mm, (input, mat2), _E), out)


@public("bmm")
def bmm(input, mat2, *, out=None):
    """Mirrors `torch.bmm`."""
    if _AC[0]:
        return _autocast("bmm", bmm, locals())
    _need_dims(input, 3, "batch1 must be a 3D tensor")
    _need_dims(mat2, 3, "batch2 must be a 3D tensor")
    sa = input._data.shape
    sb = mat2._data.shape
    if sb[0] != sa[0] or sb[1] != sa[2]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{sa[0]}, {sa[2]}] "
            f"but got: [{sb[0]}, {sb[1]}]."
        )
    _bmm_check(sa[0], sa[2], sb[1], input, mat2)
    return _out(apply(_bmm, (input, mat2), _E), out)


@public("mv")
def mv(input, vec, *, out=None):
    """Mirrors `torch.mv`."""
    if _AC[0]:
        return _autocast("mv", mv, locals())
    na = input._data.ndim
    nv = vec._data.ndim
    if na != 2 or nv != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {na}, {nv}")
    _mv_check(input._data.shape, vec._data.shape[0], input, vec)
    return _out(apply(_mv, (input, vec), _E), out)


@public("dot")
def dot(input, tensor, *, out=None):
    """Mirrors `torch.dot`."""
    if _AC[0]:
        return _autocast("dot", dot, locals())
    na = input._data.ndim
    nb = tensor._data.ndim
    if na != 1 or nb != 1:
        raise RuntimeError(f"1D tensors expected, but got {na}D and {nb}D tensors")
    _dot_check(input, tensor)
    return _out(apply(_dot, (input, tensor), _E), out)


@defop("vdot", promote=False, save_inputs=True)
def _vdot(xp, a, b):
    return xp.vdot(a, b)


@_vdot.defgrad
def _(F, g, out, a, b, need, extra):
    # vdot(a, b) = sum(conj(a) * b): anti-holomorphic in a
    ga = F.conj(g) * b if need[0] else None
    gb = g * a if need[1] else None
    return ga, gb


@public("vdot")
def vdot(input, other, *, out=None):
    """Mirrors `torch.vdot`."""
    if _AC[0]:
        return _autocast("vdot", vdot, locals())
    na = input._data.ndim
    nb = other._data.ndim
    if na != 1 or nb != 1:
        raise RuntimeError(f"1D tensors expected, but got {na}D and {nb}D tensors")
    _dot_check(input, other, "vdot")
    return _out(apply(_vdot, (input, other), _E), out)


@public("outer", "ger")
def outer(input, vec2, *, out=None):
    """Mirrors `torch.outer`: a broadcast product (so dtypes promote, as in PyTorch)."""
    for name, t in (("self", input), ("vec2", vec2)):
        if t._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t._data.ndim}-D")
    res = input.reshape(-1, 1) * vec2.reshape(1, -1)
    return _out(res, out)


@public("inner")
def inner(input, other, *, out=None):
    """Mirrors `torch.inner`."""
    if input._data.ndim == 0 or other._data.ndim == 0:
        return _out(input * other, out)
    sa = input._data.shape
    sb = other._data.shape
    if sa[-1] != sb[-1]:
        raise RuntimeError(
            "inner() the last dimension must match on both input tensors but got shapes "
            f"{list(sa)} and {list(sb)}"
        )
    return _out(tensordot(input, other, ([-1], [-1])), out)


# ---------------------------------------------------------------- add* fused forms
def _scalar_for(t, s):
    # integer tensors take alpha and beta truncated to integers, as PyTorch does
    return int(s) if t._dtype._kind < 2 else s


def _addmm_like(input, prod, beta, alpha):
    """beta * input + alpha * prod, broadcasting input to prod's shape (in-place rules)."""
    from .shape import expand

    target = prod._data.shape
    inp = expand(input, target) if input._data.shape != target else input
    alpha = _scalar_for(prod, alpha)
    beta = _scalar_for(prod, beta)
    if alpha != 1:
        prod = prod * alpha
    if beta == 0:
        # beta=0 ignores input's values (nan and inf do not propagate); its gradient is zero
        if input._rg:
            from .._random import _sampled

            return _sampled(prod, input)
        return prod
    if beta != 1:
        inp = inp * beta
    return inp + prod


def _same_dtype(input, mat, name):
    if input._dtype is not mat._dtype:
        raise RuntimeError(
            f"self and {name} must have the same dtype, but got {_tn(input)} and {_tn(mat)}"
        )


@public("addmm")
def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """Mirrors `torch.addmm`: beta * input + alpha * (mat1 @ mat2)."""
    if mat1.__class__ is _SPARSE:
        return _out(_sparse_op("addmm")(input, mat1, mat2, beta=beta, alpha=alpha), out)
    if _AC[0]:
        return _autocast("addmm", addmm, locals())
    _need_dims(mat1, 2, "mat1 must be a matrix, got " + f"{mat1._data.ndim}-D tensor")
    _need_dims(mat2, 2, "mat2 must be a matrix, got " + f"{mat2._data.ndim}-D tensor")
    sa = mat1._data.shape
    sb = mat2._data.shape
    if sa[1] != sb[0]:
        _mm_check(sa, sb, mat1, mat2)
    _same_dtype(input, mat2, "mat2")
    if mat1._dtype is not mat2._dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {_tn(mat1)} and {_tn(mat2)}"
        )
    prod = mm(mat1, mat2)
    return _out(_addmm_like(input, prod, beta, alpha), out)


@public("addmv")
def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """Mirrors `torch.addmv`: beta * input + alpha * (mat @ vec)."""
    if _AC[0]:
        return _autocast("addmv", addmv, locals())
    na = mat._data.ndim
    nv = vec._data.ndim
    ni = input._data.ndim
    if na != 2 or nv != 1 or ni > 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {ni}, {na}, {nv}")
    m, n = mat._data.shape
    k = vec._data.shape[0]
    size = input._data.shape[0] if ni == 1 else m
    if n != k or size not in (1, m):
        raise RuntimeError(f"size mismatch, got input ({size}), mat ({m}x{n}), vec ({k})")
    if not (input._dtype is mat._dtype is vec._dtype):
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {_tn(input)}, {_tn(mat)}, "
            f"and {_tn(vec)}"
        )
    prod = mv(mat, vec)
    return _out(_addmm_like(input, prod, beta, alpha), out)


@public("addr")
def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """Mirrors `torch.addr`: beta * input + alpha * outer(vec1, vec2)."""
    if _AC[0]:
        return _autocast("addr", addr, locals())
    for name, t in (("vec1", vec1), ("vec2", vec2)):
        if t._data.ndim != 1:
            raise RuntimeError(
                f"addr: Expected 1-D argument {name}, but got {t._data.ndim}-D"
            )
    return _out(_addmm_like(input, outer(vec1, vec2), beta, alpha), out)


@public("baddbmm")
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """Mirrors `torch.baddbmm`: beta * input + alpha * bmm(batch1, batch2)."""
    if _AC[0]:
        return _autocast("baddbmm", baddbmm, locals())
    prod = bmm(batch1, batch2)
    _same_dtype(input, batch2, "batch2")
    return _out(_addmm_like(input, prod, beta, alpha), out)


@public("addbmm")
def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """Mirrors `torch.addbmm`: beta * input + alpha * sum_b(batch1[b] @ batch2[b])."""
    if _AC[0]:
        return _autocast("addbmm", addbmm, locals())
    from .reduce import sum as _sum

    prod = _sum(bmm(batch1, batch2), 0)
    _same_dtype(input, batch2, "batch2")
    return _out(_addmm_like(input, prod, beta, alpha), out)


def _inplace_of(fn, self, a, b, beta, alpha):
    return inplace(self, lambda s, x, y: fn(s, x, y, beta=beta, alpha=alpha), a, b)


# one small method per op, so that each takes its operands by torch's keyword names
# (t.addmm_(mat1=..., mat2=...), t.addmv_(mat=..., vec=...), ...)
@method("addmm_")
def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
    """Mirrors `torch.Tensor.addmm_`."""
    return _inplace_of(addmm, self, mat1, mat2, beta, alpha)


@method("addmv_")
def addmv_(self, mat, vec, *, beta=1, alpha=1):
    """Mirrors `torch.Tensor.addmv_`."""
    return _inplace_of(addmv, self, mat, vec, beta, alpha)


@method("addr_")
def addr_(self, vec1, vec2, *, beta=1, alpha=1):
    """Mirrors `torch.Tensor.addr_`."""
    return _inplace_of(addr, self, vec1, vec2, beta, alpha)


@method("baddbmm_")
def baddbmm_(self, batch1, batch2, *, beta=1, alpha=1):
    """Mirrors `torch.Tensor.baddbmm_`."""
    return _inplace_of(baddbmm, self, batch1, batch2, beta, alpha)


@method("addbmm_")
def addbmm_(self, batch1, batch2, *, beta=1, alpha=1):
    """Mirrors `torch.Tensor.addbmm_`."""
    return _inplace_of(addbmm, self, batch1, batch2, beta, alpha)


# ---------------------------------------------------------------- tensordot / kron / trace
def _tensordot_dims(dims, na, nb):
    if hasattr(dims, "_data"):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > na or dims > nb:
            raise RuntimeError(
                f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}"
            )
        return list(range(na - dims, na)), list(range(dims))
    da, db = dims
    da = [da] if isinstance(da, int) else list(da)
    db = [db] if isinstance(db, int) else list(db)
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    return [d % na for d in da], [d % nb for d in db]


@public("tensordot", method=False)
def tensordot(a, b, dims=2, out=None):
    """Mirrors `torch.tensordot` (through einsum)."""
    if _AC[0]:
        return _autocast("tensordot", tensordot, locals())
    na = a._data.ndim
    nb = b._data.ndim
    da, db = _tensordot_dims(dims, na, nb)
    sa = a._data.shape
    sb = b._data.shape
    for x, y in zip(da, db):
        if sa[x] != sb[y]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {sa[x]} in dim {x} and "
                f"second has size {sb[y]} in dim {y}"
            )
    if a._dtype is not b._dtype:
        raise RuntimeError("both inputs should have same dtype")
    la = _LETTERS[:na]
    lb = list(_LETTERS[na:na + nb])
    for x, y in zip(da, db):
        lb[y] = la[x]
    lb = "".join(lb)
    res = "".join(c for i, c in enumerate(la) if i not in da)
    res += "".join(c for i, c in enumerate(lb) if i not in db)
    return _out(einsum(la + "," + lb + "->" + res, a, b), out)


@public("kron")
def kron(input, other, *, out=None):
    """Mirrors `torch.kron`: the Kronecker product over all (left-padded) dimensions."""
    dt = D.promote_types(input._dtype, other._dtype)
    a = input.to(dt)
    b = other.to(dt)
    n = max(a._data.ndim, b._data.ndim)
    sa = (1,) * (n - a._data.ndim) + a._data.shape
    sb = (1,) * (n - b._data.ndim) + b._data.shape
    la = _LETTERS[:n]
    lb = _LETTERS[n:2 * n]
    inter = "".join(x + y for x, y in zip(la, lb))
    res = einsum(la + "," + lb + "->" + inter, a.reshape(sa), b.reshape(sb))
    return _out(res.reshape(tuple(x * y for x, y in zip(sa, sb))), out)


@defop("trace", promote=False)
def _trace(xp, a):
    dt = np.int64 if a.dtype.kind in "biu" else None
    return xp.asarray(xp.trace(a, dtype=dt))


@_trace.defgrad
def _(F, g, out, a, need, extra):
    n, m = a.shape
    return (g * F.linalg_eye(n, m, g),)


@public("trace")
def trace(input):
    """Mirrors `torch.trace` (2-D input; integers sum to int64)."""
    if _AC[0]:
        return _autocast("trace", trace, locals())
    if input._data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input._data.ndim}")
    _not_bool(input, "trace")
    return apply(_trace, (input,), _E)


# ---------------------------------------------------------------- cross
@defop("linalg_cross", promote=False, save_inputs=True)
def _cross(xp, a, b, axis):
    return xp.cross(a, b, axis=axis)


@_cross.defgrad
def _(F, g, out, a, b, need, extra, axis):
    ga = F.sum_to(F.linalg_cross(F.conj(b), g, axis), a.shape) if need[0] else None
    gb = F.sum_to(F.linalg_cross(g, F.conj(a), axis), b.shape) if need[1] else None
    return ga, gb


def _cross_arrays(a, b, axis):
    return np.cross(a, b, axis=axis)


def _cross_tensors(a, b, axis):
    return linalg_cross(a, b, dim=axis)


register_ns("linalg_cross", _cross_arrays, _cross_tensors)


def linalg_cross(input, other, *, dim=-1, out=None):
    """Mirrors `torch.linalg.cross`."""
    from .._tensor import _wrap_dim

    na = input._data.ndim
    if na != other._data.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = _wrap_dim(dim, na)
    la = input._data.shape[d]
    lb = other._data.shape[d]
    if la != 3 or lb != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {la} and {lb}"
        )
    if input._dtype is not other._dtype:
        raise RuntimeError(f"expected scalar type {_tn(input)} but found {_tn(other)}")
    _broadcast_batch(input._data.shape, other._data.shape)
    return _out(apply(_cross, (input, other), {"axis": d - na}), out)


@public("cross")
def cross(input, other, dim=None, *, out=None):
    """Mirrors `torch.cross` (without dim: the first dimension of size 3, with a warning)."""
    if dim is None:
        import warnings

        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated.\nPlease either "
            "pass the dim explicitly or simply use torch.linalg.cross.\nThe default value of dim "
            "will change to agree with that of linalg.cross in a future release.",
            UserWarning,
            stacklevel=2,
        )
        shape = _broadcast_batch(input._data.shape, other._data.shape)
        for i, s in enumerate(shape):
            if s == 3:
                dim = i
                break
        else:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(input, other, dim=dim, out=out)


# ---------------------------------------------------------------- cdist
@public("cdist", method=False)
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """Mirrors `torch.cdist`: p-norm distances between the rows of x1 and x2 (batched)."""
    if _AC[0]:
        return _autocast("cdist", cdist, locals())
    from ..linalg import vector_norm

    n1 = x1._data.ndim
    n2 = x2._data.ndim
    if n1 < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {n1}D")
    if n2 < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {n2}D")
    c1 = x1._data.shape[-1]
    c2 = x2._data.shape[-1]
    if c1 != c2:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {c1} X2: {c2}"
        )
    if x1._dtype._kind < 2:
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {_tn(x1)}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if compute_mode not in _CDIST_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    if p == 2 and c1 > 0 and (
        compute_mode == "use_mm_for_euclid_dist"
        or (compute_mode == "use_mm_for_euclid_dist_if_necessary"
            and (x1._data.shape[-2] > 25 or x2._data.shape[-2] > 25))
    ):
        return _euclidean_dist(x1, x2)
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    return vector_norm(diff, p, dim=-1)


_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                "donot_use_mm_for_euclid_dist")


def _euclidean_dist(x1, x2):
    """torch's matmul form of p=2 cdist, used past 25 rows: sqrt(|a|^2 + |b|^2 - 2 a.b).
    Its round-off is what torch prints (close points can come out a few 1e-4 apart in float32,
    or 0 where the difference form is not), so it is mirrored rather than the exact form."""
    from .._creation import ones_like
    from .shape import cat
    from .math import where

    n1 = x1.pow(2).sum(-1, keepdim=True)
    n2 = x2.pow(2).sum(-1, keepdim=True)
    a = cat([x1.mul(-2), n1, ones_like(n1)], -1)
    b = cat([x2, ones_like(n2), n2], -1)
    sq = a.matmul(b.mT)
    # negatives (round-off) clamp to 0, where torch's backward gives the subgradient 0
    pos = sq > 0
    return where(pos, sq, 1.0).sqrt() * pos


def _bind():
    from .._tensor import Tensor

    Tensor.__matmul__ = matmul
    Tensor.__rmatmul__ = lambda self, other: matmul(_as_t(other, self), self)


def _as_t(x, like):
    from .._creation import as_tensor

    return as_tensor(x, device=like._device)


_bind()

# the torch.linalg namespace registers its decompositions and norms (and their rule helpers)
from .. import linalg as _linalg  # noqa: F401
