# view / reshape / size / contiguous: the shape manipulation in every forward().
import torch

x = torch.arange(24)
print(x.view(2, 12).shape, x.view(-1, 4).shape, x.view(2, 3, 4).size(), x.view(-1).shape)
y = x.view(4, 6)
print(y.size(0), y.size(1), y.size(-1), y.size(), y.shape[1:], y.shape[-1], len(y))
y[0, 0] = 100
print(x[0])
z = y.t()
print(z.is_contiguous(), z.contiguous().is_contiguous(), z.reshape(-1)[:5])
try:
    z.view(-1)
except RuntimeError as e:
    print("RuntimeError:", e)
print(z.contiguous().view(-1)[:5])
batch = torch.zeros(8, 3, 4, 4)
print(batch.view(batch.size(0), -1).shape, batch.flatten(start_dim=1).shape)
print(batch.reshape(8, -1).shape, batch.numel(), batch.dim(), batch.stride(), y.stride(), z.stride())
print(y.storage_offset(), y[1:].storage_offset(), y.data_ptr() == x.data_ptr())
print(y.view_as(torch.zeros(6, 4)).shape, y.reshape_as(torch.zeros(24)).shape, x.view(2, -1, 3).shape)
print(batch.permute(0, 2, 3, 1).shape, batch.transpose(1, 3).shape, batch.movedim(1, -1).shape)
print(x.view(2, 3, 4)[:, None, :, 1].shape, x.unsqueeze(1).expand(24, 3).shape)
print(torch.zeros(3, 1, 2).squeeze().shape, torch.zeros(3, 1, 2).squeeze(1).shape, torch.zeros(1).squeeze().shape)
h = torch.arange(12.0).view(3, 4)
print(h.view(3, 2, 2).sum(-1), h.unfold(1, 2, 2).shape)
b, c = h.shape
print(b, c, *h.shape)
n = x.shape[0] // 2
print(n, x[:n].shape, type(x.size(0)).__name__, type(x.shape[0]).__name__)
print(x.view(torch.Size([4, 6])).shape, x.view((3, 8)).shape, x.new_empty(y.shape).shape)
try:
    x.view(5, 5)
except RuntimeError as e:
    print("RuntimeError:", e)
q = torch.arange(6).view(2, 3)
q2 = q.view(3, 2)
q2[0, 0] = -1
print(q)
print(torch.arange(8).view(2, 2, 2).transpose(0, 2).reshape(4, 2))
print(torch.arange(6).expand(2, 6).contiguous().stride(), torch.zeros(2, 3).T.shape)
print(h.mT.shape, h.chunk(2, dim=1)[1], h.split(1, 0)[2])
