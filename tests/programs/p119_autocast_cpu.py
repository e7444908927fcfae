# Mixed precision on CPU: autocast regions, dtype of matmul results, GradScaler disabled on CPU.
import torch
import torch.nn as nn

print(torch.is_autocast_enabled() if hasattr(torch, "is_autocast_enabled") else None)
model = nn.Linear(4, 2)
nn.init.constant_(model.weight, 0.5)
nn.init.zeros_(model.bias)
x = torch.arange(8, dtype=torch.float32).view(2, 4)
with torch.autocast(device_type="cpu", dtype=torch.float16):
    y = model(x)
    print(torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"))
    s = torch.softmax(y, dim=1)
    l = torch.nn.functional.mse_loss(y, torch.zeros(2, 2))
    m = x @ x.t()
    a = x + 1
print(y.dtype, y, s.dtype, l.dtype, m.dtype, a.dtype)
y.float().sum().backward()
print(model.weight.grad.dtype, model.weight.grad)
model.zero_grad()


@torch.autocast("cpu", dtype=torch.float16)
def fwd(inp):
    return model(inp)


print(fwd(x).dtype, model(x).dtype)
with torch.autocast("cpu", enabled=False):
    print(torch.mm(x, x.t()).dtype)
with torch.amp.autocast("cpu", enabled=False):
    z = model(x)
print(z.dtype)
scaler = torch.amp.GradScaler("cpu", enabled=False)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss = model(x).sum()
scaler.scale(loss).backward()
scaler.step(opt)
scaler.update()
print(model.weight[0], scaler.is_enabled())
print(x.half().dtype, x.half().float().dtype, torch.tensor([1.0, 2.5], dtype=torch.float16))
h = torch.tensor([0.1, 1000.0, 65504.0], dtype=torch.float16)
print(h, h.float(), h * 2)
print(torch.finfo(torch.float16).max, torch.finfo(torch.float16).eps, torch.finfo(torch.float32).tiny)
print(torch.iinfo(torch.int8).min, torch.iinfo(torch.int16).max, torch.finfo().bits)
print((torch.ones(3, dtype=torch.float16) + torch.ones(3)).dtype, (torch.ones(2, dtype=torch.float16) * 2.5).dtype)
print(torch.get_default_dtype(), torch.promote_types(torch.float16, torch.int64), torch.can_cast(torch.float32, torch.int32))
print(torch.tensor(1 / 3, dtype=torch.float16).item(), torch.tensor(1 / 3).half())
print(torch.result_type(torch.tensor([1], dtype=torch.int8), 1.5), torch.result_type(torch.tensor(2), torch.tensor([1.0], dtype=torch.float16)))
