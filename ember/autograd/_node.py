"""Graph nodes. A node knows its op's backward rule, its parents and what the rule saved.

`next` holds, per input, the parent Node, the leaf Tensor whose `.grad` receives the
gradient, or None when that input needs no gradient. Saved values are released after
backward unless `retain_graph` is set.
"""

_FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward."
)


class Node:
    """One recorded op. Mirrors the role of `torch.autograd.graph.Node` (`grad_fn`)."""

    __slots__ = (
        "op",
        "next",
        "metas",
        "saved",
        "versions",
        "out",
        "out_version",
        "params",
        "extra",
        "hooks",
        "retain",
        "freed",
        "_pre_hooks",
        "_post_hooks",
        "metadata",
        "__weakref__",
    )

    def __init__(self, op, next_, metas):
        self.op = op
        self.next = next_
        self.metas = metas
        self.saved = None
        self.versions = None
        self.out = None
        self.out_version = None
        self.params = None
        self.extra = None
        self.hooks = None
        self.retain = None
        self.freed = False
        self._pre_hooks = None
        self._post_hooks = None
        self.metadata = None

    def name(self):
        return self.op.grad_name

    def __repr__(self):
        return f"<{self.op.grad_name} object>"

    @property
    def next_functions(self):
        from ._accumulate import AccumulateGrad

        res = []
        for n in self.next:
            if n is None or isinstance(n, Node) or hasattr(n, "apply"):
                res.append((n, 0))
            else:
                res.append((AccumulateGrad(n), 0))
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
        self.saved = None
        self.out = None
        self.extra = None
        self.freed = True

    def run(self, g, create_graph):
        """Apply the backward rule to the output gradient `g`; one gradient per input."""
        if self.freed:
            raise RuntimeError(_FREED)
        op = self.op
        saved = self.saved
        need = tuple(n is not None for n in self.next)
        if saved is not None and self.versions is not None:
            _check_versions(self, saved)
        ov = self.out_version
        if ov is not None and ov[0][0] != ov[1]:
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: output 0 of {op.grad_name} is at version {ov[0][0]}; "
                f"expected version {ov[1]} instead. Hint: enable anomaly detection to find the "
                "operation that failed to compute its gradient, with "
                "torch.autograd.set_detect_anomaly(True)."
            )
        params = self.params or _EMPTY
        if create_graph:
            from .._ops._namespace import TNS
            from .._tensor import Tensor, wrap_array

            inputs = self.metas
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
            extra = self.extra
            return op.bwd(TNS, g, out, *inputs, need=need, extra=extra, **params)
        from .._ops._namespace import ANS

        if saved is not None:
            inputs = [t._data for t in saved]
        else:
            # rules of ops that save nothing still see each input's shape and dtype
            inputs = self.metas
        return op.bwd(ANS, g, self.out, *inputs, need=need, extra=self.extra, **params)


_EMPTY = {}


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


def _check_versions(node, saved):
    for i, t in enumerate(saved):
        v = t._version
        want = node.versions[i]
        if v[0] != want:
            shape = list(t._data.shape)
            tname = _type_name(t)
            which = "output 0 of " + t._node.op.grad_name if t._node is not None else "a leaf Variable"
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: [{tname} {shape}], which is {which}, is at version {v[0]}; "
                f"expected version {want} instead. Hint: enable anomaly detection to find the "
                "operation that failed to compute its gradient, with "
                "torch.autograd.set_detect_anomaly(True)."
            )


def _type_name(t):
    names = {
        "float32": "FloatTensor",
        "float64": "DoubleTensor",
        "float16": "HalfTensor",
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
