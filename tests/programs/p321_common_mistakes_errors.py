# The mistakes everyone makes, caught and printed: matmul shape mismatch, broadcasting
# failure, float index tensors, backward twice, backward of a non-scalar, grad of a tensor
# that does not require grad, in-place on a leaf, .numpy() on a tensor requiring grad,
# view on non-contiguous, wrong dtype for cross_entropy targets, dim errors.
import torch
import torch.nn as nn
import torch.nn.functional as F


def attempt(label, fn):
    try:
        out = fn()
        print(f"{label}: ok -> {out}")
    except (RuntimeError, IndexError, ValueError, TypeError) as e:
        print(f"{label}: {type(e).__name__}: {e}")


a = torch.ones(2, 3)
b = torch.ones(2, 3)
attempt("matmul", lambda: a @ b)
attempt("mm", lambda: torch.mm(a, b))
attempt("bmm", lambda: torch.bmm(torch.ones(2, 3, 4), torch.ones(3, 4, 5)))
attempt("broadcast", lambda: a + torch.ones(4))
attempt("linear in_features", lambda: nn.Linear(4, 2)(a))
attempt("cat", lambda: torch.cat([a, torch.ones(2, 4)], 0))
attempt("stack", lambda: torch.stack([a, torch.ones(3, 2)]))
attempt("float index", lambda: a[torch.tensor([0.0, 1.0])])
attempt("index out of range", lambda: a[5])
attempt("index_select dtype", lambda: torch.index_select(a, 0, torch.tensor([0.0])))
attempt("gather dtype", lambda: torch.gather(a, 1, torch.tensor([[0, 1]], dtype=torch.int32)))
attempt("view non-contiguous", lambda: a.t().view(6))
attempt("reshape ok", lambda: a.t().reshape(6).shape)
attempt("view bad size", lambda: a.view(4, 2))
attempt("dim out of range", lambda: a.sum(dim=2))
attempt("squeeze dim", lambda: a.transpose(0, 5))

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * x).sum()
y.backward()


def twice():
    y.backward()


attempt("backward twice", twice)
attempt("non-scalar backward", lambda: (x * 2).backward())
attempt("grad of no-grad tensor", lambda: torch.autograd.grad(torch.ones(2).sum(), torch.ones(2)))
attempt("no grad_fn", lambda: torch.ones(2).sum().backward())
attempt("in-place on leaf", lambda: x.add_(1))
attempt("numpy with grad", lambda: x.numpy())
attempt("item of many", lambda: x.item())
attempt("unused input", lambda: torch.autograd.grad((x * 2).sum(), [x, torch.ones(1, requires_grad=True)]))


def inplace_after_save():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    h = w.exp()
    z = h.sum() * 1
    h.mul_(2)
    out = (h * w).sum()
    h2 = torch.sigmoid(w)
    h2.add_(1)
    return z, out, torch.autograd.grad(h2.sum(), w)


attempt("sigmoid then in-place", inplace_after_save)

logits = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))
attempt("cross_entropy float target shape", lambda: F.cross_entropy(logits, torch.tensor([0.0, 1.0, 2.0, 1.0])))
attempt("cross_entropy int32 target", lambda: F.cross_entropy(logits, torch.tensor([0, 1, 2, 1], dtype=torch.int32)).dtype)
attempt("cross_entropy class out of range", lambda: F.cross_entropy(logits, torch.tensor([0, 1, 5, 1])))
attempt("nll wrong batch", lambda: F.nll_loss(logits, torch.tensor([0, 1])))
attempt("mse shape warning-free", lambda: F.mse_loss(torch.ones(3), torch.zeros(3)).item())
attempt("conv2d 3d input ok", lambda: nn.Conv2d(1, 2, 3)(torch.ones(1, 5, 5)).shape)
attempt("conv2d channel mismatch", lambda: nn.Conv2d(3, 2, 3)(torch.ones(1, 1, 5, 5)))
attempt("embedding float", lambda: nn.Embedding(5, 2)(torch.tensor([1.0])))
attempt("embedding out of range", lambda: nn.Embedding(5, 2)(torch.tensor([7])))
attempt("int tensor mean", lambda: torch.tensor([1, 2, 3]).mean())
attempt("requires_grad int", lambda: torch.tensor([1, 2], requires_grad=True))
attempt("randint high<=low", lambda: torch.randint(5, 5, (2,)))
attempt("topk too big", lambda: torch.topk(torch.ones(3), 4))
attempt("expand", lambda: torch.ones(2, 3).expand(4, 3))
attempt("load_state_dict", lambda: nn.Linear(2, 2).load_state_dict({"weight": torch.ones(3, 2), "bias": torch.ones(2)}))
attempt("optimizer empty", lambda: torch.optim.SGD([], lr=0.1))
attempt("optimizer negative lr", lambda: torch.optim.Adam([x], lr=-1))
attempt("split sizes", lambda: torch.ones(5).split([2, 2]))
attempt("scatter index dtype", lambda: torch.zeros(3).scatter_(0, torch.tensor([0.0]), 1.0))
attempt("bool sub", lambda: torch.tensor([True]) - torch.tensor([False]))
attempt("int pow negative", lambda: torch.tensor([2]) ** -1)
