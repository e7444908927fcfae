# Saving and loading state dicts, checkpoints and tensors.
import os
import tempfile

import torch
import torch.nn as nn


class TheModelClass(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.bn = nn.BatchNorm1d(4)
        self.fc2 = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.bn(self.fc1(x))))


def deterministic_init(model):
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape) * (i + 1) * 0.3)


model = TheModelClass()
deterministic_init(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
x = torch.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0], [2.0, 0.5, -0.5]])
model(x).sum().backward()
optimizer.step()
print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", model.state_dict()[param_tensor].size())
print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name] if var_name == "param_groups" else
          {k: sorted(v) for k, v in optimizer.state_dict()[var_name].items()})

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "model.pt")
    torch.save(model.state_dict(), path)
    model2 = TheModelClass()
    result = model2.load_state_dict(torch.load(path, weights_only=True))
    print(result)
    model.eval()
    model2.eval()
    print(torch.equal(model(x), model2(x)), torch.allclose(model(x), model2(x)))
    ckpt = os.path.join(d, "ckpt.tar")
    torch.save({
        "epoch": 5,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
        "loss": 0.25,
        "history": [1.0, 0.5],
    }, ckpt)
    checkpoint = torch.load(ckpt, map_location="cpu")
    model3 = TheModelClass()
    opt3 = torch.optim.SGD(model3.parameters(), lr=0.5, momentum=0.9)
    model3.load_state_dict(checkpoint["model_state_dict"])
    opt3.load_state_dict(checkpoint["optimizer_state_dict"])
    print(checkpoint["epoch"], checkpoint["loss"], checkpoint["history"], opt3.param_groups[0]["lr"])
    print(opt3.state_dict()["state"][0]["momentum_buffer"].shape)
    t_path = os.path.join(d, "tensors.pt")
    torch.save([torch.arange(3), torch.tensor([1.5]), {"a": torch.ones(2, dtype=torch.int32)}], t_path)
    print(torch.load(t_path))
    sd = model.state_dict()
    print(sd["bn.num_batches_tracked"], sd["bn.running_mean"].round(decimals=4))
    bad = {k: v for k, v in sd.items() if not k.startswith("fc2")}
    r = model3.load_state_dict(bad, strict=False)
    print(r.missing_keys, r.unexpected_keys)
    try:
        model3.load_state_dict(bad)
    except RuntimeError as e:
        print(type(e).__name__, str(e).splitlines()[0])
