"""Stand-ins for the sparse names until `ember.sparse` is first used.

ember/sparse (with ember/_sparse.py and ember/_sparse_ops.py) takes about 10 ms to import, and
most programs never make a sparse tensor. `install` puts small stand-ins for the top-level
sparse constructors and the Tensor methods that leave the dense world into place; the first
call of any of them imports `ember.sparse`, whose own install replaces every stand-in with
the real function, and then runs the real one. No sparse tensor can exist before that import,
so the dense code paths (`is_sparse`, `torch.mm`'s class check) need nothing from it.
"""

import importlib

from ._tensor import Tensor

FUNCTIONS = ("sparse_coo_tensor", "sparse_csr_tensor", "spmm")
METHODS = ("to_sparse", "to_sparse_coo", "to_sparse_csr", "to_dense", "sparse_mask",
           "sparse_dim", "dense_dim")


def _load():
    importlib.import_module("ember.sparse")


def _function(namespace, name):
    def stand_in(*args, **kwargs):
        _load()
        return namespace[name](*args, **kwargs)

    stand_in.__name__ = name
    stand_in.__doc__ = f"Mirrors `torch.{name}` (imports ember.sparse at the first call)."
    stand_in.sparse_stand_in = True
    return stand_in


def _method(name):
    def stand_in(self, *args, **kwargs):
        _load()
        return getattr(Tensor, name)(self, *args, **kwargs)

    stand_in.__name__ = name
    stand_in.__doc__ = f"Mirrors `torch.Tensor.{name}` (imports ember.sparse at the first call)."
    stand_in.sparse_stand_in = True
    return stand_in


def is_stand_in(fn):
    return getattr(fn, "sparse_stand_in", False)


def install(namespace):
    for name in FUNCTIONS:
        namespace.setdefault(name, _function(namespace, name))
    for name in METHODS:
        if name not in Tensor.__dict__:
            setattr(Tensor, name, _method(name))
