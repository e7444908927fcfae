# Utility-heavy script: torch.save / torch.load of nested dicts in a temp dir (weights_only
# default), copy.deepcopy of models, state_dict surgery (renaming keys from a DataParallel-style
# checkpoint, strict=False reporting), named_modules filtering, freezing layers with
# requires_grad_(False), parameter counting, parameters_to_vector / vector_to_parameters, and
# forward hooks that collect activations.
import copy
import os
import tempfile
from collections import OrderedDict

import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(0)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.act = nn.GELU()
        self.pool = nn.AdaptiveMaxPool2d(2)

    def forward(self, x):
        return self.pool(self.act(self.bn(self.conv(x))))


class Net(nn.Module):
    def __init__(self, classes=3):
        super().__init__()
        self.backbone = Backbone()
        self.head = nn.Sequential(OrderedDict(fc1=nn.Linear(16, 8), relu=nn.ReLU(), fc2=nn.Linear(8, classes)))

    def forward(self, x):
        return self.head(self.backbone(x).flatten(1))


net = Net()
x = torch.randn(2, 3, 5, 5)


def count(model, trainable_only=False):
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


print("params", count(net), "trainable", count(net, True))
print("linear modules", [n for n, m in net.named_modules() if isinstance(m, nn.Linear)])
print("leaf modules", [n for n, m in net.named_modules() if not list(m.children())])
print("all names", [n for n, _ in net.named_modules()])

# freeze the backbone
for p in net.backbone.parameters():
    p.requires_grad_(False)
print("after freezing", count(net, True), [n for n, p in net.named_parameters() if p.requires_grad])
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, net.parameters()), lr=0.1)
before = net.backbone.conv.weight.clone()
out = net(x)
out.sum().backward()
opt.step()
print("backbone grad", net.backbone.conv.weight.grad, "unchanged", torch.equal(before, net.backbone.conv.weight))
print("head grad norm", round(net.head.fc2.weight.grad.norm().item(), 4))

# deepcopy keeps values but not identity, and is independent afterwards
clone = copy.deepcopy(net)
print("deepcopy equal", all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), clone.state_dict().values())),
      "shares storage", clone.head.fc1.weight.data_ptr() == net.head.fc1.weight.data_ptr(),
      "grad copied", clone.head.fc2.weight.grad is not None,
      "frozen copied", clone.backbone.conv.weight.requires_grad)
with torch.no_grad():
    clone.head.fc1.weight.add_(1.0)
print("independent", not torch.equal(clone.head.fc1.weight, net.head.fc1.weight))

# parameters_to_vector round trip
vec = parameters_to_vector(net.parameters())
print("vector", tuple(vec.shape), vec.dtype, round(vec.sum().item(), 4))
vector_to_parameters(torch.zeros_like(vec), clone.parameters())
print("zeroed clone", sum(p.abs().sum().item() for p in clone.parameters()))

# hooks collecting activations
acts = OrderedDict()


def save_to(name):
    def hook(module, inputs, output):
        acts[name] = output.detach()
    return hook


handles = [m.register_forward_hook(save_to(n)) for n, m in net.named_modules()
           if isinstance(m, (nn.Conv2d, nn.BatchNorm2d, nn.Linear))]
net.eval()
with torch.no_grad():
    net(x)
for n, a in acts.items():
    print(f"  {n:16s} {tuple(a.shape)} mean {a.mean().item():+.4f}")
for h in handles:
    h.remove()
acts.clear()
net(x)
print("after remove", len(acts))

with tempfile.TemporaryDirectory() as tmp:
    # a checkpoint as DataParallel would have written it: every key prefixed with "module."
    wrapped = OrderedDict(("module." + k, v) for k, v in net.state_dict().items())
    ckpt = {"epoch": 7, "state_dict": wrapped, "meta": {"classes": ["a", "b", "c"], "lr": 0.1, "best": (0.91, 3)},
            "history": [1.5, 1.2, torch.tensor(0.9)]}
    path = os.path.join(tmp, "ckpt.pth")
    torch.save(ckpt, path)
    loaded = torch.load(path)
    print("loaded types", type(loaded["state_dict"]).__name__, loaded["meta"], loaded["history"])
    fresh = Net()
    try:
        fresh.load_state_dict(loaded["state_dict"])
    except RuntimeError as e:
        print("RuntimeError:", str(e)[:240], "...")
    renamed = {k.removeprefix("module."): v for k, v in loaded["state_dict"].items()}
    print(fresh.load_state_dict(renamed))
    # drop the classifier and load into a model with a different number of classes
    partial = {k: v for k, v in renamed.items() if not k.startswith("head.fc2")}
    other = Net(classes=5)
    result = other.load_state_dict(partial, strict=False)
    print("missing", result.missing_keys, "unexpected", result.unexpected_keys)
    try:
        other.load_state_dict(renamed)
    except RuntimeError as e:
        print("RuntimeError:", e)
    result = other.load_state_dict({**partial, "extra.weight": torch.ones(1)}, strict=False)
    print(result)
    torch.save(net, os.path.join(tmp, "full.pt"))
    try:
        torch.load(os.path.join(tmp, "full.pt"))
    except Exception as e:
        print(type(e).__name__, str(e).splitlines()[0])
    whole = torch.load(os.path.join(tmp, "full.pt"), weights_only=False)
    print("full model load", type(whole).__name__, torch.equal(whole(x), net(x)))
print("bn buffers", {k: tuple(v.shape) for k, v in net.backbone.bn.state_dict().items()})
print("num_batches_tracked", net.backbone.bn.num_batches_tracked)
