# Recurrent-model plumbing: nn.RNN(nonlinearity='relu'), LSTMCell / GRUCell / RNNCell loops,
# unbatched inputs and hidden states, inter-layer dropout in eval, flatten_parameters(),
# pack_sequence / unpack_sequence / unpad_sequence, PackedSequence.to and its fields,
# bidirectional output splitting, and a Bahdanau-attention decoder step trained twice.
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import (pack_padded_sequence, pack_sequence, pad_packed_sequence, pad_sequence,
                                unpack_sequence, unpad_sequence)

warnings.filterwarnings("ignore")


def r(t):
    return round(float(t), 4) + 0.0


def s(t):
    return round(float(t.detach().double().sum()), 4) + 0.0


torch.manual_seed(0)
rnn = nn.RNN(3, 4, num_layers=2, nonlinearity="relu", dropout=0.3, bias=False)
print(rnn, [n for n, _ in rnn.named_parameters()])
rnn.eval()
rnn.flatten_parameters()
x = torch.randn(5, 2, 3)
o, h = rnn(x)
print("rnn relu eval", s(o), s(h), torch.equal(o, rnn(x)[0]))
o1, h1 = rnn(x[:, 0])
print("unbatched", tuple(o1.shape), tuple(h1.shape), torch.allclose(o1, o[:, 0], atol=1e-6))
lstm = nn.LSTM(3, 4, bidirectional=True)
o, (h, c) = lstm(x[:, 0], (torch.zeros(2, 4), torch.zeros(2, 4)))
print("unbatched lstm", tuple(o.shape), tuple(h.shape), s(o))
fwd, bwd = o.view(5, 2, 4).unbind(1)
print("directions", torch.allclose(fwd[-1], h[0], atol=1e-6), torch.allclose(bwd[0], h[1], atol=1e-6))

torch.manual_seed(1)
cells = [nn.RNNCell(3, 4, nonlinearity="tanh"), nn.GRUCell(3, 4), nn.LSTMCell(3, 4, bias=False)]
for cell in cells:
    hx = None
    outs = []
    for t in range(5):
        hx = cell(x[t], hx)
        outs.append(hx[0] if isinstance(hx, tuple) else hx)
    print(cell, s(torch.stack(outs)), tuple(cell(x[0, 0]).shape) if not isinstance(cell, nn.LSTMCell) else tuple(cell(x[0, 0])[1].shape))
gru = nn.GRU(3, 4)
gru_cell = nn.GRUCell(3, 4)
gru_cell.weight_ih.data.copy_(gru.weight_ih_l0.data)
gru_cell.weight_hh.data.copy_(gru.weight_hh_l0.data)
gru_cell.bias_ih.data.copy_(gru.bias_ih_l0.data)
gru_cell.bias_hh.data.copy_(gru.bias_hh_l0.data)
hx = torch.zeros(2, 4)
for t in range(5):
    hx = gru_cell(x[t], hx)
print("cell == layer", torch.allclose(hx, gru(x)[1][0], atol=1e-6))

seqs = [torch.randn(n, 3) for n in (4, 2, 5)]
packed = pack_sequence(seqs, enforce_sorted=False)
print(type(packed).__name__, tuple(packed.data.shape), packed.batch_sizes.tolist(), packed.sorted_indices.tolist())
out, hn = gru(packed)
back = unpack_sequence(out)
print("unpack", [tuple(b.shape) for b in back], [s(b) for b in back])
padded, lens = pad_packed_sequence(out)
print("unpad", [tuple(u.shape) for u in unpad_sequence(padded, lens)], lens.tolist())
p64 = packed.to(torch.float64)
print("packed to", p64.data.dtype, p64.batch_sizes.dtype, p64.is_cuda)
print("pad_sequence right/left", tuple(pad_sequence(seqs, padding_value=-1).shape),
      pad_sequence([torch.tensor([1, 2]), torch.tensor([3])], batch_first=True, padding_side="left").tolist())


class Attn(nn.Module):
    def __init__(self, hid):
        super().__init__()
        self.W = nn.Linear(2 * hid, hid)
        self.v = nn.Linear(hid, 1, bias=False)

    def forward(self, hidden, enc_out, mask):
        T = enc_out.size(1)
        h = hidden.unsqueeze(1).repeat(1, T, 1)
        energy = torch.tanh(self.W(torch.cat((h, enc_out), dim=2)))
        scores = self.v(energy).squeeze(2).masked_fill(mask == 0, -1e10)
        return F.softmax(scores, dim=1)


class Seq2Seq(nn.Module):
    def __init__(self, vocab=9, hid=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, hid)
        self.enc = nn.GRU(hid, hid, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * hid, hid)
        self.attn = Attn(hid)
        self.dec = nn.GRUCell(hid + hid, hid)
        self.out = nn.Linear(hid, vocab)
        self.hid = hid

    def forward(self, src, lens, tgt):
        e = self.emb(src)
        packed = pack_padded_sequence(e, lens, batch_first=True, enforce_sorted=False)
        po, h = self.enc(packed)
        enc_out, _ = pad_packed_sequence(po, batch_first=True, total_length=src.size(1))
        enc_out = self.fc(enc_out)
        hidden = torch.tanh(self.fc(torch.cat((h[-2], h[-1]), dim=1)))
        mask = (src != 0)
        logits = []
        inp = tgt[:, 0]
        for t in range(1, tgt.size(1)):
            a = self.attn(hidden, enc_out, mask)
            ctx = torch.bmm(a.unsqueeze(1), enc_out).squeeze(1)
            hidden = self.dec(torch.cat((self.emb(inp), ctx), dim=1), hidden)
            logits.append(self.out(hidden))
            inp = tgt[:, t]
        return torch.stack(logits, 1), a


torch.manual_seed(2)
model = Seq2Seq()
src = torch.tensor([[3, 4, 5, 0], [6, 7, 0, 0], [1, 2, 8, 5]])
lens = torch.tensor([3, 2, 4])
tgt = torch.tensor([[1, 2, 3], [1, 4, 0], [1, 5, 6]])
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(2):
    opt.zero_grad()
    logits, a = model(src, lens, tgt)
    loss = F.cross_entropy(logits.reshape(-1, 9), tgt[:, 1:].reshape(-1), ignore_index=0)
    loss.backward()
    print("s2s step", step, r(loss), [round(v, 4) for v in a[1].tolist()], r(model.enc.weight_hh_l0_reverse.grad.norm()), r(model.dec.weight_ih.grad.norm()))
    opt.step()
