# Feature extraction with forward hooks over named_modules, backward hooks, and removing handles.
import torch
import torch.nn as nn
from collections import OrderedDict

net = nn.Sequential(OrderedDict([
    ("conv1", nn.Conv2d(1, 2, 3, padding=1)),
    ("bn1", nn.BatchNorm2d(2)),
    ("relu1", nn.ReLU()),
    ("pool", nn.AdaptiveAvgPool2d((2, 2))),
    ("flat", nn.Flatten()),
    ("fc", nn.Linear(8, 3)),
]))
for p in net.parameters():
    nn.init.constant_(p, 0.1)
print(net)
features = {}


def save_output(name):
    def hook(module, inputs, output):
        features[name] = output.detach()
    return hook


handles = []
for name, module in net.named_modules():
    if isinstance(module, (nn.Conv2d, nn.Linear, nn.AdaptiveAvgPool2d)):
        handles.append(module.register_forward_hook(save_output(name)))
print([n for n, _ in net.named_modules()])
x = torch.arange(32, dtype=torch.float32).reshape(2, 1, 4, 4) / 10
out = net(x)
for name, f in features.items():
    print(name, tuple(f.shape), f.flatten()[:3])
for h in handles:
    h.remove()
features.clear()
net(x)
print("after remove:", len(features))
calls = []
pre = net.fc.register_forward_pre_hook(lambda m, inp: calls.append(("pre", inp[0].shape)))
grads = {}
bh = net.conv1.register_full_backward_hook(lambda m, gin, gout: grads.update(gout=gout[0].shape, gin=gin[0] is None))
out = net(x)
out.sum().backward()
print(calls, grads)
pre.remove()
bh.remove()


def scale_output(module, inputs, output):
    return output * 2


h = net.fc.register_forward_hook(scale_output)
print(torch.allclose(net(x), 2 * out.detach()))
h.remove()


def double_input(module, args):
    return (args[0] * 2,)


h = net.fc.register_forward_pre_hook(double_input)
print(net(x)[0])
h.remove()
tensor_grads = []
y = torch.tensor([1.0, 2.0], requires_grad=True)
th = y.register_hook(lambda g: tensor_grads.append(g.clone()) or g * 10)
(y * y).sum().backward()
print(tensor_grads, y.grad)
th.remove()
body = nn.Sequential(*list(net.children())[:-1])
print(body(x).shape, len(body), body[-1])
print(dict(net.named_children()).keys())
print(net.get_submodule("fc"), net.fc.weight.shape)
