"""Mirrors `torch.autograd.Variable`, the pre-0.4 wrapper that old code still calls.

`Variable(t, requires_grad=...)` gives a new leaf tensor sharing t's memory (t detached), and
every tensor is an instance of Variable.
"""


class _VariableMeta(type):
    def __instancecheck__(cls, other):
        from .._tensor import Tensor

        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """Mirrors `torch.autograd.Variable`: returns `data.detach()` with `requires_grad` set."""

    def __new__(cls, data=None, requires_grad=False, volatile=False):
        from .._tensor import Tensor
        from .._creation import tensor

        if data is None:
            return tensor([])
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        if requires_grad:
            if not (out.is_floating_point() or out.is_complex()):
                # torch's Variable constructor words this differently from requires_grad_()
                raise RuntimeError(
                    "Only Tensors of floating point and complex dtype can require gradients"
                )
            out.requires_grad_(True)
        return out
