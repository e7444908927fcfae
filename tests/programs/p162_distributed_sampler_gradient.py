# What a DDP-style script does before launching: shard a dataset with DistributedSampler per
# rank and epoch, swap BatchNorm for SyncBatchNorm; then finite differences with torch.gradient
# and the top-level (ATen-order) functional calls.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

data = TensorDataset(torch.arange(22).float(), torch.arange(22) % 3)
for epoch in range(2):
    for rank in range(3):
        sampler = DistributedSampler(data, num_replicas=3, rank=rank, shuffle=True, seed=11)
        sampler.set_epoch(epoch)
        loader = DataLoader(data, batch_size=4, sampler=sampler)
        batches = [xb.long().tolist() for xb, _ in loader]
        print(f"epoch {epoch} rank {rank} ({len(sampler)} samples):", batches)
tail = DistributedSampler(data, num_replicas=4, rank=3, shuffle=False, drop_last=True)
print("drop_last:", list(tail))

net = nn.Sequential(nn.Conv1d(2, 3, 1), nn.BatchNorm1d(3), nn.ReLU())
net = nn.SyncBatchNorm.convert_sync_batchnorm(net)
print(net)
with torch.no_grad():
    net[0].weight.fill_(0.5)
    net[0].bias.zero_()
out = net(torch.linspace(0, 1, 24).reshape(4, 2, 3))
print("syncbn out mean:", round(out.mean().item(), 4), "running var:",
      [round(v, 4) for v in net[1].running_var.tolist()])

t = torch.linspace(0, 2, 9)
f = t ** 3
(g1,) = torch.gradient(f, spacing=0.25)
(g2,) = torch.gradient(f, spacing=0.25, edge_order=2)
(g3,) = torch.gradient(f, spacing=(t,))
print("d/dt t^3:", [round(v, 3) for v in g1.tolist()])
print("edge_order 2:", [round(v, 3) for v in g2.tolist()])
print("coordinates:", [round(v, 3) for v in g3.tolist()])
gy, gx = torch.gradient(torch.outer(t[:4], t[:5]))
print("2-D:", gy.shape, gx.shape, round(gx.sum().item(), 3))

x = torch.linspace(-1, 1, 12).reshape(3, 4)
w = torch.ones(4)
print("layer_norm:", [round(v, 4) for v in torch.layer_norm(x, [4], w, None, 1e-5)[0].tolist()])
print("kl_div default:", torch.kl_div(x.log_softmax(1), x.softmax(1)).shape,
      "mean:", round(torch.kl_div(x.log_softmax(1), x.flip(1).softmax(1), 1).item(), 6))
print("margin ranking:", round(torch.margin_ranking_loss(x[0], x[1], torch.ones(4), 0.1, 2).item(), 5))
print("is_same_size:", torch.is_same_size(x, x.t()), "| is_signed:", torch.is_signed(x),
      "| typename:", torch.typename(x), torch.typename(net[0]))
z = torch.tensor([0.5, -2.0, 3.0])
torch.sigmoid_(z)
torch.clamp_(z, 0.2, 0.9)
print("in place:", [round(v, 4) for v in z.tolist()], "| adjoint:", tuple(x.adjoint().shape))
