# A hand-written training framework: a Trainer with callbacks, metric accumulators (running mean,
# accuracy, macro F1 computed by hand), early stopping on a held-out split, and a checkpoint dict
# (model / optimizer / scheduler / epoch) saved to a temp dir and resumed from mid-run.
import io
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(0)
N, D, C = 240, 6, 3
X = torch.randn(N, D)
W_true = torch.randn(D, C)
y = (X @ W_true + 0.5 * torch.randn(N, C)).argmax(1)
full = TensorDataset(X, y)
train_ds, val_ds = random_split(full, [180, 60], generator=torch.Generator().manual_seed(1))
print("split", len(train_ds), len(val_ds), "class counts", torch.bincount(y, minlength=C).tolist())


class RunningMean:
    def __init__(self):
        self.total, self.count = 0.0, 0

    def update(self, value, n=1):
        self.total += value * n
        self.count += n

    @property
    def value(self):
        return self.total / max(self.count, 1)


class ConfusionMeter:
    def __init__(self, num_classes):
        self.k = num_classes
        self.mat = torch.zeros(num_classes, num_classes, dtype=torch.long)

    def update(self, preds, targets):
        idx = targets * self.k + preds
        self.mat += torch.bincount(idx, minlength=self.k * self.k).view(self.k, self.k)

    def accuracy(self):
        return (self.mat.diag().sum() / self.mat.sum()).item()

    def f1(self):
        tp = self.mat.diag().float()
        precision = tp / self.mat.sum(0).clamp(min=1)
        recall = tp / self.mat.sum(1).clamp(min=1)
        f1 = 2 * precision * recall / (precision + recall).clamp(min=1e-12)
        return f1.mean().item(), f1


class Callback:
    def on_epoch_end(self, trainer, epoch, logs):
        pass


class PrintLogger(Callback):
    def on_epoch_end(self, trainer, epoch, logs):
        parts = [f"{k}={v:.4f}" for k, v in logs.items()]
        print(f"epoch {epoch:2d} " + " ".join(parts))


class EarlyStopping(Callback):
    def __init__(self, patience=3, min_delta=1e-3):
        self.patience, self.min_delta = patience, min_delta
        self.best, self.bad = float("inf"), 0

    def on_epoch_end(self, trainer, epoch, logs):
        if logs["val_loss"] < self.best - self.min_delta:
            self.best, self.bad = logs["val_loss"], 0
        else:
            self.bad += 1
            if self.bad >= self.patience:
                print(f"early stop at epoch {epoch} (best val_loss {self.best:.4f})")
                trainer.stop = True


class Checkpointer(Callback):
    def __init__(self, path):
        self.path = path
        self.best = float("inf")

    def on_epoch_end(self, trainer, epoch, logs):
        if logs["val_loss"] < self.best:
            self.best = logs["val_loss"]
            torch.save(trainer.checkpoint(epoch), self.path)
            print(f"  saved checkpoint at epoch {epoch}")


class Trainer:
    def __init__(self, model, opt, sched, callbacks=()):
        self.model, self.opt, self.sched = model, opt, sched
        self.callbacks = list(callbacks)
        self.stop = False
        self.start_epoch = 0

    def checkpoint(self, epoch):
        return {"model": self.model.state_dict(), "optimizer": self.opt.state_dict(),
                "scheduler": self.sched.state_dict(), "epoch": epoch}

    def resume(self, ckpt):
        self.model.load_state_dict(ckpt["model"])
        self.opt.load_state_dict(ckpt["optimizer"])
        self.sched.load_state_dict(ckpt["scheduler"])
        self.start_epoch = ckpt["epoch"] + 1

    def run_epoch(self, loader, train):
        self.model.train(train)
        loss_m, conf = RunningMean(), ConfusionMeter(C)
        with torch.set_grad_enabled(train):
            for xb, yb in loader:
                logits = self.model(xb)
                loss = F.cross_entropy(logits, yb)
                if train:
                    self.opt.zero_grad(set_to_none=True)
                    loss.backward()
                    nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                    self.opt.step()
                loss_m.update(loss.item(), len(yb))
                conf.update(logits.argmax(1), yb)
        return loss_m.value, conf

    def fit(self, train_loader, val_loader, epochs):
        for epoch in range(self.start_epoch, epochs):
            tr_loss, tr_conf = self.run_epoch(train_loader, True)
            va_loss, va_conf = self.run_epoch(val_loader, False)
            self.sched.step()
            logs = {"loss": tr_loss, "acc": tr_conf.accuracy(), "val_loss": va_loss,
                    "val_acc": va_conf.accuracy(), "val_f1": va_conf.f1()[0],
                    "lr": self.opt.param_groups[0]["lr"]}
            for cb in self.callbacks:
                cb.on_epoch_end(self, epoch, logs)
            if self.stop:
                break
        return va_conf


def make(seed):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(D, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, C))
    opt = torch.optim.AdamW(model.parameters(), lr=0.05, weight_decay=1e-2)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    return model, opt, sched


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "best.pt")
    model, opt, sched = make(3)
    g = torch.Generator().manual_seed(5)
    train_loader = DataLoader(train_ds, batch_size=32, shuffle=True, generator=g)
    val_loader = DataLoader(val_ds, batch_size=64)
    trainer = Trainer(model, opt, sched, [PrintLogger(), EarlyStopping(3), Checkpointer(path)])
    conf = trainer.fit(train_loader, val_loader, epochs=5)
    print("confusion after 5 epochs\n", conf.mat)
    f1, per_class = conf.f1()
    print("macro f1", round(f1, 4), "per class", [round(v, 4) for v in per_class.tolist()])

    # resume from the best checkpoint into fresh objects and keep training
    ckpt = torch.load(path)
    print("checkpoint keys", sorted(ckpt), "epoch", ckpt["epoch"])
    print("optimizer state steps", [s["step"].item() for s in ckpt["optimizer"]["state"].values()])
    print("scheduler", {k: v for k, v in ckpt["scheduler"].items() if k != "_get_lr_called_within_step"})
    model2, opt2, sched2 = make(99)
    trainer2 = Trainer(model2, opt2, sched2, [PrintLogger(), EarlyStopping(2)])
    trainer2.resume(ckpt)
    print("resumed at epoch", trainer2.start_epoch, "lr", opt2.param_groups[0]["lr"])
    same = all(torch.equal(a, b) for a, b in zip(model2.state_dict().values(), ckpt["model"].values()))
    print("weights restored", same)
    conf2 = trainer2.fit(train_loader, val_loader, epochs=12)
    print("final val acc", round(conf2.accuracy(), 4))
    buf = io.BytesIO()
    torch.save(model2.state_dict(), buf)
    print("state dict bytes > 0", buf.getbuffer().nbytes > 0)
