# Buffers, ParameterList/ParameterDict/ModuleDict and a state_dict round trip through
# torch.save/torch.load into an in-memory io.BytesIO.
import io
from collections import OrderedDict

import torch
import torch.nn as nn


class Normalizer(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer('running_mean', torch.zeros(n))
        self.register_buffer('count', torch.tensor(0, dtype=torch.long))
        self.register_buffer('scratch', torch.ones(n), persistent=False)

    def forward(self, x):
        if self.training:
            self.count += 1
            self.running_mean.mul_(0.9).add_(0.1 * x.mean(0))
        return x - self.running_mean


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = Normalizer(3)
        self.heads = nn.ModuleDict({'a': nn.Linear(3, 2), 'b': nn.Linear(3, 1)})
        self.scales = nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.ones(1) * 2)])
        self.extra = nn.ParameterDict({'bias': nn.Parameter(torch.zeros(1))})

    def forward(self, x):
        x = self.norm(x)
        return {k: self.heads[k](x) * s for (k, s) in zip(self.heads, self.scales)}


torch.manual_seed(0)
net = Net()
with torch.no_grad():
    for i, (n, p) in enumerate(net.named_parameters()):
        p.copy_(torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape) * 0.1 - 0.2 * i)
print([k for k in net.state_dict()])
print([n for n, _ in net.named_buffers()])
print(net.norm.count, net.norm.count.dtype)

x = torch.arange(12.0).reshape(4, 3) / 4
out = net(x)
print({k: v.shape for k, v in out.items()})
print(net.norm.running_mean, net.norm.count)

buffer = io.BytesIO()
torch.save(net.state_dict(), buffer)
print(buffer.tell() > 0)
buffer.seek(0)
sd = torch.load(buffer)
print(type(sd).__name__, list(sd.keys())[:3])
print(sd['norm.running_mean'], sd['scales.1'])

net2 = Net()
result = net2.load_state_dict(sd)
print(result)
print(torch.equal(net2.heads['a'].weight, net.heads['a'].weight), net2.norm.count.item())

# strict=False tells what did not match
partial = OrderedDict((k, v) for k, v in sd.items() if not k.startswith('heads.b'))
partial['unused.weight'] = torch.zeros(1)
res = net2.load_state_dict(partial, strict=False)
print(res.missing_keys, res.unexpected_keys)
try:
    net2.load_state_dict(partial)
except RuntimeError as e:
    print(str(e).splitlines()[0])
bad = dict(sd)
bad['heads.a.weight'] = torch.zeros(5, 3)
try:
    net2.load_state_dict(bad)
except RuntimeError as e:
    print(e)

# a whole checkpoint dict, with optimizer state and plain Python values
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
sum(v.sum() for v in net(x).values()).backward()
opt.step()
ckpt = {'epoch': 3, 'model': net.state_dict(), 'optim': opt.state_dict(), 'best': 0.25,
        'tags': ['a', 'b'], 'shape': torch.Size([2, 3])}
f = io.BytesIO()
torch.save(ckpt, f)
f.seek(0)
back = torch.load(f, weights_only=True)
print(back['epoch'], back['best'], back['tags'], back['shape'])
print(back['optim']['param_groups'][0]['lr'], back['optim']['param_groups'][0]['params'])
print(sorted(back['optim']['state'].keys()), list(back['optim']['state'][0].keys()))
opt2 = torch.optim.SGD(net2.parameters(), lr=0.5, momentum=0.9)
opt2.load_state_dict(back['optim'])
print(opt2.param_groups[0]['lr'])
# tensors that share storage stay shared after the round trip
a = torch.arange(6.0)
f = io.BytesIO()
torch.save({'a': a, 'view': a[2:4]}, f)
f.seek(0)
d = torch.load(f)
d['view'][0] = 100.0
print(d['a'])
