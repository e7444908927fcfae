"""Fast paths for the calls a training loop makes most, installed over the generic bindings.

Each one handles the common case (CPU, matching dtypes, no keyword arguments) inline and hands
everything else, errors included, to the generic function it replaces, so behaviour is the
same and only the Python around NumPy gets shorter. `benchmarks/overhead.py` measures them.
"""

import numpy as np

from .._device import CPU
from .._dtype import bfloat16 as _BF16
from .._tensor import Tensor
from ..autograd.grad_mode import GRAD, InferenceVersion
from ..autograd._node import Node, next_seq
from . import _registry as R
from ._blas_sum import sum_all

_new = object.__new__
_ndarray = np.ndarray
_array = np.array
# the matmul fast path's device: None while a CPU autocast region casts (ember.amp sets it), so
# that `@` takes the generic path, which autocasts, at no cost outside autocast
_MM_CPU = CPU
# operand sizes whose product stays under this take ndarray.dot (both under 64x64 or so)
_DOT_MAX_SIZES = 1 << 24


def autocast_cpu(on):
    global _MM_CPU
    _MM_CPU = None if on else CPU


def _install_matmul():
    slow = Tensor.__matmul__
    # 2-d @ 2-d is torch.mm (its node is MmBackward0)
    op = R.OPS["mm"]
    tensor_types = R._TENSOR_TYPES

    def __matmul__(a, b):
        if b.__class__ in tensor_types:
            dt = a._dtype
            dev = a._device
            # bfloat16 takes the slow path, which computes in float32
            if b._dtype is dt and dev is _MM_CPU and b._device is dev and dt is not _BF16:
                ad = a._data
                bd = b._data
                if ad.ndim == 2 and bd.ndim == 2:
                    # small products through ndarray.dot (see _blas_sum.matmul2d; the size test
                    # here is cruder and cheaper); a shape mismatch goes to the slow path's error
                    try:
                        if ad.size * bd.size <= _DOT_MAX_SIZES:
                            out = ad.dot(bd)
                        else:
                            out = ad @ bd
                    except ValueError:
                        return slow(a, b)
                    if GRAD.enabled:
                        if (a._rg or b._rg) and dt._kind >= 2:
                            return R._record_binary(op, a, b, out, dt)
                    elif GRAD.inference:
                        return R._new_tensor(out, dt, dev)
                    t = _new(Tensor)
                    t._data = out
                    t._dtype = dt
                    t._device = dev
                    t._rg = False
                    t._node = None
                    return t
        return slow(a, b)

    Tensor.__matmul__ = __matmul__


def _sum_all_rule(F, g, out, a, need, extra):
    return (F.unreduce(g, a.shape, None, False),)


def _install_sum():
    slow = Tensor.sum
    # the whole sum's node without parameters: nothing to store in the node's dict
    op = R.renamed(R.OPS["sum"], "SumBackward0")
    op.bwd = _sum_all_rule

    # the slow path's signature, so that the usual call `x.sum()` packs no *args or **kwargs
    def sum(self, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
        """Mirrors `torch.Tensor.sum`."""
        if (dim is not None or keepdim or dtype is not None or axis is not None
                or keepdims is not None or self._device is not CPU or self._dtype._kind < 2
                or self._dtype is _BF16):
            return slow(self, dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)
        d = self._data
        # small float arrays through BLAS (see _blas_sum)
        out = sum_all(d)
        t = _new(Tensor)
        t._data = out
        t._dtype = self._dtype
        t._device = CPU
        if not GRAD.enabled:
            if GRAD.inference:
                t._vc = InferenceVersion()
        elif self._rg:
            node = _new(Node)
            node.seq = next_seq()
            node.op = op
            node.next = (self._node or self,)
            node.need = R._NEED_T
            node.metas = R.meta_tuple1(d)
            t._rg = True
            t._node = node
            return t
        t._rg = False
        t._node = None
        return t

    Tensor.sum = sum


_install_matmul()
_install_sum()
