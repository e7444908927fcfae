# Swin Transformer pieces as in the official repo: window_partition / window_reverse with
# view + permute, cyclic shift with torch.roll, the attention mask for shifted windows built
# from slices and masked_fill, relative position bias table indexed by a registered
# relative_position_index (meshgrid, flatten, permute, sum), PatchMerging, and a forward/backward.
import torch
import torch.nn as nn
import torch.nn.functional as F


def window_partition(x, window_size):
    B, H, W, C = x.shape
    x = x.view(B, H // window_size, window_size, W // window_size, window_size, C)
    windows = x.permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, window_size, window_size, C)
    return windows


def window_reverse(windows, window_size, H, W):
    B = int(windows.shape[0] / (H * W / window_size / window_size))
    x = windows.view(B, H // window_size, W // window_size, window_size, window_size, -1)
    x = x.permute(0, 1, 3, 2, 4, 5).contiguous().view(B, H, W, -1)
    return x


class WindowAttention(nn.Module):
    def __init__(self, dim, window_size, num_heads, qkv_bias=True):
        super().__init__()
        self.dim = dim
        self.window_size = window_size  # Wh, Ww
        self.num_heads = num_heads
        head_dim = dim // num_heads
        self.scale = head_dim ** -0.5
        self.relative_position_bias_table = nn.Parameter(
            torch.zeros((2 * window_size[0] - 1) * (2 * window_size[1] - 1), num_heads))
        coords_h = torch.arange(self.window_size[0])
        coords_w = torch.arange(self.window_size[1])
        coords = torch.stack(torch.meshgrid([coords_h, coords_w], indexing="ij"))  # 2, Wh, Ww
        coords_flatten = torch.flatten(coords, 1)  # 2, Wh*Ww
        relative_coords = coords_flatten[:, :, None] - coords_flatten[:, None, :]
        relative_coords = relative_coords.permute(1, 2, 0).contiguous()
        relative_coords[:, :, 0] += self.window_size[0] - 1
        relative_coords[:, :, 1] += self.window_size[1] - 1
        relative_coords[:, :, 0] *= 2 * self.window_size[1] - 1
        relative_position_index = relative_coords.sum(-1)
        self.register_buffer("relative_position_index", relative_position_index)
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)
        self.softmax = nn.Softmax(dim=-1)

    def forward(self, x, mask=None):
        B_, N, C = x.shape
        qkv = self.qkv(x).reshape(B_, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        q = q * self.scale
        attn = q @ k.transpose(-2, -1)
        relative_position_bias = self.relative_position_bias_table[self.relative_position_index.view(-1)].view(
            self.window_size[0] * self.window_size[1], self.window_size[0] * self.window_size[1], -1)
        relative_position_bias = relative_position_bias.permute(2, 0, 1).contiguous()
        attn = attn + relative_position_bias.unsqueeze(0)
        if mask is not None:
            nW = mask.shape[0]
            attn = attn.view(B_ // nW, nW, self.num_heads, N, N) + mask.unsqueeze(1).unsqueeze(0)
            attn = attn.view(-1, self.num_heads, N, N)
        attn = self.softmax(attn)
        x = (attn @ v).transpose(1, 2).reshape(B_, N, C)
        return self.proj(x)

    def extra_repr(self):
        return f"dim={self.dim}, window_size={self.window_size}, num_heads={self.num_heads}"


def shifted_window_mask(H, W, window_size, shift_size):
    img_mask = torch.zeros((1, H, W, 1))
    h_slices = (slice(0, -window_size), slice(-window_size, -shift_size), slice(-shift_size, None))
    w_slices = (slice(0, -window_size), slice(-window_size, -shift_size), slice(-shift_size, None))
    cnt = 0
    for h in h_slices:
        for w in w_slices:
            img_mask[:, h, w, :] = cnt
            cnt += 1
    mask_windows = window_partition(img_mask, window_size)
    mask_windows = mask_windows.view(-1, window_size * window_size)
    attn_mask = mask_windows.unsqueeze(1) - mask_windows.unsqueeze(2)
    attn_mask = attn_mask.masked_fill(attn_mask != 0, float(-100.0)).masked_fill(attn_mask == 0, float(0.0))
    return attn_mask


class PatchMerging(nn.Module):
    def __init__(self, dim, norm_layer=nn.LayerNorm):
        super().__init__()
        self.dim = dim
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.norm = norm_layer(4 * dim)

    def forward(self, x, H, W):
        B, L, C = x.shape
        x = x.view(B, H, W, C)
        x0 = x[:, 0::2, 0::2, :]  # B H/2 W/2 C
        x1 = x[:, 1::2, 0::2, :]
        x2 = x[:, 0::2, 1::2, :]
        x3 = x[:, 1::2, 1::2, :]
        x = torch.cat([x0, x1, x2, x3], -1)
        x = x.view(B, -1, 4 * C)
        return self.reduction(self.norm(x))


torch.manual_seed(0)
H = W = 8
ws, shift, C = 4, 2, 16
x = torch.randn(2, H, W, C)
win = window_partition(x, ws)
print("windows:", win.shape, torch.equal(window_reverse(win, ws, H, W), x))
mask = shifted_window_mask(H, W, ws, shift)
print("mask:", mask.shape, mask.unique().tolist(), (mask == 0).sum(dim=(1, 2)).tolist())

attn = WindowAttention(C, (ws, ws), num_heads=2)
print(attn)
idx = attn.relative_position_index
print("rel index:", idx.shape, idx.min().item(), idx.max().item(), idx[0, :6].tolist(), idx.diagonal().unique().tolist())
print("buffers:", [n for n, _ in attn.named_buffers()], "table:", attn.relative_position_bias_table.shape)

shifted = torch.roll(x, shifts=(-shift, -shift), dims=(1, 2))
print("roll:", torch.equal(shifted[:, 0, 0], x[:, shift, shift]), torch.equal(torch.roll(shifted, (shift, shift), (1, 2)), x))
x_windows = window_partition(shifted, ws).view(-1, ws * ws, C)
attn_windows = attn(x_windows, mask=mask)
out = window_reverse(attn_windows.view(-1, ws, ws, C), ws, H, W)
out = torch.roll(out, shifts=(shift, shift), dims=(1, 2))
print("swin out:", out.shape, f"{out.abs().mean().item():.5f}")
no_shift = window_reverse(attn(window_partition(x, ws).view(-1, ws * ws, C)).view(-1, ws, ws, C), ws, H, W)
print("W-MSA out:", f"{no_shift.abs().mean().item():.5f}")

merge = PatchMerging(C)
merged = merge(out.reshape(2, H * W, C), H, W)
print("patch merging:", merged.shape)
loss = merged.pow(2).mean()
loss.backward()
print(f"loss {loss.item():.5f}", "bias table grad:", attn.relative_position_bias_table.grad.shape,
      f"{attn.relative_position_bias_table.grad.abs().sum().item():.5f}")
print("roll 1d:", torch.roll(torch.arange(6), 2).tolist(), torch.roll(torch.arange(6).view(2, 3), 1).tolist(), torch.roll(torch.arange(6).view(2, 3), -1, 1).tolist())
