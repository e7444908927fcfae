# A CART decision tree grown by hand with torch: Gini impurity of every candidate split
# computed at once from cumulative class counts after sorting each feature, recursion with
# depth/size limits, prediction by walking the tree, and a small random forest with
# bootstrap samples and feature subsampling from a seeded generator.
import torch
import torch.nn.functional as F

torch.manual_seed(77)
n, C = 300, 3
X = torch.rand(n, 4) * 10
y = torch.zeros(n, dtype=torch.long)
y[(X[:, 0] > 5) & (X[:, 1] < 4)] = 1
y[(X[:, 2] > 7)] = 2
noise = torch.rand(n) < 0.05
y[noise] = torch.randint(0, C, (int(noise.sum()),))
Xtr, ytr, Xte, yte = X[:200], y[:200], X[200:], y[200:]
print("class balance", torch.bincount(ytr, minlength=C).tolist())


def gini(counts):
    tot = counts.sum(-1, keepdim=True).clamp(min=1)
    p = counts / tot
    return 1 - (p * p).sum(-1)


def best_split(X, y, features):
    best = (None, None, float("inf"))
    m = len(y)
    for f in features:
        xs, order = X[:, f].sort()
        oh = F.one_hot(y[order], C).float()
        left = oh.cumsum(0)[:-1]  # left counts after each position
        right = oh.sum(0) - left
        nl = torch.arange(1, m, dtype=torch.float)
        score = (nl * gini(left) + (m - nl) * gini(right)) / m
        valid = xs[1:] > xs[:-1]  # only between distinct values
        score = torch.where(valid, score, torch.full_like(score, float("inf")))
        i = score.argmin()
        if score[i] < best[2]:
            best = (f, ((xs[i] + xs[i + 1]) / 2).item(), score[i].item())
    return best


def grow(X, y, depth, max_depth=4, min_size=5, features=None, gen=None):
    counts = torch.bincount(y, minlength=C)
    leaf = {"leaf": True, "pred": counts.argmax().item(), "n": len(y)}
    if depth >= max_depth or len(y) < min_size or (counts > 0).sum() == 1:
        return leaf
    feats = features if features is not None else range(X.shape[1])
    if gen is not None:
        feats = torch.randperm(X.shape[1], generator=gen)[:2].tolist()
    f, t, score = best_split(X, y, feats)
    if f is None or score >= gini(counts.float()).item() - 1e-12:
        return leaf
    mask = X[:, f] <= t
    return {"leaf": False, "f": f, "t": t,
            "l": grow(X[mask], y[mask], depth + 1, max_depth, min_size, features, gen),
            "r": grow(X[~mask], y[~mask], depth + 1, max_depth, min_size, features, gen)}


def predict_one(node, x):
    while not node["leaf"]:
        node = node["l"] if x[node["f"]] <= node["t"] else node["r"]
    return node["pred"]


def predict(node, X):
    return torch.tensor([predict_one(node, x) for x in X])


def show(node, indent=""):
    if node["leaf"]:
        print(f"{indent}leaf -> {node['pred']} (n={node['n']})")
        return
    print(f"{indent}x[{node['f']}] <= {node['t']:.3f}")
    show(node["l"], indent + "  ")
    show(node["r"], indent + "  ")


tree = grow(Xtr, ytr, 0, max_depth=3)
show(tree)
for depth in (1, 2, 4, 6):
    t = grow(Xtr, ytr, 0, max_depth=depth)
    tr = (predict(t, Xtr) == ytr).float().mean().item()
    te = (predict(t, Xte) == yte).float().mean().item()
    print(f"depth {depth}: train {tr:.3f} test {te:.3f}")

# random forest: bootstrap + 2 random features per split, majority vote
g = torch.Generator().manual_seed(5)
votes = torch.zeros(len(Xte), C)
for b in range(7):
    idx = torch.randint(0, len(Xtr), (len(Xtr),), generator=g)
    t = grow(Xtr[idx], ytr[idx], 0, max_depth=5, gen=g)
    pred = predict(t, Xte)
    votes += F.one_hot(pred, C).float()
    if b % 3 == 0:
        print(f"tree {b}: oob-free test acc {(pred == yte).float().mean().item():.3f}")
forest = votes.argmax(1)
print(f"forest test acc {(forest == yte).float().mean().item():.3f}", "vote margins", votes.max(1).values[:8].tolist())
cm = torch.bincount(yte * C + forest, minlength=C * C).view(C, C)
print(cm)
