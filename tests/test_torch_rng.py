"""ember's CPU random streams against torch's: the same seed gives bit-identical numbers.

Everything is exact equality: torch's kernels (including the AVX2 log/sin/cos of normal_ on
float32 and its fused multiply-adds) are reproduced operation by operation in ember/_cpu_rng.py.
"""

import warnings

import os

import numpy as np
import pytest
import torch

import ember

# these compare ember's draws with torch's CPU random stream; on cuda (EMBER_TEST_DEVICE) both
# libraries draw from their CUDA generators, which are compared by distribution elsewhere
pytestmark = pytest.mark.skipif(os.environ.get("EMBER_TEST_DEVICE", "cpu") != "cpu",
                                reason="torch's CPU random stream")

SEEDS = [0, 1, 7, 42, 2**32 + 5, 123456789]
SIZES = [0, 1, 2, 15, 16, 17, 31, 100, 1000]
DTYPES = ["float32", "float64"]


def _both(seed):
    torch.manual_seed(seed)
    ember.manual_seed(seed)


def _eq(e, t):
    a = e.detach().cpu().numpy() if hasattr(e, "detach") else np.asarray(e)
    b = t.detach().cpu().numpy()
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_rand_randn_sizes(seed, dtype):
    _both(seed)
    for n in SIZES:
        _eq(ember.rand(n, dtype=getattr(ember, dtype)), torch.rand(n, dtype=getattr(torch, dtype)))
        _eq(ember.randn(n, dtype=getattr(ember, dtype)),
            torch.randn(n, dtype=getattr(torch, dtype)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_large_and_shaped(dtype):
    _both(3)
    for shape in [(128, 784), (3, 5, 7), (2, 8), (1,), ()]:
        _eq(ember.randn(shape, dtype=getattr(ember, dtype)),
            torch.randn(shape, dtype=getattr(torch, dtype)))
        _eq(ember.rand(shape, dtype=getattr(ember, dtype)),
            torch.rand(shape, dtype=getattr(torch, dtype)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [5, 16, 33, 1000])
def test_uniform_normal_bounds(dtype, n):
    # uniform_'s `x * (to - from) + from` and normal_'s `z * std + mean` are FMAs in torch
    _both(11)
    te = ember.empty(n, dtype=getattr(ember, dtype))
    tt = torch.empty(n, dtype=getattr(torch, dtype))
    for lo, hi in [(-0.0883883461356163, 0.0883883461356163), (-3.0, 5.5), (2.0, 2.0)]:
        _eq(te.uniform_(lo, hi), tt.uniform_(lo, hi))
    for mean, std in [(0.3, 1.7), (-2.0, 0.02), (0.0, 1.0)]:
        _eq(te.normal_(mean, std), tt.normal_(mean, std))
    _eq(ember.normal(0.5, 2.0, (n,), dtype=getattr(ember, dtype)),
        torch.normal(0.5, 2.0, (n,), dtype=getattr(torch, dtype)))


def test_noncontiguous_outputs():
    # a non-contiguous destination is filled in memory order, element by element (the normal
    # goes through normal_distribution<double> even with 16 or more elements)
    _both(5)
    for make in [lambda m: m.empty(6, 8).t(), lambda m: m.empty(10, 10)[:, ::2],
                 lambda m: m.empty(4, 5, 6).permute(2, 0, 1)]:
        for op in ["normal_", "uniform_", "bernoulli_", "exponential_"]:
            args = (0.3,) if op == "bernoulli_" else ()
            _eq(getattr(make(ember), op)(*args), getattr(make(torch), op)(*args))
        _eq(make(ember).random_(0, 100), make(torch).random_(0, 100))


def test_normal_cache_carries_across_calls():
    # below 16 elements torch draws Box-Muller pairs one element at a time and keeps the
    # second value in the generator for the next call, whatever op that is
    _both(9)
    for n in [1, 3, 1, 2, 5, 15, 1]:
        _eq(ember.randn(n), torch.randn(n))
        _eq(ember.randn(n, dtype=ember.float64), torch.randn(n, dtype=torch.float64))
    _eq(ember.empty(3).log_normal_(), torch.empty(3).log_normal_())
    _eq(ember.randn(20), torch.randn(20))
    _eq(ember.randn(1), torch.randn(1))


def test_mixed_sequence():
    _both(2024)
    for _ in range(3):
        _eq(ember.rand(3, 4), torch.rand(3, 4))
        _eq(ember.randint(0, 10, (7,)), torch.randint(0, 10, (7,)))
        _eq(ember.randn(5), torch.randn(5))
        _eq(ember.randperm(20), torch.randperm(20))
        _eq(ember.randint(-5, 2**30, (3,)), torch.randint(-5, 2**30, (3,)))
        _eq(ember.randint(0, 2**40, (3,)), torch.randint(0, 2**40, (3,)))
        _eq(ember.randn(17, dtype=ember.float64), torch.randn(17, dtype=torch.float64))
        _eq(ember.rand(2, dtype=ember.float64), torch.rand(2, dtype=torch.float64))
        _eq(ember.empty(9).random_(), torch.empty(9).random_())
        for name in ["int64", "int32", "bool", "uint8"]:
            _eq(ember.empty(4, dtype=getattr(ember, name)).random_(),
                torch.empty(4, dtype=getattr(torch, name)).random_())
        _eq(ember.empty(5, dtype=ember.float64).random_(3, 9),
            torch.empty(5, dtype=torch.float64).random_(3, 9))


@pytest.mark.parametrize("hi", [2, 10, 2**28 - 1, 2**28, 2**31, 2**33])
@pytest.mark.parametrize("dtype", ["int64", "float64", "int32"])
def test_randint_ranges(hi, dtype):
    if dtype == "int32" and hi > 2**31:
        return
    _both(17)
    _eq(ember.randint(0, hi, (50,), dtype=getattr(ember, dtype)),
        torch.randint(0, hi, (50,), dtype=getattr(torch, dtype)))
    if 3 < hi <= 2**24:  # float32 holds every integer of the range
        _eq(ember.randint_like(ember.empty(6), 3, hi),
            torch.randint_like(torch.empty(6), 3, hi))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 10, 100, 60000])
def test_randperm(n):
    _both(n)
    _eq(ember.randperm(n), torch.randperm(n))
    g_e = ember.Generator().manual_seed(n + 1)
    g_t = torch.Generator().manual_seed(n + 1)
    _eq(ember.randperm(n, generator=g_e), torch.randperm(n, generator=g_t))
    _eq(ember.rand(3, generator=g_e), torch.rand(3, generator=g_t))


def test_generator_objects_and_defaults():
    # a fresh Generator has torch's default seed 67280421310721 (mt19937 takes its low 32 bits)
    ge, gt = ember.Generator(), torch.Generator()
    assert ge.initial_seed() == gt.initial_seed() == 67280421310721
    _eq(ember.randn(40, generator=ge), torch.randn(40, generator=gt))
    _eq(ember.randn(3, generator=ge), torch.randn(3, generator=gt))
    ember.manual_seed(-1)
    torch.manual_seed(-1)
    assert ember.initial_seed() == torch.initial_seed()
    _eq(ember.rand(4), torch.rand(4))
    s = ember.seed()
    assert ember.initial_seed() == s


@pytest.mark.parametrize("dtype", DTYPES)
def test_bernoulli_and_dropout(dtype):
    _both(31)
    dte, dtt = getattr(ember, dtype), getattr(torch, dtype)
    for p in [0.5, 0.1, 0.9]:
        _eq(ember.empty(37, dtype=dte).bernoulli_(p), torch.empty(37, dtype=dtt).bernoulli_(p))
        probs, probs_e = torch.rand(23, dtype=dtt), ember.rand(23, dtype=dte)
        _eq(probs_e, probs)
        _eq(ember.bernoulli(probs_e), torch.bernoulli(probs))
        _eq(ember.empty(23).bernoulli_(probs_e), torch.empty(23).bernoulli_(probs))
        _eq(ember.bernoulli(probs_e, p), torch.bernoulli(probs, p))
        x = torch.randn(4, 6, dtype=dtt)
        xe = ember.randn(4, 6, dtype=dte)
        _eq(xe, x)
        _eq(ember.nn.functional.dropout(xe, p), torch.nn.functional.dropout(x, p))
        _eq(ember.nn.Dropout(p)(xe), torch.nn.Dropout(p)(x))
        x4 = torch.randn(2, 3, 4, 4, dtype=dtt)
        _eq(ember.nn.functional.dropout2d(ember.randn(2, 3, 4, 4, dtype=dte), p),
            torch.nn.functional.dropout2d(x4, p))
        _eq(ember.nn.functional.alpha_dropout(xe, p, True),
            torch.nn.functional.alpha_dropout(x, p, True))
        _eq(ember.rand(2), torch.rand(2))


@pytest.mark.parametrize("dtype", DTYPES)
def test_other_distributions(dtype):
    _both(8)
    dte, dtt = getattr(ember, dtype), getattr(torch, dtype)
    for n in [1, 16, 50]:
        _eq(ember.empty(n, dtype=dte).exponential_(2.5),
            torch.empty(n, dtype=dtt).exponential_(2.5))
        _eq(ember.empty(n, dtype=dte).geometric_(0.3), torch.empty(n, dtype=dtt).geometric_(0.3))
        _eq(ember.empty(n, dtype=dte).cauchy_(1.0, 2.0),
            torch.empty(n, dtype=dtt).cauchy_(1.0, 2.0))
        _eq(ember.empty(n, dtype=dte).log_normal_(0.5, 0.7),
            torch.empty(n, dtype=dtt).log_normal_(0.5, 0.7))
        _eq(ember.rand(1), torch.rand(1))


@pytest.mark.parametrize("dtype", DTYPES)
def test_multinomial(dtype):
    _both(12)
    dte, dtt = getattr(ember, dtype), getattr(torch, dtype)
    for shape in [(10,), (4, 7), (3, 1000)]:
        w, we = torch.rand(*shape, dtype=dtt), ember.rand(*shape, dtype=dte)
        for n, rep in [(1, False), (1, True), (3, False), (5, True), (40, True)]:
            _eq(ember.multinomial(we, n, rep), torch.multinomial(w, n, rep))
        _eq(ember.rand(2), torch.rand(2))


def test_complex():
    _both(4)
    for n in [3, 8, 20]:
        _eq(ember.rand(n, dtype=ember.complex64), torch.rand(n, dtype=torch.complex64))
        _eq(ember.randn(n, dtype=ember.complex128), torch.randn(n, dtype=torch.complex128))


def test_module_init_matches():
    _both(0)
    pairs = [
        (ember.nn.Linear(784, 512), torch.nn.Linear(784, 512)),
        (ember.nn.Linear(3, 2), torch.nn.Linear(3, 2)),
        (ember.nn.Conv2d(3, 16, 3), torch.nn.Conv2d(3, 16, 3)),
        (ember.nn.Conv1d(4, 5, 2, bias=False), torch.nn.Conv1d(4, 5, 2, bias=False)),
        (ember.nn.Embedding(100, 32), torch.nn.Embedding(100, 32)),
        (ember.nn.Embedding(3, 4), torch.nn.Embedding(3, 4)),
        (ember.nn.LSTM(10, 20, num_layers=2), torch.nn.LSTM(10, 20, num_layers=2)),
        (ember.nn.GRU(6, 7), torch.nn.GRU(6, 7)),
        (ember.nn.LayerNorm(8), torch.nn.LayerNorm(8)),
    ]
    for me, mt in pairs:
        se, st = me.state_dict(), mt.state_dict()
        assert list(se) == list(st)
        for k in st:
            _eq(se[k], st[k])
    w = torch.empty(30, 40)
    we = ember.empty(30, 40)
    for name, kw in [("xavier_uniform_", {}), ("xavier_normal_", {}),
                     ("kaiming_uniform_", {"a": 0.1}), ("kaiming_normal_", {}),
                     ("normal_", {"std": 0.02}), ("uniform_", {"a": -0.5, "b": 0.5}),
                     ("trunc_normal_", {"std": 0.02})]:
        _eq(getattr(ember.nn.init, name)(we, **kw), getattr(torch.nn.init, name)(w, **kw))


def test_dataloader_shuffle_and_random_split():
    from torch.utils.data import DataLoader as TL
    from torch.utils.data import TensorDataset as TD
    from torch.utils.data import random_split as tsplit

    from ember.utils.data import DataLoader as EL
    from ember.utils.data import TensorDataset as ED
    from ember.utils.data import random_split as esplit

    _both(5)
    le = EL(ED(ember.arange(103)), batch_size=10, shuffle=True)
    lt = TL(TD(torch.arange(103)), batch_size=10, shuffle=True)
    for _ in range(3):
        assert [b[0].tolist() for b in le] == [b[0].tolist() for b in lt]
        _eq(ember.randn(2), torch.randn(2))
    se = esplit(range(30), [0.5, 0.3, 0.2])
    st = tsplit(range(30), [0.5, 0.3, 0.2])
    assert [list(s) for s in se] == [list(s) for s in st]
    se = esplit(range(10), [4, 6], generator=ember.Generator().manual_seed(1))
    st = tsplit(range(10), [4, 6], generator=torch.Generator().manual_seed(1))
    assert [list(s) for s in se] == [list(s) for s in st]
    from torch.utils.data import RandomSampler as TR

    from ember.utils.data import RandomSampler as ER

    _both(6)
    assert list(ER(range(50), replacement=True, num_samples=70)) == list(
        TR(range(50), replacement=True, num_samples=70))


def test_rng_state_layout_and_round_trip():
    _both(77)
    st_t = torch.get_rng_state()
    st_e = ember.get_rng_state()
    assert st_e.dtype == ember.uint8 and tuple(st_e.shape) == (5056,)
    np.testing.assert_array_equal(st_e.cpu().numpy(), st_t.cpu().numpy())  # fresh seed: next = 0
    _eq(ember.randn(3), torch.randn(3))  # leaves a cached normal
    np.testing.assert_array_equal(ember.get_rng_state().cpu().numpy(), torch.get_rng_state().cpu().numpy())
    # a torch state restores in ember and an ember state in torch
    saved = torch.get_rng_state()
    a = torch.randn(7)
    ember.set_rng_state(ember.tensor(saved.cpu().numpy()))
    _eq(ember.randn(7), a)
    ember.manual_seed(3)
    ember.rand(700)
    torch.set_rng_state(torch.from_numpy(ember.get_rng_state().cpu().numpy()))
    _eq(ember.randn(5), torch.randn(5))
    _eq(ember.rand(1000), torch.rand(1000))
    # generator objects too
    ge = ember.Generator().manual_seed(4)
    ember.rand(10, generator=ge)
    st = ge.get_state()
    x = ember.randn(9, generator=ge)
    ge.set_state(st)
    _eq(ember.randn(9, generator=ge), torch.from_numpy(x.cpu().numpy()))
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056"):
        ember.set_rng_state(ember.zeros(10, dtype=ember.uint8))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ember.random.fork_rng():
            ember.rand(5)
        torch.manual_seed(77)
        ember.manual_seed(77)
        with ember.random.fork_rng():
            ember.rand(5)
        _eq(ember.rand(3), torch.rand(3))
