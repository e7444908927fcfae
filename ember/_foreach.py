"""`torch._foreach_*`: one op applied to each tensor of a list (EMA updates, optimizers and
gradient utilities in real code call them directly).

PyTorch fuses each into one kernel over the list; here each is a loop over ember's own ops, so
the results, in-place semantics (version counters, leaf checks) and autograd are those of the
single-tensor ops. Out-of-place forms return a tuple; in-place forms (`_foreach_add_`) update
the tensors and return the list they were given, as PyTorch does.
"""

import numbers

_UNARY = ("abs", "acos", "asin", "atan", "ceil", "cos", "cosh", "erf", "erfc", "exp", "expm1",
          "floor", "frac", "lgamma", "log", "log10", "log1p", "log2", "neg", "reciprocal",
          "round", "sigmoid", "sign", "sin", "sinh", "sqrt", "tan", "tanh", "trunc")
_BINARY = ("add", "sub", "mul", "div", "maximum", "minimum", "pow", "clamp_min", "clamp_max")


def _ember():
    import ember

    return ember


def _check(tensors, *others):
    tensors = list(tensors)
    for o in others:
        if isinstance(o, (list, tuple)) and len(o) != len(tensors):
            raise RuntimeError(
                f"Tensor lists must have the same number of tensors, got {len(tensors)} and "
                f"{len(o)}")
    return tensors


def _per_item(other, n):
    """A list of n operands: a list as is, a scalar or a single Tensor repeated."""
    if isinstance(other, (list, tuple)):
        return list(other)
    return [other] * n


def _binary_fn(name):
    E = _ember()
    if name == "clamp_min":
        return lambda a, b: E.clamp(a, min=b), lambda a, b: a.clamp_(min=b)
    if name == "clamp_max":
        return lambda a, b: E.clamp(a, max=b), lambda a, b: a.clamp_(max=b)
    return getattr(E, name), lambda a, b: getattr(a, name + "_")(b)


def _make_binary(name):
    def op(self, other, *, alpha=1):
        tensors = _check(self, other)
        fn, _ = _binary_fn(name)
        others = _per_item(other, len(tensors))
        if alpha != 1:
            return tuple(fn(t, o * alpha) for t, o in zip(tensors, others))
        return tuple(fn(t, o) for t, o in zip(tensors, others))

    def op_(self, other, *, alpha=1):
        tensors = _check(self, other)
        _, fn_ = _binary_fn(name)
        for t, o in zip(tensors, _per_item(other, len(tensors))):
            fn_(t, o * alpha if alpha != 1 else o)
        return self

    op.__name__ = f"_foreach_{name}"
    op_.__name__ = f"_foreach_{name}_"
    return op, op_


def _make_unary(name):
    def op(self):
        E = _ember()
        return tuple(getattr(E, name)(t) for t in self)

    def op_(self):
        for t in self:
            getattr(t, name + "_")()
        return self

    op.__name__ = f"_foreach_{name}"
    op_.__name__ = f"_foreach_{name}_"
    return op, op_


def _make_pointwise(name):
    # addcmul / addcdiv: self + value * t1 (*|/) t2; `scalars` gives one value per tensor
    def values(n, value):
        if isinstance(value, numbers.Number):
            return [value] * n
        if hasattr(value, "tolist"):
            return list(value.tolist())
        return list(value)

    def op(self, tensor1, tensor2, value=1):
        E = _ember()
        tensors = _check(self, tensor1, tensor2)
        fn = getattr(E, name)
        return tuple(fn(t, a, b, value=v)
                     for t, a, b, v in zip(tensors, tensor1, tensor2, values(len(tensors), value)))

    def op_(self, tensor1, tensor2, value=1):
        tensors = _check(self, tensor1, tensor2)
        for t, a, b, v in zip(tensors, tensor1, tensor2, values(len(tensors), value)):
            getattr(t, name + "_")(a, b, value=v)
        return self

    op.__name__ = f"_foreach_{name}"
    op_.__name__ = f"_foreach_{name}_"
    return op, op_


def _foreach_lerp(self, tensors1, weight):
    E = _ember()
    tensors = _check(self, tensors1, weight)
    return tuple(E.lerp(s, e, w) for s, e, w in zip(tensors, tensors1, _per_item(weight, len(tensors))))


def _foreach_lerp_(self, tensors1, weight):
    tensors = _check(self, tensors1, weight)
    for s, e, w in zip(tensors, tensors1, _per_item(weight, len(tensors))):
        s.lerp_(e, w)
    return self


def _foreach_norm(self, ord=2, dtype=None):
    E = _ember()
    return tuple(E.linalg.vector_norm(t, ord, dtype=dtype) for t in self)


def _foreach_max(self):
    return tuple(t.max() for t in self)


def _foreach_zero_(self):
    for t in self:
        t.zero_()
    return self


def _foreach_copy_(self, src, non_blocking=False):
    tensors = _check(self, src)
    for t, s in zip(tensors, src):
        t.copy_(s, non_blocking=non_blocking)
    return self


def install(namespace):
    """Adds the `_foreach_*` functions to a module's namespace (ember's top level)."""
    for name in _BINARY:
        op, op_ = _make_binary(name)
        namespace[op.__name__] = op
        namespace[op_.__name__] = op_
    for name in _UNARY:
        op, op_ = _make_unary(name)
        namespace[op.__name__] = op
        namespace[op_.__name__] = op_
    for name in ("addcmul", "addcdiv"):
        op, op_ = _make_pointwise(name)
        namespace[op.__name__] = op
        namespace[op_.__name__] = op_
    for fn in (_foreach_lerp, _foreach_lerp_, _foreach_norm, _foreach_max, _foreach_zero_,
               _foreach_copy_):
        namespace[fn.__name__] = fn
