"""Python scalars as operands: out-of-range ints wrap into integer dtypes as torch converts them,
float scalars keep a float tensor's dtype (including through the cached 0-d operands), signed
zeros survive, and clamp_min/clamp_max name their nodes as torch does."""

import numpy as np
import pytest
import torch

import ember


def _both(fn):
    results = []
    for m in (torch, ember):
        try:
            results.append(("ok", fn(m)))
        except Exception as e:  # the exception type is part of the comparison
            results.append(("raised", type(e).__name__))
    return results


INT_CASES = [
    lambda m: m.tensor([250], dtype=m.uint8) + 300,
    lambda m: m.tensor([1, -2], dtype=m.int8) * 1000,
    lambda m: 300 - m.tensor([250], dtype=m.uint8),
    lambda m: m.tensor([5], dtype=m.int32) + 2**40,
    lambda m: m.tensor([250], dtype=m.uint8) + -1,
    lambda m: m.add(m.tensor([250], dtype=m.uint8), 300),
    lambda m: m.tensor([7], dtype=m.int16) - 70000,
    lambda m: m.tensor([True, False]) + 300,
    lambda m: m.tensor([5]) + 2**64,
    lambda m: m.tensor([5], dtype=m.uint8) + 2**64,
]


@pytest.mark.parametrize("case", range(len(INT_CASES)))
def test_out_of_range_int_scalars_wrap_like_torch(case):
    (kt, t), (ke, e) = _both(INT_CASES[case])
    assert kt == ke
    if kt == "ok":
        assert str(e.dtype) == str(t.dtype)
        np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
    else:
        assert e == t


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("scalar", [1.01, -0.0, 0.0, 3, float("inf"), float("nan"), 1e-300])
@pytest.mark.parametrize("op", ["mul", "add", "sub", "div", "rmul", "radd"])
def test_float_scalars_keep_dtype_and_values(dtype, scalar, op):
    x = np.array([1.5, -2.0, 0.0, -0.0, 3.25], dtype=dtype)
    fns = {
        "mul": lambda a: a * scalar,
        "add": lambda a: a + scalar,
        "sub": lambda a: a - scalar,
        "div": lambda a: a / scalar if scalar != 0 else a * scalar,
        "rmul": lambda a: scalar * a,
        "radd": lambda a: scalar + a,
    }
    for _ in range(2):  # the second call takes the cached operand
        t = fns[op](torch.tensor(x))
        e = fns[op](ember.tensor(x))
        assert str(e.dtype) == str(t.dtype)
        et = e.cpu().numpy()
        tt = t.cpu().numpy()
        np.testing.assert_array_equal(et, tt)
        np.testing.assert_array_equal(np.signbit(et), np.signbit(tt))


@pytest.mark.parametrize("name,args", [("clamp_min", (0.0,)), ("clamp_max", (0.5,)),
                                       ("clamp", (0.0, 0.5)), ("clamp_min", "tensor"),
                                       ("clamp_max", "tensor")])
def test_clamp_node_names_and_grads_like_torch(name, args):
    out = []
    for m in (torch, ember):
        x = m.tensor([-1.0, 0.25, 2.0], requires_grad=True)
        a = (m.zeros(3),) if args == "tensor" else args
        y = getattr(x, name)(*a)
        y.sum().backward()
        out.append((type(y.grad_fn).__name__ if m is torch else y.grad_fn.name(),
                    x.grad.cpu().numpy()))
    assert out[1][0] == out[0][0]
    np.testing.assert_array_equal(out[1][1], out[0][1])


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int64"])
def test_reflected_division_is_reciprocal_times_scalar_like_torch(dtype):
    x = np.array([3.0, 7.0, 0.1, -2.5, 1e-3], dtype=dtype if dtype != "int64" else "float64")
    if dtype == "int64":
        x = np.array([3, 7, -2, 5, 1])
    t = 1.01 / torch.tensor(x)
    e = 1.01 / ember.tensor(x)
    assert str(e.dtype) == str(t.dtype)
    np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
    if dtype.startswith("float"):
        tg = torch.tensor(x, requires_grad=True)
        eg = ember.tensor(x, requires_grad=True)
        (2 / tg).sum().backward()
        (2 / eg).sum().backward()
        assert eg.grad is not None
        np.testing.assert_allclose(eg.grad.cpu().numpy(), tg.grad.cpu().numpy(), rtol=1e-3)
        assert (2 / eg).grad_fn.name() == type((2 / tg).grad_fn).__name__
