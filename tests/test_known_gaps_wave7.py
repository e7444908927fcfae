"""Known gaps, wave 7: each case runs the same code on real torch and on ember and compares
results (values, shapes, strides, gradients) or the exception type and message."""

import math

import numpy as np
import pytest
import torch

import ember

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def outcome(fn, m):
    """("ok", value) or (exception type name, message) of fn(m)."""
    try:
        return "ok", fn(m)
    except Exception as e:  # noqa: BLE001 (the comparison is the test)
        return type(e).__name__, str(e)


def same(fn):
    want, got = outcome(fn, torch), outcome(fn, ember)
    # (repr: NaN results compare equal)
    assert repr(got) == repr(want)


def arange(m, shape, dtype=None):
    n = math.prod(shape)
    return (m.arange(float(n)).reshape(shape) / 16 + 0.25).to(dtype or m.float32)


def vals(t):
    """Values to 4 significant digits (ember's float32 kernels may differ in the last bits),
    -0.0 as 0.0 and anything below 1e-4 as 0."""
    a = np.asarray(t.detach().double().tolist(), dtype=np.float64)
    a = np.where(np.abs(a) < 1e-4, 0.0, a)
    return [float(f"{v:.4g}") + 0.0 for v in a.reshape(-1)], list(a.shape)


# ---------------------------------------------------------------- 1. 0-d reductions with dim 0/-1
REDUCTIONS = [
    ("sum", {}), ("mean", {}), ("amax", {}), ("amin", {}), ("logsumexp", {}), ("prod", {}),
    ("cumsum", {}), ("cumprod", {}), ("cummax", {}), ("cummin", {}), ("logcumsumexp", {}),
    ("norm", {"p": 1}), ("norm", {"p": 2}), ("norm", {"p": float("inf")}),
    ("norm", {"p": float("-inf")}), ("norm", {"p": 0}), ("norm", {"p": 3}),
    ("max", {}), ("min", {}), ("median", {}), ("softmax", {}), ("log_softmax", {}),
]


@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("name,kw", REDUCTIONS)
def test_zero_dim_reductions_forward_backward(name, kw, dim):
    def run(m):
        x = m.tensor(-27.75, requires_grad=True)
        y = getattr(x, name)(dim=dim, **kw)
        y = y[0] if isinstance(y, tuple) else y
        y.backward()
        return tuple(y.shape), round(y.item(), 4), round(x.grad.item(), 4)

    same(run)


@pytest.mark.parametrize("dim", [0, -1, 1, -2])
@pytest.mark.parametrize("name", ["argmax", "argmin", "var", "std", "unbind", "cummax"])
def test_zero_dim_other_reductions(name, dim):
    def run(m):
        r = getattr(m.tensor(-2.5), name)(dim)
        r = r[0] if isinstance(r, tuple) else r
        return tuple(r.shape), float(r)

    same(run)


@pytest.mark.parametrize("dim", [0, -1, [0], [-1]])
def test_zero_dim_vector_norm(dim):
    same(lambda m: float(m.linalg.vector_norm(m.tensor(-2.0), ord=float("inf"), dim=dim)))
    same(lambda m: tuple(m.tensor(-2.0).norm(p=float("-inf"), dim=dim, keepdim=True).shape))


# ---------------------------------------------------------------- 2. interpolate to size 0
INTERP = [("nearest", 3), ("nearest", 4), ("nearest", 5), ("nearest-exact", 4), ("linear", 3),
          ("bilinear", 4), ("bicubic", 4), ("trilinear", 5), ("area", 4)]


@pytest.mark.parametrize("mode,nd", INTERP)
def test_interpolate_refuses_empty_sizes(mode, nd):
    sp = nd - 2
    F = lambda m: m.nn.functional
    same(lambda m: tuple(F(m).interpolate(m.zeros((1, 1) + (1,) * sp), scale_factor=0.5,
                                          mode=mode, recompute_scale_factor=True).shape))
    same(lambda m: tuple(F(m).interpolate(m.zeros((1, 1) + (2,) * sp), size=(0,) * sp,
                                          mode=mode).shape))
    same(lambda m: tuple(F(m).interpolate(m.zeros((1, 1) + (0,) * sp), size=(2,) * sp,
                                          mode=mode).shape))
    same(lambda m: tuple(F(m).interpolate(m.zeros((1, 0) + (2,) * sp), size=(3,) * sp,
                                          mode=mode).shape))
    same(lambda m: tuple(F(m).interpolate(m.zeros((0, 1) + (2,) * sp), size=(3,) * sp,
                                          mode=mode).shape))


def test_interpolate_antialias_and_adaptive_pool_empty():
    same(lambda m: tuple(m.nn.functional.interpolate(
        m.zeros(1, 1, 1, 1), scale_factor=0.5, mode="bilinear", antialias=True).shape))
    for n, shapes in [(1, [(1, 1, 0), (1, 0), (1, 0, 2), (0, 2)]),
                      (2, [(1, 1, 0, 0), (1, 0, 2, 2), (0, 2, 2), (1, 2, 0)]),
                      (3, [(1, 0, 2, 2, 2), (1, 1, 2, 0, 2), (0, 2, 2, 2), (0, 1, 2, 2, 2)])]:
        for s in shapes:
            for kind in ("avg", "max"):
                fname = f"adaptive_{kind}_pool{n}d"
                same(lambda m, f=fname, s=s: tuple(getattr(m.nn.functional, f)(m.zeros(s), 2).shape))


# ---------------------------------------------------------------- 3. unfold's shape checks
@pytest.mark.parametrize("shape,args", [
    ((1, 2, 2, 2), (2, 2)), ((1, 2, 2, 3), (3, 1)), ((1, 2, 3, 2), (3, 1)),
    ((2, 3, 5), ((3, 6), 1, 0, 1)), ((1, 2, 2, 2), (0,)), ((1, 2, 2, 2), (1, 0)),
    ((1, 2, 2, 2), (1, 1, -1)), ((1, 2, 2, 2), (1, 1, 0, 0)), ((1, 0, 2, 2), (1,)),
    ((0, 2, 2, 2), (1,)), ((0, 2, 2), (1,)), ((1, 2, 2, 2), (3, 1, 1, 3)),
    ((1, 2, 3, 5), ((2, 3), (2, 1), 0, (1, 1))),
])
def test_unfold_checks(shape, args):
    same(lambda m: vals(m.nn.functional.unfold(arange(m, shape), *args)))


# ---------------------------------------------------------------- 4. one value per channel
@pytest.mark.parametrize("shape,groups", [((1, 4, 1), 4), ((1, 3, 1), 2), ((1, 4), 4),
                                          ((2, 4), 4), ((1, 2, 1, 1), 2), ((1, 4, 1), 1),
                                          ((0, 4, 1), 4), ((1, 0, 1), 1), ((1, 4, 1), 8)])
def test_group_norm_value_per_channel(shape, groups):
    same(lambda m: vals(m.nn.functional.group_norm(arange(m, shape), groups)))
    same(lambda m: vals(m.nn.GroupNorm(groups, shape[1]).eval()(arange(m, shape)))
         if shape[1] % groups == 0 else None)


@pytest.mark.parametrize("shape", [(1, 4), (1, 4, 1), (1, 4, 1, 1), (0, 4), (0, 4, 2), (2, 4)])
def test_batch_norm_training_value_per_channel(shape):
    def run(m):
        x = arange(m, shape).requires_grad_()
        w = m.full((4,), 2.0, requires_grad=True)
        b = m.full((4,), 0.5, requires_grad=True)
        rm, rv = m.ones(4), m.full((4,), 2.0)
        y = m.nn.functional.batch_norm(x, rm, rv, w, b, training=True)
        y.sum().backward()
        return vals(y), vals(rm), vals(rv), vals(x.grad), vals(w.grad), vals(b.grad)

    same(run)
    same(lambda m: vals(m.nn.BatchNorm1d(4)(arange(m, shape)))
         if len(shape) < 4 else None)


# ---------------------------------------------------------------- 5. median of nothing
@pytest.mark.parametrize("name", ["median", "nanmedian"])
@pytest.mark.parametrize("shape", [(2, 0), (0,)])
def test_median_empty_has_grad_fn(name, shape):
    def run(m):
        x = m.zeros(shape, requires_grad=True)
        y = getattr(m, name)(x)
        y.backward()
        return type(y.grad_fn).__name__, math.isnan(y.item()), tuple(x.grad.shape)

    same(run)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "float64"])
def test_median_empty_integer_value(dtype):
    same(lambda m: str(m.median(m.zeros(0, dtype=getattr(m, dtype))).item()))
    same(lambda m: str(m.nanmedian(m.zeros(0, dtype=getattr(m, dtype))).item()))


@pytest.mark.parametrize("fn", ["quantile", "nanquantile"])
@pytest.mark.parametrize("case", [
    ((0,), "int64", 0.5, ()), ((2, 0), "float32", 0.5, (0,)), ((2, 0), "float32", 0.5, (1,)),
    ((2,), "float32", 2.0, ()), ((2,), "int64", 2.0, ()), ((2,), "int64", 0.5, ()),
    ((2,), "float32", 0.5, (0, False, "bad")), ((2, 3), "float64", 0.25, (1,)),
])
def test_quantile_checks(fn, case):
    shape, dtype, q, rest = case

    def run(m):
        x = arange(m, shape, getattr(m, dtype))
        if len(rest) == 3:
            return vals(getattr(m, fn)(x, q, rest[0], rest[1], interpolation=rest[2]))
        return vals(getattr(m, fn)(x, q, *rest))

    same(run)


# ---------------------------------------------------------------- 6. cummax/cummin dims
@pytest.mark.parametrize("name", ["cummax", "cummin"])
@pytest.mark.parametrize("shape,dim", [((0,), 2), ((0,), -3), ((2, 0), 2), ((), 0), ((), 1),
                                       ((), -2), ((3,), 1)])
def test_cummax_dims(name, shape, dim):
    def run(m):
        x = m.zeros(shape, requires_grad=True)
        v, i = getattr(m, name)(x, dim)
        v.sum().backward()
        return tuple(v.shape), i.tolist(), tuple(x.grad.shape)

    same(run)


# ---------------------------------------------------------------- 7. unique with empty dims
@pytest.mark.parametrize("fn", ["unique", "unique_consecutive"])
@pytest.mark.parametrize("shape", [(1, 0), (0, 2), (0, 0), (2, 0, 3), (0,), (2, 3, 0)])
def test_unique_dim_with_empty_dims(fn, shape):
    for dim in range(-len(shape), len(shape)):
        same(lambda m, d=dim: [(tuple(t.shape), t.tolist()) for t in getattr(m, fn)(
            m.zeros(shape), dim=d, return_inverse=True, return_counts=True)])


# ---------------------------------------------------------------- 8. in-place shape first
@pytest.mark.parametrize("op", ["//=", "%=", "div_floor", "div_trunc", "floor_divide_",
                                "remainder_", "fmod_", "add_"])
@pytest.mark.parametrize("shape", [(), (1,), (2,)])
def test_inplace_shape_error_before_division_by_zero(op, shape):
    def run(m):
        a = m.full(shape, 3, dtype=m.int16)
        o = m.tensor([1, 0])
        if op == "//=":
            a //= o
        elif op == "%=":
            a %= o
        elif op == "div_floor":
            a.div_(o, rounding_mode="floor")
        elif op == "div_trunc":
            a.div_(o, rounding_mode="trunc")
        else:
            getattr(a, op)(o)
        return a.tolist()

    same(run)


# ---------------------------------------------------------------- 9. channels-last results
def CL(m, shape=(2, 3, 4, 5)):
    return arange(m, shape).contiguous(memory_format=m.channels_last)


LAYOUT_CASES = {
    "cl+cl": lambda m: CL(m) + CL(m),
    "cl+1": lambda m: CL(m) + 1,
    "cl*c": lambda m: CL(m) * arange(m, (2, 3, 4, 5)),
    "c*cl": lambda m: arange(m, (2, 3, 4, 5)) * CL(m),
    "cl-c grad": lambda m: CL(m).requires_grad_() - arange(m, (2, 3, 4, 5)),
    "torch.mul(cl, c)": lambda m: m.mul(CL(m), arange(m, (2, 3, 4, 5))),
    "cl.add(c)": lambda m: CL(m).add(arange(m, (2, 3, 4, 5))),
    "maximum(cl, c)": lambda m: m.maximum(CL(m), arange(m, (2, 3, 4, 5))),
    "cl > c": lambda m: CL(m) > arange(m, (2, 3, 4, 5)),
    "atan2(cl, c)": lambda m: m.atan2(CL(m), arange(m, (2, 3, 4, 5))),
    "lerp(cl, c)": lambda m: m.lerp(CL(m), arange(m, (2, 3, 4, 5)), 0.5),
    "addcmul(cl, c, c)": lambda m: m.addcmul(CL(m), arange(m, (2, 3, 4, 5)),
                                             arange(m, (2, 3, 4, 5))),
    "bias+cl": lambda m: m.ones(1, 3, 1, 1) + CL(m),
    "cl+row": lambda m: CL(m) + m.ones(5),
    "perm+c": lambda m: arange(m, (3, 4, 5)).permute(2, 0, 1) + arange(m, (5, 3, 4)),
    "t*c": lambda m: arange(m, (3, 4)).t() * arange(m, (4, 3)),
    "cl(size 1)+c": lambda m: CL(m, (2, 3, 1, 1)) + arange(m, (2, 3, 1, 1)),
    "gelu": lambda m: m.nn.functional.gelu(CL(m)),
    "gelu tanh": lambda m: m.nn.functional.gelu(CL(m), approximate="tanh"),
    "relu": lambda m: m.nn.functional.relu(CL(m)),
    "sigmoid": lambda m: m.sigmoid(CL(m)),
    "exp": lambda m: CL(m).exp(),
    "erf": lambda m: CL(m).erf(),
    "erfc": lambda m: m.erfc(CL(m)),
    "lgamma": lambda m: CL(m).lgamma(),
    "digamma": lambda m: CL(m).digamma(),
    "i0": lambda m: CL(m).i0(),
    "ndtr": lambda m: m.special.ndtr(CL(m)),
    "bessel_j0": lambda m: m.special.bessel_j0(CL(m)),
    "mvlgamma": lambda m: m.mvlgamma(CL(m) + 2, 2),
    "erf transposed": lambda m: arange(m, (3, 4)).t().erf(),
    "dropout eval": lambda m: m.nn.functional.dropout(CL(m), 0.5, training=False),
    "dropout": lambda m: m.nn.functional.dropout(CL(m), 0.5),
}


@pytest.mark.parametrize("name", list(LAYOUT_CASES))
def test_elementwise_result_layout(name):
    def run(m):
        r = LAYOUT_CASES[name](m)
        return (r.stride(), r.is_contiguous(),
                r.is_contiguous(memory_format=m.channels_last))

    same(run)
    if "dropout" not in name:
        same(lambda m: vals(LAYOUT_CASES[name](m)))


LEAVES = {
    "cl": lambda m: CL(m),
    "cl3d": lambda m: arange(m, (1, 2, 3, 4, 5)).contiguous(memory_format=m.channels_last_3d),
    "t": lambda m: arange(m, (3, 4)).t(),
    "perm": lambda m: arange(m, (3, 4, 5)).permute(2, 0, 1),
    "expand": lambda m: arange(m, (3, 1)).expand(3, 4),
    "slice": lambda m: arange(m, (4, 6))[:, ::2],
    "size1": lambda m: arange(m, (3, 1, 4)).transpose(0, 1),
    "c": lambda m: arange(m, (2, 3)),
}
GRAD_FNS = {
    "sum": lambda m, x: x,
    "mul": lambda m, x: x * 2,
    "exp": lambda m, x: (x / 8).exp(),
    "double": lambda m, x: x.double() * 3,
    "reshape": lambda m, x: x.reshape(-1),
}


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("fn", list(GRAD_FNS))
@pytest.mark.parametrize("leaf", list(LEAVES))
def test_leaf_grad_follows_leaf_layout(leaf, fn, create_graph):
    def run(m):
        x = LEAVES[leaf](m).detach().requires_grad_()
        GRAD_FNS[fn](m, x).sum().backward(create_graph=create_graph)
        first = x.grad.stride()
        GRAD_FNS[fn](m, x).sum().backward()  # the second accumulates into the first
        return first, x.grad.stride(), vals(x.grad)

    same(run)


def test_conv_backward_grad_is_channels_last():
    def run(m):
        x = CL(m).requires_grad_()
        w = arange(m, (4, 3, 3, 3)).requires_grad_()
        m.nn.functional.conv2d(x, w, padding=1).sum().backward()
        return (x.grad.stride(), x.grad.is_contiguous(memory_format=m.channels_last),
                w.grad.stride(), vals(x.grad))

    same(run)
