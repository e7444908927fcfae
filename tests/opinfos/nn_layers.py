"""OpInfos of the nn layer ops (ember/_ops/nn*.py): convolution, pooling, normalization,
embedding, padding, interpolation, unfold/fold.

Each entry lists fixed cases of (shapes, keyword arguments); weights and biases are separate
inputs so their gradients are checked too. Internal ops (the adjoints used by backward rules)
are checked against the matching aten backward functions of torch.
"""

import numpy as np
import torch
from hypothesis import strategies as st

from tests.opinfo import OpInfo, make_array


def _F(m):
    return m.nn.functional


def _key(shapes):
    return tuple(tuple(s) for s in shapes)


def cases_info(name, fn, cases, ops=None, distinct=False, ints=None, **kw):
    """An OpInfo over fixed cases [(shapes, kwargs), ...]; shapes differ between cases.

    `ints` maps an input position to the exclusive upper bound of its int64 values (or a
    function of the case's shapes giving it).
    """
    ints = ints or {}
    table = {_key(shapes): kwargs for shapes, kwargs in cases}
    assert len(table) == len(cases), f"{name}: cases must have distinct shapes"

    def make_inputs(draw, rng, dtype):
        shapes, _ = draw(st.sampled_from(cases), label="case")
        noncontig = draw(st.booleans(), label="noncontig")
        arrays = []
        for i, shape in enumerate(shapes):
            if i in ints:
                high = ints[i](shapes) if callable(ints[i]) else ints[i]
                arrays.append(rng.integers(0, high, size=shape).astype(np.int64))
            else:
                arrays.append(make_array(rng, shape, dtype, -2.0, 2.0, noncontig and i == 0,
                                         distinct))
        return arrays

    def kwargs(draw, shapes):
        return dict(table[_key(shapes)])

    nargs = len(cases[0][0])
    return OpInfo(name, fn, ops=tuple(ops or (name,)), nargs=nargs, make_inputs=make_inputs,
                  kwargs=kwargs, **kw)


# ---------------------------------------------------------------------------- convolution
CONV_OPS = ("convolution", "conv_transpose", "conv_weight")

CONV1D = [
    (((2, 3, 7), (4, 3, 3), (4,)), {}),
    (((2, 4, 9), (6, 2, 3), (6,)), {"stride": 2, "padding": 1, "groups": 2}),
    (((1, 2, 8), (3, 2, 2), (3,)), {"dilation": 3, "padding": "same"}),
    (((3, 5), (2, 3, 2), (2,)), {"padding": "valid", "stride": 2}),
]
CONV2D = [
    (((2, 3, 6, 5), (4, 3, 3, 2), (4,)), {}),
    (((2, 4, 7, 7), (6, 2, 3, 3), (6,)), {"stride": 2, "padding": 1, "groups": 2}),
    (((1, 2, 6, 7), (3, 2, 3, 2), (3,)), {"padding": "same", "dilation": (2, 1)}),
    (((2, 2, 5, 6), (3, 2, 1, 1), (3,)), {}),
    (((2, 2, 6, 7), (4, 1, 2, 3), (4,)),
     {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 2), "groups": 2}),
    (((2, 5, 5), (3, 2, 2, 2), (3,)), {"padding": 1}),
    (((0, 2, 4, 4), (3, 2, 2, 2), (3,)), {}),
    (((1, 1, 9, 9), (2, 1, 5, 5), (2,)), {"stride": 3, "padding": 2}),
]
CONV3D = [
    (((1, 2, 4, 5, 4), (3, 2, 2, 3, 2), (3,)), {"padding": 1}),
    (((2, 2, 5, 4, 4), (2, 1, 2, 2, 2), (2,)), {"stride": 2, "groups": 2}),
]
CONVT1D = [
    (((2, 4, 5), (4, 3, 3), (3,)), {}),
    (((2, 4, 6), (4, 2, 3), (4,)), {"stride": 3, "padding": 1, "output_padding": 2,
                                    "groups": 2}),
    (((1, 3, 4), (3, 2, 2), (2,)), {"dilation": 2, "stride": 2}),
]
CONVT2D = [
    (((2, 4, 4, 5), (4, 3, 3, 3), (3,)), {}),
    (((2, 4, 4, 4), (4, 2, 3, 3), (4,)), {"stride": 2, "padding": 1, "output_padding": 1,
                                          "groups": 2}),
    (((1, 2, 3, 4), (2, 3, 2, 3), (3,)), {"stride": (2, 3), "dilation": (2, 1),
                                          "padding": (1, 1)}),
    (((2, 3, 3), (2, 2, 2, 2), (2,)), {"stride": 2}),
]


def _conv(n):
    return lambda m, x, w, b, **kw: getattr(_F(m), f"conv{n}d")(x, w, b, **kw)


def _conv_t(n):
    return lambda m, x, w, b, **kw: getattr(_F(m), f"conv_transpose{n}d")(x, w, b, **kw)


def _no_bias(cases):
    return [(shapes[:2], kw) for shapes, kw in cases]


# ---------------------------------------------------------------------------- pooling
MAXPOOL2D = [
    (((2, 3, 6, 6),), {"kernel_size": 2}),
    (((2, 2, 7, 5),), {"kernel_size": 3, "stride": 2, "padding": 1}),
    (((1, 2, 9, 7),), {"kernel_size": (3, 2), "stride": (2, 1), "padding": (1, 1),
                       "dilation": (2, 1), "ceil_mode": True}),
    (((2, 5, 5),), {"kernel_size": 2, "ceil_mode": True, "padding": 1}),
    (((1, 3, 5, 6),), {"kernel_size": 2, "stride": 1}),
    (((1, 2, 10, 10),), {"kernel_size": 5}),
]
MAXPOOL1D = [
    (((2, 3, 8),), {"kernel_size": 2}),
    (((2, 3, 10),), {"kernel_size": 3, "stride": 2, "ceil_mode": True}),
    (((3, 9),), {"kernel_size": 3, "stride": 1, "padding": 1, "dilation": 2}),
]
AVGPOOL2D = [
    (((2, 3, 6, 6),), {"kernel_size": 2}),
    (((2, 2, 7, 5),), {"kernel_size": 3, "stride": 2, "padding": 1}),
    (((2, 2, 7, 6),), {"kernel_size": 3, "stride": 2, "padding": 1,
                       "count_include_pad": False, "ceil_mode": True}),
    (((1, 2, 5, 5),), {"kernel_size": 2, "ceil_mode": True, "padding": 1,
                       "divisor_override": 3}),
    (((3, 5, 6),), {"kernel_size": (2, 3), "stride": 1}),
    (((2, 2, 8, 10),), {"kernel_size": (4, 5)}),
]
AVGPOOL1D = [
    (((2, 3, 8),), {"kernel_size": 2}),
    (((2, 3, 10),), {"kernel_size": 3, "stride": 2, "ceil_mode": True, "padding": 1,
                     "count_include_pad": False}),
    (((3, 9),), {"kernel_size": 3, "stride": 1, "padding": 1}),
]
ADAPTIVE2D = [
    (((2, 3, 6, 6),), {"output_size": 3}),
    (((2, 3, 7, 9),), {"output_size": (3, 4)}),
    (((2, 2, 5, 7),), {"output_size": 1}),
    (((3, 7, 5),), {"output_size": (2, None)}),
    (((1, 2, 3, 4),), {"output_size": (5, 6)}),
]
ADAPTIVE1D = [
    (((2, 3, 10),), {"output_size": 5}),
    (((2, 3, 11),), {"output_size": 3}),
    (((3, 7),), {"output_size": 4}),
]


def _with_indices(name):
    def fn(m, x, **kw):
        return getattr(_F(m), name)(x, return_indices=True, **kw)

    return fn


def _unpool(m, x):
    out, idx = _F(m).max_pool2d(x, 2, return_indices=True)
    return _F(m).max_unpool2d(out * 2, idx, 2, output_size=x.shape[-2:])


# ---------------------------------------------------------------------------- normalization
BN = [
    (((4, 3, 2, 3), (3,), (3,)), {}),
    (((5, 3), (3,), (3,)), {"eps": 0.1}),
    (((3, 2, 4), (2,), (2,)), {}),
]
LN = [
    (((3, 4, 5), (4, 5), (4, 5)), {"normalized_shape": (4, 5)}),
    (((2, 6), (6,), (6,)), {"normalized_shape": (6,), "eps": 0.1}),
    (((2, 3, 1, 4), (4,), (4,)), {"normalized_shape": (4,)}),
]
GN = [
    (((3, 6, 2, 2), (6,), (6,)), {"num_groups": 3}),
    (((2, 4, 5), (4,), (4,)), {"num_groups": 2, "eps": 0.01}),
    (((4, 6), (6,), (6,)), {"num_groups": 2}),
]
IN = [
    (((3, 2, 4, 3), (2,), (2,)), {}),
    (((2, 3, 5), (3,), (3,)), {}),
]


def _batch_norm(m, x, w, b, **kw):
    return _F(m).batch_norm(x, None, None, w, b, training=True, **kw)


def _batch_norm_eval(m, x, w, b, rm, rv):
    # running statistics are plain inputs here, so their gradients are checked too
    return _F(m).batch_norm(x, rm, rv.abs() + 0.5, w, b, training=False)


BN_EVAL = [(((4, 3, 2, 2), (3,), (3,), (3,), (3,)), {}), (((5, 2), (2,), (2,), (2,), (2,)), {})]


# ---------------------------------------------------------------------------- embedding
# the indices stay below the last row, the padding row here: finite differences cannot see a
# gradient that is zero by definition (tests/test_nn_layers.py checks that row)
EMB = [
    (((2, 3), (7, 4)), {}),
    (((5,), (6, 3)), {"padding_idx": 5}),
    (((2, 2, 2), (5, 2)), {"padding_idx": -1}),
]
# no indices at all (torch's own double backward fails on this one)
EMB_EMPTY = [(((0,), (4, 3)), {}), (((2, 0), (5, 2)), {})]


def _embedding(m, idx, w, **kw):
    return _F(m).embedding(idx, w, **kw)


# 2-D input: every row one bag (offsets are tensors, which the table cannot pass)
EMB_BAG = [
    (((2, 3), (7, 4)), {"mode": "sum"}),
    (((3, 2), (6, 3)), {"mode": "mean", "padding_idx": 5}),
    (((1, 4), (5, 2)), {"mode": "mean"}),
    (((4, 3), (5, 2)), {"mode": "sum", "padding_idx": 0}),
]


def _embedding_bag(m, idx, w, **kw):
    return _F(m).embedding_bag(idx, w, **kw)


# ---------------------------------------------------------------------------- padding, resampling
PAD = [
    (((2, 3, 4),), {"pad": (1, 2)}),
    (((2, 3, 4, 5),), {"pad": (1, 0, 2, 3), "value": 1.5}),
    (((2, 3, 5, 5),), {"pad": (-1, 2, 1, -2)}),
    (((3, 4, 5),), {"pad": (2, 1), "mode": "reflect"}),
    (((2, 3, 4, 6),), {"pad": (2, 1, 3, 2), "mode": "reflect"}),
    (((2, 3, 5),), {"pad": (2, 3), "mode": "replicate"}),
    (((1, 2, 4, 5),), {"pad": (1, 2, 0, 3), "mode": "replicate"}),
    (((1, 3, 4, 5),), {"pad": (4, 5, 3, 4), "mode": "circular"}),
    (((1, 2, 3, 4, 5),), {"pad": (1, 1, 2, 0, 1, 2), "mode": "reflect"}),
    (((2, 2, 5),), {"pad": (1, 1, 2, 0, 1, 1)}),
]
INTERP = [
    (((2, 3, 4, 5),), {"scale_factor": 2}),
    (((2, 2, 5, 6),), {"size": (7, 4)}),
    (((1, 2, 5, 6),), {"size": (7, 13), "mode": "nearest-exact"}),
    (((2, 2, 5, 4),), {"scale_factor": 1.7, "mode": "bilinear"}),
    (((2, 2, 4, 5),), {"size": (9, 4), "mode": "bilinear", "align_corners": True}),
    (((1, 2, 4, 5),), {"size": (7, 3), "mode": "bilinear", "align_corners": False}),
    (((2, 3, 7),), {"scale_factor": 2.5, "mode": "linear"}),
    (((2, 3, 6),), {"size": 4, "mode": "linear", "align_corners": True}),
    (((1, 2, 5, 7),), {"size": (9, 11), "mode": "bicubic"}),
    (((1, 3, 5, 6),), {"size": (3, 4), "mode": "area"}),
    (((1, 2, 3, 4, 5),), {"scale_factor": (2, 1.5, 0.7), "mode": "trilinear"}),
    (((2, 2, 6, 5),), {"scale_factor": 0.6, "recompute_scale_factor": True}),
    (((2, 3, 9),), {"scale_factor": 1 / 3}),
]
UNFOLD = [
    (((2, 3, 5, 6),), {"kernel_size": 2}),
    (((1, 2, 6, 5),), {"kernel_size": (2, 3), "dilation": (1, 2), "padding": 1,
                       "stride": (2, 1)}),
    (((2, 5, 4),), {"kernel_size": 3, "padding": 1}),
]
FOLD = [
    (((2, 12, 20),), {"output_size": (5, 6), "kernel_size": 2}),
    (((1, 12, 12),), {"output_size": (6, 5), "kernel_size": (2, 3), "dilation": (1, 2),
                      "padding": 1, "stride": (2, 1)}),
    (((18, 16),), {"output_size": 4, "kernel_size": 3, "padding": 1}),
]


def _interp(m, x, **kw):
    return _F(m).interpolate(x, **kw)


# ---------------------------------------------------------------------------- internal adjoints
def _like(t, idx):
    """An index array (NumPy, or a torch tensor) as a raw array on ember tensor t's device: the
    internal adjoints take raw arrays, as their callers pass them."""
    if isinstance(idx, torch.Tensor):
        idx = idx.cpu().numpy()
    return t._device.xp.asarray(idx)


def _pool_idx(shape, kw):
    # PyTorch's indices of a max pool of a fixed-seed input of this shape
    x = torch.tensor(np.random.default_rng(7).permutation(int(np.prod(shape)))
                     .reshape(shape).astype(np.float64), device="cpu")
    return _F(torch).max_pool2d(x, return_indices=True, **kw)[1]


def _pool_scatter(m, g, **kw):
    in_shape = kw.pop("in_shape")
    idx = _pool_idx(in_shape, kw)
    if m is torch:
        x = torch.zeros(in_shape, dtype=g.dtype)
        return torch.ops.aten.max_pool2d_with_indices_backward(
            g, x, kw["kernel_size"], kw.get("stride", kw["kernel_size"]), 0, 1, False,
            idx.to(g.device))
    from ember._ops import nn_pool

    return nn_pool._pool_scatter(g, idx=_like(g, idx), in_shape=in_shape,
                                 disjoint=kw.get("stride", kw["kernel_size"]) >= kw["kernel_size"])


def _pool_gather(m, x, **kw):
    out_shape = kw.pop("out_shape")
    idx = _pool_idx(tuple(x.shape), kw)
    if m is torch:
        return x.flatten(2).gather(2, idx.flatten(2).to(x.device)).view(out_shape)
    from ember._ops import nn_pool

    return nn_pool._pool_gather(x, idx=_like(x, idx))


def _window_am(shape, kw):
    from ember._ops import nn_pool

    x = np.random.default_rng(7).permutation(int(np.prod(shape))).reshape(shape).astype(float)
    k = kw["kernel_size"]
    s = kw.get("stride", k)
    out_sp = tuple((n - k) // s + 1 for n in shape[2:])
    am = nn_pool.max_pool_array(np, x, (k, k), (s, s), (1, 1), ((0, 0), (0, 0)), out_sp, True)[1]
    return am, ((k, k), (s, s), (1, 1), ((0, 0), (0, 0)), out_sp)


def _window_scatter(m, g, **kw):
    in_shape = kw.pop("in_shape")
    if m is torch:
        return _pool_scatter(m, g, in_shape=in_shape, **kw)
    from ember._ops import nn_pool

    am, (k, s, d, pads, out_sp) = _window_am(in_shape, kw)
    return nn_pool._window_scatter(g, am=_like(g, am), in_shape=in_shape, k=k, stride=s, dil=d,
                                   pads=pads, out_sp=out_sp)


def _window_gather(m, x, **kw):
    if m is torch:
        return _pool_gather(m, x, **kw)
    from ember._ops import nn_pool

    kw.pop("out_shape")
    am, (k, s, d, pads, out_sp) = _window_am(tuple(x.shape), kw)
    return nn_pool._window_gather(x, am=_like(x, am), k=k, stride=s, dil=d, pads=pads, out_sp=out_sp)


POOL_SCATTER = [
    (((2, 3, 3, 3),), {"in_shape": (2, 3, 6, 6), "kernel_size": 2}),
    (((1, 2, 2, 2),), {"in_shape": (1, 2, 10, 10), "kernel_size": 5}),
    (((1, 2, 4, 4),), {"in_shape": (1, 2, 6, 6), "kernel_size": 3, "stride": 1}),
]
POOL_GATHER = [
    (((2, 3, 6, 6),), {"out_shape": (2, 3, 3, 3), "kernel_size": 2}),
    (((1, 2, 10, 10),), {"out_shape": (1, 2, 2, 2), "kernel_size": 5}),
    (((1, 2, 6, 6),), {"out_shape": (1, 2, 4, 4), "kernel_size": 3, "stride": 1}),
]


def _conv_weight(m, x, g, **kw):
    wshape = kw.pop("wshape")
    if m is torch:
        return torch.nn.grad.conv2d_weight(x, wshape, g, **kw)
    from ember._ops import nn_conv

    pad = kw.get("padding", 0)
    return nn_conv._conv_w(x, g, stride=(kw.get("stride", 1),) * 2, padding=((pad, pad),) * 2,
                           dilation=(kw.get("dilation", 1),) * 2, groups=kw.get("groups", 1),
                           wshape=wshape)


CONV_WEIGHT = [
    (((2, 3, 6, 5), (2, 4, 4, 3)), {"wshape": (4, 3, 3, 3)}),
    (((2, 4, 7, 7), (2, 6, 4, 4)), {"wshape": (6, 2, 3, 3), "stride": 2, "padding": 1,
                                    "groups": 2}),
]


def _scatter_axis(m, g, idx, **kw):
    n = kw["n"]
    pad = kw.get("padding_idx")
    if m is torch:
        return torch.ops.aten.embedding_dense_backward(g, idx, n, -1 if pad is None else pad,
                                                       False)
    from ember._ops import nn_misc

    return nn_misc._scatter_axis(g, idx=idx._data, axis=0, n=n, mask=pad)


def _gather_axis(m, x, idx, **kw):
    pad = kw.get("padding_idx")
    if m is torch:
        out = x.index_select(0, idx)
        return out if pad is None else out * (idx != pad).to(x.dtype)[:, None]
    from ember._ops import nn_misc

    return nn_misc._gather_axis(x, idx=idx._data, axis=0, mask=pad, scale=None)


SCATTER_AXIS = [
    (((6, 3), (6,)), {"n": 5}),
    (((4, 2), (4,)), {"n": 4, "padding_idx": 1}),
]
GATHER_AXIS = [
    (((5, 3), (6,)), {}),
    (((4, 2), (5,)), {"padding_idx": 1}),
]


def _avg_adjoint(m, g, **kw):
    in_shape = kw["in_shape"]
    k = kw["kernel_size"]
    s = kw.get("stride", k)
    if m is torch:
        x = torch.zeros(in_shape, dtype=g.dtype)
        return torch.ops.aten.avg_pool2d_backward(g, x, [k, k], [s, s], [0, 0], False, True,
                                                  None)
    from ember._ops import nn_pool

    out_sp = tuple(g.shape[2:])
    return nn_pool._avg_pool_adj(g, in_shape=in_shape, k=(k, k), stride=(s, s),
                                 pads=((0, 0), (0, 0)), out_sp=out_sp, div=float(k * k))


AVG_ADJ = [
    (((2, 3, 3, 3),), {"in_shape": (2, 3, 6, 6), "kernel_size": 2}),
    (((1, 2, 4, 3),), {"in_shape": (1, 2, 6, 5), "kernel_size": 3, "stride": 1}),
]


def _mode_pad_adjoint(m, g, **kw):
    pad = kw["pad"]
    in_shape = kw["in_shape"]
    mode = kw["mode"]
    if m is torch:
        x = torch.zeros(in_shape, dtype=g.dtype)
        fn = {"reflect": torch.ops.aten.reflection_pad2d_backward,
              "replicate": torch.ops.aten.replication_pad2d_backward}[mode]
        return fn(g, x, list(pad))
    from ember._ops import nn_misc

    pads = ((0, 0), (0, 0), (pad[2], pad[3]), (pad[0], pad[1]))
    return nn_misc._mode_pad_adj(g, pads=pads, mode=mode)


MODE_PAD_ADJ = [
    (((2, 3, 7, 8),), {"in_shape": (2, 3, 4, 5), "pad": (2, 1, 1, 2), "mode": "reflect"}),
    (((1, 2, 6, 9),), {"in_shape": (1, 2, 4, 5), "pad": (3, 1, 0, 2), "mode": "replicate"}),
]


def _lstm_cell(m, xt, hc, w, **kw):
    """One fused LSTM step (ember/_ops/nn_rnn.py) against the same step written with torch's
    ops: gates = xt + h @ w, [h' | c'] out."""
    if m.__name__ == "ember":
        from ember._ops.nn_rnn import lstm_cell

        return lstm_cell(xt, hc, w)
    H = w.shape[0]
    gates = xt + hc[:, :H] @ w
    i, f, g, o = gates.chunk(4, 1)
    c = f.sigmoid() * hc[:, H:] + i.sigmoid() * g.tanh()
    return m.cat([o.sigmoid() * c.tanh(), c], 1)


LSTM_CELL = [
    (((3, 8), (3, 4), (2, 8)), {}),
    (((1, 20), (1, 10), (5, 20)), {}),
    (((4, 4), (4, 2), (1, 4)), {}),
]


def _gru_cell(m, xt, h, w, b, **kw):
    """One fused GRU step against the same step in torch's ops."""
    if m.__name__ == "ember":
        from ember._ops.nn_rnn import gru_cell

        return gru_cell(xt, h, w, b)
    H = w.shape[0]
    gh = h @ w + b
    xr, xz, xn = xt.chunk(3, 1)
    hr, hz, hn = gh.chunk(3, 1)
    r = (xr + hr).sigmoid()
    z = (xz + hz).sigmoid()
    n = (xn + r * hn).tanh()
    return n + z * (h - n)


GRU_CELL = [
    (((3, 6), (3, 2), (2, 6), (6,)), {}),
    (((1, 15), (1, 5), (5, 15), (15,)), {}),
    (((4, 3), (4, 1), (1, 3), (3,)), {}),
]


OPINFOS = [
    cases_info("lstm_cell", _lstm_cell, LSTM_CELL, ops=("lstm_cell",)),
    cases_info("gru_cell", _gru_cell, GRU_CELL, ops=("gru_cell",)),
    cases_info("conv1d", _conv(1), CONV1D, ops=CONV_OPS),
    cases_info("conv2d", _conv(2), CONV2D, ops=CONV_OPS),
    cases_info("conv2d_no_bias", lambda m, x, w, **kw: _F(m).conv2d(x, w, **kw),
               _no_bias(CONV2D[:4]), ops=CONV_OPS),
    cases_info("conv3d", _conv(3), CONV3D, ops=CONV_OPS),
    cases_info("conv_transpose1d", _conv_t(1), CONVT1D, ops=CONV_OPS),
    cases_info("conv_transpose2d", _conv_t(2), CONVT2D, ops=CONV_OPS),
    cases_info("conv_weight", _conv_weight, CONV_WEIGHT, ops=("conv_weight",)),
    cases_info("max_pool2d", lambda m, x, **kw: _F(m).max_pool2d(x, **kw), MAXPOOL2D,
               ops=("max_pool",), distinct=True),
    cases_info("max_pool2d_indices", _with_indices("max_pool2d"), MAXPOOL2D, ops=("max_pool",),
               distinct=True),
    cases_info("max_pool1d", _with_indices("max_pool1d"), MAXPOOL1D, ops=("max_pool",),
               distinct=True),
    cases_info("pool_scatter", _pool_scatter, POOL_SCATTER, ops=("pool_scatter",)),
    cases_info("pool_gather", _pool_gather, POOL_GATHER, ops=("pool_gather",)),
    cases_info("window_scatter", _window_scatter, POOL_SCATTER, ops=("window_scatter",)),
    cases_info("window_gather", _window_gather, POOL_GATHER, ops=("window_gather",)),
    cases_info("max_unpool2d", _unpool, [(((2, 3, 4, 6),), {}), (((1, 2, 6, 4),), {})],
               ops=("max_unpool",), distinct=True),
    cases_info("avg_pool2d", lambda m, x, **kw: _F(m).avg_pool2d(x, **kw), AVGPOOL2D,
               ops=("avg_pool", "avg_pool_adjoint")),
    cases_info("avg_pool1d", lambda m, x, **kw: _F(m).avg_pool1d(x, **kw), AVGPOOL1D,
               ops=("avg_pool",)),
    cases_info("avg_pool_adjoint", _avg_adjoint, AVG_ADJ, ops=("avg_pool_adjoint",)),
    cases_info("adaptive_avg_pool2d", lambda m, x, **kw: _F(m).adaptive_avg_pool2d(x, **kw),
               ADAPTIVE2D, ops=("avg_pool", "matmul")),
    cases_info("adaptive_avg_pool1d", lambda m, x, **kw: _F(m).adaptive_avg_pool1d(x, **kw),
               ADAPTIVE1D, ops=("avg_pool",)),
    cases_info("adaptive_max_pool2d", _with_indices("adaptive_max_pool2d"), ADAPTIVE2D,
               ops=("adaptive_max_pool",), distinct=True),
    cases_info("adaptive_max_pool1d", _with_indices("adaptive_max_pool1d"), ADAPTIVE1D,
               ops=("adaptive_max_pool",), distinct=True),
    cases_info("batch_norm", _batch_norm, BN, ops=("native_batch_norm",)),
    cases_info("batch_norm_no_affine",
               lambda m, x, **kw: _F(m).batch_norm(x, None, None, training=True, **kw),
               [(s[:1], kw) for s, kw in BN], ops=("native_batch_norm",)),
    cases_info("batch_norm_eval", _batch_norm_eval, BN_EVAL, ops=("native_batch_norm",),
               grad_args=(0, 1, 2)),
    cases_info("layer_norm", lambda m, x, w, b, **kw: _F(m).layer_norm(x, weight=w, bias=b,
                                                                       **kw),
               LN, ops=("native_layer_norm",)),
    cases_info("layer_norm_no_affine", lambda m, x, **kw: _F(m).layer_norm(x, **kw),
               [(s[:1], kw) for s, kw in LN], ops=("native_layer_norm",)),
    cases_info("group_norm", lambda m, x, w, b, **kw: _F(m).group_norm(x, weight=w, bias=b,
                                                                       **kw),
               GN, ops=("native_group_norm",)),
    cases_info("instance_norm", lambda m, x, w, b: _F(m).instance_norm(x, weight=w, bias=b),
               IN, ops=("native_batch_norm",)),
    cases_info("embedding", _embedding, EMB, ops=("embedding", "scatter_axis"),
               ints={0: lambda shapes: shapes[1][0] - 1}, grad_args=(1,)),
    # torch has no double backward for embedding_bag
    cases_info("embedding_bag", _embedding_bag, EMB_BAG, ops=("embedding_bag",),
               ints={0: lambda shapes: shapes[1][0]}, grad_args=(1,), gradgrad=False),
    cases_info("embedding_empty", _embedding, EMB_EMPTY, ops=("embedding",),
               ints={0: lambda shapes: shapes[1][0]}, grad_args=(1,), gradgrad=False),
    cases_info("scatter_axis", _scatter_axis, SCATTER_AXIS, ops=("scatter_axis",),
               ints={1: 4}, grad_args=(0,)),
    cases_info("gather_axis", _gather_axis, GATHER_AXIS, ops=("gather_axis",),
               ints={1: 4}, grad_args=(0,)),
    cases_info("pad", lambda m, x, **kw: _F(m).pad(x, **kw), PAD,
               ops=("constant_pad_nd", "mode_pad", "mode_pad_adjoint")),
    cases_info("mode_pad_adjoint", _mode_pad_adjoint, MODE_PAD_ADJ, ops=("mode_pad_adjoint",)),
    cases_info("interpolate", _interp, INTERP, ops=("upsample_nearest", "avg_pool", "matmul")),
    cases_info("unfold", lambda m, x, **kw: _F(m).unfold(x, **kw), UNFOLD,
               ops=("im2col", "col2im")),
    cases_info("fold", lambda m, x, **kw: _F(m).fold(x, **kw), FOLD, ops=("col2im", "im2col")),
    cases_info("pixel_shuffle", lambda m, x: _F(m).pixel_shuffle(x, 2),
               [(((2, 8, 3, 2),), {}), (((12, 2, 3),), {})], ops=("permute",)),
    cases_info("pixel_unshuffle", lambda m, x: _F(m).pixel_unshuffle(x, 2),
               [(((2, 2, 4, 6),), {}), (((3, 2, 4),), {})], ops=("permute",)),
]
