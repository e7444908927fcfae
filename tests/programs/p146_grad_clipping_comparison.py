# Comparing gradient clipping strategies: clip_grad_norm_ with several norm types, clip_grad_value_,
# per-parameter clipping, get_total_norm/clip_grads_with_norm_, and clipping via hooks.
import torch
import torch.nn as nn
from torch.nn.utils import clip_grad_norm_, clip_grad_value_


def make_model():
    m = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3))
    with torch.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) + i).view(p.shape) * 3)
    return m


x = torch.linspace(-3, 3, 20).view(5, 4)
target = torch.arange(15, dtype=torch.float32).view(5, 3)


def fresh_grads(m):
    m.zero_grad()
    loss = ((m(x) - target) ** 2).sum()
    loss.backward()
    return loss


m = make_model()
fresh_grads(m)
norms = [p.grad.norm().item() for p in m.parameters()]
print([f"{n:.3f}" for n in norms])
for norm_type in [2.0, 1.0, float("inf"), 3]:
    fresh_grads(m)
    total = clip_grad_norm_(m.parameters(), max_norm=5.0, norm_type=norm_type)
    after = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad, norm_type)
                                                  for p in m.parameters()]), norm_type)
    print(f"norm_type={norm_type}: total {total.item():.2f} after {after.item():.4f}")

# a max_norm above the total norm leaves gradients untouched
fresh_grads(m)
g_before = [p.grad.clone() for p in m.parameters()]
total = clip_grad_norm_(m.parameters(), max_norm=1e6)
print(all(torch.equal(a, p.grad) for a, p in zip(g_before, m.parameters())))

fresh_grads(m)
clip_grad_value_(m.parameters(), clip_value=0.5)
print(max(p.grad.abs().max().item() for p in m.parameters()))
print(m[0].bias.grad)

# the two-step API
fresh_grads(m)
grads = [p.grad for p in m.parameters()]
total = torch.nn.utils.get_total_norm(grads, norm_type=2.0)
torch.nn.utils.clip_grads_with_norm_(m.parameters(), max_norm=1.0, total_norm=total)
print(f"{total.item():.3f} {torch.nn.utils.get_total_norm([p.grad for p in m.parameters()]).item():.4f}")

# a non-finite gradient: error_if_nonfinite raises, otherwise the grads become nan
fresh_grads(m)
m[0].weight.grad[0, 0] = float("inf")
try:
    clip_grad_norm_(m.parameters(), 1.0, error_if_nonfinite=True)
except RuntimeError as e:
    print("RuntimeError:", str(e).split(".")[0])
t = clip_grad_norm_(m.parameters(), 1.0)
print(t, m[2].bias.grad.isnan().all().item())

# a single tensor and an empty list are accepted
p = nn.Parameter(torch.tensor([3.0, 4.0]))
p.grad = torch.tensor([3.0, 4.0])
print(clip_grad_norm_(p, 1.0), p.grad)
print(clip_grad_norm_([], 1.0))

# clipping inside a hook runs before accumulation, per parameter
m = make_model()
for prm in m.parameters():
    prm.register_hook(lambda g: g.clamp(-0.1, 0.1))
fresh_grads(m)
print(max(p.grad.abs().max().item() for p in m.parameters()))

# training curves under the three policies
results = {}
for policy in ["none", "norm", "value"]:
    m = make_model()
    opt = torch.optim.SGD(m.parameters(), lr=0.01)
    losses = []
    for step in range(15):
        loss = fresh_grads(m)
        if policy == "norm":
            clip_grad_norm_(m.parameters(), 10.0)
        elif policy == "value":
            clip_grad_value_(m.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    results[policy] = losses
    print(policy, f"{losses[0]:.1f} -> {losses[-1]:.2f}")
print(min(results, key=lambda k: results[k][-1]))
