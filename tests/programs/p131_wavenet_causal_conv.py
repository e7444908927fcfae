# WaveNet-style stack of dilated causal convolutions (left padding with F.pad), gated
# tanh*sigmoid units, residual and skip connections, trained to predict the next sample.
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalConv1d(nn.Conv1d):
    def __init__(self, cin, cout, kernel_size, dilation=1):
        super().__init__(cin, cout, kernel_size, dilation=dilation)
        self.left = (kernel_size - 1) * dilation

    def forward(self, x):
        return super().forward(F.pad(x, (self.left, 0)))


class ResidualBlock(nn.Module):
    def __init__(self, ch, dilation):
        super().__init__()
        self.filt = CausalConv1d(ch, ch, 2, dilation)
        self.gate = CausalConv1d(ch, ch, 2, dilation)
        self.res = nn.Conv1d(ch, ch, 1)
        self.skip = nn.Conv1d(ch, ch, 1)

    def forward(self, x):
        z = torch.tanh(self.filt(x)) * torch.sigmoid(self.gate(x))
        return x + self.res(z), self.skip(z)


class WaveNet(nn.Module):
    def __init__(self, ch=8, dilations=(1, 2, 4, 8)):
        super().__init__()
        self.inp = CausalConv1d(1, ch, 2)
        self.blocks = nn.ModuleList([ResidualBlock(ch, d) for d in dilations])
        self.head = nn.Sequential(nn.ReLU(), nn.Conv1d(ch, ch, 1), nn.ReLU(), nn.Conv1d(ch, 1, 1))

    def receptive_field(self):
        return 1 + self.inp.left + sum(b.filt.left for b in self.blocks)

    def forward(self, x):
        h = self.inp(x)
        skips = 0
        for b in self.blocks:
            h, s = b(h)
            skips = skips + s
        return self.head(skips)


model = WaveNet()
print(model.blocks[2])
print("receptive field:", model.receptive_field())
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 1.1 + i).view(p.shape) * 0.2)

# causality: changing the future must not change earlier outputs
x = torch.sin(torch.linspace(0, 12, 64)).view(1, 1, 64)
y1 = model(x)
x2 = x.clone()
x2[..., 40:] = 5.0
y2 = model(x2)
print(y1.shape, torch.equal(y1[..., :40], y2[..., :40]), torch.equal(y1[..., 40:], y2[..., 40:]))

# dilation via F.conv1d directly equals the module
w = model.blocks[1].filt.weight
b = model.blocks[1].filt.bias
h = torch.linspace(-1, 1, 8 * 20).view(1, 8, 20)
print(torch.allclose(F.conv1d(F.pad(h, (2, 0)), w, b, dilation=2), model.blocks[1].filt(h), atol=1e-6))

# other padding modes used for audio
sig = torch.arange(6.0).view(1, 1, 6)
print(F.pad(sig, (2, 1), mode="reflect"))
print(F.pad(sig, (2, 1), mode="replicate"))
print(F.pad(sig, (2, 1), mode="circular"))
print(F.pad(sig, (1, 1), value=-1.0))

t = torch.linspace(0, 20, 200)
wave = (torch.sin(t) + 0.5 * torch.sin(3 * t)).view(1, 1, -1)
inputs, targets = wave[..., :-1], wave[..., 1:]
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for step in range(60):
    pred = model(inputs)
    loss = F.mse_loss(pred, targets)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 20 == 0:
        print(f"step {step:2d} mse {loss.item():.4f}")
print("improved:", loss.item() < 0.05)

# autoregressive generation, one sample at a time, with a sliding window
with torch.no_grad():
    ctx = wave[..., :model.receptive_field()].clone()
    for _ in range(10):
        nxt = model(ctx)[..., -1:]
        ctx = torch.cat([ctx[..., 1:], nxt], dim=-1)
    print(ctx.shape)
