# no_grad / inference_mode / enable_grad / set_grad_enabled / detach patterns and the errors
# in-place changes to saved tensors cause.
import torch
import torch.nn as nn

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
    with torch.enable_grad():
        z = w * 3
print(y.requires_grad, z.requires_grad, y.grad_fn, z.grad_fn.name())
with torch.inference_mode():
    inf = w * 2
print(inf.requires_grad, torch.is_inference_mode_enabled())
with torch.inference_mode(mode=False):
    print(torch.is_inference_mode_enabled(), (w * 2).requires_grad)
torch.set_grad_enabled(False)
print(torch.is_grad_enabled(), (w * 2).requires_grad)
torch.set_grad_enabled(True)
with torch.set_grad_enabled(False):
    print((w + 1).requires_grad)
print(torch.is_grad_enabled())


@torch.no_grad()
def evaluate(x):
    return (x * w).sum()


@torch.inference_mode()
def predict(x):
    return x @ w


print(evaluate(torch.ones(3)).requires_grad, predict(torch.ones(3)).requires_grad)
d = w.detach()
d[0] = 100.0
print(w, d.requires_grad, w.data_ptr() == d.data_ptr())
w.data[0] = 1.0
print(w)
c = w.clone()
print(c.requires_grad, c.grad_fn.name(), c.is_leaf, w.is_leaf)
dc = w.detach().clone().requires_grad_(True)
print(dc.is_leaf, dc.requires_grad)

# in-place on a tensor needed for backward
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.sigmoid()
b.mul_(2)
try:
    b.sum().backward()
except RuntimeError as e:
    print(str(e).split('.')[0])
a2 = torch.tensor([1.0, 2.0], requires_grad=True)
e2 = a2.exp()
e2.add_(1)
try:
    e2.sum().backward()
except RuntimeError as e:
    print(str(e).split('.')[0])
a3 = torch.tensor([1.0, 2.0], requires_grad=True)
s3 = a3 * 1
s3 += 1
s3.sum().backward()
print(a3.grad, s3.grad_fn.name())
try:
    a3.mul_(2)
except RuntimeError as e:
    print(e)
with torch.no_grad():
    a3.mul_(2)
print(a3)
x = torch.ones(2, 2, requires_grad=True)
v = x[0]
try:
    v.zero_()
    print(v.grad_fn)
except RuntimeError as e:
    print(e)
y = x * 1
y[0, 0] = 5.0
print(y.grad_fn.name())
y.sum().backward()
print(x.grad)
# requires_grad_ and freezing, detach_ and retain_grad
lin = nn.Linear(2, 2)
lin.weight.requires_grad_(False)
out = lin(torch.ones(1, 2)).sum()
out.backward()
print(lin.weight.grad, lin.bias.grad)
h = torch.tensor([1.0, 2.0], requires_grad=True) * 3
h.retain_grad()
(h ** 2).sum().backward()
print(h.grad, h.is_leaf, h.retains_grad)
g = torch.tensor([1.0], requires_grad=True) * 2
g.detach_()
print(g.requires_grad, g.grad_fn, g.is_leaf)
try:
    torch.tensor([1.0], requires_grad=True).numpy()
except RuntimeError as e:
    print(e)
print(torch.tensor([1.0], requires_grad=True).detach().numpy())
