"""More public names of `torch` and `torch.Tensor` that programs reach for: the exception
classes, anomaly and warning switches, the `*_copy` functions (a view op followed by a copy),
`unsafe_*` splits, `Tensor.set_`, the ATen-order nn functions (`native_layer_norm`,
`lstm_cell`, `embedding_bag`, ...), the deprecated norms, `segment_reduce`, the removed linalg
functions (which raise torch's message) and the legacy storage classes.

`install(namespace)` puts the functions into `ember` (never replacing a name ember already
has), binds the methods onto Tensor, and makes `ember.compiler`, `ember._dynamo`, `ember.hub`
and `ember.overrides` load on first use.
"""

import numpy as np

from . import _memory_format
from . import _dtype as D
from ._tensor import Tensor


# ------------------------------------------------------------------ exceptions
class OutOfMemoryError(RuntimeError):
    """Mirrors `torch.OutOfMemoryError` (also `torch.cuda.OutOfMemoryError`)."""

    __module__ = "torch"


class AcceleratorError(RuntimeError):
    """Mirrors `torch.AcceleratorError`."""

    __module__ = "torch"


# ------------------------------------------------------------------ global switches
# torch keeps anomaly mode's check_nan flag beside the mode itself; its default is True
_STATE = {"check_nan": True, "warn_always": False}


def set_anomaly_enabled(enabled, check_nan=True):
    """Mirrors `torch.set_anomaly_enabled`: sets the flag that `detect_anomaly` sets."""
    from .autograd.grad_mode import GRAD

    GRAD.anomaly = bool(enabled)
    _STATE["check_nan"] = bool(check_nan)


def is_anomaly_enabled():
    """Mirrors `torch.is_anomaly_enabled`."""
    from .autograd.grad_mode import GRAD

    return GRAD.anomaly


def is_anomaly_check_nan_enabled():
    """Mirrors `torch.is_anomaly_check_nan_enabled` (set by `set_anomaly_enabled` and by the
    anomaly context managers, which store their check_nan through it)."""
    return _STATE["check_nan"]


def set_warn_always(b):
    """Mirrors `torch.set_warn_always`: ember records the flag (its warnings already go
    through Python's `warnings`, whose filters decide how often they show)."""
    _STATE["warn_always"] = bool(b)


def is_warn_always_enabled():
    """Mirrors `torch.is_warn_always_enabled`."""
    return _STATE["warn_always"]


def set_flush_denormal(mode):
    """Mirrors `torch.set_flush_denormal`: True, as torch on x86 (SSE3). NumPy keeps computing
    with denormal numbers either way."""
    return True


def is_distributed(input):
    """Mirrors `torch.is_distributed`: always False."""
    return False


# ------------------------------------------------------------------ *_copy functions
# (clone's default keeps a dense layout, as torch's does; the *_copy results are contiguous)
_CONTIGUOUS = _memory_format.contiguous_format
def _copy_of(view_name):
    """torch.<view>_copy: the view op's result as a new contiguous tensor (differentiable)."""

    def f(input, *args, **kwargs):
        return getattr(input, view_name)(*args, **kwargs).clone(memory_format=_CONTIGUOUS)

    f.__name__ = view_name + "_copy"
    f.__doc__ = (f"Mirrors `torch.{view_name}_copy`: `input.{view_name}(...)` copied into new "
                 "memory.")
    return f


def _copies_of(view_name):
    """torch.<multi-output view>_copy: a tuple of copies."""

    def f(input, *args, **kwargs):
        return tuple(t.clone(memory_format=_CONTIGUOUS)
                     for t in getattr(input, view_name)(*args, **kwargs))

    f.__name__ = view_name + "_copy"
    f.__doc__ = f"Mirrors `torch.{view_name}_copy`: a tuple of copies of the views."
    return f


def expand_copy(input, size, *, implicit=False):
    """Mirrors `torch.expand_copy`."""
    return input.expand(size).clone(memory_format=_CONTIGUOUS)


def squeeze_copy(input, dim=None):
    """Mirrors `torch.squeeze_copy` (dim: None, an int or a tuple)."""
    return (input.squeeze() if dim is None else input.squeeze(dim)).clone(
        memory_format=_CONTIGUOUS)


def detach_copy(input):
    """Mirrors `torch.detach_copy`: a detached copy."""
    return input.detach().clone(memory_format=_CONTIGUOUS)


def alias_copy(input):
    """Mirrors `torch.alias_copy`: a copy (with a graph when input requires grad)."""
    return input.clone(memory_format=_CONTIGUOUS)


def slice_copy(input, dim=0, start=None, end=None, step=1):
    """Mirrors `torch.slice_copy`."""
    index = [slice(None)] * input.dim()
    index[dim] = slice(start, end, step)
    return input[tuple(index)].clone(memory_format=_CONTIGUOUS)


def as_strided_copy(input, size, stride, storage_offset=None):
    """Mirrors `torch.as_strided_copy`."""
    return input.as_strided(size, stride, storage_offset).clone(memory_format=_CONTIGUOUS)


def view_copy(input, size_or_dtype):
    """Mirrors `torch.view_copy` (a shape or a dtype)."""
    return input.view(size_or_dtype).clone(memory_format=_CONTIGUOUS)


# ------------------------------------------------------------------ unsafe splits
def unsafe_split_with_sizes(input, split_sizes, dim=0):
    """Mirrors `torch.unsafe_split_with_sizes`: `split_with_sizes` (ember has no unchecked
    variant)."""
    return tuple(input.split_with_sizes(split_sizes, dim))


def _unsafe_split_method(self, split_size, dim=0):
    """Mirrors `torch.Tensor.unsafe_split`."""
    return tuple(self.split(split_size, dim))


def _unsafe_chunk_method(self, chunks, dim=0):
    """Mirrors `torch.Tensor.unsafe_chunk`."""
    return tuple(self.chunk(chunks, dim))


# ------------------------------------------------------------------ Tensor methods
def narrow_copy(self, dim, start, length):
    """Mirrors `torch.Tensor.narrow_copy` (and `torch.narrow_copy`)."""
    return self.narrow(dim, start, length).clone(memory_format=_CONTIGUOUS)


def set_(self, source=None, storage_offset=None, size=None, stride=None):
    """Mirrors `torch.Tensor.set_`: `set_(tensor)` makes self share source's memory, shape and
    strides; `set_()` makes self an empty tensor. The storage forms
    (`set_(storage, offset, size, stride)`) are not supported."""
    from .autograd.grad_mode import GRAD

    if self._rg and self._node is None and GRAD.enabled:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation.")
    if source is None:
        self._data = self._device.xp.empty((0,), dtype=self._data.dtype)
        return self
    if not isinstance(source, Tensor):
        raise NotImplementedError("ember's Tensor.set_ takes a Tensor (or nothing)")
    if storage_offset is not None or size is not None or stride is not None:
        source = source.as_strided(size, stride, storage_offset)
    if source._dtype is not self._dtype:
        raise RuntimeError(
            f"Could not set tensor of type {_scalar_name(source._dtype)} to a tensor of type "
            f"{_scalar_name(self._dtype)}")
    if source._device != self._device:
        raise RuntimeError(
            "Attempted to call `variable.set_data(tensor)`, but `variable` and `tensor` have "
            "incompatible tensor type.")
    # the same array object: writes through either tensor reach the other
    self._data = source._data
    return self


def _scalar_name(dtype):
    # c10's scalar type names, as torch's set_ error spells them
    names = {"float32": "float", "float64": "double", "float16": "c10::Half",
             "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int",
             "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
             "bool": "bool", "complex64": "c10::complex<float>",
             "complex128": "c10::complex<double>"}
    return names.get(dtype.name, dtype.name)


def is_set_to(self, tensor):
    """Mirrors `torch.Tensor.is_set_to`: same memory, shape and strides."""
    a, b = self._data, tensor._data
    if a is b:
        return True
    return (self._device == tensor._device and a.shape == b.shape and a.strides == b.strides
            and a.dtype == b.dtype and _data_ptr(a) == _data_ptr(b))


def _data_ptr(arr):
    iface = getattr(arr, "__array_interface__", None) or arr.__cuda_array_interface__
    return iface["data"][0]


def resize(self, *sizes):
    """Mirrors the deprecated `torch.Tensor.resize`: warns, then the same elements in the new
    shape (the element count must not change, as autograd's Resize)."""
    import warnings

    warnings.warn("non-inplace resize is deprecated", UserWarning, stacklevel=2)
    if len(sizes) == 1 and not isinstance(sizes[0], int):
        sizes = tuple(sizes[0])
    n = 1
    for s in sizes:
        n *= s
    if n != self.numel():
        raise RuntimeError(
            f"requested resize to {'x'.join(map(str, sizes))} ({n} elements in total), but the "
            f"given tensor has a size of {'x'.join(map(str, self.shape))} ({self.numel()} "
            "elements). autograd's resize can only change the shape of a given tensor, while "
            "preserving the number of elements. ")
    return self.reshape(sizes)


def storage_type(self):
    """Mirrors `torch.Tensor.storage_type`: the legacy storage class of the dtype."""
    return _LEGACY_STORAGES[_LEGACY_BY_DTYPE[self._dtype.name]]


# ------------------------------------------------------------------ legacy storage classes
_LEGACY_BY_DTYPE = {
    "float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage",
    "bfloat16": "BFloat16Storage", "int64": "LongStorage", "int32": "IntStorage",
    "int16": "ShortStorage", "int8": "CharStorage", "uint8": "ByteStorage",
    "bool": "BoolStorage", "complex64": "ComplexFloatStorage",
    "complex128": "ComplexDoubleStorage",
}
_LEGACY_STORAGES = {}


def _make_legacy_storages():
    from ._storage import TypedStorage

    for dtype_name, cls_name in _LEGACY_BY_DTYPE.items():
        dtype = getattr(D, "bool_" if dtype_name == "bool" else dtype_name)

        def __init__(self, *args, device=None, wrap_storage=None, _internal=False,
                     _dtype=dtype):
            TypedStorage.__init__(self, *args, dtype=_dtype, device=device,
                                  wrap_storage=wrap_storage, _internal=_internal)

        cls = type(cls_name, (TypedStorage,), {
            "__init__": __init__, "__module__": "torch",
            "__doc__": f"Mirrors the legacy `torch.{cls_name}`: a TypedStorage of {dtype}."})
        _LEGACY_STORAGES[cls_name] = cls


# ------------------------------------------------------------------ removed linalg functions
_REMOVED = "This function was deprecated since version 1.9 and is now removed."
_REMOVED_MESSAGES = {
    "lstsq": (
        f"{_REMOVED} `torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n"
        "`torch.linalg.lstsq` has reversed arguments and does not return the QR decomposition "
        "in the returned tuple (although it returns other information about the problem).\n\n"
        "To get the QR decomposition consider using `torch.linalg.qr`.\n\n"
        "The returned solution in `torch.lstsq` stored the residuals of the solution in the "
        "last m - n columns of the returned value whenever m > n. In torch.linalg.lstsq, the "
        "residuals are in the field 'residuals' of the returned named tuple.\n\n"
        "The unpacking of the solution, as in\n"
        "X, _ = torch.lstsq(B, A).solution[:A.size(1)]\n"
        "should be replaced with:\n"
        "X = torch.linalg.lstsq(A, B).solution"),
    "solve": (
        f"{_REMOVED} `torch.solve` is deprecated in favor of `torch.linalg.solve`. "
        "`torch.linalg.solve` has its arguments reversed and does not return the LU "
        "factorization.\n\n"
        "To get the LU factorization see `torch.lu`, which can be used with `torch.lu_solve` "
        "or `torch.lu_unpack`.\n"
        "X = torch.solve(B, A).solution should be replaced with:\n"
        "X = torch.linalg.solve(A, B)"),
    "symeig": (
        f"{_REMOVED} The default behavior has changed from using the upper triangular portion "
        "of the matrix by default to using the lower triangular portion.\n\n"
        "L, _ = torch.symeig(A, upper=upper) should be replaced with:\n"
        "L = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\n"
        "and\n\n"
        "L, V = torch.symeig(A, eigenvectors=True) should be replaced with:\n"
        "L, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')"),
    "eig": (
        f"{_REMOVED} `torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` "
        "rather than real tensors mimicking complex tensors.\n\n"
        "L, _ = torch.eig(A) should be replaced with:\n"
        "L_complex = torch.linalg.eigvals(A)\n\n"
        "and\n\n"
        "L, V = torch.eig(A, eigenvectors=True) should be replaced with:\n"
        "L_complex, V_complex = torch.linalg.eig(A)"),
    "matrix_rank": (
        f"{_REMOVED}\nPlease use the `torch.linalg.matrix_rank` function instead. The "
        "parameter 'symmetric' was renamed in `torch.linalg.matrix_rank()` to 'hermitian'."),
}


def _removed(name):
    def f(*args, **kwargs):
        raise RuntimeError(_REMOVED_MESSAGES[name])

    f.__name__ = name
    f.__doc__ = f"Mirrors `torch.{name}`, removed in PyTorch 1.9: raises torch's RuntimeError."
    return f


# ------------------------------------------------------------------ ATen-order nn functions
def _F():
    from .nn import functional

    return functional


def adaptive_max_pool1d(input, output_size):
    """Mirrors `torch.adaptive_max_pool1d`: (values, indices)."""
    return _F().adaptive_max_pool1d(input, output_size, return_indices=True)


def max_pool1d_with_indices(input, kernel_size, stride=(), padding=0, dilation=1,
                            ceil_mode=False):
    """Mirrors `torch.max_pool1d_with_indices`: (values, indices); an empty stride means the
    kernel size, as in ATen."""
    if stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0):
        stride = None
    return _F().max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode,
                           return_indices=True)


def _cell(mode, input, h, c, w_ih, w_hh, b_ih, b_hh):
    from .nn.modules.rnn import _STEPS, _project

    xw = _project(mode, input, w_ih, b_ih, b_hh)
    return _STEPS[mode](xw, h, c, (w_hh.t(), b_hh, None))


def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """Mirrors `torch.lstm_cell`: hx is (h, c); returns (h', c')."""
    h, c = hx
    return _cell("LSTM", input, h, c, w_ih, w_hh, b_ih, b_hh)


def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """Mirrors `torch.gru_cell`."""
    return _cell("GRU", input, hx, None, w_ih, w_hh, b_ih, b_hh)[0]


def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """Mirrors `torch.rnn_tanh_cell`."""
    return _cell("RNN_TANH", input, hx, None, w_ih, w_hh, b_ih, b_hh)[0]


def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """Mirrors `torch.rnn_relu_cell`."""
    return _cell("RNN_RELU", input, hx, None, w_ih, w_hh, b_ih, b_hh)[0]


def native_layer_norm(input, normalized_shape, weight, bias, eps):
    """Mirrors `torch.native_layer_norm`: (output, mean, rstd); mean and rstd have input's
    shape with the normalized dims set to 1, and carry no graph."""
    k = len(normalized_shape)
    dims = tuple(range(input.dim() - k, input.dim()))
    out = _F().layer_norm(input, normalized_shape, weight, bias, eps)
    x = input.detach()
    mean = x.mean(dims, keepdim=True)
    var = x.var(dims, unbiased=False, keepdim=True)
    return out, mean, (var + eps).rsqrt()


def native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps):
    """Mirrors `torch.native_batch_norm`: (output, save_mean, save_invstd). In training the
    batch statistics over all dims but 1 (and the running stats are updated); in eval both
    saved tensors are empty. The saved statistics carry no graph."""
    import ember

    x = input.detach()
    if training:
        dims = (0,) + tuple(range(2, input.dim()))
        save_mean = x.mean(dims)
        save_invstd = (x.var(dims, unbiased=False) + eps).rsqrt()
    else:
        save_mean = ember.empty(0, dtype=input.dtype, device=input.device)
        save_invstd = ember.empty(0, dtype=input.dtype, device=input.device)
    out = _F().batch_norm(input, running_mean, running_var, weight, bias, training, momentum,
                          eps)
    return out, save_mean, save_invstd


def native_dropout(input, p, train):
    """Mirrors `torch.native_dropout`: (output, keep mask as bool). train=None counts as
    training. ember's random stream differs from torch's."""
    import ember

    if train is False:
        return input.clone(), ember.ones(input.shape, dtype=D.bool_, device=input.device)
    keep = ember.empty(input.shape, dtype=input.dtype, device=input.device).bernoulli_(1 - p)
    scale = 0.0 if p >= 1 else 1.0 / (1 - p)
    return input * keep * scale, keep.to(D.bool_)


def frobenius_norm(input, dim=(), keepdim=False):
    """Mirrors the deprecated `torch.frobenius_norm(input, dim, keepdim)` (warns as torch)."""
    import warnings

    import ember

    warnings.warn(
        "at::frobenius_norm is deprecated and it is just left for JIT compatibility. It will "
        "be removed in a future PyTorch release. Please use `linalg.vector_norm(A, 2., dim, "
        "keepdim)` instead", UserWarning, stacklevel=2)
    dim = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dim) > 2:
        raise RuntimeError(
            f"Expected at most 2 dimensions, but got {len(dim)} dimensions instead.")
    return ember.linalg.vector_norm(input, 2.0, dim if dim else None, keepdim)


def nuclear_norm(input, dim=None, keepdim=False):
    """Mirrors the deprecated `torch.nuclear_norm(input, keepdim)` and
    `torch.nuclear_norm(input, dim, keepdim)` (warns as torch)."""
    import warnings

    import ember

    warnings.warn(
        "at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will be "
        "removed in a future PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', dim, "
        "keepdim)` instead", UserWarning, stacklevel=2)
    if isinstance(dim, bool):
        dim, keepdim = None, dim
    if dim is None:
        if input.dim() != 2:
            raise RuntimeError(
                f"Expected a tensor with 2 dimensions, but got a tensor with {input.dim()} "
                f"dimension{'s' if input.dim() != 1 else ''} instead.")
        dim = (0, 1)
    return ember.linalg.matrix_norm(input, "nuc", tuple(dim), keepdim)


def norm_except_dim(v, pow=2, dim=0):
    """Mirrors `torch.norm_except_dim`: the pow-norm over every dim but `dim`, kept as size-1
    dims (weight_norm's norm); dim=-1 is the norm of the whole tensor."""
    import ember

    if dim == -1:
        return ember.linalg.vector_norm(v, pow)
    dims = tuple(d for d in range(v.dim()) if d != dim)
    return ember.linalg.vector_norm(v, pow, dims, keepdim=True)


def embedding_bag(weight, indices, offsets, scale_grad_by_freq=False, mode=0, sparse=False,
                  per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """Mirrors `torch.embedding_bag` (ATen's order; mode 0 sum, 1 mean, 2 max): (output,
    offset2bag, bag_size, max_indices). The three bookkeeping tensors follow torch's CPU
    kernel: empty / zeros for sum, per-index bag and bag sizes for mean, plus the arg-max
    rows for max (sum: per-index bags only off torch's float32 fast path)."""
    import ember

    modes = {0: "sum", 1: "mean", 2: "max"}
    out = _F().embedding_bag(indices, weight, offsets, None, 2, scale_grad_by_freq,
                             modes[mode], sparse, per_sample_weights, include_last_offset,
                             padding_idx)
    idx = indices.detach().cpu().numpy().reshape(-1)
    offs = offsets.detach().cpu().numpy().reshape(-1).astype(np.int64)
    nbags = len(offs) - 1 if include_last_offset else len(offs)
    bounds = np.append(offs, len(idx)) if not include_last_offset else offs
    dev = weight.device

    def long(arr):
        return ember.tensor(np.asarray(arr, dtype=np.int64), device=dev)

    offset2bag = np.zeros(len(idx), dtype=np.int64)
    sizes = np.zeros(nbags, dtype=np.int64)
    wd = weight.detach().cpu().numpy()
    maxi = np.zeros((nbags, weight.shape[1]), dtype=np.int64)
    for b in range(nbags):
        lo, hi = int(bounds[b]), int(bounds[b + 1])
        offset2bag[lo:hi] = b
        rows = idx[lo:hi]
        if padding_idx is not None:
            rows = rows[rows != padding_idx % weight.shape[0]]
        sizes[b] = len(rows)
        if mode == 2 and len(rows):
            maxi[b] = rows[np.argmax(wd[rows], axis=0)]
    if mode == 0:
        # sum mode reports no bag sizes; its float32 fast path (no padding_idx) skips the
        # per-index bag numbers too
        zeros = long(np.zeros(nbags))
        fast = padding_idx is None and weight.dtype == D.float32
        return out, long(np.zeros(0) if fast else offset2bag), zeros, zeros.clone()
    if mode == 1:
        return out, long(offset2bag), long(sizes), long(sizes)
    return out, long(offset2bag), long(sizes), long(maxi)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    """Mirrors `torch.rrelu_` (and `F.rrelu_`): rrelu in place."""
    return _F().rrelu(input, lower, upper, training, inplace=True)


# ------------------------------------------------------------------ segment_reduce
def segment_reduce(data, reduce, *, lengths=None, indices=None, offsets=None, axis=0,
                   unsafe=False, initial=None):
    """Mirrors `torch.segment_reduce` ("sum", "mean", "max", "min", "prod") over consecutive
    segments of `data` along `axis`, given 1-D `lengths` or `offsets`. An empty segment gives
    `initial` when set, otherwise the reduction's identity (NaN for mean); with `initial`,
    mean is (initial + sum) / length, as torch computes it. Built from ember
    ops, so it is differentiable."""
    import ember

    if reduce not in ("sum", "mean", "max", "min", "prod"):
        raise RuntimeError(f"reduce argument must be either sum, max, min, mean or prod, got "
                           f"{reduce}")
    if indices is not None:
        raise RuntimeError("segment_reduce(): indices based reduction is not supported yet.")
    axis = axis % data.dim()
    given = lengths if lengths is not None else offsets
    if given is not None and axis != given.dim() - 1:
        raise RuntimeError("segment_reduce(): Expected axis to be the last dimension of "
                           f"lengths but got {axis}.")
    if lengths is not None:
        if lengths.dim() != 1:
            raise NotImplementedError("ember's segment_reduce takes 1-D lengths")
        lens = [int(v) for v in lengths.tolist()]
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(int).tolist() if lens else []
    elif offsets is not None:
        if offsets.dim() != 1:
            raise NotImplementedError("ember's segment_reduce takes 1-D offsets")
        offs = [int(v) for v in offsets.tolist()]
        starts = offs[:-1]
        lens = [b - a for a, b in zip(offs[:-1], offs[1:])]
    else:
        raise RuntimeError("segment_reduce(): Either lengths or offsets must be defined")
    if not unsafe and sum(lens) != data.shape[axis]:
        raise RuntimeError("segment_reduce(): Expected all rows of lengths along axis to sum "
                           "to data.size(lengths.dim()-1) when !unsafe.")
    empty = {"sum": 0.0, "prod": 1.0, "mean": float("nan"), "max": float("-inf"),
             "min": float("inf")}[reduce]
    if initial is not None:
        empty = initial
    parts = []
    for start, n in zip(starts, lens):
        if n == 0:
            shape = list(data.shape)
            shape[axis] = 1
            parts.append(ember.full(shape, empty, dtype=data.dtype, device=data.device))
            continue
        seg = data.narrow(axis, start, n)
        parts.append(_segment_one(seg, reduce, axis, initial))
    if not parts:
        shape = list(data.shape)
        shape[axis] = 0
        return ember.empty(shape, dtype=data.dtype, device=data.device)
    return ember.cat(parts, axis)


def _segment_one(seg, reduce, axis, initial):
    if reduce == "sum":
        out = seg.sum(axis, keepdim=True)
        return out if initial is None else out + initial
    if reduce == "prod":
        out = seg.prod(axis, keepdim=True)
        return out if initial is None else out * initial
    if reduce == "mean":
        n = seg.shape[axis]
        if initial is None:
            return seg.mean(axis, keepdim=True)
        # torch adds initial to the sum but divides by the segment's length only
        return (seg.sum(axis, keepdim=True) + initial) / n
    out = (seg.amax if reduce == "max" else seg.amin)(axis, keepdim=True)
    if initial is None:
        return out
    return out.clamp(min=initial) if reduce == "max" else out.clamp(max=initial)


# ------------------------------------------------------------------ installation
_COPY_VIEWS = ("permute", "t", "transpose", "unsqueeze", "diagonal", "narrow", "select",
               "unfold", "view_as_real", "view_as_complex")
_MULTI_COPY_VIEWS = ("split", "split_with_sizes", "unbind")
_LAZY_MODULES = {"compiler": ".compiler", "_dynamo": "._dynamo", "hub": ".hub",
                 "overrides": ".overrides"}


def _functions():
    fns = {
        "OutOfMemoryError": OutOfMemoryError, "AcceleratorError": AcceleratorError,
        "set_anomaly_enabled": set_anomaly_enabled, "is_anomaly_enabled": is_anomaly_enabled,
        "is_anomaly_check_nan_enabled": is_anomaly_check_nan_enabled,
        "set_warn_always": set_warn_always, "is_warn_always_enabled": is_warn_always_enabled,
        "set_flush_denormal": set_flush_denormal, "is_distributed": is_distributed,
        "expand_copy": expand_copy, "squeeze_copy": squeeze_copy, "detach_copy": detach_copy,
        "alias_copy": alias_copy, "slice_copy": slice_copy, "as_strided_copy": as_strided_copy,
        "view_copy": view_copy, "narrow_copy": narrow_copy,
        "unsafe_split_with_sizes": unsafe_split_with_sizes,
        "adaptive_max_pool1d": adaptive_max_pool1d,
        "max_pool1d_with_indices": max_pool1d_with_indices, "lstm_cell": lstm_cell,
        "gru_cell": gru_cell, "rnn_tanh_cell": rnn_tanh_cell, "rnn_relu_cell": rnn_relu_cell,
        "native_layer_norm": native_layer_norm, "native_batch_norm": native_batch_norm,
        "native_dropout": native_dropout, "frobenius_norm": frobenius_norm,
        "nuclear_norm": nuclear_norm, "norm_except_dim": norm_except_dim,
        "embedding_bag": embedding_bag, "rrelu_": rrelu_, "segment_reduce": segment_reduce,
    }
    for name in _COPY_VIEWS:
        fns[name + "_copy"] = _copy_of(name)
    for name in _MULTI_COPY_VIEWS:
        fns[name + "_copy"] = _copies_of(name)
    for name in _REMOVED_MESSAGES:
        fns[name] = _removed(name)
    _make_legacy_storages()
    fns.update(_LEGACY_STORAGES)
    return fns


_TENSOR_METHODS = {
    "unsafe_split": _unsafe_split_method, "unsafe_chunk": _unsafe_chunk_method,
    "unsafe_split_with_sizes": unsafe_split_with_sizes, "narrow_copy": narrow_copy,
    "set_": set_, "is_set_to": is_set_to, "resize": resize, "storage_type": storage_type,
    "is_distributed": is_distributed,
    "dim_order": _memory_format.dim_order,
}


def _lazy_getattr(namespace, previous):
    """A module `__getattr__` for ember that imports the small optional packages on first use
    and otherwise defers to the one ember already had."""
    import importlib

    def __getattr__(name):
        target = _LAZY_MODULES.get(name)
        if target is not None:
            module = importlib.import_module(target, namespace["__name__"])
            namespace[name] = module
            return module
        if previous is not None:
            return previous(name)
        raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")

    return __getattr__


def install(namespace):
    """Bind the methods onto Tensor and the functions into `namespace` (ember's globals)."""
    for name, fn in _TENSOR_METHODS.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, fn)
    for name in ("lstsq", "solve", "symeig", "eig"):
        if not hasattr(Tensor, name):
            setattr(Tensor, name, _removed(name))
    for name, fn in _functions().items():
        if name not in namespace:
            namespace[name] = fn
    namespace["__getattr__"] = _lazy_getattr(namespace, namespace.get("__getattr__"))
    # torch.cuda.OutOfMemoryError is torch.OutOfMemoryError
    cuda = namespace.get("cuda")
    if cuda is not None and not hasattr(cuda, "OutOfMemoryError"):
        cuda.OutOfMemoryError = namespace["OutOfMemoryError"]
