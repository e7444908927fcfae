"""Mirrors `torch.utils.hooks`: the removable handle every `register_*_hook` returns."""

import warnings

from ..nn.modules.module import RemovableHandle

__all__ = ["RemovableHandle", "unserializable_hook", "warn_if_has_hooks"]


def unserializable_hook(f):
    """Marks a tensor hook as one that pickling a tensor should warn about."""
    f.__torch_unserializable__ = True
    return f


def warn_if_has_hooks(tensor):
    """Warns when `tensor` carries backward hooks not marked as unserializable."""
    hooks = getattr(tensor, "_backward_hooks", None)
    if not hooks:
        return
    values = hooks.values() if isinstance(hooks, dict) else hooks
    for hook in values:
        if not getattr(hook, "__torch_unserializable__", False):
            warnings.warn(
                f"backward hook {repr(hook)} on tensor will not be serialized.  If this is "
                "expected, you can decorate the function with @torch.utils.hooks."
                "unserializable_hook to suppress this warning")
