"""Row-sparse gradients: what `Embedding(sparse=True)` sends its weight.

torch's sparse embedding backward returns a `torch.sparse_coo` gradient whose indices are the
looked-up rows (padding_idx left out) and whose values are the matching rows of the output
gradient, uncoalesced. While it travels through ember's engine (which passes raw arrays), such
a gradient is a `RowGrad`: the row numbers and the value rows, with the weight's shape and
dtype so the engine's shape check lets it through. It only ever reaches a leaf (the sparse
rule is used only for a leaf weight), where `accumulate` turns it into a SparseTensor `.grad`
or adds it to the `.grad` already there, as torch's AccumulateGrad does.

Whether torch merges or concatenates two sparse tensors it adds depends on whether both have
contiguous values (add_out_sparse_cpu: the ordered merge needs contiguous values, else it
concatenates), which shows in the uncoalesced `.grad` after several backward calls; a
RowGrad records whether torch's values would be contiguous so the result is the same.
"""

import numpy as np


class RowGrad:
    """The gradient of a 2-D weight at some rows: `vals[k]` belongs to row `rows[k]`."""

    __slots__ = ("rows", "vals", "shape", "dtype", "contiguous")

    # NumPy defers `array + RowGrad` to RowGrad.__radd__ instead of broadcasting an object
    __array_ufunc__ = None

    def __init__(self, rows, vals, shape, contiguous):
        self.rows = rows
        self.vals = vals
        self.shape = shape
        self.dtype = vals.dtype
        self.contiguous = contiguous

    def __add__(self, other):
        # the engine writes `old + new` when a second gradient reaches the same leaf within
        # one backward; torch's InputBuffer computes `new + old` for a sparse old gradient
        if other.__class__ is RowGrad:
            return _add_rows(other, self)
        return self.__radd__(other)

    def __radd__(self, other):
        # dense + sparse is dense
        out = other.astype(np.result_type(other.dtype, self.dtype), copy=True)
        return self.add_into(out)

    def add_into(self, out):
        """out[rows[k]] += vals[k] for each k in turn, as torch's dense + sparse kernel
        (duplicate rows one after another); returns out."""
        if out.__class__ is np.ndarray:
            np.add.at(out, self.rows, self.vals)
        else:
            out += self.dense().astype(out.dtype, copy=False)
        return out

    def dense(self):
        """The gradient as a dense array of the weight's shape (duplicate rows summed)."""
        from ._ops.nn_misc import scatter_array

        return scatter_array(self.vals, self.rows, 0, self.shape[0], None)

    def to_tensor(self, device):
        """A new uncoalesced sparse COO tensor of its own (indices and contiguous values):
        torch copies a gradient it cannot steal into `.grad`, so `.grad` always has
        contiguous values. torch marks fewer than two entries coalesced."""
        from ._sparse import _make
        from ._tensor import _new_tensor
        from ._dtype import from_numpy_dtype

        vals = _new_tensor(self.vals.copy(), from_numpy_dtype(self.dtype), device)
        idx = self.rows.reshape(1, -1).astype(np.int64, copy=True)
        return _make(idx, vals, self.shape, idx.shape[1] < 2)


def _add_rows(a, b):
    """torch's `a + b` of two row-sparse gradients: the ordered merge when both have contiguous
    values, else a's entries then b's."""
    if not (a.contiguous and b.contiguous):
        # (np.concatenate hands CuPy arrays to CuPy)
        rows = np.concatenate((a.rows, b.rows))
        vals = np.concatenate((a.vals, b.vals))
        return RowGrad(rows, vals, a.shape, True)
    from ._sparse_ops import _merge

    from ._ops.nn_misc import _xp_of

    xp = _xp_of(a.vals)
    rows, pos = _merge(a.rows.tolist(), b.rows.tolist())
    n = a.rows.shape[0]
    pos = xp.asarray(pos, dtype=np.int64)
    vals = xp.zeros((len(rows),) + a.vals.shape[1:], dtype=a.dtype)
    # each input's positions are distinct (and increasing): plain assignment and addition
    vals[pos[:n]] = a.vals
    vals[pos[n:]] += b.vals
    return RowGrad(xp.asarray(rows, dtype=np.int64), vals, a.shape, True)


def accumulate(t, g):
    """Add the RowGrad `g` into `t.grad`, as torch's AccumulateGrad does for a sparse new
    gradient: stored as a sparse tensor when there is none, added in place otherwise (a dense
    `.grad` stays dense, a sparse one grows by g's entries)."""
    from ._tensor import Tensor
    from .autograd.grad_mode import no_grad

    d = t.__dict__
    old = d.get("_grad")
    if old is None:
        d["_grad"] = g.to_tensor(t._device)
        return
    if old.__class__ is Tensor or not old.is_sparse:
        g.add_into(old._data)
        v = old._vc
        if v is not None:
            v[0] += 1
        return
    new = g.to_tensor(t._device)
    if g.contiguous and old._vals.is_contiguous():
        with no_grad():
            old.add_(new)
        return
    # torch concatenates when either operand's values are not contiguous
    from ._tensor import _new_tensor

    d = old.__dict__
    ov = old._vals.detach()._data
    d["_idx"] = np.concatenate((old._idx, new._idx), axis=1)
    d["_vals"] = _new_tensor(np.concatenate((ov, new._vals._data.astype(ov.dtype))),
                             old._dtype, old._device)
    d["_coalesced"] = False


def from_tensor(s, like):
    """A hook's replacement sparse gradient as a RowGrad (rows of a 2-D tensor)."""
    if s.sparse_dim() != 1:
        raise NotImplementedError("ember: a hook returned a sparse gradient with sparse_dim > 1")
    rows = s._idx[0]
    vals = s._vals.detach()._data
    return RowGrad(rows, vals, like.shape, bool(vals.flags.c_contiguous))
