"""Test configuration.

- hypothesis runs derandomized (the same examples every run, no example database), so CI is
  reproducible; HYPOTHESIS_PROFILE=explore draws fresh examples.
- EMBER_TEST_DEVICE=cuda runs the suite on the GPU: ember's (and, when torch sees a GPU, torch's)
  default device becomes cuda, so every test that builds tensors without naming a device builds
  them there, and the op table compares ember on cuda with torch on cuda.
- EMBER_FAKE_CUDA=1 puts tests/fakecupy (a CuPy stand-in on NumPy) first on the path, to run the
  cuda code paths on a machine without a GPU; the real check is a real GPU.
"""

import os
import sys

from hypothesis import HealthCheck, settings

if os.environ.get("EMBER_FAKE_CUDA") == "1":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "fakecupy"))

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "explore",
    derandomize=False,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TEST_DEVICE = os.environ.get("EMBER_TEST_DEVICE", "cpu")

if TEST_DEVICE != "cpu":
    import ember
    import torch

    ember.set_default_device(TEST_DEVICE)
    if torch.cuda.is_available():
        torch.set_default_device(TEST_DEVICE)
        # torch's cuDNN convolutions default to TF32 (10-bit mantissas); ember's float32 is
        # float32, and the comparison must be too
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False


# EMBER_FAIL_LOG=path appends each failure's report to a file as it happens, so a run cut off
# by a time limit (the GPU machine's) still leaves every traceback it saw
_FAIL_LOG = os.environ.get("EMBER_FAIL_LOG")


# EMBER_RESULT_LOG=path appends "outcome nodeid" for every test as it ends, so the counts of a
# run cut off before pytest's summary can still be reported
_RESULT_LOG = os.environ.get("EMBER_RESULT_LOG")


def pytest_runtest_logreport(report):
    # under pytest-xdist the controller sees every worker's reports: log there only
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if _RESULT_LOG and (report.when == "call" or report.outcome != "passed"):
        outcome = "xfailed" if hasattr(report, "wasxfail") and report.skipped else report.outcome
        if report.when != "call" and report.failed:
            outcome = "error"
        with open(_RESULT_LOG, "a") as f:
            f.write(f"{outcome} {report.nodeid}\n")
    if _FAIL_LOG and report.failed:
        text = report.longreprtext
        if len(text) > 4000:
            text = text[:1000] + "\n...\n" + text[-3000:]
        with open(_FAIL_LOG, "a") as f:
            f.write(f"\n_____ {report.nodeid} _____\n{text}\n")


def pytest_runtest_teardown(item, nextitem):
    """On the GPU: a test that made torch (or CuPy) trip a device-side assert (an out-of-range
    index on purpose, say) leaves the process's CUDA context unusable, and every later test in
    it would fail. Such a worker ends itself; pytest-xdist starts a fresh one
    (benchmarks/gpu_check.sh passes --max-worker-restart)."""
    if TEST_DEVICE == "cpu":
        return
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.synchronize()
        import cupy

        cupy.cuda.Device().synchronize()
    except Exception as exc:  # noqa: BLE001 - any CUDA error means the context is gone
        sys.stderr.write(f"\nCUDA context lost after {item.nodeid}: {exc!r}; worker exits\n")
        os._exit(3)
