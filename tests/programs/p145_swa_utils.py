# Stochastic Weight Averaging with torch.optim.swa_utils: AveragedModel (uniform and EMA),
# SWALR annealing, update_bn on a loader, and the averaged model's state_dict.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.swa_utils import SWALR, AveragedModel, get_ema_multi_avg_fn, update_bn
from torch.utils.data import DataLoader, TensorDataset

x = torch.linspace(-2, 2, 64).unsqueeze(1)
y = (x.pow(2) - 1).squeeze(1)
loader = DataLoader(TensorDataset(x, y), batch_size=16)

model = nn.Sequential(nn.Linear(1, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 1))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.cos(torch.arange(p.numel(), dtype=torch.float32) * 0.8 + i).view(p.shape) * 0.5)

swa_model = AveragedModel(model)
ema_model = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
print(swa_model.n_averaged, swa_model.n_averaged.dtype)
print(type(swa_model.module).__name__)

opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
swa_start = 6
swa_sched = SWALR(opt, swa_lr=0.02, anneal_epochs=3, anneal_strategy="cos")
for epoch in range(12):
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.mse_loss(model(xb).squeeze(1), yb)
        loss.backward()
        opt.step()
        ema_model.update_parameters(model)
    if epoch >= swa_start:
        swa_model.update_parameters(model)
        swa_sched.step()
    else:
        sched.step()
    print(f"epoch {epoch:2d} lr {opt.param_groups[0]['lr']:.5f} loss {loss.item():.4f}")
print("n_averaged:", swa_model.n_averaged.item(), ema_model.n_averaged.item())

# uniform averaging by hand: keep copies of the weights at each SWA epoch
model2 = nn.Linear(2, 1)
avg = AveragedModel(model2)
snapshots = []
for k in range(4):
    with torch.no_grad():
        model2.weight.fill_(float(k))
        model2.bias.fill_(2.0 * k)
    snapshots.append(model2.weight.clone())
    avg.update_parameters(model2)
print(avg.module.weight, torch.stack(snapshots).mean(0))
print(avg.module.bias)

# EMA by hand: decay 0.5
ema = AveragedModel(model2, multi_avg_fn=get_ema_multi_avg_fn(0.5))
for k in [1.0, 3.0, 5.0]:
    with torch.no_grad():
        model2.weight.fill_(k)
    ema.update_parameters(model2)
print(ema.module.weight)

# custom avg_fn with the older per-parameter signature
def running_max(averaged, current, num_averaged):
    return torch.max(averaged, current)


mx = AveragedModel(model2, avg_fn=running_max)
for k in [2.0, -1.0, 7.0, 3.0]:
    with torch.no_grad():
        model2.weight.fill_(k)
    mx.update_parameters(model2)
print(mx.module.weight)

# the BN statistics of the averaged model are recomputed from the data
bn = swa_model.module[1]
before = bn.running_mean.clone()
update_bn(loader, swa_model)
print(bn.momentum, bn.num_batches_tracked.item())
print("stats changed:", not torch.allclose(before, bn.running_mean))
swa_model.eval()
with torch.no_grad():
    test_loss = F.mse_loss(swa_model(x).squeeze(1), y)
print(f"swa test loss {test_loss.item():.3f}")
print(list(swa_model.state_dict().keys())[:4])
print(list(swa_model.state_dict().keys())[-1])
