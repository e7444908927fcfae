# A word2vec skip-gram model with negative sampling on a tiny corpus.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

corpus = "the quick brown fox jumps over the lazy dog the dog sleeps".split()
vocab = sorted(set(corpus))
w2i = {w: i for i, w in enumerate(vocab)}
pairs = []
for i, w in enumerate(corpus):
    for j in range(max(0, i - 2), min(len(corpus), i + 3)):
        if i != j:
            pairs.append((w2i[w], w2i[corpus[j]]))
print(len(vocab), len(pairs), pairs[:4])
centers = torch.tensor([p[0] for p in pairs])
contexts = torch.tensor([p[1] for p in pairs])
rng = np.random.default_rng(9)
negatives = torch.from_numpy(rng.integers(0, len(vocab), size=(len(pairs), 3)))


class SkipGram(nn.Module):
    def __init__(self, n, d):
        super().__init__()
        self.in_embed = nn.Embedding(n, d)
        self.out_embed = nn.Embedding(n, d)

    def forward(self, c, o, neg):
        v = self.in_embed(c)
        u = self.out_embed(o)
        un = self.out_embed(neg)
        pos = F.logsigmoid((v * u).sum(-1))
        negs = F.logsigmoid(-torch.bmm(un, v.unsqueeze(2)).squeeze(2)).sum(-1)
        return -(pos + negs).mean()


model = SkipGram(len(vocab), 5)
with torch.no_grad():
    model.in_embed.weight.copy_(torch.from_numpy(rng.normal(0, 0.5, (len(vocab), 5))))
    model.out_embed.weight.copy_(torch.from_numpy(rng.normal(0, 0.5, (len(vocab), 5))))
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(10):
    opt.zero_grad()
    loss = model(centers, contexts, negatives)
    loss.backward()
    opt.step()
    if epoch % 3 == 0:
        print(epoch, round(loss.item(), 4))
emb = model.in_embed.weight.detach()
sim = F.cosine_similarity(emb[w2i["dog"]].unsqueeze(0), emb)
print(sim.shape, vocab[sim.argsort(descending=True)[1].item()] in vocab)
print(model.in_embed, model.in_embed.weight.grad.shape, model.in_embed.embedding_dim, model.in_embed.num_embeddings)
bag = nn.EmbeddingBag(len(vocab), 3, mode="mean")
with torch.no_grad():
    bag.weight.copy_(torch.arange(len(vocab) * 3, dtype=torch.float32).reshape(-1, 3))
print(bag(torch.tensor([1, 2, 4, 5]), torch.tensor([0, 2])))
