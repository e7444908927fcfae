# Integer and small-dtype corner cases: true vs floor division, remainder/fmod with negatives,
# bitwise and shift ops, uint8 wrap-around, bool arithmetic and indexing, iinfo/finfo.
import torch

a = torch.tensor([7, -7, 7, -7])
b = torch.tensor([2, 2, -2, -2])
print(a / b, (a / b).dtype)
print(a // b)
print(torch.floor_divide(a, b))
print(torch.div(a, b, rounding_mode="trunc"), torch.div(a, b, rounding_mode="floor"))
print(a % b, torch.remainder(a, b), torch.fmod(a, b))
print(torch.remainder(torch.tensor([-3.5, 3.5]), 2), torch.fmod(torch.tensor([-3.5, 3.5]), 2))
print(-7 // 2, -7 % 2, torch.tensor(-7) // 2, torch.tensor(-7) % 2)
print(torch.tensor([5, -5]) % 3, 3 % torch.tensor([5, -5]))
print(torch.tensor([1.0, -1.0, 0.0]) // 0.0)
print(torch.tensor([5.0, -5.0]).remainder(torch.tensor([-3.0, 3.0])))
try:
    torch.tensor([1, 2]) // 0
except RuntimeError as e:
    print("RuntimeError:", e)

# bitwise ops and shifts
x = torch.tensor([0b1100, 0b1010, -1], dtype=torch.int32)
y = torch.tensor([0b1010, 0b0110, 5], dtype=torch.int32)
print(x & y, x | y, x ^ y, ~x)
print(torch.bitwise_and(x, 6), torch.bitwise_or(x, 1), torch.bitwise_xor(x, y))
print(x << 2, x >> 1, torch.bitwise_left_shift(x, 1), torch.tensor([-8]) >> 1)
print(torch.tensor([True, False]) & torch.tensor([True, True]), ~torch.tensor([True, False]))
print(torch.tensor([True, False]) ^ True)
try:
    torch.tensor([1.0]) & torch.tensor([1.0])
except RuntimeError as e:
    print("RuntimeError:", e)

# uint8 arithmetic wraps around
u = torch.tensor([250, 5, 128], dtype=torch.uint8)
print(u + 10, u - 10, u * 2)
print((u + 10).dtype, u.to(torch.int8), torch.tensor([-1, 256, 300]).to(torch.uint8))
print(u / 2, u // 3, u.float().mean())
print(u.sum(), u.sum().dtype, u.cumsum(0).dtype, u.prod().dtype)
print(torch.tensor([200], dtype=torch.uint8) + torch.tensor([100], dtype=torch.int8))
img = torch.arange(0, 256, 51, dtype=torch.uint8)
print(img, img.float() / 255, (img.float() / 255 * 255).round().to(torch.uint8))
print(u.max(), u.argmax(), torch.clamp(u, 10, 200))

# int8 / int16 overflow and promotion with Python scalars
i8 = torch.tensor([127, -128], dtype=torch.int8)
print(i8 + 1, i8 - 1, (i8 + 1).dtype, (i8 * 1.5).dtype, (i8 + 1000).dtype)
print(torch.tensor([30000], dtype=torch.int16) * 2)
print(torch.tensor([2**40]) * 2, torch.tensor([2**62]) * 2)
print(torch.tensor([3]) ** 2, torch.tensor([2]) ** torch.tensor([3]), 2 ** torch.tensor([3, 4]))
print(torch.tensor([4]) ** 0.5, torch.tensor([-8], dtype=torch.int32).abs())
print(torch.tensor([7]).float() / torch.tensor([2]), torch.true_divide(torch.tensor(7), 2))

# bool arithmetic and indexing
flags = torch.tensor([True, False, True, True])
print(flags.sum(), flags.sum().dtype, flags.float().mean(), flags.int(), flags.long().cumsum(0))
print(flags + flags, (flags + flags).dtype, flags * 3, flags.any(), flags.all())
vals = torch.arange(4) * 10
print(vals[flags], vals[~flags], vals[torch.tensor([False] * 4)])
vals[flags] = -1
print(vals)
m2 = torch.arange(12).view(3, 4)
print(m2[m2 % 2 == 0], m2[torch.tensor([True, False, True])], m2[:, torch.tensor([1, 0, 0, 1]).bool()])
print(m2[m2 > 100].shape, torch.masked_select(m2, m2 > 8), (m2 > 5).nonzero(as_tuple=True))
try:
    flags - 1
except RuntimeError as e:
    print("RuntimeError:", str(e).split(".")[0])

# iinfo / finfo
for dt in [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]:
    ii = torch.iinfo(dt)
    print(ii.bits, ii.min, ii.max, ii.dtype)
print(torch.iinfo(torch.int32))
for dt in [torch.float16, torch.float32, torch.float64]:
    fi = torch.finfo(dt)
    print(fi.bits, fi.eps, fi.max, fi.min, fi.tiny, fi.resolution, fi.dtype)
print(torch.finfo(torch.float32))
print(torch.finfo().eps == torch.finfo(torch.get_default_dtype()).eps)
print(torch.finfo(torch.float16).smallest_normal)

# casting float -> int truncates toward zero, NaN/inf handling of comparisons
f = torch.tensor([-2.7, -0.5, 0.5, 2.7])
print(f.int(), f.long(), f.round(), f.trunc(), f.floor().int(), f.ceil().to(torch.int16))
print(torch.tensor([2.5, 3.5, -2.5]).round(), torch.tensor([1.2345]).round(decimals=2))
print(torch.tensor(float("nan")) == torch.tensor(float("nan")), torch.tensor([float("inf")]).isinf())
print(torch.tensor([1, 2, 3]).float().dtype, torch.tensor([1, 2, 3]).double().dtype,
      torch.tensor([1, 2]).to(torch.float16) / 3)
print(torch.tensor([0.1], dtype=torch.float16) + torch.tensor([0.2], dtype=torch.float16))
print(torch.tensor(3).item(), type(torch.tensor(3).item()), type(torch.tensor(True).item()))
