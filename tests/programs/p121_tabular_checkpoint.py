# Tabular MLP: standardisation, BatchNorm1d + Dropout, eval mode, checkpoint dict with optimizer state.
import io
import os
import tempfile
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(0)
features = rng.normal(size=(64, 5)).astype(np.float32)
labels = (features[:, 0] + 0.5 * features[:, 1] - features[:, 4] > 0).astype(np.int64)
X = torch.from_numpy(features)
y = torch.from_numpy(labels)
mu, sigma = X.mean(0), X.std(0, unbiased=True)
X = (X - mu) / sigma
print(X.mean(0).abs().max() < 1e-6, X.std(0).round(decimals=4))


class TabularNet(nn.Module):
    def __init__(self, n_in, hidden=(16, 8), p=0.3):
        super().__init__()
        layers = []
        for h in hidden:
            layers += [nn.Linear(n_in, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(p)]
            n_in = h
        layers.append(nn.Linear(n_in, 2))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def init_weights(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            w = torch.arange(m.weight.numel(), dtype=torch.float32).reshape(m.weight.shape)
            m.weight.copy_(torch.sin(w) * 0.3)
            m.bias.zero_()


model = TabularNet(5)
model.apply(init_weights)
opt = torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.99))
loss_fn = nn.CrossEntropyLoss()
model.eval()  # Dropout off (but BatchNorm uses running stats): deterministic
for epoch in range(3):
    logits = model(X)
    loss = loss_fn(logits, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
ckpt = {"epoch": 3, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
        "loss": loss.item(), "norm": {"mu": mu, "sigma": sigma}}
path = os.path.join(tempfile.mkdtemp(), "ckpt.pt")
torch.save(ckpt, path)
loaded = torch.load(path)
print(sorted(loaded.keys()), loaded["epoch"], round(loaded["loss"], 4))
print(list(loaded["optimizer_state_dict"].keys()), loaded["optimizer_state_dict"]["param_groups"][0]["betas"])
print(loaded["optimizer_state_dict"]["state"][0]["step"], loaded["optimizer_state_dict"]["state"][0]["exp_avg"].shape)
model2 = TabularNet(5)
opt2 = torch.optim.Adam(model2.parameters(), lr=0.01, betas=(0.9, 0.99))
model2.load_state_dict(loaded["model_state_dict"])
opt2.load_state_dict(loaded["optimizer_state_dict"])
model2.eval()
with torch.no_grad():
    same = torch.allclose(model(X), model2(X))
print("same outputs", same)
for m_, o_ in ((model, opt), (model2, opt2)):
    loss = loss_fn(m_(X), y)
    o_.zero_grad()
    loss.backward()
    o_.step()
print(torch.allclose(model.net[0].weight, model2.net[0].weight))
print(model.net[1].running_mean.shape, model.net[1].num_batches_tracked, model.net[1])
model.train()
out1 = model(X[:8])
print(out1.shape, model.net[1].num_batches_tracked, model.net[3].p, model.net[3].training)
buf = io.BytesIO()
torch.save(model.state_dict(), buf)
buf.seek(0)
sd = torch.load(buf, weights_only=True)
print(len(sd), list(sd)[:5], sd["net.1.num_batches_tracked"].dtype)
with torch.inference_mode():
    model.eval()
    probs = torch.softmax(model(X[:4]), dim=1)
print(probs.sum(1).round(decimals=3), probs.requires_grad, torch.is_inference_mode_enabled())
