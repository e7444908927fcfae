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


class Optimizer:
    """Mirrors `torch.optim.Optimizer`: param groups, state, zero_grad, state_dict."""

    def __init__(self, params, defaults):
        from .._tensor import Tensor

        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        self._step_hooks_pre = OrderedDict()
        self._step_hooks_post = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {params.type()}"
            )
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

    def add_param_group(self, param_group):
        """Mirrors `torch.optim.Optimizer.add_param_group`."""
        from .._tensor import Tensor

        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
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
        for p in param_group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    + type(p).__name__
                )
            if not p.is_leaf:
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
                    p.grad._data[...] = 0

    def step(self, closure=None):
        raise NotImplementedError

    def _run_closure(self, closure):
        if closure is None:
            return None
        from ..autograd.grad_mode import enable_grad

        with enable_grad():
            return closure()

    # ------------------------------------------------------------------ state dicts
    def state_dict(self):
        """Mirrors `torch.optim.Optimizer.state_dict`: params replaced by their indices."""
        index = {}
        start = 0
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                if id(p) not in index:
                    index[id(p)] = start
                    start += 1
                ids.append(index[id(p)])
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = ids
            groups.append(packed)
        state = {}
        for p, s in self.state.items():
            if id(p) in index:
                state[index[id(p)]] = dict(s)
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Mirrors `torch.optim.Optimizer.load_state_dict` (accepts PyTorch's state dicts)."""
        from .._tensor import Tensor

        state_dict = deepcopy(state_dict) if not _has_tensors(state_dict) else _shallow(
            state_dict)
        groups = self.param_groups
        saved_groups = state_dict["param_groups"]
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
            k = int(k) if not isinstance(k, int) else k
            if k not in id_map:
                continue
            p = id_map[k]
            new = {}
            for name, value in v.items():
                if isinstance(value, Tensor):
                    if name == "step":
                        value = value.to(dtype=value.dtype).detach().clone()
                    else:
                        value = value.to(dtype=p.dtype, device=p.device).detach().clone()
                new[name] = value
            state[p] = new
        new_groups = []
        for g, sg in zip(groups, saved_groups):
            ng = dict(sg)
            ng["params"] = g["params"]
            for key, default in self.defaults.items():
                ng.setdefault(key, default)
            new_groups.append(ng)
        self.state = state
        self.param_groups = new_groups

    def register_step_pre_hook(self, hook):
        from ..autograd._node import _Handle

        key = id(hook)
        self._step_hooks_pre[key] = hook
        return _DictHandle(self._step_hooks_pre, key)

    def register_step_post_hook(self, hook):
        key = id(hook)
        self._step_hooks_post[key] = hook
        return _DictHandle(self._step_hooks_post, key)


class _DictHandle:
    def __init__(self, d, key):
        self._d = d
        self._key = key

    def remove(self):
        self._d.pop(self._key, None)


def _has_tensors(obj):
    from .._tensor import Tensor

    if isinstance(obj, Tensor):
        return True
    if isinstance(obj, dict):
        return any(_has_tensors(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(_has_tensors(v) for v in obj)
    return False


def _shallow(sd):
    return {
        "state": {k: dict(v) for k, v in sd["state"].items()},
        "param_groups": [dict(g) for g in sd["param_groups"]],
    }


def _step_tensor(state):
    """PyTorch keeps `step` as a float32 0-d tensor in the state; ember does too."""
    from .._creation import zeros
    from .._dtype import float32

    s = state.get("step")
    if s is None:
        s = state["step"] = zeros((), dtype=float32)
    s._data += 1
    return float(s._data)


def _grads(group):
    """(param, param array, grad array) for parameters that have a gradient."""
    out = []
    for p in group["params"]:
        g = p.grad
        if g is None:
            continue
        out.append((p, p._data, g._data))
    return out


def _hooked_step(step):
    """Run an optimizer's pre/post step hooks around `step`, with grad mode off."""
    import functools

    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        if self._step_hooks_pre:
            for h in list(self._step_hooks_pre.values()):
                r = h(self, args, kwargs)
                if r is not None:
                    args, kwargs = r
        # no_grad without building a context manager (this runs once per training step)
        prev = GRAD.enabled
        GRAD.enabled = False
        try:
            out = step(self, *args, **kwargs)
        finally:
            GRAD.enabled = prev
        if self._step_hooks_post:
            for h in list(self._step_hooks_post.values()):
                h(self, args, kwargs)
        return out

    return wrapper


__all__ = ["Optimizer", "required"]
_ = chain
