# torch.no_grad as a decorator, in-place ops on views and clone semantics, version-aware autograd.
import torch


@torch.no_grad()
def evaluate(w, x):
    return (x @ w).sum()


@torch.no_grad
def bare_decorator(w):
    return w * 2


@torch.enable_grad()
def forced(w):
    return w * 3


w = torch.ones(3, requires_grad=True)
x = torch.arange(6.0).view(2, 3)
r = evaluate(w, x)
print(r, r.requires_grad, bare_decorator(w).requires_grad)
with torch.no_grad():
    f = forced(w)
print(f.requires_grad, f.grad_fn)
base = torch.arange(12.0).view(3, 4)
row = base[1]
row.mul_(10)
print(base)
col = base[:, 2]
col += 100
print(base, col.is_contiguous(), col.stride())
copy = base.clone()
copy[0, 0] = -1
print(base[0, 0], copy[0, 0])
d = base.diagonal()
d.zero_()
print(base)
t = base.t()
t[0, 1] = 7
print(base[1, 0], t.data_ptr() == base.data_ptr())
flat = base.view(-1)
flat[::5] = 1
print(base)
n = base.narrow(1, 1, 2)
n.fill_(0.5)
print(base, n.shape)
a = torch.zeros(2, 3)
b = a.reshape(3, 2)
b[0, 0] = 9
print(a, b.data_ptr() == a.data_ptr())
c = a.t().reshape(6)
c[0] = -9
print(a[0, 0])
e = a.contiguous()
print(e is a, a.t().contiguous().is_contiguous())
u = a.unsqueeze(0)
u[0, 1, 1] = 5
print(a)
s = torch.arange(5.0)
s[1:4] = torch.tensor([10.0, 20.0, 30.0])
s[s > 15] = 0
print(s)
s.clamp_(max=8).sqrt_()
print(s)
leaf = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = leaf * 2
z = y[1:]
z.mul_(3)
y.sum().backward()
print(leaf.grad, y.grad_fn.name(), z.grad_fn.name())
try:
    leaf.add_(1)
except RuntimeError as err:
    print("RuntimeError:", err)
with torch.no_grad():
    leaf.add_(1)
print(leaf, leaf.is_leaf)
v = torch.tensor([1.0, 2.0], requires_grad=True)
out = v.exp()
out.add_(1)
try:
    out.sum().backward()
    print("ok", v.grad)
except RuntimeError as err:
    print("error:", str(err)[:60])
detached = v.detach()
detached[0] = 10
print(v)
