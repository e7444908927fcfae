# Embedding + LSTM text classifier on a toy vocabulary with padding.
import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence

sentences = ["i like this movie", "this film is bad", "great acting", "terrible plot and bad acting"]
labels = torch.tensor([1, 0, 1, 0])
vocab = {"<pad>": 0}
for s in sentences:
    for w in s.split():
        vocab.setdefault(w, len(vocab))
print(len(vocab))
seqs = [torch.tensor([vocab[w] for w in s.split()]) for s in sentences]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True, padding_value=0)
print(padded)
print(lengths)


class Classifier(nn.Module):
    def __init__(self, vocab_size, emb=8, hidden=8):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 2)

    def forward(self, x, lengths):
        e = self.embedding(x)
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        unpacked, lens = pad_packed_sequence(out, batch_first=True)
        return self.fc(h[-1]), unpacked.shape, lens


model = Classifier(len(vocab))
rng = np.random.default_rng(6)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.normal(0, 0.3, p.shape).astype(np.float32)))
    model.embedding.weight[0].zero_()
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for step in range(10):
    opt.zero_grad()
    logits, shape, lens = model(padded, lengths)
    loss = nn.functional.cross_entropy(logits, labels)
    loss.backward()
    opt.step()
    if step % 3 == 0:
        print(step, f"{loss.item():.4f}")
print(shape, lens)
print(model.embedding.weight.grad[0])
print(logits.argmax(-1))
