# Numerics people print: printoptions, dtypes, summarisation, finfo/iinfo, isclose with nan,
# and the text of assert_close failures.
import math

import torch

print(torch.tensor([1, -20, 300]), torch.tensor([True, False]), torch.tensor([], dtype=torch.int32))
print(torch.tensor([1.5, 2.0], dtype=torch.float64), torch.tensor([1e-8, 1.0], dtype=torch.float64))
print(torch.tensor([1 + 2j, -0.5j]), torch.tensor([1.25 - 3j], dtype=torch.complex128))
print(torch.tensor([[1e10, 1.0], [3.0, -2e-5]]), torch.tensor([float("nan"), float("inf"), -float("inf"), 0.0]))
print(torch.tensor([0.1, 0.25], dtype=torch.float16), torch.tensor([1.0, 2.5], dtype=torch.bfloat16))
print(torch.tensor(3), torch.tensor(2.5), torch.tensor(True), torch.tensor(-0.0), torch.tensor(1e-20))
print(torch.tensor([123456789.0, 1.0]), torch.tensor([100.0, 2.0]), torch.tensor([1, 2], dtype=torch.uint8))
print(torch.arange(2000.0).reshape(40, 50))
print(torch.arange(1500), torch.ones(3, 1000, dtype=torch.int16))
print(torch.zeros(2, 0, 3), torch.zeros(0).shape, torch.tensor([[]]))
print(torch.tensor([1.0, 2.0], requires_grad=True) * 2, torch.tensor([1.0]).double().sum())

torch.set_printoptions(precision=2)
print(torch.tensor([math.pi, math.e, 1 / 3]))
torch.set_printoptions(sci_mode=False)
print(torch.tensor([1e-6, 1e6, 3.14159]))
torch.set_printoptions(sci_mode=True, precision=3)
print(torch.tensor([0.5, 12.0]))
torch.set_printoptions(precision=4, sci_mode=None, threshold=5, edgeitems=2, linewidth=40)
print(torch.arange(10.0), torch.arange(30).reshape(5, 6))
print(torch.linspace(0, 1, 12).reshape(3, 4))
torch.set_printoptions(profile="full")
print(torch.arange(12).reshape(2, 6))
torch.set_printoptions(profile="short")
print(torch.arange(300.0))
torch.set_printoptions(profile="default")
print(torch.tensor([1.123456789, 2.0]))

for dt in [torch.float16, torch.bfloat16, torch.float32, torch.float64]:
    fi = torch.finfo(dt)
    print(dt, fi.bits, fi.eps, fi.max, fi.min, fi.tiny, fi.resolution, fi.dtype)
print(torch.finfo(), torch.finfo(torch.complex64).eps)
for dt in [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]:
    ii = torch.iinfo(dt)
    print(ii.bits, ii.min, ii.max, ii.dtype)
print(torch.iinfo(torch.int32))

a = torch.tensor([1.0, float("nan"), 3.0])
b = torch.tensor([1.0 + 1e-7, float("nan"), 3.1])
print(torch.isclose(a, b), torch.isclose(a, b, equal_nan=True), torch.isclose(a, b, atol=0.2))
print(torch.allclose(a, a), torch.allclose(a, a, equal_nan=True), torch.equal(a, a))
print(torch.isclose(torch.tensor([1, 2]), torch.tensor([1, 3])), torch.isclose(torch.tensor(1e-9), torch.tensor(0.0)))
print(torch.isfinite(a), torch.isnan(a).any(), torch.nan_to_num(a, nan=0.0), torch.nan_to_num(torch.tensor([float("inf")])))

for args, kwargs in [((torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.5, 3.0])), {}),
                     ((torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0], dtype=torch.float64)), {}),
                     ((torch.tensor([1, 2]), torch.tensor([1, 3])), {}),
                     ((torch.zeros(2, 2), torch.zeros(3)), {}),
                     ((torch.tensor([1.0, 2.0]), torch.tensor([1.5, 2.0])), {"rtol": 0, "atol": 0.1, "msg": "custom message"}),
                     ((torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[1.0, 2.0], [3.0, 4.1]])), {}),
                     ((torch.tensor([float("nan")]), torch.tensor([float("nan")])), {})]:
    try:
        torch.testing.assert_close(*args, **kwargs)
        print("passed")
    except AssertionError as e:
        print(type(e).__name__, "|", str(e))
torch.testing.assert_close(torch.tensor([float("nan")]), torch.tensor([float("nan")]), equal_nan=True)
torch.testing.assert_close(1.0, 1.0 + 1e-9)
torch.testing.assert_close([torch.tensor(1.0)], [torch.tensor(1.0)])
torch.testing.assert_close({"a": torch.tensor([1, 2])}, {"a": torch.tensor([1, 2])})
torch.testing.assert_close(torch.tensor([1.0, 2.0]), torch.tensor([1, 2]), check_dtype=False)
print("done")
