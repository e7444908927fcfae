"""OpInfos of the products (mm, bmm, mv, dot, einsum, ...), linalg decompositions and norms."""

import math

import numpy as np
from hypothesis import strategies as st

from tests.opinfo import OpInfo, fixed_shapes, unary_shapes


# ---------------------------------------------------------------- input makers
def _matrices(shapes, kind="general"):
    """make_inputs drawing one of `shapes` (tuples of shapes) and conditioning the matrices.

    general: random; square: random + n*I (well conditioned); spd: B B^T + n*I.
    """

    def make(draw, rng, dtype):
        chosen = draw(st.sampled_from(shapes))
        out = []
        for i, shape in enumerate(chosen):
            a = rng.uniform(-1.0, 1.0, size=shape)
            if i == 0 and kind == "square":
                n = shape[-1]
                a = a + n * np.eye(n) * rng.choice([-1.0, 1.0])
            if i == 0 and kind == "spd":
                n = shape[-1]
                a = a @ np.swapaxes(a, -1, -2) + n * np.eye(n)
            out.append(a.astype(dtype))
        return out

    return make


def _distinct_sv(shapes):
    """Matrices with well separated singular values (for svd/eigh gradients)."""

    def make(draw, rng, dtype):
        chosen = draw(st.sampled_from(shapes))
        out = []
        for shape in chosen:
            m, n = shape[-2:]
            k = min(m, n)
            batch = shape[:-2]
            q1, _ = np.linalg.qr(rng.standard_normal(batch + (m, m)))
            q2, _ = np.linalg.qr(rng.standard_normal(batch + (n, n)))
            s = np.arange(k, 0, -1, dtype=np.float64) + 1.0 + rng.uniform(0, 0.3, size=k)
            d = np.zeros(batch + (m, n))
            d[..., range(k), range(k)] = s
            out.append((q1 @ d @ q2).astype(dtype))
        return out

    return make


def _symmetric(shapes):
    def make(draw, rng, dtype):
        (shape,) = draw(st.sampled_from(shapes))
        n = shape[-1]
        q, _ = np.linalg.qr(rng.standard_normal(shape))
        lam = np.arange(n, dtype=np.float64) * 1.5 - n / 2 + rng.uniform(0, 0.3, size=n)
        a = (q * lam[..., None, :]) @ np.swapaxes(q, -1, -2)
        return [a.astype(dtype)]

    return make


def _einsum(name, eq, *shape_cases, **kw):
    return OpInfo(f"einsum_{name}", lambda m, *xs: m.einsum(eq, *xs), ops=("einsum",),
                  nargs=len(shape_cases[0]), shapes=fixed_shapes(*shape_cases), **kw)


def _norm_kwargs(ords):
    def draw_kw(draw, shapes):
        nd = len(shapes[0])
        kw = {"ord": draw(st.sampled_from(ords))}
        if nd:
            dim = draw(st.one_of(st.none(), st.integers(-nd, nd - 1),
                                 st.lists(st.integers(0, nd - 1), unique=True, min_size=1,
                                          max_size=nd).map(tuple)))
            if dim is not None:
                kw["dim"] = dim
                kw["keepdim"] = draw(st.booleans())
        return kw

    return draw_kw


def _matrix_norm_kwargs(ords):
    def draw_kw(draw, shapes):
        nd = len(shapes[0])
        d0, d1 = draw(st.lists(st.integers(0, nd - 1), unique=True, min_size=2, max_size=2))
        return {"ord": draw(st.sampled_from(ords)), "dim": (d0, d1),
                "keepdim": draw(st.booleans())}

    return draw_kw


_SMOOTH_MATRIX_ORDS = ["fro", "nuc", 2, -2]
_PIECEWISE_MATRIX_ORDS = [1, -1, math.inf, -math.inf]


def _nonempty_matrices(min_dims=2, max_dims=4):
    return unary_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=4)


_SQ = [((3, 3),), ((1, 1),), ((2, 4, 4),), ((2, 1, 3, 3),)]
_TALL = [((4, 3),), ((3, 3),), ((2, 5, 2),)]
_WIDE = [((2, 4),), ((2, 3, 5),)]
_LINALG_TOL = {"atol": 1e-3, "rtol": 1e-3}

OPINFOS = [
    # ------------------------------------------------------------ the matmul family
    OpInfo("mm", lambda m, a, b: m.mm(a, b), nargs=2,
           shapes=fixed_shapes(((2, 3), (3, 4)), ((0, 3), (3, 2)), ((3, 0), (0, 2)),
                               ((1, 1), (1, 1)), ((4, 2), (2, 0)))),
    OpInfo("mm_method_T", lambda m, a, b: a.mm(b.T), ops=("mm",), nargs=2,
           shapes=fixed_shapes(((2, 3), (4, 3)))),
    OpInfo("bmm", lambda m, a, b: m.bmm(a, b), nargs=2,
           shapes=fixed_shapes(((2, 3, 4), (2, 4, 5)), ((0, 2, 3), (0, 3, 1)),
                               ((3, 1, 2), (3, 2, 2)))),
    OpInfo("mv", lambda m, a, b: m.mv(a, b), nargs=2,
           shapes=fixed_shapes(((2, 3), (3,)), ((0, 3), (3,)), ((3, 0), (0,)))),
    OpInfo("dot", lambda m, a, b: m.dot(a, b), nargs=2,
           shapes=fixed_shapes(((3,), (3,)), ((0,), (0,)), ((1,), (1,)))),
    OpInfo("vdot", lambda m, a, b: m.vdot(a, b), nargs=2,
           shapes=fixed_shapes(((3,), (3,)), ((5,), (5,)))),
    OpInfo("matmul_batched", lambda m, a, b: a @ b, ops=("matmul", "bmm"), nargs=2,
           shapes=fixed_shapes(((2, 3, 4), (2, 4, 5)), ((3, 1, 2, 3), (2, 3, 2)),
                               ((4, 3), (2, 3, 2)), ((2, 2, 3), (3,)), ((3,), (2, 3, 4)),
                               ((2, 2, 3), (3, 4)), ((0, 2, 3), (3, 4)))),
    OpInfo("outer", lambda m, a, b: m.outer(a, b), ops=(), nargs=2,
           shapes=fixed_shapes(((3,), (4,)), ((0,), (2,)))),
    OpInfo("inner", lambda m, a, b: m.inner(a, b), ops=("einsum",), nargs=2,
           shapes=fixed_shapes(((3,), (3,)), ((2, 3), (4, 3)), ((2, 3), ()), ((2, 1, 3), (3,)))),
    OpInfo("addmm", lambda m, c, a, b: m.addmm(c, a, b, beta=0.5, alpha=2.0),
           ops=("mm",), nargs=3,
           shapes=fixed_shapes(((2, 4), (2, 3), (3, 4)), ((4,), (2, 3), (3, 4)),
                               ((1, 1), (2, 3), (3, 4)))),
    OpInfo("addmm_beta0", lambda m, c, a, b: m.addmm(c, a, b, beta=0), ops=("mm",), nargs=3,
           shapes=fixed_shapes(((2, 4), (2, 3), (3, 4)))),
    OpInfo("addmm_", lambda m, c, a, b: (c * 1).addmm_(a, b, alpha=-1.5), ops=("mm",), nargs=3,
           shapes=fixed_shapes(((2, 4), (2, 3), (3, 4)))),
    OpInfo("addmv", lambda m, c, a, b: m.addmv(c, a, b, beta=2.0, alpha=0.5), ops=("mv",),
           nargs=3, shapes=fixed_shapes(((2,), (2, 3), (3,)), ((1,), (2, 3), (3,)))),
    OpInfo("addr", lambda m, c, a, b: m.addr(c, a, b, alpha=3.0), ops=(), nargs=3,
           shapes=fixed_shapes(((2, 3), (2,), (3,)), ((3,), (2,), (3,)))),
    OpInfo("baddbmm", lambda m, c, a, b: m.baddbmm(c, a, b, beta=-1.0), ops=("bmm",), nargs=3,
           shapes=fixed_shapes(((2, 2, 4), (2, 2, 3), (2, 3, 4)), ((4,), (2, 2, 3), (2, 3, 4)))),
    OpInfo("addbmm", lambda m, c, a, b: m.addbmm(c, a, b, alpha=0.5), ops=("bmm",), nargs=3,
           shapes=fixed_shapes(((2, 4), (3, 2, 3), (3, 3, 4)))),
    # ------------------------------------------------------------ einsum
    _einsum("mm", "ij,jk->ik", ((2, 3), (3, 4)), ((0, 3), (3, 2))),
    _einsum("implicit", "ij,jk", ((2, 3), (3, 4))),
    _einsum("trace", "ii->", ((3, 3),), ((1, 1),)),
    _einsum("diag", "ii->i", ((3, 3),)),
    _einsum("diag3", "iij->ji", ((2, 2, 3),)),
    _einsum("diag_implicit", "jii", ((2, 3, 3),)),
    _einsum("sum_all", "ij->", ((2, 3),), ((0, 3),)),
    _einsum("sum_one_operand_axis", "ij,j->j", ((2, 3), (3,))),
    _einsum("transpose", "ij->ji", ((2, 3),)),
    _einsum("outer", "i,j->ij", ((2,), (3,))),
    _einsum("dot", "i,i", ((3,), (3,))),
    _einsum("batch", "bij,bjk->bik", ((2, 2, 3), (2, 3, 4))),
    _einsum("ellipsis", "...ij,...jk->...ik", ((2, 1, 2, 3), (3, 3, 4)), ((2, 3), (3, 4)),
            ((2, 3), (4, 3, 1))),
    _einsum("ellipsis_mid", "i...j,j->...", ((2, 3, 4, 2), (2,))),
    _einsum("broadcast_label", "ij,ij->ij", ((3, 1), (3, 4))),
    _einsum("three", "ijk,ikl,il->jl", ((2, 3, 4), (2, 4, 5), (2, 5))),
    _einsum("upper", "aB,Bc->ac", ((2, 3), (3, 4))),
    _einsum("repeat_across", "ij,jj,jk->ik", ((2, 3), (3, 3), (3, 2))),
    OpInfo("einsum_sublist", lambda m, a, b: m.einsum(a, [0, Ellipsis, 1], b, [1, 2], [0, 2]),
           ops=("einsum",), nargs=2, shapes=fixed_shapes(((2, 3), (3, 4)), ((2, 5, 3), (3, 4)))),
    OpInfo("einsum_list", lambda m, a, b: m.einsum("i,i->", [a, b]), ops=("einsum",), nargs=2,
           shapes=fixed_shapes(((3,), (3,)))),
    # ------------------------------------------------------------ tensordot / kron / trace / cross
    OpInfo("tensordot", lambda m, a, b: m.tensordot(a, b, dims=([1, 0], [0, 2])),
           ops=("einsum",), nargs=2, shapes=fixed_shapes(((2, 3, 4), (3, 5, 2)))),
    OpInfo("tensordot_int", lambda m, a, b: m.tensordot(a, b, dims=1), ops=("einsum",), nargs=2,
           shapes=fixed_shapes(((2, 3), (3, 4)), ((2, 3, 4), (4,)))),
    OpInfo("tensordot_zero", lambda m, a, b: m.tensordot(a, b, dims=0), ops=("einsum",),
           nargs=2, shapes=fixed_shapes(((2,), (3,)))),
    OpInfo("kron", lambda m, a, b: m.kron(a, b), ops=("einsum",), nargs=2,
           shapes=fixed_shapes(((2, 3), (4, 2)), ((2,), (3, 2)), ((2, 2, 1), (1, 3)))),
    OpInfo("trace", lambda m, a: m.trace(a),
           shapes=fixed_shapes(((3, 3),), ((2, 4),), ((0, 2),))),
    OpInfo("linalg_cross", lambda m, a, b: m.linalg.cross(a, b), nargs=2,
           shapes=fixed_shapes(((3,), (3,)), ((2, 3), (2, 3)), ((2, 3), (1, 3)),
                               ((4, 2, 3), (1, 2, 3)))),
    OpInfo("cross_dim", lambda m, a, b: m.cross(a, b, dim=0), ops=("linalg_cross",), nargs=2,
           shapes=fixed_shapes(((3, 2), (3, 2)))),
    OpInfo("cdist", lambda m, a, b, **kw: m.cdist(a, b, **kw), ops=("linalg_vector_norm",),
           nargs=2, shapes=fixed_shapes(((3, 2), (4, 2)), ((2, 3, 4), (2, 2, 4))),
           kwargs=lambda draw, s: {"p": draw(st.sampled_from([1.0, 2.0, 3.0, math.inf]))},
           gradgrad=False),  # torch: "the derivative for '_cdist_backward' is not implemented"
    # ------------------------------------------------------------ inverse, det, solve
    OpInfo("linalg_inv", lambda m, a: m.linalg.inv(a), make_inputs=_matrices(_SQ, "square"),
           **_LINALG_TOL),
    OpInfo("inverse_method", lambda m, a: a.inverse(), ops=("linalg_inv",),
           make_inputs=_matrices([((3, 3),)], "square"), **_LINALG_TOL),
    OpInfo("linalg_det", lambda m, a: m.linalg.det(a), make_inputs=_matrices(_SQ, "square"),
           **_LINALG_TOL),
    OpInfo("det_general", lambda m, a: m.det(a), ops=("linalg_det",),
           make_inputs=_matrices([((3, 3),), ((2, 2, 2),), ((0, 0),)]), **_LINALG_TOL),
    OpInfo("linalg_slogdet", lambda m, a: tuple(m.linalg.slogdet(a))[::-1],
           make_inputs=_matrices(_SQ, "square"), **_LINALG_TOL),
    OpInfo("logdet", lambda m, a: m.logdet(a @ a.mT), ops=("linalg_slogdet",),
           make_inputs=_matrices(_SQ, "square"), **_LINALG_TOL),
    OpInfo("linalg_solve", lambda m, a, b: m.linalg.solve(a, b), nargs=2,
           make_inputs=_matrices([((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3)),
                                  ((2, 3, 3), (3,)), ((2, 3, 3), (3, 4)), ((1, 3, 3), (2, 3, 1))],
                                 "square"), **_LINALG_TOL),
    OpInfo("linalg_solve_right", lambda m, a, b: m.linalg.solve(a, b, left=False),
           ops=("linalg_solve",), nargs=2,
           make_inputs=_matrices([((3, 3), (2, 3))], "square"), **_LINALG_TOL),
    OpInfo("matrix_power", lambda m, a: m.linalg.matrix_power(a, -3), ops=("linalg_inv",),
           make_inputs=_matrices([((3, 3),), ((2, 2, 2),)], "square"), **_LINALG_TOL),
    OpInfo("matrix_power_pos", lambda m, a: m.matrix_power(a, 5), ops=("matmul",),
           make_inputs=_matrices([((3, 3),), ((2, 2, 2),)])),
    OpInfo("matrix_exp", lambda m, a: m.linalg.matrix_exp(a), ops=("linalg_solve",),
           make_inputs=_matrices([((3, 3),), ((2, 2, 2),), ((1, 1),)]), **_LINALG_TOL),
    OpInfo("matrix_exp_scaled", lambda m, a: m.matrix_exp(a * 4), ops=("linalg_solve",),
           make_inputs=_matrices([((3, 3),)]), **_LINALG_TOL),
    OpInfo("cond", lambda m, a: m.linalg.cond(a), ops=("linalg_svd_s",),
           make_inputs=_distinct_sv([((3, 3),), ((2, 4, 4),)]), **_LINALG_TOL),
    OpInfo("lstsq", lambda m, a, b: m.linalg.lstsq(a, b).solution, ops=("linalg_svd_u",),
           nargs=2, make_inputs=_distinct_sv([((5, 3), (5, 2))]), **_LINALG_TOL),
    OpInfo("vander", lambda m, a: m.linalg.vander(a, N=4), ops=("pow",),
           shapes=fixed_shapes(((3,),), ((2, 3),))),
    OpInfo("tensorinv", lambda m, a: m.linalg.tensorinv(a.reshape(2, 2, 4), 2),
           ops=("linalg_inv",), make_inputs=_matrices([((4, 4),)], "square"), **_LINALG_TOL),
    OpInfo("multi_dot", lambda m, a, b, c: m.linalg.multi_dot([a, b, c]), ops=("matmul",),
           nargs=3, shapes=fixed_shapes(((2, 3), (3, 4), (4, 2)))),
    # ------------------------------------------------------------ factorizations
    OpInfo("linalg_cholesky", lambda m, a: m.linalg.cholesky((a + a.mT) / 2),
           make_inputs=_matrices(_SQ, "spd"), **_LINALG_TOL),
    OpInfo("cholesky_upper", lambda m, a: m.linalg.cholesky((a + a.mT) / 2, upper=True),
           ops=("linalg_cholesky",), make_inputs=_matrices([((3, 3),)], "spd"), **_LINALG_TOL),
    OpInfo("linalg_qr_q", lambda m, a: tuple(m.linalg.qr(a)),
           make_inputs=_matrices(_TALL + _WIDE), **_LINALG_TOL),
    OpInfo("linalg_qr_r", lambda m, a: tuple(m.linalg.qr(a))[::-1],
           make_inputs=_matrices(_TALL + _WIDE), **_LINALG_TOL),
    OpInfo("qr_complete_square", lambda m, a: tuple(m.linalg.qr(a, mode="complete")),
           ops=("linalg_qr_q",), make_inputs=_matrices([((3, 3),), ((2, 4),)]),
           **_LINALG_TOL),
    OpInfo("linalg_svd_s", lambda m, a: m.linalg.svd(a, full_matrices=False)[1],
           make_inputs=_distinct_sv(_TALL + _WIDE), **_LINALG_TOL),
    OpInfo("linalg_svd_u", lambda m, a: m.linalg.svd(a, full_matrices=False)[0] ** 2,
           make_inputs=_distinct_sv(_TALL + _WIDE), **_LINALG_TOL),
    OpInfo("linalg_svd_vh", lambda m, a: m.linalg.svd(a, full_matrices=False)[2] ** 2,
           make_inputs=_distinct_sv(_TALL + _WIDE), **_LINALG_TOL),
    OpInfo("svd_full_u", lambda m, a: m.linalg.svd(a)[0][..., :2] ** 2, ops=("linalg_svd_u",),
           make_inputs=_distinct_sv([((4, 2),)]), **_LINALG_TOL),
    OpInfo("svdvals", lambda m, a: m.linalg.svdvals(a), ops=("linalg_svd_s",),
           make_inputs=_distinct_sv(_TALL + _WIDE), **_LINALG_TOL),
    OpInfo("torch_svd", lambda m, a: m.svd(a)[2] ** 2, ops=("linalg_svd_vh",),
           make_inputs=_distinct_sv([((4, 3),)]), **_LINALG_TOL),
    OpInfo("pinv", lambda m, a: m.linalg.pinv(a), ops=("linalg_svd_u",),
           make_inputs=_distinct_sv(_TALL + _WIDE), **_LINALG_TOL),
    OpInfo("linalg_eigh_l", lambda m, a: m.linalg.eigvalsh((a + a.mT) / 2),
           make_inputs=_symmetric([((3, 3),), ((2, 4, 4),)]), **_LINALG_TOL),
    OpInfo("linalg_eigh_v", lambda m, a: m.linalg.eigh((a + a.mT) / 2)[1] ** 2,
           make_inputs=_symmetric([((3, 3),), ((2, 4, 4),)]), **_LINALG_TOL),
    OpInfo("eigh_upper", lambda m, a: m.linalg.eigh((a + a.mT) / 2, UPLO="U")[0], ops=("linalg_eigh_l",),
           make_inputs=_symmetric([((3, 3),)]), **_LINALG_TOL),
    # ------------------------------------------------------------ norms
    OpInfo("linalg_vector_norm", lambda m, a, **kw: m.linalg.vector_norm(a, **kw),
           kwargs=_norm_kwargs([2, 3, 2.5]), shapes=unary_shapes(min_side=1)),
    # piecewise linear norms: torch's second derivative is a ZeroTensor, so no gradgrad here
    OpInfo("vector_norm_piecewise", lambda m, a, **kw: m.linalg.vector_norm(a, **kw),
           ops=("linalg_vector_norm",), kwargs=_norm_kwargs([1, 0, math.inf, -math.inf]),
           shapes=unary_shapes(min_side=1), gradgrad=False),
    OpInfo("vector_norm_small_p", lambda m, a, **kw: m.linalg.vector_norm(a, **kw),
           ops=("linalg_vector_norm",), kwargs=_norm_kwargs([0.5, -1, -2.5]),
           shapes=unary_shapes(min_side=1), domain=(0.5, 2.0)),
    OpInfo("vector_norm_empty", lambda m, a: m.linalg.vector_norm(a), ops=("linalg_vector_norm",),
           shapes=fixed_shapes(((0,),), ((2, 0),))),
    OpInfo("vector_norm_zero", lambda m, a: m.linalg.vector_norm(a * 0, 2.5, -1),
           ops=("linalg_vector_norm",), shapes=fixed_shapes(((2, 3),)), gradgrad=False),
    OpInfo("matrix_norm", lambda m, a, **kw: m.linalg.matrix_norm(a, **kw),
           ops=("linalg_vector_norm",), make_inputs=_distinct_sv([((3, 4),), ((4, 3),)]),
           kwargs=_matrix_norm_kwargs(_SMOOTH_MATRIX_ORDS), **_LINALG_TOL),
    OpInfo("matrix_norm_piecewise", lambda m, a, **kw: m.linalg.matrix_norm(a, **kw),
           ops=("linalg_vector_norm",), shapes=fixed_shapes(((2, 3, 4),), ((3, 2, 2),)),
           kwargs=_matrix_norm_kwargs(_PIECEWISE_MATRIX_ORDS), gradgrad=False),
    OpInfo("matrix_norm_batched", lambda m, a, **kw: m.linalg.matrix_norm(a, **kw),
           ops=("linalg_vector_norm",), make_inputs=_distinct_sv([((2, 3, 4),), ((3, 2, 2),)]),
           kwargs=_matrix_norm_kwargs(_SMOOTH_MATRIX_ORDS), **_LINALG_TOL),
    OpInfo("linalg_norm", lambda m, a, **kw: m.linalg.norm(a, **kw),
           ops=("linalg_vector_norm",), shapes=_nonempty_matrices(1, 2), **_LINALG_TOL,
           kwargs=lambda draw, s: {"ord": draw(st.sampled_from(
               [None, 2] + (["fro"] if len(s[0]) == 2 else [3])))}),
    OpInfo("linalg_norm_piecewise", lambda m, a, **kw: m.linalg.norm(a, **kw),
           ops=("linalg_vector_norm",), shapes=_nonempty_matrices(1, 2),
           gradgrad=False, kwargs=lambda draw, s: {"ord": draw(st.sampled_from(
               [1, math.inf] + ([-1] if len(s[0]) == 2 else [0])))}),
    OpInfo("torch_norm", lambda m, a, **kw: m.norm(a, **kw), ops=("linalg_vector_norm",),
           shapes=_nonempty_matrices(1, 3),
           kwargs=lambda draw, s: {"p": draw(st.sampled_from(["fro", 2, 3])),
                                   "dim": draw(st.sampled_from([None, 0, -1])),
                                   "keepdim": draw(st.booleans())}),
    OpInfo("torch_norm_piecewise", lambda m, a, **kw: m.norm(a, **kw),
           ops=("linalg_vector_norm",), shapes=_nonempty_matrices(1, 3),
           gradgrad=False, kwargs=lambda draw, s: {"p": draw(st.sampled_from([1, math.inf])),
                                                   "dim": draw(st.sampled_from([None, 0, -1]))}),
    OpInfo("tensor_norm_method", lambda m, a: a.norm(), ops=("linalg_vector_norm",)),
    # ------------------------------------------------------------ random ops (zero gradients)
    OpInfo("normal", lambda m, a: m.normal(a, 1.0) * 0 + a, gradgrad=False),
    OpInfo("normal_both", lambda m, a, b: m.normal(a, b * b + 1) * 0 + a * b, ops=("normal",),
           nargs=2, gradgrad=False),
]
