"""torch.sparse: products, sums and softmax of sparse tensors, and the legacy constructors.

Importing this package (ember/__init__.py does so at the first use of a sparse name, see
ember/_sparse_lazy.py) also installs the top-level sparse names
(`sparse_coo_tensor`, `sparse_csr_tensor`, `spmm`) and the Tensor methods that turn dense
tensors sparse (`to_sparse`, `to_sparse_csr`, ...); see `_install`.
"""

import sys

from .. import _sparse_ops
from .._sparse import SparseTensor, dense_to_sparse, legacy_types, to_csr
from .._tensor import Tensor

# torch.sparse.FloatTensor(indices, values, size) & co (deprecated in torch, still used)
globals().update(legacy_types())


def mm(mat1, mat2, reduce=None):
    """Mirrors `torch.sparse.mm`: sparse @ dense (dense), sparse @ sparse (sparse). The
    gradient of a sparse mat1 that requires grad has its indices."""
    if reduce not in (None, "sum"):
        raise NotImplementedError(f"ember: torch.sparse.mm with reduce={reduce!r}")
    return _sparse_ops.mm(mat1, mat2)


def addmm(mat, mat1, mat2, *, beta=1.0, alpha=1.0):
    """Mirrors `torch.sparse.addmm`: beta * mat + alpha * (mat1 @ mat2), mat1 sparse."""
    return _sparse_ops.addmm(mat, mat1, mat2, beta=beta, alpha=alpha)


def sum(input, dim=None, dtype=None):
    """Mirrors `torch.sparse.sum`."""
    if not isinstance(input, SparseTensor):
        raise RuntimeError(  # noqa: TRY004  (torch's type)
            f"_sparse_sum expected sparse coordinate tensor layout but got {_layout_word(input)}"
        )
    return _sparse_ops.sparse_sum(input, dim, dtype)


def softmax(input, dim, *, dtype=None):
    """Mirrors `torch.sparse.softmax`: over the specified elements along dim (the others
    count as -inf, so they stay unspecified)."""
    return _sparse_ops.softmax(input, dim, dtype)


def log_softmax(input, dim, *, dtype=None):
    """Mirrors `torch.sparse.log_softmax`."""
    return _sparse_ops.log_softmax(input, dim, dtype)


def _layout_word(t):
    return "Strided" if not isinstance(t, SparseTensor) else "SparseCsr"


class check_sparse_tensor_invariants:
    """Mirrors `torch.sparse.check_sparse_tensor_invariants` (a flag and context manager;
    ember checks index bounds at construction when it is on or `check_invariants=True`)."""

    _enabled = False

    @staticmethod
    def is_enabled():
        return check_sparse_tensor_invariants._enabled

    @staticmethod
    def enable():
        check_sparse_tensor_invariants._enabled = True

    @staticmethod
    def disable():
        check_sparse_tensor_invariants._enabled = False

    def __init__(self, enable=True):
        self.state = enable
        self.saved = None

    def __enter__(self):
        self.saved = check_sparse_tensor_invariants._enabled
        check_sparse_tensor_invariants._enabled = self.state
        return self

    def __exit__(self, *exc):
        check_sparse_tensor_invariants._enabled = self.saved


# ---------------------------------------------------------------- Tensor methods (dense side)
def _to_sparse(self, *args, layout=None, sparse_dim=None, blocksize=None, dense_dim=None):
    """Mirrors `torch.Tensor.to_sparse`: `to_sparse(sparse_dim)` or `to_sparse(layout=...)`."""
    from .._ops.more import sparse_coo, sparse_csr

    if args:
        if isinstance(args[0], int):
            sparse_dim = args[0]
        else:
            layout = args[0]
    if layout is None or layout is sparse_coo:
        return dense_to_sparse(self, sparse_dim)
    if layout is sparse_csr:
        return to_csr(dense_to_sparse(self))
    raise NotImplementedError(f"ember: to_sparse(layout={layout}) is not supported")


def _to_sparse_coo(self):
    """Mirrors `torch.Tensor.to_sparse_coo`."""
    return dense_to_sparse(self)


def _to_sparse_csr(self, dense_dim=None):
    """Mirrors `torch.Tensor.to_sparse_csr` of a dense matrix."""
    if self.dim() != 2:
        raise NotImplementedError("ember: to_sparse_csr of a dense tensor supports 2-D only")
    return to_csr(dense_to_sparse(self))


def _to_dense(self, dtype=None, *, masked_grad=None):
    """Mirrors `torch.Tensor.to_dense`: a dense tensor is returned as it is."""
    return self if dtype is None else self.to(dtype)


def _sparse_mask(self, mask):
    """Mirrors `torch.Tensor.sparse_mask`: self's values at the indices of sparse `mask`."""
    from .._sparse import _index_tensor, _make

    if not isinstance(mask, SparseTensor):
        raise RuntimeError("sparse_mask expects mask to be sparse")  # noqa: TRY004
    if tuple(self.shape) != tuple(mask.shape):
        raise RuntimeError("sparse_mask(): operands have incompatible sizes; self has size "
                           f"{list(self.shape)} but mask has size {list(mask.shape)}")
    vals = self[tuple(_index_tensor(r, mask._device) for r in mask._idx)]
    return _make(mask._idx, vals, mask.shape, mask._coalesced, mask._layout, mask._crow)


def _sparse_dim(self):
    return 0


def _dense_dim(self):
    return self.dim()


def _install(namespace):
    """Put the top-level sparse names into `namespace` (ember's globals) and the methods above
    onto Tensor, where they are missing."""
    from .. import _sparse
    from .._sparse_lazy import is_stand_in

    functions = {
        "sparse_coo_tensor": _sparse.sparse_coo_tensor,
        "sparse_csr_tensor": _sparse.sparse_csr_tensor,
        "spmm": _sparse_ops.spmm,
    }
    for name, fn in functions.items():
        # (replacing the stand-ins of ember/_sparse_lazy.py, which imported this package)
        if name not in namespace or is_stand_in(namespace[name]):
            namespace[name] = fn
    methods = {
        "to_sparse": _to_sparse, "to_sparse_coo": _to_sparse_coo,
        "to_sparse_csr": _to_sparse_csr, "to_dense": _to_dense, "sparse_mask": _sparse_mask,
        "sparse_dim": _sparse_dim, "dense_dim": _dense_dim,
    }
    for name, fn in methods.items():
        if name not in Tensor.__dict__ or is_stand_in(Tensor.__dict__[name]):
            setattr(Tensor, name, fn)
    # torch.mm / matmul / addmm test their first matrix against this class (see the report:
    # ember/_ops/linalg.py declares `_SPARSE = None`; it cannot import ember._sparse itself)
    from .._ops import linalg

    if hasattr(linalg, "_SPARSE"):
        linalg._SPARSE = SparseTensor


_install(sys.modules[__name__.rpartition(".")[0]].__dict__)
