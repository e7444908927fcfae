# An everyday training script: argparse with defaults (parsed from an explicit empty argv),
# logging to stdout with a format, progress lines built from f-strings and %-formatting of
# tensors, str(t.shape), dtype/device prints, a running-average meter and a results summary.
import argparse
import logging
import sys
import time

import torch
import torch.nn as nn


def get_args(argv):
    p = argparse.ArgumentParser(description="toy regression")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--hidden", type=int, nargs="+", default=[16, 8])
    p.add_argument("--device", default="cpu")
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--no-bias", action="store_true")
    return p.parse_args(argv)


args = get_args([])
args2 = get_args(["--epochs", "2", "--hidden", "4", "--no-bias"])
print(vars(args))
print(args2.epochs, args2.hidden, args2.no_bias)

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s:%(name)s: %(message)s", force=True)
log = logging.getLogger("train")
torch.manual_seed(args.seed)
device = torch.device(args.device)
log.info("device %s, cuda available %s", device, torch.cuda.is_available())


class AverageMeter:
    def __init__(self, name):
        self.name, self.sum, self.count = name, 0.0, 0

    def update(self, val, n=1):
        self.sum += val * n
        self.count += n

    @property
    def avg(self):
        return self.sum / max(self.count, 1)

    def __str__(self):
        return f"{self.name} {self.avg:.4f}"


X = torch.randn(128, 3)
y = (X @ torch.tensor([1.5, -2.0, 0.5]) + 0.3).unsqueeze(1)
layers, d = [], 3
for h in args.hidden:
    layers += [nn.Linear(d, h, bias=not args.no_bias), nn.ReLU()]
    d = h
layers.append(nn.Linear(d, 1))
model = nn.Sequential(*layers).to(device)
log.info("model has %d parameters", sum(p.numel() for p in model.parameters()))
print("first weight", model[0].weight.dtype, model[0].weight.device, str(model[0].weight.shape),
      model[0].weight.shape, tuple(model[0].weight.shape), list(model[0].weight.size()))
opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
loss_fn = nn.MSELoss()
start = time.perf_counter()
for epoch in range(1, args.epochs + 1):
    meter = AverageMeter("loss")
    for i in range(0, len(X), args.batch_size):
        xb, yb = X[i:i + args.batch_size].to(device), y[i:i + args.batch_size].to(device)
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        meter.update(loss.item(), len(xb))
    gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
    log.info("epoch %d/%d %s grad-norm %.3f lr %g", epoch, args.epochs, meter, gn.item(), opt.param_groups[0]["lr"])
    print(f"[{epoch:02d}] loss={loss:.4f} last={loss.item():.3e} pct={epoch / args.epochs:.0%}")
elapsed = time.perf_counter() - start
log.debug("hidden from INFO level: %s", elapsed)
log.warning("this is a warning with a tensor %s", torch.tensor([1, 2]))

t = torch.tensor([0.5, 1.25, -3.0])
print(f"{t}")
print(f"{t[0]}", f"{t[1]:.2f}", f"{t.sum():+.3f}", f"{t.norm():8.4f}|", f"{t[2]:e}")
print("%s" % t, "%.2f" % t[0], "%d" % torch.tensor(7), "%r" % torch.tensor(2.5))
print("{} and {!r}".format(t.shape, t.dtype), "{:.3f}".format(t.mean()))
print(str(t.shape), repr(t.shape), t.shape == (3,), t.size(0), t.dim(), t.ndim, t.numel())
print(t.dtype, t.device, t.is_floating_point(), t.layout, t.requires_grad, t.is_leaf)
print(f"{torch.tensor(3)}", f"{torch.tensor(True)}", f"{torch.tensor(2.0, dtype=torch.float64)}")
print(f"{torch.tensor(1e-5):.2e}", f"{torch.tensor(123456789.0):,.1f}", f"{torch.tensor(5):03d}")
print(int(torch.tensor(3.9)), float(torch.tensor(2)), bool(torch.tensor(0.0)), round(torch.tensor(2.567).item(), 2))
results = {"final_loss": round(meter.avg, 4), "params": sum(p.numel() for p in model.parameters()),
           "hidden": args.hidden}
print("summary:", results)
w = model[0].weight.detach()
print(f"weight stats mean={w.mean():.4f} std={w.std():.4f} min={w.min():.4f} max={w.max():.4f}")
