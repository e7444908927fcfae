# torch.autograd.functional (jacobian/hessian/vjp/jvp/hvp/vhp), grad with grad_outputs and
# create_graph, retain_grad, and hooks that change gradients.
import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp


def f(x):
    return torch.stack([x[0] ** 2 * x[1], torch.sin(x[1]) + x[2].exp(), x.prod()])


def energy(x):
    return (x ** 3).sum() + x[0] * x[1] * x[2]


x = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
J = jacobian(f, x)
print(J.round(decimals=5))
print(torch.allclose(jacobian(f, x, vectorize=True), J), jacobian(f, x, strategy="forward-mode", vectorize=True).shape)
H = hessian(energy, x)
print(H)
v = torch.tensor([1.0, 0.0, -1.0], dtype=torch.float64)
out, vjp_res = vjp(f, x, v)
print(out.round(decimals=5), vjp_res.round(decimals=5))
out, jvp_res = jvp(f, x, v)
print(jvp_res.round(decimals=5), torch.allclose(jvp_res, J @ v))
val, hv = hvp(energy, x, v)
print(val.item(), hv, torch.allclose(hv, H @ v))
val, vh = vhp(energy, x, v)
print(vh)


# several inputs and outputs
def g(a, b):
    return a @ b, (a * a).sum(dim=1)


a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
b = torch.tensor([[0.5], [-1.0]])
Ja = jacobian(g, (a, b))
print(len(Ja), len(Ja[0]), [tuple(t.shape) for row in Ja for t in row])
print(Ja[1][0])
Hab = hessian(lambda a, b: (a @ b).pow(2).sum(), (a, b))
print([[tuple(t.shape) for t in row] for row in Hab])
print(Hab[0][1].squeeze(-1))
Jc = jacobian(lambda t: t.cumsum(0), torch.arange(3.0), create_graph=True)
print(Jc, Jc.requires_grad)

# grad with grad_outputs, create_graph and allow_unused
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 3
(gx,) = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1.0, 0.5, 0.0]), create_graph=True)
print(gx, gx.grad_fn is not None)
(g2,) = torch.autograd.grad(gx.sum(), x)
print(g2)
z = torch.tensor(1.0, requires_grad=True)
gs = torch.autograd.grad((x * 2).sum(), [x, z], allow_unused=True)
print(gs)
gs = torch.autograd.grad((x * 2).sum(), [x, z], allow_unused=True, materialize_grads=True)
print(gs)
y1, y2 = x.sum(), (x ** 2).sum()
print(torch.autograd.grad([y1, y2], x, grad_outputs=[torch.tensor(1.0), torch.tensor(2.0)]))
w = x * 2
w.backward(torch.ones(3), inputs=[x])
print(x.grad)
x.grad = None

# retain_grad and hooks
a = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
h = a * 2
h.retain_grad()
seen = []
handle = h.register_hook(lambda g: seen.append(g.clone()) or g * 10)
a.register_hook(lambda g: g.clamp(max=25))
out = (h ** 2).sum()
out.backward()
print(h.grad, a.grad, seen)
print(h.is_leaf, h.retains_grad, a.retains_grad, out.grad_fn.name())
handle.remove()
a.grad.zero_()
(a * 2).pow(2).sum().backward()
print(a.grad)

# hooks on a module's parameters: gradient clipping by hook
lin = torch.nn.Linear(3, 1)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1.0, -1.0, 2.0]]))
    lin.bias.fill_(0.5)
for p in lin.parameters():
    p.register_hook(lambda g: torch.clamp(g, -1.0, 1.0))
lin(torch.tensor([[3.0, -4.0, 5.0]])).sum().backward()
print(lin.weight.grad, lin.bias.grad)
lin(torch.tensor([[1.0, 1.0, 1.0]])).sum().backward()
print(lin.weight.grad)

# tensor.backward twice with retain_graph and grad accumulation; detect_anomaly-free checks
q = torch.tensor([2.0], requires_grad=True)
r = q.exp()
r.backward(retain_graph=True)
r.backward()
print(q.grad.round(decimals=4))
try:
    r.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e).split(".")[0])
