"""Linear algebra beyond the op table: error types and messages, dtypes, return types and values
of the non-differentiable paths, each against torch 2.13.0."""

import math
import warnings

import numpy as np
import pytest
import torch

import ember


def _np(t):
    return t.detach().cpu().numpy()


def _r(*shape, dtype="float32", seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(dtype)


def _t(m, a, **kw):
    return m.tensor(a, **kw)


F32 = "float32"
F64 = "float64"

CASES = [
    # ------------------------------------------------------------ matmul family errors
    ("mm_shape", lambda m: m.mm(_t(m, _r(2, 3)), _t(m, _r(4, 5)))),
    ("mm_dtype", lambda m: m.mm(_t(m, _r(2, 3)), _t(m, _r(3, 5, dtype=F64)))),
    ("mm_dtype_rev", lambda m: m.mm(_t(m, _r(2, 3, dtype=F64)), _t(m, _r(3, 5)))),
    ("mm_int_long", lambda m: m.mm(m.ones(2, 2, dtype=m.int32), m.ones(2, 2, dtype=m.int64))),
    ("mm_bool", lambda m: m.mm(m.ones(2, 2, dtype=m.bool), m.ones(2, 2, dtype=m.bool))),
    ("mm_not_matrix", lambda m: m.mm(_t(m, _r(2, 3)), _t(m, _r(3)))),
    ("mm_self_not_matrix", lambda m: m.mm(_t(m, _r(3)), _t(m, _r(3, 2)))),
    ("mm_long_values", lambda m: m.mm(m.arange(6).reshape(2, 3), m.arange(6).reshape(3, 2))),
    ("bmm_shape", lambda m: m.bmm(_t(m, _r(2, 3, 4)), _t(m, _r(2, 5, 6)))),
    ("bmm_batch", lambda m: m.bmm(_t(m, _r(2, 3, 4)), _t(m, _r(3, 4, 6)))),
    ("bmm_not_3d", lambda m: m.bmm(_t(m, _r(3, 4)), _t(m, _r(3, 4, 6)))),
    ("bmm_not_3d_2", lambda m: m.bmm(_t(m, _r(2, 3, 4)), _t(m, _r(2, 4)))),
    ("bmm_dtype", lambda m: m.bmm(_t(m, _r(2, 3, 4, dtype=F64)), _t(m, _r(2, 4, 3)))),
    ("bmm_bool", lambda m: m.bmm(m.ones(2, 2, 2, dtype=m.bool), m.ones(2, 2, 2, dtype=m.bool))),
    ("mv_shape", lambda m: m.mv(_t(m, _r(2, 3)), _t(m, _r(4)))),
    ("mv_dims", lambda m: m.mv(_t(m, _r(2, 3)), _t(m, _r(3, 1)))),
    ("mv_dims_vec", lambda m: m.mv(_t(m, _r(3)), _t(m, _r(3)))),
    ("mv_dtype", lambda m: m.mv(_t(m, _r(2, 3)), _t(m, _r(3, dtype=F64)))),
    ("mv_dtype_rev", lambda m: m.mv(_t(m, _r(2, 3, dtype=F64)), _t(m, _r(3)))),
    ("mv_long", lambda m: m.mv(m.ones(2, 3, dtype=m.int64), m.ones(3, dtype=m.int64))),
    ("dot_shape", lambda m: m.dot(_t(m, _r(3)), _t(m, _r(4)))),
    ("dot_dims", lambda m: m.dot(_t(m, _r(3, 1)), _t(m, _r(3)))),
    ("dot_dtype", lambda m: m.dot(_t(m, _r(3)), _t(m, _r(3, dtype=F64)))),
    ("dot_both_wrong", lambda m: m.dot(_t(m, _r(3)), _t(m, _r(4, dtype=F64)))),
    ("dot_long", lambda m: m.dot(m.ones(3, dtype=m.int64), m.ones(3, dtype=m.int64))),
    ("dot_bool", lambda m: m.dot(m.ones(2, dtype=m.bool), m.ones(2, dtype=m.bool))),
    ("dot_empty", lambda m: m.dot(m.ones(0), m.ones(0))),
    ("vdot_shape", lambda m: m.vdot(_t(m, _r(3)), _t(m, _r(4)))),
    ("vdot_dtype", lambda m: m.vdot(_t(m, _r(3)), _t(m, _r(3, dtype=F64)))),
    ("matmul_0d", lambda m: m.matmul(m.tensor(1.0), _t(m, _r(2, 2)))),
    ("matmul_1d_1d", lambda m: m.matmul(_t(m, _r(3)), _t(m, _r(4)))),
    ("matmul_2d_1d", lambda m: m.matmul(_t(m, _r(2, 3)), _t(m, _r(4)))),
    ("matmul_1d_2d", lambda m: m.matmul(_t(m, _r(3)), _t(m, _r(4, 5)))),
    ("matmul_3d_2d", lambda m: m.matmul(_t(m, _r(2, 2, 3)), _t(m, _r(4, 5)))),
    ("matmul_3d_1d", lambda m: m.matmul(_t(m, _r(2, 3, 4)), _t(m, _r(5)))),
    ("matmul_3d_3d", lambda m: m.matmul(_t(m, _r(2, 2, 3)), _t(m, _r(2, 4, 5)))),
    ("matmul_broadcast_fail", lambda m: m.matmul(_t(m, _r(3, 2, 3)), _t(m, _r(2, 3, 5)))),
    ("matmul_broadcast_fail_deep", lambda m: m.matmul(_t(m, _r(5, 2, 3, 4, 5)),
                                                     _t(m, _r(4, 5, 6)))),
    ("matmul_4d_batch", lambda m: m.matmul(_t(m, _r(2, 3, 2, 3)), _t(m, _r(3, 4, 5)))),
    ("matmul_2d_3d", lambda m: m.matmul(_t(m, _r(2, 3)), _t(m, _r(3, 5, 4)))),
    ("matmul_1d_3d", lambda m: m.matmul(_t(m, _r(3)), _t(m, _r(2, 4, 5)))),
    ("matmul_dtype_1d", lambda m: m.matmul(_t(m, _r(3)), _t(m, _r(3, dtype=F64)))),
    ("matmul_dtype_2d_1d", lambda m: m.matmul(_t(m, _r(2, 3)), _t(m, _r(3, dtype=F64)))),
    ("matmul_dtype_3d", lambda m: m.matmul(_t(m, _r(2, 2, 3)), _t(m, _r(2, 3, 2, dtype=F64)))),
    ("matmul_dtype_3d_2d", lambda m: m.matmul(_t(m, _r(2, 2, 3)), _t(m, _r(3, 2, dtype=F64)))),
    ("matmul_shape_and_dtype", lambda m: m.matmul(_t(m, _r(2, 3, 4)), _t(m, _r(2, 5, 6, dtype=F64)))),
    ("matmul_long", lambda m: m.matmul(m.ones(3, 4, dtype=m.int64), m.ones(4, 5, dtype=m.int64))),
    ("matmul_operator", lambda m: _t(m, _r(2, 3)) @ _t(m, _r(4, 2))),
    ("outer_2d", lambda m: m.outer(_t(m, _r(3, 1)), _t(m, _r(2)))),
    ("outer_promote", lambda m: m.outer(_t(m, _r(3)), _t(m, _r(2, dtype=F64)))),
    ("outer_bool", lambda m: m.outer(m.ones(2, dtype=m.bool), m.ones(2, dtype=m.bool))),
    ("ger", lambda m: m.ger(m.arange(3), m.arange(2))),
    ("inner_mismatch", lambda m: m.inner(_t(m, _r(3, 4)), _t(m, _r(2, 5)))),
    ("inner_dtype", lambda m: m.inner(_t(m, _r(3, 4)), _t(m, _r(2, 4, dtype=F64)))),
    ("inner_scalar", lambda m: m.inner(_t(m, _r(3, 4)), m.tensor(2.0))),
    # ------------------------------------------------------------ add* forms
    ("addmm_expand", lambda m: m.addmm(_t(m, _r(3)), _t(m, _r(2, 3)), _t(m, _r(3, 5)))),
    ("addmm_self_dtype", lambda m: m.addmm(_t(m, _r(2, 5)), _t(m, _r(2, 3)),
                                           _t(m, _r(3, 5, dtype=F64)))),
    ("addmm_self_dtype2", lambda m: m.addmm(_t(m, _r(2, 5, dtype=F64)), _t(m, _r(2, 3)),
                                            _t(m, _r(3, 5)))),
    ("addmm_int_scalars", lambda m: m.addmm(m.ones(2, 2, dtype=m.int64),
                                            m.ones(2, 3, dtype=m.int64),
                                            m.ones(3, 2, dtype=m.int64), beta=0.5, alpha=1.7)),
    ("addmm_beta0_nan", lambda m: m.addmm(m.full((2, 2), math.nan), m.ones(2, 3), m.ones(3, 2),
                                          beta=0)),
    ("addmv_expand", lambda m: m.addmv(_t(m, _r(3)), _t(m, _r(2, 3)), _t(m, _r(3)))),
    ("addmv_dtype", lambda m: m.addmv(_t(m, _r(2, dtype=F64)), _t(m, _r(2, 3)), _t(m, _r(3)))),
    ("baddbmm_expand", lambda m: m.baddbmm(_t(m, _r(3)), _t(m, _r(2, 2, 3)),
                                           _t(m, _r(2, 3, 5)))),
    ("addr_values", lambda m: m.addr(m.ones(2, 3), m.arange(2.0), m.arange(3.0), beta=2)),
    ("addmm_inplace", lambda m: m.ones(2, 2).addmm_(m.ones(2, 3), m.ones(3, 2), alpha=2)),
    # ------------------------------------------------------------ einsum errors and dtypes
    ("einsum_dtype", lambda m: m.einsum("i,i", _t(m, _r(3)), _t(m, _r(3, dtype=F64)))),
    ("einsum_int_long", lambda m: m.einsum("i,i", m.ones(3, dtype=m.int32),
                                           m.ones(3, dtype=m.int64))),
    ("einsum_long", lambda m: m.einsum("i,i", m.arange(3), m.arange(3))),
    ("einsum_int_sum", lambda m: m.einsum("ij->", m.ones(3, 2, dtype=m.int32))),
    ("einsum_bool_sum", lambda m: m.einsum("ij->", m.ones(3, 2, dtype=m.bool))),
    ("einsum_bool_mul", lambda m: m.einsum("ij,ij->ij", m.ones(3, 2, dtype=m.bool),
                                           m.ones(3, 2, dtype=m.bool))),
    ("einsum_bool_contract", lambda m: m.einsum("ij,ij->", m.ones(3, 2, dtype=m.bool),
                                                m.ones(3, 2, dtype=m.bool))),
    ("einsum_int32_contract", lambda m: m.einsum("ij,ij->", m.ones(3, 2, dtype=m.int32),
                                                 m.ones(3, 2, dtype=m.int32))),
    ("einsum_ndim", lambda m: m.einsum("ij", _t(m, _r(3)))),
    ("einsum_ndim_ellipsis", lambda m: m.einsum("ijk...", _t(m, _r(3, 2)))),
    ("einsum_too_few", lambda m: m.einsum("ij,jk", _t(m, _r(3, 2)))),
    ("einsum_too_many", lambda m: m.einsum("ij", _t(m, _r(3, 2)), _t(m, _r(3, 2)))),
    ("einsum_size", lambda m: m.einsum("ij,jk->ik", _t(m, _r(3, 2)), _t(m, _r(3, 2)))),
    ("einsum_out_missing", lambda m: m.einsum("ij,jk->il", _t(m, _r(3, 2)), _t(m, _r(2, 2)))),
    ("einsum_out_repeat", lambda m: m.einsum("ij,jk->ii", _t(m, _r(3, 2)), _t(m, _r(2, 2)))),
    ("einsum_repeat_sizes", lambda m: m.einsum("ii", _t(m, _r(3, 2)))),
    ("einsum_bad_char", lambda m: m.einsum("i1", _t(m, _r(3, 2)))),
    ("einsum_bad_char_2", lambda m: m.einsum("ab,c$", _t(m, _r(3, 2)), _t(m, _r(2, 2)))),
    ("einsum_spaces", lambda m: m.einsum("i j -> j", _t(m, _r(3, 2)))),
    ("einsum_dot_not_ellipsis", lambda m: m.einsum("i.j", _t(m, _r(3, 2)))),
    ("einsum_implicit_sorted", lambda m: m.einsum("ba", _t(m, _r(2, 3)))),
    ("einsum_implicit_upper", lambda m: m.einsum("aB", _t(m, _r(2, 3)))),
    ("einsum_out_ellipsis_unused", lambda m: m.einsum("ij->j...", _t(m, _r(3, 2)))),
    ("einsum_scalar_ellipsis", lambda m: m.einsum("...,...->...", _t(m, _r(3)), m.tensor(2.0))),
    ("einsum_sublist_range", lambda m: m.einsum(_t(m, _r(3)), [60])),
    # ------------------------------------------------------------ tensordot / kron / trace / cross
    ("tensordot_mismatch", lambda m: m.tensordot(_t(m, _r(2, 3)), _t(m, _r(3, 4)),
                                                 dims=([0], [0]))),
    ("tensordot_dtype", lambda m: m.tensordot(_t(m, _r(2, 3)), _t(m, _r(3, 4, dtype=F64)), 1)),
    ("tensordot_tensor_dims", lambda m: m.tensordot(_t(m, _r(2, 3)), _t(m, _r(3, 4)),
                                                    dims=m.tensor(1))),
    ("tensordot_long", lambda m: m.tensordot(m.ones(2, 3, dtype=m.int64),
                                             m.ones(3, 4, dtype=m.int64), dims=1)),
    ("kron_promote", lambda m: m.kron(_t(m, _r(2, 3)), _t(m, _r(4, dtype=F64)))),
    ("kron_long", lambda m: m.kron(m.arange(4).reshape(2, 2), m.arange(3))),
    ("trace_1d", lambda m: m.trace(_t(m, _r(3)))),
    ("trace_long", lambda m: m.trace(m.arange(12).reshape(3, 4))),
    ("trace_int32", lambda m: m.trace(m.ones(3, 3, dtype=m.int32))),
    ("trace_bool", lambda m: m.trace(m.ones(3, 4, dtype=m.bool))),
    ("cross_no_dim", lambda m: m.cross(_t(m, _r(3, 2)), _t(m, _r(3, 2)))),
    ("cross_no_size3", lambda m: m.cross(_t(m, _r(2, 4)), _t(m, _r(2, 4)))),
    ("linalg_cross_len", lambda m: m.linalg.cross(_t(m, _r(3, 2)), _t(m, _r(3, 2)))),
    ("linalg_cross_dtype", lambda m: m.linalg.cross(_t(m, _r(3, 3)), _t(m, _r(1, 3, dtype=F64)))),
    ("linalg_cross_broadcast", lambda m: m.linalg.cross(_t(m, _r(3, 3)), _t(m, _r(2, 3)))),
    ("linalg_cross_ndim", lambda m: m.linalg.cross(_t(m, _r(3, 3)), _t(m, _r(3)))),
    ("cdist_1d", lambda m: m.cdist(_t(m, _r(3)), _t(m, _r(3, 3)))),
    ("cdist_cols", lambda m: m.cdist(_t(m, _r(2, 3)), _t(m, _r(2, 4)))),
    # ------------------------------------------------------------ decompositions: errors
    ("inv_singular", lambda m: m.linalg.inv(m.tensor([[1.0, 2.0], [2.0, 4.0]]))),
    ("inv_singular_batch", lambda m: m.linalg.inv(m.stack([m.eye(2), m.tensor([[1.0, 2.0],
                                                                              [2.0, 4.0]])]))),
    ("inv_zeros", lambda m: m.linalg.inv(m.zeros(3, 3))),
    ("inv_not_square", lambda m: m.linalg.inv(_t(m, _r(2, 3)))),
    ("inv_1d", lambda m: m.linalg.inv(_t(m, _r(3)))),
    ("inv_long", lambda m: m.linalg.inv(m.ones(2, 2, dtype=m.int64))),
    ("inv_half", lambda m: m.linalg.inv(m.ones(2, 2, dtype=m.float16))),
    ("inv_empty", lambda m: m.linalg.inv(m.ones(0, 0))),
    ("inverse_not_square", lambda m: m.inverse(_t(m, _r(2, 3)))),
    ("det_not_square", lambda m: m.linalg.det(_t(m, _r(2, 3)))),
    ("det_1d", lambda m: m.linalg.det(_t(m, _r(3)))),
    ("det_long", lambda m: m.linalg.det(m.ones(2, 2, dtype=m.int64))),
    ("det_empty_batch", lambda m: m.linalg.det(m.ones(2, 0, 0))),
    ("det_singular", lambda m: m.det(m.tensor([[1.0, 2.0], [2.0, 4.0]]))),
    ("slogdet_not_square", lambda m: m.linalg.slogdet(_t(m, _r(2, 3)))),
    ("slogdet_singular", lambda m: m.linalg.slogdet(m.zeros(2, 2))),
    ("slogdet_negative", lambda m: m.slogdet(m.tensor([[0.0, 1.0], [1.0, 0.0]]))),
    ("logdet_negative", lambda m: m.logdet(m.tensor([[0.0, 1.0], [1.0, 0.0]]))),
    ("logdet_positive", lambda m: m.logdet(m.tensor([[2.0, 1.0], [1.0, 2.0]]))),
    ("solve_singular", lambda m: m.linalg.solve(m.tensor([[1.0, 2.0], [2.0, 4.0]]), m.ones(2))),
    ("solve_singular_batch", lambda m: m.linalg.solve(m.stack([m.eye(2), m.zeros(2, 2)]),
                                                      m.ones(2, 2))),
    ("solve_not_square", lambda m: m.linalg.solve(_t(m, _r(2, 3)), _t(m, _r(2)))),
    ("solve_vec_shape", lambda m: m.linalg.solve(_t(m, _r(3, 3)), _t(m, _r(2)))),
    ("solve_mat_shape", lambda m: m.linalg.solve(_t(m, _r(3, 3)), _t(m, _r(2, 2)))),
    ("solve_dtype", lambda m: m.linalg.solve(_t(m, _r(3, 3)), _t(m, _r(3, dtype=F64)))),
    ("solve_right_shape", lambda m: m.linalg.solve(_t(m, _r(3, 3)), _t(m, _r(3)), left=False)),
    ("solve_batch_broadcast", lambda m: m.linalg.solve(_t(m, _r(2, 3, 3)), _t(m, _r(4, 3, 1)))),
    ("cholesky_not_pd", lambda m: m.linalg.cholesky(m.tensor([[1.0, 2.0], [2.0, 1.0]]))),
    ("cholesky_not_pd_1", lambda m: m.linalg.cholesky(m.tensor([[-1.0, 2.0], [2.0, 1.0]]))),
    ("cholesky_not_pd_batch", lambda m: m.linalg.cholesky(
        m.stack([m.eye(2), m.tensor([[1.0, 2.0], [2.0, 1.0]])]))),
    ("cholesky_not_pd_big", lambda m: m.linalg.cholesky(
        m.tensor(np.diag([1.0, 2.0, 3.0, -1.0, 5.0]).astype(np.float32)))),
    ("cholesky_not_square", lambda m: m.linalg.cholesky(_t(m, _r(2, 3)))),
    ("cholesky_long", lambda m: m.linalg.cholesky(m.ones(3, 2, dtype=m.int64))),
    ("qr_1d", lambda m: m.linalg.qr(_t(m, _r(3)))),
    ("qr_mode", lambda m: m.linalg.qr(_t(m, _r(3, 2)), mode="x")),
    ("qr_long", lambda m: m.linalg.qr(m.ones(3, 2, dtype=m.int64))),
    ("eigh_not_square", lambda m: m.linalg.eigh(_t(m, _r(3, 2)))),
    ("svd_1d", lambda m: m.linalg.svd(_t(m, _r(3)))),
    ("svd_long", lambda m: m.linalg.svd(m.ones(3, 2, dtype=m.int64))),
    # ------------------------------------------------------------ norms: errors and dtypes
    ("norm_ord_3d", lambda m: m.linalg.norm(_t(m, _r(3, 3, 3)), ord=2)),
    ("norm_fro_1d", lambda m: m.linalg.norm(_t(m, _r(3)), ord="fro")),
    ("norm_dim3", lambda m: m.linalg.norm(_t(m, _r(3, 3)), dim=(0, 1, 2))),
    ("norm_fro_dim1", lambda m: m.linalg.norm(_t(m, _r(3, 3)), ord="fro", dim=0)),
    ("matrix_norm_order", lambda m: m.linalg.matrix_norm(_t(m, _r(3, 3)), ord=3)),
    ("matrix_norm_1d", lambda m: m.linalg.matrix_norm(_t(m, _r(3)))),
    ("matrix_norm_same_dims", lambda m: m.linalg.matrix_norm(_t(m, _r(3, 3)), dim=(0, 0))),
    ("vector_norm_str", lambda m: m.linalg.vector_norm(_t(m, _r(3, 3)), ord="fro")),
    ("vector_norm_long", lambda m: m.linalg.vector_norm(m.ones(3, 3, dtype=m.int64))),
    ("vector_norm_inf_empty", lambda m: m.linalg.vector_norm(m.zeros(0), ord=math.inf)),
    ("vector_norm_inf_empty_dim", lambda m: m.linalg.vector_norm(m.zeros(0, 3), ord=math.inf,
                                                                 dim=0)),
    ("vector_norm_inf_other_dim", lambda m: m.linalg.vector_norm(m.zeros(0, 3), ord=math.inf,
                                                                 dim=1)),
    ("vector_norm_neg_empty", lambda m: m.linalg.vector_norm(m.zeros(0, 3), ord=-1, dim=0)),
    ("vector_norm_dtype", lambda m: m.linalg.vector_norm(_t(m, _r(3, 3)), 2, dtype=m.float64)),
    ("vector_norm_narrowing", lambda m: m.linalg.vector_norm(_t(m, _r(3, dtype=F64)), 2,
                                                             dtype=m.float32)),
    ("vector_norm_complex", lambda m: m.linalg.vector_norm(m.tensor([3 + 4j, 0j]))),
    ("vector_norm_zero", lambda m: m.linalg.vector_norm(m.tensor([0.0, 2.0, -1.0, 0.0]), 0)),
    ("matrix_norm_empty", lambda m: m.linalg.matrix_norm(m.zeros(0, 3))),
    ("norm_long", lambda m: m.norm(m.ones(3, dtype=m.int64))),
    ("norm_fro_dims3", lambda m: m.norm(_t(m, _r(3, 3, 3)), p="fro", dim=(0, 1, 2))),
    ("norm_nuc", lambda m: m.norm(_t(m, _r(3, 4)), p="nuc")),
    ("vander_N1", lambda m: m.linalg.vander(m.arange(3.0), N=1)),
    ("vander_int", lambda m: m.linalg.vander(m.arange(3))),
    ("eigvals_sorted", lambda m: m.sort(m.linalg.eigvals(_t(m, _r(4, 4, dtype=F64))).real)[0]
     if hasattr(m, "sort") else None),
    ("lstsq_rank", lambda m: m.linalg.lstsq(_t(m, _r(5, 3)), _t(m, _r(5, 2))).rank),
    ("lstsq_vector", lambda m: m.linalg.lstsq(_t(m, _r(5, 3, dtype=F64)),
                                              _t(m, _r(5, dtype=F64))).solution),
    ("cond_fro", lambda m: m.linalg.cond(_t(m, _r(3, 3, dtype=F64)) + 2 * m.eye(3), "fro")),
]


def _run(fn, m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(m), None
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            return None, e


def _compare(got, expected, label):
    if isinstance(expected, (tuple, list)):
        assert len(got) == len(expected), label
        for a, b in zip(got, expected):
            _compare(a, b, label)
        return
    assert str(got.dtype) == str(expected.dtype), f"{label}: {got.dtype} != {expected.dtype}"
    assert tuple(got.shape) == tuple(expected.shape), f"{label}: {got.shape} != {expected.shape}"
    a = _np(got)
    b = _np(expected)
    if b.dtype.kind in "fc":
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5, equal_nan=True, err_msg=label)
    else:
        np.testing.assert_array_equal(a, b, err_msg=label)


@pytest.mark.parametrize("label,fn", CASES, ids=[c[0] for c in CASES])
def test_linalg_matches_torch(label, fn):
    expected, t_err = _run(fn, torch)
    got, e_err = _run(fn, ember)
    if t_err is not None:
        assert e_err is not None, f"{label}: torch raised {t_err!r}, ember returned {got!r}"
        assert type(e_err).__name__.lstrip("_") == type(t_err).__name__.lstrip("_") or (
            isinstance(t_err, RuntimeError) and isinstance(e_err, RuntimeError)
            and type(t_err).__name__ != "_LinAlgError"
        ), f"{label}: {e_err!r} vs {t_err!r}"
        assert str(e_err).split("\n")[0] == str(t_err).split("\n")[0], label
        return
    assert e_err is None, f"{label}: ember raised {e_err!r}"
    _compare(got, expected, label)


def test_linalg_error_is_runtime_error():
    assert issubclass(ember.linalg.LinAlgError, RuntimeError)
    # programs print type(e).__name__: torch's class is named _LinAlgError
    assert ember.linalg.LinAlgError.__name__ == torch.linalg.LinAlgError.__name__
    with pytest.raises(ember.linalg.LinAlgError):
        ember.linalg.inv(ember.zeros(2, 2))


def test_return_types_have_torch_fields():
    a = ember.tensor(_r(4, 3, dtype=F64))
    q, r = ember.linalg.qr(a)
    res = ember.linalg.qr(a)
    assert res.Q is res[0] and res.R is res[1]
    np.testing.assert_allclose(_np(q @ r), _np(a), atol=1e-12)
    u, s, vh = ember.linalg.svd(a, full_matrices=False)
    np.testing.assert_allclose(_np((u * s) @ vh), _np(a), atol=1e-12)
    assert ember.linalg.svd(a).Vh.shape == (3, 3)
    assert ember.svd(a).V.shape == (3, 3)
    assert ember.linalg.slogdet(ember.eye(2)).logabsdet.item() == 0
    sym = a.mT @ a
    assert ember.linalg.eigh(sym).eigenvalues.shape == (3,)
    assert ember.linalg.inv_ex(ember.eye(2)).info.item() == 0
    assert ember.linalg.cholesky_ex(-ember.eye(2)).info.item() == 1


def test_factorizations_match_torch():
    a = _r(5, 3, dtype=F64, seed=3)
    sq = _r(4, 4, dtype=F64, seed=4) + 4 * np.eye(4)
    spd = sq @ sq.T
    for name, fn in [
        ("qr", lambda m, x: tuple(m.linalg.qr(x))),
        ("qr_complete", lambda m, x: tuple(m.linalg.qr(x, mode="complete"))),
        ("qr_r", lambda m, x: m.linalg.qr(x, mode="r")[1]),
        ("torch_qr", lambda m, x: tuple(m.qr(x))),
        ("svdvals", lambda m, x: m.linalg.svdvals(x)),
        ("svd_abs_u", lambda m, x: m.linalg.svd(x, full_matrices=False)[0].abs()),
        ("pinv", lambda m, x: m.linalg.pinv(x)),
        ("matrix_rank", lambda m, x: m.linalg.matrix_rank(x)),
        ("norms", lambda m, x: tuple(m.linalg.matrix_norm(x, o) for o in
                                     ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf))),
    ]:
        e = fn(ember, ember.tensor(a))
        t = fn(torch, torch.tensor(a))
        _compare(e, t, name)
    for name, fn in [
        ("inv", lambda m, x: m.linalg.inv(x)),
        ("det", lambda m, x: m.linalg.det(x)),
        ("solve", lambda m, x: m.linalg.solve(x, m.ones(4, dtype=m.float64))),
        ("cholesky", lambda m, x: m.linalg.cholesky(x @ x.mT)),
        ("cholesky_upper", lambda m, x: m.linalg.cholesky(x @ x.mT, upper=True)),
        ("eigh", lambda m, x: m.linalg.eigvalsh(x @ x.mT)),
        ("matrix_power", lambda m, x: m.linalg.matrix_power(x, 3)),
        ("matrix_power_0", lambda m, x: m.linalg.matrix_power(x, 0)),
        ("matrix_power_neg", lambda m, x: m.linalg.matrix_power(x, -2)),
        ("multi_dot", lambda m, x: m.linalg.multi_dot([x, x, x])),
        ("solve_triangular", lambda m, x: m.linalg.solve_triangular(x, x.mT, upper=True)),
        ("vecdot", lambda m, x: m.linalg.vecdot(x, x)),
    ]:
        e = fn(ember, ember.tensor(sq))
        t = fn(torch, torch.tensor(sq))
        _compare(e, t, name)
    del spd


def test_det_gradient_of_singular_matrix_matches_torch():
    sing = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    grads = []
    for m in (torch, ember):
        x = m.tensor(sing, requires_grad=True)
        m.linalg.det(x).backward()
        grads.append(_np(x.grad))
    np.testing.assert_allclose(grads[1], grads[0], atol=1e-10)


def test_complex_products_match_torch():
    rng = np.random.default_rng(5)
    a = rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    b = rng.standard_normal((4, 2)) + 1j * rng.standard_normal((4, 2))
    v = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    up = rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))
    results = []
    for m in (torch, ember):
        x = m.tensor(a, requires_grad=True)
        y = m.tensor(b, requires_grad=True)
        w = m.tensor(v, requires_grad=True)
        out = m.einsum("ij,jk->ik", x, y)
        d = m.vdot(w, w * 2)
        gx, gy, gw = m.autograd.grad([out, d], [x, y, w], [m.tensor(up), m.tensor(1 + 2j)])
        results.append([_np(out), _np(d), _np(gx), _np(gy), _np(gw)])
    for e, t in zip(*results[::-1]):
        np.testing.assert_allclose(results[1][0], results[0][0], atol=1e-12)
        np.testing.assert_allclose(e, t, atol=1e-12)


def test_grad_fn_names_match_torch():
    names = {}
    for m in (torch, ember):
        x = m.ones(2, 2, requires_grad=True)
        v = m.ones(2, requires_grad=True)
        names[m] = [
            type(r.grad_fn).__name__ if m is torch else repr(r.grad_fn)[1:].split()[0]
            for r in (m.mm(x, x), v @ v, x @ v, m.bmm(x[None], x[None]), m.trace(x),
                      m.linalg.inv(x + m.eye(2)), m.linalg.det(x),
                      m.linalg.vector_norm(x))
        ]
    assert names[ember] == names[torch]


def test_no_grad_path_builds_no_graph():
    a = ember.tensor(_r(3, 3, dtype=F64) + 3 * np.eye(3), requires_grad=True)
    with ember.no_grad():
        for out in (ember.linalg.inv(a), ember.linalg.qr(a)[0], ember.linalg.svd(a)[1],
                    ember.einsum("ij,jk", a, a), ember.linalg.norm(a)):
            assert out.grad_fn is None and not out.requires_grad


COMPLEX_GRADS = [
    ("inv", (3, 3), lambda m, x: m.linalg.inv(x)),
    ("det", (3, 3), lambda m, x: m.linalg.det(x).reshape(1, 1)),
    ("slogdet", (3, 3), lambda m, x: m.linalg.slogdet(x)[1].reshape(1, 1)),
    ("solve", (3, 3), lambda m, x: m.linalg.solve(x, x[:, :2] * 2)),
    ("cholesky", (3, 3), lambda m, x: m.linalg.cholesky(x @ x.mH + 3 * m.eye(3))),
    ("qr_q_tall", (4, 3), lambda m, x: m.linalg.qr(x)[0]),
    ("qr_r_wide", (2, 4), lambda m, x: m.linalg.qr(x)[1]),
    ("qr_square", (3, 3), lambda m, x: m.linalg.qr(x)[0] + m.linalg.qr(x)[1]),
    ("svd_u", (4, 3), lambda m, x: m.linalg.svd(x, full_matrices=False)[0].abs() ** 2),
    ("svd_vh", (2, 4), lambda m, x: m.linalg.svd(x, full_matrices=False)[2].abs() ** 2),
    ("svdvals", (3, 4), lambda m, x: m.linalg.svdvals(x).reshape(1, -1)),
    ("eigh_v", (3, 3), lambda m, x: m.linalg.eigh(x + x.mH)[1].abs() ** 2),
    ("vector_norm_3", (3, 3), lambda m, x: m.linalg.vector_norm(x, 3).reshape(1, 1)),
    ("einsum", (3, 3), lambda m, x: m.einsum("ij,jk->ik", x, x.conj())),
]


@pytest.mark.parametrize("name,shape,fn", COMPLEX_GRADS, ids=[c[0] for c in COMPLEX_GRADS])
def test_complex_gradients_match_torch(name, shape, fn):
    rng = np.random.default_rng(sum(map(ord, name)))
    a = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    if shape[0] == shape[1]:
        a = a + 3 * np.eye(shape[0])
    w = rng.standard_normal((4, 4))
    grads = []
    for m in (torch, ember):
        x = m.tensor(a, requires_grad=True)
        out = fn(m, x)
        wt = m.tensor(w[: out.shape[0], : out.shape[1]])
        loss = (out.real * wt).sum() + (out.imag * 0.7).sum() if out.is_complex() else (
            (out * wt).sum())
        grads.append(_np(m.autograd.grad(loss, [x])[0]))
    np.testing.assert_allclose(grads[1], grads[0], atol=1e-8, rtol=1e-7)


def test_det_rounds_as_torch_does():
    # NumPy's det goes through exp(logdet): an integer matrix's determinant came out 43.0000...
    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 4):
        for trial in range(30):
            a = rng.integers(-5, 6, (n, n)).astype(np.float64)
            if trial % 2:
                a = rng.standard_normal((n, n))
            for dt in (np.float64, np.float32):
                e = ember.linalg.det(ember.tensor(a.astype(dt))).item()
                t = torch.linalg.det(torch.tensor(a.astype(dt))).item()
                assert e == t, (a, dt)
    a = [[4.0, 1.0, 2.0], [1.0, 3.0, 0.0], [2.0, 0.0, 5.0]]
    for m in (ember, torch):
        assert repr(m.det(m.tensor(a, dtype=m.float64))) == "tensor(43., dtype=torch.float64)"
        assert m.linalg.det(m.tensor([[1.0, 2.0], [2.0, 4.0]])).item() == 0.0
        assert m.linalg.det(m.stack([m.eye(3), 2 * m.eye(3)])).tolist() == [1.0, 8.0]


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("transpose", [True, False])
@pytest.mark.parametrize("unitriangular", [True, False])
def test_triangular_solve_matches_torch(upper, transpose, unitriangular):
    # the deprecated API: (b, A) argument order, upper=True by default, returns a named pair
    a = _r(2, 3, 3, dtype=F64) + 3 * np.eye(3)
    b = _r(3, 2, dtype=F64, seed=1)
    res = {}
    for m in (torch, ember):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = m.triangular_solve(_t(m, b), _t(m, a), upper=upper, transpose=transpose,
                                   unitriangular=unitriangular)
        res[m] = r
    assert type(res[ember]).__name__ == "triangular_solve"
    np.testing.assert_allclose(_np(res[ember].solution), _np(res[torch].solution), rtol=1e-10)
    np.testing.assert_array_equal(_np(res[ember].cloned_coefficient),
                                  _np(res[torch].cloned_coefficient))


def test_triangular_solve_default_is_upper():
    a = np.array([[2.0, 1.0], [0.5, 4.0]])
    b = np.array([[1.0], [2.0]])
    t = torch.triangular_solve(torch.tensor(b), torch.tensor(a)).solution
    e = ember.tensor(b).triangular_solve(ember.tensor(a)).solution
    np.testing.assert_allclose(_np(e), _np(t))
