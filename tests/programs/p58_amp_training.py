# Mixed-precision training boilerplate (GradScaler + autocast) on the CPU.
import warnings

import numpy as np
import torch
import torch.nn as nn

warnings.simplefilter("ignore")
device = "cuda" if torch.cuda.is_available() else "cpu"
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1)).to(device)
rng = np.random.default_rng(15)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
X = torch.from_numpy(rng.standard_normal((16, 4)).astype(np.float32))
y = X.sum(1, keepdim=True)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
use_amp = device == "cuda"
scaler = torch.amp.GradScaler(device, enabled=use_amp)
for step in range(4):
    opt.zero_grad(set_to_none=True)
    with torch.autocast(device_type=device, dtype=torch.float16, enabled=use_amp):
        loss = nn.functional.mse_loss(model(X), y)
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()
    print(step, f"{loss.item():.4f}", scaler.get_scale(), scaler.is_enabled())
print(scaler.state_dict())

# an enabled scaler: the loss is scaled, gradients unscaled, inf steps skipped
scaler = torch.amp.GradScaler("cpu", init_scale=1024.0, growth_interval=2)
w = torch.tensor([1.0, -2.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
for step, factor in enumerate([1.0, 1.0, float("inf"), 1.0]):
    opt.zero_grad()
    loss = (w * w).sum() * factor
    scaled = scaler.scale(loss)
    print("scaled", scaled.item())
    scaled.backward()
    result = scaler.step(opt)
    scaler.update()
    print(step, w.detach().tolist(), scaler.get_scale(), result)
print(scaler.state_dict())
print(torch.is_autocast_enabled())
with torch.autocast("cpu", enabled=False):
    print(torch.is_autocast_enabled("cpu"))
