"""Smaller public names of `torch` and `torch.Tensor` that programs reach for: the top-level
aliases of in-place methods, the top-level (ATen-order) versions of functional ops,
`torch.gradient`, `torch.frombuffer`, storage access, post-accumulate-grad hooks and a few
predicates. `install(namespace)` puts the functions into `ember` and the methods on Tensor.
"""

import warnings

import numpy as np

from . import _dtype as D
from ._tensor import Tensor, _new_tensor

# ATen's reduction enum, as the top-level loss functions take it. When the argument is left out
# torch 2.13's top-level losses do not reduce (observed: torch.kl_div(a, b) is elementwise,
# although the stubs say `reduction=1`), so the defaults below are 0
_REDUCTION = {0: "none", 1: "mean", 2: "sum"}

# top-level torch.X_(input, ...) that are just input.X_(...)
_INPLACE_ALIASES = (
    "abs_ acos_ acosh_ addmv_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ "
    "atan_ atanh_ ceil_ clamp_ clamp_max_ clamp_min_ clip_ conj_physical_ cos_ cosh_ deg2rad_ "
    "detach_ erf_ erfc_ exp2_ exp_ expm1_ fill_ fix_ floor_ frac_ gcd_ i0_ index_put_ lcm_ "
    "ldexp_ log10_ log1p_ log2_ log_ logit_ nan_to_num_ neg_ negative_ rad2deg_ reciprocal_ "
    "resize_as_ round_ rsqrt_ sigmoid_ sin_ sinc_ sinh_ sqrt_ square_ tan_ tanh_ trunc_ "
    "xlogy_ zero_"
).split()


def _alias(name):
    def f(input, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)

    f.__name__ = name
    f.__doc__ = f"Mirrors `torch.{name}`: the same as `input.{name}(...)`."
    return f


# ------------------------------------------------------------------ Tensor methods
def _inplace_of(name):
    def f(self, *args, **kwargs):
        from ._ops._inplace import inplace
        import ember

        return inplace(self, getattr(ember, name), *args, **kwargs)

    f.__name__ = name + "_"
    f.__doc__ = f"In-place `{name}`. Mirrors `torch.Tensor.{name}_`."
    return f


def is_inference(self):
    """Mirrors `torch.Tensor.is_inference`. ember does not mark the tensors made under
    `inference_mode` (they are ordinary tensors without a graph), so this is False unless
    `_inference` was set on the tensor."""
    return bool(self.__dict__.get("_inference", False))


def output_nr(self):
    """Mirrors `torch.Tensor.output_nr`: the output index of the tensor in its grad_fn. ember
    records most multi-output ops as one node per output, so those give 0; outputs of custom
    Functions give their index."""
    from .autograd._node import OutputSlot

    n = self._node
    if n is not None and n.__class__ is OutputSlot:
        return n.index
    return 0


def as_subclass(self, cls):
    """Mirrors `torch.Tensor.as_subclass`: the same data (and graph) as an instance of cls."""
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError("as_subclass expects a Tensor subclass as its argument")
    out = object.__new__(cls)
    out._data = self._data
    out._dtype = self._dtype
    out._device = self._device
    out._rg = self._rg
    out._node = self._node
    out._vc = self._version_counter()
    out._view_of = (self, lambda t: t)
    return out


def new_empty_strided(self, size, stride, *, dtype=None, device=None, requires_grad=False,
                      layout=None, pin_memory=False):
    """Mirrors `torch.Tensor.new_empty_strided`: like `empty_strided`, dtype and device of
    self by default."""
    import ember

    return ember.empty_strided(size, stride, dtype=dtype or self._dtype,
                               device=device or self._device, requires_grad=requires_grad)


def resize_as(self, tensor):
    """Mirrors the deprecated `torch.Tensor.resize_as` (autograd's Resize): the same elements
    in tensor's shape; the element counts must agree."""
    if self.numel() != tensor.numel():
        size = "x".join(map(str, tensor.shape))
        raise RuntimeError(
            f"requested resize to {size} ({tensor.numel()} elements in total), but the given "
            f"tensor has a size of {'x'.join(map(str, self.shape))} ({self.numel()} elements). "
            "autograd's resize can only change the shape of a given tensor, while preserving "
            "the number of elements. ")
    return self.reshape(tensor.shape)


def float_power_(self, exponent):
    """Mirrors `torch.Tensor.float_power_`: the result is float64 (complex128), so self must
    already have that dtype."""
    from ._ops._inplace import _TORCH_NAMES, inplace
    import ember

    want = D.complex128 if self.is_complex() or (
        isinstance(exponent, Tensor) and exponent.is_complex()) or isinstance(
        exponent, complex) else D.float64
    if self._dtype is not want:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {_TORCH_NAMES[self._dtype.name]} but the "
            f"operation's result requires dtype {_TORCH_NAMES[want.name]}")
    return inplace(self, ember.float_power, exponent)


def is_neg(self):
    """Mirrors `torch.Tensor.is_neg`: ember has no lazy negation bit, so always False."""
    return False


def adjoint(input):
    """Mirrors `torch.adjoint`: the conjugate transpose of the last two dimensions (a view)."""
    if input.dim() < 2:
        raise RuntimeError(
            "tensor.adjoint() is only supported on matrices or batches of matrices. Got "
            f"{input.dim()}-D tensor."
        )
    out = input.transpose(-2, -1)
    if input.is_complex():
        out = out.conj()
    return out


def register_post_accumulate_grad_hook(self, hook):
    """Mirrors `torch.Tensor.register_post_accumulate_grad_hook`: hook(tensor) runs after the
    gradient was accumulated into `.grad` of this leaf during backward."""
    from .autograd._node import _Handle

    if not self._rg:
        raise RuntimeError(
            "cannot register a hook on a tensor that doesn't require gradient"
        )
    if self._node is not None:
        raise RuntimeError(
            "post accumulate grad hooks cannot be registered on non-leaf tensors"
        )
    hooks = self._post_acc_hooks
    if hooks is None:
        hooks = self._post_acc_hooks = []
    hooks.append(hook)
    return _Handle(hooks, hook)


def run_post_accumulate_grad_hooks(t):
    """Called by the engine after it accumulated into `t.grad` (see the engine's _accumulate)."""
    hooks = t._post_acc_hooks
    if hooks:
        for h in tuple(hooks):
            h(t)


def _false(self):
    return False


# ------------------------------------------------------------------ top-level functions
def detach(input):
    """Mirrors `torch.detach`."""
    return input.detach()


def is_same_size(input, other):
    """Mirrors `torch.is_same_size`."""
    return tuple(input.shape) == tuple(other.shape)


def is_signed(input):
    """Mirrors `torch.is_signed`."""
    return input.is_signed()


def is_inference_fn(input):
    return input.is_inference()


def is_neg_fn(input):
    return False


def resolve_neg(input):
    """Mirrors `torch.resolve_neg`: ember never defers a negation, so the input itself."""
    return input


def resolve_conj(input):
    """Mirrors `torch.resolve_conj`: ember never defers a conjugation, so the input itself."""
    return input


def fill(input, value):
    """Mirrors `torch.fill`: a new tensor like input, filled with value."""
    return input.clone().fill_(value)


def get_device(input):
    """Mirrors `torch.get_device`: -1 on the CPU, the index on CUDA."""
    return input.get_device()


def typename(obj):
    """Mirrors `torch.typename`."""
    from .nn.modules.module import _typename

    name = _typename(obj)
    # ember's modules mirror torch's layout: ember.nn.modules.linear.Linear is torch's
    # torch.nn.modules.linear.Linear
    if name.startswith("ember."):
        name = "torch." + name[len("ember."):]
    return name


def set_default_tensor_type(t):
    """Mirrors the deprecated `torch.set_default_tensor_type`: FloatTensor / DoubleTensor (or
    their names) set the default dtype. CUDA tensor types are refused (ember keeps the default
    device apart: use `set_default_device`)."""
    warnings.warn(
        "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
        "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
        UserWarning, stacklevel=2)
    name = t if isinstance(t, str) else "torch." + t.__name__
    kinds = {"torch.FloatTensor": D.float32, "torch.DoubleTensor": D.float64,
             "torch.HalfTensor": D.float16, "torch.BFloat16Tensor": D.bfloat16}
    if name not in kinds:
        if name.startswith("torch.cuda."):
            raise NotImplementedError("ember's set_default_tensor_type takes CPU types only")
        raise TypeError("only floating-point types are supported as the default type")
    D.set_default_dtype(kinds[name])


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """Mirrors `torch.frombuffer`: a 1-D tensor over the buffer's memory (no copy)."""
    mem = memoryview(buffer)
    if mem.nbytes == 0 or count == 0:
        raise ValueError(
            f"both buffer length ({mem.nbytes}) and count ({count}) must not be 0")
    if offset < 0 or offset >= mem.nbytes:
        raise ValueError(
            f"offset ({offset} bytes) must be non-negative and no greater than buffer length "
            f"({mem.nbytes} bytes) minus 1")
    if count < 0 and (mem.nbytes - offset) % dtype.itemsize != 0:
        raise ValueError(
            f"buffer length ({mem.nbytes - offset} bytes) after offset ({offset} bytes) must be "
            f"a multiple of element size ({dtype.itemsize})")
    if mem.readonly:
        warnings.warn(
            "The given buffer is not writable, and PyTorch does not support non-writable "
            "tensors. This means you can write to the underlying (supposedly non-writable) "
            "buffer using the tensor. You may want to copy the buffer to protect its data or "
            "make it writable before converting it to a tensor. This type of warning will be "
            "suppressed for the rest of this program.", UserWarning, stacklevel=2)
    arr = np.frombuffer(buffer, dtype=dtype.np, count=count, offset=offset)
    if mem.readonly:
        # torch hands out a writable tensor over read-only memory; NumPy refuses, so ember
        # takes a copy instead (writes through the tensor do not reach the bytes object)
        arr = arr.copy()
    from ._device import CPU

    t = _new_tensor(arr, dtype, CPU)
    if requires_grad:
        t.requires_grad_(True)
    return t


def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None,
                   requires_grad=False, pin_memory=False):
    """Mirrors `torch.empty_permuted`: an empty tensor of `size` whose memory is laid out in
    the order `physical_layout` (outermost first)."""
    import ember

    size = tuple(size)
    physical_layout = tuple(physical_layout)
    if sorted(physical_layout) != list(range(len(size))):
        raise RuntimeError(
            f"Number of dimensions in size does not match the length of the physical_layout; "
            f"i.e. len(size) = {len(size)} is not equal to len(physical_layout) = "
            f"{len(physical_layout)}")
    phys = ember.empty([size[p] for p in physical_layout], dtype=dtype, device=device)
    inverse = [physical_layout.index(i) for i in range(len(size))]
    out = phys.permute(inverse)
    if requires_grad:
        out = out.detach().requires_grad_(True)
    return out


def binomial(count, prob, generator=None):
    """Mirrors `torch.binomial`: draws of Binomial(count, prob); on the CPU torch's own
    sampler, so seeded draws are torch's (see ember/_random.py)."""
    from ._random import binomial as _binomial

    return _binomial(count, prob, generator)


def unsafe_chunk(input, chunks, dim=0):
    """Mirrors `torch.unsafe_chunk`: `chunk` (ember has no unchecked variant)."""
    return input.chunk(chunks, dim)


def unsafe_split(tensor, split_size_or_sections, dim=0):
    """Mirrors `torch.unsafe_split`: `split` (ember has no unchecked variant)."""
    return tensor.split(split_size_or_sections, dim)


# ---------------------------------------------------------- ATen-order nn functions
def _F():
    from .nn import functional

    return functional


def dropout(input, p, train):
    """Mirrors `torch.dropout(input, p, train)`."""
    return _F().dropout(input, p, train)


def dropout_(input, p, train):
    return _F().dropout(input, p, train, inplace=True)


def alpha_dropout(input, p, train):
    """Mirrors `torch.alpha_dropout(input, p, train)`."""
    return _F().alpha_dropout(input, p, train)


def alpha_dropout_(input, p, train):
    return _F().alpha_dropout(input, p, train, inplace=True)


def feature_alpha_dropout(input, p, train):
    """Mirrors `torch.feature_alpha_dropout(input, p, train)`."""
    return _F().feature_alpha_dropout(input, p, train)


def feature_alpha_dropout_(input, p, train):
    return _F().feature_alpha_dropout(input, p, train, inplace=True)


def feature_dropout(input, p, train):
    """Mirrors `torch.feature_dropout(input, p, train)`: whole channels (dim 1) are zeroed."""
    import ember

    if not train or p == 0:
        return input
    if p == 1:
        return input * 0.0
    shape = list(input.shape[:2]) + [1] * (input.dim() - 2)
    keep = ember.empty(shape, dtype=input.dtype, device=input.device).bernoulli_(1 - p)
    return input * keep.div_(1 - p)


def feature_dropout_(input, p, train):
    return input.copy_(feature_dropout(input, p, train))


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """Mirrors `torch.embedding(weight, indices, ...)`: padding_idx -1 means none."""
    return _F().embedding(indices, weight, None if padding_idx == -1 else padding_idx,
                          scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True):
    """Mirrors `torch.layer_norm`."""
    return _F().layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True):
    """Mirrors `torch.group_norm`."""
    return _F().group_norm(input, num_groups, weight, bias, eps)


def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
               cudnn_enabled):
    """Mirrors `torch.batch_norm` (ATen's argument order: weight and bias first)."""
    return _F().batch_norm(input, running_mean, running_var, weight, bias, training, momentum,
                           eps)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum,
                  eps, cudnn_enabled):
    """Mirrors `torch.instance_norm` (ATen's argument order)."""
    return _F().instance_norm(input, running_mean, running_var, weight, bias, use_input_stats,
                              momentum, eps)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Mirrors `torch.rms_norm`."""
    return _F().rms_norm(input, normalized_shape, weight, eps)


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=0):
    """Mirrors `torch.binary_cross_entropy_with_logits` (reduction 0 none, 1 mean, 2 sum)."""
    return _F().binary_cross_entropy_with_logits(input, target, weight,
                                                 reduction=_REDUCTION[reduction],
                                                 pos_weight=pos_weight)


def kl_div(input, target, reduction=0, *, log_target=False):
    """Mirrors `torch.kl_div`: reduction 1 is the plain mean over elements, without F.kl_div's
    warning about 'batchmean'; left out, no reduction (as torch)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _F().kl_div(input, target, reduction=_REDUCTION[reduction],
                           log_target=log_target)


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=0):
    """Mirrors `torch.cosine_embedding_loss`."""
    return _F().cosine_embedding_loss(input1, input2, target, margin,
                                      reduction=_REDUCTION[reduction])


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction=0):
    """Mirrors `torch.margin_ranking_loss`."""
    return _F().margin_ranking_loss(input1, input2, target, margin,
                                    reduction=_REDUCTION[reduction])


def hinge_embedding_loss(input, target, margin=1.0, reduction=0):
    """Mirrors `torch.hinge_embedding_loss`."""
    return _F().hinge_embedding_loss(input, target, margin, reduction=_REDUCTION[reduction])


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False,
                        reduction=0):
    """Mirrors `torch.triplet_margin_loss`."""
    return _F().triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                    reduction=_REDUCTION[reduction])


def poisson_nll_loss(input, target, log_input, full, eps, reduction):
    """Mirrors `torch.poisson_nll_loss` (every argument required, as in ATen)."""
    return _F().poisson_nll_loss(input, target, log_input, full, eps=eps,
                                 reduction=_REDUCTION[reduction])


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=0,
             zero_infinity=False):
    """Mirrors `torch.ctc_loss`."""
    return _F().ctc_loss(log_probs, targets, input_lengths, target_lengths, blank,
                         _REDUCTION[reduction], zero_infinity)


# ------------------------------------------------------------------ torch.gradient
def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """Mirrors `torch.gradient`: central differences inside, one-sided (first or second order)
    at the edges, with uniform spacing (numbers) or coordinates (1-D tensors). Built from
    differentiable ops, so the result has a graph when input requires grad."""
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if dim is None:
        dims = list(range(input.dim()))
    elif isinstance(dim, int):
        dims = [dim]
    else:
        dims = list(dim)
    dims = [d % input.dim() for d in dims]
    if isinstance(spacing, (list, tuple)):
        spacings = list(spacing)
        if len(spacings) != len(dims):
            raise RuntimeError(
                f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing "
                f"and dim arguments to have the same length, but got a spacing argument of "
                f"length {len(spacings)} and a dim argument of length {len(dims)}.")
    else:
        spacings = [spacing] * len(dims)
    for d in dims:
        if input.shape[d] < edge_order + 1:
            raise RuntimeError(
                "torch.gradient expected each dimension size to be at least edge_order+1")
    if not input.is_floating_point() and not input.is_complex():
        input = input.to(D.get_default_dtype())
    return tuple(_gradient_1(input, d, s, edge_order) for d, s in zip(dims, spacings))


def _gradient_1(f, d, h, edge_order):
    n = f.shape[d]

    def part(start, length):
        return f.narrow(d, start, length)

    if isinstance(h, Tensor) and h.dim() == 1:
        return _gradient_coords(f, d, h.to(f.dtype), edge_order, part)
    if isinstance(h, Tensor):
        h = h.item()
    inner = (part(2, n - 2) - part(0, n - 2)) / (2 * h)
    if edge_order == 1:
        first = (part(1, 1) - part(0, 1)) / h
        last = (part(n - 1, 1) - part(n - 2, 1)) / h
    else:
        first = (-1.5 * part(0, 1) + 2 * part(1, 1) - 0.5 * part(2, 1)) / h
        last = (0.5 * part(n - 3, 1) - 2 * part(n - 2, 1) + 1.5 * part(n - 1, 1)) / h
    import ember

    return ember.cat([first, inner, last], d)


def _gradient_coords(f, d, x, edge_order, part):
    """Non-uniform spacing: NumPy's second-order-accurate formulas for coordinates x."""
    import ember

    n = f.shape[d]
    shape = [1] * f.dim()
    shape[d] = -1

    def along(v):
        return v.reshape(shape)

    dx = x[1:] - x[:-1]
    dx1 = dx[:-1]
    dx2 = dx[1:]
    a = -dx2 / (dx1 * (dx1 + dx2))
    b = (dx2 - dx1) / (dx1 * dx2)
    c = dx1 / (dx2 * (dx1 + dx2))
    inner = along(a) * part(0, n - 2) + along(b) * part(1, n - 2) + along(c) * part(2, n - 2)
    if edge_order == 1:
        first = (part(1, 1) - part(0, 1)) / dx[0]
        last = (part(n - 1, 1) - part(n - 2, 1)) / dx[-1]
    else:
        d1, d2 = dx[0], dx[1]
        a = -(2.0 * d1 + d2) / (d1 * (d1 + d2))
        b = (d1 + d2) / (d1 * d2)
        c = -d1 / (d2 * (d1 + d2))
        first = a * part(0, 1) + b * part(1, 1) + c * part(2, 1)
        d1, d2 = dx[-2], dx[-1]
        a = d2 / (d1 * (d1 + d2))
        b = -(d2 + d1) / (d1 * d2)
        c = (2.0 * d2 + d1) / (d2 * (d1 + d2))
        last = a * part(n - 3, 1) + b * part(n - 2, 1) + c * part(n - 1, 1)
    return ember.cat([first, inner, last], d)


# ------------------------------------------------------------------ installation
_TENSOR_METHODS = {
    "is_inference": is_inference,
    "as_subclass": as_subclass,
    "new_empty_strided": new_empty_strided,
    "resize_as": resize_as,
    "is_neg": is_neg,
    "adjoint": adjoint,
    "register_post_accumulate_grad_hook": register_post_accumulate_grad_hook,
    "float_power_": float_power_,
    "gcd_": _inplace_of("gcd"),
    "lcm_": _inplace_of("lcm"),
    "ldexp_": _inplace_of("ldexp"),
    "nextafter_": _inplace_of("nextafter"),
    "renorm_": _inplace_of("renorm"),
    "heaviside_": _inplace_of("heaviside"),
    "conj_physical_": _inplace_of("conj_physical"),
}


def install(namespace):
    """Bind the methods onto Tensor and the functions into `namespace` (ember's globals)."""
    from . import _storage
    from ._device_modules import get_device_module
    from .types import SymBool, SymFloat, SymInt

    for name, fn in _TENSOR_METHODS.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, fn)
    if not hasattr(Tensor, "output_nr"):
        Tensor.output_nr = property(output_nr)
    for name in ("is_xpu", "is_mps", "is_mtia", "is_ipu", "is_xla", "is_maia", "is_vulkan"):
        if not hasattr(Tensor, name):
            setattr(Tensor, name, property(_false))
    if not hasattr(Tensor, "untyped_storage"):
        Tensor.untyped_storage = _storage.untyped_storage
        Tensor.storage = _storage.storage
    functions = {
        "detach": detach, "is_same_size": is_same_size, "is_signed": is_signed,
        "is_inference": is_inference_fn, "is_neg": is_neg_fn, "resolve_neg": resolve_neg,
        "resolve_conj": resolve_conj, "adjoint": adjoint, "fill": fill, "get_device": get_device,
        "typename": typename, "set_default_tensor_type": set_default_tensor_type,
        "frombuffer": frombuffer, "empty_permuted": empty_permuted, "binomial": binomial,
        "unsafe_chunk": unsafe_chunk, "unsafe_split": unsafe_split, "gradient": gradient,
        "dropout": dropout, "dropout_": dropout_, "alpha_dropout": alpha_dropout,
        "alpha_dropout_": alpha_dropout_, "feature_alpha_dropout": feature_alpha_dropout,
        "feature_alpha_dropout_": feature_alpha_dropout_, "feature_dropout": feature_dropout,
        "feature_dropout_": feature_dropout_, "embedding": embedding, "layer_norm": layer_norm,
        "group_norm": group_norm, "batch_norm": batch_norm, "instance_norm": instance_norm,
        "rms_norm": rms_norm, "binary_cross_entropy_with_logits":
        binary_cross_entropy_with_logits, "kl_div": kl_div,
        "cosine_embedding_loss": cosine_embedding_loss,
        "margin_ranking_loss": margin_ranking_loss, "hinge_embedding_loss": hinge_embedding_loss,
        "triplet_margin_loss": triplet_margin_loss, "poisson_nll_loss": poisson_nll_loss,
        "ctc_loss": ctc_loss, "UntypedStorage": _storage.UntypedStorage,
        "TypedStorage": _storage.TypedStorage, "is_storage": _storage.is_storage,
        "get_device_module": get_device_module, "SymInt": SymInt, "SymFloat": SymFloat,
        "SymBool": SymBool,
    }
    for name in _INPLACE_ALIASES:
        functions.setdefault(name, _alias(name))
    for name, fn in functions.items():
        if name not in namespace:
            namespace[name] = fn
