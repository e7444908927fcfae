# Text: tokenise to ids, pad_sequence, pack_padded_sequence(enforce_sorted=False), a 2-layer
# bidirectional LSTM classifier, and top-k / top-p sampling helpers.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence, unpack_sequence

corpus = [("the movie was great fun", 1), ("terrible plot and bad acting", 0),
          ("great acting", 1), ("bad", 0), ("fun fun fun and great", 1),
          ("the plot was terrible and the movie was bad", 0)]
vocab = {"<pad>": 0, "<unk>": 1}
for text, _ in corpus:
    for tok in text.split():
        vocab.setdefault(tok, len(vocab))
print(len(vocab), list(vocab.items())[:6])


def encode(text):
    return torch.tensor([vocab.get(t, vocab["<unk>"]) for t in text.lower().split()], dtype=torch.long)


seqs = [encode(t) for t, _ in corpus]
labels = torch.tensor([y for _, y in corpus])
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True, padding_value=0)
print(padded, lengths)
print(pad_sequence(seqs[:2]).shape, pad_sequence(seqs[:3], batch_first=True, padding_side="left")[2])
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices, packed.data[:8])
unpacked, ulens = pad_packed_sequence(packed, batch_first=True, total_length=12)
print(unpacked.shape, ulens, torch.equal(unpacked[:, :9], padded))
ps = pack_sequence([seqs[1], seqs[3]], enforce_sorted=False)
print(ps.batch_sizes, [t.tolist() for t in unpack_sequence(ps)])


def set_weights(module, scale=0.3):
    with torch.no_grad():
        for i, (name, p) in enumerate(sorted(module.named_parameters())):
            k = torch.arange(p.numel(), dtype=torch.float32)
            p.copy_((torch.sin(k * 0.77 + 1.3 * i) * scale).view_as(p))


class BiLSTMClassifier(nn.Module):
    def __init__(self, vocab_size, emb=8, hidden=12, classes=2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, num_layers=2, bidirectional=True, batch_first=True, dropout=0.0)
        self.fc = nn.Linear(2 * hidden, classes)

    def forward(self, x, lengths):
        e = self.emb(x)
        packed = pack_padded_sequence(e, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        # last layer's forward and backward final states
        feat = torch.cat([h[-2], h[-1]], dim=1)
        out, out_lens = pad_packed_sequence(out, batch_first=True)
        return self.fc(feat), out, out_lens


model = BiLSTMClassifier(len(vocab))
set_weights(model)
print(model)
print([(n, tuple(p.shape)) for n, p in model.lstm.named_parameters()][:5])
opt = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9)
for epoch in range(30):
    logits, out, out_lens = model(padded, lengths)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch} loss {loss.item():.4f}")
print(out.shape, out_lens, out[3, 1:].abs().sum().item())
with torch.no_grad():
    logits, _, _ = model(padded, lengths)
    print(logits.argmax(1), (logits.argmax(1) == labels).float().mean().item())
    test = [encode("great fun"), encode("bad plot unknownword")]
    tl = torch.tensor([len(t) for t in test])
    print(model(pad_sequence(test, batch_first=True), tl)[0].softmax(-1).round(decimals=3))


# sampling helpers (deterministic parts)
def top_k_filter(logits, k):
    v, _ = torch.topk(logits, k)
    return logits.masked_fill(logits < v[..., -1:], float("-inf"))


def top_p_filter(logits, p):
    sorted_logits, sorted_idx = torch.sort(logits, descending=True)
    cum = sorted_logits.softmax(-1).cumsum(-1)
    remove = cum > p
    remove[..., 1:] = remove[..., :-1].clone()
    remove[..., 0] = False
    mask = remove.scatter(-1, sorted_idx, remove)
    return logits.masked_fill(mask, float("-inf"))


logits = torch.tensor([[2.0, 1.0, 0.5, -1.0, 3.0], [0.1, 0.2, 0.3, 0.4, 0.5]])
print(top_k_filter(logits, 2))
print(top_p_filter(logits, 0.8))
probs = top_k_filter(logits, 1).softmax(-1)
print(probs, torch.multinomial(probs, 1).flatten())
g = torch.Generator().manual_seed(0)
draws = torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 5, replacement=True, generator=g)
print(draws, torch.multinomial(torch.tensor([[0.0, 0.0, 1.0]]), 1).item())
print(torch.distributions.Categorical(logits=top_k_filter(logits, 1)).sample(), F.gumbel_softmax(logits, tau=0.5, hard=True).shape)
print(F.softmax(logits / 0.5, dim=-1).round(decimals=4))
