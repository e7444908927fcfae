"""Autograd teaching notebook: walking grad_fn.next_functions, retain_grad, hooks that print
and modify gradients, second derivatives with create_graph, detach vs data vs clone."""
import torch

torch.manual_seed(0)
x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor([1.0, -1.0, 0.5], requires_grad=True)
b = torch.tensor(0.25, requires_grad=True)
z = w * x + b
a = torch.tanh(z)
loss = (a ** 2).sum()
print(z.is_leaf, x.is_leaf, a.requires_grad, loss.grad_fn.name(), type(loss.grad_fn).__name__)


def walk(fn, depth=0, seen=None):
    seen = set() if seen is None else seen
    if fn is None:
        print("  " * depth + "None")
        return
    label = type(fn).__name__
    if hasattr(fn, "variable"):
        label += f" -> leaf shape={tuple(fn.variable.shape)}"
    print("  " * depth + label)
    if fn in seen:
        return
    seen.add(fn)
    for child, idx in fn.next_functions:
        walk(child, depth + 1, seen)


walk(loss.grad_fn)
print([(type(f).__name__, i) for f, i in z.grad_fn.next_functions])
print(len(loss.grad_fn.next_functions), a.grad_fn.next_functions[0][0] is z.grad_fn)

# retain_grad on intermediates
z.retain_grad()
a.retain_grad()
loss.backward(retain_graph=True)
print(x.grad, w.grad, b.grad)
print(z.grad, a.grad, z.retains_grad, loss.retains_grad)
x.grad = None
w.grad.zero_()
b.grad = None

# hooks that print and modify gradients
log = []


def show(name):
    def hook(g):
        log.append(name)
        print(f"hook {name}: {g}")
    return hook


h1 = z.register_hook(show("z"))
h2 = a.register_hook(lambda g: g * 0.0 + 1.0)  # replace dL/da by ones
h3 = w.register_hook(lambda g: g.clamp(min=-0.1, max=0.1))
loss.backward()
print(w.grad, x.grad, log)
for h in (h1, h2, h3):
    h.remove()
print(type(h1).__name__)

# second derivative with create_graph
t = torch.tensor(1.5, requires_grad=True)
f = t ** 3 - 2 * t ** 2 + torch.sin(t)
(df,) = torch.autograd.grad(f, t, create_graph=True)
(d2f,) = torch.autograd.grad(df, t)
print(df, d2f, df.requires_grad, df.grad_fn is not None)
print(round(df.item(), 5), round(3 * 1.5 ** 2 - 4 * 1.5 + torch.cos(t).item(), 5))
u = torch.linspace(-1, 1, 5, requires_grad=True)
y = (u ** 4).sum()
g = torch.autograd.grad(y, u, create_graph=True)[0]
h = torch.autograd.grad(g.sum(), u)[0]
print(g, h)
try:
    torch.autograd.grad(f, t)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:80])

# detach vs data vs clone
p = torch.ones(3, requires_grad=True)
q = p * 2
d = q.detach()
dd = q.data
c = q.clone()
print(d.requires_grad, dd.requires_grad, c.requires_grad, c.grad_fn.name(), d.is_leaf, c.is_leaf)
d[0] = 10.0
print(q)
dd[1] = 20.0
print(q, d)
print(d.data_ptr() == q.data_ptr(), c.data_ptr() == q.data_ptr())
q2 = p * 3
q2d = q2.detach()
r = q2 ** 2
q2d.zero_()
try:
    r.sum().backward()
    print("backward ok", p.grad)
except RuntimeError as e:
    print("RuntimeError:", str(e).split("\n")[0][:120])
print(q2._version, q2d._version)

# leaf / non-leaf checks and the .grad warning case
leaf = torch.randn(2, requires_grad=True)
nonleaf = leaf * 2
print(leaf.is_leaf, nonleaf.is_leaf, torch.zeros(2).is_leaf, nonleaf.detach().is_leaf)
nonleaf.sum().backward()
print(leaf.grad, nonleaf.grad)
with torch.no_grad():
    nz = leaf * 2
print(nz.requires_grad, nz.is_leaf, nz.grad_fn)
leaf.requires_grad_(False)
print(leaf.requires_grad, (leaf * 2).requires_grad)
try:
    nonleaf.requires_grad_(False)
except RuntimeError as e:
    print("RuntimeError:", e)
