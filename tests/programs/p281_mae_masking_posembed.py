# MAE pieces: 2D sin-cos positional embeddings (numpy, as in the official repo, copied into a
# frozen nn.Parameter), patchify / unpatchify with reshape + einsum, per-sample random masking
# with torch.rand + argsort + gather, the masked-patch reconstruction loss with norm_pix_loss,
# and the 1D sinusoidal encoding from "Attention is all you need" as a buffer.
import math

import numpy as np
import torch
import torch.nn as nn


def get_1d_sincos_pos_embed_from_grid(embed_dim, pos):
    assert embed_dim % 2 == 0
    omega = np.arange(embed_dim // 2, dtype=np.float64)
    omega /= embed_dim / 2.0
    omega = 1.0 / 10000 ** omega  # (D/2,)
    pos = pos.reshape(-1)  # (M,)
    out = np.einsum("m,d->md", pos, omega)  # (M, D/2), outer product
    emb_sin = np.sin(out)
    emb_cos = np.cos(out)
    return np.concatenate([emb_sin, emb_cos], axis=1)  # (M, D)


def get_2d_sincos_pos_embed_from_grid(embed_dim, grid):
    emb_h = get_1d_sincos_pos_embed_from_grid(embed_dim // 2, grid[0])
    emb_w = get_1d_sincos_pos_embed_from_grid(embed_dim // 2, grid[1])
    return np.concatenate([emb_h, emb_w], axis=1)


def get_2d_sincos_pos_embed(embed_dim, grid_size, cls_token=False):
    grid_h = np.arange(grid_size, dtype=np.float32)
    grid_w = np.arange(grid_size, dtype=np.float32)
    grid = np.meshgrid(grid_w, grid_h)  # here w goes first
    grid = np.stack(grid, axis=0)
    grid = grid.reshape([2, 1, grid_size, grid_size])
    pos_embed = get_2d_sincos_pos_embed_from_grid(embed_dim, grid)
    if cls_token:
        pos_embed = np.concatenate([np.zeros([1, embed_dim]), pos_embed], axis=0)
    return pos_embed


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.0, max_len=50):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        x = x + self.pe[: x.size(0)]
        return self.dropout(x)


def patchify(imgs, p):
    assert imgs.shape[2] == imgs.shape[3] and imgs.shape[2] % p == 0
    h = w = imgs.shape[2] // p
    x = imgs.reshape(shape=(imgs.shape[0], 3, h, p, w, p))
    x = torch.einsum("nchpwq->nhwpqc", x)
    x = x.reshape(shape=(imgs.shape[0], h * w, p ** 2 * 3))
    return x


def unpatchify(x, p):
    h = w = int(x.shape[1] ** 0.5)
    assert h * w == x.shape[1]
    x = x.reshape(shape=(x.shape[0], h, w, p, p, 3))
    x = torch.einsum("nhwpqc->nchpwq", x)
    return x.reshape(shape=(x.shape[0], 3, h * p, h * p))


def random_masking(x, mask_ratio):
    N, L, D = x.shape  # batch, length, dim
    len_keep = int(L * (1 - mask_ratio))
    noise = torch.rand(N, L, device=x.device)  # noise in [0, 1]
    ids_shuffle = torch.argsort(noise, dim=1)  # ascend: small is keep, large is remove
    ids_restore = torch.argsort(ids_shuffle, dim=1)
    ids_keep = ids_shuffle[:, :len_keep]
    x_masked = torch.gather(x, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, D))
    mask = torch.ones([N, L], device=x.device)
    mask[:, :len_keep] = 0
    mask = torch.gather(mask, dim=1, index=ids_restore)
    return x_masked, mask, ids_restore


def forward_loss(imgs, pred, mask, p, norm_pix_loss=True):
    target = patchify(imgs, p)
    if norm_pix_loss:
        mean = target.mean(dim=-1, keepdim=True)
        var = target.var(dim=-1, keepdim=True)
        target = (target - mean) / (var + 1.0e-6) ** 0.5
    loss = (pred - target) ** 2
    loss = loss.mean(dim=-1)  # [N, L], mean loss per patch
    return (loss * mask).sum() / mask.sum()  # mean loss on removed patches


pe = get_2d_sincos_pos_embed(16, 4, cls_token=True)
print("pos embed:", pe.shape, pe.dtype, np.round(pe[6, 2:6], 4).tolist(), np.round(pe[6, 10:14], 4).tolist())
pos_embed = nn.Parameter(torch.zeros(1, 17, 16), requires_grad=False)
pos_embed.data.copy_(torch.from_numpy(pe).float().unsqueeze(0))
print("param:", pos_embed.dtype, pos_embed.requires_grad, pos_embed[0, 6, 2:6].round(decimals=4).tolist())
print("from_numpy dtype:", torch.from_numpy(pe).dtype, torch.from_numpy(np.arange(3, dtype=np.float32)).dtype)

torch.manual_seed(0)
imgs = torch.randn(2, 3, 8, 8)
patches = patchify(imgs, 2)
print("patches:", patches.shape, torch.equal(unpatchify(patches, 2), imgs))
x_masked, mask, ids_restore = random_masking(patches, mask_ratio=0.75)
print("kept:", x_masked.shape, "mask sum:", mask.sum(1).tolist())
print("ids_restore row 0:", ids_restore[0].tolist())
print("mask row 0:", mask[0].long().tolist())
# put the kept tokens back and fill masked slots with a mask token, as the decoder does
mask_token = torch.zeros(1, 1, patches.shape[-1])
mask_tokens = mask_token.repeat(x_masked.shape[0], ids_restore.shape[1] - x_masked.shape[1], 1)
x_ = torch.cat([x_masked, mask_tokens], dim=1)
x_ = torch.gather(x_, dim=1, index=ids_restore.unsqueeze(-1).repeat(1, 1, x_masked.shape[2]))
print("restored kept patches:", torch.equal(x_[mask == 0], patches[mask == 0]), (x_[mask == 1] == 0).all().item())

decoder = nn.Linear(12, 12)
pred = decoder(x_)
loss = forward_loss(imgs, pred, mask, 2)
loss.backward()
print(f"loss {loss.item():.5f} grad {decoder.bias.grad.norm().item():.5f}")
print(f"no norm_pix loss {forward_loss(imgs, pred.detach(), mask, 2, norm_pix_loss=False).item():.5f}")

enc = PositionalEncoding(8)
print("pe buffer:", enc.pe.shape, enc.pe[3, 0].round(decimals=4).tolist())
print("applied:", enc(torch.zeros(5, 2, 8))[4, 1, :4].round(decimals=4).tolist())
