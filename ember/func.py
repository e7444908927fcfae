"""torch.func: function transforms (grad, vmap, jacrev, ...) and functional_call.

PyTorch implements these with dispatcher-level batching and "levels" of wrapped tensors.
ember builds them on what it has: `grad`/`jacrev`/`vjp` run the function on fresh inputs and
call reverse-mode autograd; `vmap` runs the function once per batch element and stacks the
results. The results are the same; `vmap` is as slow as the Python loop it replaces.
Nesting works (`grad(grad(f))`, `vmap(grad(f))`): an inner transform keeps its graph
(`create_graph`) whenever its inputs are still being differentiated by an outer one.
"""

import contextlib

from . import _creation, _random
from ._tensor import Tensor
from .autograd import grad as _autograd_grad
from .autograd import grad_mode

__all__ = [
    "functional_call",
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "linearize",
    "stack_module_state",
    "vjp",
    "vmap",
]


# ---------------------------------------------------------------- small pytrees
def _flatten(tree):
    """Leaves of a nest of tuples, lists and dicts, and a function that rebuilds it."""
    if isinstance(tree, (tuple, list)):
        parts = [_flatten(x) for x in tree]
        leaves = [leaf for p in parts for leaf in p[0]]
        kind = type(tree)

        def rebuild(values):
            out = []
            i = 0
            for p in parts:
                n = len(p[0])
                out.append(p[1](values[i:i + n]))
                i += n
            if kind is tuple or kind is list:
                return kind(out)
            return kind(*out)  # a namedtuple

        return leaves, rebuild
    if isinstance(tree, dict):
        keys = list(tree)
        values_leaves, rebuild_values = _flatten([tree[k] for k in keys])
        kind = type(tree)

        def rebuild(values):
            items = rebuild_values(values)
            out = kind() if kind is not dict else {}
            for k, v in zip(keys, items):
                out[k] = v
            return out

        return values_leaves, rebuild
    return [tree], lambda values: values[0]


def _tree_map(fn, tree):
    leaves, rebuild = _flatten(tree)
    return rebuild([fn(x) for x in leaves])


def _detached(x):
    return x.detach() if isinstance(x, Tensor) else x


# ---------------------------------------------------------------- functional_call
@contextlib.contextmanager
def _swapped(module, tensors, strict):
    saved = []
    names = dict(module.named_parameters(remove_duplicate=False))
    names.update(dict(module.named_buffers(remove_duplicate=False)))
    if strict:
        missing = sorted(set(names) - set(tensors))
        unexpected = sorted(set(tensors) - set(names))
        if missing or unexpected:
            raise RuntimeError(
                "Error(s) in reparametrizing for {}:\n\tUnexpected key(s): {}.\n\tMissing key(s): "
                "{}.".format(type(module).__name__, ", ".join(map(repr, unexpected)),
                             ", ".join(map(repr, missing)))
            )
    try:
        for name, value in tensors.items():
            owner = module
            *path, leaf = name.split(".")
            for part in path:
                owner = getattr(owner, part)
            if leaf in owner._parameters:
                store = owner._parameters
            elif leaf in owner._buffers:
                store = owner._buffers
            else:
                # an attribute that is neither: set it plainly, as torch does
                saved.append((owner.__dict__, leaf, owner.__dict__.get(leaf, _MISSING)))
                owner.__dict__[leaf] = value
                continue
            saved.append((store, leaf, store[leaf]))
            # a plain tensor in the registry: forward reads it like the parameter it replaces
            store[leaf] = value
        yield
    finally:
        for store, leaf, old in reversed(saved):
            if old is _MISSING:
                del store[leaf]
            else:
                store[leaf] = old


_MISSING = object()


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """Mirrors `torch.func.functional_call`: run `module` with the given tensors in place of
    its parameters and buffers (the module itself is left unchanged)."""
    if isinstance(parameter_and_buffer_dicts, dict):
        tensors = dict(parameter_and_buffer_dicts)
    else:
        tensors = {}
        for d in parameter_and_buffer_dicts:
            for k in d:
                if k in tensors:
                    raise ValueError(f"{k} appeared in multiple dictionaries; behavior of "
                                     "functional call is ambiguous")
            tensors.update(d)
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    with _swapped(module, tensors, strict):
        return module(*args, **(kwargs or {}))


# ---------------------------------------------------------------- reverse mode
# how many differentiating transforms are running their function right now: inside one, an
# inner transform keeps its graph even when its own inputs are fresh, because its function may
# close over the outer transform's inputs
_depth = [0]


@contextlib.contextmanager
def _level():
    _depth[0] += 1
    try:
        with grad_mode.enable_grad():
            yield
    finally:
        _depth[0] -= 1


def _prepare(x):
    """A fresh input to differentiate: a view when an outer transform differentiates it
    (so the graph stays connected), a new leaf otherwise."""
    if not isinstance(x, Tensor):
        raise RuntimeError(f"grad(f)(*args): Expected args[argnums] to be Tensors, got {type(x)}")
    if x.requires_grad:
        return x.view_as(x), True
    return x.detach().requires_grad_(True), False


def _argnums_tuple(argnums, nargs):
    if isinstance(argnums, int):
        nums = (argnums,)
    else:
        nums = tuple(argnums)
    for n in nums:
        if not -nargs <= n < nargs:
            raise RuntimeError(f"Got argnums={argnums} but only {nargs} positional inputs")
    return tuple(n % nargs for n in nums)


def _grad_and_value(func, argnums, has_aux, args, kwargs):
    nums = _argnums_tuple(argnums, len(args))
    args = list(args)
    inputs = []
    rebuilds = []
    nested = _depth[0] > 0
    for n in nums:
        leaves, rebuild = _flatten(args[n])
        fresh = []
        for leaf in leaves:
            t, outer = _prepare(leaf)
            nested = nested or outer
            fresh.append(t)
        args[n] = rebuild(fresh)
        inputs.append(fresh)
        rebuilds.append(rebuild)
    with _level():
        out = func(*args, **kwargs)
    with grad_mode.enable_grad():
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError("grad_and_value(f)(*args): output of function f should be a "
                                   "tuple: (output, aux) if has_aux is True")
            out, aux = out
        if not isinstance(out, Tensor):
            raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a Tensor, "
                               f"got {type(out)}")
        if out.dim() != 0:
            raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar "
                               f"Tensor, got tensor with {out.dim()} dims. Maybe you wanted to "
                               "use the vjp or jacrev APIs instead?")
        flat = [t for group in inputs for t in group]
        if out.requires_grad:
            grads = _autograd_grad(out, flat, create_graph=nested, allow_unused=True)
        else:
            grads = [None] * len(flat)
    grads = [_creation.zeros_like(t) if g is None else g for g, t in zip(grads, flat)]
    if not nested:
        grads = [g.detach() for g in grads]
        out = out.detach()
        aux = _tree_map(_detached, aux)
    results = []
    i = 0
    for group, rebuild in zip(inputs, rebuilds):
        results.append(rebuild(grads[i:i + len(group)]))
        i += len(group)
    g = results[0] if isinstance(argnums, int) else tuple(results)
    return g, (out, aux) if has_aux else out


def grad_and_value(func, argnums=0, has_aux=False):
    """Mirrors `torch.func.grad_and_value`."""

    def wrapper(*args, **kwargs):
        g, value = _grad_and_value(func, argnums, has_aux, args, kwargs)
        if has_aux:
            out, aux = value
            return g, (out, aux)
        return g, value

    return wrapper


def grad(func, argnums=0, has_aux=False):
    """Mirrors `torch.func.grad`: the gradient of a scalar function with respect to
    `args[argnums]` (a tensor or a nest of tensors such as a parameter dict)."""

    def wrapper(*args, **kwargs):
        g, value = _grad_and_value(func, argnums, has_aux, args, kwargs)
        if has_aux:
            return g, value[1]
        return g

    return wrapper


def vjp(func, *primals, has_aux=False):
    """Mirrors `torch.func.vjp`: (func(*primals), vjp_fn[, aux])."""
    fresh = []
    nested = _depth[0] > 0
    prepared = []
    for p in primals:
        leaves, rebuild = _flatten(p)
        new = []
        for leaf in leaves:
            t, outer = _prepare(leaf)
            nested = nested or outer
            new.append(t)
        fresh.extend(new)
        prepared.append(rebuild(new))
    with _level():
        out = func(*prepared)
        aux = None
        if has_aux:
            out, aux = out
    out_leaves, _ = _flatten(out)

    def vjp_fn(cotangents):
        ct_leaves, _ = _flatten(cotangents)
        pairs = [(o, c) for o, c in zip(out_leaves, ct_leaves) if o.requires_grad]
        if pairs:
            grads = _autograd_grad([o for o, _ in pairs], fresh, [c for _, c in pairs],
                                   retain_graph=True, create_graph=nested, allow_unused=True)
        else:
            grads = [None] * len(fresh)
        grads = [_creation.zeros_like(t) if g is None else g for g, t in zip(grads, fresh)]
        if not nested:
            grads = [g.detach() for g in grads]
        results = []
        i = 0
        for p in primals:
            n = len(_flatten(p)[0])
            results.append(_flatten(p)[1](grads[i:i + n]))
            i += n
        return tuple(results)

    shown = out if nested else _tree_map(_detached, out)
    if has_aux:
        return shown, vjp_fn, aux if nested else _tree_map(_detached, aux)
    return shown, vjp_fn


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    """Mirrors `torch.func.jacrev`: one reverse pass per output element. `args[argnums]` may
    be nests of tensors (a parameter dict): each output leaf then maps to that nest."""

    def wrapper(*args):
        nums = _argnums_tuple(argnums, len(args))
        args = list(args)
        fresh = []
        groups = []
        nested = _depth[0] > 0
        for n in nums:
            leaves, rebuild = _flatten(args[n])
            new = []
            for leaf in leaves:
                if not isinstance(leaf, Tensor):
                    raise RuntimeError("jacrev(f, ...)(*args): Expected args[argnums] to be "
                                       f"Tensors, got {type(leaf)}")
                t, outer = _prepare(leaf)
                nested = nested or outer
                new.append(t)
            args[n] = rebuild(new)
            fresh.extend(new)
            groups.append((len(new), rebuild))
        with _level():
            out = func(*args)
            aux = None
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise RuntimeError("jacrev(f, ...)(*args): output of function f should be "
                                       "a tuple: (output, aux) if has_aux is True")
                out, aux = out
        out_leaves, rebuild_out = _flatten(out)
        jac_leaves = []
        for o in out_leaves:
            if not isinstance(o, Tensor):
                raise RuntimeError("jacrev(f, ...)(*args): Expected f(*args) to return only "
                                   f"tensors, got unsupported type {type(o)}")
            flat_o = o.reshape(-1)
            rows = [[] for _ in fresh]
            for i in range(flat_o.shape[0]):
                if o.requires_grad:
                    gs = _autograd_grad(flat_o[i], fresh, retain_graph=True,
                                        create_graph=nested, allow_unused=True)
                else:
                    gs = [None] * len(fresh)
                for k, (g, t) in enumerate(zip(gs, fresh)):
                    rows[k].append(_creation.zeros_like(t) if g is None else g)
            per_input = []
            for k, t in enumerate(fresh):
                if rows[k]:
                    j = _stack(rows[k]).reshape(tuple(o.shape) + tuple(t.shape))
                else:
                    j = _creation.zeros(tuple(o.shape) + tuple(t.shape), dtype=t.dtype)
                per_input.append(j if nested else j.detach())
            parts = []
            i = 0
            for n, rebuild in groups:
                parts.append(rebuild(per_input[i:i + n]))
                i += n
            jac_leaves.append(parts[0] if isinstance(argnums, int) else tuple(parts))
        jac = rebuild_out(jac_leaves)
        if has_aux:
            return jac, aux if nested else _tree_map(_detached, aux)
        return jac

    return wrapper


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """Mirrors `torch.func.jacfwd` (computed in reverse mode: the values are the same)."""
    return jacrev(func, argnums, has_aux=has_aux)


def hessian(func, argnums=0):
    """Mirrors `torch.func.hessian`."""
    return jacfwd(jacrev(func, argnums), argnums)


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """Mirrors `torch.func.jvp`, by the double-vjp trick: (func(*primals), J @ tangents).
    Primals and tangents are tuples of tensors or of nests of tensors (parameter dicts)."""
    if not isinstance(primals, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it "
                           "should be valid to call f(*primals).")
    if not isinstance(tangents, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected tangents to be a tuple. E.g. "
                           "it should be valid to call f(*primals).")
    p_leaves, p_rebuild = _flatten(primals)
    t_leaves, _ = _flatten(tangents)
    if len(p_leaves) != len(t_leaves):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to have "
                           "the same python structure.")
    if len(p_leaves) == 0:
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to be a non-empty "
                           "tuple of Tensors.")
    for p, t in zip(p_leaves, t_leaves):
        if not isinstance(p, Tensor) or not isinstance(t, Tensor):
            raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to "
                               "only contain Tensors.")
        if tuple(p.shape) != tuple(t.shape):
            raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to "
                               "have the same shape, but got primal shape "
                               f"{tuple(p.shape)} and tangent shape {tuple(t.shape)}.")
    nested = _depth[0] > 0
    fresh = []
    for leaf in p_leaves:
        t, outer = _prepare(leaf)
        nested = nested or outer
        fresh.append(t)
    nested = nested or any(t.requires_grad for t in t_leaves)
    with _level():
        out = func(*p_rebuild(fresh))
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError("jvp(f, primals, tangents): output of function f should be "
                                   "a tuple: (output, aux) if has_aux is True")
            out, aux = out
    out_leaves, rebuild_out = _flatten(out)
    for o in out_leaves:
        if not isinstance(o, Tensor):
            raise RuntimeError("jvp(f, primals, tangents): Expected f(*primals) to return only "
                               f"tensors, got unsupported type {type(o)}")
    with grad_mode.enable_grad():
        diff = [o for o in out_leaves if o.requires_grad]
        res = {}
        if diff:
            # J t = d/du <J^T u, t>: J^T u is linear in u, so any u (zeros) will do
            us = [_creation.zeros_like(o).requires_grad_(True) for o in diff]
            gi = _autograd_grad(diff, fresh, us, retain_graph=True, create_graph=True,
                                allow_unused=True)
            pairs = [(g, t.to(g.dtype)) for g, t in zip(gi, t_leaves)
                     if g is not None and g.requires_grad]
            if pairs:
                jv = _autograd_grad([g for g, _ in pairs], us, [t for _, t in pairs],
                                    retain_graph=True, create_graph=nested, allow_unused=True)
                for o, j in zip(diff, jv):
                    res[id(o)] = j
    tangents_out = []
    for o in out_leaves:
        j = res.get(id(o))
        if j is None:
            j = _creation.zeros_like(o)
        tangents_out.append(j if nested else j.detach())
    shown = out if nested else _tree_map(_detached, out)
    if has_aux:
        return shown, rebuild_out(tangents_out), aux if nested else _tree_map(_detached, aux)
    return shown, rebuild_out(tangents_out)


def linearize(func, *primals):
    """Mirrors `torch.func.linearize`: (func(*primals), jvp_fn) where jvp_fn(*tangents) is the
    Jacobian of func at primals applied to the tangents (each call re-differentiates)."""
    out = func(*primals)
    shown = _tree_map(_detached, out)

    def jvp_fn(*tangents):
        p_leaves = _flatten(primals)[0]
        t_leaves = _flatten(tangents)[0]
        if len(p_leaves) != len(t_leaves):
            raise RuntimeError("linearize: expected the tangents to have the same structure as "
                               "the primals")
        return jvp(func, tuple(primals), tuple(tangents))[1]

    return shown, jvp_fn


# ---------------------------------------------------------------- vmap
def _stack(tensors, dim=0):
    from . import stack

    return stack(tensors, dim)


def _normalise_in_dims(in_dims, args):
    if isinstance(in_dims, int) or in_dims is None:
        return [_tree_map(lambda _: in_dims, a) for a in args]
    if not isinstance(in_dims, (tuple, list)) or len(in_dims) != len(args):
        raise ValueError(
            f"vmap(f, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
            f"structure of `inputs`. in_dims has structure {in_dims} but inputs has "
            f"{len(args)} elements."
        )
    out = []
    for d, a in zip(in_dims, args):
        if isinstance(d, int) or d is None:
            out.append(_tree_map(lambda _, d=d: d, a))
        else:
            out.append(d)
    return out


def _generator_states():
    """The state of every generator alive (explicit ones too: torch's "same" covers them)."""
    return [(g, g.get_state()) for g in list(_random.Generator._alive)]


def _restore_generators(states):
    for g, state in states:
        g.set_state(state)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """Mirrors `torch.func.vmap` (and `torch.vmap`): maps `func` over a dimension of its
    inputs. Runs `func` once per batch element and stacks the outputs."""
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(
            "Only allowed values for randomness are 'error', 'different', or 'same'. "
            f"Got {randomness}"
        )

    def wrapper(*args, **kwargs):
        dims = _normalise_in_dims(in_dims, args)
        flat_args = []
        flat_dims = []
        rebuilds = []
        for a, d in zip(args, dims):
            leaves, rebuild = _flatten(a)
            d_leaves, _ = _flatten(d)
            if len(d_leaves) != len(leaves):
                d_leaves = d_leaves * len(leaves) if len(d_leaves) == 1 else d_leaves
            flat_args.append(leaves)
            flat_dims.append(d_leaves)
            rebuilds.append(rebuild)
        sizes = set()
        for leaves, ds in zip(flat_args, flat_dims):
            for leaf, d in zip(leaves, ds):
                if d is not None:
                    if not isinstance(leaf, Tensor):
                        raise ValueError(
                            f"vmap(f, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for an "
                            f"input but the input is of type {type(leaf)}. We cannot vmap over "
                            "non-Tensor arguments, please use None as the respective in_dim"
                        )
                    sizes.add(leaf.shape[d])
        if not sizes:
            raise ValueError(
                f"vmap(f, in_dims={in_dims}, ...)(<inputs>): at least one input must be a "
                "Tensor mapped over a dimension (in_dims is all None)"
            )
        if len(sizes) > 1:
            raise ValueError(
                f"vmap(f, in_dims={in_dims}, ...)(<inputs>): Expected all tensors to have the "
                f"same size in the mapped dimension, got sizes {sorted(sizes)} for the mapped "
                "dimension"
            )
        (size,) = sizes
        results = []
        mode = _random.VMAP_RANDOMNESS[0]
        _random.VMAP_RANDOMNESS[0] = randomness
        # "same": every batch element draws what one unbatched call draws; the generators
        # restart from their state before the call for each element ("different" just lets
        # each element draw afresh: the values then differ from torch's batched draw)
        states = _generator_states() if randomness == "same" else None
        try:
            for i in range(size):
                if states is not None and i:
                    _restore_generators(states)
                call_args = []
                for leaves, ds, rebuild in zip(flat_args, flat_dims, rebuilds):
                    picked = [leaf if d is None else leaf.select(d, i)
                              for leaf, d in zip(leaves, ds)]
                    call_args.append(rebuild(picked))
                results.append(func(*call_args, **kwargs))
        finally:
            _random.VMAP_RANDOMNESS[0] = mode
        first_leaves, rebuild_out = _flatten(results[0])
        per_elem = [_flatten(r)[0] for r in results]
        o_dims, _ = _flatten(out_dims)
        if len(o_dims) == 1:
            o_dims = o_dims * len(first_leaves)
        stacked = []
        for k in range(len(first_leaves)):
            items = [leaves[k] for leaves in per_elem]
            items = [x if isinstance(x, Tensor) else _creation.tensor(x) for x in items]
            d = o_dims[k]
            if d is None:
                stacked.append(items[0])
            else:
                if d < 0:
                    d += items[0].dim() + 1
                stacked.append(_stack(items, d))
        return rebuild_out(stacked)

    return wrapper


# ---------------------------------------------------------------- model ensembling
def stack_module_state(models):
    """Mirrors `torch.func.stack_module_state`: (params, buffers), each stacked over models."""
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    params = {}
    for name, _ in models[0].named_parameters():
        stacked = _stack([dict(m.named_parameters())[name].detach() for m in models])
        params[name] = stacked.requires_grad_(True)
    buffers = {}
    for name, _ in models[0].named_buffers():
        buffers[name] = _stack([dict(m.named_buffers())[name] for m in models])
    return params, buffers
