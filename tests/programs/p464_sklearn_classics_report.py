"""Classic small models on sklearn data: L2 logistic regression (weight_decay vs manual
penalty), an MLP with BatchNorm1d and Dropout, a classification report computed by hand."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, make_moons
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)


def standardize(train, test):
    mean, std = train.mean(0, keepdim=True), train.std(0, keepdim=True).clamp_min(1e-6)
    return (train - mean) / std, (test - mean) / std


def split(X, y, frac=0.75, seed=0):
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(len(X), generator=g)
    n = int(frac * len(X))
    return X[perm[:n]], y[perm[:n]], X[perm[n:]], y[perm[n:]]


def classification_report(y_true, y_pred, names):
    k = len(names)
    cm = torch.zeros(k, k, dtype=torch.long)
    cm.index_put_((y_true, y_pred), torch.ones_like(y_true), accumulate=True)
    tp = cm.diag().double()
    precision = tp / cm.sum(0).double().clamp(min=1)
    recall = tp / cm.sum(1).double().clamp(min=1)
    f1 = torch.where(precision + recall > 0, 2 * precision * recall / (precision + recall),
                     torch.zeros_like(tp))
    support = cm.sum(1)
    width = max(len(n) for n in names) + 2
    print(f"{'':>{width}} precision    recall  f1-score   support")
    for i, n in enumerate(names):
        print(f"{n:>{width}} {precision[i]:9.2f} {recall[i]:9.2f} {f1[i]:9.2f} {support[i]:9d}")
    acc = tp.sum() / support.sum()
    print(f"{'accuracy':>{width}} {'':9} {'':9} {acc:9.2f} {support.sum():9d}")
    print(f"{'macro avg':>{width}} {precision.mean():9.2f} {recall.mean():9.2f} "
          f"{f1.mean():9.2f} {support.sum():9d}")
    w = support.double() / support.sum()
    print(f"{'weighted avg':>{width}} {(precision * w).sum():9.2f} {(recall * w).sum():9.2f} "
          f"{(f1 * w).sum():9.2f} {support.sum():9d}")
    return cm


# --- logistic regression on breast cancer: weight_decay vs explicit L2 penalty
data = load_breast_cancer()
X = torch.tensor(data.data, dtype=torch.float32)
y = torch.tensor(data.target, dtype=torch.float32)
Xtr, ytr, Xte, yte = split(X, y)
Xtr, Xte = standardize(Xtr, Xte)
print("breast cancer", tuple(Xtr.shape), tuple(Xte.shape), f"pos rate {ytr.mean():.3f}")

lam = 1e-2
torch.manual_seed(1)
m1 = nn.Linear(30, 1)
m2 = nn.Linear(30, 1)
m2.load_state_dict(m1.state_dict())
opt1 = torch.optim.SGD(m1.parameters(), lr=0.1, weight_decay=lam)
opt2 = torch.optim.SGD(m2.parameters(), lr=0.1)
for epoch in range(60):
    opt1.zero_grad()
    l1 = F.binary_cross_entropy_with_logits(m1(Xtr).squeeze(1), ytr)
    l1.backward()
    opt1.step()
    opt2.zero_grad()
    l2 = F.binary_cross_entropy_with_logits(m2(Xtr).squeeze(1), ytr)
    penalty = 0.5 * lam * sum((p ** 2).sum() for p in m2.parameters())
    (l2 + penalty).backward()
    opt2.step()
    if epoch % 20 == 0:
        print(f"epoch {epoch:2d} bce {l1.item():.4f} {l2.item():.4f} penalty {penalty.item():.4f}")
print("same weights:", torch.allclose(m1.weight, m2.weight, atol=1e-5))
with torch.no_grad():
    pred = (torch.sigmoid(m1(Xte).squeeze(1)) > 0.5).long()
cm = classification_report(yte.long(), pred, list(data.target_names))
print(cm)

# --- softmax regression on iris with Adam and a DataLoader
iris = load_iris()
X = torch.from_numpy(iris.data).float()
y = torch.from_numpy(iris.target)
Xtr, ytr, Xte, yte = split(X, y, seed=2)
Xtr, Xte = standardize(Xtr, Xte)
torch.manual_seed(2)
clf = nn.Linear(4, 3)
opt = torch.optim.Adam(clf.parameters(), lr=0.05, weight_decay=1e-3)
loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
for epoch in range(30):
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(clf(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    if epoch % 10 == 9:
        print(f"iris epoch {epoch + 1} loss {total / len(Xtr):.4f}")
clf.eval()
with torch.no_grad():
    classification_report(yte, clf(Xte).argmax(1), list(iris.target_names))

# --- MLP with BatchNorm1d and Dropout on digits
digits = load_digits()
X = torch.tensor(digits.data, dtype=torch.float32) / 16.0
y = torch.tensor(digits.target)
Xtr, ytr, Xte, yte = split(X, y, frac=0.8, seed=3)
torch.manual_seed(3)
mlp = nn.Sequential(nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.25),
                    nn.Linear(64, 10))
print(mlp)
opt = torch.optim.SGD(mlp.parameters(), lr=0.1, momentum=0.9, nesterov=True)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=64, shuffle=True, drop_last=True)
for epoch in range(8):
    mlp.train()
    losses = []
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(mlp(xb), yb, label_smoothing=0.05)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    sched.step()
    mlp.eval()
    with torch.no_grad():
        acc = (mlp(Xte).argmax(1) == yte).float().mean().item()
    print(f"digits epoch {epoch + 1} loss {np.mean(losses):.3f} test acc {acc:.3f} "
          f"lr {sched.get_last_lr()[0]:.4f}")
print("running_var[:4]", mlp[1].running_var[:4].round(decimals=3), mlp[1].num_batches_tracked)
with torch.no_grad():
    cm = classification_report(yte, mlp(Xte).argmax(1), [str(d) for d in range(10)])
print("confusions:", (cm.sum() - cm.trace()).item())

# --- make_moons decision function on a grid
Xm, ym = make_moons(n_samples=200, noise=0.2, random_state=0)
Xm = torch.tensor(Xm, dtype=torch.float32)
ym = torch.tensor(ym, dtype=torch.float32)
torch.manual_seed(4)
net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
opt = torch.optim.LBFGS(net.parameters(), lr=1, max_iter=20, line_search_fn="strong_wolfe")


def closure():
    opt.zero_grad()
    loss = F.binary_cross_entropy_with_logits(net(Xm).squeeze(-1), ym)
    loss.backward()
    return loss


# (a few steps: near separation the loss heads to 0 and round-off grows step by step)
for it in range(3):
    loss = opt.step(closure)
    print(f"lbfgs step {it} loss {loss.item():.3f}")
xx, yy = torch.meshgrid(torch.linspace(-1.5, 2.5, 5), torch.linspace(-1, 1.5, 4), indexing="xy")
grid = torch.stack([xx.flatten(), yy.flatten()], 1)
with torch.no_grad():
    print((torch.sigmoid(net(grid)).view(4, 5) > 0.5).int())
