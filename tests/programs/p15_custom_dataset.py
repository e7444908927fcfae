# A custom Dataset, DataLoader with a collate_fn that pads variable-length sequences.
import torch
from torch.utils.data import Dataset, DataLoader


class SquaresDataset(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, idx):
        x = torch.tensor([float(idx)])
        return x, x ** 2


ds = SquaresDataset(10)
print(len(ds), ds[3])
loader = DataLoader(ds, batch_size=4, shuffle=False)
for i, (xb, yb) in enumerate(loader):
    print(i, xb.shape, yb.view(-1))
print(len(loader))
loader = DataLoader(ds, batch_size=4, drop_last=True)
print(len(loader), [b[0].shape[0] for b in loader])


class VarLenDataset(Dataset):
    def __init__(self):
        self.data = [[1, 2, 3], [4, 5], [6], [7, 8, 9, 10]]
        self.labels = [0, 1, 0, 1]

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return torch.tensor(self.data[i]), self.labels[i]


def collate_fn(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    max_len = max(lengths).item()
    padded = torch.zeros(len(seqs), max_len, dtype=torch.long)
    for i, s in enumerate(seqs):
        padded[i, :len(s)] = s
    return padded, lengths, torch.tensor(labels)


for padded, lengths, labels in DataLoader(VarLenDataset(), batch_size=2, collate_fn=collate_fn):
    print(padded, lengths, labels)

# default collate of tuples, dicts, numbers and numpy arrays
import numpy as np


class DictDataset(Dataset):
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return {"image": np.full((2, 2), i, dtype=np.float32), "label": i, "name": f"item{i}",
                "score": 0.5 * i}


batch = next(iter(DataLoader(DictDataset(), batch_size=3)))
print(batch["image"].dtype, batch["image"].shape, batch["label"], batch["name"], batch["score"])
print(type(batch["label"]).__name__)
