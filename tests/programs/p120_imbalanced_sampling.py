# Class imbalance with WeightedRandomSampler, a generator-seeded random_split and Subset indices.
import torch
from torch.utils.data import (TensorDataset, DataLoader, WeightedRandomSampler, random_split,
                              Subset, ConcatDataset, SequentialSampler, BatchSampler,
                              SubsetRandomSampler)

X = torch.arange(40, dtype=torch.float32).view(20, 2)
y = torch.tensor([0] * 16 + [1] * 4)
ds = TensorDataset(X, y)
print(len(ds), ds[3], ds.tensors[1].sum())
class_counts = torch.bincount(y)
weights = 1.0 / class_counts.float()
sample_weights = weights[y]
print(class_counts, weights, sample_weights[:3], sample_weights.sum())
sampler = WeightedRandomSampler(sample_weights, num_samples=len(sample_weights), replacement=True)
print(len(sampler), sampler.num_samples, sampler.replacement)
loader = DataLoader(ds, batch_size=5, sampler=sampler)
n = 0
for xb, yb in loader:
    n += len(yb)
    assert xb.shape[1] == 2 and yb.dtype == torch.int64
print("sampled", n, len(loader))
g = torch.Generator().manual_seed(42)
train, val, test = random_split(ds, [12, 4, 4], generator=g)
print(len(train), len(val), len(test), type(train).__name__, sorted(train.indices + val.indices + test.indices) == list(range(20)))
parts = random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(0))
print([len(p) for p in parts])
sub = Subset(ds, [0, 5, 19])
print(len(sub), sub[2], sub.indices)
cat = ConcatDataset([sub, Subset(ds, range(2))])
print(len(cat), cat[3], cat.cumulative_sizes)
bs = BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)
print(list(bs), len(bs), len(BatchSampler(range(7), 3, True)))
dl = DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 8, drop_last=True))
print([b[1].tolist() for b in dl])
srs = SubsetRandomSampler([1, 3, 5], generator=torch.Generator().manual_seed(1))
print(sorted(list(srs)), len(srs))
dl2 = DataLoader(ds, batch_size=6, shuffle=False, drop_last=False)
print([len(b[0]) for b in dl2], len(dl2), dl2.batch_size, dl2.dataset is ds)
first = next(iter(DataLoader(ds, batch_size=4, collate_fn=lambda batch: batch)))
print(type(first).__name__, len(first), first[0])
w = torch.tensor([0.0, 0.0, 1.0, 0.0])
print(list(WeightedRandomSampler(w, 5)))
print(torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 2, replacement=True))
