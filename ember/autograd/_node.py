"""Graph nodes. A node knows its op's backward rule, its parents and what the rule saved.

`next` holds, per input, the parent Node, the leaf Tensor whose `.grad` receives the
gradient, or None when that input needs no gradient. Saved values are released after
backward unless `retain_graph` is set.
"""

import copy
import itertools

# Every node gets the next number when it is recorded. A node's inputs are recorded before it,
# so a node's number is higher than those of all the nodes it sends gradients to: the engine
# runs pending nodes from the highest number down (as PyTorch orders by sequence_nr) and needs
# no pass over the graph to count dependencies. Whatever builds a node must set `seq`.
next_seq = itertools.count(1).__next__

_FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward."
)


# `need` of a tensor-times-constant node (see Node.release): equal to (True, False), but its
# own object, made at run time so the compiler cannot share it with another (True, False)
NEED_SCALAR = tuple([True, False])


def _raise_freed(*args, **kwargs):
    raise RuntimeError(_FREED)


def freed_op(op):
    """`op` as a tensor-times-constant node holds it once backward has run: torch saved the
    constant, so a second backward is its error. The node keeps no dict (the fast path), so the
    mark is this alias: the same names, a rule that raises."""
    alias = _FREED_ALIASES.get(op)
    if alias is None:
        alias = _FREED_ALIASES[op] = copy.copy(op)
        alias.bwd = _raise_freed
    return alias


_FREED_ALIASES = {}


class Node:
    """One recorded op. Mirrors the role of `torch.autograd.graph.Node` (`grad_fn`)."""

    # the hot fields are slots; rarely used ones live in the instance dict with class defaults,
    # so building a node sets four attributes (see _registry._record)
    __slots__ = ("op", "next", "need", "metas", "seq", "__dict__", "__weakref__")

    saved = None
    versions = None
    out = None
    out_version = None
    params = None
    extra = None
    hooks = None
    retain = None
    freed = False
    _pre_hooks = None
    _post_hooks = None

    def __init__(self, op, next_, metas, need=None):
        self.seq = next_seq()
        self.op = op
        self.next = next_
        self.metas = metas
        if need is None:
            need = tuple(n is not None for n in next_)
        self.need = need

    def name(self):
        return self.op.grad_name

    @property
    def metadata(self):
        """A dict for the user's own data about this node (empty until used)."""
        d = self.__dict__.get("_metadata")
        if d is None:
            d = self.__dict__["_metadata"] = {}
        return d

    def __repr__(self):
        # the class name: "torch::autograd::CopySlices" shows as <CopySlices object at ...>
        return f"<{self.name().rsplit('::', 1)[-1]} object at {hex(id(self))}>"

    @property
    def next_functions(self):
        """((node, output index), ...) per input; leaves show as AccumulateGrad."""
        from .graph import accumulate_grad

        res = []
        nxt = self.next
        edges = getattr(getattr(self, "op", None), "edges", None)
        if edges is not None:
            nxt = [nxt[i] for i in edges]
        for n in nxt:
            if n is None:
                res.append((None, 0))
            elif hasattr(n, "_data"):
                res.append((accumulate_grad(n), 0))
            else:
                res.append(edge_of(n))
        return tuple(res)

    def register_hook(self, fn):
        """fn(grad_inputs, grad_outputs) after this node ran."""
        if self._post_hooks is None:
            self._post_hooks = []
        self._post_hooks.append(fn)
        return _Handle(self._post_hooks, fn)

    def register_prehook(self, fn):
        """fn(grad_outputs) before this node runs."""
        if self.hooks is None:
            self.hooks = []
        self.hooks.append(lambda g: _unwrap_tuple(fn((g,))))
        return _Handle(self.hooks, self.hooks[-1])

    def release(self):
        # as in PyTorch, only a node that saved tensors refuses a second backward; tensor *
        # constant saves nothing here, but torch saves the constant (MulBackward0's `other`):
        # such nodes carry NEED_SCALAR (an identity check costs nothing on the dict-less path)
        if self.need is NEED_SCALAR:
            self.op = freed_op(self.op)
            return
        if not self.__dict__:
            return
        if self.saved is not None or self.out is not None:
            self.saved = None
            self.out = None
            self.freed = True
        if self.extra is not None and hasattr(self.extra, "shape"):
            self.extra = None
            self.freed = True

    def run(self, g, create_graph):
        """Apply the backward rule to the output gradient `g`; one gradient per input."""
        if create_graph:
            return self._run_create(g)
        d = self.__dict__
        if not d:
            # nothing saved, no params: the common case of add/sub/view/sum-like ops
            metas = self.metas
            n = len(metas)
            # unary and binary ops (nearly all nodes) without building an argument list
            if n == 2:
                a, b = metas
                return self.op.bwd(ANS, g, None, g if a is None else a, g if b is None else b,
                                   need=self.need, extra=None)
            if n == 1:
                a = metas[0]
                return self.op.bwd(ANS, g, None, g if a is None else a, need=self.need,
                                   extra=None)
            return self.op.bwd(ANS, g, None, *[g if m is None else m for m in metas],
                               need=self.need, extra=None)
        if self.freed:
            raise RuntimeError(_FREED)
        saved = d.get("saved")
        if saved is not None:
            versions = d.get("versions")
            if len(saved) == 1:
                # unary ops (sin, exp, ...): no loop, no list
                t = saved[0]
                if versions is not None and t._vc[0] != versions[0]:
                    _check_versions(self, saved)
                if len(d) == 2 and versions is not None:
                    # the saved input and its version are all the node holds
                    return self.op.bwd(ANS, g, None, t._data, need=self.need, extra=None)
                inputs = (t._data,)
            else:
                if versions is not None:
                    i = 0
                    for t in saved:
                        if t._vc[0] != versions[i]:
                            _check_versions(self, saved)
                        i += 1
                n = len(saved)
                # (a list comprehension is a function call of its own in Python 3.11)
                if n == 2:
                    inputs = (saved[0]._data, saved[1]._data)
                elif n == 3:
                    inputs = (saved[0]._data, saved[1]._data, saved[2]._data)
                else:
                    inputs = [t._data for t in saved]
        else:
            # rules of ops that save nothing still see each input's shape and dtype
            # (None in metas means "like the output gradient")
            inputs = [g if m is None else m for m in self.metas]
        ov = d.get("out_version")
        if ov is not None and ov[0][0] != ov[1]:
            out = self.out
            raise version_error(
                _array_type_name(out), out.shape, "output 0 of " + _short(self), ov[0][0], ov[1]
            )
        params = d.get("params")
        if params:
            return self.op.bwd(ANS, g, d.get("out"), *inputs, need=self.need,
                               extra=d.get("extra"), **params)
        return self.op.bwd(ANS, g, d.get("out"), *inputs, need=self.need, extra=d.get("extra"))

    def _run_create(self, g):
        """The backward rule on Tensors, recording a graph (create_graph=True)."""
        if self.freed:
            raise RuntimeError(_FREED)
        op = self.op
        saved = self.saved
        need = self.need
        if saved is not None and self.versions is not None:
            _check_versions(self, saved)
        ov = self.out_version
        if ov is not None and ov[0][0] != ov[1]:
            out = self.out
            raise version_error(
                _array_type_name(out), out.shape, "output 0 of " + _short(self), ov[0][0], ov[1]
            )
        params = self.params or _EMPTY
        from .._tensor import Tensor, wrap_array

        inputs = [g if m is None else m for m in self.metas]
        if saved is not None:
            # scalars saved as constants go to the rule as plain values
            inputs = [s if hasattr(s, "_dtype") else s._data for s in saved]
        out = None
        if self.out is not None:
            out = wrap_array(self.out)
            # the saved output is differentiable through this very node
            out._node = self
            out._rg = True
        if g.__class__ is not Tensor and not isinstance(g, Tensor):
            g = wrap_array(g)
        return op.bwd(TNS, g, out, *inputs, need=need, extra=self.extra, **params)


_EMPTY = {}
# "inputs of the output's shape and dtype" markers, shared with _ops/_registry.py
_SAME1 = (None,)
_SAME2 = (None, None)

from .._ops._namespace import ANS, TNS  # noqa: E402  (namespaces know no ops; no cycle)


def _unwrap_tuple(r):
    if r is None:
        return None
    if isinstance(r, tuple):
        return r[0]
    return r


class Meta:
    """Shape and dtype of an op input, kept instead of the input itself."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype


class _Handle:
    """A removable hook handle: `handle.remove()`."""

    __slots__ = ("_list", "_fn")

    def __init__(self, lst, fn):
        self._list = lst
        self._fn = fn

    def remove(self):
        try:
            self._list.remove(self._fn)
        except ValueError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


# users print `type(handle).__name__`; in PyTorch every hook handle is a RemovableHandle
_Handle.__name__ = _Handle.__qualname__ = "RemovableHandle"


def _check_versions(node, saved):
    for i, t in enumerate(saved):
        v = t._vc
        want = node.versions[i]
        if v[0] != want:
            raise version_error(_type_name(t), t._data.shape, _which(t), v[0], want)


def version_error(type_name, shape, which, version, expected):
    """PyTorch's error for a saved tensor modified in place since it was saved."""
    which = f", which is {which}," if which else ""
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{type_name} {list(shape)}]{which} is at version {version}; expected "
        f"version {expected} instead. Hint: enable anomaly detection to find the operation "
        "that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, "
        "check_nan=False)."
    )


def _which(t):
    # a saved input is named by the node that produces it now (after any in-place op)
    n = t._node
    if n is None:
        return None
    n, index = edge_of(n)
    return f"output {index} of {_short(n)}"


def _short(node):
    # PyTorch names the op, not its backward: ExpBackward0 -> Exp, MyFnBackward -> MyFn
    name = node.name().rstrip("0123456789")
    if name.endswith("Backward"):
        name = name[: -len("Backward")]
    return name


def _array_type_name(arr):
    from .._dtype import from_numpy_dtype

    prefix = "torch.cuda." if type(arr).__module__.startswith("cupy") else "torch."
    return prefix + _TYPE_NAMES[from_numpy_dtype(arr.dtype).name]


_TYPE_NAMES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "float16": "HalfTensor",
    "bfloat16": "BFloat16Tensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "int16": "ShortTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "bool": "BoolTensor",
    "complex64": "ComplexFloatTensor",
    "complex128": "ComplexDoubleTensor",
}


# ---------------------------------------------------------------- what users see of nodes
_NAMED = {}


def public_node(n):
    """The node as `Tensor.grad_fn` shows it: of a class named after the op (MulBackward0).

    Nodes are built as plain `Node`s (the hot path); the class is swapped on first look.
    """
    c = n.__class__
    if c is Node:
        name = n.op.grad_name
        cls = _NAMED.get(name)
        if cls is None:
            # "torch::autograd::CopySlices" is a node of class CopySlices
            short = name.rsplit("::", 1)[-1]
            cls = _NAMED[name] = type(short, (Node,), {"__slots__": (), "__module__": "ember"})
        n.__class__ = cls
        return n
    if c is OutputSlot:
        return n.fn
    return n


def edge_of(n):
    """(public node, output index) of a graph entry."""
    if n.__class__ is OutputSlot:
        return n.fn, n.index
    return public_node(n), 0


class OutputSlot(Node):
    """Output `index` of a node with several outputs (a custom Function's).

    Each output tensor's `_node` is its slot, so tensor hooks and retain_grad see that output's
    gradient; the slot hands the engine an `OutputGrads` that sums into the real node.
    """

    __slots__ = ("fn", "index", "nout")

    def __init__(self, fn, index, nout):
        self.seq = next_seq()
        self.op = None
        self.next = (fn,)
        self.need = (True,)
        self.metas = (None,)
        self.fn = fn
        self.index = index
        self.nout = nout

    def name(self):
        return self.fn.name()

    def run(self, g, create_graph):
        grads = [None] * self.nout
        grads[self.index] = g
        return (OutputGrads(grads),)

    def release(self):
        pass


class OutputGrads:
    """The gradients of a multi-output node's outputs (None where none arrived)."""

    __slots__ = ("grads",)

    def __init__(self, grads):
        self.grads = grads

    def __add__(self, other):
        out = []
        for a, b in zip(self.grads, other.grads):
            out.append(b if a is None else a if b is None else a + b)
        return OutputGrads(out)


def _type_name(t):
    names = {
        "float32": "FloatTensor",
        "float64": "DoubleTensor",
        "float16": "HalfTensor",
        "bfloat16": "BFloat16Tensor",
        "int64": "LongTensor",
        "int32": "IntTensor",
        "int16": "ShortTensor",
        "int8": "CharTensor",
        "uint8": "ByteTensor",
        "bool": "BoolTensor",
        "complex64": "ComplexFloatTensor",
        "complex128": "ComplexDoubleTensor",
    }
    base = names[t._dtype.name]
    if t._device.type == "cuda":
        return "torch.cuda." + base
    return "torch." + base
