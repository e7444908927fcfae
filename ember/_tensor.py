"""Tensor: one NumPy (cpu) or CuPy (cuda) array plus its autograd state.

Op methods (`add`, `sum`, `__getitem__`, ...) are bound onto the class by `ember._ops._bind`
from the op table; this file holds what is not an op: metadata, conversion, autograd entry
points and interop.
"""

from operator import attrgetter as _attrgetter

import numpy as np

from . import _dtype as D
from ._device import CPU, device as _device_cls, to_device, move, device_of_array
from .autograd.grad_mode import GRAD, InferenceVersion
from .autograd._node import public_node as _public_node
from ._typenames import TorchNamed

_new = object.__new__
_ndarray = np.ndarray


_TYPE_NAMES = {
    "FloatTensor": D.float32,
    "DoubleTensor": D.float64,
    "HalfTensor": D.float16,
    "BFloat16Tensor": D.bfloat16,
    "LongTensor": D.int64,
    "IntTensor": D.int32,
    "ShortTensor": D.int16,
    "CharTensor": D.int8,
    "ByteTensor": D.uint8,
    "BoolTensor": D.bool_,
}


def _type_string(name):
    """`to()` arguments for Tensor.type("torch.FloatTensor") / ("torch.cuda.LongTensor")."""
    prefix, _, short = name.rpartition(".")
    if name == "torch.Tensor":
        # the default tensor type: FloatTensor, or DoubleTensor after set_default_dtype
        return {"dtype": D.get_default_dtype()}
    if prefix in ("torch", "torch.cuda") and short in _TYPE_NAMES:
        dt = _TYPE_NAMES[short]
        return {"dtype": dt, "device": "cuda"} if prefix == "torch.cuda" else {"dtype": dt}
    raise ValueError(f"invalid type: '{name}'")


def _bad_grad(t, g):
    """torch's error for assigning a gradient of another shape or dtype to `.grad`."""
    if tuple(g.shape) != t._data.shape:
        raise RuntimeError(
            f"attempting to assign a gradient of size '{list(g.shape)}' to a tensor of "
            f"size '{list(t._data.shape)}'. Please ensure that the gradient and the tensor are "
            "the same size"
        )
    from ._ops._inplace import _TORCH_NAMES
    from ._ops.linalg import _CPP

    got = _TORCH_NAMES[g._dtype.name]
    raise RuntimeError(
        f"attempting to assign a gradient with dtype '{_CPP.get(got, got)}' to a tensor with "
        f"grad_dtype '{_TORCH_NAMES[t._dtype.name]}'. The gradient must match the tensor's "
        "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype "
        "attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with "
        "caution. Diverging the dtypes of a tensor and its gradient may break downstream "
        "systems that assume they match."
    )



def _empty_strides(shape):
    st = []
    step = 1
    for n in reversed(shape):
        st.append(step)
        step *= max(n, 1)
    return tuple(reversed(st))

_NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
    "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)"
)


_SCALAR_WITH_GRAD_WARNING = (
    "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
    "Consider using tensor.detach() first. (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/autograd/generated/python_variable_methods.cpp:822.)"
)
_scalar_with_grad_warned = False


def _warn_scalar_with_grad():
    """float()/complex() of a tensor that requires grad: torch warns once per process (a
    TORCH_WARN_ONCE), and only while grad mode is on; int() and .item() never warn."""
    global _scalar_with_grad_warned
    if _scalar_with_grad_warned or not GRAD.enabled:
        return
    _scalar_with_grad_warned = True
    import warnings

    warnings.warn(_SCALAR_WITH_GRAD_WARNING, UserWarning, stacklevel=3)


class _NoGrad:
    """`Tensor._grad` when a tensor has no gradient (a non-data descriptor, so a gradient in
    the instance dict wins without calling it): None, with torch's warning when the tensor is
    a non-leaf that does not retain its gradient."""

    __slots__ = ()

    def __get__(self, t, cls=None):
        if t is not None and t._node is not None and t._rg and not t._retains_grad:
            import warnings

            warnings.warn(_NONLEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return None


def _cast_method(name, dt):
    """Tensor.float(), .long(), ...: `self.to(dt)`, with torch's keyword-only memory_format."""

    def cast(self, *, memory_format=None):
        if memory_format is None:
            if self._dtype is dt:
                # (a cast to the dtype it has is the tensor itself, as torch's)
                return self
            return self.to(dt)
        return self.to(dt, memory_format=memory_format)

    cast.__name__ = name
    cast.__qualname__ = "Tensor." + name
    return cast


class Tensor(metaclass=TorchNamed):
    """A multi-dimensional array with autograd. Mirrors `torch.Tensor`."""

    # what `type(x)` prints (see _typenames)
    _torch_name = "torch.Tensor"

    __slots__ = ("_data", "_dtype", "_device", "_rg", "_node", "__dict__", "__weakref__")

    # rarely set state lives in the instance dict; these class values are the defaults
    _vc = None
    _view_of = None
    _hooks = None
    # Tensor.register_post_accumulate_grad_hook's list (see _api_gaps)
    _post_acc_hooks = None
    _retains_grad = False
    __array_priority__ = 1000

    def __init__(self, *args, device=None, dtype=None):
        # torch.Tensor(data) copies data as float32; torch.Tensor(2, 3) is uninitialised
        from ._creation import _legacy_data

        arr, dt, dev = _legacy_data(args, dtype, device)
        self._data = arr
        self._dtype = dt
        self._device = dev
        self._rg = False
        self._node = None
        if GRAD.inference:
            self._vc = InferenceVersion()

    # ------------------------------------------------------------------ metadata
    @property
    def shape(self):
        # Sizes are immutable: one per distinct shape, so `x.shape` is a dict lookup
        s = self._data.shape
        z = _SIZES.get(s)
        if z is None:
            z = _size_of(s)
        return z

    def size(self, dim=None):
        if dim is None:
            s = self._data.shape
            z = _SIZES.get(s)
            if z is None:
                z = _size_of(s)
            return z
        return self._data.shape[_wrap_size_dim(dim, self._data.ndim)]

    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        return self._device

    @property
    def is_cuda(self):
        return self._device.type == "cuda"

    @property
    def is_cpu(self):
        return self._device.type == "cpu"

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return int(self._data.size)

    nelement = numel

    def element_size(self):
        return self._dtype.itemsize

    @property
    def itemsize(self):
        return self._dtype.itemsize

    @property
    def nbytes(self):
        return int(self._data.nbytes)

    def stride(self, dim=None):
        data = self._data
        if data.size:
            st = tuple(s // self._dtype.itemsize for s in data.strides)
        else:
            # NumPy gives an empty array zero strides; torch keeps the contiguous strides of
            # its shape with 0 counted as 1 ((2, 0, 3) -> (3, 3, 1))
            st = _empty_strides(data.shape)
        if dim is None:
            return st
        return st[_wrap_size_dim(dim, self._data.ndim)]

    def is_contiguous(self, memory_format=None):
        if memory_format is not None:
            from ._memory_format import (
                channel_order, contiguous_format, is_in_order, preserve_format)

            order = channel_order(memory_format, self._data.ndim)
            if order is not None:
                return is_in_order(self._data, order)
            if memory_format is not contiguous_format and memory_format is not preserve_format:
                # a channels-last format of another rank: never, as in PyTorch
                return False
        return bool(self._data.flags.c_contiguous)

    def data_ptr(self):
        if self._device.type == "cpu":
            return self._data.__array_interface__["data"][0]
        return self._data.data.ptr

    @property
    def _base(self):
        """Mirrors `torch.Tensor._base`: the tensor a view was made from (the root of a chain of
        views, as torch keeps it), None for a tensor that owns its memory."""
        vo = self._view_of
        if vo is None or "_no_base" in self.__dict__:
            # (a tensor read by load shares its storage's memory but, as in torch, is no view)
            return None
        root = vo[0]
        while root._view_of is not None:
            root = root._view_of[0]
        return root

    def storage_offset(self):
        """Mirrors `torch.Tensor.storage_offset`: elements from the start of the root base."""
        root = self
        while root._view_of is not None:
            root = root._view_of[0]
        if root is self:
            return 0
        return (self.data_ptr() - root.data_ptr()) // self._dtype.itemsize

    def is_floating_point(self):
        return self._dtype.is_floating_point

    def is_complex(self):
        return self._dtype.is_complex

    @property
    def is_leaf(self):
        return self._node is None or not self._rg

    @property
    def requires_grad(self):
        return self._rg

    @requires_grad.setter
    def requires_grad(self, flag):
        self._set_requires_grad(flag, _RG_SETTER)

    def requires_grad_(self, requires_grad=True):
        """Mirrors `torch.Tensor.requires_grad_`."""
        return self._set_requires_grad(requires_grad, _RG_METHOD)

    def _set_requires_grad(self, requires_grad, int_error):
        # torch words the integer-dtype error differently for the method, the attribute and
        # the `requires_grad=True` argument of creation functions
        if (requires_grad and self._vc.__class__ is InferenceVersion and not GRAD.inference
                and self._dtype._kind >= 2):
            raise RuntimeError(
                "Setting requires_grad=True on inference tensor outside InferenceMode is not "
                "allowed."
            )
        if self._node is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach()."
                )
            return self
        if requires_grad and self._dtype._kind < 2:
            raise RuntimeError(int_error)
        self._rg = bool(requires_grad)
        return self

    def _set_grad(self, g):
        if g is not None:
            if g.__class__ is not Tensor and not isinstance(g, Tensor):
                raise TypeError(
                    "assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(g).__name__}"
                )
            if g.__class__ is not Tensor and g.is_sparse:
                # a sparse gradient of a dense tensor (torch allows it: Embedding(sparse=True))
                if tuple(g.shape) != self._data.shape or g._dtype is not self._dtype:
                    _bad_grad(self, g)
            elif g._data.shape != self._data.shape or g._dtype is not self._dtype:
                _bad_grad(self, g)
        self.__dict__["_grad"] = g

    def _del_grad(self):
        self.__dict__.pop("_grad", None)

    # `.grad` checks what is assigned, as torch does; reading a gradient that is there runs no
    # Python code (a C attrgetter of `_grad`, which lives in the instance dict); when there is
    # none, the class default below answers None, warning as torch does for a non-leaf
    _grad = _NoGrad()
    grad = property(_attrgetter("_grad"), _set_grad, _del_grad)

    @property
    def grad_fn(self):
        n = self._node
        return n if n is None else _public_node(n)

    @property
    def data(self):
        # the same array with its own version counter: changes through `.data` are not
        # tracked (torch's documented difference from detach(), whose counter is shared);
        # an inference tensor's `.data` is one too
        t = _new_tensor(self._data, self._dtype, self._device)
        if self._vc.__class__ is InferenceVersion:
            t._vc = InferenceVersion()
        return t

    @data.setter
    def data(self, other):
        self._data = other._data
        self._dtype = other._dtype
        self._device = other._device

    @property
    def retains_grad(self):
        return self._retains_grad

    def _version_counter(self):
        v = self._vc
        if v is None:
            v = self._vc = [0]
        return v

    @property
    def _version(self):
        """Mirrors `torch.Tensor._version`: how many times the tensor (or a tensor sharing its
        memory) was changed in place. The counter itself is `_vc`, shared by views and checked
        by backward."""
        v = self._vc
        if v is None:
            return 0
        if v.__class__ is InferenceVersion:
            raise RuntimeError("Inference tensors do not track version counter.")
        return v[0]

    # the name earlier code and tests used for the counter's value
    _version_number = _version

    def is_inference(self):
        """Mirrors `torch.Tensor.is_inference`: made under `inference_mode` (or a view of such
        a tensor); see grad_mode.InferenceVersion."""
        return self._vc.__class__ is InferenceVersion

    # ------------------------------------------------------------------ conversion
    def item(self):
        """Mirrors `torch.Tensor.item`."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        if self._dtype is D.bfloat16:
            return float(self._data.reshape(()).astype(np.float32))
        return self._data.reshape(()).item()

    def tolist(self):
        if self._dtype is D.bfloat16:
            # ml_dtypes scalars are not Python floats; float32 holds every bfloat16 exactly
            return self._data.astype(np.float32).tolist()
        if self._device.type == "cpu":
            return self._data.tolist()
        return self._data.get().tolist()

    def numpy(self, *, force=False):
        """Mirrors `torch.Tensor.numpy`: shares memory; refuses grad and CUDA tensors."""
        if self._dtype is D.bfloat16:
            # PyTorch has no NumPy bfloat16 either and refuses, even with force=True
            raise TypeError("Got unsupported ScalarType BFloat16")
        if force:
            return np.array(move(self._data, CPU)) if self._device.type != "cpu" else self._data
        if self._rg:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        if self._device.type != "cpu":
            # torch names a cuda tensor's device with its index, a meta tensor's without
            dev = self._device
            name = "meta" if dev.type == "meta" else f"{dev.type}:{dev.index or 0}"
            raise TypeError(
                f"can't convert {name} device type tensor to numpy. Use Tensor.cpu() to copy the "
                "tensor to host memory first."
            )
        # a new array object on the same memory, so reshaping it leaves the tensor alone
        return self._data.view()

    def __array__(self, dtype=None, copy=None):
        if self._device.type != "cpu":
            self.numpy()
        a = self._data.view()
        if dtype is not None:
            a = a.astype(dtype, copy=False)
        if copy:
            a = a.copy()
        return a

    def __array_wrap__(self, arr, context=None, return_scalar=False):
        return _new_tensor(arr, D.from_numpy_dtype(arr.dtype), CPU)

    def module_load(self, other, assign=False):
        """Mirrors `torch.Tensor.module_load`: what `load_state_dict` puts in place of `self`
        (a subclass may override it to transform the loaded value)."""
        if assign:
            return other.detach()
        return self.copy_(other).detach()

    def __dlpack__(self, stream=None, **kwargs):
        if self._rg:
            raise BufferError(
                "Can't export tensors that require gradient, use tensor.detach()"
            )
        if self._device.type == "cpu":
            return self._data.__dlpack__(**kwargs)
        return self._data.__dlpack__(stream=stream, **kwargs)

    def __dlpack_device__(self):
        return self._data.__dlpack_device__()

    @property
    def __cuda_array_interface__(self):
        if self._device.type != "cuda":
            raise AttributeError(
                f"Can't get __cuda_array_interface__ on non-CUDA tensor type: {self.type()} "
                "If CUDA data is required use tensor.cuda() to copy tensor to device memory."
            )
        if self._rg:
            raise RuntimeError(
                "Can't get __cuda_array_interface__ on Variable that requires grad. If gradients "
                "aren't required, use var.detach() to get Variable that doesn't require grad."
            )
        return self._data.__cuda_array_interface__

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __contains__(self, element):
        """Mirrors `torch.Tensor.__contains__`: `x in t` is `(t == x).any()`."""
        import numbers

        if isinstance(element, (Tensor, numbers.Number)) or (
                isinstance(element, np.generic) and not isinstance(element, np.str_)):
            return bool((self == element).any().item())
        raise RuntimeError(
            "Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
            f"{type(element)}."
        )

    def __bool__(self):
        n = self._data.size
        if n != 1:
            which = "no values" if n == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {which} is ambiguous")
        return bool(self._data.reshape(()))

    def _python_scalar(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __float__(self):
        if self._rg:
            _warn_scalar_with_grad()
        return float(self._python_scalar())

    def __int__(self):
        return int(self._python_scalar())

    def __complex__(self):
        if self._rg:
            _warn_scalar_with_grad()
        return complex(self._python_scalar())

    def __index__(self):
        # bool tensors index too (True is 1), as in PyTorch
        if self._dtype._kind > 1 or self._data.size != 1:
            raise TypeError(
                "only integer tensors of a single element can be converted to an index"
            )
        return int(self._data.reshape(()))

    def __hash__(self):
        return id(self)

    def __reduce_ex__(self, proto):
        from .serialization import _reduce_tensor

        return _reduce_tensor(self)

    def __format__(self, spec):
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __repr__(self, *, tensor_contents=None):
        from ._printing import tensor_repr

        return tensor_repr(self, tensor_contents)

    def __str__(self):
        return self.__repr__()

    def __copy__(self):
        # as torch's copy.copy: a new leaf on the same memory, same requires_grad, no grad
        new = _new(self.__class__)
        new._data = self._data
        new._dtype = self._dtype
        new._device = self._device
        new._rg = self._rg
        new._node = None
        return new

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        if self._node is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the "
                "deepcopy protocol at the moment.  If you were attempting to deepcopy a module, "
                "this may be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001"
            )
        new = _new(self.__class__)
        data = self._data
        if data.flags.c_contiguous or data.__class__ is not np.ndarray:
            new._data = data.copy()
        else:
            # torch copies the storage and keeps the strides: a transposed tensor stays so
            from ._ops.shape import _copy_preserve

            new._data = _copy_preserve(np, data)
        new._dtype = self._dtype
        new._device = self._device
        new._rg = self._rg
        new._node = None
        for k, v in getattr(self, "__dict__", {}).items():
            if k in ("_vc", "_base", "_view_of", "_hooks"):
                continue
            if k == "_grad" and v is not None:
                v = v.__deepcopy__(memo)
            else:
                import copy

                v = copy.deepcopy(v, memo)
            new.__dict__[k] = v
        memo[id(self)] = new
        return new

    # ------------------------------------------------------------------ dtype / device
    def to(self, *args, **kwargs):
        """Mirrors `torch.Tensor.to`: `to(dtype)`, `to(device, dtype)`, `to(tensor)`, each
        followed by optional `non_blocking` and `copy`."""
        if not kwargs and len(args) == 1 and args[0].__class__ is D.dtype:
            # x.to(dtype), x.float(): the general parse below cost half of the 4.7 us of a
            # CPU float32 -> float64 copy (2.4 us in torch)
            dt = args[0]
            if dt is self._dtype:
                return self
            if self._device is CPU and not (self._rg and GRAD.enabled):
                return _new_tensor(self._data.astype(dt.np), dt, CPU)
        dev, dt, copy = _parse_to(args, kwargs)
        dev = to_device(dev) if dev is not None else None
        if dt is not None:
            dt = D.to_dtype(dt)
        fmt = kwargs.get("memory_format")
        if (dt is None or dt is self._dtype) and (dev is None or dev == self._device):
            out = self.clone() if copy else self
        else:
            from ._ops.elementwise import to_copy

            out = to_copy(self, dt or self._dtype, dev or self._device)
        if fmt is not None:
            out = out.contiguous(memory_format=fmt)
        return out

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            from .autograd._node import _type_name

            return _type_name(self)
        if isinstance(dtype, str):
            return self.to(**_type_string(dtype))
        if dtype in (float, int, bool, complex):
            # torch takes dtypes and tensor types here, not Python's types
            raise ValueError(f"invalid type: '{dtype.__name__}'")
        if dtype is Tensor:
            # x.type(torch.Tensor): the default tensor type, as in old `dtype = torch.Tensor`
            return self.to(D.get_default_dtype())
        return self.to(D.to_dtype(dtype))

    def type_as(self, other):
        return self.to(other._dtype)

    float = _cast_method("float", D.float32)
    double = _cast_method("double", D.float64)
    half = _cast_method("half", D.float16)
    bfloat16 = _cast_method("bfloat16", D.bfloat16)
    long = _cast_method("long", D.int64)
    int = _cast_method("int", D.int32)
    short = _cast_method("short", D.int16)
    char = _cast_method("char", D.int8)
    byte = _cast_method("byte", D.uint8)
    bool = _cast_method("bool", D.bool_)
    cfloat = _cast_method("cfloat", D.complex64)
    cdouble = _cast_method("cdouble", D.complex128)

    def cpu(self, *, memory_format=None):
        if memory_format is None:
            return self.to(CPU)
        return self.to(CPU, memory_format=memory_format)

    def cuda(self, device=None, non_blocking=False, *, memory_format=None):
        if device is None:
            device = "cuda"
        elif isinstance(device, int):
            device = _device_cls("cuda", device)
        if memory_format is None:
            return self.to(device)
        return self.to(device, memory_format=memory_format)

    def pin_memory(self):
        return self

    def is_pinned(self):
        return False

    # ------------------------------------------------------------------ autograd
    def detach(self):
        """Mirrors `torch.Tensor.detach`: shares data and version counter, no graph."""
        t = _new_tensor(self._data, self._dtype, self._device)
        t._vc = self._version_counter()
        return t

    def detach_(self):
        if self._view_of is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is "
                "set as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self._node = None
        self._rg = False
        return self

    def retain_grad(self):
        """Mirrors `torch.Tensor.retain_grad`."""
        if not self._rg:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._node is None:
            return
        if not self._retains_grad:
            import weakref

            self._node.retain = weakref.ref(self)
            self._retains_grad = True

    def register_hook(self, hook):
        """Mirrors `torch.Tensor.register_hook`: hook(grad) -> Tensor or None."""
        from .autograd._node import _Handle

        if not self._rg:
            raise RuntimeError(
                "cannot register a hook on a tensor that doesn't require gradient"
            )
        if self._node is not None:
            if self._node.hooks is None:
                self._node.hooks = []
            self._node.hooks.append(hook)
            return _Handle(self._node.hooks, hook)
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _Handle(self._hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Mirrors `torch.Tensor.backward`."""
        if (gradient is None and inputs is None and not create_graph and self._node is not None
                and self._data.size == 1 and self._dtype._kind == 2):
            # loss.backward(): straight to the engine
            run = _BACKWARD_SCALAR
            if not run:
                from .autograd._engine import backward_scalar

                run.append(backward_scalar)
            run[0](self, bool(retain_graph))
            return
        run = _AUTOGRAD_BACKWARD
        if not run:
            from .autograd import backward

            run.append(backward)
        run[0](self, gradient, retain_graph, create_graph, inputs=inputs)

    # ------------------------------------------------------------------ creation helpers
    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        from ._creation import tensor

        return tensor(
            data,
            dtype=dtype or self._dtype,
            device=device or self._device,
            requires_grad=requires_grad,
        )

    def _new_filled(self, fn, size, dtype, device, requires_grad, layout=None,
                    pin_memory=False, size_kw=None):
        from . import _creation as C

        if size_kw is not None:
            # t.new_zeros(size=(2, 3)), torch's keyword form
            if size:
                raise TypeError(f"{fn}() got multiple values for argument 'size'")
            size = (size_kw,)
        C._check_layout(layout)
        if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
            size = tuple(size[0])
        return getattr(C, fn)(
            *size,
            dtype=dtype or self._dtype,
            device=device or self._device,
            requires_grad=requires_grad,
            pin_memory=pin_memory,
        )

    # `size` is both torch's *size (t.new_zeros(2, 3)) and its keyword (t.new_zeros(size=...)):
    # the varargs take another name so that the keyword can exist
    def new_zeros(self, *sizes, dtype=None, device=None, requires_grad=False, layout=None,
                  pin_memory=False, size=None):
        return self._new_filled("zeros", sizes, dtype, device, requires_grad, layout,
                                pin_memory, size)

    def new_ones(self, *sizes, dtype=None, device=None, requires_grad=False, layout=None,
                 pin_memory=False, size=None):
        return self._new_filled("ones", sizes, dtype, device, requires_grad, layout,
                                pin_memory, size)

    def new_empty(self, *sizes, dtype=None, device=None, requires_grad=False, layout=None,
                  pin_memory=False, size=None):
        return self._new_filled("empty", sizes, dtype, device, requires_grad, layout,
                                pin_memory, size)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False, *,
                 layout=None, pin_memory=False):
        from ._creation import _check_layout, full

        _check_layout(layout)
        return full(
            size,
            fill_value,
            dtype=dtype or self._dtype,
            device=device or self._device,
            requires_grad=requires_grad,
        )


# ember.autograd.backward, resolved on first use (importing it at the top would cycle)
_AUTOGRAD_BACKWARD = []
_BACKWARD_SCALAR = []


_SIZES = {}


def _size_of(shape):
    """The shared Size of an array's shape tuple (all ints), remembered for next time."""
    if len(_SIZES) >= 4096:
        # programs whose shapes keep changing: keep the cache bounded
        _SIZES.clear()
    z = _SIZES[shape] = tuple.__new__(Size, shape)
    return z


class Size(tuple, metaclass=TorchNamed):
    """Mirrors `torch.Size`: a tuple of ints with `numel()`."""

    # what `type(x)` prints (see _typenames)
    _torch_name = "torch.Size"

    # no instance dict (torch.Size has none), so the shared Sizes of Tensor.shape are immutable
    __slots__ = ()

    def __new__(cls, sizes=()):
        items = tuple(sizes)
        for i, s in enumerate(items):
            if s.__class__ is not int:
                items = _size_items(items, i)
                break
        return tuple.__new__(cls, items)

    def __repr__(self):
        return "torch.Size([" + ", ".join(str(s) for s in self) + "])"

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        if isinstance(i, slice):
            return Size(r)
        return r

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(
                f"can only concatenate tuple (not {type(other).__name__}) to torch.Size"
            )
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n):
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))


def _size_items(items, start):
    # ints pass as they are; integer-like objects (NumPy ints, 1-element int tensors) via
    # __index__; anything else is PyTorch's TypeError
    out = list(items[:start])
    for i in range(start, len(items)):
        s = items[i]
        if isinstance(s, int) and not isinstance(s, bool):
            out.append(int(s))
            continue
        index = getattr(type(s), "__index__", None)
        ok = index is not None and not isinstance(s, Tensor)
        if isinstance(s, Tensor):
            ok = s._dtype._kind == 1 and s._data.size == 1
        if not ok:
            raise TypeError(
                f"torch.Size() takes an iterable of 'int' (item {i} is '{type(s).__name__}')"
            )
        out.append(s.__index__())
    return tuple(out)


_RG_METHOD = "only Tensors of floating point dtype can require gradients"
_RG_SETTER = "only Tensors of floating point and complex dtype can require gradients"
_RG_CREATE = "Only Tensors of floating point and complex dtype can require gradients"


def _requires_grad_on_create(t):
    """`requires_grad=True` of a creation function (PyTorch's wording of its error)."""
    return t._set_requires_grad(True, _RG_CREATE)


def _parse_to(args, kwargs):
    """(device, dtype, copy) of a `Tensor.to` call in any of its three forms."""
    dev = kwargs.get("device")
    dt = kwargs.get("dtype")
    copy = kwargs.get("copy", False)
    if not args:
        return dev, dt, copy
    first = args[0]
    if isinstance(first, Tensor):
        dev = first._device
        dt = first._dtype
    elif first.__class__ is D.dtype:
        dt = first
    elif isinstance(first, (str, _device_cls)) or (isinstance(first, int)
                                                   and not isinstance(first, bool)):
        dev = first
        if len(args) > 1 and (args[1] is None or args[1].__class__ is D.dtype):
            dt = args[1] if args[1] is not None else dt
        # the device form has dtype in slot 1, so copy sits one place later
        args = args[1:]
    elif first is not None:
        dt = D.to_dtype(first)
    if len(args) > 2:
        copy = args[2]
    return dev, dt, copy


def _wrap_size_dim(dim, ndim):
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return _wrap_dim(dim, ndim)


def _wrap_dim(dim, ndim):
    n = ndim if ndim > 0 else 1
    if dim < -n or dim >= n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim + n if dim < 0 else dim


def _new_tensor(arr, dt, dev):
    """Wrap an array (already of dtype `dt`, on `dev`) without copying. The hot path."""
    t = _new(Tensor)
    t._data = arr
    t._dtype = dt
    t._device = dev
    t._rg = False
    t._node = None
    if GRAD.inference:
        # made under inference_mode: an inference tensor (see grad_mode.InferenceVersion)
        t._vc = InferenceVersion()
    return t


def wrap_array(arr, dev=None):
    """Wrap any array (NumPy scalar, ndarray or CuPy array) as a Tensor."""
    if arr.__class__ is not _ndarray and isinstance(arr, np.generic):
        arr = np.asarray(arr)
    if dev is None:
        dev = device_of_array(arr)
    elif dev.type != "cpu" and arr.__class__ is _ndarray:
        # a constant built with NumPy for a CUDA tensor goes to the GPU
        arr = move(arr, dev)
    return _new_tensor(arr, D.from_numpy_dtype(arr.dtype), dev)
