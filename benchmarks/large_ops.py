"""Large elementwise and row-wise ops (8192 x 512 float32, a transformer block's activations):
ember against torch in the same run.

ember's cost here is NumPy's: one thread, and float32 exp/tanh/sigmoid/erf evaluated in
float64 and rounded once (torch's values are nearly correctly rounded; NumPy's float32 SIMD
versions are an ulp off for up to 40% of inputs, which shows in printed results). torch runs
vectorised kernels on both cores.

    python benchmarks/large_ops.py [--rounds 5]
"""

import argparse
import time

import numpy as np
import torch

import ember

CASES = {
    "add": lambda m, F, a: a + a,
    "mul by scalar": lambda m, F, a: a * 0.5,
    "relu": lambda m, F, a: F.relu(a),
    "exp": lambda m, F, a: m.exp(a),
    "tanh": lambda m, F, a: m.tanh(a),
    "sigmoid": lambda m, F, a: m.sigmoid(a),
    "silu": lambda m, F, a: F.silu(a),
    "gelu (erf)": lambda m, F, a: F.gelu(a),
    "gelu (tanh)": lambda m, F, a: F.gelu(a, approximate="tanh"),
    "softmax(-1)": lambda m, F, a: F.softmax(a, -1),
    "log_softmax(-1)": lambda m, F, a: F.log_softmax(a, -1),
    "layer_norm": lambda m, F, a: F.layer_norm(a, (a.shape[-1],)),
    "sum(-1)": lambda m, F, a: a.sum(-1),
    "cross_entropy": lambda m, F, a: F.cross_entropy(a, m.zeros(a.shape[0], dtype=m.long)),
}


def _time(fn, repeats):
    best = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best.append(time.perf_counter() - t0)
    return float(np.median(best))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(2)
    x = np.random.default_rng(0).standard_normal((8192, 512)).astype(np.float32)
    inputs = {"ember": ember.from_numpy(x), "torch": torch.from_numpy(x)}
    mods = {"ember": (ember, ember.nn.functional), "torch": (torch, torch.nn.functional)}
    print(f"{'op':18s} {'torch ms':>9s} {'ember ms':>9s} {'ember/torch':>12s}")
    for name, case in CASES.items():
        times = {"ember": [], "torch": []}
        for _ in range(args.rounds):
            # interleaved, each warmed up once per round
            for lib in ("torch", "ember"):
                m, F = mods[lib]
                a = inputs[lib]
                case(m, F, a)
                times[lib].append(_time(lambda: case(m, F, a), 3))
        t = float(np.median(times["torch"])) * 1e3
        e = float(np.median(times["ember"])) * 1e3
        print(f"{name:18s} {t:9.2f} {e:9.2f} {e / t:12.1f}")


if __name__ == "__main__":
    main()
