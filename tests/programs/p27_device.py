# Device-agnostic code: the usual `device = ...` line and .to(device).
import torch
import torch.nn as nn

device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
device = torch.device('cpu')  # keep the printed output identical on every machine
print(device, device.type, repr(device), str(device))
print(torch.cuda.is_available() in (True, False), torch.cuda.device_count() >= 0)
model = nn.Linear(2, 2).to(device)
x = torch.ones(3, 2).to(device)
print(x.device, next(model.parameters()).device, model.weight.is_cuda, x.is_cpu if hasattr(x, "is_cpu") else True)
y = torch.zeros(2, device=device)
print(y.device, y.to("cpu").device, y.cpu().device, y.to(device, dtype=torch.float64).dtype)
print(torch.device("cpu") == torch.device("cpu"), torch.device("cuda:0").index, torch.device("cuda", 1))
print(torch.device("cpu").index, torch.device("cuda:1").type)
z = torch.tensor([1, 2], device="cpu")
print(z.device == device, z.to(x), z.to(x).dtype, z.type_as(x))
model = model.cpu()
model = model.to(torch.float64)
print(model.weight.dtype, model(torch.ones(1, 2, dtype=torch.float64)).dtype)
model = model.float()
print(model.bias.dtype)
model.double()
print(model.bias.dtype)
print(torch.ones(2, device=torch.device("cpu")).device)
print(x.get_device() if hasattr(x, "get_device") else -1)
if torch.cuda.is_available():
    torch.cuda.manual_seed_all(0)
torch.cuda.manual_seed(0)
print(x.new_zeros(1).device, torch.empty(2).pin_memory().shape if torch.cuda.is_available() else 2)
batch = {"a": torch.ones(1), "b": torch.zeros(1)}
batch = {k: v.to(device, non_blocking=True) for k, v in batch.items()}
print({k: str(v.device) for k, v in batch.items()})
