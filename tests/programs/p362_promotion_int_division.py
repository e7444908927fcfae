# dtype promotion with scalars / 0-d tensors, integer division and remainder
import torch

i8 = torch.tensor([1, 2, 3], dtype=torch.int8)
u8 = torch.tensor([250, 5, 0], dtype=torch.uint8)
f16 = torch.tensor([1.5, 2.5], dtype=torch.float16)
bf = torch.tensor([1.5, 2.5], dtype=torch.bfloat16)
i32 = torch.tensor([7, -7, 9], dtype=torch.int32)
b = torch.tensor([True, False, True])
zd_f64 = torch.tensor(2.0, dtype=torch.float64)
zd_i64 = torch.tensor(3)
zd_c = torch.tensor(1j)

cases = [
    ("i8+1", lambda: i8 + 1), ("i8+1.5", lambda: i8 + 1.5), ("i8*True", lambda: i8 * True),
    ("u8+i8", lambda: u8 + i8), ("u8+1000", lambda: u8 + 1000), ("u8-6", lambda: u8 - 6),
    ("f16+zd_f64", lambda: f16 + zd_f64), ("i8+zd_f64", lambda: i8 + zd_f64),
    ("i8+zd_i64", lambda: i8 + zd_i64), ("bf+f16", lambda: bf + f16), ("bf*2", lambda: bf * 2),
    ("b+b", lambda: b + b), ("b*2", lambda: b * 2), ("b+1.0", lambda: b + 1.0),
    ("b&b", lambda: b & b), ("i32/2", lambda: i32 / 2), ("i32//2", lambda: i32 // 2),
    ("i32%5", lambda: i32 % 5), ("i32%-5", lambda: i32 % -5), ("-i32//-2", lambda: -i32 // -2),
    ("i32//2.5", lambda: i32 // 2.5), ("i32%2.5", lambda: i32 % 2.5), 
    ("i8+zd_c", lambda: i8 + zd_c), ("zd_i64+zd_f64", lambda: zd_i64 + zd_f64),
    ("zd_i64*1.5", lambda: zd_i64 * 1.5), ("i32**2", lambda: i32 ** 2), ("2**i32abs", lambda: 2 ** i32.abs()),
    ("i32**0.5", lambda: i32.abs() ** 0.5), ("2.0**i8", lambda: 2.0 ** i8), ("i8.pow(zd_f64)", lambda: i8.pow(zd_f64)),
    ("u8>>1", lambda: u8 >> 1), ("i32<<2", lambda: i32 << 2), ("~i8", lambda: ~i8), ("~b", lambda: ~b),
    ("i32 ^ 3", lambda: i32 ^ 3), ("1 - b.float", lambda: 1 - b.float()),
    ("fmod", lambda: torch.fmod(i32, 4)), ("remainder", lambda: torch.remainder(i32, 4)),
    ("fmod f", lambda: torch.fmod(torch.tensor([-3.5, 3.5]), 2)), ("rem f", lambda: torch.remainder(torch.tensor([-3.5, 3.5]), -2)),
    ("div trunc", lambda: torch.div(i32, 2, rounding_mode='trunc')), ("div floor", lambda: torch.div(i32, -2, rounding_mode='floor')),
    ("div floor f", lambda: torch.div(torch.tensor([-7.5, 7.5]), 2, rounding_mode='floor')),
    ("floor_divide", lambda: torch.floor_divide(i32, torch.tensor([2, 3, -4], dtype=torch.int32))),
    ("true_divide", lambda: torch.true_divide(i32, 4)), ("rdiv", lambda: 10 / i32),
    ("rfloordiv", lambda: 10 // i32), ("rmod", lambda: 10 % i32), ("where scalar", lambda: torch.where(b, i8, 2.5)),
    ("where 2 scalars", lambda: torch.where(b, 1, 0)), ("where f", lambda: torch.where(b, 1.0, 0)),
    ("clamp int float", lambda: torch.clamp(i32, min=0.5)), ("maximum", lambda: torch.maximum(i8, u8)),
    ("result_type", lambda: torch.result_type(i8, 1.0)), ("result_type2", lambda: torch.result_type(zd_i64, u8)),
    ("promote_types", lambda: torch.promote_types(torch.uint8, torch.int8)),
    ("promote bool f16", lambda: torch.promote_types(torch.bool, torch.float16)),
    ("can_cast", lambda: torch.can_cast(torch.float32, torch.int32)),
    ("i64 mean", lambda: torch.tensor([1, 2]).float().mean()), ("sum int8", lambda: i8.sum()),
    ("sum bool", lambda: b.sum()), ("prod u8", lambda: u8.prod()), ("cumsum i8", lambda: i8.cumsum(0)),
    ("cumsum b", lambda: b.cumsum(0)), ("mean dtype", lambda: i32.sum(dtype=torch.float64)),
    ("sub alpha", lambda: torch.sub(i32, 1, alpha=3)), ("add alpha f", lambda: torch.add(f16, 1, alpha=0.5)),
    ("abs int8 min", lambda: torch.tensor([-128], dtype=torch.int8).abs()),
    ("neg u8", lambda: -u8), ("sign", lambda: torch.sign(i32)), ("sqrt int", lambda: torch.sqrt(i32.abs())),
    ("exp bool", lambda: torch.exp(b)), ("sigmoid int", lambda: torch.sigmoid(i8)),
    ("round half", lambda: torch.round(torch.tensor([0.5, 1.5, 2.5, -0.5]))),
    ("round decimals", lambda: torch.round(torch.tensor([1.2345, 2.3456]), decimals=2)),
    ("floor int", lambda: torch.floor(i32)), ("ceil int", lambda: torch.ceil(i8)),
    ("int overflow", lambda: torch.tensor([2**31 - 1], dtype=torch.int32) + 1),
    ("float to int cast", lambda: torch.tensor([-1.7, 2.9, 300.0]).to(torch.int64)),
    ("float to u8 cast", lambda: torch.tensor([3.9, 255.0]).to(torch.uint8)),
    ("bool cast", lambda: torch.tensor([0.0, -0.1, float('nan')]).bool()),
    ("int div zero f", lambda: i32 / 0), ("float fd zero", lambda: torch.tensor([1.0, -1.0, 0.0]) // 0),
    ("rem zero f", lambda: torch.tensor([1.0, -1.0]) % 0),
]
for name, fn in cases:
    r = fn()
    if isinstance(r, torch.Tensor):
        print(name, r, r.dtype)
    else:
        print(name, r)

# in-place promotion rules
a = torch.tensor([1, 2, 3])
try:
    a += 1.5
except RuntimeError as e:
    print("RuntimeError:", e)
a *= 2
print(a)
f = torch.zeros(3)
f += torch.tensor([1, 2, 3])
print(f, f.dtype)
try:
    torch.tensor([1, 2]).div_(2)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    i8.float().add_(zd_c)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.tensor([1, 2]) // 0
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.tensor([1, 2]) % 0
except RuntimeError as e:
    print("RuntimeError:", e)
h = torch.tensor([1, 2], dtype=torch.int16)
h.mul_(torch.tensor(3.0).long())
print(h, h.dtype)
print((torch.tensor(5) / 2).dtype, (torch.tensor(5) // 2).item(), (torch.tensor(-5) // 2).item(), (torch.tensor(-5) % 3).item())
print(torch.tensor(7).item() // 2, type(torch.tensor(2.5).item()), type(torch.tensor(True).item()))
print(int(torch.tensor(3.9)), float(torch.tensor(3)), bool(torch.tensor(0.1)))
