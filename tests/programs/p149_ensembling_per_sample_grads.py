# Model ensembling and per-sample gradients with torch.func (PyTorch tutorials): stack the
# weights of several models, a "stateless" base copy on the meta device, vmap over
# functional_call, and vmap(grad(...)) for per-example gradients.
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, stack_module_state, vmap


class SimpleMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


models = [SimpleMLP() for _ in range(5)]
for i, m in enumerate(models):
    with torch.no_grad():
        for j, p in enumerate(m.parameters()):
            p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * (0.3 + 0.1 * i) + j)
                    .view(p.shape) * 0.5)

params, buffers = stack_module_state(models)
print({k: tuple(v.shape) for k, v in params.items()})
print(buffers)

# the base model lives on the meta device: only its structure is used
base_model = copy.deepcopy(models[0]).to("meta")
print(base_model.fc1.weight)
print(base_model.fc1.weight.is_meta, next(base_model.parameters()).device)


def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))


minibatch = torch.linspace(-1, 1, 6 * 4).view(6, 4)
preds = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)
print(preds.shape)
loop = torch.stack([m(minibatch) for m in models])
print(torch.allclose(preds, loop, atol=1e-6))
# a different minibatch per model
minibatches = torch.linspace(-2, 2, 5 * 6 * 4).view(5, 6, 4)
preds2 = vmap(fmodel)(params, buffers, minibatches)
print(preds2.shape, torch.allclose(preds2[3], models[3](minibatches[3]), atol=1e-6))
print("ensemble vote:", preds.mean(0).argmax(-1).tolist())

# per-sample gradients of one model
model = models[0]
targets = torch.tensor([0, 1, 2, 0, 1, 2])
p = {k: v.detach() for k, v in model.named_parameters()}
b = {k: v.detach() for k, v in model.named_buffers()}


def compute_loss(params, buffers, sample, target):
    out = functional_call(model, (params, buffers), (sample.unsqueeze(0),))
    return F.cross_entropy(out, target.unsqueeze(0))


ft_grads = vmap(grad(compute_loss), in_dims=(None, None, 0, 0))(p, b, minibatch, targets)
print({k: tuple(v.shape) for k, v in ft_grads.items()})
# the same gradients one sample at a time with autograd
for i in [0, 4]:
    model.zero_grad()
    F.cross_entropy(model(minibatch[i:i + 1]), targets[i:i + 1]).backward()
    print(i, all(torch.allclose(ft_grads[k][i], prm.grad, atol=1e-6)
                 for k, prm in model.named_parameters()))
# the mean of per-sample gradients is the batch gradient
model.zero_grad()
F.cross_entropy(model(minibatch), targets).backward()
print(torch.allclose(ft_grads["fc2.bias"].mean(0), model.fc2.bias.grad, atol=1e-6))
print([round(v, 4) for v in ft_grads["fc2.bias"].norm(dim=1).tolist()])

# a meta-device context builds a module without allocating, then to_empty materialises it
with torch.device("meta"):
    big = nn.Linear(1000, 1000)
print(big.weight.device, big.weight.shape, big.weight.dtype)
real = big.to_empty(device="cpu")
print(real.weight.device, real.weight.shape)
with torch.no_grad():
    real.weight.fill_(0.001)
    real.bias.zero_()
print(real(torch.ones(1, 1000)).sum().item() > 0)
