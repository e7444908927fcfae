# Kernel methods: RBF / polynomial kernels built with torch.cdist, kernel ridge regression
# solved with cholesky_solve, leave-one-out error from the hat matrix, and a linear SVM
# trained on the (squared) hinge loss with SGD plus a kernel SVM in the dual by projected
# gradient ascent.
import torch

torch.manual_seed(11)
torch.set_printoptions(precision=4, sci_mode=False)


def rbf(a, b, gamma):
    return torch.exp(-gamma * torch.cdist(a, b).pow(2))


X = torch.linspace(-3, 3, 60, dtype=torch.float64).unsqueeze(1)
y = torch.sin(2 * X).squeeze(1) + 0.1 * torch.randn(60, dtype=torch.float64)
Xt = torch.linspace(-3, 3, 7, dtype=torch.float64).unsqueeze(1)
for gamma in (0.5, 2.0, 8.0):
    for lam in (1e-3, 1e-1):
        K = rbf(X, X, gamma)
        L = torch.linalg.cholesky(K + lam * torch.eye(60, dtype=torch.float64))
        alpha = torch.cholesky_solve(y.unsqueeze(1), L).squeeze(1)
        Hm = K @ torch.cholesky_inverse(L)
        resid = (y - Hm @ y) / (1 - Hm.diagonal())
        loo = resid.pow(2).mean()
        pred = rbf(Xt, X, gamma) @ alpha
        err = (pred - torch.sin(2 * Xt).squeeze(1)).abs().max()
        print(f"gamma={gamma:<4} lam={lam:<6} loo {loo.item():.4f} test max err {err.item():.4f}")

poly = (X @ X.T + 1) ** 3
print("poly kernel psd", bool(torch.linalg.eigvalsh(poly).min() > -1e-8), poly.shape)

# two Gaussian blobs, labels in {-1, +1}
n = 100
Xc = torch.cat([torch.randn(n, 2) + torch.tensor([2.0, 2.0]), torch.randn(n, 2) - torch.tensor([2.0, 1.0])])
yc = torch.cat([torch.ones(n), -torch.ones(n)])
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([w, b], lr=0.1)
C = 1.0
for epoch in range(100):
    margin = yc * (Xc @ w + b)
    loss = 0.5 * w.pow(2).sum() + C * torch.clamp(1 - margin, min=0).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 25 == 0:
        print(f"hinge epoch {epoch:3d} loss {loss.item():.4f} w {w.detach().numpy().round(3).tolist()}")
acc = ((Xc @ w + b).sign() == yc).float().mean()
sv = ((yc * (Xc @ w + b)) < 1 + 1e-3).sum()
print(f"linear svm acc {acc.item():.3f} support-ish {sv.item()} |w| {w.norm().item():.4f}")

sq = torch.nn.functional.relu(1 - yc * (Xc @ w.detach() + b.detach())).pow(2).mean()
print(f"squared hinge at solution {sq.item():.4f}")
print("MultiMarginLoss", round(torch.nn.MultiMarginLoss()(torch.stack([-(Xc @ w), Xc @ w], 1).detach(),
                                                          ((yc + 1) / 2).long()).item(), 4))

# kernel SVM dual: max sum(a) - 0.5 a^T Q a, 0 <= a <= C (bias folded into kernel via +1)
Xr = torch.cat([torch.randn(40, 2) * 0.5, torch.randn(40, 2) * 0.5 + 2.5]).double()
ring = torch.cat([torch.ones(40), -torch.ones(40)]).double()
Kr = rbf(Xr, Xr, 0.5) + 1.0
Q = (ring[:, None] * ring[None, :]) * Kr
a = torch.zeros(80, dtype=torch.float64)
lr = 1.0 / torch.linalg.eigvalsh(Q).max()
for it in range(300):
    a = (a + lr * (1 - Q @ a)).clamp(0, 1.0)
dual = a.sum() - 0.5 * a @ Q @ a
f = Kr @ (a * ring)
print(f"dual objective {dual.item():.4f} train acc {(f.sign() == ring).double().mean().item():.3f}",
      f"support vectors {(a > 1e-6).sum().item()}")
