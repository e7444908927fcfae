"""Lookup and selection recipes: searchsorted/bucketize, take_along_dim, nonzero, masked
selection and scatter, index_put with accumulate, cummax, diff, and printing of the results."""
import torch

torch.manual_seed(8)

# bucketing continuous values (age groups, histogram bins)
ages = torch.tensor([3., 17., 18., 25., 64., 65., 90., 40.5])
edges = torch.tensor([18., 30., 50., 65.])
print(torch.bucketize(ages, edges), torch.bucketize(ages, edges, right=True))
print(torch.searchsorted(edges, ages), torch.searchsorted(edges, ages, side="right"))
print(torch.searchsorted(edges, torch.tensor([[18., 70.], [0., 49.9]])))
print(torch.searchsorted(torch.tensor([[1, 3, 5], [2, 4, 6]]), torch.tensor([[3], [5]])))
sorter = torch.argsort(torch.tensor([5., 1., 3.]))
print(torch.searchsorted(torch.tensor([5., 1., 3.]), torch.tensor([2., 4.]), sorter=sorter))
print(torch.histc(ages, bins=4, min=0, max=100), torch.histogram(ages, bins=3))

# take_along_dim / gather for per-row picks
scores = torch.randn(3, 5)
best = scores.argmax(dim=1, keepdim=True)
print(torch.take_along_dim(scores, best, dim=1).squeeze(1), scores.max(1).values)
order = scores.argsort(dim=1, descending=True)
print(torch.take_along_dim(scores, order, dim=1)[:, :2])
print(torch.take_along_dim(torch.arange(6).view(2, 3), torch.tensor([[0], [2]])))
print(torch.take(torch.arange(10, 16).view(2, 3), torch.tensor([[0, 5], [1, 1]])))

# nonzero variants
m = torch.tensor([[0, 1, 0], [2, 0, 3]])
print(m.nonzero(), m.nonzero(as_tuple=True), torch.argwhere(m))
print(torch.nonzero(torch.tensor(5)), torch.nonzero(torch.tensor([0, 0])).shape)
print(torch.count_nonzero(m, dim=0), (m > 0).sum(dim=1), m.bool().any(1), m.bool().all(0))

# masked select / scatter / index_put accumulate
x = torch.arange(12.).view(3, 4)
keep = x % 3 == 0
print(x.masked_select(keep), x[keep], keep.sum())
y = torch.zeros(3, 4).masked_scatter(keep, torch.tensor([-1., -2., -3., -4., -5.]))
print(y)
acc = torch.zeros(4)
acc.index_put_((torch.tensor([0, 1, 1, 3, 3, 3]),), torch.ones(6), accumulate=True)
print(acc)
z = torch.zeros(2, 3, dtype=torch.long)
z[torch.tensor([0, 1, 1]), torch.tensor([2, 0, 0])] += 5
print(z, "(no accumulation with +=)")
z.index_put_((torch.tensor([1, 1]), torch.tensor([0, 0])), torch.tensor([7, 7]), accumulate=True)
print(z)
w = torch.arange(6).view(2, 3).clone()
w[:, [0, 2]] = w[:, [2, 0]]
print(w)
w[w > 2] = -1
print(w, w.index_fill(1, torch.tensor([1]), 9), w.index_copy(0, torch.tensor([1, 0]), w * 10))

# running statistics and differences
prices = torch.tensor([3., 5., 4., 8., 7., 9., 2.])
print(torch.cummax(prices, 0), torch.cummin(prices, 0).values)
print(torch.diff(prices), torch.diff(prices, n=2), torch.diff(prices, prepend=torch.tensor([0.])))
drawdown = prices / torch.cummax(prices, 0).values - 1
print(drawdown.round(decimals=3), drawdown.min(), drawdown.argmin())
print(torch.cumprod(1 + torch.tensor([0.1, -0.05, 0.2]), 0), torch.logcumsumexp(torch.tensor([0., 1., 2.]), 0))
r = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(r.cumsum(1), r.cumsum(0).dtype, r.flip(1).cumsum(1).flip(1), torch.cumsum(r, dim=1, dtype=torch.float64))

# sorting records by two keys: primary descending, secondary ascending (stable trick)
scores2 = torch.tensor([90, 85, 90, 70, 85, 90])
ids = torch.tensor([5, 2, 1, 4, 3, 0])
o1 = torch.argsort(ids, stable=True)
o2 = torch.argsort(scores2[o1], descending=True, stable=True)
order = o1[o2]
print(scores2[order].tolist(), ids[order].tolist())
vals, idx = torch.sort(torch.tensor([[3, 1, 2], [1, 1, 1]]), dim=1, stable=True)
print(vals, idx)
print(torch.msort(torch.tensor([[3., 1.], [1., 2.], [2., 0.]])))
print(torch.tensor([1, 2, 3, 2, 1]).sort(descending=True, stable=True))
print(torch.unique(torch.tensor([2., float("nan"), 1., 2.])), torch.tensor([1, 2, 2, 3]).mode())
print(torch.tensor([[1, 1, 2], [3, 3, 3]]).mode(dim=1), torch.tensor([4, 1, 4, 1]).median())
