# Attention written by hand: bmm/baddbmm/einsum, causal and padding masks, masked_fill with -inf.
import math
import torch
import torch.nn.functional as F

B, T, H, Dh = 2, 4, 2, 3
x = torch.arange(B * T * H * Dh, dtype=torch.float32).reshape(B, T, H * Dh) / 20.0
Wq = torch.eye(H * Dh) * 0.5
Wk = torch.eye(H * Dh).flip(0) * 0.3
Wv = torch.ones(H * Dh, H * Dh) / (H * Dh)
q = (x @ Wq).view(B, T, H, Dh).transpose(1, 2)
k = (x @ Wk).view(B, T, H, Dh).transpose(1, 2)
v = (x @ Wv).view(B, T, H, Dh).transpose(1, 2)
print(q.shape, q.is_contiguous())
scores = q @ k.transpose(-2, -1) / math.sqrt(Dh)
causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
print(causal)
scores = scores.masked_fill(causal, float("-inf"))
print(scores[0, 0])
attn = torch.softmax(scores, dim=-1)
out = attn @ v
print(attn[1, 1])
out = out.transpose(1, 2).contiguous().view(B, T, H * Dh)
print(out[0])
ref = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print(torch.allclose(ref.transpose(1, 2).reshape(B, T, -1), out, atol=1e-6))
# padding mask: the second sequence has length 2
lengths = torch.tensor([4, 2])
pad = torch.arange(T).unsqueeze(0) >= lengths.unsqueeze(1)
print(pad)
s2 = torch.einsum("bhqd,bhkd->bhqk", q, k) / Dh ** 0.5
s2 = s2.masked_fill(pad[:, None, None, :], -1e9)
a2 = s2.softmax(-1)
print(a2[1, 0].round(decimals=4))
mask_add = torch.zeros(B, 1, 1, T).masked_fill(pad[:, None, None, :], float("-inf"))
ref2 = F.scaled_dot_product_attention(q, k, v, attn_mask=mask_add)
print(torch.allclose(ref2, a2 @ v, atol=1e-6))
bool_ref = F.scaled_dot_product_attention(q, k, v, attn_mask=~pad[:, None, None, :])
print(torch.allclose(bool_ref, ref2, atol=1e-6))
# bmm and baddbmm on flattened heads
qf = q.reshape(B * H, T, Dh)
kf = k.reshape(B * H, T, Dh)
bias = torch.zeros(B * H, T, T).masked_fill(causal, float("-inf"))
s3 = torch.baddbmm(bias, qf, kf.transpose(1, 2), beta=1.0, alpha=1 / math.sqrt(Dh))
print(torch.allclose(s3.view(B, H, T, T), scores))
print(torch.bmm(qf, kf.transpose(1, 2)).shape, torch.addbmm(torch.zeros(T, T), qf, kf.mT).shape)
print(torch.tril(torch.ones(3, 3)), torch.triu(torch.arange(9.).view(3, 3), -1))
print(torch.full((T, T), float("-inf")).triu(1))
print(torch.nan_to_num(attn[1, 1] * float("inf")), torch.isinf(scores).sum())
print(F.softmax(torch.tensor([float("-inf"), 0.0, 0.0]), 0), F.log_softmax(torch.tensor([[1.0, float("-inf")]]), 1))
