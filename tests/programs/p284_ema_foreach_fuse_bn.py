# Weight averaging the way timm (ModelEmaV3 with torch._foreach_lerp_ / _foreach_mul_ +
# _foreach_add_) and torch.optim.swa_utils (AveragedModel + get_ema_multi_avg_fn, update_bn)
# do it, then conv-bn fusion for inference (torch.nn.utils.fuse_conv_bn_eval and by hand).
import copy

import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn, update_bn


class ModelEmaV3(nn.Module):
    def __init__(self, model, decay=0.9999, min_decay=0.0, use_warmup=False, warmup_gamma=1.0, warmup_power=2 / 3, foreach=True):
        super().__init__()
        self.module = copy.deepcopy(model)
        self.module.eval()
        self.decay = decay
        self.min_decay = min_decay
        self.use_warmup = use_warmup
        self.warmup_gamma = warmup_gamma
        self.warmup_power = warmup_power
        self.foreach = foreach

    def get_decay(self, step=None):
        if step is None:
            return self.decay
        step = max(0, step - 1)
        if step <= 0:
            return 0.0
        if self.use_warmup:
            decay = 1 - (1 + step / self.warmup_gamma) ** -self.warmup_power
            decay = max(min(decay, self.decay), self.min_decay)
        else:
            decay = self.decay
        return decay

    @torch.no_grad()
    def update(self, model, step=None):
        decay = self.get_decay(step)
        ema_lerp_values = []
        model_lerp_values = []
        for ema_v, model_v in zip(self.module.state_dict().values(), model.state_dict().values()):
            if ema_v.is_floating_point():
                ema_lerp_values.append(ema_v)
                model_lerp_values.append(model_v)
            else:
                ema_v.copy_(model_v)
        if hasattr(torch, "_foreach_lerp_"):
            torch._foreach_lerp_(ema_lerp_values, model_lerp_values, weight=1.0 - decay)
        else:
            torch._foreach_mul_(ema_lerp_values, scalar=decay)
            torch._foreach_add_(ema_lerp_values, model_lerp_values, alpha=1.0 - decay)


torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 6, 3, padding=1, bias=False), nn.BatchNorm2d(6), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 3))
ema = ModelEmaV3(model, decay=0.99, use_warmup=True)
swa_ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
swa = AveragedModel(model)
print("decays:", [round(ema.get_decay(s), 6) for s in (1, 2, 10, 100, 10000)])
print("n_averaged:", swa.n_averaged, type(swa.module).__name__)

x = torch.randn(8, 3, 6, 6)
y = torch.randint(0, 3, (8,))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for step in range(1, 6):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    ema.update(model, step=step)
    swa_ema.update_parameters(model)
    swa.update_parameters(model)
    print(f"step {step}: loss {loss.item():.4f} ema w {ema.module[5].bias.round(decimals=4).tolist()}")
print("swa n_averaged:", swa.n_averaged.item(), "ema-swa bias:", swa_ema.module[5].bias.round(decimals=4).tolist())
print("swa bias:", swa.module[5].bias.round(decimals=4).tolist())
print("ema bn buffers copied:", ema.module[1].num_batches_tracked.item(), ema.module[1].running_mean[:3].round(decimals=4).tolist())

loader = [(x[:4], y[:4]), (x[4:], y[4:])]
update_bn(loader, swa)
print("update_bn running_mean:", swa.module[1].running_mean[:3].round(decimals=4).tolist(), swa.module[1].momentum)

a = [torch.zeros(2), torch.ones(3)]
b = [torch.ones(2), torch.full((3,), 3.0)]
torch._foreach_lerp_(a, b, 0.25)
print("foreach lerp:", [t.tolist() for t in a])
torch._foreach_mul_(a, 2.0)
torch._foreach_add_(a, b, alpha=0.5)
print("foreach mul/add:", [t.tolist() for t in a])
print("foreach norm:", [round(t.item(), 4) for t in torch._foreach_norm(a)], [t.tolist() for t in torch._foreach_sqrt(b)])

# conv-bn fusion
model.eval()
conv, bn = model[0], model[1]
fused = torch.nn.utils.fuse_conv_bn_eval(conv, bn)
with torch.no_grad():
    ref = bn(conv(x))
    print("fused conv:", fused.bias is not None, torch.allclose(fused(x), ref, atol=1e-5))
    w = conv.weight * (bn.weight / torch.sqrt(bn.running_var + bn.eps)).reshape(-1, 1, 1, 1)
    b_ = bn.bias - bn.running_mean * bn.weight / torch.sqrt(bn.running_var + bn.eps)
    manual = nn.functional.conv2d(x, w, b_, padding=1)
    print("manual fuse:", torch.allclose(manual, ref, atol=1e-5))
fm = copy.deepcopy(model)
fm[0] = fused
fm[1] = nn.Identity()
with torch.no_grad():
    print("fused model == model:", torch.allclose(fm(x), model(x), atol=1e-5))
print(fm[:2])
lin_bn = torch.nn.utils.fuse_linear_bn_eval(nn.Linear(4, 3).eval(), nn.BatchNorm1d(3).eval())
print("linear-bn fused:", type(lin_bn).__name__, lin_bn.weight.shape)
