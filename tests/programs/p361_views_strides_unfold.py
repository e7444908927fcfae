# views, strides, contiguity, as_strided, unfold
import torch

x = torch.arange(12.)
v = x.view(3, 4)
print(v.stride(), v.is_contiguous(), v.storage_offset())
t = v.t()
print(t.stride(), t.is_contiguous(), t.shape)
try:
    t.view(12)
except RuntimeError as e:
    print("RuntimeError:", e)
print(t.reshape(12))
print(t.contiguous().view(-1))
print(v[1:, 2:].storage_offset(), v[1:, 2:].stride(), v[:, 1].stride(0))
print(v[1].storage_offset(), v[:, ::2].stride(), v[:, ::2].is_contiguous())
print(v.stride(1), v.stride(-2))
s = v[:, 1:3]
print(s.view(3, 2, 1).shape)
try:
    s.view(6)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    v.view(5, -1)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    v.view(-1, -1)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    v.reshape(7, 2)
except RuntimeError as e:
    print("RuntimeError:", e)
print(v.view(2, 2, 3).permute(2, 0, 1).stride())
p = v.view(2, 2, 3).permute(2, 0, 1)
print(p.is_contiguous(), p.contiguous().stride())
print(v.unsqueeze(1).stride(), v.unsqueeze(-1).stride(), v.unsqueeze(0).stride())
print(v.expand(2, 3, 4).stride(), v[:, :1].expand(3, 5).stride())
print(torch.zeros(1, 3).expand(4, 3).is_contiguous())
# as_strided
a = torch.arange(9.)
print(a.as_strided((3, 3), (1, 3)))
print(torch.as_strided(a, (2, 2), (3, 1), 4))
print(a.as_strided((4, 3), (2, 1)))
win = a.as_strided((a.numel() - 2, 3), (1, 1))
print(win.sum(1))
# unfold
print(a.unfold(0, 3, 2))
print(a.unfold(0, 4, 4).shape)
img = torch.arange(16.).view(1, 4, 4)
patches = img.unfold(1, 2, 2).unfold(2, 2, 2)
print(patches.shape, patches.stride())
print(patches.reshape(-1, 4))
print(torch.arange(10).unfold(0, 3, 3).stride())
# narrow, select, movedim
print(v.narrow(1, 1, 2), v.narrow(0, -1, 1))
print(v.select(1, -1), torch.movedim(torch.zeros(2, 3, 4), 0, -1).shape)
print(torch.moveaxis(torch.zeros(2, 3, 4), (0, 1), (2, 0)).stride())
print(v.swapaxes(0, 1).shape, v.mT.stride())
# in-place on views
base = torch.zeros(3, 4)
row = base[1]
row += 1
base[:, 2].mul_(0).add_(7)
diag = base.diagonal()
diag.fill_(-1)
print(base)
col = base.t()[0]
col.copy_(torch.tensor([4., 5., 6.]))
print(base)
base.view(-1)[::5] = 9
print(base)
u = base.unfold(1, 2, 2)
u[..., 0] = 0
print(base)
print(base.diagonal(offset=1).stride(), base.diagonal(offset=1).storage_offset())
# chunk/split views
parts = torch.arange(10).split([3, 7])
print([p.storage_offset() for p in parts], [p.shape for p in parts])
ch = torch.arange(10).chunk(4)
print([c.tolist() for c in ch])
print([c.tolist() for c in torch.arange(5).chunk(6)])
print([c.shape for c in torch.tensor_split(torch.arange(10), 3)])
print([c.tolist() for c in torch.tensor_split(torch.arange(10), [2, 5])])
ub = torch.arange(6).view(2, 3).unbind(1)
print(ub)
# data_ptr based sharing checks
q = torch.arange(6)
r = q.view(2, 3)
print(q.data_ptr() == r.data_ptr(), q.untyped_storage().data_ptr() == r[1].untyped_storage().data_ptr())
print(r[1].data_ptr() - q.data_ptr())
print(torch.empty(0).stride(), torch.tensor(3.).stride(), torch.zeros(2, 0, 3).stride())
print(torch.zeros(3, 1, 2).squeeze().stride(), torch.zeros(4, 1).t().is_contiguous())
print(torch.arange(6).view(3, 2).T.contiguous().is_contiguous())
print(torch.zeros(2, 3, 4).transpose(0, 2).flatten(1).shape)
print(torch.zeros(2,3,4).permute(0,2,1).flatten().is_contiguous())
print(torch.arange(8).view(2, 4)[:, ::2].flatten())
