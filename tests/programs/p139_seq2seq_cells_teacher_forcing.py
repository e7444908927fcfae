# Seq2seq with an LSTMCell encoder and a GRUCell decoder unrolled by hand, teacher forcing
# with a fixed schedule, and Bahdanau-style additive attention (course-notebook style).
import torch
import torch.nn as nn
import torch.nn.functional as F

SOS, EOS, V, H = 0, 1, 10, 24


def det_init(m, k=0.0):
    with torch.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.37 + i + k).view(p.shape) * 0.25)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, H)
        self.cell = nn.LSTMCell(H, H)

    def forward(self, src):
        B, T = src.shape
        h = torch.zeros(B, H)
        c = torch.zeros(B, H)
        outs = []
        for t in range(T):
            h, c = self.cell(self.emb(src[:, t]), (h, c))
            outs.append(h)
        return torch.stack(outs, 1), h


class AttnDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, H)
        self.W = nn.Linear(H, H, bias=False)
        self.U = nn.Linear(H, H, bias=False)
        self.v = nn.Linear(H, 1, bias=False)
        self.cell = nn.GRUCell(2 * H, H)
        self.out = nn.Linear(H, V)

    def forward(self, tok, h, enc_out):
        scores = self.v(torch.tanh(self.W(h).unsqueeze(1) + self.U(enc_out))).squeeze(-1)
        attn = F.softmax(scores, dim=-1)
        ctx = torch.bmm(attn.unsqueeze(1), enc_out).squeeze(1)
        h = self.cell(torch.cat([self.emb(tok), ctx], -1), h)
        return self.out(h), h, attn


enc, dec = Encoder(), AttnDecoder()
det_init(enc)
det_init(dec, 1.0)
print(enc.cell)
print(dec.cell)
print(enc.cell.weight_ih.shape, enc.cell.weight_hh.shape, dec.cell.bias_ih.shape)

# task: copy a sequence in reverse order
src = torch.tensor([[2, 3, 4, 5], [6, 7, 8, 9], [3, 5, 7, 9], [9, 4, 2, 6]])
tgt = torch.cat([src.flip(1), torch.full((4, 1), EOS)], 1)
print(tgt)

params = list(enc.parameters()) + list(dec.parameters())
opt = torch.optim.Adam(params, lr=0.02)
for epoch in range(60):
    # teacher forcing on even epochs, own predictions on odd ones
    teacher = epoch % 2 == 0
    enc_out, h = enc(src)
    tok = torch.full((src.size(0),), SOS, dtype=torch.long)
    loss = 0.0
    for t in range(tgt.size(1)):
        logits, h, _ = dec(tok, h, enc_out)
        loss = loss + F.cross_entropy(logits, tgt[:, t])
        tok = tgt[:, t] if teacher else logits.argmax(-1).detach()
    loss = loss / tgt.size(1)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    if epoch % 20 == 0:
        print(f"epoch {epoch} teacher={teacher} loss {loss.item():.4f}")
print("trained:", loss.item() < 1.0)

with torch.no_grad():
    enc_out, h = enc(src)
    tok = torch.full((src.size(0),), SOS, dtype=torch.long)
    outs, attns = [], []
    for t in range(tgt.size(1)):
        logits, h, a = dec(tok, h, enc_out)
        tok = logits.argmax(-1)
        outs.append(tok)
        attns.append(a)
    pred = torch.stack(outs, 1)
    attn = torch.stack(attns, 1)
print(pred.shape, attn.shape)
print("token accuracy >= 0.5:", (pred == tgt).float().mean().item() >= 0.5)
print(torch.allclose(attn.sum(-1), torch.ones(4, 5)))

# one LSTMCell step equals nn.LSTM with the same weights
lstm = nn.LSTM(H, H, batch_first=True)
with torch.no_grad():
    lstm.weight_ih_l0.copy_(enc.cell.weight_ih)
    lstm.weight_hh_l0.copy_(enc.cell.weight_hh)
    lstm.bias_ih_l0.copy_(enc.cell.bias_ih)
    lstm.bias_hh_l0.copy_(enc.cell.bias_hh)
    out_seq, (hn, cn) = lstm(enc.emb(src))
    cell_out, h_last = enc(src)
print(torch.allclose(out_seq, cell_out, atol=1e-6), torch.allclose(hn[0], h_last, atol=1e-6))
