# FFT-based filtering and convolution: a noisy two-tone signal denoised by a brick-wall and a
# Gaussian low-pass filter in the frequency domain, linear convolution through zero-padded
# rfft compared with F.conv1d, 2-D blur via fft2, and spectral differentiation.
import math

import torch
import torch.nn.functional as F

torch.manual_seed(3)
n = 256
fs = 128.0
t = torch.arange(n) / fs
clean = torch.sin(2 * math.pi * 4 * t) + 0.5 * torch.cos(2 * math.pi * 9 * t)
noisy = clean + 0.4 * torch.randn(n)
spec = torch.fft.rfft(noisy)
freqs = torch.fft.rfftfreq(n, d=1 / fs)
print(spec.dtype, spec.shape, freqs.dtype, freqs[:5].tolist())
power = spec.abs() ** 2
peaks = torch.topk(power, 2).indices.sort().values
print("peak freqs", freqs[peaks].tolist())

brick = torch.where(freqs <= 12, spec, torch.zeros_like(spec))
den1 = torch.fft.irfft(brick, n=n)
gauss = torch.exp(-0.5 * (freqs / 10.0) ** 2)
den2 = torch.fft.irfft(spec * gauss, n=n)
mse = lambda a: ((a - clean) ** 2).mean().item()
print(f"mse noisy {mse(noisy):.4f} brick {mse(den1):.4f} gauss {mse(den2):.4f}")

# linear convolution via FFT vs conv1d (conv1d is cross-correlation: flip the kernel)
x = torch.randn(3, 50, dtype=torch.float64)
k = torch.tensor([0.25, 0.5, 0.25, -0.1, 0.05], dtype=torch.float64)
L = x.shape[-1] + k.numel() - 1
fft_conv = torch.fft.irfft(torch.fft.rfft(x, n=L) * torch.fft.rfft(k, n=L), n=L)
direct = F.conv1d(x.unsqueeze(1), k.flip(0).view(1, 1, -1), padding=k.numel() - 1).squeeze(1)
print("conv theorem", fft_conv.shape, direct.shape, torch.allclose(fft_conv, direct),
      f"{(fft_conv - direct).abs().max().item() < 1e-12}")

# 2-D Gaussian blur of an image via fft2 with circular boundary
img = torch.zeros(32, 32, dtype=torch.float64)
img[8:24, 12:20] = 1.0
ky = torch.fft.fftfreq(32).view(-1, 1)
kx = torch.fft.fftfreq(32).view(1, -1)
H = torch.exp(-2 * (math.pi ** 2) * 1.5 ** 2 * (kx ** 2 + ky ** 2))
blur = torch.fft.ifft2(torch.fft.fft2(img) * H).real
print("blur", blur.dtype, f"sum {blur.sum().item():.4f} (mass kept) max {blur.max().item():.4f}",
      f"edge {blur[16, 11].item():.4f}")

# spectral derivative of a periodic function
m = 64
xs = torch.arange(m, dtype=torch.float64) * 2 * math.pi / m
f = torch.exp(torch.sin(xs))
kvec = torch.fft.fftfreq(m, d=1.0 / m) * 1j
df = torch.fft.ifft(kvec * torch.fft.fft(f)).real
exact = torch.cos(xs) * f
print(f"spectral derivative err {(df - exact).abs().max().item() < 1e-10}",
      kvec.dtype, df.dtype)

# norms and Parseval
z = torch.randn(16, dtype=torch.complex64)
Z = torch.fft.fft(z, norm="ortho")
print("parseval", round(z.abs().pow(2).sum().item(), 3), round(Z.abs().pow(2).sum().item(), 3))
print("hfft/ihfft", torch.fft.ihfft(torch.arange(6.0)).shape, torch.fft.hfft(torch.fft.ihfft(torch.arange(6.0)), n=6).round(decimals=4))
print("fftshift", torch.fft.fftshift(torch.arange(8)).tolist(), torch.fft.ifftshift(torch.arange(7)).tolist())
print("rfftn", torch.fft.rfftn(torch.ones(4, 6)).shape, torch.fft.rfft2(torch.eye(4)).abs().sum().item())
