"""DataLoader over a plain TensorDataset fetches a batch with one index_select per tensor; the
batches must be what torch's DataLoader (stacking samples with default_collate) gives."""

import numpy as np
import pytest
import torch

import ember


def _batches(m, loader_kwargs, dataset_kind="plain", n=11):
    x = m.tensor(np.arange(n * 3, dtype=np.float32).reshape(n, 3))
    y = m.tensor(np.arange(n) % 4)
    z = m.tensor(np.arange(n * 4, dtype=np.int32).reshape(n, 2, 2))
    if dataset_kind == "subclass":
        class Sub(m.utils.data.TensorDataset):
            pass

        ds = Sub(x, y, z)
    else:
        ds = m.utils.data.TensorDataset(x, y, z)
    kwargs = dict(loader_kwargs)
    if "sampler" in kwargs:
        kwargs["sampler"] = kwargs["sampler"](m)
    if "batch_sampler" in kwargs:
        kwargs["batch_sampler"] = kwargs["batch_sampler"](m)
    out = []
    for b in m.utils.data.DataLoader(ds, **kwargs):
        out.append((type(b).__name__, [(str(t.dtype), tuple(t.shape), t.cpu().numpy().tolist())
                                       for t in b]))
    return out


CASES = [
    {"batch_size": 4},
    {"batch_size": 4, "drop_last": True},
    {"batch_size": 1},
    {"batch_size": 20},
    {"batch_size": 3, "sampler": lambda m: m.utils.data.SubsetRandomSampler([5, 1, 9, 2, 7],
                                                                           generator=None)},
    {"batch_sampler": lambda m: [[3, 1], [10, 0, 2], [4]]},
    {"batch_size": 4, "collate_fn": lambda batch: len(batch)},
]


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("kind", ["plain", "subclass"])
def test_tensor_dataset_batches_match_torch(case, kind):
    kw = CASES[case]
    if "sampler" in kw:
        # a random sampler: compare the sets of rows, which do not depend on the stream
        t = _batches(torch, kw, kind)
        e = _batches(ember, kw, kind)
        assert sorted(r for _, b in t for r in b[0][2]) == sorted(r for _, b in e for r in b[0][2])
        return
    if "collate_fn" in kw:
        assert [b for b in ember.utils.data.DataLoader(ember.utils.data.TensorDataset(
            ember.zeros(10, 2)), **kw)] == [4, 4, 2]
        return
    assert _batches(ember, kw, kind) == _batches(torch, kw, kind)


def test_shuffled_batches_cover_every_row_once():
    x = ember.arange(50).reshape(25, 2)
    seen = []
    for (b,) in ember.utils.data.DataLoader(ember.utils.data.TensorDataset(x), batch_size=7,
                                            shuffle=True):
        seen += b[:, 0].tolist()
    assert sorted(seen) == list(range(0, 50, 2))


def test_dataset_that_requires_grad_keeps_the_stacked_graph():
    x = ember.ones(6, 2, requires_grad=True)
    (b,) = next(iter(ember.utils.data.DataLoader(ember.utils.data.TensorDataset(x),
                                                 batch_size=3)))
    t = torch.ones(6, 2, requires_grad=True)
    (tb,) = next(iter(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(t),
                                                  batch_size=3)))
    assert b.grad_fn.name() == type(tb.grad_fn).__name__
