# Training-loop plumbing of LLM fine-tuning scripts: AdamW with decay / no-decay parameter
# groups (biases and norm weights excluded), gradient accumulation over micro-batches (loss /
# accum_steps), clip_grad_norm_ returning the total norm, a warmup + cosine LambdaLR, and
# torch.autocast("cpu", dtype=torch.bfloat16): which ops run in bf16, which stay fp32, and
# the equivalence of accumulated and full-batch gradients.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyLM(nn.Module):
    def __init__(self, vocab=20, d=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, idx):
        x = self.emb(idx)
        x = x + self.fc2(F.gelu(self.fc1(self.norm(x))))
        return self.head(x)


def param_groups(model, weight_decay):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if p.dim() < 2 or "norm" in name or name.endswith(".bias"):
            no_decay.append(p)
        else:
            decay.append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


torch.manual_seed(0)
model = TinyLM()
groups = param_groups(model, 0.1)
print("decay:", [tuple(p.shape) for p in groups[0]["params"]])
print("no decay:", [tuple(p.shape) for p in groups[1]["params"]])
opt = torch.optim.AdamW(groups, lr=1e-2, betas=(0.9, 0.95), eps=1e-8)
print("group keys:", sorted(opt.param_groups[0].keys()))
warmup, total = 2, 10
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / (total - warmup))))

data = torch.randint(0, 20, (16, 9))
accum_steps = 4
micro = data.shape[0] // accum_steps
for step in range(4):
    opt.zero_grad(set_to_none=True)
    total_loss = 0.0
    for m in range(accum_steps):
        batch = data[m * micro:(m + 1) * micro]
        logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), batch[:, 1:].reshape(-1))
        loss = loss / accum_steps
        loss.backward()
        total_loss += loss.item()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    opt.step()
    sched.step()
    print(f"step {step}: loss {total_loss:.4f} grad_norm {norm.item():.4f} lr {sched.get_last_lr()[0]:.6f} {sched.get_last_lr()[1]:.6f}")

# accumulated gradients equal the full-batch gradient (equal-size micro-batches, mean losses)
model.zero_grad()
for m in range(accum_steps):
    b = data[m * micro:(m + 1) * micro]
    (F.cross_entropy(model(b[:, :-1]).reshape(-1, 20), b[:, 1:].reshape(-1)) / accum_steps).backward()
acc = model.fc1.weight.grad.clone()
model.zero_grad()
F.cross_entropy(model(data[:, :-1]).reshape(-1, 20), data[:, 1:].reshape(-1)).backward()
print("accumulated == full batch:", torch.allclose(acc, model.fc1.weight.grad, atol=1e-6))

# autocast on CPU: linear/matmul in bfloat16, softmax/layer_norm/losses in float32
x = torch.randn(4, 16)
w = torch.randn(16, 8)
with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
    y = x @ w
    lin = model.fc1(x)
    sm = torch.softmax(y, dim=-1)
    ln = model.norm(x)
    logits = model(data[:2, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 20), data[:2, 1:].reshape(-1))
    print("autocast enabled:", torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"))
print("matmul:", y.dtype, "linear:", lin.dtype, "softmax:", sm.dtype, "layer_norm:", ln.dtype)
print("logits:", logits.dtype, "loss:", loss.dtype, f"{loss.item():.2f}")
print("bf16 vs fp32 matmul close:", torch.allclose(y.float(), x @ w, rtol=2e-2, atol=5e-2))
loss.backward()
print("grads are fp32:", model.fc1.weight.grad.dtype, model.emb.weight.grad.dtype)
with torch.autocast("cpu", dtype=torch.bfloat16, enabled=False):
    print("disabled:", (x @ w).dtype)
with torch.autocast("cpu", dtype=torch.bfloat16):
    with torch.autocast("cpu", enabled=False):
        print("nested disabled:", (x @ w).dtype)
    print("nested after:", (x @ w).dtype, torch.mm(x, w).dtype, torch.addmm(torch.zeros(8), x, w).dtype, torch.bmm(x[None], w[None]).dtype)
    print("conv:", F.conv1d(torch.randn(1, 2, 5), torch.randn(3, 2, 2)).dtype, "relu:", F.relu(x).dtype, "add:", (x + 1).dtype)
print("bf16 rounding:", torch.tensor([1.0 / 3.0, 100.7, 1e-3]).to(torch.bfloat16), torch.tensor(1.0, dtype=torch.bfloat16) + 1e-3)

# half-precision master weights pattern: bf16 model, fp32 optimizer copy
torch.manual_seed(2)
small = nn.Linear(4, 2).to(torch.bfloat16)
print("bf16 params:", small.weight.dtype, small(torch.ones(1, 4, dtype=torch.bfloat16)).dtype)
master = [p.detach().clone().float().requires_grad_(True) for p in small.parameters()]
print("master:", [m.dtype for m in master], torch.equal(master[0].bfloat16(), small.weight.data))
