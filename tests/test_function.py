"""Custom `autograd.Function` against torch 2.13.0: forward/backward, ctx, errors, double
backward, gradcheck. Each test defines its Function on module `m` (torch or ember) and runs the
same code on both; results and errors must agree."""

import gc
import weakref

import numpy as np
import pytest
import torch

import ember
from tests.test_autograd import leaf, same, ver


# ---------------------------------------------------------------- a few Functions per module
def cube_fn(m):
    class Cube(m.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a * a

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return g * 3 * a * a

    return Cube


def scale_fn(m):
    # non-tensor argument, output saved for backward
    class Scale(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, k, shift=0.0):
            ctx.k = k
            out = a * k + shift
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, g):
            (out,) = ctx.saved_tensors
            return g * ctx.k, None, None

    return Scale


def test_basic_forward_backward():
    def f(m):
        Cube = cube_fn(m)
        x = leaf(m, [1.0, -2.0, 3.0])
        y = Cube.apply(x)
        (y * m.tensor([1.0, 2.0, 3.0])).sum().backward()
        return y, x.grad, y.requires_grad, y.is_leaf

    same(f)


def test_grad_fn_of_function_output():
    def f(m):
        Cube = cube_fn(m)
        x = leaf(m, [1.0, 2.0])
        y = Cube.apply(x * 2)
        gf = y.grad_fn
        return (
            type(gf).__name__,
            gf.name(),
            [type(n).__name__ for n, _ in gf.next_functions],
            gf.needs_input_grad,
            isinstance(gf, m.autograd.graph.Node),
            isinstance(gf, m.autograd.function.BackwardCFunction),
        )

    same(f)


def test_non_tensor_args_and_kwargs():
    def f(m):
        Scale = scale_fn(m)
        x = leaf(m, [1.0, 2.0])
        y = Scale.apply(x, 3.0)
        z = Scale.apply(x, 2.0, shift=1.0)
        (y + z).sum().backward()
        return y, z, x.grad

    same(f)


def test_needs_input_grad():
    def f(m):
        seen = []

        class Mul(m.autograd.Function):
            @staticmethod
            def forward(ctx, a, b, flag):
                seen.append(ctx.needs_input_grad)
                ctx.save_for_backward(a, b)
                return a * b

            @staticmethod
            def backward(ctx, g):
                a, b = ctx.saved_tensors
                seen.append(ctx.needs_input_grad)
                ga = g * b if ctx.needs_input_grad[0] else None
                gb = g * a if ctx.needs_input_grad[1] else None
                return ga, gb, None

        x = leaf(m, [1.0, 2.0])
        c = m.tensor([3.0, 4.0])
        Mul.apply(x, c, True).sum().backward()
        with m.no_grad():
            Mul.apply(x, c, True)
        return seen, x.grad

    same(f)


def test_setup_context_style():
    def f(m):
        log = []

        class Sin(m.autograd.Function):
            @staticmethod
            def forward(a, k=2.0):
                log.append(m.is_grad_enabled())
                return a * k

            @staticmethod
            def setup_context(ctx, inputs, output):
                a, k = inputs
                log.append(len(inputs))
                ctx.k = k
                ctx.save_for_backward(a, output)

            @staticmethod
            def backward(ctx, g):
                a, out = ctx.saved_tensors
                log.append(out.grad_fn is not None)
                return g * ctx.k, None

        x = leaf(m, [1.0, 2.0])
        Sin.apply(x).sum().backward()
        Sin.apply(x, k=5.0).sum().backward()
        return log, x.grad

    same(f)


def test_multiple_outputs():
    def f(m):
        seen = []

        class SumProd(m.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                ctx.save_for_backward(a, b)
                return a + b, a * b

            @staticmethod
            def backward(ctx, g1, g2):
                a, b = ctx.saved_tensors
                seen.append((g1.clone(), g2.clone()))
                return g1 + g2 * b, g1 + g2 * a

        x = leaf(m, [1.0, 2.0, 3.0])
        w = leaf(m, [2.0, 2.0, 0.5])
        s, p = SumProd.apply(x, w)
        shared = s.grad_fn is p.grad_fn
        p.sum().backward(retain_graph=True)
        first = (x.grad.clone(), w.grad.clone())
        (s * 3 + p * 2).sum().backward()
        return shared, seen, first, x.grad, w.grad, type(s.grad_fn).__name__

    same(f)


def test_multiple_outputs_next_functions_index():
    def f(m):
        class Split(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 1, a * 2

            @staticmethod
            def backward(ctx, g1, g2):
                return g1 + 2 * g2

        x = leaf(m, [1.0, 2.0])
        a, b = Split.apply(x)
        y = a * b
        return [(type(n).__name__, i) for n, i in y.grad_fn.next_functions]

    same(f)


def test_multiple_outputs_hooks_and_retain_grad():
    def f(m):
        class Split(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 1, a * 2

            @staticmethod
            def backward(ctx, g1, g2):
                return g1 + 2 * g2

        x = leaf(m, [1.0, 2.0])
        a, b = Split.apply(x)
        a.retain_grad()
        b.register_hook(lambda g: g * 10)
        (a * 3 + b).sum().backward()
        return a.grad, x.grad

    same(f)


def test_multiple_outputs_autograd_grad():
    def f(m):
        class Split(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 1, a * 2

            @staticmethod
            def backward(ctx, g1, g2):
                return g1 + 2 * g2

        x = leaf(m, [1.0, 2.0])
        a, b = Split.apply(x)
        return m.autograd.grad((a * b).sum(), [x, a])

    same(f)


def test_mark_non_differentiable_and_integer_outputs():
    def f(m):
        seen = []

        class MaxIdx(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                v = a * 2
                idx = m.ones(3, dtype=m.int64)
                marked = a * 3
                ctx.mark_non_differentiable(marked)
                return v, idx, marked

            @staticmethod
            def backward(ctx, gv, gi, gm):
                seen.append((str(gi.dtype), gi, gm))
                return gv * 2

        x = leaf(m, [1.0, 2.0, 3.0])
        v, i, mk = MaxIdx.apply(x)
        flags = (v.requires_grad, i.requires_grad, mk.requires_grad, i.grad_fn, mk.grad_fn)
        v.sum().backward()
        return flags, seen, x.grad

    same(f)


def test_set_materialize_grads_false():
    def f(m):
        seen = []

        class Two(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.set_materialize_grads(False)
                return a * 1, a * 2

            @staticmethod
            def backward(ctx, g1, g2):
                seen.append((g1 is None, g2 is None))
                return g2 * 2 if g1 is None else g1

        x = leaf(m, [1.0, 2.0])
        a, b = Two.apply(x)
        b.sum().backward()
        return seen, x.grad

    same(f)


def test_materialized_zero_grads_by_default():
    def f(m):
        seen = []

        class Two(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 1, a * 2

            @staticmethod
            def backward(ctx, g1, g2):
                seen.append(g1)
                return g1 + g2

        x = leaf(m, [1.0, 2.0])
        a, b = Two.apply(x)
        b.sum().backward()
        return seen, x.grad

    same(f)


def test_input_returned_unchanged():
    def f(m):
        class Ident(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a

            @staticmethod
            def backward(ctx, g):
                return g * 3

        x = leaf(m, [1.0, 2.0])
        y = Ident.apply(x)
        info = (y is x, y.requires_grad, y.grad_fn.name(), y.data_ptr() == x.data_ptr())
        (y * y).sum().backward()
        return info, x.grad

    same(f)


def test_mark_dirty():
    def f(m):
        class Double(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                a.mul_(2)
                ctx.mark_dirty(a)
                return a

            @staticmethod
            def backward(ctx, g):
                return g * 2

        x = leaf(m, [1.0, 2.0])
        a = x * 1
        d = Double.apply(a)
        info = (d is a, a.grad_fn.name(), ver(a))
        (d * x).sum().backward()
        return info, d, x.grad

    same(f)


def test_mark_dirty_on_leaf_raises():
    def f(m):
        class Double(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                a.mul_(2)
                ctx.mark_dirty(a)
                return a

            @staticmethod
            def backward(ctx, g):
                return g * 2

        Double.apply(leaf(m, [1.0, 2.0]))

    same(f)


def test_no_graph_without_grad():
    def f(m):
        Cube = cube_fn(m)
        x = leaf(m, [1.0, 2.0])
        with m.no_grad():
            a = Cube.apply(x)
        b = Cube.apply(m.tensor([1.0, 2.0]))
        return a.requires_grad, a.grad_fn, b.requires_grad, b.grad_fn

    same(f)


def test_grad_mode_inside_forward_and_backward():
    def f(m):
        log = []

        class Probe(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                log.append(("fwd", m.is_grad_enabled()))
                return a * 2

            @staticmethod
            def backward(ctx, g):
                log.append(("bwd", m.is_grad_enabled(), g.requires_grad))
                return g * 2

        x = leaf(m, [1.0, 2.0])
        Probe.apply(x).sum().backward()
        m.autograd.grad(Probe.apply(x).sum(), x, create_graph=True)
        return log

    same(f)


def test_double_backward_through_function():
    def f(m):
        Cube = cube_fn(m)
        x = leaf(m, [1.0, 2.0, 3.0], dtype=m.float64)
        (g,) = m.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
        info = (g.requires_grad, g.grad_fn.name())
        (h,) = m.autograd.grad(g.sum(), x)
        return info, g.detach(), h

    same(f)


def test_double_backward_through_saved_output():
    def f(m):
        class Square(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                out = a * a
                ctx.save_for_backward(a, out)
                return out

            @staticmethod
            def backward(ctx, g):
                a, out = ctx.saved_tensors
                # d(out)/da = 2a, written with the output to exercise its graph
                return g * 2 * out / a

        x = leaf(m, [1.0, 2.0, 3.0], dtype=m.float64)
        (g,) = m.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
        (h,) = m.autograd.grad(g.sum(), x)
        return g.detach(), h

    same(f)


def test_once_differentiable():
    def f(m):
        from importlib import import_module

        once = import_module(m.__name__ + ".autograd.function").once_differentiable
        seen = []

        class Cube(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(a)
                return a * a * a

            @staticmethod
            @once
            def backward(ctx, g):
                (a,) = ctx.saved_tensors
                seen.append(m.is_grad_enabled())
                return g * 3 * a * a

        x = leaf(m, [1.0, 2.0])
        (g,) = m.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
        info = (g.requires_grad, seen)
        y = Cube.apply(x)
        (g2,) = m.autograd.grad(y, x, grad_outputs=leaf(m, [1.0, 1.0]), create_graph=True)
        info2 = (g2.requires_grad, g2.grad_fn.name())
        try:
            g2.sum().backward()
        except RuntimeError as e:
            return info, info2, str(e)
        return info, info2, None

    same(f)


# ---------------------------------------------------------------- errors
def _wrong(m, kind):
    class Wrong(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, k):
            return a * k

        @staticmethod
        def backward(ctx, g):
            if kind == "count":
                return g * 2
            if kind == "too_many":
                return g, None, g
            if kind == "extra_none":
                return g, None, None, None
            if kind == "non_tensor_position":
                return g, g
            if kind == "shape":
                return m.ones(2), None
            if kind == "broadcastable":
                return m.ones(2, 3), None
            if kind == "type":
                return 3.0, None
            if kind == "dtype":
                return g.double(), None
            return None, None

    return Wrong


@pytest.mark.parametrize(
    "kind",
    [
        "count",
        "too_many",
        "extra_none",
        "non_tensor_position",
        "shape",
        "broadcastable",
        "type",
        "dtype",
        "all_none",
    ],
)
def test_backward_result_checks(kind):
    def f(m):
        x = leaf(m, [1.0, 2.0, 3.0])
        _wrong(m, kind).apply(x, 2.0).sum().backward()
        return x.grad

    same(f)


def test_saved_tensors_freed_after_backward():
    def f(m):
        Cube = cube_fn(m)
        x = leaf(m, [1.0, 2.0])
        y = Cube.apply(x * 1)
        y.sum().backward()
        return y.grad_fn.saved_tensors

    same(f)


def test_saved_tensors_kept_with_retain_graph():
    def f(m):
        Cube = cube_fn(m)
        x = leaf(m, [1.0, 2.0])
        y = Cube.apply(x * 1)
        y.sum().backward(retain_graph=True)
        y.sum().backward()
        return x.grad

    same(f)


def test_saved_tensors_without_save_for_backward():
    def f(m):
        class Plain(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2 + len(ctx.saved_tensors)

        x = leaf(m, [1.0, 2.0])
        y = Plain.apply(x)
        y.sum().backward()
        y.sum().backward()  # nothing saved: a second backward is fine
        return x.grad

    same(f)


@pytest.mark.parametrize("which", ["input", "output"])
def test_saved_tensor_modified_in_place(which):
    def f(m):
        class Keep(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                b = a * 2
                ctx.save_for_backward(a, b)
                return b

            @staticmethod
            def backward(ctx, g):
                a, b = ctx.saved_tensors
                return g * 2

        x = leaf(m, [1.0, 2.0, 3.0])
        a = x * 1
        b = Keep.apply(a)
        if which == "input":
            a.add_(1)
        else:
            b.add_(1)
        b.sum().backward()

    t, e = same(f)
    assert isinstance(t, RuntimeError)


def test_save_for_backward_non_tensor_raises():
    def f(m):
        class Bad(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(a, 3)
                return a * 2

            @staticmethod
            def backward(ctx, g):
                return g

        Bad.apply(leaf(m, [1.0]))

    same(f)


def test_save_for_backward_accepts_none():
    def f(m):
        class WithNone(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(a, None)
                return a * 2

            @staticmethod
            def backward(ctx, g):
                a, nothing = ctx.saved_tensors
                return g * 2 if nothing is None else g

        x = leaf(m, [1.0, 2.0])
        WithNone.apply(x).sum().backward()
        return x.grad

    same(f)


def test_function_graph_freed():
    Cube = cube_fn(ember)
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    y = Cube.apply(h)
    refs = [weakref.ref(y.grad_fn), weakref.ref(h)]
    del h, y
    gc.collect()
    assert [r() for r in refs] == [None, None]


def test_function_saved_output_no_reference_cycle():
    class Square(ember.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            out = a * a
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = Square.apply(x)
    ref = weakref.ref(y.grad_fn)
    gc.disable()
    try:
        del y
        assert ref() is None  # freed by reference counting alone
    finally:
        gc.enable()


# ---------------------------------------------------------------- gradcheck
def _double_input(seed, shape):
    rng = np.random.default_rng(seed)
    return ember.tensor(rng.standard_normal(shape), dtype=ember.float64, requires_grad=True)


def test_gradcheck_accepts_correct_function():
    Cube = cube_fn(ember)
    assert ember.autograd.gradcheck(Cube.apply, (_double_input(0, (3, 2)),))
    assert ember.autograd.gradgradcheck(Cube.apply, (_double_input(1, (4,)),))


def test_gradcheck_rejects_wrong_backward():
    class BadCube(ember.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a * a

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return g * 2 * a * a  # should be 3 a^2

    x = _double_input(2, (3,))
    with pytest.raises(ember.autograd.GradcheckError):
        ember.autograd.gradcheck(BadCube.apply, (x,))
    assert ember.autograd.gradcheck(BadCube.apply, (x,), raise_exception=False) is False


def test_gradgradcheck_rejects_wrong_double_backward():
    class DetachedCube(ember.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a * a

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            # right first derivative, but a is cut from the graph: second derivative wrong
            return g * 3 * a.detach() * a.detach()

    x = _double_input(3, (3,))
    assert ember.autograd.gradcheck(DetachedCube.apply, (x,))
    with pytest.raises(ember.autograd.GradcheckError):
        ember.autograd.gradgradcheck(DetachedCube.apply, (x,))


def test_torch_gradcheck_agrees_on_the_same_functions():
    # the functions used above really are right / wrong according to torch's own gradcheck
    x = torch.tensor(np.random.default_rng(2).standard_normal(3), requires_grad=True)
    assert torch.autograd.gradcheck(cube_fn(torch).apply, (x,))

    class BadCube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a * a

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return g * 2 * a * a

    assert torch.autograd.gradcheck(BadCube.apply, (x,), raise_exception=False) is False


def test_save_intermediate_tensor():
    def f(m):
        class Mid(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                mid = a * 2
                ctx.save_for_backward(mid)
                return mid * a

            @staticmethod
            def backward(ctx, g):
                (mid,) = ctx.saved_tensors
                return g * 2 * mid

        x = leaf(m, [1.0, 2.0])
        Mid.apply(x).sum().backward()
        (g,) = m.autograd.grad(Mid.apply(x).sum(), x, create_graph=True)
        return x.grad, g

    same(f)


def test_prehook_on_multi_output_node():
    def f(m):
        log = []

        class Split(m.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 1, a * 2

            @staticmethod
            def backward(ctx, g1, g2):
                return g1 + 2 * g2

        x = leaf(m, [1.0, 2.0])
        a, b = Split.apply(x)

        def pre(grads):
            log.append(grads)
            return (grads[0] * 10, grads[1])

        a.grad_fn.register_prehook(pre)
        (a + b * 3).sum().backward()
        return log, x.grad

    same(f)


def test_hook_on_function_output():
    def f(m):
        Cube = cube_fn(m)
        x = leaf(m, [1.0, 2.0])
        y = Cube.apply(x)
        y.register_hook(lambda g: g * 2)
        y.sum().backward()
        return x.grad

    same(f)


def test_gradcheck_slow_mode_reports_jacobians_as_torch():
    # torch's default (fast_mode=False) builds both Jacobians and prints them on a mismatch
    def run(m):
        class WrongGrad(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x ** 2

            @staticmethod
            def backward(ctx, g):
                return g

        x = m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)
        with pytest.raises(RuntimeError) as info:
            m.autograd.gradcheck(WrongGrad.apply, (x,))
        ok = m.autograd.gradcheck(WrongGrad.apply, (x,), raise_exception=False)
        good = m.autograd.gradcheck(lambda t: (t.sin() * t[:1]).sum(1), (x.view(1, 2),))
        return type(info.value).__name__, str(info.value), ok, good

    assert run(ember) == run(torch)


def test_gradcheck_of_float32_prints_float32_jacobians():
    import warnings

    msgs = []
    for m in (ember, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(RuntimeError) as info:
                m.autograd.gradcheck(lambda t: t * 2, (m.ones(2, requires_grad=True),))
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]
