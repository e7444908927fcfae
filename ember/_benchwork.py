"""Benchmark workloads shared by `ember bench` and benchmarks/*.py.

Training steps are written once against a module `m` (ember or torch), plus a hand-written
NumPy forward/backward of the same model: the "no framework" reference.
"""

import math

import numpy as np

# ---------------------------------------------------------------- models on ember / torch


def make_model(m, name):
    nn = m.nn
    if name == "seed":
        return nn.Linear(3, 1)
    if name == "mlp_small":
        return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                             nn.Linear(128, 10))
    if name == "mlp_large":
        return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                             nn.Linear(512, 10))
    if name == "lenet":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    raise ValueError(name)


WORKLOADS = {
    # name: (description, batch, input shape, loss, optimizer)
    "seed": ("seed model: Linear(3,1), batch 100, MSE, SGD", 100, (3,), "mse", "sgd"),
    "mlp_small": ("MLP 64-128-128-10, batch 64, CE, SGD momentum", 64, (64,), "ce", "sgdm"),
    "mlp_large": ("MLP 784-512-512-10, batch 128, CE, Adam", 128, (784,), "ce", "adam"),
    "lenet": ("LeNet-5, batch 64 of 1x28x28, CE, SGD", 64, (1, 28, 28), "ce", "sgd"),
}


def make_batch(name, dtype=np.float32, seed=0):
    _, batch, shape, loss, _ = WORKLOADS[name]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch,) + shape).astype(dtype)
    if loss == "mse":
        y = rng.standard_normal((batch, 1)).astype(dtype)
    else:
        y = rng.integers(0, 10, batch).astype(np.int64)
    return x, y


def framework_step(m, name, device="cpu", state_dict=None):
    """A closure running one training step of workload `name` on module `m`; returns loss."""
    _, _, _, loss_kind, opt_kind = WORKLOADS[name]
    m.manual_seed(0)
    model = make_model(m, name)
    if state_dict is not None:
        model.load_state_dict({k: m.tensor(v) for k, v in state_dict.items()})
    model = model.to(device)
    x, y = make_batch(name)
    x = m.tensor(x, device=device)
    y = m.tensor(y, device=device)
    loss_fn = m.nn.MSELoss() if loss_kind == "mse" else m.nn.CrossEntropyLoss()
    if opt_kind == "sgd":
        opt = m.optim.SGD(model.parameters(), lr=0.01)
    elif opt_kind == "sgdm":
        opt = m.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    else:
        opt = m.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step, model


# ---------------------------------------------------------------- hand-written NumPy


def _softmax_ce(logits, y):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.log(p[np.arange(n), y]).mean()
    g = p
    g[np.arange(n), y] -= 1
    return loss, g / n


class _Adam:
    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        self.params = params
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        b1, b2 = self.b1, self.b2
        c1 = 1 - b1**self.t
        c2 = math.sqrt(1 - b2**self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m += (g - m) * (1 - b1)
            v *= b2
            v += (1 - b2) * g * g
            p -= (self.lr / c1) * m / (np.sqrt(v) / c2 + self.eps)


def _im2col(x, k, pad):
    # (N, C, H, W) -> (N, Ho, Wo, C*k*k) view-based patches
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))
    n, c, ho, wo = win.shape[:4]
    return win.transpose(0, 2, 3, 1, 4, 5).reshape(n, ho, wo, c * k * k), x.shape


def _col2im(gcols, xshape, c, k, pad):
    n, hp, wp = xshape[0], xshape[2], xshape[3]
    ho, wo = hp - k + 1, wp - k + 1
    g = gcols.reshape(n, ho, wo, c, k, k)
    gx = np.zeros((n, c, hp, wp), dtype=gcols.dtype)
    for i in range(k):
        for j in range(k):
            gx[:, :, i:i + ho, j:j + wo] += g[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    if pad:
        gx = gx[:, :, pad:-pad, pad:-pad]
    return gx


def _maxpool2(x):
    n, c, h, w = x.shape
    r = x.reshape(n, c, h // 2, 2, w // 2, 2)
    out = r.max(axis=(3, 5))
    mask = r == out[:, :, :, None, :, None]
    return out, mask


def _maxpool2_back(g, mask):
    gm = mask * g[:, :, :, None, :, None]
    n, c, h2, _, w2, _ = mask.shape
    return gm.reshape(n, c, h2 * 2, w2 * 2)


def numpy_step(name, state_dict):
    """A closure running one hand-written NumPy training step (forward, backward, update)."""
    x, y = make_batch(name)
    p = {k: np.array(v, dtype=np.float32) for k, v in state_dict.items()}
    if name == "seed":
        w, b = p["weight"], p["bias"]

        def step():
            out = x @ w.T + b
            d = out - y
            loss = (d * d).mean()
            g = d * (2.0 / d.size)
            gw = g.T @ x
            gb = g.sum(axis=0)
            np.subtract(w, 0.01 * gw, out=w)
            np.subtract(b, 0.01 * gb, out=b)
            return loss

        return step
    if name in ("mlp_small", "mlp_large"):
        ws = [p["0.weight"], p["2.weight"], p["4.weight"]]
        bs = [p["0.bias"], p["2.bias"], p["4.bias"]]
        params = ws + bs
        if name == "mlp_small":
            bufs = [None] * len(params)

            def update(grads):
                for i, (q, g) in enumerate(zip(params, grads)):
                    if bufs[i] is None:
                        bufs[i] = g.copy()
                    else:
                        bufs[i] *= 0.9
                        bufs[i] += g
                    q -= 0.01 * bufs[i]
        else:
            adam = _Adam(params)
            update = adam.step

        def step():
            h1 = x @ ws[0].T + bs[0]
            a1 = np.maximum(h1, 0)
            h2 = a1 @ ws[1].T + bs[1]
            a2 = np.maximum(h2, 0)
            out = a2 @ ws[2].T + bs[2]
            loss, g = _softmax_ce(out, y)
            gw2 = g.T @ a2
            gb2 = g.sum(0)
            g = (g @ ws[2]) * (h2 > 0)
            gw1 = g.T @ a1
            gb1 = g.sum(0)
            g = (g @ ws[1]) * (h1 > 0)
            gw0 = g.T @ x
            gb0 = g.sum(0)
            update([gw0, gw1, gw2, gb0, gb1, gb2])
            return loss

        return step
    if name == "lenet":
        c1w, c1b = p["0.weight"], p["0.bias"]
        c2w, c2b = p["3.weight"], p["3.bias"]
        f = [(p["7.weight"], p["7.bias"]), (p["9.weight"], p["9.bias"]),
             (p["11.weight"], p["11.bias"])]

        def step():
            col1, xs1 = _im2col(x, 5, 2)
            h1 = col1 @ c1w.reshape(6, -1).T + c1b
            h1 = h1.transpose(0, 3, 1, 2)
            a1 = np.maximum(h1, 0)
            p1, m1 = _maxpool2(a1)
            col2, xs2 = _im2col(p1, 5, 0)
            h2 = (col2 @ c2w.reshape(16, -1).T + c2b).transpose(0, 3, 1, 2)
            a2 = np.maximum(h2, 0)
            p2, m2 = _maxpool2(a2)
            z = p2.reshape(len(x), -1)
            h3 = z @ f[0][0].T + f[0][1]
            a3 = np.maximum(h3, 0)
            h4 = a3 @ f[1][0].T + f[1][1]
            a4 = np.maximum(h4, 0)
            out = a4 @ f[2][0].T + f[2][1]
            loss, g = _softmax_ce(out, y)
            grads = []
            grads.append((g.T @ a4, g.sum(0)))
            g = (g @ f[2][0]) * (h4 > 0)
            grads.append((g.T @ a3, g.sum(0)))
            g = (g @ f[1][0]) * (h3 > 0)
            grads.append((g.T @ z, g.sum(0)))
            g = (g @ f[0][0]).reshape(p2.shape)
            g = _maxpool2_back(g, m2) * (h2 > 0)
            gt = g.transpose(0, 2, 3, 1)
            gc2w = (gt.reshape(-1, 16).T @ col2.reshape(-1, col2.shape[-1])).reshape(c2w.shape)
            gc2b = gt.sum((0, 1, 2))
            gcol2 = gt @ c2w.reshape(16, -1)
            g = _col2im(gcol2, xs2, 6, 5, 0)
            g = _maxpool2_back(g, m1) * (h1 > 0)
            gt = g.transpose(0, 2, 3, 1)
            gc1w = (gt.reshape(-1, 6).T @ col1.reshape(-1, col1.shape[-1])).reshape(c1w.shape)
            gc1b = gt.sum((0, 1, 2))
            for (w, b), (gw, gb) in zip(reversed(f), grads):
                w -= 0.01 * gw
                b -= 0.01 * gb
            for q, gq in ((c2w, gc2w), (c2b, gc2b), (c1w, gc1w), (c1b, gc1b)):
                q -= 0.01 * gq
            return loss

        return step
    raise ValueError(name)
