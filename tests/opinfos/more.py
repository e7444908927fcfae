"""OpInfos of ember/_ops/more.py: the ops it registers (logcumsumexp, the complex views) and
the functions it composes from other ops (rot90, diff, quantile, unfold, cov, ...)."""

from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.opinfo import OpInfo, fixed_shapes, unary_shapes


def _one_dim(draw, shapes):
    nd = len(shapes[0])
    return draw(st.integers(-1, 0)) if nd == 0 else draw(st.integers(-nd, nd - 1))


def _dim_only(draw, shapes):
    return {"dim": _one_dim(draw, shapes)}


def _last_two(shape):
    return hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3).map(
        lambda s: (tuple(s) + shape,))


def _rot90_kwargs(draw, shapes):
    nd = len(shapes[0])
    d0, d1 = draw(st.lists(st.integers(-nd, nd - 1), min_size=2, max_size=2, unique_by=lambda
                           d: d % nd))
    return {"k": draw(st.integers(-5, 5)), "dims": (d0, d1)}


def _diff_kwargs(draw, shapes):
    return {"n": draw(st.integers(0, 3)), "dim": _one_dim(draw, shapes)}


def _quantile_kwargs(draw, shapes):
    nd = len(shapes[0])
    kw = {"interpolation": draw(st.sampled_from(["linear", "lower", "higher", "midpoint",
                                                 "nearest"]))}
    if nd and draw(st.booleans()):
        kw["dim"] = draw(st.integers(-nd, nd - 1))
        kw["keepdim"] = draw(st.booleans())
    kw["q"] = draw(st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0]))
    return kw


def _unfold_kwargs(draw, shapes):
    shape = shapes[0]
    nd = len(shape)
    d = draw(st.integers(-nd, nd - 1))
    size = draw(st.integers(0, shape[d]))
    return {"dimension": d, "size": size, "step": draw(st.integers(1, 3))}


def _nonempty(min_dims=1, max_dims=3):
    return unary_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=4)


def _spd(m, a):
    # a symmetric positive definite matrix (batched) from any square input
    return a @ a.mT + 3 * m.eye(a.shape[-1], dtype=a.dtype)


OPINFOS = [
    OpInfo("logcumsumexp", lambda m, a, **kw: m.logcumsumexp(a, **kw), kwargs=_dim_only,
           domain=(-20.0, 20.0)),
    OpInfo("view_as_real", lambda m, a, b: m.view_as_real(a + 1j * b) * 2, nargs=2,
           ops=("view_as_real",)),
    OpInfo("view_as_complex",
           lambda m, a: (lambda z: z.real * 3 + z.imag * z.real)(m.view_as_complex(a)),
           shapes=_last_two((2,)), skip_noncontig=True),
    OpInfo("view_as_complex_roundtrip",
           lambda m, a: m.view_as_real(m.view_as_complex(a) * (1 - 2j)),
           ops=("view_as_complex", "view_as_real"), shapes=_last_two((2,)),
           skip_noncontig=True),
    OpInfo("rot90", lambda m, a, **kw: m.rot90(a, **kw), kwargs=_rot90_kwargs,
           shapes=unary_shapes(min_dims=2, max_dims=4)),
    OpInfo("diff", lambda m, a, **kw: m.diff(a, **kw), kwargs=_diff_kwargs,
           shapes=unary_shapes(min_dims=1)),
    OpInfo("diff_prepend", lambda m, a, b: m.diff(a, dim=0, prepend=b, append=b), nargs=2,
           shapes=fixed_shapes(((3, 2), (1, 2)), ((4,), (2,)), ((2, 3), (2, 3)))),
    OpInfo("quantile", lambda m, a, **kw: m.quantile(a, **kw), kwargs=_quantile_kwargs,
           shapes=_nonempty(), avoid_ties=True),
    OpInfo("quantile_tensor_q",
           lambda m, a: m.quantile(a, m.tensor([0.1, 0.75], dtype=a.dtype), dim=-1),
           shapes=_nonempty(), avoid_ties=True),
    OpInfo("nanquantile", lambda m, a: m.nanquantile(a, 0.4, dim=0, keepdim=True),
           shapes=_nonempty(), avoid_ties=True),
    OpInfo("unfold", lambda m, a, **kw: a.unfold(**kw), kwargs=_unfold_kwargs,
           shapes=_nonempty(max_dims=3)),
    OpInfo("unfold_overlapping", lambda m, a: a.unfold(-1, 3, 1).unfold(0, 2, 1),
           ops=("unfold",), shapes=fixed_shapes(((3, 5),), ((2, 3),))),
    OpInfo("as_strided", lambda m, a: m.as_strided(a, (3, 2), (1, 2), 1),
           shapes=fixed_shapes(((7,),), ((2, 4),))),
    OpInfo("as_strided_method", lambda m, a: a.as_strided((2, 2, 2), (4, 1, 2)), ops=("as_strided",),
           shapes=fixed_shapes(((8,),), ((2, 2, 2),))),
    OpInfo("renorm", lambda m, a: m.renorm(a, 2, 0, 1.0), ops=(), shapes=fixed_shapes(((3, 4),))),
    OpInfo("cov", lambda m, a: m.cov(a), shapes=fixed_shapes(((3, 5),), ((1, 4),), ((4,),))),
    OpInfo("cov_weights",
           lambda m, a, w: m.cov(a, correction=0, aweights=w.abs() + 0.5,
                                 fweights=m.tensor([1, 2, 1, 3])),
           nargs=2, shapes=fixed_shapes(((2, 4), (4,)))),
    OpInfo("corrcoef", lambda m, a: m.corrcoef(a), shapes=fixed_shapes(((3, 5),), ((2, 4),))),
    OpInfo("dist", lambda m, a, b: m.dist(a, b, p=3), nargs=2,
           shapes=fixed_shapes(((3, 2), (3, 2)), ((4,), (1,)))),
    OpInfo("block_diag", lambda m, a, b, c: m.block_diag(a, b, c), nargs=3,
           shapes=fixed_shapes(((2, 3), (1,), ()), ((0, 2), (2, 2), (3,)))),
    OpInfo("cholesky_solve",
           lambda m, a, b: m.cholesky_solve(b, m.linalg.cholesky(_spd(m, a))), nargs=2,
           shapes=fixed_shapes(((3, 3), (3, 2)), ((2, 2, 2), (2, 2, 1)))),
    OpInfo("cholesky_solve_upper",
           lambda m, a, b: m.cholesky_solve(b, m.linalg.cholesky(_spd(m, a)).mT, upper=True),
           nargs=2, shapes=fixed_shapes(((3, 3), (3, 2)))),
    OpInfo("pdist", lambda m, a: m.nn.functional.pdist(a, p=3), gradgrad=False,
           shapes=fixed_shapes(((4, 3),), ((2, 1),), ((1, 2),))),
    OpInfo("trapezoid", lambda m, a, b: (m.trapezoid(a, b, dim=-1), m.trapezoid(a, dx=0.5, dim=0)),
           nargs=2, shapes=fixed_shapes(((3, 4), (4,)), ((2, 5), (2, 5)), ((4, 1), (1,)))),
    OpInfo("cumulative_trapezoid", lambda m, a: m.cumulative_trapezoid(a, dx=2.0),
           shapes=_nonempty()),
    OpInfo("combinations", lambda m, a: m.combinations(a, r=2), shapes=fixed_shapes(((4,),),
                                                                                  ((2,),))),
]
