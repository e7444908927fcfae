# Mixture-of-experts routing: top-k gating, softmax over the chosen experts, dispatch with
# index_select/index_add_, load-balancing auxiliary loss, capacity and scatter/gather.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(5)
T = lambda a: torch.tensor(a, dtype=torch.float32)


class Expert(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.w1 = nn.Linear(d, h)
        self.w2 = nn.Linear(h, d)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)))


class MoE(nn.Module):
    def __init__(self, d=8, h=16, n_experts=4, k=2):
        super().__init__()
        self.gate = nn.Linear(d, n_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d, h) for _ in range(n_experts))
        self.k = k
        self.n = n_experts

    def forward(self, x):
        B, S, D = x.shape
        flat = x.reshape(-1, D)
        logits = self.gate(flat)
        probs = logits.softmax(-1)
        topv, topi = probs.topk(self.k, dim=-1)
        topv = topv / topv.sum(-1, keepdim=True)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            tok, slot = torch.where(topi == e)
            if tok.numel() == 0:
                continue
            y = expert(flat.index_select(0, tok)) * topv[tok, slot].unsqueeze(-1)
            out.index_add_(0, tok, y)
        # Switch-transformer load balancing: fraction routed x mean gate probability
        counts = F.one_hot(topi[:, 0], self.n).float().mean(0)
        aux = self.n * (counts * probs.mean(0)).sum()
        return out.view(B, S, D), aux, topi


moe = MoE()
with torch.no_grad():
    for p in moe.parameters():
        p.copy_(T(rng.uniform(-0.5, 0.5, p.shape)))
x = T(rng.standard_normal((2, 5, 8)))
target = T(rng.standard_normal((2, 5, 8)))
out, aux, topi = moe(x)
print(out.shape, f"{aux.item():.4f}", topi.tolist())
print("tokens per expert", torch.bincount(topi.flatten(), minlength=4).tolist())
opt = torch.optim.Adam(moe.parameters(), lr=5e-3)
for step in range(40):
    out, aux, _ = moe(x)
    loss = F.mse_loss(out, target) + 0.01 * aux
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.4f} aux {aux.item():.4f}")
print("gate grad is not None:", moe.gate.weight.grad is not None,
      "unused expert grads:", [e.w1.weight.grad is None for e in moe.experts])

# dense reference: the same mixture computed with gather over all experts
with torch.no_grad():
    flat = x.reshape(-1, 8)
    probs = moe.gate(flat).softmax(-1)
    topv, topi = probs.topk(2, dim=-1)
    topv = topv / topv.sum(-1, keepdim=True)
    all_out = torch.stack([e(flat) for e in moe.experts], dim=1)  # (N, E, D)
    picked = torch.gather(all_out, 1, topi.unsqueeze(-1).expand(-1, -1, 8))
    dense = (picked * topv.unsqueeze(-1)).sum(1)
    sparse, _, _ = moe(x)
    print("sparse == dense:", torch.allclose(sparse.reshape(-1, 8), dense, atol=1e-5))
    # mask-based dispatch with scatter: combine weights as an (N, E) matrix
    combine = torch.zeros(flat.shape[0], 4).scatter(1, topi, topv)
    print(combine.sum(1).round(decimals=5).unique(), (combine > 0).sum(0).tolist())
    via_einsum = torch.einsum("ne,ned->nd", combine, all_out)
    print("einsum == dense:", torch.allclose(via_einsum, dense, atol=1e-5))
    # expert capacity: keep the first C tokens of each expert (position by cumsum)
    C = 3
    onehot = F.one_hot(topi[:, 0], 4)
    position = (torch.cumsum(onehot, dim=0) - 1) * onehot
    keep = (position < C) & (onehot > 0)
    print(position.sum(1).tolist(), keep.any(1).tolist())
    dropped = (~keep.any(1)).nonzero().flatten()
    print("dropped tokens", dropped.tolist())
    # scatter_add to count, scatter_reduce to find each expert's max gate prob
    top1 = topi[:, 0]
    print(torch.zeros(4, dtype=torch.long).scatter_add_(0, top1, torch.ones_like(top1)).tolist())
    print(torch.zeros(4).scatter_reduce(0, top1, probs.max(-1).values, reduce="amax", include_self=False).round(decimals=4))
