# Memory layout after common ops on transposed / permuted tensors: which results can be
# .view()-ed, what clone() and the *_like factories keep, `in` on tensors, and a few errors.
import copy

import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.arange(12.).view(3, 4)
xt = x.t()

# clone / *_like keep a dense layout (torch.preserve_format)
c = xt.clone()
print(c.stride(), c.is_contiguous(), torch.equal(c, xt))
print(xt.clone(memory_format=torch.contiguous_format).stride())
print(torch.empty_like(xt).stride(), torch.zeros_like(xt).stride(), torch.ones_like(xt).stride())
print(torch.full_like(xt, 7).stride(), torch.zeros_like(xt, dtype=torch.int64).stride())
print(torch.zeros_like(xt, memory_format=torch.contiguous_format).stride())
p = torch.arange(24.).view(2, 3, 4).permute(2, 0, 1)
print(p.clone().stride(), torch.zeros_like(p).stride())
print(x[:, ::2].clone().stride(), xt[:, ::2].clone().stride())
print(x[:, :1].expand(3, 5).clone().stride())
print(copy.deepcopy(xt).stride(), copy.deepcopy(x).stride())
img = torch.randn(2, 3, 4, 5)
cl = img.contiguous(memory_format=torch.channels_last)
print(cl.clone().stride(), torch.empty_like(cl).stride(), cl.clone().is_contiguous(memory_format=torch.channels_last))
print(torch.zeros_like(img, memory_format=torch.channels_last).stride())
print(img.clone(memory_format=torch.channels_last).stride())
try:
    c.view(-1)
except RuntimeError as e:
    print("RuntimeError:", e)
print(c.reshape(-1))
# writes to a clone never reach the original
c[0, 0] = 100.
print(x[0, 0].item(), c[0, 0].item())

# ops whose results are contiguous whatever the input layout: .view works on them
for name, fn in [
    ("softmax", lambda t: t.softmax(-1)),
    ("log_softmax", lambda t: F.log_softmax(t, dim=0)),
    ("cumsum", lambda t: t.cumsum(0)),
    ("cumprod", lambda t: torch.cumprod(t, 1)),
    ("cummax", lambda t: t.cummax(0).values),
    ("logcumsumexp", lambda t: t.logcumsumexp(1)),
    ("masked_fill", lambda t: t.masked_fill(t > 5, -1.)),
    ("roll", lambda t: t.roll(1, 0)),
    ("cat", lambda t: torch.cat([t, t])),
    ("cat dim1", lambda t: torch.cat([t, t], dim=1)),
    ("stack", lambda t: torch.stack([t, t], dim=1)),
]:
    r = fn(xt)
    print(name, r.is_contiguous(), r.stride(), r.view(-1)[:5])

# multi-head attention style merge: transpose(1, 2) then cat along the feature dim, then view
B, H, T, D = 2, 2, 3, 2
heads = [torch.randn(B, T, D).transpose(1, 2) for _ in range(H)]
merged = torch.cat(heads, dim=1)
print(merged.shape, merged.is_contiguous(), merged.view(B, -1).shape)
scores = torch.randn(B, T, T).transpose(1, 2)
probs = scores.masked_fill(torch.ones(T, T).tril() == 0, float('-inf')).softmax(-1)
print(probs.view(B, -1).round(decimals=4))

# ops that keep the input's layout (not contiguous for a transposed input)
for name, fn in [("add", lambda t: t + 1), ("exp", torch.exp), ("where", lambda t: torch.where(t > 3, t, 0.)),
                 ("clamp", lambda t: t.clamp(1, 5)), ("float64", lambda t: t.double()), ("relu", F.relu)]:
    r = fn(xt)
    print(name, r.is_contiguous(), r.stride())

# `in` on tensors
print(3 in x, 3.5 in x, torch.tensor(11.) in x, 100 in x)
# unflatten errors
try:
    torch.zeros(2, 12).unflatten(1, (5, -1))
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.zeros(2, 12).unflatten(1, (3, -1)).shape, torch.zeros(2, 12).unflatten(-1, (2, 2, 3)).shape)
# in-place clamp of an integer tensor with float bounds
for dt in (torch.int32, torch.int64, torch.uint8):
    try:
        torch.tensor([1, 5, 9], dtype=dt).clamp_(2.5, 6.5)
    except RuntimeError as e:
        print("RuntimeError:", e)
print(torch.tensor([1, 5, 9]).clamp_(2, 6))
