# Gradient clipping by norm and by value.
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 1))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape) * 0.1 - 0.2 * i)
x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
loss = (model(x) ** 2).sum()
loss.backward()
print(f"{loss.item():.4f}")
norms = [p.grad.norm().item() for p in model.parameters()]
print([round(n, 4) for n in norms])
total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
print(round(total.item(), 4), type(total).__name__)
print(round(torch.sqrt(sum(p.grad.norm() ** 2 for p in model.parameters())).item(), 4))
model.zero_grad()
loss = (model(x) ** 2).sum()
loss.backward()
nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
print([p.grad.abs().max().item() <= 0.5 for p in model.parameters()])
print(model[2].weight.grad)
model.zero_grad()
(model(x) ** 2).sum().backward()
t = nn.utils.clip_grad_norm_(model.parameters(), 2.0, norm_type=float("inf"))
print(round(t.item(), 4))
print(round(max(p.grad.abs().max().item() for p in model.parameters()), 4))
vec = nn.utils.parameters_to_vector(model.parameters())
print(vec.shape)
nn.utils.vector_to_parameters(torch.zeros_like(vec), model.parameters())
print(model[0].bias)
