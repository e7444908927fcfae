# Indexing and in-place mistakes, the way they show up while writing data-munging code: out of
# range indices in plain / fancy / gather / scatter / index_select / embedding code, dtype
# clashes in in-place ops and index_put, broadcast errors of in-place ops, and the autograd
# errors of in-place writes to tensors that backward still needs.
import torch
import torch.nn.functional as F


def attempt(title, fn):
    try:
        out = fn()
        print(f"ok   {title}: {out}")
    except (IndexError, RuntimeError, TypeError, ValueError) as e:
        print(f"{type(e).__name__:12s} {title}: {e}")


torch.manual_seed(0)
t = torch.arange(12.0).view(3, 4)
attempt("row out of range", lambda: t[3])
attempt("negative out of range", lambda: t[-4])
attempt("column out of range", lambda: t[:, 4])
attempt("too many indices", lambda: t[0, 1, 2])
attempt("fancy out of range", lambda: t[torch.tensor([0, 3])])
attempt("fancy negative ok", lambda: t[torch.tensor([-1, 0])][:, 0].tolist())
attempt("bool mask wrong shape", lambda: t[torch.tensor([True, False])])
attempt("bool mask ok", lambda: t[t > 9].tolist())
attempt("float index", lambda: t[1.0])
attempt("list of floats", lambda: t[[0.0, 1.0]])
attempt("slice step 0", lambda: t[::0])
attempt("negative step", lambda: t[::-1])
attempt("ellipsis twice", lambda: t[..., ...])
attempt("None and ellipsis", lambda: t[None, ..., 1].shape)
attempt("gather out of range", lambda: t.gather(1, torch.tensor([[0, 4]])))
attempt("gather wrong ndim", lambda: t.gather(1, torch.tensor([0, 1])))
attempt("scatter_ out of range", lambda: torch.zeros(3).scatter_(0, torch.tensor([5]), 1.0))
attempt("index_select out of range", lambda: t.index_select(0, torch.tensor([3])))
attempt("index_select 2-D index", lambda: t.index_select(0, torch.tensor([[0]])))
attempt("take out of range", lambda: t.take(torch.tensor([12])))
attempt("narrow too long", lambda: t.narrow(1, 2, 3))
attempt("select dim", lambda: t.select(2, 0))
attempt("embedding index", lambda: F.embedding(torch.tensor([3]), torch.randn(3, 2)))
attempt("one_hot too small", lambda: F.one_hot(torch.tensor([0, 3]), 3))
attempt("one_hot float", lambda: F.one_hot(torch.tensor([0.0, 1.0])))

i = torch.arange(4)
attempt("add_ float into long", lambda: i.add_(0.5))
attempt("mul_ float into long", lambda: i.mul_(torch.tensor(1.5)))
attempt("div_ into long", lambda: i.div_(2))
attempt("floor_divide_ ok", lambda: i.clone().floor_divide_(2).tolist())
attempt("in-place broadcast grows", lambda: torch.zeros(3).add_(torch.ones(2, 3)))
attempt("in-place broadcast ok", lambda: torch.zeros(2, 3).add_(torch.ones(3)).sum().item())
attempt("copy_ broadcast", lambda: torch.zeros(2, 3).copy_(torch.arange(3)).tolist())
attempt("copy_ bad shape", lambda: torch.zeros(2, 3).copy_(torch.ones(2)))
attempt("setitem bad shape", lambda: t.clone().__setitem__((slice(None), 0), torch.ones(2)))
attempt("setitem float into long", lambda: (lambda a: (a.__setitem__(0, 2.7), a.tolist())[1])(torch.zeros(3, dtype=torch.long)))
attempt("index_put_ dtype", lambda: torch.zeros(3).index_put_((torch.tensor([0]),), torch.tensor([1], dtype=torch.long)))
attempt("index_add_ dtype", lambda: torch.zeros(3).index_add_(0, torch.tensor([0]), torch.ones(1, dtype=torch.float64)))
attempt("masked_fill_ float mask", lambda: torch.zeros(3).masked_fill_(torch.tensor([1.0, 0.0, 1.0]), 2.0))
attempt("masked_fill_ bad shape", lambda: torch.zeros(3).masked_fill_(torch.ones(2, 3, dtype=torch.bool), 2.0))
attempt("masked_scatter_", lambda: torch.zeros(4).masked_scatter_(torch.tensor([True, False, True, False]), torch.tensor([7.0, 8.0])).tolist())
attempt("where mixed dtypes", lambda: torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor([0.5, 0.5])))
attempt("clamp_ long with float", lambda: torch.arange(5).clamp_(min=1.5))
attempt("fill_ with tensor", lambda: torch.zeros(2).fill_(torch.tensor([1.0, 2.0])))
attempt("unsqueeze_ then squeeze_", lambda: torch.zeros(3).unsqueeze_(0).squeeze_(0).shape)
attempt("resize_ grows a view into its storage", lambda: t.view(12)[2:6].resize_(2, 3).tolist())
attempt("resize_ of a strided view", lambda: t[:, ::2].clone()[::2].resize_(2).tolist())
attempt("resize_ of a grad tensor", lambda: torch.ones(2, requires_grad=True).resize_(3))

x = torch.ones(3, requires_grad=True)
attempt("write into leaf view", lambda: x[0].mul_(2))
y = x.exp()
z = y * 2
y.add_(1)  # exp saved its output
attempt("backward after modifying exp output", lambda: z.sum().backward() if False else (y.sum() * 1).backward() or x.grad.tolist())
w = x * 1
s = w.sigmoid()
w.mul_(3)
attempt("sigmoid input modified (fine)", lambda: (s.sum().backward(), x.grad.tolist())[1])
u = x.clone()
v = u.pow(2)
u[1] = 10.0
attempt("pow input modified", lambda: v.sum().backward())
base = torch.zeros(4, requires_grad=True).clone()
view = base[:2]
view.add_(x[:2])
print("grad_fn after view write", base.grad_fn.name(), view.grad_fn.name())
base.sum().backward()
print("x.grad", x.grad.tolist())
detached = x.detach()
attempt("in-place on detached shares data", lambda: (detached.zero_(), x.tolist())[1])
attempt("backward after zeroing through detach", lambda: (x * x).sum().backward() or x.grad.tolist())
