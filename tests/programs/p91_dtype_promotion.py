# Type promotion and integer arithmetic: what dtype comes out, and what the values are.
import torch

i = torch.tensor([1, 2, 3])
f = torch.tensor([1.5, 2.5, 3.5])
d = torch.tensor([1.0], dtype=torch.float64)
b = torch.tensor([True, False, True])
u = torch.tensor([250, 5, 10], dtype=torch.uint8)
i8 = torch.tensor([-100, 50, 127], dtype=torch.int8)
h = torch.tensor([1.0, 2.0], dtype=torch.float16)

for name, val in [
    ('int+float', i + f), ('int*2.5', i * 2.5), ('int/2', i / 2), ('int//2', i // 2),
    ('float32+float64', f + d), ('float32+0-dim f64', f + torch.tensor(1.0, dtype=torch.float64)),
    ('int+0-dim float', i + torch.tensor(1.5)), ('bool+bool', b + b), ('bool*int', b * i),
    ('bool+1.5', b + 1.5), ('uint8+int8', u + i8), ('uint8+1', u + 1),
    ('int8*2', i8 * 2), ('half+float', h + f[:2]), ('half*2.0', h * 2.0), ('int**2', i ** 2),
    ('int**-1.0', i ** -1.0), ('2**int', 2 ** i), ('int.sqrt', i.sqrt()), ('int.sum', i.sum()),
    ('bool.sum', b.sum()), ('uint8.sum', u.sum()), ('int8.prod', i8.prod()),
    ('int.mean(dtype)', i.mean(dtype=torch.float32)), ('cumsum int', i.cumsum(0)),
    ('uint8.cumsum', u.cumsum(0)), ('int.float()', i.float()), ('f.long()', torch.tensor([-1.7, 1.7]).long()),
    ('f.int()', torch.tensor([2.9, -2.9]).int()), ('to uint8', torch.tensor([-1, 256, 3]).to(torch.uint8)),
    ('bool()', torch.tensor([0.0, 0.1, -2.0]).bool()), ('max int/float', torch.maximum(i, f)),
    ('where mixed', torch.where(b, i, f)), ('where scalar', torch.where(b, i, 0.5)),
    ('clamp int float', i.clamp(min=1.5)), ('complex+float', torch.tensor([1 + 1j]) + f[:1]),
]:
    print(f'{name:20s}', val.dtype, val)

print(torch.result_type(i, 1.0), torch.result_type(u, i8), torch.result_type(h, 1), torch.result_type(b, True))
print(torch.promote_types(torch.int32, torch.float16), torch.promote_types(torch.uint8, torch.int8),
      torch.promote_types(torch.bool, torch.int16), torch.promote_types(torch.float32, torch.complex64))
print(torch.can_cast(torch.float32, torch.int32), torch.can_cast(torch.int32, torch.float32), torch.can_cast(torch.float64, torch.float16))
print(torch.get_default_dtype(), torch.tensor(1.0).dtype, torch.tensor(1).dtype, torch.tensor(True).dtype, torch.tensor(1 + 0j).dtype)
torch.set_default_dtype(torch.float64)
print(torch.tensor([1.0]).dtype, torch.arange(3.0).dtype, torch.zeros(1).dtype, (torch.tensor([1]) * 0.5).dtype, torch.tensor(1j).dtype)
torch.set_default_dtype(torch.float32)

# integer division and remainders follow Python for floor, C for fmod
n = torch.tensor([7, -7, 7, -7])
m = torch.tensor([2, 2, -2, -2])
print(n // m, torch.div(n, m, rounding_mode='trunc'), torch.div(n, m, rounding_mode='floor'), torch.div(n, m))
print(n % m, torch.remainder(n, m), torch.fmod(n, m), torch.floor_divide(n, m))
print(torch.tensor([7.5, -7.5]) % 2, torch.fmod(torch.tensor([7.5, -7.5]), 2))
print(n & 3, n | 8, n ^ 1, ~torch.tensor([0, 1]), torch.tensor([1, 2]) << 2, torch.tensor([-16]) >> 2)
print(~b, b & torch.tensor([True, True, False]), b | ~b, b ^ b)
print(torch.tensor([2 ** 31], dtype=torch.int64) * 4, torch.tensor([100], dtype=torch.int8) + torch.tensor([100], dtype=torch.int8))
print(torch.tensor([0.1 + 0.2]).item() == 0.3, torch.tensor([0.1], dtype=torch.float64).item())
print(torch.tensor([1, 2]).float().dtype, torch.tensor([1, 2]).double().dtype, torch.tensor([1.0]).half().dtype,
      torch.tensor([1.5]).to(torch.int16).dtype, torch.tensor([1.5]).type(torch.int32), torch.tensor([1]).type())
x = torch.zeros(3, dtype=torch.int32)
x += torch.tensor([1, 2, 3])
print(x, x.dtype)
try:
    x += 1.5
except RuntimeError as e:
    print(e)
try:
    x.add_(torch.tensor([0.5, 0.5, 0.5]))
except RuntimeError as e:
    print(e)
y = torch.ones(2)
y += torch.tensor([1, 2])
print(y, y.dtype)
print(torch.tensor(3) / torch.tensor(2), torch.true_divide(torch.tensor(3), 2), torch.tensor(3).div(2, rounding_mode='floor'))
print(torch.tensor([1, 2, 3]).float().mean(), torch.arange(5).sum().item(), type(torch.arange(5).sum().item()),
      type(torch.tensor(2.5).item()), type(torch.tensor(True).item()))
print(torch.full((2,), 7).dtype, torch.full((2,), 7.0).dtype, torch.full((2,), True).dtype, torch.zeros_like(i, dtype=torch.float).dtype)
print(torch.arange(0, 1, 0.25), torch.arange(5, dtype=torch.float64).dtype, torch.linspace(0, 1, 3, dtype=torch.float64))
