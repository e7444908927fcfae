"""Autograd notebook, part 2: grad_outputs, allow_unused, backward twice, accumulation,
module backward hooks, post-accumulate hooks, jacobian/hessian, non-differentiable ops."""
import torch
import torch.nn as nn
from torch.autograd.functional import jacobian, hessian

torch.manual_seed(0)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
y.backward(torch.tensor([1.0, 0.1, 0.01]), retain_graph=True)
print(x.grad)
(g,) = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y), retain_graph=True)
print(g, x.grad)
z = torch.tensor(5.0, requires_grad=True)
gx, gz = torch.autograd.grad(y.sum(), [x, z], allow_unused=True, retain_graph=True)
print(gx, gz)
gx, gz = torch.autograd.grad(y.sum(), [x, z], allow_unused=True, materialize_grads=True, retain_graph=True)
print(gz)
try:
    torch.autograd.grad(y.sum(), [x, z])
except RuntimeError as e:
    print("RuntimeError:", str(e)[:140])

# backward twice, gradient accumulation
w = torch.tensor(3.0, requires_grad=True)
out = w * w
out.backward(retain_graph=True)
out.backward()
print(w.grad)
out2 = w.exp()
out2.backward()
try:
    out2.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e).split(".")[0])
print(round(w.grad.item(), 4))
w.grad.zero_()
for k in range(3):
    (w * k).backward()
print(w.grad)

# non-differentiable and integer tensors
try:
    torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as e:
    print("RuntimeError:", e)
v = torch.randn(4, requires_grad=True)
idx = v.argmax()
print(idx.requires_grad, idx.grad_fn, v.round().requires_grad, (v > 0).requires_grad)
v.round().sum().backward()
print(v.grad)
v.grad = None
v.sign().sum().backward()
print(v.grad)
v.grad = None
(v.max() + v.min()).backward()
print(v.grad)
v.grad = None
torch.relu(torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)).sum().backward()
a = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
for fn in (torch.relu, torch.abs, lambda t: t.clamp(0, 1), torch.sqrt):
    a.grad = None
    fn(a).sum().backward()
    print(a.grad)

# module backward hooks
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
seen = []


def bhook(module, grad_input, grad_output):
    seen.append((type(module).__name__, [None if g is None else tuple(g.shape) for g in grad_input],
                 [tuple(g.shape) for g in grad_output]))


hs = [m.register_full_backward_hook(bhook) for m in net]
net(torch.randn(2, 3)).sum().backward()
for s in seen:
    print(s)
for h in hs:
    h.remove()
acc = []
for p in net.parameters():
    p.register_post_accumulate_grad_hook(lambda p: acc.append(tuple(p.grad.shape)))
net.zero_grad()
print(net[0].weight.grad)
net(torch.randn(2, 3)).mean().backward()
print(sorted(acc))

# jacobian and hessian
def f(t):
    return torch.stack([t[0] * t[1], t[0] ** 2 + torch.sin(t[1])])


pt = torch.tensor([1.0, 2.0])
print(jacobian(f, pt).round(decimals=4))
print(hessian(lambda t: (t ** 3).sum() + t[0] * t[1], pt))
J = jacobian(lambda a, b: a * b, (torch.ones(2), torch.arange(2.0)))
print(type(J).__name__, [j.shape for j in J], J[1])
s = torch.tensor(0.5, requires_grad=True)
f1 = torch.autograd.grad(torch.sigmoid(s), s, create_graph=True)[0]
f2 = torch.autograd.grad(f1, s, create_graph=True)[0]
f3 = torch.autograd.grad(f2, s)[0]
print(round(f1.item(), 5), round(f2.item(), 5), round(f3.item(), 5))
print(f1.grad_fn is not None, f2.requires_grad, f3.requires_grad)
with torch.enable_grad():
    q = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        r = q * 2
        with torch.enable_grad():
            r2 = q * 2
print(r.requires_grad, r2.requires_grad, torch.is_grad_enabled())
with torch.inference_mode():
    inf = torch.ones(2) * 2
print(inf.is_inference(), inf.requires_grad)
try:
    inf.requires_grad_(True)
    (inf * q).sum().backward()
    print("ok", q.grad)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:100])
