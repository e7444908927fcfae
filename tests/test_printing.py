"""Tensor printing: `repr`/`str` of ember tensors equal torch 2.13's, character for character.

Every tensor is built the same way in both libraries (from the same NumPy data or by the same
calls), so the expected text always comes from real torch.
"""

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ember

DTYPES = [
    "float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool",
    "complex64", "complex128",
]


@pytest.fixture(autouse=True)
def _reset_printoptions():
    # every test starts and ends with the default options in both libraries
    torch.set_printoptions(profile="default")
    ember.set_printoptions(profile="default")
    yield
    torch.set_printoptions(profile="default")
    ember.set_printoptions(profile="default")


def _pair(data, dtype=None, requires_grad=False):
    # Python data keeps torch's inference (float -> float32); arrays keep their dtype
    arr = data.copy() if isinstance(data, np.ndarray) else data
    kw_t = {} if dtype is None else {"dtype": getattr(torch, dtype)}
    kw_e = {} if dtype is None else {"dtype": getattr(ember, dtype)}
    t = torch.tensor(arr, requires_grad=requires_grad, **kw_t)
    e = ember.tensor(arr, requires_grad=requires_grad, **kw_e)
    return e, t


def _check(e, t):
    assert repr(e) == repr(t)
    assert str(e) == str(t)


# ---------------------------------------------------------------------------- seed outputs
def test_seed_outputs():
    assert repr(ember.tensor([1, 2, 3, 4])) == "tensor([1, 2, 3, 4])"
    assert repr(ember.tensor([1, 2, 3, 4]).sum()) == "tensor(10)"
    assert repr(ember.tensor(30)) == "tensor(30)"
    assert repr(ember.tensor([7.0])) == "tensor([7.])"
    a = ember.tensor([3.0])
    b = ember.tensor([2.0])
    assert f"{a} {b}" == "tensor([3.]) tensor([2.])"
    assert f"{torch.tensor([3.0])} {torch.tensor([2.0])}" == f"{a} {b}"


def test_seed_print(capsys):
    print(ember.tensor([3.0]), ember.tensor([2.0]))
    print(ember.tensor([1, 2, 3, 4]))
    got = capsys.readouterr().out
    print(torch.tensor([3.0]), torch.tensor([2.0]))
    print(torch.tensor([1, 2, 3, 4]))
    want = capsys.readouterr().out
    assert got == want == "tensor([3.]) tensor([2.])\ntensor([1, 2, 3, 4])\n"


# ---------------------------------------------------------------------------- a table of tensors
NAN = float("nan")
INF = float("inf")

TABLE = [
    ("ints", [1, 2, 3, 4], None),
    ("int_0d", 30, None),
    ("neg_ints", [-1, 200, -30000], None),
    ("one_float", [7.0], None),
    ("float_0d", 3.5, None),
    ("float_0d_int", 3.0, None),
    ("fixed", [1.0, 2.5], None),
    ("fixed_neg", [-1.0, 2.5, -0.125], None),
    ("sci", [1e-5, 1e5], None),
    ("sci_small", [1e-5, 2e-5], None),
    ("sci_big", [1e9, 2e9], None),
    ("sci_ratio", [1.0, 1001.0], None),
    ("int_ratio_edge", [1.0, 1000.0], None),
    ("inf_nan", [INF, NAN], None),
    ("inf_nan_neg", [-INF, NAN, INF, 1.5], None),
    ("inf_with_int", [1.0, INF, -INF], None),
    ("nan_0d", NAN, None),
    ("neg_zero", [-0.0], None),
    ("neg_zero_0d", -0.0, None),
    ("zeros", [0.0, 0.0, -0.0], None),
    ("int_valued", [1.0, 2.0], None),
    ("int_valued_neg", [-1.0, 20.0, 300.0], None),
    ("rounding", [0.99999, 1.00004], None),
    ("rounding_up", [9999.99999, 1.5], None),
    ("bool", [True, False], None),
    ("bool_true", [True, True], None),
    ("bool_0d", False, None),
    ("complex", [1 + 2j, 3 - 4j], None),
    ("complex_0d", 1 - 1j, None),
    ("complex_zero_imag", [1 + 0j, 2 + 0j], None),
    ("complex_neg_zero", [complex(1, -0.0)], None),
    ("complex_frac", [0.5 + 1.25j, -3.75 - 0.5j], None),
    ("complex_sci", [1e-6 + 1e6j, 2 + 3j], None),
    ("complex_nan", [complex(NAN, 1), complex(1, INF)], None),
    ("complex128", [1.5 + 2j], "complex128"),
    ("complex64", [1.5 + 2j], "complex64"),
    ("int32", [1, 2], "int32"),
    ("int16", [1, -2], "int16"),
    ("int8", [-128, 127], "int8"),
    ("uint8", [0, 255], "uint8"),
    ("int64", [1, 2], "int64"),
    ("float64", [1.5, 2.0], "float64"),
    ("float64_int", [1.0, 2.0], "float64"),
    ("float64_0d", 2.0, "float64"),
    ("float16", [1.5, 2.0, 65504.0], "float16"),
    ("float16_small", [1e-3, 0.1], "float16"),
    ("float64_precise", [1 / 3, 2 / 3], "float64"),
    ("float64_huge", [1e200, 1e-200], "float64"),
    ("float64_exp3", [-1e-150, 5.0], "float64"),
    ("empty_2d", np.zeros((0, 3)), None),
    ("empty_1d", np.zeros((0,)), None),
    ("empty_1d_int", np.zeros((0,), dtype=np.int64), None),
    ("empty_3d_f64", np.zeros((2, 0, 1)), "float64"),
    ("empty_bool", np.zeros((0, 2), dtype=bool), None),
    ("empty_int32", np.zeros((0,), dtype=np.int32), None),
    ("matrix_int", np.arange(12).reshape(3, 4), None),
    ("matrix_float", np.arange(12).reshape(3, 4) / 4, None),
    ("cube", np.arange(24).reshape(2, 3, 4) * 1.5, None),
    ("hyper", np.arange(48).reshape(2, 2, 3, 4) - 20, None),
    ("wrap_row", np.arange(40) * 1.123, None),
    ("wrap_matrix", np.arange(60).reshape(2, 30) / 7, None),
    ("wrap_int", np.arange(50) * 123456, None),
    ("wrap_complex", (np.arange(20) + 1j * np.arange(20)) / 3, None),
    ("summ_1d", np.arange(2000), None),
    ("summ_1d_float", np.arange(2000) / 3, None),
    ("summ_2d", np.arange(2000).reshape(40, 50), None),
    ("summ_3d", np.arange(3000).reshape(10, 10, 30) / 7, "float64"),
    ("summ_narrow", np.arange(1001).reshape(1001, 1), None),
    ("summ_exact_threshold", np.arange(1000), None),
    ("summ_complex", np.arange(1200) * (1 + 1j), None),
    ("summ_bool", np.arange(1500) % 3 == 0, None),
    ("summ_hidden_big", np.concatenate([np.ones(5), [1e10], np.ones(1500)]), None),
    ("singleton_dims", np.ones((1, 1, 1)), None),
    ("column", np.arange(5).reshape(5, 1) * 0.5, None),
]


@pytest.mark.parametrize("name,data,dtype", TABLE, ids=[c[0] for c in TABLE])
def test_table(name, data, dtype):
    e, t = _pair(data, dtype)
    _check(e, t)


@pytest.mark.parametrize("name,data,dtype", TABLE[:20], ids=[c[0] for c in TABLE[:20]])
def test_table_float64_default(name, data, dtype):
    # with float64 as the default dtype, float64 loses its suffix and float32 gains one
    old = torch.get_default_dtype()
    try:
        torch.set_default_dtype(torch.float64)
        ember.set_default_dtype(ember.float64)
        e, t = _pair(data, dtype)
        _check(e, t)
        e, t = _pair(data, "float32" if dtype is None else dtype)
        _check(e, t)
        _check(ember.tensor([1 + 1j]), torch.tensor([1 + 1j]))
        _check(ember.tensor([1 + 1j], dtype=ember.complex64),
               torch.tensor([1 + 1j], dtype=torch.complex64))
    finally:
        torch.set_default_dtype(old)
        ember.set_default_dtype(ember.float32)


def test_noncontiguous_and_views():
    a = np.arange(24.0).reshape(4, 6)
    e, t = _pair(a)
    _check(e.t(), t.t())
    _check(e.transpose(0, 1).unsqueeze(0), t.transpose(0, 1).unsqueeze(0))
    _check(e.permute(1, 0).reshape(3, 8), t.permute(1, 0).reshape(3, 8))
    _check(e.expand(2, 4, 6), t.expand(2, 4, 6))


def test_creation_functions():
    for make in (
        lambda m: m.zeros(2, 3),
        lambda m: m.ones(3, dtype=m.int32),
        lambda m: m.full((2, 2), 7),
        lambda m: m.full((2,), 2.5, dtype=m.float64),
        lambda m: m.arange(10),
        lambda m: m.arange(0, 1, 0.1),
        lambda m: m.linspace(-1, 1, 9),
        lambda m: m.eye(3),
        lambda m: m.logspace(0, 10, 6),
        lambda m: m.zeros(0, dtype=m.bool),
    ):
        _check(make(ember), make(torch))


# ---------------------------------------------------------------------------- autograd suffixes
def test_requires_grad_suffix():
    e, t = _pair([1.0, 2.0], requires_grad=True)
    _check(e, t)
    assert repr(e) == "tensor([1., 2.], requires_grad=True)"
    e, t = _pair(2.5, "float64", requires_grad=True)
    _check(e, t)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: x + 1,
        lambda x: x * 2,
        lambda x: x * x,
        lambda x: x.sum(),
        lambda x: x.mean(),
        lambda x: x - 3,
        lambda x: x / 2,
        lambda x: -x,
        lambda x: x.reshape(2, 2),
        lambda x: x ** 2,
    ],
    ids=["add", "mul_scalar", "mul", "sum", "mean", "sub", "div", "neg", "reshape", "pow"],
)
def test_grad_fn_suffix(fn):
    e, t = _pair([1.0, 2.0, 3.5, -4.0], requires_grad=True)
    _check(fn(e), fn(t))


def test_grad_fn_name_examples():
    e, _ = _pair([1.0, 2.0], requires_grad=True)
    assert repr(e * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert repr(e + e) == "tensor([2., 4.], grad_fn=<AddBackward0>)"
    assert repr(e.sum()) == "tensor(3., grad_fn=<SumBackward0>)"


def test_no_grad_suffix_under_no_grad():
    e, t = _pair([1.0, 2.0], requires_grad=True)
    with ember.no_grad():
        e2 = e * 2
    with torch.no_grad():
        t2 = t * 2
    _check(e2, t2)
    _check(e.detach(), t.detach())


def test_suffix_wraps_to_new_line():
    # a long last row pushes the dtype and grad_fn suffixes onto lines of their own
    a = np.arange(16) * 1.0001
    e, t = _pair(a, "float64", requires_grad=True)
    _check(e, t)
    _check(e * 3, t * 3)
    e, t = _pair(np.arange(11) * 1.5, "float64")
    _check(e, t)
    e, t = _pair(np.arange(2000).reshape(2, 1000), "int32")
    _check(e, t)


# ---------------------------------------------------------------------------- print options
OPTIONS = [
    dict(precision=2),
    dict(precision=0),
    dict(precision=8),
    dict(sci_mode=True),
    dict(sci_mode=False),
    dict(threshold=5),
    dict(threshold=5, edgeitems=1),
    dict(threshold=3, edgeitems=0),
    dict(linewidth=30),
    dict(linewidth=200),
    dict(profile="short"),
    dict(profile="full"),
    dict(profile="full", precision=2),
]

OPTION_DATA = [
    [1.0, 2.5],
    [1e-5, 1e5],
    [1.0, 2.0],
    [123456789.0, 1.0],
    [INF, NAN, 0.0],
    np.arange(30) / 7,
    np.arange(2000).reshape(40, 50) / 3,
    np.arange(24).reshape(2, 3, 4),
    [1 + 2j, 0.5 - 3e-5j],
    2.25,
]


@pytest.mark.parametrize("opts", OPTIONS, ids=[str(o) for o in OPTIONS])
@pytest.mark.parametrize("idx", range(len(OPTION_DATA)))
def test_printoptions(opts, idx):
    torch.set_printoptions(**opts)
    ember.set_printoptions(**opts)
    e, t = _pair(OPTION_DATA[idx])
    _check(e, t)


def test_set_printoptions_signature_and_reset():
    ember.set_printoptions(precision=2, sci_mode=True)
    assert repr(ember.tensor([1.5])) == "tensor([1.50e+00])"
    # sci_mode is reset by any call that leaves it out, as in torch
    ember.set_printoptions(precision=4)
    torch.set_printoptions(precision=4)
    _check(ember.tensor([1.5]), torch.tensor([1.5]))
    ember.set_printoptions(profile="default")
    assert repr(ember.tensor([1.5])) == "tensor([1.5000])"
    with pytest.raises(TypeError):
        ember.set_printoptions(bogus=1)
    # an unknown profile changes nothing, as in torch
    ember.set_printoptions(precision=2)
    torch.set_printoptions(precision=2)
    ember.set_printoptions(profile="bogus")
    torch.set_printoptions(profile="bogus")
    _check(ember.tensor([1.5]), torch.tensor([1.5]))


def test_printoptions_context_manager():
    from ember._printing import get_printoptions, printoptions

    before = get_printoptions()
    assert before == torch._tensor_str.get_printoptions()
    with printoptions(precision=1, sci_mode=True), \
            torch._tensor_str.printoptions(precision=1, sci_mode=True):
        _check(ember.tensor([1.25, 300.0]), torch.tensor([1.25, 300.0]))
    assert get_printoptions() == before


# ---------------------------------------------------------------------------- random tensors
@st.composite
def _random_case(draw):
    dtype = draw(st.sampled_from(DTYPES))
    nd = draw(st.integers(0, 4))
    hi = 9 if nd < 3 else 4
    shape = tuple(draw(st.lists(st.integers(0, hi), min_size=nd, max_size=nd)))
    if draw(st.integers(0, 15)) == 0:
        shape = (draw(st.integers(0, 2)), 1100)
    seed = draw(st.integers(0, 2**31 - 1))
    exp = draw(st.integers(-9, 12))
    style = draw(st.sampled_from(["normal", "round", "special", "tiny"]))
    opts = draw(st.sampled_from([{}] * 6 + OPTIONS))
    rg = draw(st.booleans())
    return dtype, shape, seed, exp, style, opts, rg


def _random_array(dtype, shape, seed, exp, style):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape) * 10.0 ** exp
    if style == "round":
        a = np.round(a)
    elif style == "special" and a.size:
        for _ in range(3):
            a.flat[rng.integers(a.size)] = rng.choice([NAN, INF, -INF, 0.0, -0.0])
    elif style == "tiny":
        a = a * 1e-30
    if dtype.startswith("complex"):
        return a + 1j * rng.standard_normal(shape) * 10.0 ** rng.integers(-4, 6)
    if dtype == "bool":
        return a > 0
    if dtype.startswith("float"):
        return a
    a = np.nan_to_num(a, posinf=0, neginf=0)
    info = np.iinfo(dtype)
    return np.clip(a, max(info.min, -2**40), min(info.max, 2**40)).astype(dtype)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(_random_case())
def test_random_tensors(case):
    dtype, shape, seed, exp, style, opts, rg = case
    a = _random_array(dtype, shape, seed, exp, style)
    torch.set_printoptions(profile="default")
    ember.set_printoptions(profile="default")
    torch.set_printoptions(**opts)
    ember.set_printoptions(**opts)
    with np.errstate(all="ignore"):
        e, t = _pair(a, dtype, requires_grad=rg and dtype.startswith("float"))
    _check(e, t)


# ---------------------------------------------------------------------------- other reprs
def test_dtype_repr():
    for name in DTYPES:
        assert repr(getattr(ember, name)) == repr(getattr(torch, name))
        assert str(getattr(ember, name)) == str(getattr(torch, name))
    assert repr(ember.float) == "torch.float32"
    assert repr(ember.long) == repr(torch.long)


def test_size_repr():
    for shape in [(), (3,), (2, 3), (0, 1, 4)]:
        assert repr(ember.zeros(shape).shape) == repr(torch.zeros(shape).shape)
        assert str(ember.zeros(shape).size()) == str(torch.zeros(shape).size())


def test_device_repr():
    assert repr(ember.device("cpu")) == repr(torch.device("cpu"))
    assert str(ember.device("cpu")) == str(torch.device("cpu"))
    assert repr(ember.device("cuda", 1)) == repr(torch.device("cuda", 1))
    assert str(ember.device("cuda:0")) == str(torch.device("cuda:0"))
    # a cpu tensor prints no device
    assert "device" not in repr(ember.ones(2))


@pytest.mark.skipif(not ember.cuda.is_available(), reason="needs CuPy and a GPU")
def test_cuda_device_suffix():
    e = ember.tensor([1.0, 2.0], device="cuda")
    assert repr(e) == "tensor([1., 2.], device='cuda:0')"
    e = ember.tensor([1, 2], device="cuda", dtype=ember.int32)
    assert repr(e) == "tensor([1, 2], device='cuda:0', dtype=torch.int32)"
    e = ember.tensor([1.0], device="cuda", requires_grad=True)
    assert repr(e * 2) == "tensor([2.], device='cuda:0', grad_fn=<MulBackward0>)"


def test_device_suffix_order():
    # no GPU needed: a CPU array labelled as cuda:0 prints like a CUDA tensor; the expected
    # texts are what torch prints for CUDA tensors (device first, then dtype, then autograd)
    e = ember.tensor([1.0, 2.0])
    e._device = ember.device("cuda", 0)
    assert repr(e) == "tensor([1., 2.], device='cuda:0')"
    e = ember.tensor([1, 2], dtype=ember.int32)
    e._device = ember.device("cuda", 0)
    assert repr(e) == "tensor([1, 2], device='cuda:0', dtype=torch.int32)"
    e = ember.tensor([], dtype=ember.int64)
    e._device = ember.device("cuda", 1)
    assert repr(e) == "tensor([], device='cuda:1', dtype=torch.int64)"
    e = ember.tensor([1.0], requires_grad=True)
    e._device = ember.device("cuda", 0)
    assert repr(e) == "tensor([1.], device='cuda:0', requires_grad=True)"


def test_format_0d():
    e, t = _pair(3.14159)
    assert f"{e:.2f}" == f"{t:.2f}"
    assert f"{e}" == f"{t}"
    e, t = _pair([1.0, 2.0])
    assert f"{e}" == f"{t}"
    with pytest.raises(TypeError):
        f"{e:.2f}"
    with pytest.raises(TypeError):
        f"{t:.2f}"


def test_repr_is_readonly():
    # printing must not create graph nodes nor change the version counter
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    y = e * 2
    v = y._version_number
    repr(y)
    assert y._version_number == v
    assert y.grad_fn is not None and e.grad is None
