# The errors beginners hit, caught and printed.
import torch
import torch.nn as nn


def show(fn):
    try:
        fn()
        print("no error")
    except Exception as e:
        print(type(e).__name__ + ":", str(e).splitlines()[0])


show(lambda: torch.ones(2, 3) @ torch.ones(2, 3))
show(lambda: torch.matmul(torch.ones(3), torch.ones(4)))
show(lambda: nn.Linear(4, 2)(torch.ones(3, 5)))
show(lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]))
show(lambda: torch.stack([torch.ones(2), torch.ones(3)]))
show(lambda: torch.ones(2, 3).view(4))
show(lambda: torch.ones(2, 3).reshape(4, 2))
show(lambda: torch.ones(2, 3)[2])
show(lambda: torch.ones(3)[torch.tensor([5])])
show(lambda: torch.tensor([1.0], requires_grad=True).add_(1))
show(lambda: torch.ones(2).backward())
show(lambda: torch.tensor([1.0]).backward())
show(lambda: nn.CrossEntropyLoss()(torch.ones(2, 3), torch.tensor([0.0, 1.0])))
show(lambda: nn.CrossEntropyLoss()(torch.ones(2, 3), torch.tensor([0, 3])))
show(lambda: torch.ones(2, 3).transpose(0, 2))
show(lambda: torch.ones(2).sum(dim=1))
show(lambda: torch.ones(2, 2).squeeze(3))
show(lambda: torch.ones(2, 2).permute(0))
show(lambda: torch.zeros(3).expand(2, 4))
show(lambda: torch.tensor([[1, 2], [3]]))
show(lambda: nn.MSELoss()(torch.ones(2), torch.ones(2, dtype=torch.long)))
show(lambda: torch.ones(2, 3).gather(1, torch.tensor([[0.0]])))
show(lambda: torch.tensor([1, 2]).mean())
show(lambda: torch.optim.SGD([], lr=0.1))
show(lambda: torch.optim.Adam(nn.Linear(1, 1).parameters(), lr=-1))
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * x).sum()
y.backward()
show(lambda: y.backward())
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.sigmoid()
b.mul_(2)
show(lambda: b.sum().backward())
c = torch.tensor([3.0], requires_grad=True)
show(lambda: torch.autograd.grad(c * 2, c, torch.ones(1)) and torch.autograd.grad((c * 2).sum(), torch.tensor([1.0], requires_grad=True)))
show(lambda: nn.Conv2d(3, 8, 3)(torch.ones(1, 1, 5, 5)))
show(lambda: torch.ones(2, 3) + torch.ones(3, 2))
show(lambda: nn.Embedding(5, 2)(torch.tensor([5])))
show(lambda: torch.ones(2, 2, dtype=torch.long) @ torch.ones(2, 2))
show(lambda: nn.Linear(2, 2)(torch.ones(1, 2, dtype=torch.float64)))
