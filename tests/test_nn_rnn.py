"""RNN, LSTM, GRU, their cells and nn.utils.rnn against torch 2.13.0.

Each test builds the torch module, copies its state_dict into the ember module, runs the same
inputs on both and compares outputs, final states and the gradients of the input, of the
initial states and of every parameter (with a random upstream gradient).
"""

import math
import warnings

import numpy as np
import pytest
import torch
from torch.nn.utils import rnn as trnn

import ember
import ember.nn as nn
from ember.nn.utils import rnn as ernn

TOL = {torch.float32: dict(rtol=1e-5, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-10)}


def to_ember(t, requires_grad=False):
    e = ember.tensor(t.detach().cpu().numpy())
    return e.requires_grad_() if requires_grad else e


def close(e, t, dtype=torch.float32):
    assert e is not None and t is not None
    assert tuple(e.shape) == tuple(t.shape)
    np.testing.assert_allclose(e.detach().cpu().numpy(), t.detach().cpu().numpy(), **TOL[dtype])


def twin(cls_name, *args, dtype=torch.float32, **kwargs):
    """The torch module and an ember copy with the same weights."""
    tm = getattr(torch.nn, cls_name)(*args, **kwargs).to(dtype)
    em = getattr(nn, cls_name)(*args, **kwargs).to(ember.float64 if dtype == torch.float64
                                                    else ember.float32)
    assert list(em.state_dict()) == list(tm.state_dict())
    em.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    return tm, em


def flat(out):
    """Output tensors of a module call, in order: (out, h) / (out, (h, c)) / h / (h, c)."""
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in flat(o)]
    if isinstance(out, (trnn.PackedSequence, ernn.PackedSequence)):
        return [out.data]
    return [out]


def run_both(tm, em, t_inputs, dtype):
    """Calls both modules, compares outputs, then backward of a random projection and grads."""
    e_inputs = [_to_ember_arg(a) for a in t_inputs]
    t_out = flat(tm(*t_inputs))
    e_out = flat(em(*e_inputs))
    assert len(t_out) == len(e_out)
    for e, t in zip(e_out, t_out):
        close(e, t, dtype)
    gen = torch.Generator().manual_seed(1)
    gs = [torch.randn(t.shape, generator=gen, dtype=dtype, device="cpu").to(torch.get_default_device()) for t in t_out]
    sum(((t * g).sum() for t, g in zip(t_out, gs))).backward()
    sum(((e * to_ember(g)).sum() for e, g in zip(e_out, gs))).backward()
    for ea, ta in zip(_leaves(e_inputs), _leaves(t_inputs)):
        if ta.requires_grad:
            close(ea.grad, ta.grad, dtype)
    for (name, ep), (_, tp) in zip(em.named_parameters(), tm.named_parameters()):
        assert tp.grad is not None, name
        close(ep.grad, tp.grad, dtype)


def _to_ember_arg(a):
    if a is None:
        return None
    if isinstance(a, tuple):
        return tuple(_to_ember_arg(x) for x in a)
    return to_ember(a, a.requires_grad)


def _leaves(args):
    out = []
    for a in args:
        if isinstance(a, tuple):
            out.extend(_leaves(a))
        elif a is not None:
            out.append(a)
    return out


def randn(*shape, dtype=torch.float32, grad=True, seed=0):
    g = torch.Generator().manual_seed(seed + sum(shape))
    return torch.randn(*shape, generator=g, dtype=dtype, device="cpu").to(torch.get_default_device()).requires_grad_(grad)


CONFIGS = [
    dict(),
    dict(num_layers=2),
    dict(bidirectional=True),
    dict(num_layers=2, bidirectional=True, batch_first=True),
    dict(bias=False, batch_first=True),
    dict(num_layers=3, bidirectional=True, bias=False),
]
MODES = ["RNN", "LSTM", "GRU"]


def _state(mode, kwargs, batch, hidden, dtype, unbatched=False, proj=0):
    layers = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)
    shape_h = (layers, proj or hidden) if unbatched else (layers, batch, proj or hidden)
    shape_c = (layers, hidden) if unbatched else (layers, batch, hidden)
    h = randn(*shape_h, dtype=dtype, seed=5)
    if mode == "LSTM":
        return (h, randn(*shape_c, dtype=dtype, seed=6))
    return h


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("kwargs", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("with_state", [False, True], ids=["nohx", "hx"])
def test_rnn_matches_torch(mode, kwargs, dtype, with_state):
    tm, em = twin(mode, 4, 5, dtype=dtype, **kwargs)
    shape = (3, 6, 4) if kwargs.get("batch_first") else (6, 3, 4)
    x = randn(*shape, dtype=dtype)
    args = [x]
    if with_state:
        args.append(_state(mode, kwargs, 3, 5, dtype))
    run_both(tm, em, args, dtype)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("batch_first", [False, True])
def test_rnn_unbatched(mode, batch_first):
    kwargs = dict(num_layers=2, bidirectional=True, batch_first=batch_first)
    tm, em = twin(mode, 4, 5, **kwargs)
    run_both(tm, em, [randn(6, 4)], torch.float32)
    run_both(tm, em, [randn(6, 4), _state(mode, kwargs, 1, 5, torch.float32, True)],
             torch.float32)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("kwargs", [dict(), dict(num_layers=2, bidirectional=True),
                                    dict(batch_first=True, bias=False)])
def test_lstm_proj_size(kwargs, dtype):
    tm, em = twin("LSTM", 4, 6, proj_size=3, dtype=dtype, **kwargs)
    shape = (2, 5, 4) if kwargs.get("batch_first") else (5, 2, 4)
    run_both(tm, em, [randn(*shape, dtype=dtype)], dtype)
    state = _state("LSTM", kwargs, 2, 6, dtype, proj=3)
    run_both(tm, em, [randn(*shape, dtype=dtype), state], dtype)


def test_relu_nonlinearity():
    tm, em = twin("RNN", 4, 5, 2, "relu")
    assert em.nonlinearity == "relu" and em.mode == "RNN_RELU"
    run_both(tm, em, [randn(6, 3, 4)], torch.float32)
    tm, em = twin("RNN", 4, 5, nonlinearity="relu", bidirectional=True)
    run_both(tm, em, [randn(6, 3, 4)], torch.float32)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("enforce_sorted", [True, False])
@pytest.mark.parametrize("with_state", [False, True], ids=["nohx", "hx"])
def test_packed_sequence_matches_torch(mode, enforce_sorted, with_state):
    kwargs = dict(num_layers=2, bidirectional=True, batch_first=True)
    tm, em = twin(mode, 4, 5, **kwargs)
    lengths = [6, 4, 4, 1] if enforce_sorted else [3, 6, 1, 4]
    x = randn(4, 6, 4)
    xe = to_ember(x, True)
    tp = trnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=enforce_sorted)
    ep = ernn.pack_padded_sequence(xe, lengths, batch_first=True,
                                   enforce_sorted=enforce_sorted)
    assert ep.batch_sizes.tolist() == tp.batch_sizes.tolist()
    assert ep.batch_sizes.dtype == ember.int64
    close(ep.data, tp.data)
    hx = _state(mode, kwargs, 4, 5, torch.float32) if with_state else None
    t_args = [tp] + ([hx] if with_state else [])
    e_args = [ep] + ([_to_ember_arg(hx)] if with_state else [])
    t_out, t_h = tm(*t_args)
    e_out, e_h = em(*e_args)
    assert isinstance(e_out, ernn.PackedSequence)
    t_pad, t_len = trnn.pad_packed_sequence(t_out, batch_first=True, total_length=7)
    e_pad, e_len = ernn.pad_packed_sequence(e_out, batch_first=True, total_length=7)
    assert e_len.tolist() == t_len.tolist()
    close(e_pad, t_pad)
    t_all = [t_pad] + flat(t_h)
    e_all = [e_pad] + flat(e_h)
    for e, t in zip(e_all, t_all):
        close(e, t)
    gs = [torch.randn(t.shape) for t in t_all]
    sum((t * g).sum() for t, g in zip(t_all, gs)).backward()
    sum((e * to_ember(g)).sum() for e, g in zip(e_all, gs)).backward()
    close(xe.grad, x.grad)
    for ep_, tp_ in zip(em.parameters(), tm.parameters()):
        close(ep_.grad, tp_.grad)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("cell,kwargs", [("RNNCell", {}), ("RNNCell", dict(nonlinearity="relu")),
                                         ("RNNCell", dict(bias=False)), ("LSTMCell", {}),
                                         ("LSTMCell", dict(bias=False)), ("GRUCell", {}),
                                         ("GRUCell", dict(bias=False))])
def test_cells_match_torch(cell, kwargs, dtype):
    tm, em = twin(cell, 4, 5, dtype=dtype, **kwargs)
    lstm = cell == "LSTMCell"
    run_both(tm, em, [randn(3, 4, dtype=dtype)], dtype)
    h = (randn(3, 5, dtype=dtype, seed=1), randn(3, 5, dtype=dtype, seed=2)) if lstm else \
        randn(3, 5, dtype=dtype, seed=1)
    run_both(tm, em, [randn(3, 4, dtype=dtype), h], dtype)
    # unbatched
    h1 = (randn(5, dtype=dtype, seed=1), randn(5, dtype=dtype, seed=2)) if lstm else \
        randn(5, dtype=dtype, seed=1)
    run_both(tm, em, [randn(4, dtype=dtype), h1], dtype)
    run_both(tm, em, [randn(4, dtype=dtype)], dtype)


def test_cell_loop_equals_layer():
    # an LSTMCell stepped by hand computes what a one-layer LSTM computes
    cell = nn.LSTMCell(3, 4)
    lstm = nn.LSTM(3, 4)
    lstm.load_state_dict({k + "_l0": v for k, v in cell.state_dict().items()})
    x = ember.randn(5, 2, 3)
    h = c = ember.zeros(2, 4)
    outs = []
    for t in range(5):
        h, c = cell(x[t], (h, c))
        outs.append(h)
    out, (hn, cn) = lstm(x)
    np.testing.assert_allclose(ember.stack(outs).detach().cpu().numpy(), out.detach().cpu().numpy(), atol=1e-6)
    np.testing.assert_allclose(cn[0].detach().cpu().numpy(), c.detach().cpu().numpy(), atol=1e-6)


# ---------------------------------------------------------------- structure and init
@pytest.mark.parametrize("mode,kwargs", [
    ("RNN", dict(num_layers=2, bidirectional=True)),
    ("RNN", dict(nonlinearity="relu", bias=False, batch_first=True)),
    ("LSTM", dict(num_layers=2, bidirectional=True, proj_size=3)),
    ("LSTM", dict(bias=False, proj_size=2, dropout=0.5, num_layers=2)),
    ("GRU", dict(num_layers=3, bidirectional=True, dropout=0.2)),
])
def test_state_dict_shapes_and_repr(mode, kwargs):
    tm = getattr(torch.nn, mode)(4, 5, **kwargs)
    em = getattr(nn, mode)(4, 5, **kwargs)
    t_sd = tm.state_dict()
    e_sd = em.state_dict()
    assert list(e_sd) == list(t_sd)
    for k in t_sd:
        assert tuple(e_sd[k].shape) == tuple(t_sd[k].shape), k
    assert repr(em) == repr(tm)
    assert em._flat_weights_names == tm._flat_weights_names
    assert em._all_weights == tm._all_weights
    assert [tuple(w.shape) for w in em._flat_weights] == \
        [tuple(w.shape) for w in tm._flat_weights]


@pytest.mark.parametrize("cell", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cell_state_dict_and_repr(cell):
    for kwargs in (dict(), dict(bias=False)):
        tm = getattr(torch.nn, cell)(4, 5, **kwargs)
        em = getattr(nn, cell)(4, 5, **kwargs)
        assert list(em.state_dict()) == list(tm.state_dict())
        assert repr(em) == repr(tm)
    assert repr(nn.RNNCell(3, 2, nonlinearity="relu")) == \
        repr(torch.nn.RNNCell(3, 2, nonlinearity="relu"))


@pytest.mark.parametrize("mode", MODES + ["LSTMCell"])
def test_init_uniform_bound(mode):
    ember.manual_seed(0)
    m = getattr(nn, mode)(20, 16)
    bound = 1 / math.sqrt(16)
    values = np.concatenate([p.detach().cpu().numpy().ravel() for p in m.parameters()])
    assert np.all(np.abs(values) <= bound)
    # spread over the whole interval, as U(-bound, bound)
    assert values.min() < -0.9 * bound and values.max() > 0.9 * bound
    assert abs(values.mean()) < 0.05 * bound


def test_double_converts_and_runs():
    tm, em = twin("GRU", 3, 4, dtype=torch.float64)
    assert em.weight_ih_l0.dtype == ember.float64
    run_both(tm, em, [randn(5, 2, 3, dtype=torch.float64)], torch.float64)


# ---------------------------------------------------------------- dropout and training
def test_dropout_between_layers():
    ember.manual_seed(0)
    m = nn.LSTM(4, 8, num_layers=3, dropout=0.5)
    x = ember.randn(5, 2, 4)
    m.train()
    a = m(x)[0].detach().cpu().numpy()
    b = m(x)[0].detach().cpu().numpy()
    assert not np.allclose(a, b)
    m.eval()
    c = m(x)[0].detach().cpu().numpy()
    d = m(x)[0].detach().cpu().numpy()
    np.testing.assert_array_equal(c, d)
    # eval with dropout > 0 equals torch (dropout is off)
    tm = torch.nn.LSTM(4, 8, num_layers=3, dropout=0.5).eval()
    m.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    xt = torch.tensor(x.cpu().numpy())
    close(m(x)[0], tm(xt)[0])


def test_dropout_single_layer_warns():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1, "
                      "but got dropout=0.3 and num_layers=1"):
        nn.GRU(3, 4, dropout=0.3)


def test_higher_order_gradient():
    tm, em = twin("LSTM", 3, 4, dtype=torch.float64)
    x = randn(4, 2, 3, dtype=torch.float64)
    xe = to_ember(x, True)
    (gt,) = torch.autograd.grad(tm(x)[0].pow(2).sum(), x, create_graph=True)
    (ge,) = ember.autograd.grad(em(xe)[0].pow(2).sum(), xe, create_graph=True)
    close(ge, gt, torch.float64)
    gt.pow(2).sum().backward()
    ge.pow(2).sum().backward()
    close(em.weight_hh_l0.grad, tm.weight_hh_l0.grad, torch.float64)


def test_zero_batch():
    tm, em = twin("GRU", 3, 4)
    t_out, t_h = tm(torch.randn(5, 0, 3))
    e_out, e_h = em(ember.randn(5, 0, 3))
    assert tuple(e_out.shape) == tuple(t_out.shape) and tuple(e_h.shape) == tuple(t_h.shape)


# ---------------------------------------------------------------- errors
def _same_error(t_fn, e_fn):
    with pytest.raises(Exception) as ti:
        t_fn()
    with pytest.raises(type(ti.value)) as ei:
        e_fn()
    assert str(ei.value) == str(ti.value)


@pytest.mark.parametrize("mode", MODES)
def test_forward_errors(mode):
    tm, em = twin(mode, 10, 20)
    T = torch.randn
    E = ember.randn
    _same_error(lambda: tm(T(5, 3, 7)), lambda: em(E(5, 3, 7)))
    _same_error(lambda: tm(T(5, 3, 10, 1)), lambda: em(E(5, 3, 10, 1)))
    _same_error(lambda: tm(T(5, 3, 10).double()), lambda: em(E(5, 3, 10).double()))
    _same_error(lambda: tm(T(0, 3, 10)), lambda: em(E(0, 3, 10)))
    if mode == "LSTM":
        _same_error(lambda: tm(T(5, 3, 10), (T(1, 4, 20), T(1, 3, 20))),
                    lambda: em(E(5, 3, 10), (E(1, 4, 20), E(1, 3, 20))))
        _same_error(lambda: tm(T(5, 3, 10), (T(1, 3, 20), T(1, 3, 21))),
                    lambda: em(E(5, 3, 10), (E(1, 3, 20), E(1, 3, 21))))
        _same_error(lambda: tm(T(5, 3, 10), (T(3, 20), T(3, 20))),
                    lambda: em(E(5, 3, 10), (E(3, 20), E(3, 20))))
        _same_error(lambda: tm(T(5, 10), (T(1, 1, 20), T(1, 20))),
                    lambda: em(E(5, 10), (E(1, 1, 20), E(1, 20))))
    else:
        _same_error(lambda: tm(T(5, 3, 10), T(2, 3, 20)), lambda: em(E(5, 3, 10), E(2, 3, 20)))
        _same_error(lambda: tm(T(5, 3, 10), T(3, 20)), lambda: em(E(5, 3, 10), E(3, 20)))
        _same_error(lambda: tm(T(5, 10), T(1, 1, 20)), lambda: em(E(5, 10), E(1, 1, 20)))


@pytest.mark.parametrize("cell", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cell_errors(cell):
    tm, em = twin(cell, 10, 20)
    T = torch.randn
    E = ember.randn
    lstm = cell == "LSTMCell"

    def hid(fn, b, h):
        return (fn(b, h), fn(b, 20)) if lstm else fn(b, h)

    _same_error(lambda: tm(T(3, 5)), lambda: em(E(3, 5)))
    _same_error(lambda: tm(T(3, 10), hid(T, 3, 7)), lambda: em(E(3, 10), hid(E, 3, 7)))
    _same_error(lambda: tm(T(3, 10), hid(T, 4, 20)), lambda: em(E(3, 10), hid(E, 4, 20)))
    _same_error(lambda: tm(T(2, 3, 10)), lambda: em(E(2, 3, 10)))
    if lstm:
        _same_error(lambda: tm(T(3, 10), (T(3, 20), T(3, 7))),
                    lambda: em(E(3, 10), (E(3, 20), E(3, 7))))
        _same_error(lambda: tm(T(3, 10), (T(3, 20), T(1, 3, 20))),
                    lambda: em(E(3, 10), (E(3, 20), E(1, 3, 20))))
    else:
        _same_error(lambda: tm(T(3, 10), T(1, 3, 20)), lambda: em(E(3, 10), E(1, 3, 20)))


def test_constructor_errors():
    cases = [
        ("RNN", (3, 4), dict(nonlinearity="sigmoid")),
        ("RNN", (3, 4), dict(proj_size=2)),
        ("GRU", (3, 4), dict(proj_size=2)),
        ("LSTM", (3, 4), dict(proj_size=4)),
        ("LSTM", (3, 4), dict(proj_size=-1)),
        ("LSTM", (3, 4), dict(dropout=1.5)),
        ("LSTM", (3, 4), dict(dropout=True)),
        ("GRU", (3, 0), {}),
        ("GRU", (0, 3), {}),
        ("GRU", (3, 4.0), {}),
        ("GRU", (3, 4), dict(num_layers=0)),
        ("GRU", (3, 4), dict(bias=1)),
        ("GRU", (3, 4), dict(batch_first=None)),
    ]
    for name, args, kwargs in cases:
        _same_error(lambda: getattr(torch.nn, name)(*args, **kwargs),
                    lambda: getattr(nn, name)(*args, **kwargs))
    with pytest.raises(RuntimeError, match="Unknown nonlinearity: sigmoid"):
        c = nn.RNNCell(3, 4, nonlinearity="sigmoid")
        c(ember.randn(2, 3))


# ---------------------------------------------------------------- nn.utils.rnn
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence(batch_first, padding_side):
    seqs = [randn(3, 2), randn(5, 2, seed=1), randn(1, 2, seed=2)]
    eseqs = [to_ember(s, True) for s in seqs]
    t = trnn.pad_sequence(seqs, batch_first=batch_first, padding_value=-1.5,
                          padding_side=padding_side)
    e = ernn.pad_sequence(eseqs, batch_first=batch_first, padding_value=-1.5,
                          padding_side=padding_side)
    close(e, t)
    g = torch.randn(t.shape)
    (t * g).sum().backward()
    (e * to_ember(g)).sum().backward()
    for es, ts in zip(eseqs, seqs):
        close(es.grad, ts.grad)


def test_pad_sequence_dtype_and_errors():
    t = trnn.pad_sequence([torch.ones(3, dtype=torch.long), torch.ones(1, dtype=torch.float64)])
    e = ernn.pad_sequence([ember.ones(3, dtype=ember.int64), ember.ones(1, dtype=ember.float64)])
    assert str(e.dtype) == str(t.dtype)
    np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
    _same_error(lambda: trnn.pad_sequence([]), lambda: ernn.pad_sequence([]))
    _same_error(lambda: trnn.pad_sequence([torch.ones(2)], padding_side="mid"),
                lambda: ernn.pad_sequence([ember.ones(2)], padding_side="mid"))
    _same_error(lambda: trnn.pad_sequence([torch.ones(3, 2), torch.ones(2, 3)]),
                lambda: ernn.pad_sequence([ember.ones(3, 2), ember.ones(2, 3)]))


def test_pack_pad_roundtrip_and_errors():
    x = randn(4, 3, 2, grad=False)
    xe = to_ember(x)
    for lengths in ([4, 2, 3], [4, 3, 0]):
        _same_error(lambda: trnn.pack_padded_sequence(x, lengths),
                    lambda: ernn.pack_padded_sequence(xe, lengths))
    _same_error(lambda: trnn.pack_padded_sequence(x, [4, 2]),
                lambda: ernn.pack_padded_sequence(xe, [4, 2]))
    tp = trnn.pack_padded_sequence(x, torch.tensor([2, 4, 2]), enforce_sorted=False)
    ep = ernn.pack_padded_sequence(xe, ember.tensor([2, 4, 2]), enforce_sorted=False)
    assert ep.sorted_indices.tolist() == tp.sorted_indices.tolist()
    assert ep.unsorted_indices.tolist() == tp.unsorted_indices.tolist()
    close(ep.data, tp.data)
    _same_error(lambda: trnn.pad_packed_sequence(tp, total_length=2),
                lambda: ernn.pad_packed_sequence(ep, total_length=2))
    t_pad, t_len = trnn.pad_packed_sequence(tp, padding_value=9.0)
    e_pad, e_len = ernn.pad_packed_sequence(ep, padding_value=9.0)
    close(e_pad, t_pad)
    assert e_len.tolist() == t_len.tolist() and e_len.dtype == ember.int64
    # pack_sequence / unpack_sequence / unpad_sequence
    seqs = [randn(4, 2, grad=False), randn(2, 2, seed=3, grad=False),
            randn(3, 2, seed=4, grad=False)]
    tps = trnn.pack_sequence(seqs, enforce_sorted=False)
    eps = ernn.pack_sequence([to_ember(s) for s in seqs], enforce_sorted=False)
    close(eps.data, tps.data)
    assert eps.batch_sizes.tolist() == tps.batch_sizes.tolist()
    for e, t in zip(ernn.unpack_sequence(eps), trnn.unpack_sequence(tps)):
        close(e, t)
    _same_error(lambda: trnn.pack_sequence(seqs), lambda: ernn.pack_sequence(
        [to_ember(s) for s in seqs]))


def test_packed_sequence_object():
    ps = ernn.pack_sequence([ember.ones(3, 2), ember.ones(1, 2)])
    data, batch_sizes, sorted_indices, unsorted_indices = ps
    assert batch_sizes.tolist() == [2, 1, 1] and sorted_indices is None
    d = ps.double()
    assert d.data.dtype == ember.float64 and d.batch_sizes is ps.batch_sizes
    assert ps.to(ember.float32) is ps
    assert not ps.is_cuda
    inv = ernn.invert_permutation(ember.tensor([2, 0, 1]))
    assert inv.tolist() == trnn.invert_permutation(torch.tensor([2, 0, 1])).tolist()
    assert ernn.invert_permutation(None) is None
    assert nn.utils.rnn.PackedSequence is ernn.PackedSequence


def test_rnn_hidden_permuted_for_unsorted_pack():
    # with enforce_sorted=False the given h0 belongs to the caller's order, like torch
    tm, em = twin("GRU", 2, 3)
    x = randn(4, 3, 2, grad=False)
    h0 = randn(1, 3, 3, grad=False)
    tp = trnn.pack_padded_sequence(x, [2, 4, 3], enforce_sorted=False)
    ep = ernn.pack_padded_sequence(to_ember(x), [2, 4, 3], enforce_sorted=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        close(em(ep, to_ember(h0))[1], tm(tp, h0)[1])


def test_training_steps_match_torch():
    # an embedding-free sequence classifier: LSTM -> last hidden -> Linear, 5 Adam steps
    torch.manual_seed(0)
    t_rnn = torch.nn.LSTM(3, 6, num_layers=2, batch_first=True)
    t_head = torch.nn.Linear(6, 2)
    e_rnn = nn.LSTM(3, 6, num_layers=2, batch_first=True)
    e_head = nn.Linear(6, 2)
    for tm, em in ((t_rnn, e_rnn), (t_head, e_head)):
        em.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    t_params = list(t_rnn.parameters()) + list(t_head.parameters())
    e_params = list(e_rnn.parameters()) + list(e_head.parameters())
    t_opt = torch.optim.Adam(t_params, lr=0.05)
    e_opt = ember.optim.Adam(e_params, lr=0.05)
    x = torch.randn(8, 5, 3)
    y = torch.randint(0, 2, (8,))
    for _ in range(5):
        t_opt.zero_grad()
        e_opt.zero_grad()
        t_loss = torch.nn.functional.cross_entropy(t_head(t_rnn(x)[1][0][-1]), y)
        e_loss = nn.functional.cross_entropy(e_head(e_rnn(to_ember(x))[1][0][-1]), to_ember(y))
        np.testing.assert_allclose(e_loss.item(), t_loss.item(), rtol=1e-5)
        t_loss.backward()
        e_loss.backward()
        t_opt.step()
        e_opt.step()
    for ep, tp in zip(e_params, t_params):
        close(ep, tp)
