"""Where a GPU training step's time goes: host (Python) versus device, and which Python functions.

    python benchmarks/gpu_profile.py [workload ...]     (default: mlp_small mlp_large lenet)

For each workload: ms per step for ember and torch on cuda (synchronized, medians), CuPy's
own split of ember's step into CPU and GPU time (cupyx.profiler.benchmark), then the top
functions of a cProfile of ember's steps. Tiny single ops (add, matmul, sum on 64x64) are timed
on CuPy, ember and torch first: the per-launch cost every step pays.
"""

import cProfile
import io
import os
import pstats
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import cupy  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

import ember  # noqa: E402
from ember._benchwork import framework_step  # noqa: E402


def sync():
    cupy.cuda.Device().synchronize()
    torch.cuda.synchronize()


def per_call(fn, n=200, rounds=5):
    for _ in range(20):
        fn()
    sync()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        sync()
        times.append((time.perf_counter() - t) / n)
    return statistics.median(times)


def tiny_ops():
    a = np.random.default_rng(0).standard_normal((64, 64)).astype(np.float32)
    c1, c2 = cupy.asarray(a), cupy.asarray(a)
    e1, e2 = ember.tensor(a, device="cuda"), ember.tensor(a, device="cuda")
    t1, t2 = torch.tensor(a, device="cuda"), torch.tensor(a, device="cuda")
    print("tiny op (64x64 float32)     cupy us  ember us  torch us")
    for name, f in (("add", lambda x, y: x + y), ("matmul", lambda x, y: x @ y),
                    ("sum", lambda x, y: x.sum()), ("relu", None)):
        if f is None:
            row = (per_call(lambda: cupy.maximum(c1, 0)), per_call(lambda: ember.relu(e1)),
                   per_call(lambda: torch.relu(t1)))
        else:
            row = (per_call(lambda: f(c1, c2)), per_call(lambda: f(e1, e2)),
                   per_call(lambda: f(t1, t2)))
        print(f"{name:28s} {row[0] * 1e6:7.1f} {row[1] * 1e6:9.1f} {row[2] * 1e6:9.1f}")
    e1.requires_grad_(True)

    def fwd_bwd():
        (e1 * e2).sum().backward()

    t1.requires_grad_(True)

    def tfwd_bwd():
        (t1 * t2).sum().backward()

    print(f"{'mul+sum+backward':28s} {'':7s} {per_call(fwd_bwd) * 1e6:9.1f} "
          f"{per_call(tfwd_bwd) * 1e6:9.1f}")


def main(names):
    try:
        tiny_ops()
    except Exception:  # noqa: BLE001
        import traceback

        traceback.print_exc()
    for name in names:
        try:
            profile_one(name)
        except Exception:  # noqa: BLE001 - report and go on to the next workload
            import traceback

            traceback.print_exc()


def profile_one(name):
    estep, _ = framework_step(ember, name, "cuda")
    tstep, _ = framework_step(torch, name, "cuda")
    e = per_call(estep, n=100)
    t = per_call(tstep, n=100)
    print(f"\n== {name}: ember {e * 1e3:.3f} ms, torch {t * 1e3:.3f} ms, "
          f"ratio {e / t:.2f}")
    try:
        from cupyx.profiler import benchmark

        r = benchmark(estep, n_repeat=100, n_warmup=10)
        print(f"   cupyx: cpu {np.median(r.cpu_times) * 1e3:.3f} ms, "
              f"gpu {np.median(r.gpu_times) * 1e3:.3f} ms")
    except Exception as exc:  # noqa: BLE001 - the profile is a report, not a test
        print("   cupyx.profiler failed:", exc)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(100):
        estep()
    sync()
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(28)
    lines = [ln for ln in s.getvalue().splitlines() if ln.strip()]
    print("\n".join(lines[3:36]))


if __name__ == "__main__":
    main(sys.argv[1:] or ["mlp_small", "mlp_large", "lenet"])
