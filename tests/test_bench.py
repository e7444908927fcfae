"""`ember bench` / `ember info`: structure of the results, agreement of backends, plot, errors."""

import json
import subprocess
import sys

import numpy as np
import pytest

from ember import _bench


def test_workloads_at_tiny_sizes_have_rows_for_every_backend():
    rows = _bench.run(["matmul", "elementwise", "reduce"], ["numpy", "ember", "torch"],
                      sizes=[8, 16], progress_bar=False)
    mm = [r for r in rows if r["workload"] == "matmul"]
    assert {(r["size"], r["dtype"], r["backend"]) for r in mm} == {
        (n, d, b) for n in (8, 16) for d in ("float32", "float64")
        for b in ("numpy", "ember", "torch")}
    for r in rows:
        assert r["seconds"] > 0 and r["throughput"] > 0
        assert r["unit"] in ("GFLOP/s", "GB/s")
        # throughput is consistent with the time
        if r["workload"] == "matmul":
            assert r["throughput"] == pytest.approx(2 * r["size"] ** 3 / r["seconds"] / 1e9)


def test_a_backend_that_disagrees_is_not_timed(monkeypatch):
    real = _bench._to_backend

    def wrong(arr, backend):
        x = real(arr, backend)
        return x * 1.5 if backend == "ember" else x

    monkeypatch.setattr(_bench, "_to_backend", wrong)
    with pytest.raises(AssertionError, match="ember disagrees with NumPy"):
        _bench.run(["matmul"], ["numpy", "ember"], sizes=[8], progress_bar=False)


def test_overhead_and_train_rows():
    rows = _bench.run(["overhead"], ["numpy", "ember", "torch"], progress_bar=False)
    cases = {(r["case"], r["backend"]) for r in rows}
    assert ("add (10 floats)", "numpy") in cases
    assert ("add (10 floats) grad", "ember") in cases
    assert ("matmul 4x4 grad", "torch") in cases
    assert not any(b == "numpy" and c.endswith("grad") for c, b in cases)
    rows = _bench.run(["train"], ["numpy", "ember", "torch"], progress_bar=False,
                      train_workloads=["seed"])
    assert {r["backend"] for r in rows} == {"numpy", "ember", "torch"}
    assert all(r["unit"] == "ms/step" for r in rows)


def test_table_json_and_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out = tmp_path / "b.json"
    png = tmp_path / "b.png"
    code = _bench.main(["--workloads", "matmul,elementwise", "--sizes", "8,16",
                        "--json", str(out), "--plot", str(png), "--no-progress"])
    assert code == 0
    text = capsys.readouterr().out
    assert "GFLOP/s" in text and "vs numpy" in text and "BLAS" in text
    data = json.loads(out.read_text())
    assert data["machine"]["numpy"] == np.__version__
    assert len(data["results"]) > 0
    import matplotlib.image as mpimg

    img = mpimg.imread(png)
    assert img.shape[0] == 450 and img.shape[1] == 1200  # 2 panels of 6x4.5 inches at 100 dpi
    assert img.size > 0


@pytest.mark.parametrize("args,msg", [
    (["--workloads", "nope"], "unknown workload 'nope'"),
    (["--backends", "jax"], "unknown backend 'jax'"),
    (["--device", "tpu"], "unknown device 'tpu'"),
    (["--device", "cuda"], "no CUDA GPU"),
])
def test_bad_input_exits_with_code_2(args, msg, capsys):
    import ember

    if args == ["--device", "cuda"] and ember.cuda.is_available():
        pytest.skip("a GPU is present")
    assert _bench.main(args + ["--no-progress"]) == 2
    assert msg in capsys.readouterr().err


def test_command_line_entry_points():
    r = subprocess.run([sys.executable, "-m", "ember", "info"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0
    assert "numpy" in r.stdout and "cuda_available" in r.stdout
    r = subprocess.run([sys.executable, "-m", "ember", "bench", "--workloads", "bogus"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "unknown workload" in r.stderr
    r = subprocess.run([sys.executable, "-m", "ember", "frobnicate"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2
