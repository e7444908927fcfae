# Variable-length sequences: pad_sequence, pack_padded_sequence into a bidirectional GRU,
# pad_packed_sequence back, and additive attention with a padding mask.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence

rng = np.random.default_rng(3)
lengths = [5, 2, 4, 3]
seqs = [torch.from_numpy(rng.normal(size=(n, 3)).astype(np.float32)) for n in lengths]
padded = pad_sequence(seqs, batch_first=True)
print(padded.shape, padded[1, 2:].abs().sum())
lens = torch.tensor(lengths)
packed = pack_padded_sequence(padded, lens, batch_first=True, enforce_sorted=False)
print(type(packed).__name__, packed.data.shape, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 4, batch_first=True, bidirectional=True)
        self.attn = nn.Linear(8, 8)
        self.v = nn.Linear(8, 1, bias=False)
        self.out = nn.Linear(8, 2)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, h = self.gru(packed)
        out, out_lens = pad_packed_sequence(out, batch_first=True)
        mask = torch.arange(out.size(1))[None, :] < out_lens[:, None]
        scores = self.v(torch.tanh(self.attn(out))).squeeze(-1)
        scores = scores.masked_fill(~mask, float('-inf'))
        weights = F.softmax(scores, dim=1)
        context = torch.bmm(weights.unsqueeze(1), out).squeeze(1)
        return self.out(context), weights, h, out_lens


enc = Encoder()
with torch.no_grad():
    for n, p in enc.named_parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
logits, weights, h, out_lens = enc(padded, lens)
print(logits.shape, h.shape, out_lens)
print(weights.round(decimals=4))
print((weights > 0).sum(1), weights.sum(1).round(decimals=4))

# the final hidden state of the packed run equals the output at each sequence's last step
out_p, _ = enc.gru(pack_padded_sequence(padded, lens, batch_first=True, enforce_sorted=False))
out_p, _ = pad_packed_sequence(out_p, batch_first=True, padding_value=-1.0, total_length=6)
print(out_p.shape, out_p[1, 3:, 0])
last_fwd = out_p[torch.arange(4), lens - 1, :4]
print(torch.allclose(last_fwd, h[0], atol=1e-6), torch.allclose(out_p[:, 0, 4:], h[1], atol=1e-6))

target = torch.tensor([0, 1, 1, 0])
opt = torch.optim.Adam(enc.parameters(), lr=0.05)
for step in range(5):
    opt.zero_grad()
    logits, *_ = enc(padded, lens)
    loss = F.cross_entropy(logits, target)
    loss.backward()
    opt.step()
    print(step, f'{loss.item():.4f}')

# pack_sequence expects sorted lengths by default
ps = pack_sequence([torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])])
print(ps.data, ps.batch_sizes)
try:
    pack_sequence([torch.tensor([1]), torch.tensor([2, 3])])
except RuntimeError as e:
    print(str(e).splitlines()[0])
print(pad_packed_sequence(ps, batch_first=True))
lstm = nn.LSTM(1, 2)
o, (hn, cn) = lstm(pack_sequence([torch.ones(3, 1), torch.ones(2, 1)]))
print(type(o).__name__, hn.shape, cn.shape)
