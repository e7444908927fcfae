# Tabular model with categorical embeddings (ModuleDict), ParameterList/ParameterDict,
# BatchNorm running stats in train vs eval, and partial loading with strict=False.
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(4)
N = 96
cats = {"color": 4, "size": 3, "shop": 5}
cat_data = {k: torch.from_numpy(rng.integers(0, n, N)) for k, n in cats.items()}
num = torch.tensor(rng.standard_normal((N, 3)) * [1.0, 5.0, 0.1] + [0.0, 10.0, -1.0], dtype=torch.float32)
y = ((cat_data["color"] == 1) | (num[:, 0] > 0.5)).float()


class TabNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embs = nn.ModuleDict({k: nn.Embedding(n, min(4, (n + 1) // 2)) for k, n in cats.items()})
        emb_dim = sum(e.embedding_dim for e in self.embs.values())
        self.bn_num = nn.BatchNorm1d(3, momentum=0.2)
        self.mlp = nn.Sequential(OrderedDict([
            ("fc1", nn.Linear(emb_dim + 3, 16)), ("act", nn.LeakyReLU(0.1)),
            ("fc2", nn.Linear(16, 1))]))
        self.scales = nn.ParameterList([nn.Parameter(torch.ones(1)) for _ in range(2)])
        self.extra = nn.ParameterDict({"temperature": nn.Parameter(torch.tensor(1.0))})

    def forward(self, cat, x):
        e = torch.cat([self.embs[k](cat[k]) for k in cats], dim=1)
        h = torch.cat([e * self.scales[0], self.bn_num(x) * self.scales[1]], dim=1)
        return self.mlp(h).squeeze(1) / self.extra["temperature"]


model = TabNet()
with torch.no_grad():
    for i, (name, p) in enumerate(model.named_parameters()):
        if p.dim() > 1 or name.endswith("bias"):
            p.copy_(torch.tensor(rng.uniform(-0.4, 0.4, p.shape), dtype=torch.float32))
print(model)
print([(n, tuple(p.shape)) for n, p in model.named_parameters()])
print(list(model.state_dict().keys()))
opt = torch.optim.Adam(model.parameters(), lr=0.02)
for epoch in range(30):
    model.train()
    for b in range(0, N, 32):
        batch = {k: v[b:b + 32] for k, v in cat_data.items()}
        loss = F.binary_cross_entropy_with_logits(model(batch, num[b:b + 32]), y[b:b + 32],
                                                  pos_weight=torch.tensor(1.5))
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch} loss {loss.item():.4f}")
print("running_mean", model.bn_num.running_mean.round(decimals=3), model.bn_num.num_batches_tracked.item())
print("running_var", model.bn_num.running_var.round(decimals=2))
model.eval()
with torch.no_grad():
    p_eval = torch.sigmoid(model(cat_data, num))
    model.train()
    p_train = torch.sigmoid(model(cat_data, num))
    model.eval()
print(f"acc {((p_eval > 0.5).float() == y).float().mean().item():.3f}",
      torch.allclose(p_eval, p_train), model.bn_num.num_batches_tracked.item())

# partial load: a new head, one renamed key
sd = model.state_dict()
sd.pop("mlp.fc2.weight")
sd["mlp.fc3.bias"] = torch.zeros(1)
new = TabNet()
result = new.load_state_dict(sd, strict=False)
print(result.missing_keys, result.unexpected_keys, result)
try:
    new.load_state_dict(sd)
except RuntimeError as e:
    print(str(e).splitlines()[0])
    print(str(e).splitlines()[1].strip()[:60])
sd2 = model.state_dict()
sd2["mlp.fc1.weight"] = torch.zeros(3, 3)
try:
    new.load_state_dict(sd2)
except RuntimeError as e:
    print(str(e).splitlines()[1].strip())
print(torch.equal(new.embs["color"].weight, model.embs["color"].weight), round(new.extra["temperature"].item(), 4))
print(len(new.scales), "temperature" in new.extra, list(new.extra.keys()), new.embs["size"])
new.scales.append(nn.Parameter(torch.zeros(2)))
new.extra["bias"] = nn.Parameter(torch.zeros(1))
print(len(list(new.parameters())), sorted(k for k in new.state_dict() if "scales" in k or "extra" in k))
