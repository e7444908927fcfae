"""Mirrors `torch.autograd.Function`: ops defined by the user with a forward and a backward.

`MyFn.apply(*args)` runs `forward` without recording, then makes one graph node for the call.
The node is also the `ctx` that forward and backward see (as in PyTorch, where the ctx is
`MyFnBackward`), so what `ctx.save_for_backward` keeps lives on the node and is released after
backward. The engine calls `node.run(g, create_graph)` like any other node: it wraps the
gradients as Tensors, calls the user's `backward`, checks the result and returns one gradient
per forward input. With `create_graph=True` the user's backward runs with grad mode on, so a
backward written with ember ops is itself differentiable.
"""

import functools
import inspect
import warnings

from .grad_mode import GRAD
from ._node import Node, Meta, OutputSlot, OutputGrads, _FREED, version_error, _type_name
from ._node import next_seq
from ._node import _which, _short

_NOT_TENSOR = Meta((), None)


class FunctionCtx:
    """Mirrors `torch.autograd.function.FunctionCtx`: what `ctx` offers in forward."""

    __slots__ = ()

    def save_for_backward(self, *tensors):
        """Keep tensors (or None) for backward; read them back with `ctx.saved_tensors`."""
        self.to_save = tensors

    def save_for_forward(self, *tensors):
        """Keep tensors for a `jvp` staticmethod. ember computes forward-mode tangents by
        double backward (see forward_ad), so they are only recorded here."""
        for k, t in enumerate(tensors):
            if t is not None and not hasattr(t, "_data"):
                raise AssertionError(
                    "save_for_forward expects all arguments to be tensors; you should "
                    "save non-tensors as attributes on ctx.")
        self.saved_for_forward = tensors

    def mark_dirty(self, *args):
        """Declare inputs that forward modified in place (they must be returned)."""
        self.dirty_tensors = args

    def mark_non_differentiable(self, *args):
        """Declare outputs that get no gradient (their backward gradient is zeros)."""
        self.non_differentiable = args

    def set_materialize_grads(self, value):
        """With False, backward receives None (not zeros) for outputs without a gradient."""
        self.materialize_grads = bool(value)


class BackwardCFunction(Node, FunctionCtx):
    """The graph node (and ctx) of one custom Function call; subclassed per Function."""

    _forward_cls = None
    to_save = None
    dirty_tensors = None
    non_differentiable = None
    materialize_grads = True
    needs_input_grad = ()
    _packed = None
    _saved_freed = False
    _multi = False
    _out_metas = ()

    def name(self):
        return type(self).__name__

    def apply(self, *args):
        """Call the user's backward (what the engine does). Mirrors PyTorch."""
        return _user_backward(self._forward_cls)(self, *args)

    @property
    def next_functions(self):
        # PyTorch has an edge per Tensor argument only: a float argument `k` has none
        full = Node.next_functions.fget(self)
        return tuple(e for e, m in zip(full, self.metas) if m is not _NOT_TENSOR)

    @property
    def saved_tensors(self):
        """The tensors given to `save_for_backward`, checked against in-place changes."""
        if self._saved_freed:
            raise RuntimeError(_FREED)
        packed = self._packed
        if packed is None:
            return ()
        return tuple(_unpack(self, e) for e in packed)

    @property
    def saved_variables(self):
        return self.saved_tensors

    def release(self):
        # even with nothing saved, PyTorch refuses saved_tensors after the graph was freed
        self._packed = None
        self._saved_freed = True

    def run(self, g, create_graph):
        """The gradient of each forward input, from the gradients of the outputs."""
        grads = g.grads if self._multi else (g,)
        args = []
        for m, gi in zip(self._out_metas, grads):
            if gi is None:
                if m is not None and self.materialize_grads:
                    gi = _zeros(m)
            elif not create_graph:
                gi = _wrap(gi, m[2])
            args.append(gi)
        res = _user_backward(self._forward_cls)(self, *args)
        return self._check_grads(res, create_graph)

    def _check_grads(self, res, create_graph):
        from .._tensor import Tensor

        if not isinstance(res, tuple):
            res = (res,)
        n = len(self.next)
        if len(res) > n and all(r is None for r in res[n:]):
            res = res[:n]
        if len(res) != n:
            raise RuntimeError(
                f"function {self.name()} returned an incorrect number of gradients (expected "
                f"{n}, got {len(res)})"
            )
        out = []
        for i, r in enumerate(res):
            if r is None:
                out.append(None)
                continue
            if self.metas[i] is _NOT_TENSOR:
                raise RuntimeError(
                    f"function {self.name()} returned a gradient different than None at "
                    f"position {i + 1}, but the corresponding forward input was not a Variable"
                )
            if not isinstance(r, Tensor):
                raise RuntimeError(f"expected Variable or None (got {type(r).__name__})")
            out.append(r if create_graph else r._data)
        return tuple(out)

    def register_prehook(self, fn):
        """fn(grad_outputs) before backward; may return replacement gradients."""
        if not self._multi:
            return Node.register_prehook(self, fn)
        from ._node import _Handle

        def hook(og):
            raw = [g is not None and not hasattr(g, "_data") for g in og.grads]
            r = fn(tuple(_wrap(g, None) if w else g for g, w in zip(og.grads, raw)))
            if r is None:
                return None
            # back to what the engine passes: arrays in a plain backward
            return OutputGrads([g._data if w and g is not None else g for g, w in zip(r, raw)])

        if self.hooks is None:
            self.hooks = []
        self.hooks.append(hook)
        return _Handle(self.hooks, hook)


def _user_backward(cls):
    """The Function's `backward`, or its `vjp` (PyTorch's alias), whichever it defines."""
    fn = cls.__dict__.get("_user_bwd")
    if fn is None:
        bwd, vjp = cls.backward, cls.vjp
        base_bwd, base_vjp = Function.backward, Function.vjp
        if bwd is not base_bwd and vjp is not base_vjp:
            raise RuntimeError(
                "Implementing both 'backward' and 'vjp' for a custom Function is not allowed. "
                "You should only implement one of them."
            )
        fn = vjp if vjp is not base_vjp else bwd
        cls._user_bwd = fn
    return fn


def _wrap(arr, dev):
    from .._tensor import wrap_array

    return wrap_array(arr, dev)


def _zeros(meta):
    shape, np_dtype, dev = meta
    from .._tensor import wrap_array

    return wrap_array(dev.xp.zeros(shape, dtype=np_dtype), dev)


# ---------------------------------------------------------------- saving tensors
def _pack(ctx, args, outs, dirty):
    """Record what save_for_backward got: inputs as tensors, outputs by data (no cycle)."""
    from .._tensor import Tensor

    saved = ctx.to_save
    if saved is None:
        return
    inputs = {id(a) for a in args if isinstance(a, Tensor)}
    out_index = {}
    for i, o in enumerate(outs):
        if isinstance(o[0], Tensor):
            out_index[id(o[0])] = i
    from .graph import current_saved_tensors_hooks

    hooks = current_saved_tensors_hooks()
    packed = []
    for k, t in enumerate(saved):
        if t is None:
            packed.append(None)
            continue
        if not isinstance(t, Tensor):
            raise TypeError(
                f"save_for_backward can only save variables, but argument {k} is of type "
                f"{type(t).__name__}"
            )
        i = out_index.get(id(t))
        if hooks is not None:
            # saved_tensors_hooks: the pack hook's result is what is kept (an output is
            # handed over as the tensor the caller gets)
            pack, unpack = hooks
            packed.append((_HOOKED, unpack, pack(t if i is None else outs[i][1])))
            continue
        v = t._version_counter()
        if v.__class__ is not list:
            from .grad_mode import check_saved_inference

            check_saved_inference((t,))
        if i is not None and (id(t) not in inputs or id(t) in dirty):
            # an output refers to this node; keep its data, rebuild the tensor on unpacking
            new = outs[i][1]
            packed.append((None, i, new._data, new._dtype, new._device, v, v[0], new._rg))
        else:
            packed.append((t, v[0]))
    ctx._packed = packed
    ctx.to_save = None


_HOOKED = object()


def _unpack(ctx, e):
    if e is None:
        return None
    if e[0] is _HOOKED:
        return e[1](e[2])
    if len(e) == 2:
        t, want = e
        have = t._version_counter()[0]
        if have != want:
            raise version_error(_type_name(t), t._data.shape, _which(t), have, want)
        return t
    from .._tensor import _new_tensor

    _, i, data, dtype, dev, v, want, rg = e
    t = _new_tensor(data, dtype, dev)
    t._vc = v
    if v[0] != want:
        raise version_error(_type_name(t), data.shape, f"output {i} of {_short(ctx)}", v[0], want)
    if rg:
        t._rg = True
        t._node = OutputSlot(ctx, i, len(ctx._out_metas)) if ctx._multi else ctx
    return t


# ---------------------------------------------------------------- apply
def _apply(cls, args, kwargs):
    from .._tensor import Tensor

    if kwargs or cls._setup_context_style:
        # setup_context sees every argument, defaults included (as in PyTorch)
        args = _bind(cls, args, kwargs)
    ctx = object.__new__(cls._backward_cls)
    grad_on = GRAD.enabled
    needs = tuple(isinstance(a, Tensor) and a._rg for a in args)
    ctx.needs_input_grad = needs
    GRAD.enabled = False
    try:
        if cls._setup_context_style:
            out = cls.forward(*args)
            cls.setup_context(ctx, args, out)
        else:
            out = cls.forward(ctx, *args)
    finally:
        GRAD.enabled = grad_on
    if not (grad_on and any(needs)):
        return out
    return _connect(ctx, args, needs, out)


def _bind(cls, args, kwargs):
    # keyword arguments go into their positions of forward's signature
    sig = cls.__dict__.get("_forward_signature")
    if sig is None:
        params = list(inspect.signature(cls.forward).parameters.values())
        if not cls._setup_context_style:
            params = params[1:]
        sig = inspect.Signature(params)
        cls._forward_signature = sig
    bound = sig.bind(*args, **kwargs)
    bound.apply_defaults()
    return tuple(bound.args)


def _connect(ctx, args, needs, out):
    """Make `ctx` the graph node of the call and attach the outputs to it."""
    from .._tensor import Tensor

    # numbered now, after its inputs' nodes (see _node.next_seq)
    ctx.seq = next_seq()
    ctx.op = None
    ctx.need = needs
    nxt = []
    metas = []
    for a, need in zip(args, needs):
        if isinstance(a, Tensor):
            nxt.append((a._node or a) if need else None)
            metas.append(Meta(a._data.shape, a._data.dtype))
        else:
            nxt.append(None)
            metas.append(_NOT_TENSOR)
    ctx.next = tuple(nxt)
    ctx.metas = tuple(metas)
    multi = isinstance(out, tuple)
    outs = out if multi else (out,)
    ctx._multi = multi
    inputs = {id(a) for a in args if isinstance(a, Tensor)}
    dirty = {id(t) for t in ctx.dirty_tensors or ()}
    nondiff = {id(t) for t in ctx.non_differentiable or ()}
    pairs = []
    metas_out = []
    returned = set()
    for i, o in enumerate(outs):
        if not isinstance(o, Tensor):
            pairs.append((o, o))
            metas_out.append(None)
            continue
        returned.add(id(o))
        new = _output(ctx, o, i, len(outs), multi, inputs, dirty, nondiff)
        pairs.append((o, new))
        metas_out.append((new._data.shape, new._data.dtype, new._device))
    if dirty - returned:
        raise RuntimeError(
            "Some elements marked as dirty during the forward method were not returned as "
            "output. The inputs that are modified inplace must all be outputs of the Function."
        )
    ctx._out_metas = tuple(metas_out)
    _pack(ctx, args, pairs, dirty)
    new_outs = tuple(p[1] for p in pairs)
    return new_outs if multi else new_outs[0]


def _output(ctx, o, i, n, multi, inputs, dirty, nondiff):
    """The tensor returned for forward output `o`, attached to the graph when differentiable."""
    if id(o) in dirty:
        if o._rg and o._node is None:
            raise RuntimeError(
                "a leaf Variable that requires grad has been used in an in-place operation."
            )
        # PyTorch counts mark_dirty as one more change of the tensor
        o._version_counter()[0] += 1
        t = o
    elif id(o) in inputs:
        # an input returned unchanged comes back as a new tensor sharing its memory (a view)
        t = _alias(o)
    else:
        t = o
    if id(o) in nondiff or t._dtype._kind < 2:
        if t is not o or id(o) not in inputs:
            t._rg = False
            t._node = None
        return t
    t._rg = True
    t._node = OutputSlot(ctx, i, n) if multi else ctx
    if id(o) in dirty and t._view_of is not None:
        from .._ops._inplace import _rebase_base

        _rebase_base(t)
    return t


def _alias(t):
    from .._tensor import _new_tensor

    a = _new_tensor(t._data, t._dtype, t._device)
    a._vc = t._version_counter()
    a._view_of = (t, _same)
    return a


def _same(arr):
    return arr


# ---------------------------------------------------------------- the Function class
class FunctionMeta(type):
    """Gives each Function subclass its node class `<Name>Backward`, as PyTorch does."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_cls = type(
            name + "Backward", (BackwardCFunction,), {"_forward_cls": cls, "__module__": "ember"}
        )
        base = _BASE_SETUP.get("fn")
        cls._setup_context_style = base is not None and cls.setup_context is not base


_BASE_SETUP = {}


class Function(FunctionCtx, metaclass=FunctionMeta):
    """Mirrors `torch.autograd.Function`: subclass with static `forward` and `backward`.

    Either `forward(ctx, *args)`, or `forward(*args)` with
    `setup_context(ctx, inputs, output)`; then `backward(ctx, *grad_outputs)` returns one
    gradient (or None) per forward input. Call it as `MyFn.apply(*args)`.
    """

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        # pre-0.4 code instantiated its Functions; torch still allows it, with a warning
        warnings.warn(
            f"{self.__class__} should not be instantiated. Methods on autograd functions "
            "are all static, so you should invoke them on the class itself. "
            "Instantiating an autograd function will raise an "
            "error in a future version of PyTorch.",
            DeprecationWarning,
            stacklevel=2,
        )

    def __call__(self, *args, **kwargs):
        # ... but calling the instance (the legacy `MyFn()(x)`) is refused
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. "
            "Please use new-style autograd function with static forward method. "
            "(Example: https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    @staticmethod
    def forward(*args, **kwargs):
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run the Function on `args`, recording one node when a gradient is needed."""
        return _apply(cls, args, kwargs)


_BASE_SETUP["fn"] = Function.setup_context
Function._setup_context_style = False


# ---------------------------------------------------------------- once_differentiable
_TWICE = "trying to differentiate twice a function that was marked with @once_differentiable"


class _DelayedError(Node):
    """A node that raises when reached: the gradient of a once_differentiable backward."""

    __slots__ = ()

    def name(self):
        return "torch::autograd::Error"

    def run(self, g, create_graph):
        raise RuntimeError(_TWICE)

    def release(self):
        pass


def once_differentiable(fn):
    """Mirrors `torch.autograd.function.once_differentiable`: backward runs without a graph,
    and differentiating its result raises."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        from .._tensor import Tensor, _new_tensor

        prev = GRAD.enabled
        GRAD.enabled = False
        try:
            outputs = fn(ctx, *args)
        finally:
            GRAD.enabled = prev
        if not prev:
            return outputs
        parents = tuple((a._node or a) for a in args if isinstance(a, Tensor) and a._rg)
        if not parents:
            return outputs
        single = not isinstance(outputs, tuple)
        res = []
        for o in (outputs,) if single else outputs:
            if isinstance(o, Tensor) and o._dtype._kind >= 2:
                node = _DelayedError(None, parents, (None,) * len(parents), (True,) * len(parents))
                o = _new_tensor(o._data, o._dtype, o._device)
                o._rg = True
                o._node = node
            res.append(o)
        return res[0] if single else tuple(res)

    return wrapper


__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "once_differentiable"]
