"""OpInfos of the LU factorization and what is built on it (lu, lu_unpack, lu_solve) and of
the Householder product (ember/_ops/lu.py, ember/_linalg_lu.py)."""

from tests.opinfo import OpInfo
from tests.opinfos.linalg import _matrices

_TOL = {"atol": 1e-3, "rtol": 1e-3}
_SHAPES = [((3, 3),), ((1, 1),), ((2, 4, 4),), ((2, 4),), ((5, 3),), ((2, 3, 2),)]

OPINFOS = [
    OpInfo("linalg_lu_factor", lambda m, a: m.linalg.lu_factor(a).LU,
           make_inputs=_matrices(_SHAPES, "general"), **_TOL),
    OpInfo("lu_factor_ex_square", lambda m, a: m.linalg.lu_factor_ex(a).LU,
           ops=("linalg_lu_factor",), make_inputs=_matrices([((3, 3),)], "square"), **_TOL),
    OpInfo("linalg_lu_L", lambda m, a: m.linalg.lu(a).L, ops=("linalg_lu_factor",),
           make_inputs=_matrices(_SHAPES), **_TOL),
    OpInfo("linalg_lu_U", lambda m, a: m.linalg.lu(a).U, ops=("linalg_lu_factor",),
           make_inputs=_matrices(_SHAPES), **_TOL),
    OpInfo("lu_unpack", lambda m, a: m.lu_unpack(*m.linalg.lu_factor(a))[1],
           ops=("linalg_lu_factor",), make_inputs=_matrices([((4, 3),), ((2, 3, 3),)]), **_TOL),
    OpInfo("linalg_lu_solve", lambda m, a, b: m.linalg.lu_solve(*m.linalg.lu_factor(a), b),
           ops=("linalg_lu_factor", "linalg_solve"), nargs=2,
           make_inputs=_matrices([((3, 3), (3, 2)), ((2, 3, 3), (3, 1)),
                                  ((3, 3), (2, 3, 4))], "square"), **_TOL),
    OpInfo("lu_solve_adjoint_right",
           lambda m, a, b: m.linalg.lu_solve(*m.linalg.lu_factor(a), b, left=False, adjoint=True),
           ops=("linalg_lu_factor",), nargs=2,
           make_inputs=_matrices([((3, 3), (2, 3))], "square"), **_TOL),
    OpInfo("lu_solve_adjoint", lambda m, a, b: m.linalg.lu_solve(*m.linalg.lu_factor(a), b,
                                                                   adjoint=True),
           ops=("linalg_lu_factor",), nargs=2,
           make_inputs=_matrices([((3, 3), (3, 2))], "square"), **_TOL),
    OpInfo("lu_solve_right", lambda m, a, b: m.linalg.lu_solve(*m.linalg.lu_factor(a), b,
                                                                 left=False),
           ops=("linalg_lu_factor",), nargs=2,
           make_inputs=_matrices([((2, 3, 3), (4, 3))], "square"), **_TOL),
    OpInfo("torch_lu_solve", lambda m, a, b: m.lu_solve(b, *m.linalg.lu_factor(a)),
           ops=("linalg_lu_factor",), nargs=2,
           make_inputs=_matrices([((3, 3), (3, 2))], "square"), **_TOL),
    OpInfo("householder_product", lambda m, a, t: m.linalg.householder_product(a, t),
           ops=("matmul",), nargs=2,
           make_inputs=_matrices([((4, 3), (2,)), ((3, 3), (3,)), ((2, 5, 2), (2, 2)),
                                  ((3, 1), (0,))]), **_TOL),
    OpInfo("orgqr", lambda m, a, t: m.orgqr(a, t), ops=("matmul",), nargs=2,
           make_inputs=_matrices([((4, 2), (2,))]), **_TOL),
]
