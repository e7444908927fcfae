# Persistence habits: torch.save / torch.load round trips of dicts of tensors, lists, nested
# containers and a model + optimizer checkpoint (in a tempfile directory and in BytesIO),
# shared storage preserved across save, copy.deepcopy of a model (independent parameters),
# pickle of tensors, json.dumps of t.tolist(), and numpy round trips.
import copy
import io
import json
import os
import pickle
import tempfile

import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(61)
data = {
    "weights": torch.randn(3, 4),
    "ids": torch.arange(5),
    "mask": torch.tensor([True, False, True]),
    "half": torch.ones(2, dtype=torch.float16),
    "double": torch.tensor([1.5], dtype=torch.float64),
    "complex": torch.tensor([1 + 2j]),
    "list": [torch.tensor(1.0), torch.zeros(2, 2)],
    "nested": {"step": 10, "name": "run-1", "hist": [0.5, 0.25], "t": (torch.tensor([7]), 3)},
    "scalar": torch.tensor(3.25),
}
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "data.pt")
    torch.save(data, path)
    loaded = torch.load(path)
    print("file exists", os.path.exists(path), os.path.getsize(path) > 0)
for k, v in data.items():
    w = loaded[k]
    if isinstance(v, torch.Tensor):
        print(f"{k:>8}: {w.dtype} {tuple(w.shape)} equal={torch.equal(v, w)}")
    else:
        print(f"{k:>8}: {type(w).__name__} {w if not isinstance(v, list) else [type(x).__name__ for x in w]}")
print("nested tuple", loaded["nested"]["t"], type(loaded["nested"]["t"]).__name__)

# shared storage: a view and its base stay shared after loading
base = torch.arange(6.0)
view = base[2:4]
buf = io.BytesIO()
torch.save({"base": base, "view": view}, buf)
buf.seek(0)
sv = torch.load(buf, weights_only=True)
sv["base"][2] = 100.0
print("view shares storage after load", sv["view"].tolist(), sv["view"].storage_offset())

# model + optimizer checkpoint
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(16, 4)
for _ in range(3):
    opt.zero_grad()
    model(x).pow(2).mean().backward()
    opt.step()
ckpt = {"epoch": 3, "model": model.state_dict(), "optim": opt.state_dict(), "loss": 0.123}
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "ckpt.pth")
    torch.save(ckpt, path)
    restored = torch.load(path, map_location="cpu")
model2 = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
opt2 = torch.optim.Adam(model2.parameters(), lr=1e-3)
print(model2.load_state_dict(restored["model"]))
opt2.load_state_dict(restored["optim"])
print("keys", list(restored["model"].keys()), restored["epoch"])
print("optim state", sorted(restored["optim"]["state"][0].keys()), restored["optim"]["state"][0]["step"],
      restored["optim"]["param_groups"][0]["lr"])
for m, o in ((model, opt), (model2, opt2)):
    o.zero_grad()
    m(x).pow(2).mean().backward()
    o.step()
print("resumed training identical", all(torch.equal(a, b) for a, b in zip(model.parameters(), model2.parameters())))

# deepcopy makes independent parameters
clone = copy.deepcopy(model)
with torch.no_grad():
    clone[0].weight.add_(1.0)
print("deepcopy independent", not torch.equal(clone[0].weight, model[0].weight),
      clone[0].weight.requires_grad, type(clone[0].weight).__name__)
t = torch.tensor([1.0, 2.0], requires_grad=True)
tc = copy.deepcopy(t)
print("deepcopy tensor", tc, tc.requires_grad, tc.is_leaf, copy.copy(torch.tensor([3])))

# pickle
p = pickle.loads(pickle.dumps({"a": torch.arange(4).view(2, 2), "b": torch.tensor(2.5)}))
print("pickle", p["a"], p["b"], p["a"].is_contiguous())
pt = pickle.loads(pickle.dumps(nn.Linear(2, 1)))
print("pickled module", pt, type(pt.weight).__name__)

# json of tolist
stats = {"mean": torch.tensor([0.5, 0.25]).tolist(), "count": torch.tensor(7).item(),
         "matrix": torch.eye(2, dtype=torch.int64).tolist(), "flag": torch.tensor(True).item()}
s = json.dumps(stats)
print(s)
back = torch.tensor(json.loads(s)["matrix"])
print(back, back.dtype)
print(json.dumps(torch.tensor([[1.5, 2.0]], dtype=torch.float64).tolist()), json.dumps(torch.tensor(0.1).item()))

# numpy round trip
arr = torch.linspace(0, 1, 5).numpy()
print(type(arr).__name__, arr.dtype, torch.from_numpy(arr * 2), torch.as_tensor(np.array([1, 2], dtype=np.int32)))
with tempfile.TemporaryDirectory() as tmp:
    np.save(os.path.join(tmp, "a.npy"), torch.arange(3).numpy())
    print("np.save/load", torch.from_numpy(np.load(os.path.join(tmp, "a.npy"))))
