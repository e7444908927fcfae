"""Mirrors `torch.nn.functional`: activations, softmax, linear layers, losses, one_hot.

The math is in fused ops (ember/_ops/nn_act.py); these functions check arguments like PyTorch
and pick the op. Convolution, pooling, normalization, dropout and embedding come from
`_functional_layers` (imported at the end).
"""

import math
import warnings

import numpy as _np

import ember as _ember  # partly initialised while ember imports nn; used at call time

from .. import _dtype as D
from .._ops import nn_act as _A
from .._ops._naming import named as _named
from .._tensor import Tensor
from ..amp._lists import ACTIVE as _AC
from ..amp._lists import run as _autocast

# ---------------------------------------------------------------- helpers


class _Reduction:
    """PyTorch's reduction bookkeeping (the legacy size_average / reduce arguments)."""

    @staticmethod
    def get_enum(reduction):
        if reduction == "none":
            return 0
        if reduction == "mean":
            return 1
        if reduction == "elementwise_mean":
            warnings.warn(
                "reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                "instead.", stacklevel=2)
            return 1
        if reduction == "sum":
            return 2
        raise ValueError(f"{reduction} is not a valid value for reduction")

    @staticmethod
    def legacy_get_string(size_average, reduce, emit_warning=True):
        warning = (
            "size_average and reduce args will be deprecated, please use reduction='{}' "
            "instead."
        )
        if size_average is None:
            size_average = True
        if reduce is None:
            reduce = True
        if size_average and reduce:
            ret = "mean"
        elif reduce:
            ret = "sum"
        else:
            ret = "none"
        if emit_warning:
            warnings.warn(warning.format(ret), stacklevel=3)
        return ret


_REDUCTIONS = ("mean", "sum", "none")


def _reduction(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        return _Reduction.legacy_get_string(size_average, reduce)
    if reduction not in _REDUCTIONS:
        _Reduction.get_enum(reduction)
        if reduction == "elementwise_mean":
            return "mean"
    return reduction


def _warn_size(input, target):
    if target._data.shape != input._data.shape:
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )
        # then the broadcast itself fails with the elementwise ops' message, as in torch
        _check_broadcast(input._data.shape, target._data.shape)


def _check_broadcast(sa, sb):
    """The broadcast shape of operands a and b, or the RuntimeError torch's elementwise ops
    raise (which names the last mismatching dimension)."""
    n = max(len(sa), len(sb))
    pa = (1,) * (n - len(sa)) + tuple(sa)
    pb = (1,) * (n - len(sb)) + tuple(sb)
    for i in range(n - 1, -1, -1):
        if pa[i] != pb[i] and pa[i] != 1 and pb[i] != 1:
            raise RuntimeError(
                f"The size of tensor a ({pa[i]}) must match the size of tensor b ({pb[i]}) at "
                f"non-singleton dimension {i}"
            )
    return tuple(y if x == 1 else x for x, y in zip(pa, pb))


def _torch_name(dt):
    from .._ops._inplace import _TORCH_NAMES

    return _TORCH_NAMES.get(dt.name, dt.name)


def _float_kernel(kernel, input, target):
    """torch's error when a float-only loss kernel gets integer or bool tensors.

    Called only when input is not floating point, so valid input pays one attribute test.
    """
    dt = D.promote_types(input._dtype, target._dtype)
    if not (dt.is_floating_point or dt.is_complex):
        dev = input._device.type
        raise NotImplementedError(f'"{kernel}_{dev}" not implemented for \'{_torch_name(dt)}\'')


def _no_grad_arg(t, fn, arg):
    if t is not None and t._rg:
        from ..autograd.grad_mode import GRAD

        if GRAD.enabled:
            raise RuntimeError(
                f"The function '{fn}' is not differentiable with respect to argument '{arg}'. "
                "This input cannot have requires_grad True."
            )


def _inplace(input, fn, *args):
    from .._ops._inplace import inplace

    return inplace(input, fn, *args)


# ---------------------------------------------------------------- linear layers
def linear(input, weight, bias=None):
    """Mirrors `torch.nn.functional.linear`: y = x W^T + b (one fused op)."""
    return _A.linear(input, weight, bias)


def bilinear(input1, input2, weight, bias=None):
    """Mirrors `torch.nn.functional.bilinear`: y_k = x1 W_k x2 + b_k."""
    if _AC[0]:
        return _autocast("bilinear", bilinear, locals())
    if input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError(
            "bilinear(): input batch dimensions do not match: got "
            f"{list(input1.shape[:-1])} and {list(input2.shape[:-1])}"
        )
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(
            f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
            f"expected {weight.shape[1]}"
        )
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(
            f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
            f"expected {weight.shape[2]}"
        )
    return _A.bilinear(input1, input2, weight, bias)


# ---------------------------------------------------------------- activations
def relu(input, inplace=False):
    """Mirrors `torch.nn.functional.relu`."""
    if inplace:
        return _A.relu_(input)
    return _A.relu(input)


def relu_(input):
    return _A.relu_(input)


def relu6(input, inplace=False):
    """Mirrors `torch.nn.functional.relu6` (hardtanh between 0 and 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """Mirrors `torch.nn.functional.hardtanh`."""
    if inplace:
        return _inplace(input, _A.hardtanh, min_val, max_val)
    return _A.hardtanh(input, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, True)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """Mirrors `torch.nn.functional.leaky_relu`."""
    if inplace:
        return _inplace(input, _A.leaky_relu, negative_slope)
    return _A.leaky_relu(input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, True)


def elu(input, alpha=1.0, inplace=False):
    """Mirrors `torch.nn.functional.elu`."""
    if inplace:
        return _inplace(input, _A.elu, alpha)
    return _A.elu(input, alpha)


def elu_(input, alpha=1.0):
    return elu(input, alpha, True)


def selu(input, inplace=False):
    """Mirrors `torch.nn.functional.selu`."""
    if inplace:
        return _inplace(input, _A.selu)
    return _A.selu(input)


def selu_(input):
    return selu(input, True)


def celu(input, alpha=1.0, inplace=False):
    """Mirrors `torch.nn.functional.celu`."""
    if inplace:
        return _inplace(input, _A.celu, alpha)
    return _named(_A.celu(input, alpha), "CeluBackward0")


def celu_(input, alpha=1.0):
    return celu(input, alpha, True)


def gelu(input, approximate="none"):
    """Mirrors `torch.nn.functional.gelu` (approximate='none' or 'tanh')."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _A.gelu(input, approximate)


def silu(input, inplace=False):
    """Mirrors `torch.nn.functional.silu`."""
    if inplace:
        return _inplace(input, _A.silu)
    return _A.silu(input)


def mish(input, inplace=False):
    """Mirrors `torch.nn.functional.mish`."""
    if inplace:
        return _inplace(input, _A.mish)
    return _A.mish(input)


def softplus(input, beta=1.0, threshold=20.0):
    """Mirrors `torch.nn.functional.softplus`."""
    return _A.softplus(input, beta, threshold)


def softsign(input):
    """Mirrors `torch.nn.functional.softsign`."""
    # torch computes input / (1 + |input|)
    return _named(_A.softsign(input), "DivBackward0")


def logsigmoid(input):
    """Mirrors `torch.nn.functional.logsigmoid` (stable for large |x|)."""
    return _A.logsigmoid(input)


def sigmoid(input):
    """Mirrors `torch.nn.functional.sigmoid`."""
    return _ember.sigmoid(input)


def tanh(input):
    """Mirrors `torch.nn.functional.tanh`."""
    return _ember.tanh(input)


def tanhshrink(input):
    """Mirrors `torch.nn.functional.tanhshrink`: x - tanh(x)."""
    return input - tanh(input)


def softshrink(input, lambd=0.5):
    """Mirrors `torch.nn.functional.softshrink`."""
    return _A.softshrink(input, lambd)


def hardshrink(input, lambd=0.5):
    """Mirrors `torch.nn.functional.hardshrink`."""
    return _A.hardshrink(input, lambd)


def hardsigmoid(input, inplace=False):
    """Mirrors `torch.nn.functional.hardsigmoid`."""
    if inplace:
        return _inplace(input, _A.hardsigmoid)
    return _A.hardsigmoid(input)


def hardswish(input, inplace=False):
    """Mirrors `torch.nn.functional.hardswish`."""
    if inplace:
        return _inplace(input, _A.hardswish)
    return _A.hardswish(input)


def threshold(input, threshold, value, inplace=False):
    """Mirrors `torch.nn.functional.threshold`."""
    if inplace:
        return _inplace(input, _A.threshold, threshold, value)
    return _A.threshold(input, threshold, value)


def threshold_(input, threshold, value):
    return _inplace(input, _A.threshold, threshold, value)


def prelu(input, weight):
    """Mirrors `torch.nn.functional.prelu`: weight has 1 or C (= input.shape[1]) elements."""
    if _AC[0]:
        return _autocast("prelu", prelu, locals())
    n = weight.numel()
    if n != 1:
        if input.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        ch = input.shape[1] if input.ndim >= 2 else 1
        if n != ch:
            raise RuntimeError(
                f"Mismatch of parameter numbers and input channel size. Found parameter "
                f"numbers = {n} and channel size = {ch}."
            )
        shape = [1] * input.ndim
        shape[1] = n
        weight = weight.reshape(tuple(shape))
    elif weight.ndim:
        weight = weight.reshape(())
    return _A.prelu_op(input, weight)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Mirrors `torch.nn.functional.rrelu`: random negative slopes in training, their mean
    otherwise."""
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    from .._random import _rrelu_slopes
    from .._tensor import _new_tensor

    slope = _new_tensor(_rrelu_slopes(input, lower, upper), input.dtype, input.device)
    if inplace:
        return _inplace(input, _A.prelu_op, slope)
    return _A.prelu_op(input, slope)


def glu(input, dim=-1):
    """Mirrors `torch.nn.functional.glu`: first half * sigmoid(second half) along dim."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    from .._tensor import _wrap_dim

    dim = _wrap_dim(dim, input.ndim)
    if input.shape[dim] % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {dim % input.ndim} is size "
            f"{input.shape[dim]}"
        )
    return _A.glu(input, dim)


def _softmax_dim(name, ndim, dim):
    if dim is not None:
        return dim
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument.",
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """Mirrors `torch.nn.functional.softmax` (max-shifted; fused backward)."""
    return _A.softmax(input, _softmax_dim("softmax", input.ndim, dim), dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """Mirrors `torch.nn.functional.log_softmax`."""
    return _A.log_softmax(input, _softmax_dim("log_softmax", input.ndim, dim), dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """Mirrors `torch.nn.functional.softmin`: softmax(-input)."""
    if dtype is not None:
        input = input.to(dtype)
    return _A.softmax(-input, _softmax_dim("softmin", input.ndim, dim))


# ---------------------------------------------------------------- similarity
def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """Mirrors `torch.nn.functional.normalize`: input / max(||input||_p, eps) along dim."""
    if _AC[0]:
        return _autocast("normalize", normalize, locals())
    from .._tensor import _wrap_dim

    # torch reduces with input.norm(p, dim), which range-checks dim (a 0-d input counts as 1-d)
    _wrap_dim(dim, input.ndim)
    res = _A.normalize(input, p, dim, eps)
    if out is not None:
        from .._ops._inplace import assign

        assign(out, res, False)
        return out
    return res


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """Mirrors `torch.nn.functional.cosine_similarity` (broadcasts x1 and x2)."""
    if _AC[0]:
        return _autocast("cosine_similarity", cosine_similarity, locals())
    from .._ops._index_more import _broadcast

    # torch's broadcasting error (RuntimeError, "The size of tensor a ..."), not NumPy's
    shape = _broadcast(tuple(x1.shape), tuple(x2.shape))
    if tuple(x1.shape) != shape:
        x1 = x1.expand(shape)
    if tuple(x2.shape) != shape:
        x2 = x2.expand(shape)
    nd = len(shape)
    if nd == 0:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [-1, 0], but got {dim})"
        )
    from .._tensor import _wrap_dim

    return _A.cosine_similarity_op(x1, x2, _wrap_dim(dim, nd), eps)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """Mirrors `torch.nn.functional.pairwise_distance`: ||x1 - x2 + eps||_p over the last dim."""
    if _AC[0]:
        return _autocast("pairwise_distance", pairwise_distance, locals())
    d = x1 - x2 + eps
    if p == math.inf:
        return d.abs().amax(-1, keepdim=keepdim)
    if p == 0:
        return (d != 0).to(d.dtype).sum(-1, keepdim=keepdim)
    return _named((d.abs() ** p).sum(-1, keepdim=keepdim) ** (1.0 / p), "NormBackward1")


def one_hot(tensor, num_classes=-1):
    """Mirrors `torch.nn.functional.one_hot`: int64 one-hot vectors along a new last dim."""
    from .._tensor import _new_tensor

    if tensor._dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    a = tensor._data
    xp = tensor._device.xp
    if num_classes == -1:
        if a.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(a.max()) + 1
    if a.size:
        if int(a.min()) < 0:
            raise RuntimeError("Class values must be non-negative.")
        if int(a.max()) >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    out = (a[..., None] == xp.arange(num_classes)).astype(xp.int64, order="C")
    return _new_tensor(out, D.int64, tensor._device)


# ---------------------------------------------------------------- regression losses
def _weighted(loss_none, weight, input, reduction, mean_by_weight):
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss_none * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / weight.sum() if mean_by_weight else loss.mean()


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mirrors `torch.nn.functional.mse_loss`."""
    if _AC[0]:
        return _autocast("mse_loss", mse_loss, locals())
    if target._data.shape != input._data.shape:
        _warn_size(input, target)
    if size_average is not None or reduce is not None or reduction not in _REDUCTIONS:
        reduction = _reduction(size_average, reduce, reduction)
    if not input._dtype.is_floating_point:
        _float_kernel("mse", input, target)
    if weight is not None:
        return _weighted(_A.mse_loss(input, target, "none"), weight, input, reduction, True)
    return _A.mse_loss(input, target, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mirrors `torch.nn.functional.l1_loss`."""
    if _AC[0]:
        return _autocast("l1_loss", l1_loss, locals())
    _warn_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if weight is None and not (input._dtype.is_floating_point or target._dtype.is_floating_point):
        # torch computes (input - target).abs() and reduces it: integer losses stay integer,
        # bool ones fail at the subtraction and 'mean' refuses integers, each with its message
        return _reduce((input - target).abs(), reduction)
    if weight is not None:
        return _weighted(_A.l1_loss(input, target, "none"), weight, input, reduction, True)
    # torch: |input - target|, then the reduction
    last = {"none": "AbsBackward0", "sum": "SumBackward0", "mean": "MeanBackward0"}
    return _named(_A.l1_loss(input, target, reduction), last[reduction])


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Mirrors `torch.nn.functional.smooth_l1_loss`."""
    if _AC[0]:
        return _autocast("smooth_l1_loss", smooth_l1_loss, locals())
    _warn_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if not input._dtype.is_floating_point:
        _float_kernel("smooth_l1", input, target)
    return _A.smooth_l1_loss(input, target, reduction, beta)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Mirrors `torch.nn.functional.huber_loss`."""
    if _AC[0]:
        return _autocast("huber_loss", huber_loss, locals())
    _warn_size(input, target)
    _Reduction.get_enum(reduction)
    if not input._dtype.is_floating_point:
        _float_kernel("huber", input, target)
    if target._dtype is not input._dtype and target._dtype.is_floating_point:
        # torch's huber kernel computes (and returns) the input's dtype
        target = target.to(input._dtype)
    if weight is not None:
        return _weighted(_A.huber_loss(input, target, "none", delta), weight, input,
                         reduction, False)
    return _A.huber_loss(input, target, reduction, delta)


# ---------------------------------------------------------------- classification losses
def _index_target(input, target):
    """PyTorch's checks of a class-index target; returns the target as int64 for the op."""
    nd = input.ndim
    ts = tuple(target.shape)
    # nll_loss_nd's own checks come first
    if nd < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {nd})")
    if nd != 1 and ts and input.shape[0] != ts[0]:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({ts[0]})."
        )
    if nd == 1:
        if len(ts) > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if len(ts) == 1 and ts[0] != 1:
            raise ValueError(
                f"For 1D input, 1D target must have size 1, but got target size: {ts[0]}"
            )
        if len(ts) == 1:
            target = target.reshape(())
    else:
        if nd == 2 and len(ts) > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batch = ts[0] if ts else 0
        if input.shape[0] != batch:
            raise ValueError(
                f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                f"({batch})."
            )
        want = (input.shape[0],) + tuple(input.shape[2:])
        if nd == 4 and ts != want:
            # 4-d input goes to torch's nll_loss2d kernel, which words its checks differently
            if len(ts) != 3:
                raise RuntimeError(
                    "only batches of spatial targets supported (3D tensors) but got targets "
                    f"of dimension: {len(ts)}"
                )
            raise RuntimeError(
                f"size mismatch (got input: {list(input.shape)} , target: {list(ts)}"
            )
        if ts != want:
            raise RuntimeError(f"Expected target size {list(want)}, got {list(ts)}")
    if target._dtype is D.uint8:
        return target.long()
    if target._dtype is not D.int64:
        names = {"float32": "Float", "float64": "Double", "float16": "Half", "int32": "Int",
                 "int16": "Short", "int8": "Char", "bool": "Bool"}
        raise RuntimeError(
            "expected target dtype to be Long or Byte, but got "
            f"{names.get(target._dtype.name, target._dtype.name)}"
        )
    return target


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Mirrors `torch.nn.functional.nll_loss` (input holds log-probabilities, (N, C, ...))."""
    if _AC[0]:
        return _autocast("nll_loss", nll_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    _no_grad_arg(weight, "nll_loss_forward", "weight")
    target = _index_target(input, target)
    if weight is not None:
        _check_class_weight(input, weight)
    if not input._dtype.is_floating_point:
        kernel = "nll_loss2d_forward_out_frame" if input.ndim > 2 else "nll_loss_out_frame"
        raise NotImplementedError(
            f'"{kernel}" not implemented for \'{_torch_name(input._dtype)}\''
        )
    return _A.nll_loss(input, target, weight, ignore_index, reduction)


def _check_class_weight(input, weight, prefix=""):
    """torch's check of a class-weight vector (nll_loss for <= 2-D input, nll_loss2d above)."""
    nd = input.ndim
    n = input.shape[1] if nd > 1 else input.shape[0] if nd else 1
    if nd > 2 and not prefix:
        if weight.numel() != n:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
    elif weight.ndim != 1 or weight.numel() != n:
        raise RuntimeError(
            f"{prefix}weight tensor should be defined either for all {n} classes or no classes"
            f" but got weight tensor of shape: {list(weight.shape)}"
        )


def _log_softmax_dtype(input):
    """torch's cross_entropy starts with log_softmax over the class dim: its dtype error
    for an integer or bool input."""
    if not input._dtype.is_floating_point:
        last = input.ndim <= 2
        kernel = "log_softmax_lastdim_kernel_impl" if last else "log_softmax_kernel_impl"
        raise NotImplementedError(
            f'"{kernel}" not implemented for \'{_torch_name(input._dtype)}\''
        )


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """Mirrors `torch.nn.functional.cross_entropy` with class indices or class probabilities.

    Class indices run one fused log-softmax + nll op.
    """
    if _AC[0]:
        return _autocast("cross_entropy", cross_entropy, locals())
    if (weight is None and size_average is None and reduce is None and not label_smoothing
            and reduction in _REDUCTIONS):
        # the usual call: (N, C) float logits and N int64 class indices; the checks below
        # all pass for it, and each costs more than the loss of a small batch
        xs = input._data.shape
        ts = target._data.shape
        if (len(xs) == 2 and len(ts) == 1 and ts[0] == xs[0] and target._dtype is D.int64
                and input._dtype.is_floating_point):
            return _A.cross_entropy_indices(input, target, None, ignore_index, reduction, 0.0)
    reduction = _reduction(size_average, reduce, reduction)
    # torch checks only the upper bound; its kernels smooth only when label_smoothing > 0, so
    # a negative value means no smoothing at all
    if label_smoothing > 1.0:
        raise RuntimeError(
            f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}"
        )
    label_smoothing = max(label_smoothing, 0.0)
    _no_grad_arg(weight, "nll_loss_forward", "weight")
    if target.shape == input.shape:
        # torch takes equal shapes as class probabilities, whatever the target's dtype
        if not target._dtype.is_floating_point:
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, got "
                f"{_torch_name(target._dtype)}"
            )
        _log_softmax_dtype(input)
        if weight is not None:
            _check_class_weight(input, weight, "cross_entropy: ")
        out = _A.cross_entropy_probs(input, target, weight, reduction, label_smoothing)
        # torch: -(input * target).sum() / n for 'mean' (a division by a number), a negation
        # otherwise
        return _named(out, "DivBackward1" if reduction == "mean" else "NegBackward0")
    if not input._dtype.is_floating_point:
        _log_softmax_dtype(input)
    target = _index_target(input, target)
    if weight is not None:
        _check_class_weight(input, weight)
    out = _A.cross_entropy_indices(input, target, weight, ignore_index, reduction,
                                   label_smoothing)
    if label_smoothing > 0:
        # torch adds the smoothing term to the nll term
        _named(out, "AddBackward0")
    return out


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """Mirrors `torch.nn.functional.binary_cross_entropy` (each log clamped at -100)."""
    if _AC[0]:
        return _autocast("binary_cross_entropy", binary_cross_entropy, locals())
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}) is deprecated. Please ensure they have the same size."
        )
    _no_grad_arg(weight, "binary_cross_entropy", "weight")
    if target._dtype is not input._dtype:
        # torch's TensorIterator wants input and target of one dtype (no promotion)
        raise RuntimeError(
            f"Found dtype {_torch_name(target._dtype)} but expected {_torch_name(input._dtype)}"
        )
    if not input._dtype.is_floating_point:
        raise NotImplementedError(
            f'"binary_cross_entropy" not implemented for \'{_torch_name(input._dtype)}\''
        )
    x = input._data
    if x.size and bool(((x < 0) | (x > 1)).any()):
        raise RuntimeError("all elements of input should be between 0 and 1")
    y = target._data
    if y.size and bool(((y < 0) | (y > 1)).any()):
        raise RuntimeError("all elements of target should be between 0 and 1")
    if weight is not None and weight.shape != input.shape:
        weight = weight.expand(input.shape)
    return _A.binary_cross_entropy(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """Mirrors `torch.nn.functional.binary_cross_entropy_with_logits` (stable for any logit)."""
    if _AC[0]:
        return _autocast("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits, locals())
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.size()}) must be the same as input size ({input.size()})"
        )
    _no_grad_arg(weight, "binary_cross_entropy_with_logits", "weight")
    _no_grad_arg(pos_weight, "binary_cross_entropy_with_logits", "pos_weight")
    if not (input._dtype.is_floating_point and target._dtype.is_floating_point):
        _bce_logits_dtype(input, target)
    return _A.binary_cross_entropy_with_logits(input, target, weight, reduction, pos_weight)


def _bce_logits_dtype(input, target):
    # torch: log_sigmoid(input), then (1 - target).mul_(input): each step's dtype error
    if not input._dtype.is_floating_point:
        raise NotImplementedError(
            f'"log_sigmoid_{input._device.type}" not implemented for '
            f"'{_torch_name(input._dtype)}'"
        )
    if target._dtype is D.bool_:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the "
            "`^` or `logical_xor()` operator instead."
        )
    if not target._dtype.is_complex:
        raise RuntimeError(
            f"result type {_torch_name(input._dtype)} can't be cast to the desired output type "
            f"{_torch_name(target._dtype)}"
        )


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Mirrors `torch.nn.functional.kl_div` (input is log-probabilities)."""
    if _AC[0]:
        return _autocast("kl_div", kl_div, locals())
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    elif reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.",
            stacklevel=2,
        )
    if reduction != "batchmean":
        _Reduction.get_enum(reduction)
    if not (input._dtype.is_floating_point or input._dtype.is_complex) or not (
            target._dtype.is_floating_point or target._dtype.is_complex):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if target._data.shape != input._data.shape:
        # torch's pointwise expression starts from the target
        _check_broadcast(target._data.shape, input._data.shape)
    out = _A.kl_div(input, target, reduction, log_target)
    # torch composes kl_div: a pointwise expression, then the reduction
    last = {"mean": "MeanBackward0", "sum": "SumBackward0", "batchmean": "DivBackward0"}
    if reduction in last:
        return _named(out, last[reduction])
    return _named(out, "MulBackward0" if log_target else "SubBackward0")


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """Mirrors `torch.nn.functional.margin_ranking_loss`: max(0, -y (x1 - x2) + margin)."""
    if _AC[0]:
        return _autocast("margin_ranking_loss", margin_ranking_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} "
        )
    return _reduce(_named(_A.relu(-target * (input1 - input2) + margin), "ClampMinBackward0"),
                   reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """Mirrors `torch.nn.functional.cosine_embedding_loss`."""
    if _AC[0]:
        return _autocast("cosine_embedding_loss", cosine_embedding_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    if target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    dim = input1.ndim - 1
    if target.ndim != dim:
        raise RuntimeError(
            f"{target.ndim}D target tensor expects {target.ndim + 1}D input tensors, but found "
            f"inputs with sizes {list(input1.shape)} and {list(input2.shape)}."
        )
    eps = 1e-12
    prod = (input1 * input2).sum(dim)
    mag1 = (input1 * input1).sum(dim) + eps
    mag2 = (input2 * input2).sum(dim) + eps
    cos = prod / (mag1 * mag2).sqrt()
    zeros = _ember.zeros_like(cos)
    pos = _ember.where(target == 1, 1 - cos, zeros)
    neg = _ember.where(target == -1, _A.relu(cos - margin), zeros)
    return _reduce(pos + neg, reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """Mirrors `torch.nn.functional.hinge_embedding_loss`."""
    if _AC[0]:
        return _autocast("hinge_embedding_loss", hinge_embedding_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    zeros = _ember.zeros_like(input)
    # torch's rule: every target other than 1 takes the margin term and every target other
    # than -1 the input term (so a target outside {1, -1} takes both)
    margin_part = _ember.where(target != 1, _A.relu(margin - input), zeros)
    self_part = _ember.where(target != -1, input, zeros)
    return _reduce(margin_part + self_part, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mirrors `torch.nn.functional.soft_margin_loss`: log(1 + exp(-y x))."""
    if _AC[0]:
        return _autocast("soft_margin_loss", soft_margin_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    _no_grad_arg(target, "soft_margin_loss", "target")
    if target._data.shape != input._data.shape:
        shape = _check_broadcast(input._data.shape, target._data.shape)
        if shape != input._data.shape:
            # torch's kernel writes into an input-shaped output
            raise RuntimeError(
                f"output with shape {list(input.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            )
    if (target._dtype is not input._dtype and target._dtype.is_floating_point
            and input._dtype.is_floating_point):
        # torch's kernel computes (and returns) the input's dtype
        target = target.to(input._dtype)
    loss = _reduce(_A.softplus(-target * input, 1.0, math.inf), reduction)
    return _named(loss, "SoftMarginLossBackward0")


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Mirrors `torch.nn.functional.multilabel_soft_margin_loss`."""
    if _AC[0]:
        return _autocast("multilabel_soft_margin_loss", multilabel_soft_margin_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    loss = -(target * _A.logsigmoid(input) + (1 - target) * _A.logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(input.ndim - 1) / input.size(-1)
    return _reduce(loss, reduction)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """Mirrors `torch.nn.functional.gumbel_softmax`: a softmax of Gumbel-perturbed logits;
    `hard` gives one-hot samples whose gradient is the soft sample's."""
    gumbels = -_ember.empty_like(logits).exponential_().log()
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = _ember.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


def pdist(input, p=2):
    """Mirrors `torch.nn.functional.pdist`."""
    if _AC[0]:
        return _autocast("pdist", pdist, locals())
    return _ember.pdist(input, p)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """Mirrors `torch.nn.functional.multi_margin_loss`: the multi-class hinge loss
    sum over i != y of max(0, margin - x[y] + x[i]) ** p, divided by the number of classes."""
    if _AC[0]:
        return _autocast("multi_margin_loss", multi_margin_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    _check_margin_input(input)
    nframe = input.shape[0] if input.ndim == 2 else 1
    if target.ndim > 1 or target.numel() != nframe:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{nframe}], but got "
            f"{list(target.shape)}. Input has shape {list(input.shape)}."
        )
    x = input.reshape(1, -1) if input.ndim <= 1 else input
    y = target.reshape(-1)
    c = x.shape[1]
    if bool(((y._data < 0) | (y._data >= c)).any()):
        raise RuntimeError("target out of range")
    picked = x.gather(1, y.unsqueeze(1))
    m = _A.relu(margin - picked + x)
    if p == 2:
        m = m * m
    if weight is not None:
        m = m * weight[y].unsqueeze(1)
    own = _ember.nn.functional.one_hot(y, c).bool()
    loss = m.masked_fill(own, 0).sum(1) / c
    if input.ndim <= 1:
        loss = loss.reshape(())
    return _named(_reduce(loss, reduction), "MultiMarginLossBackward0")


_TYPE_WORDS = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
               "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _check_margin_input(input):
    """torch's shape check of multi_margin_loss / multilabel_margin_loss inputs."""
    nd = input.ndim
    if not ((nd == 2 and input.shape[1] != 0) or (nd == 1 and input.shape[0] != 0) or nd == 0):
        raise RuntimeError(
            "Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
            f"{list(input.shape)}"
        )


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mirrors `torch.nn.functional.multilabel_margin_loss`: each row's targets are the class
    indices before its first -1; loss sums max(0, 1 - (x[j] - x[i])) over targets j and
    non-targets i, divided by the number of classes."""
    if _AC[0]:
        return _autocast("multilabel_margin_loss", multilabel_margin_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    _check_margin_input(input)
    if input.ndim <= 1:
        ok = target.ndim <= 1 and target.numel() == max(input.numel(), 1)
    else:
        ok = tuple(target.shape) == tuple(input.shape)
    if not ok:
        raise RuntimeError(
            f"inconsistent target size: {list(target.shape)} for input of size: "
            f"{list(input.shape)}"
        )
    if target._dtype is not D.int64:
        raise RuntimeError(
            f"expected scalar type Long but found {_TYPE_WORDS.get(target._dtype.name)}"
        )
    x = input.reshape(1, -1) if input.ndim <= 1 else input
    t = target.reshape(x.shape).cpu().numpy()
    n, c = x.shape
    # each row's targets run up to its first negative entry; they must name a class
    if _np.any((t >= c) & _np.cumprod(t >= 0, axis=1).astype(bool)):
        raise RuntimeError("argument #2 'target' is out of range")
    # how often each class is listed as a target (before the first -1) in each row
    valid = _np.cumprod(t >= 0, axis=1).astype(bool)
    counts = _np.zeros((n, c))
    rows = _np.broadcast_to(_np.arange(n)[:, None], t.shape)
    _np.add.at(counts, (rows[valid], t[valid]), 1)
    w = _ember.tensor(counts, dtype=x.dtype, device=x.device)
    others = _ember.tensor(counts == 0, dtype=x.dtype, device=x.device)
    pair = _A.relu(1 - x.unsqueeze(2) + x.unsqueeze(1))
    loss = (pair * w.unsqueeze(2) * others.unsqueeze(1)).sum((1, 2)) / c
    if input.ndim <= 1:
        loss = loss.reshape(())
    return _named(_reduce(loss, reduction), "MultilabelMarginLossBackward0")


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """Mirrors `torch.nn.functional.poisson_nll_loss`."""
    if _AC[0]:
        return _autocast("poisson_nll_loss", poisson_nll_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    if log_input:
        loss = _ember.exp(input) - target * input
    else:
        loss = input - target * _ember.log(input + eps)
    if full:
        safe = _ember.where(target > 1, target, _ember.ones_like(target))
        stirling = safe * _ember.log(safe) - safe + 0.5 * _ember.log(2 * math.pi * safe)
        loss = loss + _ember.where(target > 1, stirling, _ember.zeros_like(stirling))
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Mirrors `torch.nn.functional.gaussian_nll_loss`."""
    if _AC[0]:
        return _autocast("gaussian_nll_loss", gaussian_nll_loss, locals())
    if not isinstance(var, Tensor):
        var = _ember.full_like(input, float(var))
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif input.shape[:-1] != var.shape[:-1] or var.shape[-1] != 1:
            raise ValueError("var is of incorrect size")
    if bool((var._data < 0).any()):
        raise ValueError("var has negative entry/entries")
    from ..autograd.grad_mode import no_grad

    with no_grad():
        var_c = _ember.clamp(var, min=eps)
    # the clamp is not differentiated (torch clamps a copy made under no_grad)
    var = var + (var_c - var).detach()
    loss = 0.5 * (_ember.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def _check_triplet_dims(anchor, positive, negative):
    a, p, n = anchor.ndim, positive.ndim, negative.ndim
    if not a == p == n:
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {a}D, positive {p}D, and negative {n}D inputs"
        )


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """Mirrors `torch.nn.functional.triplet_margin_loss`."""
    if _AC[0]:
        return _autocast("triplet_margin_loss", triplet_margin_loss, locals())
    reduction = _reduction(size_average, reduce, reduction)
    _check_triplet_dims(anchor, positive, negative)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_swap = pairwise_distance(positive, negative, p, eps)
        d_neg = _ember.minimum(d_neg, d_swap)
    return _reduce(_named(_A.relu(margin + d_pos - d_neg), "ClampMinBackward0"), reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """Mirrors `torch.nn.functional.triplet_margin_with_distance_loss`."""
    if margin <= 0:
        raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, "
                         f"got {margin} instead")
    _check_triplet_dims(anchor, positive, negative)
    dist = pairwise_distance if distance_function is None else distance_function
    d_pos = dist(anchor, positive)
    d_neg = dist(anchor, negative)
    if swap:
        d_neg = _ember.minimum(d_neg, dist(positive, negative))
    loss = _named(_A.relu(margin + d_pos - d_neg), "ClampMinBackward0")
    return _reduce(loss, reduction)


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """Mirrors `torch.nn.functional.ctc_loss`."""
    from ._ctc import ctc_loss as _ctc

    return _ctc(log_probs, targets, input_lengths, target_lengths, blank, reduction,
                zero_infinity)


def _import_optional(short):
    # functions written in parallel appear here once their file exists; only "not written
    # yet" is tolerated, an import error inside the file is not
    import importlib

    full = __name__.rsplit(".", 1)[0] + "." + short
    try:
        mod = importlib.import_module(full)
    except ModuleNotFoundError as e:
        if e.name != full:
            raise
        return {}
    names = getattr(mod, "__all__", [k for k in vars(mod) if not k.startswith("_")])
    return {k: getattr(mod, k) for k in names}


globals().update(_import_optional("_functional_layers"))
globals().update(_import_optional("_functional_attn"))
del _import_optional

from ._fractional_pool import (  # noqa: F401
    fractional_max_pool2d,
    fractional_max_pool2d_with_indices,
)

# lp_pool3d, fractional_max_pool3d, rrelu_ (ember/nn/_pool_gaps.py) and the nn.grad module
from ._pool_gaps import (  # noqa: F401,E402
    fractional_max_pool3d,
    fractional_max_pool3d_with_indices,
    lp_pool3d,
    rrelu_,
)
from . import grad  # noqa: F401,E402
