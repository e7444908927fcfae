# Incremental decoding with a KV cache (torch.cat along the sequence axis) must reproduce the
# full causal forward; F.scaled_dot_product_attention with is_causal=True, a boolean mask, an
# additive float mask, dropout off, scale=, and GQA via enable_gqa / repeat_interleave, all
# checked against attention written out by hand.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def manual_attention(q, k, v, mask=None, is_causal=False, scale=None):
    L, S = q.size(-2), k.size(-2)
    scale_factor = 1 / math.sqrt(q.size(-1)) if scale is None else scale
    attn_bias = torch.zeros(L, S, dtype=q.dtype)
    if is_causal:
        temp_mask = torch.ones(L, S, dtype=torch.bool).tril(diagonal=0)
        attn_bias.masked_fill_(temp_mask.logical_not(), float("-inf"))
    if mask is not None:
        if mask.dtype == torch.bool:
            attn_bias = attn_bias.masked_fill(mask.logical_not(), float("-inf"))
        else:
            attn_bias = attn_bias + mask
    attn_weight = q @ k.transpose(-2, -1) * scale_factor
    attn_weight += attn_bias
    attn_weight = torch.softmax(attn_weight, dim=-1)
    return attn_weight @ v


torch.manual_seed(0)
B, H, T, D = 2, 4, 6, 8
q, k, v = torch.randn(B, H, T, D), torch.randn(B, H, T, D), torch.randn(B, H, T, D)
print("causal:", torch.allclose(F.scaled_dot_product_attention(q, k, v, is_causal=True), manual_attention(q, k, v, is_causal=True), atol=1e-5))
bool_mask = torch.rand(T, T) > 0.3
bool_mask.fill_diagonal_(True)
print("bool mask:", torch.allclose(F.scaled_dot_product_attention(q, k, v, attn_mask=bool_mask), manual_attention(q, k, v, mask=bool_mask), atol=1e-5))
float_mask = torch.randn(B, 1, T, T)
print("float mask:", torch.allclose(F.scaled_dot_product_attention(q, k, v, attn_mask=float_mask), manual_attention(q, k, v, mask=float_mask), atol=1e-5))
print("scale:", torch.allclose(F.scaled_dot_product_attention(q, k, v, scale=0.5), manual_attention(q, k, v, scale=0.5), atol=1e-5))
# key padding mask broadcast to (B, 1, 1, S)
lengths = torch.tensor([4, 6])
pad = torch.arange(T)[None, :] < lengths[:, None]
out_pad = F.scaled_dot_product_attention(q, k, v, attn_mask=pad[:, None, None, :])
print("padding:", out_pad.shape, f"{out_pad.sum().item():.4f}")
kv_small = torch.randn(B, 2, T, D)
gqa = F.scaled_dot_product_attention(q, kv_small, kv_small, is_causal=True, enable_gqa=True)
rep = F.scaled_dot_product_attention(q, kv_small.repeat_interleave(2, dim=1), kv_small.repeat_interleave(2, dim=1), is_causal=True)
print("enable_gqa:", torch.allclose(gqa, rep, atol=1e-6))
qg = q.clone().requires_grad_()
F.scaled_dot_product_attention(qg, k, v, is_causal=True).sum().backward()
qm = q.clone().requires_grad_()
manual_attention(qm, k, v, is_causal=True).sum().backward()
print("grad:", torch.allclose(qg.grad, qm.grad, atol=1e-5))


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.n_head = n_head
        self.n_embd = n_embd

    def forward(self, x, kv_cache=None):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        if kv_cache is not None:
            past_k, past_v = kv_cache
            k = torch.cat([past_k, k], dim=-2)
            v = torch.cat([past_v, v], dim=-2)
        new_cache = (k, v)
        # with a cache, the new query attends to everything before it: no mask needed for T=1
        y = F.scaled_dot_product_attention(q, k, v, is_causal=kv_cache is None)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y), new_cache


torch.manual_seed(1)
layer = CausalSelfAttention(16, 4).eval()
seq = torch.randn(1, 7, 16)
with torch.no_grad():
    full, _ = layer(seq)
    out, cache = layer(seq[:, :3])          # prefill
    steps = [out]
    for t in range(3, 7):
        o, cache = layer(seq[:, t:t + 1], kv_cache=cache)
        steps.append(o)
    inc = torch.cat(steps, dim=1)
print("cache shapes:", cache[0].shape, cache[1].shape)
print("incremental == full:", torch.allclose(inc, full, atol=1e-5), f"max diff < 1e-5: {(inc - full).abs().max().item() < 1e-5}")
print(full[0, -1, :6].round(decimals=4))

# pre-allocated cache, written with index_copy_ / slicing (llama's cache_k[:bsz, start:start+T] = xk)
cache_k = torch.zeros(1, 4, 10, 4)
for start in range(0, 7, 3):
    chunk = seq[:, start:start + 3]
    kk = layer.c_attn(chunk)[..., 16:32].view(1, -1, 4, 4).transpose(1, 2).detach()
    cache_k[:, :, start:start + kk.shape[2]] = kk
print("filled:", (cache_k.abs().sum(dim=(0, 1, 3)) > 0).tolist())
idx = torch.tensor([7, 8])
cache_k.index_copy_(2, idx, torch.ones(1, 4, 2, 4))
print("index_copy_:", cache_k[0, 0, 6:10, 0].round(decimals=4).tolist())
