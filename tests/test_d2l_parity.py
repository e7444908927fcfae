"""Regressions found by the d2l-style programs (tests/programs/p206-p215), checked against
torch 2.13.0: `size=` given as a keyword to rand/randn, and the `torch.distributions.<name>`
submodules (`from torch.distributions import multinomial`) with torch's sampling stream."""

import importlib

import numpy as np
import pytest
import torch

import ember


@pytest.mark.parametrize("name", ["rand", "randn"])
@pytest.mark.parametrize("size", [(2, 3), [4], (), torch.Size([2, 2])])
def test_rand_size_keyword(name, size):
    torch.manual_seed(3)
    ember.manual_seed(3)
    esize = ember.Size(size) if isinstance(size, torch.Size) else size
    t = getattr(torch, name)(size=size)
    e = getattr(ember, name)(size=esize)
    assert tuple(e.shape) == tuple(t.shape)
    np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
    # the stream continues identically afterwards
    np.testing.assert_array_equal(ember.rand(3).cpu().numpy(), torch.rand(3).cpu().numpy())


@pytest.mark.parametrize("name", ["rand", "randn"])
def test_rand_size_keyword_with_positional_is_an_error(name):
    with pytest.raises(TypeError):
        getattr(torch, name)(2, size=(2, 3))
    with pytest.raises(TypeError, match="invalid combination of arguments"):
        getattr(ember, name)(2, size=(2, 3))


@pytest.mark.parametrize("mod, cls", [("multinomial", "Multinomial"),
                                      ("categorical", "Categorical"),
                                      ("bernoulli", "Bernoulli"), ("normal", "Normal"),
                                      ("uniform", "Uniform")])
def test_distribution_submodules(mod, cls):
    tm = importlib.import_module(f"torch.distributions.{mod}")
    em = importlib.import_module(f"ember.distributions.{mod}")
    assert hasattr(tm, cls)
    assert getattr(em, cls) is getattr(ember.distributions, cls)
    # `from torch.distributions import multinomial` style attribute access
    assert getattr(ember.distributions, mod) is em


def test_multinomial_sample_matches_torch_stream():
    from torch.distributions import multinomial as tmn

    from ember.distributions import multinomial as emn

    torch.manual_seed(0)
    ember.manual_seed(0)
    tp, ep = torch.ones([6]) / 6, ember.ones([6]) / 6
    for n, shape in [(1, ()), (10, ()), (1000, ()), (10, (500,))]:
        t = tmn.Multinomial(n, tp).sample(shape)
        e = emn.Multinomial(n, ep).sample(shape)
        np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
    t = tmn.Multinomial(7, logits=torch.tensor([[0.0, 1.0, 2.0], [2.0, 0.0, 0.0]])).sample((3,))
    e = emn.Multinomial(7, logits=ember.tensor([[0.0, 1.0, 2.0], [2.0, 0.0, 0.0]])).sample((3,))
    np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
