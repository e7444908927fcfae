import torch
from torch.autograd.function import once_differentiable

torch.manual_seed(0)


class ScaledMul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b, scale):
        ctx.save_for_backward(a, b)
        ctx.scale = scale
        return a * b * scale

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_tensors
        print("needs_input_grad", ctx.needs_input_grad)
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = grad_out * b * ctx.scale
        if ctx.needs_input_grad[1]:
            gb = grad_out * a * ctx.scale
        return ga, gb, None


a = torch.randn(3, requires_grad=True)
b = torch.randn(3)
out = ScaledMul.apply(a, b, 2.0)
print(out.grad_fn.__class__.__name__)
out.sum().backward()
print(a.grad.round(decimals=4))
print(b.grad)


class InplaceRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.clamp_(min=0)
        ctx.mark_dirty(x)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (y > 0).to(g.dtype)


x0 = torch.randn(5, requires_grad=True)
x = x0.clone()
y = InplaceRelu.apply(x)
print(y is x, x._version > 0)
print(y.grad_fn.__class__.__name__)
(y * torch.arange(5.0)).sum().backward()
print(x0.grad)


class TwoOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        print("g1 None:", g1 is None, "g2 None:", g2 is None)
        res = torch.zeros_like(g1 if g1 is not None else g2)
        if g1 is not None:
            res = res + 2 * g1
        if g2 is not None:
            res = res + 3 * g2
        return res


x = torch.ones(2, requires_grad=True)
o1, o2 = TwoOut.apply(x)
o1.sum().backward()
print(x.grad)


class TwoOutMat(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        print("materialized", g1 is None, g2 is None, g2.sum().item())
        return 2 * g1 + 3 * g2


x = torch.ones(2, requires_grad=True)
o1, o2 = TwoOutMat.apply(x)
o2.sum().backward()
print(x.grad)


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x ** 2 * g


x = torch.tensor([1.0, 2.0], requires_grad=True)
y = Cube.apply(x)
(g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g, g.requires_grad)
try:
    g.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", str(e)[:60])


class ArgSortNonDiff(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return vals, idx

    @staticmethod
    def backward(ctx, gv, gi):
        (idx,) = ctx.saved_tensors
        out = torch.zeros_like(gv)
        out.scatter_(0, idx, gv)
        return out


x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = ArgSortNonDiff.apply(x)
print(v.requires_grad, i.requires_grad, i)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)


class ViewOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.view(-1)

    @staticmethod
    def backward(ctx, g):
        return g.view(2, 2)


x = torch.randn(2, 2, requires_grad=True)
v = ViewOut.apply(x)
print(v.shape)
(v * 2).sum().backward()
print(x.grad)


class Exp(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x.exp()

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)
        ctx.save_for_forward(output)

    @staticmethod
    def backward(ctx, g):
        (r,) = ctx.saved_tensors
        return g * r

    @staticmethod
    def jvp(ctx, t):
        (r,) = ctx.saved_tensors
        return t * r

    @staticmethod
    def vmap(info, in_dims, x):
        return Exp.apply(x), in_dims[0]


x = torch.randn(4)
print(torch.func.grad(lambda t: Exp.apply(t).sum())(x).round(decimals=4))
print(torch.func.vmap(Exp.apply)(x.view(2, 2)).round(decimals=4))
print(torch.func.jacrev(Exp.apply)(x[:2]).round(decimals=4))
print(torch.func.jacfwd(Exp.apply)(x[:2]).round(decimals=4))
import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    d = fwAD.make_dual(x, torch.ones(4))
    out = Exp.apply(d)
    p, t = fwAD.unpack_dual(out)
    print(t.round(decimals=4))


class Sq(torch.autograd.Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x, k):
        return x * x * k

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, k = inputs
        ctx.save_for_backward(x)
        ctx.k = k

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g * ctx.k, None


xs = torch.randn(3, 2)
print(torch.func.vmap(Sq.apply, in_dims=(0, None))(xs, 3.0).round(decimals=4))
print(torch.func.vmap(torch.func.grad(lambda t: Sq.apply(t, 2.0).sum()))(xs).round(decimals=4))

print(torch.autograd.gradcheck(Cube.apply, (torch.randn(3, dtype=torch.double, requires_grad=True),)))
