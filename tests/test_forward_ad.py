"""`torch.autograd.forward_ad` (ember/autograd/forward_ad.py): tangents of dual tensors through
MLP layers, activations, reductions and matmul, against torch 2.13.0's forward-mode AD."""

import numpy as np
import pytest
import torch

import ember


def _mlp(m, rng):
    net = m.nn.Sequential(m.nn.Linear(3, 5), m.nn.Tanh(), m.nn.Linear(5, 4), m.nn.ReLU(),
                          m.nn.Linear(4, 2), m.nn.Sigmoid())
    with m.no_grad():
        for p in net.parameters():
            p.copy_(m.tensor(rng.standard_normal(tuple(p.shape)), dtype=m.float32))
    return net


EXPRS = {
    "mlp": lambda m, net, d: net(d),
    "softmax": lambda m, net, d: m.softmax(d, -1),
    "log_softmax": lambda m, net, d: m.nn.functional.log_softmax(d, 0),
    "sum_sigmoid": lambda m, net, d: m.sigmoid(d).sum(),
    "mean": lambda m, net, d: d.mean(0),
    "matmul_exp": lambda m, net, d: (d @ d.T).exp(),
    "elementwise": lambda m, net, d: m.nn.functional.gelu(d) / (1 + d * d) - d.sin() * 2,
    "max": lambda m, net, d: d.max(1).values,
    "mse": lambda m, net, d: m.nn.functional.mse_loss(net(d), m.ones(4, 2)),
    "constant_zero": lambda m, net, d: d * 0 + 1,
}


def _run(m, name):
    fwAD = m.autograd.forward_ad
    rng = np.random.default_rng(0)
    x = m.tensor(rng.standard_normal((4, 3)), dtype=m.float32)
    t = m.tensor(rng.standard_normal((4, 3)), dtype=m.float32)
    net = _mlp(m, rng)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, t)
        out = EXPRS[name](m, net, d)
        primal, tangent = fwAD.unpack_dual(out)
    return primal.detach().cpu().numpy(), tangent.detach().cpu().numpy()


@pytest.mark.parametrize("name", sorted(EXPRS))
def test_tangents_match_torch(name):
    p_e, t_e = _run(ember, name)
    p_t, t_t = _run(torch, name)
    np.testing.assert_allclose(p_e, p_t, atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(t_e, t_t, atol=1e-5, rtol=1e-5)


def _params_jvp(m):
    """PyTorch's tutorial pattern: module parameters swapped for dual tensors."""
    fwAD = m.autograd.forward_ad
    rng = np.random.default_rng(1)
    model = m.nn.Linear(3, 2)
    with m.no_grad():
        model.weight.copy_(m.tensor(rng.standard_normal((2, 3)), dtype=m.float32))
        model.bias.copy_(m.tensor(rng.standard_normal(2), dtype=m.float32))
    params = dict(model.named_parameters())
    tangents = {k: m.tensor(rng.standard_normal(tuple(p.shape)), dtype=m.float32)
                for k, p in params.items()}
    x = m.tensor(rng.standard_normal((5, 3)), dtype=m.float32)
    with fwAD.dual_level():
        for name, p in params.items():
            delattr(model, name)
            setattr(model, name, fwAD.make_dual(p, tangents[name]))
        out = m.tanh(model(x)).sum(0)
        return fwAD.unpack_dual(out).tangent.detach().cpu().numpy()


def test_module_parameters_as_duals():
    np.testing.assert_allclose(_params_jvp(ember), _params_jvp(torch), atol=1e-5, rtol=1e-5)


def test_levels_and_errors():
    fwAD = ember.autograd.forward_ad
    with pytest.raises(RuntimeError, match="no level exists, make sure to enter_dual_level"):
        fwAD.make_dual(ember.ones(3), ember.ones(3))
    with fwAD.dual_level() as level:
        assert level == 0
        with pytest.raises(RuntimeError, match="Nested forward mode AD is not supported"):
            fwAD.enter_dual_level()
        with pytest.raises(RuntimeError, match="Tensor is of size \\[3\\] while the given "
                                               "forward gradient is of size \\[2\\]"):
            fwAD.make_dual(ember.ones(3), ember.ones(2))
        with pytest.raises(ValueError, match="Expected primal to be floating point or complex, "
                                             "but got: torch.int64"):
            fwAD.make_dual(ember.ones(3, dtype=ember.int64), ember.ones(3))
        x = ember.ones(3)
        d = fwAD.make_dual(x, ember.full((3,), 2.0))
        y = (d * d).sum()
        assert fwAD.unpack_dual(x).tangent is None
        assert float(fwAD.unpack_dual(y).tangent) == 12.0
        assert float(fwAD.unpack_dual(d).tangent[0]) == 2.0
        assert isinstance(fwAD.unpack_dual(y), fwAD.UnpackedDualTensor)
    # outside the level the tangents are gone
    assert fwAD.unpack_dual(y).tangent is None
    assert fwAD.enter_dual_level() == 0
    fwAD.exit_dual_level()


def test_backward_still_works_on_primal():
    fwAD = ember.autograd.forward_ad
    w = ember.tensor([1.0, 2.0], requires_grad=True)
    with fwAD.dual_level():
        d = fwAD.make_dual(w, ember.tensor([1.0, 0.0]))
        y = (d ** 3).sum()
        assert float(fwAD.unpack_dual(y).tangent) == 3.0
        y.backward()
    np.testing.assert_allclose(w.grad.cpu().numpy(), [3.0, 12.0])
