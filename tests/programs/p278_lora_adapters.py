# LoRA the way minimal implementations (and PEFT's core) write it: a frozen base nn.Linear,
# low-rank A (kaiming_uniform_ with a=sqrt(5)) and B (zeros) matrices, scaling alpha / r,
# dropout on the adapter path, injection by walking named_modules and setattr, counting
# trainable parameters, merging the adapter into the base weight and unmerging it, and saving
# only the LoRA state_dict.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r=4, lora_alpha=8, lora_dropout=0.0):
        super().__init__()
        self.base = base
        self.r = r
        self.lora_alpha = lora_alpha
        self.scaling = lora_alpha / r
        self.lora_A = nn.Parameter(torch.zeros(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        self.lora_dropout = nn.Dropout(p=lora_dropout) if lora_dropout > 0 else nn.Identity()
        self.merged = False
        self.base.weight.requires_grad = False
        if self.base.bias is not None:
            self.base.bias.requires_grad = False
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B)

    def forward(self, x):
        result = self.base(x)
        if self.merged:
            return result
        return result + (self.lora_dropout(x) @ self.lora_A.transpose(0, 1) @ self.lora_B.transpose(0, 1)) * self.scaling

    @torch.no_grad()
    def merge(self):
        if not self.merged:
            self.base.weight += (self.lora_B @ self.lora_A) * self.scaling
            self.merged = True

    @torch.no_grad()
    def unmerge(self):
        if self.merged:
            self.base.weight -= (self.lora_B @ self.lora_A) * self.scaling
            self.merged = False

    def extra_repr(self):
        return f"r={self.r}, lora_alpha={self.lora_alpha}, merged={self.merged}"


class Block(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.q_proj = nn.Linear(d, d)
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.o_proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 32), nn.GELU(), nn.Linear(32, d))
        self.norm = nn.LayerNorm(d)

    def forward(self, x):
        h = self.norm(x)
        q, k, v = self.q_proj(h), self.k_proj(h), self.v_proj(h)
        att = F.softmax(q @ k.transpose(-1, -2) / 4.0, dim=-1)
        x = x + self.o_proj(att @ v)
        return x + self.mlp(self.norm(x))


def inject_lora(model, target_modules=("q_proj", "v_proj"), **kw):
    for name, module in list(model.named_modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, nn.Linear) and child_name in target_modules:
                setattr(module, child_name, LoRALinear(child, **kw))
    return model


def mark_only_lora_as_trainable(model):
    for n, p in model.named_parameters():
        p.requires_grad = "lora_" in n


def lora_state_dict(model):
    return {k: v for k, v in model.state_dict().items() if "lora_" in k}


def print_trainable_parameters(model):
    trainable, total = 0, 0
    for _, p in model.named_parameters():
        total += p.numel()
        if p.requires_grad:
            trainable += p.numel()
    print(f"trainable params: {trainable:,} || all params: {total:,} || trainable%: {100 * trainable / total:.4f}")


torch.manual_seed(0)
model = nn.Sequential(Block(), Block())
x = torch.randn(3, 5, 16)
with torch.no_grad():
    before = model(x)
inject_lora(model, r=4, lora_alpha=8, lora_dropout=0.1)
mark_only_lora_as_trainable(model)
print(model[0])
print_trainable_parameters(model)
model.eval()
with torch.no_grad():
    print("B=0 -> same output:", torch.allclose(model(x), before, atol=1e-6))
print("lora_A init:", f"{model[0].q_proj.lora_A.abs().max().item():.5f}", f"bound {1 / math.sqrt(16):.5f}")

model.train()
opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2, weight_decay=0.0)
target = torch.randn(3, 5, 16)
frozen = model[0].q_proj.base.weight.clone()
torch.manual_seed(1)
for step in range(5):
    loss = F.mse_loss(model(x), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: loss {loss.item():.4f}")
print("base frozen:", torch.equal(frozen, model[0].q_proj.base.weight), model[0].q_proj.base.weight.grad)
print("B moved:", f"{model[0].q_proj.lora_B.abs().sum().item():.5f}")

model.eval()
with torch.no_grad():
    y_adapter = model(x)
    for m in model.modules():
        if isinstance(m, LoRALinear):
            m.merge()
    y_merged = model(x)
    print("merged == adapter:", torch.allclose(y_adapter, y_merged, atol=1e-5), model[1].v_proj)
    for m in model.modules():
        if isinstance(m, LoRALinear):
            m.unmerge()
    print("unmerged weight restored:", torch.allclose(model[0].q_proj.base.weight, frozen, atol=1e-6))

sd = lora_state_dict(model)
print("lora keys:", list(sd.keys()))
fresh = inject_lora(nn.Sequential(Block(), Block()), r=4, lora_alpha=8)
missing, unexpected = fresh.load_state_dict(sd, strict=False)
print("missing:", len(missing), "unexpected:", unexpected, missing[:3])
print("loaded:", torch.equal(fresh[1].v_proj.lora_B, model[1].v_proj.lora_B))
