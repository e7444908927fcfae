# Custom nn.Module subclasses that register things in unusual ways.
import torch
import torch.nn as nn
from collections import OrderedDict

torch.manual_seed(0)


class Odd(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("running", None)
        self.register_buffer("scale", torch.ones(3))
        self.register_buffer("tmp", torch.zeros(2), persistent=False)
        self.register_parameter("bias", None)
        self.w = nn.Parameter(torch.randn(3, 3))
        self.lin = nn.Linear(3, 3)
        self.shared = self.lin
        self.plist = nn.ParameterList([nn.Parameter(torch.randn(2)) for _ in range(2)])
        self.pdict = nn.ParameterDict({"b": nn.Parameter(torch.zeros(1)), "a": nn.Parameter(torch.ones(1))})
        self.add_module("empty", None)

    def forward(self, x):
        y = x @ self.w + self.lin(x) * self.scale
        if self.running is not None:
            y = y + self.running
        return y


m = Odd()
print("params", [n for n, _ in m.named_parameters()])
print("params nodedup", [n for n, _ in m.named_parameters(remove_duplicate=False)])
print("buffers", [n for n, _ in m.named_buffers()])
print("state", list(m.state_dict().keys()))
print("modules", [n for n, _ in m.named_modules()])
print("modules nodedup", [n for n, _ in m.named_modules(remove_duplicate=False)])
print("children", [n for n, _ in m.named_children()])
print("running", m.running, "bias", m.bias, "empty", m.empty)
print("hasattr", hasattr(m, "running"), "running" in m._buffers, "empty" in m._modules)

# reassign buffer to tensor, parameter to None, module to None
m.running = torch.full((3,), 0.5)
print("running now buffer?", "running" in m._buffers, list(m.state_dict().keys())[:3])
m.bias = None
print("bias", m.bias, "bias" in m._parameters)
try:
    m.scale = nn.Parameter(torch.ones(3))
except Exception as e:
    print(type(e).__name__)
try:
    m.w = torch.ones(3, 3)
except TypeError as e:
    print("TypeError", str(e)[:60])
try:
    m.lin = torch.ones(3)
except TypeError as e:
    print("TypeError", str(e)[:60])
try:
    m.register_buffer("w", torch.ones(1))
except KeyError as e:
    print("KeyError", e)
try:
    m.register_parameter("a.b", nn.Parameter(torch.ones(1)))
except KeyError as e:
    print("KeyError", e)
try:
    m.register_buffer("", torch.ones(1))
except KeyError as e:
    print("KeyError", e)
try:
    m.register_parameter("x", torch.ones(1))
except TypeError as e:
    print("TypeError", str(e)[:60])
try:
    m.add_module("lin2", 3)
except TypeError as e:
    print("TypeError", str(e)[:60])

x = torch.randn(4, 3)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = m(x).pow(2).mean()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))

# delattr
del m.running
print("after del", "running" in m._buffers, hasattr(m, "running"))
del m.shared
print("modules", [n for n, _ in m.named_modules()])

# plain tensor attribute is not a buffer
m.plain = torch.zeros(2)
print("plain in buffers", "plain" in dict(m.named_buffers()))
m.plain = nn.Parameter(torch.zeros(2))
print("plain in params?", "plain" in dict(m.named_parameters()))
print(sorted(m.state_dict().keys()))

# get_submodule / get_parameter / get_buffer
seq = nn.Sequential(OrderedDict(enc=nn.Sequential(nn.Linear(2, 2), nn.ReLU()), head=nn.Linear(2, 1)))
print(seq.get_submodule("enc.0"))
print(seq.get_parameter("enc.0.bias").shape)
try:
    seq.get_submodule("enc.5")
except AttributeError as e:
    print("AttributeError", e)
try:
    seq.get_parameter("enc.0.nope")
except AttributeError as e:
    print("AttributeError", e)
bn = nn.BatchNorm1d(2)
holder = nn.Sequential(bn)
print(holder.get_buffer("0.running_mean"))
print(holder.get_buffer("0.num_batches_tracked"))

# __dir__ contains registered names
print("w" in dir(m), "lin" in dir(m), "scale" in dir(m))

# modules() order with nesting and duplicates
a = nn.Linear(1, 1)
outer = nn.Sequential(nn.Sequential(a, nn.Tanh()), a, nn.Sequential(a))
print([type(mm).__name__ for mm in outer.modules()])
print([n for n, _ in outer.named_modules(remove_duplicate=False)])
print([n for n, _ in outer.named_modules(prefix="root")])
print([n for n, _ in outer.named_parameters(prefix="p", recurse=True)])
print([n for n, _ in outer.named_parameters(recurse=False)])
print(len(list(outer.parameters())))
