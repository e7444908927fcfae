# Custom autograd Functions: save_for_backward, needs_input_grad, non-differentiable outputs,
# set_materialize_grads, once_differentiable and gradcheck/gradgradcheck.
import torch
from torch.autograd import Function, gradcheck, gradgradcheck
from torch.autograd.function import once_differentiable


class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


class MulConstant(Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


class SortWithIndex(Function):
    @staticmethod
    def forward(ctx, x):
        values, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    def backward(ctx, g_values, g_idx):
        idx, = ctx.saved_tensors
        grad = torch.zeros_like(g_values)
        grad.scatter_(0, idx, g_values)
        return grad


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x ** 2


class ClampGrad(Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        return g.clamp(-0.5, 0.5)


class Split2(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        print('  backward got', None if g1 is None else g1.shape, None if g2 is None else g2.shape)
        out = torch.zeros(2, dtype=torch.float64)
        if g1 is not None:
            out = out + 2 * g1
        if g2 is not None:
            out = out + 3 * g2
        return out


linear = LinearFunction.apply
inp = (torch.linspace(-1, 1, 6, dtype=torch.double).reshape(2, 3).requires_grad_(),
       torch.linspace(0, 1, 12, dtype=torch.double).reshape(4, 3).requires_grad_(),
       torch.ones(4, dtype=torch.double, requires_grad=True))
print(gradcheck(linear, inp, eps=1e-6, atol=1e-4))
out = linear(*inp)
print(out.grad_fn.name(), type(out.grad_fn).__name__, out.requires_grad)
out.sum().backward()
print(inp[0].grad, inp[2].grad)

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = MulConstant.apply(x, 5.5)
y.backward(torch.ones(2))
print(y, x.grad)

v = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
vals, idx = SortWithIndex.apply(v)
print(vals, idx, idx.requires_grad, vals.requires_grad)
(vals * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(v.grad)

c = torch.tensor([0.5, -1.0], dtype=torch.double, requires_grad=True)
print(gradcheck(Cube.apply, (c,)), gradgradcheck(Cube.apply, (c,)))
g, = torch.autograd.grad(Cube.apply(c).sum(), c, create_graph=True)
print(g, g.grad_fn is not None)
g.sum().backward()
print(c.grad)

z = torch.tensor([3.0, -0.1], requires_grad=True)
(ClampGrad.apply(z) * 2).sum().backward()
print(z.grad)

s = torch.tensor([1.0, 1.0], dtype=torch.float64, requires_grad=True)
a, b = Split2.apply(s)
a.sum().backward()
print(s.grad)


def bad_backward():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    Bad.apply(torch.ones(2, requires_grad=True)).sum().backward()


try:
    bad_backward()
except RuntimeError as e:
    print(e)
try:
    gradcheck(lambda t: t * 2, (torch.ones(2, requires_grad=True),))
except Exception as e:
    print(type(e).__name__)
bad = lambda t: Cube.apply(t) + t.detach()
print(gradcheck(lambda t: t.sin(), (torch.ones(2, dtype=torch.double, requires_grad=True),)))
try:
    class WrongGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x ** 2

        @staticmethod
        def backward(ctx, g):
            return g

    gradcheck(WrongGrad.apply, (torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True),))
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])
print(gradcheck(WrongGrad.apply, (torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True),), raise_exception=False))
