# Grad-mode helpers, detach patterns, torch.no_grad nesting and functional utilities.
import torch
import torch.nn as nn

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
    with torch.enable_grad():
        z = x * 3
print(y.requires_grad, z.requires_grad, torch.is_grad_enabled())


@torch.no_grad()
def f(t):
    return t * 2, torch.is_grad_enabled()


print(f(x)[0].requires_grad, f(x)[1])


@torch.inference_mode()
def g(t):
    return t + 1


print(g(x).requires_grad)
with torch.set_grad_enabled(False):
    print((x * 2).requires_grad)
print((x * 2).requires_grad)
target_net = nn.Linear(2, 2)
online = nn.Linear(2, 2)
target_net.load_state_dict(online.state_dict())
tau = 0.5
with torch.no_grad():
    for tp, op in zip(target_net.parameters(), online.parameters()):
        tp.copy_(tau * op + (1 - tau) * tp)
print(all(torch.allclose(a, b) for a, b in zip(target_net.parameters(), online.parameters())))
for p in target_net.parameters():
    p.requires_grad_(False)
print([p.requires_grad for p in target_net.parameters()])
a = torch.tensor([3.0], requires_grad=True)
b = a.detach()
b += 1
print(a)
c = a.detach().clone()
c += 1
print(a, c)
print(torch.autograd.grad((a ** 2).sum(), a, retain_graph=False)[0])
xs = [torch.tensor(float(i), requires_grad=True) for i in range(3)]
total = sum(v ** 2 for v in xs)
grads = torch.autograd.grad(total, xs)
print(grads)
u = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([3.0, 4.0], requires_grad=True)
out = (u * w).sum()
gu, gw = torch.autograd.grad(out, [u, w])
print(gu, gw)
k = torch.tensor(2.0, requires_grad=True)
unused = torch.tensor(1.0, requires_grad=True)
print(torch.autograd.grad(k * 3, [k, unused], allow_unused=True))
l = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = l * 2
out.backward(torch.tensor([1.0, 0.1, 0.01]))
print(l.grad)
m = nn.Linear(3, 1)
print(m.weight.requires_grad, m.weight.grad)
with torch.no_grad():
    pred = m(torch.ones(1, 3))
print(pred.requires_grad, pred.grad_fn)
