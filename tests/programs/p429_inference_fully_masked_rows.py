# Batched inference with left padding plus a causal mask: the padded query positions of a
# sequence have every key masked. In eval mode under no_grad, torch's fused MultiheadAttention /
# TransformerEncoderLayer kernels give NaN there, while the training path (through
# scaled_dot_product_attention) gives 0; the nested-tensor encoder path zeroes padded rows.
import warnings

import torch
import torch.nn as nn

warnings.filterwarnings("ignore")


def rows(t):
    return [None if v != v else round(v, 4) + 0.0 for v in t.tolist()]


torch.manual_seed(0)
B, L, D = 3, 4, 8
x = torch.randn(B, L, D)
left_pad = torch.tensor([[True, True, False, False], [False, False, False, False], [True, False, False, False]])
causal = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)

mha = nn.MultiheadAttention(D, 2, batch_first=True)
out_train, _ = mha(x, x, x, key_padding_mask=left_pad, attn_mask=causal, need_weights=False)
print("train", rows(out_train[:, 0, 0]), rows(out_train[:, -1, 0]))
mha.eval()
with torch.no_grad():
    out_fast, _ = mha(x, x, x, key_padding_mask=left_pad, attn_mask=causal, need_weights=False)
    out_w, w = mha(x, x, x, key_padding_mask=left_pad, attn_mask=causal)
    out_cross, _ = mha(x[:, :2], x, x, key_padding_mask=left_pad, need_weights=False)
    out_float, _ = mha(x, x, x, key_padding_mask=left_pad.float().masked_fill(left_pad, float("-inf")), need_weights=False)
print("eval no_grad", rows(out_fast[:, 0, 0]), rows(out_fast[:, -1, 0]))
print("eval weights", rows(out_w[:, 0, 0]), rows(w[0, 0]), rows(w[1, 2]))
print("eval cross-attention", rows(out_cross[:, 0, 0]))
print("eval float mask", rows(out_float[:, 0, 0]))
valid = ~left_pad
print("valid rows agree", torch.allclose(out_fast[valid], out_train[valid].detach(), atol=1e-5))
odd = nn.MultiheadAttention(D, 1, batch_first=True).eval()
with torch.no_grad():
    print("odd heads", rows(odd(x, x, x, key_padding_mask=left_pad, attn_mask=causal, need_weights=False)[0][:, 0, 0]))

torch.manual_seed(1)
layer = nn.TransformerEncoderLayer(D, 2, 16, dropout=0.0, batch_first=True)
print("layer train", rows(layer(x, src_mask=causal, src_key_padding_mask=left_pad)[:, 0, 0]))
layer.eval()
with torch.no_grad():
    y = layer(x, src_mask=causal, src_key_padding_mask=left_pad)
    print("layer eval", rows(y[:, 0, 0]), rows(y[:, 1, 0]))
    h = layer.register_forward_pre_hook(lambda mod, args: None)
    print("layer eval hooked", rows(layer(x, src_mask=causal, src_key_padding_mask=left_pad)[:, 0, 0]))
    h.remove()
    fm = nn.Transformer.generate_square_subsequent_mask(L)
    print("layer float causal", rows(layer(x, src_mask=fm, src_key_padding_mask=left_pad)[:, 0, 0]))
    right_pad = torch.tensor([[False, False, True, True], [False] * 4, [True] * 4])
    enc = nn.TransformerEncoder(layer, 2)
    print("encoder nested", [rows(r) for r in enc(x, src_key_padding_mask=right_pad)[:, :, 0]])
    enc_plain = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    print("encoder plain", [rows(r) for r in enc_plain(x, src_key_padding_mask=right_pad)[:, :, 0]])
    dec = nn.TransformerDecoderLayer(D, 2, 16, dropout=0.0, batch_first=True).eval()
    print("decoder", rows(dec(x, x, tgt_mask=causal, tgt_key_padding_mask=left_pad)[:, 0, 0]))
