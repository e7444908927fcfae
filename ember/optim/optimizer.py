"""Optimizer base class. Mirrors `torch.optim.Optimizer`.

Updates run on the parameters' raw arrays in place (no graph, no Tensor wrappers), so a step
costs what the NumPy arithmetic costs. State tensors are ember Tensors so state dicts move
between ember and PyTorch.
"""

from collections import OrderedDict, defaultdict
from copy import deepcopy
from itertools import chain

from ..autograd.grad_mode import GRAD


class _RequiredParameter:
    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


# hooks that run around every optimizer's step (torch.optim.optimizer.register_optimizer_step_*)
_global_optimizer_pre_hooks = OrderedDict()
_global_optimizer_post_hooks = OrderedDict()

_HOOK_DICTS = (
    "_optimizer_step_pre_hooks",
    "_optimizer_step_post_hooks",
    "_optimizer_state_dict_pre_hooks",
    "_optimizer_state_dict_post_hooks",
    "_optimizer_load_state_dict_pre_hooks",
    "_optimizer_load_state_dict_post_hooks",
)


def _add_hook(hooks, hook, prepend=False):
    from ..nn.modules.module import RemovableHandle

    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


def register_optimizer_step_pre_hook(hook):
    """Mirrors `torch.optim.optimizer.register_optimizer_step_pre_hook`: hook(optimizer,
    args, kwargs) before every optimizer's step."""
    return _add_hook(_global_optimizer_pre_hooks, hook)


def register_optimizer_step_post_hook(hook):
    """Mirrors `torch.optim.optimizer.register_optimizer_step_post_hook`."""
    return _add_hook(_global_optimizer_post_hooks, hook)


class Optimizer:
    """Mirrors `torch.optim.Optimizer`: param groups, state, zero_grad, state_dict, hooks."""

    def __init__(self, params, defaults):
        from .._tensor import Tensor

        self.defaults = defaults
        for name in _HOOK_DICTS:
            setattr(self, name, OrderedDict())
        self._patch_step_function()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {params.type()}"
            )
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def __repr__(self):
        s = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            s += "\n"
            s += f"Parameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    s += f"    {key}: {group[key]}\n"
        s += ")"
        return s

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in _HOOK_DICTS:
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self._patch_step_function()
        self.defaults.setdefault("differentiable", False)

    def _patch_step_function(self):
        """Like torch, wraps the class's `step` once so step hooks run around it (this is what
        makes hooks work for user-written optimizers too)."""
        cls = type(self)
        step = cls.step
        if getattr(step, "hooked", False):
            return
        import functools

        @functools.wraps(step)
        def wrapper(*args, **kwargs):
            return _call_step(step, args, kwargs, False)

        wrapper.hooked = True
        cls.step = wrapper

    def add_param_group(self, param_group):
        """Mirrors `torch.optim.Optimizer.add_param_group` (params may be (name, tensor))."""
        from .._tensor import Tensor

        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            param_group["params"] = list(params)
        tensors = []
        names = []
        for p in param_group["params"]:
            if isinstance(p, tuple):
                names.append(p[0])
                tensors.append(p[1])
            else:
                tensors.append(p)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are "
                    "missing"
                )
            param_group["param_names"] = names
        for p in param_group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    + _typename(p)
                )
            if not self.defaults.get("differentiable", None) and not (
                    p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    f"parameter group didn't specify a value of required optimization parameter "
                    f"{name}"
                )
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len({id(p) for p in params}):
            import warnings

            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for "
                "more information",
                stacklevel=3,
            )
        seen = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. "
                    f"cannot add param group {which} to the optimizer"
                )
        if any(id(p) in seen for p in param_group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Mirrors `torch.optim.Optimizer.zero_grad`."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    # (the instance-dict slot behind Tensor.grad: None needs no checks)
                    p.__dict__["_grad"] = None
                else:
                    if p.grad.grad_fn is not None:
                        p.grad.detach_()
                    else:
                        p.grad.requires_grad_(False)
                    if p.grad.is_sparse:
                        # torch empties a sparse gradient (no entries left)
                        p.grad.zero_()
                        continue
                    p.grad._data[...] = 0

    def step(self, closure=None):
        raise NotImplementedError

    def _run_closure(self, closure):
        if closure is None:
            return None
        from ..autograd.grad_mode import enable_grad

        with enable_grad():
            return closure()

    # ------------------------------------------------------------------ hooks
    def register_step_pre_hook(self, hook):
        """hook(optimizer, args, kwargs) -> None or (new_args, new_kwargs), before step."""
        return _add_hook(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """hook(optimizer, args, kwargs) after step."""
        return _add_hook(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """hook(optimizer) before state_dict."""
        return _add_hook(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """hook(optimizer, state_dict) -> state_dict or None, after state_dict."""
        return _add_hook(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """hook(optimizer, state_dict) -> state_dict or None, before load_state_dict."""
        return _add_hook(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """hook(optimizer) after load_state_dict."""
        return _add_hook(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ------------------------------------------------------------------ state dicts
    def state_dict(self):
        """Mirrors `torch.optim.Optimizer.state_dict`: params replaced by their indices (the
        per-parameter state dicts are the optimizer's own, as in torch)."""
        from .._tensor import Tensor

        for hook in self.__dict__.get("_optimizer_state_dict_pre_hooks", {}).values():
            hook(self)
        index = {}
        start = 0
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                if id(p) not in index:
                    index[id(p)] = i
            packed["params"] = [index[id(p)] for p in group["params"]]
            start += len(packed["params"])
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        state_dict = {"state": state, "param_groups": groups}
        for hook in self.__dict__.get("_optimizer_state_dict_post_hooks", {}).values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict):
        """Mirrors `torch.optim.Optimizer.load_state_dict` (accepts PyTorch's state dicts)."""
        state_dict = state_dict.copy()
        for hook in self.__dict__.get("_optimizer_load_state_dict_pre_hooks", {}).values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for g, sg in zip(groups, saved_groups):
            if len(g["params"]) != len(sg["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size "
                    "of optimizer's group"
                )
        id_map = {}
        for g, sg in zip(groups, saved_groups):
            for p, i in zip(g["params"], sg["params"]):
                id_map[i] = p
        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                p = id_map[k]
                state[p] = _cast_state(p, v, k, state_dict["param_groups"])
            else:
                state[k] = v
        new_groups = []
        for g, ng in zip(groups, saved_groups):
            ng["params"] = g["params"]
            if "param_names" in g and "param_names" not in ng:
                ng["param_names"] = g["param_names"]
            for key, default in self.defaults.items():
                ng.setdefault(key, default)
            new_groups.append(ng)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for hook in self.__dict__.get("_optimizer_load_state_dict_post_hooks", {}).values():
            hook(self)


def _typename(obj):
    from .._tensor import Tensor

    if isinstance(obj, Tensor):
        return obj.type()
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module in (None, "builtins") else module + "." + name


def _cast_state(param, value, param_id, param_groups, key=None):
    """What torch does to a loaded state value: tensors follow the parameter's dtype (floating
    parameters) and device; `step` stays as saved (float32 for capturable/fused groups)."""
    from .._tensor import Tensor

    if isinstance(value, Tensor):
        if key == "step":
            for g in param_groups:
                if param_id in g["params"]:
                    if g.get("fused", False) or g.get("capturable", False):
                        from .._dtype import float32

                        return value.to(dtype=float32, device=param.device)
                    break
            return value
        if param.is_floating_point():
            return value.to(dtype=param.dtype, device=param.device)
        return value.to(device=param.device)
    if isinstance(value, dict):
        return {k: _cast_state(param, v, param_id, param_groups, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v, param_id, param_groups) for v in value)
    return value


def _call_step(func, args, kwargs, grad_off):
    """Run `func(*args, **kwargs)` (args[0] is the optimizer) inside its step hooks. A step
    reached from inside another hooked step of the same optimizer (a subclass calling
    super().step()) runs its hooks only once, at the outer level."""
    self = args[0]
    d = self.__dict__
    outer = not d.get("_in_hooked_step", False)
    own_pre = d.get("_optimizer_step_pre_hooks")
    if outer:
        if own_pre or _global_optimizer_pre_hooks:
            # (lists built only when a hook exists: this runs once per training step)
            pre = list(_global_optimizer_pre_hooks.values())
            pre += list(own_pre.values()) if own_pre else []
            for hook in pre:
                result = hook(self, args, kwargs)
                if result is not None:
                    if isinstance(result, tuple) and len(result) == 2:
                        args, kwargs = result
                    else:
                        raise RuntimeError(
                            f"{func} must return None or a tuple of (new_args, new_kwargs), "
                            f"but got {result}."
                        )
        d["_in_hooked_step"] = True
    try:
        if grad_off:
            # no_grad without building a context manager (this runs once per training step)
            prev = GRAD.enabled
            GRAD.enabled = False
            try:
                out = func(*args, **kwargs)
            finally:
                GRAD.enabled = prev
        else:
            out = func(*args, **kwargs)
    finally:
        if outer:
            d["_in_hooked_step"] = False
    own_post = d.get("_optimizer_step_post_hooks")
    if outer and (own_post or _global_optimizer_post_hooks):
        post = list(own_post.values()) if own_post else []
        post += list(_global_optimizer_post_hooks.values())
        for hook in post:
            hook(self, args, kwargs)
    return out


def _as_float(value):
    """torch's _to_scalar: a hyperparameter given as a 1-element Tensor (a tensor lr) is used
    as its Python value by the update arithmetic."""
    if value.__class__ in (float, int) or not hasattr(value, "item"):
        return value
    return value.item()


def _step_tensor(state):
    """PyTorch keeps `step` as a float32 0-d tensor in the state; ember does too."""
    from .._creation import zeros
    from .._dtype import float32

    s = state.get("step")
    if s is None:
        s = state["step"] = zeros((), dtype=float32)
    s._data += 1
    return float(s._data)


def _grads(group, name=None):
    """(param, param array, grad array) for parameters that have a gradient. `name`: the
    optimizer torch names when it refuses a sparse gradient."""
    out = []
    for p in group["params"]:
        g = p.grad
        if g is None:
            continue
        try:
            out.append((p, p._data, g._data))
        except NotImplementedError:
            # a sparse gradient's `_data` refuses (the check costs nothing on dense ones)
            if g.is_sparse:
                raise sparse_refused(name) from None
            raise
    return out


def sparse_refused(name):
    """torch's error from an optimizer that has no update for sparse gradients."""
    hint = ", please consider SparseAdam instead" if name == "Adam" else ""
    return RuntimeError(f"{name} does not support sparse gradients{hint}")


def _hooked_step(step):
    """Run an optimizer's pre/post step hooks around `step`, with grad mode off."""
    import functools

    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        d = self.__dict__
        if (_global_optimizer_pre_hooks or _global_optimizer_post_hooks
                or d.get("_optimizer_step_pre_hooks") or d.get("_optimizer_step_post_hooks")
                or d.get("_in_hooked_step")):
            return _call_step(step, (self,) + args, kwargs, True)
        # no hook anywhere (the common case, once per training step): the step itself, with
        # grad mode off, without building a context manager
        prev = GRAD.enabled
        GRAD.enabled = False
        try:
            return step(self, *args, **kwargs)
        finally:
            GRAD.enabled = prev

    wrapper.hooked = True
    return wrapper


__all__ = ["Optimizer", "required", "register_optimizer_step_pre_hook",
           "register_optimizer_step_post_hook"]
_ = chain
