"""OpInfos of indexing (ember/_ops/index.py): __getitem__/__setitem__, gather/scatter,
index_* and masked_* ops. The big table of index expressions is tests/test_indexing.py."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.opinfo import OpInfo, fixed_shapes, make_array


def _arr(rng, shape, dtype, lo=-3.0, hi=3.0, distinct=False):
    return make_array(rng, shape, dtype, lo, hi, False, distinct)


# ---------------------------------------------------------------- index expressions
def _spec(draw, shape, adv):
    """A random index for `shape`: a tuple of ints, slices, None, Ellipsis and (with adv) names
    of index arrays / masks that come as separate keyword arrays."""
    spec = []
    arrays = {}
    d = 0
    nd = len(shape)
    used_ell = False
    while d < nd:
        choices = ["int", "slice", "none", "skip"]
        if adv:
            choices += ["arr", "arr", "mask"]
        if not used_ell:
            choices.append("ell")
        c = draw(st.sampled_from(choices))
        n = shape[d]
        if c == "int" and n:
            spec.append(draw(st.integers(-n, n - 1)))
            d += 1
        elif c == "slice":
            start = draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
            stop = draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
            step = draw(st.one_of(st.none(), st.integers(1, 3)))
            spec.append(slice(start, stop, step))
            d += 1
        elif c == "none":
            spec.append(None)
        elif c == "arr" and n:
            name = f"i{len(arrays)}"
            ishape = draw(st.sampled_from([(2,), (3,), (1,), (2, 2), (0,)]))
            arrays[name] = draw(hnp.arrays(np.int64, ishape, elements=st.integers(-n, n - 1)))
            spec.append(name)
            d += 1
        elif c == "mask":
            k = draw(st.integers(1, min(2, nd - d)))
            name = f"m{len(arrays)}"
            arrays[name] = draw(hnp.arrays(np.bool_, shape[d:d + k]))
            spec.append(name)
            d += k
        elif c == "ell":
            used_ell = True
            spec.append(Ellipsis)
            break
        else:
            break
    if not spec and draw(st.booleans()):
        spec.append(None)
    return tuple(spec), arrays


def _broadcastable(arrays):
    shapes = []
    for v in arrays.values():
        if v.dtype == bool:
            shapes += [(int(v.sum()),)] * v.ndim
        else:
            shapes.append(v.shape)
    try:
        np.broadcast_shapes(*shapes)
        return True
    except ValueError:
        return False


def _spec_kw(adv):
    def kw(draw, shapes):
        spec, arrays = _spec(draw, shapes[0], adv)
        if not _broadcastable(arrays):
            spec, arrays = tuple(x for x in spec if not isinstance(x, str)), {}
        return {"spec": spec, **arrays}

    return kw


def _index_of(spec, arrs):
    return tuple(arrs[x] if isinstance(x, str) else x for x in spec)


def _getitem(m, a, spec, **arrs):
    return a[_index_of(spec, arrs)]


def _index_shapes(min_side=0):
    return hnp.array_shapes(min_dims=0, max_dims=4, min_side=min_side, max_side=4).map(
        lambda s: (s,)
    )


# ---------------------------------------------------------------- setitem
def _set(index):
    def fn(m, a, v):
        y = a * 1
        y[index] = v
        return y

    return fn


def _set_mask(m, a, mask, v):
    y = a * 1
    y[mask] = v
    return y


def _mask_inputs(vshape):
    def make(draw, rng, dtype):
        shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
        return [_arr(rng, shape, dtype), rng.random(shape) < 0.5, _arr(rng, vshape, dtype)]

    return make


# ---------------------------------------------------------------- dim-wise inputs
def _gather_inputs(unique=False, src=False, lo=-3.0):
    def make(draw, rng, dtype):
        shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
        d = draw(st.integers(0, len(shape) - 1))
        ishape = tuple(draw(st.integers(0, s)) for s in shape)
        n = shape[d]
        if unique:
            ishape = ishape[:d] + (min(ishape[d], n),) + ishape[d + 1:]
            full = list(ishape)
            full[d] = n
            perm = np.argsort(rng.random(tuple(full)), axis=d)
            idx = np.take(perm, np.arange(ishape[d]), axis=d).astype(np.int64)
        else:
            idx = rng.integers(0, n, size=ishape).astype(np.int64)
        out = [_arr(rng, shape, dtype), idx, np.zeros((d + 1,), dtype=np.int64)]
        if src:
            # (torch's own backward breaks when src is larger than index: keep them equal)
            out.append(_arr(rng, ishape, dtype, lo=lo, distinct=True))
        return out

    return make


def _vec_index_inputs(unique=False, with_source=False, vec0d=False, nonneg=False):
    def make(draw, rng, dtype):
        shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
        d = draw(st.integers(0, len(shape) - 1))
        n = shape[d]
        if unique:
            k = draw(st.integers(0, n))
            idx = rng.permutation(n)[:k].astype(np.int64)
        else:
            lo = 0 if (with_source or nonneg) else -n
            idx = rng.integers(lo, n, size=draw(st.integers(0, 5)))
            idx = idx.astype(np.int64)
        if vec0d and draw(st.booleans()):
            idx = np.asarray(idx[0] if idx.size else 0, dtype=np.int64)
        out = [_arr(rng, shape, dtype), idx, np.zeros((d + 1,), dtype=np.int64)]
        if with_source:
            sshape = list(shape)
            sshape[d] = idx.size
            out.append(_arr(rng, tuple(sshape), dtype))
        return out

    return make


def _dim(t):
    return t.shape[0] - 1


def _masked_inputs(draw, rng, dtype, grow=True):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    mshape = shape[draw(st.integers(0, len(shape))):] if shape else ()
    mshape = tuple(1 if draw(st.booleans()) else s for s in mshape)
    if grow and draw(st.booleans()) and shape:
        # the mask may have more dims than the input (the result broadcasts)
        mshape = (2,) + tuple(shape)
    mask = rng.random(mshape) < 0.5
    return [_arr(rng, shape, dtype), mask, _arr(rng, (), dtype)]


def _masked_scatter_inputs(draw, rng, dtype):
    a, mask, _ = _masked_inputs(draw, rng, dtype)
    count = int(np.broadcast_to(mask, np.broadcast_shapes(mask.shape, a.shape)).sum())
    src = _arr(rng, (count + draw(st.integers(0, 2)),), dtype)
    return [a, mask, src]


def _take_inputs(draw, rng, dtype):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    n = int(np.prod(shape))
    ishape = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=4))
    return [_arr(rng, shape, dtype), rng.integers(-n, n, size=ishape).astype(np.int64)]


def _put_inputs(unique):
    def make(draw, rng, dtype):
        shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
        n = int(np.prod(shape))
        k = draw(st.integers(0, n))
        idx = rng.permutation(n)[:k] if unique else rng.integers(-n, n, size=k)
        return [_arr(rng, shape, dtype), idx.astype(np.int64), _arr(rng, (k,), dtype)]

    return make


def _tad_inputs(draw, rng, dtype):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    d = draw(st.integers(0, len(shape) - 1))
    ishape = tuple(draw(st.sampled_from([1, s])) for s in shape)
    ishape = ishape[:d] + (draw(st.integers(0, 4)),) + ishape[d + 1:]
    if draw(st.booleans()):
        # input broadcast against the indices (not along dim)
        shape = tuple(1 if (k != d and ishape[k] > 1 and draw(st.booleans())) else s
                      for k, s in enumerate(shape))
    idx = rng.integers(0, shape[d], size=ishape).astype(np.int64)
    return [_arr(rng, shape, dtype), idx, np.zeros((d + 1,), dtype=np.int64)]


def _scatter_reduce(reduce, include_self):
    def fn(m, a, idx, d, src):
        return m.scatter_reduce(a, _dim(d), idx, src, reduce, include_self=include_self)

    return fn


OPINFOS = [
    # __getitem__
    OpInfo("getitem_basic", _getitem, ops=("select", "slice"), shapes=_index_shapes(),
           kwargs=_spec_kw(False)),
    OpInfo("getitem_advanced", _getitem, ops=("index",), shapes=_index_shapes(min_side=1),
           kwargs=_spec_kw(True)),
    OpInfo("getitem_int", lambda m, a: a[1], ops=("select",),
           shapes=fixed_shapes(((3,),), ((2, 3),), ((3, 0, 2),))),
    OpInfo("getitem_repeated", lambda m, a: a[[0, 2, 0, -1]], ops=("index",),
           shapes=fixed_shapes(((3,),), ((3, 2),), ((4, 0),))),
    OpInfo("getitem_mixed", lambda m, a: a[1, :, [0, 0, 1]], ops=("index",),
           shapes=fixed_shapes(((2, 3, 2),), ((3, 0, 4),))),
    OpInfo("getitem_mask_tensor", lambda m, a, mask: a[mask], ops=("index",), nargs=2,
           make_inputs=lambda draw, rng, dtype: _mask_inputs(())(draw, rng, dtype)[:2]),
    # __setitem__ (a non-leaf written, the value requiring grad)
    OpInfo("setitem_int", _set(1), ops=("setitem",), nargs=2,
           shapes=fixed_shapes(((3, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), ()), ((2,), ()),
                               ((3, 4), (1, 1, 4)))),
    OpInfo("setitem_slice", _set((slice(None), slice(1, None, 2))), ops=("setitem",), nargs=2,
           shapes=fixed_shapes(((3, 4), (3, 2)), ((3, 4), (2,)), ((2, 4, 2), (2, 1)))),
    OpInfo("setitem_ellipsis_none", _set((Ellipsis, None, 0)), ops=("setitem",), nargs=2,
           shapes=fixed_shapes(((3, 4), (3, 1)), ((2, 3), ()), ((2,), (1,)))),
    OpInfo("setitem_list", _set([2, 0]), ops=("index_put",), nargs=2,
           shapes=fixed_shapes(((3, 4), (2, 4)), ((3, 4), (4,)), ((3,), (2,)), ((3, 2), ()))),
    OpInfo("setitem_mixed", _set((slice(None), [1, 0], 0)), ops=("index_put",), nargs=2,
           shapes=fixed_shapes(((3, 2, 2), (3, 2)), ((2, 3, 1), (1,)))),
    OpInfo("setitem_mask", _set_mask, ops=("index_put",), nargs=3,
           make_inputs=_mask_inputs(())),
    OpInfo("setitem_scalar", lambda m, a: _set([0, 1])(m, a, 2.5), ops=("index_put",),
           shapes=fixed_shapes(((3,),), ((2, 2),))),
    OpInfo("index_put_accumulate",
           lambda m, a, i, v: m.index_put(a, (i,), v, accumulate=True), ops=("index_put",),
           nargs=3, make_inputs=lambda draw, rng, dtype: [
               _arr(rng, (4, 3), dtype), rng.integers(-4, 4, size=6).astype(np.int64),
               _arr(rng, (6, 3), dtype)]),
    OpInfo("index_put_",
           lambda m, a, i, j, v: (a * 1).index_put_((i, j), v), ops=("index_put",),
           nargs=4, make_inputs=lambda draw, rng, dtype: [
               _arr(rng, (4, 3), dtype), np.array([0, 3, 1]), np.array([2, 0, 0]),
               _arr(rng, (3,), dtype)]),
    # gather / scatter
    OpInfo("gather", lambda m, a, idx, d: m.gather(a, _dim(d), idx), nargs=3,
           make_inputs=_gather_inputs()),
    OpInfo("scatter", lambda m, a, idx, d, src: m.scatter(a, _dim(d), idx, src), nargs=4,
           make_inputs=_gather_inputs(unique=True, src=True)),
    OpInfo("scatter_value", lambda m, a, idx, d: a.scatter(_dim(d), idx, 1.5),
           ops=("scatter",), nargs=3, make_inputs=_gather_inputs()),
    OpInfo("scatter_add", lambda m, a, idx, d, src: m.scatter_add(a, _dim(d), idx, src),
           nargs=4, make_inputs=_gather_inputs(src=True)),
    OpInfo("scatter_reduce_add", lambda m, a, idx, d, src: a.scatter(_dim(d), idx, src,
                                                                        reduce="add"),
           ops=("scatter_add",), nargs=4, make_inputs=_gather_inputs(src=True),
           grad=False),  # torch: "derivative for aten::scatter is not implemented"
    OpInfo("scatter_inplace", lambda m, a, idx, d, src: (a * 1).scatter_add_(_dim(d), idx, src),
           ops=("scatter_add",), nargs=4, make_inputs=_gather_inputs(src=True)),
    OpInfo("scatter_reduce_sum", _scatter_reduce("sum", True), ops=("scatter_reduce",), nargs=4,
           make_inputs=_gather_inputs(src=True)),
    OpInfo("scatter_reduce_sum_noself", _scatter_reduce("sum", False), ops=("scatter_reduce",),
           nargs=4, make_inputs=_gather_inputs(src=True)),
    OpInfo("scatter_reduce_mean", _scatter_reduce("mean", True), ops=("scatter_reduce",),
           nargs=4, make_inputs=_gather_inputs(src=True)),
    OpInfo("scatter_reduce_mean_noself", _scatter_reduce("mean", False),
           ops=("scatter_reduce",), nargs=4, make_inputs=_gather_inputs(src=True)),
    OpInfo("scatter_reduce_amax", _scatter_reduce("amax", True), ops=("scatter_reduce",),
           nargs=4, make_inputs=_gather_inputs(src=True)),
    OpInfo("scatter_reduce_amin_noself", _scatter_reduce("amin", False),
           ops=("scatter_reduce",), nargs=4, make_inputs=_gather_inputs(src=True)),
    OpInfo("scatter_reduce_prod", _scatter_reduce("prod", True), ops=("scatter_reduce",),
           nargs=4, make_inputs=_gather_inputs(src=True, lo=0.5), domain=(0.5, 2.0)),
    # dim-wise index ops
    OpInfo("index_select", lambda m, a, idx, d: m.index_select(a, _dim(d), idx), nargs=3,
           make_inputs=_vec_index_inputs(vec0d=True, nonneg=True)),
    OpInfo("index_add", lambda m, a, idx, d, s: m.index_add(a, _dim(d), idx, s, alpha=2.0),
           nargs=4, make_inputs=_vec_index_inputs(with_source=True)),
    OpInfo("index_add_inplace", lambda m, a, idx, d, s: (a * 1).index_add_(_dim(d), idx, s),
           ops=("index_add",), nargs=4, make_inputs=_vec_index_inputs(with_source=True)),
    OpInfo("index_copy", lambda m, a, idx, d, s: m.index_copy(a, _dim(d), idx, s), nargs=4,
           make_inputs=_vec_index_inputs(unique=True, with_source=True)),
    OpInfo("index_fill", lambda m, a, idx, d: m.index_fill(a, _dim(d), idx, -1.5), nargs=3,
           make_inputs=_vec_index_inputs()),
    OpInfo("index_fill_tensor",
           lambda m, a, idx, d, v: (a * 1).index_fill_(_dim(d), idx, v.sum()),
           ops=("index_fill",), nargs=4, make_inputs=lambda draw, rng, dtype: (
               # nonneg: torch's own backward for the value rejects negative indices
               _vec_index_inputs(nonneg=True)(draw, rng, dtype) + [_arr(rng, (), dtype)])),
    # masked ops
    OpInfo("masked_fill", lambda m, a, mask, v: m.masked_fill(a, mask, 0.5), nargs=3,
           make_inputs=_masked_inputs),
    OpInfo("masked_fill_tensor", lambda m, a, mask, v: a.masked_fill(mask, v),
           ops=("masked_fill",), nargs=3, make_inputs=_masked_inputs),
    OpInfo("masked_fill_inplace", lambda m, a, mask, v: (a * 1).masked_fill_(mask, v),
           ops=("masked_fill",), nargs=3,
           make_inputs=lambda draw, rng, dtype: _masked_inputs(draw, rng, dtype, False)),
    OpInfo("masked_select", lambda m, a, mask, v: m.masked_select(a, mask), nargs=3,
           make_inputs=_masked_inputs),
    OpInfo("masked_scatter", lambda m, a, mask, s: m.masked_scatter(a, mask, s), nargs=3,
           make_inputs=_masked_scatter_inputs),
    # flat index ops
    OpInfo("take", lambda m, a, idx: m.take(a, idx), nargs=2, make_inputs=_take_inputs),
    OpInfo("put", lambda m, a, idx, s: m.put(a, idx, s), nargs=3,
           make_inputs=_put_inputs(True)),
    OpInfo("put_accumulate", lambda m, a, idx, s: (a * 1).put_(idx, s, accumulate=True),
           ops=("put",), nargs=3, make_inputs=_put_inputs(False)),
    OpInfo("take_along_dim", lambda m, a, idx, d: m.take_along_dim(a, idx, _dim(d)),
           ops=("gather",), nargs=3, make_inputs=_tad_inputs),
    OpInfo("take_along_dim_flat", lambda m, a, idx, d: m.take_along_dim(a, idx),
           ops=("take",), nargs=3, make_inputs=_tad_inputs),
]
