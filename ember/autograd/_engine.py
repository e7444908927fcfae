"""The backward engine: iterative, dependency-counted, no recursion.

Normal backward passes raw arrays between nodes (fast); `create_graph=True` passes Tensors and
runs every rule through ember's own differentiable ops, so the gradient has a graph too.
"""

from .grad_mode import GRAD
from ._node import Node


def _graph_order(roots):
    """Count, for every node reachable from `roots`, how many edges point at it."""
    deps = {}
    seen = set()
    stack = [n for n in roots if n.__class__ is not _LeafMarker]
    for n in stack:
        seen.add(id(n))
    while stack:
        node = stack.pop()
        for p in node.next:
            if p is None:
                continue
            k = id(p)
            deps[k] = deps.get(k, 0) + 1
            if k not in seen and not _is_leaf(p):
                seen.add(k)
                stack.append(p)
    return deps


class _LeafMarker:
    pass


def _is_leaf(p):
    # graph entries are Nodes (or custom-Function nodes) or leaf Tensors
    return hasattr(p, "_data")


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
    shape = m.shape
    np_dtype = m.dtype
    if gi.shape != shape:
        if not _expandable(tuple(gi.shape), tuple(shape)):
            raise RuntimeError(
                f"Function {node.op.grad_name} returned an invalid gradient at index {i} - got "
                f"{list(gi.shape)} but expected shape compatible with {list(shape)}"
            )
        gi = _sum_to(gi, shape)
    if create_graph:
        if gi._data.dtype != np_dtype:
            gi = gi.to(_dt(np_dtype))
    elif gi.dtype != np_dtype:
        gi = gi.astype(np_dtype)
    return gi


def _dt(np_dtype):
    from .._dtype import from_numpy_dtype

    return from_numpy_dtype(np_dtype)


def _add(a, b):
    return a + b


def _accumulate_leaf(t, g, create_graph):
    from .._tensor import wrap_array

    if t._hooks:
        for h in t._hooks:
            r = h(g if create_graph else wrap_array(g))
            if r is not None:
                g = r if create_graph else r._data
    if create_graph:
        if t.grad is None:
            t.grad = g
        else:
            t.grad = t.grad + g
        return
    old = t.grad
    if old is None:
        xp_copy = g.copy() if hasattr(g, "copy") else g
        arr = xp_copy
        if arr.__class__ is not t._data.__class__:
            import numpy as np

            arr = np.asarray(arr)
        if arr.dtype != t._data.dtype:
            arr = arr.astype(t._data.dtype)
        t.grad = wrap_array(arr, t._device)
    else:
        od = old._data
        if od.shape == g.shape and od.flags.writeable if hasattr(od, "flags") else True:
            od += g
            if old._version is not None:
                old._version[0] += 1
        else:
            old._data = od + g


def backward(roots, grads, retain_graph=False, create_graph=False, inputs=None, allow_unused=False):
    """Run backward from `roots` (Tensors) with output gradients `grads` (arrays or Tensors).

    With `inputs`, return the gradients of those Tensors instead of accumulating into leaves.
    """
    from .._tensor import wrap_array

    prev = GRAD.enabled
    GRAD.enabled = bool(create_graph)
    try:
        return _run(roots, grads, retain_graph, create_graph, inputs, allow_unused, wrap_array)
    finally:
        GRAD.enabled = prev


def _run(roots, grads, retain_graph, create_graph, inputs, allow_unused, wrap_array):
    buffers = {}
    root_nodes = []
    leaf_roots = []
    for t, g in zip(roots, grads):
        if create_graph and not hasattr(g, "_data"):
            g = wrap_array(g, t._device)
        node = t._node
        if node is None:
            if not t._rg:
                raise RuntimeError(
                    "element 0 of tensors does not require grad and does not have a grad_fn"
                )
            leaf_roots.append((t, g))
            continue
        k = id(node)
        if k in buffers:
            buffers[k] = buffers[k] + g
        else:
            buffers[k] = g
            root_nodes.append(node)
    deps = _graph_order(root_nodes)

    # what autograd.grad captures: leaves by tensor identity, non-leaves by their node
    capture = None
    results = None
    if inputs is not None:
        capture = {}
        results = [None] * len(inputs)
        for i, t in enumerate(inputs):
            key = id(t._node) if t._node is not None else id(t)
            capture.setdefault(key, []).append(i)
        for t, g in leaf_roots:
            if id(t) in capture:
                for i in capture[id(t)]:
                    results[i] = g
    else:
        for t, g in leaf_roots:
            _accumulate_leaf(t, g, create_graph)

    leaf_grads = {}
    leaf_objs = {}
    ready = [n for n in root_nodes if deps.get(id(n), 0) == 0]
    while ready:
        node = ready.pop()
        k = id(node)
        g = buffers.pop(k, None)
        if node.hooks:
            for h in node.hooks:
                r = h(g if create_graph else wrap_array(g))
                if r is not None:
                    g = r if create_graph else r._data
        if node.retain is not None:
            t = node.retain()
            if t is not None:
                if create_graph:
                    t.grad = g if t.grad is None else t.grad + g
                elif t.grad is None:
                    t.grad = wrap_array(g.copy(), t._device)
                else:
                    t.grad = wrap_array(t.grad._data + g, t._device)
        if capture is not None and k in capture:
            for i in capture[k]:
                results[i] = g
        if g is None:
            grads_in = (None,) * len(node.next)
        else:
            grads_in = node.run(g, create_graph)
            if node._post_hooks:
                for h in node._post_hooks:
                    r = h(grads_in, (g,))
                    if r is not None:
                        grads_in = r
        if not retain_graph:
            node.release()
        for i, p in enumerate(node.next):
            if p is None:
                continue
            gi = grads_in[i]
            pk = id(p)
            if gi is not None:
                gi = _validate(node, i, gi, create_graph)
                if _is_leaf(p):
                    old = leaf_grads.get(pk)
                    leaf_grads[pk] = gi if old is None else old + gi
                    leaf_objs[pk] = p
                else:
                    old = buffers.get(pk)
                    buffers[pk] = gi if old is None else old + gi
            left = deps[pk] - 1
            deps[pk] = left
            if left == 0 and not _is_leaf(p):
                ready.append(p)
    for pk, g in leaf_grads.items():
        t = leaf_objs[pk]
        if capture is not None:
            if pk in capture:
                if t._hooks:
                    for h in t._hooks:
                        r = h(g if create_graph else wrap_array(g))
                        if r is not None:
                            g = r if create_graph else r._data
                for i in capture[pk]:
                    results[i] = g
        else:
            _accumulate_leaf(t, g, create_graph)
    if capture is None:
        return None
    out = []
    for i, t in enumerate(inputs):
        g = results[i]
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior."
                )
            out.append(None)
        elif create_graph:
            out.append(g)
        else:
            out.append(wrap_array(g, t._device))
    return tuple(out)


__all__ = ["backward", "Node"]
