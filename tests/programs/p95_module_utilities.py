# nn.Module plumbing: named_modules/children/apply, freezing, parameters_to_vector,
# hooks, extra_repr, containers, dtype conversion and zero_grad.
import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters


class Scale(nn.Module):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def forward(self, x):
        return x * self.factor

    def extra_repr(self):
        return f'factor={self.factor}'


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), Scale(2.0))
        self.heads = nn.ModuleList([nn.Linear(3, 2) for _ in range(2)])
        self.gate = nn.Parameter(torch.tensor(0.5))

    def forward(self, x):
        h = self.features(x)
        return sum(head(h) for head in self.heads) * self.gate


net = Net()
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.linspace(-0.3, 0.3, p.numel()).reshape(p.shape))
print(net)
print([n for n, _ in net.named_modules()])
print([type(c).__name__ for c in net.children()], len(list(net.modules())))
print([(n, tuple(p.shape)) for n, p in net.named_parameters()])
print(net.get_submodule('features.2'), net.get_parameter('heads.1.bias'))
print(net.features[0:2], net.features[-1], len(net.heads))

vec = parameters_to_vector(net.parameters())
print(vec.shape, vec[:4])
vector_to_parameters(torch.arange(vec.numel(), dtype=torch.float32) / 100, net.parameters())
print(net.heads[0].bias, net.gate)

# freeze the feature extractor
for p in net.features.parameters():
    p.requires_grad = False
print(sum(p.numel() for p in net.parameters() if p.requires_grad), sum(p.numel() for p in net.parameters()))
net.features.requires_grad_(True)
print(all(p.requires_grad for p in net.parameters()))

x = torch.linspace(-1, 1, 8).reshape(2, 4)
calls = []


def fwd_hook(module, inp, out):
    calls.append((type(module).__name__, tuple(inp[0].shape), tuple(out.shape)))


def pre_hook(module, inp):
    return (inp[0] * 0 + 1,)


handles = [m.register_forward_hook(fwd_hook) for m in net.features]
out = net(x)
print(calls)
for h in handles:
    h.remove()
calls.clear()
h = net.features[0].register_forward_pre_hook(pre_hook)
print(net(x).round(decimals=4))
h.remove()
print(net(x).round(decimals=4), calls)

grads = {}


def bwd_hook(module, grad_input, grad_output):
    grads['go'] = grad_output[0].shape
    grads['gi'] = grad_input[0].shape


net.heads[0].register_full_backward_hook(bwd_hook)
t = torch.ones(3, requires_grad=True)
t.register_hook(lambda g: g * 10)
(t * 2).sum().backward()
print(t.grad)
net(x).sum().backward()
print(grads, net.gate.grad)
net.zero_grad()
print(net.gate.grad)
net(x).sum().backward()
net.zero_grad(set_to_none=False)
print(net.gate.grad)

# containers
seq = nn.Sequential()
seq.add_module('lin', nn.Linear(2, 2))
seq.append(nn.Tanh())
print(seq, seq.lin.in_features)
ml = nn.ModuleList()
ml.append(nn.ReLU())
ml.extend([nn.Sigmoid(), nn.Tanh()])
ml.insert(0, nn.Identity())
print([type(m).__name__ for m in ml], len(ml), type(ml[1:]).__name__)
md = nn.ModuleDict({'b': nn.ReLU(), 'a': nn.Tanh()})
md['c'] = nn.GELU()
print(list(md.keys()), 'a' in md, type(md.pop('b')).__name__, list(md))
pd = nn.ParameterDict({'w': nn.Parameter(torch.ones(2))})
pd['v'] = nn.Parameter(torch.zeros(1))
print(list(pd.keys()), sum(p.numel() for p in pd.parameters()))

# train/eval and dtype changes
net.eval()
print(net.training, net.features[0].training)
net.train()
print(net.training)
net.double()
print(net.gate.dtype, net(x.double()).dtype)
net.float()
print(net.heads[0].weight.dtype)
net.half()
print(net.gate.dtype)
net.to(torch.float32)
print(net.gate.dtype, net.gate.is_leaf, type(net.gate).__name__)
print(nn.Flatten()(torch.ones(2, 3, 4)).shape, nn.Unflatten(1, (2, 2))(torch.ones(3, 4)).shape, nn.Identity(54)(x).shape)
print(isinstance(net.gate, torch.Tensor), isinstance(net.gate, nn.Parameter))
state = net.state_dict(keep_vars=True)
print(type(state['gate']).__name__, state['gate'].requires_grad)
print(net.features[0].weight.data_ptr() == net.state_dict()['features.0.weight'].data_ptr())
