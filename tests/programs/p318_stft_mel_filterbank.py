# Audio-style signal code: a chirp framed and windowed by hand with unfold and hann_window,
# compared with torch.stft; power spectrogram, a mel filterbank built from the mel scale by
# hand, log-mel features, DCT-II via matrix for MFCCs, and istft reconstruction.
import math

import torch

torch.set_printoptions(precision=4, sci_mode=False)
sr = 8000
dur = 0.5
t = torch.arange(int(sr * dur), dtype=torch.float64) / sr
f0, f1 = 200.0, 2000.0
phase = 2 * math.pi * (f0 * t + (f1 - f0) / (2 * dur) * t ** 2)
wave = 0.8 * torch.sin(phase)
print("wave", wave.shape, wave.dtype, f"rms {wave.pow(2).mean().sqrt().item():.4f}")

n_fft, hop = 256, 64
window = torch.hann_window(n_fft, dtype=torch.float64)
print("hann", window[:4], window.sum().item(), torch.hann_window(5, periodic=False))
spec = torch.stft(wave, n_fft, hop_length=hop, window=window, center=True, pad_mode="reflect",
                  return_complex=True)
print("stft", spec.shape, spec.dtype)

padded = torch.nn.functional.pad(wave.view(1, 1, -1), (n_fft // 2, n_fft // 2), mode="reflect").view(-1)
frames = padded.unfold(0, n_fft, hop) * window
manual = torch.fft.rfft(frames, dim=1).T
print("manual frames", frames.shape, "matches stft", torch.allclose(manual, spec, atol=1e-9))

power = spec.abs() ** 2
peak_bin = power.argmax(0)
freqs = torch.fft.rfftfreq(n_fft, 1 / sr)
print("tracked freq (start, mid, end)", [freqs[peak_bin[i]].item() for i in (2, power.shape[1] // 2, -3)])


def hz_to_mel(f):
    return 2595.0 * torch.log10(1.0 + f / 700.0)


def mel_to_hz(m):
    return 700.0 * (10 ** (m / 2595.0) - 1.0)


n_mels = 20
mel_pts = torch.linspace(hz_to_mel(torch.tensor(0.0)).item(), hz_to_mel(torch.tensor(sr / 2)).item(), n_mels + 2,
                         dtype=torch.float64)
hz_pts = mel_to_hz(mel_pts)
lower, center, upper = hz_pts[:-2, None], hz_pts[1:-1, None], hz_pts[2:, None]
up = (freqs[None] - lower) / (center - lower)
down = (upper - freqs[None]) / (upper - center)
fb = torch.clamp(torch.minimum(up, down), min=0.0)
print("filterbank", fb.shape, "row sums", fb.sum(1)[:4], "nonzero per row", (fb > 0).sum(1)[:6].tolist())
mel = fb @ power
logmel = torch.log(mel + 1e-10)
print("log-mel", logmel.shape, f"max {logmel.max().item():.4f} min {logmel.min().item():.4f}")
print("loudest band per frame", logmel.argmax(0)[::8].tolist())

# MFCC: orthonormal DCT-II over the mel axis
k = torch.arange(n_mels, dtype=torch.float64)
dct = torch.cos(math.pi / n_mels * (k[None, :] + 0.5) * k[:, None]) * math.sqrt(2.0 / n_mels)
dct[0] /= math.sqrt(2.0)
print("dct orthonormal", torch.allclose(dct @ dct.T, torch.eye(n_mels, dtype=torch.float64)))
mfcc = dct[:13] @ logmel
print("mfcc", mfcc.shape, mfcc[:3, 10])

# inverse stft recovers the waveform
rec = torch.istft(spec, n_fft, hop_length=hop, window=window, length=wave.numel())
print(f"istft error {(rec - wave).abs().max().item() < 1e-10}")
spec32 = torch.stft(wave.float(), 128, hop_length=32, window=torch.hann_window(128), return_complex=True)
print("float32 stft", spec32.dtype, spec32.shape, f"{spec32.abs().max().item():.3f}")
print("other windows", torch.hamming_window(4), torch.blackman_window(4, periodic=False), torch.bartlett_window(5))
print("db", (10 * torch.log10(power.clamp(min=1e-10)))[10:13, 5])
