"""Mirrors `torch.nn.utils.parametrize`: a module's tensor computed from other parameters.

`register_parametrization(module, "weight", P())` moves `module.weight` to
`module.parametrizations.weight.original` (or `original0`, `original1`, ... when
`P.right_inverse` returns several tensors) and makes `module.weight` a property computing
`P(original)` on every access. As in PyTorch, the module's class becomes a subclass named
`Parametrized<Class>` that holds the properties.
"""

import contextlib

from ..modules.container import ModuleDict, ModuleList
from ..modules.module import Module
from ..parameter import Parameter

_CACHE = {"enabled": False, "values": {}}


@contextlib.contextmanager
def cached():
    """Mirrors `torch.nn.utils.parametrize.cached`: parametrized tensors are computed once
    inside the block."""
    _CACHE["enabled"] = True
    try:
        yield
    finally:
        _CACHE["enabled"] = False
        _CACHE["values"] = {}


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, and the original tensor(s) they start from."""

    def __init__(self, modules, original, unsafe=False):
        super().__init__(modules)
        self.unsafe = unsafe
        new = original
        first = modules[0]
        if hasattr(first, "right_inverse"):
            from ...autograd.grad_mode import no_grad

            with no_grad():
                try:
                    new = first.right_inverse(original)
                except NotImplementedError:
                    # as torch: a parametrization without an inverse keeps the original
                    new = original
        self.is_tensor = not isinstance(new, (tuple, list))
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            _store(self, "original", original, new)
        else:
            for i, t in enumerate(new):
                _store(self, f"original{i}", None, t)

    def right_inverse(self, value):
        """Set the original(s) so that the parametrized tensor becomes `value`."""
        from ...autograd.grad_mode import no_grad

        with no_grad():
            for module in reversed(list(self)):
                if not hasattr(module, "right_inverse"):
                    raise RuntimeError(
                        f"parametrization {type(module).__name__} does not implement "
                        "right_inverse."
                    )
                value = module.right_inverse(value)
            if self.is_tensor:
                self.original.copy_(value)
            else:
                for i, t in enumerate(value):
                    getattr(self, f"original{i}").copy_(t)

    def forward(self):
        if self.is_tensor:
            x = self[0](self.original)
        else:
            x = self[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in list(self)[1:]:
            x = module(x)
        return x


def _store(plist, name, original, value):
    """Register `value` as plist.<name>, reusing the original Parameter's object when the
    right inverse left it unchanged (so optimizers holding it keep working)."""
    if original is not None and value is original and isinstance(original, Parameter):
        plist.register_parameter(name, original)
        return
    if original is not None and isinstance(original, Parameter):
        from ...autograd.grad_mode import no_grad

        with no_grad():
            original.data = value.detach().clone() if value.shape != original.shape else \
                value.detach()
        plist.register_parameter(name, original)
        return
    requires_grad = original.requires_grad if original is not None else True
    plist.register_parameter(name, Parameter(value.detach().clone(), requires_grad))


def _make_property(name):
    def getter(self):
        key = (id(self), name)
        if _CACHE["enabled"] and key in _CACHE["values"]:
            return _CACHE["values"][key]
        value = self.parametrizations[name]()
        if _CACHE["enabled"]:
            _CACHE["values"][key] = value
        return value

    def setter(self, value):
        self.parametrizations[name].right_inverse(value)

    return property(getter, setter)


def _parametrized_class(module):
    cls = type(module)
    if getattr(cls, "_is_parametrized_class", False):
        return cls
    new = type("Parametrized" + cls.__name__, (cls,), {"_is_parametrized_class": True})
    new.__module__ = cls.__module__
    module.__class__ = new
    return new


def register_parametrization(module, tensor_name, parametrization, *, unsafe=False):
    """Mirrors `torch.nn.utils.parametrize.register_parametrization`."""
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        module.parametrizations[tensor_name].append(parametrization)
        return module
    if tensor_name in module._buffers:
        original = module._buffers.pop(tensor_name)
    elif tensor_name in module._parameters:
        original = module._parameters.pop(tensor_name)
    else:
        raise ValueError(
            f"Module '{module}' does not have a parameter, a buffer, or a parametrized "
            f"element with name '{tensor_name}'"
        )
    plist = ParametrizationList([parametrization], original, unsafe=unsafe)
    if not is_parametrized(module):
        module.parametrizations = ModuleDict()
    module.parametrizations[tensor_name] = plist
    cls = _parametrized_class(module)
    setattr(cls, tensor_name, _make_property(tensor_name))
    return module


def is_parametrized(module, tensor_name=None):
    """Mirrors `torch.nn.utils.parametrize.is_parametrized`."""
    plists = module.__dict__.get("_modules", {}).get("parametrizations")
    if plists is None or not isinstance(plists, ModuleDict):
        return False
    if tensor_name is None:
        return len(plists) > 0
    return tensor_name in plists


def remove_parametrizations(module, tensor_name, leave_parametrized=True):
    """Mirrors `torch.nn.utils.parametrize.remove_parametrizations`: the tensor becomes a
    plain parameter again (its current value, or the original with leave_parametrized=False)."""
    from ...autograd.grad_mode import no_grad

    if not is_parametrized(module, tensor_name):
        raise ValueError(f"Module {module} does not have a parametrization on {tensor_name}")
    plist = module.parametrizations[tensor_name]
    if plist.is_tensor:
        original = plist.original
        if leave_parametrized:
            with no_grad():
                value = getattr(module, tensor_name)
            with no_grad():
                if value.shape == original.shape:
                    original.copy_(value)
                else:
                    original.data = value.detach()
    else:
        if not leave_parametrized:
            raise ValueError("Cannot leave unparametrized (`leave_parametrized=False`) a tensor "
                             "that is parametrized in terms of a sequence of tensors.")
        with no_grad():
            value = getattr(module, tensor_name)
        original = Parameter(value.detach(), value.requires_grad) \
            if isinstance(plist.original0, Parameter) else value.detach()
    cls = type(module)
    delattr(cls, tensor_name)
    del module.parametrizations[tensor_name]
    if isinstance(original, Parameter):
        module.register_parameter(tensor_name, original)
    else:
        module.register_buffer(tensor_name, original)
    if not is_parametrized(module):
        del module.parametrizations
        module.__class__ = cls.__bases__[0]
    return module


def type_before_parametrizations(module):
    """Mirrors `torch.nn.utils.parametrize.type_before_parametrizations`."""
    cls = type(module)
    if getattr(cls, "_is_parametrized_class", False):
        return cls.__bases__[0]
    return cls


def transfer_parametrizations_and_params(from_module, to_module, tensor_name=None):
    """Mirrors `torch.nn.utils.parametrize.transfer_parametrizations_and_params`."""
    names = [tensor_name] if tensor_name is not None else list(from_module.parametrizations)
    for name in names:
        if not hasattr(to_module, name):
            setattr(to_module, name, Parameter(getattr(from_module, name).detach()))
        for p in from_module.parametrizations[name]:
            register_parametrization(to_module, name, p)
    return to_module


__all__ = ["register_parametrization", "is_parametrized", "remove_parametrizations", "cached",
           "ParametrizationList", "type_before_parametrizations",
           "transfer_parametrizations_and_params"]
del Module
