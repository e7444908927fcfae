# A graph convolutional network with scatter/index_add message passing on a small graph.
import torch
import torch.nn as nn
import torch.nn.functional as F

edge_index = torch.tensor([[0, 1, 1, 2, 2, 3, 3, 4, 0, 4],
                           [1, 0, 2, 1, 3, 2, 4, 3, 4, 0]])
num_nodes = 5
x = torch.eye(num_nodes)
y = torch.tensor([0, 0, 1, 1, 0])
deg = torch.bincount(edge_index[0], minlength=num_nodes).float() + 1
print(deg)


class GCNLayer(nn.Module):
    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.lin = nn.Linear(in_dim, out_dim, bias=False)

    def forward(self, x, edge_index):
        src, dst = edge_index
        h = self.lin(x)
        norm = deg[src].rsqrt() * deg[dst].rsqrt()
        out = torch.zeros_like(h).index_add_(0, dst, h[src] * norm.unsqueeze(1))
        return out + h / deg.unsqueeze(1)


class GCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = GCNLayer(num_nodes, 4)
        self.conv2 = GCNLayer(4, 2)

    def forward(self, x, edge_index):
        x = F.relu(self.conv1(x, edge_index))
        return self.conv2(x, edge_index)


model = GCN()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 1.3 + i).reshape(p.shape))
opt = torch.optim.Adam(model.parameters(), lr=0.05, weight_decay=5e-4)
train_mask = torch.tensor([True, False, True, False, True])
for epoch in range(10):
    opt.zero_grad()
    out = model(x, edge_index)
    loss = F.cross_entropy(out[train_mask], y[train_mask])
    loss.backward()
    opt.step()
    if epoch % 3 == 0:
        print(epoch, f"{loss.item():.4f}")
pred = out.argmax(dim=1)
print(pred, (pred[~train_mask] == y[~train_mask]).float().mean())
adj = torch.zeros(num_nodes, num_nodes)
adj[edge_index[0], edge_index[1]] = 1
print(adj.sum(1), torch.allclose(adj, adj.t()))
agg = torch.zeros(num_nodes, 2).scatter_add_(0, edge_index[1].unsqueeze(1).expand(-1, 2), out.detach()[edge_index[0]])
print(agg.shape, torch.allclose(agg, adj.t() @ out.detach(), atol=1e-6))
print(torch.zeros(5).scatter_reduce(0, edge_index[1], edge_index[0].float(), reduce="amax", include_self=False))
