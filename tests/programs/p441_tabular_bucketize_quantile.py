# Tabular classification the way a Kaggle notebook does it: numeric features normalised with
# statistics of the training split only, a numeric column binned with torch.quantile +
# torch.bucketize into a categorical one, categorical embeddings concatenated with numeric
# features, class weights for an imbalanced target, and a stratified split built with randperm.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(42)
N = 300
age = torch.randint(18, 80, (N,)).float()
income = torch.exp(torch.randn(N) * 0.5 + 10.0)
city = torch.randint(0, 5, (N,))
device_type = torch.multinomial(torch.tensor([0.6, 0.3, 0.1]), N, replacement=True)
score = 0.03 * (age - 50) + 0.8 * (city == 2).float() - 0.5 * (device_type == 2).float()
target = (score + 0.5 * torch.randn(N) > 0.9).long()
print("target balance", torch.bincount(target).tolist(), "device counts",
      torch.bincount(device_type, minlength=3).tolist())

# stratified split: shuffle the indices of each class and take 25% of each for validation
val_idx, train_idx = [], []
g = torch.Generator().manual_seed(7)
for c in target.unique(sorted=True):
    idx = (target == c).nonzero(as_tuple=True)[0]
    idx = idx[torch.randperm(len(idx), generator=g)]
    n_val = int(round(0.25 * len(idx)))
    val_idx.append(idx[:n_val])
    train_idx.append(idx[n_val:])
val_idx, train_idx = torch.cat(val_idx), torch.cat(train_idx)
print("split sizes", len(train_idx), len(val_idx),
      "val positives", target[val_idx].sum().item(), "train positives", target[train_idx].sum().item())

# quantile bins of age computed on the training split
edges = torch.quantile(age[train_idx], torch.tensor([0.25, 0.5, 0.75]))
print("age quartile edges", edges.tolist())
age_bin = torch.bucketize(age, edges)
print("age bins", torch.bincount(age_bin, minlength=4).tolist(), age_bin[:10].tolist())
print("right=True differs at", (torch.bucketize(age, edges, right=True) != age_bin).sum().item())
print("median income", round(torch.quantile(income, 0.5).item(), 2),
      "nanquantile", torch.nanquantile(torch.tensor([1.0, float("nan"), 3.0, 2.0]), 0.5).item())
for interp in ("linear", "lower", "higher", "midpoint", "nearest"):
    q = torch.quantile(torch.arange(10.0), torch.tensor([0.33, 0.9]), interpolation=interp)
    print(" ", interp, [round(v, 4) for v in q.tolist()])

numeric = torch.stack([age, torch.log(income)], dim=1)
mu = numeric[train_idx].mean(0, keepdim=True)
sd = numeric[train_idx].std(0, unbiased=True, keepdim=True)
numeric = (numeric - mu) / sd
print("mu", [round(v, 3) for v in mu.squeeze().tolist()], "sd", [round(v, 3) for v in sd.squeeze().tolist()])
print("train stats after", [round(v, 4) for v in numeric[train_idx].mean(0).tolist()],
      [round(v, 4) for v in numeric[train_idx].std(0).tolist()])
cats = torch.stack([city, device_type, age_bin], dim=1)
print("cats", cats.dtype, tuple(cats.shape), "numeric", numeric.dtype, tuple(numeric.shape))


class TabularNet(nn.Module):
    def __init__(self, cardinalities, emb_dims, n_numeric, hidden=16):
        super().__init__()
        self.embs = nn.ModuleList(nn.Embedding(c, d) for c, d in zip(cardinalities, emb_dims))
        self.bn = nn.BatchNorm1d(n_numeric)
        self.mlp = nn.Sequential(nn.Linear(sum(emb_dims) + n_numeric, hidden), nn.ReLU(),
                                 nn.Linear(hidden, 2))

    def forward(self, cats, nums):
        embedded = [emb(cats[:, i]) for i, emb in enumerate(self.embs)]
        x = torch.cat(embedded + [self.bn(nums)], dim=1)
        return self.mlp(x)


cardinalities = [5, 3, 4]
emb_dims = [min(4, (c + 1) // 2) for c in cardinalities]
model = TabularNet(cardinalities, emb_dims, 2)
print(model)
counts = torch.bincount(target[train_idx], minlength=2).float()
class_w = counts.sum() / (2 * counts)
print("class weights", [round(v, 4) for v in class_w.tolist()])
opt = torch.optim.Adam(model.parameters(), lr=0.02)
for epoch in range(30):
    model.train()
    perm = train_idx[torch.randperm(len(train_idx), generator=g)]
    for b in perm.split(64):
        loss = F.cross_entropy(model(cats[b], numeric[b]), target[b], weight=class_w)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 10 == 9:
        model.eval()
        with torch.no_grad():
            logits = model(cats[val_idx], numeric[val_idx])
            val_loss = F.cross_entropy(logits, target[val_idx], weight=class_w)
            pred = logits.argmax(1)
        tp = ((pred == 1) & (target[val_idx] == 1)).sum().item()
        print(f"epoch {epoch + 1} train {loss.item():.4f} val {val_loss.item():.4f} "
              f"acc {(pred == target[val_idx]).float().mean().item():.4f} tp {tp}")
print("bn running mean", [round(v, 4) for v in model.bn.running_mean.tolist()],
      "tracked", model.bn.num_batches_tracked.item())
probs = F.softmax(model(cats[val_idx[:4]], numeric[val_idx[:4]]), dim=1)
print("probs", probs.detach().round(decimals=3))
