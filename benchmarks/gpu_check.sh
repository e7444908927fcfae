#!/usr/bin/env bash
# One pass of ember's GPU checks on a machine with an NVIDIA GPU, CuPy and a CUDA torch (no
# network needed: ember runs from this source tree). Writes its logs and a summary to $OUT.
#   OUT=gpu_out bash benchmarks/gpu_check.sh
# TEST_TIMEOUT / BENCH_TIMEOUT (seconds) bound the two halves; TESTS picks the test paths.
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-gpu_out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1
PY=${PY:-python3}
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  $PY -c "import cupy, torch, numpy, sys; print('python', sys.version.split()[0], 'cupy', cupy.__version__, 'torch', torch.__version__, 'numpy', numpy.__version__)"
  $PY -c "import ember; print('ember sees cuda:', ember.cuda.is_available(), ember.cuda.get_device_name())"
} > "$OUT/gpu.txt" 2>&1
cat "$OUT/gpu.txt"
WORKERS=${WORKERS:-12}
EMBER_FAIL_LOG="$OUT/failures.log" EMBER_TEST_DEVICE=cuda timeout "${TEST_TIMEOUT:-300}" $PY -m pytest -q -p no:cacheprovider \
  -n "$WORKERS" --max-worker-restart 500 ${TESTS:-tests} --tb=native > "$OUT/tests_cuda.log" 2>&1
echo "pytest exit: $?"
tail -2 "$OUT/tests_cuda.log"
$PY tests/fakecupy/summarize.py "$OUT/failures.log" > "$OUT/summary.txt" 2>&1
head -40 "$OUT/summary.txt"
[ "${WORKLOADS:-}" = none ] && exit 0
timeout "${BENCH_TIMEOUT:-180}" $PY -m ember bench --device cuda --workloads "${WORKLOADS:-matmul,train}" \
  --json "$OUT/bench.json" --no-progress > "$OUT/bench.txt" 2>&1
echo "bench exit: $?"
cat "$OUT/bench.txt"
