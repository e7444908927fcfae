# A tiny recommender: matrix factorisation with nn.Embedding biases, EmbeddingBag for user
# histories (offsets, per_sample_weights, padding_idx), BPR loss, and top-k retrieval metrics.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

n_users, n_items, d = 6, 10, 4
rng = np.random.default_rng(11)
# each user likes items of one of two "genres" (even / odd ids)
interactions = [(u, i) for u in range(n_users) for i in range(n_items) if i % 2 == u % 2 and rng.random() < 0.7]
print(len(interactions), interactions[:6])
pos = {u: sorted(i for uu, i in interactions if uu == u) for u in range(n_users)}


class MF(nn.Module):
    def __init__(self):
        super().__init__()
        self.user = nn.Embedding(n_users, d)
        self.item = nn.Embedding(n_items, d, max_norm=None)
        self.user_bias = nn.Embedding(n_users, 1)
        self.item_bias = nn.Embedding(n_items, 1)
        self.global_bias = nn.Parameter(torch.zeros(1))

    def forward(self, u, i):
        dot = (self.user(u) * self.item(i)).sum(-1)
        return dot + self.user_bias(u).squeeze(-1) + self.item_bias(i).squeeze(-1) + self.global_bias


model = MF()
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.tensor(rng.normal(0, 0.1, p.shape), dtype=torch.float32))
opt = torch.optim.SparseAdam(list(model.parameters())[:0] or [torch.zeros(1, requires_grad=True)]) if False else None
opt = torch.optim.Adagrad(model.parameters(), lr=0.1, initial_accumulator_value=0.1)
users = torch.tensor([u for u, _ in interactions])
pos_items = torch.tensor([i for _, i in interactions])
# negatives chosen deterministically: the first item of the other genre not interacted with
neg_items = torch.tensor([(i + 1) % n_items for _, i in interactions])
for epoch in range(60):
    pos_scores = model(users, pos_items)
    neg_scores = model(users, neg_items)
    bpr = -F.logsigmoid(pos_scores - neg_scores).mean()
    reg = 1e-3 * (model.user.weight.pow(2).sum() + model.item.weight.pow(2).sum())
    loss = bpr + reg
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 20 == 0:
        print(f"epoch {epoch} bpr {bpr.item():.4f}")

with torch.no_grad():
    all_scores = model.user.weight @ model.item.weight.t() + model.item_bias.weight.t() + model.user_bias.weight
    # mask seen items, then take top-3
    seen = torch.zeros(n_users, n_items, dtype=torch.bool)
    seen[users, pos_items] = True
    top = all_scores.masked_fill(seen, float("-inf")).topk(3, dim=1).indices
    print(top.shape, (top % 2 == torch.arange(n_users).unsqueeze(1) % 2).float().mean().item() >= 0)
    hits = (all_scores.topk(3, dim=1).indices % 2 == (torch.arange(n_users) % 2).unsqueeze(1)).float().mean()
    print(f"genre precision@3 {hits.item():.3f}")

# EmbeddingBag: a user as the mean of the items in their history
bag = nn.EmbeddingBag(n_items + 1, 3, mode="mean", padding_idx=n_items)
with torch.no_grad():
    bag.weight.copy_(torch.arange((n_items + 1) * 3, dtype=torch.float32).view(-1, 3) / 10)
flat = torch.tensor([i for u in range(n_users) for i in pos[u]])
offsets = torch.tensor([0] + list(np.cumsum([len(pos[u]) for u in range(n_users)])[:-1]))
print(offsets.tolist(), bag(flat, offsets).round(decimals=3))
for mode in ["sum", "max"]:
    b = nn.EmbeddingBag.from_pretrained(bag.weight.detach(), mode=mode)
    print(mode, b(flat, offsets)[:2].round(decimals=3), b.mode)
w = torch.tensor([1.0, 0.5, 0.25, 2.0, 1.0])
sb = nn.EmbeddingBag.from_pretrained(bag.weight.detach(), mode="sum")
print(sb(torch.tensor([0, 1, 2, 3, 4]), torch.tensor([0, 2]), per_sample_weights=w).round(decimals=3))
print(sb(torch.tensor([[0, 1], [2, 10]])).round(decimals=3))
padded = torch.tensor([[1, 2, n_items], [3, n_items, n_items]])
print(bag(padded).round(decimals=3))
print(F.embedding_bag(torch.tensor([1, 2, 4, 5]), bag.weight, torch.tensor([0, 1]), mode="sum", include_last_offset=True).round(decimals=3))
bag.weight.grad = None
bag(flat, offsets).sum().backward()
print(bag.weight.grad[:, 0].tolist())
e = nn.Embedding(5, 2, padding_idx=0)
print(e.weight[0].tolist(), e(torch.tensor([0, 0])).sum().item())
e2 = nn.Embedding.from_pretrained(torch.arange(10.0).view(5, 2), freeze=False, max_norm=2.0)
print(e2(torch.tensor([1, 4])).round(decimals=4), e2.weight.round(decimals=4)[4])
