"""Per-call overhead of common tensor ops on small tensors: ember vs torch, interleaved.

    python benchmarks/op_overhead.py [--number 20000] [--repeat 5] [--only "NAME;..."] [--json F]

Each op runs on an 8x16 float32 tensor (and friends); torch and ember are timed in the same
process, one round of each after the other, and the best round is kept. On tensors this small
the time is ember's Python around NumPy, which is what this benchmark watches.
"""

import argparse
import json
import os
import sys
import timeit

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import torch

import ember

torch.set_num_threads(2)

# name -> statement; `m` is the module (torch or ember)
CASES = {
    "a+b": "a+b", "a*2": "a*2", "a+v": "a+v", "a.exp()": "a.exp()", "a.relu()": "a.relu()",
    "torch.relu": "m.relu(a)", "a.sum(1)": "a.sum(1)", "a.mean()": "a.mean()",
    "a.mean(0)": "a.mean(0)", "a.max()": "a.max()", "a.max(1)": "a.max(1)",
    "a.argmax(1)": "a.argmax(1)", "a.softmax(1)": "a.softmax(1)", "a[0]": "a[0]",
    "a[:,1]": "a[:,1]", "a[idx]": "a[idx]", "a[mask]": "a[mask]", "a[1:3,2:]": "a[1:3,2:]",
    "a.view(16,8)": "a.view(16,8)", "a.reshape(-1)": "a.reshape(-1)", "a.t()": "a.t()",
    "a.transpose(0,1)": "a.transpose(0,1)", "a.unsqueeze(0)": "a.unsqueeze(0)",
    "a.permute(1,0)": "a.permute(1,0)", "cat": "m.cat([a,b])", "stack": "m.stack([a,b])",
    "a.item0": "s.item()", "a.tolist()": "a.tolist()", "a.shape": "a.shape",
    "a.size(0)": "a.size(0)", "a.dim()": "a.dim()", "a.clone()": "a.clone()",
    "a.detach()": "a.detach()", "a.float()": "a.float()", "a.to(float64)": "a.to(m.float64)",
    "zeros": "m.zeros(8,16)", "ones_like": "m.ones_like(a)",
    "tensor(list)": "m.tensor([1.0,2.0,3.0])", "arange": "m.arange(10)",
    "where": "m.where(mask,a,b)", "a.clamp(0,1)": "a.clamp(0,1)", "a@b.T": "a@b.T",
    "a.pow(2)": "a.pow(2)", "a**2": "a**2", "a.sqrt()": "a.sqrt()", "a>0.5": "a>0.5",
    "a==b": "a==b", "(a-b).abs().sum()": "(a-b).abs().sum()", "a.norm()": "a.norm()",
    "ag*2 (grad)": "ag*2", "ag.sum() (grad)": "ag.sum()", "ag[0] (grad)": "ag[0]",
    "ag.view (grad)": "ag.view(16,8)", "a.eq(b).sum().item()": "a.eq(b).sum().item()",
    "i3.sum(-1)": "i3.sum(-1)", "a.numpy()": "a.numpy()", "a.argsort(1)": "a.argsort(1)",
    "a.topk(3)": "a.topk(3)", "a.cumsum(1)": "a.cumsum(1)",
    "a.expand(2,8,16)": "a[None].expand(2,8,16)", "a.repeat(2,1)": "a.repeat(2,1)",
    "a.flatten()": "a.flatten()", "chunk": "a.chunk(2)", "split": "a.split(4)",
    "a.masked_fill": "a.masked_fill(mask, 0.0)",
    "gather": "a.gather(1, gi)", "F.one_hot": "m.nn.functional.one_hot(idx, 6)",
    "a.mul_(1)": "a.mul_(1.0)", "a.add_(b)": "w.add_(b)", "a.zero_()": "a.clone().zero_()",
}


def env(m):
    rng = np.random.default_rng(0)
    a = m.tensor(rng.random((8, 16), dtype=np.float32))
    b = m.tensor(rng.random((8, 16), dtype=np.float32))
    ag = a.clone().requires_grad_(True)
    v = m.tensor(rng.random(16, dtype=np.float32))
    idx = m.tensor([0, 3, 5])
    mask = a > 0.5
    return {"m": m, "a": a, "b": b, "ag": ag, "v": v, "idx": idx, "mask": mask,
            "s": m.tensor(2.5), "i3": m.arange(24).reshape(2, 3, 4),
            "gi": m.zeros(8, 2, dtype=m.long), "w": m.zeros(8, 16)}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--number", type=int, default=20000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--only", default="", help="case names separated by ;")
    p.add_argument("--json", default="")
    args = p.parse_args()
    names = [n for n in CASES if not args.only or n in args.only.split(";")]
    envs = {"torch": env(torch), "ember": env(ember)}
    res = {}
    for name in names:
        best = {"torch": float("inf"), "ember": float("inf")}
        timers = {k: timeit.Timer(CASES[name], globals=g) for k, g in envs.items()}
        try:
            for _ in range(args.repeat):
                for k in ("torch", "ember"):  # interleaved: both see the same machine state
                    t = timers[k].timeit(args.number) / args.number * 1e6
                    best[k] = min(best[k], t)
        except Exception as e:  # noqa: BLE001  (a case one library lacks is reported, not fatal)
            print(f"{name:24s} error: {str(e)[:60]}")
            continue
        res[name] = best
        r = best["ember"] / best["torch"]
        print(f"{name:24s} torch {best['torch']:7.2f} us  ember {best['ember']:7.2f} us  "
              f"ratio {r:5.2f}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
