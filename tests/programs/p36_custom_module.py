# nn.Module features: containers, named_* iterators, buffers, repr, train/eval, apply.
import torch
import torch.nn as nn
from collections import OrderedDict


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.lin = nn.Linear(d, d)
        self.act = nn.GELU()
        self.register_buffer("scale", torch.tensor(2.0))
        self.register_buffer("tmp", torch.zeros(1), persistent=False)

    def forward(self, x):
        return self.act(self.lin(x)) * self.scale


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(4) for _ in range(2)])
        self.heads = nn.ModuleDict({"cls": nn.Linear(4, 2), "reg": nn.Linear(4, 1)})
        self.seq = nn.Sequential(OrderedDict([("fc", nn.Linear(4, 4)), ("relu", nn.ReLU())]))
        self.alpha = nn.Parameter(torch.ones(1))
        self.plist = nn.ParameterList([nn.Parameter(torch.zeros(2)) for _ in range(2)])

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        x = self.seq(x)
        return self.heads["cls"](x) * self.alpha, self.heads["reg"](x)


model = Model()
print(model)
print([n for n, _ in model.named_parameters()])
print([n for n, _ in model.named_buffers()])
print(list(model.state_dict().keys()))
print([n for n, _ in model.named_children()])
print([n for n, _ in model.named_modules()][:6])
print(sum(p.numel() for p in model.parameters()), len(list(model.modules())))
out_cls, out_reg = model(torch.ones(3, 4))
print(out_cls.shape, out_reg.shape)
print(model.seq.fc, model.seq[0] is model.seq.fc, model.blocks[1].scale, len(model.blocks))
model.blocks.append(Block(4))
print(len(model.blocks), "cls" in model.heads, list(model.heads.keys()))
model.eval()
print(all(not m.training for m in model.modules()))
model.train()
for p in model.blocks.parameters():
    p.requires_grad = False
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
model.requires_grad_(True)
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
print(model.get_submodule("seq.fc"), model.get_parameter("alpha"))
model.zero_grad()
print(hasattr(model, "alpha"), getattr(model.seq, "relu"))
model.add_module("extra", nn.Identity())
print(model.extra(torch.tensor([1.0])), type(model.extra).__name__)
del model.extra
print(hasattr(model, "extra"))
seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
print(seq[0:2], seq[-1], len(seq))
seq.append(nn.Sigmoid())
print(seq)
print(nn.Sequential(*[nn.Linear(2, 2) for _ in range(2)]).__class__.__name__)
print(model.extra_repr(), nn.Linear(3, 4, bias=False).extra_repr(), nn.Conv2d(1, 2, 3).extra_repr())
