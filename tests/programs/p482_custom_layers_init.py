"""Custom layers and initialisation: buffers (persistent or not), ParameterList/Dict, weight
tying, reset_parameters, apply(init_fn) with per-layer statistics, extra_repr, filters."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class RunningNorm(nn.Module):
    def __init__(self, num_features, momentum=0.1):
        super().__init__()
        self.num_features = num_features
        self.momentum = momentum
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("scratch", torch.ones(num_features), persistent=False)
        self.register_buffer("optional", None)
        self.scale = nn.Parameter(torch.ones(num_features))

    def forward(self, x):
        if self.training:
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * x.mean(0))
        return (x - self.running_mean) * self.scale

    def extra_repr(self):
        return f"{self.num_features}, momentum={self.momentum}"


class MyLinear(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        if bias:
            self.bias = nn.Parameter(torch.empty(out_features))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features)
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Mixer(nn.Module):
    def __init__(self):
        super().__init__()
        self.experts = nn.ParameterList([nn.Parameter(torch.randn(3, 3)) for _ in range(2)])
        self.gates = nn.ParameterDict({"a": nn.Parameter(torch.zeros(3)), "b": nn.Parameter(torch.ones(3))})

    def forward(self, x):
        out = sum(x @ e for e in self.experts)
        return out * torch.sigmoid(self.gates["a"]) + self.gates["b"]


norm = RunningNorm(3)
print(norm)
print(list(norm.state_dict().keys()), [n for n, _ in norm.named_buffers()])
norm(torch.randn(8, 3) + 2)
print(norm.running_mean.round(decimals=4), norm.scratch)
norm.eval()
print(norm.training, norm(torch.ones(1, 3)).round(decimals=4))
sd = norm.state_dict()
fresh = RunningNorm(3)
print(fresh.load_state_dict(sd), torch.equal(fresh.running_mean, norm.running_mean))
print(fresh.optional, "optional" in dict(fresh.named_buffers()))

lin = MyLinear(4, 2)
print(lin, MyLinear(4, 2, bias=False))
print(lin.weight.shape, lin.bias.shape, round(lin.weight.abs().max().item(), 4) <= 0.5)
w_before = lin.weight.clone()
lin.reset_parameters()
print(torch.equal(w_before, lin.weight), lin.weight.grad is None)

mixer = Mixer()
print(mixer)
print([n for n, _ in mixer.named_parameters()])
print(mixer(torch.ones(2, 3)).shape, len(mixer.experts), list(mixer.gates.keys()))
mixer.experts.append(nn.Parameter(torch.zeros(3, 3)))
print(len(list(mixer.parameters())), "b" in mixer.gates, mixer.gates["b"].requires_grad)


class TiedLM(nn.Module):
    def __init__(self, vocab=10, dim=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.proj = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, vocab, bias=False)
        self.head.weight = self.embed.weight

    def forward(self, idx):
        return self.head(torch.tanh(self.proj(self.embed(idx))))


lm = TiedLM()
print(lm.head.weight is lm.embed.weight, len(list(lm.parameters())), len(lm.state_dict()))
print([n for n, _ in lm.named_parameters()])
print([n for n, _ in lm.named_parameters(remove_duplicate=False)])
out = lm(torch.tensor([[1, 2, 3]]))
out.sum().backward()
print(out.shape, lm.embed.weight.grad.shape, lm.head.weight.grad is lm.embed.weight.grad)
print(f"total={sum(p.numel() for p in lm.parameters())}")

stats = []


def init_fn(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_normal_(m.weight, gain=nn.init.calculate_gain("tanh"))
        if m.bias is not None:
            nn.init.constant_(m.bias, 0.01)
        stats.append((type(m).__name__, tuple(m.weight.shape)))
    elif isinstance(m, nn.Embedding):
        nn.init.normal_(m.weight, std=0.02)
        stats.append((type(m).__name__, tuple(m.weight.shape)))


torch.manual_seed(1)
net = nn.Sequential(nn.Linear(16, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 4))
print(net.apply(init_fn) is net, stats)
for name, m in net.named_modules():
    if isinstance(m, nn.Linear):
        w = m.weight
        print(f"{name:>3}: mean={w.mean().item():+.3f} std={w.std().item():.3f} bias={m.bias[0].item():.2f}")
print(round(nn.init.calculate_gain("relu"), 4), round(nn.init.calculate_gain("leaky_relu", 0.2), 4), nn.init.calculate_gain("sigmoid"))
x = torch.randn(256, 16)
for i, layer in enumerate(net):
    x = layer(x)
    if isinstance(layer, nn.Tanh):
        print(i, f"act std {x.std().item():.2f}", f"saturated {(x.abs() > 0.97).float().mean().item():.2%}")

for p in net[0].parameters():
    p.requires_grad_(False)
trainable = [n for n, p in net.named_parameters() if p.requires_grad]
frozen = [n for n, p in net.named_parameters() if not p.requires_grad]
print(trainable, frozen)
print(sum(p.numel() for p in net.parameters() if p.requires_grad), sum(p.numel() for p in net.parameters()))
opt = torch.optim.Adam(filter(lambda p: p.requires_grad, net.parameters()), lr=1e-3)
print(len(opt.param_groups[0]["params"]))
print(net[0].weight.requires_grad, net[0].weight.grad, net[0])
