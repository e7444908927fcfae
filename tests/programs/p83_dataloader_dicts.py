# Datasets that return dicts, a custom collate_fn that pads, samplers and drop_last.
import numpy as np
import torch
from torch.utils.data import (BatchSampler, DataLoader, Dataset, RandomSampler,
                              SequentialSampler, SubsetRandomSampler, default_collate)


class ToyText(Dataset):
    def __init__(self):
        self.samples = [[1, 2, 3], [4, 5], [6], [7, 8, 9, 10], [11, 12], [13, 14, 15]]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        ids = self.samples[idx]
        return {'input_ids': torch.tensor(ids), 'label': idx % 2, 'length': len(ids),
                'text': ' '.join(map(str, ids))}


def pad_collate(batch):
    lengths = torch.tensor([b['length'] for b in batch])
    ids = torch.nn.utils.rnn.pad_sequence([b['input_ids'] for b in batch], batch_first=True,
                                          padding_value=0)
    labels = torch.tensor([b['label'] for b in batch], dtype=torch.float)
    return {'input_ids': ids, 'lengths': lengths, 'labels': labels,
            'attention_mask': (ids != 0).long()}


ds = ToyText()
loader = DataLoader(ds, batch_size=4, collate_fn=pad_collate)
print(len(loader))
for batch in loader:
    print(batch['input_ids'])
    print(batch['attention_mask'].sum(1), batch['lengths'], batch['labels'])

loader = DataLoader(ds, batch_size=4, drop_last=True, collate_fn=pad_collate)
print(len(loader), [b['input_ids'].shape for b in loader])

# the default collate on dicts of numbers and strings
same_len = DataLoader([{'x': np.float32(i), 'y': [i, i + 1], 'name': f'n{i}'} for i in range(5)],
                      batch_size=2)
for b in same_len:
    print(b)
print(default_collate([(torch.ones(2), 1, 2.5), (torch.zeros(2), 0, 0.5)]))
print(default_collate([np.array([1, 2]), np.array([3, 4])]))
print(default_collate([{'a': (1, 2)}, {'a': (3, 4)}]))

# samplers
print(list(SequentialSampler(range(4))))
print(list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False)))
print(list(BatchSampler(range(10), batch_size=3, drop_last=True)))
g = torch.Generator()
g.manual_seed(42)
rs = RandomSampler(range(7), generator=g)
print(len(rs), sorted(list(rs)))
srs = SubsetRandomSampler([1, 3, 5], generator=g)
print(len(srs), sorted(srs))
rs2 = RandomSampler(range(5), replacement=True, num_samples=12)
print(len(list(rs2)), all(0 <= i < 5 for i in rs2))
loader = DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False),
                    collate_fn=pad_collate)
print([b['lengths'].tolist() for b in loader])
loader = DataLoader(ds, sampler=SubsetRandomSampler([0, 2, 4]), batch_size=10,
                    collate_fn=lambda b: sorted(x['length'] for x in b))
print(next(iter(loader)))
loader = DataLoader(ds, batch_size=None, collate_fn=None)
first = next(iter(loader))
print(type(first).__name__, first['input_ids'], first['label'])
loader = DataLoader(torch.arange(10), batch_size=4, shuffle=False)
print([b.tolist() for b in loader])
loader = DataLoader(torch.arange(10), batch_size=4, shuffle=True, drop_last=True)
print([b.shape for b in loader], sorted(torch.cat(list(loader)).tolist()).__len__())
