# Gradient checkpointing on a deep MLP: the grads must equal a normal run.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint, checkpoint_sequential


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)
        self.act = nn.GELU(approximate="tanh")

    def forward(self, x):
        return x + self.fc2(self.act(self.fc1(self.ln(x))))


class DeepMLP(nn.Module):
    def __init__(self, d=16, depth=6, use_ckpt=False):
        super().__init__()
        self.blocks = nn.ModuleList([Block(d) for _ in range(depth)])
        self.out = nn.Linear(d, 1)
        self.use_ckpt = use_ckpt

    def forward(self, x):
        for blk in self.blocks:
            if self.use_ckpt and self.training:
                x = checkpoint(blk, x, use_reentrant=False)
            else:
                x = blk(x)
        return self.out(x)


rng = np.random.default_rng(0)
x = torch.tensor(rng.standard_normal((8, 16)), dtype=torch.float32)
y = torch.tensor(rng.standard_normal((8, 1)), dtype=torch.float32)

ref = DeepMLP()
with torch.no_grad():
    for i, p in enumerate(ref.parameters()):
        p.copy_(torch.tensor(rng.uniform(-0.3, 0.3, p.shape), dtype=torch.float32))
ck = DeepMLP(use_ckpt=True)
ck.load_state_dict(ref.state_dict())

loss_ref = nn.functional.mse_loss(ref(x), y)
loss_ref.backward()
loss_ck = nn.functional.mse_loss(ck(x), y)
loss_ck.backward()
print(f"losses {loss_ref.item():.5f} {loss_ck.item():.5f}")
ok = all(torch.allclose(a.grad, b.grad, atol=1e-6) for a, b in zip(ref.parameters(), ck.parameters()))
print("grads match:", ok)
print("grad norm", round(torch.nn.utils.clip_grad_norm_(ck.parameters(), 1e9).item(), 4))

# checkpoint with several inputs, kwargs and a non-tensor argument
def attn_like(q, k, v, scale, mask=None):
    s = q @ k.transpose(-1, -2) * scale
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    return s.softmax(-1) @ v


q = torch.tensor(rng.standard_normal((2, 4, 8)), dtype=torch.float32, requires_grad=True)
k = torch.tensor(rng.standard_normal((2, 4, 8)), dtype=torch.float32, requires_grad=True)
v = torch.tensor(rng.standard_normal((2, 4, 8)), dtype=torch.float32, requires_grad=True)
mask = torch.tril(torch.ones(4, 4, dtype=torch.bool))
out1 = attn_like(q, k, v, 8 ** -0.5, mask=mask)
g1 = torch.autograd.grad(out1.pow(2).sum(), (q, k, v))
out2 = checkpoint(attn_like, q, k, v, 8 ** -0.5, use_reentrant=False, mask=mask)
g2 = torch.autograd.grad(out2.pow(2).sum(), (q, k, v))
print("attn grads match:", all(torch.allclose(a, b, atol=1e-6) for a, b in zip(g1, g2)))
print(out2.requires_grad, out2.shape)

# checkpoint_sequential on an nn.Sequential
seq = nn.Sequential(*[nn.Sequential(nn.Linear(16, 16), nn.Tanh()) for _ in range(4)])
with torch.no_grad():
    for p in seq.parameters():
        p.copy_(torch.tensor(rng.uniform(-0.4, 0.4, p.shape), dtype=torch.float32))
xi = x.clone().requires_grad_()
out = checkpoint_sequential(seq, 2, xi, use_reentrant=False)
out.sum().backward()
gx_ck = xi.grad.clone()
xi.grad = None
seq.zero_grad()
seq(xi).sum().backward()
print("sequential grads match:", torch.allclose(gx_ck, xi.grad, atol=1e-6))
print(out.shape, round(out.sum().item(), 4))

# in eval / no_grad, checkpoint is just a call
ck.eval()
with torch.no_grad():
    print(torch.allclose(ck(x), ref(x)))
# the reentrant variant too, with an input that requires grad
xr = x.clone().requires_grad_(True)
o = checkpoint(ref.blocks[0], xr, use_reentrant=True)
o.sum().backward()
print(xr.grad.shape, xr.grad.abs().sum().item() > 0)
