"""Tensor-manipulation heavy code: einsum notations, gather/scatter, masking, segments,
unique, stable sorting, topk pipelines, mixed-dtype concatenation."""
import torch
import torch.nn.functional as F

torch.manual_seed(3)
torch.set_printoptions(precision=4)

# einsum in several notations
a = torch.randn(2, 3, 4)
b = torch.randn(2, 4, 5)
print(torch.einsum("bij,bjk->bik", a, b).shape, torch.allclose(torch.einsum("bij,bjk->bik", a, b), a @ b, atol=1e-6))
print(torch.einsum("...ij->...ji", a).shape)
print(torch.einsum("bii->b", torch.randn(3, 4, 4)).shape)
v = torch.arange(4.)
print(torch.einsum("i,i->", v, v), torch.einsum("i,j->ij", v, v[:3]).shape)
print(torch.einsum(a, [0, 1, 2], b, [0, 2, 3], [0, 1, 3]).shape)
print(torch.einsum("b h i d, b h j d -> b h i j", torch.ones(1, 2, 3, 4), torch.ones(1, 2, 5, 4))[0, 0])
print(torch.einsum("ii", torch.arange(9.).view(3, 3)), torch.einsum("ij->", torch.ones(2, 3)))
try:
    torch.einsum("ij,jk->ik", torch.ones(2, 3), torch.ones(4, 5))
except RuntimeError as e:
    print("einsum error:", e)

# gather / scatter_ for one-hot and label lookup
labels = torch.tensor([2, 0, 1, 2])
one_hot = torch.zeros(4, 3).scatter_(1, labels.unsqueeze(1), 1.0)
print(one_hot)
print(torch.equal(one_hot, F.one_hot(labels, 3).float()))
logp = F.log_softmax(torch.randn(4, 3), dim=1)
picked = logp.gather(1, labels.view(-1, 1)).squeeze(1)
print(picked, torch.allclose(-picked.mean(), F.nll_loss(logp, labels)))
smooth = torch.full((4, 3), 0.1 / 2).scatter_(1, labels[:, None], 0.9)
print(smooth, smooth.sum(1))
counts = torch.zeros(3, dtype=torch.long).scatter_add_(0, labels, torch.ones_like(labels))
print("counts", counts, torch.bincount(labels, minlength=3))
sums = torch.zeros(3).scatter_reduce(0, labels, torch.tensor([1., 2., 3., 4.]), reduce="amax", include_self=False)
print("amax", sums)
mean = torch.zeros(3).scatter_reduce(0, labels, torch.tensor([1., 2., 3., 4.]), reduce="mean")
print("mean incl self", mean)

# masked_fill with -inf then softmax (one row fully masked)
scores = torch.randn(3, 4)
mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]], dtype=torch.bool)
masked = scores.masked_fill(~mask, float("-inf"))
print(masked)
att = masked.softmax(-1)
print(att)
print("nan rows:", att.isnan().all(-1).tolist())
att = torch.nan_to_num(att, nan=0.0)
# (each row sums to 1 up to float round-off)
print(att.sum(-1).round(decimals=4))
print(scores.masked_fill(~mask, torch.finfo(scores.dtype).min).softmax(-1)[2])

# torch.where with broadcasting and scalars
x = torch.linspace(-2, 2, 5)
print(torch.where(x > 0, x, 0.0), torch.where(x[:, None] > x[None, :], 1, -1).sum(1))
print(torch.where(x > 0, 1.5, 0).dtype, torch.where(x > 0, 1, 0).dtype, torch.where(x > 0)[0])
print(torch.where(torch.tensor([True, False]), torch.tensor([1, 2], dtype=torch.int32), 2.5))

# cumsum-based segment ids and repeat_interleave
lengths = torch.tensor([3, 1, 2, 0, 2])
seg = torch.repeat_interleave(torch.arange(len(lengths)), lengths)
print("segments", seg)
starts = torch.cumsum(lengths, 0) - lengths
print("starts", starts, "offsets", torch.arange(seg.numel()) - starts[seg])
flags = torch.tensor([1, 0, 0, 1, 1, 0, 1, 0])
print("flag ids", torch.cumsum(flags, 0) - 1)
print(torch.repeat_interleave(torch.tensor([[1, 2], [3, 4]]), 2, dim=0))
print(torch.repeat_interleave(torch.tensor([[1, 2], [3, 4]]), torch.tensor([1, 3]), dim=1))
print(torch.repeat_interleave(torch.tensor([2, 1])))
vals = torch.tensor([1., 2., 3., 4., 5., 6., 7., 8.])
seg_sum = torch.zeros(5).index_add_(0, seg, vals)
print("segment sums", seg_sum)

# unique with inverse and counts
t = torch.tensor([3, 1, 2, 3, 3, 1, 0])
u, inv, cnt = torch.unique(t, return_inverse=True, return_counts=True)
print(u, inv, cnt, torch.equal(u[inv], t))
print(torch.unique(t, sorted=True, return_counts=True))
print(torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1]), return_counts=True))
rows = torch.tensor([[1, 2], [3, 4], [1, 2], [0, 0]])
print(torch.unique(rows, dim=0, return_inverse=True))

# stable sorting and argsort of ties
keys = torch.tensor([2, 1, 2, 0, 1, 2, 0])
print(torch.sort(keys, stable=True))
print(torch.sort(keys, descending=True, stable=True).indices)
print(torch.argsort(keys, stable=True), torch.argsort(keys, dim=0, descending=True, stable=True))
fk = torch.tensor([0.5, float("nan"), -1.0, 0.5, float("-inf")])
print(torch.sort(fk), torch.sort(fk, descending=True))

# topk + gather pipelines
logits = torch.randn(2, 6)
top_v, top_i = logits.topk(3, dim=-1)
print(top_v, top_i)
print(torch.equal(logits.gather(-1, top_i), top_v))
emb = torch.arange(12.).view(6, 2)
print(emb[top_i].shape, emb[top_i][1])
low_v, low_i = torch.topk(logits, 2, largest=False, sorted=True)
print(low_i, torch.kthvalue(logits, 2, dim=1))
filtered = torch.full_like(logits, float("-inf")).scatter(-1, top_i, top_v)
print(filtered)
print(torch.topk(torch.tensor([1, 3, 5, 2, 4]), 2))
# ties: which of the equal entries come back is torch's own (unstable) order
print(torch.topk(torch.tensor([1, 3, 3, 2, 3]), 2))
votes = torch.tensor([[2, 0, 2, 1, 2], [1, 1, 1, 1, 1]])
print(votes.topk(3, dim=1), votes.float().topk(2, dim=1, largest=False).indices)
print(torch.zeros(300).topk(4).indices, torch.ones(6, 40).topk(5, dim=0).indices[:, :4])
unsorted = torch.tensor([0.3, 0.9, 0.1, 0.7, 0.5, 0.8, 0.2, 0.6]).topk(4, sorted=False)
print(unsorted, unsorted.values.sort(descending=True))

# cat of mixed dtypes promotes
print(torch.cat([torch.tensor([1, 2]), torch.tensor([0.5])]))
print(torch.cat([torch.tensor([True]), torch.tensor([3], dtype=torch.uint8)]).dtype)
print(torch.cat([torch.tensor([1], dtype=torch.int8), torch.tensor([2], dtype=torch.int16)]).dtype)
print(torch.cat([torch.tensor([1.], dtype=torch.float16), torch.tensor([2.], dtype=torch.bfloat16)]))
print(torch.cat([torch.tensor([1.], dtype=torch.float64), torch.tensor([1j])]))
print(torch.stack([torch.tensor(1), torch.tensor(2.5)]), torch.hstack([torch.tensor([1]), torch.tensor([True])]))
print(torch.cat([torch.zeros(0), torch.ones(2, dtype=torch.int64)]), torch.cat([torch.ones(1, 2), torch.zeros(0)], 0).shape if False else "")
