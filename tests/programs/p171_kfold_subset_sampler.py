# K-fold cross validation with SubsetRandomSampler, re-initialising the model each fold.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, SubsetRandomSampler, TensorDataset

torch.manual_seed(0)
N, K = 60, 5
rng = np.random.default_rng(0)
X = torch.tensor(rng.standard_normal((N, 4)), dtype=torch.float32)
y = (X[:, 0] * 1.5 - X[:, 1] + 0.3 * X[:, 2] ** 2 > 0).long()
dataset = TensorDataset(X, y)


def reset_weights(m):
    # the snippet everyone copies from the K-fold tutorial
    for layer in m.children():
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()


def init_fn(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("tanh"))
        nn.init.constant_(m.bias, 0.01)


def fixed_init(m):
    # deterministic weights, so the printed accuracies do not depend on the random stream
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            n = m.weight.numel()
            m.weight.copy_(torch.cos(torch.arange(n) * 1.3).view_as(m.weight) / m.in_features ** 0.5)
            m.bias.fill_(0.0)


model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 2))
print(nn.init.calculate_gain("tanh"), nn.init.calculate_gain("leaky_relu", 0.2), nn.init.calculate_gain("selu"))
perm = torch.from_numpy(rng.permutation(N))
folds = perm.chunk(K)
results = {}
for fold, val_ids in enumerate(folds):
    train_ids = torch.cat([f for i, f in enumerate(folds) if i != fold])
    g = torch.Generator().manual_seed(fold)
    train_sampler = SubsetRandomSampler(train_ids.tolist(), generator=g)
    val_sampler = SubsetRandomSampler(val_ids, generator=torch.Generator().manual_seed(99))
    # full batches: the sampler's order only permutes rows inside the batch
    train_loader = DataLoader(dataset, batch_size=len(train_ids), sampler=train_sampler)
    val_loader = DataLoader(dataset, batch_size=len(val_ids), sampler=val_sampler)
    print(f"FOLD {fold}: train {len(train_sampler)} val {len(val_sampler)} batches {len(train_loader)}")
    before = [p.detach().clone() for p in model.parameters()]
    if fold % 2 == 0:
        model.apply(reset_weights)
        bound = 1 / 16 ** 0.5
        print("  reset: changed", all(not torch.equal(a, b) for a, b in zip(before, model.parameters())),
              "bias in bound", bool((model[2].bias.abs() <= bound).all()))
    else:
        model.apply(init_fn)
        w = model[0].weight
        limit = nn.init.calculate_gain("tanh") * (6 / (4 + 16)) ** 0.5
        print("  xavier: in limit", bool((w.abs() <= limit).all()), "bias", model[2].bias.tolist())
    model.apply(fixed_init)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(40):
        for xb, yb in train_loader:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
    print(f"  final train loss {loss.item():.3f}")
    with torch.no_grad():
        correct = total = 0
        for xb, yb in val_loader:
            pred = model(xb).argmax(1)
            total += yb.size(0)
            correct += (pred == yb).sum().item()
    results[fold] = 100.0 * correct / total
    print(f"  accuracy {results[fold]:.1f}%")

print("K-FOLD RESULTS", {k: round(v, 1) for k, v in results.items()})
print(f"Average: {sum(results.values()) / len(results):.2f} %")

# samplers: sizes and contents (not the order, which is the random stream's)
s = SubsetRandomSampler([10, 20, 30, 40], generator=torch.Generator().manual_seed(3))
print(sorted(s), len(s))
rs = torch.utils.data.RandomSampler(range(6), replacement=True, num_samples=8,
                                    generator=torch.Generator().manual_seed(5))
print(len(list(rs)), len(rs), all(0 <= i < 6 for i in rs))
rs2 = torch.utils.data.RandomSampler(range(5), num_samples=10)
print(sorted(rs2), len(rs2))
bs = torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(7)), batch_size=3, drop_last=False)
print(list(bs), len(bs))
bs2 = torch.utils.data.BatchSampler(range(7), batch_size=3, drop_last=True)
print(list(bs2), len(bs2))
sub = torch.utils.data.Subset(dataset, [0, 5, 7])
print(len(sub), sub[1][1].item(), sub.indices)
loader = DataLoader(dataset, batch_sampler=bs)
print([tuple(b[0].shape) for b in loader], len(loader))
