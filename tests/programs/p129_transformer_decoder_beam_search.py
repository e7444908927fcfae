# A decoder-only language model built from nn.TransformerDecoder with a causal tgt mask,
# decoded greedily and with beam search (topk + gather), as in seq2seq tutorials.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
VOCAB, D, BOS, EOS = 7, 16, 0, 6


def det_init(module, scale=0.3):
    # deterministic weights: ember and torch draw different random streams
    with torch.no_grad():
        for i, (name, p) in enumerate(module.named_parameters()):
            if "norm" in name and name.endswith("weight"):
                p.fill_(1.0)
            elif name.endswith("bias"):
                p.copy_(torch.linspace(-0.05, 0.05, p.numel()).view(p.shape))
            else:
                v = torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.61 + i)
                p.copy_(v.view(p.shape) * scale)


class TinyDecoderLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, D)
        layer = nn.TransformerDecoderLayer(D, nhead=2, dim_feedforward=32, dropout=0.0,
                                           batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers=2)
        self.out = nn.Linear(D, VOCAB)
        pe = torch.zeros(32, D)
        pos = torch.arange(32).unsqueeze(1).float()
        div = torch.exp(torch.arange(0, D, 2).float() * (-math.log(10000.0) / D))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, tgt, memory):
        T = tgt.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(T)
        h = self.emb(tgt) * math.sqrt(D) + self.pe[:T]
        h = self.decoder(h, memory, tgt_mask=mask, tgt_is_causal=True)
        return self.out(h)


mask = nn.Transformer.generate_square_subsequent_mask(4)
print(mask)
model = TinyDecoderLM()
det_init(model)
print(sum(p.numel() for p in model.parameters()))
memory = torch.linspace(-1, 1, 2 * 3 * D).view(2, 3, D)

# train to continue the pattern 0 1 2 3 4 5 6 for batch 0 and 0 5 4 3 2 1 6 for batch 1
seqs = torch.tensor([[0, 1, 2, 3, 4, 5, 6], [0, 5, 4, 3, 2, 1, 6]])
opt = torch.optim.Adam(model.parameters(), lr=0.01)
model.train()
for step in range(40):
    logits = model(seqs[:, :-1], memory)
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), seqs[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.3f}")
print(f"final loss {loss.item():.2f}")
model.eval()


@torch.no_grad()
def greedy(mem, max_len=7):
    ys = torch.full((mem.size(0), 1), BOS, dtype=torch.long)
    for _ in range(max_len - 1):
        logits = model(ys, mem)[:, -1]
        nxt = logits.argmax(-1, keepdim=True)
        ys = torch.cat([ys, nxt], dim=1)
    return ys


print("greedy:", greedy(memory).tolist())


@torch.no_grad()
def beam_search(mem, beam=3, max_len=7):
    # mem: (1, S, D); keep `beam` hypotheses with their summed log-probabilities
    seqs = torch.full((1, 1), BOS, dtype=torch.long)
    scores = torch.zeros(1)
    for _ in range(max_len - 1):
        logp = F.log_softmax(model(seqs, mem.expand(seqs.size(0), -1, -1))[:, -1], dim=-1)
        cand = (scores.unsqueeze(1) + logp).view(-1)
        top_scores, top_idx = cand.topk(min(beam, cand.numel()))
        parent = torch.div(top_idx, VOCAB, rounding_mode="floor")
        token = top_idx % VOCAB
        seqs = torch.cat([seqs.index_select(0, parent), token.unsqueeze(1)], dim=1)
        scores = top_scores
    return seqs, scores


for b in range(2):
    s, sc = beam_search(memory[b:b + 1])
    print(f"beam {b}:", s[0].tolist(), s.shape, sc.shape)

# gather the log-probability each target token received under teacher forcing
with torch.no_grad():
    logp = F.log_softmax(model(seqs[:, :-1], memory), dim=-1)
    tok_lp = logp.gather(2, seqs[:, 1:].unsqueeze(-1)).squeeze(-1)
    print(tok_lp.shape, bool((tok_lp <= 0).all()))
    print("sequence nll < 1:", (-tok_lp.sum(1) < 1.0).tolist())
