"""Every target of ../shared/ANCHORS.md, measured in one run, with whether it holds.

    python benchmarks/targets.py [--rounds 5]

Ratios only (this machine is shared and noisy): ember's time over torch's (or NumPy's) from
interleaved measurements in this process.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import overhead  # noqa: E402
import train  # noqa: E402


def _import_time(module):
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    # as after `pip install` (which compiles bytecode): allow .pyc files, warm them once
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cwd = os.path.join(os.path.dirname(__file__), "..")
    subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, cwd=cwd)
    times = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, cwd=cwd)
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def _axpb(rounds):
    import numpy as np

    import ember

    n = 10_000_000
    rng = np.random.default_rng(0)
    a, x, b = (rng.standard_normal(n).astype(np.float32) for _ in range(3))
    ea, ex, eb = (ember.from_numpy(v) for v in (a, x, b))
    res = {"numpy": [], "ember": []}
    for _ in range(rounds):
        for k, f in (("numpy", lambda: a * x + b), ("ember", lambda: ea * ex + eb)):
            t = time.perf_counter()
            for _ in range(5):
                f()
            res[k].append((time.perf_counter() - t) / 5)
    return statistics.median(res["ember"]) / statistics.median(res["numpy"])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args(argv)
    rows = []
    res = overhead.main(["--rounds", str(args.rounds), "--number", "10000"])
    for case in ("add (10 floats)", "matmul 4x4", "sum (10 floats)"):
        r = res[case]
        rows.append((f"tiny op, no grad: {case}", r["ember"] / r["torch"], "<= 0.5x torch", 0.5))
        rows.append((f"tiny op, grad: {case}", r["ember grad"] / r["torch grad"],
                     "<= 0.5x torch", 0.5))
    c = res["100-op chain fwd+bwd, per op"]
    rows.append(("100-op chain fwd+bwd vs torch", c["ember"] / c["torch"], "<= 0.5x torch", 0.5))
    rows.append(("100-op chain fwd+bwd vs NumPy tape", c["ember"] / c["numpy"], "<= 3x NumPy",
                 3.0))
    for key, r in res.items():
        if key.endswith("GFLOP/s"):
            rows.append((key.replace(" GFLOP/s", "") + " GFLOP/s vs NumPy",
                         r["ember"] / r["numpy"], ">= 0.97x NumPy", -0.97))
    rows.append(("a*x+b on 10M floats, time vs NumPy", _axpb(args.rounds), "<= 1.11x NumPy time",
                 1 / 0.9))
    print()
    trows = train.main(["--rounds", str(args.rounds)])
    for name, med in trows:
        rows.append((f"train {name} vs torch", med["ember"] / med["torch"],
                     f"<= {train.TARGETS[name]}x torch", train.TARGETS[name]))
        if name == "mlp_large":
            rows.append(("train mlp_large vs NumPy", med["ember"] / med["numpy"],
                         "<= 1.15x NumPy", 1.15))
    imp_np = _import_time("numpy")
    imp_e = _import_time("ember")
    rows.append(("import ember - import numpy (s)", imp_e - imp_np, "<= 0.1 s", 0.1))
    print(f"\n{'target':48s} {'measured':>9s} {'goal':>20s}  holds")
    for name, value, goal, limit in rows:
        holds = value >= -limit if limit < 0 else value <= limit
        print(f"{name:48s} {value:9.3f} {goal:>20s}  {'yes' if holds else 'NO'}")


if __name__ == "__main__":
    main()
