"""`ember bench` and `ember info`: ember beside NumPy and PyTorch (and CuPy on a GPU).

Every workload first checks that the backends compute the same answer, then times each one:
medians of repeats after a warm-up, GPU work timed after a device synchronize.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

WORKLOADS = ("matmul", "elementwise", "reduce", "overhead", "train")
BACKENDS = ("numpy", "ember", "torch", "cupy", "ember-cuda", "torch-cuda")
DEVICES = ("cpu", "cuda", "all")


class BenchError(Exception):
    """A bad command-line request: reported with exit code 2."""


# ---------------------------------------------------------------- machine facts


def machine_info():
    info = {"python": platform.python_version(), "platform": platform.platform(),
            "cpu": _cpu_model(), "cores": os.cpu_count()}
    import ember

    info["ember"] = ember.version.ember
    info["numpy"] = np.__version__
    info["blas"] = _blas()
    try:
        import torch

        info["torch"] = torch.__version__
    except ImportError:
        info["torch"] = None
    try:
        import cupy

        info["cupy"] = cupy.__version__
    except Exception:
        info["cupy"] = None
    info["cuda_available"] = ember.cuda.is_available()
    info["gpu"] = ember.cuda.get_device_name(0) if info["cuda_available"] and hasattr(
        ember.cuda, "get_device_name") else None
    return info


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _blas():
    try:
        from threadpoolctl import threadpool_info

        libs = [f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads)"
                for i in threadpool_info() if i.get("user_api") == "blas"]
        return ", ".join(libs) or "unknown"
    except ImportError:
        cfg = getattr(np, "show_config", None)
        try:
            blas = np.__config__.CONFIG["Build Dependencies"]["blas"]
            return f"{blas.get('name')} {blas.get('version')}"
        except Exception:
            return "unknown (install threadpoolctl)" if cfg else "unknown"


def info_main(argv=None):
    p = argparse.ArgumentParser(prog="ember info", description="Versions, BLAS and devices.")
    p.parse_args(argv)
    info = machine_info()
    for k in ("ember", "numpy", "torch", "cupy", "python", "platform", "cpu", "cores", "blas",
              "cuda_available", "gpu"):
        print(f"{k:15s} {info[k] if info[k] is not None else 'not installed'}")
    return 0


# ---------------------------------------------------------------- timing


def _sync(backend):
    if backend in ("cupy", "ember-cuda"):
        import cupy

        cupy.cuda.Device().synchronize()
    elif backend == "torch-cuda":
        import torch

        torch.cuda.synchronize()


# After its last call a CPU library's thread pool keeps spinning: OpenBLAS's workers for about
# 2**28 cycles (~0.1 s), OpenMP's (torch) for a while too. The next library timed on the same
# two cores then loses one of them: torch's LeNet step measured 6.9 ms right after a NumPy or
# ember step and 3.9 ms alone. Each backend is therefore timed after the previous one's
# threads have gone to sleep, as it would run in a program of its own.
SETTLE_S = 0.3
_last = [None]


def settle(backend):
    """Wait for the previous CPU backend's worker threads to go idle (when the backend changes)."""
    if _last[0] is not None and _last[0] != backend:
        time.sleep(SETTLE_S)
    _last[0] = backend


def measure(fn, backend, repeats, min_time):
    """Median seconds per call after a warm-up; each repeat runs long enough to time."""
    settle(backend)
    fn()
    _sync(backend)
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        _sync(backend)
        elapsed = time.perf_counter() - start
        if elapsed >= min_time or number >= 1 << 20:
            break
        number *= 4 if elapsed < min_time / 8 else 2
    samples = [elapsed / number]
    for _ in range(repeats - 1):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        _sync(backend)
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


# ---------------------------------------------------------------- backends


def available_backends(device):
    import ember

    out = ["numpy", "ember"]
    try:
        import torch  # noqa: F401

        out.append("torch")
    except ImportError:
        pass
    gpu = ember.cuda.is_available()
    if device in ("cuda", "all") and not gpu:
        raise BenchError("--device cuda: no CUDA GPU is available to ember (CuPy + NVIDIA GPU)")
    if gpu and device in ("cuda", "all"):
        out += ["cupy", "ember-cuda"]
        try:
            import torch

            if torch.cuda.is_available():
                out.append("torch-cuda")
        except ImportError:
            pass
        if device == "cuda":
            out = [b for b in out if b in ("cupy", "ember-cuda", "torch-cuda")] + ["numpy"]
    return out


def _to_backend(arr, backend):
    import ember

    if backend == "numpy":
        return arr
    if backend == "ember":
        return ember.from_numpy(arr)
    if backend == "torch":
        import torch

        return torch.from_numpy(arr)
    if backend == "cupy":
        import cupy

        return cupy.asarray(arr)
    if backend == "ember-cuda":
        return ember.tensor(arr, device="cuda")
    if backend == "torch-cuda":
        import torch

        return torch.from_numpy(arr).cuda()
    raise BenchError(f"unknown backend {backend}")


def _to_numpy(x):
    if hasattr(x, "detach"):
        x = x.detach()
    if hasattr(x, "cpu"):
        x = x.cpu()
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    if hasattr(x, "get"):
        return x.get()
    return np.asarray(x)


# ---------------------------------------------------------------- workloads


def _check(results, what, rtol):
    # NumPy is the reference; on the GPU (where NumPy's float16 matmul is too slow) CuPy is
    ref_name = "numpy" if "numpy" in results else "cupy"
    ref = results.get(ref_name)
    for b, val in results.items():
        if ref is None or b == ref_name:
            continue
        a = _to_numpy(val).astype(np.float64)
        r = _to_numpy(ref).astype(np.float64)
        if a.shape != r.shape or not np.allclose(a, r, rtol=rtol, atol=rtol * np.abs(r).max()):
            raise AssertionError(f"{what}: {b} disagrees with NumPy; refusing to time it")


def bench_matmul(backends, sizes, dtypes, repeats, min_time, progress):
    rows = []
    for dt in dtypes:
        for n in sizes:
            rng = np.random.default_rng(n)
            a = rng.standard_normal((n, n)).astype(dt)
            b = rng.standard_normal((n, n)).astype(dt)
            ops = {bk: (_to_backend(a, bk), _to_backend(b, bk)) for bk in backends}
            outs = {bk: x @ y for bk, (x, y) in ops.items()}
            rtol = {"float16": 2e-2, "float32": 1e-3}.get(dt, 1e-9)
            _check(outs, f"matmul {n} {dt}", rtol)
            flops = 2.0 * n**3
            for bk, (x, y) in ops.items():
                sec = measure(lambda x=x, y=y: x @ y, bk, repeats, min_time)
                rows.append({"workload": "matmul", "case": f"{n} {dt}", "size": n, "dtype": dt,
                             "backend": bk, "seconds": sec, "throughput": flops / sec / 1e9,
                             "unit": "GFLOP/s"})
                progress()
    return rows


def bench_elementwise(backends, n, repeats, min_time, progress):
    rng = np.random.default_rng(0)
    arrs = [rng.standard_normal(n).astype(np.float32) for _ in range(3)]
    ops = {bk: [_to_backend(x, bk) for x in arrs] for bk in backends}
    outs = {bk: a * x + b for bk, (a, x, b) in ops.items()}
    _check(outs, "a*x+b", 1e-5)
    rows = []
    nbytes = 4 * n * 4  # three reads and one write of float32
    for bk, (a, x, b) in ops.items():
        sec = measure(lambda a=a, x=x, b=b: a * x + b, bk, repeats, min_time)
        rows.append({"workload": "elementwise", "case": f"a*x+b {n:,}", "size": n,
                     "dtype": "float32", "backend": bk, "seconds": sec,
                     "throughput": nbytes / sec / 1e9, "unit": "GB/s"})
        progress()
    return rows


def bench_reduce(backends, n, repeats, min_time, progress):
    rng = np.random.default_rng(1)
    arr = rng.standard_normal(n).astype(np.float32)
    ops = {bk: _to_backend(arr, bk) for bk in backends}
    outs = {bk: x.sum() for bk, x in ops.items()}
    _check(outs, "sum", 1e-3)
    rows = []
    for bk, x in ops.items():
        sec = measure(lambda x=x: x.sum(), bk, repeats, min_time)
        rows.append({"workload": "reduce", "case": f"sum {n:,}", "size": n, "dtype": "float32",
                     "backend": bk, "seconds": sec, "throughput": 4 * n / sec / 1e9,
                     "unit": "GB/s"})
        progress()
    return rows


def bench_overhead(backends, repeats, min_time, progress):
    import ember

    rows = []
    rng = np.random.default_rng(2)
    a = rng.standard_normal(10).astype(np.float32)
    b = rng.standard_normal(10).astype(np.float32)
    m = rng.standard_normal((4, 4)).astype(np.float32)
    cases = {
        "add (10 floats)": lambda x, y, mm: x + y,
        "matmul 4x4": lambda x, y, mm: mm @ mm,
        "sum (10 floats)": lambda x, y, mm: x.sum(),
    }
    cpu = [bk for bk in backends if bk in ("numpy", "ember", "torch")]
    for name, fn in cases.items():
        for grad in (False, True):
            for bk in cpu:
                if grad and bk == "numpy":
                    continue
                x, y, mm = (_to_backend(v, bk) for v in (a, b, m))
                if grad:
                    x, y, mm = (v.clone().requires_grad_(True) for v in (x, y, mm))
                sec = measure(lambda fn=fn, x=x, y=y, mm=mm: fn(x, y, mm), bk, repeats,
                              min_time)
                rows.append({"workload": "overhead", "case": name + (" grad" if grad else ""),
                             "size": 10, "dtype": "float32", "backend": bk, "seconds": sec,
                             "throughput": sec * 1e6, "unit": "µs/call"})
                progress()
    del ember
    return rows


def bench_train(backends, repeats, min_time, progress, workloads=None):
    import ember
    from ._benchwork import WORKLOADS as TW, framework_step, numpy_step

    rows = []
    names = workloads or list(TW)
    try:
        import torch
    except ImportError:
        torch = None
    for name in names:
        if torch is not None:
            t_step, t_model = framework_step(torch, name)
            sd = {k: v.detach().numpy().copy() for k, v in t_model.state_dict().items()}
        else:
            _, e_model = framework_step(ember, name)
            sd = {k: v.detach().numpy().copy() for k, v in e_model.state_dict().items()}
        steps = {}
        if "numpy" in backends:
            steps["numpy"] = numpy_step(name, sd)
        if "ember" in backends:
            steps["ember"] = framework_step(ember, name, state_dict=sd)[0]
        if "torch" in backends and torch is not None:
            steps["torch"] = t_step
        if "ember-cuda" in backends:
            steps["ember-cuda"] = framework_step(ember, name, "cuda", state_dict=sd)[0]
        if "torch-cuda" in backends:
            steps["torch-cuda"] = framework_step(torch, name, "cuda", state_dict=sd)[0]
        losses = {bk: float(_to_numpy(s())) for bk, s in steps.items()}
        ref = losses.get("numpy", next(iter(losses.values())))
        for bk, val in losses.items():
            if abs(val - ref) > 1e-3 * max(1.0, abs(ref)):
                raise AssertionError(f"train {name}: {bk} loss {val} != {ref}; not timed")
        # the backends take turns, round after round, and each keeps the median of its rounds:
        # a shared machine's (or GPU clock's) drift then falls on all of them alike
        samples = {bk: [] for bk in steps}
        for _ in range(max(repeats, 5)):
            for bk, s in steps.items():
                samples[bk].append(measure(s, bk, 1, min_time))
        for bk in steps:
            sec = statistics.median(samples[bk])
            rows.append({"workload": "train", "case": TW[name][0], "size": TW[name][1],
                         "dtype": "float32", "backend": bk, "seconds": sec,
                         "throughput": sec * 1e3, "unit": "ms/step"})
            progress()
    return rows


# ---------------------------------------------------------------- output


def print_table(rows, out=None):
    out = out or sys.stdout
    by_case = {}
    for r in rows:
        by_case.setdefault((r["workload"], r["case"]), {})[r["backend"]] = r
    print(f"{'workload':12s} {'case':46s} {'backend':11s} {'time':>11s} {'throughput':>16s} "
          f"{'vs numpy':>9s} {'vs torch':>9s}", file=out)
    for (wl, case), res in by_case.items():
        for bk, r in res.items():
            lower_is_better = r["unit"] in ("µs/call", "ms/step")
            ratios = []
            for ref in ("numpy", "torch"):
                refr = res.get(ref) or (res.get("torch-cuda") if ref == "torch"
                                        and bk.endswith("cuda") else None)
                if refr is None:
                    ratios.append("")
                    continue
                ratio = r["seconds"] / refr["seconds"]
                ratios.append(f"{ratio:.2f}x")
            tp = f"{r['throughput']:.2f} {r['unit']}"
            print(f"{wl:12s} {case[:46]:46s} {bk:11s} {_fmt_time(r['seconds']):>11s} "
                  f"{tp:>16s} {ratios[0]:>9s} {ratios[1]:>9s}", file=out)
            del lower_is_better
    print("(ratios are time ratios: below 1 is faster than the reference)", file=out)


def _fmt_time(s):
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs"
    if s < 1:
        return f"{s * 1e3:.3f} ms"
    return f"{s:.3f} s"


def plot(rows, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise BenchError('--plot needs matplotlib: pip install "ember[bench]"') from None
    mm = [r for r in rows if r["workload"] == "matmul"]
    if not mm:
        raise BenchError("--plot draws the matmul workload: include it (--workloads matmul)")
    dtypes = sorted({r["dtype"] for r in mm})
    fig, axes = plt.subplots(1, len(dtypes), figsize=(6 * len(dtypes), 4.5), squeeze=False)
    for ax, dt in zip(axes[0], dtypes):
        for bk in sorted({r["backend"] for r in mm}):
            pts = sorted((r["size"], r["throughput"]) for r in mm
                         if r["dtype"] == dt and r["backend"] == bk)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=bk)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("matrix size n (n x n)")
        ax.set_ylabel("GFLOP/s")
        ax.set_title(f"matmul {dt}")
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# ---------------------------------------------------------------- command line


def run(workloads, backends=None, device="cpu", full=False, progress_bar=True, sizes=None,
        train_workloads=None, quiet=False):
    bad = [w for w in workloads if w not in WORKLOADS]
    if bad:
        raise BenchError(f"unknown workload {bad[0]!r}; choose from {', '.join(WORKLOADS)}")
    if device not in DEVICES:
        raise BenchError(f"unknown device {device!r}; choose from {', '.join(DEVICES)}")
    avail = available_backends(device)
    if backends:
        bad = [b for b in backends if b not in BACKENDS]
        if bad:
            raise BenchError(f"unknown backend {bad[0]!r}; choose from {', '.join(BACKENDS)}")
        missing = [b for b in backends if b not in avail]
        if missing:
            raise BenchError(f"backend {missing[0]!r} is not available on this machine")
        use = backends
    else:
        use = avail
    repeats = 7 if full else 3
    min_time = 0.1 if full else 0.02
    mm_use = use
    if device == "cuda":
        # the GPU's matmul table: TF32-free float32 and float16 against CuPy and torch on the
        # same card, at sizes where the GPU is busy (NumPy would take minutes here)
        dtypes = ["float32", "float16"]
        if sizes is None:
            sizes = [256, 1024, 2048, 4096, 8192] if full else [1024, 4096, 8192]
        mm_use = [b for b in use if b != "numpy"]
    else:
        dtypes = ["float32", "float64"]
    if sizes is None:
        sizes = [64, 128, 256, 512, 1024, 2048, 4096] if full else [64, 256, 512, 1024]
    n_elem = 10_000_000 if full else 2_000_000
    total = 0
    for w in workloads:
        total += {"matmul": len(sizes) * len(dtypes) * len(mm_use), "elementwise": len(use),
                  "reduce": len(use), "overhead": 15,
                  "train": 4 * len(use)}[w]
    bar = _bar(total, progress_bar and not quiet)
    rows = []
    for w in workloads:
        if w == "matmul":
            rows += bench_matmul(mm_use, sizes, dtypes, repeats, min_time, bar)
        elif w == "elementwise":
            rows += bench_elementwise(use, n_elem, repeats, min_time, bar)
        elif w == "reduce":
            rows += bench_reduce(use, n_elem, repeats, min_time, bar)
        elif w == "overhead":
            rows += bench_overhead(use, repeats, min_time, bar)
        elif w == "train":
            rows += bench_train(use, repeats, min_time, bar, train_workloads)
    bar.close()
    return rows


class _bar:
    def __init__(self, total, enabled):
        self._t = None
        if enabled:
            try:
                from tqdm import tqdm

                self._t = tqdm(total=total, desc="ember bench", leave=False, ncols=80,
                               file=sys.stderr)
            except ImportError:
                self._t = None

    def __call__(self):
        if self._t is not None:
            self._t.update(1)

    def close(self):
        if self._t is not None:
            self._t.close()


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="ember bench",
        description="Measure ember beside NumPy and PyTorch (and CuPy/CUDA when there is a GPU).")
    p.add_argument("--workloads", default=None,
                   help=f"comma-separated, from {', '.join(WORKLOADS)} (default: all but train "
                        "in --quick, all in --full)")
    p.add_argument("--backends", default=None, help=f"comma-separated from {', '.join(BACKENDS)}")
    p.add_argument("--device", default="cpu", help="cpu (default), cuda or all")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="a short run (default)")
    mode.add_argument("--full", action="store_true", help="more sizes and repeats")
    p.add_argument("--sizes", default=None, help="matmul sizes, comma-separated")
    p.add_argument("--json", default=None, metavar="PATH", help="write the raw numbers as JSON")
    p.add_argument("--plot", default=None, metavar="PATH.png",
                   help="draw matmul throughput against size per backend")
    p.add_argument("--no-progress", action="store_true")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return e.code
    try:
        if args.workloads:
            workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
        else:
            workloads = list(WORKLOADS) if args.full else ["matmul", "elementwise", "reduce",
                                                           "overhead", "train"]
        backends = [b.strip() for b in args.backends.split(",")] if args.backends else None
        sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else None
        # a quick CPU run leaves LeNet out (its NumPy reference is slow); on a GPU it is cheap
        quick_cpu = not args.full and args.device == "cpu"
        train_workloads = ["seed", "mlp_small", "mlp_large"] if quick_cpu else None
        info = machine_info()
        print(f"ember {info['ember']} | NumPy {info['numpy']} | torch {info['torch']} | "
              f"CPU {info['cpu']} ({info['cores']} cores) | BLAS {info['blas']} | "
              f"GPU {info['gpu'] or 'none'}")
        rows = run(workloads, backends, args.device, args.full, not args.no_progress, sizes,
                   train_workloads)
        print_table(rows)
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"machine": info, "results": rows}, f, indent=2)
        if args.plot:
            plot(rows, args.plot)
            print(f"plot written to {args.plot}")
    except BenchError as e:
        print(f"ember bench: error: {e}", file=sys.stderr)
        return 2
    except ValueError as e:
        print(f"ember bench: error: {e}", file=sys.stderr)
        return 2
    return 0
