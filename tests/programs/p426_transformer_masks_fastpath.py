# Transformer reference-implementation patterns: sinusoidal position encodings in a
# non-persistent buffer, a causal mask from torch.triu + masked_fill, key-padding masks,
# nn.Transformer with norm_first / gelu / a callable activation, tgt_is_causal, memory masks,
# TransformerEncoder in eval mode with a padding mask (torch's fast path zeroes padded rows),
# rotary embeddings applied by hand, and a KV cache grown with torch.cat.
import math
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")


def r(t):
    return round(float(t), 4) + 0.0


def s(t):
    return round(float(t.detach().double().sum()), 4) + 0.0


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.0, max_len=50):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, x):
        return self.dropout(x + self.pe[: x.size(0)])


torch.manual_seed(0)
D, H, L, B = 8, 2, 6, 3
pos = PositionalEncoding(D)
print(pos, list(pos.state_dict().keys()), [n for n, _ in pos.named_buffers()], r(pos.pe[7, 0, 3]))
mask = torch.triu(torch.ones(L, L), diagonal=1).bool()
fmask = torch.zeros(L, L).masked_fill(mask, float("-inf"))
print(fmask)
print(torch.equal(fmask, nn.Transformer.generate_square_subsequent_mask(L)))

src_kpm = torch.tensor([[False] * L, [False] * 4 + [True] * 2, [False] * 5 + [True]])
enc_layer = nn.TransformerEncoderLayer(D, H, dim_feedforward=16, dropout=0.0)
enc = nn.TransformerEncoder(enc_layer, num_layers=2, enable_nested_tensor=True)
x = pos(torch.randn(L, B, D))
out = enc(x, mask=fmask, src_key_padding_mask=src_kpm)
print("train", tuple(out.shape), s(out), r(out[5, 1].abs().sum()))
enc.eval()
with torch.no_grad():
    out_e = enc(x, src_key_padding_mask=src_kpm)
    out_e2 = enc(x)
print("eval padded rows", [round(v, 4) for v in out_e[:, 1].abs().sum(1).tolist()], s(out_e))
print("eval no mask", s(out_e2))
enc.train()

torch.manual_seed(1)
tr = nn.Transformer(d_model=D, nhead=H, num_encoder_layers=1, num_decoder_layers=2, dim_feedforward=12,
                    dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
print("transformer params", sum(p.numel() for p in tr.parameters()))
print(tr.decoder.layers[0])
src = torch.randn(B, L, D)
tgt = torch.randn(B, 4, D)
tmask = tr.generate_square_subsequent_mask(4)
tgt_kpm = torch.tensor([[False] * 4, [False, False, False, True], [False] * 4])
o = tr(src, tgt, tgt_mask=tmask, src_key_padding_mask=src_kpm, tgt_key_padding_mask=tgt_kpm,
       memory_key_padding_mask=src_kpm, tgt_is_causal=True)
print("transformer", tuple(o.shape), s(o))
o.pow(2).mean().backward()
print("grads", r(tr.encoder.layers[0].self_attn.in_proj_weight.grad.norm()),
      r(tr.decoder.layers[1].multihead_attn.out_proj.weight.grad.norm()), r(tr.decoder.norm.weight.grad.norm()))

torch.manual_seed(2)
layer = nn.TransformerDecoderLayer(D, H, 16, 0.0, activation=lambda t: F.leaky_relu(t, 0.1), batch_first=True)
dec = nn.TransformerDecoder(layer, 2, norm=nn.LayerNorm(D))
mem = torch.randn(B, L, D)
mem_mask = torch.zeros(4, L)
mem_mask[:, -1] = float("-inf")
od = dec(tgt, mem, tgt_mask=tmask, memory_mask=mem_mask, tgt_is_causal=True)
print("decoder callable act", s(od), r(od.std()))


def rope(x, base=10000.0):
    b, h, t, d = x.shape
    inv = 1.0 / (base ** (torch.arange(0, d, 2).float() / d))
    freqs = torch.outer(torch.arange(t).float(), inv)
    cos, sin = freqs.cos()[None, None], freqs.sin()[None, None]
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out = torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)
    return out.flatten(-2)


def rope_complex(x):
    b, h, t, d = x.shape
    inv = 1.0 / (10000.0 ** (torch.arange(0, d, 2).float() / d))
    freqs_cis = torch.polar(torch.ones(t, d // 2), torch.outer(torch.arange(t).float(), inv))
    xc = torch.view_as_complex(x.float().reshape(b, h, t, d // 2, 2))
    return torch.view_as_real(xc * freqs_cis).flatten(3)


torch.manual_seed(3)
q = torch.randn(2, H, L, D)
print("rope", s(rope(q)), torch.allclose(rope(q), rope_complex(q), atol=1e-5), torch.allclose(rope(q).norm(dim=-1), q.norm(dim=-1), atol=1e-5))


class CachedAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(D, 3 * D)
        self.proj = nn.Linear(D, D)

    def forward(self, x, cache=None):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).split(D, dim=2)
        q, k, v = (z.view(b, t, H, D // H).transpose(1, 2) for z in (q, k, v))
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=cache is None, dropout_p=0.0)
        return self.proj(y.transpose(1, 2).contiguous().view(b, t, D)), (k, v)


torch.manual_seed(4)
att = CachedAttention()
seq = torch.randn(2, 5, D)
full, _ = att(seq)
y0, cache = att(seq[:, :1])
outs = [y0]
for i in range(1, 5):
    yi, cache = att(seq[:, i:i + 1], cache)
    outs.append(yi)
inc = torch.cat(outs, 1)
print("kv cache", tuple(cache[0].shape), torch.allclose(full, inc, atol=1e-5), s(full))
am = torch.ones(5, 5, dtype=torch.bool).tril()
ya = F.scaled_dot_product_attention(seq.view(2, 1, 5, D), seq.view(2, 1, 5, D), seq.view(2, 1, 5, D), attn_mask=am)
yb = F.scaled_dot_product_attention(seq.view(2, 1, 5, D), seq.view(2, 1, 5, D), seq.view(2, 1, 5, D), is_causal=True)
print("sdpa bool mask == causal", torch.allclose(ya, yb, atol=1e-6))
# is_causal with L != S aligns the mask to the top-left corner
qs = torch.randn(1, 1, 2, 4)
ks = torch.randn(1, 1, 5, 4)
yc = F.scaled_dot_product_attention(qs, ks, ks, is_causal=True)
ym = F.scaled_dot_product_attention(qs, ks, ks, attn_mask=torch.ones(2, 5, dtype=torch.bool).tril())
print("top-left causal", torch.allclose(yc, ym, atol=1e-6), s(yc))
opt = torch.optim.AdamW(att.parameters(), lr=1e-2)
for step in range(2):
    opt.zero_grad()
    y, _ = att(seq)
    loss = y.pow(2).mean()
    loss.backward()
    print("step", step, r(loss), r(att.qkv.weight.grad.norm()))
    opt.step()
