"""SyncBatchNorm on one process and DistributedSampler against torch (same indices)."""

import numpy as np
import pytest
import torch

import ember


@pytest.mark.parametrize("kw", [
    dict(num_replicas=4, rank=1), dict(num_replicas=3, rank=2, shuffle=False),
    dict(num_replicas=5, rank=4, drop_last=True, seed=7), dict(num_replicas=2, rank=0, seed=2**40 + 3),
    dict(num_replicas=1, rank=0), dict(num_replicas=30, rank=29),
])
@pytest.mark.parametrize("n", [1, 23, 1000])
def test_distributed_sampler_same_indices_as_torch(kw, n):
    ds = list(range(n))
    t = torch.utils.data.DistributedSampler(ds, **kw)
    e = ember.utils.data.DistributedSampler(ds, **kw)
    for epoch in (0, 1, 5):
        t.set_epoch(epoch)
        e.set_epoch(epoch)
        assert list(e) == list(t)
        assert len(e) == len(t)


def test_distributed_sampler_errors_and_dataloader():
    for kw in (dict(num_replicas=2, rank=2), dict(num_replicas=2, rank=-1), {}):
        with pytest.raises(Exception) as t:
            torch.utils.data.DistributedSampler(range(4), **kw)
        with pytest.raises(Exception) as e:
            ember.utils.data.DistributedSampler(range(4), **kw)
        assert type(t.value) is type(e.value) and str(t.value) == str(e.value)
    out = []
    for m in (torch, ember):
        ds = m.utils.data.TensorDataset(m.arange(10))
        s = m.utils.data.distributed.DistributedSampler(ds, num_replicas=3, rank=1, seed=4)
        out.append([b[0].tolist() for b in m.utils.data.DataLoader(ds, batch_size=2, sampler=s)])
    assert out[0] == out[1]


def test_sync_batchnorm_is_batchnorm_on_one_process():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3, 5)).astype(np.float32)
    res = []
    for m in (torch, ember):
        s = m.nn.SyncBatchNorm(3, momentum=0.3)
        y = s(m.tensor(x))
        s.eval()
        z = s(m.tensor(x))
        res.append((repr(s), y.detach().cpu().numpy(), z.detach().cpu().numpy(), s.running_var.cpu().numpy()))
    assert res[0][0] == res[1][0]
    for a, b in zip(res[0][1:], res[1][1:]):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError) as t:
        torch.nn.SyncBatchNorm(3)(torch.ones(3))
    with pytest.raises(ValueError) as e:
        ember.nn.SyncBatchNorm(3)(ember.ones(3))
    assert str(t.value) == str(e.value)


def test_convert_sync_batchnorm():
    reprs = []
    for m in (torch, ember):
        net = m.nn.Sequential(m.nn.Conv2d(1, 3, 1), m.nn.BatchNorm2d(3),
                              m.nn.Sequential(m.nn.BatchNorm1d(2, affine=False)))
        net.eval()
        out = m.nn.SyncBatchNorm.convert_sync_batchnorm(net)
        assert out[1].weight is net[1].weight and out[1].running_mean is net[1].running_mean
        assert not out[1].training
        reprs.append(repr(out))
    assert reprs[0] == reprs[1]
