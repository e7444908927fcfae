# Printing tensors of every dtype and size: bool, uint8/int8/int16/int32/int64, float16,
# bfloat16, float32, float64, complex64/complex128; 0-d, empty, large summarised tensors,
# mixed magnitudes that switch to scientific notation, inf/nan, and set_printoptions
# (precision, sci_mode, threshold, edgeitems, linewidth, profile).
import torch

dtypes = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
          torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64, torch.complex128]
base = torch.tensor([[0, 1, 2], [3, 4, 5]])
for dt in dtypes:
    t = base.to(dt) if not dt.is_complex else base.to(dt) * (1 - 0.5j)
    print(dt, t.dtype.itemsize, t.is_floating_point(), t.is_complex())
    print(t)
    print(repr(t[0, 1]), t.sum() if dt is not torch.bool else t.sum().dtype)

print(torch.tensor(3.0), torch.tensor(-7), torch.tensor(True), torch.tensor(1 + 2j))
print(torch.tensor([]), torch.zeros(0, 3), torch.empty(2, 0, dtype=torch.int64), torch.ones(1, 1, 1))
print(torch.tensor([1e-8, 1.0, 1e8]))
print(torch.tensor([0.1, 123456.7]))
print(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.5, -2.25]), torch.tensor([100.0, 0.001]))
print(torch.tensor([float("inf"), -float("inf"), float("nan"), 0.0, -0.0]))
print(torch.tensor([1e20, 1e-20], dtype=torch.float64))
print(torch.tensor([65504.0, 1e-4], dtype=torch.float16), torch.tensor([3.14159, 1e30], dtype=torch.bfloat16))
print(torch.tensor([1 + 1e-5j, 1e5 - 2j]), torch.tensor([float("nan") + 1j]))

big = torch.arange(2000, dtype=torch.float32).reshape(40, 50) / 7
print(big)
print(torch.arange(1500))
print(torch.arange(24).reshape(2, 3, 4))
print(torch.linspace(0, 1, 1001, dtype=torch.float64))
print(torch.arange(1200).reshape(2, 600) % 3 == 0)

torch.set_printoptions(precision=2)
print(torch.tensor([1.23456, 2.5, -0.001]))
torch.set_printoptions(sci_mode=True)
print(torch.tensor([1.23456, 2.5]))
torch.set_printoptions(sci_mode=False, precision=6)
print(torch.tensor([1e-8, 1.0, 1e8]))
torch.set_printoptions(threshold=10, edgeitems=2)
print(torch.arange(20), torch.arange(30.0).reshape(5, 6))
torch.set_printoptions(linewidth=40, threshold=1000, edgeitems=3)
print(torch.arange(30.0) / 3)
torch.set_printoptions(profile="short")
print(torch.arange(30.0).reshape(3, 10) / 3)
torch.set_printoptions(profile="full")
print(torch.arange(1100)[-5:], torch.arange(1100).shape)
torch.set_printoptions(profile="default")
print(torch.randn(3, generator=torch.Generator().manual_seed(0)))
x = torch.tensor([1.0, 2.0], requires_grad=True)
print(x, x * 2, (x * 2).sum(), x.detach(), torch.tensor([1, 2], dtype=torch.int32) * 2)
print(torch.tensor([[1.5, 2.0]], dtype=torch.float64).T)
print(torch.tensor([-1, 200], dtype=torch.uint8), torch.tensor([127, -128], dtype=torch.int8))
print(torch.tensor(2**40), torch.tensor([2**40, 1]), torch.tensor(0.1, dtype=torch.float16))
