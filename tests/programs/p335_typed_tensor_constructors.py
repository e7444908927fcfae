# Typed legacy constructors and .type() conversions as blog posts from 2017 used them:
# uninitialised FloatTensor(2, 3) (only shapes printed), Tensor(2, 3).uniform_(-1, 1), LongTensor
# and ByteTensor from lists, ByteTensor masks, dtype = torch.FloatTensor switches, x.type().
import numpy as np
import torch

torch.manual_seed(42)
a = torch.FloatTensor(2, 3)
b = torch.LongTensor(4)
c = torch.ByteTensor(2, 2)
d = torch.DoubleTensor(torch.Size([3, 1]))
print(a.size(), b.size(), c.size(), d.size(), a.type(), b.type(), c.type(), d.type())
print(torch.FloatTensor().size(), torch.FloatTensor().numel(), torch.Tensor().dim())

w = torch.Tensor(2, 3).uniform_(-1, 1)
print(w)
n = torch.FloatTensor(3).normal_(0, 0.5)
print(n, torch.FloatTensor(2, 2).fill_(0.5), torch.FloatTensor(3).zero_())
print(torch.FloatTensor(2, 2).random_(0, 10), torch.LongTensor(5).random_(3))
print(torch.FloatTensor(4).bernoulli_(0.5), torch.Tensor(2).exponential_().gt(0))

l = torch.LongTensor([[1, 2], [3, 4]])
f = torch.FloatTensor([[1.5, -2.5], [0.25, 8]])
m = torch.ByteTensor([1, 0, 1, 1])
print(l, f, m, l.type(), f.type(), m.type())
print(torch.FloatTensor(np.array([1, 2, 3])), torch.LongTensor(np.arange(3)).type())
print(torch.FloatTensor(torch.Size([2])).shape, torch.IntTensor([7, 8]).type())

# x.type(new_type) and the str form
print(f.type(torch.LongTensor), f.type('torch.DoubleTensor').dtype, l.type(torch.FloatTensor) / 2)
print(f.type(torch.FloatTensor) is f, l.float().type(), l.double().type(), m.long().type())
print(f.int(), f.long(), f.byte() if False else f.abs().byte(), m.float().mean())

# one dtype switch for the whole script, the 0.3 idiom
dtype = torch.FloatTensor
ltype = torch.LongTensor
x = torch.randn(3, 2).type(dtype)
idx = torch.zeros(3).type(ltype)
print(x.type(), idx.type(), x.dtype, idx.dtype, isinstance(x, dtype), isinstance(idx, dtype))

# ByteTensor masks: comparisons used to return ByteTensor, now BoolTensor
v = torch.FloatTensor([-1, 2, -3, 4])
mask = v > 0
print(mask, mask.type(), v[mask], v.masked_select(mask), v.masked_fill(mask, 0))
bmask = torch.ByteTensor([1, 0, 0, 1])
print(v[bmask.bool()], v.masked_fill(bmask.bool(), -9), bmask.sum(), (bmask == 1).type())
print(mask.sum(), mask.float().sum(), mask.long().sum().item(), mask.any(), mask.all())
print((v > 0).type(torch.FloatTensor), (v > 0).byte(), (v > 0).type(torch.ByteTensor).type())

# new(...) and copy_ into preallocated typed buffers
buf = torch.FloatTensor(2, 4)
buf.copy_(torch.arange(8).view(2, 4))
print(buf, buf.new(2).zero_(), buf.new([1, 2]).type(), l.new(3).fill_(1))
print(torch.FloatTensor([[1, 2, 3]]).t().size(), torch.FloatTensor(3, 1).fill_(2).expand(3, 4).sum())
print(torch.Tensor([1, 2]).type(), torch.tensor([1, 2]).type(), torch.Tensor(2, 2).is_contiguous())
