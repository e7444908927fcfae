# Type promotion puzzles.
import torch

i = torch.tensor([1, 2, 3])
f = torch.tensor([1.0, 2.0, 3.0])
d = torch.tensor([1.0], dtype=torch.float64)
b = torch.tensor([True, False, True])
u = torch.tensor([200], dtype=torch.uint8)
i8 = torch.tensor([-3], dtype=torch.int8)
h = torch.tensor([1.0], dtype=torch.float16)
print((i + f).dtype, (i * 2).dtype, (i * 2.0).dtype, (i / 2).dtype, (i // 2).dtype)
print((f + d).dtype, (f + torch.tensor(1.0, dtype=torch.float64)).dtype, (i + torch.tensor(1.5)).dtype)
print((b + b).dtype, (b * 2).dtype, (b & b).dtype, (b + 1.0).dtype, b.sum().dtype, b.float().mean())
print((u + i8).dtype, (u + 100), (u + i8), (i8 * 100).dtype, u - 250)
print((h + f).dtype, (h * 2).dtype, (h + 1.5).dtype, (h + i).dtype)
print(torch.tensor(3) + 2.5, (torch.tensor(3) + torch.tensor([1], dtype=torch.int16)).dtype)
print((i ** 2).dtype, (i ** 0.5).dtype, (2 ** i).dtype, (i ** -1.0).dtype, (f ** i).dtype)
print(torch.tensor([1, 2]) == 1.0, (i > 1.5), (i == f).all(), i.eq(f).dtype)
print(i.float().dtype, i.to(torch.float16).dtype, (i.sum() / i.numel()).dtype, i.mean(dtype=torch.float64))
print(torch.zeros(2, dtype=torch.int32).sum().dtype, torch.ones(2, dtype=torch.uint8).sum().dtype, torch.ones(2, dtype=torch.float16).sum().dtype)
print(torch.tensor([1, 2]).prod().dtype, torch.tensor([1, 2], dtype=torch.int8).cumsum(0).dtype, b.cumsum(0))
print(torch.arange(5).dtype, torch.arange(5.0).dtype, torch.arange(0, 1, 0.25).dtype, torch.linspace(0, 1, 3).dtype)
print(torch.tensor([1, 2.5]).dtype, torch.tensor([True, 1]).dtype, torch.tensor([1, 2], dtype=torch.float64) * torch.tensor(2))
print(torch.full((2,), 3).dtype, torch.full((2,), 3.0).dtype, torch.full((2,), True).dtype, torch.zeros_like(i, dtype=torch.float).dtype)
x = torch.tensor([1, 2, 3])
x += 1
print(x)
try:
    x += 1.5
except RuntimeError as e:
    print("RuntimeError:", e)
y = torch.tensor([1.0, 2.0])
y *= 2
y += torch.tensor([1, 1])
print(y, y.dtype)
print(torch.where(b, i, f).dtype, torch.where(b, 1, 0).dtype, torch.where(b, 1.0, 0).dtype, torch.cat([i, f]).dtype)
print(torch.maximum(i, f).dtype, torch.clamp(i, min=1.5).dtype, torch.sqrt(i).dtype, torch.sin(b).dtype, torch.abs(i).dtype)
print(i.float() / 0, -i.float() / 0, torch.tensor([0.0]) / 0, torch.tensor([5]) // torch.tensor([-2]), torch.tensor([-5]) % 3)
print(torch.tensor(2, dtype=torch.int64) * 1.5, torch.tensor([3], dtype=torch.int32) * torch.tensor(2.5, dtype=torch.float64))
