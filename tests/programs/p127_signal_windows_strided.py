# Signal-processing odds and ends: sinc filters, framing with as_strided/unfold, environment checks.
import math
import torch
import torch.nn.functional as F

print("cuda build:", torch.version.cuda, "| cuda available:", torch.cuda.is_available())
x = torch.linspace(-2, 2, 9)
print(torch.sinc(x), torch.special.sinc(torch.tensor(0.0)))
# windowed-sinc low-pass filter kernel
taps, cutoff = 11, 0.25
n = torch.arange(taps) - (taps - 1) / 2
h = 2 * cutoff * torch.sinc(2 * cutoff * n) * torch.hamming_window(taps, periodic=False)
h = h / h.sum()
print(h.round(decimals=5), h.sum().round(decimals=4))
signal = torch.sin(torch.arange(64.0) * 0.2) + 0.5 * torch.sin(torch.arange(64.0) * 2.5)
smoothed = F.conv1d(signal.view(1, 1, -1), h.flip(0).view(1, 1, -1), padding=taps // 2).view(-1)
print(smoothed[:6].round(decimals=4), smoothed.shape)
# framing a signal: as_strided windows equal unfold windows
frame, hop = 8, 4
n_frames = 1 + (signal.numel() - frame) // hop
frames = signal.as_strided((n_frames, frame), (hop, 1))
print(frames.shape, torch.equal(frames, signal.unfold(0, frame, hop)), frames.stride())
energy = frames.pow(2).mean(dim=1)
print(energy.round(decimals=3))
spec = torch.fft.rfft(frames * torch.hann_window(frame), dim=-1).abs()
print(spec.shape, spec[0].round(decimals=3))
x2 = torch.arange(16.0, requires_grad=True)
w = x2.as_strided((3, 4), (4, 1), 2)
(w * torch.arange(12.0).view(3, 4)).sum().backward()
print(w.grad_fn.name(), x2.grad)
t = torch.ones(3)
print(t.layout, t.is_sparse, t.is_quantized, t.layout == torch.strided)
print(torch.frexp(torch.tensor([1.0, 6.0, 0.1])), torch.ldexp(torch.tensor([0.75]), torch.tensor([3])))
print(torch.vander(torch.tensor([1.0, 2.0, 3.0]), N=3, increasing=True))
mat = torch.tensor([[3.0, 4.0, 0.0], [0.1, 0.2, 0.2], [6.0, 8.0, 0.0]])
print(torch.renorm(mat, p=2, dim=0, maxnorm=1.0))
print(torch.nextafter(torch.tensor(1.0), torch.tensor(2.0)) - 1 == torch.finfo(torch.float32).eps)
y = torch.arange(6.0)
y.resize_(2, 3)
print(y, y.sum_to_size(1, 3))
print(torch.select_scatter(torch.zeros(2, 3), torch.ones(3), 0, 1), torch.slice_scatter(torch.zeros(5), torch.ones(2), start=1, step=2))
S = torch.stft(signal, n_fft=16, hop_length=8, window=torch.hann_window(16), return_complex=True)
print(S.shape, S.dtype, S.abs().max(dim=1).values.round(decimals=3)[:5])
print(torch.view_as_real(S)[1, :3].round(decimals=3))
