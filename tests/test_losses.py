"""Loss modules and functions against torch 2.13.0: values and gradients of every input in
float32 and float64 over reductions and options, N-d inputs, empty batches, extreme logits,
legacy arguments, warnings and error messages."""

import warnings

import numpy as np
import pytest
import torch

import ember

DTYPES = ["float32", "float64"]
REDUCTIONS = ["mean", "sum", "none"]
TOL = {"float32": {"rtol": 1e-5, "atol": 1e-6}, "float64": {"rtol": 1e-11, "atol": 1e-12}}


def to_np(t):
    return t.detach().cpu().numpy()


def run_both(fn, arrays, grad_idx, dtype, seed=0, module_kwargs=None):
    """fn(m, *tensors) in torch and ember; compare the loss and the gradients of grad_idx
    under a random upstream gradient."""
    out = []
    for m in (torch, ember):
        ts = [m.tensor(a, requires_grad=(i in grad_idx)) for i, a in enumerate(arrays)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loss = fn(m, *ts)
        up = np.random.default_rng(seed).standard_normal(tuple(loss.shape)).astype(dtype)
        grads = []
        if grad_idx and loss.requires_grad:
            grads = m.autograd.grad(loss, [ts[i] for i in grad_idx], m.tensor(up))
        out.append((loss, grads))
    (tl, tg), (el, eg) = out
    tol = TOL[dtype]
    assert tuple(el.shape) == tuple(tl.shape)
    assert str(el.dtype) == str(tl.dtype)
    np.testing.assert_allclose(to_np(el), to_np(tl), equal_nan=True, **tol)
    assert len(eg) == len(tg)
    for i, (a, b) in enumerate(zip(eg, tg)):
        np.testing.assert_allclose(to_np(a), to_np(b), err_msg=f"grad {i}", equal_nan=True,
                                   **tol)
    return el, tl


def rng_arrays(seed, dtype, *specs):
    rng = np.random.default_rng(seed)
    return [rng.uniform(lo, hi, size=shape).astype(dtype) for shape, lo, hi in specs]


# ---------------------------------------------------------------- regression losses
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,kwargs", [
    ("MSELoss", {}), ("L1Loss", {}), ("SmoothL1Loss", {}), ("SmoothL1Loss", {"beta": 0.3}),
    ("SmoothL1Loss", {"beta": 0.0}), ("HuberLoss", {}), ("HuberLoss", {"delta": 0.4}),
    ("SoftMarginLoss", {}),
])
@pytest.mark.parametrize("shape", [(4, 3), (5,), (), (2, 3, 2)])
def test_pointwise_losses(name, kwargs, reduction, dtype, shape):
    a, b = rng_arrays(len(name), dtype, (shape, -2, 2), (shape, -2, 2))
    if name == "SoftMarginLoss":
        b = np.sign(b).astype(dtype)

    def fn(m, x, y):
        return getattr(m.nn, name)(reduction=reduction, **kwargs)(x, y)

    run_both(fn, [a, b], (0,) if name == "SoftMarginLoss" else (0, 1), dtype)


@pytest.mark.parametrize("fn", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_weighted_regression_losses(fn, reduction):
    a, b, w = rng_arrays(0, "float64", ((3, 4), -2, 2), ((3, 4), -2, 2), ((3, 4), 0.1, 2))
    run_both(lambda m, x, y, v: getattr(m.nn.functional, fn)(x, y, reduction=reduction,
                                                            weight=v), [a, b, w], (0, 1, 2),
             "float64")


def test_broadcasting_target_warns_like_torch():
    a, b = rng_arrays(0, "float32", ((2, 3), -1, 1), ((3,), -1, 1))
    msgs = []
    for m in (torch, ember):
        with pytest.warns(UserWarning) as rec:
            m.nn.functional.mse_loss(m.tensor(a), m.tensor(b))
        msgs.append(str(rec[0].message))
    assert msgs[0] == msgs[1]
    run_both(lambda m, x, y: m.nn.functional.mse_loss(x, y), [a, b], (0, 1), "float32")


def test_unbroadcastable_target_raises_torch_message():
    import warnings

    msgs = []
    for m in (torch, ember):
        for fn in (m.nn.functional.mse_loss, m.nn.functional.l1_loss):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with pytest.raises(RuntimeError) as info:
                    fn(m.ones(2, 3), m.ones(2, 3, 1))
            msgs.append(str(info.value))
    assert msgs[:2] == msgs[2:]


def test_empty_inputs():
    for red in REDUCTIONS:
        a, b = np.zeros((0, 3), np.float32), np.zeros((0, 3), np.float32)
        run_both(lambda m, x, y: m.nn.functional.mse_loss(x, y, reduction=red), [a, b],
                 (0, 1), "float32")
        x = np.zeros((0, 4), np.float32)
        t = np.zeros((0,), np.int64)
        run_both(lambda m, x, t: m.nn.functional.cross_entropy(x, t, reduction=red), [x, t],
                 (0,), "float32")


def test_legacy_size_average_and_reduce():
    a, b = rng_arrays(0, "float64", ((3, 2), -1, 1), ((3, 2), -1, 1))
    for sa, rd in ((False, None), (None, False), (True, True), (False, True)):
        run_both(lambda m, x, y: m.nn.MSELoss(size_average=sa, reduce=rd)(x, y), [a, b], (0,),
                 "float64")
        run_both(lambda m, x, y: m.nn.functional.l1_loss(x, y, sa, rd), [a, b], (0,),
                 "float64")
    assert ember.nn.MSELoss(size_average=False).reduction == "sum"


# ---------------------------------------------------------------- classification losses
CLASS_CASES = [((6, 5), (6,)), ((5,), ()), ((3, 4, 2), (3, 2)), ((2, 3, 2, 3), (2, 2, 3)),
               ((1, 1), (1,))]


def class_arrays(xshape, tshape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    c = xshape[1] if len(xshape) > 1 else xshape[0]
    x = rng.uniform(-4, 4, size=xshape).astype(dtype)
    t = rng.integers(0, c, size=tshape).astype(np.int64)
    w = rng.uniform(0.2, 2.0, size=(c,)).astype(dtype)
    return x, t, w, c


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", CLASS_CASES)
@pytest.mark.parametrize("use_weight", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
def test_cross_entropy_class_indices(case, reduction, dtype, use_weight, smoothing):
    x, t, w, c = class_arrays(*case, dtype)
    for ignore in (-100, 0):
        def fn(m, x, t, w):
            crit = m.nn.CrossEntropyLoss(weight=w if use_weight else None, reduction=reduction,
                                         ignore_index=ignore, label_smoothing=smoothing)
            return crit(x, t)

        run_both(fn, [x, t, w], (0,), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", CLASS_CASES)
@pytest.mark.parametrize("use_weight", [False, True])
def test_nll_loss(case, reduction, dtype, use_weight):
    x, t, w, c = class_arrays(*case, dtype, seed=1)
    for ignore in (-100, c - 1):
        def fn(m, x, t, w):
            crit = m.nn.NLLLoss(weight=w if use_weight else None, reduction=reduction,
                                ignore_index=ignore)
            return crit(m.nn.functional.log_softmax(x, 1 if x.ndim > 1 else 0), t)

        run_both(fn, [x, t, w], (0,), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(4, 3), (3,), (2, 3, 4)])
@pytest.mark.parametrize("use_weight", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_cross_entropy_probabilities(shape, reduction, dtype, use_weight, smoothing):
    rng = np.random.default_rng(2)
    axis = 1 if len(shape) > 1 else 0
    x = rng.uniform(-3, 3, size=shape).astype(dtype)
    p = rng.uniform(0, 1, size=shape)
    p = (p / p.sum(axis=axis, keepdims=True)).astype(dtype)
    w = rng.uniform(0.5, 2, size=(shape[axis],)).astype(dtype)
    run_both(lambda m, x, p, w: m.nn.functional.cross_entropy(
        x, p, weight=w if use_weight else None, reduction=reduction,
        label_smoothing=smoothing), [x, p, w], (0, 1), dtype)


def test_cross_entropy_all_ignored_and_extreme_logits():
    x = np.array([[1e4, -1e4, 0.0], [-3e4, 2e4, 5.0]], np.float32)
    t = np.array([1, 0])
    el, tl = run_both(lambda m, x, t: m.nn.functional.cross_entropy(x, t), [x, t], (0,),
                      "float32")
    assert np.isfinite(to_np(el))
    run_both(lambda m, x, t: m.nn.functional.cross_entropy(x, t, ignore_index=1),
             [x, np.array([1, 1])], (0,), "float32")


def test_cross_entropy_is_one_fused_node():
    x = ember.randn(4, 3, requires_grad=True)
    loss = ember.nn.functional.cross_entropy(x, ember.tensor([0, 1, 2, 0]))
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert loss.grad_fn.next_functions[0][0].__class__.__name__ == "AccumulateGrad"


def test_cross_entropy_uint8_target_and_1d_target_for_1d_input():
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    run_both(lambda m, x, t: m.nn.functional.cross_entropy(x, t),
             [x, np.array([0, 3, 1], np.uint8)], (0,), "float32")
    # (torch's backward fails on this form: "size mismatch"; the forward is compared)
    run_both(lambda m, x, t: m.nn.functional.cross_entropy(x, t, reduction="none"),
             [x[0], np.array([2])], (), "float32")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("use_weight", [False, True])
def test_bce(dtype, reduction, use_weight):
    x, y, w = rng_arrays(3, dtype, ((4, 3), 0.01, 0.99), ((4, 3), 0, 1), ((4, 3), 0.2, 2))
    run_both(lambda m, x, y, w: m.nn.BCELoss(weight=w if use_weight else None,
                                             reduction=reduction)(x, y), [x, y, w], (0, 1),
             dtype)


def test_bce_clamps_log_at_minus_100():
    x = np.array([0.0, 1.0, 0.5, 1e-45], np.float32)
    y = np.array([1.0, 0.0, 1.0, 1.0], np.float32)
    el, _ = run_both(lambda m, x, y: m.nn.functional.binary_cross_entropy(x, y, reduction="none"),
                     [x, y], (), "float32")
    assert to_np(el)[0] == 100.0


def test_bce_weight_broadcasts():
    x, y = rng_arrays(4, "float64", ((4, 3), 0.1, 0.9), ((4, 3), 0, 1))
    w = np.array([0.5, 1.0, 2.0])
    run_both(lambda m, x, y, w: m.nn.functional.binary_cross_entropy(x, y, weight=w),
             [x, y, w], (0, 1), "float64")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("use_weight", [False, True])
@pytest.mark.parametrize("use_pos", [False, True])
def test_bce_with_logits(dtype, reduction, use_weight, use_pos):
    x, y, w, pw = rng_arrays(5, dtype, ((4, 3), -6, 6), ((4, 3), 0, 1), ((3,), 0.2, 2),
                             ((3,), 0.5, 3))
    run_both(lambda m, x, y, w, pw: m.nn.BCEWithLogitsLoss(
        weight=w if use_weight else None, pos_weight=pw if use_pos else None,
        reduction=reduction)(x, y), [x, y, w, pw], (0, 1), dtype)


def test_bce_with_logits_is_stable_for_huge_logits():
    x = np.array([1e4, -1e4, 80.0, -80.0], np.float32)
    y = np.array([0.0, 1.0, 1.0, 0.0], np.float32)
    pw = np.array([2.0, 2.0, 2.0, 2.0], np.float32)
    el, _ = run_both(lambda m, x, y, pw: m.nn.functional.binary_cross_entropy_with_logits(
        x, y, pos_weight=pw, reduction="none"), [x, y, pw], (0, 1), "float32")
    assert np.isfinite(to_np(el)).all()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(dtype, reduction, log_target):
    x, t = rng_arrays(6, dtype, ((4, 5), -3, 0), ((4, 5), 0, 1))
    t[0, 0] = 0  # xlogy: a zero target contributes 0
    if log_target:
        t = np.log(t + 0.1).astype(dtype)
    run_both(lambda m, x, t: m.nn.KLDivLoss(reduction=reduction, log_target=log_target)(x, t),
             [x, t], (0, 1) if log_target else (0,), dtype)


def test_kl_div_mean_warns():
    for m in (torch, ember):
        with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
            m.nn.functional.kl_div(m.zeros(2), m.ones(2))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_pair_losses(dtype, reduction):
    a, b = rng_arrays(7, dtype, ((5, 4), -2, 2), ((5, 4), -2, 2))
    y = np.array([1, -1, 1, -1, 1], dtype)
    run_both(lambda m, a, b, y: m.nn.CosineEmbeddingLoss(margin=0.2, reduction=reduction)(
        a, b, y), [a, b, y], (0, 1), dtype)
    run_both(lambda m, a, b, y: m.nn.MarginRankingLoss(margin=0.3, reduction=reduction)(
        a[:, 0], b[:, 0], y), [a, b, y], (0, 1), dtype)
    run_both(lambda m, a, y: m.nn.HingeEmbeddingLoss(margin=0.5, reduction=reduction)(
        a[:, 0], y), [a, y], (0,), dtype)
    run_both(lambda m, a, b, c: m.nn.TripletMarginLoss(margin=0.5, reduction=reduction)(
        a, b, c), [a, b, a[::-1].copy()], (0, 1, 2), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_other_losses(dtype, reduction):
    a, t, v = rng_arrays(8, dtype, ((4, 3), -2, 2), ((4, 3), 0, 3), ((4, 3), 0.1, 2))
    lab = (t > 1.5).astype(dtype)
    run_both(lambda m, a, y: m.nn.MultiLabelSoftMarginLoss(reduction=reduction)(a, y),
             [a, lab], (0,), dtype)
    run_both(lambda m, a, t: m.nn.PoissonNLLLoss(reduction=reduction)(a, t), [a, t], (0,),
             dtype)
    run_both(lambda m, a, t: m.nn.PoissonNLLLoss(log_input=False, full=True,
                                                 reduction=reduction)(a.abs() if hasattr(
                                                     a, "abs") else a, t),
             [np.abs(a), t], (0,), dtype)
    run_both(lambda m, a, t, v: m.nn.GaussianNLLLoss(reduction=reduction)(a, t, v),
             [a, t, v], (0, 1, 2), dtype)


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("case", [
    lambda m: m.nn.functional.nll_loss(m.rand(2, 3), m.tensor([0.0, 1.0])),
    lambda m: m.nn.functional.cross_entropy(m.rand(2, 3), m.tensor([0, 1, 2])),
    lambda m: m.nn.functional.cross_entropy(m.rand(2, 3), m.tensor([0, 3])),
    lambda m: m.nn.functional.cross_entropy(m.rand(2, 3), m.tensor([0, -2])),
    lambda m: m.nn.functional.cross_entropy(m.rand(2, 3), m.tensor([0, 1]),
                                            label_smoothing=1.5),
    lambda m: m.nn.functional.cross_entropy(m.rand(2, 3, 4), m.tensor([[0, 1, 2, 0]])),
    lambda m: m.nn.functional.nll_loss(m.rand(2, 3, 4), m.zeros(2, 5, dtype=m.int64)),
    lambda m: m.nn.functional.cross_entropy(m.rand(3), m.tensor([0, 1])),
    lambda m: m.nn.functional.nll_loss(m.rand(2, 3), m.tensor(1)),
    lambda m: m.nn.functional.cross_entropy(m.rand(2, 3), m.rand(2, 4)),
    lambda m: m.nn.functional.cross_entropy(m.rand(2, 3), m.tensor([0, 1]),
                                            weight=m.ones(3, requires_grad=True)),
    lambda m: m.nn.functional.mse_loss(m.rand(2), m.rand(2), reduction="bad"),
    lambda m: m.nn.functional.kl_div(m.rand(2), m.rand(2), reduction="bad"),
    lambda m: m.nn.functional.smooth_l1_loss(m.rand(2), m.rand(2), beta=-1.0),
    lambda m: m.nn.functional.binary_cross_entropy(m.tensor([1.5]), m.tensor([0.5])),
    lambda m: m.nn.functional.binary_cross_entropy(m.tensor([0.5]), m.tensor([1.5])),
    lambda m: m.nn.functional.binary_cross_entropy(m.rand(2, 1), m.rand(2)),
    lambda m: m.nn.functional.binary_cross_entropy_with_logits(m.rand(2, 1), m.rand(2)),
    lambda m: m.nn.functional.binary_cross_entropy_with_logits(
        m.rand(2), m.rand(2), pos_weight=m.ones(2, requires_grad=True)),
    lambda m: m.nn.functional.margin_ranking_loss(m.rand(2), m.rand(2), m.rand(2, 1)),
    lambda m: m.nn.functional.cosine_embedding_loss(m.rand(2, 3), m.rand(2, 3), m.rand(2, 1)),
    lambda m: m.nn.functional.cosine_embedding_loss(m.rand(3), m.rand(3), m.rand(3)),
    lambda m: m.nn.functional.soft_margin_loss(m.rand(3), m.rand(3, requires_grad=True)),
])
def test_loss_errors_match_torch(case):
    errs = []
    for m in (torch, ember):
        with pytest.raises(Exception) as ei:
            case(m)
        errs.append((ei.type, str(ei.value)))
    assert errs[1] == errs[0]


def test_loss_reprs_and_buffers():
    for name in ("MSELoss", "L1Loss", "CrossEntropyLoss", "NLLLoss", "BCELoss",
                 "BCEWithLogitsLoss", "KLDivLoss", "HuberLoss", "SmoothL1Loss"):
        assert repr(getattr(ember.nn, name)()) == repr(getattr(torch.nn, name)())
    w = np.array([1.0, 2.0], np.float32)
    e = ember.nn.CrossEntropyLoss(weight=ember.tensor(w))
    t = torch.nn.CrossEntropyLoss(weight=torch.tensor(w))
    assert list(e.state_dict()) == list(t.state_dict()) == ["weight"]
    e.to(ember.float64)
    assert e.weight.dtype == ember.float64


# node names of composite losses and layers, as printed in `grad_fn=<...>` (torch's names)
NODE_NAME_CASES = [
    "F.cross_entropy(x, t, label_smoothing=0.1, reduction=r)",
    "F.cross_entropy(x, soft, reduction=r)",
    "F.multi_margin_loss(x, t, reduction=r)",
    "F.multilabel_margin_loss(x, m.tensor([[0, -1, 1], [2, 1, -1]]), reduction=r)",
    "F.l1_loss(x, y, reduction=r)",
    "F.kl_div(x, pos, reduction=r)",
    "F.kl_div(x, pos.log(), reduction=r, log_target=True)",
    "F.soft_margin_loss(x, y * 2 - 1, reduction=r)",
    "F.margin_ranking_loss(x[0], x[1], m.tensor([1., -1., 1.]), reduction=r)",
    "F.triplet_margin_loss(x, pos, pos.flip(0), reduction=r)",
    "F.triplet_margin_with_distance_loss(x, pos, pos.flip(0), reduction=r)",
    "F.ctc_loss(x.log_softmax(1).unsqueeze(1).repeat(2, 1, 1), m.tensor([[1, 2]]), (4,), (2,),"
    " reduction=r)",
    "F.pairwise_distance(x, pos)", "F.celu(x)", "F.softsign(x)", "F.group_norm(x.unsqueeze(-1), 1)",
    "F.interpolate(x.unsqueeze(0), scale_factor=2)",
    "F.interpolate(x.unsqueeze(0), scale_factor=2, mode='linear')",
    "F.interpolate(x.view(1, 1, 2, 3), size=(3, 4), mode='bilinear')",
    "F.interpolate(x.view(1, 1, 2, 3), size=(3, 4), mode='bicubic')",
    "F.interpolate(x.view(1, 1, 2, 3), size=(3, 5), mode='nearest-exact')",
    "F.pad(x.unsqueeze(0), (1, 1), mode='reflect')", "F.pad(x.unsqueeze(0), (1, 1), mode='replicate')",
    "F.pad(x.view(1, 1, 2, 3), (1, 1, 1, 1), mode='reflect')",
    "F.avg_pool1d(x.unsqueeze(0), 2)", "F.max_pool1d(x.unsqueeze(0), 2)",
    "F.max_pool1d(x.unsqueeze(0), 2, return_indices=True)[0]",
    "F.adaptive_avg_pool1d(x.unsqueeze(0), 2)", "F.adaptive_max_pool1d(x.unsqueeze(0), 2)",
    "F.pixel_shuffle(x.repeat(1, 2).reshape(1, 4, 1, 3), 2)",
    "F.pixel_unshuffle(x.repeat(2, 2).view(1, 1, 4, 6), 2)",
]


@pytest.mark.parametrize("expr", NODE_NAME_CASES)
@pytest.mark.parametrize("r", ["mean", "sum", "none"])
def test_node_names_of_composites_match_torch(expr, r):
    import warnings

    names = []
    for m in (ember, torch):
        x = m.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
        env = {"m": m, "F": m.nn.functional, "x": x, "r": r, "t": m.tensor([0, 2]),
               "soft": m.tensor([[0.7, 0.2, 0.1], [0.0, 0.0, 1.0]]),
               "y": m.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
               "pos": m.tensor([[0.2, 0.5, 0.9], [0.1, 0.3, 0.6]], requires_grad=True)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = eval(expr, env)
        names.append(out.grad_fn.name())
    assert names[0] == names[1]


def test_ctc_loss_matches_torch():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((6, 3, 5)).astype(np.float32)

    def run(m, reduction, zero_infinity, concat):
        x = m.tensor(logits, requires_grad=True)
        lp = x.log_softmax(2)
        lp.retain_grad()
        targets = m.tensor([1, 2, 3, 3, 4, 2]) if concat else m.tensor([[1, 2, 2], [3, 3, 4],
                                                                         [2, 0, 0]])
        loss = m.nn.CTCLoss(reduction=reduction, zero_infinity=zero_infinity)(
            lp, targets, m.tensor([6, 5, 4]), m.tensor([2, 3, 1]))
        loss.sum().backward()
        return loss, x.grad, lp.grad

    for args in (("mean", False, False), ("none", False, True), ("sum", True, False)):
        e = run(ember, *args)
        t = run(torch, *args)
        for a, b in zip(e, t):
            np.testing.assert_allclose(a.detach().cpu().numpy(), b.detach().cpu().numpy(), atol=2e-6)
    # a target longer than its input: inf, or 0 with a zero gradient under zero_infinity
    for m in (ember, torch):
        lp = m.zeros(2, 1, 3).log_softmax(2).requires_grad_()
        loss = m.nn.functional.ctc_loss(lp, m.tensor([[1, 1, 1]]), [2], [3], reduction="none")
        assert loss.tolist() == [float("inf")]
        loss = m.nn.functional.ctc_loss(lp, m.tensor([[1, 1, 1]]), [2], [3], reduction="none",
                                        zero_infinity=True)
        loss.sum().backward()
        assert loss.tolist() == [0.0] and lp.grad.abs().sum().item() == 0.0
