"""PyTorch's autocast op lists, and the casting `ember.autocast` applies to the ops on them.

An op that autocast can change starts with

    if _AC[0]:
        return _autocast("mse_loss", mse_loss, locals())

`_AC[0]` (`ACTIVE[0]` here) is True only while an enabled autocast region is open, so outside
autocast an op pays one list lookup. Inside, `run` looks the op up in its device type's table
and casts the op's floating-point tensor arguments on that device type (float64 ones are left
alone, as PyTorch does) before calling the op again with autocast switched off, so the ops it is
made of are not autocast a second time (PyTorch's autocast dispatch key is excluded the same
way). The casts are ordinary differentiable `to` copies: gradients reach float32 parameters as
float32.

The tables follow PyTorch's lists (aten/src/ATen/autocast_mode.cpp, checked op by op against
torch 2.13 on the CPU with dtype=float16 and torch 2.11 on CUDA):

- LOWER: run in the autocast dtype (matmul, linear, convolutions...);
- FP32: run in float32 (losses everywhere; on CUDA also softmax, norms, reductions...);
- PROMOTE: run in the widest floating dtype among the arguments;
- BANNED: raise (binary_cross_entropy on CUDA, as PyTorch).

Names in the tables without a hook in ember yet (sum, exp, einsum...) document what remains.
"""

import functools

LOWER = "lower"
FP32 = "fp32"
PROMOTE = "promote"
BANNED = "banned"

# True while an autocast region that casts is open on some device type
ACTIVE = [False]
# device type -> the ember dtype autocast casts to there, for each device type where it casts
CASTING = {}
# leaf float32 parameters already cast in this region: id -> (tensor, cast), as PyTorch caches
_CACHE = {}
CACHE_ENABLED = [True]

_LOWER_BOTH = (
    "matmul", "mm", "bmm", "addmm", "addbmm", "baddbmm", "linear", "convolution",
    "conv_transpose", "prelu", "einsum", "multi_dot", "chain_matmul", "vecdot",
    "scaled_dot_product_attention",
)
_FP32_BOTH = (
    "cross_entropy", "nll_loss", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
    "binary_cross_entropy_with_logits", "kl_div", "margin_ranking_loss",
    "cosine_embedding_loss", "hinge_embedding_loss", "soft_margin_loss", "multi_margin_loss",
    "multilabel_margin_loss", "poisson_nll_loss", "triplet_margin_loss", "ctc_loss", "cdist",
    "trace", "prod",
)

CUDA = dict.fromkeys(_LOWER_BOTH + ("mv", "addmv", "addr"), LOWER)
CUDA.update(dict.fromkeys(_FP32_BOTH + (
    "softmax", "log_softmax", "layer_norm", "group_norm", "local_response_norm", "normalize",
    "cosine_similarity", "pairwise_distance", "pdist", "dist", "norm", "renorm",
    "multilabel_soft_margin_loss", "gaussian_nll_loss", "interpolate",
    "sum", "cumsum", "cumprod", "logsumexp", "exp", "expm1", "log", "log10", "log2", "log1p",
    "acos", "asin", "cosh", "sinh", "tan", "erfinv", "reciprocal", "rsqrt", "pow", "softplus",
), FP32))
CUDA.update(dict.fromkeys((
    "dot", "vdot", "tensordot", "bilinear", "grid_sample", "scatter_add", "index_put",
    "addcmul", "addcdiv", "atan2", "cross",
), PROMOTE))
CUDA["binary_cross_entropy"] = BANNED

CPU = dict.fromkeys(_LOWER_BOTH, LOWER)
CPU.update(dict.fromkeys(_FP32_BOTH + (
    "binary_cross_entropy", "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d",
    "adaptive_max_pool3d", "max_unpool2d", "max_unpool3d", "grid_sample", "quantile",
    "nanquantile", "stft", "polar", "inverse", "cholesky", "solve", "lstsq", "pinverse",
    "svd", "eigh",
), FP32))
CPU.update(dict.fromkeys(("cat", "stack", "index_copy"), PROMOTE))

TABLES = {"cuda": CUDA, "cpu": CPU}

_BCE_BANNED = (
    "torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are unsafe to autocast.\n"
    "Many models use a sigmoid layer right before the binary cross entropy layer.\n"
    "In this case, combine the two layers using torch.nn.functional.binary_cross_entropy_with_"
    "logits\nor torch.nn.BCEWithLogitsLoss.  binary_cross_entropy_with_logits and "
    "BCEWithLogits are\nsafe to autocast."
)


@functools.cache
def _deps():
    from .. import _dtype as D
    from .._ops.elementwise import to_copy
    from .._tensor import Tensor
    from ..autograd.grad_mode import GRAD

    return D, Tensor, to_copy, GRAD


def _first_device_type(values, Tensor):
    for v in values:
        if isinstance(v, Tensor):
            return v._device.type
        if isinstance(v, (list, tuple)):
            found = _first_device_type(v, Tensor)
            if found is not None:
                return found
    return None


def _eligible(t, dev, D):
    # floating tensors on the autocast device type; float64 never changes
    return t._device.type == dev and (t._dtype is D.float32 or t._dtype is D.float16
                                      or t._dtype is D.bfloat16)


def _widest(values, dev, dtype, D, Tensor):
    for v in values:
        if isinstance(v, Tensor):
            if _eligible(v, dev, D) and v._dtype is D.float32:
                return D.float32
        elif isinstance(v, (list, tuple)) and _widest(v, dev, dtype, D, Tensor) is D.float32:
            return D.float32
    return dtype


def _cast_one(t, dtype, policy):
    D, _, to_copy, GRAD = _deps()
    if t._dtype is dtype:
        return t
    cache = (policy is LOWER and CACHE_ENABLED[0] and t._rg and t._node is None
             and t._dtype is D.float32 and GRAD.enabled)
    if cache:
        hit = _CACHE.get(id(t))
        if hit is not None and hit[0] is t:
            return hit[1]
    out = to_copy(t, dtype, t._device)
    if cache:
        _CACHE[id(t)] = (t, out)
    return out


def _cast(value, dev, dtype, policy, D, Tensor):
    if isinstance(value, Tensor):
        return _cast_one(value, dtype, policy) if _eligible(value, dev, D) else value
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) for v in value):
        return type(value)(_cast(v, dev, dtype, policy, D, Tensor) for v in value)
    return value


def run(name, fn, kwargs):
    """`fn(**kwargs)` as autocast runs op `name`: arguments cast by its table's policy for the
    device type of its first tensor, and autocast off inside (the op's parts are not autocast
    again). Calls with `out=` or an explicit `dtype=` are not autocast, as in PyTorch."""
    D, Tensor, _, _ = _deps()
    values = kwargs.values()
    dev = _first_device_type(values, Tensor)
    dtype = CASTING.get(dev)
    policy = TABLES[dev].get(name) if dtype is not None else None
    if kwargs.get("out") is not None or kwargs.get("dtype") is not None:
        policy = None
    if policy is BANNED:
        raise RuntimeError(_BCE_BANNED)
    if policy is not None:
        target = D.float32 if policy is FP32 else dtype
        if policy is PROMOTE:
            target = _widest(values, dev, dtype, D, Tensor)
        kwargs = {k: _cast(v, dev, target, policy, D, Tensor) for k, v in kwargs.items()}
    prev = ACTIVE[0]
    ACTIVE[0] = False
    try:
        return fn(**kwargs)
    finally:
        ACTIVE[0] = prev


def clear_cache():
    _CACHE.clear()
