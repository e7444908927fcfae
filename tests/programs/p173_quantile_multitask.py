# Quantile (pinball) regression and a multi-task network with fixed and learned loss weights.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(3)
n = 200
x_np = rng.uniform(-2, 2, (n, 1)).astype(np.float32)
noise = (0.2 + 0.3 * np.abs(x_np)) * rng.standard_normal((n, 1)).astype(np.float32)
X = torch.from_numpy(x_np)
Y = torch.from_numpy(np.sin(2 * x_np) + noise)
quantiles = torch.tensor([0.1, 0.5, 0.9])


def pinball_loss(pred, target, qs):
    # pred: (N, Q), target: (N, 1)
    errors = target - pred
    return torch.max((qs - 1) * errors, qs * errors).mean()


def pinball_loss2(pred, target, qs):
    e = target - pred
    return torch.where(e >= 0, qs * e, (qs - 1) * e).sum(dim=1).mean()


def fixed_params(model, scale=0.5):
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            k = torch.arange(p.numel(), dtype=torch.float32)
            p.copy_((torch.sin(k * 0.9 + i) * scale).reshape(p.shape))


class QuantileNet(nn.Module):
    def __init__(self, nq):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(1, 32), nn.SiLU(), nn.Linear(32, 32), nn.SiLU())
        self.head = nn.Linear(32, nq)

    def forward(self, x):
        out = self.head(self.body(x))
        # non-crossing quantiles: base + cumulative softplus increments
        base, inc = out[:, :1], F.softplus(out[:, 1:])
        return torch.cat([base, base + torch.cumsum(inc, dim=1)], dim=1)


qnet = QuantileNet(3)
fixed_params(qnet)
opt = torch.optim.AdamW(qnet.parameters(), lr=0.01, weight_decay=0.01, amsgrad=True)
for epoch in range(150):
    pred = qnet(X)
    loss = pinball_loss(pred, Y, quantiles)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 50 == 0:
        print(f"epoch {epoch:3d} pinball {loss.item():.4f} alt {pinball_loss2(pred, Y, quantiles).item():.4f}")
with torch.no_grad():
    pred = qnet(X)
    coverage = ((Y >= pred[:, :1]) & (Y <= pred[:, 2:])).float().mean()
    below = (Y < pred).float().mean(dim=0)
    print("coverage 10-90:", round(coverage.item(), 2), "fraction below:", below.round(decimals=2).tolist())
    grid = torch.linspace(-2, 2, 5).unsqueeze(1)
    print(qnet(grid).round(decimals=2))
    print("monotone:", bool((qnet(grid).diff(dim=1) >= 0).all()))

# torch.quantile against the pinball-optimal constant
print(torch.quantile(Y.squeeze(), quantiles).round(decimals=3))
print(torch.quantile(Y.squeeze(), 0.5, interpolation="nearest").round(decimals=3),
      torch.nanquantile(torch.tensor([1.0, float("nan"), 3.0, 2.0]), 0.25))
for mode in ["linear", "lower", "higher", "midpoint", "nearest"]:
    print(mode, torch.quantile(torch.arange(10.0).reshape(2, 5), torch.tensor([0.3, 0.75]), dim=1,
                               keepdim=True, interpolation=mode).squeeze(-1).tolist())


# multi-task: a regression head and a classification head sharing a trunk
class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(4, 16), nn.ReLU())
        self.heads = nn.ModuleDict({"reg": nn.Linear(16, 1), "cls": nn.Linear(16, 3)})
        # homoscedastic uncertainty weighting (Kendall et al.)
        self.log_vars = nn.Parameter(torch.zeros(2))

    def forward(self, x):
        h = self.trunk(x)
        return {k: head(h) for k, head in self.heads.items()}


Xm = torch.from_numpy(rng.standard_normal((64, 4)).astype(np.float32))
y_reg = (Xm[:, :1] * 2 - Xm[:, 1:2])
y_cls = (Xm[:, 2] > 0).long() + (Xm[:, 3] > 1).long()
mt = MultiTask()
fixed_params(mt, 0.3)
with torch.no_grad():
    mt.log_vars.zero_()
opt = torch.optim.Adam([{"params": mt.trunk.parameters()},
                        {"params": mt.heads.parameters(), "lr": 0.02},
                        {"params": [mt.log_vars], "lr": 0.05, "weight_decay": 0.0}], lr=0.01)
weights = {"reg": 1.0, "cls": 0.5}
for step in range(100):
    out = mt(Xm)
    losses = {"reg": F.mse_loss(out["reg"], y_reg), "cls": F.cross_entropy(out["cls"], y_cls)}
    fixed = sum(weights[k] * v for k, v in losses.items())
    precision = torch.exp(-mt.log_vars)
    learned = sum(precision[i] * losses[k] + mt.log_vars[i] for i, k in enumerate(["reg", "cls"]))
    opt.zero_grad()
    learned.backward()
    opt.step()
    if step % 25 == 0:
        print(step, {k: round(v.item(), 4) for k, v in losses.items()}, round(fixed.item(), 4))
print("log_vars", mt.log_vars.detach().round(decimals=3))
print([g["lr"] for g in opt.param_groups], len(opt.state))
acc = (mt(Xm)["cls"].argmax(1) == y_cls).float().mean()
print(f"cls acc {acc:.3f}")
