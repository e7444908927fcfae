# Embedding similarity search: L2-normalised vectors, cosine similarity matrices with mm,
# top-k nearest neighbours, recall@k, and a MIPS index built in chunks.
import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(42)
base = torch.from_numpy(rng.standard_normal((50, 16)).astype(np.float32))
queries = base[[3, 17, 29, 41]] + 0.05 * torch.from_numpy(
    rng.standard_normal((4, 16)).astype(np.float32))
print(base.shape, base.dtype, queries.shape)

base_n = F.normalize(base, p=2, dim=1)
q_n = F.normalize(queries, dim=-1)
print(torch.allclose(base_n.norm(dim=1), torch.ones(50)))
sims = q_n @ base_n.T
print(sims.shape)
scores, idx = sims.topk(3, dim=1)
print(idx)
print([[round(s, 3) for s in row] for row in scores.tolist()])

# the same from torch.mm and F.cosine_similarity with broadcasting
sims2 = torch.mm(q_n, base_n.t())
sims3 = F.cosine_similarity(queries.unsqueeze(1), base.unsqueeze(0), dim=-1)
print(torch.allclose(sims, sims2), torch.allclose(sims, sims3, atol=1e-6))

# Euclidean neighbours agree with cosine neighbours on normalised vectors
d = torch.cdist(q_n, base_n)
print(torch.equal(d.argsort(dim=1)[:, :3], idx))
print(torch.allclose(d ** 2, 2 - 2 * sims, atol=1e-5))

# recall@k for the ground-truth ids
gt = torch.tensor([3, 17, 29, 41])
for k in (1, 5):
    top = sims.topk(k, dim=1).indices
    print(f"recall@{k}:", (top == gt.unsqueeze(1)).any(1).float().mean().item())

# chunked search: keep a running top-k over blocks of the database
k = 4
best_s = torch.full((4, k), float("-inf"))
best_i = torch.zeros(4, k, dtype=torch.long)
for start in range(0, 50, 16):
    block = base_n[start:start + 16]
    s = q_n @ block.T
    cand_s = torch.cat([best_s, s], dim=1)
    cand_i = torch.cat([best_i, torch.arange(start, start + block.size(0)).expand(4, -1)], dim=1)
    best_s, pos = cand_s.topk(k, dim=1)
    best_i = cand_i.gather(1, pos)
print(torch.equal(best_i, sims.topk(k, dim=1).indices))

# sort, argsort with stable ties, kthvalue and a threshold search
ties = torch.tensor([0.5, 0.9, 0.5, 0.1, 0.9])
print(torch.sort(ties, descending=True, stable=True))
print(torch.argsort(ties, stable=True))
print(torch.kthvalue(torch.tensor([0.5, 0.9, 0.3, 0.1, 0.7]), 2))
mask = sims > 0.3
print(mask.sum(1), mask.nonzero().shape)
rows, cols = torch.where(sims > 0.9)
print(rows.tolist(), cols.tolist())

# pairwise duplicates inside the base: upper triangle only
self_sim = base_n @ base_n.T
iu = torch.triu_indices(50, 50, offset=1)
pair_s = self_sim[iu[0], iu[1]]
print(iu.shape, pair_s.shape)
top_pair = pair_s.argmax()
print(iu[:, top_pair].tolist(), f"{pair_s.max().item():.4f}")

# half-precision storage of the index keeps the neighbours
idx16 = (q_n.half().float() @ base_n.half().float().T).topk(1, dim=1).indices
print(idx16.view(-1).tolist())
