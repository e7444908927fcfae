"""Math on sparse tensors: products with dense matrices, sums, softmax, sparse + sparse.

Every result's values are computed with ember's differentiable dense ops from the inputs'
values (see ember/_sparse.py), so gradients reach sparse values and dense operands alike.
"""

import numpy as np

from . import _dtype as D
from ._ops.more import sparse_coo as _COO
from ._sparse import (
    GRAD_ENABLED,
    SparseTensor,
    _index_tensor,
    _make,
    _not_implemented,
    _scalar_name,
    _with_values,
    coalesce,
    linear_index,
    segment_sum,
    unravel,
)
from ._tensor import Tensor, _wrap_dim


def _is_sparse(x):
    return x.__class__ is SparseTensor


# ---------------------------------------------------------------- products
def _check_mm(s, d):
    if s.sparse_dim() != 2 or s.dense_dim() != 0:
        raise RuntimeError(
            f"ember: sparse @ dense needs a 2-D sparse matrix without dense dimensions, got "
            f"{s.sparse_dim()} sparse and {s.dense_dim()} dense dimensions"
        )
    if d.dim() != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {d.dim()}-D tensor")
    if d.shape[0] != s.shape[1]:
        raise RuntimeError(
            f"addmm: Argument #3 (dense): Expected dim 0 size {s.shape[1]}, got {d.shape[0]}"
        )
    if d._dtype is not s._dtype:
        raise RuntimeError(
            f"expected scalar type {_scalar_name(s._dtype)} but found {_scalar_name(d._dtype)}"
        )


def _sparse_dense_mm(s, d):
    """out[r] = sum over entries k of row r of values[k] * d[col[k]]: gather the rows of d
    the entries need, scale them, add them into their output rows."""
    _check_mm(s, d)
    dev = s._device
    rows = _index_tensor(s._idx[0], dev)
    cols = _index_tensor(s._idx[1], dev)
    contrib = d.index_select(0, cols) * s._vals.unsqueeze(1)
    import ember

    out = ember.zeros((s.shape[0], d.shape[1]), dtype=contrib._dtype, device=dev)
    return out.index_add(0, rows, contrib)


def mm(s, other):
    """Mirrors `torch.sparse.mm` / `torch.spmm` / `torch.mm` with a sparse first operand:
    sparse @ dense is dense; sparse @ sparse is sparse (ember: computed through the dense
    product, so explicit zeros of the result are dropped)."""
    if not _is_sparse(s):
        import ember

        if _is_sparse(other):
            return rmatmul(s, other)
        return ember.mm(s, other)
    if _is_sparse(other):
        return _sparse_dense_mm(s, other.to_dense()).to_sparse()
    if not isinstance(other, Tensor):
        raise TypeError(f"mm(): argument 'mat2' must be Tensor, not {type(other).__name__}")
    return _sparse_dense_mm(s, other)


def matmul(s, other):
    """Mirrors `torch.matmul` / `@` with a sparse first operand (a dense vector or matrix)."""
    if isinstance(other, Tensor) and not _is_sparse(other) and other.dim() == 1:
        return _sparse_dense_mm(s, other.unsqueeze(1)).squeeze(1)
    return mm(s, other)


def rmatmul(d, s):
    """dense @ sparse (dense): (s^T @ d^T)^T."""
    if not isinstance(d, Tensor):
        return NotImplemented
    if d.dim() == 1:
        return _sparse_dense_mm(s.t(), d.unsqueeze(1)).squeeze(1)
    return _sparse_dense_mm(s.t(), d.t()).t()


def addmm(input, mat1, mat2, *, beta=1.0, alpha=1.0):
    """Mirrors `torch.sparse.addmm` (and `torch.addmm` with a sparse mat1): beta * input +
    alpha * (mat1 @ mat2)."""
    prod = mm(mat1, mat2)
    if alpha != 1:
        prod = prod * alpha
    if beta == 0:
        # as torch: input is ignored (its NaNs do not propagate)
        return prod
    return prod + (input if beta == 1 else input * beta)


def spmm(input, mat2):
    """Mirrors `torch.spmm`: sparse (or dense) @ dense."""
    return mm(input, mat2)


# ---------------------------------------------------------------- elementwise
def mul(s, other):
    """Mirrors `torch.mul` with a sparse operand: by a scalar, a 0-d tensor, a dense tensor of
    the same shape (sparse result) or a sparse tensor (the product on common indices)."""
    if _is_sparse(other):
        return _mul_sparse(s, other)
    if isinstance(other, Tensor):
        if other.dim() == 0:
            return _with_values(s, s._vals * other)
        if tuple(other.shape) != tuple(s.shape):
            raise NotImplementedError(
                "ember: sparse * dense needs a dense tensor of the sparse tensor's shape"
            )
        picked = other[tuple(_index_tensor(r, s._device) for r in s._idx)]
        return _with_values(s, s._vals * picked)
    return _with_values(s, s._vals * other)


def _mul_sparse(a, b):
    """torch's sparse * sparse: the product on common indices when both are coalesced; else
    the uncoalesced operand's entries (other's when both are) times the other's value there."""
    if tuple(a.shape) != tuple(b.shape):
        raise RuntimeError(
            f"mul operands have incompatible sizes {list(a.shape)} and {list(b.shape)}"
        )
    a = a.to_sparse_coo()
    b = b.to_sparse_coo()
    xp = a._device.xp
    sizes = tuple(a.shape[:a.sparse_dim()])
    if not (a._coalesced and b._coalesced):
        keep, other = (b, a) if not b._coalesced else (a, b)
        picked = _values_at(coalesce(other), linear_index(xp, keep._idx, sizes), sizes)
        return _make(keep._idx, keep._vals * picked, a.shape, False)
    la = linear_index(xp, a._idx, sizes)
    lb = linear_index(xp, b._idx, sizes)
    common, ia, ib = np.intersect1d(la, lb, assume_unique=True, return_indices=True)
    va = a._vals[_index_tensor(ia, a._device)]
    vb = b._vals[_index_tensor(ib, b._device)]
    return _make(unravel(xp, common, sizes), va * vb, a.shape, True)


def _values_at(c, lin, sizes):
    """The values of coalesced c at the positions `lin` (zero where c has no entry);
    differentiable with respect to c's values."""
    xp = c._device.xp
    lc = linear_index(xp, c._idx, sizes)
    n = lc.shape[0]
    if n == 0:
        return c._vals.new_zeros((lin.shape[0],) + tuple(c._vals.shape[1:]))
    pos = xp.minimum(xp.searchsorted(lc, lin), n - 1)
    found = (lc[pos] == lin).astype(c._vals._dtype.np)
    picked = c._vals[_index_tensor(pos, c._device)]
    mask = _const(found.reshape(found.shape + (1,) * (picked.dim() - 1)), picked)
    return picked * mask


def add_dense(d, s, alpha):
    """dense + alpha * sparse, a dense tensor (torch: add(dense, sparse, alpha=alpha))."""
    if not isinstance(d, Tensor):
        raise _not_implemented("add.Tensor", s)
    if tuple(d.shape) != tuple(s.shape):
        raise RuntimeError(
            f"add: expected 'self' and 'other' to have same size, but self has size "
            f"{list(d.shape)} while other has size {list(s.shape)} (FYI: dense-sparse addition "
            "does not currently support broadcasting)")
    if not (GRAD_ENABLED() and (d._rg or s._vals._rg)) and s._layout is _COO:
        return _add_entries(d, s, alpha)
    dense = s.to_dense()
    if alpha == 1:
        return d + dense
    if alpha == -1:
        return d - dense
    return d + dense * alpha


def _add_entries(d, s, alpha):
    """dense + alpha * sparse outside autograd, as torch's CPU kernel computes it: an axpy per
    entry, in entry order (duplicates one after another). The axpy of float32 is a fused
    multiply-add, one rounding: float64 arithmetic rounded once gives the same float32."""
    from ._tensor import _new_tensor

    dt = D.result_type(d, s._vals)
    out = d._data.astype(dt.np, copy=True)
    vals = s._vals.detach()._data
    xp = s._device.xp
    wide = np.float64 if out.dtype == np.float32 else out.dtype
    a = np.asarray(alpha, dtype=out.dtype).astype(wide)
    for at, sel in _passes(xp, s):
        v = vals if sel is None else vals[sel]
        out[at] = (out[at].astype(wide) + a * v.astype(wide)).astype(out.dtype)
    return _new_tensor(out, dt, d._device)


def _passes(xp, s):
    """s's entries as groups of distinct positions, in entry order: (index tuple, entry
    selection or None for all). Entry k goes to the pass numbered by how many earlier
    entries share its position."""
    idx = s._idx
    sizes = tuple(s._size[:idx.shape[0]])
    lin = linear_index(xp, idx, sizes)
    n = lin.shape[0]
    if n < 2 or xp.unique(lin).shape[0] == n:
        return [(tuple(idx), None)]
    order = xp.argsort(lin, kind="stable")
    sl = lin[order]
    first = xp.concatenate([xp.ones(1, dtype=bool), sl[1:] != sl[:-1]])
    start = xp.maximum.accumulate(xp.where(first, xp.arange(n), 0))
    rank = xp.empty(n, dtype=np.int64)
    rank[order] = xp.arange(n) - start
    out = []
    for r in range(int(rank.max()) + 1):
        sel = xp.flatnonzero(rank == r)
        out.append((tuple(idx[:, sel]), sel))
    return out


def add(a, other, alpha=1):
    """Mirrors `torch.add` of two sparse tensors: torch's ordered merge of the two index
    lists (equal indices met side by side are summed; the result is coalesced when both
    inputs are)."""
    if not _is_sparse(other):
        if isinstance(other, Tensor):
            raise RuntimeError(
                "add(sparse, dense) is not supported. Use add(dense, sparse) instead."
            )
        raise _not_implemented("add.Tensor", a)
    if tuple(a.shape) != tuple(other.shape):
        raise RuntimeError(
            f"add: expected 'self' and 'other' to have same size, but self has size "
            f"{list(a.shape)} while other has size {list(other.shape)}"
        )
    if a._layout is not other._layout:
        raise NotImplementedError("ember: adding sparse tensors of different layouts")
    dt = D.result_type(a._vals, other._vals)
    va = a._vals.to(dt)
    vb = other._vals.to(dt)
    if alpha != 1:
        vb = vb * alpha
    xp = a._device.xp
    sizes = tuple(a.shape[:a.sparse_dim()])
    la = linear_index(xp, a._idx, sizes)
    lb = linear_index(xp, other._idx, sizes)
    both = a._coalesced and other._coalesced
    if not (a._vals.is_contiguous() and other._vals.is_contiguous()):
        # torch's kernel merges only contiguous values; else it concatenates a's entries
        # and b's (an uncoalesced result)
        import ember

        vals = ember.cat([va, vb])
        return _make(xp.concatenate([a._idx, other._idx], axis=1), vals, a.shape, False)
    if both:
        lin, pos = xp.unique(xp.concatenate([la, lb]), return_inverse=True)
        pos = pos.reshape(-1)
    else:
        lin, pos = _merge(la.tolist(), lb.tolist())
        lin = xp.asarray(lin, dtype=np.int64)
        pos = xp.asarray(pos, dtype=np.int64)
    import ember

    vals = segment_sum(ember.cat([va, vb]), pos, int(lin.shape[0]))
    out = _make(unravel(xp, lin, sizes), vals, a.shape, both)
    return out.to_sparse_csr() if a._layout is not out._layout else out


def _merge(la, lb):
    """torch's sparse add on unsorted inputs: walk both lists, take the smaller index, and sum
    the two heads when they are equal. Returns the result's indices and, for each input entry
    (a's then b's), its result position."""
    out = []
    pa = []
    pb = []
    i = j = 0
    na = len(la)
    nb = len(lb)
    while i < na or j < nb:
        if j >= nb or (i < na and la[i] < lb[j]):
            pa.append(len(out))
            out.append(la[i])
            i += 1
        elif i >= na or lb[j] < la[i]:
            pb.append(len(out))
            out.append(lb[j])
            j += 1
        else:
            pa.append(len(out))
            pb.append(len(out))
            out.append(la[i])
            i += 1
            j += 1
    return out, pa + pb


# ---------------------------------------------------------------- reductions
def sparse_sum(s, dim=None, dtype=None):
    """Mirrors `torch.sparse.sum`: all elements (a dense 0-d tensor), or over `dim`: a sparse
    tensor over the sparse dimensions left (dense when none is left)."""
    if s._layout is not _COO:
        s = s.to_sparse_coo()
    if dim is None:
        return (s._vals if dtype is None else s._vals.to(dtype)).sum()
    # torch sums a coalesced copy (so a sum over dense dimensions comes out coalesced too)
    s = coalesce(s)
    vals = s._vals if dtype is None else s._vals.to(dtype)
    n = s.dim()
    dims = [dim] if isinstance(dim, int) else list(dim)
    dims = sorted({_wrap_dim(d, n) for d in dims})
    sd = s.sparse_dim()
    dense_dims = [d - sd + 1 for d in dims if d >= sd]
    if dense_dims:
        vals = vals.sum(dense_dims)
    keep = [d for d in range(sd) if d not in dims]
    if not keep:
        return vals.sum(0)
    size = [s.shape[d] for d in range(n) if d not in dims]
    if len(keep) == sd:
        return _make(s._idx, vals, size, s._coalesced)
    xp = s._device.xp
    idx = s._idx[keep]
    sizes = tuple(s.shape[d] for d in keep)
    lin = linear_index(xp, idx, sizes)
    uniq, inv = xp.unique(lin, return_inverse=True)
    vals = segment_sum(vals, inv.reshape(-1), int(uniq.shape[0]))
    return _make(unravel(xp, uniq, sizes), vals, size, True)


def _groups(s, d):
    """Group ids of the entries of coalesced s that share every sparse index but dim d."""
    xp = s._device.xp
    sd = s.sparse_dim()
    others = [i for i in range(sd) if i != d]
    if not others:
        return xp.zeros(s._idx.shape[1], dtype=np.int64), 1
    lin = linear_index(xp, s._idx[others], tuple(s.shape[i] for i in others))
    uniq, inv = xp.unique(lin, return_inverse=True)
    return inv.reshape(-1), int(uniq.shape[0])


def _softmax_parts(input, dim, dtype):
    s = input if dtype is None else input.to(dtype)
    if s._layout is not _COO:
        raise _not_implemented("_sparse_softmax", s)
    s = coalesce(s)
    d = _wrap_dim(dim, s.dim())
    if d >= s.sparse_dim():
        return s, d, None, None, None
    seg, n = _groups(s, d)
    vals = s._vals
    # each group's maximum, as a constant: softmax is unchanged by the shift
    a = vals.detach()._data
    xp = s._device.xp
    mx = xp.full((n,) + a.shape[1:], -xp.inf, dtype=a.dtype)
    xp.maximum.at(mx, seg, a)
    shifted = vals - _const(mx[seg], vals)
    e = shifted.exp()
    den = segment_sum(e, seg, n)
    return s, d, shifted, e, den[_index_tensor(seg, s._device)]


def _const(arr, like):
    from ._tensor import _new_tensor

    return _new_tensor(arr, like._dtype, like._device)


def softmax(input, dim, dtype=None):
    """Mirrors `torch.sparse.softmax`: softmax over the specified entries along dim (the
    missing ones count as -inf)."""
    s, d, _shifted, e, den = _softmax_parts(input, dim, dtype)
    if e is None:
        return _with_values(s, s._vals.softmax(d - s.sparse_dim() + 1))
    return _with_values(s, e / den)


def log_softmax(input, dim, dtype=None):
    """Mirrors `torch.sparse.log_softmax`."""
    s, d, shifted, e, den = _softmax_parts(input, dim, dtype)
    if e is None:
        return _with_values(s, s._vals.log_softmax(d - s.sparse_dim() + 1))
    return _with_values(s, shifted - den.log())


