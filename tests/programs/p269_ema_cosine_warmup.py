# Model EMA (timm ModelEmaV2 / YOLO style) with copy.deepcopy, torch.no_grad(), lerp_ and
# mul_().add_(), buffers copied; cosine schedule with linear warmup through LambdaLR; the
# schedule printed step by step, then compared with CosineAnnealingLR + LinearLR in
# SequentialLR.
import copy
import math

import torch
import torch.nn as nn


class ModelEmaV2(nn.Module):
    def __init__(self, model, decay=0.9999, device=None):
        super().__init__()
        # make a copy of the model for accumulating moving average of weights
        self.module = copy.deepcopy(model)
        self.module.eval()
        self.decay = decay
        self.device = device  # perform ema on different device from model if set
        if self.device is not None:
            self.module.to(device=device)

    def _update(self, model, update_fn):
        with torch.no_grad():
            for ema_v, model_v in zip(self.module.state_dict().values(), model.state_dict().values()):
                if self.device is not None:
                    model_v = model_v.to(device=self.device)
                ema_v.copy_(update_fn(ema_v, model_v))

    def update(self, model):
        self._update(model, update_fn=lambda e, m: self.decay * e + (1.0 - self.decay) * m)

    def set(self, model):
        self._update(model, update_fn=lambda e, m: m)


class YoloEMA:
    def __init__(self, model, decay=0.9999, tau=2000, updates=0):
        self.ema = copy.deepcopy(model).eval()
        self.updates = updates
        self.decay = lambda x: decay * (1 - math.exp(-x / tau))
        for p in self.ema.parameters():
            p.requires_grad_(False)

    def update(self, model):
        self.updates += 1
        d = self.decay(self.updates)
        msd = model.state_dict()
        for k, v in self.ema.state_dict().items():
            if v.dtype.is_floating_point:
                v *= d
                v += (1 - d) * msd[k].detach()


def get_cosine_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, num_cycles=0.5, last_epoch=-1):
    def lr_lambda(current_step):
        if current_step < num_warmup_steps:
            return float(current_step) / float(max(1, num_warmup_steps))
        progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda, last_epoch)


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
ema = ModelEmaV2(model, decay=0.9)
yema = YoloEMA(model, decay=0.99, tau=5)
ema_params = [p.detach().clone() for p in model.parameters()]
print("ema is copy:", ema.module[0].weight is not model[0].weight, torch.equal(ema.module[0].weight, model[0].weight))

opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
sched = get_cosine_schedule_with_warmup(opt, num_warmup_steps=3, num_training_steps=12)
X = torch.randn(16, 4)
Y = (X[:, 0] > 0).long()
for step in range(12):
    loss = nn.functional.cross_entropy(model(X), Y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    ema.update(model)
    yema.update(model)
    with torch.no_grad():
        for e, p in zip(ema_params, model.parameters()):
            e.lerp_(p, 0.1)                # same as e.mul_(0.9).add_(p, alpha=0.1)
    if step % 3 == 2:
        print(f"step {step:2d} lr {sched.get_last_lr()[0]:.6f} loss {loss.item():.4f}")

print("lerp EMA == ModelEmaV2:", all(torch.allclose(a, b, atol=1e-6) for a, b in zip(ema_params, ema.module.parameters())))
print("bn running mean (model vs ema):", model[1].running_mean[:3].round(decimals=4), ema.module[1].running_mean[:3].round(decimals=4))
print("ema num_batches_tracked:", ema.module[1].num_batches_tracked, yema.ema[1].num_batches_tracked)
print("yolo ema decay:", round(yema.decay(yema.updates), 6), "requires_grad:", any(p.requires_grad for p in yema.ema.parameters()))
with torch.no_grad():
    print("eval logits model:", model.eval()(X[:2]).round(decimals=3))
    print("eval logits ema:  ", ema.module(X[:2]).round(decimals=3))
    print("eval logits yolo: ", yema.ema(X[:2]).round(decimals=3))
a = torch.zeros(3)
a.mul_(0.9).add_(torch.ones(3), alpha=0.1)
print(a, torch.lerp(torch.zeros(3), torch.ones(3), torch.tensor([0.0, 0.5, 1.0])), torch.zeros(2).lerp(torch.ones(2), 0.25))

# the same shape of schedule built from the stock schedulers
opt2 = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.5)
warm = torch.optim.lr_scheduler.LinearLR(opt2, start_factor=0.01, end_factor=1.0, total_iters=3)
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt2, T_max=9, eta_min=1e-4)
seq = torch.optim.lr_scheduler.SequentialLR(opt2, schedulers=[warm, cos], milestones=[3])
lrs = []
for _ in range(12):
    lrs.append(round(opt2.param_groups[0]["lr"], 6))
    opt2.step()
    seq.step()
print("sequential:", lrs)
print("state_dict keys:", sorted(sched.state_dict().keys()))
