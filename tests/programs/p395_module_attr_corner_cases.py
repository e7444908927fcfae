# nn.Module attribute corner cases met in research code: attributes shadowing registrations,
# properties, apply() order, memo'd named_modules, train/eval overrides and zero_grad.
import torch
import torch.nn as nn

torch.manual_seed(0)


class Gate(nn.Module):
    def __init__(self):
        super().__init__()
        self.alpha = 0.5                      # plain attribute
        self.proj = nn.Linear(3, 3)
        self.register_buffer("mask", torch.ones(3))

    @property
    def scale(self):
        return self.proj.weight.abs().mean()

    @property
    def broken(self):
        return self.does_not_exist

    def forward(self, x):
        return self.proj(x) * self.mask * self.alpha


g = Gate()
print(round(g.scale.item(), 4))
try:
    g.broken
except AttributeError as e:
    print("AttributeError", e)
try:
    g.nothing_here
except AttributeError as e:
    print("AttributeError", e)

# plain attribute replaced by a Parameter becomes registered
g.alpha = nn.Parameter(torch.tensor(0.5))
print("alpha" in g._parameters, "alpha" in g.__dict__, [n for n, _ in g.named_parameters()])
# register_buffer on an existing plain attribute name fails
g.temperature = 2.0
try:
    g.register_buffer("temperature", torch.tensor(1.0))
except KeyError as e:
    print("KeyError", e)
try:
    g.register_parameter("temperature", nn.Parameter(torch.tensor(1.0)))
except KeyError as e:
    print("KeyError", e)
try:
    g.add_module("temperature", nn.ReLU())
except KeyError as e:
    print("KeyError", e)
# a buffer can be replaced by a tensor or None, not by a Parameter
g.mask = torch.zeros(3)
print(g.mask.tolist(), "mask" in g._buffers)
g.mask = None
print(g.mask, "mask" in g._buffers, list(g.state_dict().keys()))
g.mask = torch.ones(3)
# setting a module attribute to None keeps the slot
g.proj = None
print("proj" in g._modules, g.proj)
g.proj = nn.Linear(3, 3)
print([n for n, _ in g.named_children()])

# a module assigned before super().__init__ fails
class Bad(nn.Module):
    def __init__(self):
        self.lin = nn.Linear(1, 1)
        super().__init__()

try:
    Bad()
except AttributeError as e:
    print("AttributeError", e)

class BadParam(nn.Module):
    def __init__(self):
        self.w = nn.Parameter(torch.ones(1))

try:
    BadParam()
except AttributeError as e:
    print("AttributeError", e)

# apply() visits children before the parent
order = []
net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 2), nn.ReLU()))
net.apply(lambda m: order.append(type(m).__name__))
print(order)


@torch.no_grad()
def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.1)
        nn.init.zeros_(m.bias)


print(net.apply(init_weights) is net, net[1][0].weight.sum().item())

# named_modules with memo and prefix, named_children skipping None
memo = {net[0]}
print([n for n, _ in net.named_modules(memo=memo, prefix="net")])
holder = nn.Module()
holder.a = nn.ReLU()
holder.b = None
holder.c = holder.a
print([n for n, _ in holder.named_children()], [n for n, _ in holder.named_modules()])
print(len(list(holder.children())), len(list(holder.modules())))


# train()/eval() overrides are respected by parents
class FrozenBN(nn.BatchNorm1d):
    def train(self, mode=True):
        return super().train(False)


model = nn.Sequential(nn.Linear(3, 3), FrozenBN(3))
model.train()
print(model.training, model[1].training)
try:
    model.train("yes")
except ValueError as e:
    print("ValueError", e)

# zero_grad on the module, set_to_none default True
model(torch.randn(4, 3)).sum().backward()
print(model[0].weight.grad is not None)
model.zero_grad(set_to_none=False)
print(model[0].weight.grad.abs().sum().item())
model.zero_grad()
print(model[0].weight.grad)

# requires_grad_ selectively, then count trainable params
model[0].requires_grad_(False)
print(sum(p.numel() for p in model.parameters() if p.requires_grad), sum(p.numel() for p in model.parameters()))

# extra_repr and __repr__ of custom modules
class Scale(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.s = s
        self.inner = nn.Identity()

    def extra_repr(self):
        return f"s={self.s},\nmode=fixed"


print(Scale(2.0))
print(nn.Sequential(Scale(1.0), nn.ModuleDict({"x": nn.Tanh()})))

# __dict__ manipulation after pickling round trip keeps hooks
import copy
hooked = nn.Linear(2, 2)
calls = []
hooked.register_forward_hook(lambda m, i, o: calls.append(1))
cp = copy.deepcopy(hooked)
cp(torch.ones(1, 2))
print(len(calls), len(cp._forward_hooks))

# type conversion of buffers only for floating types
bn = nn.BatchNorm1d(2).double()
print(bn.running_mean.dtype, bn.num_batches_tracked.dtype)
emb = nn.Embedding(3, 2).half()
print(emb.weight.dtype)
