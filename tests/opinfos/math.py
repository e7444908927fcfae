"""OpInfos of the elementwise math ops (ember/_ops/math.py): unary functions, binary math,
clamp/where/lerp/addcmul/addcdiv, and forward-only comparisons, logical, bitwise and
predicate ops (bool and integer results compared with torch, dtype included)."""

import numpy as np
from hypothesis import strategies as st

from tests.opinfo import OpInfo, broadcast_shapes, make_array, unary_shapes

INF = float("inf")
NAN = float("nan")


# ---------------------------------------------------------------- input makers
def _inputs(domains, n=None, special=None):
    """make_inputs: broadcastable shapes, input i drawn from domains[i] (float dtype).

    special: values (nan, inf, ...) sprinkled into every input, about one in four elements.
    """
    n = n or len(domains)

    def make(draw, rng, dtype):
        shapes = draw(broadcast_shapes(n) if n > 1 else unary_shapes())
        out = []
        for shape, (lo, hi) in zip(shapes, domains):
            a = rng.uniform(lo, hi, size=shape)
            if special:
                pick = rng.random(size=shape) < 0.25
                a = np.where(pick, rng.choice(special, size=shape), a)
            out.append(np.asarray(a).astype(dtype))
        return out

    return make


def _grid_inputs(n, values, dtype=None):
    """Inputs drawn from a few discrete values, so ties and equalities happen."""

    def make(draw, rng, dt):
        shapes = draw(broadcast_shapes(n) if n > 1 else unary_shapes())
        return [np.asarray(rng.choice(values, size=s)).astype(dtype or dt) for s in shapes]

    return make


def _grid_pair(values_a, values_b):
    def make(draw, rng, dt):
        sa, sb = draw(broadcast_shapes(2))
        return [np.asarray(rng.choice(v, size=s)).astype(dt)
                for v, s in ((values_a, sa), (values_b, sb))]

    return make


def _full_first(n):
    """Broadcastable inputs whose first one has the broadcast shape."""

    def make(draw, rng, dt):
        shapes = list(draw(broadcast_shapes(n)))
        shapes[0] = np.broadcast_shapes(*shapes)
        noncontig = draw(st.booleans())
        return [make_array(rng, s, dt, -3.0, 3.0, noncontig) for s in shapes]

    return make


def _int_inputs(n, lo, hi, dtypes=("int64", "int32", "int16", "int8", "uint8")):
    """Integer inputs of one drawn integer dtype."""

    def make(draw, rng, dt):
        shapes = draw(broadcast_shapes(n) if n > 1 else unary_shapes())
        d = draw(st.sampled_from(dtypes))
        low = 0 if d == "uint8" else lo
        return [rng.integers(low, hi, size=s).astype(d) for s in shapes]

    return make


def _mixed_inputs(n):
    """Inputs of independently drawn dtypes (promotion), values small integers."""
    kinds = ("bool", "uint8", "int32", "int64", "float32", "float64")

    def make(draw, rng, dt):
        shapes = draw(broadcast_shapes(n))
        out = []
        for s in shapes:
            d = draw(st.sampled_from(kinds))
            a = rng.integers(-2, 3, size=s)
            if d == "bool":
                a = a > 0
            elif d == "uint8":
                a = np.abs(a)
            out.append(np.asarray(a).astype(d))
        return out

    return make


def _shift_inputs(draw, rng, dt):
    shapes = draw(broadcast_shapes(2))
    d = draw(st.sampled_from(("int64", "int32", "int16", "int8", "uint8")))
    lo = 0 if d == "uint8" else -100
    a = rng.integers(lo, 100, size=shapes[0]).astype(d)
    # shift amounts include negative ones and ones at or past the width
    s = rng.integers(-3, 70, size=shapes[1]).astype(d if d != "uint8" else "int64")
    if d == "uint8":
        s = np.clip(s, 0, 70).astype("uint8")
    return [a, s]


def _decimals(draw, shapes):
    return {"decimals": draw(st.sampled_from([-1, 0, 1, 2, 3]))}


def _value(draw, shapes):
    return {"value": draw(st.sampled_from([1, -0.5, 2.0]))}


def _weight(draw, shapes):
    return {"weight": draw(st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0, 1.7]))}


def _clamp_bounds(draw, shapes):
    lo = draw(st.one_of(st.none(), st.sampled_from([-1.5, -0.25, 0.5])))
    hi = draw(st.sampled_from([-0.5, 0.75, 2.0])) if lo is not None else 1.25
    if draw(st.booleans()):
        hi = None if lo is not None else hi
    return {"min": lo, "max": hi}


def _eps(draw, shapes):
    return {"eps": draw(st.sampled_from([None, 0.0, 0.1, 0.3]))}


def _nan_values(draw, shapes):
    return {
        "nan": draw(st.sampled_from([0.0, 1.5])),
        "posinf": draw(st.sampled_from([None, 100.0])),
        "neginf": draw(st.sampled_from([None, -7.0])),
    }


def _complex(m, a, b):
    return a + 1j * b


def _parts(w):
    # a real function of a complex tensor: both parts count
    return w.real + 2 * w.imag


POS = (0.1, 3.0)
UNIT = (-0.9, 0.9)
SPECIAL = [NAN, INF, -INF, 0.0, -0.0]


# ---------------------------------------------------------------- unary
_UNARY = [
    # (name, fn, domain, ops)
    ("abs", lambda m, a: m.abs(a) * a, (-3.0, 3.0), ("abs", "mul")),
    ("absolute", lambda m, a: m.absolute(a) * a, (-3.0, 3.0), ("abs",)),
    ("abs_operator", lambda m, a: abs(a) * a, (-3.0, 3.0), ("abs",)),
    ("sign", lambda m, a: m.sign(a), (-3.0, 3.0), None),
    ("exp", lambda m, a: m.exp(a), (-3.0, 3.0), None),
    ("exp2", lambda m, a: m.exp2(a), (-3.0, 3.0), None),
    ("expm1", lambda m, a: m.expm1(a), (-3.0, 3.0), None),
    ("log", lambda m, a: m.log(a), POS, None),
    ("log1p", lambda m, a: m.log1p(a), (-0.9, 3.0), None),
    ("log2", lambda m, a: m.log2(a), POS, None),
    ("log10", lambda m, a: a.log10(), POS, None),
    ("sqrt", lambda m, a: m.sqrt(a), POS, None),
    ("rsqrt", lambda m, a: m.rsqrt(a), POS, None),
    ("square", lambda m, a: m.square(a), (-3.0, 3.0), None),
    ("reciprocal", lambda m, a: m.reciprocal(a), (0.3, 3.0), None),
    ("reciprocal_neg", lambda m, a: a.reciprocal(), (-3.0, -0.3), ("reciprocal",)),
    ("sin", lambda m, a: m.sin(a), (-3.0, 3.0), None),
    ("cos", lambda m, a: m.cos(a), (-3.0, 3.0), None),
    ("tan", lambda m, a: m.tan(a), (-1.2, 1.2), None),
    ("asin", lambda m, a: m.asin(a), UNIT, None),
    ("arcsin", lambda m, a: m.arcsin(a), UNIT, ("asin",)),
    ("acos", lambda m, a: m.acos(a), UNIT, None),
    ("arccos", lambda m, a: a.arccos(), UNIT, ("acos",)),
    ("atan", lambda m, a: m.atan(a), (-3.0, 3.0), None),
    ("arctan", lambda m, a: m.arctan(a), (-3.0, 3.0), ("atan",)),
    ("sinh", lambda m, a: m.sinh(a), (-3.0, 3.0), None),
    ("cosh", lambda m, a: m.cosh(a), (-3.0, 3.0), None),
    ("tanh", lambda m, a: m.tanh(a), (-3.0, 3.0), None),
    ("asinh", lambda m, a: m.asinh(a), (-3.0, 3.0), None),
    ("arcsinh", lambda m, a: m.arcsinh(a), (-3.0, 3.0), ("asinh",)),
    ("acosh", lambda m, a: m.acosh(a), (1.1, 4.0), None),
    ("arccosh", lambda m, a: m.arccosh(a), (1.1, 4.0), ("acosh",)),
    ("atanh", lambda m, a: m.atanh(a), UNIT, None),
    ("arctanh", lambda m, a: m.arctanh(a), UNIT, ("atanh",)),
    ("sigmoid", lambda m, a: m.sigmoid(a), (-6.0, 6.0), None),
    ("erf", lambda m, a: m.erf(a), (-3.0, 3.0), None),
    ("erf_wide", lambda m, a: m.erf(a), (-7.0, 7.0), ("erf",)),
    ("erfc", lambda m, a: m.erfc(a), (-3.0, 3.0), None),
    ("erfc_tail", lambda m, a: m.erfc(a), (1.0, 9.0), ("erfc",)),
    ("erfinv", lambda m, a: m.erfinv(a), (-0.95, 0.95), None),
    ("erfinv_tail", lambda m, a: m.erfinv(a), (0.99, 0.999), ("erfinv",)),
    ("floor", lambda m, a: m.floor(a), (-5.0, 5.0), None),
    ("ceil", lambda m, a: m.ceil(a), (-5.0, 5.0), None),
    ("trunc", lambda m, a: m.trunc(a), (-5.0, 5.0), None),
    ("fix", lambda m, a: m.fix(a), (-5.0, 5.0), ("trunc",)),
    ("frac", lambda m, a: m.frac(a), (-5.0, 5.0), None),
    ("round", lambda m, a: m.round(a), (-5.0, 5.0), None),
    ("deg2rad", lambda m, a: m.deg2rad(a), (-300.0, 300.0), None),
    ("rad2deg", lambda m, a: m.rad2deg(a), (-3.0, 3.0), None),
    ("angle", lambda m, a: m.angle(a), (-3.0, 3.0), None),
]

OPINFOS = [
    OpInfo(name, fn, ops=ops or (name,), domain=domain) for name, fn, domain, ops in _UNARY
]

OPINFOS += [
    # torch's second derivative here is a ZeroTensor, which the harness cannot read
    OpInfo("sgn", lambda m, a: a.sgn() * a, ops=("sign", "mul"), gradgrad=False),
    OpInfo("round_decimals", lambda m, a, **kw: m.round(a, **kw), ops=("round", "round_decimals"),
           domain=(-300.0, 300.0), kwargs=_decimals),
    OpInfo("logit", lambda m, a, **kw: m.logit(a, **kw), domain=(0.02, 0.98), kwargs=_eps),
    OpInfo("nan_to_num", lambda m, a, **kw: m.nan_to_num(a, **kw), kwargs=_nan_values,
           make_inputs=_inputs([(-3.0, 3.0)], special=SPECIAL)),
    # complex inputs, built from two real tensors (real outputs keep gradcheck real)
    OpInfo("conj_real_imag", lambda m, a, b: _parts(m.conj(_complex(m, a, b)) * (a - 2j * b)),
           ops=("conj", "real", "imag"), nargs=2),
    OpInfo("abs_complex", lambda m, a, b: m.abs(_complex(m, a, b)), ops=("abs",), nargs=2),
    OpInfo("angle_complex", lambda m, a, b: m.angle(_complex(m, a, b)), ops=("angle",),
           nargs=2),
    OpInfo("sgn_complex", lambda m, a, b: _parts(m.sgn(_complex(m, a, b))), ops=("abs",),
           nargs=2),
    OpInfo("holomorphic_complex",
           lambda m, a, b: _parts(m.log(m.exp(_complex(m, a, b)) + 2) * m.sqrt(_complex(m, b, a))
                                  + m.sin(_complex(m, a, b)) * m.tanh(_complex(m, b, a))
                                  + m.reciprocal(_complex(m, a, b) + 3)),
           ops=("log", "exp", "sqrt", "sin", "tanh", "reciprocal"), nargs=2,
           domain=(0.5, 2.0)),
    # pow with Python-scalar bases and exponents (the rule decides without F.where)
    OpInfo("pow_scalar_exponent", lambda m, a: m.pow(a, 2.5), ops=("pow",), domain=POS),
    OpInfo("pow_zero_exponent", lambda m, a: a ** 0, ops=("pow",)),
    OpInfo("pow_negative_exponent", lambda m, a: a ** -2, ops=("pow",), domain=(0.5, 2.0)),
    OpInfo("rpow_zero_base", lambda m, a: 0.0 ** a, ops=("pow",), domain=(0.5, 2.0)),
    OpInfo("rpow_tensor_scalar", lambda m, a: 1.5 ** a * a, ops=("pow", "mul")),
]


# ---------------------------------------------------------------- binary math
OPINFOS += [
    OpInfo("atan2", lambda m, a, b: m.atan2(a, b), nargs=2),
    OpInfo("arctan2", lambda m, a, b: a.arctan2(b), ops=("atan2",), nargs=2),
    OpInfo("maximum", lambda m, a, b: m.maximum(a, b), nargs=2),
    OpInfo("minimum", lambda m, a, b: m.minimum(a, b), nargs=2),
    # ties split the gradient in half (central differences agree with that)
    OpInfo("maximum_ties", lambda m, a, b: m.maximum(a, b), ops=("maximum",), nargs=2,
           make_inputs=_grid_inputs(2, [-1.0, 0.0, 0.5, 2.0])),
    OpInfo("minimum_ties", lambda m, a, b: a.minimum(b), ops=("minimum",), nargs=2,
           make_inputs=_grid_inputs(2, [-1.0, 0.0, 0.5, 2.0])),
    OpInfo("fmax", lambda m, a, b: m.fmax(a, b), nargs=2),
    OpInfo("fmin", lambda m, a, b: m.fmin(a, b), nargs=2),
    OpInfo("hypot", lambda m, a, b: m.hypot(a, b), nargs=2),
    OpInfo("copysign", lambda m, a, b: m.copysign(a, b), nargs=2),
    OpInfo("copysign_scalar", lambda m, a: m.copysign(a, -1.0), ops=("copysign",)),
    OpInfo("logaddexp", lambda m, a, b: m.logaddexp(a, b), nargs=2, domain=(-20.0, 20.0)),
    OpInfo("logaddexp2", lambda m, a, b: m.logaddexp2(a, b), nargs=2, domain=(-20.0, 20.0)),
    OpInfo("xlogy", lambda m, a, b: m.xlogy(a, b), nargs=2,
           make_inputs=_inputs([(-3.0, 3.0), POS])),
    OpInfo("xlogy_zeros", lambda m, a, b: m.xlogy(a, b), ops=("xlogy",), nargs=2,
           make_inputs=_grid_pair([0.0, 0.5, 2.0], [0.5, 2.0])),
    OpInfo("xlogy_scalar_self", lambda m, b: m.xlogy(2.0, b), ops=("xlogy",), domain=POS),
    OpInfo("xlogy_scalar_other", lambda m, a: m.xlogy(a, 3), ops=("xlogy",)),
    OpInfo("xlog1py", lambda m, a, b: m.special.xlog1py(a, b), nargs=2,
           make_inputs=_inputs([(-3.0, 3.0), (-0.5, 3.0)])),
    OpInfo("xlog1py_zeros", lambda m, a, b: m.special.xlog1py(a, b), ops=("xlog1py",), nargs=2,
           make_inputs=_grid_pair([0.0, 0.5, 2.0], [-0.5, 2.0])),
    OpInfo("xlog1py_scalar_self", lambda m, b: m.special.xlog1py(2.0, b), ops=("xlog1py",),
           domain=(-0.5, 3.0)),
    OpInfo("xlog1py_scalar_other", lambda m, a: m.special.xlog1py(a, 3), ops=("xlog1py",)),
    OpInfo("lerp", lambda m, a, b, **kw: m.lerp(a, b, **kw), nargs=2, kwargs=_weight),
    OpInfo("lerp_tensor_weight", lambda m, a, b, w: a.lerp(b, w), ops=("lerp",), nargs=3,
           domain=(-1.0, 2.0)),
    OpInfo("addcmul", lambda m, a, b, c, **kw: m.addcmul(a, b, c, **kw), nargs=3,
           kwargs=_value),
    OpInfo("addcdiv", lambda m, a, b, c, **kw: a.addcdiv(b, c, **kw), nargs=3,
           kwargs=_value, make_inputs=_inputs([(-3.0, 3.0), (-3.0, 3.0), (0.5, 3.0)])),
]


# ---------------------------------------------------------------- clamp and where
OPINFOS += [
    OpInfo("clamp", lambda m, a, **kw: m.clamp(a, **kw), kwargs=_clamp_bounds),
    OpInfo("clip", lambda m, a: m.clip(a, -1.0, 1.0), ops=("clamp",)),
    OpInfo("clamp_min", lambda m, a: a.clamp_min(0.25), ops=("clamp",)),
    OpInfo("clamp_max", lambda m, a: m.clamp_max(a, 0.25), ops=("clamp",)),
    # torch's backward fails when the input is smaller than the broadcast of the bounds, so
    # the input always has the full shape
    OpInfo("clamp_tensor", lambda m, a, lo, hi: m.clamp(a, lo, hi), ops=("clamp_tensor",),
           nargs=3, make_inputs=_full_first(3)),
    OpInfo("clamp_tensor_min", lambda m, a, lo: m.clamp(a, min=lo), ops=("clamp_tensor",),
           nargs=2, make_inputs=_full_first(2)),
    OpInfo("clamp_tensor_max", lambda m, a, hi: a.clamp(max=hi), ops=("clamp_tensor",),
           nargs=2, make_inputs=_full_first(2)),
    OpInfo("clamp_min_tensor", lambda m, a, lo: m.clamp_min(a, lo), ops=("clamp_tensor",),
           nargs=2, make_inputs=_full_first(2)),
    OpInfo("clamp_max_tensor", lambda m, a, hi: m.clamp_max(a, hi), ops=("clamp_tensor",),
           nargs=2, make_inputs=_full_first(2)),
    OpInfo("where", lambda m, a, b: m.where(a > b, a, b), nargs=2),
    OpInfo("where_cond_broadcast", lambda m, c, a, b: m.where(c > 0, a * 2, b),
           ops=("where", "mul"), nargs=3, grad_args=(1, 2)),
    OpInfo("where_scalar_other", lambda m, a: m.where(a > 0, a, 0.5), ops=("where",)),
    OpInfo("where_scalar_input", lambda m, a: m.where(a > 0, -1.5, a), ops=("where",)),
    OpInfo("where_method", lambda m, a, b: a.where(b < 0, b), ops=("where",), nargs=2),
]


# ---------------------------------------------------------------- forward only: bool results
def _cmp_info(name, fn, **kw):
    return OpInfo(name, fn, nargs=2, grad=False, gradgrad=False, **kw)


_MIXED = _mixed_inputs(2)
_CMP_GRID = _grid_inputs(2, [-1.0, 0.0, 0.5, 2.0])
OPINFOS += [
    _cmp_info("eq", lambda m, a, b: m.eq(a, b), make_inputs=_CMP_GRID),
    _cmp_info("ne", lambda m, a, b: a.ne(b), make_inputs=_CMP_GRID),
    _cmp_info("lt", lambda m, a, b: m.lt(a, b), make_inputs=_CMP_GRID),
    _cmp_info("le", lambda m, a, b: m.less_equal(a, b), ops=("le",), make_inputs=_CMP_GRID),
    _cmp_info("gt", lambda m, a, b: m.greater(a, b), ops=("gt",), make_inputs=_CMP_GRID),
    _cmp_info("ge", lambda m, a, b: a.greater_equal(b), ops=("ge",), make_inputs=_CMP_GRID),
    _cmp_info("cmp_operators", lambda m, a, b: (a == b, a != b, a < b, a <= b, a > b, a >= b),
              ops=("eq", "ne", "lt", "le", "gt", "ge"), make_inputs=_MIXED),
    _cmp_info("cmp_scalars", lambda m, a, b: (a == 0.5, a < 1, 0 < a, 2 >= a, a != True),
              ops=("eq", "ne", "lt", "le", "gt", "ge"), make_inputs=_MIXED),
    _cmp_info("isclose", lambda m, a, b: m.isclose(a, a + b * 1e-6), make_inputs=_CMP_GRID),
    _cmp_info("logical", lambda m, a, b: (m.logical_and(a, b), m.logical_or(a, b),
                                          m.logical_xor(a, b), m.logical_not(a)),
              ops=("logical_and", "logical_or", "logical_xor", "logical_not"),
              make_inputs=_MIXED),
    _cmp_info("bitwise", lambda m, a, b: (a & b, a | b, a ^ b, m.bitwise_and(a, 3), 5 | b,
                                          ~a, m.bitwise_not(b), m.bitwise_xor(a, b)),
              ops=("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not"),
              make_inputs=_int_inputs(2, -100, 100)),
    _cmp_info("bitwise_bool", lambda m, a, b: (a > 0) & (b > 0) | ~(a > 1) ^ (b < 0),
              ops=("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not")),
    _cmp_info("bitwise_mixed", lambda m, a, b: (a.bool() & b.long(), a.bool() | True,
                                                a.int() ^ b.bool()),
              ops=("bitwise_and", "bitwise_or", "bitwise_xor"), make_inputs=_MIXED),
    _cmp_info("shifts", lambda m, a, b: (a << b, a >> b, m.bitwise_left_shift(a, 3),
                                         m.bitwise_right_shift(a, 2), 1 << b),
              ops=("bitwise_left_shift", "bitwise_right_shift"), make_inputs=_shift_inputs),
    OpInfo("predicates", lambda m, a: (m.isnan(a), m.isinf(a), m.isposinf(a), m.isneginf(a),
                                       m.isfinite(a), m.signbit(a), m.isreal(a)),
           ops=("isnan", "isinf", "isposinf", "isneginf", "isfinite", "signbit", "isreal"),
           grad=False, gradgrad=False, make_inputs=_inputs([(-3.0, 3.0)], special=SPECIAL)),
    OpInfo("predicates_int", lambda m, a: (m.isnan(a), m.isinf(a), m.isfinite(a),
                                           m.signbit(a), m.isposinf(a), m.abs(a), m.sign(a),
                                           m.floor(a), m.round(a), m.square(a)),
           ops=("isnan", "isinf", "isfinite", "signbit", "isposinf", "abs", "sign", "floor",
                "round", "square"),
           grad=False, gradgrad=False, make_inputs=_int_inputs(1, -100, 100)),
]
