# Matrix factorisation for ratings: a low-rank matrix with missing entries completed by
# (1) alternating least squares with batched torch.linalg.solve, (2) minibatch Adam on
# nn.Embedding factors with biases (the global mean on its own optimizer), and (3) a truncated
# SVD baseline.
import torch
import torch.nn as nn

torch.manual_seed(17)
n_users, n_items, rank = 30, 20, 3
U_true = torch.randn(n_users, rank)
V_true = torch.randn(n_items, rank)
R = U_true @ V_true.T + 0.1 * torch.randn(n_users, n_items)
mask = torch.rand(n_users, n_items) < 0.4
test_mask = (~mask) & (torch.rand(n_users, n_items) < 0.5)
print("observed", mask.sum().item(), "test", test_mask.sum().item(), mask.dtype)


def rmse(P, M):
    return ((P - R)[M] ** 2).mean().sqrt().item()


# ALS: each row of U solves a small ridge system using only its observed entries
lam = 0.1
k = 4
U = torch.randn(n_users, k) * 0.1
V = torch.randn(n_items, k) * 0.1
Mf = mask.float()
for it in range(10):
    # users: (V^T diag(m_u) V + lam I) u = V^T diag(m_u) r_u, all users batched
    A = torch.einsum("ui,ik,il->ukl", Mf, V, V) + lam * torch.eye(k)
    b = torch.einsum("ui,ui,ik->uk", Mf, R, V)
    U = torch.linalg.solve(A, b)
    A = torch.einsum("ui,uk,ul->ikl", Mf, U, U) + lam * torch.eye(k)
    b = torch.einsum("ui,ui,uk->ik", Mf, R, U)
    V = torch.linalg.solve(A, b)
    if it % 3 == 0 or it == 9:
        print(f"als it {it}: train rmse {rmse(U @ V.T, mask):.4f} test rmse {rmse(U @ V.T, test_mask):.4f}")


class MF(nn.Module):
    def __init__(self, nu, ni, k):
        super().__init__()
        self.user = nn.Embedding(nu, k)
        self.item = nn.Embedding(ni, k)
        self.ub = nn.Embedding(nu, 1)
        self.ib = nn.Embedding(ni, 1)
        for e in (self.user, self.item):
            nn.init.normal_(e.weight, std=0.1)
        nn.init.zeros_(self.ub.weight)
        nn.init.zeros_(self.ib.weight)
        self.mu = nn.Parameter(torch.zeros(()))

    def forward(self, u, i):
        return (self.user(u) * self.item(i)).sum(1) + self.ub(u).squeeze(1) + self.ib(i).squeeze(1) + self.mu


model = MF(n_users, n_items, k)
print(model)
users, items = mask.nonzero(as_tuple=True)
ratings = R[users, items]
factor_params = [p for n, p in model.named_parameters() if n != "mu"]
opt_s = torch.optim.Adam(factor_params, lr=0.05)
opt_d = torch.optim.Adam([model.mu], lr=0.05)
g = torch.Generator().manual_seed(0)
for epoch in range(30):
    perm = torch.randperm(len(users), generator=g)
    total = 0.0
    for s in range(0, len(perm), 64):
        idx = perm[s:s + 64]
        pred = model(users[idx], items[idx])
        loss = ((pred - ratings[idx]) ** 2).mean()
        opt_s.zero_grad()
        opt_d.zero_grad()
        loss.backward()
        opt_s.step()
        opt_d.step()
        total += loss.item() * len(idx)
    if epoch % 10 == 9:
        with torch.no_grad():
            full = model(torch.arange(n_users).repeat_interleave(n_items), torch.arange(n_items).repeat(n_users))
        print(f"sgd epoch {epoch + 1}: train mse {total / len(users):.4f} test rmse {rmse(full.view(n_users, n_items), test_mask):.4f}")
print("grad layout", model.user.weight.grad.layout, model.user.weight.grad.shape)

# SVD baseline: fill missing with column means, truncate
col_mean = (R * Mf).sum(0) / Mf.sum(0).clamp(min=1)
filled = torch.where(mask, R, col_mean.expand_as(R))
Us, S, Vh = torch.linalg.svd(filled, full_matrices=False)
for r in (1, 3, 6):
    approx = Us[:, :r] @ torch.diag(S[:r]) @ Vh[:r]
    print(f"svd rank {r}: test rmse {rmse(approx, test_mask):.4f}")
print("top singular values", S[:5].round(decimals=3))
