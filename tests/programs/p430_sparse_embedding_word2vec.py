# word2vec skip-gram with negative sampling, trained the way large-vocabulary programs are:
# nn.Embedding(sparse=True) tables whose gradients are sparse COO tensors, updated lazily by
# optim.SparseAdam (and, in a second run, by plain SGD). Prints the sparse gradient of one step,
# the loss of every step and a summary of the final tables.
import torch
import torch.nn as nn
import torch.nn.functional as F

text = ("the king rules the kingdom . the queen rules the kingdom . the king and queen live "
        "in the castle . a dog chases the cat . the cat chases a mouse . a dog and a cat play "
        "in the garden .")
tokens = text.split()
vocab = sorted(set(tokens))
w2i = {w: i for i, w in enumerate(vocab)}
ids = torch.tensor([w2i[w] for w in tokens])
V = len(vocab)
counts = torch.bincount(ids, minlength=V).float()
noise = counts.pow(0.75)
noise = noise / noise.sum()
print("vocab", V, "tokens", len(tokens))

# (center, context) pairs within a window of 2
pairs = []
for i in range(len(tokens)):
    for j in range(max(0, i - 2), min(len(tokens), i + 3)):
        if j != i:
            pairs.append((ids[i].item(), ids[j].item()))
pairs = torch.tensor(pairs)
print("pairs", tuple(pairs.shape))


class SkipGram(nn.Module):
    def __init__(self, V, dim):
        super().__init__()
        self.inp = nn.Embedding(V, dim, sparse=True)
        self.out = nn.Embedding(V, dim, sparse=True)
        nn.init.uniform_(self.inp.weight, -0.5, 0.5)
        nn.init.uniform_(self.out.weight, -0.1, 0.1)

    def forward(self, center, context, negatives):
        v = self.inp(center)
        u = self.out(context)
        un = self.out(negatives)
        pos = F.logsigmoid((v * u).sum(-1))
        neg = F.logsigmoid(-torch.bmm(un, v.unsqueeze(2)).squeeze(2)).sum(-1)
        return -(pos + neg).mean()


def train(make_opt, steps=30, batch=16, K=3):
    torch.manual_seed(7)
    model = SkipGram(V, 8)
    opt = make_opt(model.parameters())
    losses = []
    for step in range(steps):
        sel = torch.randint(0, len(pairs), (batch,))
        b = pairs[sel]
        neg = torch.multinomial(noise, batch * K, replacement=True).view(batch, K)
        loss = model(b[:, 0], b[:, 1], neg)
        opt.zero_grad()
        loss.backward()
        if step == 0:
            g = model.inp.weight.grad
            print("grad", g.layout, g.is_coalesced(), g._nnz(), tuple(g.shape))
            c = g.coalesce()
            print("rows", c.indices().tolist())
            print("row sums", [round(x, 4) for x in c.values().sum(1).tolist()])
            print("out grad nnz", model.out.weight.grad._nnz())
        opt.step()
        losses.append(loss.item())
    print("losses", [round(x, 4) for x in losses[:5]], "...", [round(x, 4) for x in losses[-3:]])
    print("mean loss first/last 10", round(sum(losses[:10]) / 10, 4),
          round(sum(losses[-10:]) / 10, 4))
    for name, t in (("inp", model.inp.weight), ("out", model.out.weight)):
        w = t.detach()
        print(name, "sum", round(w.sum().item(), 3), "abs", round(w.abs().sum().item(), 3),
              "rows", [round(x, 3) for x in w.norm(dim=1)[:6].tolist()])
    return model


print("== SparseAdam")
m = train(lambda ps: torch.optim.SparseAdam(list(ps), lr=0.05))
emb = F.normalize(m.inp.weight.detach(), dim=1)
sim = emb @ emb.T
print("king ~", [vocab[j] for j in sim[w2i["king"]].topk(3).indices.tolist()[1:]])

print("== SGD")
train(lambda ps: torch.optim.SGD(ps, lr=0.5))

print("== SGD momentum")
train(lambda ps: torch.optim.SGD(ps, lr=0.2, momentum=0.9), steps=12)

print("== Adagrad")
train(lambda ps: torch.optim.Adagrad(ps, lr=0.3), steps=12)

# a dense-gradient optimizer refuses, as torch does
model = SkipGram(V, 8)
model(pairs[:4, 0], pairs[:4, 1], pairs[:4, 1:]).backward()
try:
    torch.optim.Adam(model.parameters()).step()
except RuntimeError as e:
    print("Adam:", e)
