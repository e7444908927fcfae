# LR schedulers as used in training scripts: chained, sequential, warm restarts, cyclic, plateau.
import torch
import torch.nn as nn
from torch.optim import lr_scheduler as S

torch.manual_seed(0)


def opt_for(lr=0.1, momentum=0.0, groups=1, cls=torch.optim.SGD, **kw):
    params = [nn.Parameter(torch.randn(2)) for _ in range(groups)]
    if groups == 1:
        return cls(params, lr=lr, momentum=momentum, **kw) if cls is torch.optim.SGD else cls(params, lr=lr, **kw)
    return cls([{"params": [p], "lr": lr * (i + 1)} for i, p in enumerate(params)], lr=lr, momentum=momentum)


def r(v):
    return [round(x, 6) for x in v]


# ChainedScheduler
opt = opt_for()
sched = S.ChainedScheduler([S.ConstantLR(opt, factor=0.5, total_iters=3), S.ExponentialLR(opt, gamma=0.9)])
out = []
for epoch in range(6):
    opt.step()
    sched.step()
    out.append(r(sched.get_last_lr()))
print("chained", out)

# ChainedScheduler with optimizer argument
opt = opt_for()
sched = S.ChainedScheduler([S.LinearLR(opt, start_factor=0.1, total_iters=4), S.StepLR(opt, 2, 0.5)], optimizer=opt)
print("chained2", [r(sched.get_last_lr())] + [(opt.step(), sched.step(), r(sched.get_last_lr()))[2] for _ in range(5)])

# SequentialLR: warmup then cosine
opt = opt_for(groups=2)
warm = S.LinearLR(opt, start_factor=0.01, end_factor=1.0, total_iters=3)
cos = S.CosineAnnealingLR(opt, T_max=5, eta_min=1e-4)
seq = S.SequentialLR(opt, schedulers=[warm, cos], milestones=[3])
lrs = []
for epoch in range(10):
    lrs.append(r([g["lr"] for g in opt.param_groups]))
    opt.step()
    seq.step()
print("sequential", lrs)
print(r(seq.get_last_lr()), seq.last_epoch)
sd = seq.state_dict()
print(sorted(sd.keys()))
print(sd["_milestones"], sd["last_epoch"], len(sd["_schedulers"]))

# CosineAnnealingWarmRestarts with fractional epochs
opt = opt_for(lr=1.0)
cw = S.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.01)
vals = []
iters = 4
for epoch in range(5):
    for i in range(iters):
        opt.step()
        cw.step(epoch + i / iters)
        vals.append(round(opt.param_groups[0]["lr"], 5))
print("warm restarts", vals)
print(cw.T_i, cw.T_cur, cw.T_0, cw.last_epoch)
opt = opt_for(lr=1.0)
cw = S.CosineAnnealingWarmRestarts(opt, T_0=2)
print("warm restarts int", [(opt.step(), cw.step(), round(cw.get_last_lr()[0], 5))[2] for _ in range(7)])

# CyclicLR with momentum cycling
opt = opt_for(lr=0.1, momentum=0.9)
cyc = S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="triangular2")
lr_m = []
for it in range(14):
    lr_m.append((round(opt.param_groups[0]["lr"], 5), round(opt.param_groups[0]["momentum"], 4)))
    opt.step()
    cyc.step()
print("cyclic", lr_m)
opt = opt_for(lr=0.1, momentum=0.9)
cyc = S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, step_size_down=4, mode="exp_range", gamma=0.9,
                 cycle_momentum=False)
print("cyclic exp", [(opt.step(), cyc.step(), round(cyc.get_last_lr()[0], 5))[2] for _ in range(10)])
opt = opt_for(lr=0.1, momentum=0.9)
cyc = S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, scale_fn=lambda x: 1 / (2.0 ** (x - 1)),
                 scale_mode="cycle")
print("cyclic fn", [(opt.step(), cyc.step(), round(cyc.get_last_lr()[0], 5))[2] for _ in range(8)])
try:
    S.CyclicLR(opt_for(cls=torch.optim.Adagrad), base_lr=0.01, max_lr=0.1)
except ValueError as e:
    print("ValueError", e)
ad = opt_for(cls=torch.optim.Adam)
cyc = S.CyclicLR(ad, base_lr=0.001, max_lr=0.01, step_size_up=2)
print("adam betas", [(ad.step(), cyc.step(), ad.param_groups[0]["betas"])[2] for _ in range(3)])

# ReduceLROnPlateau with cooldown, threshold modes and min_lr
opt = opt_for(lr=1.0, groups=2)
plat = S.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, cooldown=2, min_lr=[0.1, 0.3],
                           threshold=0.01, threshold_mode="rel")
losses = [1.0, 0.99, 0.995, 0.98, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6]
trace = []
for l in losses:
    plat.step(l)
    trace.append((r([g["lr"] for g in opt.param_groups]), plat.num_bad_epochs, plat.cooldown_counter))
for t in trace:
    print("plateau", t)
print(r(plat.get_last_lr()), plat.best, plat.last_epoch)
sd = plat.state_dict()
print(sorted(sd.keys()))
opt = opt_for(lr=1.0)
plat = S.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=0, threshold=0.1, threshold_mode="abs", eps=0.05)
for acc in [0.5, 0.55, 0.7, 0.7, 0.7, 0.7]:
    plat.step(acc)
    print("max", round(opt.param_groups[0]["lr"], 6), plat.num_bad_epochs)

# OneCycleLR / PolynomialLR / MultiStepLR / LambdaLR with multiple groups
opt = opt_for(lr=0.1, momentum=0.9, groups=2)
oc = S.OneCycleLR(opt, max_lr=[0.1, 0.2], total_steps=8, pct_start=0.25, anneal_strategy="linear",
                  three_phase=True)
print("onecycle", [(opt.step(), oc.step(), r(oc.get_last_lr()))[2] for _ in range(7)])
print("momentum", round(opt.param_groups[0]["momentum"], 4))
try:
    opt.step(); oc.step(); opt.step(); oc.step()
except ValueError as e:
    print("ValueError", str(e)[:70])
opt = opt_for(lr=0.1)
pl = S.PolynomialLR(opt, total_iters=4, power=2.0)
print("poly", [(opt.step(), pl.step(), r(pl.get_last_lr()))[2] for _ in range(6)])
opt = opt_for(lr=0.1, groups=2)
lam = S.LambdaLR(opt, lr_lambda=[lambda e: 0.9 ** e, lambda e: 1.0 / (e + 1)])
print("lambda", [(opt.step(), lam.step(), r(lam.get_last_lr()))[2] for _ in range(3)])
print(sorted(lam.state_dict().keys()))
ms = S.MultiStepLR(opt_for(lr=0.1), milestones=[2, 2, 4], gamma=0.1)
print("multistep", [(ms.optimizer.step(), ms.step(), r(ms.get_last_lr()))[2] for _ in range(5)])
print(ms.milestones)

# resume a scheduler from state_dict
opt = opt_for(lr=0.1)
st = S.StepLR(opt, step_size=2, gamma=0.5)
for _ in range(3):
    opt.step(); st.step()
saved = st.state_dict()
opt2 = opt_for(lr=0.1)
st2 = S.StepLR(opt2, step_size=2, gamma=0.5)
st2.load_state_dict(saved)
print(saved)
print(st2.last_epoch, r(st2.get_last_lr()), opt2.param_groups[0]["lr"])
opt2.param_groups[0]["lr"] = opt.param_groups[0]["lr"]
opt2.step(); st2.step(); opt.step(); st.step()
print(r(st.get_last_lr()), r(st2.get_last_lr()))
print(opt.param_groups[0]["initial_lr"], sorted(opt.param_groups[0].keys()))

# ReduceLROnPlateau is an LRScheduler; min_lr follows newly added param groups
opt = opt_for(lr=1.0)
plat = S.ReduceLROnPlateau(opt, patience=0, min_lr=0.2)
print(isinstance(plat, S.LRScheduler), plat.last_epoch, plat.get_last_lr())
opt.add_param_group({"params": [nn.Parameter(torch.zeros(1))], "lr": 0.5})
for v in [1.0, 2.0, 3.0, 4.0]:
    plat.step(torch.tensor(v))
    print(r(plat.get_last_lr()), plat.min_lrs)
state = plat.state_dict()
plat2 = S.ReduceLROnPlateau(opt_for(lr=1.0), mode="max")
plat2.load_state_dict(state)
print(plat2.mode, plat2.mode_worse, plat2.best, plat2.default_min_lr)
