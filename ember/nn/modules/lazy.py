"""Lazy modules: `LazyLinear`, `LazyConv*`, `LazyConvTranspose*`, `LazyBatchNorm*`,
`LazyInstanceNorm*`, and the `UninitializedParameter` / `UninitializedBuffer` they hold.

Mirrors `torch.nn.modules.lazy`. A lazy module holds uninitialised parameters until its first
forward call, which infers the input size, gives each parameter its shape and values in place
(the parameter objects stay the same, so an optimizer built before the first call trains
them), and turns the module into its ordinary class (`LazyLinear` becomes `Linear`).
The values come from the ordinary class's own initialisation.
"""

from ..._tensor import Tensor
from ..parameter import Parameter

_UNINIT = ("Can't access the shape of an uninitialized parameter or buffer. This error usually "
           "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
           "initialized one. Call `forward` to initialize the parameters before accessing their "
           "attributes.")


class _UninitializedMixin:
    """What uninitialised parameters and buffers share: no shape until `materialize`."""

    cls_to_become = Tensor

    @property
    def shape(self):
        raise RuntimeError(_UNINIT)

    def size(self, dim=None):
        raise RuntimeError(_UNINIT)

    def numel(self):
        raise RuntimeError(_UNINIT)

    def materialize(self, shape, device=None, dtype=None):
        """Give the tensor `shape` (uninitialised memory) and its ordinary class, in place."""
        from ..._creation import empty

        data = empty(tuple(shape), device=device or self._device, dtype=dtype or self._dtype)
        self._data = data._data
        self._dtype = data._dtype
        self._device = data._device
        self.__class__ = self.cls_to_become

    def _materialize_from(self, other):
        # take over the values a freshly built ordinary module initialised
        self._data = other._data
        self._dtype = other._dtype
        self._device = other._device
        self.__class__ = self.cls_to_become

    def __repr__(self):
        return f"<{self.__class__.__name__}>"

    def __deepcopy__(self, memo):
        return self.__class__(self._rg, self._device, self._dtype)


class UninitializedParameter(_UninitializedMixin, Parameter):
    """Mirrors `torch.nn.UninitializedParameter`: becomes a Parameter when materialized."""

    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        from ..._creation import empty

        p = Parameter.__new__(cls, empty(0, device=device, dtype=dtype), requires_grad)
        return p

    def __init__(self, requires_grad=True, device=None, dtype=None):
        pass


class UninitializedBuffer(_UninitializedMixin, Tensor):
    """Mirrors `torch.nn.UninitializedBuffer`: becomes a Tensor when materialized."""

    cls_to_become = Tensor

    def __init__(self, requires_grad=False, device=None, dtype=None):
        from ..._creation import empty

        data = empty(0, device=device, dtype=dtype)
        self._data = data._data
        self._dtype = data._dtype
        self._device = data._device
        self._rg = bool(requires_grad)
        self._node = None


def _is_lazy(t):
    return isinstance(t, _UninitializedMixin)


class LazyModuleMixin:
    """Mirrors `torch.nn.modules.lazy.LazyModuleMixin`: the first forward call initialises."""

    cls_to_become = None

    def has_uninitialized_params(self):
        """True while a parameter or buffer is still uninitialised."""
        tensors = list(self._parameters.values()) + list(self._buffers.values())
        return any(_is_lazy(t) for t in tensors)

    def _lazy_setup(self, in_attr, extra_attrs=()):
        """Called at the end of __init__: swap in uninitialised tensors, hook the first call."""
        setattr(self, in_attr, 0)
        for name, p in list(self._parameters.items()):
            if p is not None:
                self._parameters[name] = UninitializedParameter(p._rg, p._device, p._dtype)
        for name in ("running_mean", "running_var"):
            b = self._buffers.get(name)
            if b is not None:
                self._buffers[name] = UninitializedBuffer(False, b._device, b._dtype)
        self._lazy_in_attr = in_attr
        self._lazy_hook = self.register_forward_pre_hook(_infer_parameters)

    def _infer_in(self, input):
        raise NotImplementedError

    def initialize_parameters(self, input, *args):
        """Build the ordinary module for this input and take over its tensors in place."""
        # building the ordinary module draws its initial values as its constructor does
        in_size = self._infer_in(input)
        ordinary = self.cls_to_become(in_size, *self._lazy_args, **self._lazy_kwargs)
        for name, p in self._parameters.items():
            if _is_lazy(p):
                p._materialize_from(ordinary._parameters[name])
        for name, b in self._buffers.items():
            if _is_lazy(b):
                b._materialize_from(ordinary._buffers[name])
        setattr(self, self._lazy_in_attr, in_size)


def _infer_parameters(module, args):
    module.initialize_parameters(*args)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {module._get_name()} has not been fully initialized")
    module._lazy_hook.remove()
    del module._lazy_hook
    del module._lazy_in_attr
    module.__class__ = module.cls_to_become


def _keep_rng(build):
    # torch's lazy constructors draw no random numbers; building the ordinary module to copy
    # its layout would, so the generator's state is put back afterwards
    from ..._random import get_rng_state, set_rng_state

    state = get_rng_state()
    try:
        build()
    finally:
        set_rng_state(state)


def _lazy(name, base, in_attr, infer, n_spatial=None):
    """A Lazy class for the ordinary class `base`: same arguments without the input size."""

    def __init__(self, *args, **kwargs):
        self._lazy_args = args
        self._lazy_kwargs = kwargs
        _keep_rng(lambda: base.__init__(self, 1, *args, **kwargs))
        self._lazy_setup(in_attr)

    def _infer_in(self, input):
        return infer(input, n_spatial)

    cls = type(name, (LazyModuleMixin, base), {
        "__init__": __init__, "_infer_in": _infer_in, "cls_to_become": base,
        "__doc__": f"Mirrors `torch.nn.{name}`: a {base.__name__} whose input size is inferred "
                   f"at the first call.", "__module__": __name__,
    })
    cls.__qualname__ = name
    return cls


def _last_dim(input, n):
    return input.shape[-1]


def _channels(input, n):
    # (N, C, *spatial) or unbatched (C, *spatial)
    return input.shape[1] if input.dim() == n + 2 else input.shape[0]


def _bn_features(input, n):
    return input.shape[1]


def _build():
    from . import conv, linear, normalization

    out = {"LazyLinear": _lazy("LazyLinear", linear.Linear, "in_features", _last_dim)}
    for d in (1, 2, 3):
        out[f"LazyConv{d}d"] = _lazy(f"LazyConv{d}d", getattr(conv, f"Conv{d}d"), "in_channels",
                                     _channels, d)
        out[f"LazyConvTranspose{d}d"] = _lazy(f"LazyConvTranspose{d}d",
                                              getattr(conv, f"ConvTranspose{d}d"),
                                              "in_channels", _channels, d)
        out[f"LazyBatchNorm{d}d"] = _lazy(f"LazyBatchNorm{d}d",
                                          getattr(normalization, f"BatchNorm{d}d"),
                                          "num_features", _bn_features, d)
        out[f"LazyInstanceNorm{d}d"] = _lazy_instance_norm(d, normalization)
    return out


def _lazy_instance_norm(d, normalization):
    base = getattr(normalization, f"InstanceNorm{d}d")
    cls = _lazy(f"LazyInstanceNorm{d}d", base, "num_features", _channels, d)
    plain_init = cls.__init__

    # torch's LazyInstanceNorm defaults differ from InstanceNorm's: affine and
    # track_running_stats are True
    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None, *, bias=True):
        plain_init(self, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    cls.__init__ = __init__
    return cls


globals().update(_build())

__all__ = ["UninitializedParameter", "UninitializedBuffer", "LazyModuleMixin", "LazyLinear"] + [
    f"Lazy{k}{d}d" for k in ("Conv", "ConvTranspose", "BatchNorm", "InstanceNorm")
    for d in (1, 2, 3)]
