# Pruning tutorial style: l1/ln pruning, iterative pruning, global pruning, remove; conv-bn fusion.
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
from torch.nn.utils.fusion import fuse_conv_bn_eval


class LeNetish(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 3, 3)
        self.fc1 = nn.Linear(12, 6)
        self.fc2 = nn.Linear(6, 2)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = x.flatten(1)
        return self.fc2(torch.relu(self.fc1(x)))


model = LeNetish()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.cos(torch.arange(p.numel(), dtype=torch.float32) * 1.3 + i).reshape(p.shape))
module = model.conv1
print(list(module.named_parameters().__iter__())[0][0], list(module.named_buffers()))
prune.l1_unstructured(module, name="weight", amount=0.3)
print([n for n, _ in module.named_parameters()], [n for n, _ in module.named_buffers()])
print(module.weight_mask.sum().item(), module.weight_mask.numel())
print(module.weight)
print(module._forward_pre_hooks.__len__(), prune.is_pruned(model))
prune.ln_structured(module, name="weight", amount=1, n=2, dim=0)
print(module.weight_mask.sum(dim=(1, 2, 3)))
hook = list(module._forward_pre_hooks.values())[0]
print(type(hook).__name__, [type(h).__name__ for h in hook])
x = torch.linspace(-1, 1, 32).reshape(2, 1, 4, 4)
out = model(x)
print(out.shape, out.detach().round(decimals=4))
prune.remove(module, "weight")
print([n for n, _ in module.named_parameters()], list(module.named_buffers()), prune.is_pruned(module))
print((module.weight == 0).sum().item())
parameters_to_prune = ((model.fc1, "weight"), (model.fc2, "weight"))
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.5)
for m, name in parameters_to_prune:
    w = getattr(m, name)
    print(name, float((w == 0).sum()) / w.nelement())
total_zero = sum(float((getattr(m, n) == 0).sum()) for m, n in parameters_to_prune)
print(f"global sparsity {100 * total_zero / (72 + 12):.2f}%")
prune.l1_unstructured(model.fc2, "bias", amount=1)
print(model.fc2.bias, model.fc2.bias_mask)
print(sorted(model.state_dict().keys()))
prune.custom_from_mask(model.fc1, name="bias", mask=torch.tensor([1, 0, 1, 0, 1, 0]))
print(model.fc1.bias)
out.sum().backward()
print(model.fc1.weight_orig.grad is None)
loss = model(x).sum()
loss.backward()
print(model.fc1.weight_orig.grad.abs().sum() > 0, (model.fc1.weight_orig.grad * (1 - model.fc1.weight_mask)).abs().sum())
# conv + batchnorm fusion for inference
conv = nn.Conv2d(2, 3, 3, padding=1)
bn = nn.BatchNorm2d(3)
with torch.no_grad():
    conv.weight.copy_(torch.linspace(-1, 1, conv.weight.numel()).view_as(conv.weight))
    conv.bias.fill_(0.1)
    bn.running_mean.copy_(torch.tensor([0.5, -0.5, 0.0]))
    bn.running_var.copy_(torch.tensor([2.0, 0.5, 1.0]))
    bn.weight.copy_(torch.tensor([1.5, 0.5, 1.0]))
    bn.bias.copy_(torch.tensor([0.0, 0.1, -0.1]))
conv.eval()
bn.eval()
fused = fuse_conv_bn_eval(conv, bn)
inp = torch.linspace(-2, 2, 50).view(1, 2, 5, 5)
with torch.no_grad():
    ref = bn(conv(inp))
    got = fused(inp)
print(fused, torch.allclose(ref, got, atol=1e-5), fused.bias.round(decimals=4))
