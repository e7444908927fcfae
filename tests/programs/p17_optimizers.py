# Every common optimizer on the same small problem; parameters after a few steps.
import torch
import torch.nn as nn

X = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]])
y = torch.tensor([[1.0], [0.0], [2.0], [-1.0]])


def make_model():
    m = nn.Linear(2, 1)
    with torch.no_grad():
        m.weight.copy_(torch.tensor([[0.1, -0.2]]))
        m.bias.fill_(0.05)
    return m


configs = [
    (torch.optim.SGD, dict(lr=0.05)),
    (torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-2)),
    (torch.optim.Adam, dict(lr=0.1)),
    (torch.optim.Adam, dict(lr=0.1, betas=(0.8, 0.9), weight_decay=0.1, amsgrad=True)),
    (torch.optim.AdamW, dict(lr=0.1, weight_decay=0.1)),
    (torch.optim.RMSprop, dict(lr=0.01)),
    (torch.optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
    (torch.optim.Adagrad, dict(lr=0.1)),
]
for cls, kw in configs:
    model = make_model()
    opt = cls(model.parameters(), **kw)
    for _ in range(5):
        opt.zero_grad()
        loss = ((model(X) - y) ** 2).mean()
        loss.backward()
        opt.step()
    w = model.weight.detach().numpy().round(4).tolist()
    print(cls.__name__, kw, f"{loss.item():.4f}", w, round(model.bias.item(), 4))

model = make_model()
opt = torch.optim.SGD([
    {"params": [model.weight]},
    {"params": [model.bias], "lr": 1.0},
], lr=0.1, momentum=0.9)
print(len(opt.param_groups), [g["lr"] for g in opt.param_groups], opt.param_groups[1]["momentum"])
print(opt.defaults["lr"], sorted(opt.state_dict().keys()))
print(opt)
for g in opt.param_groups:
    g["lr"] = 0.01
print([g["lr"] for g in opt.param_groups])
opt.zero_grad(set_to_none=True)
print(model.weight.grad)
