"""ember.optim.swa_utils against torch.optim.swa_utils 2.13.0.

The same weights are loaded on both sides (state dicts copied from torch), the same sequence of
weight changes and update_parameters calls is run, and the averaged parameters, buffers,
n_averaged and state_dict keys are compared after every update; SWALR's learning rates are
compared step by step.
"""

import warnings

import numpy as np
import pytest
import torch
import torch.optim.swa_utils as TS

import ember
import ember.optim.swa_utils as ES


def _np(t):
    return t.detach().cpu().numpy()


def _model(m):
    return m.nn.Sequential(m.nn.Linear(3, 4), m.nn.BatchNorm1d(4), m.nn.ReLU(),
                           m.nn.Linear(4, 2))


def _pair(seed=0):
    torch.manual_seed(seed)
    t = _model(torch)
    e = _model(ember)
    e.load_state_dict({k: ember.tensor(v.cpu().numpy()) for k, v in t.state_dict().items()})
    return e, t


def _perturb(e, t, rng):
    # the same new weights and batch-norm statistics on both sides (as training would)
    for (_, pe), (_, pt) in zip(e.state_dict().items(), t.state_dict().items()):
        if pt.dtype.is_floating_point:
            new = pt.cpu().numpy() + rng.standard_normal(pt.shape).astype(np.float32) * 0.1
        else:
            new = pt.cpu().numpy() + 1
        pt.copy_(torch.tensor(new))
        pe.copy_(ember.tensor(new))


def _compare(ea, ta):
    es = ea.state_dict()
    ts = ta.state_dict()
    assert list(es.keys()) == list(ts.keys())
    for k in ts:
        a = _np(es[k])
        b = ts[k].cpu().numpy()
        assert a.dtype == b.dtype, k
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7, err_msg=k)


AVERAGING = {
    "swa_default": lambda S: {},
    "swa_avg_fn": lambda S: {"avg_fn": S.get_swa_avg_fn()},
    "swa_multi": lambda S: {"multi_avg_fn": S.get_swa_multi_avg_fn()},
    "ema_avg_fn": lambda S: {"avg_fn": S.get_ema_avg_fn(0.9)},
    "ema_multi": lambda S: {"multi_avg_fn": S.get_ema_multi_avg_fn(0.8)},
    "swa_buffers": lambda S: {"use_buffers": True},
    "ema_multi_buffers": lambda S: {"multi_avg_fn": S.get_ema_multi_avg_fn(0.9),
                                    "use_buffers": True},
    "custom_avg_fn": lambda S: {"avg_fn": lambda avg, cur, n: 0.5 * avg + 0.5 * cur},
}


@pytest.mark.parametrize("name", list(AVERAGING))
def test_averaged_model_matches_torch(name):
    e, t = _pair()
    ea = ES.AveragedModel(e, **AVERAGING[name](ES))
    ta = TS.AveragedModel(t, **AVERAGING[name](TS))
    _compare(ea, ta)
    rng = np.random.default_rng(1)
    for _ in range(5):
        _perturb(e, t, rng)
        ea.update_parameters(e)
        ta.update_parameters(t)
        _compare(ea, ta)
    assert int(ea.n_averaged) == int(ta.n_averaged) == 5
    assert ea.n_averaged.dtype == ember.int64
    # the average is a separate copy: the live model's weights are not touched
    assert not np.allclose(_np(ea.module[0].weight), _np(e[0].weight))
    x = np.random.default_rng(2).standard_normal((5, 3)).astype(np.float32)
    ea.eval()
    ta.eval()
    np.testing.assert_allclose(_np(ea(ember.tensor(x))), ta(torch.tensor(x)).detach().cpu().numpy(),
                               rtol=1e-5, atol=1e-6)


def test_averaged_model_state_dict_roundtrip_with_torch():
    e, t = _pair()
    ea = ES.AveragedModel(e)
    ta = TS.AveragedModel(t)
    rng = np.random.default_rng(3)
    for _ in range(3):
        _perturb(e, t, rng)
        ta.update_parameters(t)
    # torch's averaged state loads into ember's AveragedModel (same keys and dtypes)
    ea.load_state_dict({k: ember.tensor(v.cpu().numpy()) for k, v in ta.state_dict().items()})
    _compare(ea, ta)
    _perturb(e, t, rng)
    ea.update_parameters(e)
    ta.update_parameters(t)
    _compare(ea, ta)


def test_averaged_model_arguments_and_errors():
    e, _ = _pair()
    with pytest.raises(AssertionError, match="Only one of avg_fn and multi_avg_fn"):
        ES.AveragedModel(e, avg_fn=ES.get_swa_avg_fn(), multi_avg_fn=ES.get_swa_multi_avg_fn())
    for S in (ES, TS):
        for fn in (S.get_ema_avg_fn, S.get_ema_multi_avg_fn):
            with pytest.raises(ValueError, match=r"Invalid decay value 1.5 provided. Please "
                                                 r"provide a value in \[0,1\] range."):
                fn(1.5)
    ea = ES.AveragedModel(e, device="cpu")
    assert ea.n_averaged.device.type == "cpu"
    assert isinstance(ea, ember.nn.Module)
    assert next(n for n, _ in ea.named_buffers()) == "n_averaged"


def test_averaging_functions_match_torch():
    rng = np.random.default_rng(4)
    a = rng.standard_normal((3, 2)).astype(np.float32)
    b = rng.standard_normal((3, 2)).astype(np.float32)
    for name, kwargs in (("get_swa_avg_fn", {}), ("get_ema_avg_fn", {"decay": 0.7})):
        out_e = getattr(ES, name)(**kwargs)(ember.tensor(a), ember.tensor(b), ember.tensor(3))
        out_t = getattr(TS, name)(**kwargs)(torch.tensor(a), torch.tensor(b), torch.tensor(3))
        np.testing.assert_allclose(_np(out_e), out_t.cpu().numpy(), rtol=1e-6, err_msg=name)
    for name, kwargs in (("get_swa_multi_avg_fn", {}), ("get_ema_multi_avg_fn",
                                                        {"decay": 0.7})):
        le = [ember.tensor(a), ember.tensor(a * 2)]
        lt = [torch.tensor(a), torch.tensor(a * 2)]
        getattr(ES, name)(**kwargs)(le, [ember.tensor(b)] * 2, ember.tensor(3))
        getattr(TS, name)(**kwargs)(lt, [torch.tensor(b)] * 2, torch.tensor(3))
        for x, y in zip(le, lt):
            np.testing.assert_allclose(_np(x), y.cpu().numpy(), rtol=1e-6, err_msg=name)


# ---------------------------------------------------------------- SWALR
def _optimizers(m):
    w1 = m.nn.Parameter(m.zeros(2))
    w2 = m.nn.Parameter(m.zeros(3))
    return m.optim.SGD([{"params": [w1]}, {"params": [w2], "lr": 0.05}], lr=0.1, momentum=0.9)


SWALR_SETTINGS = [
    {"swa_lr": 0.01, "anneal_epochs": 5, "anneal_strategy": "cos"},
    {"swa_lr": [0.01, 0.02], "anneal_epochs": 7, "anneal_strategy": "linear"},
    {"swa_lr": 0.3, "anneal_epochs": 0},
    {"swa_lr": 0.02, "anneal_epochs": 1, "anneal_strategy": "linear"},
    {"swa_lr": 0.02},
]


@pytest.mark.parametrize("kwargs", SWALR_SETTINGS, ids=[str(i) for i in
                                                        range(len(SWALR_SETTINGS))])
def test_swalr_matches_torch_every_step(kwargs):
    oe = _optimizers(ember)
    ot = _optimizers(torch)
    se = ES.SWALR(oe, **kwargs)
    st = TS.SWALR(ot, **kwargs)
    np.testing.assert_allclose(se.get_last_lr(), st.get_last_lr(), rtol=1e-12)
    for step in range(20):
        oe.step()
        ot.step()
        se.step()
        st.step()
        np.testing.assert_allclose(se.get_last_lr(), st.get_last_lr(), rtol=1e-12,
                                   err_msg=f"step {step}")
        assert [g["lr"] for g in oe.param_groups] == se.get_last_lr()
        assert [g["swa_lr"] for g in oe.param_groups] == [g["swa_lr"] for g in ot.param_groups]


def test_swalr_after_another_scheduler_matches_torch():
    # the usual SWA loop: cosine annealing first, then SWALR takes over from the current lr
    lrs = []
    for m, S in ((ember, ES), (torch, TS)):
        opt = _optimizers(m)
        cosine = m.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
        swa = S.SWALR(opt, swa_lr=0.005, anneal_epochs=4)
        seen = []
        for epoch in range(20):
            opt.step()
            if epoch >= 8:
                swa.step()
            else:
                cosine.step()
            seen.append([g["lr"] for g in opt.param_groups])
        lrs.append(seen)
    np.testing.assert_allclose(lrs[0], lrs[1], rtol=1e-12)


def test_swalr_state_dict_and_errors():
    oe = _optimizers(ember)
    ot = _optimizers(torch)
    se = ES.SWALR(oe, swa_lr=0.01, anneal_epochs=3, anneal_strategy="linear")
    st = TS.SWALR(ot, swa_lr=0.01, anneal_epochs=3, anneal_strategy="linear")
    for _ in range(2):
        se.step()
        st.step()
    sd = se.state_dict()
    assert "optimizer" not in sd and "anneal_func" not in sd
    for key in ("anneal_epochs", "_anneal_strategy", "last_epoch", "_step_count", "base_lrs"):
        assert sd[key] == st.state_dict()[key], key
    # a fresh scheduler restored from the state continues where the first one was
    se2 = ES.SWALR(_optimizers(ember), swa_lr=0.5, anneal_strategy="cos")
    se2.load_state_dict(sd)
    assert se2.anneal_func(0.5) == 0.5  # linear again
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        se.step()
    st.step()
    np.testing.assert_allclose(se.get_last_lr(), st.get_last_lr(), rtol=1e-12)
    for kwargs in ({"swa_lr": 0.1, "anneal_strategy": "exp"},
                   {"swa_lr": 0.1, "anneal_epochs": -1},
                   {"swa_lr": 0.1, "anneal_epochs": 2.5},
                   {"swa_lr": [0.1, 0.2, 0.3]}):
        msgs = []
        for m, S in ((ember, ES), (torch, TS)):
            with pytest.raises(ValueError) as info:
                S.SWALR(_optimizers(m), **kwargs)
            msgs.append(str(info.value))
        assert msgs[0] == msgs[1]
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        se.get_lr()


# ---------------------------------------------------------------- update_bn
def test_update_bn_matches_torch():
    e, t = _pair()
    rng = np.random.default_rng(5)
    batches = [rng.standard_normal((6, 3)).astype(np.float32) * 2 + 1 for _ in range(4)]
    # a loader of (input, target) pairs, as a DataLoader gives
    loader_e = [(ember.tensor(b), ember.zeros(6)) for b in batches]
    loader_t = [(torch.tensor(b), torch.zeros(6)) for b in batches]
    e.eval()
    t.eval()
    ES.update_bn(loader_e, e)
    TS.update_bn(loader_t, t)
    assert not e.training and not e[1].training
    assert e[1].momentum == 0.1
    for k, v in t.state_dict().items():
        np.testing.assert_allclose(_np(e.state_dict()[k]), v.cpu().numpy(), rtol=1e-5, atol=1e-6,
                                   err_msg=k)
    # the running statistics are the plain average of the batches' statistics
    h = np.stack([b @ _np(e[0].weight).T + _np(e[0].bias) for b in batches])
    np.testing.assert_allclose(_np(e[1].running_mean), h.mean(1).mean(0), rtol=1e-5)
    # plain tensors work as loader items too, and a model without batch norm is untouched
    ES.update_bn([ember.tensor(b) for b in batches], e)
    np.testing.assert_allclose(_np(e[1].running_mean), h.mean(1).mean(0), rtol=1e-5)
    lin = ember.nn.Linear(3, 2)
    before = _np(lin.weight).copy()
    ES.update_bn([ember.tensor(batches[0])], lin)
    np.testing.assert_array_equal(_np(lin.weight), before)


def test_swa_workflow_matches_torch():
    # train, average from step 3 on, recompute the batch-norm statistics of the average
    e, t = _pair(seed=7)
    rng = np.random.default_rng(8)
    data = [(rng.standard_normal((8, 3)).astype(np.float32),
             rng.standard_normal((8, 2)).astype(np.float32)) for _ in range(6)]
    results = []
    for m, S, model in ((ember, ES, e), (torch, TS, t)):
        opt = m.optim.SGD(model.parameters(), lr=0.05)
        swa_model = S.AveragedModel(model)
        sched = S.SWALR(opt, swa_lr=0.02, anneal_epochs=2)
        for i, (x, y) in enumerate(data):
            opt.zero_grad()
            loss = ((model(m.tensor(x)) - m.tensor(y)) ** 2).mean()
            loss.backward()
            opt.step()
            if i >= 2:
                swa_model.update_parameters(model)
                sched.step()
        S.update_bn([m.tensor(x) for x, _ in data], swa_model)
        results.append(swa_model)
    _compare(results[0], results[1])
