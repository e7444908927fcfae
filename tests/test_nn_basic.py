"""Layers, activation modules, functional helpers, nn.init and nn.utils against torch 2.13.0:
outputs, input and parameter gradients (float32 and float64), options, errors, and the
statistics of the initializers."""

import math
import warnings

import numpy as np
import pytest
import torch

import ember

DTYPES = ["float32", "float64"]
TOL = {"float32": {"rtol": 2e-5, "atol": 2e-6}, "float64": {"rtol": 1e-11, "atol": 1e-12}}


def to_np(t):
    return t.detach().cpu().numpy()


def copy_weights(tmod, emod):
    emod.load_state_dict({k: ember.tensor(v.detach().cpu().numpy()) for k, v in
                          tmod.state_dict().items()})


def compare_module(build, shapes, dtype, seed=0, call=None, grads=True):
    """Build the module in both libraries, share weights, compare outputs and gradients of
    inputs and parameters under a random upstream gradient."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    tmod = build(torch)
    emod = build(ember)
    tmod.to(getattr(torch, dtype))
    emod.to(getattr(ember, dtype))
    copy_weights(tmod, emod)
    xs = [rng.uniform(-3, 3, size=s).astype(dtype) for s in shapes]
    tin = [torch.tensor(x, requires_grad=grads) for x in xs]
    ein = [ember.tensor(x, requires_grad=grads) for x in xs]
    call = call or (lambda mod, *a: mod(*a))
    tout = call(tmod, *tin)
    eout = call(emod, *ein)
    tol = TOL[dtype]
    assert tuple(eout.shape) == tuple(tout.shape)
    assert str(eout.dtype) == str(tout.dtype)
    np.testing.assert_allclose(to_np(eout), to_np(tout), **tol)
    if not grads:
        return emod, tmod
    up = rng.standard_normal(tuple(tout.shape)).astype(dtype)
    tout.backward(torch.tensor(up))
    eout.backward(ember.tensor(up))
    for a, b in zip(ein, tin):
        np.testing.assert_allclose(to_np(a.grad), to_np(b.grad), **tol)
    for (n, a), (_, b) in zip(emod.named_parameters(), tmod.named_parameters()):
        assert (a.grad is None) == (b.grad is None), n
        if b.grad is not None:
            np.testing.assert_allclose(to_np(a.grad), to_np(b.grad), err_msg=n, **tol)
    return emod, tmod


# ---------------------------------------------------------------- linear layers
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("xshape", [(5, 4), (4,), (2, 3, 4), (0, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(dtype, xshape, bias):
    emod, _ = compare_module(lambda m: m.nn.Linear(4, 3, bias=bias), [xshape], dtype)
    assert emod.weight.shape == (3, 4)


@pytest.mark.parametrize("dtype", DTYPES)
def test_bilinear(dtype):
    compare_module(lambda m: m.nn.Bilinear(3, 2, 4), [(5, 3), (5, 2)], dtype)
    compare_module(lambda m: m.nn.Bilinear(3, 2, 1, bias=False), [(2, 5, 3), (2, 5, 2)], dtype)


def test_linear_errors_match_torch():
    for m in (torch, ember):
        lin = m.nn.Linear(4, 3)
        with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied "
                                               r"\(2x5 and 4x3\)"):
            lin(m.ones(2, 5))
        with pytest.raises(RuntimeError, match="mat1 and mat2 must have the same dtype, but got "
                                               "Double and Float"):
            lin(m.ones(2, 4, dtype=m.float64))


def test_identity_flatten_unflatten():
    for m in (torch, ember):
        x = m.arange(24.0).reshape(2, 3, 4)
        assert m.nn.Identity(3, foo=1)(x) is x
        assert tuple(m.nn.Flatten()(x).shape) == (2, 12)
        assert tuple(m.nn.Flatten(0, 1)(x).shape) == (6, 4)
        assert tuple(m.nn.Unflatten(2, (2, 2))(x).shape) == (2, 3, 2, 2)
        with pytest.raises(TypeError, match="unflattened_size must be tuple of ints, but found "
                                            "element of type float at pos 1"):
            m.nn.Unflatten(1, (2, 2.0))


def test_linear_default_init_statistics():
    ember.manual_seed(0)
    lin = ember.nn.Linear(400, 300)
    w = lin.weight.detach().cpu().numpy()
    bound = 1 / math.sqrt(400)
    assert w.min() >= -bound and w.max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.02 * bound
    b = lin.bias.detach().cpu().numpy()
    assert b.min() >= -bound and b.max() <= bound
    assert lin.weight.requires_grad and lin.weight.dtype == ember.float32


def test_linear_init_reproducible_with_seed():
    ember.manual_seed(3)
    a = ember.nn.Linear(5, 4).weight.detach().cpu().numpy().copy()
    ember.manual_seed(3)
    b = ember.nn.Linear(5, 4).weight.detach().cpu().numpy()
    np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- activation modules
ACTIVATIONS = [
    lambda m: m.nn.ReLU(),
    lambda m: m.nn.ReLU6(),
    lambda m: m.nn.LeakyReLU(0.15),
    lambda m: m.nn.ELU(0.8),
    lambda m: m.nn.SELU(),
    lambda m: m.nn.CELU(1.4),
    lambda m: m.nn.GELU(),
    lambda m: m.nn.GELU(approximate="tanh"),
    lambda m: m.nn.SiLU(),
    lambda m: m.nn.Mish(),
    lambda m: m.nn.Softplus(beta=2.0, threshold=4.0),
    lambda m: m.nn.Softsign(),
    lambda m: m.nn.Sigmoid(),
    lambda m: m.nn.Tanh(),
    lambda m: m.nn.Hardtanh(-0.5, 1.5),
    lambda m: m.nn.Hardsigmoid(),
    lambda m: m.nn.Hardswish(),
    lambda m: m.nn.LogSigmoid(),
    lambda m: m.nn.Tanhshrink(),
    lambda m: m.nn.Softshrink(0.3),
    lambda m: m.nn.Hardshrink(0.3),
    lambda m: m.nn.Threshold(0.2, -2.0),
    lambda m: m.nn.Softmax(dim=1),
    lambda m: m.nn.Softmax(dim=-1),
    lambda m: m.nn.LogSoftmax(dim=0),
    lambda m: m.nn.Softmin(dim=1),
    lambda m: m.nn.Softmax2d(),
    lambda m: m.nn.GLU(dim=1),
    lambda m: m.nn.PReLU(),
    lambda m: m.nn.PReLU(4, init=0.1),
    lambda m: m.nn.RReLU(0.1, 0.3).eval(),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("i", range(len(ACTIVATIONS)))
def test_activation_modules(i, dtype):
    build = ACTIVATIONS[i]
    emod, tmod = compare_module(build, [(3, 4, 2, 2)], dtype, seed=i)
    assert repr(emod) == repr(tmod)


@pytest.mark.parametrize("build,fn", [
    (lambda m: m.nn.ReLU(inplace=True), "relu"),
    (lambda m: m.nn.LeakyReLU(0.1, inplace=True), "leaky_relu"),
    (lambda m: m.nn.ELU(inplace=True), "elu"),
    (lambda m: m.nn.Hardtanh(inplace=True), "hardtanh"),
    (lambda m: m.nn.SiLU(inplace=True), "silu"),
    (lambda m: m.nn.Hardswish(inplace=True), "hardswish"),
    (lambda m: m.nn.Threshold(0.1, 5.0, inplace=True), "threshold"),
])
def test_inplace_activations_write_input_and_backprop(build, fn):
    x = np.random.default_rng(0).uniform(-2, 2, size=(4, 5))
    res = []
    for m in (torch, ember):
        leaf = m.tensor(x, requires_grad=True)
        h = leaf * 1.0
        out = build(m)(h)
        assert out is h
        (out * 2).sum().backward()
        res.append((to_np(h), to_np(leaf.grad)))
    np.testing.assert_allclose(res[1][0], res[0][0], rtol=1e-12)
    np.testing.assert_allclose(res[1][1], res[0][1], rtol=1e-12)


def test_inplace_on_leaf_raises_like_torch():
    for m in (torch, ember):
        leaf = m.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used "
                                               "in an in-place operation."):
            m.nn.functional.relu(leaf, inplace=True)


def test_softmax_implicit_dim_warns_and_matches():
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    for m in (torch, ember):
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
            out = m.nn.functional.softmax(m.tensor(x))
        np.testing.assert_allclose(to_np(out).sum(axis=0), np.ones((3, 4)))


def test_softmax_dtype_argument_and_stability():
    x = np.array([[1000.0, 0.0, -1000.0], [-1e4, -1e4, -1e4]], np.float32)
    for fn in ("softmax", "log_softmax"):
        e = getattr(ember.nn.functional, fn)(ember.tensor(x), 1, dtype=ember.float64)
        t = getattr(torch.nn.functional, fn)(torch.tensor(x), 1, dtype=torch.float64)
        assert e.dtype == ember.float64
        np.testing.assert_allclose(to_np(e), to_np(t), rtol=1e-12)
        assert np.isfinite(to_np(e)).all()
    with pytest.raises(RuntimeError, match="not implemented for 'Long'"):
        ember.softmax(ember.tensor([1, 2]), 0)


def test_relu_is_one_fused_op_and_methods():
    x = ember.tensor([-1.0, 2.0], requires_grad=True)
    y = ember.nn.functional.relu(x)
    assert y.grad_fn.name() == "ReluBackward0"
    assert y.grad_fn.next_functions[0][0] is not None
    np.testing.assert_array_equal(x.relu().detach().cpu().numpy(), [0.0, 2.0])
    np.testing.assert_allclose(x.softmax(0).detach().cpu().numpy(),
                               torch.tensor([-1.0, 2.0]).softmax(0).cpu().numpy(), rtol=1e-6)
    z = ember.tensor([-1.0, 3.0])
    assert ember.relu_(z) is z and z.tolist() == [0.0, 3.0]


def test_functional_errors_match_torch():
    cases = [
        lambda m: m.nn.functional.gelu(m.ones(2), approximate="bad"),
        lambda m: m.nn.functional.glu(m.ones(3)),
        lambda m: m.nn.functional.prelu(m.ones(2, 3), m.ones(2)),
        lambda m: m.nn.functional.one_hot(m.tensor([1.0])),
        lambda m: m.nn.functional.one_hot(m.tensor([3]), 2),
        lambda m: m.nn.functional.one_hot(m.tensor([-1]), 2),
        lambda m: m.nn.functional.one_hot(m.zeros(0, dtype=m.int64)),
    ]
    for case in cases:
        errs = []
        for m in (torch, ember):
            with pytest.raises(Exception) as ei:
                case(m)
            errs.append((ei.type, str(ei.value)))
        assert errs[1] == errs[0]


# ---------------------------------------------------------------- functional helpers
def test_one_hot():
    t = np.array([[0, 2], [1, 3]])
    for n in (-1, 5):
        e = ember.nn.functional.one_hot(ember.tensor(t), n)
        r = torch.nn.functional.one_hot(torch.tensor(t), n)
        assert e.dtype == ember.int64
        np.testing.assert_array_equal(e.cpu().numpy(), r.cpu().numpy())
    assert ember.nn.functional.one_hot(ember.zeros(0, dtype=ember.int64), 3).shape == (0, 3)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 0), (3.0, -1)])
def test_normalize(dtype, p, dim):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4)).astype(dtype)
    x[1] = 0  # a zero row: the norm is clamped at eps
    res = []
    for m in (torch, ember):
        xt = m.tensor(x, requires_grad=True)
        out = m.nn.functional.normalize(xt, p=p, dim=dim)
        out.backward(m.tensor(np.ones_like(x)))
        res.append((to_np(out), to_np(xt.grad)))
    np.testing.assert_allclose(res[1][0], res[0][0], **TOL[dtype])
    np.testing.assert_allclose(res[1][1], res[0][1], **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_cosine_similarity_and_pairwise_distance(dtype):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((4, 5)).astype(dtype)
    b = rng.standard_normal((1, 5)).astype(dtype)
    a[0] = 1e-10  # below eps: torch's clamped-norm gradient
    for fn, kw in (("cosine_similarity", {"dim": 1}), ("cosine_similarity", {"dim": -1}),
                   ("pairwise_distance", {}), ("pairwise_distance", {"p": 1.0}),
                   ("pairwise_distance", {"p": 3.0, "keepdim": True})):
        res = []
        for m in (torch, ember):
            x = m.tensor(a, requires_grad=True)
            y = m.tensor(b, requires_grad=True)
            out = getattr(m.nn.functional, fn)(x, y, **kw)
            out.sum().backward()
            res.append((to_np(out), to_np(x.grad), to_np(y.grad)))
        for r1, r0 in zip(res[1], res[0]):
            np.testing.assert_allclose(r1, r0, rtol=1e-4 if dtype == "float32" else 1e-9,
                                       atol=1e-5 if dtype == "float32" else 1e-10)


# ---------------------------------------------------------------- nn.init
def test_calculate_gain_and_fans():
    ti, ei = torch.nn.init, ember.nn.init
    for args in (("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",),
                 ("leaky_relu",), ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu",)):
        assert ei.calculate_gain(*args) == ti.calculate_gain(*args)
    for args in (("foo",), ("leaky_relu", True)):
        with pytest.raises(ValueError) as a:
            ei.calculate_gain(*args)
        with pytest.raises(ValueError) as b:
            ti.calculate_gain(*args)
        assert str(a.value) == str(b.value)
    for shape in ((3, 4), (5, 2, 3, 3), (2, 3, 4)):
        assert (ei._calculate_fan_in_and_fan_out(ember.empty(shape))
                == ti._calculate_fan_in_and_fan_out(torch.empty(shape)))
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        ei._calculate_fan_in_and_fan_out(ember.empty(3))


def _stats(t):
    a = t.detach().cpu().numpy().astype(np.float64)
    return a, a.mean(), a.std()


@pytest.mark.parametrize("case", [
    # (init call, expected mean, expected std, bounds)
    (lambda init, t: init.uniform_(t, -2.0, 1.0), -0.5, 3 / math.sqrt(12), (-2.0, 1.0)),
    (lambda init, t: init.normal_(t, 0.5, 2.0), 0.5, 2.0, None),
    (lambda init, t: init.xavier_uniform_(t, gain=2.0), 0.0,
     2.0 * math.sqrt(2.0 / (300 + 200)), (-2.0 * math.sqrt(6.0 / 500), 2.0 * math.sqrt(6.0 / 500))),
    (lambda init, t: init.xavier_normal_(t), 0.0, math.sqrt(2.0 / 500), None),
    (lambda init, t: init.kaiming_uniform_(t, a=math.sqrt(5)), 0.0, 1 / math.sqrt(3 * 300),
     (-1 / math.sqrt(300), 1 / math.sqrt(300))),
    (lambda init, t: init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"), 0.0,
     math.sqrt(2.0 / 200), (-math.sqrt(6.0 / 200), math.sqrt(6.0 / 200))),
    (lambda init, t: init.kaiming_normal_(t, nonlinearity="relu"), 0.0, math.sqrt(2.0 / 300), None),
    (lambda init, t: init.kaiming_normal_(t, a=0.1, mode="fan_out"), 0.0,
     math.sqrt(2.0 / (1 + 0.01)) / math.sqrt(200), None),
    (lambda init, t: init.trunc_normal_(t, 1.0, 0.5, 0.0, 2.0), 1.0, None, (0.0, 2.0)),
])
def test_init_statistics(case):
    fn, mean, std, bounds = case
    ember.manual_seed(0)
    t = ember.nn.Parameter(ember.empty(200, 300))
    out = fn(ember.nn.init, t)
    assert out is t and t.requires_grad and t.grad_fn is None
    a, m, s = _stats(t)
    n = a.size
    scale = std if std is not None else a.std()
    assert abs(m - mean) < 6 * scale / math.sqrt(n)
    if std is not None:
        assert abs(s - std) < 0.02 * std
    if bounds is not None:
        assert a.min() >= bounds[0] and a.max() <= bounds[1]


def test_trunc_normal_matches_truncated_moments():
    ember.manual_seed(1)
    t = ember.nn.init.trunc_normal_(ember.empty(200000), std=1.0, a=-1.0, b=2.0)
    a = t.cpu().numpy().astype(np.float64)
    from scipy import stats

    dist = stats.truncnorm(-1.0, 2.0)
    assert a.min() >= -1.0 and a.max() <= 2.0
    assert abs(a.mean() - dist.mean()) < 0.01
    assert abs(a.std() - dist.std()) < 0.01


def test_deterministic_inits():
    ei, ti = ember.nn.init, torch.nn.init
    cases = (
        (lambda init, t: init.constant_(t, 0.3), (3, 4)),
        (lambda init, t: init.ones_(t), (2,)),
        (lambda init, t: init.zeros_(t), (2, 2)),
        (lambda init, t: init.eye_(t), (3, 5)),
        (lambda init, t: init.dirac_(t), (4, 3, 3)),
        (lambda init, t: init.dirac_(t, groups=2), (4, 2, 3, 3)),
    )
    for fn, shape in cases:
        e = fn(ei, ember.nn.Parameter(ember.empty(shape)))
        t = fn(ti, torch.nn.Parameter(torch.empty(shape)))
        np.testing.assert_array_equal(e.detach().cpu().numpy(), t.detach().cpu().numpy())
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        ei.eye_(ember.empty(3))


@pytest.mark.parametrize("shape", [(30, 50), (50, 30), (6, 4, 3)])
def test_orthogonal(shape):
    ember.manual_seed(0)
    t = ember.nn.init.orthogonal_(ember.empty(shape), gain=2.0)
    a = t.cpu().numpy().reshape(shape[0], -1).astype(np.float64) / 2.0
    if a.shape[0] <= a.shape[1]:
        np.testing.assert_allclose(a @ a.T, np.eye(a.shape[0]), atol=1e-5)
    else:
        np.testing.assert_allclose(a.T @ a, np.eye(a.shape[1]), atol=1e-5)


def test_init_does_not_record_graph_and_zero_element_noop():
    p = ember.nn.Parameter(ember.ones(3, 3))
    ember.nn.init.uniform_(p)
    assert p.grad_fn is None and p.is_leaf
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        ember.nn.init.kaiming_uniform_(ember.empty(0, 3))


# ---------------------------------------------------------------- nn.utils
def _grads_pair(seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in ((3, 4), (4,), (2, 2, 2))]
    grads = [rng.standard_normal(a.shape).astype(np.float32) * 3 for a in arrays]
    tp, ep = [], []
    for a, g in zip(arrays, grads):
        t = torch.nn.Parameter(torch.tensor(a))
        t.grad = torch.tensor(g)
        e = ember.nn.Parameter(ember.tensor(a))
        e.grad = ember.tensor(g)
        tp.append(t)
        ep.append(e)
    return tp, ep


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf, 0.5])
@pytest.mark.parametrize("max_norm", [1.0, 1e3])
def test_clip_grad_norm(norm_type, max_norm):
    tp, ep = _grads_pair()
    tn = torch.nn.utils.clip_grad_norm_(tp, max_norm, norm_type)
    en = ember.nn.utils.clip_grad_norm_(ep, max_norm, norm_type)
    assert en.dtype == ember.float32 and en.shape == ()
    np.testing.assert_allclose(en.item(), tn.item(), rtol=1e-5)
    for e, t in zip(ep, tp):
        np.testing.assert_allclose(e.grad.cpu().numpy(), t.grad.cpu().numpy(), rtol=1e-5, atol=1e-6)


def test_clip_grad_norm_nonfinite_and_empty():
    tp, ep = _grads_pair()
    ep[0].grad._data[0, 0] = np.inf
    tp[0].grad[0, 0] = math.inf
    with pytest.raises(RuntimeError) as ei:
        ember.nn.utils.clip_grad_norm_(ep, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError) as ti:
        torch.nn.utils.clip_grad_norm_(tp, 1.0, error_if_nonfinite=True)
    assert str(ei.value) == str(ti.value)
    assert ember.nn.utils.clip_grad_norm_([], 1.0).item() == 0.0
    single = ember.nn.Parameter(ember.ones(4))
    single.grad = ember.full((4,), 2.0)
    assert ember.nn.utils.clip_grad_norm_(single, 1.0).item() == pytest.approx(4.0)


def test_clip_grad_value():
    tp, ep = _grads_pair(1)
    torch.nn.utils.clip_grad_value_(tp, 0.7)
    ember.nn.utils.clip_grad_value_(ep, 0.7)
    for e, t in zip(ep, tp):
        np.testing.assert_array_equal(e.grad.cpu().numpy(), t.grad.cpu().numpy())


def test_parameters_to_vector_and_back():
    tp, ep = _grads_pair(2)
    tv = torch.nn.utils.parameters_to_vector(tp)
    ev = ember.nn.utils.parameters_to_vector(ep)
    np.testing.assert_array_equal(ev.detach().cpu().numpy(), tv.detach().cpu().numpy())
    new = np.arange(ev.numel(), dtype=np.float32)
    ember.nn.utils.vector_to_parameters(ember.tensor(new), ep)
    torch.nn.utils.vector_to_parameters(torch.tensor(new), tp)
    for e, t in zip(ep, tp):
        np.testing.assert_array_equal(e.detach().cpu().numpy(), t.detach().cpu().numpy())
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        ember.nn.utils.vector_to_parameters([1.0], ep)


def test_no_warnings_on_plain_forward():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.nn.Sequential(ember.nn.Linear(2, 2), ember.nn.ReLU())(ember.ones(1, 2))


def test_top_level_nn_names():
    x = np.array([[-1.5, 0.2, 2.0], [0.7, -0.1, -3.0]])
    w = np.array([0.1, 0.2, 0.3])
    for name, args in (("prelu", (x, w)), ("hardshrink", (x, 0.5)), ("rrelu", (x,)),
                       ("cosine_similarity", (x, x[::-1].copy())),
                       ("pairwise_distance", (x, x[::-1].copy())), ("selu_", (x,)),
                       ("celu_", (x,)), ("threshold_", (x, 0.1, 9.0))):
        conv = [lambda a, m=m: m.tensor(a) if isinstance(a, np.ndarray) else a
                for m in (torch, ember)]
        t = getattr(torch, name)(*[conv[0](a) for a in args])
        e = getattr(ember, name)(*[conv[1](a) for a in args])
        np.testing.assert_allclose(to_np(e), to_np(t), rtol=1e-12, err_msg=name)
    np.testing.assert_allclose(to_np(ember.tensor(x).hardshrink()),
                               to_np(torch.tensor(x).hardshrink()))
    assert not hasattr(ember, "linear") and not hasattr(torch, "linear")


def test_rrelu_training_slopes():
    ember.manual_seed(0)
    x = ember.tensor(-np.ones((50, 40)), requires_grad=True)
    y = ember.nn.RReLU(0.1, 0.3)(x)
    y.sum().backward()
    slopes = -y.detach().cpu().numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and slopes.std() > 0.03
    np.testing.assert_allclose(x.grad.cpu().numpy(), slopes)
    pos = ember.nn.functional.rrelu(ember.ones(3), training=True)
    assert pos.tolist() == [1.0, 1.0, 1.0]
