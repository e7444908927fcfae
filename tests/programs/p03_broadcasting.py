# Broadcasting puzzles.
import torch

a = torch.arange(3).reshape(3, 1)
b = torch.arange(4)
print((a + b).shape)
print(a + b)
print(a * b)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
mean = x.mean(dim=0)
std = x.std(dim=0)
print(mean, std)
print((x - mean) / std)
print(x - x.mean(dim=1, keepdim=True))
# pairwise squared distances
p = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
d = ((p[:, None, :] - p[None, :, :]) ** 2).sum(-1)
print(d)
print(torch.cdist(p, p))
# outer product by broadcasting
u = torch.tensor([1, 2, 3])
v = torch.tensor([10, 20])
print(u.unsqueeze(1) * v.unsqueeze(0))
print(torch.outer(u, v))
print(torch.broadcast_shapes((2, 1, 3), (4, 1)))
print(torch.broadcast_tensors(torch.zeros(2, 1), torch.zeros(3))[0].shape)
print(torch.ones(2, 3, 4).sum(dim=(0, 2)))
print((torch.ones(5, 1, 4) + torch.ones(3, 1)).shape)
try:
    torch.ones(2, 3) + torch.ones(4)
except RuntimeError as e:
    print("RuntimeError:", e)
print(x.expand(2, 3, 2).shape)
print(torch.tensor([1, 2, 3]).expand(2, -1))
print(torch.tensor([[1], [2]]).repeat(1, 3))
print(torch.where(x > 3, x, torch.zeros(1)))
m = torch.tensor([[1, 2], [3, 4]])
print(m + torch.tensor([10, 20]))
print(m + torch.tensor([[10], [20]]))
