# Weight initialisation schemes, as in the "why init matters" posts: apply xavier / kaiming /
# orthogonal / trunc_normal / uniform / normal / constant through model.apply and print the
# resulting weights and activation statistics through a deep tanh/relu stack.
import math

import torch
import torch.nn as nn

torch.manual_seed(0)


def make(n_layers=6, width=64):
    layers = []
    for _ in range(n_layers):
        layers += [nn.Linear(width, width), nn.Tanh()]
    return nn.Sequential(*layers)


def stats(model, x):
    out = []
    with torch.no_grad():
        for layer in model:
            x = layer(x)
            if isinstance(layer, nn.Tanh):
                out.append(f"{x.std().item():.3f}")
    return out


schemes = {
    "default": lambda w: None,
    "normal_0.01": lambda w: nn.init.normal_(w, 0, 0.01),
    "xavier_uniform": lambda w: nn.init.xavier_uniform_(w),
    "xavier_normal": lambda w: nn.init.xavier_normal_(w, gain=nn.init.calculate_gain("tanh")),
    "kaiming_uniform": lambda w: nn.init.kaiming_uniform_(w, a=math.sqrt(5)),
    "kaiming_normal": lambda w: nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu"),
    "orthogonal": lambda w: nn.init.orthogonal_(w, gain=1.0),
    "trunc_normal": lambda w: nn.init.trunc_normal_(w, std=0.1, a=-0.2, b=0.2),
    "uniform": lambda w: nn.init.uniform_(w, -0.1, 0.1),
    "sparse": lambda w: nn.init.sparse_(w, sparsity=0.5),
}
x = torch.randn(256, 64)
for name, fn in schemes.items():
    model = make()

    def init_weights(m):
        if isinstance(m, nn.Linear):
            fn(m.weight)
            if name != "default":
                nn.init.zeros_(m.bias)

    model.apply(init_weights)
    print(f"{name:16s}", stats(model, x))

# individual tensors printed directly
w = torch.empty(3, 5)
print(nn.init.xavier_uniform_(w))
print(nn.init.kaiming_normal_(torch.empty(2, 4)))
print(nn.init.orthogonal_(torch.empty(3, 3)))
q = nn.init.orthogonal_(torch.empty(4, 6))
print("orthonormal rows:", torch.allclose(q @ q.t(), torch.eye(4), atol=1e-5))
print(nn.init.trunc_normal_(torch.empty(6), mean=0.0, std=1.0, a=-2.0, b=2.0))
print(nn.init.eye_(torch.empty(2, 3)))
print(nn.init.dirac_(torch.empty(2, 2, 3)))
conv = nn.Conv2d(3, 4, 3)
nn.init.kaiming_uniform_(conv.weight, nonlinearity="relu")
nn.init.constant_(conv.bias, 0.1)
print(conv.weight[0, 0])
print(conv.bias)
emb = nn.Embedding(5, 3, padding_idx=0)
print(emb.weight)
lstm = nn.LSTM(3, 2)
for pname, p in lstm.named_parameters():
    if "weight" in pname:
        nn.init.orthogonal_(p)
    else:
        nn.init.zeros_(p)
print(lstm.weight_hh_l0)
print("gain relu", nn.init.calculate_gain("relu"), "leaky", nn.init.calculate_gain("leaky_relu", 0.2))
