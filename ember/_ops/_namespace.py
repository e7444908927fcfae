"""The two namespaces backward rules are written against.

`ANS` works on raw arrays (NumPy, or CuPy through NumPy's dispatch protocols): a normal
backward. `TNS` works on Tensors through ember's differentiable ops: `create_graph=True`.
Both expose the same names with NumPy-style signatures, so one rule serves both; a test
checks that the two lists match.
"""

import numpy as np

from ._blas_sum import matmul2d, sum_all, sum_rows

_add_reduce = np.add.reduce


def _sum_to_array(g, shape):
    # sum over the axes that broadcasting added or stretched, so g gets `shape`
    gs = g.shape
    if gs == shape:
        return g
    lead = len(gs) - len(shape)
    if lead == 1 and len(gs) == 2 and gs[1] == shape[0] and g.__class__ is np.ndarray:
        # a bias added to a batch of rows
        return sum_rows(g)
    axes = list(range(lead))
    for i, s in enumerate(shape):
        if s == 1 and gs[lead + i] != 1:
            axes.append(lead + i)
    if axes:
        g = g.sum(axis=tuple(axes), keepdims=True)
    if lead:
        g = g.reshape(shape)
    elif g.shape != shape:
        g = g.reshape(shape)
    return g


def _expand_reduced(g, shape, axis, keepdims):
    # put back the reduced axes of a reduction's output gradient, then broadcast
    if axis is None:
        return np.broadcast_to(g, shape) if not hasattr(g, "_data") else g.expand(shape)
    if not keepdims:
        nd = len(shape)
        axes = (axis,) if isinstance(axis, int) else axis
        axes = sorted(a % nd if nd else 0 for a in axes)
        gshape = list(g.shape)
        for a in axes:
            gshape.insert(a, 1)
        g = g.reshape(tuple(gshape))
    return g


class _ArrayNS:
    """Raw-array functions for rules (a normal backward)."""

    sum_to = staticmethod(_sum_to_array)

    @staticmethod
    def unreduce(g, shape, axis, keepdims):
        """Broadcast a reduction's gradient back to the input's shape."""
        g = _expand_reduced(g, shape, axis, keepdims)
        return np.broadcast_to(g, shape)

    @staticmethod
    def unsqueeze_reduced(g, shape, axis, keepdims):
        """Reinsert reduced axes of size 1 (no broadcast)."""
        return _expand_reduced(g, shape, axis, keepdims) if axis is not None else g.reshape(
            (1,) * len(shape)
        )

    @staticmethod
    def sum(x, axis=None, keepdims=False):
        if x.__class__ is np.ndarray:
            if not keepdims:
                if axis is None:
                    return sum_all(x)
                if axis == 0 and x.ndim == 2:
                    return sum_rows(x)
            # what ndarray.sum calls, without its Python wrapper (which costs more than a
            # small reduction)
            return _add_reduce(x, axis, None, None, keepdims)
        return x.sum(axis=axis, keepdims=keepdims)

    @staticmethod
    def mean(x, axis=None, keepdims=False):
        return x.mean(axis=axis, keepdims=keepdims)

    @staticmethod
    def cast_like(x, like):
        return x.astype(like.dtype, copy=False)

    @staticmethod
    def zeros(shape, like):
        return np.zeros_like(like, shape=shape)

    @staticmethod
    def scatter_index(shape, index, values, like):
        """zeros(shape) with `values` added at `index` (a tuple for advanced indexing)."""
        out = np.zeros_like(like, shape=shape)
        np.add.at(out, index, values)
        return out

    @staticmethod
    def swapaxes(x, a, b):
        return x.swapaxes(a, b)

    @staticmethod
    def transpose(x, axes):
        return x.transpose(axes)

    @staticmethod
    def reshape(x, shape):
        return x.reshape(shape)

    @staticmethod
    def getitem(x, index):
        return x[index]

    @staticmethod
    def conj(x):
        # real arrays (nearly always) first: one class check and one dtype lookup
        if x.__class__ is np.ndarray:
            return x.conj() if x.dtype.kind == "c" else x
        d = getattr(x, "dtype", None)
        if d is not None and d.kind == "c":
            return x.conj()
        if x.__class__ is complex:
            return x.conjugate()
        return x

    @staticmethod
    def matmul(a, b):
        if a.ndim == 2 and b.ndim == 2:
            return matmul2d(a, b)
        return a @ b

    @staticmethod
    def to_device(x, dev):
        from .._device import move

        return move(x, dev)

    @staticmethod
    def masked_region_zero(g, view_fn):
        """g with the region a view cut from it set to zero."""
        out = g.copy()
        view_fn(out)[...] = 0
        return out

    @staticmethod
    def apply_view(g, view_fn):
        return view_fn(g)

    @staticmethod
    def astype_bool(x):
        return x.astype(bool)


ANS = _ArrayNS()
for _name in (
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tan",
    "sinh",
    "cosh",
    "tanh",
    "abs",
    "sign",
    "where",
    "maximum",
    "minimum",
    "broadcast_to",
    "expand_dims",
    "square",
    "reciprocal",
    "log1p",
    "expm1",
    "flip",
    "roll",
    "moveaxis",
    "tril",
    "triu",
    "diagonal",
    "outer",
    "zeros_like",
    "ones_like",
    "concatenate",
    "stack",
    "take_along_axis",
    "cumsum",
    "isfinite",
    "logical_and",
    "logical_not",
    "pad",
    "einsum",
    "real",
    "imag",
    "floor",
    "trunc",
):
    setattr(_ArrayNS, _name, staticmethod(getattr(np, _name)))


_EXTRA_TNS = {}


def register_ns(name, array_fn, tensor_fn):
    """Add a function to both namespaces (from an op module that needs it in its rules)."""
    if hasattr(_ArrayNS, name):
        raise ValueError(f"namespace name {name} already taken")
    setattr(_ArrayNS, name, staticmethod(array_fn))
    _EXTRA_TNS[name] = tensor_fn


class _TensorNS:
    """The same names on Tensors, through ember's differentiable ops (create_graph)."""


TNS = _TensorNS()


def build_tensor_namespace():
    """Fill TNS once every op module is loaded (called from ember/__init__)."""
    from . import _tns_impl

    for name in dir(_ArrayNS):
        if name.startswith("_"):
            continue
        if name in _EXTRA_TNS:
            setattr(_TensorNS, name, staticmethod(_EXTRA_TNS[name]))
            continue
        try:
            fn = getattr(_tns_impl, name)
        except AttributeError:
            # a test checks completeness; a missing name fails only double backward
            continue
        setattr(_TensorNS, name, staticmethod(fn))
