"""OpInfos of the fused nn ops (ember/_ops/nn_act.py): activations, softmax, linear layers,
similarity, backward-hook routing and losses, each through `torch.nn.functional`'s API."""

import numpy as np
from hypothesis import strategies as st

from tests.opinfo import OpInfo, broadcast_shapes, unary_shapes

REDUCTIONS = ("mean", "sum", "none")


def _F(m):
    return m.nn.functional


def _reduction(draw, shapes):
    return {"reduction": draw(st.sampled_from(REDUCTIONS), label="reduction")}


def _dim_kw(draw, shapes):
    nd = len(shapes[0])
    return {"dim": draw(st.integers(-max(nd, 1), max(nd, 1) - 1), label="dim")}


# ---------------------------------------------------------------- input makers
def _pair(lo_a, hi_a, lo_b, hi_b, shapes=None):
    """Two same-shape float inputs (losses compare input and target elementwise)."""

    def make(draw, rng, dtype):
        shape = draw(shapes if shapes is not None else unary_shapes(min_side=1, max_side=4))[0]
        return [rng.uniform(lo_a, hi_a, size=shape).astype(dtype),
                rng.uniform(lo_b, hi_b, size=shape).astype(dtype)]

    return make


# no empty batch here: the mean of nothing is nan, which finite differences cannot check
# (tests/test_losses.py compares empty batches with torch)
_CLASS_SHAPES = st.sampled_from([(5, 3), (4, 1), (1, 6), (3, 4, 2), (2, 3, 2, 2), (4,)])


def _class_inputs(draw, rng, dtype):
    """(logits (N, C, d...) or (C,), int64 targets (N, d...) or (), class weights (C,))."""
    shape = draw(_CLASS_SHAPES, label="shape")
    c = shape[1] if len(shape) > 1 else shape[0]
    tshape = (shape[0],) + shape[2:] if len(shape) > 1 else ()
    x = rng.uniform(-3, 3, size=shape).astype(dtype)
    t = rng.integers(0, c, size=tshape).astype(np.int64)
    # class 0 is never ignored below, so some sample always counts
    t.reshape(-1)[:1] = 0
    w = rng.uniform(0.2, 2.0, size=(c,)).astype(dtype)
    return [x, t, w]


def _class_kwargs(draw, shapes):
    c = shapes[0][1] if len(shapes[0]) > 1 else shapes[0][0]
    kw = _reduction(draw, shapes)
    # an ignore_index equal to a real class drops those samples
    kw["ignore_index"] = draw(st.sampled_from([-100, c - 1] if c > 1 else [-100]),
                              label="ignore_index")
    kw["use_weight"] = draw(st.booleans(), label="use_weight")
    return kw


def _prob_inputs(draw, rng, dtype):
    shape = draw(st.sampled_from([(5, 3), (3, 4, 2), (4,), (2, 3, 2, 2)]), label="shape")
    c = shape[1] if len(shape) > 1 else shape[0]
    x = rng.uniform(-3, 3, size=shape)
    p = rng.uniform(0.0, 1.0, size=shape)
    axis = 1 if len(shape) > 1 else 0
    p = p / p.sum(axis=axis, keepdims=True)
    w = rng.uniform(0.2, 2.0, size=(c,))
    return [x.astype(dtype), p.astype(dtype), w.astype(dtype)]


def _ce(m, x, t, w, reduction="mean", ignore_index=-100, use_weight=False, smoothing=0.0):
    return _F(m).cross_entropy(x, t, weight=w if use_weight else None, reduction=reduction,
                               ignore_index=ignore_index, label_smoothing=smoothing)


def _ce_probs(m, x, p, w, reduction="mean", use_weight=False, smoothing=0.0):
    return _F(m).cross_entropy(x, p, weight=w if use_weight else None, reduction=reduction,
                               label_smoothing=smoothing)


def _nll(m, x, t, w, reduction="mean", ignore_index=-100, use_weight=False):
    return _F(m).nll_loss(x, t, weight=w if use_weight else None, reduction=reduction,
                          ignore_index=ignore_index)


def _linear_inputs(draw, rng, dtype):
    xs, nin, nout = draw(st.sampled_from([
        ((4, 3), 3, 2), ((3,), 3, 4), ((2, 5, 3), 3, 1), ((0, 3), 3, 2), ((2, 1, 2, 4), 4, 3),
        ((1, 1), 1, 1),
    ]), label="linear shapes")
    return [rng.uniform(-2, 2, size=s).astype(dtype) for s in (xs, (nout, nin), (nout,))]


def _bilinear_inputs(draw, rng, dtype):
    n, i, j, k = draw(st.sampled_from([(4, 3, 2, 5), (1, 1, 1, 1), (3, 2, 4, 1), (0, 2, 3, 2)]))
    shapes = ((n, i), (n, j), (k, i, j), (k,))
    return [rng.uniform(-2, 2, size=s).astype(dtype) for s in shapes]


def _prelu_inputs(draw, rng, dtype):
    shape, nw = draw(st.sampled_from([((4, 3), 3), ((2, 3, 4), 3), ((2, 2, 3, 3), 2),
                                      ((5,), 1), ((2, 3), 1), ((), 1)]))
    return [rng.uniform(-3, 3, size=shape).astype(dtype),
            rng.uniform(-1, 1, size=(nw,)).astype(dtype)]


def _glu_inputs(draw, rng, dtype):
    shape = draw(st.sampled_from([(4,), (2, 6), (4, 3), (2, 2, 4), (0, 4)]))
    return [rng.uniform(-3, 3, size=shape).astype(dtype)]


def _glu_kw(draw, shapes):
    even = [d for d, s in enumerate(shapes[0]) if s % 2 == 0]
    return {"dim": draw(st.sampled_from(even))}


def _norm_kw(draw, shapes):
    kw = _dim_kw(draw, shapes)
    kw["p"] = draw(st.sampled_from([1.0, 2.0, 3.0]), label="p")
    return kw


def _cos_inputs(draw, rng, dtype):
    shapes = draw(broadcast_shapes(2, min_dims=1, min_side=1))
    return [rng.uniform(-2, 2, size=s).astype(dtype) for s in shapes]


def _cos_kw(draw, shapes):
    nd = max(len(s) for s in shapes)
    return {"dim": draw(st.integers(-nd, nd - 1), label="dim")}


def _kl_kw(draw, shapes):
    return {"reduction": draw(st.sampled_from(REDUCTIONS + ("batchmean",)), label="reduction")}


def _bce_inputs(draw, rng, dtype):
    shape = draw(unary_shapes(min_side=1, max_side=4))[0]
    x = rng.uniform(0.05, 0.95, size=shape).astype(dtype)
    y = rng.uniform(0.0, 1.0, size=shape).astype(dtype)
    w = rng.uniform(0.5, 2.0, size=shape).astype(dtype)
    return [x, y, w]


def _bce_logits_inputs(draw, rng, dtype):
    shape = draw(unary_shapes(min_dims=1, min_side=1, max_side=4))[0]
    x = rng.uniform(-4, 4, size=shape).astype(dtype)
    y = rng.uniform(0.0, 1.0, size=shape).astype(dtype)
    w = rng.uniform(0.5, 2.0, size=shape).astype(dtype)
    pw = rng.uniform(0.5, 3.0, size=shape[-1:]).astype(dtype)
    return [x, y, w, pw]


def _weights_kw(draw, shapes):
    kw = _reduction(draw, shapes)
    kw["use_weight"] = draw(st.booleans(), label="use_weight")
    return kw


def _bce_logits_kw(draw, shapes):
    kw = _weights_kw(draw, shapes)
    kw["use_pos"] = draw(st.booleans(), label="use_pos")
    return kw


def _hooked(m, x):
    # a full backward hook that doubles grad_input, and a pre-hook that halves grad_output
    mod = m.nn.Softplus()
    mod.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 2.0,))
    mod.register_full_backward_pre_hook(lambda mod, go: (go[0] * 0.5,))
    return mod(x)


_slow_unary = unary_shapes(max_side=4)

OPINFOS = [
    # ------------------------------------------------------------ activations
    OpInfo("relu", lambda m, a: _F(m).relu(a)),
    OpInfo("relu_method", lambda m, a: a.relu(), ops=("relu",)),
    OpInfo("relu_inplace", lambda m, a: _F(m).relu(a * 1.0, inplace=True), ops=("relu",)),
    OpInfo("relu6", lambda m, a: _F(m).relu6(a, inplace=False), ops=("hardtanh",),
           domain=(-8, 8)),
    OpInfo("hardtanh", lambda m, a: _F(m).hardtanh(a, -1.5, 2.0)),
    OpInfo("hardtanh_inplace", lambda m, a: _F(m).hardtanh(a * 1.0, inplace=True),
           ops=("hardtanh",)),
    OpInfo("leaky_relu", lambda m, a: _F(m).leaky_relu(a, 0.2)),
    OpInfo("leaky_relu_inplace", lambda m, a: _F(m).leaky_relu(a + 0.0, 0.1, inplace=True),
           ops=("leaky_relu",)),
    OpInfo("elu", lambda m, a: _F(m).elu(a, 0.7), domain=(-4, 4)),
    OpInfo("selu", lambda m, a: _F(m).selu(a), ops=("elu",)),
    OpInfo("celu", lambda m, a: _F(m).celu(a, 1.3), ops=("elu",)),
    OpInfo("threshold", lambda m, a: _F(m).threshold(a, 0.5, -1.25)),
    OpInfo("softshrink", lambda m, a: _F(m).softshrink(a, 0.7), ops=("shrink",)),
    OpInfo("hardshrink", lambda m, a: _F(m).hardshrink(a, 0.7), ops=("shrink",)),
    OpInfo("prelu", lambda m, a, w: _F(m).prelu(a, w), make_inputs=_prelu_inputs),
    OpInfo("gelu", lambda m, a: _F(m).gelu(a), domain=(-5, 5)),
    OpInfo("gelu_tanh", lambda m, a: _F(m).gelu(a, approximate="tanh"), ops=("gelu",),
           domain=(-5, 5)),
    OpInfo("silu", lambda m, a: _F(m).silu(a), domain=(-6, 6)),
    OpInfo("mish", lambda m, a: _F(m).mish(a), domain=(-6, 6)),
    OpInfo("softplus", lambda m, a: _F(m).softplus(a), domain=(-6, 6)),
    OpInfo("softplus_beta", lambda m, a: _F(m).softplus(a, beta=2.0, threshold=3.0),
           ops=("softplus",), domain=(-3, 3)),
    OpInfo("log_sigmoid", lambda m, a: _F(m).logsigmoid(a), domain=(-30, 30)),
    OpInfo("softsign", lambda m, a: _F(m).softsign(a)),
    OpInfo("hardsigmoid", lambda m, a: _F(m).hardsigmoid(a), domain=(-5, 5), gradgrad=False),
    OpInfo("hardswish", lambda m, a: _F(m).hardswish(a), domain=(-5, 5)),
    OpInfo("glu", lambda m, a, dim: _F(m).glu(a, dim), make_inputs=_glu_inputs, kwargs=_glu_kw),
    # ------------------------------------------------------------ softmax
    OpInfo("softmax", lambda m, a, dim: _F(m).softmax(a, dim), kwargs=_dim_kw, domain=(-20, 20)),
    OpInfo("softmax_method", lambda m, a, dim: a.softmax(dim), ops=("softmax",),
           kwargs=_dim_kw),
    OpInfo("softmin", lambda m, a, dim: _F(m).softmin(a, dim), ops=("softmax",),
           kwargs=_dim_kw),
    OpInfo("log_softmax", lambda m, a, dim: _F(m).log_softmax(a, dim), kwargs=_dim_kw,
           domain=(-20, 20)),
    OpInfo("log_softmax_method", lambda m, a, dim: a.log_softmax(dim), ops=("log_softmax",),
           kwargs=_dim_kw),
    # ------------------------------------------------------------ linear layers, similarity
    OpInfo("linear", lambda m, x, w, b: _F(m).linear(x, w, b), ops=("linear", "linear_view"),
           make_inputs=_linear_inputs),
    OpInfo("linear_nobias", lambda m, x, w, b: _F(m).linear(x, w),
           ops=("linear", "linear_mm", "linear_unsafe_view", "linear_squeeze"),
           make_inputs=_linear_inputs),
    OpInfo("bilinear", lambda m, a, b, w, c: _F(m).bilinear(a, b, w, c),
           make_inputs=_bilinear_inputs),
    OpInfo("normalize", lambda m, a, dim, p: _F(m).normalize(a, p=p, dim=dim),
           shapes=unary_shapes(min_dims=1, max_side=4), kwargs=_norm_kw),
    OpInfo("cosine_similarity", lambda m, a, b, dim: _F(m).cosine_similarity(a, b, dim=dim),
           make_inputs=_cos_inputs, kwargs=_cos_kw),
    # ------------------------------------------------------------ module backward hooks
    OpInfo("full_backward_hook", _hooked, ops=("hook_pack", "hook_unpack"), gradgrad=False),
    # ------------------------------------------------------------ regression losses
    OpInfo("mse_loss", lambda m, a, b, reduction: _F(m).mse_loss(a, b, reduction=reduction),
           make_inputs=_pair(-2, 2, -2, 2), kwargs=_reduction),
    # torch's second derivative of l1_loss is a ZeroTensor that cannot be compared
    OpInfo("l1_loss", lambda m, a, b, reduction: _F(m).l1_loss(a, b, reduction=reduction),
           make_inputs=_pair(-2, 2, -2, 2), kwargs=_reduction, gradgrad=False),
    OpInfo("smooth_l1_loss",
           lambda m, a, b, reduction: _F(m).smooth_l1_loss(a, b, reduction=reduction, beta=0.5),
           make_inputs=_pair(-2, 2, -2, 2), kwargs=_reduction),
    OpInfo("smooth_l1_loss_beta0",
           lambda m, a, b, reduction: _F(m).smooth_l1_loss(a, b, reduction=reduction, beta=0.0),
           ops=("smooth_l1_loss",), make_inputs=_pair(-2, 2, -2, 2), kwargs=_reduction,
           gradgrad=False),
    OpInfo("huber_loss",
           lambda m, a, b, reduction: _F(m).huber_loss(a, b, reduction=reduction, delta=0.8),
           make_inputs=_pair(-2, 2, -2, 2), kwargs=_reduction),
    OpInfo("kl_div", lambda m, a, b, reduction: _F(m).kl_div(a, b, reduction=reduction),
           make_inputs=_pair(-3, 0, 0.05, 1.0,
                             unary_shapes(min_dims=1, min_side=1, max_side=4)),
           kwargs=_kl_kw),
    OpInfo("kl_div_log_target",
           lambda m, a, b, reduction: _F(m).kl_div(a, b, reduction=reduction, log_target=True),
           ops=("kl_div",),
           make_inputs=_pair(-3, 0, -3, 0, unary_shapes(min_dims=1, min_side=1, max_side=4)),
           kwargs=_kl_kw),
    # ------------------------------------------------------------ classification losses
    OpInfo("binary_cross_entropy",
           lambda m, x, y, w, reduction, use_weight: _F(m).binary_cross_entropy(
               x, y, weight=w if use_weight else None, reduction=reduction),
           make_inputs=_bce_inputs, kwargs=_weights_kw, grad_args=(0, 1)),
    OpInfo("binary_cross_entropy_with_logits",
           lambda m, x, y, w, pw, reduction, use_weight, use_pos:
           _F(m).binary_cross_entropy_with_logits(
               x, y, weight=w if use_weight else None, reduction=reduction,
               pos_weight=pw if use_pos else None),
           make_inputs=_bce_logits_inputs, kwargs=_bce_logits_kw, grad_args=(0, 1)),
    OpInfo("nll_loss", _nll, make_inputs=_class_inputs, kwargs=_class_kwargs, grad_args=(0,)),
    OpInfo("cross_entropy", _ce, make_inputs=_class_inputs, kwargs=_class_kwargs,
           grad_args=(0,)),
    OpInfo("cross_entropy_smoothing",
           lambda m, x, t, w, **kw: _ce(m, x, t, w, smoothing=0.2, **kw), ops=("cross_entropy",),
           make_inputs=_class_inputs, kwargs=_class_kwargs, grad_args=(0,)),
    OpInfo("cross_entropy_probs",
           lambda m, x, p, w, **kw: _ce_probs(m, x, p, w, **kw), ops=("log_softmax",),
           make_inputs=_prob_inputs, kwargs=_weights_kw, grad_args=(0, 1)),
    OpInfo("cross_entropy_probs_smoothing",
           lambda m, x, p, w, **kw: _ce_probs(m, x, p, w, smoothing=0.3, **kw),
           ops=("log_softmax",), make_inputs=_prob_inputs, kwargs=_weights_kw, grad_args=(0, 1)),
]
