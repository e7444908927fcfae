"""Elementwise arithmetic: binary operators, their reflected and in-place forms, casts.

Each op: a forward on raw arrays registered with `defop`, a backward rule written against the
namespace `F` (raw arrays or Tensors, see _namespace.py), and public bindings.
"""

import warnings

import numpy as np

from .. import _dtype as D
from .._device import CPU
from ..autograd.grad_mode import GRAD
from ._bind import method, public
from ._inplace import inplace
from ._registry import (
    _TENSOR_TYPES,
    OPS,
    _init_fast_path,
    apply,
    binary,
    const,
    defop,
    make_binary,
    rbinary,
    renamed,
    wrap_int,
)

_E = {}


def _scalar_or_tensor_alpha(other, alpha):
    if alpha == 1:
        return other
    return mul(other, alpha)


def _times_alpha(input, other, alpha):
    """`alpha * other` for add/sub, computed in the dtype of the result as torch does (an
    int32 minus a uint8 times -1 must not wrap the product in uint8)."""
    dt = D.result_type(input, other)
    if dt._kind < 2 and isinstance(alpha, float):
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )
    if dt is D.bool_:
        # torch casts alpha to the bool result dtype: a + b * bool(alpha), still bool
        alpha = bool(alpha)
        if alpha:
            return other
    else:
        # c10's checked conversion of alpha to the result dtype (uint8 + b * 300 raises)
        D.check_scalar(alpha, dt)
    if hasattr(other, "_data"):
        if other._dtype is not dt:
            other = other.to(dt)
        return mul(other, alpha)
    return other * alpha


# ---------------------------------------------------------------- add / sub
@defop("add")
def _add(xp, a, b):
    return a + b


@_add.defgrad
def _(F, g, out, a, b, need, extra):
    # d(a+b) = g for both; sum over broadcast axes
    ga = F.sum_to(g, _shape(a)) if need[0] else None
    gb = F.sum_to(g, _shape(b)) if need[1] else None
    return ga, gb


@defop("sub")
def _sub(xp, a, b):
    return a - b


@_sub.defgrad
def _(F, g, out, a, b, need, extra):
    ga = F.sum_to(g, _shape(a)) if need[0] else None
    gb = F.sum_to(-g, _shape(b)) if need[1] else None
    return ga, gb


def _shape(x):
    # rules receive shapes of inputs through the metas; scalars have shape ()
    return getattr(x, "shape", ())


def _legacy_alpha(name, other, args):
    """Reads torch's deprecated `name(input, Number alpha, Tensor other)` overload, which torch
    2.x still accepts with a warning: pre-1.0 optimizers wrote `p.data.add_(-lr, p.grad.data)`.
    Returns (other, alpha)."""
    if len(args) != 1 or hasattr(other, "_data") or not hasattr(args[0], "_data"):
        raise TypeError(f"{name}() takes 2 positional arguments but {2 + len(args)} were given")
    warnings.warn(
        f"This overload of {name} is deprecated:\n\t{name}(Number alpha, Tensor other)\n"
        f"Consider using one of the following signatures instead:\n"
        f"\t{name}(Tensor other, *, Number alpha = 1)", UserWarning, stacklevel=3)
    return args[0], other


@public("add")
def add(input, other, *args, alpha=1, out=None):
    """Mirrors `torch.add(input, other, alpha=1)`; also the deprecated `add(input, alpha, other)`.
    """
    if args:
        other, alpha = _legacy_alpha("add", other, args)
    try:
        if alpha != 1:
            other = _times_alpha(input, other, alpha)
        return _out(apply(_add, (input, other), _E), out)
    except NotImplementedError:
        # a sparse tensor's data refuses dense ops (costs nothing until raised)
        if _sparse_operand(input, other):
            return _out(_sparse_add(input, other, alpha), out)
        raise


def _sparse_operand(input, other):
    return getattr(input, "is_sparse", False) or getattr(other, "is_sparse", False)


def _sparse_add(input, other, alpha):
    """torch.add with a sparse COO operand: sparse + sparse is sparse, dense + sparse dense;
    sparse + dense raises torch's error (see ember/_sparse_ops.py)."""
    from .._sparse_ops import add_dense

    if input.is_sparse:
        return input.add(other, alpha=alpha)
    return add_dense(input, other, alpha)


@public("sub", "subtract")
def sub(input, other, *args, alpha=1, out=None):
    """Mirrors `torch.sub(input, other, alpha=1)`; also the deprecated `sub(input, alpha, other)`.
    """
    if args:
        other, alpha = _legacy_alpha("sub", other, args)
    _check_bool_sub(input, other)
    try:
        if alpha != 1:
            other = _times_alpha(input, other, alpha)
        return _out(apply(_sub, (input, other), _E), out)
    except NotImplementedError:
        # a sparse operand (see add)
        if _sparse_operand(input, other):
            return _out(_sparse_add(input, other, -alpha), out)
        raise


def _is_bool(x):
    return x.__class__ is bool or getattr(x, "_dtype", None) is D.bool_


def _check_bool_sub(a, b):
    """torch refuses subtraction with any bool operand (tensor or Python bool)."""
    a_bool = _is_bool(a)
    b_bool = _is_bool(b)
    if a_bool and b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
        )
    if a_bool or b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def check_same_dtype_out(input, out):
    """torch's abs, sign, neg, floor, round ... (kernels that keep the dtype) write only into an
    out= of the input's own dtype: no casting, unlike the other ops' out=."""
    if out is None or out._dtype is input._dtype:
        return
    from ._inplace import _TORCH_NAMES

    raise RuntimeError(f"Found dtype {_TORCH_NAMES[out._dtype.name]} but expected "
                       f"{_TORCH_NAMES[input._dtype.name]}")


def _out(res, out):
    if out is None:
        return res
    from ._inplace import assign, check_cast

    if out._data.shape != res._data.shape:
        # torch resizes `out`; its dtype stays (assign casts the result into it after checking
        # that the cast is allowed)
        check_cast(out, res)
        out._data = out._device.xp.empty(res._data.shape, dtype=out._data.dtype)
    assign(out, res, False)
    return out


# ---------------------------------------------------------------- mul / div
@defop("mul", save_inputs=True)
def _mul(xp, a, b):
    return a * b


@_mul.defgrad
def _(F, g, out, a, b, need, extra):
    ga = F.sum_to(g * F.conj(b), _shape(a)) if need[0] else None
    gb = F.sum_to(g * F.conj(a), _shape(b)) if need[1] else None
    return ga, gb


# each input's gradient reads only the other input
_mul.spare = lambda need: (() if need[1] else (0,)) + (() if need[0] else (1,))


@public("mul", "multiply")
def mul(input, other, *, out=None):
    """Mirrors `torch.mul`."""
    return _out(apply(_mul, (input, other), _E), out)


@defop("div", save_inputs=True, promote="float")
def _div(xp, a, b):
    return a / b


@_div.defgrad
def _(F, g, out, a, b, need, extra):
    ga = F.sum_to(g / F.conj(b), _shape(a)) if need[0] else None
    gb = F.sum_to(-g * F.conj(a) / F.conj(b * b), _shape(b)) if need[1] else None
    return ga, gb


# the dividend is read only for the divisor's gradient
_div.spare = lambda need: () if need[1] else (0,)


@defop("floor_divide", differentiable=False)
def _floor_divide(xp, a, b):
    if getattr(a, "dtype", None) is not None and a.dtype.kind in "iu":
        _check_int_zero(xp, b)
    return a // b


@defop("trunc_divide", differentiable=False)
def _trunc_divide(xp, a, b):
    if a.dtype.kind in "iu":
        _check_int_zero(xp, b)
        q = xp.floor_divide(a, b)
        # numpy floors; trunc rounds toward zero, so inexact quotients of operands of
        # different signs (the negative ones) go up by one
        r = a - q * b
        fix = (r != 0) & ((xp.asarray(a) < 0) != (xp.asarray(b) < 0))
        return q + fix.astype(q.dtype)
    return xp.trunc(a / b)


def _check_int_zero(xp, b):
    if xp.any(xp.asarray(b) == 0):
        raise RuntimeError("ZeroDivisionError")


@public("div", "divide", "true_divide")
def div(input, other, *, rounding_mode=None, out=None):
    """Mirrors `torch.div(input, other, rounding_mode=None)`."""
    if rounding_mode is None:
        return _out(apply(_div, (input, other), _E), out)
    if rounding_mode == "floor":
        return _out(floor_divide(input, other), out)
    if rounding_mode == "trunc":
        return _out(apply(_trunc_divide, (input, other), _E), out)
    raise RuntimeError(
        "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
        f"'{rounding_mode}'"
    )


@public("floor_divide")
def floor_divide(input, other, *, out=None):
    """Mirrors `torch.floor_divide` (rounds toward minus infinity, like Python)."""
    return _out(apply(_floor_divide, (input, other), _E), out)


@defop("remainder", save_inputs=True)
def _remainder(xp, a, b):
    if getattr(a, "dtype", None) is not None and a.dtype.kind in "iu":
        _check_int_zero(xp, b)
        return xp.remainder(a, b)
    # torch's kernel: fmod, then add b where the signs differ. A zero result keeps fmod's sign
    # (the dividend's: remainder(-2., 2) is -0.), where NumPy's remainder gives the divisor's.
    mod = xp.fmod(a, b)
    shift = (mod != 0) & ((mod < 0) != (xp.asarray(b) < 0))
    return xp.where(shift, mod + b, mod)


@_remainder.defgrad
def _(F, g, out, a, b, need, extra):
    # a - floor(a/b) * b: d/da = 1, d/db = -floor(a/b)
    ga = F.sum_to(g, _shape(a)) if need[0] else None
    gb = F.sum_to(-g * F.floor(a / b), _shape(b)) if need[1] else None
    return ga, gb


@public("remainder")
def remainder(input, other, *, out=None):
    """Mirrors `torch.remainder` (sign of the divisor, like Python's %)."""
    return _out(apply(_remainder, (input, other), _E), out)


@defop("fmod", save_inputs=True)
def _fmod(xp, a, b):
    if getattr(b, "dtype", None) is not None and b.dtype.kind in "iub":
        # integer fmod by zero is an error in torch (NumPy gives 0)
        _check_int_zero(xp, b)
    elif (b.__class__ is int or b.__class__ is bool) and b == 0 and a.dtype.kind in "iub":
        _check_int_zero(xp, b)
    return xp.fmod(a, b)


@_fmod.defgrad
def _(F, g, out, a, b, need, extra):
    ga = F.sum_to(g, _shape(a)) if need[0] else None
    gb = F.sum_to(-g * F.trunc(a / b), _shape(b)) if need[1] else None
    return ga, gb


@public("fmod")
def fmod(input, other, *, out=None):
    """Mirrors `torch.fmod` (sign of the dividend, like C)."""
    return _out(apply(_fmod, (input, other), _E), out)


# ---------------------------------------------------------------- pow
@defop("pow", save_inputs=True, save_output=True)
def _pow(xp, a, b):
    if b.__class__ is bool and a.dtype == bool:
        # torch keeps bool here: x ** True is x, x ** False all True (NumPy gives int8)
        return a.copy() if b else xp.ones_like(a)
    if b.__class__ is int:
        # a Python number exponent: torch refuses a negative one for integer tensors
        if b < 0 and a.dtype.kind in "iub":
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return a**b
    kind = getattr(b, "dtype", None)
    if kind is not None and b.dtype.kind in "iub":
        if b.dtype.kind == "b":
            # both bool (promotion kept bool): torch has no bool pow kernel
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
        if xp.any(b < 0):
            return _int_pow_negative(xp, a, b)
    return a**b


def _int_pow_negative(xp, a, b):
    """Integer powers where some exponents are negative, as torch's integer pow computes them:
    1 for a base of 1, +-1 for -1 (by the exponent's parity), 0 otherwise (NumPy raises)."""
    neg = b < 0
    out = xp.asarray(a ** xp.where(neg, 0, b))
    base = xp.asarray(a, dtype=out.dtype)
    minus_one = xp.where(b % 2 == 0, 1, -1).astype(out.dtype)
    at_neg = xp.where(base == 1, 1, xp.where(base == -1, minus_one, 0)).astype(out.dtype)
    return xp.where(neg, at_neg, out)


@_pow.defgrad
def _(F, g, out, a, b, need, extra):
    ga = None
    gb = None
    if need[0]:
        ga = F.sum_to(_pow_grad_base(F, g, a, b), _shape(a))
    if need[1]:
        gb = F.sum_to(_pow_grad_exponent(F, g, out, a, b), _shape(b))
    return ga, gb


def _pow_grad_base(F, g, a, b):
    # b * a**(b-1); where b == 0 the derivative is 0 even at a == 0
    if not hasattr(b, "shape"):
        # a Python scalar exponent: decide here (F.where wants a tensor condition)
        if b == 0:
            return F.zeros_like(g)
        return g * F.conj(b * a ** (b - 1))
    return F.where(b == 0, 0.0, g * F.conj(b * a ** (b - 1)))


def _pow_grad_exponent(F, g, out, a, b):
    # g * out * log(a), 0 where a == 0 and b >= 0; g stays outside the mask, as in PyTorch,
    # so a nan reaching it in a double backward stays nan
    if not hasattr(a, "shape"):
        # a Python scalar base
        if a == 0:
            return g * F.where(b >= 0, 0.0, out * -float("inf"))
        return g * F.conj(out * _scalar_log(a))
    return g * F.conj(F.where((a == 0) & (b >= 0), 0.0, out * F.log(a)))


def _scalar_log(a):
    import cmath
    import math

    if isinstance(a, complex):
        return cmath.log(a)
    if a < 0:
        # a negative base has a complex log; the real power is nan there anyway
        return math.nan
    return math.log(a)


# PyTorch's pow nodes: PowBackward0 (tensor ** number), PowBackward1 (tensor ** tensor),
# PowBackward2 (number ** tensor)
_pow_tt = renamed(_pow, "PowBackward1")
_pow_st = renamed(_pow, "PowBackward2")
# torch takes the number as a Scalar: it is no edge of the node
_pow.edges = (0,)
# PowBackward0 (tensor ** number) keeps only self: its rule never reads the output, and an
# in-place change of the output (y = x ** 2; y.add_(1)) must not break backward
_pow.save_output = False
_pow_st.edges = (1,)


def _pow_op(input, exponent):
    if not hasattr(input, "_data"):
        return _pow_st
    c = exponent.__class__
    if c is int or c is float:
        dt = input._dtype
        # (float32/64 take the exponent as a double: nothing to check, nothing to call)
        if dt._kind <= 1 or dt is D.float16 or dt is D.bfloat16:
            _check_exponent(dt, exponent, c)
    return _pow_tt if hasattr(exponent, "_data") else _pow


def _check_exponent(dt, exponent, c):
    """torch converts a scalar exponent to the tensor's dtype, with c10's overflow check, for
    integer and half-precision tensors (float32/64 take it as a double: 2. ** 1e300 is inf)."""
    if dt._kind <= 1 and c is int:
        if exponent < 0:
            # (before the conversion, which would wrap -1 to 255 for uint8)
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        D.check_scalar(exponent, dt)
    elif dt is D.float16 or dt is D.bfloat16:
        D.check_scalar(exponent, dt)


@public("pow")
def pow(input, exponent, *, out=None):
    """Mirrors `torch.pow(input, exponent)`."""
    return _out(apply(_pow_op(input, exponent), (input, exponent), _E), out)


@public("float_power")
def float_power(input, exponent, *, out=None):
    """Mirrors `torch.float_power`: computes in float64 (complex128 for complex)."""
    from .._tensor import Tensor

    dt = D.float64
    for x in (input, exponent):
        if (isinstance(x, Tensor) and x._dtype.is_complex) or isinstance(x, complex):
            dt = D.complex128
    if isinstance(input, Tensor):
        input = input.to(dt)
    if isinstance(exponent, Tensor):
        exponent = exponent.to(dt)
    if out is not None and out._dtype is not dt:
        from ._inplace import _TORCH_NAMES as _TN

        raise RuntimeError(
            f"the output given to float_power has dtype {_TN[out._dtype.name]} but "
            f"the operation's result requires dtype {_TN[dt.name]}"
        )
    return _out(pow(input, exponent), out)


# ---------------------------------------------------------------- neg, casts, copies
@defop("neg", promote=False)
def _neg(xp, a):
    if a.dtype == bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return -a


@_neg.defgrad
def _(F, g, out, a, need, extra):
    return (-g,)


def _pos(self):
    """`+t`: t itself, as torch.positive (a bool tensor is an error)."""
    if self._dtype is D.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


def _make_neg():
    """`-x`: the common case (a CPU tensor of numbers) without apply's generic work."""
    from .._device import CPU
    from .._tensor import _new_tensor
    from ..autograd.grad_mode import GRAD
    from ._registry import _TENSOR_TYPES, record_unary

    def __neg__(self):
        if self.__class__ in _TENSOR_TYPES and self._device is CPU and self._dtype._kind >= 1:
            out = np.negative(self._data)
            if out.__class__ is not np.ndarray:
                # a 0-d input gives a NumPy scalar
                out = np.array(out)
            if self._rg and GRAD.enabled:
                return record_unary(_neg, self, out)
            return _new_tensor(out, self._dtype, CPU)
        return apply(_neg, (self,), _E)

    return __neg__


@public("neg", "negative")
def neg(input, *, out=None):
    """Mirrors `torch.neg`."""
    if input._dtype is not D.bool_:  # torch's bool error comes first
        check_same_dtype_out(input, out)
    return _out(apply(_neg, (input,), _E), out)


@defop("to_copy", promote=False, grad_name="ToCopyBackward0")
def _to_copy(xp, a, dtype, device):
    from .._device import move

    b = move(a, device)
    if b.dtype != dtype.np:
        return b.astype(dtype.np)
    if b is a:
        return a.copy()
    return b


@_to_copy.defgrad
def _(F, g, out, a, need, extra, dtype, device):
    # the gradient goes back to the input's dtype and device (the engine casts the dtype)
    return (F.to_device(g, extra),)


def to_copy(input, dtype, device):
    """A copy of `input` with `dtype` on `device`; differentiable across both."""
    res = apply(_to_copy, (input,), {"dtype": dtype, "device": device})
    # apply places the result on the input's device; the copy lives on `device`
    res._device = device
    if res._node is not None:
        res._node.extra = input._device
    return res


# ---------------------------------------------------------------- reflected operators
# `1 - x` is PyTorch's rsub (its node RsubBackward1); torch.rsub(x, y) makes RsubBackward0
_rsub_scalar = renamed(_sub, "RsubBackward1")
_rsub_scalar.edges = (1,)
_rsub_tensor = renamed(_sub, "RsubBackward0")


def _rsub(self, other):
    if hasattr(other, "_data"):
        return sub(other, self)
    _check_bool_sub(other, self)
    return apply(_rsub_scalar, (other, self), _E)


def _rdiv(self, other):
    return apply(_div, (other, self), _E)


def _rpow(self, other):
    return apply(_pow_op(other, self), (other, self), _E)


def _rfloordiv(self, other):
    return apply(_floor_divide, (other, self), _E)


def _rmod(self, other):
    return apply(_remainder, (other, self), _E)


def _t_add(self, other):
    return binary(_add, self, other)


def _t_sub(self, other):
    _check_bool_sub(self, other)
    return binary(_sub, self, other)


def _t_rsub(self, other):
    _check_bool_sub(other, self)
    return rbinary(_rsub_scalar, self, other)


def _t_mul(self, other):
    return binary(_mul, self, other)


def _t_div(self, other):
    if self._dtype._kind < 2:
        return apply(_div, (self, other), _E)
    return binary(_div, self, other)


def _t_rdiv(self, other):
    # torch's `other / self` is self.reciprocal() * other: the same node names
    # (MulBackward0 over ReciprocalBackward0) and the same rounding
    from .math import reciprocal

    return reciprocal(self) * other


def _t_pow(self, other):
    op = _pow_op(self, other)
    if self._dtype._kind < 2:
        return apply(op, (self, other), _E)
    return binary(op, self, other)


def _bind_operators():
    from .._tensor import Tensor

    _init_fast_path()
    Tensor.__add__ = make_binary(_add, np.add, 1, _t_add)
    Tensor.__radd__ = Tensor.__add__
    Tensor.__sub__ = make_binary(_sub, np.subtract, 1, _t_sub)
    Tensor.__rsub__ = _t_rsub
    Tensor.__mul__ = make_binary(_mul, np.multiply, 1, _t_mul)
    Tensor.__rmul__ = Tensor.__mul__
    Tensor.__truediv__ = make_binary(_div, np.true_divide, 2, _t_div)
    Tensor.__rtruediv__ = _t_rdiv
    Tensor.__floordiv__ = lambda self, other: floor_divide(self, other)
    Tensor.__rfloordiv__ = _rfloordiv
    Tensor.__mod__ = lambda self, other: remainder(self, other)
    Tensor.__rmod__ = _rmod
    Tensor.__pow__ = _t_pow
    Tensor.__rpow__ = _rpow
    Tensor.__neg__ = _make_neg()
    Tensor.__pos__ = _pos
    Tensor.__iadd__ = lambda self, other: inplace(self, add, other)
    Tensor.__isub__ = lambda self, other: inplace(self, sub, other)
    Tensor.__imul__ = lambda self, other: inplace(self, mul, other)
    Tensor.__itruediv__ = lambda self, other: inplace(self, div, other)
    Tensor.__ifloordiv__ = lambda self, other: inplace(self, floor_divide, other)
    Tensor.__imod__ = lambda self, other: inplace(self, remainder, other)
    Tensor.__ipow__ = lambda self, other: inplace(self, pow, other)


_bind_operators()


@public("rsub")
def rsub(input, other, *, alpha=1):
    """Mirrors `torch.rsub`: other - alpha * input."""
    if (alpha == 1 and hasattr(other, "_data") and input._dtype is not D.bool_
            and other._dtype is not D.bool_):
        return apply(_rsub_tensor, (other, input), _E)
    return sub(other, input, alpha=alpha)


# in-place method forms: x.add_(y) and friends
def _make_inplace(fn):
    def f(self, *args, **kwargs):
        return inplace(self, fn, *args, **kwargs)

    f.__name__ = fn.__name__ + "_"
    f.__doc__ = f"In-place `{fn.__name__}`. Mirrors `torch.Tensor.{fn.__name__}_`."
    return f


def _make_fast_inplace(fn, ufunc, min_kind):
    """`_make_inplace(fn)` with the common case done inline: a CPU tensor written with a tensor
    of its dtype and device or a Python scalar of its kind, no keyword, nothing to record.

    The generic path computes `fn(self, other)` out of place, then copies it into self
    (3.7 us for add_ on 8x16 floats, against 1.0 us in torch); here the ufunc writes into
    self's memory directly. NumPy handles operands that overlap self's memory (it buffers),
    and refuses before writing anything when `other` does not broadcast to self's shape or
    self is read-only (an expanded view): the generic path then raises torch's error.
    `min_kind` is the lowest dtype kind the op keeps (1: ints and floats, 2: floats only).
    """
    slow = _make_inplace(fn)

    def f(self, other, *args, **kwargs):
        if args or kwargs or self._device is not CPU:
            return slow(self, other, *args, **kwargs)
        dt = self._dtype
        if dt._kind < min_kind or dt._kind > 2 or dt is D.bfloat16:
            return slow(self, other)
        if GRAD.enabled and (self._rg or self._view_of is not None):
            # recording, or a view whose base may be a leaf (check_leaf's errors)
            return slow(self, other)
        c = other.__class__
        if c in _TENSOR_TYPES:
            if other._dtype is not dt or other._device is not CPU or (
                GRAD.enabled and other._rg
            ):
                return slow(self, other)
            operand = other._data
        elif c is float or c is int:
            if dt._kind == 1:
                if c is float:
                    return slow(self, other)
                # an int beyond the dtype's range wraps, as torch converts it
                operand = wrap_int(other, dt)
            else:
                # float16 takes the generic path (torch computes mul/div by a scalar in float32)
                operand = const(other, dt)
                if operand is other:
                    return slow(self, other)
        else:
            return slow(self, other)
        data = self._data
        try:
            ufunc(data, operand, out=data)
        except ValueError:
            return slow(self, other)
        v = self._vc
        if v is None:
            v = self._vc = [0]
        v[0] += 1
        return self

    f.__name__ = slow.__name__
    f.__doc__ = slow.__doc__
    return f


for _fn, _ufunc, _min_kind, _names in (
    (add, np.add, 1, ("add_",)),
    (sub, np.subtract, 1, ("sub_", "subtract_")),
    (mul, np.multiply, 1, ("mul_", "multiply_")),
    (div, np.true_divide, 2, ("div_", "divide_", "true_divide_")),
):
    method(*_names)(_make_fast_inplace(_fn, _ufunc, _min_kind))

for _fn, _names in (
    (floor_divide, ("floor_divide_",)),
    (remainder, ("remainder_",)),
    (fmod, ("fmod_",)),
    (pow, ("pow_",)),
    (neg, ("neg_", "negative_")),
):
    method(*_names)(_make_inplace(_fn))

del OPS
