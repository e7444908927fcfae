# Small training-utility details: tensor learning rates with schedulers, PackedSequence fields,
# gradient accumulation with clipping on the accumulated gradient.
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence

torch.manual_seed(0)

# a tensor learning rate is updated in place by schedulers
w = nn.Parameter(torch.ones(3))
opt = torch.optim.Adam([w], lr=torch.tensor(0.01))
lr_obj = opt.param_groups[0]["lr"]
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
for i in range(3):
    w.grad = torch.ones(3)
    opt.step()
    sched.step()
    print(i, type(opt.param_groups[0]["lr"]).__name__, round(float(opt.param_groups[0]["lr"]), 6),
          round(w.sum().item(), 5))
print(opt.param_groups[0]["lr"] is lr_obj, type(sched.get_last_lr()[0]).__name__)
sd = opt.state_dict()
print(type(sd["param_groups"][0]["lr"]).__name__, type(sd["param_groups"][0]["initial_lr"]).__name__)

# PackedSequence fields
seqs = [torch.tensor([1., 2., 3.]), torch.tensor([4.]), torch.tensor([5., 6.])]
ps = pack_sequence(seqs, enforce_sorted=False)
print(ps)
print(ps._fields, len(ps))
data, bs, si, ui = ps
print(data.tolist(), bs.tolist(), si.tolist(), ui.tolist())
ps2 = ps.double()
print(ps2.data.dtype, ps2.batch_sizes.dtype, ps.is_pinned())
padded, lens = pad_packed_sequence(ps, batch_first=True, padding_value=-1.0)
print(padded.tolist(), lens.tolist())

# accumulation: clip the accumulated gradient once per optimizer step
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
X = torch.randn(24, 4)
Y = X.pow(2).sum(1, keepdim=True)
accum = 3
norms = []
opt.zero_grad(set_to_none=True)
for i in range(12):
    xb, yb = X[2 * i:2 * i + 2], Y[2 * i:2 * i + 2]
    loss = nn.functional.mse_loss(model(xb), yb) / accum
    loss.backward()
    if (i + 1) % accum == 0:
        n = nn.utils.clip_grad_norm_(model.parameters(), max_norm=2.0, foreach=True)
        norms.append(round(n.item(), 4))
        opt.step()
        opt.zero_grad(set_to_none=True)
print(norms)
with torch.no_grad():
    print(round(nn.functional.mse_loss(model(X), Y).item(), 4))
print(sorted(opt.state_dict()["param_groups"][0].keys()))
