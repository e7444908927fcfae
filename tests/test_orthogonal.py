"""`nn.utils.parametrizations.orthogonal` against torch 2.13.0: the weight each map makes from
the same original weight, gradients with respect to the original, assignment and errors."""

import numpy as np
import pytest
import torch

import ember

CASES = [(shape, omap, triv) for shape in [(3, 3), (5, 3), (3, 5), (2, 4, 4)]
         for omap in [None, "matrix_exp", "cayley", "householder"] for triv in [True, False]]


class _Holder:
    """A module with a (possibly batched) weight and nothing random in it."""

    @staticmethod
    def make(m, w):
        mod = m.nn.Module()
        mod.weight = m.nn.Parameter(m.tensor(w))
        return mod


def _np(t):
    return t.detach().resolve_conj().cpu().numpy() if isinstance(t, torch.Tensor) else t.detach().cpu().numpy()


@pytest.mark.parametrize("shape,omap,triv", CASES)
def test_weights_and_gradients_match_torch(shape, omap, triv):
    rng = np.random.default_rng(len(shape) * 10 + shape[-1])
    w = rng.standard_normal(shape)
    mods = []
    for m in (torch, ember):
        mod = _Holder.make(m, w)
        m.nn.utils.parametrizations.orthogonal(mod, orthogonal_map=omap, use_trivialization=triv)
        mods.append(mod)
    mt, me = mods
    np.testing.assert_allclose(_np(me.weight), _np(mt.weight), atol=1e-10)
    orig_t = mt.parametrizations.weight.original
    orig_e = me.parametrizations.weight.original
    np.testing.assert_allclose(_np(orig_e), _np(orig_t), atol=1e-10)
    if triv:
        # a non-square weight is completed with random columns: use torch's
        with ember.no_grad():
            me.parametrizations.weight[0].base.copy_(
                ember.tensor(_np(mt.parametrizations.weight[0].base)))
    # move away from the identity, then compare the weight and the gradient of the original
    step = rng.standard_normal(shape) * 0.3
    with torch.no_grad():
        orig_t.add_(torch.tensor(step))
    with ember.no_grad():
        orig_e.add_(ember.tensor(step))
    np.testing.assert_allclose(_np(me.weight), _np(mt.weight), atol=1e-10)
    target = rng.standard_normal(shape)
    (mt.weight * torch.tensor(target)).sum().backward()
    (me.weight * ember.tensor(target)).sum().backward()
    np.testing.assert_allclose(_np(orig_e.grad), _np(orig_t.grad), atol=1e-8)


def test_complex_and_assignment():
    rng = np.random.default_rng(5)
    w = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    mods = []
    for m in (torch, ember):
        mod = _Holder.make(m, w)
        m.nn.utils.parametrizations.orthogonal(mod)
        mods.append(mod)
    np.testing.assert_allclose(_np(mods[1].weight), _np(mods[0].weight), atol=1e-10)
    # assigning an orthogonal matrix keeps it; a general one is made orthogonal
    q = np.linalg.qr(rng.standard_normal((3, 3)))[0]
    general = rng.standard_normal((3, 3))
    for value in (q, general):
        mt = _Holder.make(torch, general)
        me = _Holder.make(ember, general)
        torch.nn.utils.parametrizations.orthogonal(mt)
        ember.nn.utils.parametrizations.orthogonal(me)
        mt.weight = torch.tensor(value)
        me.weight = ember.tensor(value)
        np.testing.assert_allclose(_np(me.weight), _np(mt.weight), atol=1e-10)
    me = ember.nn.Linear(3, 3)
    ember.nn.utils.parametrizations.orthogonal(me)
    assert type(me).__name__ == "ParametrizedLinear"
    assert sorted(n for n, _ in me.named_buffers()) == ["parametrizations.weight.0.base"]


def test_errors():
    orth = ember.nn.utils.parametrizations.orthogonal
    with pytest.raises(ValueError, match='orthogonal_map has to be one of "matrix_exp", '
                                         '"cayley", "householder". Got: foo'):
        orth(ember.nn.Linear(3, 3), orthogonal_map="foo")
    with pytest.raises(ValueError, match="Expected a matrix or batch of matrices. Got a tensor "
                                         "of 1 dimensions."):
        orth(ember.nn.Linear(3, 3), name="bias")
    with pytest.raises(ValueError, match="has no parameter or buffer with name 'zz'"):
        orth(ember.nn.Linear(3, 3), name="zz")
    with pytest.raises(ValueError, match="The householder parametrization does not support "
                                         "complex tensors."):
        orth(ember.nn.Linear(3, 3, dtype=ember.cfloat), orthogonal_map="householder")
    m = orth(ember.nn.Linear(3, 3), orthogonal_map="cayley", use_trivialization=False)
    with pytest.raises(NotImplementedError, match="It is not possible to assign to the matrix "
                                                  "exponential or the Cayley"):
        m.weight = ember.eye(3)
    m = orth(ember.nn.Linear(3, 3))
    with pytest.raises(ValueError, match=r"Expected a matrix or batch of matrices of shape "
                                         r"torch.Size\(\[3, 3\]\). Got a tensor of shape "
                                         r"torch.Size\(\[4, 4\]\)."):
        m.weight = ember.eye(4)


def test_parametrization_without_inverse_keeps_the_original_like_torch():
    results = []
    for m in (torch, ember):
        class NoInverse(m.nn.Module):
            def forward(self, x):
                return x * 2

            def right_inverse(self, x):
                raise NotImplementedError

        lin = m.nn.Linear(2, 2)
        with m.no_grad():
            lin.weight.copy_(m.tensor([[1.0, 2.0], [3.0, 4.0]]))
        m.nn.utils.parametrize.register_parametrization(lin, "weight", NoInverse())
        results.append((lin.weight.detach().cpu().numpy().copy(),
                        lin.parametrizations.weight.original.detach().cpu().numpy().copy()))
    np.testing.assert_array_equal(results[1][0], results[0][0])
    np.testing.assert_array_equal(results[1][1], results[0][1])
