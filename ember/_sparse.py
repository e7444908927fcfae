"""Sparse tensors: the `torch.sparse_coo` and `torch.sparse_csr` layouts.

A sparse tensor is a `SparseTensor`, a Tensor subclass, so `isinstance(x, torch.Tensor)` holds
and `type(x)` prints `<class 'torch.Tensor'>`. Its instance dict holds
- `_idx`: the int64 indices, an array of shape (sparse_dim, nnz) on the values' device
  (NumPy or CuPy: the code below only uses the `xp` of the device);
- `_vals`: the values, an ember Tensor of shape (nnz, *dense_shape);
- `_size` (a Size), `_coalesced` (torch's flag) and `_layout`;
- for CSR, `_crow` (the compressed row indices); `_idx` then holds the COO rows and columns,
  so every computation runs on one form.

Autograd goes through the values: an op that makes new values computes them with ember's dense
ops (index_add, index_select, mul, ...) from `_vals`, so gradients reach the values, whatever
they were made from, and the dense operands, with no backward rule of their own. A sparse leaf
made with `requires_grad=True` keeps a leaf values tensor, and its `.grad` is a sparse tensor
on its indices built from that tensor's gradient.

Dense ops read `_data`; here that is a property that raises torch's NotImplementedError naming
the op and the SparseCPU backend, so no dense op silently computes on a sparse input.
"""

import sys
import warnings

import numpy as np

from . import _dtype as D
from ._ops.more import sparse_coo, sparse_csr, strided
from ._tensor import Size, Tensor, _new_tensor

_new = object.__new__

# torch's C++ scalar type names, for its "expected scalar type" messages
_SCALAR_NAMES = {
    "float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
    "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
    "bool": "Bool", "complex64": "ComplexFloat", "complex128": "ComplexDouble",
}


# ---------------------------------------------------------------- errors
def _backend(t):
    dev = "CUDA" if t._device.type == "cuda" else "CPU"
    return ("SparseCsr" if t.__dict__.get("_layout") is sparse_csr else "Sparse") + dev


def _not_implemented(name, t):
    return NotImplementedError(
        f"Could not run 'aten::{name}' with arguments from the '{_backend(t)}' backend. This "
        "could be because the operator doesn't exist for this backend, or was omitted during "
        "the selective/custom build process (if using custom build). If you are a Facebook "
        "employee using PyTorch on mobile, please visit https://fburl.com/ptmfixes for "
        "possible resolutions."
    )


def _calling_op_name():
    """The name of the dense op that reached for a sparse tensor's data: the registry's `op`
    when one is on the stack, else the nearest public function. Error path only."""
    frame = sys._getframe(2)
    f = frame
    for _ in range(10):
        if f is None:
            break
        name = getattr(f.f_locals.get("op"), "name", None)
        if isinstance(name, str):
            return name
        f = f.f_back
    f = frame
    while f is not None:
        name = f.f_code.co_name
        if not name.startswith("_") and name not in ("apply", "wrapper", "f", "<module>"):
            return name
        f = f.f_back
    return "op"


# ember op names whose aten name carries an overload (or a leading underscore)
_ATEN_NAMES = {
    "eq": "eq.Tensor", "ne": "ne.Tensor", "lt": "lt.Tensor", "le": "le.Tensor",
    "gt": "gt.Tensor", "ge": "ge.Tensor", "softmax": "_softmax", "log_softmax": "_log_softmax",
    "mean": "mean.dim",
}


def _no_dense_data(self):
    name = _calling_op_name()
    raise _not_implemented(_ATEN_NAMES.get(name, name), self)


def GRAD_ENABLED():
    from .autograd.grad_mode import GRAD

    return GRAD.enabled


def _scalar_name(dt):
    return _SCALAR_NAMES.get(dt.name, dt.name)


# ---------------------------------------------------------------- construction helpers
def _index_tensor(arr, dev):
    return _new_tensor(arr, D.int64, dev)


def _make(idx, vals, size, coalesced, layout=sparse_coo, crow=None, own_grad=False):
    """A SparseTensor on `idx` (sparse_dim, nnz) and `vals` (nnz, *dense) of shape `size`."""
    s = _new(SparseTensor)
    s._dtype = vals._dtype
    s._device = vals._device
    d = s.__dict__
    d["_idx"] = idx
    d["_vals"] = vals
    d["_size"] = Size(size)
    d["_coalesced"] = bool(coalesced)
    d["_layout"] = layout
    if crow is not None:
        d["_crow"] = crow
    if own_grad:
        d["_own_grad"] = True
    return s


def _with_values(s, vals, coalesced=None):
    """s's indices (and layout) with new values."""
    return _make(s._idx, vals, s._size, s._coalesced if coalesced is None else coalesced,
                 s._layout, s._crow)


def _numel(sizes):
    n = 1
    for v in sizes:
        n *= v
    return n


def linear_index(xp, idx, sizes):
    """Row-major positions of the index columns `idx` in an array of shape `sizes`."""
    lin = xp.zeros(idx.shape[1], dtype=np.int64)
    for i, n in enumerate(sizes):
        lin = lin * n + idx[i]
    return lin


def unravel(xp, lin, sizes):
    """The inverse of `linear_index`: a (len(sizes), n) int64 array."""
    out = xp.empty((len(sizes), lin.shape[0]), dtype=np.int64)
    for i in range(len(sizes) - 1, -1, -1):
        n = max(sizes[i], 1)
        out[i] = lin % n
        lin = lin // n
    return out


def segment_sum(vals, seg, n):
    """Differentiable: out[j] = sum of vals[k] with seg[k] == j, for j < n."""
    import ember

    out = ember.zeros((n,) + tuple(vals.shape[1:]), dtype=vals._dtype, device=vals._device)
    return out.index_add(0, _index_tensor(seg, vals._device), vals)


# ---------------------------------------------------------------- the tensor class
class SparseTensor(Tensor):
    """A COO or CSR sparse tensor. Mirrors `torch.Tensor` with layout `torch.sparse_coo` or
    `torch.sparse_csr` (ember: 2-D CSR without batch or dense dimensions)."""

    # what `type(x)` prints (see _typenames): torch has one Tensor class for every layout
    _torch_name = "torch.Tensor"

    _crow = None
    _own_grad = False

    # dense ops read `_data`: they get torch's "Could not run 'aten::X' ... SparseCPU" error
    _data = property(_no_dense_data)
    # the registry and the engine read these: the values carry the autograd state
    _rg = property(lambda self: self._vals._rg)
    _node = property(lambda self: self._vals._node)

    # ------------------------------------------------------------ metadata
    @property
    def layout(self):
        return self._layout

    @property
    def is_sparse(self):
        return self._layout is sparse_coo

    @property
    def is_sparse_csr(self):
        return self._layout is sparse_csr

    @property
    def shape(self):
        return self._size

    def size(self, dim=None):
        if dim is None:
            return self._size
        from ._tensor import _wrap_size_dim

        return self._size[_wrap_size_dim(dim, len(self._size))]

    @property
    def ndim(self):
        return len(self._size)

    def dim(self):
        return len(self._size)

    ndimension = dim

    def numel(self):
        return _numel(self._size)

    nelement = numel

    def __len__(self):
        if not self._size:
            raise TypeError("len() of a 0-d tensor")
        return self._size[0]

    def is_contiguous(self, memory_format=None):
        return False

    def _nnz(self):
        return int(self._idx.shape[1])

    def sparse_dim(self):
        return int(self._idx.shape[0])

    def dense_dim(self):
        return len(self._size) - int(self._idx.shape[0])

    def is_coalesced(self):
        self._need_coo("is_coalesced")
        return self._coalesced

    def _coalesced_(self, coalesced):
        self._coalesced = bool(coalesced)
        return self

    def _need_coo(self, name):
        if self._layout is not sparse_coo:
            raise RuntimeError(
                f"{name} expected sparse coordinate tensor layout but got SparseCsr"
            )

    def _need_csr(self, name):
        if self._layout is not sparse_csr:
            raise RuntimeError(
                f"{name} expected sparse row compressed tensor layout but got Sparse"
            )

    # ------------------------------------------------------------ autograd state
    @property
    def requires_grad(self):
        return self._vals._rg

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        """Mirrors `torch.Tensor.requires_grad_`: a leaf's values become (or stop being) a leaf
        that requires grad; `.grad` then reads their gradient."""
        self._vals.requires_grad_(requires_grad)
        self._own_grad = bool(requires_grad)
        return self

    def _get_grad(self):
        g = self._vals.grad if self._own_grad else None
        if g is None:
            return None
        return grad_on_pattern(self, g)

    def _set_grad(self, g):
        if g is None:
            self._vals.grad = None
            return
        if not isinstance(g, SparseTensor):
            raise TypeError("assigned grad to a sparse tensor must be a sparse tensor or None")
        # the values of g at this tensor's indices
        self._vals.grad = g.to_dense()[tuple(_index_tensor(r, self._device) for r in self._idx)]

    grad = property(_get_grad, _set_grad, lambda self: self._set_grad(None))

    def detach(self):
        return _with_values(self, self._vals.detach())

    def clone(self, *, memory_format=None):
        return _with_values(self, self._vals.clone())

    def __copy__(self):
        return _with_values(self, self._vals)

    def __deepcopy__(self, memo):
        out = _make(self._idx.copy(), self._vals.detach().clone(), self._size, self._coalesced,
                    self._layout, None if self._crow is None else self._crow.copy())
        if self._own_grad:
            out.requires_grad_(True)
        memo[id(self)] = out
        return out

    def __reduce_ex__(self, proto):
        return (_unpickle_sparse, reduce_args(self))

    # ------------------------------------------------------------ conversion
    def to(self, *args, **kwargs):
        """Mirrors `torch.Tensor.to` for a sparse tensor: dtype and device move the values
        (and indices); the layout stays."""
        from ._device import move, to_device
        from ._tensor import _parse_to

        dev, dt, copy = _parse_to(args, kwargs)
        vals = self._vals
        if dt is not None or dev is not None:
            vals = vals.to(*(a for a in (dev, dt) if a is not None))
        elif copy:
            vals = vals.clone()
        if vals is self._vals:
            return self
        idx = self._idx
        crow = self._crow
        if vals._device != self._device:
            target = to_device(vals._device)
            idx = move(idx, target)
            crow = None if crow is None else move(crow, target)
        return _make(idx, vals, self._size, self._coalesced, self._layout, crow)

    def numpy(self, *, force=False):
        kind = "Sparse" if self._layout is sparse_coo else "SparseCsr"
        raise TypeError(
            f"can't convert {kind} layout tensor to numpy. Use Tensor.to_dense() first."
        )

    def __array__(self, dtype=None, copy=None):
        return self.numpy()

    def __bool__(self):
        raise _not_implemented("is_nonzero", self)

    def __format__(self, spec):
        return object.__format__(self, spec)

    def __repr__(self, *, tensor_contents=None):
        return sparse_repr(self)

    def __str__(self):
        return sparse_repr(self)

    # ------------------------------------------------------------ indices and values
    def _indices(self):
        self._need_coo("_indices")
        return _index_tensor(self._idx, self._device)

    def _values(self):
        return self._vals

    def indices(self):
        self._need_coo("indices")
        if not self._coalesced:
            raise RuntimeError(
                "Cannot get indices on an uncoalesced tensor, please call .coalesce() first"
            )
        return _index_tensor(self._idx, self._device)

    def values(self):
        if self._layout is sparse_coo and not self._coalesced:
            raise RuntimeError(
                "Cannot get values on an uncoalesced tensor, please call .coalesce() first"
            )
        return self._vals

    def crow_indices(self):
        self._need_csr("crow_indices")
        return _index_tensor(self._crow, self._device)

    def col_indices(self):
        self._need_csr("col_indices")
        return _index_tensor(self._idx[1], self._device)

    def coalesce(self):
        """Mirrors `torch.Tensor.coalesce`: duplicate indices summed, indices sorted."""
        self._need_coo("coalesce")
        return coalesce(self)

    def to_dense(self, dtype=None, *, masked_grad=None):
        """Mirrors `torch.Tensor.to_dense` (differentiable with respect to the values)."""
        out = to_dense(self)
        return out if dtype is None else out.to(dtype)

    def to_sparse(self, *args, layout=None, sparse_dim=None, blocksize=None, dense_dim=None):
        if args and not isinstance(args[0], int):
            layout = args[0]
        if layout is None or layout is sparse_coo:
            return self.to_sparse_coo()
        if layout is sparse_csr:
            return self.to_sparse_csr()
        raise NotImplementedError(f"ember: to_sparse(layout={layout}) is not supported")

    def to_sparse_coo(self):
        if self._layout is sparse_coo:
            return self
        return _make(self._idx, self._vals, self._size, self._coalesced)

    def to_sparse_csr(self, dense_dim=None):
        if self._layout is sparse_csr:
            return self
        return to_csr(self)

    # ------------------------------------------------------------ shape
    def t(self):
        if len(self._size) > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got "
                f"{self.sparse_dim()} sparse and {self.dense_dim()} dense dimensions"
            )
        if len(self._size) < 2:
            return self
        return self.transpose(0, 1)

    def t_(self):
        out = self.t()
        self.__dict__.update(out.__dict__)
        return self

    def transpose(self, dim0, dim1):
        """Mirrors `torch.Tensor.transpose` of two sparse dimensions (COO)."""
        from ._tensor import _wrap_dim

        if self._layout is not sparse_coo:
            raise _not_implemented("transpose", self)
        n = len(self._size)
        d0 = _wrap_dim(dim0, n)
        d1 = _wrap_dim(dim1, n)
        sd = self.sparse_dim()
        if d0 >= sd or d1 >= sd:
            raise NotImplementedError("ember: transpose of a dense dimension of a sparse tensor")
        order = list(range(n))
        order[d0], order[d1] = order[d1], order[d0]
        idx = self._idx[order[:sd]]
        size = [self._size[i] for i in order]
        # torch marks the result uncoalesced (its order is no longer sorted)
        return _make(idx, self._vals, size, d0 == d1 and self._coalesced)

    def permute(self, *dims):
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        sd = self.sparse_dim()
        n = len(self._size)
        if self._layout is not sparse_coo or sorted(d % n for d in dims) != list(range(n)) or any(
                d % n >= sd and d % n != i for i, d in enumerate(dims)):
            raise NotImplementedError("ember: permute of a sparse tensor moves sparse dims only")
        order = [d % n for d in dims]
        return _make(self._idx[order[:sd]], self._vals, [self._size[i] for i in order],
                     order == list(range(n)) and self._coalesced)

    # ------------------------------------------------------------ arithmetic
    def mul(self, other):
        from ._sparse_ops import mul

        return mul(self, other)

    __mul__ = mul
    __rmul__ = mul
    multiply = mul

    def div(self, other, *, rounding_mode=None):
        if isinstance(other, Tensor) and (isinstance(other, SparseTensor) or other.dim() > 0):
            raise _not_implemented("div.Tensor", self)
        if rounding_mode is not None:
            return _with_values(self, self._vals.div(other, rounding_mode=rounding_mode))
        return _with_values(self, self._vals / other)

    __truediv__ = div
    divide = div

    def __rtruediv__(self, other):
        raise _not_implemented("div.Tensor", self)

    def neg(self):
        return _with_values(self, -self._vals)

    __neg__ = neg
    negative = neg

    def add(self, other, *, alpha=1):
        from ._sparse_ops import add

        return add(self, other, alpha)

    __add__ = add

    def __radd__(self, other):
        # dense + sparse is dense (Python asks this subclass first)
        from ._sparse_ops import add_dense

        return add_dense(other, self, 1)

    def sub(self, other, *, alpha=1):
        from ._sparse_ops import add

        return add(self, other, -alpha)

    __sub__ = sub
    subtract = sub

    def add_(self, other, *, alpha=1):
        """Mirrors `torch.Tensor.add_` of two sparse tensors (an optimizer's step on a sparse
        parameter: `p.add_(p.grad, alpha=-lr)`). A leaf keeps its values tensor, updated in
        place, when the result has its indices."""
        from ._sparse_ops import add
        from .autograd.grad_mode import no_grad

        if self._vals._rg and self._vals._node is None and GRAD_ENABLED():
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        with no_grad():
            out = add(self, other, alpha)
        d = self.__dict__
        if out._idx.shape == self._idx.shape and bool((out._idx == self._idx).all()):
            with no_grad():
                self._vals.copy_(out._vals)
        else:
            vals = out._vals
            d["_vals"] = vals.requires_grad_(True) if self._own_grad else vals
            d["_idx"] = out._idx
        d["_coalesced"] = out._coalesced
        return self

    def mul_(self, other):
        from .autograd.grad_mode import no_grad

        if isinstance(other, Tensor):
            raise NotImplementedError("ember: in-place sparse mul by a tensor")
        with no_grad():
            self._vals.mul_(other)
        return self

    def __rsub__(self, other):
        from ._sparse_ops import add_dense

        return add_dense(other, self, -1)

    def pow(self, exponent):
        if isinstance(exponent, Tensor):
            raise _not_implemented("pow.Tensor_Tensor", self)
        if exponent == 0:
            raise RuntimeError(
                "pow(sparse, 0) is not supported: the result would not be sparse"
            )
        c = coalesce(self) if self._layout is sparse_coo else self
        return _with_values(c, c._vals ** exponent)

    __pow__ = pow

    def sum(self, dim=None, keepdim=False, dtype=None):
        from ._sparse_ops import sparse_sum

        if keepdim:
            raise NotImplementedError("ember: sparse sum with keepdim=True")
        return sparse_sum(self, dim, dtype)

    def mm(self, mat2):
        from ._sparse_ops import mm

        return mm(self, mat2)

    def matmul(self, other):
        from ._sparse_ops import matmul

        return matmul(self, other)

    __matmul__ = matmul

    def __rmatmul__(self, other):
        from ._sparse_ops import rmatmul

        return rmatmul(other, self)

    def zero_(self):
        xp = self._device.xp
        d = self.__dict__
        d["_idx"] = xp.zeros((self._idx.shape[0], 0), dtype=np.int64)
        d["_vals"] = self._vals[:0].detach()
        d["_coalesced"] = True
        if self._crow is not None:
            d["_crow"] = xp.zeros_like(self._crow)
        return self


def _zero_preserving(name):
    """A unary op with f(0) == 0: applied to the values, the indices kept."""

    def f(self):
        # f(a) + f(b) != f(a + b): torch coalesces first (only neg and scalar products don't)
        c = coalesce(self) if self._layout is sparse_coo else self
        return _with_values(c, getattr(c._vals, name)())

    f.__name__ = name
    f.__doc__ = f"Mirrors `torch.Tensor.{name}` of a sparse tensor: applied to the values."
    return f


_ZERO_PRESERVING = (
    "abs", "asin", "asinh", "atan", "atanh", "ceil", "deg2rad", "erf", "expm1", "floor", "frac",
    "log1p", "rad2deg", "relu", "round", "sgn", "sign", "sin", "sinh", "sqrt", "square", "tan",
    "tanh", "trunc",
)
for _name in _ZERO_PRESERVING:
    setattr(SparseTensor, _name, _zero_preserving(_name))


# ---------------------------------------------------------------- core conversions
def coalesce(s):
    """Duplicate indices summed (differentiably) and sorted; s itself when coalesced."""
    if s._coalesced:
        return s
    xp = s._device.xp
    sd = s._idx.shape[0]
    sizes = tuple(s._size[:sd])
    if s._idx.shape[1] == 0:
        return _make(s._idx, s._vals, s._size, True)
    lin = linear_index(xp, s._idx, sizes)
    uniq, inv = xp.unique(lin, return_inverse=True)
    vals = segment_sum(s._vals, inv.reshape(-1), int(uniq.shape[0]))
    return _make(unravel(xp, uniq, sizes), vals, s._size, True)


def to_dense(s):
    """The dense tensor of `s`: values added at their positions (duplicates sum)."""
    xp = s._device.xp
    sd = s._idx.shape[0]
    sizes = tuple(s._size[:sd])
    lin = linear_index(xp, s._idx, sizes)
    flat = segment_sum(s._vals, lin, _numel(sizes))
    return flat.reshape(tuple(s._size))


def dense_to_sparse(x, sparse_dim=None):
    """Mirrors `torch.Tensor.to_sparse` of a dense tensor: the nonzero positions (rows with a
    nonzero element when the tensor keeps dense dimensions); differentiable."""
    n = x.dim()
    sd = n if sparse_dim is None else sparse_dim
    if sd < 0 or sd > n:
        raise RuntimeError(
            f"sparse_dim argument must be in [0,{n}] range, but {sd} is given"
        )
    a = x.detach()._data
    xp = x._device.xp
    if sd == 0:
        idx = xp.zeros((0, 1), dtype=np.int64)
        return _make(idx, x.unsqueeze(0), x.shape, True)
    mask = a != 0
    if sd < n:
        mask = mask.reshape(a.shape[:sd] + (-1,)).any(axis=-1)
    idx = xp.stack([i.astype(np.int64) for i in xp.nonzero(mask)])
    vals = x[tuple(_index_tensor(r, x._device) for r in idx)]
    return _make(idx, vals, x.shape, True)


def to_csr(s):
    """A 2-D COO (or dense, through COO) tensor in CSR form."""
    if s.sparse_dim() != 2 or s.dense_dim() != 0:
        raise RuntimeError(
            "ember: to_sparse_csr supports 2-D tensors without dense dimensions, got "
            f"{s.sparse_dim()} sparse and {s.dense_dim()} dense dimensions"
        )
    c = coalesce(s)
    xp = c._device.xp
    counts = xp.bincount(c._idx[0], minlength=c._size[0])
    crow = xp.concatenate([xp.zeros(1, dtype=np.int64), xp.cumsum(counts).astype(np.int64)])
    return _make(c._idx, c._vals, c._size, True, sparse_csr, crow)


def grad_on_pattern(s, g):
    """A sparse leaf's `.grad`: its values' gradient on its unique indices (the first of
    equal indices; they receive the same gradient from every op on the dense value). torch's
    sparse gradients carry no coalesced flag, hence False."""
    xp = s._device.xp
    idx = s._idx
    if idx.shape[1] and not s._coalesced:
        lin = linear_index(xp, idx, tuple(s._size[:idx.shape[0]]))
        _, first = xp.unique(lin, return_index=True)
        idx = idx[:, first]
        g = g[_index_tensor(first, s._device)]
    if s._layout is sparse_csr:
        return _make(idx, g, s._size, True, sparse_csr, s._crow)
    return _make(idx, g, s._size, False)


# ---------------------------------------------------------------- printing
def _text(t, indent):
    from ._printing import _data_text

    a = t.detach()._data
    if a.__class__ is not np.ndarray:
        a = a.get()
    if a.size == 0:
        return "[], size=" + str(tuple(a.shape))
    return _data_text(a, t._dtype, indent)


def sparse_repr(s):
    """Mirrors torch's repr of a sparse tensor (torch/_tensor_str.py, sparse branches)."""
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if s._device.type != "cpu":
        suffixes.append(f"device='{s._device}'")
    suffixes.append("size=" + str(tuple(s._size)))
    suffixes.append("nnz=" + str(s._nnz()))
    dt = s._dtype
    if dt not in (D.get_default_dtype(), D.default_complex(), D.int64, D.bool_):
        suffixes.append("dtype=" + repr(dt))
    if s._layout is sparse_coo:
        parts = [("indices=tensor(", _index_tensor(s._idx, s._device))]
    else:
        parts = [("crow_indices=tensor(", _index_tensor(s._crow, s._device)),
                 ("col_indices=tensor(", _index_tensor(s._idx[1], s._device))]
    parts.append(("values=tensor(", s._vals))
    body = (",\n" + " " * indent).join(p + _text(t, indent + len(p)) + ")" for p, t in parts)
    suffixes.append("layout=" + repr(s._layout))
    node = s.grad_fn
    if node is not None:
        from ._printing import _node_name

        suffixes.append(f"grad_fn=<{_node_name(node)}>")
    elif s.requires_grad:
        suffixes.append("requires_grad=True")
    return _join_suffixes(prefix + body, suffixes, indent, s._layout is sparse_coo)


def _join_suffixes(text, suffixes, indent, force_newline):
    # torch's _add_suffixes: a COO tensor starts its suffixes on a new line
    from ._printing import _OPTS

    parts = [text]
    line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if force_newline or line_len + len(suffix) + 2 > _OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            line_len = indent + len(suffix)
            force_newline = False
        else:
            parts.append(", " + suffix)
            line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


# ---------------------------------------------------------------- pickling and torch.save
def reduce_args(s):
    """(layout name, index arrays, values, size, coalesced) of s, as plain picklable data."""
    idx = s._idx if s._device.type == "cpu" else s._idx.get()
    crow = s._crow
    if crow is not None and s._device.type != "cpu":
        crow = crow.get()
    return (s._layout.name, np.array(idx), crow if crow is None else np.array(crow),
            s._vals.detach(), tuple(s._size), s._coalesced, s._own_grad)


def _unpickle_sparse(layout_name, idx, crow, vals, size, coalesced, own_grad=False):
    from ._device import move

    if vals._device.type != "cpu":
        idx = move(idx, vals._device)
        crow = None if crow is None else move(crow, vals._device)
    layout = sparse_csr if layout_name == "sparse_csr" else sparse_coo
    out = _make(idx, vals, size, coalesced, layout, crow)
    if own_grad:
        out.requires_grad_(True)
    return out


def torch_save_args(s):
    """What torch writes for a sparse tensor: `torch._utils._rebuild_sparse_tensor(layout,
    data)` with data (indices, values, size, is_coalesced) for COO and (crow_indices,
    col_indices, values, size) for CSR. For ember/serialization.py."""
    vals = s._vals.detach()
    if s._layout is sparse_coo:
        return s._layout, (_index_tensor(s._idx, s._device), vals, Size(s._size), s._coalesced)
    return s._layout, (_index_tensor(s._crow, s._device),
                       _index_tensor(s._idx[1], s._device), vals, Size(s._size))


def rebuild_sparse_tensor(layout, data):
    """Mirrors `torch._utils._rebuild_sparse_tensor` (for ember/serialization.py's reader).

    A file's indices are checked against its size, as torch.load validates the sparse tensors
    it loads: NumPy would read a negative index from the end of the array and give wrong
    values without an error."""
    if layout is sparse_coo or getattr(layout, "name", layout) == "sparse_coo":
        if len(data) == 3:
            indices, values, size = data
            coalesced = None
        else:
            indices, values, size, coalesced = data
        out = sparse_coo_tensor(indices, values, size, is_coalesced=coalesced)
        _check_loaded_coo(out)
        return out
    if layout is sparse_csr or getattr(layout, "name", layout) == "sparse_csr":
        crow, col, values, size = data
        out = sparse_csr_tensor(crow, col, values, size)
        _check_loaded_csr(out)
        return out
    raise NotImplementedError(f"rebuilding a sparse tensor with layout {layout}")


def _check_loaded_coo(s):
    idx = s._idx
    sizes = s._size[: idx.shape[0]]
    for d, n in enumerate(sizes):
        row = idx[d]
        if row.size and (int(row.min()) < 0 or int(row.max()) >= n):
            raise RuntimeError(
                f"a sparse tensor in the file has indices out of its size {tuple(s._size)} "
                f"(dimension {d}): the file is corrupt"
            )


def _check_loaded_csr(s):
    crow = s._crow
    col = s._idx[-1] if s._idx.ndim == 2 else s._idx
    rows, cols = s._size[0], s._size[1]
    nnz = col.shape[0]
    bad = crow.shape[0] != rows + 1 or (crow.size and (int(crow[0]) != 0 or int(crow[-1]) != nnz))
    bad = bad or bool((crow[1:] < crow[:-1]).any())
    bad = bad or (nnz and (int(col.min()) < 0 or int(col.max()) >= cols))
    if bad:
        raise RuntimeError(
            f"a sparse CSR tensor in the file has inconsistent indices for its size "
            f"{tuple(s._size)}: the file is corrupt"
        )


# ---------------------------------------------------------------- public constructors
def _index_array(indices, name, dev):
    from ._device import move

    if isinstance(indices, Tensor):
        if indices._dtype._kind != 1:
            raise RuntimeError(
                f"{name} must be an int64 tensor"
            )
        arr = indices.detach()._data.astype(np.int64, copy=False)
        if dev is not None and indices._device != dev:
            arr = move(arr, dev)
        return arr
    arr = np.asarray(indices, dtype=np.int64)
    if dev is not None and dev.type != "cpu":
        arr = move(arr, dev)
    return arr


def _values_tensor(values, dtype, device):
    import ember

    if isinstance(values, Tensor):
        if isinstance(values, SparseTensor):
            raise TypeError("values must be a dense tensor")
        if (dtype is not None and D.to_dtype(dtype) is not values._dtype) or (
                device is not None and ember.device(device) != values._device):
            kwargs = {}
            if dtype is not None:
                kwargs["dtype"] = D.to_dtype(dtype)
            if device is not None:
                kwargs["device"] = device
            values = values.to(**kwargs)
        return values
    return ember.tensor(values, dtype=dtype, device=device)


def _leaf_or_tracked(vals, requires_grad):
    """The values a new sparse tensor keeps: a fresh leaf when requires_grad=True; values
    that require grad pass through a node named as torch names the constructor's."""
    from .autograd.grad_mode import GRAD

    if requires_grad:
        return vals.detach().requires_grad_(True), True
    if vals._rg and GRAD.enabled:
        return _CONSTRUCTOR_NODE.apply(vals), False
    return vals, False


class _ConstructorNode:
    """An identity op whose node prints as torch's SparseCooTensorWithDimsAndTensorsBackward0
    (built on first use from the registry's clone)."""

    op = None

    def apply(self, vals):
        from ._ops._registry import OPS, apply, renamed

        if self.op is None:
            self.op = renamed(OPS["clone"], "SparseCooTensorWithDimsAndTensorsBackward0")
        return apply(self.op, (vals,), {})


_CONSTRUCTOR_NODE = _ConstructorNode()


def sparse_coo_tensor(indices=None, values=None, size=None, *, dtype=None, device=None,
                      pin_memory=False, requires_grad=False, check_invariants=None,
                      is_coalesced=None):
    """Mirrors `torch.sparse_coo_tensor`."""
    import ember

    dev = ember.device(device) if device is not None else None
    if indices is None and values is None:
        if size is None:
            raise TypeError("sparse_coo_tensor() missing required argument 'indices'")
        return _empty_coo(size, dtype, dev, requires_grad)
    vals = _values_tensor(values, dtype, device)
    idx = _index_array(indices, "indices", vals._device)
    if idx.ndim != 2:
        raise RuntimeError(
            f"indices must be sparse_dim x nnz, but got: {list(idx.shape)}"
        )
    if vals.dim() == 0:
        raise RuntimeError("values must have at least one dimension (nnz)")
    sd, nnz = idx.shape
    if vals.shape[0] != nnz:
        raise RuntimeError(
            "indices and values must have same nnz, but got nnz from indices: "
            f"{nnz}, nnz from values: {vals.shape[0]}"
        )
    dense_shape = tuple(vals.shape[1:])
    if size is None:
        sparse_shape = tuple(int(m) + 1 for m in idx.max(axis=1)) if nnz else (0,) * sd
        size = sparse_shape + dense_shape
    else:
        size = tuple(size)
        if len(size) != sd + len(dense_shape):
            raise RuntimeError(
                f"'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = "
                f"{len(size)}, sparse_dim = {sd}, dense_dim = {len(dense_shape)}"
            )
        if check_invariants:
            _check_coo_bounds(idx, size)
    vals, own = _leaf_or_tracked(vals, requires_grad)
    coalesced = bool(is_coalesced) if is_coalesced is not None else nnz < 2
    return _make(idx, vals, size, coalesced, own_grad=own)


def _check_coo_bounds(idx, size):
    for d in range(idx.shape[0]):
        if idx.shape[1] == 0:
            return
        hi = int(idx[d].max())
        if hi >= size[d]:
            raise RuntimeError(
                f"size is inconsistent with indices: for dim {d}, size is {size[d]} but found "
                f"index {hi}"
            )
        if int(idx[d].min()) < 0:
            raise RuntimeError(f"found negative index {int(idx[d].min())} for dim {d}")


def _empty_coo(size, dtype, dev, requires_grad, sparse_dim=None):
    import ember

    size = tuple(size)
    sd = len(size) if sparse_dim is None else sparse_dim
    vals = ember.zeros((0,) + size[sd:], dtype=dtype, device=dev)
    xp = vals._device.xp
    vals, own = _leaf_or_tracked(vals, requires_grad)
    return _make(xp.zeros((sd, 0), dtype=np.int64), vals, size, True, own_grad=own)


def sparse_csr_tensor(crow_indices, col_indices, values, size=None, *, dtype=None,
                      device=None, pin_memory=False, requires_grad=False,
                      check_invariants=None):
    """Mirrors `torch.sparse_csr_tensor` (ember: 2-D, no batch or dense dimensions)."""
    vals = _values_tensor(values, dtype, device)
    crow = _index_array(crow_indices, "crow_indices", vals._device)
    col = _index_array(col_indices, "col_indices", vals._device)
    if crow.ndim != 1 or col.ndim != 1 or vals.dim() != 1:
        raise NotImplementedError(
            "ember: sparse_csr_tensor supports 1-D crow_indices, col_indices and values only"
        )
    if col.shape[0] != vals.shape[0]:
        raise RuntimeError(
            f"col_indices and values must have the same number of elements, but got "
            f"col_indices.numel() = {col.shape[0]}, values.numel() = {vals.shape[0]}"
        )
    xp = vals._device.xp
    nrows = int(crow.shape[0]) - 1
    if int(crow[-1]) != col.shape[0]:
        raise RuntimeError(
            "`crow_indices[..., -1] == nnz` is not satisfied."
        )
    if size is None:
        size = (nrows, int(col.max()) + 1 if col.shape[0] else 0)
    size = tuple(size)
    if len(size) != 2:
        raise NotImplementedError("ember: sparse_csr_tensor supports 2-D tensors only")
    rows = xp.repeat(xp.arange(nrows, dtype=np.int64), xp.diff(crow))
    idx = xp.stack([rows, col])
    # the COO form is coalesced when the columns of each row are sorted and distinct
    lin = rows * max(size[1], 1) + col
    coalesced = bool((xp.diff(lin) > 0).all()) if lin.shape[0] > 1 else True
    vals, own = _leaf_or_tracked(vals, requires_grad)
    return _make(idx, vals, size, coalesced, sparse_csr, crow, own_grad=own)


# ---------------------------------------------------------------- legacy torch.sparse.*Tensor
_LEGACY_WARNING = (
    "torch.sparse.SparseTensor(indices, values, shape, *, device=) is deprecated.  Please use "
    "torch.sparse_coo_tensor(indices, values, shape, dtype=, device=)."
)


class _LegacySparseType(type):
    """Metaclass of torch.sparse.FloatTensor & co: a deprecated constructor and a check."""

    def __call__(cls, *args, device=None):
        if args and isinstance(args[0], Tensor):
            warnings.warn(_LEGACY_WARNING, UserWarning, stacklevel=2)
            indices, values = args[0], args[1]
            size = tuple(args[2]) if len(args) > 2 else None
            vals = _values_tensor(values, cls.dtype, device)
            return sparse_coo_tensor(indices, vals, size)
        if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
            args = tuple(args[0])
        return _empty_coo(args, cls.dtype, device, False)

    def __instancecheck__(cls, obj):
        return isinstance(obj, SparseTensor) and obj._layout is sparse_coo and \
            obj._dtype is cls.dtype

    def __repr__(cls):
        return f"<class 'torch.sparse.{cls.__name__}'>"


def legacy_types():
    """{name: class} of torch.sparse.FloatTensor, DoubleTensor, ..."""
    kinds = (("FloatTensor", D.float32), ("DoubleTensor", D.float64), ("HalfTensor", D.float16),
             ("BFloat16Tensor", D.bfloat16), ("LongTensor", D.int64), ("IntTensor", D.int32),
             ("ShortTensor", D.int16), ("CharTensor", D.int8), ("ByteTensor", D.uint8))
    return {name: _LegacySparseType(name, (), {"dtype": dt, "is_sparse": True})
            for name, dt in kinds}


# layouts other code compares against
__all__ = ["SparseTensor", "sparse_coo_tensor", "sparse_csr_tensor", "strided"]
