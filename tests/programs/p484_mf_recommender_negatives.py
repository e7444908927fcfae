"""A small matrix-factorisation recommender: user/item embeddings with biases, dot-product
scores, BCEWithLogitsLoss with pos_weight, negative sampling with randint, top-k hit rate."""
import torch
import torch.nn as nn

torch.manual_seed(42)
n_users, n_items, dim = 30, 50, 8

# synthetic implicit feedback: each user likes items from one of three "genres"
genre_of_item = torch.arange(n_items) % 3
user_genre = torch.randint(0, 3, (n_users,))
pos_pairs = []
for u in range(n_users):
    liked = (genre_of_item == user_genre[u]).nonzero().squeeze(1)
    pick = liked[torch.randperm(len(liked))[:6]]
    pos_pairs += [(u, i.item()) for i in pick]
pos = torch.tensor(pos_pairs)
print(pos.shape, pos[:4].tolist(), torch.bincount(user_genre).tolist())
# hold out the last positive of each user for evaluation
last = {}
for k, (u, i) in enumerate(pos_pairs):
    last[u] = k
test_idx = torch.tensor(sorted(last.values()))
mask = torch.ones(len(pos), dtype=torch.bool)
mask[test_idx] = False
train_pos, test_pos = pos[mask], pos[test_idx]
print(train_pos.shape, test_pos.shape)
seen = torch.zeros(n_users, n_items, dtype=torch.bool)
seen[train_pos[:, 0], train_pos[:, 1]] = True
print(seen.sum().item(), seen.float().mean().item())


class MF(nn.Module):
    def __init__(self, n_users, n_items, dim):
        super().__init__()
        self.user = nn.Embedding(n_users, dim)
        self.item = nn.Embedding(n_items, dim)
        self.user_bias = nn.Embedding(n_users, 1)
        self.item_bias = nn.Embedding(n_items, 1)
        nn.init.normal_(self.user.weight, std=0.1)
        nn.init.normal_(self.item.weight, std=0.1)
        nn.init.zeros_(self.user_bias.weight)
        nn.init.zeros_(self.item_bias.weight)

    def forward(self, u, i):
        dot = (self.user(u) * self.item(i)).sum(dim=-1)
        return dot + self.user_bias(u).squeeze(-1) + self.item_bias(i).squeeze(-1)

    def score_all(self, u):
        return self.user(u) @ self.item.weight.T + self.item_bias.weight.T + self.user_bias(u)


model = MF(n_users, n_items, dim)
print(model)
n_neg = 4
pos_weight = torch.tensor([float(n_neg)])
loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
print(loss_fn, loss_fn.pos_weight)
opt = torch.optim.Adam(model.parameters(), lr=0.05, weight_decay=1e-4)


def hit_rate(model, k=10):
    model.eval()
    with torch.no_grad():
        scores = model.score_all(test_pos[:, 0])
        scores[seen[test_pos[:, 0]]] = float("-inf")
        top = scores.topk(k, dim=1).indices
        hits = (top == test_pos[:, 1:2]).any(dim=1)
    model.train()
    return hits.float().mean().item(), top


hr, _ = hit_rate(model)
print(f"before training: HR@10={hr:.3f}")
for epoch in range(8):
    perm = torch.randperm(len(train_pos))
    total = 0.0
    for start in range(0, len(train_pos), 32):
        batch = train_pos[perm[start:start + 32]]
        users = batch[:, 0]
        neg_items = torch.randint(0, n_items, (len(batch), n_neg))
        u_all = torch.cat([users, users.repeat_interleave(n_neg)])
        i_all = torch.cat([batch[:, 1], neg_items.flatten()])
        labels = torch.cat([torch.ones(len(batch)), torch.zeros(len(batch) * n_neg)])
        logits = model(u_all, i_all)
        loss = loss_fn(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(batch)
    hr, top = hit_rate(model)
    print(f"epoch {epoch}: loss={total / len(train_pos):.4f} HR@10={hr:.3f}")

print(top[:3].tolist())
print(genre_of_item[top[:3]].tolist(), user_genre[:3].tolist())
with torch.no_grad():
    u = torch.tensor([0, 1])
    s = model.score_all(u)
    print(s.shape, s.dtype, s.argmax(1), torch.sigmoid(s).max(1).values.round(decimals=2))
    sim = nn.functional.cosine_similarity(model.item.weight[:1], model.item.weight[1:], dim=1)
    print(sim.shape, genre_of_item[1:][sim.topk(5).indices].tolist())
unweighted = nn.BCEWithLogitsLoss()(torch.tensor([0.5, -1.0]), torch.tensor([1.0, 0.0]))
weighted = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(3.0))(torch.tensor([0.5, -1.0]), torch.tensor([1.0, 0.0]))
print(round(unweighted.item(), 4), round(weighted.item(), 4))
print(nn.BCEWithLogitsLoss(reduction="none", pos_weight=torch.tensor([1.0, 2.0]))(torch.zeros(2, 2), torch.ones(2, 2)))
