"""Sparse tensors (COO and CSR) against real torch: printing, conversions, arithmetic,
products with dense matrices, reductions, softmax, autograd and errors.

Each case is one function of the module (`torch` or `ember`); it runs on both and the reprs
(or values) are compared, so the expected text always comes from torch.
"""

import copy
import pickle
import warnings

import numpy as np
import pytest
import torch

import ember

warnings.filterwarnings("ignore", message=".*[Ss]parse.*")

ROWS = [1, 0, 1, 2, 0]
COLS = [0, 2, 0, 1, 2]
VALS = [3.0, 4.0, 5.0, 6.0, 1.0]


def coo(m, vals=VALS, **kw):
    """A 3x3 uncoalesced COO tensor (index (1, 0) and (0, 2) appear twice)."""
    return m.sparse_coo_tensor(m.tensor([ROWS, COLS]), m.tensor(vals), (3, 3), **kw)


def dense32(m, shape, seed=0):
    return m.tensor(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))


def same_repr(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = repr(fn(torch))
    got = repr(fn(ember))
    assert got == want


REPR_CASES = {
    "coo": lambda m: coo(m),
    "coo_is_coalesced": lambda m: coo(m).is_coalesced(),
    "coalesce": lambda m: coo(m).coalesce(),
    "coalesce_flag": lambda m: coo(m).coalesce().is_coalesced(),
    "to_dense": lambda m: coo(m).to_dense(),
    "double": lambda m: coo(m).double(),
    "int_values": lambda m: m.sparse_coo_tensor([[0, 1], [1, 0]], [1, 2], (2, 2)),
    "dtype_arg": lambda m: m.sparse_coo_tensor([[0, 1], [1, 0]], [1.0, 2], (2, 2),
                                               dtype=m.float64),
    "inferred_size": lambda m: m.sparse_coo_tensor(m.tensor([ROWS, COLS]), m.tensor(VALS)),
    "empty": lambda m: m.sparse_coo_tensor(size=(2, 3)),
    "hybrid": lambda m: m.sparse_coo_tensor(m.tensor([[0, 2], [1, 1]]),
                                            m.arange(4.0).reshape(2, 2), (3, 3, 2)),
    "hybrid_dense": lambda m: m.sparse_coo_tensor(m.tensor([[0, 2, 0], [1, 1, 1]]),
                                                  m.arange(6.0).reshape(3, 2)).to_dense(),
    "requires_grad": lambda m: coo(m, requires_grad=True),
    "legacy_float_tensor": lambda m: m.sparse.FloatTensor(m.tensor([ROWS, COLS]),
                                                          m.tensor(VALS), m.Size([3, 3])),
    "legacy_empty": lambda m: m.sparse.FloatTensor(2, 3),
    "shape": lambda m: (coo(m).shape, coo(m).size(1), coo(m).dim(), coo(m).numel(),
                        coo(m)._nnz(), coo(m).sparse_dim(), coo(m).dense_dim(), len(coo(m))),
    "layout": lambda m: (coo(m).layout, coo(m).is_sparse, coo(m).is_sparse_csr,
                         m.ones(2).layout, m.ones(2).is_sparse),
    "type": lambda m: (type(coo(m)), isinstance(coo(m), m.Tensor)),
    "private_parts": lambda m: (coo(m)._indices(), coo(m)._values()),
    "public_parts": lambda m: (coo(m).coalesce().indices(), coo(m).coalesce().values()),
    "add_uncoalesced": lambda m: coo(m) + coo(m),
    "add_coalesced": lambda m: coo(m).coalesce() + coo(m).coalesce(),
    "add_mixed": lambda m: coo(m).coalesce() + coo(m),
    "add_flag": lambda m: (coo(m) + coo(m)).is_coalesced(),
    "sub": lambda m: coo(m).coalesce() - coo(m).coalesce() * 3,
    "mul_scalar": lambda m: coo(m) * 2,
    "rmul_scalar": lambda m: 2.5 * coo(m),
    "div_scalar": lambda m: coo(m) / 2,
    "neg": lambda m: -coo(m),
    "pow": lambda m: coo(m) ** 2,
    "sqrt": lambda m: coo(m).sqrt(),
    "mul_sparse": lambda m: coo(m) * coo(m),
    "mul_dense": lambda m: coo(m) * m.arange(9.0).reshape(3, 3),
    "dense_plus_sparse": lambda m: m.ones(3, 3) + coo(m),
    "dense_minus_sparse": lambda m: m.ones(3, 3) - coo(m),
    "t": lambda m: coo(m).t(),
    "t_coalesced": lambda m: coo(m).coalesce().t(),
    "transpose": lambda m: coo(m).transpose(0, 1),
    "sum_all": lambda m: m.sparse.sum(coo(m)),
    "sum_dim0": lambda m: m.sparse.sum(coo(m), 0),
    "sum_dim1": lambda m: m.sparse.sum(coo(m), dim=1),
    "sum_both": lambda m: m.sparse.sum(coo(m), dim=(0, 1)),
    "tensor_sum": lambda m: (coo(m).sum(), coo(m).sum(0)),
    "sum_hybrid": lambda m: m.sparse.sum(m.sparse_coo_tensor(
        m.tensor([[0, 2, 0], [1, 1, 1]]), m.arange(6.0).reshape(3, 2)), 2),
    "softmax1": lambda m: m.sparse.softmax(coo(m), 1),
    "softmax0": lambda m: m.sparse.softmax(coo(m), 0),
    "log_softmax": lambda m: m.sparse.log_softmax(coo(m), 1),
    "to_sparse": lambda m: m.tensor([[0.0, 1.5], [2.0, 0.0]]).to_sparse(),
    "to_sparse_flag": lambda m: m.tensor([[0.0, 1.5], [2.0, 0.0]]).to_sparse().is_coalesced(),
    "to_sparse_dim1": lambda m: m.tensor([[0.0, 1.0], [0.0, 0.0], [2.0, 0.0]]).to_sparse(1),
    "to_sparse_zeros": lambda m: m.zeros(2, 3).to_sparse(),
    "sparse_mask": lambda m: m.arange(9.0).reshape(3, 3).sparse_mask(coo(m).coalesce()),
    "dense_to_dense": lambda m: m.ones(2).to_dense(),
    "csr": lambda m: coo(m).coalesce().to_sparse_csr(),
    "csr_from_dense": lambda m: m.tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse_csr(),
    "csr_ctor": lambda m: m.sparse_csr_tensor(m.tensor([0, 2, 3]), m.tensor([0, 1, 1]),
                                              m.tensor([1.0, 2, 3])),
    "csr_ctor_size": lambda m: m.sparse_csr_tensor([0, 2, 3], [0, 1, 1], [1.0, 2, 3], (2, 4)),
    "csr_parts": lambda m: (coo(m).coalesce().to_sparse_csr().crow_indices(),
                            coo(m).coalesce().to_sparse_csr().col_indices(),
                            coo(m).coalesce().to_sparse_csr().values()),
    "csr_layout": lambda m: (coo(m).coalesce().to_sparse_csr().layout,
                             coo(m).coalesce().to_sparse_csr().is_sparse,
                             coo(m).coalesce().to_sparse_csr().is_sparse_csr),
    "csr_to_dense": lambda m: coo(m).coalesce().to_sparse_csr().to_dense(),
    "csr_to_coo": lambda m: coo(m).coalesce().to_sparse_csr().to_sparse(),
    "csr_mul": lambda m: coo(m).coalesce().to_sparse_csr() * 2,
    "csr_add": lambda m: coo(m).coalesce().to_sparse_csr() + coo(m).coalesce().to_sparse_csr(),
    "csr_matmul": lambda m: m.sparse_csr_tensor([0, 2, 3], [0, 1, 1], [1.0, 2, 3], (2, 4))
    @ dense32(m, (4, 2)),
    "spmm": lambda m: m.spmm(coo(m), dense32(m, (3, 2))),
    "sparse_mm": lambda m: m.sparse.mm(coo(m), dense32(m, (3, 2))),
    "matmul_op": lambda m: coo(m) @ dense32(m, (3, 2)),
    "matmul_vec": lambda m: coo(m) @ m.tensor([1.0, 2.0, 3.0]),
    "method_mm": lambda m: coo(m).mm(dense32(m, (3, 4))),
    "dense_matmul_sparse": lambda m: dense32(m, (2, 3)) @ coo(m),
    "sparse_sparse_mm": lambda m: m.sparse.mm(coo(m), coo(m).t()),
    "addmm": lambda m: m.sparse.addmm(m.ones(3, 2), coo(m), m.ones(3, 2)),
    "addmm_beta_alpha": lambda m: m.sparse.addmm(m.ones(3, 2), coo(m), m.ones(3, 2),
                                                 beta=0.5, alpha=2),
    "clone_detach": lambda m: (coo(m).clone(), coo(m).detach().layout),
    "zero_": lambda m: coo(m).zero_(),
    "deepcopy": lambda m: copy.deepcopy(coo(m)),
}


@pytest.mark.parametrize("name", sorted(REPR_CASES))
def test_same_as_torch(name):
    same_repr(REPR_CASES[name])


def test_long_values_print_like_torch():
    n = 40
    rows = np.arange(n) % 7
    cols = (np.arange(n) * 3) % 11

    def build(m):
        return m.sparse_coo_tensor(m.tensor(np.stack([rows, cols])),
                                   m.tensor(np.linspace(-2, 3, n).astype(np.float32)), (7, 11))

    same_repr(build)
    same_repr(lambda m: build(m).coalesce().to_sparse_csr())


# ---------------------------------------------------------------- errors
ERROR_CASES = {
    "exp": lambda m: m.exp(coo(m)),
    "view": lambda m: coo(m).view(9),
    "softmax_dense_op": lambda m: m.softmax(coo(m), 1),
    "eq": lambda m: coo(m) == coo(m),
    "values_uncoalesced": lambda m: coo(m).values(),
    "indices_uncoalesced": lambda m: coo(m).indices(),
    "add_sparse_dense": lambda m: coo(m) + m.ones(3, 3),
    "numpy": lambda m: coo(m).cpu().numpy(),
    "nnz_mismatch": lambda m: m.sparse_coo_tensor(m.tensor([ROWS, COLS]), m.tensor(VALS[:3]),
                                                  (3, 3)),
    "size_rank": lambda m: m.sparse_coo_tensor(m.tensor([ROWS, COLS]), m.tensor(VALS), (3,)),
    "mm_shape": lambda m: m.sparse.mm(coo(m), m.ones(2, 2)),
    "mm_dtype": lambda m: coo(m).double() @ m.ones(3, 2),
    "crow_of_coo": lambda m: coo(m).crow_indices(),
}


def _error_of(fn, m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(m)
        except Exception as e:  # noqa: BLE001 - the type is what is compared
            return type(e), str(e)
    raise AssertionError("no error raised")


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_errors_like_torch(name):
    want_type, want = _error_of(ERROR_CASES[name], torch)
    got_type, got = _error_of(ERROR_CASES[name], ember)
    assert got_type is want_type
    if want.startswith("Could not run"):
        # torch goes on with its list of backends; the first sentence names op and backend
        assert got.split(". ")[0] == want.split(". ")[0]
    else:
        assert got == want


# ---------------------------------------------------------------- autograd
def _grad_case(m, product):
    s = coo(m)
    d = dense32(m, (3, 4)).requires_grad_()
    g = dense32(m, (3, 4), seed=1)
    product(m, s, d).backward(g)
    return d.grad


@pytest.mark.parametrize("product", [
    lambda m, s, d: m.sparse.mm(s, d),
    lambda m, s, d: m.spmm(s, d),
    lambda m, s, d: s @ d,
    lambda m, s, d: s.coalesce().to_sparse_csr() @ d,
    lambda m, s, d: m.sparse.addmm(m.ones(3, 4), s, d, beta=0.5, alpha=2.0),
])
def test_gradient_of_dense_operand(product):
    want = _grad_case(torch, product)
    got = _grad_case(ember, product)
    np.testing.assert_allclose(got.cpu().numpy(), want.cpu().numpy(), rtol=1e-5, atol=1e-6)


def test_sparse_leaf_gradient_of_sparse_mm():
    def run(m):
        s = coo(m, requires_grad=True)
        d = dense32(m, (3, 2))
        m.sparse.mm(s, d).backward(dense32(m, (3, 2), seed=3))
        return s.grad

    want = run(torch)
    got = run(ember)
    assert got.layout is ember.sparse_coo and got.is_coalesced() == want.is_coalesced()
    np.testing.assert_array_equal(got._indices().cpu().numpy(), want._indices().cpu().numpy())
    np.testing.assert_allclose(got._values().cpu().numpy(), want._values().cpu().numpy(), rtol=1e-5)


@pytest.mark.parametrize("fn", [
    lambda m, s: m.sparse.mm(s, dense32(m, (3, 2))).sum(),
    lambda m, s: (s.to_dense() * dense32(m, (3, 3))).sum(),
    lambda m, s: (s.coalesce().values() * m.tensor([1.0, 2.0, 3.0])).sum(),
    lambda m, s: (m.sparse.softmax(s, 1).to_dense() * dense32(m, (3, 3))).sum(),
    lambda m, s: (m.sparse.log_softmax(s, 0).to_dense() * dense32(m, (3, 3))).sum(),
    lambda m, s: (m.sparse.sum(s, 1).to_dense() * m.tensor([1.0, -2.0, 3.0])).sum(),
    lambda m, s: ((s * 3 + s).to_dense() ** 2).sum(),
])
def test_gradient_reaches_values(fn):
    def run(m):
        v = m.tensor(VALS, requires_grad=True)
        s = m.sparse_coo_tensor(m.tensor([ROWS, COLS]), v, (3, 3))
        fn(m, s).backward()
        return v.grad

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = run(torch)
    got = run(ember)
    np.testing.assert_allclose(got.cpu().numpy(), want.cpu().numpy(), rtol=1e-5, atol=1e-6)


def test_grad_fn_and_leaf_flags():
    def flags(m):
        v = m.tensor(VALS, requires_grad=True)
        s = m.sparse_coo_tensor(m.tensor([ROWS, COLS]), v, (3, 3))
        leaf = coo(m, requires_grad=True)
        return (s.requires_grad, s.is_leaf, s.grad_fn.name(), leaf.is_leaf,
                leaf.requires_grad, leaf.grad)

    assert flags(ember) == flags(torch)


def test_softmax_gradient_matches_finite_differences():
    rng = np.random.default_rng(5)
    v0 = rng.standard_normal(len(VALS))
    w = rng.standard_normal((3, 3))

    def f(v):
        s = ember.sparse_coo_tensor(ember.tensor([ROWS, COLS]), v, (3, 3))
        return (ember.sparse.softmax(s, 1).to_dense() * ember.tensor(w)).sum()

    v = ember.tensor(v0, requires_grad=True)
    f(v).backward()
    eps = 1e-6
    num = np.array([(f(ember.tensor(v0 + eps * e)).item() - f(ember.tensor(v0 - eps * e)).item())
                    / (2 * eps) for e in np.eye(len(v0))])
    np.testing.assert_allclose(v.grad.cpu().numpy(), num, rtol=1e-6, atol=1e-8)


def test_gcn_layer_training_step_matches_torch():
    rng = np.random.default_rng(0)
    n, f, h = 12, 5, 3
    edges = rng.integers(0, n, size=(2, 30))
    x0 = rng.standard_normal((n, f)).astype(np.float32)
    w0 = rng.standard_normal((f, h)).astype(np.float32)

    def run(m):
        adj = m.sparse_coo_tensor(m.from_numpy(edges), m.ones(30), (n, n)).coalesce()
        x = m.tensor(x0)
        w = m.tensor(w0, requires_grad=True)
        out = m.spmm(adj, x @ w).relu()
        loss = (out ** 2).mean()
        loss.backward()
        return loss.item(), w.grad.cpu().numpy()

    (l1, g1), (l2, g2) = run(torch), run(ember)
    assert abs(l1 - l2) < 1e-5 * max(1, abs(l1))
    np.testing.assert_allclose(g2, g1, rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- copying and saving
def test_pickle_round_trip():
    s = coo(ember)
    back = pickle.loads(pickle.dumps(s))
    assert repr(back) == repr(s)
    c = s.coalesce().to_sparse_csr()
    assert repr(pickle.loads(pickle.dumps(c))) == repr(c)


def test_rebuild_sparse_tensor_reads_torch_pickled_parts():
    from ember._sparse import rebuild_sparse_tensor, torch_save_args

    s = coo(ember)
    layout, data = torch_save_args(s)
    assert repr(rebuild_sparse_tensor(layout, data)) == repr(s)
    c = s.coalesce().to_sparse_csr()
    layout, data = torch_save_args(c)
    assert repr(rebuild_sparse_tensor(layout, data)) == repr(c)


def test_to_keeps_layout():
    s = coo(ember)
    assert s.to(ember.float64).layout is ember.sparse_coo
    assert s.to(ember.float64).dtype is ember.float64
    assert s.cpu() is s
    assert s.float() is s


# ---------------------------------------------------------------- top-level products, torch.save


@pytest.mark.parametrize("fn", [
    lambda m, s, d: m.mm(s, d),
    lambda m, s, d: m.matmul(s, d),
    lambda m, s, d: m.addmm(m.ones(3, 2), s, d, beta=0.5, alpha=2.0),
])
def test_top_level_products_with_a_sparse_matrix(fn):
    def run(m):
        d = dense32(m, (3, 2)).requires_grad_()
        out = fn(m, coo(m), d)
        out.backward(dense32(m, (3, 2), seed=4))
        return out, d.grad

    (o1, g1), (o2, g2) = run(torch), run(ember)
    np.testing.assert_allclose(o2.detach().cpu().numpy(), o1.detach().cpu().numpy(), rtol=1e-6)
    np.testing.assert_allclose(g2.cpu().numpy(), g1.cpu().numpy(), rtol=1e-6)


def test_save_and_load_with_torch(tmp_path):
    for make in (lambda m: coo(m), lambda m: coo(m).coalesce().to_sparse_csr()):
        path = tmp_path / "s.pt"
        ember.save({"adj": make(ember)}, path)
        assert repr(torch.load(path, weights_only=True)["adj"]) == repr(make(torch))
        torch.save(make(torch), path)
        assert repr(ember.load(path)) == repr(make(ember))


@pytest.mark.parametrize("bad", [[[5]], [[-1]]])
def test_loading_sparse_indices_outside_the_size_is_an_error(bad):
    import io

    # torch builds (and saves) such a tensor without checking; ember refuses it at load, as
    # a negative index would otherwise read from the end of the array silently
    t = torch.sparse_coo_tensor(bad, [1.0], (2,), check_invariants=False)
    buf = io.BytesIO()
    torch.save(t, buf)
    buf.seek(0)
    with pytest.raises(RuntimeError, match="corrupt"):
        ember.load(buf)


def test_loading_a_csr_tensor_with_bad_columns_is_an_error():
    import io

    t = torch.sparse_csr_tensor([0, 1, 2], [0, 7], [1.0, 2.0], (2, 3), check_invariants=False)
    buf = io.BytesIO()
    torch.save(t, buf)
    buf.seek(0)
    with pytest.raises(RuntimeError, match="corrupt"):
        ember.load(buf)
