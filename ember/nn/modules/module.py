"""Mirrors `torch.nn.Module`: parameters, buffers, submodules, state dicts, hooks, `to()`."""

import itertools
import os
import sys
import warnings
import weakref
from collections import OrderedDict, namedtuple

from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ..parameter import Buffer, Parameter

__all__ = [
    "Module",
    "register_module_forward_pre_hook",
    "register_module_forward_hook",
    "register_module_full_backward_pre_hook",
    "register_module_full_backward_hook",
]

_EXTRA_STATE_KEY_SUFFIX = "_extra_state"

# hooks that apply to every module (torch.nn.modules.module.register_module_*_hook)
_global_forward_pre_hooks = OrderedDict()
_global_forward_hooks = OrderedDict()
_global_forward_hooks_always_called = OrderedDict()
_global_backward_pre_hooks = OrderedDict()
_global_backward_hooks = OrderedDict()


def _user_stacklevel():
    """The `stacklevel` that points a warning at the user's line that started the work
    (e.g. `loss.backward()`): PyTorch reaches it with a fixed depth through its C++ engine,
    while ember's Python engine adds a varying number of frames of its own."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(root + os.sep):
        frame, level = frame.f_back, level + 1
    return level


class RemovableHandle:
    """A handle that removes a hook from its dicts. Mirrors `torch.utils.hooks.RemovableHandle`."""

    _next_id = itertools.count()

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.hooks_dict_ref = hooks_dict
        self.id = next(RemovableHandle._next_id)
        if extra_dict is None:
            extra_dict = ()
        elif isinstance(extra_dict, dict):
            extra_dict = (extra_dict,)
        self.extra_dict_ref = tuple(extra_dict)

    def remove(self):
        self.hooks_dict_ref.pop(self.id, None)
        for d in self.extra_dict_ref:
            d.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _add_hook(hooks, hook, prepend, extra=None):
    handle = RemovableHandle(hooks, extra_dict=extra)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


def register_module_forward_pre_hook(hook):
    """Mirrors `torch.nn.modules.module.register_module_forward_pre_hook`."""
    return _add_hook(_global_forward_pre_hooks, hook, False)


def register_module_forward_hook(hook, *, always_call=False):
    """Mirrors `torch.nn.modules.module.register_module_forward_hook`."""
    handle = _add_hook(_global_forward_hooks, hook, False, _global_forward_hooks_always_called)
    if always_call:
        _global_forward_hooks_always_called[handle.id] = True
    return handle


def register_module_full_backward_pre_hook(hook):
    """Mirrors `torch.nn.modules.module.register_module_full_backward_pre_hook`."""
    return _add_hook(_global_backward_pre_hooks, hook, False)


def register_module_full_backward_hook(hook):
    """Mirrors `torch.nn.modules.module.register_module_full_backward_hook`."""
    return _add_hook(_global_backward_hooks, hook, False)


class _WrappedHook:
    """A load_state_dict pre-hook, called with its module first when it was registered
    `with_module` (the public API) and without it otherwise."""

    def __init__(self, hook, module=None):
        self.hook = hook
        self.module = None if module is None else weakref.ref(module)

    def __call__(self, *args, **kwargs):
        if self.module is None:
            return self.hook(*args, **kwargs)
        module = self.module()
        if module is None:
            raise RuntimeError("You are trying to call the hook of a dead Module!")
        return self.hook(module, *args, **kwargs)

    def __getstate__(self):
        # a weak reference cannot be pickled or deep-copied: hold the module strongly (the
        # layout of torch's _WrappedHook state)
        state = {"hook": self.hook, "with_module": self.module is not None}
        if self.module is not None:
            state["module"] = self.module()
        return state

    def __setstate__(self, state):
        self.hook = state["hook"]
        module = state.get("module") if state.get("with_module", False) else None
        self.module = None if module is None else weakref.ref(module)


def _typename(obj):
    # torch.typename: "torch.FloatTensor" for tensors, "module.QualName" otherwise
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    if module in ("", "builtins"):
        return qualname
    return f"{module}.{qualname}"


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What `load_state_dict` returns. Mirrors torch's `_IncompatibleKeys`."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _addindent(text, spaces):
    # indent every line but the first (how nested reprs line up)
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    pad = " " * spaces
    return lines[0] + "\n" + "\n".join(pad + line for line in lines[1:])


def _forward_unimplemented(self, *input):
    raise NotImplementedError(
        f'Module [{type(self).__name__}] is missing the required "forward" function'
    )


_STATE_ATTRS = (
    "_parameters",
    "_buffers",
    "_non_persistent_buffers_set",
    "_backward_pre_hooks",
    "_backward_hooks",
    "_is_full_backward_hook",
    "_forward_hooks",
    "_forward_hooks_with_kwargs",
    "_forward_hooks_always_called",
    "_forward_pre_hooks",
    "_forward_pre_hooks_with_kwargs",
    "_state_dict_hooks",
    "_state_dict_pre_hooks",
    "_load_state_dict_pre_hooks",
    "_load_state_dict_post_hooks",
    "_modules",
)


class Module:
    """Base class of every layer and model. Mirrors `torch.nn.Module`."""

    dump_patches = False
    _version = 1
    training: bool
    call_super_init = False

    def __init__(self, *args, **kwargs):
        if not self.call_super_init and (args or kwargs):
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                f"'{next(iter(kwargs))}'" if kwargs else
                f"{type(self).__name__}.__init__() takes 1 positional argument but "
                f"{len(args) + 1} were given"
            )
        setattr_ = object.__setattr__
        setattr_(self, "training", True)
        setattr_(self, "_parameters", {})
        setattr_(self, "_buffers", {})
        setattr_(self, "_non_persistent_buffers_set", set())
        setattr_(self, "_backward_pre_hooks", OrderedDict())
        setattr_(self, "_backward_hooks", OrderedDict())
        setattr_(self, "_is_full_backward_hook", None)
        setattr_(self, "_forward_hooks", OrderedDict())
        setattr_(self, "_forward_hooks_with_kwargs", OrderedDict())
        setattr_(self, "_forward_hooks_always_called", OrderedDict())
        setattr_(self, "_forward_pre_hooks", OrderedDict())
        setattr_(self, "_forward_pre_hooks_with_kwargs", OrderedDict())
        setattr_(self, "_state_dict_hooks", OrderedDict())
        setattr_(self, "_state_dict_pre_hooks", OrderedDict())
        setattr_(self, "_load_state_dict_pre_hooks", OrderedDict())
        setattr_(self, "_load_state_dict_post_hooks", OrderedDict())
        setattr_(self, "_modules", {})
        if self.call_super_init:
            super().__init__(*args, **kwargs)

    forward = _forward_unimplemented

    # ------------------------------------------------------------------ calling
    def __call__(self, *args, **kwargs):
        # the fast path: no hook anywhere, straight to forward
        if not (
            self._forward_hooks
            or self._forward_pre_hooks
            or self._backward_hooks
            or self._backward_pre_hooks
            or _global_forward_hooks
            or _global_forward_pre_hooks
            or _global_backward_hooks
            or _global_backward_pre_hooks
        ):
            return self.forward(*args, **kwargs)
        return self._call_with_hooks(args, kwargs)

    def _call_with_hooks(self, args, kwargs):
        args, kwargs = self._run_pre_hooks(args, kwargs)
        bw = None
        if (
            self._backward_hooks
            or self._backward_pre_hooks
            or _global_backward_hooks
            or _global_backward_pre_hooks
        ):
            bw = _BackwardHook(self)
            args = bw.setup_input_hook(args)
        try:
            result = self.forward(*args, **kwargs)
        except Exception:
            self._run_always_called_hooks(args, kwargs)
            raise
        result = self._run_forward_hooks(args, kwargs, result)
        if bw is not None:
            result = bw.setup_output_hook(result)
        return result

    def _run_pre_hooks(self, args, kwargs):
        for hooks, with_kwargs in (
            (_global_forward_pre_hooks, None),
            (self._forward_pre_hooks, self._forward_pre_hooks_with_kwargs),
        ):
            for hid, hook in list(hooks.items()):
                if with_kwargs is not None and hid in with_kwargs:
                    res = hook(self, args, kwargs)
                    if res is not None:
                        if not (isinstance(res, tuple) and len(res) == 2):
                            raise RuntimeError(
                                "forward pre-hook must return None or a tuple of (new_args, "
                                f"new_kwargs), but got {res}."
                            )
                        args, kwargs = res
                    continue
                res = hook(self, args)
                if res is not None:
                    args = res if isinstance(res, tuple) else (res,)
        return args, kwargs

    def _run_forward_hooks(self, args, kwargs, result):
        for hooks, with_kwargs in (
            (_global_forward_hooks, None),
            (self._forward_hooks, self._forward_hooks_with_kwargs),
        ):
            for hid, hook in list(hooks.items()):
                if with_kwargs is not None and hid in with_kwargs:
                    res = hook(self, args, kwargs, result)
                else:
                    res = hook(self, args, result)
                if res is not None:
                    result = res
        return result

    def _run_always_called_hooks(self, args, kwargs):
        for hooks, always, with_kwargs in (
            (_global_forward_hooks, _global_forward_hooks_always_called, None),
            (self._forward_hooks, self._forward_hooks_always_called,
             self._forward_hooks_with_kwargs),
        ):
            for hid, hook in list(hooks.items()):
                if hid not in always:
                    continue
                try:
                    if with_kwargs is not None and hid in with_kwargs:
                        hook(self, args, kwargs, None)
                    else:
                        hook(self, args, None)
                except Exception:  # noqa: BLE001 - the forward's own error is re-raised
                    import warnings

                    warnings.warn(
                        "global module forward hook with ``always_call=True`` raised an "
                        "exception that was silenced as another error was raised in forward: "
                        f"{hook}",
                        stacklevel=2,
                    )

    # ------------------------------------------------------------------ registration
    def register_buffer(self, name, tensor, persistent=True):
        """Mirrors `torch.nn.Module.register_buffer`."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"buffer name should be a string. Got {_typename(name)}")
        if "." in name:
            raise KeyError('buffer name can\'t contain "."')
        if name == "":
            raise KeyError('buffer name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name, param):
        """Mirrors `torch.nn.Module.register_parameter`."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"parameter name should be a string. Got {_typename(name)}")
        if "." in name:
            raise KeyError('parameter name can\'t contain "."')
        if name == "":
            raise KeyError('parameter name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is None:
            self._parameters[name] = None
            return
        if not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                "(torch.nn.Parameter or None required)"
            )
        if param._node is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must "
                f"be created explicitly. To express '{name}' as a function of another Tensor, "
                "compute the value in the forward() method."
            )
        self._parameters[name] = param

    def add_module(self, name, module):
        """Mirrors `torch.nn.Module.add_module`."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    def register_module(self, name, module):
        """Alias of `add_module`. Mirrors `torch.nn.Module.register_module`."""
        self.add_module(name, module)

    def get_submodule(self, target):
        """Mirrors `torch.nn.Module.get_submodule`."""
        if target == "":
            return self
        mod = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(mod._get_name() + " has no attribute `" + item + "`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")
        return mod

    def set_submodule(self, target, module, strict=False):
        """Mirrors `torch.nn.Module.set_submodule`."""
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        path, _, name = target.rpartition(".")
        parent = self.get_submodule(path)
        if strict and not hasattr(parent, name):
            raise AttributeError(parent._get_name() + " has no attribute `" + name + "`")
        if hasattr(parent, name) and not isinstance(getattr(parent, name), Module):
            raise AttributeError("`" + name + "` is not an nn.Module")
        setattr(parent, name, module)

    def get_parameter(self, target):
        """Mirrors `torch.nn.Module.get_parameter`."""
        path, _, name = target.rpartition(".")
        mod = self.get_submodule(path)
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        param = getattr(mod, name)
        if not isinstance(param, Parameter):
            raise AttributeError("`" + name + "` is not an nn.Parameter")
        return param

    def get_buffer(self, target):
        """Mirrors `torch.nn.Module.get_buffer`."""
        path, _, name = target.rpartition(".")
        mod = self.get_submodule(path)
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        if name not in mod._buffers:
            raise AttributeError("`" + name + "` is not a buffer")
        return getattr(mod, name)

    def get_extra_state(self):
        """Mirrors `torch.nn.Module.get_extra_state` (override it with set_extra_state)."""
        raise RuntimeError(
            "Reached a code path in Module.get_extra_state() that should never be called. "
            "Please file an issue at https://github.com/pytorch/pytorch/issues/new?template="
            "bug-report.yml to report this bug."
        )

    def set_extra_state(self, state):
        """Mirrors `torch.nn.Module.set_extra_state`."""
        raise RuntimeError(
            "Reached a code path in Module.set_extra_state() that should never be called. "
            "Please file an issue at https://github.com/pytorch/pytorch/issues/new?template="
            "bug-report.yml to report this bug."
        )

    # ------------------------------------------------------------------ attribute routing
    def __getattr__(self, name):
        # only called when normal lookup fails: look in the three registries
        d = self.__dict__
        if "_parameters" in d:
            params = d["_parameters"]
            if name in params:
                return params[name]
        if "_buffers" in d:
            buffers = d["_buffers"]
            if name in buffers:
                return buffers[name]
        if "_modules" in d:
            modules = d["_modules"]
            if name in modules:
                return modules[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name, value):
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            _remove_from(name, d, self._buffers, self._modules, self._non_persistent_buffers_set)
            self.register_parameter(name, value)
            return
        if params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as parameter '{name}' "
                    "(torch.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
            return
        modules = d.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            _remove_from(name, d, self._parameters, self._buffers,
                         self._non_persistent_buffers_set)
            modules[name] = value
            return
        if modules is not None and name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as child module '{name}' "
                    "(torch.nn.Module or None expected)"
                )
            modules[name] = value
            return
        buffers = d.get("_buffers")
        if isinstance(value, Buffer) or (buffers is not None and name in buffers):
            if buffers is None:
                raise AttributeError("cannot assign buffer before Module.__init__() call")
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{_typename(value)}' as buffer '{name}' "
                    "(torch.Tensor or None expected)"
                )
            if isinstance(value, Buffer):
                persistent = value.__dict__.get("_buffer_persistent", True)
            else:
                persistent = name not in self._non_persistent_buffers_set
            if name not in buffers:
                _remove_from(name, d, self._parameters, self._modules)
            self.register_buffer(name, value, persistent)
            return
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        d = self.__dict__
        if name in d.get("_parameters", ()):
            del self._parameters[name]
        elif name in d.get("_buffers", ()):
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in d.get("_modules", ()):
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self):
        attrs = set(dir(self.__class__)) | set(self.__dict__)
        keys = list(self._parameters) + list(self._modules) + list(self._buffers)
        keys = [k for k in keys if not k[0].isdigit()]
        return sorted(attrs | set(keys))

    def __setstate__(self, state):
        self.__dict__.update(state)
        # pickles from older versions may lack some registries
        for name in _STATE_ATTRS:
            if name not in self.__dict__:
                value = set() if name == "_non_persistent_buffers_set" else OrderedDict()
                if name == "_is_full_backward_hook":
                    value = None
                object.__setattr__(self, name, value)

    # ------------------------------------------------------------------ iteration
    def _named_members(self, get_members, prefix="", recurse=True, remove_duplicate=True):
        memo = set()
        if recurse:
            modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            modules = [(prefix, self)]
        for mod_prefix, mod in modules:
            for k, v in get_members(mod):
                if v is None or v in memo:
                    continue
                if remove_duplicate:
                    memo.add(v)
                yield (mod_prefix + ("." if mod_prefix else "") + k, v)

    def parameters(self, recurse=True):
        """Mirrors `torch.nn.Module.parameters`."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """Mirrors `torch.nn.Module.named_parameters`."""
        yield from self._named_members(
            lambda m: m._parameters.items(), prefix, recurse, remove_duplicate
        )

    def buffers(self, recurse=True):
        """Mirrors `torch.nn.Module.buffers`."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """Mirrors `torch.nn.Module.named_buffers`."""
        yield from self._named_members(
            lambda m: m._buffers.items(), prefix, recurse, remove_duplicate
        )

    def children(self):
        """Mirrors `torch.nn.Module.children`."""
        for _, m in self.named_children():
            yield m

    def named_children(self):
        """Mirrors `torch.nn.Module.named_children`."""
        memo = set()
        for name, m in self._modules.items():
            if m is not None and m not in memo:
                memo.add(m)
                yield name, m

    def modules(self):
        """Mirrors `torch.nn.Module.modules`."""
        for _, m in self.named_modules():
            yield m

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """Mirrors `torch.nn.Module.named_modules`."""
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, m in self._modules.items():
            if m is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from m.named_modules(memo, sub, remove_duplicate)

    # ------------------------------------------------------------------ modes
    def train(self, mode=True):
        """Mirrors `torch.nn.Module.train`."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for m in self.children():
            m.train(mode)
        return self

    def eval(self):
        """Mirrors `torch.nn.Module.eval`."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Mirrors `torch.nn.Module.requires_grad_`."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Mirrors `torch.nn.Module.zero_grad`."""
        for p in self.parameters():
            g = p.grad
            if g is None:
                continue
            if set_to_none:
                p.grad = None
                continue
            if g.is_sparse:
                # torch empties a sparse gradient (no entries left)
                g.zero_()
                continue
            if g._node is not None:
                g.detach_()
            else:
                g._rg = False
            g._data[...] = 0
            v = g._vc
            if v is not None:
                v[0] += 1

    def apply(self, fn):
        """Mirrors `torch.nn.Module.apply`: fn on every submodule, then on self."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def share_memory(self):
        return self

    # ------------------------------------------------------------------ conversion
    def _apply(self, fn, recurse=True):
        """Convert every parameter, gradient and buffer with `fn`, keeping Parameter objects."""
        if recurse:
            for m in self.children():
                m._apply(fn)
        for p in self._parameters.values():
            if p is None:
                continue
            with no_grad():
                new = fn(p)
            # keep the Parameter object (optimizers hold it), as torch does by default
            _set_data(p, new)
            g = p.grad
            if g is not None:
                with no_grad():
                    _set_data(g, fn(g))
        for k, b in self._buffers.items():
            if b is not None:
                self._buffers[k] = fn(b)
        return self

    def to(self, *args, **kwargs):
        """Mirrors `torch.nn.Module.to(device=None, dtype=None, non_blocking=False,
        memory_format=None)`."""
        device, dtype = _parse_to(args, kwargs)
        if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={dtype}"
            )

        fmt = kwargs.get("memory_format")

        def convert(t):
            float_like = t._dtype.is_floating_point or t._dtype.is_complex
            if fmt is not None and t._data.ndim in (4, 5):
                # as in torch, the memory format applies to 4-d and 5-d tensors only
                # (conv weights), the rest keep their layout
                return t.to(device=device, dtype=dtype if float_like else None,
                            memory_format=fmt)
            if float_like:
                return t.to(device=device, dtype=dtype)
            return t.to(device=device)

        return self._apply(convert)

    def to_empty(self, *, device=None, recurse=True):
        """Mirrors `torch.nn.Module.to_empty`."""
        from ..._creation import empty_like

        return self._apply(lambda t: empty_like(t, device=device), recurse=recurse)

    def cpu(self):
        """Mirrors `torch.nn.Module.cpu`."""
        return self._apply(lambda t: t.cpu())

    def cuda(self, device=None):
        """Mirrors `torch.nn.Module.cuda`."""
        return self._apply(lambda t: t.cuda(device))

    def type(self, dst_type):
        """Mirrors `torch.nn.Module.type`: every parameter and buffer to `dst_type`."""
        return self._apply(lambda t: t.type(dst_type))

    def float(self):
        """Mirrors `torch.nn.Module.float`: floating point parameters and buffers to float32."""
        return self._apply(lambda t: t.float() if t._dtype.is_floating_point else t)

    def double(self):
        """Mirrors `torch.nn.Module.double`."""
        return self._apply(lambda t: t.double() if t._dtype.is_floating_point else t)

    def half(self):
        """Mirrors `torch.nn.Module.half`."""
        return self._apply(lambda t: t.half() if t._dtype.is_floating_point else t)

    def bfloat16(self):
        """Mirrors `torch.nn.Module.bfloat16`."""
        return self._apply(lambda t: t.bfloat16() if t._dtype.is_floating_point else t)

    # ------------------------------------------------------------------ state dict
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = b if keep_vars else b.detach()
        if type(self).get_extra_state is not Module.get_extra_state:
            destination[prefix + _EXTRA_STATE_KEY_SUFFIX] = self.get_extra_state()

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        """Mirrors `torch.nn.Module.state_dict`: an OrderedDict with torch's key names."""
        if args:
            # the deprecated positional form state_dict(destination, prefix, keep_vars)
            destination = args[0]
            if len(args) > 1:
                prefix = args[1]
            if len(args) > 2:
                keep_vars = args[2]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        local_metadata = {"version": self._version}
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = local_metadata
        for hook in self._state_dict_pre_hooks.values():
            hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, m in self._modules.items():
            if m is not None:
                m.state_dict(destination=destination, prefix=prefix + name + ".",
                             keep_vars=keep_vars)
        for hook in self._state_dict_hooks.values():
            res = hook(self, destination, prefix, local_metadata)
            if getattr(hook, "_from_public_api", False):
                if res is not None:
                    raise RuntimeError("state_dict post-hook must return None")
            elif res is not None:
                # the private hook's returned dict replaces the destination
                destination = res
        return destination

    def register_state_dict_pre_hook(self, hook):
        """hook(module, prefix, keep_vars) before state_dict saves this module."""
        return _add_hook(self._state_dict_pre_hooks, hook, False)

    def register_state_dict_post_hook(self, hook):
        """hook(module, state_dict, prefix, local_metadata) after state_dict saved it; the
        public form may only edit the dict in place (a returned value is an error)."""
        try:
            hook._from_public_api = True
        except AttributeError:
            pass
        return _add_hook(self._state_dict_hooks, hook, False)

    def _register_state_dict_hook(self, hook):
        """The private form: a hook may return a replacement state dict."""
        if getattr(hook, "_from_public_api", False):
            raise RuntimeError(
                "Cannot register the same function as the state dict post hook that was "
                "previously registered via register_state_dict_post_hook"
            )
        return _add_hook(self._state_dict_hooks, hook, False)

    def register_load_state_dict_pre_hook(self, hook):
        """hook(module, state_dict, prefix, local_metadata, strict, missing, unexpected, errors)."""
        return self._register_load_state_dict_pre_hook(hook, with_module=True)

    def _register_load_state_dict_pre_hook(self, hook, with_module=False):
        """The private form: without `with_module` the hook is called without the module."""
        return _add_hook(self._load_state_dict_pre_hooks,
                         _WrappedHook(hook, self if with_module else None), False)

    def register_load_state_dict_post_hook(self, hook):
        """hook(module, incompatible_keys) after load_state_dict."""
        return _add_hook(self._load_state_dict_post_hooks, hook, False)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        for hook in self._load_state_dict_pre_hooks.values():
            hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                 error_msgs)
        persistent = {k: v for k, v in self._buffers.items()
                      if k not in self._non_persistent_buffers_set}
        local = {k: v for k, v in itertools.chain(self._parameters.items(), persistent.items())
                 if v is not None}
        assign = local_metadata.get("assign_to_params_buffers", False)
        for name, param in local.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            self._load_one(name, key, param, state_dict[key], assign, error_msgs)
        extra_key = prefix + _EXTRA_STATE_KEY_SUFFIX
        if type(self).set_extra_state is not Module.set_extra_state:
            if extra_key in state_dict:
                self.set_extra_state(state_dict[extra_key])
            elif strict:
                missing_keys.append(extra_key)
        elif strict and extra_key in state_dict:
            unexpected_keys.append(extra_key)
        if not strict:
            return
        for key in state_dict:
            if not key.startswith(prefix) or key == extra_key:
                continue
            first = key[len(prefix):].split(".", 1)[0]
            if first not in self._modules and first not in local:
                unexpected_keys.append(key)

    def _load_one(self, name, key, param, value, assign, error_msgs):
        if not isinstance(value, Tensor):
            error_msgs.append(
                f'While copying the parameter named "{key}", expected torch.Tensor or '
                f"Tensor-like object from checkpoint but received {type(value)}"
            )
            return
        if param.ndim == 0 and value.ndim == 1 and value.shape[0] == 1:
            value = value.reshape(())
        if value.shape != param.shape:
            error_msgs.append(
                f"size mismatch for {key}: copying a param with shape {value.shape} from "
                f"checkpoint, the shape in current model is {param.shape}."
            )
            return
        try:
            if assign:
                if isinstance(param, Parameter) and not isinstance(value, Parameter):
                    value = Parameter(value, requires_grad=param.requires_grad)
                elif isinstance(param, Parameter):
                    value.requires_grad_(param.requires_grad)
                setattr(self, name, value)
            else:
                _copy_into(param, value)
        except Exception as ex:  # noqa: BLE001 - reported like torch, in the error list
            error_msgs.append(
                f'While copying the parameter named "{key}", whose dimensions in the model are '
                f"{param.size()} and whose dimensions in the checkpoint are {value.size()}, an "
                f"exception occurred : {ex.args}."
            )

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Mirrors `torch.nn.Module.load_state_dict`; returns (missing_keys, unexpected_keys)."""
        from collections.abc import Mapping

        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing = []
        unexpected = []
        errors = []
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)
        if metadata is not None:
            state_dict._metadata = metadata

        def load(module, local_sd, prefix=""):
            meta = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
            if assign:
                meta["assign_to_params_buffers"] = assign
            # torch always asks submodules for strict bookkeeping; strict decides what raises
            module._load_from_state_dict(local_sd, prefix, meta, True, missing, unexpected,
                                         errors)
            for name, child in module._modules.items():
                if child is None:
                    continue
                child_prefix = prefix + name + "."
                child_sd = {k: v for k, v in local_sd.items() if k.startswith(child_prefix)}
                load(child, child_sd, child_prefix)
            keys = _IncompatibleKeys(missing, unexpected)
            for hook in module._load_state_dict_post_hooks.values():
                if hook(module, keys) is not None:
                    raise RuntimeError(
                        "Hooks registered with ``register_load_state_dict_post_hook`` are not "
                        "expected to return new values, if incompatible_keys need to be "
                        "modified, it should be done inplace."
                    )

        load(self, state_dict)
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected)))
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing)))
        if errors:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                self.__class__.__name__, "\n\t".join(errors)))
        return _IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ hooks
    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """Mirrors `torch.nn.Module.register_forward_pre_hook`."""
        handle = _add_hook(self._forward_pre_hooks, hook, prepend,
                           self._forward_pre_hooks_with_kwargs)
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[handle.id] = True
        return handle

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        """Mirrors `torch.nn.Module.register_forward_hook`."""
        handle = _add_hook(
            self._forward_hooks, hook, prepend,
            (self._forward_hooks_with_kwargs, self._forward_hooks_always_called),
        )
        if with_kwargs:
            self._forward_hooks_with_kwargs[handle.id] = True
        if always_call:
            self._forward_hooks_always_called[handle.id] = True
        return handle

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """Mirrors `torch.nn.Module.register_full_backward_pre_hook`: hook(module, grad_output)."""
        return _add_hook(self._backward_pre_hooks, hook, prepend)

    def register_full_backward_hook(self, hook, prepend=False):
        """Mirrors `torch.nn.Module.register_full_backward_hook`.

        hook(module, grad_input, grad_output) runs once the gradients of the module's tensor
        inputs are known; it may return new grad_input.
        """
        if self._is_full_backward_hook is False:
            raise RuntimeError(
                "Cannot use both regular backward hooks and full backward hooks on a single "
                "Module. Please use only one of them."
            )
        self._is_full_backward_hook = True
        return _add_hook(self._backward_hooks, hook, prepend)

    def register_backward_hook(self, hook):
        """Mirrors `torch.nn.Module.register_backward_hook` (deprecated; ember runs it as a
        full backward hook, which is what torch recommends)."""
        if self._is_full_backward_hook is True:
            raise RuntimeError(
                "Cannot use both regular backward hooks and full backward hooks on a single "
                "Module. Please use only one of them."
            )
        self._is_full_backward_hook = False
        return _add_hook(self._backward_hooks, hook, False)

    # ------------------------------------------------------------------ repr
    def _get_name(self):
        return self.__class__.__name__

    def extra_repr(self):
        """Mirrors `torch.nn.Module.extra_repr`: override to describe the module's options."""
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            "(" + name + "): " + _addindent(repr(m), 2) for name, m in self._modules.items()
        ]
        lines = extra_lines + child_lines
        body = ""
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif lines:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return self._get_name() + "(" + body + ")"

    def compile(self, *args, **kwargs):
        """Mirrors `torch.nn.Module.compile` (a no-op: ember runs eagerly)."""
        return


def _remove_from(name, *containers):
    for c in containers:
        if name in c:
            if isinstance(c, dict):
                del c[name]
            else:
                c.discard(name)


def _set_data(t, new):
    # rebind t to new's array, dtype and device in place (what `param.data = new` does)
    t._data = new._data
    t._dtype = new._dtype
    t._device = new._device


def _copy_into(dst, src):
    """dst[...] = src without autograd, casting dtype and moving device (param.copy_(src))."""
    arr = src._data
    if src._device is not dst._device:
        from ..._device import move

        arr = move(arr, dst._device)
    if arr.dtype != dst._data.dtype:
        arr = arr.astype(dst._data.dtype)
    dst._data[...] = arr
    v = dst._vc
    if v is not None:
        v[0] += 1


def _parse_to(args, kwargs):
    """(device, dtype) from Module.to's argument forms."""
    from ... import _dtype as D
    from ..._device import to_device

    device = kwargs.get("device")
    dtype = kwargs.get("dtype")
    tensor = kwargs.get("tensor")
    for a in args:
        if isinstance(a, Tensor):
            tensor = a
        elif isinstance(a, D.dtype):
            dtype = a
        elif isinstance(a, bool) or a is None:
            continue  # non_blocking
        elif isinstance(a, (str, int)) or hasattr(a, "type"):
            device = a
        else:
            dtype = D.to_dtype(a)
    if tensor is not None:
        device = tensor._device
        dtype = tensor._dtype
    if device is not None:
        device = to_device(device)
    if dtype is not None:
        dtype = D.to_dtype(dtype)
    return device, dtype


class _BackwardHook:
    """Runs a module's full backward (pre-)hooks for one forward call.

    The module's tensor inputs (and outputs) are routed through a "pack" node that joins them
    and one "unpack" node per tensor. In backward, each unpack node hands its gradient to this
    object; the pack node runs only once all of them have (the engine counts dependencies), so
    it sees every gradient at once, calls the hooks and returns their replacement gradients.
    """

    def __init__(self, module):
        self.module = module
        self.n_args = 0
        self.in_pos = ()
        self.grad_outputs = None

    def _route(self, tensors, on_grads):
        from ..._ops.nn_act import hook_route

        return hook_route(tensors, on_grads)

    def setup_input_hook(self, args):
        pos = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        self.n_args = len(pos)
        live = [i for i in pos if args[i]._rg]
        self.in_pos = tuple(pos.index(i) for i in live)
        if not live or not _grad_enabled():
            return args
        new = self._route([args[i] for i in live], self._on_input_grads)
        args = list(args)
        for i, t in zip(live, new, strict=True):
            args[i] = t
        return tuple(args)

    def setup_output_hook(self, result):
        single = isinstance(result, Tensor)
        outs = (result,) if single else result
        if not isinstance(outs, (tuple, list)) or not _grad_enabled():
            return result
        live = [i for i, t in enumerate(outs) if isinstance(t, Tensor) and t._rg]
        if not live:
            return result
        self.n_out = len(outs)
        self.out_pos = live
        new = self._route([outs[i] for i in live], self._on_output_grads)
        outs = list(outs)
        for i, t in zip(live, new, strict=True):
            outs[i] = t
        if single:
            return outs[0]
        return type(result)(outs) if isinstance(result, tuple) else outs

    def _on_output_grads(self, grads):
        full = [None] * self.n_out
        for i, g in zip(self.out_pos, grads, strict=True):
            full[i] = g
        full = tuple(full)
        for hook in _hooks_of(_global_backward_pre_hooks, self.module._backward_pre_hooks):
            res = hook(self.module, full)
            if res is not None:
                full = _check_count(res, full, "grad_output")
        self.grad_outputs = full
        if not self.in_pos:
            # no input needs a gradient: the hooks run now, with grad_input all None
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to "
                "module outputs since no inputs require gradients. See https://docs.pytorch.org"
                "/docs/main/generated/torch.nn.Module.html#torch.nn.Module.register_full_"
                "backward_hook for more details.", stacklevel=_user_stacklevel())
            self._call_hooks((None,) * self.n_args)
        return [full[i] for i in self.out_pos]

    def _on_input_grads(self, grads):
        full = [None] * self.n_args
        for i, g in zip(self.in_pos, grads, strict=True):
            full[i] = g
        full = self._call_hooks(tuple(full))
        return [full[i] for i in self.in_pos]

    def _call_hooks(self, grad_input):
        grad_output = self.grad_outputs if self.grad_outputs is not None else ()
        for hook in _hooks_of(_global_backward_hooks, self.module._backward_hooks):
            res = hook(self.module, grad_input, grad_output)
            if res is not None:
                grad_input = _check_count(res, grad_input, "grad_input")
        return grad_input


def _grad_enabled():
    from ...autograd.grad_mode import GRAD

    return GRAD.enabled


def _hooks_of(global_hooks, local_hooks):
    return list(global_hooks.values()) + list(local_hooks.values())


def _check_count(res, old, what):
    res = tuple(res) if isinstance(res, (tuple, list)) else (res,)
    if len(res) != len(old):
        raise RuntimeError(
            f"Backward hook returned an invalid number of {what}, got {len(res)}, but "
            f"expected {len(old)}"
        )
    return res
