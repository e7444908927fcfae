"""Regressions found by the vision / LLM program sweep (tests/programs/p260-p289), each checked
against torch 2.13.0 run in the same test."""

import numpy as np
import pytest
import torch

import ember


def _build_convnet(m):
    nn = m.nn
    m.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4, 2),
                         nn.ConvTranspose2d(2, 2, 2))


# ---------------------------------------------------------------- Module.to(memory_format=)
@pytest.mark.parametrize("kwargs", [
    {"memory_format": "channels_last"},
    {"dtype": "float64", "memory_format": "channels_last"},
    {"memory_format": "contiguous_format"},
])
def test_module_to_memory_format_lays_out_4d_tensors_only(kwargs):
    """Module.to(memory_format=...) was ignored; torch converts every 4-d (and 5-d) parameter
    and buffer, and leaves the others as they are."""
    strides = {}
    for m in (torch, ember):
        model = _build_convnet(m)
        kw = {k: getattr(m, v) for k, v in kwargs.items()}
        if kwargs.get("memory_format") == "contiguous_format":
            model.to(memory_format=m.channels_last)
        out = model.to(**kw)
        assert out is model
        strides[m.__name__] = {n: (tuple(t.stride()), str(t.dtype).split(".")[-1])
                               for n, t in model.state_dict().items()}
    assert strides["ember"] == strides["torch"]


def test_module_to_channels_last_keeps_parameter_objects_and_values():
    m = _build_convnet(ember)
    w = m[0].weight
    before = w.detach().clone()
    m[0].weight.grad = ember.ones_like(w)
    m.to(memory_format=ember.channels_last)
    assert m[0].weight is w
    assert w.is_contiguous(memory_format=ember.channels_last)
    assert w.grad.is_contiguous(memory_format=ember.channels_last)
    assert ember.equal(w, before)


def test_channels_last_model_gives_the_same_outputs_and_grads():
    tm, em = _build_convnet(torch)[:2], _build_convnet(ember)[:2]
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6)).astype(np.float32)
    res = {}
    for m, model in ((torch, tm), (ember, em)):
        model.to(memory_format=m.channels_last)
        xi = m.tensor(x).to(memory_format=m.channels_last)
        y = model(xi)
        y.pow(2).sum().backward()
        res[m.__name__] = (y.detach().cpu().numpy(), model[0].weight.grad.cpu().numpy())
    np.testing.assert_allclose(res["ember"][0], res["torch"][0], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(res["ember"][1], res["torch"][1], rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------- nn.utils exports
def test_nn_utils_exports_fusion_functions():
    for name in ("fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval",
                 "fuse_linear_bn_weights", "convert_conv2d_weight_memory_format",
                 "convert_conv3d_weight_memory_format", "skip_init"):
        assert hasattr(torch.nn.utils, name)
        assert callable(getattr(ember.nn.utils, name)), name


def test_fuse_conv_bn_eval_from_nn_utils_matches_torch():
    outs = {}
    x = np.random.default_rng(1).standard_normal((2, 3, 5, 5)).astype(np.float32)
    for m in (torch, ember):
        model = _build_convnet(m)
        model.train()
        model[:2](m.tensor(x))  # running statistics away from their initial values
        model.eval()
        fused = m.nn.utils.fuse_conv_bn_eval(model[0], model[1])
        with m.no_grad():
            outs[m.__name__] = (fused(m.tensor(x)).cpu().numpy(), model[1](model[0](m.tensor(x))).cpu().numpy())
    np.testing.assert_allclose(outs["ember"][0], outs["torch"][0], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(outs["ember"][0], outs["ember"][1], rtol=1e-5, atol=1e-5)


def test_convert_conv2d_weight_memory_format_matches_torch():
    strides = {}
    for m in (torch, ember):
        model = _build_convnet(m)
        out = m.nn.utils.convert_conv2d_weight_memory_format(model, m.channels_last)
        assert out is model
        assert type(model[4].weight).__name__ == "Parameter"
        strides[m.__name__] = [tuple(p.stride()) for p in model.parameters()]
    assert strides["ember"] == strides["torch"]


def test_skip_init_draws_no_random_numbers():
    draws = {}
    for m in (torch, ember):
        m.manual_seed(3)
        lin = m.nn.utils.skip_init(m.nn.Linear, 6, 2)
        assert tuple(lin.weight.shape) == (2, 6) and lin.weight.device.type == "cpu"
        draws[m.__name__] = m.rand(3).cpu().numpy()
    np.testing.assert_array_equal(draws["ember"], draws["torch"])


def test_skip_init_errors_like_torch():
    for m in (torch, ember):
        with pytest.raises(RuntimeError, match="Expected a Module"):
            m.nn.utils.skip_init(int)
