"""Fused recurrent cells: one LSTM or GRU time step as one op.

nn.LSTM runs its recurrence step by step. Written with ember's elementwise ops a step records a
dozen nodes (a matmul, an add, the gate views, three sigmoids, two tanhs, three products and a
sum), and their Python costs several times the arithmetic of a small layer. Here a step is one
op with one node: the forward computes the gates in a few NumPy passes and keeps their
activations for the rule, which is the usual LSTM derivative written out. The state travels
as one (B, 2H) array [h | c], so a step cuts no views. Under create_graph the rule recomputes
the activations from its inputs with differentiable ops, so second derivatives are right.
"""

import numpy as np

from ._blas_sum import matmul2d, sum_rows
from ._namespace import ANS
from ._registry import defop


def _sigmoid_into(xp, x, out):
    # 1 / (1 + exp(-x)), as ember's sigmoid op computes it. (Not np.negative(x, out=out):
    # NumPy 2.4's float32 negative reads the wrong elements when x and out are strided
    # single columns, as the gates of a one-unit LSTM are; multiplying by -1 is exact.)
    xp.multiply(x, -1.0, out=out)
    xp.exp(out, out=out)
    out += 1.0
    xp.reciprocal(out, out=out)


@defop("lstm_cell", promote=False, save_inputs=True, extra=True, grad_name="LstmCellBackward0")
def _lstm_cell(xp, xt, hc, w):
    """One LSTM step. xt: (B, 4H) input projection with both biases; hc: (B, 2H) = [h | c];
    w: (H, 4H) = W_hh^T. Returns ([h' | c'], activations [i | f | g | o | tanh(c')])."""
    H = w.shape[0]
    B = hc.shape[0]
    h = hc[:, :H]
    c = hc[:, H:]
    if xp is np and h.ndim == 2:
        gates = matmul2d(h, w)
    else:
        gates = h @ w
    gates += xt
    act = xp.empty((B, 5 * H), dtype=hc.dtype)
    _sigmoid_into(xp, gates[:, :2 * H], act[:, :2 * H])
    xp.tanh(gates[:, 2 * H:3 * H], out=act[:, 2 * H:3 * H])
    _sigmoid_into(xp, gates[:, 3 * H:], act[:, 3 * H:4 * H])
    out = xp.empty((B, 2 * H), dtype=hc.dtype)
    c_new = out[:, H:]
    # c' = f * c + i * g
    xp.multiply(act[:, H:2 * H], c, out=c_new)
    c_new += act[:, :H] * act[:, 2 * H:3 * H]
    tc = act[:, 4 * H:]
    xp.tanh(c_new, out=tc)
    # h' = o * tanh(c')
    xp.multiply(act[:, 3 * H:4 * H], tc, out=out[:, :H])
    return out, act


def _recomputed(F, xt, hc, w, H):
    """The activations from the inputs, with differentiable ops (rules run on Tensors)."""
    gates = xt + F.matmul(F.getitem(hc, (slice(None), slice(0, H))), w)
    cut = lambda a, b: F.getitem(gates, (slice(None), slice(a * H, b * H)))  # noqa: E731
    i = F.nn_sigmoid(cut(0, 1))
    f = F.nn_sigmoid(cut(1, 2))
    g = F.tanh(cut(2, 3))
    o = F.nn_sigmoid(cut(3, 4))
    c = F.getitem(hc, (slice(None), slice(H, 2 * H)))
    tc = F.tanh(f * c + i * g)
    return i, f, g, o, tc


@_lstm_cell.defgrad
def _(F, g, out, xt, hc, w, need, extra):
    H = w.shape[0]
    if F is ANS and extra is not None and g.__class__ is np.ndarray:
        return _lstm_cell_grad_array(g, hc, w, need, extra, H)
    i, f, gg, o, tc = _recomputed(F, xt, hc, w, H)
    c_prev = F.getitem(hc, (slice(None), slice(H, 2 * H)))
    h_prev = F.getitem(hc, (slice(None), slice(0, H)))
    gh = F.getitem(g, (slice(None), slice(0, H)))
    gc = F.getitem(g, (slice(None), slice(H, 2 * H)))
    dc = gc + gh * o * (1.0 - tc * tc)
    dgates = F.concatenate([dc * gg * i * (1.0 - i), dc * c_prev * f * (1.0 - f),
                            dc * i * (1.0 - gg * gg), gh * tc * o * (1.0 - o)], axis=1)
    gxt = dgates if need[0] else None
    ghc = None
    if need[1]:
        ghc = F.concatenate([F.matmul(dgates, F.swapaxes(w, 0, 1)), dc * f], axis=1)
    gw = F.matmul(F.swapaxes(h_prev, 0, 1), dgates) if need[2] else None
    return gxt, ghc, gw


def _lstm_cell_grad_array(g, hc, w, need, act, H):
    """The rule on NumPy arrays, in place where it can be."""
    i = act[:, :H]
    f = act[:, H:2 * H]
    gg = act[:, 2 * H:3 * H]
    o = act[:, 3 * H:4 * H]
    tc = act[:, 4 * H:]
    gh = g[:, :H]
    gc = g[:, H:]
    # dc = gc + gh * o * (1 - tanh(c')^2)
    dc = tc * tc
    np.subtract(1.0, dc, out=dc)
    dc *= o
    dc *= gh
    dc += gc
    dgates = np.empty((g.shape[0], 4 * H), dtype=g.dtype)
    di = dgates[:, :H]
    df = dgates[:, H:2 * H]
    dg = dgates[:, 2 * H:3 * H]
    do = dgates[:, 3 * H:]
    # di = dc * g * i * (1 - i)
    np.subtract(1.0, i, out=di)
    di *= i
    di *= gg
    di *= dc
    # df = dc * c_prev * f * (1 - f)
    np.subtract(1.0, f, out=df)
    df *= f
    df *= hc[:, H:]
    df *= dc
    # dg = dc * i * (1 - g^2)
    np.multiply(gg, gg, out=dg)
    np.subtract(1.0, dg, out=dg)
    dg *= i
    dg *= dc
    # do = gh * tanh(c') * o * (1 - o)
    np.subtract(1.0, o, out=do)
    do *= o
    do *= tc
    do *= gh
    gxt = dgates if need[0] else None
    ghc = None
    if need[1]:
        ghc = np.empty_like(hc)
        ghc[:, :H] = matmul2d(dgates, w.T)
        np.multiply(dc, f, out=ghc[:, H:])
    gw = matmul2d(hc[:, :H].T, dgates) if need[2] else None
    return gxt, ghc, gw


def lstm_cell(xt, hc, w):
    """One fused LSTM step on Tensors (see the module docstring): returns [h' | c']."""
    from .nn_act import _hot

    return _hot(_lstm_cell, (xt, hc, w), {})


# ---------------------------------------------------------------- GRU
@defop("gru_cell", promote=False, save_inputs=True, extra=True, grad_name="GruCellBackward0")
def _gru_cell(xp, xt, h, w, b):
    """One GRU step. xt: (B, 3H) input projection with b_ih; h: (B, H); w: (H, 3H) = W_hh^T;
    b: b_hh (3H,) or None. Returns (h', [r | z | n | h W_hn^T + b_hn])."""
    H = w.shape[0]
    B = h.shape[0]
    gh = matmul2d(h, w) if xp is np and h.ndim == 2 else h @ w
    if b is not None:
        gh += b
    act = xp.empty((B, 4 * H), dtype=h.dtype)
    # r and z: sigmoid(x + h W^T + b) of the first two blocks
    rz = xt[:, :2 * H] + gh[:, :2 * H]
    _sigmoid_into(xp, rz, act[:, :2 * H])
    r = act[:, :H]
    z = act[:, H:2 * H]
    hn = act[:, 3 * H:]
    hn[...] = gh[:, 2 * H:]
    # n = tanh(x_n + r * (h W_hn^T + b_hn))
    n = act[:, 2 * H:3 * H]
    xp.multiply(r, hn, out=n)
    n += xt[:, 2 * H:]
    xp.tanh(n, out=n)
    # h' = n + z * (h - n)
    out = h - n
    out *= z
    out += n
    return out, act


def _gru_recomputed(F, xt, h, w, b, H):
    """r, z, n and h W_hn^T + b_hn from the inputs, with differentiable ops."""
    gh = F.matmul(h, w)
    if b is not None:
        gh = gh + b
    cut = lambda a, lo, hi: F.getitem(a, (slice(None), slice(lo * H, hi * H)))  # noqa: E731
    r = F.nn_sigmoid(cut(xt, 0, 1) + cut(gh, 0, 1))
    z = F.nn_sigmoid(cut(xt, 1, 2) + cut(gh, 1, 2))
    hn = cut(gh, 2, 3)
    n = F.tanh(cut(xt, 2, 3) + r * hn)
    return r, z, n, hn


@_gru_cell.defgrad
def _(F, g, out, xt, h, w, b, need, extra):
    H = w.shape[0]
    if F is ANS and extra is not None and g.__class__ is np.ndarray:
        return _gru_cell_grad_array(g, h, w, b, need, extra, H)
    r, z, n, hn = _gru_recomputed(F, xt, h, w, b, H)
    dn = g * (1.0 - z) * (1.0 - n * n)
    dr = dn * hn * r * (1.0 - r)
    dz = g * (h - n) * z * (1.0 - z)
    dgh = F.concatenate([dr, dz, dn * r], axis=1)
    gxt = F.concatenate([dr, dz, dn], axis=1) if need[0] else None
    gh_ = g * z + F.matmul(dgh, F.swapaxes(w, 0, 1)) if need[1] else None
    gw = F.matmul(F.swapaxes(h, 0, 1), dgh) if need[2] else None
    gb = F.sum(dgh, axis=0) if b is not None and need[3] else None
    return gxt, gh_, gw, gb


def _gru_cell_grad_array(g, h, w, b, need, act, H):
    """The GRU rule on NumPy arrays."""
    r = act[:, :H]
    z = act[:, H:2 * H]
    n = act[:, 2 * H:3 * H]
    hn = act[:, 3 * H:]
    B = g.shape[0]
    # the gradient into h W^T + b, blocks [r | z | n]; the input's differs in the n block
    dgh = np.empty((B, 3 * H), dtype=g.dtype)
    dr = dgh[:, :H]
    dz = dgh[:, H:2 * H]
    dn_h = dgh[:, 2 * H:]
    # dn = g (1 - z) (1 - n^2)
    dn = n * n
    np.subtract(1.0, dn, out=dn)
    dn *= g
    dn *= 1.0 - z
    # dr = dn hn r (1 - r)
    np.subtract(1.0, r, out=dr)
    dr *= r
    dr *= hn
    dr *= dn
    # dz = g (h - n) z (1 - z)
    np.subtract(1.0, z, out=dz)
    dz *= z
    dz *= h - n
    dz *= g
    np.multiply(dn, r, out=dn_h)
    gxt = None
    if need[0]:
        gxt = np.empty((B, 3 * H), dtype=g.dtype)
        gxt[:, :2 * H] = dgh[:, :2 * H]
        gxt[:, 2 * H:] = dn
    gh_ = None
    if need[1]:
        gh_ = matmul2d(dgh, w.T)
        gh_ += g * z
    gw = matmul2d(h.T, dgh) if need[2] else None
    gb = sum_rows(dgh) if b is not None and need[3] else None
    return gxt, gh_, gw, gb


def gru_cell(xt, h, w, b):
    """One fused GRU step on Tensors: returns h'."""
    from .nn_act import _hot

    return _hot(_gru_cell, (xt, h, w, b), {})
