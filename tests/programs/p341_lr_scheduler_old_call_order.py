# Learning-rate schedules as pre-1.1 scripts wrote them: scheduler.step() at the top of the
# epoch (before optimizer.step(), which torch now warns about), scheduler.step(epoch) with
# an explicit epoch, get_lr() vs get_last_lr(), adjust_learning_rate() helpers that write
# param_group['lr'] by hand, and ReduceLROnPlateau fed with a validation loss.
import torch
import torch.nn as nn
from torch.optim import lr_scheduler

torch.manual_seed(0)
model = nn.Linear(3, 1)
x, y = torch.randn(16, 3), torch.randn(16, 1)


def train_epoch(optimizer):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


# 1. StepLR stepped first thing in the epoch (the 0.4 examples)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
for epoch in range(6):
    scheduler.step()
    loss = train_epoch(optimizer)
    print('epoch', epoch, 'lr', round(optimizer.param_groups[0]['lr'], 6),
          [round(v, 6) for v in scheduler.get_last_lr()], round(loss, 4))
print(scheduler.last_epoch, scheduler.state_dict()['step_size'], scheduler.base_lrs)

# 2. the hand-written schedule from the ImageNet example
def adjust_learning_rate(optimizer, epoch, base_lr=0.1):
    """Sets the learning rate to the initial LR decayed by 10 every 3 epochs"""
    lr = base_lr * (0.1 ** (epoch // 3))
    for param_group in optimizer.param_groups:
        param_group['lr'] = lr
    return lr


optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
print([adjust_learning_rate(optimizer, e) for e in range(7)], optimizer.param_groups[0]['lr'])

# 3. MultiStepLR, ExponentialLR, LambdaLR, CosineAnnealingLR in the right order
for make in (lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 4], gamma=0.1),
             lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9),
             lambda o: lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch),
             lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=0.001)):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = make(optimizer)
    lrs = []
    for epoch in range(6):
        train_epoch(optimizer)
        scheduler.step()
        lrs.append(round(scheduler.get_last_lr()[0], 6))
    print(type(scheduler).__name__, lrs)

# 4. scheduler.step(epoch): deprecated but still honoured (closed form where there is one)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)
for epoch in (0, 1, 5, 7):
    scheduler.step(epoch)
    print('step(%d)' % epoch, round(optimizer.param_groups[0]['lr'], 6), scheduler.last_epoch)

# 5. ReduceLROnPlateau on a validation loss that stalls
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, mode='min', factor=0.5, patience=1)
for epoch, val_loss in enumerate([1.0, 0.9, 0.9, 0.9, 0.95, 0.8, 0.8, 0.8]):
    scheduler.step(val_loss)
    print(epoch, optimizer.param_groups[0]['lr'], scheduler.num_bad_epochs, scheduler.best)

# 6. two param groups, each with its own lr
optimizer = torch.optim.SGD([{'params': model.weight}, {'params': model.bias, 'lr': 1.0}],
                            lr=0.1, momentum=0.9)
scheduler = lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
for _ in range(3):
    train_epoch(optimizer)
    scheduler.step()
print([g['lr'] for g in optimizer.param_groups], scheduler.get_last_lr(),
      sorted(optimizer.state_dict()['param_groups'][0].keys()))
