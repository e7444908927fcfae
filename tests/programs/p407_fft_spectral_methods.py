import math
import torch

torch.manual_seed(0)

# spectral derivative of a periodic function
N = 32
L = 2 * math.pi
x = torch.arange(N, dtype=torch.float64) * L / N
f = torch.sin(3 * x) + 0.5 * torch.cos(x)
k = torch.fft.fftfreq(N, d=L / N) * 2 * math.pi
df = torch.fft.ifft(1j * k * torch.fft.fft(f)).real
print(torch.allclose(df, 3 * torch.cos(3 * x) - 0.5 * torch.sin(x)))
kr = torch.fft.rfftfreq(N, d=L / N) * 2 * math.pi
d2f = torch.fft.irfft(-(kr ** 2) * torch.fft.rfft(f), n=N)
print(torch.allclose(d2f, -9 * torch.sin(3 * x) - 0.5 * torch.cos(x)))
print(k[:5], kr.shape)

# heat equation u_t = nu u_xx solved exactly in Fourier space
u0 = torch.exp(-10 * (x - math.pi) ** 2)
nu = 0.1
for t in (0.0, 0.5, 2.0):
    ut = torch.fft.irfft(torch.fft.rfft(u0) * torch.exp(-nu * kr ** 2 * t), n=N)
    print(t, round(ut.max().item(), 5), round(ut.sum().item(), 5))

# FFT convolution equals direct (circular) convolution
sig = torch.randn(16)
ker = torch.randn(16)
circ = torch.fft.irfft(torch.fft.rfft(sig) * torch.fft.rfft(ker), n=16)
direct = torch.stack([sum(sig[j] * ker[(i - j) % 16] for j in range(16)) for i in range(16)])
print(torch.allclose(circ, direct, atol=1e-5))
# linear convolution via zero padding vs conv1d
a = torch.randn(10)
h = torch.randn(4)
n = a.numel() + h.numel() - 1
lin = torch.fft.irfft(torch.fft.rfft(a, n=n) * torch.fft.rfft(h, n=n), n=n)
ref = torch.nn.functional.conv1d(a.view(1, 1, -1), h.flip(0).view(1, 1, -1), padding=3).view(-1)
print(torch.allclose(lin, ref, atol=1e-5))

# gradients through the FFT: fit a signal's amplitude spectrum
w = torch.randn(32, requires_grad=True)
target = torch.zeros(17)
target[3] = 16.0
opt = torch.optim.Adam([w], lr=0.05)
for it in range(100):
    spec = torch.fft.rfft(w)
    loss = (spec.abs() - target).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(round(loss.item(), 3), spec.abs().argmax().item())
z = torch.randn(8, dtype=torch.complex64, requires_grad=True)
out = torch.fft.fft(z, norm="ortho")
(out.abs() ** 2).sum().backward()
print(torch.allclose(z.grad, 2 * z.detach(), atol=1e-5))
r = torch.randn(6, requires_grad=True)
torch.fft.rfft(r).real.sum().backward()
print(r.grad)
r.grad = None
torch.fft.rfft(r).imag.pow(2).sum().backward()
print(r.grad.round(decimals=4))

# 2-D: low-pass filtering an image
img = torch.rand(1, 16, 16)
F2 = torch.fft.fftshift(torch.fft.fft2(img), dim=(-2, -1))
yy, xx = torch.meshgrid(torch.arange(16) - 8, torch.arange(16) - 8, indexing="ij")
mask = ((yy ** 2 + xx ** 2) <= 16).to(img.dtype)
low = torch.fft.ifft2(torch.fft.ifftshift(F2 * mask, dim=(-2, -1))).real
print(low.shape, round(low.mean().item(), 4), round(img.mean().item(), 4))
print(torch.allclose(torch.fft.irfft2(torch.fft.rfft2(img), s=(16, 16)), img, atol=1e-6))
print(torch.fft.fftn(img, dim=(1, 2)).shape, torch.fft.rfftn(img).shape)

# norms and hermitian transforms
v = torch.arange(8, dtype=torch.float32)
for norm in ("backward", "ortho", "forward"):
    print(norm, torch.fft.fft(v, norm=norm)[:3].abs().round(decimals=4))
hv = torch.fft.ihfft(v)
print(hv.shape, torch.allclose(torch.fft.hfft(hv, n=8), v, atol=1e-5))
print(torch.fft.fftshift(torch.fft.fftfreq(6)))
print(torch.view_as_real(torch.fft.fft(torch.tensor([1.0, 2.0, 3.0]), n=5)).round(decimals=4))

# power spectrum of a noisy sinusoid (periodogram)
fs = 64.0
tt = torch.arange(256) / fs
s = torch.sin(2 * math.pi * 5 * tt) + 0.3 * torch.randn(256)
P = torch.fft.rfft(s * torch.hann_window(256)).abs() ** 2
freqs = torch.fft.rfftfreq(256, d=1 / fs)
print(freqs[P.argmax()].item())
