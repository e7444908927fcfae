# Activation checkpointing, torch.compile, channels_last and the deprecated cuda.amp names.
import warnings

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint, checkpoint_sequential

warnings.simplefilter("ignore")


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        return torch.tanh(self.lin(x))


class Net(nn.Module):
    def __init__(self, use_ckpt):
        super().__init__()
        self.blocks = nn.ModuleList([Block() for _ in range(3)])
        self.use_ckpt = use_ckpt
        with torch.no_grad():
            for i, p in enumerate(self.parameters()):
                p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (i % 3 + 1))

    def forward(self, x):
        for blk in self.blocks:
            x = checkpoint(blk, x, use_reentrant=False) if self.use_ckpt else blk(x)
        return x.sum()


x = torch.linspace(-1, 1, 8).reshape(2, 4).requires_grad_()
for use_ckpt in (False, True):
    net = Net(use_ckpt)
    out = net(x)
    out.backward()
    print(use_ckpt, round(out.item(), 4), net.blocks[0].lin.weight.grad.sum().round(decimals=4))
seq = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
with torch.no_grad():
    for p in seq.parameters():
        p.fill_(0.1)
print(checkpoint_sequential(seq, 2, torch.ones(1, 4), use_reentrant=False))
compiled = torch.compile(seq)
print(compiled(torch.ones(1, 4)).detach())


@torch.compile
def fused(a, b):
    return torch.sin(a) + torch.cos(b)


print(fused(torch.zeros(2), torch.zeros(2)))
conv = nn.Conv2d(3, 2, 1)
img = torch.arange(2 * 3 * 2 * 2, dtype=torch.float32).reshape(2, 3, 2, 2)
img_cl = img.to(memory_format=torch.channels_last)
conv = conv.to(memory_format=torch.channels_last)
print(img_cl.is_contiguous(), img_cl.is_contiguous(memory_format=torch.channels_last), img_cl.stride())
print(torch.equal(img_cl, img), img.contiguous(memory_format=torch.channels_last).stride())
print(torch.equal(conv(img_cl), conv(img)), torch.channels_last, torch.contiguous_format)
scaler = torch.cuda.amp.GradScaler(enabled=torch.cuda.is_available())
with torch.cuda.amp.autocast(enabled=torch.cuda.is_available()):
    y = seq(torch.ones(1, 4))
print(y.dtype, scaler.is_enabled())
