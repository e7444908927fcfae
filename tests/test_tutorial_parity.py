"""Regressions found by the intermediate-tutorial programs (tests/programs/p216-p225), each
checked bit for bit against torch 2.13.0."""

import numpy as np
import pytest
import torch

import ember


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(1, 1, 5, 7), (2, 3, 28, 28), (1, 1, 3, 40), (1, 1, 2, 2, 9)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_affine_grid_identity_matches_torch_bits(align_corners, size, dtype):
    # torch builds the base grid with its float32 linspace kernel (step rounded to float32,
    # one rounding per element) and then `* (n - 1) / n` in float32; the spatial transformer
    # tutorial starts from the identity, where those last bits decide which pixel neighbour
    # grid_sample's gradient uses
    nd = len(size) - 2
    eye = np.concatenate([np.eye(nd), np.zeros((nd, 1))], axis=1)[None].repeat(size[0], 0)
    t = torch.nn.functional.affine_grid(torch.tensor(eye, dtype=getattr(torch, dtype)), size,
                                        align_corners=align_corners)
    e = ember.nn.functional.affine_grid(ember.tensor(eye, dtype=getattr(ember, dtype)), size,
                                        align_corners=align_corners)
    assert np.array_equal(t.cpu().numpy(), e.cpu().numpy())


def test_stn_identity_theta_gradient_matches_torch():
    rng = np.random.default_rng(0)
    x = rng.random((1, 1, 5, 7), dtype=np.float32)
    w = np.arange(35, dtype=np.float32).reshape(1, 1, 5, 7)
    grads = []
    for lib in (torch, ember):
        theta = lib.tensor([[[1., 0, 0], [0, 1, 0]]], requires_grad=True)
        grid = lib.nn.functional.affine_grid(theta, (1, 1, 5, 7), align_corners=False)
        out = lib.nn.functional.grid_sample(lib.tensor(x), grid, align_corners=False)
        (out * lib.tensor(w)).sum().backward()
        grads.append(theta.grad.cpu().numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("fname,shape", [("dropout2d", (2, 8)), ("dropout2d", (2, 3, 4)),
                                          ("dropout2d", (2, 3, 4, 4)), ("dropout3d", (2, 3, 4)),
                                          ("dropout3d", (2, 3, 4, 4, 4))])
@pytest.mark.parametrize("training", [True, False])
def test_feature_dropout_rank_warnings_match_torch(fname, shape, training):
    # the "Defining a neural network" recipe feeds dropout2d a 2-D (N, features) tensor
    import warnings

    msgs = []
    for lib in (torch, ember):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            getattr(lib.nn.functional, fname)(lib.ones(shape), 0.5, training)
        msgs.append([str(x.message) for x in w])
    assert msgs[1] == msgs[0]
