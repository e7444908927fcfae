# IterableDataset, samplers, default_collate and DataLoader options.
import torch
from torch.utils.data import IterableDataset, DataLoader, Dataset, WeightedRandomSampler, RandomSampler
from torch.utils.data import default_collate


class Counter(IterableDataset):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def __iter__(self):
        for i in range(self.n):
            yield torch.tensor([i, i * i])


print([b.tolist() for b in DataLoader(Counter(7), batch_size=3)])
print([b.shape for b in DataLoader(Counter(5), batch_size=2, drop_last=True)])
print(default_collate([(1, 2.0, "a"), (3, 4.0, "b")]))
print(default_collate([torch.ones(2), torch.zeros(2)]))
print(default_collate([{"x": 1, "y": [1, 2]}, {"x": 2, "y": [3, 4]}]))


class Squares(Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return i, i ** 2


loader = DataLoader(Squares(), batch_size=None)
print([x for x in loader][:3])
loader = DataLoader(Squares(), batch_size=4, num_workers=0, pin_memory=False)
print([(a.tolist(), b.tolist()) for a, b in loader])
sampler = WeightedRandomSampler([0.0, 0.0, 1.0], num_samples=4, replacement=True)
print(list(sampler))
rs = RandomSampler(range(5))
print(sorted(list(rs)), len(rs))
loader = DataLoader(Squares(), batch_size=2, shuffle=True)
print(sorted(x for a, _ in loader for x in a.tolist()))
print(len(DataLoader(Squares(), batch_size=4)), len(DataLoader(Squares(), batch_size=4, drop_last=True)))
loader = DataLoader(Squares(), batch_size=3, collate_fn=lambda batch: [x for x, _ in batch])
print(list(loader))
