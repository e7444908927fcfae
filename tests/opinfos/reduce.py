"""OpInfos of reductions, scans and selections (ember/_ops/reduce.py)."""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.opinfo import OpInfo, unary_shapes

INF = float("inf")
# an asymmetric range whose ends have an irrational ratio: distinct draws never tie in |x|
ABS_DISTINCT = (-1.0, 1.0 + math.sqrt(2.0))


# ---------------------------------------------------------------- keyword strategies
def _dims(draw, shapes):
    """dim: None, an int or a tuple of ints; keepdim."""
    nd = len(shapes[0])
    if nd == 0:
        return {}
    dim = draw(
        st.one_of(
            st.none(),
            st.integers(-nd, nd - 1),
            st.lists(st.integers(0, nd - 1), unique=True, min_size=1).map(tuple),
        )
    )
    return {"dim": dim, "keepdim": draw(st.booleans())} if dim is not None else {}


def _dim_or_none(draw, shapes):
    """dim: None or an int (prod and the 2-arg forms accept no tuple)."""
    nd = len(shapes[0])
    if nd == 0 or draw(st.booleans()):
        return {}
    return {"dim": draw(st.integers(-nd, nd - 1)), "keepdim": draw(st.booleans())}


def _one_dim(draw, shapes):
    nd = len(shapes[0])
    return draw(st.integers(-1, 0)) if nd == 0 else draw(st.integers(-nd, nd - 1))


def _dim_keep(draw, shapes):
    return {"dim": _one_dim(draw, shapes), "keepdim": draw(st.booleans())}


def _dim_only(draw, shapes):
    return {"dim": _one_dim(draw, shapes)}


def _dims_required(draw, shapes):
    """logsumexp: an int or a non-empty tuple."""
    nd = len(shapes[0])
    if nd == 0:
        return {"dim": draw(st.integers(-1, 0)), "keepdim": draw(st.booleans())}
    dim = draw(
        st.one_of(
            st.integers(-nd, nd - 1),
            st.lists(st.integers(0, nd - 1), unique=True, min_size=1).map(tuple),
        )
    )
    return {"dim": dim, "keepdim": draw(st.booleans())}


def _count(shape, kw):
    dim = kw.get("dim")
    if dim is None:
        return int(np.prod(shape)) if shape else 1
    dims = (dim,) if isinstance(dim, int) else dim
    n = 1
    for d in dims:
        n *= shape[d] if shape else 1
    return n


def _var_kwargs(draw, shapes):
    kw = _dims(draw, shapes)
    n = _count(shapes[0], kw)
    # a correction as large as the count divides by zero (inf/nan), which gradcheck can't take
    choice = draw(st.sampled_from(["correction", "unbiased", "default"]))
    if choice == "correction":
        kw["correction"] = draw(st.sampled_from([0, 1, 2, 0.5]))
        if kw["correction"] >= n:
            kw["correction"] = 0
    elif choice == "unbiased" or n <= 1:
        kw["unbiased"] = n > 1 and draw(st.booleans())
        if kw.get("dim") is None:
            kw.pop("keepdim", None)
            kw["dim"] = None
    return kw


def _norm_kwargs(ps, tuple_dims=True):
    def draw_kwargs(draw, shapes):
        kw = _dims(draw, shapes) if tuple_dims else _dim_or_none(draw, shapes)
        kw["p"] = draw(st.sampled_from(ps))
        return kw

    return draw_kwargs


def _topk_kwargs(draw, shapes):
    kw = _dim_only(draw, shapes)
    shape = shapes[0]
    n = shape[kw["dim"]] if shape else 1
    kw["k"] = draw(st.integers(1 if not shape else 0, n))
    kw["largest"] = draw(st.booleans())
    return kw


def _kth_kwargs(draw, shapes):
    kw = _dim_keep(draw, shapes)
    shape = shapes[0]
    n = shape[kw["dim"]] if shape else 1
    kw["k"] = draw(st.integers(1, n))
    return kw


def _sort_kwargs(draw, shapes):
    kw = _dim_only(draw, shapes)
    kw["descending"] = draw(st.booleans())
    kw["stable"] = draw(st.booleans())
    return kw


# ---------------------------------------------------------------- input makers
def _special_inputs(value, prob, min_dims=0):
    """Inputs with `value` (NaN or 0) sprinkled in; never where some coordinate is 0, so every
    slice along any dims keeps at least one ordinary number."""

    def make(draw, rng, dtype):
        shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=4))
        a = rng.uniform(-3.0, 3.0, size=shape)
        if shape:
            idx = np.indices(shape)
            inner = np.all(idx > 0, axis=0)
            a[inner & (rng.random(shape) < prob)] = value
        return [a.astype(dtype)]

    return make


def _zeros_anywhere(draw, rng, dtype):
    """Inputs with zeros at random places (one or several per slice)."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    a = rng.uniform(-3.0, 3.0, size=shape)
    a[rng.random(shape) < 0.3] = 0.0
    return [a.astype(dtype)]


NONEMPTY = unary_shapes(min_side=1)


def _aminmax(m, a, **kw):
    r = m.aminmax(a, **kw)
    return r.max * 2 + r.min, r.min, r.max


def _var_mean(m, a, **kw):
    v, mu = m.var_mean(a, **kw)
    return v + mu, v, mu


def _std_mean(m, a, **kw):
    s, mu = m.std_mean(a, **kw)
    return s * 3 + mu, s, mu


OPINFOS = [
    # sums and products
    OpInfo(
        "nansum",
        lambda m, a, **kw: m.nansum(a, **kw),
        kwargs=_dims,
        make_inputs=_special_inputs(np.nan, 0.4),
    ),
    OpInfo(
        "nanmean",
        lambda m, a, **kw: m.nanmean(a, **kw),
        kwargs=_dims,
        make_inputs=_special_inputs(np.nan, 0.4),
    ),
    OpInfo(
        "nanmean_plain",
        lambda m, a, **kw: a.nanmean(**kw),
        ops=("nanmean",),
        kwargs=_dims,
        shapes=NONEMPTY,
    ),
    OpInfo("prod", lambda m, a, **kw: m.prod(a, **kw), kwargs=_dim_or_none),
    OpInfo(
        "prod_zeros",
        lambda m, a, **kw: a.prod(**kw),
        ops=("prod",),
        kwargs=_dim_or_none,
        make_inputs=_zeros_anywhere,
    ),
    OpInfo("cumsum", lambda m, a, **kw: m.cumsum(a, **kw), kwargs=_dim_only),
    OpInfo("cumprod", lambda m, a, **kw: m.cumprod(a, **kw), kwargs=_dim_only),
    OpInfo(
        "cumprod_zeros",
        lambda m, a, **kw: a.cumprod(**kw),
        ops=("cumprod",),
        kwargs=_dim_only,
        make_inputs=_zeros_anywhere,
    ),
    # (an empty slice gives -inf, where finite differences are nan: see the semantics tests)
    OpInfo(
        "logsumexp", lambda m, a, **kw: m.logsumexp(a, **kw), kwargs=_dims_required, shapes=NONEMPTY
    ),
    OpInfo(
        "logsumexp_large",
        lambda m, a, **kw: a.logsumexp(**kw),
        ops=("logsumexp",),
        kwargs=_dims_required,
        domain=(80.0, 120.0),
        shapes=NONEMPTY,
    ),
    # moments and norms
    OpInfo("var", lambda m, a, **kw: m.var(a, **kw), kwargs=_var_kwargs, shapes=NONEMPTY),
    OpInfo("std", lambda m, a, **kw: a.std(**kw), kwargs=_var_kwargs, shapes=NONEMPTY),
    OpInfo("var_mean", _var_mean, ops=("var", "mean"), kwargs=_var_kwargs, shapes=NONEMPTY),
    OpInfo("std_mean", _std_mean, ops=("std", "mean"), kwargs=_var_kwargs, shapes=NONEMPTY),
    OpInfo(
        "norm_2", lambda m, a, **kw: m.norm(a, **kw), ops=("norm",), kwargs=_norm_kwargs([2, 2.0])
    ),
    OpInfo(
        "norm_fro",
        lambda m, a, **kw: a.norm(**kw),
        ops=("norm",),
        kwargs=_norm_kwargs(["fro"], tuple_dims=False),
    ),
    # torch's second derivatives of the 1- and inf-norms are ZeroTensors, which the harness
    # cannot read: tests/test_reduce_semantics.py checks them
    OpInfo(
        "norm_1",
        lambda m, a, **kw: a.norm(**kw),
        ops=("norm", "_red_sgn"),
        kwargs=_norm_kwargs([1]),
        gradgrad=False,
    ),
    OpInfo(
        "norm_p",
        lambda m, a, **kw: m.norm(a, **kw),
        ops=("norm",),
        kwargs=_norm_kwargs([3, 1.5, 0.5, -1.0, 4.5]),
        shapes=NONEMPTY,
    ),
    OpInfo(
        "norm_inf",
        lambda m, a, **kw: m.norm(a, **kw),
        ops=("norm",),
        kwargs=_norm_kwargs([INF, -INF]),
        shapes=NONEMPTY,
        avoid_ties=True,
        domain=ABS_DISTINCT,
        gradgrad=False,
    ),
    OpInfo(
        "norm_0",
        lambda m, a, **kw: m.norm(a, **kw),
        ops=("norm",),
        kwargs=_norm_kwargs([0]),
        grad=False,
    ),
    # max / min
    OpInfo(
        "amax", lambda m, a, **kw: m.amax(a, **kw), kwargs=_dims, shapes=NONEMPTY, avoid_ties=True
    ),
    OpInfo("amin", lambda m, a, **kw: a.amin(**kw), kwargs=_dims, shapes=NONEMPTY, avoid_ties=True),
    OpInfo("max_all", lambda m, a: m.max(a), shapes=NONEMPTY, avoid_ties=True),
    OpInfo("min_all", lambda m, a: a.min(), shapes=NONEMPTY, avoid_ties=True),
    OpInfo(
        "max_dim",
        lambda m, a, **kw: m.max(a, **kw),
        kwargs=_dim_keep,
        shapes=NONEMPTY,
        avoid_ties=True,
    ),
    OpInfo(
        "min_dim",
        lambda m, a, **kw: a.min(kw["dim"], kw["keepdim"]),
        kwargs=_dim_keep,
        shapes=NONEMPTY,
        avoid_ties=True,
    ),
    OpInfo(
        "aminmax",
        _aminmax,
        ops=("amin", "amax"),
        kwargs=_dim_keep,
        shapes=NONEMPTY,
        avoid_ties=True,
    ),
    OpInfo(
        "argmax",
        lambda m, a, **kw: m.argmax(a, **kw),
        kwargs=_dim_or_none,
        shapes=NONEMPTY,
        avoid_ties=True,
        grad=False,
    ),
    OpInfo(
        "argmin",
        lambda m, a, **kw: a.argmin(**kw),
        kwargs=_dim_or_none,
        shapes=NONEMPTY,
        avoid_ties=True,
        grad=False,
    ),
    # scans that select
    # (torch's double backward of an empty cummax returns the input itself: not mirrored)
    OpInfo(
        "cummax",
        lambda m, a, **kw: m.cummax(a, **kw),
        kwargs=_dim_only,
        avoid_ties=True,
        ops=("cummax", "_put_along", "_take_along"),
        shapes=NONEMPTY,
    ),
    OpInfo(
        "cummin",
        lambda m, a, **kw: a.cummin(**kw),
        kwargs=_dim_only,
        avoid_ties=True,
        shapes=NONEMPTY,
    ),
    # order statistics
    OpInfo("median_all", lambda m, a: m.median(a), shapes=NONEMPTY, avoid_ties=True),
    OpInfo(
        "median_dim",
        lambda m, a, **kw: a.median(**kw),
        kwargs=_dim_keep,
        shapes=NONEMPTY,
        avoid_ties=True,
    ),
    OpInfo(
        "nanmedian_all",
        lambda m, a: m.nanmedian(a),
        make_inputs=_special_inputs(np.nan, 0.4),
        ops=("nanmedian_all",),
    ),
    OpInfo(
        "nanmedian_dim",
        lambda m, a, **kw: a.nanmedian(**kw),
        kwargs=_dim_keep,
        make_inputs=_special_inputs(np.nan, 0.4),
    ),
    OpInfo(
        "mode",
        lambda m, a, **kw: m.mode(a, **kw),
        kwargs=_dim_keep,
        shapes=NONEMPTY,
        avoid_ties=True,
    ),
    OpInfo(
        "kthvalue",
        lambda m, a, **kw: m.kthvalue(a, **kw),
        kwargs=_kth_kwargs,
        shapes=NONEMPTY,
        avoid_ties=True,
    ),
    OpInfo(
        "sort",
        lambda m, a, **kw: m.sort(a, **kw),
        kwargs=_sort_kwargs,
        avoid_ties=True,
        ops=("sort", "_put_along", "_take_along"),
    ),
    OpInfo(
        "sort_method",
        lambda m, a, **kw: a.sort(kw["dim"], kw["descending"]),
        ops=("sort",),
        kwargs=_sort_kwargs,
        avoid_ties=True,
    ),
    OpInfo(
        "msort",
        lambda m, a: m.msort(a),
        ops=("sort",),
        shapes=unary_shapes(min_dims=1),
        avoid_ties=True,
    ),
    OpInfo(
        "argsort",
        lambda m, a, **kw: m.argsort(a, **kw),
        kwargs=_sort_kwargs,
        avoid_ties=True,
        grad=False,
    ),
    OpInfo("topk", lambda m, a, **kw: m.topk(a, **kw), kwargs=_topk_kwargs, avoid_ties=True),
    OpInfo(
        "topk_long",
        lambda m, a, **kw: a.topk(**kw),
        ops=("topk",),
        kwargs=_topk_kwargs,
        avoid_ties=True,
        shapes=unary_shapes(min_dims=1, max_dims=2, min_side=9, max_side=40),
    ),
]
