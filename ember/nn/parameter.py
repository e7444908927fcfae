"""Mirrors `torch.nn.parameter`: `Parameter` and `Buffer`."""

from collections import OrderedDict

from .. import _dtype as D
from ..autograd.grad_mode import GRAD
from .._tensor import Tensor
from .._typenames import TorchNamed


def _share(cls, data):
    # a new object of class `cls` over the same array, dtype, device and version counter
    t = object.__new__(cls)
    t._data = data._data
    t._dtype = data._dtype
    t._device = data._device
    t._rg = False
    t._node = None
    t._vc = data._version_counter()
    return t


class Parameter(Tensor):
    """A Tensor that a Module registers as a parameter. Mirrors `torch.nn.Parameter`.

    `Parameter(t)` shares `t`'s memory and requires grad by default.
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from .._creation import empty

            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(
                f"Parameter.__new__ expected a Tensor as data, but got {type(data).__name__}"
            )
        p = _share(cls, data)
        if requires_grad:
            if data._dtype._kind < 2:
                raise RuntimeError(
                    "Only Tensors of floating point and complex dtype can require gradients"
                )
            if data.is_inference() and not GRAD.inference:
                # torch's requires_grad_ rule for tensors made under inference_mode
                raise RuntimeError("Setting requires_grad=True on inference tensor outside "
                                   "InferenceMode is not allowed.")
            p._rg = True
        return p

    def __init__(self, data=None, requires_grad=True):
        # everything happens in __new__ (Tensor.__init__ would rebuild the data)
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, proto):
        return (_rebuild_parameter, (self.detach(), self._rg, OrderedDict()))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        # torch's Parameter.__deepcopy__ copies data and requires_grad only: the copy has no
        # .grad (unlike a plain Tensor's deepcopy), and a subclass stays that subclass
        new = type(self)(self.detach().clone(), self._rg)
        memo[id(self)] = new
        return new


def _register_fast_path():
    # let Parameters take the registry's fast paths for plain Tensors
    from .._ops._registry import register_tensor_type

    register_tensor_type(Parameter)


_register_fast_path()


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return Parameter(data, requires_grad)


class _BufferMeta(TorchNamed):
    # isinstance(t, Buffer) is True for tensors marked by Buffer(...)
    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)


class Buffer(Tensor, metaclass=_BufferMeta):
    """A Tensor that a Module registers as a buffer when assigned. Mirrors `torch.nn.Buffer`.

    `Buffer(t)` returns a plain Tensor sharing `t`'s data, marked as a buffer.
    """

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            from .._creation import empty

            data = empty(0)
        t = _share(Tensor, data)
        t._rg = data._rg if data._node is None else False
        t._is_buffer = True
        t._buffer_persistent = persistent
        return t


def is_lazy(param):
    """Mirrors `torch.nn.parameter.is_lazy` (ember has no lazy modules)."""
    return False


__all__ = ["Parameter", "Buffer"]
del D
