import warnings
import torch
import torch.autograd.forward_ad as fwAD

torch.manual_seed(0)

# ---- forward-mode AD: directional derivatives
primal = torch.randn(4)
tangent = torch.randn(4)


def fn(x, y):
    return x ** 2 + torch.sin(y) * x


with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    print(fwAD.unpack_dual(dual_input).tangent is tangent)
    plain = torch.randn(4)
    dual_output = fn(dual_input, plain)
    jvp = fwAD.unpack_dual(dual_output).tangent
    print(jvp.round(decimals=4))
    p, t = fwAD.unpack_dual(dual_output)
    print(p.round(decimals=4))
    print(fwAD.unpack_dual(plain).tangent)
print(fwAD.unpack_dual(dual_output).tangent)

# Jacobian columns with forward AD and a module
model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2))
x = torch.randn(3)
cols = []
with fwAD.dual_level():
    for i in range(3):
        e = torch.zeros(3)
        e[i] = 1.0
        out = model(fwAD.make_dual(x, e))
        cols.append(fwAD.unpack_dual(out).tangent)
J = torch.stack(cols, dim=1)
print(J.round(decimals=4))
Jr = torch.autograd.functional.jacobian(model, x)
print(torch.allclose(J, Jr, atol=1e-6))

# ---- tensor hooks
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
b.retain_grad()
h = b.register_hook(lambda g: g * 10)
c = (b ** 2).sum()
c.backward()
print(a.grad, b.grad)
h.remove()

a.grad = None
seen = []
b = a.exp()
b.register_hook(lambda g: seen.append(g.clone()))
b.register_hook(lambda g: g.clamp(max=1.0))
b.retain_grad()
(b * torch.tensor([0.5, 2.0, 3.0])).sum().backward()
print([s for s in seen], b.grad, a.grad.round(decimals=4))

# gradient clipping via hooks on parameters
lin = torch.nn.Linear(4, 1)
for p in lin.parameters():
    p.register_hook(lambda g: g.clamp(-0.1, 0.1))
out = lin(torch.randn(8, 4) * 10).pow(2).mean()
out.backward()
print(lin.weight.grad.round(decimals=4), lin.bias.grad.round(decimals=4))

# post-accumulate-grad hook
w = torch.ones(2, requires_grad=True)
calls = []
w.register_post_accumulate_grad_hook(lambda p: calls.append(p.grad.sum().item()))
(w * 3).sum().backward()
(w * 3).sum().backward()
print(calls, w.grad)

# hook on a leaf modifies the stored gradient
v = torch.ones(3, requires_grad=True)
v.register_hook(lambda g: g * 0.5)
(v * 4).sum().backward()
print(v.grad)
print(v.is_leaf, b.is_leaf, b.requires_grad, b.grad_fn.name())

# ---- anomaly detection
x = torch.tensor([0.0, 1.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = torch.sqrt(x) * 0 + x
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y.sum().backward()
        print("no error", x.grad)
    except RuntimeError as e:
        print("RuntimeError:", str(e).split("\n")[0][:70])
print(torch.is_anomaly_enabled())
with torch.autograd.set_detect_anomaly(True):
    print(torch.is_anomaly_enabled())
print(torch.is_anomaly_enabled())

# NaN in backward caught
z = torch.tensor([-1.0, 4.0], requires_grad=True)
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.autograd.detect_anomaly():
            out = torch.log(z).nan_to_num().sum() + (z * float("nan")).sum() * 0
            out.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e).split(" returned")[0][:60], "returned nan" in str(e))

# ---- graph introspection
x = torch.randn(3, requires_grad=True)
y = (x.exp() * 2).sum()
fn_ = y.grad_fn
names = []
while fn_ is not None:
    names.append(fn_.name())
    nxt = [f for f, _ in fn_.next_functions if f is not None]
    fn_ = nxt[0] if nxt else None
print(names)
print([(f.name() if f is not None else None, i) for f, i in y.grad_fn.next_functions[0][0].next_functions])
