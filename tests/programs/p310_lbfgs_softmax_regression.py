# Classic ML with L-BFGS: binary logistic regression and multinomial softmax regression fitted
# full-batch with torch.optim.LBFGS (closure, strong-Wolfe line search), L2 regularisation,
# compared with plain gradient descent and with Newton's method on the same convex objective.
import torch
import torch.nn.functional as F

torch.manual_seed(21)
n, d, C = 300, 4, 3
W_true = torch.randn(d, C, dtype=torch.float64) * 1.5
X = torch.randn(n, d, dtype=torch.float64)
y = torch.distributions.Categorical(logits=X @ W_true).sample()
print("class counts", torch.bincount(y, minlength=C).tolist(), y.dtype)
lam = 1e-2


def objective(W, b):
    return F.cross_entropy(X @ W + b, y) + 0.5 * lam * W.pow(2).sum()


W = torch.zeros(d, C, dtype=torch.float64, requires_grad=True)
b = torch.zeros(C, dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([W, b], lr=1, max_iter=100, history_size=10, line_search_fn="strong_wolfe",
                        tolerance_grad=1e-10, tolerance_change=1e-12)
calls = []


def closure():
    opt.zero_grad()
    loss = objective(W, b)
    loss.backward()
    calls.append(loss.item())
    return loss


final = opt.step(closure)
state = opt.state[opt._params[0]]
print(f"lbfgs loss {objective(W, b).item():.6f} first {calls[0]:.6f} evals {len(calls)}",
      f"iters {state['n_iter']}")
gW = torch.autograd.grad(objective(W, b), W)[0]
print(f"grad norm small {gW.norm().item() < 1e-6}")
acc = ((X @ W + b).argmax(1) == y).double().mean()
print(f"train acc {acc.item():.4f}")

# gradient descent for comparison
W2 = torch.zeros(d, C, dtype=torch.float64, requires_grad=True)
b2 = torch.zeros(C, dtype=torch.float64, requires_grad=True)
sgd = torch.optim.SGD([W2, b2], lr=0.5)
for it in range(200):
    sgd.zero_grad()
    loss = objective(W2, b2)
    loss.backward()
    sgd.step()
print(f"gd after 200 steps {loss.item():.6f} gap {loss.item() - objective(W, b).item():.2e}")

# binary logistic regression by Newton's method (IRLS) vs LBFGS
yb = (y == 0).double()
Xb = torch.cat([X, torch.ones(n, 1, dtype=torch.float64)], 1)
beta = torch.zeros(d + 1, dtype=torch.float64)
for it in range(10):
    p = torch.sigmoid(Xb @ beta)
    grad = Xb.T @ (p - yb) / n + lam * torch.cat([beta[:-1], beta.new_zeros(1)])
    Wd = p * (1 - p)
    Hs = (Xb.T * Wd) @ Xb / n + lam * torch.diag(torch.tensor([1.0] * d + [0.0], dtype=torch.float64))
    beta = beta - torch.linalg.solve(Hs, grad)
print("newton beta", beta.round(decimals=5).tolist())

wb = torch.zeros(d + 1, dtype=torch.float64, requires_grad=True)
opt2 = torch.optim.LBFGS([wb], line_search_fn="strong_wolfe", max_iter=50, tolerance_grad=1e-12,
                         tolerance_change=1e-14)


def closure2():
    opt2.zero_grad()
    loss = F.binary_cross_entropy_with_logits(Xb @ wb, yb) + 0.5 * lam * wb[:-1].pow(2).sum()
    loss.backward()
    return loss


for _ in range(3):
    opt2.step(closure2)
print("lbfgs beta ", wb.detach().round(decimals=5).tolist())
print("agree", torch.allclose(wb.detach(), beta, atol=1e-6))
probs = torch.sigmoid(Xb @ beta)
print("calibration", f"{probs.mean().item():.4f} vs {yb.mean().item():.4f}")
print("log-loss", round(F.binary_cross_entropy(probs, yb).item(), 5),
      "nll via log_softmax", round(F.nll_loss(F.log_softmax(X @ W.detach() + b.detach(), 1), y).item(), 5))
