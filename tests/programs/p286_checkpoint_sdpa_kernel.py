# Memory-saving and attention-backend boilerplate from LLM training code: activation
# checkpointing with torch.utils.checkpoint (use_reentrant=False, and checkpoint_sequential),
# gradients identical to the plain forward; torch.nn.attention.sdpa_kernel(SDPBackend.MATH)
# and the older torch.backends.cuda flags; @torch.inference_mode() / @torch.no_grad()
# decorators; requires_grad_(False) on a frozen embedding; and dropout RNG replay under
# checkpointing.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.checkpoint import checkpoint, checkpoint_sequential


class Block(nn.Module):
    def __init__(self, d, p=0.0):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(p))
        self.n_head = 2

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, C))
        return x + self.mlp(x)


class Model(nn.Module):
    def __init__(self, d=16, n=3, p=0.0, gradient_checkpointing=False):
        super().__init__()
        self.emb = nn.Embedding(30, d)
        self.blocks = nn.ModuleList([Block(d, p) for _ in range(n)])
        self.head = nn.Linear(d, 30)
        self.gradient_checkpointing = gradient_checkpointing

    def forward(self, idx):
        x = self.emb(idx)
        for blk in self.blocks:
            if self.gradient_checkpointing and self.training:
                x = checkpoint(blk, x, use_reentrant=False)
            else:
                x = blk(x)
        return self.head(x)


def grads_of(model, idx, tgt):
    model.zero_grad()
    logits = model(idx)
    loss = F.cross_entropy(logits.view(-1, 30), tgt.view(-1))
    loss.backward()
    return loss.item(), [p.grad.clone() for p in model.parameters()]


torch.manual_seed(0)
plain = Model()
ckpt = Model(gradient_checkpointing=True)
ckpt.load_state_dict(plain.state_dict())
idx = torch.randint(0, 30, (2, 8))
tgt = torch.randint(0, 30, (2, 8))
l1, g1 = grads_of(plain, idx, tgt)
l2, g2 = grads_of(ckpt, idx, tgt)
print(f"loss {l1:.5f} {l2:.5f}", "grads equal:", all(torch.allclose(a, b, atol=1e-6) for a, b in zip(g1, g2)))

# dropout inside a checkpointed block: the RNG state is replayed in the recomputation
torch.manual_seed(1)
drop_model = Model(p=0.5, gradient_checkpointing=True)
ref_model = Model(p=0.5)
ref_model.load_state_dict(drop_model.state_dict())
torch.manual_seed(5)
ld, gd = grads_of(drop_model, idx, tgt)
torch.manual_seed(5)
lr_, gr = grads_of(ref_model, idx, tgt)
print(f"dropout loss {ld:.5f} {lr_:.5f}", "grads equal:", all(torch.allclose(a, b, atol=1e-6) for a, b in zip(gd, gr)))

seq = nn.Sequential(*[nn.Sequential(nn.Linear(8, 8), nn.Tanh()) for _ in range(4)])
x = torch.randn(3, 8, requires_grad=True)
out = checkpoint_sequential(seq, 2, x, use_reentrant=False)
out.sum().backward()
gx = x.grad.clone()
x.grad = None
seq(x).sum().backward()
print("checkpoint_sequential:", torch.allclose(gx, x.grad, atol=1e-6), out.shape)


def custom_fn(a, b, scale=2.0):
    return (a * b).sin() * scale


a = torch.randn(4, requires_grad=True)
b = torch.randn(4, requires_grad=True)
y = checkpoint(custom_fn, a, b, scale=3.0, use_reentrant=False)
y.sum().backward()
print("checkpoint fn grads:", a.grad.round(decimals=4).tolist(), b.grad.round(decimals=4).tolist())

q = torch.randn(1, 2, 4, 8)
with sdpa_kernel(SDPBackend.MATH):
    o1 = F.scaled_dot_product_attention(q, q, q, is_causal=True)
with sdpa_kernel([SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH]):
    o2 = F.scaled_dot_product_attention(q, q, q, is_causal=True)
print("sdpa_kernel:", torch.allclose(o1, o2), SDPBackend.MATH, SDPBackend.FLASH_ATTENTION.name)
print("backend flags:", torch.backends.cuda.flash_sdp_enabled(), torch.backends.cuda.math_sdp_enabled(), torch.backends.cuda.mem_efficient_sdp_enabled())
torch.backends.cuda.enable_flash_sdp(False)
print("flash after disable:", torch.backends.cuda.flash_sdp_enabled())
torch.backends.cuda.enable_flash_sdp(True)


@torch.inference_mode()
def predict(model, idx):
    return model(idx).argmax(-1)


@torch.no_grad()
def score(model, idx):
    return model(idx).logsumexp(-1)


plain.eval()
p = predict(plain, idx)
s = score(plain, idx)
print("predict:", p.tolist()[0], p.requires_grad, "score:", s.requires_grad, s.shape)
plain.emb.requires_grad_(False)
print("trainable:", sum(p.numel() for p in plain.parameters() if p.requires_grad), "frozen emb:", plain.emb.weight.requires_grad)
