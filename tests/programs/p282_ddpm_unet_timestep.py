# DDPM training/sampling pieces (from the lucidrains / HF diffusers style): linear and cosine
# beta schedules, cumprod of alphas, extract() with gather, q_sample, sinusoidal timestep
# embeddings, a small UNet with GroupNorm + SiLU residual blocks conditioned on time,
# nn.Upsample(nearest) and strided-conv downsampling, and a seeded reverse-process step.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def linear_beta_schedule(timesteps):
    scale = 1000 / timesteps
    beta_start = scale * 0.0001
    beta_end = scale * 0.02
    return torch.linspace(beta_start, beta_end, timesteps, dtype=torch.float64)


def cosine_beta_schedule(timesteps, s=0.008):
    steps = timesteps + 1
    t = torch.linspace(0, timesteps, steps, dtype=torch.float64) / timesteps
    alphas_cumprod = torch.cos((t + s) / (1 + s) * math.pi * 0.5) ** 2
    alphas_cumprod = alphas_cumprod / alphas_cumprod[0]
    betas = 1 - (alphas_cumprod[1:] / alphas_cumprod[:-1])
    return torch.clip(betas, 0, 0.999)


def extract(a, t, x_shape):
    b, *_ = t.shape
    out = a.gather(-1, t)
    return out.reshape(b, *((1,) * (len(x_shape) - 1)))


class SinusoidalPosEmb(nn.Module):
    def __init__(self, dim, theta=10000):
        super().__init__()
        self.dim = dim
        self.theta = theta

    def forward(self, x):
        device = x.device
        half_dim = self.dim // 2
        emb = math.log(self.theta) / (half_dim - 1)
        emb = torch.exp(torch.arange(half_dim, device=device) * -emb)
        emb = x[:, None] * emb[None, :]
        emb = torch.cat((emb.sin(), emb.cos()), dim=-1)
        return emb


class ResnetBlock(nn.Module):
    def __init__(self, dim, dim_out, time_emb_dim, groups=4):
        super().__init__()
        self.mlp = nn.Sequential(nn.SiLU(), nn.Linear(time_emb_dim, dim_out * 2))
        self.block1 = nn.Sequential(nn.Conv2d(dim, dim_out, 3, padding=1), nn.GroupNorm(groups, dim_out), nn.SiLU())
        self.proj2 = nn.Conv2d(dim_out, dim_out, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, dim_out)
        self.res_conv = nn.Conv2d(dim, dim_out, 1) if dim != dim_out else nn.Identity()

    def forward(self, x, time_emb):
        scale_shift = self.mlp(time_emb)[:, :, None, None]
        scale, shift = scale_shift.chunk(2, dim=1)
        h = self.block1(x)
        h = self.norm2(self.proj2(h))
        h = h * (scale + 1) + shift
        h = F.silu(h)
        return h + self.res_conv(x)


class TinyUNet(nn.Module):
    def __init__(self, channels=1, dim=8):
        super().__init__()
        time_dim = dim * 4
        self.time_mlp = nn.Sequential(SinusoidalPosEmb(dim), nn.Linear(dim, time_dim), nn.GELU(), nn.Linear(time_dim, time_dim))
        self.init_conv = nn.Conv2d(channels, dim, 7, padding=3)
        self.down1 = ResnetBlock(dim, dim, time_dim)
        self.downsample = nn.Conv2d(dim, dim * 2, 4, 2, 1)
        self.mid = ResnetBlock(dim * 2, dim * 2, time_dim)
        self.upsample = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(dim * 2, dim, 3, padding=1))
        self.up1 = ResnetBlock(dim * 2, dim, time_dim)
        self.final_conv = nn.Conv2d(dim, channels, 1)

    def forward(self, x, time):
        t = self.time_mlp(time)
        x = self.init_conv(x)
        h = self.down1(x, t)
        x = self.mid(self.downsample(h), t)
        x = self.upsample(x)
        x = self.up1(torch.cat((x, h), dim=1), t)
        return self.final_conv(x)


T = 100
betas = linear_beta_schedule(T)
alphas = 1.0 - betas
alphas_cumprod = torch.cumprod(alphas, dim=0)
alphas_cumprod_prev = F.pad(alphas_cumprod[:-1], (1, 0), value=1.0)
sqrt_alphas_cumprod = torch.sqrt(alphas_cumprod)
sqrt_one_minus_alphas_cumprod = torch.sqrt(1.0 - alphas_cumprod)
posterior_variance = betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)
print("betas:", betas.dtype, betas[[0, 50, 99]].tolist())
print("alphas_cumprod:", alphas_cumprod[[0, 50, 99]].tolist())
print("posterior var:", posterior_variance[[1, 50, 99]].tolist())
cb = cosine_beta_schedule(T)
print("cosine betas:", cb[[0, 50, 99]].tolist(), cb.max().item())
to_f32 = lambda v: v.to(torch.float32)
sqrt_ac, sqrt_1mac = to_f32(sqrt_alphas_cumprod), to_f32(sqrt_one_minus_alphas_cumprod)

emb = SinusoidalPosEmb(8)(torch.tensor([0.0, 1.0, 50.0]))
print("time emb:", emb.shape, emb[2].round(decimals=4).tolist())

torch.manual_seed(0)
model = TinyUNet()
print("params:", sum(p.numel() for p in model.parameters()))
print(model.down1)
x_start = torch.randn(4, 1, 8, 8)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(3):
    t = torch.randint(0, T, (4,)).long()
    noise = torch.randn_like(x_start)
    x_noisy = extract(sqrt_ac, t, x_start.shape) * x_start + extract(sqrt_1mac, t, x_start.shape) * noise
    pred = model(x_noisy, t.float())
    loss = F.smooth_l1_loss(pred, noise)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: t={t.tolist()} loss {loss.item():.4f}")


@torch.no_grad()
def p_sample(model, x, t, t_index):
    betas_t = extract(to_f32(betas), t, x.shape)
    sqrt_recip_alphas_t = extract(to_f32(torch.sqrt(1.0 / alphas)), t, x.shape)
    model_mean = sqrt_recip_alphas_t * (x - betas_t * model(x, t.float()) / extract(sqrt_1mac, t, x.shape))
    if t_index == 0:
        return model_mean
    posterior_variance_t = extract(to_f32(posterior_variance), t, x.shape)
    noise = torch.randn_like(x)
    return model_mean + torch.sqrt(posterior_variance_t) * noise


torch.manual_seed(1)
img = torch.randn(1, 1, 8, 8)
for i in reversed(range(0, 4)):
    img = p_sample(model, img, torch.full((1,), i, dtype=torch.long), i)
print("sample:", img.shape, f"{img.mean().item():.4f}", f"{img.std().item():.4f}")
print("groupnorm:", model.down1.norm2, model.down1.norm2.weight.shape)
