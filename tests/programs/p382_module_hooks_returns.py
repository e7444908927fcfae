# Forward/backward hooks and their return values in training code.
import torch
import torch.nn as nn

torch.manual_seed(0)

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
log = []


def pre_hook(mod, args):
    log.append(("pre", type(mod).__name__, len(args)))
    return (args[0] * 2,)


def pre_hook_single(mod, args):
    # returning a bare tensor is wrapped into a tuple
    return args[0] + 1


def fwd_hook(mod, args, out):
    log.append(("fwd", type(mod).__name__, tuple(out.shape)))
    return out * 0.5


def fwd_hook_none(mod, args, out):
    log.append(("fwd_none", round(out.sum().item(), 4)))


def kw_pre(mod, args, kwargs):
    log.append(("kwpre", sorted(kwargs)))
    return args, kwargs


x = torch.randn(2, 4)
base = model(x).detach()
h1 = model[0].register_forward_pre_hook(pre_hook)
h2 = model[2].register_forward_hook(fwd_hook)
h3 = model[2].register_forward_hook(fwd_hook_none, prepend=True)
out = model(x)
print(log)
print(round((out - base).abs().sum().item(), 4))
h1.remove(); h2.remove(); h3.remove()
h4 = model[0].register_forward_pre_hook(pre_hook_single)
print(round(model(x).sum().item(), 4))
h4.remove()
print(torch.allclose(model(x), base))

# with_kwargs hooks
class Scaler(nn.Module):
    def forward(self, x, scale=1.0):
        return x * scale

s = Scaler()
hh = s.register_forward_pre_hook(kw_pre, with_kwargs=True)
def fwd_kw(mod, args, kwargs, out):
    log.append(("fwdkw", kwargs.get("scale")))
    return out + 1
hk = s.register_forward_hook(fwd_kw, with_kwargs=True)
print(s(torch.ones(2), scale=3.0))
print(log[-2:])
hh.remove(); hk.remove()

# always_call hook even when forward raises
class Boom(nn.Module):
    def forward(self, x):
        raise ValueError("boom")

b = Boom()
b.register_forward_hook(lambda m, a, o: log.append(("always", o)), always_call=True)
try:
    b(torch.ones(1))
except ValueError as e:
    print("ValueError", e)
print(log[-1])

# full backward hooks modifying grad_input
grads = []
def bw_hook(mod, grad_input, grad_output):
    grads.append((type(mod).__name__, [None if g is None else tuple(g.shape) for g in grad_input],
                  [tuple(g.shape) for g in grad_output]))
    return tuple(None if g is None else g * 0 for g in grad_input)

def bw_pre(mod, grad_output):
    grads.append(("pre", round(grad_output[0].abs().sum().item(), 4)))
    return (grad_output[0] * 10,)

model.zero_grad()
hb = model[2].register_full_backward_hook(bw_hook)
hp = model[2].register_full_backward_pre_hook(bw_pre)
inp = torch.randn(2, 4, requires_grad=True)
model(inp).sum().backward()
print(grads)
print(round(model[2].weight.grad.abs().sum().item(), 4))
print(model[0].weight.grad.abs().sum().item())
print(inp.grad.abs().sum().item())
hb.remove(); hp.remove()

# global module hooks
from torch.nn.modules.module import register_module_forward_hook
calls = []
g = register_module_forward_hook(lambda m, i, o: calls.append(type(m).__name__))
model(x)
g.remove()
model(x)
print(calls)

# tensor hook on parameter: gradient clipping per parameter
model.zero_grad()
hooks = [p.register_hook(lambda g: g.clamp(-0.01, 0.01)) for p in model.parameters()]
model(x).pow(2).sum().backward()
print([round(p.grad.abs().max().item(), 4) for p in model.parameters()])
for hk in hooks:
    hk.remove()

# post-accumulate-grad hooks for optimizer-in-backward
opt_map = {p: torch.optim.SGD([p], lr=0.1) for p in model.parameters()}
def step_hook(p):
    opt_map[p].step()
    opt_map[p].zero_grad()
for p in model.parameters():
    p.register_post_accumulate_grad_hook(step_hook)
for i in range(3):
    loss = model(x).pow(2).mean()
    loss.backward()
    print(i, round(loss.item(), 4), all(p.grad is None for p in model.parameters()))

# hooks dict introspection
m = nn.Linear(2, 2)
ha = m.register_forward_hook(lambda *a: None)
hb2 = m.register_forward_pre_hook(lambda *a: None)
print(len(m._forward_hooks), len(m._forward_pre_hooks))
with ha, hb2:
    pass
print(len(m._forward_hooks), len(m._forward_pre_hooks))
