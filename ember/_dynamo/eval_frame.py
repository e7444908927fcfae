"""Mirrors `torch._dynamo.eval_frame.OptimizedModule`, what `torch.compile(module)` returns."""

from ..nn.modules.module import Module


class OptimizedModule(Module):
    """Mirrors `torch._dynamo.eval_frame.OptimizedModule`: wraps the module as `_orig_mod`
    (so `state_dict()` keys start with `_orig_mod.`, as PyTorch's do) and runs it eagerly;
    attributes it does not have are read from and written to the wrapped module."""

    _opt_mod_attributes = {"_orig_mod", "dynamo_ctx", "_torchdynamo_orig_callable",
                           "get_compiler_config", "forward", "_forward", "__dict__"}

    def __init__(self, mod, dynamo_ctx=None):
        super().__init__()
        self._orig_mod = mod
        self.dynamo_ctx = dynamo_ctx
        self._torchdynamo_orig_callable = mod.forward

    @property
    def training(self):
        # mirrors the wrapped module's flag (train()/eval() recurse into it)
        modules = self.__dict__.get("_modules")
        return modules["_orig_mod"].training if modules and "_orig_mod" in modules else True

    @training.setter
    def training(self, value):
        modules = self.__dict__.get("_modules")
        if modules and "_orig_mod" in modules:
            modules["_orig_mod"].training = value

    def forward(self, *args, **kwargs):
        return self._orig_mod(*args, **kwargs)

    def __getattr__(self, name):
        if name == "_orig_mod":
            return self._modules["_orig_mod"]
        return getattr(self._orig_mod, name)

    def __setattr__(self, name, val):
        # like torch: class attributes and the wrapper's own go on the wrapper, the rest
        # (e.g. `training` set by train()/eval()) on the wrapped module
        if hasattr(type(self), name) or name in OptimizedModule._opt_mod_attributes:
            return super().__setattr__(name, val)
        return setattr(self._orig_mod, name, val)

    def __reduce__(self):
        return (self.__class__, (self._orig_mod, self.dynamo_ctx))
