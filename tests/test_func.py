"""torch.func transforms (grad, vmap, jacrev, vjp, jvp, functional_call) against torch."""

import numpy as np
import torch

import ember


def _same(a, b, atol=1e-6):
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k], atol)
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y, atol)
    else:
        assert str(a.dtype) == str(b.dtype) and tuple(a.shape) == tuple(b.shape)
        assert a.requires_grad == b.requires_grad
        np.testing.assert_allclose(a.detach().cpu().numpy(), b.detach().cpu().numpy(), atol=atol)


def _both(fn, atol=1e-6):
    _same(fn(ember), fn(torch), atol)


def test_grad_and_nested_grad():
    _both(lambda m: m.func.grad(lambda v: (v ** 3).sum())(m.tensor([0.5, 1.0, 2.0])))
    _both(lambda m: m.func.grad(m.func.grad(lambda s: s ** 3))(m.tensor(2.0)))
    _both(lambda m: m.func.grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(
        m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0])))
    # the inner grad closes over the outer input
    _both(lambda m: m.func.grad(lambda x: m.func.grad(lambda y: (x * y ** 2).sum())(
        m.tensor([1.0, 2.0])).sum())(m.tensor([3.0, 5.0])))


def test_grad_has_aux_and_grad_and_value():
    def f(m):
        fn = lambda x: ((x ** 2).sum(), x.mean())
        g, aux = m.func.grad(fn, has_aux=True)(m.tensor([1.0, 3.0]))
        g2, value = m.func.grad_and_value(lambda x: (x ** 2).sum())(m.tensor([1.0, 3.0]))
        return g, aux, g2, value

    _both(f)


def test_per_sample_grads_with_functional_call_and_vmap():
    def run(m):
        m.manual_seed(0)
        model = m.nn.Sequential(m.nn.Linear(3, 4), m.nn.Tanh(), m.nn.Linear(4, 2))
        with m.no_grad():
            for i, p in enumerate(model.parameters()):
                p.copy_(m.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (i + 1))
        params = {k: v.detach() for k, v in model.named_parameters()}

        def loss(params, x, y):
            out = m.func.functional_call(model, params, (x.unsqueeze(0),))
            return m.nn.functional.cross_entropy(out, y.unsqueeze(0))

        x = m.linspace(-1, 1, 15).reshape(5, 3)
        y = m.tensor([0, 1, 1, 0, 1])
        grads = m.func.vmap(m.func.grad(loss), in_dims=(None, 0, 0))(params, x, y)
        # the module itself is untouched
        return grads, model[0].weight

    _both(run)


def test_vmap_in_dims_out_dims():
    x = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    _both(lambda m: m.vmap(m.dot, in_dims=(0, None))(m.tensor(x), m.arange(3.0)))
    _both(lambda m: m.vmap(m.outer)(m.tensor(x), m.tensor(x)))
    _both(lambda m: m.func.vmap(lambda a: a * 2, in_dims=1, out_dims=1)(m.tensor(x)))
    _both(lambda m: m.vmap(m.vmap(lambda a, b: a * b))(m.tensor(x), m.tensor(x)))
    _both(lambda m: m.vmap(lambda a: (a.sum(), a.max()))(m.tensor(x)))


def test_jacrev_jacfwd_hessian():
    v = [0.5, 1.0, 2.0]
    _both(lambda m: m.func.jacrev(lambda t: t.sin() * t)(m.tensor(v)))
    _both(lambda m: m.func.jacfwd(lambda t: t.sin() * t)(m.tensor(v)))
    _both(lambda m: m.func.hessian(lambda t: (t ** 3).sum())(m.tensor(v)))
    _both(lambda m: m.func.jacrev(lambda a, b: a * b, argnums=(0, 1))(m.tensor(v), m.tensor(v)))


def test_vjp_and_jvp():
    def run(m):
        x = m.tensor([1.0, 2.0])
        out, fn = m.func.vjp(lambda t: t ** 2, x)
        (g,) = fn(m.ones(2))
        o2, t2 = m.func.jvp(lambda t: t.exp(), (x,), (m.tensor([1.0, 0.5]),))
        return out, g, o2, t2

    _both(run, atol=1e-5)


def test_functional_call_swaps_and_restores():
    for m in (ember, torch):
        lin = m.nn.Linear(2, 1)
        w = lin.weight
        out = m.func.functional_call(lin, {"weight": m.ones(1, 2), "bias": m.zeros(1)},
                                     (m.tensor([[1.0, 2.0]]),))
        assert out.tolist() == [[3.0]]
        assert lin.weight is w
        out = m.nn.utils.stateless.functional_call(lin, {"bias": m.ones(1)}, m.zeros(1, 2))
        assert out.tolist() == [[1.0]]


def test_grad_is_grads_batched():
    def run(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x ** 2
        return m.autograd.grad(y, x, m.eye(3), is_grads_batched=True)

    _both(run)


def test_stack_module_state():
    def run(m):
        models = [m.nn.Linear(2, 1) for _ in range(3)]
        with m.no_grad():
            for i, mod in enumerate(models):
                mod.weight.fill_(i)
                mod.bias.fill_(-i)
        params, _ = m.func.stack_module_state(models)
        base = models[0]
        out = m.vmap(lambda p, x: m.func.functional_call(base, p, (x,)), in_dims=(0, None))(
            params, m.ones(1, 2))
        return params, out

    _both(run)
