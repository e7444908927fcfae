# torch.utils.data helpers: random_split with a seeded generator, Subset, ConcatDataset,
# TensorDataset indexing, WeightedRandomSampler, IterableDataset and get_worker_info.
import math

import torch
from torch.utils.data import (ConcatDataset, DataLoader, Dataset, IterableDataset, Subset,
                              TensorDataset, WeightedRandomSampler, get_worker_info, random_split)

X = torch.arange(20, dtype=torch.float32).reshape(10, 2)
y = torch.arange(10) % 3
ds = TensorDataset(X, y)
print(len(ds), ds[3], ds[-1][1].item(), len(ds.tensors))
print(ds[2:4])
train, val = random_split(ds, [0.8, 0.2], generator=torch.Generator().manual_seed(42))
print(type(train).__name__, len(train), len(val), sorted(train.indices + val.indices) == list(range(10)))
a, b, c = random_split(range(10), [5, 3, 2])
print(len(a), len(b), len(c), isinstance(a[0], int))
try:
    random_split(range(10), [5, 6])
except ValueError as e:
    print(e)
sub = Subset(ds, [0, 2, 4])
print(len(sub), sub[1], sub.indices)
cat = ConcatDataset([ds, Subset(ds, [9])])
print(len(cat), cat[10], cat.cumulative_sizes)
both = ds + sub
print(type(both).__name__, len(both))

counts = torch.bincount(y)
weights = 1.0 / counts[y].float()
sampler = WeightedRandomSampler(weights, num_samples=30, replacement=True)
drawn = list(sampler)
print(len(drawn), all(0 <= i < 10 for i in drawn), len(sampler))
print(WeightedRandomSampler([0.0, 0.0, 1.0], 4).__iter__().__next__())
loader = DataLoader(ds, batch_size=4, sampler=sampler)
print(sum(1 for _ in loader), next(iter(loader))[0].shape)


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start, self.end = start, end

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            lo, hi = self.start, self.end
        else:
            per = int(math.ceil((self.end - self.start) / float(info.num_workers)))
            lo = self.start + info.id * per
            hi = min(lo + per, self.end)
        return iter(range(lo, hi))


stream = RangeStream(3, 10)
print(list(DataLoader(stream, batch_size=3)))
print(list(DataLoader(stream, batch_size=None))[:3], get_worker_info())
chained = torch.utils.data.ChainDataset([RangeStream(0, 2), RangeStream(5, 7)])
print(list(chained))


class Squares(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        if i >= 5:
            raise IndexError(i)
        return torch.tensor([i, i * i]), {'id': i}


batches = list(DataLoader(Squares(), batch_size=2))
print(batches[0], len(batches))
print([b[1]['id'].tolist() for b in batches])
print(list(iter(Squares()))[:2] if hasattr(Squares(), '__iter__') else None)
dl = DataLoader(Squares(), batch_size=2, shuffle=True, generator=torch.Generator().manual_seed(0))
print(sorted(torch.cat([b[1]['id'] for b in dl]).tolist()))
print(len(DataLoader(range(7), batch_size=3)), len(DataLoader(range(7), batch_size=3, drop_last=True)))
print(list(DataLoader(['a', 'b', 'c'], batch_size=2)), list(DataLoader([(1, 'x'), (2, 'y')], batch_size=2)))
