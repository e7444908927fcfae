"""Reductions beyond the op table: integer and bool dtypes, named result tuples, empty tensors,
NaNs and ties, unique, error types and messages. Expected values come from torch 2.13.0."""

import pickle
import re
import warnings

import numpy as np
import pytest
import torch

import ember

NAN = float("nan")
INF = float("inf")


# ---------------------------------------------------------------- helpers
def _np(t):
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    return np.asarray(t.detach().cpu().numpy())


def _tensors(m, arrays, requires_grad=False):
    out = []
    for a in arrays:
        t = m.tensor(a)
        if requires_grad and a.dtype.kind == "f":
            t.requires_grad_(True)
        out.append(t)
    return out


def _flat(out):
    if isinstance(out, (tuple, list)):
        res = []
        for o in out:
            res.extend(_flat(o))
        return res
    return [out]


def _same(a, b, what=""):
    """Same shape, same dtype, same values (NaNs in the same places)."""
    if not isinstance(b, torch.Tensor):
        assert a == b, what
        return
    x = _np(a)
    y = _np(b)
    assert x.shape == y.shape, f"{what}: shape {x.shape} != torch {y.shape}"
    assert str(x.dtype) == str(y.dtype), f"{what}: dtype {x.dtype} != torch {y.dtype}"
    if x.dtype.kind in "fc":
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(x, y, err_msg=what)


def both(fn, *arrays):
    """fn(m, *tensors) on ember and torch: every output the same."""
    ours = fn(ember, *_tensors(ember, arrays))
    theirs = fn(torch, *_tensors(torch, arrays))
    a = _flat(ours)
    b = _flat(theirs)
    assert len(a) == len(b)
    for i, (x, y) in enumerate(zip(a, b)):
        _same(x, y, f"output {i}")


def grads(fn, *arrays, up=None):
    """The gradients of fn(m, *tensors) (first output) on ember and torch are the same."""
    res = []
    for m in (ember, torch):
        ts = _tensors(m, arrays, requires_grad=True)
        out = _flat(fn(m, *ts))[0]
        g = m.ones_like(out) if up is None else m.tensor(up, dtype=out.dtype)
        res.append(m.autograd.grad(out, ts, g, allow_unused=True))
    for i, (x, y) in enumerate(zip(*res)):
        assert (x is None) == (y is None), f"grad {i}: {x} vs torch {y}"
        if y is not None:
            _same(x, y, f"grad {i}")


def same_error(fn, *arrays):
    """fn raises the same exception type with the same message on ember and torch."""
    kind, value = _torch_error(fn, arrays)
    message = "^" + re.escape(str(value).split("\n")[0])
    with pytest.raises(kind, match=message), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fn(ember, *_tensors(ember, arrays))


def _torch_error(fn, arrays):
    with pytest.raises(Exception) as te, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fn(torch, *_tensors(torch, arrays))
    return te.type, te.value


def arr(values, dtype):
    return np.array(values, dtype=dtype)


INT_DTYPES = ["int64", "int32", "int16", "int8", "uint8", "bool"]
M = arr([[3, 0, 2], [1, 5, 1]], "int64")


# ---------------------------------------------------------------- integer and bool dtypes
@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("name", ["sum", "prod", "nansum"])
def test_integer_sums_accumulate_in_int64(name, dtype):
    a = M.astype(dtype)
    both(lambda m, x: getattr(m, name)(x), a)
    both(lambda m, x: getattr(m, name)(x, 1, keepdim=True), a)
    both(lambda m, x: getattr(x, name)(0), a)


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_integer_scans_accumulate_in_int64(name, dtype):
    a = M.astype(dtype)
    both(lambda m, x: getattr(m, name)(x, 1), a)
    both(lambda m, x: getattr(x, name)(dim=0), a)


def test_sum_dtype_argument_and_uint8_overflow():
    both(lambda m, x: m.sum(x), arr([200, 100], "uint8"))
    both(lambda m, x: m.sum(x, dtype=m.int32), arr([1.5, 2.5], "float32"))
    both(lambda m, x: m.cumsum(x, 0, dtype=m.float64), arr([1, 2, 3], "int32"))
    both(lambda m, x: m.prod(x, dtype=m.float32), arr([2, 3], "int64"))


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_max_min_keep_integer_dtype(dtype):
    a = M.astype(dtype)
    both(lambda m, x: (x.max(), x.min(), m.amax(x, 0), m.amin(x, (0, 1))), a)
    both(lambda m, x: tuple(m.max(x, 1)) + tuple(x.min(0, True)), a)
    both(lambda m, x: tuple(m.aminmax(x)) + tuple(x.aminmax(dim=1)), a)
    both(lambda m, x: tuple(m.cummax(x, 1)) + tuple(x.cummin(0)), a)
    both(lambda m, x: tuple(m.sort(x, 1)) + tuple(x.sort(0, descending=True)), a)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8"])
def test_integer_selection_ops(dtype):
    # argmax takes the first of equal values; median, kthvalue and topk leave ties unspecified
    both(lambda m, x: (m.argmax(x), x.argmin(1), x.argmax(0, keepdim=True)), M.astype(dtype))
    a = arr([[3, 0, 2], [1, 5, 4]], dtype)
    both(lambda m, x: (m.median(x),) + tuple(x.median(1)) + tuple(m.nanmedian(x, 0)), a)
    both(lambda m, x: tuple(m.topk(x, 2)) + tuple(m.kthvalue(x, 2, 1)), a)
    both(lambda m, x: tuple(m.mode(x, 1)) + tuple(x.mode(0, True)), a)


def test_mode_with_repeats():
    a = arr([[3, 2, 2, 3, 5], [1, 1, 4, 1, 0], [7, 8, 9, 8, 7]], "int64")
    both(lambda m, x: tuple(m.mode(x, 1)), a)
    both(lambda m, x: tuple(m.mode(x, 0, keepdim=True)), a)
    both(lambda m, x: tuple(x.mode()), a.astype("float32"))
    both(lambda m, x: tuple(m.mode(x)), arr([1.0, 3, 2, 3, 3, 1], "float64"))


@pytest.mark.parametrize("dtype", ["uint8", "bool", "int64", "float32"])
def test_all_any_dtypes(dtype):
    a = arr([[1, 0, 2], [3, 4, 5]], "int64").astype(dtype)
    both(lambda m, x: (m.all(x), m.any(x), x.all(1), x.any(0, keepdim=True)), a)
    both(lambda m, x: (m.all(x, dim=(0, 1)), m.any(x, dim=()), m.all(x, dim=())), a)
    both(lambda m, x: (m.count_nonzero(x), x.count_nonzero(0), m.count_nonzero(x, (0, 1))), a)


def test_logsumexp_of_integers_is_float():
    both(lambda m, x: m.logsumexp(x, 0), arr([1, 2], "int64"))
    both(lambda m, x: m.logsumexp(x, 0), arr([True, False], "bool"))


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool", "uint8"])
@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: m.mean(x),
        lambda m, x: x.mean(0),
        lambda m, x: m.nanmean(x),
        lambda m, x: m.var(x),
        lambda m, x: x.std(0),
        lambda m, x: m.var_mean(x),
        lambda m, x: m.std_mean(x, 0),
        lambda m, x: m.norm(x),
    ],
)
def test_float_only_reductions_refuse_integers(call, dtype):
    same_error(call, arr([1, 0, 1], dtype))


def test_bool_refusals():
    b = arr([True, False, True], "bool")
    same_error(lambda m, x: m.argmax(x), b)
    same_error(lambda m, x: x.argmin(0), b)
    same_error(lambda m, x: m.topk(x, 1), b)
    same_error(lambda m, x: m.median(x), b)
    same_error(lambda m, x: x.kthvalue(1), b)


# ---------------------------------------------------------------- return types
def test_return_type_behaves_like_torch_structseq():
    a = arr([[1.0, 3.0], [2.0, 0.0]], "float32")
    for m in (ember, torch):
        r = m.tensor(a).max(1)
        assert isinstance(r, tuple)
        assert len(r) == 2
        assert type(r).__name__ == "max"
        v, i = r
        assert v is r.values and i is r.indices
        assert r[0] is r.values and r[-1] is r.indices
        assert isinstance(r[:1], tuple) and len(r[:1]) == 1
        assert _np(r.values).tolist() == [3.0, 2.0]
        assert _np(r.indices).tolist() == [1, 0]
        assert repr(r) == f"torch.return_types.max(\nvalues={r.values!r},\nindices={r.indices!r})"
        assert str(r) == repr(r)


@pytest.mark.parametrize(
    "name,fields",
    [
        ("max", ("values", "indices")),
        ("min", ("values", "indices")),
        ("sort", ("values", "indices")),
        ("topk", ("values", "indices")),
        ("kthvalue", ("values", "indices")),
        ("median", ("values", "indices")),
        ("nanmedian", ("values", "indices")),
        ("mode", ("values", "indices")),
        ("cummax", ("values", "indices")),
        ("cummin", ("values", "indices")),
        ("aminmax", ("min", "max")),
        ("slogdet", ("sign", "logabsdet")),
        ("linalg_svd", ("U", "S", "Vh")),
        ("qr", ("Q", "R")),
    ],
)
def test_return_type_fields_match_torch(name, fields):
    from ember import _return_types as RT

    ours = getattr(RT, name)
    theirs = getattr(torch.return_types, name)
    n = len(fields)
    assert ours.n_fields == theirs.n_fields == n
    r = ours(tuple(range(n)))
    t = theirs(tuple(range(n)))
    assert repr(r) == repr(t)
    for i, f in enumerate(fields):
        assert getattr(r, f) == getattr(t, f) == i


def test_return_type_wrong_length_and_pickle():
    from ember import _return_types as RT

    with pytest.raises(TypeError) as te:
        torch.return_types.max((1, 2, 3))
    with pytest.raises(TypeError, match=re.escape(str(te.value))):
        RT.max((1, 2, 3))
    r = RT.sort((1, 2))
    r2 = pickle.loads(pickle.dumps(r))
    assert type(r2) is RT.sort and r2 == r and r2.indices == 2


def test_each_selecting_op_returns_its_named_type():
    a = arr([[1.0, 3.0, 2.0], [2.0, 0.0, 5.0]], "float64")
    x = ember.tensor(a)
    cases = {
        "max": x.max(1),
        "min": x.min(0),
        "sort": x.sort(),
        "topk": x.topk(2),
        "kthvalue": x.kthvalue(1),
        "median": x.median(1),
        "nanmedian": x.nanmedian(0),
        "mode": x.mode(),
        "cummax": x.cummax(1),
        "cummin": x.cummin(0),
        "aminmax": x.aminmax(),
    }
    for name, r in cases.items():
        assert type(r).__name__ == name
        assert repr(r).startswith(f"torch.return_types.{name}(\n")


# ---------------------------------------------------------------- empty tensors
EMPTY = np.zeros((0,), "float32")
EMPTY23 = np.zeros((2, 0), "float32")


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: x.sum(),
        lambda m, x: x.prod(),
        lambda m, x: x.mean(),
        lambda m, x: x.nansum(),
        lambda m, x: x.nanmean(),
        lambda m, x: x.var(correction=0),
        lambda m, x: x.std(correction=0),
        lambda m, x: x.median(),
        lambda m, x: x.nanmedian(),
        lambda m, x: x.logsumexp(0),
        lambda m, x: x.norm(),
        lambda m, x: x.norm(1),
        lambda m, x: x.all(),
        lambda m, x: x.any(),
        lambda m, x: x.count_nonzero(),
        lambda m, x: x.cumsum(0),
        lambda m, x: x.cumprod(0),
        lambda m, x: tuple(x.sort()),
        lambda m, x: tuple(x.topk(0)),
        lambda m, x: tuple(x.cummax(0)),
        lambda m, x: x.argsort(),
    ],
)
def test_empty_reductions_match_torch(call):
    both(call, EMPTY)


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: tuple(x.max(0)),
        lambda m, x: tuple(x.min(0, keepdim=True)),
        lambda m, x: x.amax(0),
        lambda m, x: x.argmax(0),
        lambda m, x: tuple(x.median(0)),
        lambda m, x: tuple(x.kthvalue(1, 0)),
        lambda m, x: tuple(x.aminmax(dim=0)),
        lambda m, x: x.logsumexp(1),
        lambda m, x: x.norm(INF, dim=0),
        lambda m, x: x.prod(1),
        lambda m, x: x.sum(1),
        lambda m, x: x.var(0),
        lambda m, x: tuple(x.sort(1)),
        lambda m, x: tuple(x.topk(0, 1)),
    ],
)
def test_reducing_a_nonempty_dim_of_an_empty_tensor(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both(call, EMPTY23)


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: x.max(),
        lambda m, x: m.min(x),
        lambda m, x: x.amax(),
        lambda m, x: m.amin(x, ()),
        lambda m, x: x.argmax(),
        lambda m, x: m.argmin(x),
        lambda m, x: x.aminmax(),
        lambda m, x: x.norm(INF),
        lambda m, x: x.norm(-1),
    ],
)
def test_empty_whole_reductions_without_identity_raise_like_torch(call):
    same_error(call, EMPTY)


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: x.max(1),
        lambda m, x: x.min(-1),
        lambda m, x: x.amax((0, 1)),
        lambda m, x: x.amin(1),
        lambda m, x: x.argmax(1),
        lambda m, x: x.median(1),
        lambda m, x: x.mode(1),
        lambda m, x: x.kthvalue(1, 1),
        lambda m, x: x.aminmax(dim=1),
        lambda m, x: x.norm(INF, dim=1),
    ],
)
def test_empty_reduced_dim_raises_like_torch(call):
    same_error(call, EMPTY23)


def test_var_warns_when_degrees_of_freedom_run_out():
    x = ember.tensor([1.0])
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        r = x.var()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = torch.tensor([1.0]).var()
    _same(r, t)


# ---------------------------------------------------------------- unique
@pytest.mark.parametrize(
    "values,dtype",
    [
        ([3, 1, 2, 3, 1, 7], "int64"),
        ([[3, 1], [2, 3], [3, 1]], "int64"),
        ([2.5, -1.0, 2.5, 0.0, -0.0], "float32"),
        ([True, False, True], "bool"),
        ([], "float32"),
        (5, "int32"),
    ],
)
@pytest.mark.parametrize("inverse", [False, True])
@pytest.mark.parametrize("counts", [False, True])
def test_unique_matches_torch(values, dtype, inverse, counts):
    a = arr(values, dtype)
    both(lambda m, x: m.unique(x, return_inverse=inverse, return_counts=counts), a)
    both(lambda m, x: x.unique(sorted=False, return_inverse=inverse, return_counts=counts), a)
    both(lambda m, x: m.unique_consecutive(x, return_inverse=inverse, return_counts=counts), a)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_unique_along_dim_matches_torch(dim):
    a = arr([[3, 1, 3], [2, 3, 2], [3, 1, 3], [2, 3, 2]], "int64")
    both(lambda m, x: m.unique(x, dim=dim, return_inverse=True, return_counts=True), a)
    both(lambda m, x: m.unique(x, dim=dim), a)
    both(lambda m, x: m.unique_consecutive(x, dim=dim, return_inverse=True, return_counts=True), a)


def test_unique_errors():
    same_error(lambda m, x: m.unique(x, dim=0), arr(2.0, "float32"))
    same_error(lambda m, x: m.unique(x, dim=3), arr([[1, 2]], "int64"))


# ---------------------------------------------------------------- dims and keyword forms
@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: x.sum(2),
        lambda m, x: x.mean(-3),
        lambda m, x: x.prod(2),
        lambda m, x: x.max(2),
        lambda m, x: x.amax(-3),
        lambda m, x: x.argmax(2),
        lambda m, x: x.var(2),
        lambda m, x: x.logsumexp(2),
        lambda m, x: x.cumsum(2),
        lambda m, x: x.cummax(-3),
        lambda m, x: x.sort(3),
        lambda m, x: x.argsort(2),
        lambda m, x: x.topk(1, 2),
        lambda m, x: x.kthvalue(1, 2),
        lambda m, x: x.median(2),
        lambda m, x: x.mode(2),
        lambda m, x: x.all(2),
        lambda m, x: x.count_nonzero(2),
        lambda m, x: x.norm(dim=2),
        lambda m, x: x.sum((0, 0)),
        lambda m, x: x.amax((1, -1)),
        lambda m, x: x.topk(4),
        lambda m, x: x.topk(-1),
        lambda m, x: x.kthvalue(0),
        lambda m, x: x.kthvalue(4),
        lambda m, x: x.norm("abc"),
    ],
)
def test_bad_dims_and_ranges_raise_like_torch(call):
    same_error(call, np.ones((2, 3), "float32"))


def test_zero_dim_tensors():
    s = arr(3.0, "float32")
    both(lambda m, x: tuple(x.max(0)) + tuple(x.min(-1, True)) + (x.sum(0), x.amax(0)), s)
    both(lambda m, x: tuple(x.sort(0)) + tuple(x.topk(1)) + tuple(x.kthvalue(1)), s)
    both(lambda m, x: tuple(x.cummax(0)) + tuple(x.median(0)) + (x.cumsum(0), x.cumprod(0)), s)
    both(lambda m, x: (x.argmax(0), x.argmax(), x.logsumexp(0), x.std(correction=0)), s)
    same_error(lambda m, x: x.max(1), s)
    same_error(lambda m, x: x.topk(2), s)


def test_numpy_aliases_and_legacy_arguments():
    a = np.arange(12, dtype="float32").reshape(3, 4) % 5
    both(lambda m, x: (m.sum(x, axis=0, keepdims=True), x.mean(axis=1)), a)
    both(lambda m, x: tuple(x.max(axis=0)) + (x.amax(axis=1, keepdims=True),), a)
    both(lambda m, x: (m.var(x, True), m.std(x, 1, False, True), x.var(0, correction=2)), a)
    both(lambda m, x: (x.var(unbiased=False), m.std(x, dim=(0, 1), correction=0.5)), a)
    both(lambda m, x: m.var_mean(x, 1, keepdim=True) + m.std_mean(x, correction=0), a)
    both(lambda m, x: (x.argmax(keepdim=True), m.argmin(x, dim=None)), a)
    both(lambda m, x: tuple(m.max(x, 1, True)) + tuple(m.median(x, dim=0, keepdim=True)), a)
    both(lambda m, x: (m.cumsum(x, axis=1), m.sort(x, 0, True).values), a)
    both(lambda m, x: (m.argsort(x, 1, True), m.argsort(x, dim=0, stable=True)), a)
    both(lambda m, x: (m.msort(x), x.norm(p="fro", dim=(0, 1)), m.norm(x, 3, 1, True)), a)
    both(lambda m, x: tuple(m.topk(x, 2, 0, largest=False)), a)


def test_logsumexp_needs_dim_and_is_stable():
    same_error(lambda m, x: m.logsumexp(x), arr([1.0, 2.0], "float32"))
    both(
        lambda m, x: (x.logsumexp(0), x.logsumexp(0, keepdim=True)),
        arr([1000.0, 1000.0, -INF], "float32"),
    )
    both(lambda m, x: x.logsumexp((0, 1)), arr([[-INF, -INF], [INF, 1.0]], "float64"))


def test_cumsum_needs_dim():
    same_error(lambda m, x: m.cumsum(x), arr([1.0, 2.0], "float32"))


def test_max_with_a_tensor_is_maximum():
    a = arr([[1.0, 5.0], [3.0, -1.0]], "float32")
    b = arr([2.0, 2.0], "float32")
    both(lambda m, x, y: (m.max(x, y), x.min(y), x.max(y), m.min(y, x)), a, b)
    grads(lambda m, x, y: m.max(x, y) * m.min(x, y), a, b)


def test_in_place_scans():
    a = arr([[1.0, 2.0, 3.0], [4.0, 0.5, 2.0]], "float64")
    both(lambda m, x: (x.clone().cumsum_(1), x.clone().cumprod_(1)), a)
    both(lambda m, x: (x.clone().cumsum_(dim=0), x.clone().cumprod_(0)), a)
    both(lambda m, x: x.clone().cumprod_(0).cumsum_(1), arr([[1, 2], [3, 4]], "int64"))


# ---------------------------------------------------------------- NaNs and ties
N1 = arr([[1.0, NAN, 3.0, NAN], [1.0, 2.0, 3.0, 4.0]], "float32")


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: tuple(x.max(1)) + tuple(x.min(1)),
        lambda m, x: (x.max(), x.amax(1), x.argmax(1), x.argmin(), x.argmax(0)),
        lambda m, x: tuple(x.cummax(1)) + tuple(x.cummin(1)),
        lambda m, x: tuple(x.median(1)) + tuple(x.nanmedian(1)) + (x.median(), x.nanmedian()),
        lambda m, x: tuple(x.sort(1)) + tuple(x.sort(1, descending=True)),
        lambda m, x: tuple(x.topk(2)) + tuple(x.topk(2, largest=False)),
        lambda m, x: (x.nansum(1), x.nanmean(), x.nanmean(0), x.logsumexp(1), x.sum(1)),
    ],
)
def test_nan_handling_matches_torch(call):
    both(call, N1)


def test_nanmedian_of_all_nan_slice():
    a = arr([[NAN, NAN], [1.0, 2.0], [NAN, 3.0]], "float64")
    both(lambda m, x: tuple(x.nanmedian(1)) + (x.nanmedian(),), a)
    both(lambda m, x: x.nanmedian(), arr([NAN, NAN], "float64"))


def test_cummax_ties_and_nans_match_torch():
    both(
        lambda m, x: tuple(x.cummax(0)) + tuple(x.cummin(0)),
        arr([1.0, 3, 2, 3, 3, 1, NAN, 5, NAN, 0], "float64"),
    )
    grads(
        lambda m, x: x.cummax(0).values,
        arr([1.0, 3, 2, 3, 3, 1], "float64"),
        up=arr([1.0, 2, 3, 4, 5, 6], "float64"),
    )
    grads(lambda m, x: x.cummin(0).values, arr([3.0, 1, 2, 1, 1, 5], "float64"))


def test_sort_is_stable_like_torch():
    a = arr([[2, 1, 2, 1, 3, 1], [0, 0, 0, 0, 0, 0]], "float32")
    both(
        lambda m, x: (
            tuple(x.sort(dim=1, stable=True)) + tuple(x.sort(dim=1, descending=True, stable=True))
        ),
        a,
    )
    both(
        lambda m, x: (
            x.argsort(dim=1, stable=True),
            m.argsort(x, dim=1, descending=True, stable=True),
        ),
        a,
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: x.max(),
        lambda m, x: m.min(x),
        lambda m, x: x.amax(),
        lambda m, x: x.amax(1),
        lambda m, x: m.amin(x, (0, 1), keepdim=True),
        lambda m, x: x.aminmax().max + 2 * x.aminmax().min,
        lambda m, x: x.median(),
        lambda m, x: x.norm(INF, dim=1),
        lambda m, x: x.norm(-INF),
    ],
)
def test_ties_share_the_gradient_like_torch(call):
    a = arr([[1.0, 3.0, 3.0, -3.0], [2.0, 2.0, 0.5, 2.0]], "float64")
    grads(call, a, up=None)


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: x.max(),
        lambda m, x: x.min(),
        lambda m, x: x.amax(),
        lambda m, x: x.amax(1),
        lambda m, x: x.median(),
        lambda m, x: x.nanmedian(),
        lambda m, x: x.max(1).values,
        lambda m, x: x.nansum(),
        lambda m, x: x.nanmean(1),
    ],
)
def test_nan_gradients_like_torch(call):
    grads(call, arr([[1.0, NAN, 3.0, NAN], [2.0, 1.0, 0.5, 2.5]], "float64"))


def test_nanmean_of_all_nan_gradient():
    grads(lambda m, x: x.nanmean(), arr([NAN, NAN], "float64"))


# ---------------------------------------------------------------- gradients at edge points
@pytest.mark.parametrize(
    "values",
    [
        [2.0, 0.0, 3.0],
        [2.0, 0.0, 0.0],
        [[2.0, 0.0, 3.0], [1.0, 2.0, 3.0]],
        [[0.0, 0.0, 3.0], [0.0, 2.0, 3.0]],
    ],
)
def test_prod_gradient_with_zeros(values):
    a = arr(values, "float64")
    up = np.arange(1.0, 4.0) if a.ndim == 2 else None
    grads(lambda m, x: x.prod(), a)
    grads(lambda m, x: x.prod(-1), a, up=None if a.ndim == 1 else arr([2.0, -1.0], "float64"))
    if a.ndim == 2:
        grads(lambda m, x: x.prod(0), a, up=up)


@pytest.mark.parametrize(
    "values",
    [
        [2.0, 0.0, 3.0, 0.0, 5.0],
        [0.0, 1.5, -2.0],
        [[1.0, 2.0, 0.0, 4.0], [0.0, 0.0, 1.0, 2.0]],
    ],
)
def test_cumprod_gradient_with_zeros(values):
    a = arr(values, "float64")
    up = np.linspace(-1.0, 2.0, a.size).reshape(a.shape)
    grads(lambda m, x: x.cumprod(-1), a, up=up)
    grads(lambda m, x: x.cumprod(0), a, up=up)


def test_cumprod_second_derivative_with_zeros():
    res = []
    for m in (ember, torch):
        x = m.tensor(
            [[1.5, 0.0, 2.0, 0.0], [0.0, -1.0, 3.0, 0.5]], dtype=m.float64, requires_grad=True
        )
        g = m.tensor(
            [[1.0, 2.0, -1.0, 0.5], [0.3, 1.0, 2.0, -2.0]], dtype=m.float64, requires_grad=True
        )
        (gx,) = m.autograd.grad(m.cumprod(x, 1), x, g, create_graph=True)
        v = m.tensor([[0.3, 0.7, -0.2, 1.0], [1.0, 0.5, 0.25, -1.0]], dtype=m.float64)
        res.append(m.autograd.grad((gx * v).sum(), [x, g]))
    for a, b in zip(*res):
        _same(a, b)


@pytest.mark.parametrize("p", [2, 1, 3, 1.5, 0.5, -1.0, INF, -INF, "fro"])
@pytest.mark.parametrize("values", [[0.0, 0.0], [0.0, 1.0, -2.0], [3.0, -1.0, -2.0, 1.0]])
def test_norm_gradients_at_zero_and_ties(p, values):
    grads(lambda m, x: x.norm(p), arr(values, "float64"))


def test_norm_0_has_no_gradient_like_torch():
    for m in (ember, torch):
        x = m.tensor([3.0, 0.0, -1.0], requires_grad=True)
        r = x.norm(0)
        assert r.item() == 2.0
        assert m.autograd.grad(r, x, allow_unused=True) == (None,)


@pytest.mark.parametrize("p", [1, INF, -INF])
def test_norm_second_derivative_is_zero_like_torch(p):
    # torch returns ZeroTensors here; compare their values
    for m in (ember, torch):
        x = m.tensor([3.0, -1.0, 2.0], dtype=m.float64, requires_grad=True)
        (g,) = m.autograd.grad(x.norm(p), x, create_graph=True)
        (gg,) = m.autograd.grad((g * m.tensor([1.0, 2.0, 3.0], dtype=m.float64)).sum(), x)
        assert gg is not None
        assert np.all(np.asarray((gg + 0).tolist()) == 0)


@pytest.mark.parametrize(
    "values,correction",
    [
        ([1.0, 1.0, 1.0], 1),
        ([1.0], 1),
        ([1.0], 0),
        ([2.0, 4.0], 2),
        ([2.0, 4.0, 3.0], 5),
    ],
)
def test_var_std_gradients_at_degenerate_points(values, correction):
    a = arr(values, "float64")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        grads(lambda m, x: x.std(correction=correction), a)
        grads(lambda m, x: x.var(correction=correction), a)
        grads(lambda m, x: x.std(0, correction=correction), a)
        grads(lambda m, x: x.var(0, correction=correction), a)


@pytest.mark.parametrize("values", [[-INF, -INF], [INF, 1.0], [1000.0, 999.0]])
def test_logsumexp_gradient_at_infinities(values):
    grads(lambda m, x: x.logsumexp(0), arr(values, "float64"))


def test_selection_gradients_match_torch():
    a = arr([[0.5, -1.0, 2.0, 0.1], [3.0, 1.5, -0.5, 0.0]], "float64")
    up2 = arr([[1.0, -2.0], [0.5, 3.0]], "float64")
    grads(lambda m, x: x.topk(2).values, a, up=up2)
    grads(lambda m, x: x.topk(2, dim=0, largest=False).values, a)
    grads(lambda m, x: x.sort(1, descending=True).values, a, up=a * 2)
    grads(lambda m, x: x.kthvalue(3, 1, keepdim=True).values, a)
    grads(lambda m, x: x.median(1).values, a)
    grads(lambda m, x: x.mode(0).values, a)
    grads(lambda m, x: x.max(0, keepdim=True).values, a)


def test_grad_fn_names_match_torch():
    a = arr([[0.5, -1.0, 2.0], [3.0, 1.5, -0.5]], "float64")
    calls = [
        lambda m, x: x.max(),
        lambda m, x: x.max(1).values,
        lambda m, x: x.amax(0),
        lambda m, x: x.sum(),
        lambda m, x: x.prod(),
        lambda m, x: x.cumsum(0),
        lambda m, x: x.cumprod(1),
        lambda m, x: x.var(),
        lambda m, x: x.std(),
        lambda m, x: x.logsumexp(0),
        lambda m, x: x.norm(),
        lambda m, x: x.sort().values,
        lambda m, x: x.topk(1).values,
        lambda m, x: x.median(),
        lambda m, x: x.cummax(0).values,
        lambda m, x: x.kthvalue(1).values,
        lambda m, x: x.nansum(),
        lambda m, x: x.mode().values,
    ]
    for call in calls:
        names = [call(m, m.tensor(a, requires_grad=True)).grad_fn.name() for m in (ember, torch)]
        assert names[0] == names[1]


def test_unique_has_no_gradient_path():
    x = ember.tensor([3.0, 1.0, 3.0], requires_grad=True)
    assert not x.unique().requires_grad
