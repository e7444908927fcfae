"""The smaller public names of torch that ember lacked: device modules, torch.distributed on one
process, torch.types, storages, top-level wrappers, torch.gradient, post-accumulate-grad hooks.
Every expected value comes from real torch run on the same input."""

import json
import warnings

import numpy as np
import pytest
import torch

import ember


def both(fn):
    """fn(module) with torch and with ember."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(torch), fn(ember)


def close(a, b, tol=1e-6):
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            close(x, y, tol)
        return
    assert tuple(a.shape) == tuple(b.shape)
    assert str(a.dtype) == str(b.dtype)
    np.testing.assert_allclose(b.detach().cpu().numpy(), a.detach().cpu().numpy(), rtol=tol, atol=tol)


def raises_like(fn):
    """fn(module) raises the same exception type and message with torch and ember."""
    errs = []
    for m in (torch, ember):
        with pytest.raises(Exception) as info:
            fn(m)
        errs.append(info.value)
    assert type(errs[0]) is type(errs[1]), errs
    assert str(errs[0]) == str(errs[1])


# ------------------------------------------------------------------ device modules
@pytest.mark.parametrize("name", ["cpu", "xpu", "mps", "mtia"])
def test_device_modules_probe_like_torch(name):
    t, e = both(lambda m: (getattr(m, name).is_available(), getattr(m, name).device_count()))
    assert t == e


def test_cpu_module():
    t, e = both(lambda m: (m.cpu.current_device(), m.cpu.is_initialized(), m.cpu.synchronize()))
    assert t == e
    with pytest.warns(FutureWarning, match="torch.cpu.amp.autocast"):
        ctx = ember.cpu.amp.autocast()
    with ctx:
        assert ember.is_autocast_enabled("cpu")
    assert not ember.is_autocast_enabled("cpu")


@pytest.mark.parametrize("call", ["xpu.current_device()", "xpu.synchronize()", "mps.synchronize()",
                                  "mps.empty_cache()", "mtia.current_device()"])
def test_absent_devices_raise_like_torch(call):
    raises_like(lambda m: eval("m." + call, {"m": m}))


def test_absent_devices_silent_calls():
    t, e = both(lambda m: (m.xpu.manual_seed(0), m.mps.manual_seed(0), m.xpu.memory_allocated(),
                           m.xpu.is_initialized(), m.mtia.is_initialized()))
    assert t == e


def test_get_device_module():
    assert ember.get_device_module("cpu") is ember.cpu
    assert ember.get_device_module(ember.device("cuda:0")) is ember.cuda
    assert ember.get_device_module() is (ember.cuda if ember.cuda.is_available() else ember.cpu)
    raises_like(lambda m: m.get_device_module("meta"))
    raises_like(lambda m: m.get_device_module("foo"))
    raises_like(lambda m: m.get_device_module(3))


# ------------------------------------------------------------------ distributed
def test_distributed_uninitialised_like_torch():
    import torch.distributed as td

    import ember.distributed as ed

    assert ed.is_available() == td.is_available()
    assert ed.is_initialized() == td.is_initialized()
    for fn in ("get_rank", "get_world_size", "barrier"):
        raises_like(lambda m: getattr(m.distributed, fn)())
    raises_like(lambda m: m.distributed.all_reduce(m.ones(2)))
    raises_like(lambda m: m.distributed.destroy_process_group())


def test_distributed_one_process_world():
    import ember.distributed as ed

    ed.init_process_group("gloo", world_size=1, rank=0)
    try:
        assert ed.is_initialized() and ed.get_rank() == 0 and ed.get_world_size() == 1
        x = ember.tensor([1.0, 2.0])
        ed.all_reduce(x, op=ed.ReduceOp.SUM)
        assert x.tolist() == [1.0, 2.0]
        out = [ember.zeros(2)]
        ed.all_gather(out, x)
        assert out[0].tolist() == [1.0, 2.0]
        assert ed.broadcast(x, 0, async_op=True).wait()
    finally:
        ed.destroy_process_group()
    assert not ed.is_initialized()
    with pytest.raises(NotImplementedError):
        ed.init_process_group("gloo", world_size=2, rank=0)


# ------------------------------------------------------------------ types
def test_types_and_sym_classes():
    import ember.types as et

    assert et.Number == torch.types.Number
    assert et._int is int and et._float is float
    for name in ("SymInt", "SymFloat", "SymBool"):
        assert isinstance(getattr(ember, name), type)
        assert not isinstance(3, getattr(ember, name))
        assert isinstance(3, getattr(torch, name)) is False
    assert isinstance(ember.device("cpu"), et.Device.__args__[0])

    def f(x: et._size, d: et.Device = None) -> et.Number:
        return 1

    assert f([1]) == 1


# ------------------------------------------------------------------ storages
def test_untyped_storage_of_views():
    def run(m):
        x = m.arange(6.0).reshape(2, 3)
        out = []
        for v in (x, x[1], x.t(), x[:, 1], x.view(3, 2), x.unsqueeze(0)):
            s = v.untyped_storage()
            out.append((s.data_ptr() == x.data_ptr(), s.nbytes(), s.size(), len(s),
                        s.element_size(), str(s.device), v.storage_offset()))
        s = x.untyped_storage()
        out.append((s is x.untyped_storage(), m.is_storage(s), m.is_storage(x), s.type()))
        out.append((s.tolist()[:8], repr(m.arange(2, dtype=m.int8).untyped_storage())))
        return out

    t, e = both(run)
    assert t == e


def test_storage_aliases_the_tensor():
    def run(m):
        x = m.arange(4.0)
        x[1:3].untyped_storage().fill_(0)
        y = m.zeros(3)
        st = y.storage()
        st[1] = 5.0
        return x.tolist(), y.tolist()

    t, e = both(run)
    assert t == e


def test_typed_storage():
    def run(m):
        x = m.arange(6, dtype=m.int64).reshape(2, 3)[1]
        ts = x.storage()
        return (ts.size(), str(ts.dtype), ts.tolist(), ts.element_size(),
                ts.data_ptr() == x.data_ptr() - 24, len(ts), ts.nbytes(), ts.type(), repr(ts),
                ts.untyped().nbytes(), m.is_storage(ts), ts[4])

    t, e = both(run)
    assert t == e
    with pytest.warns(UserWarning, match="TypedStorage is deprecated"):
        ember.ones(1).storage()


def test_storage_constructors():
    def run(m):
        return (m.UntypedStorage(10).nbytes(), str(m.TypedStorage([1, 2, 3]).dtype),
                m.TypedStorage([1, 2, 3]).tolist(), str(m.TypedStorage(3, dtype=m.int64).dtype),
                len(m.TypedStorage(3, dtype=m.int64)))

    t, e = both(run)
    assert t == e


# ------------------------------------------------------------------ tensor methods
def test_inplace_methods_added():
    def run(m):
        a = m.tensor([12, 18, 7])
        a.gcd_(m.tensor([8, 12, 3]))
        b = m.tensor([4, 6, 5])
        b.lcm_(m.tensor([6, 4, 3]))
        c = m.tensor([1.0, 2.0, 3.0])
        c.ldexp_(m.tensor([1, 2, 3]))
        d = m.tensor([1.0, 2.0])
        d.nextafter_(m.tensor([2.0, 1.0]))
        f = m.tensor([1.5, 2.0], dtype=m.float64)
        f.float_power_(2)
        g = m.tensor([[1.0, 2.0], [3.0, 4.0]])
        g.renorm_(2, 0, 1.0)
        h = m.tensor([-1.0, 0.0, 2.0])
        h.heaviside_(m.tensor([0.5]))
        return [t.tolist() for t in (a, b, c, d, f, g, h)]

    t, e = both(run)
    assert t == e
    raises_like(lambda m: m.tensor([1, 2]).float_power_(2))
    raises_like(lambda m: m.tensor([1.0, 2.0]).float_power_(2))


def test_small_methods():
    def run(m):
        x = m.ones(2, 3)
        w = m.ones(2, requires_grad=True)
        y = m.arange(6.0).reshape(2, 3)
        return (x.is_inference(), m.is_inference(x), x.output_nr, (w * 2).output_nr,
                x.is_neg(), m.is_neg(x), x.is_xpu, x.is_mps, x.is_mtia,
                tuple(x.adjoint().shape), tuple(m.adjoint(x).shape),
                x.new_empty_strided((2, 2), (1, 2)).stride(), str(x.new_empty_strided(
                    (2,), (1,), dtype=m.float64).dtype), m.resolve_neg(y).tolist(),
                m.resolve_conj(y).tolist(), m.detach(w).requires_grad,
                tuple(m.ones(4).resize_as(m.ones(2, 2)).shape))

    t, e = both(run)
    assert t == e
    raises_like(lambda m: m.ones(3).adjoint())
    raises_like(lambda m: m.ones(3).resize_as(m.ones(2, 2)))


def test_as_subclass():
    class T(torch.Tensor):
        pass

    class E(ember.Tensor):
        pass

    for m, cls in ((torch, T), (ember, E)):
        x = m.ones(2, requires_grad=True)
        y = (x * 2).as_subclass(cls)
        assert type(y) is cls and y.requires_grad
        y.sum().backward()
        assert x.grad.tolist() == [2.0, 2.0]


def test_post_accumulate_grad_hook():
    def run(m):
        w = m.tensor([1.0, 2.0], requires_grad=True)
        seen = []
        h = w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
        (w * 3).sum().backward()
        (w * w).sum().backward()
        h.remove()
        (w * 1).sum().backward()
        return seen, w.grad.tolist()

    t, e = both(run)
    assert t == e


def test_post_accumulate_grad_hook_optimizer_in_backward():
    def run(m):
        m.manual_seed(0)
        lin = m.nn.Linear(3, 2)
        with m.no_grad():
            lin.weight.copy_(m.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
            lin.bias.copy_(m.tensor([0.05, -0.05]))
        opts = {p: m.optim.SGD([p], lr=0.1) for p in lin.parameters()}

        def hook(p):
            opts[p].step()
            opts[p].zero_grad()

        for p in lin.parameters():
            p.register_post_accumulate_grad_hook(hook)
        x = m.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
        for _ in range(3):
            lin(x).pow(2).sum().backward()
        return [p.detach() for p in lin.parameters()]

    t, e = both(run)
    close(t, e)


def test_post_accumulate_grad_hook_errors():
    raises_like(lambda m: m.ones(2).register_post_accumulate_grad_hook(print))
    raises_like(lambda m: (m.ones(2, requires_grad=True) * 2).register_post_accumulate_grad_hook(
        print))


# ------------------------------------------------------------------ top-level functions
INPLACE = ["abs_", "exp_", "sigmoid_", "sqrt_", "square_", "zero_", "neg_", "tanh_", "ceil_",
           "reciprocal_", "log1p_", "nan_to_num_", "round_", "trunc_"]


@pytest.mark.parametrize("name", INPLACE)
def test_top_level_inplace_aliases(name):
    def run(m):
        x = m.tensor([0.25, 1.5, 4.0])
        r = getattr(m, name)(x)
        return r is x, x.tolist()

    t, e = both(run)
    assert t[0] == e[0]
    np.testing.assert_allclose(e[1], t[1], rtol=1e-6)


def test_top_level_inplace_with_arguments():
    def run(m):
        a = m.tensor([-2.0, 0.5, 3.0])
        m.clamp_(a, -1, 1)
        b = m.tensor([1.0, 2.0])
        m.fill_(b, 7)
        c = m.tensor([1.0, 2.0])
        return a.tolist(), b.tolist(), m.fill(c, 3).tolist(), c.tolist()

    t, e = both(run)
    assert t == e


def test_top_level_nn_wrappers():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 6, 5)).astype(np.float32)
    w = rng.standard_normal(5).astype(np.float32)
    emb = rng.standard_normal((7, 3)).astype(np.float32)

    def run(m):
        t = m.tensor(x)
        out = [
            m.layer_norm(t, [5], m.tensor(w), None, 1e-5),
            m.group_norm(t, 3),
            m.batch_norm(t, None, None, m.zeros(6), m.ones(6), False, 0.1, 1e-5, False),
            m.instance_norm(t, None, None, None, None, True, 0.1, 1e-5, False),
            m.rms_norm(t, [5], m.tensor(w), 1e-6),
            m.embedding(m.tensor(emb), m.tensor([[1, 2], [6, 0]])),
            m.embedding(m.tensor(emb), m.tensor([1, 2]), 2),
            m.dropout(t, 0.5, False), m.alpha_dropout(t, 0.3, False),
            m.feature_dropout(t, 0.3, False), m.feature_alpha_dropout(t, 0.3, False),
        ]
        return out

    t, e = both(run)
    close(t, e, 1e-5)


def test_top_level_losses_argument_order_and_defaults():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((4, 3)).astype(np.float32)
    b = rng.standard_normal((4, 3)).astype(np.float32)
    y = np.array([1.0, -1.0, 1.0, -1.0], np.float32)
    p = rng.random((4, 3)).astype(np.float32)

    def run(m):
        A, B, Y, P = m.tensor(a), m.tensor(b), m.tensor(y), m.tensor(p)
        out = []
        for red in ((), (0,), (1,), (2,)):
            out += [
                m.binary_cross_entropy_with_logits(A, P, None, None, *red),
                m.kl_div(A.log_softmax(1), P, *red),
                m.cosine_embedding_loss(A, B, Y, 0.1, *red),
                m.margin_ranking_loss(A[:, 0], B[:, 0], Y, 0.2, *red),
                m.hinge_embedding_loss(A, m.ones(4, 3), 1.0, *red),
                m.triplet_margin_loss(A, B, B * 2, 1.0, 2, 1e-6, False, *red),
            ]
        out.append(m.kl_div(A, B, 1, log_target=True))
        out.append(m.poisson_nll_loss(A, P, True, False, 1e-8, 1))
        out.append(m.poisson_nll_loss(A.abs(), P, False, True, 1e-8, 0))
        lp = m.tensor(rng_lp).log_softmax(2)
        out.append(m.ctc_loss(lp, m.tensor([[1, 2], [1, 1]]), [5, 4], [2, 2]))
        out.append(m.ctc_loss(lp, m.tensor([[1, 2], [1, 1]]), [5, 4], [2, 2], 0, 1))
        return out

    rng_lp = rng.standard_normal((5, 2, 3)).astype(np.float32)
    t, e = both(run)
    close(t, e, 1e-5)


# stands for the coordinates tensor m.tensor([0, 1, 3, 3.5]) of the module under test
m_coords = object()

GRADIENT_CASES = [
    ("m.tensor([1, 4, 9, 16])", {}),
    ("m.tensor([1., 4, 9, 16])", {"spacing": 2.0, "edge_order": 2}),
    ("m.tensor([[1., 4, 9, 3], [2, 3, 5, 0]])", {}),
    ("m.tensor([[1., 4, 9, 3], [2, 3, 5, 0]])", {"dim": 1}),
    ("m.tensor([[1., 4, 9, 3], [2, 3, 5, 0], [1, 1, 1, 1]])", {"spacing": [0.5, 2.0]}),
    ("m.tensor([[1., 4, 9, 3], [2, 3, 5, 0]])", {"spacing": [m_coords], "dim": 1}),
    ("m.tensor([[1., 4, 9, 3], [2, 3, 5, 0]])", {"spacing": [m_coords], "dim": 1,
                                                  "edge_order": 2}),
    ("m.arange(24.).reshape(2, 3, 4) ** 2", {"dim": [0, 2]}),
    ("m.arange(36.).reshape(3, 3, 4) ** 2", {"dim": (0, 2), "edge_order": 2}),
]


@pytest.mark.parametrize("expr,kw", GRADIENT_CASES)
def test_gradient(expr, kw):
    def run(m):
        kwargs = dict(kw)
        if "spacing" in kwargs and isinstance(kwargs["spacing"], list) and kwargs[
                "spacing"][0] is m_coords:
            kwargs["spacing"] = [m.tensor([0.0, 1.0, 3.0, 3.5])]
        return m.gradient(eval(expr, {"m": m}), **kwargs)

    t, e = both(run)
    close(t, e, 1e-5)



def test_gradient_is_differentiable_and_errors():
    def run(m):
        x = m.tensor([1.0, 3.0, 2.0, 5.0], requires_grad=True)
        (g,) = m.gradient(x * x, edge_order=2)
        g.backward(m.tensor([1.0, -1.0, 2.0, 0.5]))
        return x.grad

    t, e = both(run)
    close(t, e)
    raises_like(lambda m: m.gradient(m.tensor([1.0, 2.0]), edge_order=2))


def test_predicates_and_typename():
    def run(m):
        x = m.arange(6.0).reshape(2, 3)
        return (m.is_same_size(x, x.t()), m.is_same_size(x, x + 1),
                m.is_signed(m.tensor([1], dtype=m.uint8)), m.is_signed(x),
                m.typename(x), m.typename(m.nn.Linear(1, 1)), m.typename(3),
                m.get_device(x))

    t, e = both(run)
    assert t == e


def test_frombuffer():
    def run(m):
        buf = bytearray(np.arange(4, dtype=np.int32).tobytes())
        a = m.frombuffer(buf, dtype=m.int32)
        b = m.frombuffer(buf, dtype=m.int32, count=2, offset=4)
        b[0] = 10
        return a.tolist(), b.tolist(), np.frombuffer(buf, np.int32).tolist()

    t, e = both(run)
    assert t == e
    raises_like(lambda m: m.frombuffer(b"", dtype=m.float32))
    raises_like(lambda m: m.frombuffer(bytearray(7), dtype=m.float32))
    with pytest.warns(UserWarning, match="not writable"):
        assert ember.frombuffer(b"\x01\x00", dtype=ember.int16).tolist() == [1]


def test_empty_permuted():
    def run(m):
        x = m.empty_permuted((2, 3, 4, 5), (0, 2, 3, 1))
        y = m.empty_permuted((2, 3), (1, 0), dtype=m.float64)
        return tuple(x.shape), x.stride(), tuple(y.shape), y.stride(), str(y.dtype)

    t, e = both(run)
    assert t == e


def test_set_default_tensor_type():
    try:
        def run(m):
            m.set_default_tensor_type(m.DoubleTensor)
            a = str(m.get_default_dtype()), str(m.tensor([1.0]).dtype)
            m.set_default_tensor_type("torch.FloatTensor")
            return a, str(m.get_default_dtype())

        t, e = both(run)
        assert t == e
        with pytest.warns(UserWarning, match="set_default_tensor_type"):
            ember.set_default_tensor_type(ember.FloatTensor)
    finally:
        ember.set_default_dtype(ember.float32)
        torch.set_default_dtype(torch.float32)


def test_binomial_and_unsafe_split():
    ember.manual_seed(0)
    count = ember.tensor([10.0, 0.0, 5.0])
    prob = ember.tensor([0.5, 0.3, 1.0])
    s = ember.binomial(count, prob)
    assert s.dtype == ember.float32 and s[1].item() == 0.0 and s[2].item() == 5.0
    assert 0 <= s[0].item() <= 10
    t, e = both(lambda m: [c.tolist() for c in m.unsafe_split(m.arange(5), 2)]
                + [c.tolist() for c in m.unsafe_chunk(m.arange(5), 2)])
    assert t == e
