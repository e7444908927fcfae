"""utils.data against torch.utils.data: the same datasets give the same batches."""

import collections

import numpy as np
import pytest
import torch
import torch.utils.data as tdata

import ember
import ember.utils.data as edata


def _np(x):
    if isinstance(x, (ember.Tensor, torch.Tensor)):
        return x.detach().cpu().numpy()
    return x


def _same(a, b):
    """Structure, types (tensor or not), dtypes and values of two collated batches agree."""
    if isinstance(b, torch.Tensor):
        assert isinstance(a, ember.Tensor), type(a)
        assert str(a.dtype) == str(b.dtype)
        np.testing.assert_array_equal(_np(a), _np(b))
    elif isinstance(b, dict):
        assert isinstance(a, dict) and list(a) == list(b)
        for k in b:
            _same(a[k], b[k])
    elif isinstance(b, (list, tuple)):
        assert type(a) is type(b), (type(a), type(b))
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    else:
        assert a == b


X = np.arange(40, dtype=np.float32).reshape(20, 2)
Y = np.arange(20) % 3


def _pair():
    return (edata.TensorDataset(ember.tensor(X), ember.tensor(Y)),
            tdata.TensorDataset(torch.tensor(X), torch.tensor(Y)))


@pytest.mark.parametrize("batch_size,drop_last", [(1, False), (3, False), (3, True), (20, False),
                                                  (32, False), (32, True)])
def test_sequential_batches_match_torch(batch_size, drop_last):
    eds, tds = _pair()
    el = edata.DataLoader(eds, batch_size=batch_size, drop_last=drop_last)
    tl = tdata.DataLoader(tds, batch_size=batch_size, drop_last=drop_last)
    assert len(el) == len(tl)
    eb = list(el)
    tb = list(tl)
    assert len(eb) == len(tb)
    for a, b in zip(eb, tb):
        _same(a, b)


Point = collections.namedtuple("Point", "x y")


class Mixed(tdata.Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, i):
        return {"a": np.full((2, 3), i, dtype=np.float64), "b": (i, float(i) / 2, bool(i % 2)),
                "c": [np.int32(i), "s%d" % i], "p": Point(i, np.float32(i))}


class EMixed(edata.Dataset):
    __len__ = Mixed.__len__
    __getitem__ = Mixed.__getitem__


def test_default_collate_nested_matches_torch():
    tb = list(tdata.DataLoader(Mixed(), batch_size=3))
    eb = list(edata.DataLoader(EMixed(), batch_size=3))
    for a, b in zip(eb, tb):
        _same(a, b)


def test_default_collate_function_matches_torch():
    batch = [(np.ones(2), 1, 2.5), (np.zeros(2), 3, 0.5)]
    _same(edata.default_collate(batch), tdata.default_collate(batch))


def test_no_auto_batching_converts_like_torch():
    eb = list(edata.DataLoader(EMixed(), batch_size=None))
    tb = list(tdata.DataLoader(Mixed(), batch_size=None))
    for a, b in zip(eb, tb):
        _same(a, b)


def test_shuffle_is_a_permutation_and_repeatable_with_generator():
    eds, _ = _pair()
    g1 = ember.Generator().manual_seed(7)
    g2 = ember.Generator().manual_seed(7)
    a = [int(v) for b in edata.DataLoader(eds, batch_size=4, shuffle=True, generator=g1)
         for v in b[0][:, 0].tolist()]
    b = [int(v) for b in edata.DataLoader(eds, batch_size=4, shuffle=True, generator=g2)
         for v in b[0][:, 0].tolist()]
    assert a == b
    assert sorted(a) == list(range(0, 40, 2))
    assert a != list(range(0, 40, 2))


def test_epochs_reshuffle():
    eds, _ = _pair()
    loader = edata.DataLoader(eds, batch_size=20, shuffle=True)
    first = next(iter(loader))[1].tolist()
    second = next(iter(loader))[1].tolist()
    third = next(iter(loader))[1].tolist()
    assert not (first == second == third)


def test_samplers_lengths_and_contents():
    data = list(range(10))
    assert list(edata.SequentialSampler(data)) == list(tdata.SequentialSampler(data))
    rs = list(edata.RandomSampler(data))
    assert sorted(rs) == data
    rs = list(edata.RandomSampler(data, replacement=True, num_samples=25))
    assert len(rs) == 25 and all(0 <= i < 10 for i in rs)
    bs = edata.BatchSampler(edata.SequentialSampler(data), 4, False)
    assert list(bs) == list(tdata.BatchSampler(tdata.SequentialSampler(data), 4, False))
    assert len(bs) == 3
    bs = edata.BatchSampler(edata.SequentialSampler(data), 4, True)
    assert len(bs) == 2 and list(bs) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    sub = list(edata.SubsetRandomSampler([3, 5, 7]))
    assert sorted(sub) == [3, 5, 7]


def test_weighted_random_sampler_frequencies():
    ember.manual_seed(0)
    w = [0.1, 0.0, 0.9]
    draws = list(edata.WeightedRandomSampler(w, 20000))
    counts = np.bincount(draws, minlength=3) / 20000
    assert counts[1] == 0
    assert abs(counts[2] - 0.9) < 0.02


def test_batch_sampler_argument_and_errors_match_torch():
    eds, tds = _pair()
    bs = [[0, 5], [1, 2, 3]]
    eb = list(edata.DataLoader(eds, batch_sampler=bs))
    tb = list(tdata.DataLoader(tds, batch_sampler=bs))
    for a, b in zip(eb, tb):
        _same(a, b)
    for kwargs in ({"batch_sampler": bs, "batch_size": 2}, {"sampler": [0, 1], "shuffle": True},
                   {"num_workers": -1}):
        with pytest.raises(ValueError) as te:
            tdata.DataLoader(tds, **kwargs)
        with pytest.raises(ValueError) as ee:
            edata.DataLoader(eds, **kwargs)
        assert str(ee.value) == str(te.value)


def test_subset_concat_random_split():
    eds, tds = _pair()
    _same(edata.Subset(eds, [3, 1])[1], tdata.Subset(tds, [3, 1])[1])
    ec = edata.ConcatDataset([eds, eds])
    tc = tdata.ConcatDataset([tds, tds])
    assert len(ec) == len(tc) == 40
    for i in (0, 19, 20, 39, -1, -40):
        _same(ec[i], tc[i])
    parts = edata.random_split(eds, [0.5, 0.3, 0.2], generator=ember.Generator().manual_seed(1))
    assert [len(p) for p in parts] == [len(p) for p in tdata.random_split(tds, [0.5, 0.3, 0.2])]
    seen = sorted(i for p in parts for i in p.indices)
    assert seen == list(range(20))
    with pytest.raises(ValueError, match="Sum of input lengths"):
        edata.random_split(eds, [3, 4])


class Squares(edata.Dataset):
    def __len__(self):
        return 23

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.int64), {"i": i}


class Broken(edata.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 2:
            raise KeyError("boom")
        return i


def _record_worker(worker_id):
    info = edata.get_worker_info()
    assert info is not None and info.id == worker_id and info.num_workers == 2


@pytest.mark.parametrize("num_workers", [1, 2])
def test_workers_give_the_same_batches_in_order(num_workers):
    ref = list(edata.DataLoader(Squares(), batch_size=4))
    got = list(edata.DataLoader(Squares(), batch_size=4, num_workers=num_workers,
                                worker_init_fn=_record_worker if num_workers == 2 else None,
                                pin_memory=True))
    assert len(got) == len(ref) == 6
    for a, b in zip(got, ref):
        np.testing.assert_array_equal(a[0].cpu().numpy(), b[0].cpu().numpy())
        np.testing.assert_array_equal(a[1]["i"].cpu().numpy(), b[1]["i"].cpu().numpy())


def test_worker_error_is_raised_in_main_process():
    with pytest.raises(RuntimeError, match="KeyError"):
        list(edata.DataLoader(Broken(), batch_size=1, num_workers=2))
    assert edata.get_worker_info() is None


class Stream(edata.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


class TStream(tdata.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


@pytest.mark.parametrize("batch_size,drop_last", [(3, False), (3, True), (None, False)])
def test_iterable_dataset_matches_torch(batch_size, drop_last):
    eb = list(edata.DataLoader(Stream(10), batch_size=batch_size, drop_last=drop_last))
    tb = list(tdata.DataLoader(TStream(10), batch_size=batch_size, drop_last=drop_last))
    assert len(eb) == len(tb)
    for a, b in zip(eb, tb):
        _same(a, b)
