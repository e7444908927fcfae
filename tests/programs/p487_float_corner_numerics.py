"""Floating-point corners from a numerics lecture: ulp spacing, nextafter, frexp/ldexp,
Kahan summation, NaN propagation, integer division semantics, dtype limits in ops."""
import torch

torch.manual_seed(0)
one = torch.tensor(1.0)
print(torch.nextafter(one, torch.tensor(2.0)) - one, torch.finfo(torch.float32).eps)
print(torch.nextafter(torch.tensor(0.0), torch.tensor(1.0)), torch.nextafter(torch.tensor(1.0, dtype=torch.float64), torch.tensor(0.0, dtype=torch.float64)))
for v in [1.0, 1024.0, 1e6, 1e-3]:
    t = torch.tensor(v)
    print(v, (torch.nextafter(t, t * 2) - t).item())
m, e = torch.frexp(torch.tensor([8.0, 0.3, -5.0, 0.0]))
print(m, e, e.dtype, torch.ldexp(m, e))
print(torch.ldexp(torch.tensor([1.0, 1.0]), torch.tensor([10, -3])))

# summation error and Kahan
vals = torch.full((100000,), 0.1)
naive = torch.tensor(0.0)
for chunk in vals.split(10000):
    naive = naive + chunk.sum()
print(vals.sum(), vals.double().sum(), naive)
s = torch.tensor(0.0)
c = torch.tensor(0.0)
small = torch.full((1000,), 1e-4)
s_naive = torch.tensor(1.0)
for v in small:
    s_naive = s_naive + v
s = torch.tensor(1.0)
for v in small:
    yk = v - c
    tk = s + yk
    c = (tk - s) - yk
    s = tk
print(s_naive, s, torch.tensor(1.0, dtype=torch.float64) + small.double().sum())
print(torch.cumsum(torch.full((5,), 0.1), 0), torch.arange(0, 1, 0.1).shape, torch.arange(0, 1, 0.1)[-1])
print(torch.linspace(0, 1, 11)[3], torch.tensor(0.3), torch.linspace(0, 1, 11)[3] == 0.3)

# NaN and inf propagation
t = torch.tensor([1.0, float("nan"), 3.0, float("inf")])
print(t.sum(), t.nansum(), t.mean(), t.nanmean(), t.max(), t.min(), t.argmax())
print(torch.maximum(t, torch.zeros(4)), torch.fmax(t, torch.zeros(4)), t.sort().values, t.topk(2).values)
print(torch.nan_to_num(t), torch.nan_to_num(t, nan=0.0, posinf=99.0), t.isnan(), t.isinf(), t.isfinite())
print(torch.tensor(0.0) / 0, torch.tensor(1.0) / 0, torch.tensor(-1.0) / 0, torch.tensor(float("inf")) - float("inf"))
print(torch.tensor(float("nan")) == torch.tensor(float("nan")), torch.tensor([float("nan")]).unique(), torch.median(t))
print(torch.sqrt(torch.tensor(-1.0)), torch.log(torch.tensor([0.0, -1.0])), torch.tensor(0.0) * float("inf"))

# integer division semantics
a = torch.tensor([7, -7, 7, -7])
b = torch.tensor([2, 2, -2, -2])
print(a // b, torch.div(a, b, rounding_mode="trunc"), torch.div(a, b, rounding_mode="floor"), a / b)
print(a % b, torch.fmod(a, b), torch.remainder(a, b), torch.remainder(-7.5, torch.tensor(2.0)))
print(torch.fmod(torch.tensor([-3.0, 3.0]), 2), torch.tensor([5]) // 0.5, (torch.tensor([5]) / 2).dtype)
try:
    torch.tensor([1]) // torch.tensor([0])
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.tensor([2 ** 62]) * 4, torch.tensor([255], dtype=torch.uint8) + torch.tensor([1], dtype=torch.uint8))
print(torch.tensor([1, 2], dtype=torch.int16) * 20000, torch.tensor(3, dtype=torch.int8) ** 5)
print(torch.tensor([3.7, -3.7, 2.5, -2.5, 0.5]).round(), torch.tensor([3.7, -3.7]).trunc(), torch.tensor([3.7, -3.7]).floor(), torch.tensor([3.7, -3.7]).ceil())
print(torch.tensor([1.2345e-5, 123.456]).round(decimals=2), torch.tensor([1234.5678]).round(decimals=-2))

# low precision matmul and accumulation
A = torch.randn(64, 64)
B = torch.randn(64, 64)
ref = A.double() @ B.double()
for dt in (torch.float32, torch.bfloat16, torch.float16):
    err = ((A.to(dt) @ B.to(dt)).double() - ref).abs().max().item()
    print(dt, err < {torch.float32: 1e-4, torch.bfloat16: 1.0, torch.float16: 0.1}[dt])
h = torch.tensor([1000.0, 1.0, -1000.0], dtype=torch.float16)
print(h.sum(), h.float().sum(), h.cumsum(0), h.dtype, h.sum().dtype)
print(torch.tensor([0.1, 0.7], dtype=torch.bfloat16) * 3, torch.tensor(1 / 3, dtype=torch.float16) * 3)
print(torch.promote_types(torch.float16, torch.bfloat16), (torch.ones(1, dtype=torch.float16) + torch.ones(1, dtype=torch.bfloat16)).dtype)
print(torch.tensor([1e-7], dtype=torch.float16), torch.tensor([6e-8], dtype=torch.float16), torch.tensor([3e-8], dtype=torch.float16))
