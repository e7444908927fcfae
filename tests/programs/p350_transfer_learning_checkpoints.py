# The 2017 transfer-learning tutorial and ImageNet example, shrunk: freezing with
# param.requires_grad = False, replacing the head, optimizing only model.fc.parameters(),
# model.train(False), running_corrects += torch.sum(preds == labels.data), copy.deepcopy of the
# best state_dict, AverageMeter, accuracy(output, target, topk=(1, 3)) with the old
# correct[:k].view(-1) (a RuntimeError now) and the reshape fix, save_checkpoint/resume.
import copy
import os
import shutil
import tempfile

import torch
import torch.nn as nn
import torch.optim as optim
from torch.autograd import Variable
from torch.optim import lr_scheduler

torch.manual_seed(0)


class Backbone(nn.Module):
    def __init__(self, num_classes=10):
        super(Backbone, self).__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 6, 3, padding=1), nn.ReLU(inplace=True),
                                      nn.MaxPool2d(2), nn.Conv2d(6, 8, 3, padding=1),
                                      nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)


model_conv = Backbone()
for param in model_conv.parameters():
    param.requires_grad = False
num_ftrs = model_conv.fc.in_features
model_conv.fc = nn.Linear(num_ftrs, 4)
print(num_ftrs, [n for n, p in model_conv.named_parameters() if p.requires_grad])
criterion = nn.CrossEntropyLoss()
optimizer_conv = optim.SGD(model_conv.fc.parameters(), lr=0.05, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_conv, step_size=2, gamma=0.1)

images = torch.rand(24, 3, 8, 8)
targets = torch.LongTensor(24).random_(0, 4)
images += targets.float().view(-1, 1, 1, 1) * 0.5
dataloaders = {x: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(
    images[s], targets[s]), batch_size=6, shuffle=(x == 'train'))
    for x, s in (('train', slice(0, 18)), ('val', slice(18, 24)))}
dataset_sizes = {x: len(dataloaders[x].dataset) for x in ['train', 'val']}

best_model_wts = copy.deepcopy(model_conv.state_dict())
best_acc = 0.0
for epoch in range(4):
    for phase in ['train', 'val']:
        if phase == 'train':
            model_conv.train(True)
        else:
            model_conv.train(False)
        running_loss = 0.0
        running_corrects = 0
        for data in dataloaders[phase]:
            inputs, labels = data
            inputs, labels = Variable(inputs), Variable(labels)
            optimizer_conv.zero_grad()
            outputs = model_conv(inputs)
            _, preds = torch.max(outputs.data, 1)
            loss = criterion(outputs, labels)
            if phase == 'train':
                loss.backward()
                optimizer_conv.step()
            running_loss += loss.item() * inputs.size(0)
            running_corrects += torch.sum(preds == labels.data)
        if phase == 'train':
            exp_lr_scheduler.step()
        epoch_loss = running_loss / dataset_sizes[phase]
        epoch_acc = running_corrects.double() / dataset_sizes[phase]
        print('{} Loss: {:.4f} Acc: {:.4f}'.format(phase, epoch_loss, epoch_acc))
        if phase == 'val' and epoch_acc > best_acc:
            best_acc = epoch_acc
            best_model_wts = copy.deepcopy(model_conv.state_dict())
print('Best val Acc: {:4f}'.format(best_acc), type(best_acc).__name__, best_acc.dtype)
model_conv.load_state_dict(best_model_wts)


class AverageMeter(object):
    """Computes and stores the average and current value"""

    def __init__(self):
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


def accuracy_old(output, target, topk=(1,)):
    maxk = max(topk)
    batch_size = target.size(0)
    _, pred = output.topk(maxk, 1, True, True)
    pred = pred.t()
    correct = pred.eq(target.view(1, -1).expand_as(pred))
    res = []
    for k in topk:
        correct_k = correct[:k].view(-1).float().sum(0, keepdim=True)
        res.append(correct_k.mul_(100.0 / batch_size))
    return res


def accuracy(output, target, topk=(1,)):
    with torch.no_grad():
        maxk = max(topk)
        batch_size = target.size(0)
        _, pred = output.topk(maxk, 1, True, True)
        pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        return [correct[:k].reshape(-1).float().sum(0, keepdim=True).mul_(100.0 / batch_size)
                for k in topk]


top1, top3 = AverageMeter(), AverageMeter()
model_conv.eval()
for inputs, labels in dataloaders['val']:
    output = model_conv(inputs)
    try:
        accuracy_old(output, labels, topk=(1, 3))
    except RuntimeError as e:
        print('RuntimeError:', str(e)[:60])
    prec1, prec3 = accuracy(output.data, labels, topk=(1, 3))
    top1.update(prec1[0], inputs.size(0))
    top3.update(prec3[0], inputs.size(0))
print(' * Prec@1 {top1.avg:.3f} Prec@3 {top3.avg:.3f}'.format(top1=top1, top3=top3))
print(type(top1.avg).__name__, prec1.shape)

tmp = tempfile.mkdtemp()


def save_checkpoint(state, is_best, filename='checkpoint.pth.tar'):
    filename = os.path.join(tmp, filename)
    torch.save(state, filename)
    if is_best:
        shutil.copyfile(filename, os.path.join(tmp, 'model_best.pth.tar'))


save_checkpoint({'epoch': 4, 'arch': 'backbone', 'state_dict': model_conv.state_dict(),
                 'best_prec1': top1.avg.item(), 'optimizer': optimizer_conv.state_dict()},
                is_best=True)
print(sorted(os.listdir(tmp)))
resume = os.path.join(tmp, 'model_best.pth.tar')
if os.path.isfile(resume):
    print("=> loading checkpoint '{}'".format(os.path.basename(resume)))
    checkpoint = torch.load(resume)
    start_epoch = checkpoint['epoch']
    best_prec1 = checkpoint['best_prec1']
    fresh = Backbone(num_classes=4)
    fresh.load_state_dict(checkpoint['state_dict'])
    opt2 = optim.SGD(fresh.fc.parameters(), lr=0.05, momentum=0.9)
    opt2.load_state_dict(checkpoint['optimizer'])
    print("=> loaded checkpoint (epoch {})".format(checkpoint['epoch']), round(best_prec1, 3))
    print(torch.equal(fresh(images[:2]), model_conv(images[:2])), opt2.param_groups[0]['lr'],
          len(opt2.state_dict()['state']))
shutil.rmtree(tmp)
