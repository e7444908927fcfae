# Siamese / metric learning: TripletMarginLoss, CosineEmbeddingLoss, PairwiseDistance, mining.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class EmbeddingNet(nn.Module):
    def __init__(self, d_in=10, d_out=4):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_in, 32), nn.PReLU(), nn.Linear(32, 32), nn.PReLU(),
                                 nn.Linear(32, d_out))

    def forward(self, x):
        return F.normalize(self.net(x), p=2, dim=1)


class SiameseNet(nn.Module):
    def __init__(self, emb):
        super().__init__()
        self.emb = emb

    def forward(self, x1, x2):
        return self.emb(x1), self.emb(x2)


rng = np.random.default_rng(7)
T = lambda a: torch.tensor(a, dtype=torch.float32)
centers = T(rng.standard_normal((5, 10))) * 2
labels = torch.arange(5).repeat_interleave(8)
data = centers[labels] + 0.5 * T(rng.standard_normal((40, 10)))

emb = EmbeddingNet()
with torch.no_grad():
    for i, (name, p) in enumerate(emb.named_parameters()):
        if "weight" in name and p.dim() == 2:
            p.copy_(T(rng.uniform(-1, 1, p.shape)) / p.shape[1] ** 0.5)
        elif "bias" in name:
            p.zero_()
model = SiameseNet(emb)
print(model)
triplet = nn.TripletMarginLoss(margin=0.5, p=2)
cos_loss = nn.CosineEmbeddingLoss(margin=0.2)
pdist = nn.PairwiseDistance(p=2, eps=1e-6, keepdim=False)
opt = torch.optim.Adam(model.parameters(), lr=5e-3)


def batch_hard_triplets(e, lab):
    d = torch.cdist(e, e)
    same = lab[:, None] == lab[None, :]
    hardest_pos = (d * same.float()).max(dim=1).values
    d_neg = d.masked_fill(same, float("inf"))
    hardest_neg = d_neg.min(dim=1).values
    return F.relu(hardest_pos - hardest_neg + 0.5).mean()


for step in range(30):
    a_idx = torch.from_numpy(rng.integers(0, 40, 16))
    a_lab = labels[a_idx]
    # a positive from the same class, a negative from a different class
    p_idx = a_lab * 8 + torch.from_numpy(rng.integers(0, 8, 16))
    n_lab = (a_lab + torch.from_numpy(rng.integers(1, 5, 16))) % 5
    n_idx = n_lab * 8 + torch.from_numpy(rng.integers(0, 8, 16))
    ea, ep = model(data[a_idx], data[p_idx])
    en = emb(data[n_idx])
    target = torch.where(torch.from_numpy(rng.random(16)) > 0.5, 1, -1)
    other = torch.where(target > 0, p_idx, n_idx)
    e1, e2 = model(data[a_idx], data[other])
    loss = triplet(ea, ep, en) + cos_loss(e1, e2, target) + 0.5 * batch_hard_triplets(emb(data), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.4f}")

with torch.no_grad():
    e = emb(data)
    d_pos = pdist(e[0:8], e[1:9])
    print("pos dist", d_pos.round(decimals=3))
    print("neg dist", pdist(e[0:8], e[8:16]).round(decimals=3))
    # nearest-neighbour retrieval accuracy
    d = torch.cdist(e, e).fill_diagonal_(float("inf"))
    nn_idx = d.argmin(dim=1)
    print("1-NN acc", (labels[nn_idx] == labels).float().mean().item())
    sim = F.cosine_similarity(e[:, None, :], e[None, :, :], dim=-1)
    print(sim.shape, sim.diagonal().round(decimals=4).unique())

# the losses on fixed inputs, every reduction and option
a, p, n = T(rng.standard_normal((3, 6, 3))).unbind(0)
for kw in [dict(), dict(swap=True), dict(p=1), dict(reduction="none"), dict(reduction="sum", margin=2.0)]:
    print(kw, F.triplet_margin_loss(a, p, n, **kw).round(decimals=4))
twd = nn.TripletMarginWithDistanceLoss(distance_function=lambda x, y: 1.0 - F.cosine_similarity(x, y), margin=0.3)
print(twd(a, p, n).round(decimals=4))
twd2 = nn.TripletMarginWithDistanceLoss(distance_function=nn.PairwiseDistance(), swap=True, reduction="none")
print(twd2(a, p, n).round(decimals=4))
t = torch.tensor([1, -1, 1, -1, 1, -1])
for red in ["mean", "sum", "none"]:
    print(red, F.cosine_embedding_loss(a, p, t, margin=0.1, reduction=red).round(decimals=4))
print(F.pairwise_distance(a, p, p=3.0, keepdim=True).round(decimals=4).shape)
print(F.pairwise_distance(a[0], p[0]).round(decimals=4), F.pairwise_distance(a, p[0], p=float("inf")).round(decimals=4))
print(F.margin_ranking_loss(a[:, 0], p[:, 0], t.float(), margin=0.5).round(decimals=4))
print(F.hinge_embedding_loss(pdist(a, p), t, margin=1.5).round(decimals=4))
print(torch.cdist(a, p, p=1).round(decimals=3)[0], torch.cdist(a[None], p[None], p=0.5).shape)
