"""Reshaping and combinatorics helpers used in data pipelines: unflatten/movedim, uneven
split/chunk/tensor_split, narrow, as_strided windows, pair enumeration, block matrices."""
import torch

torch.manual_seed(4)
x = torch.arange(24).view(2, 12)
print(x.unflatten(1, (3, 4)).shape, x.unflatten(-1, (2, -1)).shape, x.flatten().unflatten(0, (4, 6))[3])
h = torch.randn(2, 5, 3, 4)
print(h.movedim(1, -1).shape, h.movedim((1, 2), (0, 1)).shape, torch.moveaxis(h, 0, 2).shape)
print(h.permute(0, 2, 1, 3).is_contiguous(), h.permute(0, 2, 1, 3).reshape(2, 3, 20).is_contiguous())
print([t.shape for t in torch.arange(10).chunk(4)], [t.tolist() for t in torch.arange(5).chunk(3)])
print([t.tolist() for t in torch.arange(10).split([3, 3, 4])], [t.tolist() for t in torch.arange(7).split(3)])
print([t.tolist() for t in torch.tensor_split(torch.arange(7), 3)], [t.tolist() for t in torch.tensor_split(torch.arange(7), [1, 5])])
print([t.shape for t in torch.tensor_split(x, torch.tensor([2, 9]), dim=1)])
print(x.narrow(1, 2, 3), x.narrow(0, torch.tensor(1), 1))
print([t.tolist() for t in torch.arange(6).view(2, 3).unbind(1)], torch.arange(8).view(2, 2, 2).unbind()[1])

# as_strided sliding windows and overlapping frames
s = torch.arange(10.)
frames = s.as_strided((4, 4), (2, 1))
print(frames, frames.stride(), frames.storage_offset())
print(s.as_strided((3, 3), (1, 1), 2))
lagged = torch.stack([s.roll(k) for k in range(3)], 1)[2:]
print(lagged[:3])

# pair enumeration
items = torch.tensor([10, 20, 30, 40])
print(torch.combinations(items, r=2))
print(torch.combinations(items, r=2, with_replacement=True).shape, torch.combinations(items[:3], r=3))
print(torch.cartesian_prod(torch.tensor([0, 1]), torch.tensor([5, 6, 7])))
r, c = torch.triu_indices(4, 4, offset=1)
print(r, c, torch.tril_indices(3, 3))
sim = torch.randn(4, 4)
sim = (sim + sim.T) / 2
iu = torch.triu_indices(4, 4, 1)
print(sim[iu[0], iu[1]].round(decimals=3), sim.triu(1).sum().round(decimals=3))
dist = torch.cdist(torch.randn(4, 2), torch.randn(4, 2))
print(dist.argmin(1), dist.min(1).values.round(decimals=3))
i, j = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="ij")
print(torch.stack([i, j], -1).view(-1, 2).tolist())

# block matrices and structured fills
print(torch.block_diag(torch.ones(2, 2), torch.tensor([[5]]), torch.arange(6).view(2, 3)))
print(torch.diag_embed(torch.tensor([[1, 2], [3, 4]])), torch.diagflat(torch.tensor([1, 2]), offset=1))
print(torch.eye(3, 4, dtype=torch.long), torch.vander(torch.tensor([1, 2, 3]), N=3))
print(torch.kron(torch.eye(2), torch.tensor([[1., 2.], [3., 4.]])))
print(torch.rot90(torch.arange(6).view(2, 3)), torch.rot90(torch.arange(6).view(2, 3), -1, (0, 1)))
print(torch.atleast_2d(torch.tensor(3)), torch.atleast_3d(torch.arange(2)).shape, torch.column_stack([torch.arange(3), torch.ones(3)]))
print(torch.dstack([torch.zeros(2), torch.ones(2)]), torch.vstack([torch.arange(2), torch.arange(2, 4)]).T)
e = torch.arange(4).expand(3, 4)
print(e.stride(), e.is_contiguous(), e.contiguous().stride())
try:
    e.view(12)
except RuntimeError as err:
    print("view error:", err)
print(e.reshape(12)[:5], torch.arange(6).view(2, 3).t().reshape(-1))
print(torch.tile(torch.tensor([[1, 2]]), (2, 2)), torch.tensor([1, 2]).repeat(2, 2).shape)
print(torch.flatten(h, 1, 2).shape, torch.squeeze(torch.zeros(1, 3, 1), (0, 2)).shape, x[None, :, None].shape)
