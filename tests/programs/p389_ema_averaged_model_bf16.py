# EMA of weights with AveragedModel, SWALR, update_bn, and bfloat16 autocast on CPU.
import copy
import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, SWALR, update_bn, get_ema_multi_avg_fn, get_ema_avg_fn

torch.manual_seed(0)

model = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 1))
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
ema_buf = AveragedModel(model, avg_fn=get_ema_avg_fn(0.8), use_buffers=True)
swa = AveragedModel(model)
print([n for n, _ in ema.named_parameters()][:3])
print([n for n, _ in ema.named_buffers()])
print(list(ema.state_dict().keys())[:4])
print(ema.n_averaged, ema.n_averaged.dtype)

x = torch.randn(64, 4)
y = (x[:, :1] * 2 - x[:, 1:2]).tanh()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
swa_sched = SWALR(opt, swa_lr=0.05, anneal_epochs=2, anneal_strategy="cos")
swa_start = 4
for epoch in range(8):
    for i in range(0, 64, 16):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x[i:i + 16]), y[i:i + 16])
        loss.backward()
        opt.step()
        ema.update_parameters(model)
        ema_buf.update_parameters(model)
    if epoch >= swa_start:
        swa.update_parameters(model)
        swa_sched.step()
    else:
        sched.step()
    print(epoch, round(loss.item(), 4), round(opt.param_groups[0]["lr"], 5))

print(ema.n_averaged.item(), swa.n_averaged.item(), ema_buf.n_averaged.item())
with torch.no_grad():
    for name, m in [("ema", ema), ("ema_buf", ema_buf), ("swa", swa)]:
        print(name, round(m.module[0].weight.sum().item(), 4), round(m.module[1].running_mean.sum().item(), 4))

# buffers: only ema_buf averaged them; others need update_bn
loader = [(x[i:i + 16], y[i:i + 16]) for i in range(0, 64, 16)]
before = swa.module[1].running_var.clone()
update_bn(loader, swa)
print(round(before.sum().item(), 4), round(swa.module[1].running_var.sum().item(), 4),
      swa.module[1].momentum, swa.module[1].num_batches_tracked.item())
swa.eval(); model.eval()
with torch.no_grad():
    print(round(nn.functional.mse_loss(swa(x), y).item(), 4),
          round(nn.functional.mse_loss(model(x), y).item(), 4))

# save/load an AveragedModel state dict into a fresh one
sd = ema.state_dict()
ema2 = AveragedModel(copy.deepcopy(model), multi_avg_fn=get_ema_multi_avg_fn(0.9))
print(ema2.load_state_dict(sd))
print(ema2.n_averaged.item(), torch.equal(ema2.module[3].bias, ema.module[3].bias))

# hand-written EMA helper (timm style)
class ModelEma:
    def __init__(self, model, decay=0.99):
        self.ema = copy.deepcopy(model).eval()
        self.decay = decay
        for p in self.ema.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model):
        msd = model.state_dict()
        for k, ev in self.ema.state_dict().items():
            mv = msd[k].detach()
            if ev.dtype.is_floating_point:
                ev.mul_(self.decay).add_(mv, alpha=1 - self.decay)
            else:
                ev.copy_(mv)


model.train()
helper = ModelEma(model, 0.5)
for i in range(3):
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    opt.step()
    helper.update(model)
print(round(helper.ema[0].weight.sum().item(), 4), helper.ema[1].num_batches_tracked.item(),
      helper.ema[0].weight.requires_grad)

# bfloat16 autocast on CPU
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(8, 8), nn.GELU(), nn.Linear(8, 3))
xb = torch.randn(5, 8)
tb = torch.randint(0, 3, (5,))
opt = torch.optim.AdamW(net.parameters(), lr=1e-2)
for step in range(3):
    opt.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        h = net[0](xb)
        logits = net(xb)
        loss = nn.functional.cross_entropy(logits, tb)
        s = torch.softmax(logits, -1)
        summed = logits.sum()
        mm = xb @ xb.T
        c = torch.cat([h, xb], 1)
    print(step, h.dtype, logits.dtype, loss.dtype, s.dtype, summed.dtype, mm.dtype, c.dtype)
    loss.backward()
    print(net[0].weight.grad.dtype, round(loss.item(), 2))
    opt.step()
print(torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"))
with torch.autocast("cpu", dtype=torch.bfloat16):
    print(torch.is_autocast_enabled("cpu"))
    with torch.autocast("cpu", enabled=False):
        print(net(xb).dtype, torch.is_autocast_enabled("cpu"))
    print(torch.mm(xb.double(), xb.double().T).dtype)
    conv = nn.Conv1d(2, 2, 3)
    print(conv(torch.randn(1, 2, 5)).dtype)
    print(torch.nn.functional.layer_norm(torch.randn(2, 4), (4,)).dtype)
    print(torch.nn.functional.mse_loss(net(xb), torch.zeros(5, 3)).dtype)


@torch.autocast("cpu", dtype=torch.bfloat16)
def fwd(m, inp):
    return m(inp)


print(fwd(net, xb).dtype)
scaler = torch.amp.GradScaler("cpu", enabled=False)
opt.zero_grad()
with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
    loss = nn.functional.cross_entropy(net(xb), tb)
scaler.scale(loss).backward()
scaler.unscale_(opt)
gn = nn.utils.clip_grad_norm_(net.parameters(), 0.5)
scaler.step(opt)
scaler.update()
print(round(loss.float().item(), 2), gn.dtype, scaler.is_enabled(), scaler.get_scale())
