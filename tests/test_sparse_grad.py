"""Sparse gradients as word2vec / recommender programs use them: Embedding(sparse=True) and
EmbeddingBag(sparse=True) give a sparse COO `.grad`; accumulation, zero_grad, dense + sparse;
SGD, SparseAdam and Adagrad update from it, the other optimizers refuse it; clip_grad.

Every test runs the same code with real torch and with ember and compares the two: torch is
the specification."""

import warnings

import numpy as np
import pytest
import torch

import ember

MODS = (torch, ember)

# torch warns about its sparse invariant checks on every sparse constructor
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _np(t):
    # (a copy: torch cannot grow a sparse gradient whose storage NumPy has seen)
    return t.detach().clone().numpy()


def _sparse_summary(g):
    """What a sparse gradient shows: layout flags, raw entries, coalesced entries, dense."""
    c = g.coalesce()
    return {
        "is_sparse": g.is_sparse,
        "layout": str(g.layout),
        "coalesced": g.is_coalesced(),
        "shape": tuple(g.shape),
        "raw_indices": _np(g._indices()).tolist(),
        "raw_values": _np(g._values()),
        "indices": _np(c.indices()).tolist(),
        "values": _np(c.values()),
        "dense": _np(g.to_dense()),
        "repr": repr(c),
    }


def _assert_same(a, b, atol=1e-6):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _assert_same(a[k], b[k], atol)
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same(x, y, atol)
    elif isinstance(a, np.ndarray):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=atol)
    else:
        assert b == a


def _both(fn, atol=1e-6):
    expected = fn(torch)
    got = fn(ember)
    _assert_same(expected, got, atol)
    return got


# ---------------------------------------------------------------- the gradient itself
def _emb_padding(m):
    m.manual_seed(0)
    emb = m.nn.Embedding(6, 3, sparse=True, padding_idx=2)
    (emb(m.tensor([[1, 2, 4], [4, 0, 1]])) * m.arange(3.0)).sum().backward()
    return _sparse_summary(emb.weight.grad)


def _emb_plain_sum(m):
    m.manual_seed(0)
    emb = m.nn.Embedding(5, 2, sparse=True)
    emb(m.tensor([3, 0, 0, 4])).sum().backward()
    return _sparse_summary(emb.weight.grad)


def _functional(m):
    m.manual_seed(1)
    w = m.randn(5, 4, requires_grad=True)
    out = m.nn.functional.embedding(m.tensor([[0, 0], [3, 1]]), w, sparse=True)
    (out ** 2).sum().backward()
    return _sparse_summary(w.grad)


def _functional_padding_only(m):
    w = m.randn(5, 2, requires_grad=True)
    m.nn.functional.embedding(m.tensor([1, 1]), w, padding_idx=1, sparse=True).sum().backward()
    return _sparse_summary(w.grad)


def _torch_embedding(m):
    m.manual_seed(2)
    w = m.randn(4, 3, dtype=m.float64, requires_grad=True)
    (m.embedding(w, m.tensor([[0, 3], [3, 3]]), sparse=True) * 3).sum().backward()
    return _sparse_summary(w.grad)


def _bag(mode, padding_idx=None, psw=False):
    def run(m):
        m.manual_seed(0)
        bag = m.nn.EmbeddingBag(6, 2, mode=mode, sparse=True, padding_idx=padding_idx)
        x = m.tensor([1, 2, 4, 5, 4, 3, 2])
        w = m.arange(1.0, 8.0) if psw else None
        bag(x, m.tensor([0, 2, 4]), per_sample_weights=w).pow(2).sum().backward()
        return _sparse_summary(bag.weight.grad)

    return run


@pytest.mark.parametrize("case", [
    _emb_padding, _emb_plain_sum, _functional, _functional_padding_only, _torch_embedding,
    _bag("sum"), _bag("mean"), _bag("sum", padding_idx=2, psw=True), _bag("mean", padding_idx=4),
], ids=lambda f: getattr(f, "__qualname__", "case"))
def test_sparse_embedding_grad_matches_torch(case):
    _both(case)


def test_grad_fn_and_dense_gradient_of_other_inputs_unchanged():
    def run(m):
        m.manual_seed(0)
        emb = m.nn.Embedding(5, 3, sparse=True)
        lin = m.nn.Linear(3, 1)
        out = emb(m.tensor([1, 2, 1]))
        name = type(out.grad_fn).__name__
        lin(out).sum().backward()
        return name, lin.weight.grad.layout == m.strided, _np(lin.weight.grad), \
            _sparse_summary(emb.weight.grad)

    _both(run)


def test_errors_of_sparse_embeddings():
    def run(m):
        out = []
        w = m.randn(5, 2, requires_grad=True)
        y = m.nn.functional.embedding(m.tensor([1, 1]), w, scale_grad_by_freq=True,
                                      sparse=True)
        for fn in (lambda: y.sum().backward(),
                   lambda: m.nn.EmbeddingBag(6, 2, mode="max", sparse=True)(
                       m.tensor([[1, 2]]))):
            with pytest.raises(Exception) as info:
                fn()
            out.append((info.type.__name__, str(info.value)))
        return out

    _both(run)


# ---------------------------------------------------------------- accumulation and zeroing
def test_accumulation_over_backward_calls():
    """torch adds a new sparse gradient in place: an ordered merge when its values are
    contiguous ((x * 2).sum()), a concatenation when they are not (x.sum()'s expanded
    gradient); a dense gradient turns `.grad` dense."""
    def run(m):
        F = m.nn.functional
        w = m.randn(5, 2, requires_grad=True)
        seen = []
        F.embedding(m.tensor([0, 0, 3]), w, sparse=True).sum().backward()
        g = w.grad
        for idx in ([3, 0, 0], [4, 1]):
            (F.embedding(m.tensor(idx), w, sparse=True) * 2).sum().backward()
            seen.append(_sparse_summary(w.grad))
        F.embedding(m.tensor([2, 0]), w, sparse=True).sum().backward()
        seen.append(_sparse_summary(w.grad))
        seen.append(w.grad is g)
        c = w.grad.coalesce()
        seen.append((c.is_coalesced(), _np(c.indices()).tolist(), _np(c.values())))
        w.sum().backward()
        seen.append((w.grad.is_sparse, _np(w.grad)))
        F.embedding(m.tensor([1, 1]), w, sparse=True).sum().backward()
        seen.append((w.grad.is_sparse, _np(w.grad)))
        return seen

    _both(run)


def test_two_lookups_in_one_backward():
    def run(m):
        F = m.nn.functional
        w = m.randn(5, 2, requires_grad=True)
        (F.embedding(m.tensor([0, 0, 3]), w, sparse=True).sum()
         + F.embedding(m.tensor([1]), w, sparse=True).sum()).backward()
        first = _sparse_summary(w.grad)
        w.grad = None
        (F.embedding(m.tensor([0, 0, 3]), w, sparse=True).sum() + w.sum()).backward()
        return first, w.grad.is_sparse, _np(w.grad)

    _both(run)


def test_zero_grad_retain_grad_autograd_grad_and_hooks():
    def run(m):
        m.manual_seed(0)
        emb = m.nn.Embedding(6, 2, sparse=True)
        opt = m.optim.SGD(emb.parameters(), lr=0.1)
        out = []
        emb(m.tensor([1, 4])).sum().backward()
        emb.zero_grad(set_to_none=False)
        out.append(_sparse_summary(emb.weight.grad))
        emb(m.tensor([5, 3])).sum().backward()
        out.append(_sparse_summary(emb.weight.grad))
        opt.zero_grad(set_to_none=False)
        out.append(_sparse_summary(emb.weight.grad))
        opt.zero_grad()
        out.append(emb.weight.grad is None)
        emb(m.tensor([2])).sum().backward()
        emb.zero_grad()
        out.append(emb.weight.grad is None)
        # retain_grad on the looked-up rows (a dense non-leaf)
        y = emb(m.tensor([1, 2]))
        y.retain_grad()
        (y * 3).sum().backward()
        out.append((_np(y.grad), _sparse_summary(emb.weight.grad)))
        # autograd.grad returns the sparse gradient
        (g,) = m.autograd.grad(emb(m.tensor([1, 2, 1])).sum(), [emb.weight])
        out.append(_sparse_summary(g))
        # a tensor hook sees the sparse gradient and may replace it
        emb.weight.grad = None
        seen = []
        h = emb.weight.register_hook(lambda g: seen.append((g.is_sparse, _np(g._indices()))))
        emb(m.tensor([4, 2])).sum().backward()
        h.remove()
        h = emb.weight.register_hook(lambda g: g * 2)
        emb(m.tensor([4, 2])).sum().backward()
        h.remove()
        out.append((seen[0][0], seen[0][1].tolist(), _sparse_summary(emb.weight.grad)))
        # assigning a sparse gradient
        emb.weight.grad = m.sparse_coo_tensor([[0]], m.ones(1, 2), (6, 2))
        out.append(_sparse_summary(emb.weight.grad))
        return out

    _both(run)


def test_dense_plus_sparse_and_sparse_times_scalar():
    def run(m):
        m.manual_seed(3)
        w = m.randn(6, 3, requires_grad=True)
        m.nn.functional.embedding(m.tensor([5, 1, 5, 0]), w, sparse=True).mul(
            m.randn(4, 3)).sum().backward()
        g = w.grad
        d = m.randn(6, 3)
        out = [_np(d + g), _np(m.add(d, g, alpha=0.3)), _np(d - g), _np(d.clone().sub_(g))]
        e = d.clone()
        r = e.add_(g, alpha=-0.7)
        out.append((r is e, _np(e)))
        out.append(_sparse_summary(g * 2.5))
        out.append(_sparse_summary(g + g))
        with pytest.raises(RuntimeError) as info:
            g + d
        out.append(str(info.value))
        return out

    _both(run)


def test_dense_add_sparse_rounds_as_torch():
    """torch adds alpha * value with one fused multiply-add per entry, duplicates in turn;
    ember must give the same float32 bits, not only close ones."""
    rng = np.random.default_rng(0)
    base = rng.standard_normal((50, 8)).astype(np.float32)
    vals = rng.standard_normal((300, 8)).astype(np.float32)
    rows = rng.integers(0, 50, 300)
    res = []
    for m in MODS:
        s = m.sparse_coo_tensor(m.tensor(rows[None]), m.tensor(vals), (50, 8))
        d = m.tensor(base)
        d.add_(s, alpha=-0.1)
        res.append(_np(d))
    np.testing.assert_array_equal(res[1], res[0])


# ---------------------------------------------------------------- optimizers
def _steps(name, steps=12, **kw):
    def run(m):
        F = m.nn.functional
        m.manual_seed(0)
        w = m.nn.Parameter(m.randn(7, 3))
        opt = getattr(m.optim, name)([w], **kw)
        trace = []
        scale = m.arange(1.0, 4.0)
        for s in range(steps):
            opt.zero_grad()
            idx = m.tensor([[3, 0, 0, 5], [1, 3, 6, 0]][s % 2])
            (F.embedding(idx, w, sparse=True) ** 2 * scale).sum().backward()
            opt.step()
            trace.append(_np(w).copy())
        state = sorted((k, str(v.layout) if hasattr(v, "layout") else v)
                       for k, v in opt.state[w].items())
        return trace, state

    return run


@pytest.mark.parametrize("name,kw", [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, maximize=True)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1)),
    ("SparseAdam", dict(lr=0.1)),
    ("SparseAdam", dict(lr=0.01, betas=(0.8, 0.9), maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.1, initial_accumulator_value=0.5)),
    ("Adagrad", dict(lr=0.1, maximize=True)),
])
def test_optimizer_steps_with_sparse_gradients(name, kw):
    _both(_steps(name, **kw), atol=1e-5)


@pytest.mark.parametrize("name,kw", [
    ("Adam", {}), ("Adam", dict(foreach=True)), ("AdamW", {}), ("RMSprop", {}),
    ("Adadelta", {}), ("Adamax", {}), ("NAdam", {}), ("RAdam", {}), ("ASGD", {}),
    ("Rprop", {}), ("Adafactor", {}), ("Muon", {}),
    ("SGD", dict(weight_decay=0.1)), ("Adagrad", dict(weight_decay=0.1)),
])
def test_optimizers_that_refuse_sparse_gradients(name, kw):
    def run(m):
        m.manual_seed(0)
        w = m.nn.Parameter(m.randn(5, 2))
        before = _np(w).copy()
        m.nn.functional.embedding(m.tensor([3, 0]), w, sparse=True).sum().backward()
        opt = getattr(m.optim, name)([w], lr=0.1, **kw)
        with pytest.raises(Exception) as info:
            opt.step()
        return info.type.__name__, str(info.value), np.array_equal(_np(w), before)

    _both(run)


def test_sparse_adam_refuses_dense_gradients():
    def run(m):
        w = m.nn.Parameter(m.randn(5, 2))
        (w * 2).sum().backward()
        with pytest.raises(Exception) as info:
            m.optim.SparseAdam([w]).step()
        return info.type.__name__, str(info.value)

    _both(run)


# ---------------------------------------------------------------- clipping
@pytest.mark.parametrize("call", [
    lambda m, ps: m.nn.utils.clip_grad_norm_(ps, 1.0),
    lambda m, ps: m.nn.utils.clip_grad_norm_(ps, 1.0, norm_type="inf"),
    lambda m, ps: m.nn.utils.clip_grad_norm_(ps, 1.0, foreach=False),
    lambda m, ps: m.nn.utils.get_total_norm([p.grad for p in ps]),
    lambda m, ps: m.nn.utils.clip_grad_value_(ps, 0.5),
    lambda m, ps: m.nn.utils.clip_grad_value_(ps, 0.5, foreach=False),
])
def test_clip_grad_with_a_sparse_gradient(call):
    def run(m):
        w = m.nn.Parameter(m.randn(5, 2))
        m.nn.functional.embedding(m.tensor([3, 0, 0]), w, sparse=True).sum().backward()
        with pytest.raises(Exception) as info:
            call(m, [w])
        # torch's message goes on with the list of its dispatch backends
        return info.type.__name__, str(info.value).split(" This could be")[0]

    _both(run)


# ---------------------------------------------------------------- end to end
def _word2vec(m, make_opt, steps=30):
    """Skip-gram with negative sampling on a tiny corpus, sparse embeddings."""
    F = m.nn.functional
    words = ("the king rules the kingdom . the queen rules the kingdom . a dog chases the "
             "cat . the cat chases a mouse .").split()
    vocab = sorted(set(words))
    ids = m.tensor([vocab.index(w) for w in words])
    pairs = m.tensor([(ids[i].item(), ids[j].item()) for i in range(len(words))
                      for j in range(max(0, i - 2), min(len(words), i + 3)) if j != i])
    noise = m.bincount(ids, minlength=len(vocab)).float().pow(0.75)
    m.manual_seed(11)
    inp = m.nn.Embedding(len(vocab), 8, sparse=True)
    out = m.nn.Embedding(len(vocab), 8, sparse=True)
    m.nn.init.uniform_(inp.weight, -0.5, 0.5)
    opt = make_opt(m, list(inp.parameters()) + list(out.parameters()))
    losses = []
    for _ in range(steps):
        b = pairs[m.randint(0, len(pairs), (16,))]
        neg = m.multinomial(noise, 16 * 3, replacement=True).view(16, 3)
        v = inp(b[:, 0])
        pos = F.logsigmoid((v * out(b[:, 1])).sum(-1))
        negs = F.logsigmoid(-m.bmm(out(neg), v.unsqueeze(2)).squeeze(2)).sum(-1)
        loss = -(pos + negs).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return np.array(losses), _np(inp.weight), _np(out.weight)


@pytest.mark.parametrize("make_opt", [
    lambda m, ps: m.optim.SparseAdam(ps, lr=0.05),
    lambda m, ps: m.optim.SGD(ps, lr=0.5),
    lambda m, ps: m.optim.SGD(ps, lr=0.2, momentum=0.9),
    lambda m, ps: m.optim.Adagrad(ps, lr=0.3),
], ids=["SparseAdam", "SGD", "SGD-momentum", "Adagrad"])
def test_word2vec_with_sparse_embeddings_trains_as_torch(make_opt):
    expected = _word2vec(torch, make_opt)
    got = _word2vec(ember, make_opt)
    # the losses change: the test would notice an update that did nothing
    assert abs(expected[0][-1] - expected[0][0]) > 1e-3
    for a, b in zip(expected, got):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-5)


def test_dense_embedding_still_has_a_dense_gradient():
    def run(m):
        m.manual_seed(0)
        emb = m.nn.Embedding(5, 2)
        emb(m.tensor([1, 1, 3])).sum().backward()
        return emb.weight.grad.is_sparse, str(emb.weight.grad.layout), _np(emb.weight.grad)

    with warnings.catch_warnings():
        _both(run)
