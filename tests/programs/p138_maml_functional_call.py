# MAML on sine-wave regression: inner-loop adaptation with torch.func.functional_call on a
# dict of "fast weights", second-order meta-gradients through autograd.grad(create_graph=True).
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad

torch.manual_seed(0)
model = nn.Sequential(OrderedDict([
    ("l1", nn.Linear(1, 20)), ("act1", nn.ReLU()),
    ("l2", nn.Linear(20, 20)), ("act2", nn.ReLU()),
    ("out", nn.Linear(20, 1)),
]))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.73 + i).view(p.shape) * 0.4)
print([n for n, _ in model.named_parameters()])

# tasks: sine waves with fixed amplitudes and phases
tasks = [(1.0, 0.0), (2.0, 0.5), (0.5, 1.0), (1.5, 2.0)]
xs = torch.linspace(-5, 5, 10).unsqueeze(1)
xq = torch.linspace(-4.5, 4.5, 10).unsqueeze(1)


def task_data(amp, phase):
    return xs, amp * torch.sin(xs + phase), xq, amp * torch.sin(xq + phase)


def adapt(params, x, y, inner_lr=0.01, steps=1, create_graph=True):
    for _ in range(steps):
        loss = F.mse_loss(functional_call(model, params, (x,)), y)
        grads = torch.autograd.grad(loss, list(params.values()), create_graph=create_graph)
        params = OrderedDict((n, p - inner_lr * g) for (n, p), g in zip(params.items(), grads))
    return params


params = OrderedDict(model.named_parameters())
out_direct = model(xs)
out_func = functional_call(model, params, (xs,))
print(torch.equal(out_direct, out_func))

meta_opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for it in range(20):
    meta_opt.zero_grad()
    meta_loss = 0.0
    for amp, phase in tasks:
        x_s, y_s, x_q, y_q = task_data(amp, phase)
        fast = adapt(OrderedDict(model.named_parameters()), x_s, y_s)
        meta_loss = meta_loss + F.mse_loss(functional_call(model, fast, (x_q,)), y_q)
    meta_loss = meta_loss / len(tasks)
    meta_loss.backward()
    meta_opt.step()
    if it % 5 == 0:
        print(f"meta iter {it:2d} loss {meta_loss.item():.4f}")

# first-order MAML drops the second-order term: its meta-gradient differs
x_s, y_s, x_q, y_q = task_data(*tasks[1])
g_second = torch.autograd.grad(
    F.mse_loss(functional_call(model, adapt(OrderedDict(model.named_parameters()), x_s, y_s),
                               (x_q,)), y_q), list(model.parameters()))
fast_fo = adapt(OrderedDict(model.named_parameters()), x_s, y_s, create_graph=False)
g_first = torch.autograd.grad(
    F.mse_loss(functional_call(model, fast_fo, (x_q,)), y_q), list(model.parameters()))
print([g.shape for g in g_second][:2])
print("second-order differs:", not all(torch.allclose(a, b) for a, b in zip(g_second, g_first)))

# torch.func.grad over a functional loss gives the same inner gradient
def loss_fn(p, x, y):
    return F.mse_loss(functional_call(model, p, (x,)), y)


detached = {n: p.detach() for n, p in model.named_parameters()}
g_func = grad(loss_fn)(detached, x_s, y_s)
g_auto = torch.autograd.grad(loss_fn(dict(model.named_parameters()), x_s, y_s),
                             list(model.parameters()))
print(sorted(g_func.keys()))
print(all(torch.allclose(g_func[n], g, atol=1e-6) for n, g in zip(g_func, g_auto)))

# adaptation on a new task lowers its loss
x_s, y_s, x_q, y_q = task_data(1.2, 0.3)
before = F.mse_loss(model(x_q), y_q).item()
fast = adapt(OrderedDict(model.named_parameters()), x_s, y_s, inner_lr=0.01, steps=5,
             create_graph=False)
after = F.mse_loss(functional_call(model, fast, (x_q,)), y_q).item()
print("adaptation helps:", after < before)
