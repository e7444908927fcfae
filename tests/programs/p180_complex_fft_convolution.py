# Complex numbers and FFT-based convolution: view_as_real/complex, polar, angle, complex
# matmul, rfft/irfft convolution vs conv1d, fftshift and a 2-D spectrum, complex autograd.
import math

import torch
import torch.nn.functional as F

def r4(t):
    # round() has no complex kernel: round the real view
    if t.is_complex():
        return torch.view_as_complex(torch.view_as_real(t).round(decimals=4).contiguous())
    return t.round(decimals=4)
z = torch.tensor([1 + 1j, -2 + 0.5j, 3 - 4j])
print(z.dtype, z.real, z.imag, z.abs(), r4(z.angle()), z.conj(), z.is_complex())
vr = torch.view_as_real(z)
print(vr, vr.shape, vr.dtype)
back = torch.view_as_complex(vr)
print(torch.equal(back, z))
vr[0, 1] = 10.0  # a view: writes show through
print(z[0])
p = torch.polar(torch.tensor([1.0, 2.0]), torch.tensor([0.0, math.pi / 2]))
print(r4(torch.view_as_real(p)), p.dtype)
print(torch.complex(torch.tensor([1.0, 2.0]), torch.tensor([3.0, -1.0])))
print(r4(torch.exp(1j * torch.tensor([0.0, math.pi]))), torch.tensor([1, 2]) * 1j)
print(z * z.conj(), (z / (1 + 1j)), z.sum(), z.prod())
print(torch.tensor([3 + 4j]).abs(), torch.sgn(torch.tensor([3 + 4j, 0j])), torch.sign(torch.tensor([-2.0, 0.0])))
print(z.to(torch.complex128).dtype, torch.zeros(2, dtype=torch.cfloat), torch.ones(1, dtype=torch.cdouble))
print(torch.tensor(1 + 2j).item(), complex(torch.tensor(2 - 1j)), z.tolist())
print(torch.result_type(torch.tensor([1.0]), 1j), (torch.tensor([1.0], dtype=torch.float64) * 1j).dtype)
print(z.real.dtype, torch.real(z).is_contiguous(), z.imag.stride())
print(torch.conj_physical(z), z.conj().resolve_conj().is_conj())

A = torch.tensor([[1 + 1j, 2], [0, 1 - 1j]])
B = torch.tensor([[1j, 1], [1, -1j]])
print(A @ B, A.mH, A.T)
print(r4(torch.linalg.inv(A)) + 0, r4(torch.linalg.det(A)))  # (+ 0 drops LAPACK's signed zeros)
print(torch.allclose(A @ torch.linalg.inv(A), torch.eye(2, dtype=A.dtype)))
ev = torch.linalg.eigvals(torch.tensor([[0.0, -1.0], [1.0, 0.0]]))
print(r4(ev), ev.dtype)

# FFT convolution equals direct (circular / linear) convolution
signal = torch.sin(torch.arange(32.0) * 0.4) + 0.5 * torch.cos(torch.arange(32.0) * 1.3)
kernel = torch.tensor([0.25, 0.5, 0.25, -0.1])
n = signal.numel() + kernel.numel() - 1
fft_conv = torch.fft.irfft(torch.fft.rfft(signal, n=n) * torch.fft.rfft(kernel, n=n), n=n)
direct = F.conv1d(signal.view(1, 1, -1), kernel.flip(0).view(1, 1, -1), padding=kernel.numel() - 1).view(-1)
print(torch.allclose(fft_conv, direct, atol=1e-5), r4(fft_conv[:6]))
X = torch.fft.fft(signal)
print(X.dtype, X.shape, r4(X[:3].abs()), r4(torch.fft.fftfreq(8)), torch.fft.rfftfreq(8, d=0.5))
print(r4(torch.fft.ifft(X).real[:4]), r4(signal[:4]))
power = X.abs() ** 2
print(int(power[1:16].argmax()) + 1, r4(torch.fft.fftshift(torch.arange(6.0))), torch.fft.ifftshift(torch.arange(5)))
print(r4(torch.fft.fft(torch.tensor([1.0, 2.0, 0.0, 0.0]), norm="ortho")), r4(torch.fft.fft(torch.ones(4), norm="forward").abs()))  # (signed zeros differ by FFT library)
img = torch.outer(torch.cos(torch.arange(8.0)), torch.sin(torch.arange(6.0) * 0.5))
F2 = torch.fft.fft2(img)
print(F2.shape, torch.allclose(torch.fft.ifft2(F2).real, img, atol=1e-5), r4(torch.fft.rfft2(img).abs()[0]))
print(torch.fft.rfftn(torch.ones(2, 4, 4), dim=(1, 2)).shape, r4(torch.fft.hfft(torch.tensor([1.0, 2.0, 3.0]))))

# circular convolution theorem with complex multiplication by hand
a = torch.tensor([1.0, 2.0, 3.0, 4.0])
b = torch.tensor([0.0, 1.0, 0.5, 0.0])
circ = torch.fft.ifft(torch.fft.fft(a) * torch.fft.fft(b)).real
by_hand = torch.stack([sum(a[j] * b[(i - j) % 4] for j in range(4)) for i in range(4)])
print(r4(circ), r4(by_hand))

# gradients through complex ops (Wirtinger: grad of a real loss)
w = torch.tensor([1.0 + 2.0j, -0.5 + 0.5j], requires_grad=True)
loss = (w * w.conj()).real.sum() + (w.abs() ** 2).sum()
loss.backward()
print(w.grad)
theta = torch.tensor([0.3, 1.2], requires_grad=True)
rot = torch.polar(torch.ones(2), theta)
(rot * torch.tensor([1 + 0j, 1j])).real.sum().backward()
print(r4(theta.grad))
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
torch.fft.rfft(x).abs().sum().backward()
print(r4(x.grad))
