"""nn layers against torch 2.13.0: modules with copied weights (outputs and input/parameter
gradients in float32 and float64), default initialization, reprs, batch-norm running stats,
dropout statistics, embedding details, error messages, and a few LeNet training steps."""

import math
import re

import numpy as np
import pytest
import torch

import ember

TOL = {np.float32: {"rtol": 1e-4, "atol": 1e-5}, np.float64: {"rtol": 1e-7, "atol": 1e-9}}


def _np(t):
    return t.detach().cpu().numpy()


def _pair(make, dtype=torch.float64):
    """(torch module, ember module) with the same weights and buffers."""
    tm = make(torch).to(dtype)
    em = make(ember)
    em.load_state_dict({k: ember.tensor(_np(v)) for k, v in tm.state_dict().items()})
    em = em.double() if dtype == torch.float64 else em.float()
    return tm, em


def _check_module(make, shape, dtype=np.float64, train=True, input_fn=None, seed=0, args=()):
    tdt = torch.float64 if dtype == np.float64 else torch.float32
    tm, em = _pair(make, tdt)
    tm.train(train)
    em.train(train)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(dtype) if input_fn is None else input_fn(rng, dtype)
    floating = x.dtype.kind == "f"
    tx = torch.tensor(x, requires_grad=floating)
    ex = ember.tensor(x, requires_grad=floating)
    to = tm(tx, *args)
    eo = em(ex, *args)
    if isinstance(to, tuple):
        np.testing.assert_array_equal(_np(eo[1]), _np(to[1]))
        to, eo = to[0], eo[0]
    tol = TOL[dtype]
    assert eo.shape == to.shape
    assert eo.dtype == ember.float64 if dtype == np.float64 else ember.float32
    np.testing.assert_allclose(_np(eo), _np(to), **tol)
    up = rng.standard_normal(tuple(to.shape)).astype(dtype)
    to.backward(torch.tensor(up))
    eo.backward(ember.tensor(up))
    if floating:
        np.testing.assert_allclose(_np(ex.grad), _np(tx.grad), **tol)
    tparams = dict(tm.named_parameters())
    eparams = dict(em.named_parameters())
    assert sorted(tparams) == sorted(eparams)
    for name, tp in tparams.items():
        ep = eparams[name]
        if tp.grad is None:
            assert ep.grad is None or not np.any(_np(ep.grad))
            continue
        np.testing.assert_allclose(_np(ep.grad), _np(tp.grad), err_msg=name, **tol)
    for name, tb in tm.named_buffers():
        eb = dict(em.named_buffers())[name]
        np.testing.assert_allclose(_np(eb), _np(tb), err_msg=name, **tol)
    return tm, em


# ---------------------------------------------------------------------------- module parity
CONV_CASES = [
    (lambda m: m.nn.Conv1d(3, 4, 3), (2, 3, 9)),
    (lambda m: m.nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2), (2, 4, 11)),
    (lambda m: m.nn.Conv1d(2, 3, 4, padding="same", padding_mode="circular"), (2, 2, 7)),
    (lambda m: m.nn.Conv2d(1, 6, 5), (4, 1, 12, 12)),
    (lambda m: m.nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=1, bias=False), (2, 3, 7, 6)),
    (lambda m: m.nn.Conv2d(4, 4, 3, padding=1, groups=4), (2, 4, 5, 5)),
    (lambda m: m.nn.Conv2d(2, 4, 3, padding="same", dilation=2), (2, 2, 7, 8)),
    (lambda m: m.nn.Conv2d(2, 3, 3, padding=2, padding_mode="reflect"), (2, 2, 6, 7)),
    (lambda m: m.nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="replicate"), (2, 2, 5, 6)),
    (lambda m: m.nn.Conv2d(2, 3, 3, padding=1, padding_mode="circular"), (2, 2, 5, 6)),
    (lambda m: m.nn.Conv2d(2, 3, 1), (3, 2, 4, 4)),
    (lambda m: m.nn.Conv2d(2, 3, 3, padding="valid"), (2, 5, 6)),
    (lambda m: m.nn.Conv3d(2, 3, 2, padding=1, stride=(1, 2, 1)), (2, 2, 3, 4, 5)),
    (lambda m: m.nn.ConvTranspose1d(3, 2, 3, stride=2, output_padding=1), (2, 3, 5)),
    (lambda m: m.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, groups=2), (2, 4, 4, 5)),
    (lambda m: m.nn.ConvTranspose2d(2, 3, (2, 3), stride=(2, 1), dilation=(1, 2),
                                    bias=False), (2, 2, 3, 4)),
    (lambda m: m.nn.ConvTranspose3d(2, 2, 2, stride=2), (1, 2, 2, 3, 2)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(CONV_CASES)))
def test_conv_modules(case, dtype):
    make, shape = CONV_CASES[case]
    _check_module(make, shape, dtype)


def test_conv_transpose_output_size():
    make = lambda m: m.nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1)
    for size in ([8, 10], [2, 3, 7, 9]):
        _check_module(make, (2, 2, 4, 5), args=(size,))
    tm, em = _pair(make)
    x = np.zeros((1, 2, 4, 5))
    with pytest.raises(ValueError) as te:
        tm(torch.tensor(x), [12, 12])
    with pytest.raises(ValueError) as ee:
        em(ember.tensor(x), [12, 12])
    assert str(ee.value) == str(te.value).replace("torch.Size", "torch.Size")


POOL_CASES = [
    (lambda m: m.nn.MaxPool1d(3, stride=2, padding=1), (2, 3, 9)),
    (lambda m: m.nn.MaxPool2d(2), (2, 3, 6, 6)),
    (lambda m: m.nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=(1, 2),
                              ceil_mode=True), (2, 2, 7, 8)),
    (lambda m: m.nn.MaxPool2d(2, return_indices=True), (2, 2, 5, 4)),
    (lambda m: m.nn.MaxPool3d(2, stride=1), (1, 2, 3, 4, 3)),
    (lambda m: m.nn.AvgPool1d(3, stride=2, padding=1, count_include_pad=False), (2, 3, 9)),
    (lambda m: m.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True), (2, 2, 7, 6)),
    (lambda m: m.nn.AvgPool2d(2, divisor_override=3), (2, 2, 4, 6)),
    (lambda m: m.nn.AvgPool3d(2), (1, 2, 4, 4, 2)),
    (lambda m: m.nn.AdaptiveAvgPool1d(4), (2, 3, 10)),
    (lambda m: m.nn.AdaptiveAvgPool2d((3, 5)), (2, 3, 7, 9)),
    (lambda m: m.nn.AdaptiveAvgPool2d(1), (2, 3, 5, 5)),
    (lambda m: m.nn.AdaptiveAvgPool3d((2, 1, 3)), (1, 2, 5, 3, 4)),
    (lambda m: m.nn.AdaptiveMaxPool1d(3), (2, 3, 8)),
    (lambda m: m.nn.AdaptiveMaxPool2d((2, 3), return_indices=True), (2, 2, 5, 7)),
    (lambda m: m.nn.LPPool2d(2, 2), (2, 2, 4, 6)),
    (lambda m: m.nn.LPPool1d(3, 2), (2, 2, 6)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(POOL_CASES)))
def test_pool_modules(case, dtype):
    make, shape = POOL_CASES[case]
    _check_module(make, shape, dtype)


def test_max_unpool_module():
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 6))
    tp, ep = torch.nn.MaxPool2d(2, return_indices=True), ember.nn.MaxPool2d(2,
                                                                            return_indices=True)
    to, ti = tp(torch.tensor(x))
    eo, ei = ep(ember.tensor(x))
    tu = torch.nn.MaxUnpool2d(2)(to, ti)
    eu = ember.nn.MaxUnpool2d(2)(eo, ei)
    np.testing.assert_array_equal(_np(eu), _np(tu))


def test_max_pool_ties_pick_the_first():
    # after a ReLU whole windows are zero: torch sends the gradient to the first element
    x = np.maximum(np.random.default_rng(1).standard_normal((2, 3, 8, 8)), 0)
    x[0, 0, :4, :4] = 0
    for kw in ({"kernel_size": 2}, {"kernel_size": 3, "stride": 1, "padding": 1}):
        tx = torch.tensor(x, requires_grad=True)
        ex = ember.tensor(x, requires_grad=True)
        to, ti = torch.nn.functional.max_pool2d(tx, return_indices=True, **kw)
        eo, ei = ember.nn.functional.max_pool2d(ex, return_indices=True, **kw)
        np.testing.assert_array_equal(_np(ei), _np(ti))
        to.sum().backward()
        eo.sum().backward()
        np.testing.assert_array_equal(_np(ex.grad), _np(tx.grad))


NORM_CASES = [
    (lambda m: m.nn.BatchNorm1d(3), (5, 3)),
    (lambda m: m.nn.BatchNorm1d(3, affine=False), (4, 3, 6)),
    (lambda m: m.nn.BatchNorm2d(4, momentum=None), (3, 4, 2, 3)),
    (lambda m: m.nn.BatchNorm2d(4, track_running_stats=False, bias=False), (3, 4, 2, 3)),
    (lambda m: m.nn.BatchNorm3d(2), (2, 2, 2, 3, 2)),
    (lambda m: m.nn.LayerNorm(5), (3, 4, 5)),
    (lambda m: m.nn.LayerNorm((4, 5), elementwise_affine=False), (3, 4, 5)),
    (lambda m: m.nn.LayerNorm((2, 5), bias=False, eps=1e-3), (3, 2, 5)),
    (lambda m: m.nn.GroupNorm(2, 4), (3, 4, 2, 3)),
    (lambda m: m.nn.GroupNorm(3, 6, affine=False), (2, 6, 5)),
    (lambda m: m.nn.InstanceNorm1d(3), (2, 3, 6)),
    (lambda m: m.nn.InstanceNorm2d(3, affine=True, track_running_stats=True), (2, 3, 4, 5)),
    (lambda m: m.nn.InstanceNorm2d(3, affine=True), (3, 4, 5)),
    (lambda m: m.nn.RMSNorm(5), (3, 4, 5)),
    (lambda m: m.nn.RMSNorm((4, 5), eps=1e-3), (3, 4, 5)),
    (lambda m: m.nn.LocalResponseNorm(3), (2, 5, 4, 3)),
]


def _randomize_affine(tm):
    # non-trivial affine parameters, so their use and gradients are checked
    gen = torch.Generator().manual_seed(5)
    with torch.no_grad():
        for p in tm.parameters():
            p.copy_(torch.rand(p.shape, generator=gen, dtype=p.dtype, device="cpu").to(torch.get_default_device()) + 0.5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(NORM_CASES)))
def test_norm_modules(case, dtype):
    make, shape = NORM_CASES[case]

    def made(m):
        mod = make(m)
        if m is torch:
            _randomize_affine(mod)
        return mod

    _check_module(made, shape, dtype, train=True)
    _check_module(made, shape, dtype, train=False)


def test_batch_norm_running_stats_and_eval():
    for momentum in (0.1, 0.3, None):
        tm, em = _pair(lambda m, mo=momentum: m.nn.BatchNorm2d(3, momentum=mo))
        rng = np.random.default_rng(2)
        for _ in range(4):
            x = rng.standard_normal((4, 3, 5, 2)) * 3 + 1
            tm(torch.tensor(x))
            em(ember.tensor(x))
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            np.testing.assert_allclose(_np(getattr(em, name)), _np(getattr(tm, name)),
                                       rtol=1e-12, err_msg=name)
        assert em.num_batches_tracked.dtype == ember.int64
        tm.eval()
        em.eval()
        x = rng.standard_normal((2, 3, 5, 2))
        np.testing.assert_allclose(_np(em(ember.tensor(x))), _np(tm(torch.tensor(x))),
                                   rtol=1e-12, atol=1e-12)


def test_batch_norm_functional_running_stats_float32():
    rng = np.random.default_rng(3)
    rm, rv = rng.standard_normal(4).astype(np.float32), rng.random(4).astype(np.float32) + 0.5
    trm, trv, erm, erv = (torch.tensor(rm), torch.tensor(rv), ember.tensor(rm),
                          ember.tensor(rv))
    for _ in range(3):
        x = rng.standard_normal((6, 4, 3)).astype(np.float32)
        torch.nn.functional.batch_norm(torch.tensor(x), trm, trv, training=True, momentum=0.2)
        ember.nn.functional.batch_norm(ember.tensor(x), erm, erv, training=True, momentum=0.2)
    np.testing.assert_allclose(_np(erm), _np(trm), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(erv), _np(trv), rtol=1e-5, atol=1e-6)


def test_batch_norm_train_then_eval_module_state_dict_roundtrip():
    em = ember.nn.BatchNorm1d(3)
    em(ember.randn(8, 3) if hasattr(ember, "randn") else ember.tensor(
        np.random.default_rng(0).standard_normal((8, 3)).astype(np.float32)))
    tm = torch.nn.BatchNorm1d(3)
    tm.load_state_dict({k: torch.tensor(_np(v)) for k, v in em.state_dict().items()})
    assert int(tm.num_batches_tracked) == 1


OTHER_CASES = [
    (lambda m: m.nn.Upsample(scale_factor=2), (2, 3, 4, 5)),
    (lambda m: m.nn.Upsample(size=(7, 9), mode="bilinear", align_corners=True), (2, 2, 4, 5)),
    (lambda m: m.nn.Upsample(scale_factor=1.5, mode="bilinear"), (2, 2, 4, 5)),
    (lambda m: m.nn.Upsample(scale_factor=(2, 3), mode="nearest-exact"), (1, 2, 3, 4)),
    (lambda m: m.nn.Upsample(size=5, mode="linear"), (2, 3, 4)),
    (lambda m: m.nn.Upsample(size=(6, 7), mode="bicubic", align_corners=False), (1, 2, 4, 5)),
    (lambda m: m.nn.Upsample(scale_factor=2, mode="trilinear"), (1, 2, 2, 3, 2)),
    (lambda m: m.nn.UpsamplingNearest2d(scale_factor=2), (1, 2, 3, 3)),
    (lambda m: m.nn.UpsamplingBilinear2d(size=(5, 6)), (1, 2, 3, 3)),
    (lambda m: m.nn.ZeroPad2d((1, 2, 0, 3)), (2, 3, 4, 5)),
    (lambda m: m.nn.ConstantPad1d(2, 3.5), (2, 3, 4)),
    (lambda m: m.nn.ConstantPad3d((1, 0, 2, 1, 0, 1), -1.0), (1, 2, 3, 2, 2)),
    (lambda m: m.nn.ReflectionPad1d((2, 1)), (2, 3, 5)),
    (lambda m: m.nn.ReflectionPad2d(2), (2, 3, 4, 5)),
    (lambda m: m.nn.ReflectionPad3d(1), (1, 2, 3, 3, 3)),
    (lambda m: m.nn.ReplicationPad2d((1, 3, 2, 0)), (2, 3, 4, 5)),
    (lambda m: m.nn.CircularPad2d((1, 2, 3, 1)), (2, 3, 4, 5)),
    (lambda m: m.nn.PixelShuffle(2), (2, 8, 3, 4)),
    (lambda m: m.nn.PixelUnshuffle(3), (2, 2, 6, 9)),
    (lambda m: m.nn.Unfold((2, 3), padding=1, stride=2), (2, 3, 5, 6)),
    (lambda m: m.nn.Fold((5, 6), (2, 3), padding=1, stride=2), (2, 18, 9)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(OTHER_CASES)))
def test_other_layer_modules(case, dtype):
    make, shape = OTHER_CASES[case]
    _check_module(make, shape, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_embedding_module(dtype):
    idx = np.array([[1, 2, 4], [4, 3, 0]])
    for make in (lambda m: m.nn.Embedding(6, 3),
                 lambda m: m.nn.Embedding(6, 3, padding_idx=4),
                 lambda m: m.nn.Embedding(6, 3, padding_idx=-2, scale_grad_by_freq=True)):
        _check_module(make, None, dtype, input_fn=lambda rng, dt: idx)


def test_embedding_padding_idx_gradient_is_zero():
    e = ember.nn.Embedding(5, 3, padding_idx=2)
    t = torch.nn.Embedding(5, 3, padding_idx=2)
    assert not np.any(_np(e.weight)[2])
    idx = np.array([2, 2, 1, 0, 2])
    out = e(ember.tensor(idx))
    out.sum().backward()
    g = _np(e.weight.grad)
    assert not np.any(g[2])
    np.testing.assert_array_equal(g[1], np.ones(3))
    np.testing.assert_array_equal(g[3], np.zeros(3))
    t(torch.tensor(idx)).sum().backward()
    np.testing.assert_array_equal(g, _np(t.weight.grad))


def test_embedding_from_pretrained_and_max_norm():
    w = np.random.default_rng(4).standard_normal((5, 3)) * 2
    for freeze in (True, False):
        te = torch.nn.Embedding.from_pretrained(torch.tensor(w), freeze=freeze)
        ee = ember.nn.Embedding.from_pretrained(ember.tensor(w), freeze=freeze)
        assert ee.weight.requires_grad == te.weight.requires_grad == (not freeze)
        assert repr(ee) == repr(te)
    tw, ew = torch.tensor(w), ember.tensor(w)
    te = torch.nn.Embedding.from_pretrained(tw, max_norm=1.0)
    ee = ember.nn.Embedding.from_pretrained(ew, max_norm=1.0)
    idx = np.array([0, 3, 3])
    np.testing.assert_allclose(_np(ee(ember.tensor(idx))), _np(te(torch.tensor(idx))),
                               rtol=1e-12)
    # the referenced rows were renormalized in place, the others left alone
    np.testing.assert_allclose(_np(ee.weight), _np(te.weight), rtol=1e-12)
    assert not np.allclose(_np(ee.weight), w)


def test_embedding_int32_indices_and_shape():
    w = np.random.default_rng(0).standard_normal((7, 2)).astype(np.float32)
    idx = np.array([[[1, 6]], [[0, 3]]], dtype=np.int32)
    e = ember.nn.functional.embedding(ember.tensor(idx), ember.tensor(w))
    t = torch.nn.functional.embedding(torch.tensor(idx), torch.tensor(w))
    assert tuple(e.shape) == tuple(t.shape)
    np.testing.assert_array_equal(_np(e), _np(t))


# ---------------------------------------------------------------------------- initialization
def test_default_init_matches_torch_distribution():
    ember.manual_seed(0) if hasattr(ember, "manual_seed") else None
    for make in (lambda m: m.nn.Conv2d(16, 32, 3), lambda m: m.nn.Conv1d(8, 64, 5, groups=4),
                 lambda m: m.nn.ConvTranspose2d(16, 24, 3, groups=2)):
        em, tm = make(ember), make(torch)
        for (en, ep), (tn, tp) in zip(em.named_parameters(), tm.named_parameters()):
            assert en == tn
            assert tuple(ep.shape) == tuple(tp.shape)
            assert ep.dtype == ember.float32
            fan_in = tm.weight.shape[1] * math.prod(tm.weight.shape[2:])
            bound = 1 / math.sqrt(fan_in)
            a = _np(ep)
            # kaiming_uniform_(a=sqrt(5)) and the bias rule both give U(-bound, bound)
            assert np.abs(a).max() <= bound + 1e-7
            if a.size > 500:
                assert abs(a.std() - bound / math.sqrt(3)) < 0.1 * bound
                assert abs(a.mean()) < 0.1 * bound
    e = ember.nn.Embedding(1000, 8)
    assert abs(_np(e.weight).std() - 1) < 0.05
    for make in (lambda m: m.nn.BatchNorm2d(3), lambda m: m.nn.LayerNorm(4),
                 lambda m: m.nn.GroupNorm(2, 4)):
        em, tm = make(ember), make(torch)
        for k, v in tm.state_dict().items():
            np.testing.assert_array_equal(_np(em.state_dict()[k]), _np(v), err_msg=k)


def test_factory_kwargs():
    c = ember.nn.Conv2d(2, 3, 3, dtype=ember.float64)
    assert c.weight.dtype == ember.float64 and c.bias.dtype == ember.float64
    b = ember.nn.BatchNorm1d(3, dtype=ember.float64)
    assert b.running_mean.dtype == ember.float64
    assert b.num_batches_tracked.dtype == ember.int64


REPRS = [
    "nn.Conv1d(2, 4, 3)",
    "nn.Conv2d(2, 4, 3, padding='same', bias=False, padding_mode='reflect')",
    "nn.Conv2d(2, 4, (3, 2), stride=2, padding=1, dilation=2, groups=2)",
    "nn.Conv3d(2, 4, 3, padding=(1, 0, 1))",
    "nn.ConvTranspose2d(2, 4, 3, stride=2, output_padding=1)",
    "nn.ConvTranspose1d(2, 4, 3, dilation=2, groups=2, bias=False)",
    "nn.MaxPool1d(2)",
    "nn.MaxPool2d((2, 3), stride=1, padding=1, ceil_mode=True)",
    "nn.MaxPool3d(2, return_indices=True)",
    "nn.AvgPool1d(2)",
    "nn.AvgPool2d(3, 1, 1, True, False, 2)",
    "nn.AvgPool3d((1, 2, 2))",
    "nn.AdaptiveAvgPool2d((3, None))",
    "nn.AdaptiveAvgPool1d(3)",
    "nn.AdaptiveMaxPool2d(2)",
    "nn.AdaptiveMaxPool1d(4, return_indices=True)",
    "nn.MaxUnpool2d(2)",
    "nn.LPPool2d(2, 3)",
    "nn.BatchNorm1d(3)",
    "nn.BatchNorm2d(3, momentum=None, affine=False)",
    "nn.BatchNorm3d(3, eps=0.001, track_running_stats=False, bias=False)",
    "nn.LayerNorm([3, 4])",
    "nn.LayerNorm(4, elementwise_affine=False, bias=False)",
    "nn.GroupNorm(2, 4)",
    "nn.GroupNorm(2, 4, affine=False)",
    "nn.InstanceNorm1d(3)",
    "nn.InstanceNorm2d(3, affine=True, track_running_stats=True)",
    "nn.RMSNorm(3)",
    "nn.LocalResponseNorm(2)",
    "nn.Dropout()",
    "nn.Dropout(0.2, True)",
    "nn.Dropout1d(0.1)",
    "nn.Dropout2d(0.2, True)",
    "nn.Dropout3d()",
    "nn.AlphaDropout(0.3)",
    "nn.FeatureAlphaDropout(0.2)",
    "nn.Embedding(10, 3, padding_idx=2, max_norm=1.0)",
    "nn.Embedding(10, 3, norm_type=1.0, scale_grad_by_freq=True, sparse=True)",
    "nn.Upsample(scale_factor=2)",
    "nn.Upsample(size=(3, 4), mode='bilinear', align_corners=True)",
    "nn.UpsamplingNearest2d(scale_factor=2)",
    "nn.UpsamplingBilinear2d(size=4)",
    "nn.ZeroPad2d(2)",
    "nn.ZeroPad1d((1, 2))",
    "nn.ConstantPad1d((1, 2), 3.5)",
    "nn.ConstantPad2d(1, 0.0)",
    "nn.ReflectionPad2d(1)",
    "nn.ReplicationPad1d(2)",
    "nn.ReplicationPad3d((1, 2, 3, 4, 5, 6))",
    "nn.CircularPad2d(1)",
    "nn.PixelShuffle(2)",
    "nn.PixelUnshuffle(3)",
    "nn.Unfold(2)",
    "nn.Fold((4, 4), 2, padding=1)",
]


@pytest.mark.parametrize("expr", REPRS)
def test_repr_matches_torch(expr):
    t = eval(expr, {"nn": torch.nn})
    e = eval(expr, {"nn": ember.nn})
    assert repr(e) == repr(t)
    assert e.extra_repr() == t.extra_repr()


def test_parameter_and_buffer_names():
    for expr in ("nn.Conv2d(2, 3, 3)", "nn.Conv2d(2, 3, 3, bias=False)",
                 "nn.ConvTranspose2d(2, 3, 3)", "nn.BatchNorm2d(3)",
                 "nn.BatchNorm1d(3, affine=False, track_running_stats=False)",
                 "nn.LayerNorm(3)", "nn.GroupNorm(1, 3)", "nn.Embedding(4, 2)",
                 "nn.InstanceNorm2d(3, affine=True, track_running_stats=True)"):
        t = eval(expr, {"nn": torch.nn})
        e = eval(expr, {"nn": ember.nn})
        assert list(e.state_dict()) == list(t.state_dict()), expr
        for k, v in t.state_dict().items():
            assert tuple(e.state_dict()[k].shape) == tuple(v.shape), (expr, k)


# ---------------------------------------------------------------------------- dropout
def test_dropout_statistics_and_scaling():
    x = ember.ones(400, 500)
    for p in (0.2, 0.5, 0.8):
        y = _np(ember.nn.functional.dropout(x, p, True))
        zero = (y == 0).mean()
        assert abs(zero - p) < 0.01
        kept = y[y != 0]
        np.testing.assert_allclose(kept, 1 / (1 - p), rtol=1e-6)
        assert abs(y.mean() - 1) < 0.02


def test_dropout_train_eval_and_edge_cases():
    x = ember.tensor(np.random.default_rng(0).standard_normal((50, 40)).astype(np.float32))
    m = ember.nn.Dropout(0.5)
    m.eval()
    assert m(x) is x
    assert ember.nn.functional.dropout(x, 0.0, True) is x
    assert torch.nn.functional.dropout(torch.zeros(2), 0.0, True) is not None
    z = ember.nn.functional.dropout(x, 1.0, True)
    assert not np.any(_np(z))
    m.train()
    y = m(x)
    assert y is not x and y.shape == x.shape


def test_dropout_gradient_is_the_scaled_mask():
    x = ember.tensor(np.random.default_rng(1).standard_normal((30, 30)), requires_grad=True)
    y = ember.nn.functional.dropout(x, 0.3, True)
    y.backward(ember.ones_like(y))
    mask = _np(y) / _np(x)
    np.testing.assert_allclose(_np(x.grad), mask, rtol=1e-12)
    assert set(np.round(np.unique(_np(x.grad)), 12)) <= {0.0, round(1 / 0.7, 12)}


def test_dropout_inplace():
    x = ember.ones(20, 30)
    y = ember.nn.functional.dropout(x, 0.5, True, inplace=True)
    assert y is x
    assert set(np.unique(_np(x))) <= {0.0, 2.0}


def test_dropout2d_zeroes_whole_channels():
    x = ember.ones(64, 32, 5, 5)
    y = _np(ember.nn.Dropout2d(0.4)(x))
    per_channel = y.reshape(64, 32, 25)
    assert np.all(np.ptp(per_channel, axis=2) == 0)
    assert abs((per_channel[:, :, 0] == 0).mean() - 0.4) < 0.05
    y1 = _np(ember.nn.Dropout1d(0.5)(ember.ones(16, 8, 7)))
    assert np.all(np.ptp(y1, axis=2) == 0)


def test_alpha_dropout_keeps_mean_and_variance():
    x = np.random.default_rng(2).standard_normal((500, 400)).astype(np.float32)
    y = _np(ember.nn.functional.alpha_dropout(ember.tensor(x), 0.2, True))
    assert abs(y.mean()) < 0.02
    assert abs(y.std() - 1) < 0.03
    assert ember.nn.functional.alpha_dropout(ember.tensor(x), 0.2, False) is not None


def test_dropout_follows_manual_seed():
    if not hasattr(ember, "manual_seed"):
        pytest.skip("ember.manual_seed not available yet")
    ember.manual_seed(123)
    a = _np(ember.nn.functional.dropout(ember.ones(10, 10), 0.5))
    ember.manual_seed(123)
    b = _np(ember.nn.functional.dropout(ember.ones(10, 10), 0.5))
    np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------- errors
def _same_error(fn, exc=Exception):
    """fn(torch) and fn(ember) raise the same exception type with the same message."""
    with pytest.raises(exc) as te:
        fn(torch)
    with pytest.raises(type(te.value)) as ee:
        fn(ember)
    assert _unordered_sets(str(ee.value)) == _unordered_sets(str(te.value))


def _unordered_sets(msg):
    # messages that print a Python set ({'zeros', 'reflect', ...}) list it in an order that
    # depends on string hashing (PYTHONHASHSEED), so compare set literals as sorted lists
    def norm(m):
        return "{" + ", ".join(sorted(x.strip() for x in m.group(1).split(","))) + "}"

    return re.sub(r"\{('[^{}]*')\}", norm, msg)


def _t(m, shape, dtype=None, fill=None):
    a = np.zeros(shape) if fill is None else np.asarray(fill)
    if dtype is not None:
        a = a.astype(dtype)
    else:
        a = a.astype(np.float32)
    return m.tensor(a)


ERRORS = [
    lambda m: m.nn.functional.conv2d(_t(m, (64, 3, 28, 28)), _t(m, (6, 1, 5, 5))),
    lambda m: m.nn.functional.conv2d(_t(m, (64, 3, 28, 28)), _t(m, (6, 3, 5))),
    lambda m: m.nn.functional.conv2d(_t(m, (3, 28)), _t(m, (6, 3, 5, 5))),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 2, 2)), _t(m, (6, 3, 5, 5))),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8)), _t(m, (6, 3, 5, 5)), stride=2,
                                     padding="same"),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8)), _t(m, (6, 3, 5, 5)), padding="foo"),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8)), _t(m, (6, 3, 5, 5)), groups=2),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8)), _t(m, (6, 1, 5, 5)), groups=3,
                                     padding=-1),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8)), _t(m, (6, 3, 5, 5)), stride=0),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8)), _t(m, (6, 3, 5, 5)), _t(m, (5,))),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8), np.float64), _t(m, (6, 3, 5, 5))),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8)), _t(m, (6, 3, 5, 5), np.float64)),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8)), _t(m, (6, 3, 5, 5)),
                                     _t(m, (6,), np.float64)),
    lambda m: m.nn.functional.conv1d(_t(m, (2, 3, 10)), _t(m, (6, 3, 5, 5))),
    lambda m: m.nn.functional.conv2d(_t(m, (1, 3, 8, 8)), _t(m, (6, 3, 5, 5)),
                                     stride=(1, 1, 1)),
    lambda m: m.nn.functional.conv_transpose2d(_t(m, (1, 3, 8, 8)), _t(m, (4, 3, 3, 3))),
    lambda m: m.nn.functional.max_pool2d(_t(m, (10,)), 2),
    lambda m: m.nn.functional.max_pool1d(_t(m, (2, 2, 2, 10)), 2),
    lambda m: m.nn.functional.max_pool2d(_t(m, (2, 3, 10, 10)), 5, padding=3),
    lambda m: m.nn.functional.max_pool2d(_t(m, (2, 3, 1, 1)), 5),
    lambda m: m.nn.functional.max_pool2d(_t(m, (1, 1, 4, 4)), 2, stride=0),
    lambda m: m.nn.functional.max_pool2d(_t(m, (1, 1, 4, 4)), (2, 2, 2)),
    lambda m: m.nn.functional.max_pool2d(_t(m, (1, 1, 4, 4)), 2, dilation=0),
    lambda m: m.nn.functional.max_pool2d(_t(m, (1, 0, 4, 4)), 2),
    lambda m: m.nn.functional.avg_pool2d(_t(m, (2, 3, 10, 10)), 5, padding=3),
    lambda m: m.nn.functional.avg_pool2d(_t(m, (2, 3, 1, 1)), 5),
    lambda m: m.nn.functional.adaptive_avg_pool2d(_t(m, (1, 1, 4, 4)), (2, 2, 2)),
    lambda m: m.nn.functional.adaptive_avg_pool2d(_t(m, (4, 4)), (2, 2)),
    lambda m: m.nn.functional.adaptive_max_pool2d(_t(m, (4, 4)), (2, 2)),
    lambda m: m.nn.functional.batch_norm(_t(m, (1, 3)), _t(m, (3,)), _t(m, (3,)),
                                         training=True),
    lambda m: m.nn.functional.batch_norm(_t(m, (4, 3)), _t(m, (4,)), _t(m, (4,)),
                                         training=True),
    lambda m: m.nn.functional.batch_norm(_t(m, (4, 3)), _t(m, (3,)), _t(m, (3,)),
                                         weight=_t(m, (4,))),
    lambda m: m.nn.functional.batch_norm(_t(m, (4, 3)), None, None, training=False),
    lambda m: m.nn.functional.batch_norm(_t(m, (4, 3)), None, None, training=True, eps=0.0),
    lambda m: m.nn.BatchNorm2d(3)(_t(m, (2, 3, 4))),
    lambda m: m.nn.BatchNorm1d(3)(_t(m, (2, 3, 4, 5))),
    lambda m: m.nn.InstanceNorm1d(3)(_t(m, (2, 3, 4, 5))),
    lambda m: m.nn.InstanceNorm1d(3, affine=True)(_t(m, (2, 4, 5))),
    lambda m: m.nn.functional.instance_norm(_t(m, (4, 6, 1))),
    lambda m: m.nn.functional.layer_norm(_t(m, (4, 3)), (4,)),
    lambda m: m.nn.functional.layer_norm(_t(m, (4, 3)), (3,), weight=_t(m, (4,))),
    lambda m: m.nn.functional.layer_norm(_t(m, (4, 3)), 3),
    lambda m: m.nn.functional.group_norm(_t(m, (4, 3)), 2),
    lambda m: m.nn.functional.group_norm(_t(m, (4, 6)), 2, weight=_t(m, (4,))),
    lambda m: m.nn.GroupNorm(4, 6),
    lambda m: m.nn.functional.embedding(m.tensor([5]), _t(m, (4, 3))),
    lambda m: m.nn.functional.embedding(m.tensor([1.0]), _t(m, (4, 3))),
    lambda m: m.nn.functional.embedding(m.tensor([[1, 2]]), _t(m, (4, 3)), padding_idx=5),
    lambda m: m.nn.functional.embedding(m.tensor([[1, 2]]), _t(m, (4, 3, 2))),
    lambda m: m.nn.Embedding(4, 3, padding_idx=-5),
    lambda m: m.nn.functional.dropout(_t(m, (3,)), 1.5),
    lambda m: m.nn.Dropout(-0.1),
    lambda m: m.nn.functional.dropout2d(_t(m, (3,)), 0.5, True),
    lambda m: m.nn.functional.dropout1d(_t(m, (3, 4, 5, 6)), 0.5, True),
    lambda m: m.nn.functional.pad(_t(m, (2, 3, 4)), (4, 1), mode="reflect"),
    lambda m: m.nn.functional.pad(_t(m, (2, 3, 4)), (5, 1), mode="circular"),
    lambda m: m.nn.functional.pad(_t(m, (2, 3, 4)), (1, 1, 1)),
    lambda m: m.nn.functional.pad(_t(m, (2, 3, 4)), (1, 1, 1, 1, 1, 1, 1, 1)),
    lambda m: m.nn.functional.pad(_t(m, (2, 3, 4)), (1, 1, 1, 1, 1, 1), mode="reflect"),
    lambda m: m.nn.functional.pad(_t(m, (2, 3, 5, 6)), (2, 1), mode="replicate"),
    lambda m: m.nn.functional.interpolate(_t(m, (1, 1, 3)), scale_factor=2, mode="bilinear"),
    lambda m: m.nn.functional.interpolate(_t(m, (1, 1, 3, 3)), size=(5, 5), scale_factor=2),
    lambda m: m.nn.functional.interpolate(_t(m, (1, 1, 3, 3))),
    lambda m: m.nn.functional.interpolate(_t(m, (1, 1, 3, 3)), size=2, align_corners=True),
    lambda m: m.nn.functional.interpolate(_t(m, (1, 1, 3, 3)), size=(2, 2, 2)),
    lambda m: m.nn.functional.interpolate(_t(m, (1, 1, 3, 3)), size=2, mode="foo"),
    lambda m: m.nn.functional.pixel_shuffle(_t(m, (1, 3, 3, 3)), 2),
    lambda m: m.nn.functional.fold(_t(m, (1, 12, 5)), (3, 3), 2),
    lambda m: m.nn.Conv2d(3, 4, 3, groups=2),
    lambda m: m.nn.Conv2d(4, 3, 3, groups=2),
    lambda m: m.nn.Conv2d(4, 4, 3, stride=2, padding="same"),
    lambda m: m.nn.Conv2d(4, 4, 3, padding_mode="zero"),
    lambda m: m.nn.ConvTranspose2d(4, 4, 3, padding_mode="reflect"),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_torch(case):
    _same_error(ERRORS[case])


def test_conv_channel_error_message_text():
    with pytest.raises(RuntimeError, match=re.escape(
            "Given groups=1, weight of size [6, 1, 5, 5], expected input[64, 3, 28, 28] to "
            "have 1 channels, but got 3 channels instead")):
        ember.nn.Conv2d(1, 6, 5)(ember.zeros(64, 3, 28, 28))


# ---------------------------------------------------------------------------- misc
def test_functional_and_torch_namespace_exports():
    from ember.nn import functional as F

    for name in ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                 "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d",
                 "adaptive_max_pool2d", "max_unpool2d", "batch_norm", "layer_norm",
                 "group_norm", "instance_norm", "rms_norm", "dropout", "dropout2d",
                 "embedding", "pad", "interpolate", "unfold", "fold", "pixel_shuffle"):
        assert callable(getattr(F, name)), name
    for name in ("conv1d", "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool1d",
                 "adaptive_avg_pool1d", "pixel_shuffle", "constant_pad_nd"):
        assert callable(getattr(ember, name)), name
        assert hasattr(torch, name)
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6)).astype(np.float32)
    w = np.random.default_rng(1).standard_normal((4, 3, 3, 3)).astype(np.float32)
    np.testing.assert_allclose(_np(ember.conv2d(ember.tensor(x), ember.tensor(w), padding=1)),
                               _np(torch.conv2d(torch.tensor(x), torch.tensor(w), padding=1)),
                               rtol=1e-5, atol=1e-5)


def test_grad_fn_names():
    x = ember.zeros(1, 2, 4, 4, requires_grad=True)
    w = ember.zeros(3, 2, 3, 3, requires_grad=True)
    assert type(ember.conv2d(x, w).grad_fn).__name__ in ("Node", "ConvolutionBackward0") or \
        "ConvolutionBackward0" in repr(ember.conv2d(x, w).grad_fn)
    assert "MaxPool2DWithIndicesBackward0" in repr(ember.nn.functional.max_pool2d(x, 2).grad_fn)
    assert "NativeBatchNormBackward0" in repr(
        ember.nn.functional.batch_norm(x, None, None, training=True).grad_fn)


def test_conv_third_derivative():
    """Triple backward runs the adjoint ops' own rules (conv_weight, conv_transpose)."""
    rng = np.random.default_rng(6)
    xs = rng.standard_normal((1, 2, 5, 5))
    ws = rng.standard_normal((3, 2, 3, 3))
    res = []
    for m in (torch, ember):
        x = m.tensor(xs, requires_grad=True)
        w = m.tensor(ws, requires_grad=True)
        y = m.nn.functional.conv2d(x, w, padding=1)
        f = (y * y * y).sum()
        gx, = m.autograd.grad(f, [x], create_graph=True)
        gw, = m.autograd.grad((gx * gx).sum(), [w], create_graph=True)
        gx2, = m.autograd.grad((gw * gw).sum(), [x])
        res.append(_np(gx2))
    np.testing.assert_allclose(res[1], res[0], rtol=1e-9)


def test_pool_embedding_third_derivative():
    rng = np.random.default_rng(7)
    xs = rng.permutation(2 * 3 * 6 * 6).reshape(2, 3, 6, 6) / 10.0
    ws = rng.standard_normal((5, 3))
    idx = np.array([[0, 4, 4], [1, 2, 3]])
    res = []
    for m in (torch, ember):
        x = m.tensor(xs, requires_grad=True)
        y = m.nn.functional.max_pool2d(x * x, 3, stride=1)
        gx, = m.autograd.grad((y * y).sum(), [x], create_graph=True)
        g2, = m.autograd.grad((gx * gx).sum(), [x], create_graph=True)
        g3, = m.autograd.grad((g2 * g2).sum(), [x])
        w = m.tensor(ws, requires_grad=True)
        e = m.nn.functional.embedding(m.tensor(idx), w * w, padding_idx=4)
        gw, = m.autograd.grad((e * e * e).sum(), [w], create_graph=True)
        gw2, = m.autograd.grad((gw * gw).sum(), [w], create_graph=True)
        gw3, = m.autograd.grad((gw2 * gw2).sum(), [w])
        res.append((_np(g3), _np(gw3)))
    for a, b in zip(res[1], res[0]):
        np.testing.assert_allclose(a, b, rtol=1e-9)


def _lenet(m):
    nn = m.nn
    F = m.nn.functional

    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(1, 6, 5, padding=2)
            self.b1 = nn.BatchNorm2d(6)
            self.c2 = nn.Conv2d(6, 16, 5)
            self.f1 = nn.Linear(16 * 5 * 5, 32)
            self.f2 = nn.Linear(32, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
            x = F.avg_pool2d(F.relu(self.c2(x)), 2)
            return self.f2(F.relu(self.f1(x.flatten(1))))

    return LeNet()


def test_lenet_training_steps_match_torch():
    tm, em = _pair(_lenet, torch.float64)
    topt = torch.optim.SGD(tm.parameters(), lr=0.05, momentum=0.9)
    eopt = ember.optim.SGD(em.parameters(), lr=0.05, momentum=0.9)
    rng = np.random.default_rng(8)
    for step in range(4):
        x = rng.standard_normal((8, 1, 28, 28))
        y = rng.integers(0, 10, 8)
        topt.zero_grad()
        tl = torch.nn.functional.cross_entropy(tm(torch.tensor(x)), torch.tensor(y))
        tl.backward()
        topt.step()
        eopt.zero_grad()
        el = ember.nn.functional.cross_entropy(em(ember.tensor(x)), ember.tensor(y))
        el.backward()
        eopt.step()
        np.testing.assert_allclose(float(el), float(tl), rtol=1e-10, err_msg=f"step {step}")
    for (name, tp), ep in zip(tm.state_dict().items(), em.state_dict().values()):
        np.testing.assert_allclose(_np(ep), _np(tp), rtol=1e-8, atol=1e-10, err_msg=name)


def test_pooled_buffers_are_not_reused_while_referenced():
    # outputs and saved columns of big convolutions live in reused buffers: a result that is
    # still referenced must never be overwritten by a later call
    rng = np.random.default_rng(9)
    w = ember.tensor(rng.standard_normal((8, 3, 3, 3)).astype(np.float32), requires_grad=True)
    xs = [rng.standard_normal((16, 3, 32, 32)).astype(np.float32) for _ in range(3)]
    outs = [ember.nn.functional.conv2d(ember.tensor(x), w, padding=1) for x in xs]
    pools = [ember.nn.functional.max_pool2d(o, 2) for o in outs]
    for x, o, p in zip(xs, outs, pools):
        t = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(_np(w)), padding=1)
        np.testing.assert_allclose(_np(o), _np(t), rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(_np(p), _np(torch.nn.functional.max_pool2d(t, 2)),
                                   rtol=1e-4, atol=1e-4)
    # backward through the first graph after the others were built: its columns are intact
    outs[0].sum().backward()
    tw = torch.tensor(_np(w), requires_grad=True)
    torch.nn.functional.conv2d(torch.tensor(xs[0]), tw, padding=1).sum().backward()
    np.testing.assert_allclose(_np(w.grad), _np(tw.grad), rtol=1e-4, atol=1e-3)
