"""Unit tests for a transformer block, written as a script: causality, batch independence,
permutation equivariance, masks, gradgradcheck, parameter counts and assert_close messages."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import gradcheck, gradgradcheck
from torch.testing import assert_close


class CausalSelfAttention(nn.Module):
    def __init__(self, dim=16, heads=4, dropout=0.0):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, causal=True):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (k.size(-1) ** -0.5)
        if causal:
            mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
            att = att.masked_fill(~mask, float("-inf"))
        att = self.drop(F.softmax(att, dim=-1))
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.proj(y)


class Block(nn.Module):
    def __init__(self, dim=16, heads=4):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = CausalSelfAttention(dim, heads)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(approximate="tanh"),
                                 nn.Linear(4 * dim, dim))

    def forward(self, x, causal=True):
        x = x + self.attn(self.ln1(x), causal)
        return x + self.mlp(self.ln2(x))


torch.manual_seed(0)
block = Block()
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(f"[{'PASS' if cond else 'FAIL'}] {name}{' ' + detail if detail else ''}")


# shapes over several sizes
for B, T in [(1, 1), (2, 5), (3, 8)]:
    out = block(torch.randn(B, T, 16))
    check(f"shape B={B} T={T}", out.shape == (B, T, 16), str(tuple(out.shape)))

# causality: the output at t does not depend on inputs after t
x = torch.randn(1, 6, 16, requires_grad=True)
out = block(x)
out[0, 2].sum().backward()
g = x.grad[0].abs().sum(-1)
check("causal grads", (g[3:] == 0).all() and (g[:3] > 0).all(), str(g.gt(0).tolist()))
x.grad = None
block(x, causal=False)[0, 2].sum().backward()
check("non-causal sees future", (x.grad[0, 3:].abs().sum() > 0).item())

# batch independence: the loss of one sample gives no gradient to the others
x = torch.randn(4, 5, 16, requires_grad=True)
block(x)[1].pow(2).sum().backward()
per_sample = x.grad.abs().flatten(1).sum(1)
check("batch independence", (per_sample[[0, 2, 3]] == 0).all() and per_sample[1] > 0)

# permutation equivariance without the causal mask (no positional information)
x = torch.randn(2, 5, 16)
perm = torch.tensor([3, 0, 4, 1, 2])
with torch.no_grad():
    a = block(x, causal=False)[:, perm]
    b = block(x[:, perm], causal=False)
check("permutation equivariance", torch.allclose(a, b, atol=1e-5))
assert_close(a, b, rtol=1e-4, atol=1e-5)

# same as nn.functional.scaled_dot_product_attention
attn = block.attn
x = torch.randn(2, 7, 16)
with torch.no_grad():
    q, k, v = attn.qkv(x).split(16, dim=2)
    q, k, v = (t.view(2, 7, 4, 4).transpose(1, 2) for t in (q, k, v))
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(2, 7, 16)
    ours = attn(x)
check("matches sdpa", torch.allclose(attn.proj(ref), ours, atol=1e-5))
mha = nn.MultiheadAttention(16, 4, batch_first=True)
mask = nn.Transformer.generate_square_subsequent_mask(5)
print(mask)
o, w = mha(x[:, :5], x[:, :5], x[:, :5], attn_mask=mask)
check("mha weights causal", torch.all(w.triu(1) == 0), str(tuple(w.shape)))

# parameter count by formula
n_params = sum(p.numel() for p in block.parameters())
formula = 2 * 2 * 16 + 16 * 48 + (16 * 16 + 16) + (16 * 64 + 64) + (64 * 16 + 16)
check("parameter count", n_params == formula, f"{n_params:,}")
decay = [n for n, p in block.named_parameters() if p.dim() >= 2]
no_decay = [n for n, p in block.named_parameters() if p.dim() < 2]
print("decay:", decay)
print("no decay:", no_decay)

# determinism and train/eval with dropout
torch.manual_seed(5)
drop_attn = CausalSelfAttention(16, 4, dropout=0.5)
x = torch.randn(2, 4, 16)
drop_attn.train()
torch.manual_seed(1)
y1 = drop_attn(x)
torch.manual_seed(1)
y2 = drop_attn(x)
y3 = drop_attn(x)
check("dropout reproducible with seed", torch.equal(y1, y2))
check("dropout varies without reseed", not torch.equal(y2, y3))
drop_attn.eval()
check("eval deterministic", torch.equal(drop_attn(x), drop_attn(x)))

# gradcheck / gradgradcheck of the attention in double
attn64 = CausalSelfAttention(8, 2).double()
xd = torch.randn(1, 3, 8, dtype=torch.double, requires_grad=True)
check("gradcheck", gradcheck(lambda t: attn64(t), (xd,)))
check("gradgradcheck", gradgradcheck(lambda t: attn64(t).tanh(), (xd,)))
ln = nn.LayerNorm(5).double()
check("gradcheck layernorm", gradcheck(ln, (torch.randn(2, 5, dtype=torch.double, requires_grad=True),)))

# assert_close messages people see when a test fails
for actual, expected, kw in [
    (torch.tensor([1, 2, 3]), torch.tensor([1, 2, 4]), {}),
    (torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[1.0, 2.0], [3.0, 4.1]]), {"msg": "custom message"}),
    (torch.tensor([1.0, float("nan")]), torch.tensor([1.0, float("nan")]), {}),
    (torch.tensor(1.0), 1.0001, {}),
    (torch.ones(2, 3), torch.ones(2, 3).t(), {}),
]:
    try:
        assert_close(actual, expected, **kw)
        print("close")
    except (AssertionError, TypeError, ValueError) as e:
        print(type(e).__name__ + ":", str(e).replace("\n\n", "\n"))

print(f"{sum(results)}/{len(results)} checks passed")
