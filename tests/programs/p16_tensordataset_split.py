# TensorDataset, random_split, Subset, samplers and a train/validation loop.
import numpy as np
import torch
from torch.utils.data import (TensorDataset, DataLoader, random_split, Subset, SequentialSampler,
                              BatchSampler, ConcatDataset)

X = torch.arange(40, dtype=torch.float32).reshape(20, 2)
y = torch.arange(20) % 2
dataset = TensorDataset(X, y)
print(len(dataset), dataset[5])
train_set, val_set = random_split(dataset, [15, 5], generator=torch.Generator().manual_seed(42))
print(len(train_set), len(val_set), type(train_set).__name__)
lengths = random_split(range(10), [0.7, 0.3])
print([len(s) for s in lengths])
sub = Subset(dataset, [0, 2, 4])
print(len(sub), sub[1])
print(list(SequentialSampler(range(5))))
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
cat = ConcatDataset([sub, sub])
print(len(cat), cat[4])
loader = DataLoader(dataset, batch_size=8, shuffle=True)
total = 0
seen = []
for xb, yb in loader:
    total += xb.size(0)
    seen.extend(yb.tolist())
print(total, sorted(seen) == sorted(y.tolist()), len(loader))
g = torch.Generator()
g.manual_seed(0)
loader = DataLoader(dataset, batch_size=5, shuffle=True, generator=g)
print([xb.shape for xb, _ in loader])
loader = DataLoader(dataset, batch_size=6, sampler=SequentialSampler(dataset))
print([yb.tolist() for _, yb in loader])
it = iter(DataLoader(dataset, batch_size=4))
xb, yb = next(it)
print(xb, yb)
