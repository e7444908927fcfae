"""Per-op overhead: ember vs torch vs NumPy, measured interleaved in one run.

    python benchmarks/overhead.py [--rounds 5] [--json out.json]

Prints the time per call of tiny ops (add of 10 floats, 4x4 matmul, sum) without and with
grad, of a 100-op chain forward + backward, and large-matmul GFLOP/s against NumPy, each as a
ratio to torch (and NumPy) from the same run. Targets: ../shared/ANCHORS.md.
"""

import argparse
import json
import os
import statistics
import sys
import timeit

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import ember  # noqa: E402

try:
    import torch

    torch.set_num_threads(2)
except ImportError:  # torch is optional: ratios to torch are then left out
    torch = None


def per_call(stmt, number):
    """Best-of-3 seconds per call of `stmt` over `number` calls."""
    t = timeit.Timer(stmt)
    return min(t.repeat(3, number)) / number


def tiny_cases():
    """name -> {backend: callable} for the tiny ops."""
    rng = np.random.default_rng(0)
    a10 = rng.standard_normal(10).astype(np.float32)
    b10 = rng.standard_normal(10).astype(np.float32)
    m4 = rng.standard_normal((4, 4)).astype(np.float32)
    n4 = rng.standard_normal((4, 4)).astype(np.float32)
    cases = {}
    ea, eb = ember.tensor(a10), ember.tensor(b10)
    em, en = ember.tensor(m4), ember.tensor(n4)
    ga, gb = ember.tensor(a10, requires_grad=True), ember.tensor(b10, requires_grad=True)
    gm, gn = ember.tensor(m4, requires_grad=True), ember.tensor(n4, requires_grad=True)
    cases["add (10 floats)"] = {"numpy": lambda: a10 + b10, "ember": lambda: ea + eb,
                                "ember grad": lambda: ga + gb}
    cases["matmul 4x4"] = {"numpy": lambda: m4 @ n4, "ember": lambda: em @ en,
                           "ember grad": lambda: gm @ gn}
    cases["sum (10 floats)"] = {"numpy": lambda: a10.sum(), "ember": lambda: ea.sum(),
                                "ember grad": lambda: ga.sum()}
    if torch is not None:
        ta, tb = torch.tensor(a10), torch.tensor(b10)
        tm, tn = torch.tensor(m4), torch.tensor(n4)
        qa, qb = ta.clone().requires_grad_(), tb.clone().requires_grad_()
        qm, qn = tm.clone().requires_grad_(), tn.clone().requires_grad_()
        cases["add (10 floats)"].update({"torch": lambda: ta + tb, "torch grad": lambda: qa + qb})
        cases["matmul 4x4"].update({"torch": lambda: tm @ tn, "torch grad": lambda: qm @ qn})
        cases["sum (10 floats)"].update({"torch": lambda: ta.sum(), "torch grad": lambda: qa.sum()})
    return cases


def chain_cases(n_ops=100):
    """Forward + backward of a chain of n_ops elementwise ops on 10 floats, per op."""
    rng = np.random.default_rng(1)
    x0 = rng.uniform(0.5, 1.0, 10).astype(np.float32)
    out = {}

    def run(m):
        x = m.tensor(x0, requires_grad=True)

        def f():
            y = x
            for i in range(n_ops // 4):
                y = y * 1.01
                y = y + 0.5
                y = y.sin()
                y = y - 0.25
            y.sum().backward()

        return f

    def numpy_tape():
        # the "no framework" limit: forward storing what backward needs, then backward
        y = x0
        tape = []
        for i in range(n_ops // 4):
            y = y * np.float32(1.01)
            y = y + np.float32(0.5)
            tape.append(y)
            y = np.sin(y)
            y = y - np.float32(0.25)
        g = np.ones_like(y)
        for s in reversed(tape):
            g = g * np.cos(s)
            g = g * np.float32(1.01)
        return g

    out["ember"] = run(ember)
    if torch is not None:
        out["torch"] = run(torch)
    out["numpy"] = numpy_tape
    return out


def matmul_gflops(sizes=(512, 1024), dtypes=("float32", "float64")):
    rows = []
    for dt in dtypes:
        for n in sizes:
            rng = np.random.default_rng(n)
            a = rng.standard_normal((n, n)).astype(dt)
            b = rng.standard_normal((n, n)).astype(dt)
            ea, eb = ember.from_numpy(a), ember.from_numpy(b)
            fns = {"numpy": lambda: a @ b, "ember": lambda: ea @ eb}
            if torch is not None:
                ta, tb = torch.from_numpy(a), torch.from_numpy(b)
                fns["torch"] = lambda: ta @ tb
            number = max(1, int(2e9 / (2 * n**3)))
            res = {k: [] for k in fns}
            for _ in range(3):
                for k, f in fns.items():
                    res[k].append(per_call(f, number))
            flops = 2 * n**3
            rows.append((f"matmul {n} {dt}", {k: flops / min(v) / 1e9 for k, v in res.items()}))
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--number", type=int, default=20000)
    p.add_argument("--json", default=None)
    p.add_argument("--no-matmul", action="store_true")
    args = p.parse_args(argv)

    results = {}
    cases = tiny_cases()
    for name, fns in cases.items():
        samples = {k: [] for k in fns}
        for _ in range(args.rounds):
            for k, f in fns.items():
                samples[k].append(per_call(f, args.number))
        results[name] = {k: statistics.median(v) * 1e6 for k, v in samples.items()}

    chain = chain_cases()
    samples = {k: [] for k in chain}
    for _ in range(args.rounds):
        for k, f in chain.items():
            samples[k].append(per_call(f, 50) / 100)
    results["100-op chain fwd+bwd, per op"] = {
        k: statistics.median(v) * 1e6 for k, v in samples.items()
    }

    print(f"{'case':34s} {'numpy':>8s} {'torch':>8s} {'ember':>8s} {'ember/torch':>12s}  "
          f"{'torch grad':>10s} {'ember grad':>10s} {'ratio':>6s}")
    for name, r in results.items():
        t = r.get("torch", float("nan"))
        e = r["ember"]
        tg = r.get("torch grad", float("nan"))
        eg = r.get("ember grad", float("nan"))
        print(f"{name:34s} {r.get('numpy', float('nan')):8.2f} {t:8.2f} {e:8.2f} "
              f"{e / t:12.2f}  {tg:10.2f} {eg:10.2f} {eg / tg:6.2f}")
    print("(µs per call; ratio = ember / torch, target <= 0.5)")
    if not args.no_matmul:
        rows = matmul_gflops()
        print(f"\n{'matmul':22s} {'numpy':>8s} {'torch':>8s} {'ember':>8s} {'ember/numpy':>12s}")
        for name, r in rows:
            print(f"{name:22s} {r['numpy']:8.1f} {r.get('torch', float('nan')):8.1f} "
                  f"{r['ember']:8.1f} {r['ember'] / r['numpy']:12.3f}")
            results[name + " GFLOP/s"] = r
        print("(GFLOP/s; target ember/numpy >= 0.97)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return results


if __name__ == "__main__":
    main()
