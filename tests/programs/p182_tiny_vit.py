# A tiny Vision Transformer: patch embedding (Conv2d and unfold), cls token, positional
# embedding Parameter, nn.TransformerEncoder(batch_first, norm_first), GELU, and training.
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchEmbed(nn.Module):
    def __init__(self, img_size=8, patch=4, in_ch=1, dim=16):
        super().__init__()
        self.num_patches = (img_size // patch) ** 2
        self.proj = nn.Conv2d(in_ch, dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # (B, N, D)


class ViT(nn.Module):
    def __init__(self, img_size=8, patch=4, dim=16, depth=2, heads=4, classes=3):
        super().__init__()
        self.patch_embed = PatchEmbed(img_size, patch, 1, dim)
        n = self.patch_embed.num_patches
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, n + 1, dim))
        layer = nn.TransformerEncoderLayer(d_model=dim, nhead=heads, dim_feedforward=2 * dim,
                                           dropout=0.0, activation="gelu", batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=depth, norm=nn.LayerNorm(dim),
                                             enable_nested_tensor=False)
        self.head = nn.Linear(dim, classes)
        self.register_buffer("mean", torch.tensor(0.5), persistent=False)

    def forward(self, x):
        x = self.patch_embed(x - self.mean)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1) + self.pos_embed
        x = self.encoder(x)
        return self.head(x[:, 0])


def init_fixed(model):
    with torch.no_grad():
        for i, (name, p) in enumerate(model.named_parameters()):
            if p.dim() > 1:
                k = torch.arange(p.numel(), dtype=torch.float32)
                fan_in = p[0].numel()
                p.copy_((torch.sin(k * 0.61 + i) / math.sqrt(fan_in)).view_as(p))
            elif "norm" in name and name.endswith("weight"):
                p.fill_(1.0)
            else:
                p.zero_()


# three classes of 8x8 images: horizontal bar, vertical bar, diagonal
rng = np.random.default_rng(0)
imgs, ys = [], []
for i in range(48):
    c = i % 3
    im = np.zeros((8, 8), np.float32)
    pos = rng.integers(1, 7)
    if c == 0:
        im[pos, :] = 1
    elif c == 1:
        im[:, pos] = 1
    else:
        np.fill_diagonal(im, 1)
    imgs.append(im + 0.1 * rng.standard_normal((8, 8)).astype(np.float32))
    ys.append(c)
X = torch.tensor(np.stack(imgs)).unsqueeze(1)
Y = torch.tensor(ys)

model = ViT()
init_fixed(model)
print(model.patch_embed, model.encoder.layers[0].norm_first, model.encoder.layers[0].self_attn.batch_first)
n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"params: {n_params:,}", list(model.state_dict().keys())[:4], "mean" in model.state_dict())
print([n for n, _ in model.named_parameters()][:6])
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.98), weight_decay=0.05)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40, eta_min=1e-4)
for epoch in range(40):
    model.train()
    for b in range(0, 48, 16):
        loss = F.cross_entropy(model(X[b:b + 16]), Y[b:b + 16], label_smoothing=0.1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    sched.step()
    if epoch % 10 == 9:
        model.eval()
        with torch.inference_mode():
            acc = (model(X).argmax(-1) == Y).float().mean().item()
        print(f"epoch {epoch + 1} loss {loss.item():.3f} acc {acc:.3f} lr {sched.get_last_lr()[0]:.5f}")

# the same patches with unfold match the conv embedding
pe = model.patch_embed
with torch.no_grad():
    patches = F.unfold(X[:2], kernel_size=4, stride=4).transpose(1, 2)  # (B, N, 16)
    by_unfold = patches @ pe.proj.weight.view(16, -1).t() + pe.proj.bias
    print(torch.allclose(by_unfold, pe(X[:2]), atol=1e-5), patches.shape)
    # attention maps of the first layer, per head
    layer = model.encoder.layers[0]
    h = layer.norm1(torch.cat([model.cls_token, pe(X[:1] - 0.5)], 1) + model.pos_embed)
    _, w = layer.self_attn(h, h, h, need_weights=True, average_attn_weights=False)
    print(w.shape, torch.allclose(w.sum(-1), torch.ones(1, 4, 5)))
    _, wavg = layer.self_attn(h, h, h)
    print(wavg.shape, torch.allclose(wavg, w.mean(1), atol=1e-6))
    # interpolate the positional embedding for a 12x12 input (3x3 patches)
    grid = model.pos_embed[:, 1:].reshape(1, 2, 2, -1).permute(0, 3, 1, 2)
    new = F.interpolate(grid, size=(3, 3), mode="bicubic", align_corners=False)
    print(new.shape, new.permute(0, 2, 3, 1).reshape(1, 9, -1).shape)
    q = torch.ones(1, 2, 3, 4)
    out = F.scaled_dot_product_attention(q, q, torch.arange(24.0).view(1, 2, 3, 4), is_causal=True, scale=0.5)
    print(out[0, 0])
