"""How ember's public classes print as types.

Programs print `type(x)` and expect `<class 'torch.Tensor'>`, `<class 'torch.Size'>`,
`<class 'torch.dtype'>`. The metaclass below changes only that text: the classes keep their
ember `__module__` and `__qualname__`, so pickling and imports are unaffected. A class may name
itself with `_torch_name`; ember's other classes show their module with `torch` in place of
`ember` (Parameter: `torch.nn.parameter.Parameter`); user subclasses print as usual.
"""


class TorchNamed(type):
    def __repr__(cls):
        name = cls.__dict__.get("_torch_name")
        if name is None:
            mod = cls.__module__
            if mod != "ember" and not mod.startswith("ember."):
                return type.__repr__(cls)
            name = "torch" + mod[len("ember"):] + "." + cls.__qualname__
        return f"<class '{name}'>"
