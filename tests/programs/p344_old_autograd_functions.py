# Custom autograd Functions across the API change: the pre-0.4 instance-method style now
# raises RuntimeError, the static-method MyReLU from the 0.4 tutorial, ctx.saved_tensors,
# ctx.needs_input_grad, mark_non_differentiable, once_differentiable, gradcheck in double
# precision with Variables, and a straight-through estimator as old binarized nets wrote it.
import torch
from torch.autograd import Function, Variable, gradcheck
from torch.autograd.function import once_differentiable


class OldStyle(Function):
    def forward(self, input):
        self.save_for_backward(input)
        return input.clamp(min=0)

    def backward(self, grad_output):
        input, = self.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


try:
    OldStyle()(Variable(torch.randn(3), requires_grad=True))
except RuntimeError as e:
    print('RuntimeError:', e)


class MyReLU(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


torch.manual_seed(0)
dtype = torch.FloatTensor
N, D_in, H, D_out = 16, 10, 20, 3
x = Variable(torch.randn(N, D_in).type(dtype), requires_grad=False)
y = Variable(torch.randn(N, D_out).type(dtype), requires_grad=False)
w1 = Variable(torch.randn(D_in, H).type(dtype), requires_grad=True)
w2 = Variable(torch.randn(H, D_out).type(dtype), requires_grad=True)
learning_rate = 1e-4
for t in range(60):
    relu = MyReLU.apply
    y_pred = relu(x.mm(w1)).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 20 == 0:
        print(t, round(loss.item(), 3))
    loss.backward()
    w1.data -= learning_rate * w1.grad.data
    w2.data -= learning_rate * w2.grad.data
    w1.grad.data.zero_()
    w2.grad.data.zero_()
print(y_pred.grad_fn.__class__.__name__, relu(x.mm(w1)).grad_fn.__class__.__name__)


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
            grad_bias = grad_output.sum(0).squeeze(0)
        return grad_input, grad_weight, grad_bias


input = (Variable(torch.randn(5, 4).double(), requires_grad=True),
         Variable(torch.randn(3, 4).double(), requires_grad=True),
         Variable(torch.randn(3).double(), requires_grad=True))
print('gradcheck', gradcheck(LinearFunction.apply, input, eps=1e-6, atol=1e-4))
out = LinearFunction.apply(input[0].detach(), input[1])
out.sum().backward()
print(input[0].grad, input[1].grad.sum(0))


class BinarizeSTE(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.sign()

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input.abs() > 1] = 0
        return grad_input


w = Variable(torch.FloatTensor([-2.0, -0.5, 0.3, 1.5]), requires_grad=True)
b = BinarizeSTE.apply(w)
(b * torch.arange(1., 5.)).sum().backward()
print(b, w.grad, b.grad_fn.__class__.__name__)


class ArgsortNoGrad(Function):
    @staticmethod
    def forward(ctx, x):
        values, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    def backward(ctx, grad_values, grad_idx):
        idx, = ctx.saved_tensors
        grad = torch.zeros_like(grad_values)
        grad.scatter_(0, idx, grad_values)
        return grad


v = Variable(torch.FloatTensor([3.0, 1.0, 2.0]), requires_grad=True)
values, idx = ArgsortNoGrad.apply(v)
(values * torch.FloatTensor([1, 10, 100])).sum().backward()
print(values, idx, idx.requires_grad, v.grad)
