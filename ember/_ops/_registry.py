"""The op table and `apply`, which every op goes through.

An op is a forward function on raw arrays plus a backward rule. `apply` unwraps tensors and
Python scalars, checks devices, computes PyTorch's result dtype, calls the forward, wraps the
result, and builds a graph node only when grad mode is on and an input requires grad.

Backward rules have the signature `rule(F, g, out, *inputs, need, extra, **params)`. `F` is a
namespace of functions (`ANS` on raw arrays for a normal backward, `TNS` on Tensors when
`create_graph=True`), so one rule serves first and higher-order gradients.
"""

import weakref

import numpy as np

from .._dtype import result_type, from_numpy_dtype, int64
from .._memory_format import elementwise_layout as _elementwise_layout
from ..autograd.grad_mode import GRAD, check_saved_inference
from ..autograd._node import Node, Meta, next_seq

OPS = {}

_ndarray = np.ndarray
_weakref = weakref.ref
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
        "view",
        "spare",
        "edges",
    )

    def __init__(self, name, fwd, promote, save_inputs, save_output, differentiable, extra):
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
        # spare(need) -> indices of inputs the rule reads only the shape of (see _spare)
        self.spare = None
        # indices of the inputs torch lists in grad_fn.next_functions (None: all of them);
        # torch leaves out inputs its op takes as a Scalar (x ** 2 has one edge, x * 2 two)
        self.edges = None

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
    grad_name=None,
    view=False,
):
    """Register `fwd(xp, *arrays, **params)` as op `name`. Returns the Op."""

    def deco(fwd):
        op = Op(name, fwd, promote, save_inputs, save_output, differentiable, extra)
        if grad_name is not None:
            op.grad_name = grad_name
        op.view = view
        if name in OPS:
            raise ValueError(f"op {name} registered twice")
        OPS[name] = op
        return op

    return deco


def renamed(op, grad_name):
    """`op` under another node name, unregistered: PyTorch names a node after the function
    called (t() makes a TBackward0 though it computes a permute). Same forward and rule."""
    import copy

    alias = copy.copy(op)
    alias.grad_name = grad_name
    return alias


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
    Tensor = _Tensor
    if len(args) == 1 and args[0].__class__ in _TENSOR_TYPES:
        return _apply1(op, args[0], params)
    arrays = _same_dtype_arrays(args, op)
    if arrays is not None:
        return _apply_same(op, args, arrays, params)

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
    bf16 = False
    if promote:
        bf16 = dt is _BF16[0]
    elif not op.view and not (params and params.get("dtype")):
        # ops that take their inputs as they are (matmul): bfloat16 alone, not mixed with
        # float32, computes in float32 and rounds back (views keep the memory; an explicit
        # dtype= says what comes out)
        for a in tensors:
            if a._dtype is _BF16[0]:
                bf16 = True
            elif a._dtype._kind == 2:
                bf16 = False
                break
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
            if bf16 and a.__class__ is float and op.name not in _OPMATH_SCALAR_OPS:
                # PyTorch rounds a Python float to bfloat16 first, except for mul and div
                a = float(np.array(a, dtype=_BF16[0].np).astype(np.float64))
            if promote and a is not None and a.__class__ is int and npdt.kind in "biu":
                # keep an int scalar in the result dtype (bool tensor + 1 is int64)
                if npdt.kind == "b":
                    a = xp.asarray(a, dtype=int64.np)
                else:
                    a = wrap_int(a, dt)
            arrays.append(a)
    if bf16:
        # PyTorch computes bfloat16 in float32 and rounds the result once
        arrays = _bf16_upcast(arrays)
    record = rg and GRAD.enabled and op.differentiable
    out, extra = (_forward_bf16 if bf16 else _forward)(op, xp, arrays, params)
    if op.name in ELEMENTWISE_OPS:
        out = _follow_operands(out, arrays)
    if op.has_extra and not op.differentiable:
        return _wrap_multi(out, extra, dev)
    if bf16 and out.dtype == np.float32:
        out = out.astype(_BF16[0].np)
    res = _new_tensor(out, np_to_dtype(out), dev)
    if op.view:
        _mark_view(op, res, tensors[0], xp, params)
    if record and res._dtype._kind >= 2:
        _record(op, res, args, tensors, out, params, extra)
    if op.has_extra and op.differentiable:
        return res, _new_tensor(_as_array(extra), np_to_dtype(_as_array(extra)), dev)
    return res


_ARRAYS = (np.ndarray,)


def _same_dtype_arrays(args, op):
    """The NumPy operands of `args` when they are CPU tensors of one float or int dtype (the
    first argument a tensor), None, or Python scalars that keep that dtype: the common case,
    where promotion, devices and bfloat16 need no work. None for anything else."""
    first = args[0]
    if first.__class__ not in _TENSOR_TYPES or first._device is not _CPU:
        return None
    dt = first._dtype
    kind = dt._kind
    if kind < 1 or kind > 2 or dt is _BF16[0] or (op.promote == "float" and kind < 2):
        return None
    arrays = [first._data]
    for a in args[1:]:
        c = a.__class__
        if c in _TENSOR_TYPES:
            if a._dtype is not dt or a._device is not _CPU:
                return None
            arrays.append(a._data)
        elif a is None:
            arrays.append(None)
        elif c is float:
            if kind != 2:
                # an int tensor with a float scalar promotes
                return None
            arrays.append(a)
        elif c is int:
            # an operand beyond an int dtype's range wraps, as torch converts it (ops that
            # do not promote take their int arguments as they are)
            arrays.append(a if kind == 2 or not op.promote else wrap_int(a, dt))
        else:
            return None
    return arrays


def _forward_bf16(op, xp, arrays, params):
    """`_forward` on bfloat16 inputs run in float32: a kernel's dtype error names BFloat16, as
    PyTorch's does ("lshift_cpu" not implemented for 'BFloat16')."""
    try:
        return _forward(op, xp, arrays, params)
    except NotImplementedError as e:
        msg = str(e)
        if not msg.endswith("not implemented for 'Float'"):
            raise
        raise NotImplementedError(msg[: -len("'Float'")] + "'BFloat16'") from None


def _forward(op, xp, arrays, params):
    """(output, extra output or None) of op's forward on arrays, the output an array (NumPy
    turns 0-d results into scalars); NumPy's broadcast errors in PyTorch's words."""
    try:
        out = op.fwd(xp, *arrays, **params)
    except ValueError:
        _reraise_broadcast(arrays)
        raise
    extra = None
    if op.has_extra:
        out, extra = out
    if out.__class__ is not _ndarray:
        if isinstance(out, _generic) or not hasattr(out, "shape"):
            out = np.asarray(out)
    return out, extra


# names of the ops whose result torch lays out by its TensorIterator rule (see _layouts.py)
ELEMENTWISE_OPS = set()


def _follow_operands(out, arrays):
    """An elementwise result laid out as torch's, where some operand is not C-ordered."""
    for a in arrays:
        c = a.__class__
        if c is _ndarray:
            if not a.flags.c_contiguous:
                return _elementwise_layout(out, arrays)
        elif c is not int and c is not float and c is not bool and a is not None:
            # a device array (CuPy); Python scalars have no layout (and getattr on them is slow)
            flags = getattr(a, "flags", None)
            if flags is not None and not flags.c_contiguous:
                return _elementwise_layout(out, arrays)
    return out


def _apply_same(op, args, arrays, params):
    """`apply` for operands that `_same_dtype_arrays` accepted."""
    out, extra = _forward(op, np, arrays, params)
    if op.name in ELEMENTWISE_OPS:
        out = _follow_operands(out, arrays)
    if op.has_extra and not op.differentiable:
        return _wrap_multi(out, extra, _CPU)
    first = args[0]
    res = _new_tensor(out, first._dtype if out.dtype is first._data.dtype else
                      np_to_dtype(out), _CPU)
    if op.view:
        _mark_view(op, res, first, np, params)
    if GRAD.enabled and op.differentiable and res._dtype._kind >= 2:
        tensors = [a for a in args if a.__class__ in _TENSOR_TYPES]
        for t in tensors:
            if t._rg:
                _record(op, res, args, tensors, out, params, extra)
                break
    if op.has_extra and op.differentiable:
        return res, _new_tensor(_as_array(extra), np_to_dtype(_as_array(extra)), _CPU)
    return res


def _apply1(op, a, params):
    """`apply` for a single Tensor input (views, reductions, most unary ops): the same result,
    without the loops over arguments that cost more than the op on a small tensor."""
    dev = a._device
    xp = np if dev is _CPU else dev.xp
    arr = a._data
    promote = op.promote
    if promote:
        dt = a._dtype
        if promote == "float" and dt._kind < 2:
            # ops like exp compute integers in the default float dtype
            from .._dtype import get_default_dtype

            dt = get_default_dtype()
        if arr.dtype != dt.np:
            arr = arr.astype(dt.np)
    bf16 = a._dtype is _BF16[0] and not op.view and not (params and params.get("dtype"))
    if bf16:
        # PyTorch computes bfloat16 in float32 (sums accumulate there) and rounds once
        if dev is not _CPU:
            raise RuntimeError("bfloat16 tensors are only supported on the CPU in ember")
        arr = arr.astype(np.float32)
    record = a._rg and GRAD.enabled and op.differentiable
    out, extra = (_forward_bf16 if bf16 else _forward)(op, xp, (arr,), params)
    if bf16 and out.dtype == np.float32:
        out = out.astype(a._data.dtype)
    if op.has_extra and not op.differentiable:
        return _wrap_multi(out, extra, dev)
    # most ops keep the input's dtype: no lookup then
    res = _new_tensor(out, a._dtype if out.dtype is arr.dtype and not promote else
                      np_to_dtype(out), dev)
    if op.view:
        _mark_view(op, res, a, xp, params)
    if record and res._dtype._kind >= 2:
        _record1(op, res, a, out, params, extra)
    if op.has_extra and op.differentiable:
        return res, _new_tensor(_as_array(extra), np_to_dtype(_as_array(extra)), dev)
    return res


def _bf16_upcast(arrays):
    """bfloat16 arrays among `arrays` as float32 (others untouched)."""
    bf = _BF16[0].np
    return [x.astype(np.float32) if getattr(x, "dtype", None) == bf else x for x in arrays]


def _record1(op, res, a, out, params, extra):
    """`_record` for a single Tensor input that requires grad."""
    node = _new(Node)
    node.seq = next_seq()
    node.op = op
    node.next = (a._node or a,)
    node.need = _NEED_T
    node.metas = meta_tuple1(a._data)
    if op.save_inputs:
        v = a._vc
        if v is None:
            v = a._vc = [0]
        saved = [a]
        versions = [v[0]]
        if op.spare is not None:
            _spare(node, saved, versions)
        if v.__class__ is not list:
            check_saved_inference(saved)
        node.saved = tuple(saved)
        node.versions = versions
    finish_node(node, op, res, out, params, extra)


def _reraise_broadcast(arrays):
    """NumPy's broadcasting ValueError becomes PyTorch's RuntimeError naming both sizes."""
    from .math import _broadcast_error

    _broadcast_error(*[a for a in arrays if hasattr(a, "shape")])


def _mark_view(op, res, base, xp, params):
    # the result shares memory (and so the version counter) with its input
    if res._data.base is None:
        return
    v = base._vc
    if v is None:
        v = base._vc = [0]
    res._vc = v
    fwd = op.fwd

    def view_fn(arr):
        return fwd(xp, arr, **params)

    res._view_of = (base, view_fn)
    if base._rg and GRAD.enabled:
        # the base must find this view if it is later written in place (see refresh_views)
        views = base.__dict__.get("_views")
        if views is None:
            views = base.__dict__["_views"] = []
        views.append(_weakref(res))


def _as_array(x):
    """A forward's result as an array: NumPy scalars (what 0-d operands give) become 0-d
    arrays; arrays, CuPy's included, pass through."""
    if x.__class__ is not _ndarray and (isinstance(x, _generic) or not hasattr(x, "shape")):
        return np.array(x)
    return x


def _wrap_multi(out, extra, dev):
    out = _as_array(out)
    extra = _as_array(extra)
    return _new_tensor(out, np_to_dtype(out), dev), _new_tensor(extra, np_to_dtype(extra), dev)


def _record(op, res, args, tensors, out, params, extra):
    """Build the graph node for `res` = op(args)."""
    Tensor = _Tensor

    next_ = []
    metas = []
    for a in args:
        if isinstance(a, Tensor) and a._rg:
            n = a._node
            next_.append(n if n is not None else a)
            metas.append(meta(a._data.shape, a._data.dtype))
        else:
            next_.append(None)
            if isinstance(a, Tensor):
                metas.append(meta(a._data.shape, a._data.dtype))
            else:
                metas.append(_NOMETA)
    node = Node(op, tuple(next_), tuple(metas))
    if op.save_inputs:
        saved = []
        versions = []
        inference = False
        for a in args:
            if isinstance(a, Tensor):
                v = a._vc
                if v is None:
                    v = a._vc = [0]
                elif v.__class__ is not list:
                    inference = True
                versions.append(v[0])
                saved.append(a)
            else:
                saved.append(_Const(a))
                versions.append(0)
        if op.spare is not None:
            _spare(node, saved, versions)
        if inference:
            check_saved_inference(saved)
        node.saved = tuple(saved)
        node.versions = versions
    finish_node(node, op, res, out, params, extra)


_NOMETA = Meta((), None)

# Metas are read-only, so nodes share them: one per (shape, dtype) instead of a new object per
# recorded op. The caches are bounded (emptied when full) for programs whose shapes keep changing.
_METAS = {}
_METAS1 = {}
_META_CACHE_MAX = 4096


def meta(shape, dtype):
    """The shared Meta of `shape` and `dtype`."""
    key = (shape, dtype)
    m = _METAS.get(key)
    if m is None:
        if len(_METAS) >= _META_CACHE_MAX:
            _METAS.clear()
        m = _METAS[key] = Meta(shape, dtype)
    return m


def meta_tuple1(arr):
    """`(meta(arr.shape, arr.dtype),)`: the metas of a one-input op, shared."""
    key = (arr.shape, arr.dtype)
    m = _METAS1.get(key)
    if m is None:
        if len(_METAS1) >= _META_CACHE_MAX:
            _METAS1.clear()
        m = _METAS1[key] = (Meta(arr.shape, arr.dtype),)
    return m
_SAME_SCALAR = (None, _NOMETA)


class _Const:
    """A non-tensor input saved for backward (a Python scalar or None)."""

    __slots__ = ("_data", "_vc", "_node")

    def __init__(self, value):
        self._data = value
        self._vc = [0]
        self._node = None


# ---------------------------------------------------------------- the fast path
# Binary arithmetic on two tensors of one dtype and device, or a tensor and a Python scalar of
# its category, is most of what a training loop runs: it skips promotion and the generic
# unwrapping above. Anything else falls through to `apply`.

_TENSOR_TYPES = set()
_NEED_T = (True,)
_NEED_TT = (True, True)
_NEED_TF = (True, False)
_NEED_FT = (False, True)
_FLOAT_SCALARS = (float, int)


def binary(op, a, b):
    """`op(a, b)` for a Tensor `a`; same result as `apply(op, (a, b), {})`."""
    bc = b.__class__
    if bc in _TENSOR_TYPES:
        dt = a._dtype
        dev = a._device
        if b._dtype is dt and b._device is dev and dt is not _BF16[0]:
            xp = np if dev is _CPU else dev.xp
            ad = a._data
            bd = b._data
            if GRAD.enabled and (a._rg or b._rg) and op.differentiable:
                return _record_binary(op, a, b, op.fwd(xp, ad, bd), dt)
            out = _as_array(op.fwd(xp, ad, bd))
            if not ad.flags.c_contiguous:
                out = _elementwise_layout(out, (ad, bd))
            return _new_tensor(out, dt if out.dtype is dt.np else np_to_dtype(out), dev)
    elif bc is float or bc is int:
        dt = a._dtype
        # a float scalar keeps a float tensor's dtype (NumPy 2's weak scalars agree)
        if (dt._kind == 2 and dt is not _BF16[0]) or (bc is int and dt._kind == 1):
            if dt._kind == 1:
                b = wrap_int(b, dt)
            dev = a._device
            xp = np if dev is _CPU else dev.xp
            ad = a._data
            if dt is _FLOAT16 and op.name in _OPMATH_SCALAR_OPS:
                # torch multiplies and divides half by a scalar in float32 and rounds once
                # (NumPy would round the scalar to half first; torch's add and sub do too)
                out = op.fwd(xp, ad.astype(np.float32), b).astype(np.float16)
            else:
                out = op.fwd(xp, ad, b)
            if GRAD.enabled and a._rg and op.differentiable:
                return _record_binary(op, a, b, out, dt)
            out = _as_array(out)
            return _new_tensor(out, dt if out.dtype is dt.np else np_to_dtype(out), dev)
    return apply(op, (a, b), _EMPTY_PARAMS)


def rbinary(op, a, b):
    """`op(b, a)` for a Tensor `a` and a non-tensor `b` (reflected operators)."""
    bc = b.__class__
    if bc is float or bc is int:
        dt = a._dtype
        if (dt._kind == 2 and dt is not _BF16[0]) or (bc is int and dt._kind == 1):
            if dt._kind == 1:
                b = wrap_int(b, dt)
            dev = a._device
            xp = np if dev is _CPU else dev.xp
            ad = a._data
            out = op.fwd(xp, b, ad)
            if GRAD.enabled and a._rg and op.differentiable:
                return _record_rbinary(op, b, a, out, dt)
            out = _as_array(out)
            return _new_tensor(out, dt if out.dtype is dt.np else np_to_dtype(out), dev)
    return apply(op, (b, a), _EMPTY_PARAMS)


_EMPTY_PARAMS = {}
_new = object.__new__
# bound by _init_fast_path once ember._tensor is importable (a top-level import would cycle)
_Tensor = None
_new_tensor = None
_CPU = None


def _record_binary(op, a, b, out, dt):
    if out.__class__ is not _ndarray:
        out = _as_array(out)
    elif not a._data.flags.c_contiguous and b.__class__ in _TENSOR_TYPES:
        out = _elementwise_layout(out, (a._data, b._data))
    t = _new(_Tensor)
    t._data = out
    t._dtype = dt if out.dtype is dt.np else np_to_dtype(out)
    t._device = a._device
    if t._dtype._kind < 2:
        t._rg = False
        t._node = None
        return t
    ar = a._rg
    node = _new(Node)
    node.seq = next_seq()
    node.op = op
    if b.__class__ in _TENSOR_TYPES:
        br = b._rg
        node.next = ((a._node or a) if ar else None, (b._node or b) if br else None)
        node.need = _NEED_TT if (ar and br) else (_NEED_TF if ar else _NEED_FT)
        sa = a._data.shape
        sb = b._data.shape
        if sa == sb:
            # None: "same shape and dtype as the output"; spares two Meta objects per op
            node.metas = _SAME2
        else:
            node.metas = (meta(sa, a._data.dtype), meta(sb, b._data.dtype))
        if op.save_inputs:
            _save2(node, a, b)
    else:
        _scalar_edges(node, op, a, b)
    if op.save_output:
        _save_output(node, t, out)
    t._rg = True
    t._node = node
    if _HOOKS:
        pack_node(node, t)
    return t


from ..autograd._node import _SAME2, NEED_SCALAR  # noqa: E402
from ..autograd._saved_hooks import HOOKS as _HOOKS, pack_node  # noqa: E402


def _scalar_edges(node, op, a, b):
    """The edges, metas and saved values of op(tensor a, Python scalar b)."""
    node.next = (a._node or a, None)
    node.need = _NEED_TF
    if op.save_inputs:
        if _scalar_only(op):
            # tensor * constant (or / constant): the rule reads only the constant, which
            # rides in metas (entries of inputs needing no gradient are never validated),
            # so nothing is saved and a later in-place change of `a` is no error, as in torch
            node.metas = (None, b)
            # torch saves the constant though (MulBackward0's `other`), so a second backward
            # through this node is its "backward through the graph a second time" error:
            # NEED_SCALAR marks it for Node.release
            node.need = NEED_SCALAR
        else:
            node.metas = _SAME_SCALAR
            _save1c(node, a, b, 0)
    else:
        node.metas = _SAME_SCALAR


def finish_node(node, op, res, out, params, extra):
    """The end of recording: the saved output, the params and extra the rule reads, and the
    result tensor pointed at its node."""
    if op.save_output:
        _save_output(node, res, out)
    if params:
        node.params = params
    if extra is not None:
        node.extra = extra
    res._node = node
    res._rg = True
    if _HOOKS:
        # a saved_tensors_hooks context is active: pack what the node saved
        pack_node(node, res)


def _save_output(node, t, out):
    # the output is saved with its own version counter, so an in-place change is caught
    node.out = out
    v = [0]
    t._vc = v
    node.out_version = (v, 0)


def _record_scalar(op, a, b, out):
    """`_record_binary` for a float tensor `a` that requires grad and a Python scalar `b`: the
    result keeps a's dtype, and only `a` is an edge."""
    if out.__class__ is not _ndarray:
        out = _as_array(out)
    t = _new(_Tensor)
    t._data = out
    t._dtype = a._dtype
    t._device = a._device
    node = _new(Node)
    node.seq = next_seq()
    node.op = op
    _scalar_edges(node, op, a, b)
    if op.save_output:
        _save_output(node, t, out)
    t._rg = True
    t._node = node
    if _HOOKS:
        pack_node(node, t)
    return t


def record_unary(op, a, out):
    """Wrap `out` = op(a) (a CPU array of a's shape) and record its node: the unary fast path."""
    t = _new(_Tensor)
    t._data = out
    dt = a._dtype
    t._dtype = dt if out.dtype is dt.np else np_to_dtype(out)
    t._device = a._device
    if t._dtype._kind < 2:
        t._rg = False
        t._node = None
        return t
    node = _new(Node)
    node.seq = next_seq()
    node.op = op
    node.next = (a._node or a,)
    node.need = _NEED_T
    # same shape and dtype as the output unless the op changed the dtype (int -> float)
    node.metas = _SAME1 if out.dtype is a._data.dtype else meta_tuple1(a._data)
    if op.save_inputs:
        va = a._vc
        if va is None:
            va = a._vc = [0]
        if va.__class__ is not list:
            check_saved_inference((a,))
        node.saved = (a,)
        node.versions = (va[0],)
    if op.save_output:
        _save_output(node, t, out)
    t._rg = True
    t._node = node
    if _HOOKS:
        pack_node(node, t)
    return t


from ..autograd._node import _SAME1  # noqa: E402


def _record_rbinary(op, s, a, out, dt):
    # s is a Python scalar on the left, a the tensor on the right
    if out.__class__ is not _ndarray:
        out = _as_array(out)
    t = _new(_Tensor)
    t._data = out
    t._dtype = dt if out.dtype is dt.np else np_to_dtype(out)
    t._device = a._device
    node = Node(op, (None, a._node or a), (_NOMETA, meta(a._data.shape, a._data.dtype)),
                _NEED_FT)
    if op.save_inputs:
        _save1c(node, a, s, 1)
    if op.save_output:
        _save_output(node, t, out)
    t._rg = True
    t._node = node
    if _HOOKS:
        pack_node(node, t)
    return t


_SCALAR_ONLY = {}


def _scalar_only(op):
    """Whether op(tensor, constant)'s rule needs only the constant (op.spare says so)."""
    r = _SCALAR_ONLY.get(op)
    if r is None:
        r = _SCALAR_ONLY[op] = op.spare is not None and 0 in op.spare(_NEED_TF)
    return r


def _save2(node, a, b):
    va = a._vc
    if va is None:
        va = a._vc = [0]
    vb = b._vc
    if vb is None:
        vb = b._vc = [0]
    node.saved = (a, b)
    node.versions = (va[0], vb[0])
    if node.op.spare is not None:
        _spare_node(node)
    if va.__class__ is not list or vb.__class__ is not list:
        check_saved_inference(node.saved)


def _save1c(node, a, s, pos):
    va = a._vc
    if va is None:
        va = a._vc = [0]
    c = _Const(s)
    node.saved = (a, c) if pos == 0 else (c, a)
    node.versions = (va[0], 0) if pos == 0 else (0, va[0])
    if node.op.spare is not None:
        _spare_node(node)
    if va.__class__ is not list:
        check_saved_inference(node.saved)


class _ShapeOnly:
    """A saved input the rule reads only the shape and dtype of (its data is a Meta)."""

    __slots__ = ("_data", "_vc", "_node")

    def __init__(self, t):
        self._data = Meta(t._data.shape, t._data.dtype)
        self._vc = [0]
        self._node = None


def _spare(node, saved, versions):
    """Keep only the shapes of the inputs the rule will not read, given which gradients are
    needed: PyTorch saves only the others (x * 2 keeps nothing of x), so an in-place change to
    a spared input is no error at backward."""
    for i in node.op.spare(node.need):
        t = saved[i]
        if t.__class__ is not _Const:
            saved[i] = _ShapeOnly(t)
            versions[i] = 0


def _spare_node(node):
    saved = list(node.saved)
    versions = list(node.versions)
    _spare(node, saved, versions)
    node.saved = tuple(saved)
    node.versions = tuple(versions)


def _init_fast_path():
    global _Tensor, _new_tensor, _CPU
    from .._device import CPU as _CPU
    from .._tensor import Tensor, _new_tensor

    _Tensor = Tensor
    _TENSOR_TYPES.add(Tensor)
    _init_consts()


def register_tensor_type(cls):
    """Subclasses (nn.Parameter) take the fast path too."""
    _TENSOR_TYPES.add(cls)


# temporary elision: arrays of at least this many elements (below it, allocation is cheap),
# and the reference count a temporary Tensor (and its array) has inside an operator method:
# the caller's stack, the parameter and getrefcount's own argument
_ELIDE_MIN = 1 << 16
_TEMP_REFS = 3
_refcount = __import__("sys").getrefcount


# Python scalars as operands of float arrays: NumPy converts a Python float on every call, which
# takes longer than multiplying ten floats; a cached read-only 0-d array of the tensor's dtype
# gives the same result (NumPy casts the weak scalar to that dtype first) in two thirds of the
# time. Float dtypes only (an int beyond an int dtype's range must keep NumPy's error).
_CONSTS = {}
_CONSTS_MAX = 1024
_FLOAT16 = None
_OPMATH_SCALAR_OPS = ("mul", "div")
# ember's bfloat16 dtype, in a list as it is set once the dtype module is loaded
_BF16 = [None]


def _init_consts():
    global _FLOAT16
    from .._dtype import bfloat16, float16, float32, float64

    _BF16[0] = bfloat16

    # not float16: torch computes half times a scalar in float32 (binary() does that)
    for dt in (float32, float64):
        _CONSTS[dt] = {}
    _FLOAT16 = float16


def _const(consts, value, dt):
    """`value` as a read-only 0-d array of `dt`, remembered in `consts` (its dtype's cache)."""
    arr = np.array(value, dtype=dt.np)
    arr.flags.writeable = False
    if value == 0:
        # 0.0 and -0.0 are equal keys but give different signs: zeros are not cached
        return arr
    if len(consts) >= _CONSTS_MAX:
        # learning rates and other per-step values: keep the cache bounded
        consts.clear()
    consts[value] = arr
    return arr


_INT_RANGES = {}


def wrap_int(value, dt):
    """A Python int as an operand of an integer tensor of ember dtype `dt`: torch converts it to
    the dtype modulo 2**bits (uint8 + 300 adds 44); NumPy would raise. Beyond 64 bits both raise."""
    r = _INT_RANGES.get(dt)
    if r is None:
        info = np.iinfo(dt.np)
        r = _INT_RANGES[dt] = (int(info.min), int(info.max), info.bits)
    lo, hi, bits = r
    if lo <= value <= hi:
        return value
    if not -(1 << 63) <= value < (1 << 64):
        raise OverflowError("int too big to convert")
    value %= 1 << bits
    if lo < 0 and value > hi:
        value -= 1 << bits
    return value


def const(value, dt):
    """A Python scalar as NumPy operand for arrays of ember dtype `dt`: the cached 0-d array
    for float dtypes, else the scalar itself."""
    consts = _CONSTS.get(dt)
    if consts is None:
        return value
    s = consts.get(value)
    if s is None:
        s = _const(consts, value, dt)
    return s


def make_binary(op, ufunc, min_kind, slow):
    """A Tensor operator method for `op` with NumPy's `ufunc` inlined (CPU, same dtype).

    `min_kind` is the lowest dtype category whose result keeps the operands' dtype
    (1 for + - *, 2 for /); everything else goes to `slow(a, b)`.
    """
    from .._device import CPU

    def method(a, b):
        # try costs nothing in CPython 3.11 until NumPy raises (shapes that don't broadcast)
        try:
            bc = b.__class__
            if bc in _TENSOR_TYPES:
                dt = a._dtype
                dev = a._device
                if b._dtype is dt and b._device is dev and dev is CPU and dt._kind >= min_kind:
                    if GRAD.enabled:
                        if a._rg or b._rg:
                            return _record_binary(op, a, b, ufunc(a._data, b._data), dt)
                    elif GRAD.inference:
                        # the generic path marks the result as an inference tensor
                        return slow(a, b)
                    ad = a._data
                    if (ad.size >= _ELIDE_MIN and ad.base is None
                            and _refcount(a) == _TEMP_REFS and _refcount(ad) == _TEMP_REFS
                            and b._data.shape == ad.shape):
                        # `a` is a temporary nobody else can see (as in `a * x + b`): reuse
                        # its memory for the result, as NumPy's temporary elision does
                        ufunc(ad, b._data, out=ad)
                        return a
                    out = ufunc(ad, b._data)
                    if not ad.flags.c_contiguous:
                        # NumPy picks C order where the layouts conflict, torch the first's
                        out = _elementwise_layout(out, (ad, b._data))
                    if out.__class__ is not _ndarray:
                        # 0-d operands give NumPy scalars; np.array is 2x faster than asarray here
                        out = np.array(out)
                    t = _new(_Tensor)
                    t._data = out
                    t._dtype = dt
                    t._device = dev
                    t._rg = False
                    t._node = None
                    return t
            elif bc is float or bc is int:
                dt = a._dtype
                dev = a._device
                if dev is CPU and (dt._kind == 2 or (bc is int and dt._kind >= min_kind)):
                    consts = _CONSTS.get(dt)
                    if consts is None:
                        if dt is _FLOAT16 and op.name in _OPMATH_SCALAR_OPS:
                            return slow(a, b)
                        if dt is _BF16[0]:
                            # bfloat16 runs in float32 in apply()
                            return slow(a, b)
                        # an int tensor: out-of-range ints wrap, as torch converts them
                        s = b if dt._kind != 1 else wrap_int(b, dt)
                    else:
                        s = consts.get(b)
                        if s is None:
                            s = _const(consts, b, dt)
                    if GRAD.enabled:
                        if a._rg:
                            return _record_scalar(op, a, b, ufunc(a._data, s))
                    elif GRAD.inference:
                        return slow(a, b)
                    out = ufunc(a._data, s)
                    if out.__class__ is not _ndarray:
                        out = np.array(out)
                    t = _new(_Tensor)
                    t._data = out
                    t._dtype = dt
                    t._device = dev
                    t._rg = False
                    t._node = None
                    return t
            return slow(a, b)
        except ValueError:
            if b.__class__ in _TENSOR_TYPES:
                _reraise_broadcast((a._data, b._data))
            raise

    return method
