# Learning-rate warm-up with LambdaLR, cosine decay, SequentialLR, ChainedScheduler and get_last_lr.
import math
import torch
import torch.nn as nn
from torch.optim.lr_scheduler import (LambdaLR, LinearLR, CosineAnnealingLR, SequentialLR,
                                      MultiplicativeLR, ChainedScheduler, ExponentialLR,
                                      ReduceLROnPlateau, CosineAnnealingWarmRestarts, PolynomialLR)

model = nn.Linear(2, 1)
warmup, total = 3, 10


def lr_lambda(step):
    if step < warmup:
        return float(step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return 0.5 * (1.0 + math.cos(math.pi * progress))


opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
sched = LambdaLR(opt, lr_lambda=lr_lambda)
lrs = []
for step in range(total):
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 8))
print(lrs)
print(sched.state_dict()["last_epoch"], sched.last_epoch, opt.param_groups[0]["initial_lr"])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
s1 = LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=3)
s2 = CosineAnnealingLR(opt, T_max=5, eta_min=0.001)
seq = SequentialLR(opt, schedulers=[s1, s2], milestones=[3])
out = []
for _ in range(9):
    opt.step()
    seq.step()
    out.append(f"{opt.param_groups[0]['lr']:.5f}")
print(out)
opt = torch.optim.SGD(model.parameters(), lr=1.0)
chain = ChainedScheduler([ExponentialLR(opt, gamma=0.9), MultiplicativeLR(opt, lambda e: 0.95)])
vals = []
for _ in range(4):
    opt.step()
    chain.step()
    vals.append(round(opt.param_groups[0]["lr"], 6))
print(vals)
opt = torch.optim.SGD([{"params": model.weight}, {"params": model.bias, "lr": 0.5}], lr=0.1)
sched = LambdaLR(opt, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
for _ in range(3):
    opt.step()
    sched.step()
print([round(x, 6) for x in sched.get_last_lr()])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
plateau = ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=0.01)
for loss in [1.0, 0.9, 0.95, 0.93, 0.92, 0.91, 0.5]:
    plateau.step(loss)
    print(opt.param_groups[0]["lr"], end=" ")
print()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
wr = CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.0)
print([round(wr.get_last_lr()[0], 5)] + [round((opt.step(), wr.step(), wr.get_last_lr()[0])[2], 5) for _ in range(8)])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
poly = PolynomialLR(opt, total_iters=4, power=2.0)
print([round((opt.step(), poly.step(), poly.get_last_lr()[0])[2], 6) for _ in range(5)])
