# The import forms seen in real code.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.init as init
import torch.optim as optim
import torch.utils.data as data_utils
from torch import Tensor, nn as nn2, optim as optim2
from torch.autograd import Function, Variable, grad
from torch.nn import Module, Parameter, Sequential, functional
from torch.nn.init import xavier_uniform_, zeros_
from torch.nn.modules.loss import _Loss
from torch.nn.modules.utils import _pair
from torch.nn.parameter import Parameter as P2
from torch.nn.utils import clip_grad_norm_
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence
from torch.optim import Adam, lr_scheduler
from torch.optim.lr_scheduler import LambdaLR, _LRScheduler
from torch.optim.optimizer import Optimizer
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.dataset import Subset, TensorDataset
from torch.utils.data.sampler import SubsetRandomSampler, Sampler

print(nn is nn2, optim is optim2, Parameter is P2, functional is F)
print(_pair(3), _pair((1, 2)))


class MyLoss(_Loss):
    def __init__(self):
        super().__init__(reduction="mean")

    def forward(self, input, target):
        return ((input - target).abs() ** 3).mean()


print(MyLoss()(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0])), MyLoss().reduction)


class WarmupScheduler(_LRScheduler):
    def __init__(self, optimizer, warmup, last_epoch=-1):
        self.warmup = warmup
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        factor = min(1.0, (self.last_epoch + 1) / self.warmup)
        return [base_lr * factor for base_lr in self.base_lrs]


model = nn.Linear(2, 2)
opt = Adam(model.parameters(), lr=0.1)
sched = WarmupScheduler(opt, warmup=4)
lrs = []
for _ in range(6):
    opt.step()
    sched.step()
    lrs.append(round(opt.param_groups[0]["lr"], 4))
print(lrs)


class EveryOther(Sampler):
    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(0, len(self.data_source), 2))

    def __len__(self):
        return (len(self.data_source) + 1) // 2


ds = TensorDataset(torch.arange(10))
print([b[0].tolist() for b in DataLoader(ds, batch_size=2, sampler=EveryOther(ds))])
print(sorted(i for b in DataLoader(ds, sampler=SubsetRandomSampler([1, 3, 5])) for i in b[0].tolist()))
print(isinstance(torch.ones(1), Tensor), Tensor.__name__)


def typed(x: Tensor, y: torch.Tensor) -> Tensor:
    return x + y


print(typed(torch.ones(1), torch.ones(1)))
print(grad(torch.tensor(2.0, requires_grad=True) ** 2, []) if False else "ok")
print(data_utils.TensorDataset is TensorDataset, torch.nn.modules.module.Module is Module)
print(torch.nn.modules.linear.Linear is nn.Linear, torch.nn.modules.conv.Conv2d is nn.Conv2d)
print(torch.utils.data.dataloader.DataLoader is DataLoader, torch.optim.sgd.SGD is optim.SGD if hasattr(torch.optim, "sgd") else True)
