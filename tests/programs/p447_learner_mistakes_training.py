# Mistakes a learner makes in a first training loop, and what torch says about each: the
# messages are caught and printed, and the warnings torch emits go to stderr as usual.
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)


def attempt(title, fn):
    try:
        result = fn()
        print(f"[ok] {title}: {result}")
    except Exception as e:  # noqa: BLE001 (a learner's catch-all)
        print(f"[{type(e).__name__}] {title}: {e}")


model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
x = torch.randn(5, 4)
y = torch.tensor([0, 2, 1, 1, 0])

# 1. forgetting zero_grad: gradients accumulate across steps
for _ in range(2):
    F.cross_entropy(model(x), y).backward()
g2 = model[0].weight.grad.clone()
model.zero_grad()
F.cross_entropy(model(x), y).backward()
print("accumulated twice", torch.allclose(g2, 2 * model[0].weight.grad))
print("zero_grad sets None", model.zero_grad() or model[0].weight.grad)

# 2. wrong dtypes / shapes in the loss
attempt("double input to float model", lambda: model(x.double()))
attempt("int labels to BCE", lambda: F.binary_cross_entropy_with_logits(torch.randn(5), torch.tensor([0, 1, 1, 0, 1])))
attempt("BCE probs out of range", lambda: F.binary_cross_entropy(torch.tensor([1.5, 0.2]), torch.tensor([1.0, 0.0])))
attempt("one-hot targets as float", lambda: round(F.cross_entropy(model(x), F.one_hot(y, 3).float()).item(), 4))
attempt("one-hot targets as long", lambda: F.cross_entropy(model(x), F.one_hot(y, 3)))
attempt("targets with extra dim", lambda: F.cross_entropy(model(x), y.unsqueeze(1)))
attempt("nll on raw logits (no error, wrong math)", lambda: round(F.nll_loss(model(x), y).item(), 4))
attempt("softmax twice", lambda: round(F.cross_entropy(F.softmax(model(x), 1), y).item(), 4))
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    loss = F.mse_loss(torch.randn(5, 1), torch.randn(5))
    print("mse broadcast loss shape", tuple(loss.shape), "warnings:", [str(m.message) for m in w])

# 3. autograd mistakes
w = torch.randn(3, requires_grad=True)
attempt("update leaf without no_grad", lambda: w.sub_(0.1 * torch.ones(3)))
attempt("update leaf.data (works)", lambda: w.data.sub_(0.1).shape)
with torch.no_grad():
    frozen_loss = (w * 2).sum()
attempt("backward through no_grad result", lambda: frozen_loss.backward())
h = w * 2
attempt("grad of a non-leaf", lambda: (h.sum().backward(), h.grad)[1])
attempt("retain_grad first", lambda: (h.retain_grad(), (w * 2 * h).sum().backward(), h.grad)[2])
attempt("numpy() of a tensor that requires grad", lambda: w.numpy())
attempt("detach().numpy()", lambda: w.detach().numpy().dtype)
attempt("float() of a vector", lambda: float(w))
attempt("bool of a vector", lambda: bool(w > 0))
attempt("requires_grad on an int tensor", lambda: torch.arange(3).requires_grad_())
attempt("grad of non-scalar", lambda: torch.autograd.grad(w * 2, w))
attempt("requires_grad_(False) on non-leaf", lambda: (w * 2).requires_grad_(False))
attempt("set .grad with wrong shape", lambda: setattr(w, "grad", torch.zeros(4)))

# 4. eval mode, BatchNorm and Dropout
bn_model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5))
attempt("batch of one in train mode", lambda: bn_model(torch.randn(1, 4)))
bn_model.eval()
attempt("batch of one in eval mode", lambda: tuple(bn_model(torch.randn(1, 4)).shape))
a = bn_model(x)
b = bn_model(x)
print("eval is deterministic", torch.equal(a, b), "training flags", [m.training for m in bn_model])
attempt("train(False) vs eval()", lambda: bn_model.train(False) is bn_model)

# 5. data pipeline mistakes
class Ragged(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return torch.arange(i + 1).float(), i


attempt("default collate of ragged samples", lambda: next(iter(DataLoader(Ragged(), batch_size=2))))
attempt("numpy arrays collate", lambda: next(iter(DataLoader([np.ones(2), np.zeros(2)], batch_size=2))).dtype)
attempt("list of ints collate", lambda: next(iter(DataLoader([[1, 2], [3, 4]], batch_size=2))))
attempt("torch.tensor of a list of tensors", lambda: torch.tensor([torch.ones(2), torch.zeros(2)]))
attempt("torch.stack of a list of tensors", lambda: torch.stack([torch.ones(2), torch.zeros(2)]).shape)
attempt("torch.tensor of a tensor", lambda: torch.tensor(torch.ones(2)))
attempt("from_numpy of a list", lambda: torch.from_numpy([1, 2]))
attempt("view(-1, -1)", lambda: x.view(-1, -1))
attempt("reshape to wrong numel", lambda: x.reshape(3, -1))
attempt("LSTM with 2-D input as batch_first", lambda: nn.LSTM(4, 6, batch_first=True)(x)[0].shape)
attempt("LSTM wrong feature size", lambda: nn.LSTM(3, 6)(torch.randn(2, 5, 4)))
attempt("Conv2d on a 2-D image", lambda: nn.Conv2d(1, 2, 3)(torch.randn(8, 8)))
attempt("MaxPool bigger than input", lambda: nn.MaxPool2d(4)(torch.randn(1, 1, 3, 3)))
attempt("optimizer given a generator twice", lambda: len(torch.optim.SGD(model.parameters(), lr=0.1).param_groups[0]["params"]))
params = model.parameters()
list(params)
attempt("exhausted generator", lambda: torch.optim.SGD(params, lr=0.1))
attempt("optimizer of a tensor", lambda: torch.optim.SGD(torch.ones(2, requires_grad=True), lr=0.1))
attempt("step with no grads", lambda: (torch.optim.Adam(nn.Linear(2, 2).parameters()).step(), "no-op")[1])
print("non-leaf .grad warning next:")
z = torch.ones(2, requires_grad=True) * 3
print(z.grad)
