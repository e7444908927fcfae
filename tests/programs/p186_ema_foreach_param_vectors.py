# Training utilities from real repos: an EMA of the weights with torch._foreach ops and
# lerp_, parameters_to_vector / vector_to_parameters, a line-search step on the flat vector,
# clip_grad_value_, get_total_norm-style norms, and requires_grad_ freezing.
import copy

import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
with torch.no_grad():
    for i, p in enumerate(net.parameters()):
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.5 + i).view_as(p))


class EMA:
    def __init__(self, model, decay=0.9):
        self.decay = decay
        self.shadow = copy.deepcopy(model).eval()
        for p in self.shadow.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model):
        ema_p = list(self.shadow.parameters())
        cur_p = list(model.parameters())
        torch._foreach_mul_(ema_p, self.decay)
        torch._foreach_add_(ema_p, cur_p, alpha=1 - self.decay)
        for b_ema, b in zip(self.shadow.buffers(), model.buffers()):
            b_ema.copy_(b)


ema = EMA(net)
x = torch.linspace(-2, 2, 30).view(10, 3)
y = torch.stack([x.sum(1), x[:, 0] - x[:, 2]], 1)
opt = torch.optim.SGD(net.parameters(), lr=0.05)
for step in range(20):
    loss = nn.functional.mse_loss(net(x), y)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(net.parameters(), clip_value=0.5)
    opt.step()
    ema.update(net)
    if step % 5 == 0:
        with torch.no_grad():
            print(step, f"{loss.item():.4f}", f"{nn.functional.mse_loss(ema.shadow(x), y).item():.4f}")
print(all(not p.requires_grad for p in ema.shadow.parameters()), ema.shadow.training)

# the same EMA with lerp_ gives identical weights
shadow2 = copy.deepcopy(net)
with torch.no_grad():
    for p2, p in zip(shadow2.parameters(), net.parameters()):
        p2.lerp_(p * 0 + 1.0, 0.1)
print(round(shadow2[0].bias.sum().item() - net[0].bias.sum().item(), 4))

vec = parameters_to_vector(net.parameters())
print(vec.shape, vec.requires_grad, vec.grad_fn is not None)
n = sum(p.numel() for p in net.parameters())
print(n, vec.numel() == n)
grad_vec = parameters_to_vector(p.grad for p in net.parameters())
print(f"{grad_vec.norm().item():.4f}", grad_vec.abs().max().item() <= 0.5)


# a backtracking line search on the flat parameter vector
def closure(v):
    vector_to_parameters(v, net.parameters())
    with torch.no_grad():
        return nn.functional.mse_loss(net(x), y).item()


with torch.no_grad():
    v0 = vec.detach().clone()
    f0 = closure(v0)
    t = 1.0
    while closure(v0 - t * grad_vec) > f0 - 0.25 * t * grad_vec.pow(2).sum().item() and t > 1e-4:
        t *= 0.5
    vector_to_parameters(v0 - t * grad_vec, net.parameters())
print(f"step size {t}", f"{f0:.4f} -> {closure(parameters_to_vector(net.parameters()).detach()):.4f}")

# foreach ops on lists of tensors
ts = [torch.tensor([1.0, -2.0]), torch.tensor([[3.0], [4.0]])]
print(torch._foreach_norm(ts), torch._foreach_add(ts, 1.0), torch._foreach_mul(ts, [2.0, 3.0]))
print(torch._foreach_sqrt(torch._foreach_abs(ts)), torch._foreach_maximum(ts, 0.0))
torch._foreach_addcmul_(ts, ts, ts, value=0.5)
print(ts)
torch._foreach_zero_(ts)
print(ts)
grads = [p.grad for p in net.parameters()]
norms = torch.stack([torch.linalg.vector_norm(g, 2) for g in grads])
print(f"{torch.linalg.vector_norm(norms, 2).item():.4f}", f"{torch.nn.utils.clip_grad_norm_(net.parameters(), 1e9, norm_type=1.0).item():.4f}")

# freezing the first layer
for p in net[0].parameters():
    p.requires_grad_(False)
trainable = [n for n, p in net.named_parameters() if p.requires_grad]
print(trainable)
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, net.parameters()), lr=0.1)
before = net[0].weight.clone()
nn.functional.mse_loss(net(x), y).backward()
opt.step()
print(torch.equal(before, net[0].weight), net[0].weight.grad is None)
