# Graph attention (GAT) and GCN layers written by hand: edge softmax with scatter_reduce("amax"),
# scatter_add_, index_add_ and symmetric degree normalisation, as in GNN course notebooks.
import torch
import torch.nn as nn
import torch.nn.functional as F

edges = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (4, 5), (5, 6), (6, 4), (3, 4)]
src = torch.tensor([a for a, b in edges] + [b for a, b in edges])
dst = torch.tensor([b for a, b in edges] + [a for a, b in edges])
N = 7
# add self-loops
loops = torch.arange(N)
src = torch.cat([src, loops])
dst = torch.cat([dst, loops])
edge_index = torch.stack([src, dst])
print(edge_index.shape)

deg = torch.zeros(N).scatter_add_(0, dst, torch.ones(dst.numel()))
print("degree:", deg.tolist())
print(torch.bincount(dst, minlength=N))
deg_inv_sqrt = deg.pow(-0.5)
deg_inv_sqrt[deg_inv_sqrt == float("inf")] = 0
norm = deg_inv_sqrt[src] * deg_inv_sqrt[dst]
print(norm[:5])

# a dense adjacency check of the normalised propagation matrix
A = torch.zeros(N, N)
A[dst, src] = 1.0
A_hat = deg_inv_sqrt.unsqueeze(1) * A * deg_inv_sqrt.unsqueeze(0)
print(A_hat.sum(1))

x = torch.stack([torch.arange(N, dtype=torch.float32), torch.ones(N),
                 (torch.arange(N) % 2).float()], dim=1)


def weights(*shape, k=0.0):
    n = 1
    for s in shape:
        n *= s
    return torch.cos(torch.arange(n, dtype=torch.float32) * 0.9 + k).view(*shape) * 0.4


class GCNConv(nn.Module):
    def __init__(self, i, o, k):
        super().__init__()
        self.weight = nn.Parameter(weights(i, o, k=k))

    def forward(self, x):
        h = x @ self.weight
        out = torch.zeros(N, h.size(1))
        out.index_add_(0, dst, h[src] * norm.unsqueeze(-1))
        return out


class GATConv(nn.Module):
    def __init__(self, i, o, heads, k):
        super().__init__()
        self.heads, self.o = heads, o
        self.lin = nn.Parameter(weights(i, heads * o, k=k))
        self.att_src = nn.Parameter(weights(1, heads, o, k=k + 1))
        self.att_dst = nn.Parameter(weights(1, heads, o, k=k + 2))

    def forward(self, x):
        h = (x @ self.lin).view(-1, self.heads, self.o)
        a_src = (h * self.att_src).sum(-1)
        a_dst = (h * self.att_dst).sum(-1)
        e = F.leaky_relu(a_src[src] + a_dst[dst], 0.2)  # (E, heads)
        # softmax over the incoming edges of each destination node
        e_max = torch.full((N, self.heads), float("-inf"))
        e_max = e_max.scatter_reduce(0, dst.unsqueeze(1).expand_as(e), e, reduce="amax",
                                     include_self=True)
        e = (e - e_max[dst]).exp()
        denom = torch.zeros(N, self.heads).index_add_(0, dst, e)
        alpha = e / denom[dst]
        msg = h[src] * alpha.unsqueeze(-1)
        out = torch.zeros(N, self.heads, self.o).index_add_(0, dst, msg)
        return out.mean(1), alpha


gcn = GCNConv(3, 4, 0.0)
h1 = gcn(x)
print(torch.allclose(h1, A_hat @ (x @ gcn.weight), atol=1e-5))
gat = GATConv(4, 2, heads=2, k=1.0)
out, alpha = gat(F.elu(h1))
print(out.shape, alpha.shape)
alpha_sum = torch.zeros(N, 2).index_add_(0, dst, alpha)
print(torch.allclose(alpha_sum, torch.ones(N, 2)))

# scatter_reduce variants used for pooling node features into graphs
batch = torch.tensor([0, 0, 0, 0, 1, 1, 1])
feat = torch.arange(14, dtype=torch.float32).view(7, 2)
idx = batch.unsqueeze(1).expand(-1, 2)
for reduce in ["sum", "mean", "amax", "amin", "prod"]:
    r = torch.zeros(2, 2).scatter_reduce(0, idx, feat, reduce=reduce, include_self=False)
    print(reduce, r.tolist())

# train both layers on a node-classification task
y = torch.tensor([0, 0, 0, 0, 1, 1, 1])
params = list(gcn.parameters()) + list(gat.parameters())
opt = torch.optim.Adam(params, lr=0.05)
for step in range(30):
    opt.zero_grad()
    out, _ = gat(F.elu(gcn(x)))
    loss = F.cross_entropy(out, y)
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step}: loss {loss.item():.4f}")
print("acc:", (out.argmax(1) == y).float().mean().item())
print(gat.lin.grad.shape, gat.att_src.grad.abs().sum() > 0)
