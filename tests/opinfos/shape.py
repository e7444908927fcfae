"""OpInfos of the shape ops in ember/_ops/shape.py: cat/stack, split pieces, views, flips,
diagonals, triangles and repeats."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.opinfo import OpInfo, fixed_shapes, make_array, unary_shapes


def _arr(rng, shape, dtype):
    return make_array(rng, shape, dtype, -3.0, 3.0, False)


def _dim_of(draw, nd):
    return draw(st.integers(-nd, nd - 1)) if nd else 0


# ---------------------------------------------------------------- cat / stack
def _cat_inputs(n):
    def make(draw, rng, dtype):
        shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4))
        d = draw(st.integers(0, len(shape) - 1))
        out = []
        for _ in range(n):
            s = list(shape)
            s[d] = draw(st.integers(0, 3))
            out.append(_arr(rng, tuple(s), dtype))
        # a non-contiguous operand now and then
        if draw(st.booleans()) and out[0].ndim >= 2:
            out[0] = np.asfortranarray(out[0])
        return out

    return make


def _cat_dim(draw, shapes):
    nd = len(shapes[0])
    for k in range(nd):
        if len({s[k] for s in shapes}) > 1:
            return {"dim": k - nd if draw(st.booleans()) else k}
    return {"dim": _dim_of(draw, nd)}


def _stack_shapes(n):
    return hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4).map(
        lambda s: (s,) * n
    )


def _stack_dim(draw, shapes):
    nd = len(shapes[0]) + 1
    return {"dim": draw(st.integers(-nd, nd - 1))}


def _atleast_stack_shapes():
    # hstack/vstack/dstack accept tensors whose shapes agree once made >= 1/2/3-d
    return fixed_shapes(((3,), (3,)), ((2, 3), (2, 1)), ((), ()), ((2, 1, 3), (2, 2, 3)),
                        ((3,), (2,)), ((2, 2), (2, 2)))


# ---------------------------------------------------------------- dim / size strategies
def _one_dim(draw, shapes):
    return {"dim": _dim_of(draw, len(shapes[0]))}


def _narrow_kw(draw, shapes):
    shape = shapes[0]
    d = draw(st.integers(0, len(shape) - 1))
    n = shape[d]
    start = draw(st.integers(-n, n))
    s = start + n if start < 0 else start
    length = draw(st.integers(0, n - s))
    return {"dim": d, "start": start, "length": length}


def _select_kw(draw, shapes):
    shape = shapes[0]
    d = draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[d]
    return {"dim": d, "index": draw(st.integers(-n, n - 1))}


def _split_kw(draw, shapes):
    shape = shapes[0]
    d = draw(st.integers(0, len(shape) - 1))
    n = shape[d]
    if draw(st.booleans()):
        return {"dim": d, "split": draw(st.integers(1, 4))}
    sizes = []
    left = n
    while left:
        s = draw(st.integers(0, left))
        sizes.append(s)
        left -= s
        if len(sizes) > 3:
            sizes.append(left)
            break
    return {"dim": d, "split": sizes or [0]}


def _chunk_kw(draw, shapes):
    return {"dim": draw(st.integers(0, len(shapes[0]) - 1)), "chunks": draw(st.integers(1, 4))}


def _tsplit_kw(draw, shapes):
    d = draw(st.integers(0, len(shapes[0]) - 1))
    if draw(st.booleans()):
        return {"dim": d, "ios": draw(st.integers(1, 4))}
    n = shapes[0][d]
    return {"dim": d, "ios": draw(st.lists(st.integers(-n - 1, n + 1), max_size=3))}


def _flip_kw(draw, shapes):
    nd = len(shapes[0])
    if nd == 0:
        return {"dims": ()}
    return {"dims": tuple(draw(st.lists(st.integers(0, nd - 1), unique=True, max_size=nd)))}


def _roll_kw(draw, shapes):
    nd = len(shapes[0])
    if nd == 0 or draw(st.booleans()):
        return {"shifts": draw(st.integers(-5, 5)), "dims": None}
    dims = draw(st.lists(st.integers(-nd, nd - 1), min_size=1, max_size=nd))
    return {"shifts": tuple(draw(st.integers(-5, 5)) for _ in dims), "dims": tuple(dims)}


def _movedim_kw(draw, shapes):
    nd = len(shapes[0])
    src = draw(st.lists(st.integers(0, nd - 1), unique=True, min_size=1, max_size=nd))
    dst = draw(st.lists(st.integers(0, nd - 1), unique=True, min_size=len(src),
                        max_size=len(src)))
    return {"source": tuple(src), "destination": tuple(dst)}


def _diag_kw(draw, shapes):
    nd = len(shapes[0])
    d1, d2 = draw(st.lists(st.integers(-nd, nd - 1), min_size=2, max_size=2).filter(
        lambda v: v[0] % nd != v[1] % nd))
    return {"offset": draw(st.integers(-3, 3)), "dim1": d1, "dim2": d2}


def _diag_embed_kw(draw, shapes):
    nd = len(shapes[0]) + 1
    d1, d2 = draw(st.lists(st.integers(-nd, nd - 1), min_size=2, max_size=2).filter(
        lambda v: v[0] % nd != v[1] % nd))
    return {"offset": draw(st.integers(-2, 2)), "dim1": d1, "dim2": d2}


def _diag_scatter_inputs(draw, rng, dtype):
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=4, min_side=0, max_side=4))
    nd = len(shape)
    d1, d2 = draw(st.lists(st.integers(0, nd - 1), min_size=2, max_size=2, unique=True))
    off = draw(st.integers(-2, 2))
    a = _arr(rng, shape, dtype)
    src = _arr(rng, np.zeros(shape).diagonal(off, d1, d2).shape, dtype)
    # the dims travel in the shape of a third (unused) input: kwargs only see shapes
    return [a, src, np.zeros((d1 + 1, d2 + 1, off + 3), dtype=np.int64)]


def _diag_scatter_kw(draw, shapes):
    d1, d2, off = (s - 1 for s in shapes[2])
    return {"offset": off - 2, "dim1": d1, "dim2": d2}


def _diag_shapes():
    return st.one_of(unary_shapes(1, 1), unary_shapes(2, 2))


def _k_kw(draw, shapes):
    return {"diagonal": draw(st.integers(-3, 3))}


def _repeat_kw(draw, shapes):
    nd = len(shapes[0])
    extra = draw(st.integers(0 if nd else 1, 2))
    return {"reps": tuple(draw(st.integers(0, 3)) for _ in range(nd + extra))}


def _tile_kw(draw, shapes):
    return {"reps": tuple(draw(st.lists(st.integers(0, 3), max_size=4)))}


def _ri_kw(draw, shapes):
    nd = len(shapes[0])
    dim = None if nd == 0 or draw(st.booleans()) else draw(st.integers(-nd, nd - 1))
    return {"repeats": draw(st.integers(0, 3)), "dim": dim}


def _ri_tensor_inputs(draw, rng, dtype):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    d = draw(st.integers(0, len(shape) - 1))
    reps = rng.integers(0, 3, size=(shape[d],)).astype(np.int64)
    return [_arr(rng, shape, dtype), reps, np.zeros((d + 1,), dtype=np.int64)]


def _stack_list(m, a, b, **kw):
    return m.stack([a, b], **kw)


OPINFOS = [
    # cat / stack and friends
    OpInfo("cat", lambda m, a, b, c, dim: m.cat([a, b, c], dim), nargs=3,
           make_inputs=_cat_inputs(3), kwargs=_cat_dim),
    OpInfo("cat_empty_1d", lambda m, a, b: m.cat([a, m.zeros(0, dtype=a.dtype), b], 0),
           ops=("cat",), nargs=2,
           shapes=fixed_shapes(((2, 3), (1, 3)), ((0, 2), (2, 2)), ((0,), (0,)), ((3,), (0,)))),
    OpInfo("concat_tuple", lambda m, a, b: m.concat((a, b), dim=-1), ops=("cat",), nargs=2,
           shapes=fixed_shapes(((2, 3), (2, 1)), ((4,), (0,)), ((1, 2, 0), (1, 2, 3)))),
    OpInfo("cat_promote", lambda m, a, b: m.cat([a, b.double()]), ops=("cat",), nargs=2,
           dtypes=("float32",), shapes=fixed_shapes(((2, 3), (1, 3)))),
    OpInfo("stack", _stack_list, nargs=2, shapes=_stack_shapes(2), kwargs=_stack_dim),
    OpInfo("hstack", lambda m, a, b: m.hstack([a, b]), ops=("cat",), nargs=2,
           shapes=_atleast_stack_shapes()),
    OpInfo("vstack", lambda m, a, b: m.vstack((a, b)), ops=("cat",), nargs=2,
           shapes=fixed_shapes(((3,), (3,)), ((2, 3), (1, 3)), ((), ()), ((1, 2), (2,)))),
    OpInfo("dstack", lambda m, a, b: m.dstack([a, b]), ops=("cat",), nargs=2,
           shapes=fixed_shapes(((3,), (3,)), ((2, 3), (2, 3)), ((), ()), ((2, 3, 1), (2, 3, 2)))),
    OpInfo("column_stack", lambda m, a, b: m.column_stack([a, b]), ops=("cat",), nargs=2,
           shapes=fixed_shapes(((3,), (3,)), ((3, 2), (3,)), ((), ()))),
    OpInfo("atleast_3d", lambda m, a: m.atleast_3d(a) * 1, ops=("view",)),
    OpInfo("atleast_2d_many", lambda m, a, b: m.cat(m.atleast_2d(a, b), 0), ops=("cat",),
           nargs=2, shapes=fixed_shapes(((3,), (3,)), ((), ()), ((2, 1), (1,)))),
    OpInfo("ravel", lambda m, a: m.ravel(a), ops=("view", "reshape_copy")),
    # views cut along one dim
    OpInfo("narrow", lambda m, a, dim, start, length: m.narrow(a, dim, start, length),
           ops=("slice",), shapes=unary_shapes(min_dims=1), kwargs=_narrow_kw),
    OpInfo("select", lambda m, a, dim, index: m.select(a, dim, index),
           shapes=unary_shapes(min_dims=1, min_side=1), kwargs=_select_kw),
    OpInfo("unbind", lambda m, a, dim: m.stack(list(reversed(m.unbind(a, dim))), dim),
           ops=("unbind", "stack"), shapes=unary_shapes(min_dims=1, min_side=1),
           kwargs=_one_dim),
    OpInfo("split", lambda m, a, dim, split: m.cat(m.split(a, split, dim)[::-1], dim),
           ops=("split", "split_with_sizes", "cat"), shapes=unary_shapes(min_dims=1), kwargs=_split_kw),
    OpInfo("split_first_piece", lambda m, a: a.split(2)[0] * 2, ops=("split",),
           shapes=unary_shapes(min_dims=1)),
    OpInfo("chunk", lambda m, a, dim, chunks: m.cat(m.chunk(a, chunks, dim)[::-1], dim),
           ops=("split", "cat"), shapes=unary_shapes(min_dims=1), kwargs=_chunk_kw),
    OpInfo("tensor_split",
           lambda m, a, dim, ios: m.cat(m.tensor_split(a, ios, dim)[::-1], dim),
           ops=("slice", "cat"), shapes=unary_shapes(min_dims=1), kwargs=_tsplit_kw),
    OpInfo("movedim", lambda m, a, **kw: m.movedim(a, **kw), ops=("permute",),
           shapes=unary_shapes(min_dims=1), kwargs=_movedim_kw),
    OpInfo("moveaxis_int", lambda m, a: a.moveaxis(0, -1), ops=("permute",),
           shapes=unary_shapes(min_dims=1)),
    # flips and rolls
    OpInfo("flip", lambda m, a, dims: m.flip(a, dims), kwargs=_flip_kw),
    OpInfo("flip_method", lambda m, a: a.flip(0, -1), ops=("flip",),
           shapes=unary_shapes(min_dims=2)),
    OpInfo("fliplr", lambda m, a: m.fliplr(a), ops=("flip",), shapes=unary_shapes(min_dims=2)),
    OpInfo("flipud", lambda m, a: m.flipud(a), ops=("flip",), shapes=unary_shapes(min_dims=1)),
    OpInfo("roll", lambda m, a, shifts, dims: m.roll(a, shifts, dims), kwargs=_roll_kw),
    # diagonals and triangles
    OpInfo("diagonal", lambda m, a, **kw: m.diagonal(a, **kw), shapes=unary_shapes(min_dims=2),
           kwargs=_diag_kw),
    OpInfo("diagonal_method_t", lambda m, a: a.t().diagonal(1), ops=("diagonal",),
           shapes=unary_shapes(2, 2)),
    OpInfo("diagonal_scatter", lambda m, a, s, _d, **kw: m.diagonal_scatter(a, s, **kw),
           nargs=3, make_inputs=_diag_scatter_inputs, kwargs=_diag_scatter_kw),
    OpInfo("diag_embed", lambda m, a, **kw: m.diag_embed(a, **kw),
           shapes=unary_shapes(min_dims=1, max_dims=3), kwargs=_diag_embed_kw),
    OpInfo("diag", lambda m, a, **kw: m.diag(a, **kw), ops=("diag_embed", "diagonal", "clone"),
           shapes=_diag_shapes(), kwargs=_k_kw),
    OpInfo("tril", lambda m, a, **kw: m.tril(a, **kw), shapes=unary_shapes(min_dims=2),
           kwargs=_k_kw),
    OpInfo("triu", lambda m, a, **kw: a.triu(**kw), shapes=unary_shapes(min_dims=2),
           kwargs=_k_kw),
    OpInfo("tril_inplace", lambda m, a: (a * 1).tril_(-1), ops=("tril",),
           shapes=unary_shapes(min_dims=2)),
    # repeats
    OpInfo("repeat", lambda m, a, reps: a.repeat(*reps), shapes=unary_shapes(max_dims=3),
           kwargs=_repeat_kw),
    OpInfo("tile", lambda m, a, reps: m.tile(a, reps), ops=("repeat",),
           shapes=unary_shapes(max_dims=3), kwargs=_tile_kw),
    OpInfo("repeat_interleave",
           lambda m, a, repeats, dim: m.repeat_interleave(a, repeats, dim),
           ops=("expand", "view", "reshape_copy"), shapes=unary_shapes(max_dims=3),
           kwargs=_ri_kw),
    OpInfo("repeat_interleave_tensor",
           lambda m, a, r, d: m.repeat_interleave(a, r, dim=d.shape[0] - 1),
           ops=("index_select",), nargs=3, make_inputs=_ri_tensor_inputs),
]
