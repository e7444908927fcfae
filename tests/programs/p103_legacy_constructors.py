# Old tutorial idioms: typed constructors, Variable, .data, new_* helpers, type_as, numpy round trips.
import numpy as np
import torch
from torch.autograd import Variable

x = torch.FloatTensor(3, 4).zero_()
print(x, x.type(), x.is_contiguous())
y = torch.LongTensor(2, 3).fill_(7)
print(y, y.type())
z = torch.arange(6).type(torch.FloatTensor).view(2, 3)
print(z, z.type(torch.DoubleTensor).dtype, z.type("torch.IntTensor"))
print(z.type(torch.int64).dtype, z.type(), z.long().type())
v = Variable(z, requires_grad=True)
print(v.requires_grad, v.is_leaf, isinstance(v, torch.Tensor))
w = v * 2
w.sum().backward()
print(v.grad)
print(x.new_zeros(2), x.new_ones((2, 2)).dtype, y.new_full((2,), 3), y.new_tensor([1.5, 2.5]))
print(y.new_empty(3, 1).shape, z.new(2).shape, z.new().numel())
a = torch.tensor([1, 2, 3])
b = torch.tensor([0.5, 0.25, 0.125], dtype=torch.float64)
print(a.type_as(b), a.type_as(b).dtype, b.type_as(a))
t = torch.ones(2, 2, requires_grad=True) * 3
arr = t.detach().cpu().numpy()
print(type(arr).__name__, arr.dtype, arr.tolist())
arr[0, 0] = 100.0
print(t)
print(torch.ByteTensor([0, 1, 255]).sum(), torch.CharTensor([-1, 2]).type(), torch.ShortTensor([1]).dtype)
print(torch.HalfTensor([1.5]).dtype, torch.DoubleTensor(2, 2).zero_().sum())
m = torch.Tensor([[1, 2], [3, 4]])
print(m.type(), m.data, m.data.shape, m.size(), m.size(1), m.dim(), m.ndimension(), m.nelement())
print(torch.is_tensor(m), torch.is_floating_point(m), torch.numel(m), m.storage_offset())
n = np.arange(6, dtype=np.int32).reshape(2, 3)
tn = torch.from_numpy(n)
print(tn.dtype, tn, torch.as_tensor(n, dtype=torch.float32))
n[0, 0] = 42
print(tn[0, 0].item(), torch.tensor(n)[0, 0].item())
print(m.float().div_(2), m.int().float().mean(), m.cpu().clone().numpy().sum())
print(x.resize_(2, 6).shape, x.view_as(torch.empty(6, 2)).shape, x.expand_as(torch.empty(3, 2, 6)).shape)
