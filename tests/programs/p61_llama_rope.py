# LLaMA-style RMSNorm and rotary embeddings (torch.polar / view_as_complex / view_as_real).
import torch
import torch.nn as nn


class RMSNorm(torch.nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def _norm(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

    def forward(self, x):
        output = self._norm(x.float()).type_as(x)
        return output * self.weight


def precompute_freqs_cis(dim: int, end: int, theta: float = 10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: (dim // 2)].float() / dim))
    t = torch.arange(end, device=freqs.device)
    freqs = torch.outer(t, freqs).float()
    freqs_cis = torch.polar(torch.ones_like(freqs), freqs)
    return freqs_cis


def reshape_for_broadcast(freqs_cis, x):
    ndim = x.ndim
    assert 0 <= 1 < ndim
    assert freqs_cis.shape == (x.shape[1], x.shape[-1])
    shape = [d if i == 1 or i == ndim - 1 else 1 for i, d in enumerate(x.shape)]
    return freqs_cis.view(*shape)


def apply_rotary_emb(xq, xk, freqs_cis):
    xq_ = torch.view_as_complex(xq.float().reshape(*xq.shape[:-1], -1, 2))
    xk_ = torch.view_as_complex(xk.float().reshape(*xk.shape[:-1], -1, 2))
    freqs_cis = reshape_for_broadcast(freqs_cis, xq_)
    xq_out = torch.view_as_real(xq_ * freqs_cis).flatten(3)
    xk_out = torch.view_as_real(xk_ * freqs_cis).flatten(3)
    return xq_out.type_as(xq), xk_out.type_as(xk)


freqs = precompute_freqs_cis(4, 6)
print(freqs.shape, freqs.dtype)
print(freqs[2].real.round(decimals=4), freqs[2].imag.round(decimals=4), freqs.abs().max().round(decimals=4))
xq = torch.linspace(-1, 1, 2 * 6 * 2 * 4).reshape(2, 6, 2, 4).requires_grad_()
xk = torch.cos(torch.arange(96.0)).reshape(2, 6, 2, 4)
q, k = apply_rotary_emb(xq, xk, freqs)
print(q.shape, q.dtype, q[0, 3, 1].round(decimals=4), k[1, 5, 0].round(decimals=4))
print(torch.allclose(q.norm(dim=-1), xq.norm(dim=-1), atol=1e-6))
(q * k).sum().backward()
print(xq.grad[0, 3, 1].round(decimals=4))
norm = RMSNorm(4)
out = norm(xk)
print(out[0, 0].round(decimals=4), out.pow(2).mean(-1)[0, :2].round(decimals=4))
z = torch.complex(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 2.0]))
print(z, z.abs(), z.angle(), torch.view_as_real(z), z.conj(), (z * z).real)
print(torch.view_as_real(torch.view_as_complex(torch.arange(8.0).reshape(2, 2, 2))).shape)
