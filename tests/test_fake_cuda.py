"""The cuda code paths on any machine: a slice of the op table and the training tests run in a
subprocess with tests/fakecupy standing in for CuPy (see tests/conftest.py). A regression that
puts a NumPy call on a device array fails here before it reaches a GPU."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ops whose cuda paths differ from the CPU ones (fast paths, xp-specific fallbacks)
OPS = ("add or mul or sub or div or matmul or linear or cross_entropy or nll_loss or softmax "
       "or conv2d or max_pool2d or cummax or mode or scatter_reduce or grid_sample or where "
       "or irfft or linalg_solve or embedding or lgamma or digamma or polygamma or i0 "
       "or special_i1 or igamma")


@pytest.mark.skipif(os.environ.get("EMBER_TEST_DEVICE", "cpu") != "cpu",
                    reason="already running on a device")
def test_cuda_paths_on_the_cupy_stand_in():
    env = dict(os.environ, EMBER_FAKE_CUDA="1", EMBER_TEST_DEVICE="cuda")
    env.pop("EMBER_FAIL_LOG", None)
    base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"]
    # -k filters every file given, so the op slice runs on its own
    for args in (["tests/test_ops.py", "-k", OPS],
                 ["tests/test_cuda_api.py", "tests/test_training_parity.py",
                  "tests/test_optim.py"]):
        r = subprocess.run(base + args, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=600)
        assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
        assert " passed" in r.stdout
