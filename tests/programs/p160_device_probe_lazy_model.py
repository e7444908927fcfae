# Device selection as tutorials write it, distributed guards, and a model built from lazy layers
# whose optimizer is created before the first forward call.
import torch
import torch.distributed as dist
import torch.nn as nn

if torch.cuda.is_available():
    device = torch.device("cuda")
elif hasattr(torch, "xpu") and torch.xpu.is_available():
    device = torch.device("xpu")
elif torch.backends.mps.is_available() and torch.mps.is_available():
    device = torch.device("mps")
else:
    device = torch.device("cpu")
print("device:", device, "| cpu count:", torch.cpu.device_count(), "| mtia:",
      torch.mtia.is_available())
print("module is torch.cpu:", torch.get_device_module("cpu") is torch.cpu)
print("distributed available:", dist.is_available(), "initialized:", dist.is_initialized())
rank = dist.get_rank() if dist.is_available() and dist.is_initialized() else 0
try:
    dist.get_world_size()
except ValueError as e:
    print("world size error:", e)


def describe(x: torch.types.Number) -> str:
    return f"{x:.3f}"


model = nn.Sequential(nn.LazyConv1d(4, 3, padding=1), nn.ReLU(), nn.Flatten(),
                      nn.LazyLinear(8), nn.Tanh(), nn.LazyLinear(2)).to(device)
print(model)
print("uninitialized:", [type(p).__name__ for p in model.parameters()])
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

x = torch.linspace(-1, 1, 6 * 2 * 5).reshape(6, 2, 5)
y = torch.tensor([0, 1, 1, 0, 1, 0])
with torch.no_grad():
    model(x)
    for p in model.parameters():
        p.copy_(torch.linspace(-0.3, 0.3, p.numel()).reshape(p.shape))
print(model)
print("shapes:", [tuple(p.shape) for p in model.parameters()])
for step in range(20):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    if step % 5 == 4:
        print(f"rank {rank} step {step + 1} loss {describe(loss.item())}")
print("prediction:", model(x).argmax(1).tolist())
bn = nn.LazyBatchNorm1d()
bn(x)
print(bn, [round(v, 4) for v in bn.running_mean.tolist()])
