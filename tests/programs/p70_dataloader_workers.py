# DataLoader with worker processes, worker_init_fn, get_worker_info and IterableDataset sharding.
import math

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, get_worker_info


class RangeDataset(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start, self.end = start, end

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            lo, hi = self.start, self.end
        else:
            per_worker = int(math.ceil((self.end - self.start) / float(info.num_workers)))
            lo = self.start + info.id * per_worker
            hi = min(lo + per_worker, self.end)
        return iter(range(lo, hi))


class Squares(Dataset):
    def __len__(self):
        return 10

    def __getitem__(self, i):
        return torch.tensor([i, i * i]), np.float32(i) / 2


def seed_worker(worker_id):
    worker_seed = torch.initial_seed() % 2 ** 32
    np.random.seed(worker_seed)


if __name__ == "__main__":
    ds = RangeDataset(3, 10)
    print(list(DataLoader(ds, num_workers=0)))
    print(sorted(int(x) for x in DataLoader(ds, num_workers=2)))
    g = torch.Generator()
    g.manual_seed(0)
    loader = DataLoader(Squares(), batch_size=4, num_workers=2, worker_init_fn=seed_worker,
                        generator=g, shuffle=False, persistent_workers=False)
    for xb, yb in loader:
        print(xb.tolist(), yb, yb.dtype)
    print(len(loader), loader.batch_size, loader.num_workers)
    out = [b for b in DataLoader(Squares(), batch_size=3, num_workers=2, drop_last=True)]
    print(len(out), out[-1][0].shape)
