# Profiling a small training loop with torch.profiler (names and counts only: timings differ
# from run to run), and checking which tensors share memory through their storages.
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.profiler import ProfilerActivity, profile, record_function, schedule

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
x = torch.linspace(-1, 1, 32).reshape(8, 4)
y = x.sum(1, keepdim=True)


@record_function("loss_fn")
def loss_fn(out, target):
    return ((out - target) ** 2).mean()


def train_step():
    with record_function("forward"):
        out = model(x)
    loss = loss_fn(out, y)
    with record_function("backward"):
        opt.zero_grad()
        loss.backward()
    with record_function("optimizer"):
        opt.step()


with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    for _ in range(3):
        train_step()
names = {"forward", "backward", "optimizer", "loss_fn"}
rows = sorted((e.key, e.count) for e in prof.key_averages() if e.key in names)
print("ranges:", rows)
table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=100)
print("table has totals:", "Self CPU time total" in table, "| forward row:", "forward" in table)

traces = []
sched = schedule(wait=1, warmup=1, active=2, repeat=1)
with profile(schedule=sched, on_trace_ready=lambda p: traces.append(p.step_num)) as prof:
    for step in range(6):
        train_step()
        prof.step()
print("trace ready at steps:", traces, "| actions:", [sched(i).name for i in range(6)])
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "trace.json")
    prof.export_chrome_trace(path)
    with open(path) as f:
        events = json.load(f)["traceEvents"]
    print("trace names:", sorted({e["name"] for e in events} & names))

a = torch.arange(12.0).reshape(3, 4)
views = {"row": a[1], "col": a[:, 2], "t": a.t(), "copy": a.clone(), "flat": a.view(-1)}
for name, v in views.items():
    same = v.untyped_storage().data_ptr() == a.untyped_storage().data_ptr()
    print(f"{name:5s} shares={same} offset={v.storage_offset()} "
          f"nbytes={v.untyped_storage().nbytes()}")
print("is_storage:", torch.is_storage(a.untyped_storage()), torch.is_storage(a))
a.untyped_storage().fill_(0)
print("after fill:", a.sum().item())
