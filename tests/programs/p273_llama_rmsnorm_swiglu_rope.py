# LLaMA-style building blocks as written in llama/model.py and HF's modeling_llama.py:
# RMSNorm, SwiGLU feed-forward with the 2/3 * 4d hidden size rounded to multiple_of,
# rotary embeddings both ways (complex: torch.polar + view_as_complex; real: cos/sin with
# rotate_half), which must agree, and a grouped-query attention block with repeat_kv.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def _norm(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

    def forward(self, x):
        output = self._norm(x.float()).type_as(x)
        return output * self.weight


class FeedForward(nn.Module):
    def __init__(self, dim, hidden_dim, multiple_of, ffn_dim_multiplier=None):
        super().__init__()
        hidden_dim = int(2 * hidden_dim / 3)
        if ffn_dim_multiplier is not None:
            hidden_dim = int(ffn_dim_multiplier * hidden_dim)
        hidden_dim = multiple_of * ((hidden_dim + multiple_of - 1) // multiple_of)
        self.w1 = nn.Linear(dim, hidden_dim, bias=False)
        self.w2 = nn.Linear(hidden_dim, dim, bias=False)
        self.w3 = nn.Linear(dim, hidden_dim, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


def precompute_freqs_cis(dim, end, theta=10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: (dim // 2)].float() / dim))
    t = torch.arange(end, device=freqs.device, dtype=torch.float32)
    freqs = torch.outer(t, freqs)
    freqs_cis = torch.polar(torch.ones_like(freqs), freqs)  # complex64
    return freqs_cis


def apply_rotary_emb(xq, xk, freqs_cis):
    xq_ = torch.view_as_complex(xq.float().reshape(*xq.shape[:-1], -1, 2))
    xk_ = torch.view_as_complex(xk.float().reshape(*xk.shape[:-1], -1, 2))
    freqs_cis = freqs_cis.view(1, xq_.shape[1], 1, xq_.shape[-1])
    xq_out = torch.view_as_real(xq_ * freqs_cis).flatten(3)
    xk_out = torch.view_as_real(xk_ * freqs_cis).flatten(3)
    return xq_out.type_as(xq), xk_out.type_as(xk)


class RotaryEmbedding(nn.Module):
    """HF-style: cos/sin caches, rotate_half on the two halves (a permuted layout)."""

    def __init__(self, dim, max_position_embeddings=64, base=10000):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        t = torch.arange(max_position_embeddings, dtype=torch.int64).type_as(self.inv_freq)
        freqs = torch.einsum("i,j->ij", t, self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos_cached", emb.cos(), persistent=False)
        self.register_buffer("sin_cached", emb.sin(), persistent=False)

    def forward(self, x, seq_len):
        return self.cos_cached[:seq_len].to(dtype=x.dtype), self.sin_cached[:seq_len].to(dtype=x.dtype)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin, position_ids, unsqueeze_dim=1):
    cos = cos[position_ids].unsqueeze(unsqueeze_dim)
    sin = sin[position_ids].unsqueeze(unsqueeze_dim)
    q_embed = (q * cos) + (rotate_half(q) * sin)
    k_embed = (k * cos) + (rotate_half(k) * sin)
    return q_embed, k_embed


def repeat_kv(hidden_states, n_rep):
    batch, num_key_value_heads, slen, head_dim = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    hidden_states = hidden_states[:, :, None, :, :].expand(batch, num_key_value_heads, n_rep, slen, head_dim)
    return hidden_states.reshape(batch, num_key_value_heads * n_rep, slen, head_dim)


class Attention(nn.Module):
    def __init__(self, dim, n_heads, n_kv_heads):
        super().__init__()
        self.n_heads, self.n_kv_heads = n_heads, n_kv_heads
        self.n_rep = n_heads // n_kv_heads
        self.head_dim = dim // n_heads
        self.wq = nn.Linear(dim, n_heads * self.head_dim, bias=False)
        self.wk = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
        self.wv = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
        self.wo = nn.Linear(n_heads * self.head_dim, dim, bias=False)

    def forward(self, x, freqs_cis, mask):
        bsz, seqlen, _ = x.shape
        xq = self.wq(x).view(bsz, seqlen, self.n_heads, self.head_dim)
        xk = self.wk(x).view(bsz, seqlen, self.n_kv_heads, self.head_dim)
        xv = self.wv(x).view(bsz, seqlen, self.n_kv_heads, self.head_dim)
        xq, xk = apply_rotary_emb(xq, xk, freqs_cis=freqs_cis)
        keys = torch.repeat_interleave(xk, dim=2, repeats=self.n_rep)
        values = torch.repeat_interleave(xv, dim=2, repeats=self.n_rep)
        xq, keys, values = xq.transpose(1, 2), keys.transpose(1, 2), values.transpose(1, 2)
        scores = torch.matmul(xq, keys.transpose(2, 3)) / math.sqrt(self.head_dim)
        if mask is not None:
            scores = scores + mask
        scores = F.softmax(scores.float(), dim=-1).type_as(xq)
        output = torch.matmul(scores, values)
        output = output.transpose(1, 2).contiguous().view(bsz, seqlen, -1)
        return self.wo(output)


torch.manual_seed(0)
norm = RMSNorm(8)
x = torch.randn(2, 3, 8)
ref = x / torch.sqrt((x * x).mean(-1, keepdim=True) + 1e-6)
print("rmsnorm:", torch.allclose(norm(x), ref, atol=1e-6), norm(x).pow(2).mean(-1).round(decimals=4))
print("rmsnorm bf16:", norm.to(torch.bfloat16)(x.to(torch.bfloat16)).dtype)
ff = FeedForward(dim=32, hidden_dim=4 * 32, multiple_of=16)
print(ff, "hidden:", ff.w1.out_features)
print("ffn multiplier:", FeedForward(32, 128, 16, ffn_dim_multiplier=1.3).w1.out_features)
print("ffn out:", f"{ff(torch.randn(2, 4, 32)).abs().mean().item():.5f}")

head_dim, seqlen = 8, 5
fc = precompute_freqs_cis(head_dim, 16)
print("freqs_cis:", fc.shape, fc.dtype, fc[3].angle().round(decimals=4))
q = torch.randn(1, seqlen, 2, head_dim)
k = torch.randn(1, seqlen, 2, head_dim)
q1, k1 = apply_rotary_emb(q, k, fc[:seqlen])
print("rope keeps norms:", torch.allclose(q1.norm(dim=-1), q.norm(dim=-1), atol=1e-5))
# relative property: <R(m)q, R(n)k> depends only on m - n
s1 = (q1[0, 3, 0] * k1[0, 1, 0]).sum()
qs, ks = apply_rotary_emb(q[:, 3:4].expand(1, seqlen, 2, head_dim).contiguous(), k[:, 1:2].expand(1, seqlen, 2, head_dim).contiguous(), fc[:seqlen])
print("relative:", f"{s1.item():.5f}", f"{(qs[0, 4, 0] * ks[0, 2, 0]).sum().item():.5f}")

# the HF layout: pairs (i, i + d/2) instead of (2i, 2i+1); permute to compare
rot = RotaryEmbedding(head_dim)
cos, sin = rot(q, seq_len=seqlen)
perm = torch.cat([torch.arange(0, head_dim, 2), torch.arange(1, head_dim, 2)])
qh, kh = apply_rotary_pos_emb(q[..., perm].transpose(1, 2), k[..., perm].transpose(1, 2), cos, sin,
                              position_ids=torch.arange(seqlen).unsqueeze(0))
print("cos/sin variant == complex variant:", torch.allclose(qh.transpose(1, 2), q1[..., perm], atol=1e-5),
      torch.allclose(kh.transpose(1, 2), k1[..., perm], atol=1e-5))
print("buffers:", [n for n, _ in rot.named_buffers()], "state_dict:", list(rot.state_dict()))

kv = torch.arange(12.0).view(1, 2, 3, 2)
print("repeat_kv == repeat_interleave:", torch.equal(repeat_kv(kv, 3), torch.repeat_interleave(kv, 3, dim=1)))
print(repeat_kv(kv, 2)[0, :, 0])

attn = Attention(dim=32, n_heads=4, n_kv_heads=2)
h = torch.randn(2, seqlen, 32)
mask = torch.full((seqlen, seqlen), float("-inf"))
mask = torch.triu(mask, diagonal=1)
print(mask)
out = attn(h, fc[:seqlen], mask)
print("attn out:", out.shape, f"{out.abs().mean().item():.5f}")
out.pow(2).mean().backward()
print("grads:", [f"{p.grad.norm().item():.5f}" for p in attn.parameters()])
