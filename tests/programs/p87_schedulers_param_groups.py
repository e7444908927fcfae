# Optimizer parameter groups with their own learning rates, and scheduler combinations,
# printing the learning rate of every group each epoch.
import torch
import torch.nn as nn
from torch.optim import lr_scheduler

torch.manual_seed(0)
backbone = nn.Linear(4, 4)
head = nn.Linear(4, 2)


def make_opt():
    return torch.optim.SGD([
        {'params': backbone.parameters(), 'lr': 1e-3},
        {'params': head.parameters()},
    ], lr=1e-2, momentum=0.9, weight_decay=1e-4)


def lrs(opt):
    return [round(g['lr'], 6) for g in opt.param_groups]


opt = make_opt()
print(len(opt.param_groups), [len(g['params']) for g in opt.param_groups])
print(sorted(opt.param_groups[0].keys()))
print(opt.defaults['lr'], opt.param_groups[0]['momentum'])

for name, make in [
    ('StepLR', lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=0.5)),
    ('MultiStepLR', lambda o: lr_scheduler.MultiStepLR(o, milestones=[1, 3], gamma=0.1)),
    ('ExponentialLR', lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9)),
    ('CosineAnnealingLR', lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=1e-5)),
    ('LambdaLR', lambda o: lr_scheduler.LambdaLR(o, lr_lambda=[lambda e: 1.0, lambda e: 0.5 ** e])),
    ('MultiplicativeLR', lambda o: lr_scheduler.MultiplicativeLR(o, lr_lambda=lambda e: 0.8)),
    ('LinearLR', lambda o: lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=3)),
    ('ConstantLR', lambda o: lr_scheduler.ConstantLR(o, factor=0.5, total_iters=2)),
    ('PolynomialLR', lambda o: lr_scheduler.PolynomialLR(o, total_iters=4, power=2.0)),
    ('CosineAnnealingWarmRestarts', lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2)),
    ('Sequential', lambda o: lr_scheduler.SequentialLR(o, schedulers=[
        lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=2),
        lr_scheduler.ExponentialLR(o, gamma=0.5)], milestones=[2])),
    ('Chained', lambda o: lr_scheduler.ChainedScheduler([
        lr_scheduler.ConstantLR(o, factor=0.1, total_iters=2),
        lr_scheduler.ExponentialLR(o, gamma=0.9)])),
    ('CyclicLR', lambda o: lr_scheduler.CyclicLR(o, base_lr=[1e-4, 1e-3], max_lr=[1e-3, 1e-2], step_size_up=2)),
    ('OneCycleLR', lambda o: lr_scheduler.OneCycleLR(o, max_lr=[0.01, 0.1], total_steps=8)),
]:
    opt = make_opt()
    sched = make(opt)
    trace = [lrs(opt)]
    for epoch in range(6):
        opt.step()
        sched.step()
        trace.append(lrs(opt))
    print(name, trace)
    print('  last', [round(v, 6) for v in sched.get_last_lr()])

# ReduceLROnPlateau reacts to a metric
opt = make_opt()
plateau = lr_scheduler.ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=1, threshold=0.01)
for epoch, val_loss in enumerate([1.0, 0.9, 0.95, 0.91, 0.92, 0.5, 0.6, 0.61, 0.7]):
    opt.step()
    plateau.step(val_loss)
    print(epoch, val_loss, lrs(opt), plateau.num_bad_epochs)

# adding a param group later and the scheduler state dict
opt = torch.optim.Adam(backbone.parameters(), lr=0.01)
extra = nn.Parameter(torch.zeros(3))
opt.add_param_group({'params': [extra], 'lr': 0.5, 'betas': (0.8, 0.9)})
print(lrs(opt), opt.param_groups[1]['betas'], opt.param_groups[0]['betas'])
sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
opt.step()
sched.step()
sd = sched.state_dict()
print(sorted(sd.keys()), sd['last_epoch'], [round(v, 6) for v in sd['_last_lr']])
opt2 = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))], lr=0.01)
s2 = lr_scheduler.StepLR(opt2, step_size=1, gamma=0.1)
s2.load_state_dict(sd)
print(s2.last_epoch, s2.base_lrs)
# changing lr by hand
for g in opt.param_groups:
    g['lr'] = 0.123
print(lrs(opt))
