"""Out-of-range Python numbers in fills, where, clamp, scatter and setitem (torch's checked
scalar conversion), and fills of expanded tensors: ember against real torch."""

import warnings

import pytest

torch = pytest.importorskip("torch")
import ember  # noqa: E402


def _run(lib, fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            out = ("ok", repr(fn(lib).tolist()))
        except Exception as e:  # noqa: BLE001 - compared against torch's
            out = ("exc", type(e).__name__, str(e))
    msgs = sorted(str(x.message).split(" (Triggered internally")[0] for x in w
                  if "expanded tensors" in str(x.message))
    return out, msgs


def _same(fn):
    want = _run(torch, fn)
    got = _run(ember, fn)
    assert got == want


DTYPES = ["uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32",
          "float64", "bool"]
VALUES = [300, -1, -300, 255, 2**31, 2**40, 1e5, 65504.0, 65505.0, 1e39, float("inf"),
          float("nan"), -1.0, 255.5, True, 1 + 2j]


def _base(lib, dt):
    return lib.ones(3, dtype=getattr(lib, dt))


def _mask(lib):
    return lib.tensor([True, False, True])


SCALAR_OPS = {
    "fill_": lambda lib, x, v: x.clone().fill_(v),
    "masked_fill": lambda lib, x, v: x.masked_fill(_mask(lib), v),
    "masked_fill_": lambda lib, x, v: x.clone().masked_fill_(_mask(lib), v),
    "index_fill": lambda lib, x, v: x.index_fill(0, lib.tensor([0]), v),
    "scatter": lambda lib, x, v: x.scatter(0, lib.tensor([0]), v),
    "where": lambda lib, x, v: lib.where(_mask(lib), x, v),
    "where_left": lambda lib, x, v: lib.where(_mask(lib), v, x),
    "setitem": lambda lib, x, v: _set(x.clone(), 0, v),
    "setitem_mask": lambda lib, x, v: _set(x.clone(), _mask(lib), v),
}


def _set(x, key, v):
    x[key] = v
    return x


@pytest.mark.parametrize("op", sorted(SCALAR_OPS))
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("v", VALUES, ids=repr)
def test_scalar_conversion(op, dt, v):
    if op.startswith("where") and dt == "float16" and isinstance(v, complex):
        pytest.skip("complex32 results")
    _same(lambda lib: SCALAR_OPS[op](lib, _base(lib, dt), v))


TENSOR_VALUE_OPS = {
    "fill_t": lambda lib, x, v: x.clone().fill_(lib.tensor(v)),
    "masked_fill_t": lambda lib, x, v: x.masked_fill(_mask(lib), lib.tensor(v)),
    "index_fill_t": lambda lib, x, v: x.index_fill(0, lib.tensor([0]), lib.tensor(v)),
}


@pytest.mark.parametrize("op", sorted(TENSOR_VALUE_OPS))
@pytest.mark.parametrize("dt", ["uint8", "int8", "int32", "float16", "float32"])
@pytest.mark.parametrize("v", [300, -1, -300, 1e5, 65505.0, -1.0, float("nan")], ids=repr)
def test_tensor_value(op, dt, v):
    _same(lambda lib: TENSOR_VALUE_OPS[op](lib, _base(lib, dt), v))


@pytest.mark.parametrize("dt", ["uint8", "int8", "int32", "float16", "float32", "float64"])
@pytest.mark.parametrize("kw", [{"max": 300}, {"min": -1}, {"min": 0, "max": 300},
                                {"max": 1e5}, {"min": 1e39}, {"min": -300}, {"max": 2**40},
                                {"min": 1.5}, {"max": float("inf")}], ids=repr)
@pytest.mark.parametrize("inplace", [False, True])
def test_clamp_bounds(dt, kw, inplace):
    def fn(lib):
        x = lib.tensor([1, 2, 3], dtype=getattr(lib, dt))
        return x.clamp_(**kw) if inplace else x.clamp(**kw)

    _same(fn)


def test_index_fill_complex_scalar():
    _same(lambda lib: lib.ones(3).index_fill(0, lib.tensor([0]), 1 + 2j))


def _through(fn):
    def run(lib):
        z = lib.zeros(3)
        fn(lib, z.expand(2, 3))
        return z
    return run


EXPANDED = {
    "fill_": lambda lib, e: e.fill_(1.5),
    "zero_": lambda lib, e: (e.fill_(3), e.zero_()),
    "fill_tensor": lambda lib, e: e.fill_(lib.tensor(2.0)),
    "masked_fill_": lambda lib, e: e.masked_fill_(lib.tensor([True, False, True]), 5.0),
    "masked_fill_2d": lambda lib, e: e.masked_fill_(
        lib.tensor([[True, False, True], [False, False, False]]), 7.0),
    "index_fill_d1": lambda lib, e: e.index_fill_(1, lib.tensor([1]), 5.0),
    "index_fill_d0": lambda lib, e: e.index_fill_(0, lib.tensor([1]), 5.0),
    "index_put_": lambda lib, e: e.index_put_((lib.tensor([0]),), lib.tensor(5.0)),
    "setitem_row": lambda lib, e: _set(e, 0, 5.0),
    "setitem_row_tensor": lambda lib, e: _set(e, 0, lib.tensor([1.0, 2.0, 3.0])),
    "setitem_column": lambda lib, e: _set(e, (slice(None), 0), 5.0),
    "setitem_all": lambda lib, e: _set(e, Ellipsis, 5.0),
    "setitem_mask": lambda lib, e: _set(
        e, lib.tensor([[True, False, True], [False, False, False]]), 5.0),
    "setitem_index": lambda lib, e: _set(e, lib.tensor([0]), 4.0),
    "add_": lambda lib, e: e.add_(1),
    "uniform_": lambda lib, e: e.uniform_(),
}


@pytest.mark.parametrize("op", sorted(EXPANDED))
def test_expanded_writes(op):
    _same(_through(EXPANDED[op]))


def test_zero_expanded_int():
    def fn(lib):
        z = lib.ones(1, dtype=lib.int32)
        z.expand(4).zero_()
        return z

    _same(fn)


def test_fill_expanded_of_transposed():
    def fn(lib):
        z = lib.zeros(2, 3)
        z.t().expand(2, 3, 2).fill_(3.0)
        return z

    _same(fn)


@pytest.mark.parametrize("src,dt", [([300.0, -1.0, 1e10], "uint8"), ([300.0, -200.0], "int8"),
                                    ([1e5, -1e5], "float16"), ([300, -1], "uint8")])
def test_to_dtype_converts(src, dt):
    _same(lambda lib: lib.tensor(src).to(getattr(lib, dt)))


@pytest.mark.parametrize("args", [(250, 260), (-2, 2)])
def test_arange_wraps(args):
    _same(lambda lib: lib.arange(*args, dtype=lib.uint8))
