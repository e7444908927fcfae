"""Numerics a course shows: float16/bfloat16 rounding of sums, finfo/iinfo, catastrophic
cancellation, log_softmax stability, logsumexp, isclose/allclose, integer wraparound,
set_printoptions."""
import torch
import torch.nn.functional as F

for dt in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
    fi = torch.finfo(dt)
    print(dt, fi.bits, fi.eps, fi.tiny, fi.max, fi.resolution)
print(torch.finfo(torch.float16))
print(torch.iinfo(torch.int8), torch.iinfo(torch.uint8).max, torch.iinfo(torch.int64).min)

# rounding of sums in low precision
ones = torch.ones(4096)
for dt in (torch.float16, torch.bfloat16):
    acc = torch.tensor(0.0, dtype=dt)
    for _ in range(3000):
        acc = acc + torch.tensor(1.0, dtype=dt)
    print(dt, acc, acc.item())
print(torch.tensor(2048, dtype=torch.float16) + 1, torch.tensor(256, dtype=torch.bfloat16) + 1)
print(torch.tensor(0.1, dtype=torch.float16).item(), torch.tensor(0.1, dtype=torch.bfloat16).item(), torch.tensor(0.1).item())
print(torch.tensor([0.1, 0.2, 0.3], dtype=torch.float16).sum(), torch.tensor(1e-4, dtype=torch.float16))
print(torch.tensor([65504.0], dtype=torch.float16) * 2, torch.tensor(70000.0).half(), torch.tensor(1e-8).half())
print(torch.tensor(1.0) + 1e-8 == 1.0, torch.tensor(1.0, dtype=torch.float64) + 1e-8 == 1.0)
x = torch.tensor([1.0, 1e-3, 1e-6], dtype=torch.float32)
print(x.to(torch.bfloat16), x.to(torch.float16), x.to(torch.bfloat16).float() - x)

# catastrophic cancellation
a = torch.tensor(1e8, dtype=torch.float32)
print((a + 1) - a, (a.double() + 1) - a.double())
t = torch.tensor([1e-3, 1e-5, 1e-7], dtype=torch.float32)
naive = (1 - torch.cos(t)) / t ** 2
stable = 2 * torch.sin(t / 2) ** 2 / t ** 2
print(naive, stable)
print(torch.log1p(t) - torch.log(1 + t), torch.expm1(t), torch.exp(t) - 1)
v = torch.tensor([1e4 + 1, 1e4 + 2, 1e4 + 3], dtype=torch.float32)
mean = v.mean()
print(v.var(), ((v - mean) ** 2).sum() / 2, (v ** 2).mean() - mean ** 2)

# log_softmax vs log(softmax)
logits = torch.tensor([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
print(torch.log(torch.softmax(logits, dim=1)))
print(F.log_softmax(logits, dim=1))
print(torch.exp(logits).sum(1).log(), torch.logsumexp(logits, dim=1))
m = logits.max(1, keepdim=True).values
print((m.squeeze(1) + (logits - m).exp().sum(1).log()), torch.logsumexp(torch.tensor([-float("inf"), -float("inf")]), 0))
print(torch.logsumexp(torch.tensor([[0.0, 1.0], [2.0, 3.0]]), dim=(0, 1)), torch.logaddexp(torch.tensor(800.0), torch.tensor(800.0)))
print(torch.sigmoid(torch.tensor([-100.0, 100.0])), F.logsigmoid(torch.tensor([-100.0, 20.0])), torch.log(torch.sigmoid(torch.tensor(-100.0))))
print(F.softplus(torch.tensor([-50.0, 0.0, 50.0])), torch.log(1 + torch.exp(torch.tensor(100.0))))

# isclose / allclose parameters
p = torch.tensor([1.0, 1.0001, 1e-9, float("nan"), float("inf")])
q = torch.tensor([1.0, 1.0, 0.0, float("nan"), float("inf")])
print(torch.isclose(p, q), torch.isclose(p, q, equal_nan=True), torch.isclose(p, q, rtol=0, atol=1e-3))
print(torch.allclose(p[:3], q[:3]), torch.allclose(p[:3], q[:3], rtol=1e-5, atol=0), torch.allclose(p, q, equal_nan=True))
print(torch.isclose(torch.tensor([10, 11]), torch.tensor([10, 12])), torch.isclose(torch.tensor(0.1 + 0.2, dtype=torch.float64), torch.tensor(0.3, dtype=torch.float64)))
print(0.1 + 0.2 == 0.3, torch.tensor(0.1) + torch.tensor(0.2) == torch.tensor(0.3))

# integer overflow wraparound
i8 = torch.tensor([120, -120], dtype=torch.int8)
print(i8 + 10, i8 - 10, i8 * 2, -torch.tensor([-128], dtype=torch.int8))
u8 = torch.tensor([250, 5], dtype=torch.uint8)
print(u8 + 10, u8 - 10, u8 * u8, u8.sum(), u8.sum().dtype)
print(torch.tensor([200], dtype=torch.uint8).to(torch.int8), torch.tensor([300, -1]).to(torch.uint8), torch.tensor([3.9, -3.9]).to(torch.int8))
print(torch.tensor(2 ** 31 - 1, dtype=torch.int32) + 1, torch.iinfo(torch.int32).max)
print(torch.arange(250, 256, dtype=torch.uint8).cumsum(0), torch.tensor([100, 100], dtype=torch.int8).sum())

# set_printoptions
data = torch.tensor([1 / 3, 2e-5, 12345.678, -0.5])
print(data)
torch.set_printoptions(precision=2)
print(data, torch.tensor([0.12345, 1.5]))
torch.set_printoptions(sci_mode=True)
print(data)
torch.set_printoptions(sci_mode=False, precision=6)
print(data)
torch.set_printoptions(threshold=5, edgeitems=2)
print(torch.arange(20.0), torch.arange(12).view(3, 4) * 1.5)
torch.set_printoptions(profile="default")
print(data, torch.arange(8.0) / 3)
torch.set_printoptions(linewidth=40)
print(torch.linspace(0, 1, 12))
torch.set_printoptions(profile="default")
print(torch.tensor([1e-10, 1.0]), torch.tensor([1e10, 1.0]), torch.tensor([float("nan"), float("-inf"), 3.0]))
