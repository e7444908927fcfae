"""Named result tuples of multi-output ops. Mirrors `torch.return_types`.

Each type is a tuple subclass with named fields (`values`, `indices`, ...): it unpacks, indexes
and compares like a tuple, and prints like PyTorch's structseq types.
"""

import operator

from ._typenames import TorchNamed


class _ReturnType(tuple, metaclass=TorchNamed):
    """Base of the named result tuples."""

    __slots__ = ()
    _fields = ()

    def __new__(cls, seq):
        seq = tuple(seq)
        n = len(cls._fields)
        if len(seq) != n:
            raise TypeError(
                f"torch.return_types.{cls.__name__}() takes a {n}-sequence "
                f"({len(seq)}-sequence given)"
            )
        return tuple.__new__(cls, seq)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    __str__ = __repr__

    def __reduce__(self):
        return (type(self), (tuple(self),))


def _make(name, fields):
    ns = {
        "__slots__": (),
        "_fields": tuple(fields),
        "n_fields": len(fields),
        "n_sequence_fields": len(fields),
        "n_unnamed_fields": 0,
        "__module__": __name__,
        # what `type(x)` prints (see _typenames): <class 'torch.return_types.max'>
        "_torch_name": "torch.return_types." + name,
    }
    for i, f in enumerate(fields):
        ns[f] = property(operator.itemgetter(i), doc=f"Field {i}: {f}.")
    return TorchNamed(name, (_ReturnType,), ns)


_SPECS = {
    "aminmax": ("min", "max"),
    "cummax": ("values", "indices"),
    "cummin": ("values", "indices"),
    "frexp": ("mantissa", "exponent"),
    "geqrf": ("a", "tau"),
    "histogram": ("hist", "bin_edges"),
    "histogramdd": ("hist", "bin_edges"),
    "kthvalue": ("values", "indices"),
    "linalg_cholesky_ex": ("L", "info"),
    "linalg_eig": ("eigenvalues", "eigenvectors"),
    "linalg_eigh": ("eigenvalues", "eigenvectors"),
    "linalg_inv_ex": ("inverse", "info"),
    "linalg_ldl_factor": ("LD", "pivots"),
    "linalg_ldl_factor_ex": ("LD", "pivots", "info"),
    "linalg_lstsq": ("solution", "residuals", "rank", "singular_values"),
    "linalg_lu": ("P", "L", "U"),
    "linalg_lu_factor": ("LU", "pivots"),
    "linalg_lu_factor_ex": ("LU", "pivots", "info"),
    "linalg_qr": ("Q", "R"),
    "linalg_slogdet": ("sign", "logabsdet"),
    "linalg_solve_ex": ("result", "info"),
    "linalg_svd": ("U", "S", "Vh"),
    "lu_unpack": ("P", "L", "U"),
    "max": ("values", "indices"),
    "median": ("values", "indices"),
    "min": ("values", "indices"),
    "mode": ("values", "indices"),
    "nanmedian": ("values", "indices"),
    "qr": ("Q", "R"),
    "slogdet": ("sign", "logabsdet"),
    "sort": ("values", "indices"),
    "svd": ("U", "S", "V"),
    "topk": ("values", "indices"),
    "triangular_solve": ("solution", "cloned_coefficient"),
}

__all__ = []
for _name, _fields in _SPECS.items():
    globals()[_name] = _make(_name, _fields)
    __all__.append(_name)
del _name, _fields
