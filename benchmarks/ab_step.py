"""One training step of a benchmark workload, ember beside torch, from a given ember tree:
for A/B comparisons of two checkouts in alternating processes.

    git worktree add /tmp/base <rev>
    for i in 1 2; do for d in /tmp/base .; do python benchmarks/ab_step.py $d lenet; done; done

Workloads: seed, mlp_small, mlp_large, lenet (ember/_benchwork.py).
"""

import sys
import time

import numpy as np


def main():
    tree, name = sys.argv[1], sys.argv[2]
    # the ember of `tree`, not the one this script sits beside
    sys.path.insert(0, tree)
    import torch

    import ember
    from ember import _benchwork as B

    torch.set_num_threads(2)
    ember_step, _ = B.framework_step(ember, name)
    torch_step, _ = B.framework_step(torch, name)
    for _ in range(20):
        ember_step()
        torch_step()

    def median_ms(step, n=80):
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            step()
            times.append(time.perf_counter() - t0)
        return float(np.median(times)) * 1e3

    def settle(_name):
        # the other backend's thread pools must be idle first (see ember/_bench.py: settle;
        # defined here as older trees under test lack it)
        time.sleep(0.3)

    e = []
    t = []
    for _ in range(5):
        # each after the other's thread pools went idle (ember/_bench.py: settle)
        settle("ember")
        e.append(median_ms(ember_step))
        settle("torch")
        t.append(median_ms(torch_step))
    em = float(np.median(e))
    tm = float(np.median(t))
    print(f"{tree} {name}: ember {em:.3f} ms, torch {tm:.3f} ms, ratio {em / tm:.3f}")


if __name__ == "__main__":
    main()
