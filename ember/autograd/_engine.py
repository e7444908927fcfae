"""The backward engine: iterative, dependency-counted, no recursion.

Normal backward passes raw arrays between nodes (fast); `create_graph=True` passes Tensors and
runs every rule through ember's own differentiable ops, so the gradient has a graph too.

Graph entries (`node.next`) are Nodes (anything with `next`, `metas`, `run`, `release`) or leaf
Tensors (anything with `_data`), whose gradients are collected and accumulated at the end.
A plain `backward()` runs every node it reaches. With `inputs` (`autograd.grad`,
`backward(inputs=...)`) the graph is first pruned to the nodes that lead to an input.
"""

from heapq import heappop, heappush

import numpy as _np

from .grad_mode import GRAD
from ._node import NEED_SCALAR, Node, OutputGrads, freed_op
from .._sparse_grad import RowGrad, accumulate as _accumulate_rows


def backward(*args, **kwargs):
    """Run one backward pass (see `_backward`); callbacks queued while it runs (for
    `torch.autograd.graph.register_multi_grad_hook`) run when the outermost pass ends."""
    _PASS[0] += 1
    try:
        return _backward(*args, **kwargs)
    finally:
        _end_pass()


# how many backward passes are running (nested ones come from hooks and custom backwards),
# and the callbacks to run when the outermost one ends
_PASS = [0]
_CALLBACKS = []


def queue_callback(fn):
    """Run `fn()` when the current backward pass ends (at once when none runs)."""
    if _PASS[0] == 0:
        fn()
    else:
        _CALLBACKS.append(fn)


def _end_pass():
    _PASS[0] -= 1
    if _PASS[0] == 0 and _CALLBACKS:
        pending = list(_CALLBACKS)
        _CALLBACKS.clear()
        for fn in pending:
            fn()


def _backward(
    roots,
    grads,
    retain_graph=False,
    create_graph=False,
    inputs=None,
    allow_unused=False,
    accumulate=False,
):
    """Run backward from `roots` (Tensors) with output gradients `grads` (arrays or Tensors).

    Without `inputs`, accumulate into the `.grad` of every leaf reached. With `inputs`, return
    their gradients (None for unused ones), or with `accumulate=True` add them to their
    `.grad` only.
    """
    prev = GRAD.enabled
    GRAD.enabled = bool(create_graph)
    try:
        buffers, root_nodes, leaf_grads, leaf_objs = _seed(roots, grads, create_graph)
        if inputs is None:
            _run_all(root_nodes, buffers, leaf_grads, leaf_objs, retain_graph, create_graph)
            for pk, g in leaf_grads.items():
                t = leaf_objs[pk]
                _accumulate(t, _leaf_hooks(t, g, create_graph), create_graph)
                if t._post_acc_hooks:
                    _post_acc(t)
            return None
        results = _run_inputs(
            root_nodes, buffers, leaf_grads, leaf_objs, inputs, retain_graph, create_graph
        )
    finally:
        GRAD.enabled = prev
    if accumulate:
        done = set()
        for t, g in zip(inputs, results):
            if g is not None and id(t) not in done:
                done.add(id(t))
                _accumulate(t, g, create_graph)
                if t._post_acc_hooks:
                    _post_acc(t)
        return None
    return _grad_results(inputs, results, allow_unused, create_graph)


def backward_scalar(t, retain_graph):
    """`t.backward()` for a scalar float output: the common call, without the general setup.
    (The pass count of `backward` is kept inline: this runs once per training step.)"""
    node = t._node
    g = node_ones(t._data)
    prev = GRAD.enabled
    GRAD.enabled = False
    _PASS[0] += 1
    try:
        leaf_grads = {}
        leaf_objs = {}
        _run_all([node], {id(node): g}, leaf_grads, leaf_objs, retain_graph, False)
        for pk in list(leaf_grads):
            lg = leaf_grads.pop(pk)
            leaf = leaf_objs[pk]
            if leaf._hooks:
                lg = _leaf_hooks(leaf, lg, False)
            # (asked before the call below, whose pending arguments would count as references)
            owned = _owned(lg)
            _accumulate(leaf, lg, False, owned)
            if leaf._post_acc_hooks:
                # Tensor.register_post_accumulate_grad_hook
                _post_acc(leaf)
    finally:
        GRAD.enabled = prev
        _PASS[0] -= 1
        if _CALLBACKS and not _PASS[0]:
            _PASS[0] += 1
            _end_pass()


_refcount = __import__("sys").getrefcount


def _probe_refs(g):
    return _refcount(g)


def _calibrate_owned_refs():
    # the references an array held only by the caller's local variable has inside a function
    # it is passed to (the count differs between Python versions): measured, not assumed
    a = _np.empty(1)
    return _probe_refs(a)


_OWNED_REFS = _calibrate_owned_refs()


def _owned(g):
    """Whether `g` is a fresh NumPy array that nothing else refers to (a rule's own result), so
    it can become a `.grad` without the copy: for a large parameter the copy costs as much as
    an optimizer pass. Anything shared (a view, the seed, an array handed to two leaves, a
    user's `gradient=`) has more references and is copied."""
    if g.__class__ is not _np.ndarray:
        # a CuPy array: on a GPU the copy is one more kernel launch per parameter and step
        if g.__class__ is not _device_array_class() or g.base is not None:
            return False
        if _refcount(g) != _OWNED_REFS:
            return False
        return g.flags.c_contiguous
    if g.base is not None:
        return False
    # counted first: the flags object below holds a reference to the array
    if _refcount(g) != _OWNED_REFS:
        return False
    flags = g.flags
    return flags.writeable and flags.c_contiguous


_DEVICE_ARRAY = []


def _device_array_class():
    """cupy.ndarray, or None without CuPy (looked up once, at the first non-NumPy gradient)."""
    if not _DEVICE_ARRAY:
        from .._device import cupy_module

        cp = cupy_module()
        _DEVICE_ARRAY.append(None if cp is None else cp.ndarray)
    return _DEVICE_ARRAY[0]


def node_ones(arr):
    """The implicit gradient of a one-element output: ones of its shape and dtype."""
    if arr.__class__ is _np.ndarray:
        if not arr.ndim:
            # a scalar loss: one shared read-only 1 per dtype (rules never write into g)
            one = _ONES.get(arr.dtype)
            if one is None:
                one = _ONES[arr.dtype] = _np.ones((), dtype=arr.dtype)
                one.flags.writeable = False
            return one
        return _np.ones(arr.shape, dtype=arr.dtype)
    import cupy

    if not arr.ndim:
        # as above, one shared 1 per device and dtype: on a GPU each new one is a launch
        key = (arr.device.id, arr.dtype)
        one = _ONES.get(key)
        if one is None:
            with arr.device:
                one = _ONES[key] = cupy.ones((), dtype=arr.dtype)
        return one
    return cupy.ones(arr.shape, dtype=arr.dtype)


_ONES = {}


def _seed(roots, grads, create_graph):
    """Gradient buffers of the root nodes; roots that are leaves go straight to leaf_grads."""

    buffers = {}
    root_nodes = []
    leaf_grads = {}
    leaf_objs = {}
    for i, (t, g) in enumerate(zip(roots, grads)):
        if create_graph and not hasattr(g, "_data"):
            g = wrap_array(g, t._device)
        node = t._node
        if node is None:
            if not t._rg:
                raise RuntimeError(
                    f"element {i} of tensors does not require grad and does not have a grad_fn"
                )
            k = id(t)
            old = leaf_grads.get(k)
            leaf_grads[k] = g if old is None else old + g
            leaf_objs[k] = t
            continue
        k = id(node)
        old = buffers.get(k)
        if old is None:
            buffers[k] = g
            root_nodes.append(node)
        else:
            buffers[k] = old + g
    return buffers, root_nodes, leaf_grads, leaf_objs


def _is_leaf_class(cls, cache={}):
    # graph entries are Nodes or leaf Tensors; remember the answer per class (hot loop)
    leaf = cache.get(cls)
    if leaf is None:

        leaf = cache[cls] = issubclass(cls, Tensor)
    return leaf


_LEAF_CLASSES = {}


def _run_all(root_nodes, buffers, leaf_grads, leaf_objs, retain_graph, create_graph):
    """Plain backward: run every reachable node once all gradients into it have arrived.

    A node's inputs are recorded before it, so its number (`seq`) is higher than theirs:
    running pending nodes from the highest number down runs a node only after every node
    that sends it a gradient, with no pass over the graph to count dependencies first.
    `heap` holds the pending nodes (by -seq) and `buffers` their partial sums, keyed by id.
    When nothing else is pending and a node sends gradients to one other node, that node
    runs next straight away: a chain touches neither.
    """
    heap = []
    for n in root_nodes:
        heappush(heap, (-n.seq, n))
    if not heap:
        # every root was a leaf
        return
    node = heappop(heap)[1]
    g = buffers.pop(id(node))
    leaf_classes = _LEAF_CLASSES
    # anomaly mode's NaN check: one flag read per backward, a local test per node
    nan_check = GRAD.anomaly and _nan_check_enabled()
    while True:
        grads_in = None
        if node.__dict__:
            # hooks, retained grads, saved values or params live in the node's dict
            if g is not None:
                if node.hooks:
                    g = _pre_hooks(node, g, create_graph)
                if node.retain is not None:
                    _retain(node, g, create_graph)
                grads_in = node.run(g, create_graph)
                if node._post_hooks:
                    grads_in = _post_hooks(node, grads_in, g, create_graph)
            if not retain_graph:
                node.release()
        elif g is not None:
            grads_in = node.run(g, create_graph)
            if node.need is NEED_SCALAR and not retain_graph:
                # tensor * constant: torch saved the constant, a second backward must fail
                node.op = freed_op(node.op)
        if nan_check and grads_in is not None:
            _check_nan(node, grads_in)
        metas = node.metas
        # the one node this node's gradients go to, while no other node is pending
        single = None
        sg = None
        i = -1
        for p in node.next:
            i += 1
            if p is None:
                continue
            gi = None
            if grads_in is not None:
                gi = grads_in[i]
                if gi is not None:
                    m = metas[i]
                    # a gradient of the input's shape and dtype needs no fixing
                    if m is not None and (gi.shape != m.shape or gi.dtype is not m.dtype):
                        gi = _validate(node, i, gi, create_graph)
            cls = p.__class__
            if cls is not Node:
                leaf = leaf_classes.get(cls)
                if leaf is None:
                    leaf = leaf_classes[cls] = _is_leaf_class(cls)
                if leaf:
                    if gi is not None:
                        pk = id(p)
                        old = leaf_grads.get(pk)
                        leaf_grads[pk] = gi if old is None else old + gi
                        leaf_objs[pk] = p
                    continue
            if p is single:
                # two inputs of this node come from the same node (x * x)
                if gi is not None:
                    sg = gi if sg is None else sg + gi
                continue
            pk = id(p)
            if pk in buffers:
                # already pending: add to its sum
                if gi is not None:
                    old = buffers[pk]
                    buffers[pk] = gi if old is None else old + gi
                continue
            if single is None and not heap:
                single = p
                sg = gi
                continue
            if single is not None:
                buffers[id(single)] = sg
                heappush(heap, (-single.seq, single))
                single = None
            buffers[pk] = gi
            heappush(heap, (-p.seq, p))
        if single is not None:
            if not heap:
                node = single
                g = sg
                continue
            buffers[id(single)] = sg
            heappush(heap, (-single.seq, single))
        if not heap:
            return
        node = heappop(heap)[1]
        g = buffers.pop(id(node))


def _run_inputs(root_nodes, buffers, leaf_grads, leaf_objs, inputs, retain_graph, create_graph):
    """Backward restricted to the nodes that lead to `inputs`; returns their gradients."""
    capture = {}
    for i, t in enumerate(inputs):
        key = id(t._node) if t._node is not None else id(t)
        capture.setdefault(key, []).append(i)
    results = [None] * len(inputs)
    run, deps = _prune(root_nodes, capture)
    nan_check = GRAD.anomaly and _nan_check_enabled()
    ready = [n for n in root_nodes if id(n) not in deps and (id(n) in run or id(n) in capture)]
    while ready:
        node = ready.pop()
        k = id(node)
        g = buffers.pop(k, None)
        if g is not None:
            if node.hooks:
                g = _pre_hooks(node, g, create_graph)
            if node.retain is not None:
                _retain(node, g, create_graph)
            for i in capture.get(k, ()):
                results[i] = g
        if k not in run:
            continue
        grads_in = None
        if g is not None:
            grads_in = node.run(g, create_graph)
            if node._post_hooks:
                grads_in = _post_hooks(node, grads_in, g, create_graph)
            if nan_check:
                _check_nan(node, grads_in)
        if not retain_graph:
            node.release()
        for i, p in enumerate(node.next):
            if p is None:
                continue
            pk = id(p)
            leaf = hasattr(p, "_data")
            if leaf:
                if pk not in capture:
                    continue
            elif pk not in run and pk not in capture:
                continue
            if grads_in is not None:
                gi = grads_in[i]
                if gi is not None:
                    gi = _validate(node, i, gi, create_graph)
                    acc = leaf_grads if leaf else buffers
                    old = acc.get(pk)
                    acc[pk] = gi if old is None else old + gi
                    if leaf:
                        leaf_objs[pk] = p
            if not leaf:
                left = deps[pk] - 1
                deps[pk] = left
                if left == 0:
                    ready.append(p)
    for pk, g in leaf_grads.items():
        idx = capture.get(pk)
        if idx is not None:
            g = _leaf_hooks(leaf_objs[pk], g, create_graph)
            for i in idx:
                results[i] = g
    return results


def _prune(roots, capture):
    """Nodes that must run to reach a captured entry, and the edge counts among them."""
    order = []  # depth-first post-order: every node after all nodes below it
    seen = set()
    for r in roots:
        if id(r) in seen:
            continue
        seen.add(id(r))
        stack = [(r, iter(r.next))]
        while stack:
            node, it = stack[-1]
            for p in it:
                if p is not None and id(p) not in seen and not hasattr(p, "_data"):
                    seen.add(id(p))
                    stack.append((p, iter(p.next)))
                    break
            else:
                stack.pop()
                order.append(node)
    run = set()
    for node in order:
        for p in node.next:
            if p is not None and (id(p) in capture or id(p) in run):
                run.add(id(node))
                break
    deps = {}
    for node in order:
        if id(node) not in run:
            continue
        for p in node.next:
            if p is None or hasattr(p, "_data"):
                continue
            pk = id(p)
            if pk in run or pk in capture:
                deps[pk] = deps.get(pk, 0) + 1
    return run, deps


def _grad_results(inputs, results, allow_unused, create_graph):

    out = []
    for i, (t, g) in enumerate(zip(inputs, results)):
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
            out.append(None)
        elif create_graph:
            out.append(g)
        elif g.__class__ is RowGrad:
            out.append(g.to_tensor(t._device))
        else:
            if isinstance(g, _np.generic):
                # a NumPy scalar from a rule on 0-d arrays
                g = _np.array(g)
            if g.dtype != t._data.dtype:
                g = g.astype(t._data.dtype)
            elif not _writeable(g):
                # a broadcast view from a rule: give the user an array of their own
                g = g.copy()
            out.append(_new_tensor(g, t._dtype, t._device))
    return tuple(out)


# ---------------------------------------------------------------- gradient checks
def _sum_to(g, shape):
    from .._ops._namespace import ANS, TNS

    if hasattr(g, "_data"):
        return TNS.sum_to(g, shape)
    return ANS.sum_to(g, shape)


def _expandable(src, dst):
    # can a tensor of shape dst be broadcast to src (so src can be summed back to dst)?
    if len(dst) > len(src):
        return False
    for a, b in zip(reversed(src), reversed(dst)):
        if b != 1 and a != b:
            return False
    return True


def _validate(node, i, gi, create_graph):
    m = node.metas[i]
    if m is None:
        # the input had the output's shape and dtype, and rules keep g's shape
        return gi
    shape = m.shape
    np_dtype = m.dtype
    if gi.shape != shape:
        if not _expandable(tuple(gi.shape), tuple(shape)):
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {i} - got "
                f"{list(gi.shape)} but expected shape compatible with {list(shape)}"
            )
        gi = _sum_to(gi, shape)
    if create_graph:
        if gi._data.dtype != np_dtype:
            if gi._data.dtype.kind == "c" and _np.dtype(np_dtype).kind != "c":
                gi = gi.real
            gi = gi.to(_dt(np_dtype))
    elif gi.dtype != np_dtype:
        if gi.dtype.kind == "c" and _np.dtype(np_dtype).kind != "c":
            # a real input's gradient is the real part (without NumPy's ComplexWarning)
            gi = gi.real
        gi = gi.astype(np_dtype)
    return gi


def _dt(np_dtype):
    from .._dtype import from_numpy_dtype

    return from_numpy_dtype(np_dtype)


# ---------------------------------------------------------------- hooks and leaves
def _pre_hooks(node, g, create_graph):
    """Tensor hooks and node pre-hooks: each may replace the gradient."""
    if g.__class__ is OutputGrads:
        for h in tuple(node.hooks):
            r = h(g)
            if r is not None:
                g = r
        return g

    for h in tuple(node.hooks):
        if create_graph:
            r = h(g)
            if r is not None:
                _check_hook_result(h, g, r)
                g = r
        else:
            r = h(wrap_array(g))
            if r is not None:
                _check_hook_result(h, g, r)
                g = r._data
    return g


def _check_hook_result(hook, old, new):
    """PyTorch's checks on a tensor hook's replacement gradient (python_hook.cpp)."""
    name = getattr(hook, "__name__", "<unknown>")
    if not isinstance(new, Tensor):
        raise TypeError(f"expected Tensor or None (got {type(new).__name__})")
    old_t = old if isinstance(old, Tensor) else wrap_array(old)
    if new._data.dtype != old_t._data.dtype or new._device != old_t._device:
        raise RuntimeError(
            f"hook '{name}' has changed the type of value (was {old_t.type()} got "
            f"{new.type()})"
        )
    if tuple(new._data.shape) != tuple(old_t._data.shape):
        raise RuntimeError(f"hook '{name}' has changed the size of value")


def _nan_check_enabled():
    from .grad_mode import _anomaly_state

    return _anomaly_state()[1]


def _check_nan(node, grads_in):
    """Anomaly mode: PyTorch's error when a node returns NaN in one of its gradients."""
    from .._device import device_of_array

    for i, gi in enumerate(grads_in):
        if gi is None:
            continue
        arr = gi._data if hasattr(gi, "_data") else gi
        if device_of_array(arr).xp.isnan(arr).any():
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")


def _post_hooks(node, grads_in, g, create_graph):
    """Node hooks fn(grad_inputs, grad_outputs); each may replace grad_inputs."""

    grads_out = tuple(g.grads) if g.__class__ is OutputGrads else (g,)
    if not create_graph:
        grads_in = tuple(None if x is None else wrap_array(x) for x in grads_in)
        grads_out = tuple(None if x is None else wrap_array(x) for x in grads_out)
    for h in tuple(node._post_hooks):
        r = h(grads_in, grads_out)
        if r is not None:
            grads_in = tuple(r)
    if create_graph:
        return grads_in
    return tuple(None if x is None else x._data for x in grads_in)


def _retain(node, g, create_graph):
    """`.grad` of a non-leaf that called retain_grad()."""
    t = node.retain()
    if t is None:
        return
    if create_graph:
        t.grad = g if t.grad is None else t.grad + g
        return

    old = t.grad
    arr = g.copy() if old is None else old._data + g
    if isinstance(arr, _np.generic):
        # a NumPy scalar from a rule on 0-d arrays: `.grad` holds an array, as every tensor does
        arr = _np.array(arr)
    t.grad = _new_tensor(arr, t._dtype, t._device)


def _leaf_hooks(t, g, create_graph):
    hooks = t._hooks
    if not hooks:
        return g
    if g.__class__ is RowGrad:
        return _sparse_leaf_hooks(t, g)

    for h in tuple(hooks):
        if create_graph:
            r = h(g)
            if r is not None:
                _check_hook_result(h, g, r)
                g = r
        else:
            r = h(wrap_array(g, t._device))
            if r is not None:
                _check_hook_result(h, wrap_array(g, t._device), r)
                g = r._data
    return g


def _sparse_leaf_hooks(t, g):
    """Tensor hooks on a leaf whose gradient is sparse: they see (and may replace) it as a
    sparse tensor."""
    from .._sparse_grad import from_tensor

    for h in tuple(t._hooks):
        r = h(g.to_tensor(t._device))
        if r is not None:
            g = from_tensor(r, t) if r.is_sparse else r._data
    return g


def _differentiable_copy(g, leaf):
    """A copy of `g` that keeps its graph (CopyBackwards), as PyTorch's AccumulateGrad stores
    under create_graph: a rule may hand one gradient tensor to several leaves (x + y). Its
    strides are the leaf's when the leaf is dense (torch's gradient layout contract)."""
    from .._creation import empty_like
    from .._memory_format import empty_strided_like, is_dense
    from .grad_mode import enable_grad

    ld = leaf._data
    with enable_grad():
        if g.shape == leaf.shape and is_dense(ld):
            dst = _new_tensor(empty_strided_like(ld, g._data.dtype), g._dtype, g._device)
            return dst.copy_(g)
        return empty_like(g).contiguous().copy_(g)


def _writeable(a):
    flags = getattr(a, "flags", None)
    return flags is None or getattr(flags, "writeable", True)


def _accumulate(t, g, create_graph, owned=False):
    """Add `g` into `t.grad` (a new tensor the first time; in place after, as PyTorch does).
    `owned`: g is an array nobody else holds, which may become the new `.grad` as it is."""
    if create_graph:
        if not hasattr(g, "_data"):

            g = wrap_array(g, t._device)
        old = t.grad
        t.grad = _differentiable_copy(g, t) if old is None else old + g
        return
    if g.__class__ is not _np.ndarray:
        if g.__class__ is RowGrad:
            # a sparse gradient (Embedding(sparse=True))
            return _accumulate_rows(t, g)
        if hasattr(g, "_data"):
            g = g._data
        if isinstance(g, _np.generic):
            # a NumPy scalar from a rule on 0-d arrays: `.grad` holds an array, as every
            # tensor does
            g = _np.array(g)
    # `.grad` lives in the instance dict (see Tensor.grad); the gradient has the leaf's shape
    # (the engine checked it against the input's Meta), so the property's checks are skipped
    d = t.__dict__
    old = d.get("_grad")
    if old is None:
        td = t._data
        if not (td.flags.c_contiguous and g.flags.c_contiguous) and g.shape == td.shape:
            # a leaf or gradient not in C order (channels-last, transposed): torch's layout
            # contract decides the strides of `.grad` (two C-ordered arrays need nothing:
            # grad_layout would say so, after costlier checks)
            arr = grad_layout(g, td, owned)
            if arr is not None:
                d["_grad"] = _new_tensor(arr, t._dtype, t._device)
                return
        if owned and g.dtype == td.dtype and g.shape == td.shape:
            d["_grad"] = _new_tensor(g, t._dtype, t._device)
            return
        # a copy: rules may hand the same array to several inputs, or a read-only broadcast
        arr = g.astype(td.dtype) if g.dtype != td.dtype else g.copy()
        d["_grad"] = _new_tensor(arr, t._dtype, t._device)
        return
    if old.__class__ is not Tensor and old.is_sparse:
        # a dense gradient onto a sparse `.grad`: torch stores new_grad + grad, dense
        t.grad = _new_tensor(g, t._dtype, t._device) + old
        return
    od = old._data
    if od.shape == g.shape and (od.flags.writeable if od.__class__ is _np.ndarray
                                else _writeable(od)):
        od += g
        v = old._vc
        if v is not None:
            v[0] += 1
    else:
        old._data = od + g


__all__ = ["backward", "Node"]


def _bind_tensor():
    """Resolve the Tensor names once ember is imported (a module-level import would cycle);
    hot functions then read module globals instead of running an import statement per call."""
    global Tensor, wrap_array, _new_tensor, _post_acc, grad_layout
    from .._memory_format import grad_layout
    from .._tensor import Tensor, wrap_array, _new_tensor
    from .._api_gaps import run_post_accumulate_grad_hooks as _post_acc
