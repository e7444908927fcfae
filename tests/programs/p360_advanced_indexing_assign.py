# Advanced / boolean / mixed indexing and assignment idioms
import torch

torch.manual_seed(0)
x = torch.arange(24).reshape(2, 3, 4)
print(x[[0, 1], :, [1, 2]])
print(x[:, [0, 2]][..., [3, 0]])
print(x[1, [2, 0], 1:3])
print(x[[[0], [1]], [[0, 2]]].shape)
print(x[:, [True, False, True]])
print(x[x % 5 == 0])
print(x[..., None, 1].shape, x[None, ..., 0].shape)
print(x[:, 1:, [0, -1]])
print(x[torch.tensor([1]), torch.tensor([[0], [2]])].shape)
idx = torch.tensor([[0, 1], [1, 0]])
print(x[idx].shape)
print(x[0][idx])
print(x[0, idx, idx])
m = torch.tensor([[True, False, True], [False, True, False]])
print(x[m])
print(x[m].shape, x[m, 1:3])
print(x[:, :, torch.tensor(2)])
print(x[torch.tensor(1)].shape)
print(x[torch.tensor(True)].shape, x[True].shape, x[False].shape)
print(x[1:, ..., ::2])

# assignment
y = torch.zeros(3, 5)
y[[0, 2], [1, 3]] = torch.tensor([7., 8.])
y[1, 1:4] = 2
y[y == 0] = -1
print(y)
y[:, [0, 4]] = torch.tensor([[10.], [20.], [30.]])
print(y)
y[torch.tensor([True, False, True])] = 0.5
print(y)
z = torch.zeros(4, dtype=torch.long)
z[torch.tensor([0, 0, 2])] = torch.tensor([1, 2, 3])
print(z)
z[[1, 3]] += 5
print(z)
w = torch.zeros(5)
w.index_put_((torch.tensor([0, 0, 1, 4, 4, 4]),), torch.tensor([1., 2., 3., 4., 5., 6.]), accumulate=True)
print(w)
w2 = torch.zeros(2, 3)
w2.index_put_((torch.tensor([0, 1, 0]), torch.tensor([2, 2, 2])), torch.tensor(1.5), accumulate=True)
print(w2)
w3 = torch.index_put(torch.ones(3), (torch.tensor([2]),), torch.tensor([9.]))
print(w3)
# negative step via flip
a = torch.arange(10)
print(a.flip(0)[::3])
print(torch.flip(x, [0, 2])[0])
print(x.flip(-1).is_contiguous(), a.flip(0).stride())
print(torch.fliplr(torch.arange(6).view(2, 3)), torch.flipud(torch.arange(6).view(2, 3)))
try:
    a[::-1]
except ValueError as e:
    print("ValueError", e)
# index with long tensors out of range
try:
    a[torch.tensor([10])]
except IndexError as e:
    print("IndexError", e)
try:
    a[12]
except IndexError as e:
    print("IndexError", e)
try:
    x[:, [True, False]]
except IndexError as e:
    print("IndexError", e)
# setitem with broadcast and dtype conversion
b = torch.zeros(2, 3, dtype=torch.int32)
b[:] = torch.tensor([1.7, -2.7, 3.2])
print(b, b.dtype)
b[0] = 9
print(b)
c = torch.zeros(3, 4)
c[:, 1] = torch.arange(3)
c[..., -1] = torch.tensor(5)
print(c)
c[1:, :2] = torch.ones(2, 2) * 3
print(c)
# ellipsis + None combos
print(x[None, :, None, 1].shape)
print(x[..., 1:2, None].shape)
# index_select/take/take_along_dim
print(torch.index_select(x, 2, torch.tensor([3, 1])))
print(torch.take(x, torch.tensor([[0, 23], [5, 7]])))
print(torch.take_along_dim(x, torch.tensor([[[0]], [[3]]]), dim=2).squeeze(-1))
print(torch.take_along_dim(torch.tensor([[3, 1, 2]]), torch.tensor([[2, 0]])))
