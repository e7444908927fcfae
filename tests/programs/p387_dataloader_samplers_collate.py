# DataLoader with custom samplers, batch samplers, collate functions and drop_last.
import torch
from torch.utils.data import (Dataset, DataLoader, Sampler, BatchSampler, SequentialSampler,
                              RandomSampler, SubsetRandomSampler, WeightedRandomSampler,
                              TensorDataset, ConcatDataset, Subset, default_collate)
from collections import namedtuple

torch.manual_seed(0)


class VarLenDataset(Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(1)
        self.lengths = torch.randint(2, 7, (n,), generator=g).tolist()
        self.items = [torch.arange(l) + i for i, l in enumerate(self.lengths)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        return {"ids": self.items[idx], "label": idx % 3, "len": len(self.items[idx])}


def pad_collate(batch):
    lens = torch.tensor([b["len"] for b in batch])
    out = torch.zeros(len(batch), int(lens.max()), dtype=torch.long)
    for i, b in enumerate(batch):
        out[i, :b["len"]] = b["ids"]
    return out, lens, torch.tensor([b["label"] for b in batch])


class BucketSampler(Sampler):
    """Groups indices of similar length into batches (yields lists)."""

    def __init__(self, lengths, batch_size, shuffle=True, seed=0):
        self.lengths = lengths
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, e):
        self.epoch = e

    def __iter__(self):
        order = sorted(range(len(self.lengths)), key=lambda i: (self.lengths[i], i))
        batches = [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        if self.shuffle:
            g = torch.Generator()
            g.manual_seed(self.seed + self.epoch)
            perm = torch.randperm(len(batches), generator=g).tolist()
            batches = [batches[p] for p in perm]
        return iter(batches)

    def __len__(self):
        return (len(self.lengths) + self.batch_size - 1) // self.batch_size


ds = VarLenDataset(11)
print(ds.lengths)
bs = BucketSampler(ds.lengths, 4)
dl = DataLoader(ds, batch_sampler=bs, collate_fn=pad_collate)
print(len(dl))
for epoch in range(2):
    bs.set_epoch(epoch)
    for x, lens, y in dl:
        print(epoch, tuple(x.shape), lens.tolist(), y.tolist())

# default collate of dicts of mixed types
dl = DataLoader(ds, batch_size=1, shuffle=False)
b = next(iter(dl))
print(sorted(b.keys()), b["ids"].shape, b["label"], b["len"], b["label"].dtype)

# drop_last with sequential and random samplers
tds = TensorDataset(torch.arange(10).float(), torch.arange(10) % 2)
for dl_kwargs in [dict(batch_size=3, drop_last=True), dict(batch_size=3, drop_last=False),
                  dict(batch_size=4, shuffle=True, drop_last=True)]:
    dl = DataLoader(tds, **dl_kwargs)
    print(dl_kwargs, len(dl), [xb.tolist() for xb, _ in dl])

# explicit samplers and generator
g = torch.Generator().manual_seed(42)
dl = DataLoader(tds, batch_size=4, sampler=RandomSampler(tds, replacement=True, num_samples=6, generator=g))
print(len(dl), [xb.tolist() for xb, _ in dl])
g = torch.Generator().manual_seed(3)
dl = DataLoader(tds, batch_size=2, sampler=SubsetRandomSampler([1, 3, 5, 7, 9], generator=g))
print([xb.tolist() for xb, _ in dl])
w = torch.tensor([0.1] * 5 + [0.9] * 5, dtype=torch.double)
g = torch.Generator().manual_seed(5)
ws = WeightedRandomSampler(w, num_samples=8, replacement=True, generator=g)
print(list(ws))
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
print(list(BatchSampler(range(7), batch_size=3, drop_last=True)))
dl = DataLoader(tds, batch_sampler=BatchSampler(SequentialSampler(tds), 4, True))
print(len(dl), [xb.tolist() for xb, _ in dl])
try:
    DataLoader(tds, batch_sampler=BatchSampler(SequentialSampler(tds), 4, True), batch_size=2)
except ValueError as e:
    print("ValueError", e)
try:
    DataLoader(tds, sampler=SequentialSampler(tds), shuffle=True)
except ValueError as e:
    print("ValueError", e)

# collate namedtuples / nested structures / numpy
Pair = namedtuple("Pair", ["a", "b"])
batch = [Pair(torch.tensor([i, i]), {"k": float(i), "s": "s%d" % i}) for i in range(3)]
c = default_collate(batch)
print(type(c).__name__, c.a.tolist(), c.b["k"], c.b["k"].dtype, c.b["s"])
import numpy as np
c = default_collate([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
print(c, c.dtype)
c = default_collate([(1, 2.5, True), (3, 4.5, False)])
print(c, [t.dtype for t in c])

# ConcatDataset / Subset indices
cd = ConcatDataset([TensorDataset(torch.arange(3)), TensorDataset(torch.arange(10, 14))])
print(len(cd), cd.cumulative_sizes, cd[4], cd[-1])
sub = Subset(cd, [0, 6, 2])
print([sub[i][0].item() for i in range(len(sub))])
dl = DataLoader(sub, batch_size=2)
print([b[0].tolist() for b in dl])

# training loop with gradient accumulation over a bucketed loader
torch.manual_seed(0)
emb = torch.nn.EmbeddingBag(20, 4, mode="mean")
head = torch.nn.Linear(4, 3)
opt = torch.optim.SGD(list(emb.parameters()) + list(head.parameters()), lr=0.5)
accum = 2
dl = DataLoader(ds, batch_sampler=BucketSampler(ds.lengths, 3, shuffle=False), collate_fn=pad_collate)
opt.zero_grad()
for i, (x, lens, y) in enumerate(dl):
    mask = torch.arange(x.shape[1])[None, :] < lens[:, None]
    flat = x[mask]
    offsets = torch.cat([torch.zeros(1, dtype=torch.long), lens.cumsum(0)[:-1]])
    loss = torch.nn.functional.cross_entropy(head(emb(flat, offsets)), y) / accum
    loss.backward()
    if (i + 1) % accum == 0 or i + 1 == len(dl):
        opt.step()
        opt.zero_grad()
    print(i, round(loss.item() * accum, 4))

# worker_init_fn / persistent settings are accepted with num_workers=0
dl = DataLoader(tds, batch_size=5, num_workers=0, pin_memory=False, worker_init_fn=lambda i: None,
                generator=torch.Generator().manual_seed(0), shuffle=True)
print([xb.tolist() for xb, _ in dl])
print(dl.batch_size, dl.drop_last, type(dl.sampler).__name__, type(dl.batch_sampler).__name__)
