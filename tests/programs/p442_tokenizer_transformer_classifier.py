# A tokenizer and a small transformer sentiment classifier written from scratch: vocab dicts with
# special tokens, padding/truncation, attention masks, nn.TransformerEncoder with
# src_key_padding_mask, mean pooling over the valid tokens, gradient clipping and a warmup +
# cosine LambdaLR schedule.
import math
import re
from collections import Counter

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
positive = ["good", "great", "fun", "love", "nice", "excellent"]
negative = ["bad", "awful", "boring", "hate", "poor", "terrible"]
filler = ["the", "movie", "was", "really", "a", "plot", "and", "acting", "i", "it"]


def make_sentence(label):
    words = [filler[i] for i in torch.randint(0, len(filler), (int(torch.randint(3, 9, ())),)).tolist()]
    bag = positive if label == 1 else negative
    for _ in range(int(torch.randint(1, 3, ()))):
        pos = int(torch.randint(0, len(words) + 1, ()))
        words.insert(pos, bag[int(torch.randint(0, len(bag), ()))])
    return " ".join(words) + ("!" if torch.rand(()) < 0.3 else ".")


labels = torch.randint(0, 2, (120,))
texts = [make_sentence(int(l)) for l in labels]
print(texts[:3])


class Tokenizer:
    PAD, UNK, CLS = "<pad>", "<unk>", "<cls>"

    def __init__(self, texts, min_freq=1):
        counts = Counter(tok for t in texts for tok in self.split(t))
        words = sorted(w for w, c in counts.items() if c >= min_freq)
        self.itos = [self.PAD, self.UNK, self.CLS] + words
        self.stoi = {w: i for i, w in enumerate(self.itos)}

    @staticmethod
    def split(text):
        return re.findall(r"\w+|[^\w\s]", text.lower())

    def encode(self, text, max_len):
        ids = [self.stoi[self.CLS]] + [self.stoi.get(t, self.stoi[self.UNK]) for t in self.split(text)]
        return ids[:max_len]

    def batch(self, texts, max_len=12):
        seqs = [self.encode(t, max_len) for t in texts]
        longest = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), longest), self.stoi[self.PAD], dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
        mask = ids != self.stoi[self.PAD]
        return ids, mask


tok = Tokenizer(texts[:90])
print("vocab size", len(tok.itos), tok.itos[:8])
ids, mask = tok.batch(["I love it!", "the plot was xyzzy and terrible boring boring bad bad bad bad ."])
print(ids)
print(mask)
print("lengths", mask.sum(1).tolist())


class Classifier(nn.Module):
    def __init__(self, vocab, d=32, heads=4, layers=2, max_len=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d))
        nn.init.normal_(self.pos, std=0.02)
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=64, dropout=0.1,
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(d, 2)

    def forward(self, ids, mask):
        x = self.emb(ids) * math.sqrt(self.emb.embedding_dim) + self.pos[:, : ids.size(1)]
        h = self.encoder(x, src_key_padding_mask=~mask)
        m = mask.unsqueeze(-1).type_as(h)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.head(pooled)


model = Classifier(len(tok.itos))
n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
print("parameters", n_params)
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
total_steps, warmup = 40, 6


def lr_lambda(step):
    if step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(1, total_steps - warmup)
    return 0.5 * (1.0 + math.cos(math.pi * progress))


sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
train_ids, train_mask = tok.batch(texts[:90])
val_ids, val_mask = tok.batch(texts[90:])
train_y, val_y = labels[:90], labels[90:]
print("train batch", tuple(train_ids.shape), "unk in val", (val_ids == 1).sum().item())
step = 0
lrs, norms = [], []
while step < total_steps:
    perm = torch.randperm(90)
    for b in perm.split(30):
        model.train()
        logits = model(train_ids[b], train_mask[b])
        loss = F.cross_entropy(logits, train_y[b], label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0).item())
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
        step += 1
        if step % 10 == 0:
            model.eval()
            with torch.no_grad():
                val_logits = model(val_ids, val_mask)
                acc = (val_logits.argmax(1) == val_y).float().mean().item()
            print(f"step {step} loss {loss.item():.4f} val acc {acc:.3f}")
        if step == total_steps:
            break
print("lrs", [round(v, 6) for v in lrs[:8]], round(lrs[-1], 8))
print("clipped steps", sum(n > 1.0 for n in norms), "max norm", round(max(norms), 3))
model.eval()
with torch.inference_mode():
    ids, mask = tok.batch(["great fun movie", "awful and boring", "the the the"])
    p = F.softmax(model(ids, mask), dim=-1)
print("predictions", p.argmax(1).tolist(), "is inference", p.is_inference())
# padding must not change the result: append pads to the batch and compare
pad = torch.zeros(ids.size(0), 3, dtype=torch.long)
with torch.no_grad():
    a = model(ids, mask)
    b = model(torch.cat([ids, pad], 1), torch.cat([mask, pad.bool()], 1))
print("padding invariant", torch.allclose(a, b, atol=1e-5))
