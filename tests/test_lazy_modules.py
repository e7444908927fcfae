"""Lazy modules against torch: repr and state_dict keys before and after the first call, the
inferred shapes, and training with an optimizer built before the first call."""

import warnings

import numpy as np
import pytest
import torch

import ember


def both(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(torch), fn(ember)


CASES = [
    ("LazyLinear(3)", (2, 5)), ("LazyLinear(4, bias=False)", (3, 2, 6)),
    ("LazyConv1d(2, 3)", (3, 6)), ("LazyConv1d(2, 3, padding=1)", (2, 4, 7)),
    ("LazyConv2d(4, 3, stride=2)", (1, 2, 7, 7)), ("LazyConv3d(2, 2)", (1, 3, 4, 4, 4)),
    ("LazyConvTranspose1d(2, 3, stride=2)", (2, 4, 5)), ("LazyConvTranspose2d(2, 3)", (1, 5, 3, 3)),
    ("LazyConvTranspose3d(1, 2)", (1, 2, 3, 3, 3)), ("LazyBatchNorm1d()", (4, 3)),
    ("LazyBatchNorm2d(affine=False)", (2, 3, 2, 2)), ("LazyBatchNorm3d()", (2, 2, 2, 2, 2)),
    ("LazyInstanceNorm1d()", (2, 3, 4)), ("LazyInstanceNorm2d(affine=False)", (2, 3, 4, 4)),
    ("LazyInstanceNorm3d()", (1, 2, 3, 3, 3)),
]


@pytest.mark.parametrize("expr,shape", CASES)
def test_lazy_module_materializes_like_torch(expr, shape):
    def run(m):
        mod = eval("m.nn." + expr, {"m": m})
        before = (repr(mod), list(mod.state_dict()), [repr(p) for p in mod.parameters()],
                  mod.has_uninitialized_params())
        y = mod(m.ones(shape))
        after = (repr(mod), type(mod).__name__, list(mod.state_dict()),
                 [tuple(v.shape) for v in mod.state_dict().values()], tuple(y.shape),
                 [type(p).__name__ for p in mod.parameters()])
        return before, after

    t, e = both(run)
    assert t == e


def test_uninitialized_parameter_errors_and_types():
    for m in (torch, ember):
        p = m.nn.UninitializedParameter()
        assert isinstance(p, m.nn.Parameter) and p.requires_grad
        assert repr(p) == "<UninitializedParameter>"
        assert repr(m.nn.UninitializedBuffer()) == "<UninitializedBuffer>"
        p.materialize((2, 3))
        assert type(p) is m.nn.Parameter and tuple(p.shape) == (2, 3)
    with pytest.raises(RuntimeError) as t:
        torch.nn.LazyLinear(2).weight.shape
    with pytest.raises(RuntimeError) as e:
        ember.nn.LazyLinear(2).weight.shape
    assert str(t.value) == str(e.value)


def test_optimizer_built_before_the_first_call_trains_the_materialized_params():
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal((4, 5)).astype(np.float32) for _ in range(4)]
    w1 = rng.standard_normal((6, 5)).astype(np.float32) * 0.3
    w2 = rng.standard_normal((2, 6)).astype(np.float32) * 0.3

    def run(m):
        net = m.nn.Sequential(m.nn.LazyLinear(6), m.nn.ReLU(), m.nn.LazyLinear(2))
        opt = m.optim.Adam(net.parameters(), lr=0.05)
        losses = []
        for i, x in enumerate(xs):
            x = m.tensor(x)
            if i == 0:
                with m.no_grad():
                    net(x)  # materialise, then set the same weights on both sides
                    net[0].weight.copy_(m.tensor(w1))
                    net[2].weight.copy_(m.tensor(w2))
                    net[0].bias.zero_()
                    net[2].bias.zero_()
            opt.zero_grad()
            loss = net(x).pow(2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses, [p.detach().cpu().numpy().copy() for p in net.parameters()]

    (tl, tp), (el, ep) = both(run)
    np.testing.assert_allclose(el, tl, rtol=1e-5)
    for a, b in zip(tp, ep):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


def test_lazy_construction_draws_no_random_numbers():
    ember.manual_seed(3)
    a = ember.rand(2)
    ember.manual_seed(3)
    ember.nn.LazyLinear(4)
    ember.nn.LazyConv2d(2, 3)
    assert ember.rand(2).tolist() == a.tolist()
