# Custom modules with extra_repr and __repr__, nested printing, and filtering parameters by
# name for weight-decay groups and freezing (patterns from training scripts and timm).
import torch
import torch.nn as nn


class ScaledLinear(nn.Module):
    def __init__(self, in_features, out_features, scale=1.0, bias=True):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.scale = scale
        self.weight = nn.Parameter(torch.ones(out_features, in_features))
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None
        self.register_buffer("calls", torch.zeros((), dtype=torch.long))

    def forward(self, x):
        self.calls += 1
        out = x @ self.weight.t() * self.scale
        return out if self.bias is None else out + self.bias

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"scale={self.scale}, bias={self.bias is not None}")


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.proj = ScaledLinear(dim, dim, scale=0.5)
        self.act = nn.GELU(approximate="tanh")
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        return x + self.drop(self.act(self.proj(self.norm(x))))


class Tagged(nn.Module):
    """A module with its own __repr__ instead of extra_repr."""

    def __init__(self, tag):
        super().__init__()
        self.tag = tag

    def forward(self, x):
        return x

    def __repr__(self):
        return f"Tagged<{self.tag}>"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 4)
        self.blocks = nn.ModuleList([Block(4) for _ in range(2)])
        self.heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "reg": ScaledLinear(4, 1, bias=False)})
        self.tag = Tagged("v1")
        self.pos = nn.Parameter(torch.zeros(1, 5, 4))
        self.empty = nn.Sequential()
        self.identity = nn.Identity()

    def forward(self, ids):
        h = self.embed(ids) + self.pos
        for b in self.blocks:
            h = b(h)
        h = self.tag(h)
        return self.heads["cls"](h), self.heads["reg"](h)


net = Net()
print(net)
print(net.blocks[0].proj)
print(repr(net.heads))
print(ScaledLinear(2, 3, scale=2.5, bias=False))
print(nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Tanh())))
print(nn.ModuleList())
print(nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.ones(3, 2))]))
print(nn.ParameterDict({"a": nn.Parameter(torch.ones(1))}))

names = [n for n, _ in net.named_parameters()]
print(len(names))
print(names)
print([n for n, _ in net.named_buffers()])
print([n for n, _ in net.named_modules()][:8])
print([n for n, _ in net.named_children()])

# weight decay only on matrices, not on biases, norms, embeddings or positional params
decay, no_decay = [], []
for n, p in net.named_parameters():
    if not p.requires_grad:
        continue
    if p.ndim < 2 or "norm" in n or n.endswith(".bias") or n in {"pos"} or n.startswith("embed"):
        no_decay.append(n)
    else:
        decay.append(n)
print("decay:", decay)
print("no_decay:", no_decay)
opt = torch.optim.AdamW([
    {"params": [p for n, p in net.named_parameters() if n in decay], "weight_decay": 0.05},
    {"params": [p for n, p in net.named_parameters() if n in no_decay], "weight_decay": 0.0},
], lr=1e-3)
print([len(g["params"]) for g in opt.param_groups], [g["weight_decay"] for g in opt.param_groups])

# freeze everything but the heads, count trainable parameters
for n, p in net.named_parameters():
    p.requires_grad_(n.startswith("heads"))
trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
total = sum(p.numel() for p in net.parameters())
print(f"trainable {trainable} / {total}")
print([n for n, p in net.named_parameters() if p.requires_grad])

# named_parameters with prefix, recurse=False and remove_duplicate
print([n for n, _ in net.blocks[0].named_parameters(prefix="blocks.0")])
print([n for n, _ in net.named_parameters(recurse=False)])
shared = nn.Sequential(net.heads["cls"], net.heads["cls"])
print(len(list(shared.named_parameters())), len(list(shared.named_parameters(remove_duplicate=False))))

ids = torch.tensor([[1, 2, 3, 4, 5]])
cls, reg = net(ids)
print(cls.shape, reg.shape, net.heads["reg"].calls.item(), net.blocks[1].proj.calls)
print(net.get_submodule("blocks.1.proj"))
print(net.get_parameter("heads.cls.bias").shape)
print(net.get_buffer("heads.reg.calls"))
print(sorted(net.state_dict().keys())[:5])
