# Checkpoint/resume utilities: full training state to BytesIO, RNG state, early stopping with
# best-weights restore, old BatchNorm checkpoints without num_batches_tracked, extra state.
import copy
import io
import torch
import torch.nn as nn
from collections import OrderedDict

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(6, 12, bias=False), nn.BatchNorm1d(12), nn.ReLU(), nn.Dropout(0.2))
        self.head = nn.Linear(12, 3)

    def forward(self, x):
        return self.head(self.features(x))


X = torch.randn(96, 6)
Y = (X[:, 0] > 0).long() + (X[:, 1] > 0.5).long()
Xv = torch.randn(32, 6)
Yv = (Xv[:, 0] > 0).long() + (Xv[:, 1] > 0.5).long()


def make():
    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.7)
    return model, opt, sched


def train_epoch(model, opt, sched):
    model.train()
    perm = torch.randperm(96)
    total = 0.0
    for i in range(0, 96, 32):
        idx = perm[i:i + 32]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(X[idx]), Y[idx])
        loss.backward()
        opt.step()
        total += loss.item()
    sched.step()
    return total / 3


@torch.no_grad()
def evaluate(model):
    model.eval()
    out = model(Xv)
    return nn.functional.cross_entropy(out, Yv).item(), (out.argmax(1) == Yv).float().mean().item()


def save_ckpt(model, opt, sched, epoch, best):
    buf = io.BytesIO()
    torch.save({
        "epoch": epoch,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": opt.state_dict(),
        "scheduler_state_dict": sched.state_dict(),
        "rng_state": torch.get_rng_state(),
        "best": best,
    }, buf)
    return buf.getvalue()


# run A: 6 epochs straight
torch.manual_seed(0)
mA, oA, sA = make()
histA = []
for epoch in range(6):
    histA.append(round(train_epoch(mA, oA, sA), 5))
    if epoch == 2:
        blob = save_ckpt(mA, oA, sA, epoch, None)
print("A", histA)

# run B: resume from the epoch-2 checkpoint
torch.manual_seed(123)
mB, oB, sB = make()
ck = torch.load(io.BytesIO(blob), weights_only=False)
print(sorted(ck), ck["epoch"], ck["rng_state"].dtype, ck["rng_state"].shape)
mB.load_state_dict(ck["model_state_dict"])
oB.load_state_dict(ck["optimizer_state_dict"])
sB.load_state_dict(ck["scheduler_state_dict"])
torch.set_rng_state(ck["rng_state"])
histB = [round(train_epoch(mB, oB, sB), 5) for _ in range(3, 6)]
print("B", histB, histB == histA[3:])
print(oB.param_groups[0]["lr"] == oA.param_groups[0]["lr"], sB.last_epoch, round(sB.get_last_lr()[0], 6))

# early stopping with best-weights restore
torch.manual_seed(0)
model, opt, sched = make()
best_loss, best_state, bad, patience = float("inf"), None, 0, 2
for epoch in range(12):
    tl = train_epoch(model, opt, sched)
    vl, acc = evaluate(model)
    improved = vl < best_loss - 1e-3
    if improved:
        best_loss, bad = vl, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad += 1
    print(epoch, round(tl, 4), round(vl, 4), round(acc, 4), improved)
    if bad >= patience:
        print("early stop at", epoch)
        break
model.load_state_dict(best_state)
print(round(evaluate(model)[0], 4) == round(best_loss, 4))
print(best_state["features.1.num_batches_tracked"].item(), best_state["features.1.num_batches_tracked"].dtype)

# old BatchNorm checkpoint (no num_batches_tracked, version 1 metadata)
old = OrderedDict((k, v) for k, v in model.state_dict().items() if "num_batches_tracked" not in k)
old._metadata = OrderedDict({"features.1": {"version": 1}})
fresh = Net()
res = fresh.load_state_dict(old)
print(res, fresh.features[1].num_batches_tracked.item())
plain = {k: v for k, v in model.state_dict().items() if "num_batches_tracked" not in k}
res = Net().load_state_dict(plain, strict=False)
print(res.missing_keys)
try:
    Net().load_state_dict(plain)
    print("loaded plain")
except RuntimeError as e:
    print(str(e).splitlines()[0])

# 'module.' prefixed checkpoint from DataParallel
prefixed = OrderedDict(("module." + k, v) for k, v in model.state_dict().items())
torch.nn.modules.utils.consume_prefix_in_state_dict_if_present(prefixed, "module.")
print(list(prefixed.keys())[:3])
print(Net().load_state_dict(prefixed))


# module with extra state
class Normalizer(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)
        self.stats = {"mean": 0.0, "count": 0}

    def get_extra_state(self):
        return dict(self.stats)

    def set_extra_state(self, state):
        self.stats = dict(state)

    def forward(self, x):
        self.stats["count"] += x.shape[0]
        return self.lin(x)


n1 = Normalizer()
n1(torch.ones(5, 2))
sd = n1.state_dict()
print(list(sd.keys()), sd["_extra_state"])
buf = io.BytesIO()
torch.save(sd, buf)
buf.seek(0)
n2 = Normalizer()
print(n2.load_state_dict(torch.load(buf, weights_only=False)), n2.stats)
sd2 = dict(sd)
del sd2["_extra_state"]
try:
    Normalizer().load_state_dict(sd2)
except RuntimeError as e:
    print(str(e).replace("\n", " | "))

# state dict of modules with unusual names
mha = nn.MultiheadAttention(4, 2)
print(list(mha.state_dict().keys()))
lstm = nn.LSTM(2, 3, num_layers=2, bidirectional=True)
print(list(lstm.state_dict().keys())[:6], len(lstm.state_dict()))
gru = nn.GRU(2, 3, bias=False)
print(list(gru.state_dict().keys()))
lp = nn.LSTM(2, 4, proj_size=2)
print(list(lp.state_dict().keys()))
print([tuple(v.shape) for v in lp.state_dict().values()])
