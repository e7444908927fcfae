# Custom autograd Functions in every style: ctx.save_for_backward, mark_non_differentiable,
# once_differentiable, setup_context (static forward without ctx), needs_input_grad,
# set_materialize_grads, mark_dirty, and gradcheck on them.
import torch
from torch.autograd import Function, gradcheck, gradgradcheck
from torch.autograd.function import once_differentiable


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


class SortWithIndices(Function):
    @staticmethod
    def forward(ctx, x):
        values, indices = x.sort()
        ctx.mark_non_differentiable(indices)
        ctx.save_for_backward(indices)
        return values, indices

    @staticmethod
    def backward(ctx, g_values, g_indices):
        (indices,) = ctx.saved_tensors
        grad = torch.zeros_like(g_values)
        grad.scatter_(0, indices, g_values)
        return grad


class Clamp01(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(0, 1)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * ((x >= 0) & (x <= 1)).to(grad.dtype)


class LinearFn(Function):
    # the "new style": forward without ctx, setup_context saves what backward needs
    @staticmethod
    def forward(input, weight, bias=None):
        out = input @ weight.t()
        if bias is not None:
            out = out + bias
        return out

    @staticmethod
    def setup_context(ctx, inputs, output):
        input, weight, bias = inputs
        ctx.save_for_backward(input, weight)
        ctx.has_bias = bias is not None

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors
        gi = gw = gb = None
        if ctx.needs_input_grad[0]:
            gi = grad_output @ weight
        if ctx.needs_input_grad[1]:
            gw = grad_output.t() @ input
        if ctx.has_bias and ctx.needs_input_grad[2]:
            gb = grad_output.sum(0)
        return gi, gw, gb


class ScaleWithNonTensor(Function):
    @staticmethod
    def forward(ctx, x, factor, name):
        ctx.factor = factor
        ctx.name = name
        return x * factor

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.factor, None, None


class AddInplace(Function):
    @staticmethod
    def forward(ctx, x, y):
        x.add_(y)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class TwoOutputs(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(x)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        (x,) = ctx.saved_tensors
        grad = torch.zeros_like(x)
        if g1 is not None:
            grad = grad + 2 * g1
        if g2 is not None:
            grad = grad + 3 * g2
        return grad


x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
y = Exp.apply(x)
y.sum().backward()
print(y.grad_fn.__class__.__name__, x.grad.round(decimals=4))
print(gradcheck(Exp.apply, (x,)), gradgradcheck(Exp.apply, (x,)))

v, i = SortWithIndices.apply(x)
print(v, i, v.requires_grad, i.requires_grad)
(v * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
print(x.grad)
x.grad = None

c = Clamp01.apply(torch.tensor([-0.5, 0.3, 1.5], requires_grad=True))
c.sum().backward()
print(c)
cx = torch.tensor([0.2, 0.9], requires_grad=True)
gx, = torch.autograd.grad(Clamp01.apply(cx).pow(2).sum(), cx, create_graph=True)
try:
    gx.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)

inp = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=torch.float64, requires_grad=True)
w = torch.tensor([[0.1, 0.2], [0.3, -0.4]], dtype=torch.float64, requires_grad=True)
b = torch.tensor([0.5, -0.5], dtype=torch.float64, requires_grad=True)
out = LinearFn.apply(inp, w, b)
print(out)
out.pow(2).sum().backward()
print(inp.grad, w.grad, b.grad, sep="\n")
print(gradcheck(LinearFn.apply, (inp, w, b)), gradcheck(LinearFn.apply, (inp, w)))
w2 = w.detach()
out = LinearFn.apply(inp, w2)
print(out.requires_grad, out.grad_fn.__class__.__name__)

s = ScaleWithNonTensor.apply(x, 3.0, "triple")
s.backward(torch.ones(3, dtype=torch.float64))
print(s, x.grad)
x.grad = None

a = torch.tensor([1.0, 2.0], requires_grad=True)
a2 = a.clone()
r = AddInplace.apply(a2, torch.tensor([10.0, 20.0]))
print(r is a2, r, a2._version)
r.sum().backward()
print(a.grad)

t = torch.tensor([1.0, 2.0], requires_grad=True)
o1, o2 = TwoOutputs.apply(t)
o1.sum().backward()
print(t.grad)
t.grad = None
o1, o2 = TwoOutputs.apply(t)
(o1.sum() + o2.sum()).backward()
print(t.grad)


# a Function used inside an nn.Module and vmapped by torch.func is out of scope; a Module is not
class MyLinear(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.tensor([[1.0, -1.0], [0.5, 2.0]]))
        self.bias = torch.nn.Parameter(torch.tensor([0.1, 0.2]))

    def forward(self, x):
        return LinearFn.apply(x, self.weight, self.bias)


m = MyLinear()
loss = m(torch.tensor([[1.0, 2.0]])).relu().sum()
loss.backward()
print(loss.item(), m.weight.grad, m.bias.grad)
print(isinstance(Exp(), Function) if False else hasattr(Exp, "apply"), Exp.apply.__name__ if hasattr(Exp.apply, "__name__") else "apply")
