# torch.nn.utils.rnn packing in seq2seq code: encoder with packed sequences, masked decoder loss.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import (pad_sequence, pack_padded_sequence, pad_packed_sequence,
                                pack_sequence, unpad_sequence, unpack_sequence, PackedSequence)

torch.manual_seed(0)
PAD, SOS, EOS = 0, 1, 2
V = 12

src = [torch.randint(3, V, (n,)) for n in [5, 3, 4, 2]]
tgt = [torch.cat([s.flip(0), torch.tensor([EOS])]) for s in src]
src_pad = pad_sequence(src, batch_first=True, padding_value=PAD)
tgt_pad = pad_sequence(tgt, batch_first=True, padding_value=PAD)
src_len = torch.tensor([len(s) for s in src])
print(src_pad.tolist())
print(tgt_pad.shape, src_len.tolist())
print(pad_sequence(src, padding_side="left", batch_first=True, padding_value=-1)[1].tolist())

# PackedSequence basics
packed = pack_padded_sequence(src_pad, src_len, batch_first=True, enforce_sorted=False)
print(type(packed).__name__, packed.batch_sizes.tolist(), packed.sorted_indices.tolist(),
      packed.unsorted_indices.tolist())
print(packed.data.tolist())
un, lens = pad_packed_sequence(packed, batch_first=True, padding_value=PAD, total_length=6)
print(un.shape, lens.tolist(), torch.equal(un[:, :5], src_pad))
ps = pack_sequence(src, enforce_sorted=False)
print(ps.batch_sizes.tolist(), [t.tolist() for t in unpack_sequence(ps)] == [t.tolist() for t in src])
print([t.tolist() for t in unpad_sequence(src_pad, src_len, batch_first=True)] == [t.tolist() for t in src])
try:
    pack_padded_sequence(src_pad, src_len, batch_first=True)
except RuntimeError as e:
    print("RuntimeError", str(e)[:80])
p2 = packed.to(torch.float64) if packed.data.is_floating_point() else packed
print(p2.is_cuda, packed.data.dtype)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 8, padding_idx=PAD)
        self.rnn = nn.GRU(8, 16, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(32, 16)

    def forward(self, x, lengths):
        e = self.emb(x)
        packed = pack_padded_sequence(e, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, h = self.rnn(packed)
        out, _ = pad_packed_sequence(out, batch_first=True)
        h = torch.tanh(self.fc(torch.cat([h[-2], h[-1]], dim=1)))
        return out, h


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 8, padding_idx=PAD)
        self.attn = nn.Linear(16 + 32, 1)
        self.rnn = nn.GRUCell(8 + 32, 16)
        self.out = nn.Linear(16, V)

    def forward(self, tok, h, enc_out, mask):
        e = self.emb(tok)
        T = enc_out.shape[1]
        scores = self.attn(torch.cat([h.unsqueeze(1).expand(-1, T, -1), enc_out], dim=2)).squeeze(2)
        scores = scores.masked_fill(~mask, float("-inf"))
        a = F.softmax(scores, dim=1)
        ctx = torch.bmm(a.unsqueeze(1), enc_out).squeeze(1)
        h = self.rnn(torch.cat([e, ctx], dim=1), h)
        return self.out(h), h, a


enc, dec = Encoder(), Decoder()
params = list(enc.parameters()) + list(dec.parameters())
opt = torch.optim.Adam(params, lr=0.01)
for step in range(5):
    opt.zero_grad()
    enc_out, h = enc(src_pad, src_len)
    mask = torch.arange(enc_out.shape[1])[None, :] < src_len[:, None]
    tok = torch.full((len(src),), SOS)
    loss = 0.0
    for t in range(tgt_pad.shape[1]):
        logits, h, a = dec(tok, h, enc_out, mask)
        loss = loss + F.cross_entropy(logits, tgt_pad[:, t], ignore_index=PAD, reduction="sum")
        tok = tgt_pad[:, t]
    loss = loss / (tgt_pad != PAD).sum()
    loss.backward()
    gn = nn.utils.clip_grad_norm_(params, max_norm=1.0)
    opt.step()
    print(step, round(loss.item(), 4), round(gn.item(), 4))
print(enc_out.shape, round(a[0].sum().item(), 4), a[3, 2:].tolist())

# LSTM on a packed batch: final states equal per-sequence runs
lstm = nn.LSTM(3, 4, num_layers=2)
seqs = [torch.randn(n, 3) for n in [4, 2, 3]]
packed = pack_sequence(seqs, enforce_sorted=False)
out, (h, c) = lstm(packed)
print(isinstance(out, PackedSequence), h.shape)
for i, s in enumerate(seqs):
    _, (hi, ci) = lstm(s.unsqueeze(1))
    print(i, torch.allclose(hi[:, 0], h[:, i], atol=1e-6), torch.allclose(ci[:, 0], c[:, i], atol=1e-6))
padded, lens = pad_packed_sequence(out)
print(padded.shape, lens.tolist(), padded[3:, 1].abs().sum().item())

# greedy decoding with eval mode
enc.eval(); dec.eval()
with torch.no_grad():
    enc_out, h = enc(src_pad[:1], src_len[:1])
    mask = torch.ones(1, enc_out.shape[1], dtype=torch.bool)
    tok = torch.tensor([SOS])
    out_toks = []
    for _ in range(6):
        logits, h, _ = dec(tok, h, enc_out, mask)
        tok = logits.argmax(1)
        out_toks.append(tok.item())
        if tok.item() == EOS:
            break
print(out_toks, tgt[0].tolist())
