# "How to save memory by fusing the optimizer step into the backward pass" (PyTorch tutorial):
# Tensor.register_post_accumulate_grad_hook runs each parameter's optimizer step as soon as its
# gradient is ready, then frees the gradient.
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.cos(torch.arange(p.numel(), dtype=torch.float32) + i).view_as(p) * 0.4)
reference = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
reference.load_state_dict(model.state_dict())

x = torch.linspace(-1, 1, 24).view(6, 4)
y = x.sum(1, keepdim=True).sin()

optimizer_dict = {p: torch.optim.Adam([p], lr=0.01) for p in model.parameters()}
order = []


def optimizer_hook(parameter) -> None:
    order.append(tuple(parameter.shape))
    optimizer_dict[parameter].step()
    optimizer_dict[parameter].zero_grad()


handles = [p.register_post_accumulate_grad_hook(optimizer_hook) for p in model.parameters()]
ref_opt = torch.optim.Adam(reference.parameters(), lr=0.01)
for step in range(5):
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()  # the hooks step the optimizers
    ref_loss = nn.functional.mse_loss(reference(x), y)
    ref_opt.zero_grad()
    ref_loss.backward()
    ref_opt.step()
    print(step, f"{loss.item():.4f}", f"{ref_loss.item():.4f}",
          all(p.grad is None for p in model.parameters()))
print(sorted(order[:4]))  # (the order among one layer's leaves is the engine's)
print(all(torch.allclose(a, b, atol=1e-6) for a, b in zip(model.parameters(), reference.parameters())))
for h in handles:
    h.remove()
loss = nn.functional.mse_loss(model(x), y)
loss.backward()
print([p.grad is not None for p in model.parameters()])

# the hook sees the accumulated gradient, after hooks registered with register_hook
w = torch.tensor([1.0, 2.0], requires_grad=True)
w.register_hook(lambda g: g * 10)
seen = []
w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
(w * 3).sum().backward()
(w * 3).sum().backward()
print(seen)
try:
    (w * 2).register_post_accumulate_grad_hook(lambda p: None)
except RuntimeError as e:
    print("RuntimeError:", e)
