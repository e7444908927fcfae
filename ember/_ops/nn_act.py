"""Fused neural-network ops: activations, softmax, linear layers and losses.

Each op computes its forward in one NumPy pass (max-shifted softmax, stable softplus and
log-sigmoid, cross entropy as one log-softmax + gather) and has a rule written against the
namespace `F`, so first and second derivatives both work. Argument checking and PyTorch's
argument forms live in `ember.nn.functional`; the functions here take checked arguments.
"""

import math

import numpy as np

from ..cuda import _fused

from .._device import CPU as _CPU
from .._dtype import bfloat16 as _BF16
from ..amp._lists import ACTIVE as _AC
from ..amp._lists import run as _autocast
from .._tensor import Tensor as _Tensor
from .._tensor import _new_tensor, _wrap_dim
from ..autograd._node import Node, next_seq
from ..autograd._saved_hooks import HOOKS as _HOOKS, pack_node
from ..autograd.grad_mode import GRAD, InferenceVersion
from ._bind import method, public
from ._blas_sum import matmul2d, row_max, row_sums, sum_all, sum_float, sum_rows
from ._inplace import inplace
from ._namespace import ANS, register_ns
from ._registry import (
    _NOMETA, _TENSOR_TYPES, _Const, _as_array, _save2, apply, defop, finish_node, meta,
    meta_tuple1, np_to_dtype,
)
from .math import _erf_array as erf_array

_E = {}
_SQRT_2_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


# ---------------------------------------------------------------- namespace helpers for rules
def _ember():
    import ember

    return ember


def _np_sigmoid(x):
    # 1/(1+exp(-x)) overflows harmlessly to 0 for very negative x
    return 1.0 / (1.0 + np.exp(-x))


def _arr_erf(x):
    return erf_array(np if isinstance(x, np.ndarray) else _xp_of(x), x)


register_ns("nn_sigmoid", _np_sigmoid, lambda x: _ember().sigmoid(x))
register_ns("nn_erf", _arr_erf, lambda x: _ember().erf(x))
register_ns("nn_softplus", lambda x: np.logaddexp(0.0, x), lambda x: softplus(x, 1.0, 20.0))


def _const_like(arr, like):
    # a constant (no graph) shaped like arr on like's device, for rules run on Tensors
    from .._tensor import wrap_array

    return wrap_array(arr, like._device)


def _tie(res, *deps):
    """res, made to depend (with zero weight) on deps when a rule runs on Tensors.

    PyTorch's piecewise-linear backward functions are differentiable in their input with a
    zero derivative; adding 0 * dep gives a second derivative of zeros instead of None. A normal
    backward (arrays) skips it.
    """
    if not hasattr(res, "_data"):
        return res
    for d in deps:
        res = res + 0.0 * d
    return res


# ---------------------------------------------------------------- the hot path
# Layers and losses run once per batch, so their calls skip apply's generic unwrapping: CPU
# tensors (None for an absent optional input) of one dtype when the op promotes. Everything
# else, errors included, goes through apply.
_ndarray = np.ndarray
_new = object.__new__
_NONE = _Const(None)


def _hot(op, args, params):
    """apply(op, args, params) for the common case: tensors (or None) of one dtype and device.
    Unlike apply, an op with an `extra` output returns only its main result (the extra rides
    on the node), so every device must come through here."""
    first = args[0]
    dt = first._dtype
    if dt is _BF16:
        # bfloat16 computes in float32 in apply
        return apply(op, args, params)
    dev = first._device
    arrays = []
    rg = False
    for a in args:
        if a is None:
            arrays.append(None)
            continue
        if a.__class__ not in _TENSOR_TYPES or a._device is not dev:
            return apply(op, args, params)
        if a._dtype is not dt and op.promote:
            return apply(op, args, params)
        arrays.append(a._data)
        if a._rg:
            rg = True
    out = op.fwd(np if dev is _CPU else dev.xp, *arrays, **params)
    extra = None
    if op.has_extra:
        out, extra = out
    if out.__class__ is not _ndarray:
        out = _as_array(out)
    res = _new_tensor(out, dt if out.dtype is dt.np else np_to_dtype(out), dev)
    if rg and GRAD.enabled and res._dtype._kind >= 2:
        _record(op, res, args, out, params, extra)
    return res


def _record(op, res, args, out, params, extra):
    # what _registry._record builds, for inputs that are Tensors or None
    nxt = []
    need = []
    metas = []
    saved = [] if op.save_inputs else None
    versions = [] if saved is not None else None
    for a in args:
        if a is None:
            nxt.append(None)
            need.append(False)
            metas.append(_NOMETA)
            if saved is not None:
                saved.append(_NONE)
                versions.append(0)
            continue
        d = a._data
        metas.append(meta(d.shape, d.dtype))
        if a._rg:
            nxt.append(a._node or a)
            need.append(True)
        else:
            nxt.append(None)
            need.append(False)
        if saved is not None:
            v = a._vc
            if v is None:
                v = a._vc = [0]
            saved.append(a)
            versions.append(v[0])
    node = _new(Node)
    node.seq = next_seq()
    node.op = op
    node.next = tuple(nxt)
    node.need = tuple(need)
    node.metas = tuple(metas)
    if saved is not None:
        node.saved = tuple(saved)
        node.versions = versions
    finish_node(node, op, res, out, params, extra)


_SAME1 = (None,)
_NEED1 = (True,)


def _hot1(op, a, params):
    """apply(op, (a,), params) for one tensor: the activations' path."""
    if a.__class__ not in _TENSOR_TYPES or a._dtype is _BF16:
        return apply(op, (a,), params)
    d = a._data
    dev = a._device
    out = op.fwd(np if dev is _CPU else dev.xp, d, **params)
    if out.__class__ is not _ndarray:
        out = _as_array(out)
    dt = a._dtype
    res = _new_tensor(out, dt if out.dtype is dt.np else np_to_dtype(out), dev)
    if a._rg and GRAD.enabled and res._dtype._kind >= 2:
        node = _new(Node)
        node.seq = next_seq()
        node.op = op
        node.next = (a._node or a,)
        node.need = _NEED1
        # None: "shaped like the output gradient", which spares a Meta for elementwise ops
        same = out.shape == d.shape and out.dtype == d.dtype
        node.metas = _SAME1 if same else meta_tuple1(d)
        if op.save_inputs:
            v = a._vc
            if v is None:
                v = a._vc = [0]
            node.saved = (a,)
            node.versions = (v[0],)
        finish_node(node, op, res, out, params, None)
    return res


# ---------------------------------------------------------------- relu family
@defop("relu", promote=False, save_output=True)
def _relu(xp, a):
    return xp.maximum(a, 0)


@_relu.defgrad
def _(F, g, out, a, need, extra):
    if g.__class__ is not np.ndarray and _fused.device_array(g) and g.dtype == out.dtype:
        # on a GPU: one kernel instead of a comparison and a product
        return (_fused.relu_backward(g, out),)
    return (_tie(g * (out > 0), out),)


@public("relu")
def relu(input):
    """Mirrors `torch.relu`."""
    return _hot1(_relu, input, _E)


@public("relu_")
def relu_(input):
    """Mirrors `torch.relu_`."""
    return inplace(input, relu)


@defop("hardtanh", promote=False, save_inputs=True)
def _hardtanh(xp, a, min_val, max_val):
    return xp.clip(a, min_val, max_val)


@_hardtanh.defgrad
def _(F, g, out, a, need, extra, min_val, max_val):
    return (_tie(g * (a > min_val) * (a < max_val), a),)


def hardtanh(input, min_val=-1.0, max_val=1.0):
    return _hot1(_hardtanh, input, {"min_val": min_val, "max_val": max_val})


@defop("leaky_relu", promote=False, save_inputs=True)
def _leaky_relu(xp, a, slope):
    return xp.where(a > 0, a, a * slope)


@_leaky_relu.defgrad
def _(F, g, out, a, need, extra, slope):
    return (_tie(F.where(a > 0, g, g * slope), a),)


def leaky_relu(input, negative_slope=0.01):
    return _hot1(_leaky_relu, input, {"slope": negative_slope})


@defop("elu", promote=False, save_inputs=True)
def _elu(xp, a, alpha, scale, input_scale, grad_input_scale):
    neg = xp.expm1(xp.minimum(a, 0) * input_scale) * (alpha * scale)
    return xp.where(a > 0, a * scale, neg).astype(a.dtype, copy=False)


@_elu.defgrad
def _(F, g, out, a, need, extra, alpha, scale, input_scale, grad_input_scale):
    s = grad_input_scale
    neg = g * (alpha * scale * s) * F.exp(F.minimum(a, 0.0) * s)
    return (F.where(a > 0, g * scale, neg),)


def elu(input, alpha=1.0, scale=1.0, input_scale=1.0, grad_input_scale=None):
    if grad_input_scale is None:
        grad_input_scale = input_scale
    return _hot1(_elu, input, {"alpha": alpha, "scale": scale, "input_scale": input_scale,
                                  "grad_input_scale": grad_input_scale})


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@public("selu", method=False)
def selu(input):
    """Mirrors `torch.selu`."""
    return elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0)


@public("celu", method=False)
def celu(input, alpha=1.0):
    """Mirrors `torch.celu`."""
    # torch's backward takes 1 / alpha with alpha rounded to float32; so does ember's
    return elu(input, alpha, 1.0, 1.0 / alpha, 1.0 / float(np.float32(alpha)))


@defop("threshold", promote=False, save_inputs=True)
def _threshold(xp, a, threshold, value):
    return xp.where(a > threshold, a, xp.asarray(value, dtype=a.dtype))


@_threshold.defgrad
def _(F, g, out, a, need, extra, threshold, value):
    return (_tie(g * (a > threshold), a),)


@public("threshold", method=False)
def threshold(input, threshold, value):
    """Mirrors `torch.threshold`."""
    return _hot1(_threshold, input, {"threshold": threshold, "value": value})


@defop("shrink", promote=False, save_inputs=True, grad_name="SoftshrinkBackward0")
def _shrink(xp, a, lambd, soft):
    keep = xp.abs(a) > lambd
    if soft:
        return xp.where(keep, a - xp.sign(a) * lambd, 0).astype(a.dtype, copy=False)
    return xp.where(keep, a, 0).astype(a.dtype, copy=False)


@_shrink.defgrad
def _(F, g, out, a, need, extra, lambd, soft):
    return (_tie(g * ((a > lambd) + (a < -lambd)), a),)


def softshrink(input, lambd=0.5):
    return _hot1(_shrink, input, {"lambd": lambd, "soft": True})


def hardshrink(input, lambd=0.5):
    return _hot1(_shrink, input, {"lambd": lambd, "soft": False})


@defop("prelu", promote=False, save_inputs=True, grad_name="PreluKernelBackward0")
def _prelu(xp, a, w):
    return xp.where(a > 0, a, a * w)


@_prelu.defgrad
def _(F, g, out, a, w, need, extra):
    ga = F.sum_to(_tie(F.where(a > 0, g, g * w), a), a.shape) if need[0] else None
    gw = F.sum_to(F.where(a > 0, 0.0 * g, g * a), w.shape) if need[1] else None
    return ga, gw


def prelu_op(input, weight):
    """PReLU with `weight` already shaped to broadcast along the channel dimension."""
    return apply(_prelu, (input, weight), _E)


# ---------------------------------------------------------------- smooth activations
@defop("gelu", promote=False, save_inputs=True)
def _gelu(xp, a, approximate):
    if approximate == "tanh":
        inner = _SQRT_2_PI * (a + 0.044715 * a * a * a)
        return (0.5 * a * (1.0 + xp.tanh(inner))).astype(a.dtype, copy=False)
    return (0.5 * a * (1.0 + erf_array(xp, a * _INV_SQRT_2))).astype(a.dtype, copy=False)


@_gelu.defgrad
def _(F, g, out, a, need, extra, approximate):
    if approximate == "tanh":
        t = F.tanh(_SQRT_2_PI * (a + 0.044715 * a * a * a))
        dinner = _SQRT_2_PI * (1.0 + 3.0 * 0.044715 * a * a)
        return (g * (0.5 * (1.0 + t) + 0.5 * a * (1.0 - t * t) * dinner),)
    cdf = 0.5 * (1.0 + F.nn_erf(a * _INV_SQRT_2))
    pdf = _INV_SQRT_2PI * F.exp(-0.5 * a * a)
    return (g * (cdf + a * pdf),)


def gelu(input, approximate="none"):
    return _hot1(_gelu, input, {"approximate": approximate})


@defop("silu", promote=False, save_inputs=True)
def _silu(xp, a):
    # a / (1 + exp(-a)) with one temporary, updated in place (half the time on large inputs)
    t = xp.negative(a)
    if isinstance(t, np.generic):
        # (a 0-d NumPy input gives a scalar)
        t = np.array(t)
    xp.exp(t, out=t)
    t += 1
    return xp.divide(a, t, out=t)


@_silu.defgrad
def _(F, g, out, a, need, extra):
    s = F.nn_sigmoid(a)
    return (g * s * (1.0 + a * (1.0 - s)),)


def silu(input):
    return _hot1(_silu, input, _E)


@defop("mish", promote=False, save_inputs=True)
def _mish(xp, a):
    return a * xp.tanh(xp.logaddexp(0, a))


@_mish.defgrad
def _(F, g, out, a, need, extra):
    t = F.tanh(F.nn_softplus(a))
    return (g * (t + a * F.nn_sigmoid(a) * (1.0 - t * t)),)


def mish(input):
    return _hot1(_mish, input, _E)


@defop("softplus", promote=False, save_inputs=True)
def _softplus(xp, a, beta, threshold):
    z = a * beta
    # log1p(exp(z)) never overflows below the threshold (20 by default); above it, z itself
    soft = xp.log1p(xp.exp(xp.minimum(z, threshold))) / beta
    return xp.where(z > threshold, a, soft).astype(a.dtype, copy=False)


@_softplus.defgrad
def _(F, g, out, a, need, extra, beta, threshold):
    z = a * beta
    return (F.where(z > threshold, g, g * F.nn_sigmoid(z)),)


def softplus(input, beta=1.0, threshold=20.0):
    return _hot1(_softplus, input, {"beta": beta, "threshold": threshold})


@defop("log_sigmoid", promote=False, save_inputs=True, grad_name="LogSigmoidBackward0")
def _log_sigmoid(xp, a):
    return -xp.logaddexp(0, -a)


@_log_sigmoid.defgrad
def _(F, g, out, a, need, extra):
    return (g * F.nn_sigmoid(-a),)


def logsigmoid(input):
    return _hot1(_log_sigmoid, input, _E)


@defop("softsign", promote=False, save_inputs=True)
def _softsign(xp, a):
    return a / (1 + xp.abs(a))


@_softsign.defgrad
def _(F, g, out, a, need, extra):
    d = 1.0 + F.abs(a)
    return (g / (d * d),)


def softsign(input):
    return _hot1(_softsign, input, _E)


_SIXTH_F32 = float(np.float32(1.0 / 6.0))


@defop("hardsigmoid", promote=False, save_inputs=True)
def _hardsigmoid(xp, a):
    return xp.clip(a / 6 + 0.5, 0, 1).astype(a.dtype, copy=False)


@_hardsigmoid.defgrad
def _(F, g, out, a, need, extra):
    # torch's backward multiplies by 1/6 rounded to float32, in every dtype
    return (_tie(g * (a > -3.0) * (a < 3.0) * _SIXTH_F32, a),)


def hardsigmoid(input):
    return _hot1(_hardsigmoid, input, _E)


@defop("hardswish", promote=False, save_inputs=True)
def _hardswish(xp, a):
    return (a * xp.clip(a + 3, 0, 6) / 6).astype(a.dtype, copy=False)


@_hardswish.defgrad
def _(F, g, out, a, need, extra):
    mid = g * (a / 3.0 + 0.5)
    # torch's kernel takes the outer branches at the kinks: 0 at -3, g at 3
    return (F.where(a <= -3.0, 0.0 * g, F.where(a < 3.0, mid, g)),)


def hardswish(input):
    return _hot1(_hardswish, input, _E)


@defop("glu", promote=False, save_inputs=True)
def _glu(xp, a, axis):
    h = a.shape[axis] // 2
    first = a[(slice(None),) * axis + (slice(0, h),)]
    second = a[(slice(None),) * axis + (slice(h, None),)]
    return first / (1.0 + xp.exp(-second))


@_glu.defgrad
def _(F, g, out, a, need, extra, axis):
    h = a.shape[axis] // 2
    first = F.getitem(a, (slice(None),) * axis + (slice(0, h),))
    second = F.getitem(a, (slice(None),) * axis + (slice(h, None),))
    s = F.nn_sigmoid(second)
    gf = g * s
    return (F.concatenate([gf, gf * first * (1.0 - s)], axis),)


def glu(input, dim=-1):
    return _hot1(_glu, input, {"axis": dim % input.ndim})


# ---------------------------------------------------------------- softmax
def _axis_sums(e, axis):
    """e.sum(axis, keepdims=True) of a NumPy array: the rows of a 2-D array by gemv
    (row_sums), as NumPy's reduction over short rows costs far more than their sums."""
    if e.ndim == 2 and axis == 1 and e.flags.c_contiguous:
        return row_sums(e)
    return np.add.reduce(e, axis, keepdims=True)


@defop("softmax", promote=False, save_output=True)
def _softmax(xp, a, axis):
    if a.size == 0:
        return a.copy()
    if not a.flags.c_contiguous:
        # torch's result is contiguous whatever the input's layout (NumPy would keep it)
        a = xp.ascontiguousarray(a)
    if xp is np:
        # the ufuncs' reduce, without ndarray.max's and .sum's Python wrappers
        # (exp in place: a large input's second temporary is an allocation and page faults)
        e = np.subtract(a, row_max(a, axis))
        if e.__class__ is not np.ndarray:
            # (0-d operands give a NumPy scalar)
            e = np.array(e)
        np.exp(e, out=e)
        e /= _axis_sums(e, axis)
        return e
    e = xp.exp(a - a.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


@_softmax.defgrad
def _(F, g, out, a, need, extra, axis):
    return (out * (g - F.sum(g * out, axis=axis, keepdims=True)),)


@defop("log_softmax", promote=False, save_output=True)
def _log_softmax(xp, a, axis):
    if a.size == 0:
        return a.copy()
    if not a.flags.c_contiguous:
        # torch's result is contiguous whatever the input's layout (NumPy would keep it)
        a = xp.ascontiguousarray(a)
    if xp is np:
        # the ufuncs' reduce, without ndarray.max's and .sum's Python wrappers
        z = a - row_max(a, axis)
        z -= np.log(_axis_sums(np.exp(z), axis))
        return z
    z = a - a.max(axis=axis, keepdims=True)
    z -= xp.log(xp.exp(z).sum(axis=axis, keepdims=True))
    return z


@_log_softmax.defgrad
def _(F, g, out, a, need, extra, axis):
    return (g - F.exp(out) * F.sum(g, axis=axis, keepdims=True),)


def _softmax_axis(input, dim):
    nd = input._data.ndim
    if nd and -nd <= dim < nd:
        return dim % nd
    _wrap_dim(dim, nd)
    return None


def _softmax_input(input, dtype, name, axis):
    if dtype is not None:
        input = input.to(dtype)
    elif not input._dtype.is_floating_point:
        # torch's CPU kernels: one for the last dim (or a 0-d input), one for any other dim
        last = input._data.ndim == 0 or axis == input._data.ndim - 1
        kernel = f"{name}_lastdim_kernel_impl" if last else f"{name}_kernel_impl"
        raise NotImplementedError(
            f'"{kernel}" not implemented for \'{_torch_dtype_name(input._dtype)}\''
        )
    return input


def _torch_dtype_name(dt):
    from ._inplace import _TORCH_NAMES

    return _TORCH_NAMES.get(dt.name, dt.name)


@public("softmax")
def softmax(input, dim, dtype=None):
    """Mirrors `torch.softmax(input, dim, dtype=None)` (max-shifted, so exp never overflows)."""
    if _AC[0]:
        return _autocast("softmax", softmax, locals())
    axis = _softmax_axis(input, dim)
    input = _softmax_input(input, dtype, "softmax", axis)
    return _hot1(_softmax, input, {"axis": axis})


@public("log_softmax")
def log_softmax(input, dim, dtype=None):
    """Mirrors `torch.log_softmax(input, dim, dtype=None)`."""
    if _AC[0]:
        return _autocast("log_softmax", log_softmax, locals())
    axis = _softmax_axis(input, dim)
    input = _softmax_input(input, dtype, "log_softmax", axis)
    return _hot1(_log_softmax, input, {"axis": axis})


# ---------------------------------------------------------------- linear layers
@defop("linear", promote=False, save_inputs=True, grad_name="AddmmBackward0")
def _linear(xp, x, w, b):
    if x.ndim == 2:
        # small products through ndarray.dot (see _blas_sum.matmul2d)
        y = matmul2d(x, w.T)
    else:
        # (the operator: CuPy's matmul function costs ~20 us of Python, see linalg._matmul_fwd)
        y = x @ w.T
    if b is not None:
        if y.ndim:
            y += b
        else:
            y = y + b
    return y


def _rows(shape):
    n = 1
    for s in shape[:-1]:
        n *= s
    return n


@_linear.defgrad
def _(F, g, out, x, w, b, need, extra):
    if F is ANS and g.__class__ is _ndarray and len(x.shape) == 2:
        # a normal backward of a batch of rows (nearly every call): the array calls directly
        gx = matmul2d(g, w) if need[0] else None
        gw = matmul2d(g.T, x) if need[1] else None
        gb = sum_rows(g) if need[2] else None
        return gx, gw, gb
    gx = gw = gb = None
    if need[0]:
        gx = F.matmul(g, w)
    if need[1] or need[2]:
        # fold the batch dimensions into one (nothing to do for the usual 2-D input)
        two_d = len(x.shape) == 2
        g2 = g if two_d else F.reshape(g, (_rows(x.shape), w.shape[0]))
        if need[1]:
            x2 = x if two_d else F.reshape(x, (_rows(x.shape), x.shape[-1]))
            gw = F.matmul(F.swapaxes(g2, 0, 1), x2)
        if need[2]:
            gb = F.sum(g2, axis=0)
    return gx, gw, gb


def _linear_alias(name, grad_name):
    op = defop(name, promote=False, save_inputs=True, grad_name=grad_name)(_linear.fwd)
    op.defgrad(_linear.bwd)
    return op


# the same op under the node names PyTorch's linear shows for other input ranks and no bias
_linear_mm = _linear_alias("linear_mm", "MmBackward0")
_linear_view = _linear_alias("linear_view", "ViewBackward0")
_linear_unsafe_view = _linear_alias("linear_unsafe_view", "UnsafeViewBackward0")
_linear_squeeze = _linear_alias("linear_squeeze", "SqueezeBackward4")


# torch's addmm(bias, input, weight.t()) lists its edges as (bias, input, weight); mm has no bias
_linear.edges = (2, 0, 1)
_linear_mm.edges = (0, 1)


def _linear_op(ndim, has_bias):
    if ndim == 2:
        return _linear if has_bias else _linear_mm
    if has_bias:
        return _linear_view
    return _linear_squeeze if ndim == 1 else _linear_unsafe_view


def linear(input, weight, bias=None):
    """Mirrors `torch.nn.functional.linear`: input @ weight.T + bias, one fused op."""
    if _AC[0]:
        return _autocast("linear", linear, locals())
    xd = input._data
    wd = weight._data
    xs = xd.shape
    ws = wd.shape
    if (bias is not None and len(xs) == 2 and len(ws) == 2 and xs[1] == ws[1]
            and xd.__class__ is _ndarray and input.__class__ in _TENSOR_TYPES):
        dt = input._dtype
        if (weight._dtype is dt and bias._dtype is dt and dt._kind == 2 and dt is not _BF16
                and input._device is _CPU and weight._device is _CPU and bias._device is _CPU):
            try:
                return _linear_rows(input, weight, bias, xd, wd, dt)
            except ValueError:
                # torch's addmm error: the bias expanded to (rows, out_features)
                bias.expand(xs[0], ws[0])
                raise
    if input._dtype is not weight._dtype or (bias is not None and bias._dtype is not input._dtype):
        _linear_dtype_error(input, weight, bias)
    if len(ws) == 2 and xs and xs[-1] == ws[1]:
        try:
            return _hot(_linear_op(len(xs), bias is not None), (input, weight, bias), _E)
        except ValueError:
            if bias is None:
                raise
            # torch's addmm error: the bias expanded to (rows, out_features)
            bias.expand(_rows(xs), ws[0])
            raise
    if not xs or not ws:
        raise RuntimeError(
            "both arguments to linear need to be at least 1D, but they are "
            f"{len(xs)}D and {len(ws)}D"
        )
    if len(ws) == 2:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_rows(xs)}x{xs[-1]} and "
            f"{ws[1]}x{ws[0]})"
        )
    # a 1-D weight: a dot product over the last dim, as torch allows
    out = input.matmul(weight)
    return out if bias is None else out + bias


def _linear_rows(x, w, b, xd, wd, dt):
    """linear() of a batch of rows with a bias, float CPU tensors of one dtype: what _hot and
    _record do for it, written out, as every Linear layer of a model takes this way."""
    bd = b._data
    y = matmul2d(xd, wd.T)
    y += bd
    res = _new(_Tensor)
    res._data = y
    res._dtype = dt
    res._device = _CPU
    xr = x._rg
    wr = w._rg
    br = b._rg
    if not ((xr or wr or br) and GRAD.enabled):
        res._rg = False
        res._node = None
        if GRAD.inference:
            # made under inference_mode: an inference tensor (see _tensor._new_tensor)
            res._vc = InferenceVersion()
        return res
    node = _new(Node)
    node.seq = next_seq()
    node.op = _linear
    node.next = ((x._node or x) if xr else None, (w._node or w) if wr else None,
                 (b._node or b) if br else None)
    node.need = (xr, wr, br)
    key = (xd.shape, wd.shape, bd.shape, xd.dtype)
    metas = _LINEAR_METAS.get(key)
    if metas is None:
        if len(_LINEAR_METAS) >= 1024:
            _LINEAR_METAS.clear()
        metas = _LINEAR_METAS[key] = (meta(xd.shape, xd.dtype), meta(wd.shape, wd.dtype),
                                      meta(bd.shape, bd.dtype))
    node.metas = metas
    vx = x._vc
    if vx is None:
        vx = x._vc = [0]
    vw = w._vc
    if vw is None:
        vw = w._vc = [0]
    vb = b._vc
    if vb is None:
        vb = b._vc = [0]
    node.saved = (x, w, b)
    node.versions = (vx[0], vw[0], vb[0])
    res._node = node
    res._rg = True
    if _HOOKS:
        pack_node(node, res)
    return res


# the metas of linear's three inputs, per (input shape, weight shape, bias shape, dtype)
_LINEAR_METAS = {}


def _linear_dtype_error(input, weight, bias):
    other = weight if weight._dtype is not input._dtype else bias
    raise RuntimeError(
        f"mat1 and mat2 must have the same dtype, but got {_torch_dtype_name(input._dtype)} and "
        f"{_torch_dtype_name(other._dtype)}"
    )


@defop("bilinear", promote=False, save_inputs=True, grad_name="AddBackward0")
def _bilinear(xp, x1, x2, w, b):
    y = xp.einsum("...i,kij,...j->...k", x1, w, x2, optimize=True)
    if b is not None:
        y = y + b
    return y.astype(x1.dtype, copy=False)


@_bilinear.defgrad
def _(F, g, out, x1, x2, w, b, need, extra):
    g1 = g2 = gw = gb = None
    if need[0]:
        g1 = F.einsum("...k,kij,...j->...i", g, w, x2)
    if need[1]:
        g2 = F.einsum("...k,kij,...i->...j", g, w, x1)
    if need[2]:
        g2d = F.reshape(g, (_rows(g.shape), w.shape[0]))
        a2d = F.reshape(x1, (_rows(x1.shape), w.shape[1]))
        b2d = F.reshape(x2, (_rows(x2.shape), w.shape[2]))
        gw = F.einsum("nk,ni,nj->kij", g2d, a2d, b2d)
    if need[3]:
        gb = F.sum_to(g, b.shape)
    return g1, g2, gw, gb


def bilinear(input1, input2, weight, bias=None):
    return apply(_bilinear, (input1, input2, weight, bias), _E)


# ---------------------------------------------------------------- normalize
def _pnorm(xp, a, p, axis):
    if p == 2:
        return xp.sqrt((a * a).sum(axis=axis, keepdims=True))
    if p == 1:
        return xp.abs(a).sum(axis=axis, keepdims=True)
    if p == math.inf:
        return xp.abs(a).max(axis=axis, keepdims=True)
    return (xp.abs(a) ** p).sum(axis=axis, keepdims=True) ** (1.0 / p)


@defop("normalize", promote=False, save_inputs=True, grad_name="DivBackward0")
def _normalize(xp, a, p, axis, eps):
    if a.size == 0:
        return a.copy()
    return a / xp.maximum(_pnorm(xp, a, p, axis), eps)


def _pnorm_F(F, a, p, axis):
    if p == 2:
        return F.sqrt(F.sum(a * a, axis=axis, keepdims=True))
    if p == 1:
        return F.sum(F.abs(a), axis=axis, keepdims=True)
    return F.sum(F.abs(a) ** p, axis=axis, keepdims=True) ** (1.0 / p)


@_normalize.defgrad
def _(F, g, out, a, need, extra, p, axis, eps):
    # y = a / max(n, eps): the norm's gradient flows only where n >= eps (clamp_min's rule)
    n = _pnorm_F(F, a, p, axis)
    big = n >= eps
    d = F.where(big, n, 0.0 * n + eps)
    dot = F.sum(g * a, axis=axis, keepdims=True)
    if p == 2:
        dn = a / F.where(n == 0, 1.0 + 0.0 * n, n)
    elif p == 1:
        dn = F.sign(a)
    else:
        safe = F.where(n == 0, 1.0 + 0.0 * n, n)
        dn = F.sign(a) * F.abs(a) ** (p - 1) / safe ** (p - 1)
    return (g / d - big * dot / (d * d) * dn,)


def normalize(input, p=2.0, dim=1, eps=1e-12):
    if p in (math.inf, -math.inf):
        # the inf-norm is max|x| (min|x| for -inf); amax/amin share a gradient evenly between
        # ties, as torch's vector_norm backward does
        a = input.abs()
        n = a.amax(dim, keepdim=True) if p > 0 else a.amin(dim, keepdim=True)
        return input / n.clamp_min(eps).expand_as(input)
    axis = dim % input.ndim if input.ndim else None
    return _hot1(_normalize, input, {"p": p, "axis": axis, "eps": eps})


@defop("cosine_similarity", save_inputs=True, grad_name="SumBackward1")
def _cosine_similarity(xp, a, b, axis, eps):
    # torch's order: each input divided by its clamped norm, then the products summed
    na = xp.maximum(xp.sqrt((a * a).sum(axis=axis, keepdims=True)), eps)
    nb = xp.maximum(xp.sqrt((b * b).sum(axis=axis, keepdims=True)), eps)
    return ((a / na) * (b / nb)).sum(axis=axis).astype(xp.result_type(a, b), copy=False)


@_cosine_similarity.defgrad
def _(F, g, out, a, b, need, extra, axis, eps):
    # torch clamps each norm at eps in place without recording it: the quotient uses the
    # clamped norm while the norm's own gradient is the unclamped x / |x|
    g = F.expand_dims(g, axis)
    ra = F.sqrt(F.sum(a * a, axis=axis, keepdims=True))
    rb = F.sqrt(F.sum(b * b, axis=axis, keepdims=True))
    na = F.where(ra > eps, ra, 0.0 * ra + eps)
    nb = F.where(rb > eps, rb, 0.0 * rb + eps)
    cos = F.sum(a * b, axis=axis, keepdims=True) / (na * nb)
    ga = gb = None
    if need[0]:
        da = a / F.where(ra == 0, 1.0 + 0.0 * ra, ra)
        ga = F.sum_to(g * (b / (na * nb) - cos * da / na), a.shape)
    if need[1]:
        db = b / F.where(rb == 0, 1.0 + 0.0 * rb, rb)
        gb = F.sum_to(g * (a / (na * nb) - cos * db / nb), b.shape)
    return ga, gb


def cosine_similarity_op(x1, x2, axis, eps):
    return apply(_cosine_similarity, (x1, x2), {"axis": axis, "eps": eps})


# ---------------------------------------------------------------- backward-hook routing
class _HookState:
    """Gradients collected by unpack nodes, handed to the pack node's callback."""

    def __init__(self, n, on_grads):
        self.grads = [None] * n
        self.on_grads = on_grads


@defop("hook_pack", promote=False, grad_name="BackwardHookFunctionBackward")
def _hook_pack(xp, *arrays, state):
    return xp.zeros((0,), dtype=arrays[0].dtype)


@_hook_pack.defgrad
def _(F, g, out, *inputs, need, extra, state):
    from .._tensor import wrap_array

    tensor_mode = hasattr(g, "_data")
    grads = state.grads
    if not tensor_mode:
        grads = [None if x is None else wrap_array(x) for x in grads]
    new = state.on_grads(grads)
    state.grads = [None] * len(state.grads)
    if not tensor_mode:
        new = [None if x is None else x._data for x in new]
    return tuple(new)


@defop("hook_unpack", promote=False, grad_name="BackwardHookFunctionBackward")
def _hook_unpack(xp, packed, state, i, src):
    return src


@_hook_unpack.defgrad
def _(F, g, out, packed, need, extra, state, i, src):
    old = state.grads[i]
    state.grads[i] = g if old is None else old + g
    return (F.zeros((0,), g),)


def hook_route(tensors, on_grads):
    """Route `tensors` through one pack node; `on_grads(grads)` runs there in backward."""
    state = _HookState(len(tensors), on_grads)
    packed = apply(_hook_pack, tuple(tensors), {"state": state})
    out = []
    for i, t in enumerate(tensors):
        r = apply(_hook_unpack, (packed,), {"state": state, "i": i, "src": t._data})
        r._dtype = t._dtype
        r._device = t._device
        out.append(r)
    return out


# ---------------------------------------------------------------- method bindings
def _lazy_nn_function(name):
    # torch.X for a few nn.functional names; nn is imported after the op table, so look late
    def fn(*args, **kwargs):
        from ..nn import functional

        return getattr(functional, name)(*args, **kwargs)

    fn.__name__ = name
    fn.__doc__ = f"Mirrors `torch.{name}` (the same as `torch.nn.functional.{name}`)."
    return fn


for _name in ("prelu", "hardshrink", "rrelu", "bilinear", "cosine_similarity",
              "pairwise_distance", "selu_", "celu_", "threshold_"):
    public(_name, method=_name in ("prelu", "hardshrink"))(_lazy_nn_function(_name))


@method("softmax")
def _softmax_method(self, dim, dtype=None):
    return softmax(self, dim, dtype)


@method("log_softmax")
def _log_softmax_method(self, dim, dtype=None):
    return log_softmax(self, dim, dtype)



# ---------------------------------------------------------------- losses: shared pieces
def _reduce(loss, reduction):
    if reduction == "mean":
        if loss.__class__ is not _ndarray or loss.dtype.kind != "f":
            return loss.mean()
        n = loss.size
        if not n:
            return loss.dtype.type(np.nan)
        # NumPy's arithmetic on 0-d arrays costs more than Python's on floats; a quotient
        # computed in double and rounded once to float32 (or float16) is the correctly rounded
        # float32 quotient, so this is exact
        return np.array(sum_float(loss) / n, dtype=loss.dtype)
    if reduction == "sum":
        return sum_all(loss) if loss.__class__ is _ndarray else loss.sum()
    return loss


def _numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def _mean_factor(shape, reduction):
    """d reduction / d element as a Python float (inf for the mean of nothing, as torch).

    Rules multiply the elementwise derivative by it before the upstream gradient, so an empty
    loss gives zero (not 0 * inf) second derivatives.
    """
    if reduction != "mean":
        return 1.0
    n = _numel(shape)
    return 1.0 / n if n else math.inf


def _loss_shape(a, b):
    sa = tuple(a.shape)
    sb = tuple(b.shape)
    return sa if sa == sb else tuple(np.broadcast_shapes(sa, sb))


def _pair_grads(F, base, a, b, need, sign_b=-1.0):
    # elementwise d loss / d a = base, d loss / d b = sign_b * base
    ga = F.sum_to(base, a.shape) if need[0] else None
    gb = F.sum_to(base * sign_b, b.shape) if need[1] else None
    return ga, gb


# ---------------------------------------------------------------- regression losses
@defop("mse_loss", save_inputs=True)
def _mse(xp, a, b, reduction):
    d = a - b
    return _reduce(d * d, reduction)


@_mse.defgrad
def _(F, g, out, a, b, need, extra, reduction):
    if F is ANS and a.__class__ is _ndarray and b.__class__ is _ndarray and a.shape == b.shape:
        # a normal backward of same-shape arrays: the steps below without temporaries or
        # the namespace, in the same order (so the same rounding)
        base = a - b
        base *= 2.0 * _mean_factor(a.shape, reduction)
        base *= g
        return (base if need[0] else None), (np.negative(base) if need[1] else None)
    base = (a - b) * (2.0 * _mean_factor(_loss_shape(a, b), reduction)) * g
    return _pair_grads(F, base, a, b, need)


@defop("l1_loss", save_inputs=True, grad_name="MeanBackward0")
def _l1(xp, a, b, reduction):
    return _reduce(xp.abs(a - b), reduction)


@_l1.defgrad
def _(F, g, out, a, b, need, extra, reduction):
    base = F.sign(a - b) * _mean_factor(_loss_shape(a, b), reduction) * g
    return _pair_grads(F, base, a, b, need)


@defop("smooth_l1_loss", save_inputs=True)
def _smooth_l1(xp, a, b, beta, reduction):
    d = a - b
    ad = xp.abs(d)
    if beta == 0:
        return _reduce(ad, reduction)
    return _reduce(xp.where(ad < beta, (0.5 / beta) * d * d, ad - 0.5 * beta), reduction)


@_smooth_l1.defgrad
def _(F, g, out, a, b, need, extra, beta, reduction):
    d = a - b
    if beta == 0:
        slope = F.sign(d)
    else:
        slope = F.where(F.abs(d) < beta, d / beta, F.sign(d))
    base = slope * _mean_factor(_loss_shape(a, b), reduction) * g
    return _pair_grads(F, base, a, b, need)


@defop("huber_loss", save_inputs=True)
def _huber(xp, a, b, delta, reduction):
    d = a - b
    ad = xp.abs(d)
    return _reduce(xp.where(ad < delta, 0.5 * d * d, delta * (ad - 0.5 * delta)), reduction)


@_huber.defgrad
def _(F, g, out, a, b, need, extra, delta, reduction):
    d = a - b
    slope = F.where(F.abs(d) < delta, d, delta * F.sign(d))
    base = slope * _mean_factor(_loss_shape(a, b), reduction) * g
    return _pair_grads(F, base, a, b, need)


def mse_loss(input, target, reduction="mean"):
    a = input._data
    b = target._data
    dt = input._dtype
    if (a.__class__ is _ndarray and b.__class__ is _ndarray and a.shape == b.shape
            and target._dtype is dt and dt._kind == 2 and dt is not _BF16
            and input._device is _CPU and target._device is _CPU
            and input.__class__ in _TENSOR_TYPES and target.__class__ in _TENSOR_TYPES):
        return _mse_same_shape(input, target, a, b, dt, reduction)
    return _hot(_mse, (input, target), {"reduction": reduction})


# one read-only params dict per reduction, shared by the nodes
_MSE_PARAMS = {r: {"reduction": r} for r in ("mean", "sum", "none")}


def _mse_same_shape(x, y, a, b, dt, reduction):
    """mse_loss of same-shape float CPU tensors: what _hot and _record do, written out (the
    regression loss of nearly every program)."""
    d = a - b
    d *= d
    out = _reduce(d, reduction)
    if out.__class__ is not _ndarray:
        out = _as_array(out)
    res = _new(_Tensor)
    res._data = out
    res._dtype = dt
    res._device = _CPU
    xr = x._rg
    yr = y._rg
    if not ((xr or yr) and GRAD.enabled):
        res._rg = False
        res._node = None
        if GRAD.inference:
            res._vc = InferenceVersion()
        return res
    node = _new(Node)
    node.seq = next_seq()
    node.op = _mse
    node.next = ((x._node or x) if xr else None, (y._node or y) if yr else None)
    node.need = (xr, yr)
    m = meta(a.shape, a.dtype)
    node.metas = (m, m)
    _save2(node, x, y)
    params = _MSE_PARAMS.get(reduction)
    node.params = params if params is not None else {"reduction": reduction}
    res._node = node
    res._rg = True
    if _HOOKS:
        pack_node(node, res)
    return res


def l1_loss(input, target, reduction="mean"):
    return _hot(_l1, (input, target), {"reduction": reduction})


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    return _hot(_smooth_l1, (input, target), {"beta": beta, "reduction": reduction})


def huber_loss(input, target, reduction="mean", delta=1.0):
    return _hot(_huber, (input, target), {"delta": delta, "reduction": reduction})


# ---------------------------------------------------------------- binary cross entropy
@defop("binary_cross_entropy", save_inputs=True)
def _bce(xp, x, y, weight, reduction):
    # PyTorch clamps each log at -100 so that x = 0 or 1 gives a finite loss
    lx = xp.maximum(xp.log(x), -100.0)
    l1x = xp.maximum(xp.log1p(-x), -100.0)
    loss = -(y * lx + (1 - y) * l1x)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction).astype(x.dtype, copy=False)


@_bce.defgrad
def _(F, g, out, x, y, need, extra, weight, reduction):
    k = _mean_factor(_loss_shape(x, y), reduction)
    w = 1.0 if weight is None else _as_like(F, weight, x)
    gx = gy = None
    if need[0]:
        gx = F.sum_to((x - y) / F.maximum((1.0 - x) * x, 1e-12) * w * k * g, x.shape)
    if need[1]:
        lx = F.maximum(F.log(x), -100.0)
        l1x = F.maximum(F.log1p(-x), -100.0)
        gy = F.sum_to((l1x - lx) * w * k * g, y.shape)
    return gx, gy


def _as_like(F, arr, like):
    # constant arrays kept in params become Tensors when the rule runs on Tensors
    if hasattr(like, "_data"):
        return _const_like(arr, like)
    return arr


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    w = None if weight is None else weight._data
    return _hot(_bce, (input, target), {"weight": w, "reduction": reduction})


@defop("binary_cross_entropy_with_logits", save_inputs=True)
def _bce_logits(xp, x, y, weight, pos_weight, reduction):
    # softplus(-x) = -log(sigmoid(x)), computed without overflow
    sp = xp.logaddexp(0, -x)
    if pos_weight is None:
        loss = (1 - y) * x + sp
    else:
        loss = (1 - y) * x + (1 + (pos_weight - 1) * y) * sp
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction).astype(x.dtype, copy=False)


@_bce_logits.defgrad
def _(F, g, out, x, y, need, extra, weight, pos_weight, reduction):
    k = _mean_factor(_loss_shape(x, y), reduction)
    w = 1.0 if weight is None else _as_like(F, weight, x)
    pw = 1.0 if pos_weight is None else _as_like(F, pos_weight, x)
    gx = gy = None
    if need[0]:
        s = F.nn_sigmoid(x)
        if pos_weight is None:
            d = s - y
        else:
            d = s * (pw * y + 1.0 - y) - pw * y
        gx = F.sum_to(d * w * k * g, x.shape)
    if need[1]:
        d = pw * F.nn_softplus(-x) - F.nn_softplus(x)
        gy = F.sum_to(d * w * k * g, y.shape)
    return gx, gy


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean",
                                     pos_weight=None):
    w = None if weight is None else weight._data
    pw = None if pos_weight is None else pos_weight._data
    return _hot(_bce_logits, (input, target),
                {"weight": w, "pos_weight": pw, "reduction": reduction})


# ---------------------------------------------------------------- KL divergence
@defop("kl_div", save_inputs=True)
def _kl_div(xp, x, t, reduction, log_target):
    if log_target:
        loss = xp.exp(t) * (t - x)
    else:
        # torch's xlogy(t, t) - t * x: 0 * log 0 = 0, and a negative target gives nan
        safe = xp.where(t == 0, 1, t)
        loss = xp.where(t == 0, 0, t * xp.log(safe)) - t * x
    if reduction == "batchmean":
        s = loss.sum()
        return s / x.shape[0] if x.ndim else s
    return _reduce(loss, reduction).astype(x.dtype, copy=False)


@_kl_div.defgrad
def _(F, g, out, x, t, need, extra, reduction, log_target):
    shape = _loss_shape(x, t)
    if reduction == "batchmean":
        k = (1.0 / shape[0] if shape[0] else math.inf) if len(shape) else 1.0
    else:
        k = _mean_factor(shape, reduction)
    gx = gt = None
    if log_target:
        et = F.exp(t)
        if need[0]:
            gx = F.sum_to(-et * k * g, x.shape)
        if need[1]:
            gt = F.sum_to(et * (t - x + 1.0) * k * g, t.shape)
        return gx, gt
    if need[0]:
        gx = F.sum_to(-t * k * g, x.shape)
    if need[1]:
        # xlogy(t, t)'s rule: log t + t / t, which is nan at 0 and below (as torch's)
        gt = F.sum_to((F.log(t) + t / t - x) * k * g, t.shape)
    return gx, gt


def kl_div(input, target, reduction="mean", log_target=False):
    return _hot(_kl_div, (input, target), {"reduction": reduction, "log_target": log_target})


# ---------------------------------------------------------------- nll / cross entropy
# Inputs are (N, C, d1, ...) or (C,); both ops work on the (M, C) matrix with the class axis
# last (one row per sample) and put results back in the input's layout.
def _class_axis(ndim):
    return 1 if ndim > 1 else 0


def _rows2d(xp, x):
    """x as (M, C): rows are samples, the class axis last."""
    if x.ndim == 1:
        return x.reshape(1, -1)
    if x.ndim == 2:
        return x
    return xp.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def _from_rows2d(xp, g2, shape):
    """Inverse of _rows2d for a gradient."""
    if len(shape) <= 2:
        return g2.reshape(shape)
    moved = (shape[0],) + tuple(shape[2:]) + (shape[1],)
    return xp.moveaxis(g2.reshape(moved), -1, 1)


_ROWS = {}


def _row_indices(xp, m):
    """arange(m), the row index of every sample: one shared read-only array per m on the CPU."""
    if xp is not np:
        return xp.arange(m)
    rows = _ROWS.get(m)
    if rows is None:
        if len(_ROWS) >= 256:
            _ROWS.clear()
        rows = _ROWS[m] = np.arange(m)
        rows.flags.writeable = False
    return rows


_OFFSETS = {}


def _row_offsets(xp, m, c):
    """arange(m) * c, where each row starts in a flattened (m, c) array (shared, read-only)."""
    if xp is not np:
        return xp.arange(m) * c
    key = (m, c)
    off = _OFFSETS.get(key)
    if off is None:
        if len(_OFFSETS) >= 256:
            _OFFSETS.clear()
        off = _OFFSETS[key] = np.arange(m) * c
        off.flags.writeable = False
    return off


class _Targets:
    """Per-row target bookkeeping: safe indices, weights (None: all 1) and the mean's divisor."""

    __slots__ = ("rows", "idx", "flat", "valid", "wt", "denom", "soft", "fused")
    # saved as a node's `extra`: an object with a shape is released after backward
    shape = ()

    def __init__(self, xp, t, nclass, weight, ignore_index, dtype, reduction, index=True):
        t = t.reshape(-1)
        m = t.shape[0]
        valid = None
        if m:
            if xp is np:
                # (the ufuncs' reduce: ndarray.min's Python wrapper costs more than the work)
                lo = int(np.minimum.reduce(t))
                hi = int(np.maximum.reduce(t))
                outside = lo < 0 or hi >= nclass
            elif t.dtype == np.int64 and _fused.on_device(t):
                # one reduction kernel, one wait for the device
                outside = _fused.targets_outside(t, nclass)
            else:
                # (CuPy's ufuncs reduce only add and multiply)
                outside = bool(((t < 0) | (t >= nclass)).any())
            if outside or 0 <= ignore_index < nclass:
                valid = t != ignore_index
                bad = valid & ((t < 0) | (t >= nclass))
                if bad.any():
                    raise IndexError(f"Target {int(t[bad][0])} is out of bounds.")
                t = xp.where(valid, t, 0)
                index = True
        self.idx = t
        self.fused = False
        self.rows = None
        self.flat = None
        if index:
            self.rows = _row_indices(xp, m)
            # each target's position in the flattened (M, C) array: a 1-D take and a 1-D
            # indexed update cost half of indexing with (rows, idx)
            self.flat = _row_offsets(xp, m, nclass) + t
        self.valid = valid
        if weight is None:
            wt = None if valid is None else valid.astype(dtype)
        else:
            wt = weight[t] if valid is None else weight[t] * valid
        self.wt = wt
        denom = 1.0
        if reduction == "mean":
            denom = float(m if wt is None else wt.sum())
        self.denom = denom
        self.soft = None

    def weighted(self, loss):
        return loss if self.wt is None else loss * self.wt

    def reduce(self, loss, reduction, dtype, shape):
        """Reduce the per-row losses (shape: the 'none' result's shape)."""
        if reduction == "none":
            return loss.reshape(shape)
        if loss.__class__ is np.ndarray and loss.dtype.kind == "f":
            # the sum as a Python float (BLAS for short losses), divided in double and rounded
            # once to the loss dtype: the correctly rounded quotient, as dividing in that
            # dtype gives; without NumPy's Python-level sum wrapper
            total = sum_float(loss)
            if reduction == "mean":
                total = total / self.denom if self.denom else math.nan
            return np.array(total, dtype=dtype)
        total = loss.sum()
        if reduction == "mean":
            total = total / self.denom if self.denom else total.dtype.type(np.nan)
        return np.asarray(total, dtype=dtype) if isinstance(total, np.generic) else total


def _target_shape(x):
    return (x.shape[0],) + x.shape[2:] if x.ndim > 1 else ()


@defop("nll_loss", promote=False, save_inputs=True, extra=True)
def _nll(xp, x, t, weight, ignore_index, reduction):
    x2 = _rows2d(xp, x)
    tg = _Targets(xp, t, x2.shape[1], weight, ignore_index, x.dtype, reduction)
    loss = tg.weighted(-x2[tg.rows, tg.idx])
    return tg.reduce(loss, reduction, x.dtype, _target_shape(x)), tg


def _nll_grad_array(g, x, tg, reduction, shape):
    xp = np if isinstance(g, np.ndarray) else _xp_of(g)
    m = tg.rows.shape[0]
    c = shape[1] if len(shape) > 1 else shape[0]
    coef = g.reshape(-1) if reduction == "none" else g
    if tg.wt is not None:
        coef = coef * tg.wt
    g2 = xp.zeros((m, c), dtype=x.dtype)
    # every sample ignored (denom 0): the loss is nan but torch's gradient is zero
    den = tg.denom or 1.0
    g2[tg.rows, tg.idx] = -coef / den if den != 1.0 else -coef
    return _from_rows2d(xp, g2, shape)


@_nll.defgrad
def _(F, g, out, x, t, need, extra, weight, ignore_index, reduction):
    if not hasattr(g, "_data"):
        return _nll_grad_array(g, x, extra, reduction, x.shape), None
    axis = _class_axis(len(x.shape))
    b = F.nn_ce_coefs(x, t, weight, ignore_index, reduction, 0.0)[1]
    return _tie(-_per_sample_g(F, g, axis, reduction) * b, x), None


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    w = None if weight is None else weight._data
    return _hot(_nll, (input, target),
                {"weight": w, "ignore_index": ignore_index, "reduction": reduction})


@defop("cross_entropy", promote=False, save_inputs=True, extra=True,
       grad_name="NllLossBackward0")
def _cross_entropy(xp, x, t, weight, ignore_index, reduction, smoothing):
    x2 = _rows2d(xp, x)
    nclass = x2.shape[1]
    fused = xp is not np and _fused.ce_usable(x2, t, weight, smoothing, nclass)
    tg = _Targets(xp, t, nclass, weight, ignore_index, x.dtype, reduction, index=not fused)
    if fused and tg.valid is None:
        # on a GPU: one kernel for the softmax and the per-row losses (cuda/_fused.py)
        loss, tg.soft = _fused.ce_forward(x2, tg.idx)
        tg.fused = True
        return tg.reduce(loss, reduction, x.dtype, _target_shape(x)), tg
    # one max-shifted pass gives log-softmax (the loss) and softmax (saved for backward)
    if not x2.size:
        z = x2.copy()
    elif x2.__class__ is np.ndarray:
        z = x2 - row_max(x2, 1)
    else:
        z = x2 - x2.max(axis=1, keepdims=True)
    e = xp.exp(z)
    se = row_sums(e) if e.__class__ is np.ndarray else e.sum(axis=1, keepdims=True)
    logp = z - xp.log(se)
    e /= se
    loss = tg.weighted(-logp.take(tg.flat))
    if smoothing:
        # label smoothing adds eps/C of the (class-weighted) loss of every class
        smooth = -(logp.sum(axis=1) if weight is None else logp @ weight)
        if tg.valid is not None:
            smooth = smooth * tg.valid
        loss = (1.0 - smoothing) * loss + (smoothing / nclass) * smooth
    tg.soft = e
    return tg.reduce(loss, reduction, x.dtype, _target_shape(x)), tg


def _ce_grad_array(g, x, tg, weight, reduction, smoothing):
    soft = tg.soft
    if tg.fused:
        g2 = _fused.ce_backward(soft, tg.idx, g, tg.denom, reduction == "none")
        if g2 is not None:
            return _from_rows2d(_xp_of(soft), g2, x.shape)
    xp = np if isinstance(soft, np.ndarray) else _xp_of(soft)
    c = soft.shape[1]
    coef = g.reshape(-1, 1) if reduction == "none" else g
    den = tg.denom or 1.0
    if den != 1.0:
        coef = coef / den
    wt = None if tg.wt is None else tg.wt.reshape(-1, 1)
    # d loss / d x = a * softmax - b; a and b as in _ce_coefs, in the (M, C) layout
    a = (1.0 - smoothing) if wt is None else (1.0 - smoothing) * wt
    if smoothing:
        wsum = float(c) if weight is None else float(weight.sum())
        vf = 1.0 if tg.valid is None else tg.valid.reshape(-1, 1).astype(soft.dtype)
        a = a + (smoothing / c) * wsum * vf
    g2 = soft * (a * coef)
    hit = (1.0 - smoothing) * (coef if wt is None else coef * wt)
    if hasattr(hit, "shape") and hit.ndim:
        hit = hit.reshape(-1)
    # the update below must write through a view of g2: a transposed input (F-ordered, like
    # `logits.t()` in CLIP's loss) gives an F-ordered product, whose reshape(-1) is a copy
    if not g2.flags.c_contiguous:
        g2 = xp.ascontiguousarray(g2)
    flat = g2.reshape(-1)
    flat[tg.flat] -= hit
    if smoothing:
        wc = 1.0 if weight is None else weight.reshape(1, -1)
        vf = 1.0 if tg.valid is None else tg.valid.reshape(-1, 1).astype(soft.dtype)
        g2 -= (smoothing / c) * wc * vf * coef
    return _from_rows2d(xp, g2.astype(x.dtype, copy=False), x.shape)


@_cross_entropy.defgrad
def _(F, g, out, x, t, need, extra, weight, ignore_index, reduction, smoothing):
    if not hasattr(g, "_data"):
        return _ce_grad_array(g, x, extra, weight, reduction, smoothing), None
    axis = _class_axis(len(x.shape))
    soft = softmax(x, axis)
    a, b = F.nn_ce_coefs(x, t, weight, ignore_index, reduction, smoothing)
    return _per_sample_g(F, g, axis, reduction) * (a * soft - b), None


def cross_entropy_indices(input, target, weight=None, ignore_index=-100, reduction="mean",
                          label_smoothing=0.0):
    """Cross entropy with class-index targets: one fused log-softmax + nll op."""
    if _HOOKS and not label_smoothing and input._rg:
        # saved_tensors_hooks: the fused op keeps its softmax inside the node, unseen by the
        # hooks; log_softmax then nll_loss save their tensors as PyTorch's do
        return nll_loss(log_softmax(input, 1 if input.ndim > 1 else 0), target, weight,
                        ignore_index, reduction)
    w = None if weight is None else weight._data
    return _hot(_cross_entropy, (input, target), {
        "weight": w, "ignore_index": ignore_index, "reduction": reduction,
        "smoothing": float(label_smoothing),
    })


def _class_weights_shape(ndim, axis, nclass):
    shape = [1] * ndim
    shape[axis] = nclass
    return tuple(shape)


# constants of the gradient for rules run on Tensors (double backward), in the input's layout
def _ce_coefs(xp, x, t, weight, ignore_index, reduction, smoothing):
    """(a, b) with d loss / d x = g * (a * softmax(x) - b); a per sample, b per class."""
    axis = _class_axis(x.ndim)
    nclass = x.shape[axis]
    dt = x.dtype
    tg = _Targets(xp, t, nclass, weight, ignore_index, dt, reduction)
    shape = _class_weights_shape(x.ndim, axis, nclass)
    tshape = list(_target_shape(x))
    tshape.insert(axis, 1)
    idx = tg.idx.reshape(tshape)
    wt = xp.ones(idx.shape, dt) if tg.wt is None else tg.wt.reshape(tshape)
    vf = xp.ones(idx.shape, dt) if tg.valid is None else tg.valid.reshape(tshape).astype(dt)
    onehot = xp.arange(nclass).reshape(shape) == idx
    b = onehot * ((1.0 - smoothing) * wt)
    a = (1.0 - smoothing) * wt
    if smoothing:
        wc = xp.ones(nclass, dtype=dt) if weight is None else weight
        b = b + (smoothing / nclass) * wc.reshape(shape) * vf
        a = a + (smoothing / nclass) * wc.sum() * vf
    denom = tg.denom if tg.denom else 1.0
    return (a / denom).astype(dt, copy=False), (b / denom).astype(dt, copy=False)


def _ns_ce_coefs(x, t, weight, ignore_index, reduction, smoothing):
    if hasattr(x, "_data"):
        xp = x._device.xp
        a, b = _ce_coefs(xp, x._data, t._data, weight, ignore_index, reduction, smoothing)
        return _const_like(a, x), _const_like(b, x)
    xp = np if isinstance(x, np.ndarray) else _xp_of(x)
    return _ce_coefs(xp, x, t, weight, ignore_index, reduction, smoothing)


def _xp_of(arr):
    from .._device import device_of_array

    return device_of_array(arr).xp


register_ns("nn_ce_coefs", _ns_ce_coefs, _ns_ce_coefs)


def _per_sample_g(F, g, axis, reduction):
    # a 'none' reduction's gradient has one value per sample: give it the class axis back
    if reduction == "none":
        return F.expand_dims(g, axis)
    return g


def cross_entropy_probs(input, target, weight=None, reduction="mean", label_smoothing=0.0):
    """Cross entropy with class-probability targets (same shape as input)."""
    axis = _class_axis(input.ndim)
    nclass = input.shape[axis]
    logp = log_softmax(input, axis)
    if label_smoothing:
        target = target * (1.0 - label_smoothing) + label_smoothing / nclass
    prod = logp * target
    if weight is not None:
        prod = prod * weight.reshape(_class_weights_shape(input.ndim, axis, nclass))
    loss = -prod.sum(axis)
    if reduction == "mean":
        n = input.numel() // nclass if nclass else 0
        return loss.sum() / n if n else loss.sum() / 0.0
    if reduction == "sum":
        return loss.sum()
    return loss
