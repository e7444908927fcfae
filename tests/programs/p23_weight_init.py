# Weight initialisation loops over model.modules() (seed-independent checks).
import math

import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.bn = nn.BatchNorm2d(8)
        self.fc1 = nn.Linear(32, 64)
        self.fc2 = nn.Linear(64, 10)
        self.emb = nn.Embedding(5, 4)

    def forward(self, x):
        return x


def init_weights(m):
    if isinstance(m, nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)
    elif isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        if m.bias is not None:
            nn.init.constant_(m.bias, 0)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)


torch.manual_seed(0)
model = Net()
model.apply(init_weights)
for m in model.modules():
    print(type(m).__name__)
bound = math.sqrt(6.0 / (32 + 64))
print(model.fc1.weight.abs().max().item() <= bound, model.fc1.bias[:3])
print(model.conv.bias.sum().item(), model.bn.weight, model.bn.bias)
for m in model.modules():
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("relu"))
        nn.init.zeros_(m.bias)
print(model.fc2.bias)
print(round(nn.init.calculate_gain("relu"), 4), round(nn.init.calculate_gain("tanh"), 4),
      nn.init.calculate_gain("leaky_relu", 0.2))
w = torch.empty(3, 5)
nn.init.uniform_(w, a=-0.1, b=0.1)
print(bool((w.abs() <= 0.1).all()))
nn.init.constant_(w, 0.3)
print(w)
nn.init.eye_(w)
print(w)
nn.init.dirac_(torch.empty(2, 2, 3))
nn.init.orthogonal_(w)
print(torch.allclose(w @ w.T, torch.eye(3), atol=1e-5))
nn.init.trunc_normal_(w, std=0.02)
print(bool((w.abs() <= 2).all()))
nn.init.kaiming_uniform_(w, a=math.sqrt(5))
print(bool((w.abs() <= 1 / math.sqrt(5)).all()))
nn.init.normal_(w, mean=0.0, std=0.0)
print(w.sum().item())
for name, p in model.named_parameters():
    if "weight" in name and p.dim() > 1:
        nn.init.xavier_normal_(p)
    elif "bias" in name:
        nn.init.constant_(p, 0.1)
print([round(p.sum().item(), 4) for n, p in model.named_parameters() if "bias" in n])
print(model.emb.weight.shape, model.fc1.weight.data.shape, type(model.fc1.weight.data).__name__)
