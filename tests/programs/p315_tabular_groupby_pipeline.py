# A tabular pipeline in plain torch: categorical columns encoded with torch.unique(
# return_inverse=True, return_counts=True), numeric columns standardised with train statistics,
# ages binned with torch.bucketize, one-hot features with F.one_hot, groupby aggregation with
# scatter_reduce / index_add_ (sum, mean, amax, amin, count), and a stratified split.
import torch
import torch.nn.functional as F

torch.manual_seed(31)
n = 60
cities = ["paris", "lyon", "nice", "lille"]
city_raw = torch.randint(0, 4, (n,)) * 7 + 3  # arbitrary codes to re-encode
age = torch.randint(18, 80, (n,))
income = (torch.randn(n) * 12 + 45 + 0.3 * age).round(decimals=1)
label = ((income > 60) | (age > 65)).long()
print("raw codes", city_raw[:8].tolist(), city_raw.dtype)

codes, inverse, counts = torch.unique(city_raw, sorted=True, return_inverse=True, return_counts=True)
print("unique", codes.tolist(), "counts", counts.tolist(), "inverse", inverse[:8].tolist())
print("consecutive", torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 2, 3, 1, 1]), return_counts=True))

# groupby city: sum, mean, max, min, count of income
G = len(codes)
sums = torch.zeros(G).index_add_(0, inverse, income)
means = sums / counts
mx = torch.full((G,), -float("inf")).scatter_reduce(0, inverse, income, reduce="amax")
mn = torch.zeros(G).scatter_reduce(0, inverse, income, reduce="amin", include_self=False)
mean2 = torch.zeros(G).scatter_reduce(0, inverse, income, reduce="mean", include_self=False)
print("group means agree", torch.allclose(means, mean2))
for g in range(G):
    print(f"  city {cities[g]:>5}: n={counts[g].item():2d} sum={sums[g].item():8.1f} mean={means[g].item():6.2f} "
          f"max={mx[g].item():5.1f} min={mn[g].item():5.1f}")
prod = torch.ones(G, dtype=torch.float64).scatter_reduce(0, inverse, (income / 50).double(), reduce="prod")
print("group prod", prod.round(decimals=3))
print("label rate by city", (torch.zeros(G).index_add_(0, inverse, label.float()) / counts).round(decimals=3))

# bucketize ages into decades
edges = torch.tensor([30, 40, 50, 60, 70])
bins = torch.bucketize(age, edges)
bins_r = torch.bucketize(age, edges, right=True)
print("bins", bins[:10].tolist(), "right", bins_r[:10].tolist(), "hist", torch.bincount(bins, minlength=6).tolist())
print("searchsorted", torch.searchsorted(edges, torch.tensor([30, 31, 85]), side="right").tolist())

# stratified split 60/20/20 per label
g = torch.Generator().manual_seed(0)
train_idx, val_idx, test_idx = [], [], []
for c in (0, 1):
    idx = (label == c).nonzero().squeeze(1)
    idx = idx[torch.randperm(len(idx), generator=g)]
    a, b = int(0.6 * len(idx)), int(0.8 * len(idx))
    train_idx.append(idx[:a]); val_idx.append(idx[a:b]); test_idx.append(idx[b:])
train_idx, val_idx, test_idx = (torch.cat(v).sort().values for v in (train_idx, val_idx, test_idx))
print("split sizes", len(train_idx), len(val_idx), len(test_idx),
      "label balance", [round(label[i].float().mean().item(), 3) for i in (train_idx, val_idx, test_idx)])

# standardise with train statistics only
num = torch.stack([age.float(), income], 1)
mu = num[train_idx].mean(0)
sd = num[train_idx].std(0)
Z = (num - mu) / sd
print("train mean ~0", Z[train_idx].mean(0).abs().max().item() < 1e-5, "std ~1",
      torch.allclose(Z[train_idx].std(0), torch.ones(2)))
feats = torch.cat([Z, F.one_hot(inverse, num_classes=G).float(), F.one_hot(bins, 6).float()], 1)
print("features", feats.shape, feats.dtype, feats[0].tolist()[:2])
print("one_hot", F.one_hot(torch.tensor([0, 2, 1])), F.one_hot(torch.tensor([[1], [0]])).shape)

# a logistic model trained on the features, early stopping on validation loss
model = torch.nn.Linear(feats.shape[1], 2)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
best, bad, best_state = float("inf"), 0, None
for epoch in range(200):
    opt.zero_grad()
    loss = F.cross_entropy(model(feats[train_idx]), label[train_idx])
    loss.backward()
    opt.step()
    with torch.no_grad():
        vl = F.cross_entropy(model(feats[val_idx]), label[val_idx]).item()
    if vl < best - 1e-4:
        best, bad = vl, 0
        best_state = {k: v.clone() for k, v in model.state_dict().items()}
    else:
        bad += 1
        if bad >= 10:
            print(f"early stop at epoch {epoch} best val {best:.4f}")
            break
model.load_state_dict(best_state)
with torch.no_grad():
    acc = (model(feats[test_idx]).argmax(1) == label[test_idx]).float().mean()
print(f"test acc {acc.item():.4f}")
counts_2d = torch.zeros(G, 2, dtype=torch.long).index_put_((inverse, label), torch.ones(n, dtype=torch.long), accumulate=True)
print("crosstab\n", counts_2d)
