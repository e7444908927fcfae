# Gradient accumulation, zero_grad, requires_grad toggling and freezing layers.
import torch
import torch.nn as nn

model = nn.Linear(2, 1)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.5, -0.5]]))
    model.bias.fill_(0.1)
data = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
target = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
opt = torch.optim.SGD(model.parameters(), lr=0.01)
accum = 2
opt.zero_grad()
for i in range(4):
    loss = nn.functional.mse_loss(model(data[i:i + 1]), target[i:i + 1]) / accum
    loss.backward()
    if (i + 1) % accum == 0:
        print("grad", model.weight.grad, model.bias.grad)
        opt.step()
        opt.zero_grad()
print(model.weight.grad, model.weight.data)
full = nn.Linear(2, 1)
full.load_state_dict({"weight": torch.tensor([[0.5, -0.5]]), "bias": torch.tensor([0.1])})
l = nn.functional.mse_loss(full(data[:2]), target[:2])
l.backward()
print(full.weight.grad)
model.zero_grad(set_to_none=False)
print(model.weight.grad)
model.zero_grad()
print(model.weight.grad)
base = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
for param in base[0].parameters():
    param.requires_grad = False
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, base.parameters()), lr=0.1)
base(data).sum().backward()
print(base[0].weight.grad, base[1].weight.grad is not None)
print(len(opt.param_groups[0]["params"]))
a = torch.tensor([1.0], requires_grad=True)
for _ in range(3):
    (a * 2).backward()
print(a.grad)
a.grad = None
(a ** 2).backward()
print(a.grad)
b = a.detach().clone().requires_grad_(True)
print(b.requires_grad, b.grad_fn, b.is_leaf)
