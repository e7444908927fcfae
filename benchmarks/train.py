"""Training-step time: ember vs torch vs hand-written NumPy, interleaved in one run.

    python benchmarks/train.py [--rounds 5] [--workloads seed,mlp_small,mlp_large,lenet]

Each workload starts all three from the same weights (torch's initialisation, copied), checks
that the first-step losses agree (the benchmark never times a wrong answer), then reports the
median ms per step and the ratios. Targets: ../shared/ANCHORS.md.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import ember  # noqa: E402
from ember._bench import settle  # noqa: E402
from ember._benchwork import WORKLOADS, framework_step, numpy_step  # noqa: E402

TARGETS = {"seed": 0.3, "mlp_small": 0.6, "mlp_large": 1.0, "lenet": 1.2}


def time_step(step, backend, min_time=0.2):
    # the previous backend's thread pools must be idle first (ember/_bench.py: settle)
    settle(backend)
    for _ in range(3):
        step()
    n = 0
    start = time.perf_counter()
    while True:
        step()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time and n >= 3:
            return elapsed / n


def run(workloads, rounds, torch=None):
    rows = []
    for name in workloads:
        if torch is not None:
            t_step, t_model = framework_step(torch, name)
            sd = {k: v.detach().numpy().copy() for k, v in t_model.state_dict().items()}
        else:
            _, e_model = framework_step(ember, name)
            sd = {k: v.detach().numpy().copy() for k, v in e_model.state_dict().items()}
            t_step = None
        e_step, _ = framework_step(ember, name, state_dict=sd)
        n_step = numpy_step(name, sd)
        # correctness first: the three first-step losses must agree
        le = float(e_step().detach())
        ln = float(n_step())
        if t_step is not None:
            lt = float(t_step().detach())
            assert abs(le - lt) <= 1e-4 * max(1.0, abs(lt)), (name, le, lt)
        assert abs(le - ln) <= 1e-4 * max(1.0, abs(ln)), (name, le, ln)
        samples = {"ember": [], "numpy": [], "torch": []}
        for _ in range(rounds):
            samples["ember"].append(time_step(e_step, "ember"))
            samples["numpy"].append(time_step(n_step, "numpy"))
            if t_step is not None:
                samples["torch"].append(time_step(t_step, "torch"))
        med = {k: statistics.median(v) * 1e3 for k, v in samples.items() if v}
        rows.append((name, med))
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--workloads", default=",".join(WORKLOADS))
    args = p.parse_args(argv)
    try:
        import torch

        torch.set_num_threads(2)
    except ImportError:
        torch = None
    rows = run(args.workloads.split(","), args.rounds, torch)
    print(f"{'workload':48s} {'torch':>8s} {'numpy':>8s} {'ember':>8s} {'e/torch':>8s} "
          f"{'e/numpy':>8s} {'target':>7s}")
    for name, med in rows:
        t = med.get("torch", float("nan"))
        print(f"{WORKLOADS[name][0]:48s} {t:8.3f} {med['numpy']:8.3f} {med['ember']:8.3f} "
              f"{med['ember'] / t:8.2f} {med['ember'] / med['numpy']:8.2f} "
              f"{'<=' + str(TARGETS[name]):>7s}")
    print("(ms per step, median of rounds; ratio targets are ember/torch)")
    return rows


if __name__ == "__main__":
    main()
