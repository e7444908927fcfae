# Saving and restoring LR schedulers mid-training (trainer-style checkpointing).
import io
import torch
import torch.nn as nn
from torch.optim import lr_scheduler as S

torch.manual_seed(0)


def make_opt(lr=0.1, momentum=0.9):
    m = nn.Linear(3, 1)
    return m, torch.optim.SGD(m.parameters(), lr=lr, momentum=momentum)


def roundtrip(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, weights_only=False)


def describe(sd):
    out = {}
    for k, v in sorted(sd.items()):
        if isinstance(v, float):
            v = round(v, 6)
        elif isinstance(v, list):
            v = [round(a, 6) if isinstance(a, float) else (type(a).__name__ if callable(a) else a) for a in v]
        elif callable(v):
            v = type(v).__name__
        out[k] = v
    return out


builders = {
    "onecycle": lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=10),
    "cyclic": lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2"),
    "cyclic_fn": lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, scale_fn=lambda x: 0.5 ** x),
    "lambda": lambda o: S.LambdaLR(o, lambda e: 0.95 ** e),
    "multiplicative": lambda o: S.MultiplicativeLR(o, lambda e: 0.9),
    "warm_restarts": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2),
    "multistep": lambda o: S.MultiStepLR(o, milestones=[1, 3], gamma=0.5),
}
for name, build in builders.items():
    torch.manual_seed(0)
    m, o = make_opt()
    s = build(o)
    for _ in range(3):
        o.step()
        s.step()
    sd = s.state_dict()
    print(name, describe(sd))
    sd2 = roundtrip(sd)
    m2, o2 = make_opt()
    o2.load_state_dict(o.state_dict())
    s2 = build(o2)
    s2.load_state_dict(sd2)
    a, b = [], []
    for _ in range(4):
        o.step(); s.step(); a.append(round(s.get_last_lr()[0], 6))
        o2.step(); s2.step(); b.append(round(s2.get_last_lr()[0], 6))
    print(name, a, a == b)

# SequentialLR and ChainedScheduler state dicts nest their children
m, o = make_opt()
seq = S.SequentialLR(o, [S.LinearLR(o, 0.1, total_iters=2), S.ExponentialLR(o, 0.9)], milestones=[2])
for _ in range(3):
    o.step(); seq.step()
sd = seq.state_dict()
print(sorted(sd), [sorted(c) for c in sd["_schedulers"]])
m2, o2 = make_opt()
o2.load_state_dict(o.state_dict())
seq2 = S.SequentialLR(o2, [S.LinearLR(o2, 0.1, total_iters=2), S.ExponentialLR(o2, 0.9)], milestones=[2])
seq2.load_state_dict(roundtrip(sd))
print([(o.step(), seq.step(), round(seq.get_last_lr()[0], 6))[2] for _ in range(3)])
print([(o2.step(), seq2.step(), round(seq2.get_last_lr()[0], 6))[2] for _ in range(3)])

m, o = make_opt()
ch = S.ChainedScheduler([S.StepLR(o, 2, 0.5), S.ExponentialLR(o, 0.95)])
for _ in range(3):
    o.step(); ch.step()
sd = ch.state_dict()
print(sorted(sd), len(sd["_schedulers"]), round(sd["_last_lr"][0], 6))
m2, o2 = make_opt()
o2.load_state_dict(o.state_dict())
ch2 = S.ChainedScheduler([S.StepLR(o2, 2, 0.5), S.ExponentialLR(o2, 0.95)])
ch2.load_state_dict(roundtrip(sd))
print([(o.step(), ch.step(), round(ch.get_last_lr()[0], 6))[2] for _ in range(3)])
print([(o2.step(), ch2.step(), round(ch2.get_last_lr()[0], 6))[2] for _ in range(3)])

# resuming with last_epoch requires initial_lr in the param groups
m, o = make_opt()
try:
    S.StepLR(o, 2, last_epoch=4)
except KeyError as e:
    print("KeyError", e)
o.param_groups[0]["initial_lr"] = 0.1
st = S.StepLR(o, 2, gamma=0.5, last_epoch=4)
print(st.last_epoch, round(st.get_last_lr()[0], 6), round(o.param_groups[0]["lr"], 6))
cos = S.CosineAnnealingLR(o, T_max=10, last_epoch=4)
print(cos.last_epoch, round(cos.get_last_lr()[0], 6))

# get_lr() called outside step warns but works; _get_closed_form_lr
m, o = make_opt()
st = S.StepLR(o, 2, gamma=0.5)
o.step(); st.step(); o.step(); st.step()
print([round(v, 6) for v in st._get_closed_form_lr()], st._step_count)
ex = S.ExponentialLR(o, 0.5)
print(ex.last_epoch, ex._step_count, [round(v, 6) for v in ex.base_lrs])
