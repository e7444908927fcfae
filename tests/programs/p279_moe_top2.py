# Mixture of experts with top-2 routing (Mixtral / Switch style): gate logits, torch.topk over
# experts, softmax over the selected logits, dispatch with torch.where / index_add_, the
# auxiliary load-balancing loss, a capacity-free batched version with one_hot masks, and a
# training step checking that every expert that received tokens got a gradient.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Expert(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)
        self.w2 = nn.Linear(hidden, dim, bias=False)
        self.w3 = nn.Linear(dim, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class SparseMoeBlock(nn.Module):
    def __init__(self, dim=16, hidden=32, num_experts=4, top_k=2):
        super().__init__()
        self.num_experts = num_experts
        self.top_k = top_k
        self.gate = nn.Linear(dim, num_experts, bias=False)
        self.experts = nn.ModuleList([Expert(dim, hidden) for _ in range(num_experts)])

    def forward(self, hidden_states):
        batch_size, sequence_length, hidden_dim = hidden_states.shape
        hidden_states = hidden_states.view(-1, hidden_dim)
        router_logits = self.gate(hidden_states)
        routing_weights = F.softmax(router_logits, dim=1, dtype=torch.float)
        routing_weights, selected_experts = torch.topk(routing_weights, self.top_k, dim=-1)
        routing_weights /= routing_weights.sum(dim=-1, keepdim=True)
        routing_weights = routing_weights.to(hidden_states.dtype)
        final_hidden_states = torch.zeros((batch_size * sequence_length, hidden_dim), dtype=hidden_states.dtype)
        expert_mask = F.one_hot(selected_experts, num_classes=self.num_experts).permute(2, 1, 0)
        for expert_idx in range(self.num_experts):
            expert_layer = self.experts[expert_idx]
            idx, top_x = torch.where(expert_mask[expert_idx])
            current_state = hidden_states[None, top_x].reshape(-1, hidden_dim)
            current_hidden_states = expert_layer(current_state) * routing_weights[top_x, idx, None]
            final_hidden_states.index_add_(0, top_x, current_hidden_states.to(hidden_states.dtype))
        final_hidden_states = final_hidden_states.reshape(batch_size, sequence_length, hidden_dim)
        return final_hidden_states, router_logits


def load_balancing_loss_func(gate_logits, num_experts, top_k=2):
    routing_weights = F.softmax(gate_logits, dim=-1)
    _, selected_experts = torch.topk(routing_weights, top_k, dim=-1)
    expert_mask = F.one_hot(selected_experts, num_experts)
    tokens_per_expert = torch.mean(expert_mask.float(), dim=0)
    router_prob_per_expert = torch.mean(routing_weights, dim=0)
    overall_loss = torch.sum(tokens_per_expert * router_prob_per_expert.unsqueeze(0))
    return overall_loss * num_experts


def dense_reference(block, x):
    """Every expert on every token, weighted by the (renormalised) top-2 gate: same result."""
    flat = x.view(-1, x.shape[-1])
    probs = F.softmax(block.gate(flat), dim=-1)
    w, sel = probs.topk(2, dim=-1)
    w = w / w.sum(-1, keepdim=True)
    dense_w = torch.zeros_like(probs).scatter(1, sel, w)
    outs = torch.stack([e(flat) for e in block.experts], dim=1)  # (N, E, D)
    return (dense_w.unsqueeze(-1) * outs).sum(1).view_as(x)


torch.manual_seed(0)
moe = SparseMoeBlock()
x = torch.randn(2, 6, 16)
out, logits = moe(x)
print("out:", out.shape, "router logits:", logits.shape)
print("sparse == dense:", torch.allclose(out, dense_reference(moe, x), atol=1e-5))
probs = F.softmax(logits, dim=-1)
top_w, top_i = torch.topk(probs, 2, dim=-1)
print("selected experts:", top_i.tolist())
print("tokens per expert:", torch.bincount(top_i.flatten(), minlength=4).tolist())
print("top weights row 0:", (top_w[0] / top_w[0].sum()).round(decimals=4).tolist())
aux = load_balancing_loss_func(logits, 4)
print(f"aux loss {aux.item():.5f}")

# switch-style top-1 with capacity factor and token dropping
capacity = int(1.25 * x.shape[0] * x.shape[1] / 4)
top1 = probs.argmax(-1)
mask = F.one_hot(top1, 4)
position_in_expert = torch.cumsum(mask, dim=0) * mask
kept = (position_in_expert <= capacity) & (mask > 0)
print("capacity:", capacity, "position:", position_in_expert.max(0).values.tolist(), "dropped:", int(mask.sum() - kept.sum()))

target = torch.randn(2, 6, 16)
opt = torch.optim.Adam(moe.parameters(), lr=3e-3)
for step in range(3):
    out, logits = moe(x)
    loss = F.mse_loss(out, target) + 0.01 * load_balancing_loss_func(logits, 4)
    opt.zero_grad()
    loss.backward()
    used = set(torch.topk(logits, 2, dim=-1).indices.flatten().tolist())
    has_grad = [e.w1.weight.grad is not None and e.w1.weight.grad.abs().sum().item() > 0 for e in moe.experts]
    opt.step()
    print(f"step {step}: loss {loss.item():.5f} used {sorted(used)} grads {has_grad}")
print("gate grad:", f"{moe.gate.weight.grad.norm().item():.5f}")
