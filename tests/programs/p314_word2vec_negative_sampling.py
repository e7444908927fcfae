# word2vec skip-gram with negative sampling on a tiny corpus: vocabulary with collections
# Counter, subsampling, unigram^0.75 noise distribution sampled with torch.multinomial, two
# embedding tables, logsigmoid loss, and nearest neighbours by cosine similarity.
import collections

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(23)
text = ("the king rules the kingdom . the queen rules the kingdom . the king and queen live "
        "in the castle . a dog chases the cat . the cat chases a mouse . a dog and a cat play "
        "in the garden . the king has a dog . the queen has a cat .") * 8
tokens = text.split()
counts = collections.Counter(tokens)
vocab = sorted(counts, key=lambda w: (-counts[w], w))
w2i = {w: i for i, w in enumerate(vocab)}
ids = torch.tensor([w2i[w] for w in tokens])
V = len(vocab)
print("vocab", V, vocab[:6], "tokens", len(tokens))

freq = torch.tensor([counts[w] for w in vocab], dtype=torch.float)
noise = freq.pow(0.75)
noise = noise / noise.sum()
print("noise top", [round(p, 4) for p in noise[:4].tolist()])

# (center, context) pairs within a window of 2
window = 2
pairs = []
for off in range(-window, window + 1):
    if off == 0:
        continue
    c = ids[max(0, -off):len(ids) - max(0, off)]
    o = ids[max(0, off):len(ids) - max(0, -off) if off < 0 else len(ids)]
    pairs.append(torch.stack([c, o[:len(c)]], 1))
pairs = torch.cat(pairs)
print("pairs", pairs.shape, pairs[:3].tolist())


class SGNS(nn.Module):
    def __init__(self, V, dim):
        super().__init__()
        self.inp = nn.Embedding(V, dim)
        self.out = nn.Embedding(V, dim)
        nn.init.uniform_(self.inp.weight, -0.5 / dim, 0.5 / dim)
        nn.init.zeros_(self.out.weight)

    def forward(self, center, context, negatives):
        v = self.inp(center)  # B, D
        u = self.out(context)  # B, D
        un = self.out(negatives)  # B, K, D
        pos = F.logsigmoid((v * u).sum(-1))
        neg = F.logsigmoid(-torch.bmm(un, v.unsqueeze(2)).squeeze(2)).sum(-1)
        return -(pos + neg).mean()


model = SGNS(V, 16)
opt = torch.optim.Adam(model.parameters(), lr=0.02)
K = 5
for epoch in range(15):
    perm = torch.randperm(len(pairs))
    tot = 0.0
    for s in range(0, len(pairs), 128):
        batch = pairs[perm[s:s + 128]]
        neg = torch.multinomial(noise, batch.shape[0] * K, replacement=True).view(-1, K)
        loss = model(batch[:, 0], batch[:, 1], neg)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * batch.shape[0]
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1} loss {tot / len(pairs):.4f}")

emb = F.normalize(model.inp.weight.detach(), dim=1)
sim = emb @ emb.T
for w in ("king", "cat", "rules"):
    s, j = sim[w2i[w]].topk(4)
    print(w, "->", [(vocab[k], round(v, 2)) for k, v in zip(j.tolist()[1:], s.tolist()[1:])])
print("cosine king/queen vs king/mouse",
      F.cosine_similarity(emb[w2i["king"]], emb[w2i["queen"]], dim=0).item() > F.cosine_similarity(emb[w2i["king"]], emb[w2i["mouse"]], dim=0).item())
print("embedding norms", model.inp.weight.norm(dim=1)[:4].round(decimals=3))
