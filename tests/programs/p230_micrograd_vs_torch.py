# micrograd's test_engine.py: the same expressions built with torch, checked the way the
# micrograd README and lecture do it (torch.Tensor([..]).double(), requires_grad = True,
# .data.item(), .grad.item()).
import math

import torch

x1 = torch.Tensor([2.0]).double()
x1.requires_grad = True
x2 = torch.Tensor([0.0]).double()
x2.requires_grad = True
w1 = torch.Tensor([-3.0]).double()
w1.requires_grad = True
w2 = torch.Tensor([1.0]).double()
w2.requires_grad = True
b = torch.Tensor([6.8813735870195432]).double()
b.requires_grad = True
n = x1 * w1 + x2 * w2 + b
o = torch.tanh(n)

print(o.data.item())
o.backward()

print("---")
print("x2", x2.grad.item())
print("w2", w2.grad.item())
print("x1", x1.grad.item())
print("w1", w1.grad.item())
print(x1.dtype, x1.grad.dtype, o.grad_fn.name(), x1.is_leaf, n.is_leaf)
print(o)
print(x1.grad)


def test_sanity_check():
    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y
    print("sanity", ypt.data.item(), xpt.grad.item())


def test_more_ops():
    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g
    tol = 1e-6
    print("more ops", gpt.data.item(), apt.grad.item(), bpt.grad.item())
    print(abs(gpt.data.item() - 24.70408163265306) < tol)
    print(abs(apt.grad.item() - 138.83381924198252) < tol)
    print(abs(bpt.grad.item() - 645.5772594752186) < tol)


test_sanity_check()
test_more_ops()


# the lecture's "Value" class next to torch, neuron by neuron
class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()

        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)
        build(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()


torch.manual_seed(1337)
W = torch.randn(3, 4).double()
xs = torch.randn(4).double()
vw = [[Value(W[i, j].item()) for j in range(4)] for i in range(3)]
vx = [Value(v) for v in xs.tolist()]
outs = []
for i in range(3):
    act = Value(0.0)
    for j in range(4):
        act = act + vw[i][j] * vx[j]
    outs.append(act.tanh())
total = outs[0] + outs[1] + outs[2]
total.backward()

Wt = W.clone().requires_grad_(True)
tt = torch.tanh(Wt @ xs).sum()
tt.backward()
print(round(total.data, 10), round(tt.item(), 10))
for i in range(3):
    print([round(vw[i][j].grad, 8) for j in range(4)])
    print([round(g, 8) for g in Wt.grad[i].tolist()])
print(max(abs(vw[i][j].grad - Wt.grad[i, j].item()) for i in range(3) for j in range(4)) < 1e-12)
