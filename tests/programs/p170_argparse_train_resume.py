# A typical training script: argparse defaults, logging per epoch, train()/evaluate(),
# checkpoint with optimizer + scheduler state, then resume and check the runs agree.
import argparse
import io
import logging
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("train")


def get_args(argv=None):
    p = argparse.ArgumentParser(description="toy classifier")
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--step-size", type=int, default=2)
    p.add_argument("--gamma", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-cuda", action="store_true", default=False)
    return p.parse_args(argv)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 32)
        self.bn = nn.BatchNorm1d(32)
        self.drop = nn.Dropout(0.0)  # p=0: the output must not depend on the random stream
        self.fc2 = nn.Linear(32, 3)

    def forward(self, x):
        x = self.drop(F.relu(self.bn(self.fc1(x))))
        return F.log_softmax(self.fc2(x), dim=1)


def train(args, model, device, loader, optimizer, epoch):
    model.train()
    total, correct, n = 0.0, 0, 0
    for batch_idx, (data, target) in enumerate(loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        total += loss.item() * data.size(0)
        correct += output.argmax(dim=1, keepdim=True).eq(target.view_as(output.argmax(1, keepdim=True))).sum().item()
        n += len(data)
    return total / n, correct / n


@torch.no_grad()
def evaluate(model, device, loader):
    model.eval()
    test_loss, correct = 0.0, 0
    for data, target in loader:
        data, target = data.to(device), target.to(device)
        output = model(data)
        test_loss += F.nll_loss(output, target, reduction="sum").item()
        pred = output.argmax(dim=1)
        correct += (pred == target).sum().item()
    n = len(loader.dataset)
    return test_loss / n, correct / n


def make_data(seed):
    rng = np.random.default_rng(seed)
    x = torch.from_numpy(rng.standard_normal((160, 8)).astype(np.float32))
    w = torch.from_numpy(rng.standard_normal((8, 3)).astype(np.float32))
    y = (x @ w).argmax(dim=1)
    return TensorDataset(x[:128], y[:128]), TensorDataset(x[128:], y[128:])


def build(args, device):
    torch.manual_seed(args.seed)
    model = Net().to(device)
    with torch.no_grad():  # a fixed init, independent of the framework's random stream
        for i, p in enumerate(model.parameters()):
            p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.37 + i).reshape(p.shape) * 0.3)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                          weight_decay=args.weight_decay, nesterov=True)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=args.step_size, gamma=args.gamma)
    return model, opt, sched


def main():
    args = get_args([])
    log.info("args: %s", vars(args))
    use_cuda = not args.no_cuda and torch.cuda.is_available()
    device = torch.device("cpu")  # this test always runs on the CPU
    log.info("cuda available: %s, using %s", use_cuda, device)
    train_ds, test_ds = make_data(0)
    kwargs = {"num_workers": 0, "pin_memory": False}
    model, opt, sched = build(args, device)
    history = []
    buf = None
    for epoch in range(1, args.epochs + 1):
        g = torch.Generator().manual_seed(100 + epoch)
        loader = DataLoader(train_ds, batch_size=args.batch_size, shuffle=False, generator=g, **kwargs)
        tr_loss, tr_acc = train(args, model, device, loader, opt, epoch)
        te_loss, te_acc = evaluate(model, device, DataLoader(test_ds, batch_size=64))
        sched.step()
        history.append(round(te_loss, 4))
        log.info("epoch %d lr %.4f train_loss %.4f train_acc %.3f test_loss %.4f test_acc %.3f",
                 epoch, sched.get_last_lr()[0], tr_loss, tr_acc, te_loss, te_acc)
        if epoch == 3:
            buf = io.BytesIO()
            torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                        "optimizer_state_dict": opt.state_dict(),
                        "scheduler_state_dict": sched.state_dict(),
                        "rng_state": torch.get_rng_state(), "args": vars(args),
                        "history": list(history)}, buf)
    log.info("history %s", history)

    # resume from the epoch-3 checkpoint in a fresh model/optimizer/scheduler
    buf.seek(0)
    ckpt = torch.load(buf, weights_only=False)
    print(sorted(ckpt.keys()))
    print(sorted(ckpt["optimizer_state_dict"].keys()), ckpt["optimizer_state_dict"]["param_groups"][0]["lr"])
    print(ckpt["scheduler_state_dict"])
    model2, opt2, sched2 = build(args, device)
    model2.load_state_dict(ckpt["model_state_dict"])
    opt2.load_state_dict(ckpt["optimizer_state_dict"])
    sched2.load_state_dict(ckpt["scheduler_state_dict"])
    torch.set_rng_state(ckpt["rng_state"])
    resumed = list(ckpt["history"])
    for epoch in range(ckpt["epoch"] + 1, args.epochs + 1):
        g = torch.Generator().manual_seed(100 + epoch)
        loader = DataLoader(train_ds, batch_size=args.batch_size, shuffle=False, generator=g)
        train(args, model2, device, loader, opt2, epoch)
        te_loss, _ = evaluate(model2, device, DataLoader(test_ds, batch_size=64))
        sched2.step()
        resumed.append(round(te_loss, 4))
    log.info("resumed %s", resumed)
    print("same:", resumed == history)
    print(opt2.param_groups[0]["lr"], sched2.last_epoch, type(opt2.state_dict()["state"][0]["momentum_buffer"]).__name__)
    print(model2.bn.num_batches_tracked, model2.bn.running_mean.shape)
    for k, v in model2.state_dict().items():
        print(k, tuple(v.shape), v.dtype)


if __name__ == "__main__":
    main()
