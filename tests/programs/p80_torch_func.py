# torch.func: functional_call, grad, vmap, jacrev -- per-sample gradients as in the
# "Per-sample-gradients" tutorial.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, vmap, jacrev

torch.manual_seed(0)


class SimpleMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


model = SimpleMLP()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (i + 1) / 3)

data = torch.linspace(-1, 1, 15).reshape(5, 3)
targets = torch.tensor([0, 1, 1, 0, 1])
params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}


def compute_loss(params, buffers, sample, target):
    batch = sample.unsqueeze(0)
    targets = target.unsqueeze(0)
    predictions = functional_call(model, (params, buffers), (batch,))
    return F.cross_entropy(predictions, targets)


ft_compute_grad = grad(compute_loss)
ft_compute_sample_grad = vmap(ft_compute_grad, in_dims=(None, None, 0, 0))
ft_per_sample_grads = ft_compute_sample_grad(params, buffers, data, targets)
for name, g in ft_per_sample_grads.items():
    print(name, tuple(g.shape))
print(ft_per_sample_grads['fc2.bias'].round(decimals=4))

# the same with a Python loop, the slow way
loop = [torch.autograd.grad(F.cross_entropy(model(data[i:i + 1]), targets[i:i + 1]),
                            list(model.parameters())) for i in range(5)]
for (name, g), i in zip(ft_per_sample_grads.items(), range(4)):
    stacked = torch.stack([l[i] for l in loop])
    print(name, torch.allclose(g, stacked, atol=1e-6))

# vmap over a plain function and with out_dims
x = torch.arange(6.0).reshape(2, 3)
y = torch.arange(3.0)
print(vmap(torch.dot, in_dims=(0, None))(x, y))
print(vmap(lambda a: a * 2 + 1)(x))
print(vmap(torch.outer)(x, x).shape)
print(vmap(lambda a: a.sum(), out_dims=0)(x))

# jacobians
f = lambda v: v.sin() * v
v = torch.tensor([0.5, 1.0, 2.0])
print(jacrev(f)(v).round(decimals=4))
print(grad(lambda v: (v ** 3).sum())(v))
print(grad(grad(lambda s: s ** 3))(torch.tensor(2.0)))
