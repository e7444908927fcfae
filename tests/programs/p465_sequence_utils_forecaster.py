"""Time-series and sequence utilities: unfold windows, packing with enforce_sorted=False,
an LSTM forecaster with teacher forcing, rfft features."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import (pack_padded_sequence, pad_packed_sequence, pad_sequence,
                                pack_sequence)

torch.manual_seed(11)
torch.set_printoptions(precision=3, sci_mode=False)

# sliding windows with unfold
series = torch.arange(10.)
w = series.unfold(0, 4, 2)
print(w, w.shape, w.stride(), w.is_contiguous())
x = torch.arange(24.).view(2, 12)
win = x.unfold(1, 5, 3)
print(win.shape, win[1, -1])
inputs, targets = win[..., :-1], win[..., -1]
print(inputs.shape, targets)
img = torch.arange(16.).view(1, 1, 4, 4)
patches = img.unfold(2, 2, 2).unfold(3, 2, 2)
print(patches.shape, patches.reshape(1, 1, 4, 4)[0, 0])
print(F.unfold(img, kernel_size=2, stride=2).shape)
print(series.unfold(0, 3, 3).sum(-1), series.unfold(0, 10, 1).shape)

# pack_padded_sequence / pad_packed_sequence with enforce_sorted=False
seqs = [torch.randn(n, 3) for n in (2, 5, 3, 1)]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True, padding_value=0.0)
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print(type(packed).__name__, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
print(packed.data.shape)
gru = nn.GRU(3, 4, batch_first=True, bidirectional=True)
out, h = gru(packed)
unpacked, out_lens = pad_packed_sequence(out, batch_first=True, total_length=6)
print(unpacked.shape, out_lens, h.shape)
print("padding zero:", unpacked[3, 1:].abs().sum().item() == 0.0)
# the last valid step of the forward direction equals the final hidden state
last = unpacked[torch.arange(4), lengths - 1, :4]
print("last == h_fwd:", torch.allclose(last, h[0], atol=1e-6))
print("first == h_bwd:", torch.allclose(unpacked[:, 0, 4:], h[1], atol=1e-6))
# one by one gives the same
solo = torch.stack([gru(s.unsqueeze(0))[1][:, 0] for s in seqs], 1)
print("solo == packed h:", torch.allclose(solo, h, atol=1e-6))
ps = pack_sequence(seqs, enforce_sorted=False)
print(torch.equal(ps.data, packed.data), ps.batch_sizes.tolist())
try:
    pack_padded_sequence(padded, lengths, batch_first=True)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:90])
packed_cpu = packed.to("cpu")
print(packed_cpu.is_cuda, packed.data.dtype)


# LSTM forecaster with teacher forcing
def make_series(n, length):
    t = torch.linspace(0, 4 * math.pi, length)
    phase = torch.rand(n, 1) * 2 * math.pi
    return torch.sin(t + phase) + 0.05 * torch.randn(n, length)


class Forecaster(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.encoder = nn.LSTM(1, hidden, batch_first=True)
        self.cell = nn.LSTMCell(1, hidden)
        self.head = nn.Linear(hidden, 1)

    def forward(self, history, horizon, target=None, teacher_forcing=0.0):
        _, (h, c) = self.encoder(history.unsqueeze(-1))
        h, c = h[0], c[0]
        inp = history[:, -1:]
        preds = []
        for t in range(horizon):
            h, c = self.cell(inp, (h, c))
            y = self.head(h)
            preds.append(y)
            use_truth = target is not None and torch.rand(()).item() < teacher_forcing
            inp = target[:, t:t + 1] if use_truth else y
        return torch.cat(preds, 1)


data = make_series(64, 40)
hist, fut = data[:, :30], data[:, 30:]
model = Forecaster()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(25):
    model.train()
    opt.zero_grad()
    tf = max(0.0, 1.0 - epoch / 15)
    pred = model(hist, 10, fut, teacher_forcing=tf)
    loss = F.mse_loss(pred, fut)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if epoch % 6 == 0:
        print(f"epoch {epoch:2d} tf {tf:.2f} loss {loss.item():.4f}")
model.eval()
with torch.no_grad():
    test = make_series(4, 40)
    p = model(test[:, :30], 10)
    print("test mse", f"{F.mse_loss(p, test[:, 30:]).item():.3f}", p.shape)

# rfft features
sig = torch.sin(2 * math.pi * 5 * torch.arange(64) / 64) + 0.5 * torch.cos(2 * math.pi * 12 * torch.arange(64) / 64)
spec = torch.fft.rfft(sig)
print(spec.shape, spec.dtype)
mag = spec.abs()
print("peaks", torch.topk(mag, 2).indices.tolist(), mag[[5, 12]].round(decimals=2))
freqs = torch.fft.rfftfreq(64, d=1 / 64)
print(freqs[:6], freqs[-1])
power = (mag ** 2) / 64
print("band power", [round(power[a:b].sum().item(), 2) for a, b in [(0, 8), (8, 16), (16, 33)]])
batch = torch.randn(3, 32)
feats = torch.fft.rfft(batch, norm="ortho").abs()
print(feats.shape, torch.allclose((batch ** 2).sum(1), (feats[:, 0] ** 2 + 2 * (feats[:, 1:-1] ** 2).sum(1) + feats[:, -1] ** 2), atol=1e-4))
rec = torch.fft.irfft(torch.fft.rfft(sig), n=64)
print("irfft round trip", torch.allclose(rec, sig, atol=1e-5))
print(torch.fft.rfft(torch.tensor([1., 2., 3., 4.])))
