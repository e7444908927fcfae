# The set_seed() helper pasted into countless repos: random/np.random/torch seeds, cudnn
# flags, worker_init_fn seeding numpy from torch.initial_seed(); then checks that two runs
# give identical weights, batches and losses, and that np.random feeds torch.from_numpy.
import random

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


def set_seed(seed=42):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed(seed)
        torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def worker_init_fn(worker_id):
    np.random.seed(np.random.get_state()[1][0] + worker_id)


class NoisyDataset(Dataset):
    def __init__(self, n):
        self.x = np.random.randn(n, 3).astype(np.float32)
        self.y = (self.x.sum(1) > 0).astype(np.int64)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return torch.from_numpy(self.x[idx]), self.y[idx]


def run(seed):
    set_seed(seed)
    model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Dropout(0.2), nn.Linear(8, 2))
    ds = NoisyDataset(40)
    loader = DataLoader(ds, batch_size=8, shuffle=True, worker_init_fn=worker_init_fn)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    losses, first_batch = [], None
    for epoch in range(3):
        for xb, yb in loader:
            if first_batch is None:
                first_batch = yb.tolist()
            loss = nn.CrossEntropyLoss()(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return model, losses, first_batch, random.random(), np.random.rand()


m1, l1, b1, r1, n1 = run(42)
m2, l2, b2, r2, n2 = run(42)
m3, l3, b3, r3, n3 = run(7)
print('same seed, same losses:', l1 == l2, 'same batch:', b1 == b2, r1 == r2, n1 == n2)
print('other seed differs:', l1 != l3)
print(b1, [round(v, 4) for v in l1[-3:]])
print(all(torch.equal(p, q) for p, q in zip(m1.parameters(), m2.parameters())))
print(torch.initial_seed(), torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)

# seeds fix the generator state that follows
set_seed(0)
a = torch.rand(3)
state = torch.get_rng_state()
b = torch.rand(3)
torch.set_rng_state(state)
c = torch.rand(3)
print(a, torch.equal(b, c), state.dtype, state.shape)

# numpy draws turned into tensors, the usual way
set_seed(1)
arr = np.random.uniform(-1, 1, size=(2, 3))
t = torch.from_numpy(arr).float()
print(t, t.dtype, torch.from_numpy(arr).dtype, torch.from_numpy(arr.astype(np.float32)).type())
idx = np.random.permutation(6)
print(idx, torch.from_numpy(idx).long(), torch.LongTensor(idx.tolist()))

# fork_rng leaves the global state untouched
set_seed(5)
with torch.random.fork_rng():
    torch.manual_seed(123)
    inner = torch.randn(2)
after = torch.randn(2)
set_seed(5)
print(inner, torch.equal(after, torch.randn(2)))
g = torch.Generator()
g.manual_seed(2147483647)
print(torch.randint(0, 100, (5,), generator=g), g.initial_seed())
