# pytorch/examples imagenet/main.py's bookkeeping around a tiny model: AverageMeter with a
# Summary enum, ProgressMeter, accuracy(output, target, topk=(1, 5)), StepLR(step_size,
# gamma=0.1), save_checkpoint with shutil.copyfile to model_best.pth.tar, and resuming
# from the checkpoint (torch.load with map_location, load_state_dict of model, optimizer
# and scheduler).
import os
import shutil
import time
from enum import Enum

import torch
import torch.nn as nn
import torch.optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

best_acc1 = 0


class Summary(Enum):
    NONE = 0
    AVERAGE = 1
    SUM = 2
    COUNT = 3


class AverageMeter(object):
    """Computes and stores the average and current value"""
    def __init__(self, name, fmt=':f', summary_type=Summary.AVERAGE):
        self.name = name
        self.fmt = fmt
        self.summary_type = summary_type
        self.reset()

    def reset(self):
        self.val = 0
        self.avg = 0
        self.sum = 0
        self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count

    def __str__(self):
        fmtstr = '{name} {val' + self.fmt + '} ({avg' + self.fmt + '})'
        return fmtstr.format(**self.__dict__)

    def summary(self):
        fmtstr = ''
        if self.summary_type is Summary.NONE:
            fmtstr = ''
        elif self.summary_type is Summary.AVERAGE:
            fmtstr = '{name} {avg:.3f}'
        elif self.summary_type is Summary.SUM:
            fmtstr = '{name} {sum:.3f}'
        elif self.summary_type is Summary.COUNT:
            fmtstr = '{name} {count:.3f}'
        else:
            raise ValueError('invalid summary type %r' % self.summary_type)

        return fmtstr.format(**self.__dict__)


class ProgressMeter(object):
    def __init__(self, num_batches, meters, prefix=""):
        self.batch_fmtstr = self._get_batch_fmtstr(num_batches)
        self.meters = meters
        self.prefix = prefix

    def display(self, batch):
        entries = [self.prefix + self.batch_fmtstr.format(batch)]
        entries += [str(meter) for meter in self.meters]
        print('\t'.join(entries))

    def display_summary(self):
        entries = [" *"]
        entries += [meter.summary() for meter in self.meters]
        print(' '.join(entries))

    def _get_batch_fmtstr(self, num_batches):
        num_digits = len(str(num_batches // 1))
        fmt = '{:' + str(num_digits) + 'd}'
        return '[' + fmt + '/' + fmt.format(num_batches) + ']'


def accuracy(output, target, topk=(1,)):
    """Computes the accuracy over the k top predictions for the specified values of k"""
    with torch.no_grad():
        maxk = max(topk)
        batch_size = target.size(0)

        _, pred = output.topk(maxk, 1, True, True)
        pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))

        res = []
        for k in topk:
            correct_k = correct[:k].reshape(-1).float().sum(0, keepdim=True)
            res.append(correct_k.mul_(100.0 / batch_size))
        return res


def save_checkpoint(state, is_best, filename='checkpoint.pth.tar'):
    torch.save(state, filename)
    if is_best:
        shutil.copyfile(filename, 'model_best.pth.tar')


def train(train_loader, model, criterion, optimizer, epoch, device, print_freq=2):
    batch_time = AverageMeter('Time', ':6.3f')
    losses = AverageMeter('Loss', ':.4e')
    top1 = AverageMeter('Acc@1', ':6.2f')
    top5 = AverageMeter('Acc@5', ':6.2f')
    progress = ProgressMeter(
        len(train_loader),
        [losses, top1, top5],
        prefix="Epoch: [{}]".format(epoch))

    # switch to train mode
    model.train()

    end = time.time()
    for i, (images, target) in enumerate(train_loader):
        # move data to the same device as model
        images = images.to(device, non_blocking=True)
        target = target.to(device, non_blocking=True)

        # compute output
        output = model(images)
        loss = criterion(output, target)

        # measure accuracy and record loss
        acc1, acc5 = accuracy(output, target, topk=(1, 5))
        losses.update(loss.item(), images.size(0))
        top1.update(acc1[0], images.size(0))
        top5.update(acc5[0], images.size(0))

        # compute gradient and do SGD step
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        # measure elapsed time
        batch_time.update(time.time() - end)
        end = time.time()

        if i % print_freq == 0:
            progress.display(i + 1)


def validate(val_loader, model, criterion, device):
    losses = AverageMeter('Loss', ':.4e', Summary.NONE)
    top1 = AverageMeter('Acc@1', ':6.2f', Summary.AVERAGE)
    top5 = AverageMeter('Acc@5', ':6.2f', Summary.AVERAGE)
    progress = ProgressMeter(len(val_loader), [losses, top1, top5], prefix='Test: ')

    # switch to evaluate mode
    model.eval()

    with torch.no_grad():
        for i, (images, target) in enumerate(val_loader):
            images = images.to(device, non_blocking=True)
            target = target.to(device, non_blocking=True)

            # compute output
            output = model(images)
            loss = criterion(output, target)

            # measure accuracy and record loss
            acc1, acc5 = accuracy(output, target, topk=(1, 5))
            losses.update(loss.item(), images.size(0))
            top1.update(acc1[0], images.size(0))
            top5.update(acc5[0], images.size(0))
            progress.display(i + 1)

    progress.display_summary()

    return top1.avg


torch.manual_seed(0)
device = torch.device("cpu")
num_classes = 10
centers = torch.randn(num_classes, 12) * 1.5
labels = torch.randint(0, num_classes, (160,))
inputs = centers[labels] + torch.randn(160, 12)
train_loader = DataLoader(TensorDataset(inputs[:128], labels[:128]), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(inputs[128:], labels[128:]), batch_size=16, shuffle=False)

model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(inplace=True), nn.Linear(32, num_classes))
criterion = nn.CrossEntropyLoss().to(device)
optimizer = torch.optim.SGD(model.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
scheduler = StepLR(optimizer, step_size=2, gamma=0.1)

out = torch.tensor([[0.1, 0.5, 0.2, 0.9, 0.0, 0.3], [0.8, 0.1, 0.7, 0.2, 0.6, 0.5]])
print(accuracy(out, torch.tensor([1, 0]), topk=(1, 2, 5)))
m = AverageMeter('Acc@1', ':6.2f')
m.update(torch.tensor(50.0), 4)
m.update(torch.tensor(75.0), 4)
print(m, m.summary(), m.avg)

start_epoch = 0
for epoch in range(start_epoch, 3):
    # train for one epoch
    train(train_loader, model, criterion, optimizer, epoch, device)

    # evaluate on validation set
    acc1 = validate(val_loader, model, criterion, device)

    scheduler.step()

    # remember best acc@1 and save checkpoint
    is_best = acc1 > best_acc1
    best_acc1 = max(acc1, best_acc1)
    print(type(acc1).__name__, acc1, best_acc1, is_best, scheduler.get_last_lr())

    save_checkpoint({
        'epoch': epoch + 1,
        'arch': 'mlp',
        'state_dict': model.state_dict(),
        'best_acc1': best_acc1,
        'optimizer': optimizer.state_dict(),
        'scheduler': scheduler.state_dict()
    }, is_best)

print(sorted(f for f in os.listdir('.') if f.endswith('.tar')))

# resume, as `--resume checkpoint.pth.tar` does
loc = 'cpu'
checkpoint = torch.load('checkpoint.pth.tar', map_location=loc)
start_epoch = checkpoint['epoch']
best_acc1 = checkpoint['best_acc1']
model2 = nn.Sequential(nn.Linear(12, 32), nn.ReLU(inplace=True), nn.Linear(32, num_classes))
optimizer2 = torch.optim.SGD(model2.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
scheduler2 = StepLR(optimizer2, step_size=2, gamma=0.1)
model2.load_state_dict(checkpoint['state_dict'])
optimizer2.load_state_dict(checkpoint['optimizer'])
scheduler2.load_state_dict(checkpoint['scheduler'])
print("=> loaded checkpoint '{}' (epoch {})".format('checkpoint.pth.tar', checkpoint['epoch']))
print(best_acc1, optimizer2.param_groups[0]['lr'], scheduler2.last_epoch, list(checkpoint['optimizer']['state'][0].keys()))
print(all(torch.equal(a, b) for a, b in zip(model.parameters(), model2.parameters())))
best = torch.load('model_best.pth.tar', weights_only=True)
print(best['epoch'], best['arch'], sorted(best['scheduler'].keys()))
