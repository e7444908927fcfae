"""The op table and `apply`, which every op goes through.

An op is a forward function on raw arrays plus a backward rule. `apply` unwraps tensors and
Python scalars, checks devices, computes PyTorch's result dtype, calls the forward, wraps the
result, and builds a graph node only when grad mode is on and an input requires grad.

Backward rules have the signature `rule(F, g, out, *inputs, need, extra, **params)`. `F` is a
namespace of functions (`ANS` on raw arrays for a normal backward, `TNS` on Tensors when
`create_graph=True`), so one rule serves first and higher-order gradients.
"""

import numpy as np

from .._dtype import result_type, from_numpy_dtype, int64, bool_
from ..autograd.grad_mode import GRAD
from ..autograd._node import Node, Meta

OPS = {}

_ndarray = np.ndarray
_generic = np.generic
_FROM_NP = {}


class Op:
    """A registered op: forward, backward rule and how its inputs are prepared."""

    __slots__ = (
        "name",
        "fwd",
        "bwd",
        "grad_name",
        "promote",
        "save_inputs",
        "save_output",
        "differentiable",
        "has_extra",
        "float_only",
        "nin",
        "view",
    )

    def __init__(self, name, fwd, promote, save_inputs, save_output, differentiable, extra, nin):
        self.view = False
        self.name = name
        self.fwd = fwd
        self.bwd = None
        cap = "".join(p[:1].upper() + p[1:] for p in name.split("_"))
        self.grad_name = cap + "Backward0"
        self.promote = promote
        self.save_inputs = save_inputs
        self.save_output = save_output
        self.differentiable = differentiable
        self.has_extra = extra
        self.nin = nin

    def defgrad(self, rule):
        """Decorator: set the backward rule."""
        self.bwd = rule
        return rule

    def __call__(self, *args, **params):
        return apply(self, args, params)

    def __repr__(self):
        return f"<op {self.name}>"


def defop(
    name,
    promote=True,
    save_inputs=False,
    save_output=False,
    differentiable=True,
    extra=False,
    nin=None,
    grad_name=None,
    view=False,
):
    """Register `fwd(xp, *arrays, **params)` as op `name`. Returns the Op."""

    def deco(fwd):
        op = Op(name, fwd, promote, save_inputs, save_output, differentiable, extra, nin)
        if grad_name is not None:
            op.grad_name = grad_name
        op.view = view
        if name in OPS:
            raise ValueError(f"op {name} registered twice")
        OPS[name] = op
        return op

    return deco


def np_to_dtype(a):
    d = _FROM_NP.get(a.dtype)
    if d is None:
        d = from_numpy_dtype(a.dtype)
        _FROM_NP[a.dtype] = d
    return d


def _device_error(a, b):
    raise RuntimeError(
        "Expected all tensors to be on the same device, but found at least two devices, "
        f"{a} and {b}!"
    )


def apply(op, args, params):
    """Run `op` on `args` (Tensors, arrays, Python scalars, None) with keyword `params`."""
    from .._tensor import Tensor, _new_tensor

    tensors = []
    dev = None
    rg = False
    for a in args:
        if isinstance(a, Tensor):
            tensors.append(a)
            if a._rg:
                rg = True
            d = a._device
            if dev is None:
                dev = d
            elif d is not dev:
                # 0-d CPU tensors mix with CUDA tensors, as in PyTorch
                if d.type == "cpu" and a._data.ndim == 0:
                    continue
                if dev.type == "cpu" and tensors[0]._data.ndim == 0 and len(tensors) == 2:
                    dev = d
                    continue
                _device_error(dev, d)
    if dev is None:
        from .._device import CPU

        dev = CPU
    xp = np if dev.type == "cpu" else dev.xp
    promote = op.promote
    if promote:
        dt = result_type(*[a for a in args if a is not None])
        if promote == "float" and not (dt.is_floating_point or dt.is_complex):
            # ops like exp and true division compute integers in the default float dtype
            from .._dtype import get_default_dtype

            dt = get_default_dtype()
        npdt = dt.np
    arrays = []
    for a in args:
        if isinstance(a, Tensor):
            arr = a._data
            if promote and arr.dtype != npdt:
                arr = arr.astype(npdt)
            if a._device is not dev:
                from .._device import move

                arr = move(arr, dev)
            arrays.append(arr)
        elif a.__class__ in _ARRAYS or hasattr(a, "__array_interface__"):
            arr = xp.asarray(a)
            if promote and arr.dtype != npdt:
                arr = arr.astype(npdt)
            arrays.append(arr)
        else:
            if promote and a is not None and a.__class__ is int and npdt.kind in "biu":
                # keep an int scalar in the result dtype (bool tensor + 1 is int64)
                if npdt.kind == "b":
                    a = xp.asarray(a, dtype=int64.np)
            arrays.append(a)
    record = rg and GRAD.enabled and op.differentiable
    if record:
        out = op.fwd(xp, *arrays, **params)
        extra = None
        if op.has_extra:
            out, extra = out
    else:
        out = op.fwd(xp, *arrays, **params)
        if op.has_extra:
            out, extra = out
            if not op.differentiable:
                return _wrap_multi(out, extra, dev)
    if out.__class__ is not _ndarray:
        if isinstance(out, _generic) or not hasattr(out, "shape"):
            out = np.asarray(out)
    res = _new_tensor(out, np_to_dtype(out), dev)
    if op.view:
        _mark_view(op, res, tensors[0], xp, params)
    if record and res._dtype._kind >= 2:
        _record(op, res, args, tensors, out, params, extra)
    if op.has_extra and op.differentiable:
        return res, _new_tensor(_as_array(extra), np_to_dtype(_as_array(extra)), dev)
    return res


_ARRAYS = (np.ndarray,)


def _mark_view(op, res, base, xp, params):
    # the result shares memory (and so the version counter) with its input
    if res._data.base is None:
        return
    v = base._version
    if v is None:
        v = base._version = [0]
    res._version = v
    fwd = op.fwd

    def view_fn(arr):
        return fwd(xp, arr, **params)

    res._view_of = (base, view_fn)


def _as_array(x):
    if x.__class__ is not _ndarray and isinstance(x, _generic):
        return np.asarray(x)
    return x


def _wrap_multi(out, extra, dev):
    from .._tensor import _new_tensor

    out = _as_array(out)
    extra = _as_array(extra)
    return _new_tensor(out, np_to_dtype(out), dev), _new_tensor(extra, np_to_dtype(extra), dev)


def _record(op, res, args, tensors, out, params, extra):
    """Build the graph node for `res` = op(args)."""
    from .._tensor import Tensor

    next_ = []
    metas = []
    for a in args:
        if isinstance(a, Tensor) and a._rg:
            n = a._node
            next_.append(n if n is not None else a)
            metas.append(Meta(a._data.shape, a._data.dtype))
        else:
            next_.append(None)
            metas.append(_NOMETA if not isinstance(a, Tensor) else Meta(a._data.shape, a._data.dtype))
    node = Node(op, tuple(next_), tuple(metas))
    if op.save_inputs:
        saved = []
        versions = []
        for a in args:
            if isinstance(a, Tensor):
                v = a._version
                if v is None:
                    v = a._version = [0]
                versions.append(v[0])
                saved.append(a)
            else:
                saved.append(_Const(a))
                versions.append(0)
        node.saved = tuple(saved)
        node.versions = versions
    if op.save_output:
        node.out = out
        v = [0]
        res._version = v
        node.out_version = (v, 0)
    if params:
        node.params = params
    if extra is not None:
        node.extra = extra
    res._node = node
    res._rg = True


_NOMETA = Meta((), None)


class _Const:
    """A non-tensor input saved for backward (a Python scalar or None)."""

    __slots__ = ("_data", "_version", "_node")

    def __init__(self, value):
        self._data = value
        self._version = [0]
        self._node = None
