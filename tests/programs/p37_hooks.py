# Forward hooks (feature extraction), tensor hooks and module backward hooks.
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape) + 0.1 * i)
activation = {}


def get_activation(name):
    def hook(model, input, output):
        activation[name] = output.detach()
    return hook


h1 = model[1].register_forward_hook(get_activation("relu"))
x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
out = model(x)
print(activation["relu"])
h1.remove()
model(x)
print(len(activation))

grads = []
y = x * 2
y.register_hook(lambda g: grads.append(g.clone()))
z = (y ** 2).sum()
z.backward()
print(grads[0], x.grad)

x2 = torch.tensor([1.0, -1.0], requires_grad=True)
x2.register_hook(lambda g: g * 10)
(x2 * 3).sum().backward()
print(x2.grad)


def pre_hook(module, inputs):
    print("pre", type(module).__name__, inputs[0].shape)
    return (inputs[0] * 0 + 1,)


h = model[0].register_forward_pre_hook(pre_hook)
print(model(x).round(decimals=4))
h.remove()
gin = []
hb = model[2].register_full_backward_hook(lambda m, gi, go: gin.append((gi[0].shape, go[0].shape)))
model(x).sum().backward()
print(gin)
hb.remove()
feats = []
handles = [m.register_forward_hook(lambda m, i, o: feats.append(o.shape)) for m in model if isinstance(m, nn.Linear)]
model(torch.zeros(5, 3))
print(feats)
for hh in handles:
    hh.remove()
v = torch.tensor([2.0], requires_grad=True)
w = v * 3
w.retain_grad()
w.register_hook(lambda g: print("hook on w", g))
(w * w).sum().backward()
print(w.grad, v.grad)
