# Signal processing with torch.fft: spectra, filtering, convolution theorem, a spectral layer.
import math

import torch

fs = 64
t = torch.arange(fs, dtype=torch.float64) / fs
signal = torch.sin(2 * math.pi * 5 * t) + 0.5 * torch.sin(2 * math.pi * 12 * t)
spectrum = torch.fft.rfft(signal)
freqs = torch.fft.rfftfreq(fs, d=1 / fs)
mag = spectrum.abs() / (fs / 2)
top = torch.topk(mag, 2)
print(spectrum.shape, spectrum.dtype, freqs[:4], freqs[top.indices].tolist(), mag[top.indices].round(decimals=3))
lowpass = spectrum.clone()
lowpass[freqs > 8] = 0
filtered = torch.fft.irfft(lowpass, n=fs)
print(filtered.shape, round((filtered - torch.sin(2 * math.pi * 5 * t)).abs().max().item(), 6))
a = torch.tensor([1.0, 2.0, 3.0, 0.0, 0.0], dtype=torch.float64)
b = torch.tensor([0.5, -1.0, 0.0, 0.0, 0.0], dtype=torch.float64)
circ = torch.fft.irfft(torch.fft.rfft(a) * torch.fft.rfft(b), n=5)
print(circ.round(decimals=6) + 0.0)
img = torch.cos(torch.arange(36.0, dtype=torch.float64)).reshape(6, 6)
F2 = torch.fft.fftshift(torch.fft.fft2(img))
print(F2.shape, F2.abs().max().round(decimals=4), torch.allclose(torch.fft.ifft2(torch.fft.ifftshift(F2)).real, img))
print(torch.fft.fftfreq(6), torch.fft.fftshift(torch.fft.fftfreq(6)))
x = torch.tensor([1 + 2j, 3 - 1j, -1j, 0.5])
print(torch.fft.ifft(torch.fft.fft(x, norm="ortho"), norm="ortho").real.round(decimals=5),
      torch.view_as_real(torch.fft.fft(x, norm="forward")).round(decimals=4))


class SpectralConv1d(torch.nn.Module):
    """A Fourier-neural-operator style layer: multiply the lowest modes by learned weights."""

    def __init__(self, channels, modes):
        super().__init__()
        self.modes = modes
        w = torch.linspace(-1, 1, channels * channels * modes * 2).reshape(channels, channels, modes, 2)
        self.weights = torch.nn.Parameter(torch.view_as_complex(w.contiguous()) * 0.1)

    def forward(self, x):
        x_ft = torch.fft.rfft(x)
        out_ft = torch.zeros(x.shape[0], x.shape[1], x.shape[-1] // 2 + 1, dtype=torch.cfloat)
        out_ft[:, :, :self.modes] = torch.einsum("bix,iox->box", x_ft[:, :, :self.modes], self.weights)
        return torch.fft.irfft(out_ft, n=x.size(-1))


layer = SpectralConv1d(2, 3)
inp = torch.sin(torch.arange(16.0)).reshape(1, 2, 8)
out = layer(inp)
print(out.shape, out.dtype, out[0, 0].round(decimals=4))
out.pow(2).sum().backward()
print(layer.weights.grad.shape, layer.weights.grad.dtype, torch.view_as_real(layer.weights.grad)[0, 0].round(decimals=4))
