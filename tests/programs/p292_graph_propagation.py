# Graph propagation with sparse adjacency matrices: personalised PageRank by repeated
# torch.sparse.mm, a symmetric-normalised adjacency built from degrees with torch.sparse.sum,
# edge attention with torch.sparse.softmax, and learning edge weights (the sparse values
# require grad) against a target propagation.
import numpy as np
import torch

rng = np.random.default_rng(7)
n = 40
src = rng.integers(0, n, 160)
dst = rng.integers(0, n, 160)
keep = src != dst
edges = np.unique(np.stack([src[keep], dst[keep]]), axis=1)
edges = np.concatenate([edges, edges[::-1]], axis=1)  # both directions (duplicates stay)
index = torch.from_numpy(edges.astype(np.int64))
ones = torch.ones(index.shape[1])
A = torch.sparse_coo_tensor(index, ones, (n, n)).coalesce()
print(A.shape, A._nnz(), A.is_coalesced())

deg = torch.sparse.sum(A, dim=1).to_dense()
print("degrees", deg[:10].tolist(), float(deg.sum()))
dinv = deg.clamp(min=1).pow(-0.5)
r, c = A.indices()
A_hat = torch.sparse_coo_tensor(A.indices(), dinv[r] * A.values() * dinv[c], A.shape)
print(f"A_hat sum {torch.sparse.sum(A_hat).item():.4f}")

# personalised PageRank from node 0
alpha = 0.15
p0 = torch.zeros(n, 1)
p0[0] = 1.0
P = torch.sparse_coo_tensor(A.indices(), A.values() / deg.clamp(min=1)[r], A.shape)
p = p0.clone()
for it in range(30):
    p = (1 - alpha) * torch.sparse.mm(P.t(), p) + alpha * p0
top = torch.topk(p.squeeze(1), 5)
print("ppr top", top.indices.tolist(), [f"{x:.4f}" for x in top.values.tolist()])

# edge attention: scores from node features, softmax over each node's out-edges
feats = torch.from_numpy(rng.standard_normal((n, 4)).astype(np.float32))
scores = (feats[r] * feats[c]).sum(1)
att = torch.sparse.softmax(torch.sparse_coo_tensor(A.indices(), scores, A.shape), dim=1)
row_sums = torch.sparse.sum(att, dim=1).to_dense()
print(f"attention rows sum to one: {bool(torch.allclose(row_sums[deg > 0], torch.ones(int((deg > 0).sum()))))}")
h = torch.sparse.mm(att, feats)
print(f"h {h.shape} mean {h.mean().item():.4f} std {h.std().item():.4f}")

# learn edge weights so that one propagation step of feats matches a target
target = torch.sparse.mm(A_hat, feats).detach() * 1.5
W = torch.sparse_coo_tensor(A.indices(), torch.full((A._nnz(),), 0.1), A.shape,
                            requires_grad=True)
print(W.requires_grad, W.is_leaf)
lr = 2.0
for step in range(40):
    out = torch.sparse.mm(W, feats)
    loss = ((out - target) ** 2).mean()
    loss.backward()
    if step == 0:
        print(W.grad.layout, W.grad.shape, W.grad._nnz())
    with torch.no_grad():
        W.add_(W.grad, alpha=-lr)  # a sparse gradient step: W keeps its indices
    W.grad = None
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.5f} nnz {W._nnz()}")
