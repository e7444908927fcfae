# Relative position schemes from T5 (bucketed relative positions with log spacing, an
# nn.Embedding of per-head biases) and ALiBi (geometric head slopes, linear distance
# penalty added to causal scores), as written in HF transformers and the ALiBi repo.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _relative_position_bucket(relative_position, bidirectional=True, num_buckets=32, max_distance=128):
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    relative_position_if_large = max_exact + (
        torch.log(relative_position.float() / max_exact)
        / math.log(max_distance / max_exact)
        * (num_buckets - max_exact)
    ).to(torch.long)
    relative_position_if_large = torch.min(
        relative_position_if_large, torch.full_like(relative_position_if_large, num_buckets - 1))
    relative_buckets += torch.where(is_small, relative_position, relative_position_if_large)
    return relative_buckets


class T5Bias(nn.Module):
    def __init__(self, n_heads=4, num_buckets=16, max_distance=32, bidirectional=True):
        super().__init__()
        self.relative_attention_bias = nn.Embedding(num_buckets, n_heads)
        self.num_buckets, self.max_distance, self.bidirectional = num_buckets, max_distance, bidirectional

    def forward(self, query_length, key_length):
        context_position = torch.arange(query_length, dtype=torch.long)[:, None]
        memory_position = torch.arange(key_length, dtype=torch.long)[None, :]
        relative_position = memory_position - context_position
        buckets = _relative_position_bucket(relative_position, self.bidirectional, self.num_buckets, self.max_distance)
        values = self.relative_attention_bias(buckets)  # (q, k, heads)
        return values.permute([2, 0, 1]).unsqueeze(0)


def get_slopes(n):
    def get_slopes_power_of_2(n):
        start = 2 ** (-2 ** -(math.log2(n) - 3))
        ratio = start
        return [start * ratio ** i for i in range(n)]

    if math.log2(n).is_integer():
        return get_slopes_power_of_2(n)
    closest_power_of_2 = 2 ** math.floor(math.log2(n))
    return get_slopes_power_of_2(closest_power_of_2) + get_slopes(2 * closest_power_of_2)[0::2][: n - closest_power_of_2]


def alibi_bias(n_heads, seq_len):
    slopes = torch.tensor(get_slopes(n_heads))
    pos = torch.arange(seq_len)
    rel = pos[None, :] - pos[:, None]  # j - i (<= 0 in the causal part)
    bias = slopes[:, None, None] * rel[None, :, :].float()
    causal = torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)
    return bias + causal


rel = torch.arange(-6, 7)
print("buckets bi:", _relative_position_bucket(rel, True, 16, 32).tolist())
print("buckets uni:", _relative_position_bucket(rel, False, 16, 32).tolist())
far = torch.tensor([0, 5, 10, 40, 100, 1000])
print("far:", _relative_position_bucket(far, True, 32, 128).tolist(), _relative_position_bucket(-far, False, 32, 128).tolist())

torch.manual_seed(0)
t5 = T5Bias()
bias = t5(5, 7)
print("t5 bias:", bias.shape, bias[0, 1, 2].round(decimals=4).tolist())
q = torch.randn(2, 4, 5, 8)
k = torch.randn(2, 4, 7, 8)
v = torch.randn(2, 4, 7, 8)
scores = q @ k.transpose(-1, -2) + bias  # T5 does not scale by sqrt(d)
out = F.softmax(scores.float(), dim=-1).type_as(scores) @ v
out.sum().backward()
print("t5 attn:", out.shape, f"{out.abs().mean().item():.5f}", "bias grad rows used:",
      (t5.relative_attention_bias.weight.grad.abs().sum(1) > 0).sum().item())
print("sdpa with float bias:", torch.allclose(F.scaled_dot_product_attention(q, k, v, attn_mask=bias.detach(), scale=1.0), out.detach(), atol=1e-5))

for n in (4, 6, 8, 12):
    print(n, "slopes:", [round(s, 6) for s in get_slopes(n)])
ab = alibi_bias(4, 5)
print("alibi:", ab.shape)
print(ab[1])
qa = torch.randn(1, 4, 5, 8)
ka = torch.randn(1, 4, 5, 8)
att = F.softmax(qa @ ka.transpose(-1, -2) / math.sqrt(8) + ab, dim=-1)
print("alibi rows sum to 1:", torch.allclose(att.sum(-1), torch.ones(1, 4, 5)), "upper zero:", att.triu(1).abs().max().item())
print("alibi first-row attention:", att[0, :, 0, 0].tolist(), att[0, 0, 4].round(decimals=4).tolist())
