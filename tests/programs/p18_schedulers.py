# Learning-rate schedulers: the learning rate per epoch.
import torch
import torch.nn as nn
from torch.optim import lr_scheduler


def run(make_sched, epochs=8, lr=0.1, opt_cls=torch.optim.SGD, **kw):
    model = nn.Linear(2, 1)
    opt = opt_cls(model.parameters(), lr=lr, **kw)
    sched = make_sched(opt)
    lrs = []
    for epoch in range(epochs):
        opt.step()
        lrs.append(round(opt.param_groups[0]["lr"], 6))
        sched.step()
    return lrs


print(run(lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5)))
print(run(lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1)))
print(run(lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9)))
print(run(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.001)))
print(run(lambda o: lr_scheduler.LambdaLR(o, lr_lambda=lambda e: 1 / (e + 1))))
print(run(lambda o: lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4)))
print(run(lambda o: lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=8), opt_cls=torch.optim.SGD,
          momentum=0.9))
print(run(lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3)))
print(run(lambda o: lr_scheduler.SequentialLR(o, [lr_scheduler.ConstantLR(o, factor=0.5, total_iters=2),
                                                 lr_scheduler.ExponentialLR(o, gamma=0.5)],
                                              milestones=[3])))
print(run(lambda o: lr_scheduler.PolynomialLR(o, total_iters=5, power=2.0)))
print(run(lambda o: lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2)))

model = nn.Linear(2, 1)
opt = torch.optim.Adam(model.parameters(), lr=1.0)
sched = lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
for val_loss in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7, 0.8]:
    sched.step(val_loss)
    print(opt.param_groups[0]["lr"], end=" ")
print()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched = lr_scheduler.StepLR(opt, 2, gamma=0.1)
for _ in range(3):
    opt.step()
    sched.step()
print([round(v, 6) for v in sched.get_last_lr()], sched.last_epoch)
state = sched.state_dict()
print(sorted(state.keys()))
