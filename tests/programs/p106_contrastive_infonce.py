# SimCLR-style InfoNCE: normalized embeddings, cosine similarity matrix, cross entropy over logits.
import torch
import torch.nn as nn
import torch.nn.functional as F

N, D = 4, 5
base = torch.linspace(-2, 2, N * D).reshape(N, D)
view1 = base + 0.1 * torch.cos(torch.arange(N * D, dtype=torch.float32)).reshape(N, D)
view2 = base - 0.1 * torch.sin(torch.arange(N * D, dtype=torch.float32)).reshape(N, D)

proj = nn.Linear(D, 3, bias=False)
with torch.no_grad():
    proj.weight.copy_(torch.tensor([[0.5, -0.2, 0.1, 0.3, -0.4],
                                    [0.2, 0.4, -0.3, 0.1, 0.2],
                                    [-0.1, 0.3, 0.5, -0.2, 0.1]]))
z1 = F.normalize(proj(view1), dim=1)
z2 = F.normalize(proj(view2), p=2.0, dim=-1)
print(z1.norm(dim=1))
sim = z1 @ z2.T
print(sim)
print(F.cosine_similarity(z1.unsqueeze(1), z2.unsqueeze(0), dim=-1).allclose(sim, atol=1e-6))
temperature = 0.5
logits = sim / temperature
labels = torch.arange(N)
loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
print("clip loss", round(loss.item(), 5))
# NT-Xent with 2N samples and the diagonal masked out
z = torch.cat([z1, z2], dim=0)
s = torch.mm(z, z.t()) / temperature
mask = torch.eye(2 * N, dtype=torch.bool)
s = s.masked_fill(mask, float("-inf"))
targets = torch.cat([torch.arange(N, 2 * N), torch.arange(0, N)])
ntxent = F.cross_entropy(s, targets)
print("nt-xent", f"{ntxent.item():.5f}")
print(s[0])
ntxent.backward()
print(proj.weight.grad.shape, proj.weight.grad.abs().sum() > 0)
# triplet and cosine embedding losses
anchor, pos, neg = z1, z2, z2.roll(1, dims=0)
print(F.triplet_margin_loss(anchor, pos, neg, margin=0.3).item() >= 0)
print(round(nn.TripletMarginLoss(margin=1.0, p=2)(anchor, pos, neg).item(), 5))
print(round(F.cosine_embedding_loss(anchor, neg, torch.tensor([1, -1, 1, -1])).item(), 5))
print(torch.pairwise_distance(anchor, pos).shape, F.pairwise_distance(anchor, pos, keepdim=True).shape)
print(torch.nn.CosineSimilarity(dim=1)(anchor, pos).round(decimals=4))
