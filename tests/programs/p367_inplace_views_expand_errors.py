# In-place ops on views and on expanded tensors; setitem casting rules
import torch

base = torch.arange(6.).view(2, 3)
b = base.clone()
b[:, 1:][0].fill_(9)
print(b)
w = torch.ones(2, 2)
w.view(-1)[1].add_(1)
print(w)
print(base.clone().t_(), base.clone().transpose_(0, 1).stride())
print(torch.zeros(1, 3).squeeze_().shape, torch.zeros(3).unsqueeze_(0).shape)

# writing into an expanded tensor is refused (several elements share one memory location)
e = torch.zeros(3, 1).expand(3, 4)
writes = [
    ("add_", lambda: e.add_(1)),
    ("mul_", lambda: e.mul_(2)),
    ("add_ tensor", lambda: e.add_(torch.ones(3, 4))),
    ("copy_", lambda: e.copy_(torch.ones(3, 4))),
    ("setitem", lambda: e.__setitem__(0, 1.)),
    ("clamp_", lambda: e.clamp_(0, 1)),
    ("sigmoid_", lambda: e.sigmoid_()),
    ("relu_", lambda: e.relu_()),
]
for name, fn in writes:
    try:
        fn()
        print(name, "ok")
    except RuntimeError as err:
        print(name, "RuntimeError:", err)
print(e)
# the usual fix
e2 = e.clone()
e2.add_(1)
print(e2, e2.is_contiguous())

# setitem casts like torch
t = torch.zeros(2, dtype=torch.long)
t[0] = 2.9
print(t)
u = torch.zeros(2, dtype=torch.uint8)
try:
    u[0] = 300
except RuntimeError as err:
    print("RuntimeError:", err)
u[1] = 255
print(u)
i = torch.zeros(2, dtype=torch.int32)
i[:] = torch.tensor([1.9, -1.9])
print(i)
f = torch.zeros(2, 2)
try:
    f[:] = [[1, 2], [3, 4]]
except TypeError as err:
    print("TypeError:", err)
f[:] = torch.tensor([[1, 2], [3, 4]])
print(f)
try:
    torch.zeros(3, dtype=torch.long).index_put_((torch.tensor([1]),), torch.tensor([2.7]))
except RuntimeError as err:
    print("RuntimeError:", err)
print(torch.zeros(2, 2).index_put_((torch.tensor([0, 0]), torch.tensor([1, 1])), torch.tensor([1., 2.]), accumulate=True))
print(torch.zeros(3).index_put_((torch.tensor([True, False, True]),), torch.tensor(2.)))
print(torch.where(torch.tensor([[True], [False]]), torch.arange(3), torch.tensor(-1)))
print(torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor(0.5)))
try:
    torch.zeros(2, dtype=torch.int8).masked_fill(torch.tensor([True, False]), 300)
except RuntimeError as err:
    print("RuntimeError:", err)
print(torch.zeros(2, dtype=torch.long).fill_(2.7), torch.full((2,), 2.7, dtype=torch.long))
print(torch.tensor([100], dtype=torch.int8) * 2, torch.tensor([1], dtype=torch.uint8) - torch.tensor([2], dtype=torch.uint8))
print(torch.tensor([2]) ** torch.tensor([2]), 2.5 ** torch.tensor([2]))
try:
    torch.tensor([2]) ** -1
except RuntimeError as err:
    print("RuntimeError:", err)
