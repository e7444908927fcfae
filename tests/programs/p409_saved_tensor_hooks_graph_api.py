import torch
from torch.autograd.graph import saved_tensors_hooks, save_on_cpu, register_multi_grad_hook

torch.manual_seed(0)

# saved tensors hooks: count and compress what autograd keeps
packed = []


def pack(t):
    packed.append(tuple(t.shape))
    return t.to(torch.float16)


def unpack(t):
    return t.to(torch.float32)


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t * t

    @staticmethod
    def backward(ctx, g):
        (t,) = ctx.saved_tensors
        return 2 * t * g


x = torch.randn(4, 3, requires_grad=True)
w = torch.randn(3, 2, requires_grad=True)
with saved_tensors_hooks(pack, unpack):
    y = Square.apply(x + 0.001)
    loss = y.sum()
print(sorted(packed))
loss.backward()
print(x.grad.round(decimals=2))
x.grad = None

with save_on_cpu(pin_memory=False):
    z = (x * w.sum()).exp().sum()
z.backward()
print(round(z.item(), 2), w.grad.round(decimals=2))

# grad_fn hooks
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 3
log = []
b.grad_fn.register_hook(lambda grad_inputs, grad_outputs: log.append(("post", grad_inputs[0].tolist(), grad_outputs[0].tolist())))
b.grad_fn.register_prehook(lambda grad_outputs: log.append(("pre", grad_outputs[0].tolist())))
(b * torch.tensor([1.0, 10.0])).sum().backward()
print(log)
print(a.grad)

# prehook replacing the incoming gradient
a.grad = None
c = a.exp()
c.grad_fn.register_prehook(lambda go: (go[0] * 0 + 1,))
(c * 100).sum().backward()
print(a.grad.round(decimals=4))

# multi grad hook fires once all gradients are ready
p = torch.randn(2, requires_grad=True)
q = torch.randn(2, requires_grad=True)
fired = []
h = register_multi_grad_hook((p, q), lambda grads: fired.append([g is not None for g in grads]))
(p * q).sum().backward()
print(fired)
h.remove()
(p * 2).sum().backward()
print(fired)
fired_any = []
h2 = register_multi_grad_hook((p, q), lambda g: fired_any.append(tuple(g.shape)), mode="any")
(q * 5).sum().backward()
print(fired_any)
h2.remove()

# graph node metadata and names
x = torch.randn(3, requires_grad=True)
y = torch.nn.functional.softplus(x).mean()
print(y.grad_fn.name(), [n[0].name() for n in y.grad_fn.next_functions])
print(isinstance(y.grad_fn, torch.autograd.graph.Node))
acc = y.grad_fn.next_functions[0][0].next_functions[0][0]
print(acc.name(), acc.variable is x)

# increment_version / version counters
v = torch.zeros(3)
print(v._version)
v.add_(1)
v[0] = 5
print(v._version)

# retain_grad on a non-leaf view and a hook chain that records and rescales
base = torch.ones(2, 3, requires_grad=True)
mid = base * 2
row = mid[0]
row.retain_grad()
mid.retain_grad()
row.register_hook(lambda g: g * 3)
(row.sum() + mid.sum()).backward()
print(row.grad, mid.grad)
print(base.grad)

# backward with inputs= only accumulates into the listed leaves
u = torch.randn(2, requires_grad=True)
k = torch.randn(2, requires_grad=True)
(u * k).sum().backward(inputs=[u])
print(u.grad is not None, k.grad)

# create_graph backward accumulates a differentiable .grad
s = torch.tensor(3.0, requires_grad=True)
(s ** 3).backward(create_graph=True)
print(s.grad, s.grad.requires_grad)
g = s.grad
s.grad = None
g.backward()
print(s.grad)
