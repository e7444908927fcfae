"""A small MLP and a small CNN trained 20 steps in ember and in torch from the same state dict:
the same losses and the same weights after every step (float32 tolerance)."""

import numpy as np
import pytest
import torch

import ember


def _mlp(m):
    nn = m.nn
    return nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Dropout(0.0), nn.Linear(32, 32),
                         nn.Tanh(), nn.Linear(32, 5))


def _cnn(m):
    nn = m.nn
    # no conv bias before BatchNorm: its gradient is zero up to rounding, which Adam and
    # RMSprop would amplify into arbitrary steps on both sides
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(4, 8, 3), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(32, 5))


def _optimizer(m, name, params):
    if name == "sgd":
        return m.optim.SGD(params, lr=0.05, momentum=0.9, weight_decay=1e-4)
    if name == "adam":
        return m.optim.Adam(params, lr=1e-2)
    return m.optim.RMSprop(params, lr=1e-2, centered=True)


def _copy_state(tm, em):
    sd = {k: ember.tensor(v.detach().cpu().numpy().copy()) for k, v in tm.state_dict().items()}
    em.load_state_dict(sd)


@pytest.mark.parametrize("arch", ["mlp", "cnn"])
@pytest.mark.parametrize("opt", ["sgd", "adam", "rmsprop"])
def test_twenty_steps_match_torch(arch, opt):
    torch.manual_seed(0)
    tm = _mlp(torch) if arch == "mlp" else _cnn(torch)
    em = _mlp(ember) if arch == "mlp" else _cnn(ember)
    _copy_state(tm, em)
    to = _optimizer(torch, opt, tm.parameters())
    eo = _optimizer(ember, opt, em.parameters())
    tsched = torch.optim.lr_scheduler.StepLR(to, 5, 0.5)
    esched = ember.optim.lr_scheduler.StepLR(eo, 5, 0.5)
    rng = np.random.default_rng(0)
    shape = (16, 20) if arch == "mlp" else (16, 1, 8, 8)
    for step in range(20):
        x = rng.standard_normal(shape).astype(np.float32)
        y = rng.integers(0, 5, 16)
        losses = []
        for m, model, o, s in ((torch, tm, to, tsched), (ember, em, eo, esched)):
            o.zero_grad()
            loss = m.nn.functional.cross_entropy(model(m.tensor(x)), m.tensor(y))
            loss.backward()
            o.step()
            s.step()
            losses.append(loss.item())
        assert losses[1] == pytest.approx(losses[0], rel=1e-4, abs=1e-5), step
        for (k, tv), (k2, ev) in zip(tm.state_dict().items(), em.state_dict().items()):
            assert k == k2
            np.testing.assert_allclose(ev.cpu().numpy(), tv.cpu().numpy(), rtol=2e-4, atol=2e-5,
                                       err_msg=f"{arch}/{opt} step {step}: {k}")
    # eval mode (BatchNorm running statistics) agrees too
    tm.eval()
    em.eval()
    x = rng.standard_normal(shape).astype(np.float32)
    with torch.no_grad(), ember.no_grad():
        np.testing.assert_allclose(em(ember.tensor(x)).cpu().numpy(), tm(torch.tensor(x)).cpu().numpy(),
                                   rtol=2e-4, atol=2e-5)
