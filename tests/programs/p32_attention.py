# Scaled dot-product attention from scratch and with F.scaled_dot_product_attention.
import math

import torch
import torch.nn.functional as F


def attention(query, key, value, mask=None):
    d_k = query.size(-1)
    scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(d_k)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, -1e9)
    p_attn = scores.softmax(dim=-1)
    return torch.matmul(p_attn, value), p_attn


q = torch.linspace(-1, 1, 24).reshape(1, 2, 3, 4)
k = torch.linspace(1, -1, 24).reshape(1, 2, 3, 4)
v = torch.arange(24.0).reshape(1, 2, 3, 4) / 24
out, p = attention(q, k, v)
print(out.round(decimals=4))
print(p.sum(-1))
causal = torch.tril(torch.ones(3, 3))
out2, p2 = attention(q, k, v, causal)
print(p2[0, 0].round(decimals=4))
ref = F.scaled_dot_product_attention(q, k, v)
print(torch.allclose(ref, out, atol=1e-6))
ref2 = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print(torch.allclose(ref2, out2, atol=1e-6))
bool_mask = torch.ones(3, 3, dtype=torch.bool).tril()
print(torch.allclose(F.scaled_dot_product_attention(q, k, v, attn_mask=bool_mask), out2, atol=1e-6))
scores = torch.tensor([[1.0, 2.0, 3.0]])
print(scores.masked_fill(torch.tensor([[False, False, True]]), float("-inf")).softmax(-1))
mask = torch.triu(torch.ones(3, 3), diagonal=1).bool()
print(torch.zeros(3, 3).masked_fill(mask, float("-inf")))


class MultiHeadSelfAttention(torch.nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.h = n_heads
        self.qkv = torch.nn.Linear(d_model, 3 * d_model)
        self.proj = torch.nn.Linear(d_model, d_model)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, T, self.h, C // self.h).transpose(1, 2)
        k = k.view(B, T, self.h, C // self.h).transpose(1, 2)
        v = v.view(B, T, self.h, C // self.h).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(torch.tril(torch.ones(T, T)).view(1, 1, T, T) == 0, float('-inf'))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.proj(y)


m = MultiHeadSelfAttention(8, 2)
with torch.no_grad():
    for i, p in enumerate(m.parameters()):
        p.copy_(torch.cos(torch.arange(p.numel(), dtype=torch.float32) + i).reshape(p.shape) * 0.2)
x = torch.sin(torch.arange(48.0)).reshape(2, 3, 8)
y = m(x)
print(y.shape, y[0, 0].round(decimals=4))
y.sum().backward()
print(m.qkv.weight.grad.abs().sum().round(decimals=3))
