# A GRU encoder-decoder with teacher forcing on a copy task.
import numpy as np
import torch
import torch.nn as nn

V, H = 6, 8
SOS = 0


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, H)
        self.gru = nn.GRU(H, H, batch_first=True)

    def forward(self, x):
        return self.gru(self.embedding(x))


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, H)
        self.gru = nn.GRU(H, H, batch_first=True)
        self.out = nn.Linear(H, V)

    def forward(self, tok, hidden):
        out, hidden = self.gru(torch.relu(self.embedding(tok)), hidden)
        return self.out(out), hidden


enc, dec = Encoder(), Decoder()
rng = np.random.default_rng(12)
for m in (enc, dec):
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.from_numpy(rng.normal(0, 0.3, p.shape).astype(np.float32)))
src = torch.tensor([[1, 2, 3, 4], [5, 4, 3, 2], [2, 2, 1, 1]])
tgt = src.clone()
params = list(enc.parameters()) + list(dec.parameters())
opt = torch.optim.Adam(params, lr=0.02)
criterion = nn.CrossEntropyLoss()
for it in range(6):
    opt.zero_grad()
    _, hidden = enc(src)
    dec_in = torch.full((src.size(0), 1), SOS, dtype=torch.long)
    loss = 0
    for t in range(tgt.size(1)):
        logits, hidden = dec(dec_in, hidden)
        loss += criterion(logits.squeeze(1), tgt[:, t])
        dec_in = tgt[:, t].unsqueeze(1)
    loss.backward()
    nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    print(it, f"{loss.item() / tgt.size(1):.4f}")
with torch.no_grad():
    _, hidden = enc(src)
    dec_in = torch.full((src.size(0), 1), SOS, dtype=torch.long)
    decoded = []
    for t in range(4):
        logits, hidden = dec(dec_in, hidden)
        topv, topi = logits.topk(1)
        dec_in = topi.squeeze(-1).detach()
        decoded.append(dec_in)
print(torch.cat(decoded, dim=1).shape, hidden.shape)
