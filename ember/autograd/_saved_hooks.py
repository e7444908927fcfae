"""saved_tensors_hooks for the nodes of built-in ops.

While a `torch.autograd.graph.saved_tensors_hooks` context is active, every tensor an op saves
for backward goes through the context's `pack_hook` when it is saved, and the object that hook
returns is all the node keeps; `unpack_hook(obj)` gives the tensor back each time backward
reads it. This is what activation offloading (`save_on_cpu`) and compression rely on.

Recording stays untouched when no context is active: each place that records a node checks the
`HOOKS` list once (empty unless a context is entered) and calls `pack_node` when it is not.
A packed node gets a class of its own whose `run` unpacks before the op's rule runs.
"""

from ._node import Node, Meta, _FREED, public_node

# the (pack, unpack) pairs of the saved_tensors_hooks contexts entered, innermost last; only
# the innermost pair applies, as in PyTorch (graph.saved_tensors_hooks pushes and pops here)
HOOKS = []

# what an entry of a packed node's list restores
_INPUT, _OUTPUT, _EXTRA = 0, 1, 2

_PACK_INPLACE = (
    "A saved tensor pack hook is modifying its input in place. Tensors provided as input to "
    "pack hook cannot be modified by in-place operations as this can lead to unexpected "
    "side-effects. Please open an issue if you need to perform in-place operations on the "
    "input to a pack hook."
)


def _linear_shape_only(need):
    # addmm saves the input only for the weight's gradient, the weight only for the input's;
    # the bias gradient is a sum of the output gradient
    return (2,) + (() if need[0] else (1,)) + (() if need[1] else (0,))


# Tensors ember's rules keep but read only the shape of (or can recompute), which PyTorch does
# not save: left out of packing so that the pack hook sees what PyTorch's would.
# op name -> need -> indices of saved inputs whose shape is enough
_SHAPE_ONLY = {name: _linear_shape_only for name in (
    "linear", "linear_mm", "linear_view", "linear_unsafe_view", "linear_squeeze")}
_SHAPE_ONLY["convolution"] = lambda need: (2,)
# ops whose `extra` is a cache the rule rebuilds when absent (the im2col columns)
_RECOMPUTED_EXTRA = {"convolution"}
# op name -> need -> whether the rule reads the saved output (x ** 2 needs only x)
_OUTPUT_NEEDED = {"pow": lambda need: need[1]}


def pack_node(node, res):
    """Send what `node` (just recorded, the graph node of `res`) saved through the innermost
    pack hook. Only plain op nodes: custom Functions pack in their own save_for_backward."""
    if node.__class__ is not Node:
        return
    d = node.__dict__
    saved = d.get("saved")
    out = d.get("out")
    extra = d.get("extra")
    from .._tensor import Tensor, _new_tensor
    from .grad_mode import GRAD

    pack, unpack = HOOKS[-1]
    name = node.op.name
    if name in _SHAPE_ONLY and saved is not None:
        from .._ops._registry import _ShapeOnly

        saved = list(saved)
        for i in _SHAPE_ONLY[name](node.need):
            if i < len(saved) and isinstance(saved[i], Tensor):
                saved[i] = _ShapeOnly(saved[i])
    if name in _RECOMPUTED_EXTRA:
        extra = d["extra"] = None
    if out is not None and name in _OUTPUT_NEEDED and not _OUTPUT_NEEDED[name](node.need):
        out = d["out"] = None
        d["out_version"] = None
    entries = []
    template = None
    # PyTorch runs pack hooks with grad mode off: what they compute records no graph
    prev = GRAD.enabled
    GRAD.enabled = False
    try:
        if saved is not None:
            template = list(saved)
            for i, t in enumerate(saved):
                # constants and shape-only placeholders are not tensors PyTorch would save
                if isinstance(t, Tensor):
                    edge = (t._node or t) if t._rg else None
                    entries.append((_INPUT, i, _pack(pack, t), edge))
                    template[i] = None
            template = tuple(template)
        if out is not None:
            # the hook sees the output tensor itself, as in PyTorch
            entries.append((_OUTPUT, 0, _pack(pack, res), None))
        if extra is not None and hasattr(extra, "shape") and hasattr(extra, "dtype"):
            # a second output the rule reads (max_pool's indices, dropout's mask, norms' stats)
            from .._ops._registry import np_to_dtype

            entries.append((_EXTRA, 0, _pack(pack, _new_tensor(extra, np_to_dtype(extra),
                                                               res._device)), None))
    finally:
        GRAD.enabled = prev
    if not entries:
        return
    # PyTorch cannot check versions through hooks: an in-place change later is no error
    d["saved"] = template
    d["versions"] = None
    d["out_version"] = None
    if out is not None:
        d["out"] = None
    if any(e[0] == _EXTRA for e in entries):
        d["extra"] = None
    d["_packed"] = (unpack, template, entries)
    node.__class__ = _hooked_class(public_node(node).__class__)


def _pack(pack, t):
    v = t._vc
    before = v[0] if v is not None else None
    obj = pack(t)
    if v is not None and v[0] != before:
        raise RuntimeError(_PACK_INPLACE)
    return obj


_HOOKED = {}


def _hooked_class(named):
    """The packed-node variant of the public node class `named` (same name, e.g. MulBackward0)."""
    cls = _HOOKED.get(named)
    if cls is None:
        cls = _HOOKED[named] = type(named.__name__, (named,),
                                    {"__slots__": (), "__module__": "ember",
                                     "run": _run_packed, "release": _release_packed})
    return cls


def _run_packed(self, g, create_graph):
    """Unpack what the node saved, run the op's rule, and drop the unpacked tensors again."""
    if self.freed:
        raise RuntimeError(_FREED)
    d = self.__dict__
    unpack, template, entries = d["_packed"]
    saved = list(template) if template is not None else None
    for kind, i, obj, edge in entries:
        u = unpack(obj)
        if not _is_tensor(u):
            raise TypeError(
                "Output of saved tensor unpack_hook expected to be a Tensor but got result of "
                f"type {type(u).__name__}"
            )
        if kind == _INPUT:
            saved[i] = _restore(u, edge) if create_graph else u
        elif kind == _OUTPUT:
            d["out"] = u._data
        else:
            d["extra"] = u._data
    d["saved"] = tuple(saved) if saved is not None else None
    try:
        return Node.run(self, g, create_graph)
    finally:
        # the node keeps only the packed objects between backward passes
        d["saved"] = template
        if "out" in d:
            d["out"] = None
        if any(e[0] == _EXTRA for e in entries):
            d["extra"] = None


def _release_packed(self):
    self.__dict__.pop("_packed", None)
    self.freed = True
    Node.release(self)


def _is_tensor(x):
    from .._tensor import Tensor

    return isinstance(x, Tensor)


def _restore(u, edge):
    """The unpacked value as the input it stands for in a graph built by double backward:
    gradients through it reach the original input's node (or leaf), as in PyTorch."""
    from .._tensor import _new_tensor

    t = _new_tensor(u._data, u._dtype, u._device)
    if edge is None:
        return t
    if hasattr(edge, "_data"):
        # a leaf: route through a pass-through node, as edges to a leaf name the leaf itself
        from .._ops._registry import OPS

        edge = Node(OPS["clone"], (edge,), (Meta(u._data.shape, u._data.dtype),), (True,))
    t._node = edge
    t._rg = True
    return t
