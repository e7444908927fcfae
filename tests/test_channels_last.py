"""channels_last through conv, pool, norm and interpolate: output strides and is_contiguous for
both formats, values and gradients, compared with real torch run in the same test.

Known differences (not tested here): a channels-last tensor plus a contiguous one gives a
contiguous result (torch: the first operand's layout); gelu of a channels-last input gives a
contiguous result; leaf .grad arrays do not follow the leaf's layout (torch's AccumulateGrad
copies them into the parameter's strides).
"""

import numpy as np
import pytest
import torch

import ember


def _x(m, shape=(2, 3, 8, 8), seed=0, cl=True):
    g = np.random.default_rng(seed)
    t = m.tensor(g.standard_normal(shape).astype(np.float32))
    return t.to(memory_format=m.channels_last) if cl else t


OPS = {
    "conv2d": lambda m, x: m.nn.functional.conv2d(x, _x(m, (4, 3, 3, 3), 1, False), padding=1),
    "conv2d_bias_stride": lambda m, x: m.nn.functional.conv2d(
        x, _x(m, (4, 3, 3, 3), 1, False), _x(m, (4,), 2, False), stride=2),
    "max_pool2d": lambda m, x: m.nn.functional.max_pool2d(x, 2),
    "max_pool2d_indices": lambda m, x: m.nn.functional.max_pool2d(x, 3, 2, 1,
                                                                 return_indices=True)[1],
    "avg_pool2d": lambda m, x: m.nn.functional.avg_pool2d(x, 2),
    "adaptive_avg_pool2d": lambda m, x: m.nn.functional.adaptive_avg_pool2d(x, (2, 2)),
    "adaptive_avg_pool2d_1": lambda m, x: m.nn.functional.adaptive_avg_pool2d(x, 1),
    "adaptive_avg_pool2d_odd": lambda m, x: m.nn.functional.adaptive_avg_pool2d(x, (3, 5)),
    "adaptive_max_pool2d": lambda m, x: m.nn.functional.adaptive_max_pool2d(x, (2, 2)),
    "batch_norm_train": lambda m, x: m.nn.functional.batch_norm(
        x, None, None, m.ones(3), m.zeros(3), training=True),
    "batch_norm_eval": lambda m, x: m.nn.functional.batch_norm(
        x, m.zeros(3), m.ones(3), m.ones(3) * 2, m.zeros(3), training=False),
    "relu": lambda m, x: m.nn.functional.relu(x),
    "sigmoid": lambda m, x: x.sigmoid(),
    "add": lambda m, x: x + x,
    "add_bias": lambda m, x: x + _x(m, (1, 3, 1, 1), 3, False),
    "mul_scalar": lambda m, x: x * 2.0,
    "interpolate_nearest": lambda m, x: m.nn.functional.interpolate(x, scale_factor=2),
    "interpolate_bilinear": lambda m, x: m.nn.functional.interpolate(
        x, size=(5, 11), mode="bilinear", align_corners=False),
    "interpolate_area": lambda m, x: m.nn.functional.interpolate(x, size=(4, 4), mode="area"),
}


def _layout(y):
    return (tuple(y.shape), y.stride(), y.is_contiguous(),
            y.is_contiguous(memory_format=type(y).__module__.startswith("torch") and
                            torch.channels_last or ember.channels_last))


@pytest.mark.parametrize("cl", [True, False], ids=["channels_last", "contiguous"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_layout_and_values(name, cl):
    fn = OPS[name]
    want = fn(torch, _x(torch, cl=cl))
    got = fn(ember, _x(ember, cl=cl))
    assert _layout(got) == _layout(want)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-5)


def test_weight_channels_last_gives_channels_last_output():
    for m in (torch, ember):
        x = _x(m, cl=False)
        w = _x(m, (4, 3, 3, 3), 1, True)
        y = m.nn.functional.conv2d(x, w)
        assert y.is_contiguous(memory_format=m.channels_last), m.__name__
        assert not y.is_contiguous(), m.__name__


def test_is_contiguous_channels_last_other_rank():
    for shape in [(3,), (2, 3), (2, 3, 4), (2, 3, 4, 5, 6)]:
        want = torch.zeros(shape).is_contiguous(memory_format=torch.channels_last)
        assert ember.zeros(shape).is_contiguous(memory_format=ember.channels_last) == want


def _model(m):
    m.manual_seed(0)
    net = m.nn.Sequential(
        m.nn.Conv2d(3, 4, 3, padding=1), m.nn.BatchNorm2d(4), m.nn.ReLU(),
        m.nn.MaxPool2d(2), m.nn.Conv2d(4, 6, 3), m.nn.AdaptiveAvgPool2d(1), m.nn.Flatten(),
        m.nn.Linear(6, 2))
    return net


def _copy_params(src, dst):
    with ember.no_grad():
        for (_, p), (_, q) in zip(src.named_parameters(), dst.named_parameters()):
            q.copy_(ember.tensor(p.detach().numpy()))


def test_model_to_channels_last_forward_backward():
    tnet = _model(torch).to(memory_format=torch.channels_last)
    enet = _model(ember)
    _copy_params(tnet, enet)
    enet = enet.to(memory_format=ember.channels_last)
    for (n, p), (_, q) in zip(tnet.named_parameters(), enet.named_parameters()):
        assert _layout(q) == _layout(p), n
    xt = _x(torch).requires_grad_()
    xe = _x(ember).requires_grad_()
    # intermediate layouts: after each layer, as torch gives them
    ht, he = xt, xe
    for lt, le in zip(tnet, enet):
        ht, he = lt(ht), le(he)
        assert _layout(he) == _layout(ht), type(lt).__name__
    ht.sum().backward()
    he.sum().backward()
    np.testing.assert_allclose(he.detach().numpy(), ht.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-4, atol=1e-5)
    for (n, p), (_, q) in zip(tnet.named_parameters(), enet.named_parameters()):
        np.testing.assert_allclose(q.grad.numpy(), p.grad.numpy(), rtol=1e-4, atol=1e-5,
                                   err_msg=n)


@pytest.mark.parametrize("name", ["conv2d_bias_stride", "max_pool2d", "avg_pool2d",
                                  "adaptive_avg_pool2d_odd", "batch_norm_train",
                                  "interpolate_bilinear"])
def test_gradients_unchanged_by_layout(name):
    fn = OPS[name]
    grads = []
    for m in (torch, ember):
        for cl in (True, False):
            x = _x(m, cl=cl).requires_grad_()
            y = fn(m, x)
            (y * _x(m, tuple(y.shape), 5, False)).sum().backward()
            grads.append(x.grad.numpy())
    for g in grads[1:]:
        np.testing.assert_allclose(g, grads[0], rtol=1e-4, atol=1e-5)
