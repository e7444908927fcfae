# nn.MultiheadAttention across its options: batch_first, need_weights / average_attn_weights,
# boolean and float key_padding_mask, 2-D and 3-D attn_mask, kdim/vdim, add_bias_kv,
# add_zero_attn, unbatched inputs, is_causal with a mask, and a training step.
import torch
import torch.nn as nn


def r(t):
    return round(float(t), 4)


torch.manual_seed(0)
E, H, L, S, B = 8, 2, 5, 6, 3
mha = nn.MultiheadAttention(E, H, batch_first=True)
print(mha)
print([(n, tuple(p.shape)) for n, p in mha.named_parameters()])
print("params", sum(p.numel() for p in mha.parameters()))
q = torch.randn(B, L, E)
kv = torch.randn(B, S, E)
out, w = mha(q, kv, kv)
print("out", tuple(out.shape), r(out.sum()), "w", tuple(w.shape), r(w.sum()))
out, w = mha(q, kv, kv, average_attn_weights=False)
print("per-head w", tuple(w.shape), r(w[:, 1].sum()), r(w.max()))
out2, w2 = mha(q, kv, kv, need_weights=False)
print("no weights", w2, torch.allclose(out, out2, atol=1e-6))

kpm = torch.zeros(B, S, dtype=torch.bool)
kpm[0, -2:] = True
kpm[2, -1] = True
out, w = mha(q, kv, kv, key_padding_mask=kpm)
print("kpm bool", r(out.sum()), r(w[0, :, -2:].sum()), r(w[1].sum()))
fkpm = torch.zeros(B, S).masked_fill(kpm, float("-inf"))
outf, wf = mha(q, kv, kv, key_padding_mask=fkpm)
print("kpm float matches", torch.allclose(out, outf, atol=1e-6), torch.allclose(w, wf, atol=1e-6))

am = torch.triu(torch.ones(L, S, dtype=torch.bool), diagonal=1)
out, w = mha(q, kv, kv, attn_mask=am)
print("2d mask", r(out.sum()), r(w[:, 0, 1:].sum()))
am3 = torch.randn(B * H, L, S)
out, w = mha(q, kv, kv, attn_mask=am3, average_attn_weights=False)
print("3d float mask", r(out.sum()), tuple(w.shape))

# self-attention with causal mask built by hand (triu + masked_fill)
x = torch.randn(B, L, E)
causal = torch.zeros(L, L).masked_fill(torch.triu(torch.ones(L, L), 1).bool(), float("-inf"))
out_a, w_a = mha(x, x, x, attn_mask=causal)
out_b, w_b = mha(x, x, x, attn_mask=causal, is_causal=True)
print("causal", r(out_a.sum()), torch.allclose(out_a, out_b, atol=1e-6), r(w_a.triu(1).sum()))
out_c, _ = mha(x, x, x, attn_mask=nn.Transformer.generate_square_subsequent_mask(L))
print("gen mask same", torch.allclose(out_a, out_c, atol=1e-6))

# kdim / vdim and seq-first layout
torch.manual_seed(1)
mha2 = nn.MultiheadAttention(E, 4, kdim=5, vdim=3, dropout=0.0)
print(mha2)
print([(n, tuple(p.shape)) for n, p in mha2.named_parameters()])
qq = torch.randn(L, B, E)
kk = torch.randn(S, B, 5)
vv = torch.randn(S, B, 3)
o, ww = mha2(qq, kk, vv)
print("kdim/vdim", tuple(o.shape), tuple(ww.shape), r(o.sum()), r(ww.sum()))

# add_bias_kv / add_zero_attn
torch.manual_seed(2)
mha3 = nn.MultiheadAttention(E, H, add_bias_kv=True, add_zero_attn=True, batch_first=True)
print([(n, tuple(p.shape)) for n, p in mha3.named_parameters()])
o, ww = mha3(q, kv, kv, key_padding_mask=kpm)
print("bias_kv zero_attn", tuple(o.shape), tuple(ww.shape), r(o.sum()), r(ww[:, :, -1].sum()))

# unbatched
o, ww = mha(q[0], kv[0], kv[0])
print("unbatched", tuple(o.shape), tuple(ww.shape), torch.allclose(o, mha(q, kv, kv)[0][0], atol=1e-6))
o, ww = mha(q[0], kv[0], kv[0], average_attn_weights=False)
print("unbatched per-head", tuple(ww.shape))

# training step
opt = torch.optim.SGD(mha.parameters(), lr=0.1)
target = torch.randn(B, L, E)
for step in range(2):
    opt.zero_grad()
    out, _ = mha(q, kv, kv, key_padding_mask=kpm, need_weights=False)
    loss = ((out - target) ** 2).mean()
    loss.backward()
    gn = torch.sqrt(sum((p.grad ** 2).sum() for p in mha.parameters()))
    print("step", step, r(loss), r(gn), r(mha.in_proj_weight.grad.norm()), r(mha.out_proj.bias.grad.norm()))
    opt.step()

mha.eval()
with torch.no_grad():
    o1, w1 = mha(x, x, x)
    o2, _ = mha(x, x, x, need_weights=False)
print("eval", r(o1.sum()), torch.allclose(o1, o2, atol=1e-5))
