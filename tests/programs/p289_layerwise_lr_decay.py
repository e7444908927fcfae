# Fine-tuning recipes from BEiT / ConvNeXt / timm: layer-wise learning-rate decay through
# per-parameter groups (layer id from the parameter name), "lr_scale" stored in the groups and
# applied by a hand-written cosine-with-warmup per-iteration schedule, no weight decay for
# 1-d params and tokens, gradual unfreezing, per-layer gradient norms, clip_grad_value_,
# and the optimizer state_dict round trip.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, d=16, depth=4, num_classes=3):
        super().__init__()
        self.patch_embed = nn.Linear(8, d)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.blocks = nn.ModuleList([nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU()) for _ in range(depth)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, num_classes)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        for blk in self.blocks:
            x = x + blk(x)
        return self.head(self.norm(x)[:, 0])


def get_layer_id(name, num_layers):
    if name in ("cls_token", "pos_embed"):
        return 0
    if name.startswith("patch_embed"):
        return 0
    if name.startswith("blocks"):
        return int(name.split(".")[1]) + 1
    return num_layers - 1


def param_groups_lrd(model, weight_decay=0.05, no_weight_decay_list=("cls_token",), layer_decay=0.75):
    param_group_names = {}
    param_groups = {}
    num_layers = len(model.blocks) + 1
    layer_scales = [layer_decay ** (num_layers - i) for i in range(num_layers + 1)]
    for n, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if p.ndim == 1 or n in no_weight_decay_list:
            g_decay, this_decay = "no_decay", 0.0
        else:
            g_decay, this_decay = "decay", weight_decay
        layer_id = get_layer_id(n, num_layers + 1)
        group_name = "layer_%d_%s" % (layer_id, g_decay)
        if group_name not in param_group_names:
            this_scale = layer_scales[layer_id]
            param_group_names[group_name] = {"lr_scale": this_scale, "weight_decay": this_decay, "params": []}
            param_groups[group_name] = {"lr_scale": this_scale, "weight_decay": this_decay, "params": []}
        param_group_names[group_name]["params"].append(n)
        param_groups[group_name]["params"].append(p)
    return list(param_groups.values()), param_group_names


def adjust_learning_rate(optimizer, epoch, lr=1e-2, min_lr=1e-5, warmup_epochs=1, epochs=4):
    if epoch < warmup_epochs:
        lr = lr * epoch / warmup_epochs
    else:
        lr = min_lr + (lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * (epoch - warmup_epochs) / (epochs - warmup_epochs)))
    for param_group in optimizer.param_groups:
        if "lr_scale" in param_group:
            param_group["lr"] = lr * param_group["lr_scale"]
        else:
            param_group["lr"] = lr
    return lr


torch.manual_seed(0)
model = Encoder()
groups, names = param_groups_lrd(model)
for k, v in names.items():
    print(f"{k:18s} scale={v['lr_scale']:.6f} wd={v['weight_decay']} {v['params']}")
opt = torch.optim.AdamW(groups, lr=1e-2)
print("groups:", len(opt.param_groups), "extra key kept:", "lr_scale" in opt.param_groups[0])

x = torch.randn(6, 5, 8)
y = torch.tensor([0, 1, 2, 0, 1, 2])
steps_per_epoch = 2
for it in range(8):
    lr = adjust_learning_rate(opt, it / steps_per_epoch)
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
    norms = {n.split(".")[0] + ("." + n.split(".")[1] if n.startswith("blocks") else ""): 0.0 for n, _ in model.named_parameters()}
    for n, p in model.named_parameters():
        key = n.split(".")[0] + ("." + n.split(".")[1] if n.startswith("blocks") else "")
        norms[key] += p.grad.detach().norm(2).item() ** 2
    opt.step()
    if it % 2 == 1:
        print(f"it {it}: lr {lr:.6f} loss {loss.item():.4f} lrs {[round(g['lr'], 6) for g in opt.param_groups[:3]]}")
        print("   grad norms:", {k: round(math.sqrt(v), 4) for k, v in norms.items()})
print("max |grad| after clip_grad_value_:", max(p.grad.abs().max().item() for p in model.parameters()) <= 0.5)

# gradual unfreezing: first only the head, then the last block too
for p in model.parameters():
    p.requires_grad = False
for p in model.head.parameters():
    p.requires_grad = True
print("stage 1 trainable:", [n for n, p in model.named_parameters() if p.requires_grad])
for p in model.blocks[-1].parameters():
    p.requires_grad_(True)
print("stage 2 trainable:", sum(p.numel() for p in model.parameters() if p.requires_grad))
model.zero_grad(set_to_none=True)
F.cross_entropy(model(x), y).backward()
print("frozen have no grad:", model.blocks[0][1].weight.grad is None, model.patch_embed.weight.grad is None)

sd = opt.state_dict()
print("state keys:", sorted(sd.keys()), len(sd["state"]), sorted(sd["param_groups"][0].keys()))
opt2 = torch.optim.AdamW(param_groups_lrd(model)[0] if False else groups, lr=1e-2)
opt2.load_state_dict(sd)
print("restored step:", opt2.state_dict()["state"][0]["step"], opt2.param_groups[1]["lr_scale"], round(opt2.param_groups[-1]["lr"], 6))
