#!/usr/bin/env bash
# One pass of ember's GPU checks on a machine with an NVIDIA GPU, CuPy and a CUDA torch (no
# network needed: ember runs from this source tree). Writes logs and a summary to $OUT:
#   OUT=gpu_out bash benchmarks/gpu_check.sh
# Phases, each bounded in seconds: `ember bench --device cuda` (BENCH_TIMEOUT),
# benchmarks/gpu_profile.py (PROFILE_TIMEOUT), the core test files (the op table, layers, losses,
# optimizers, training parity, amp, ember.cuda, interop; CORE_TIMEOUT), then every other test
# file (REST_TIMEOUT). Set a phase's timeout to 0 to skip it; TESTS replaces the core file list.
# results.txt holds one "outcome nodeid" line per test (tests/conftest.py, EMBER_RESULT_LOG), so
# the counts survive a phase cut off by its timeout; failures.log holds the tracebacks.
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-gpu_out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
export PYTHONUNBUFFERED=1
PY=${PY:-python3}
WORKERS=${WORKERS:-14}
SUMMARY="$OUT/summary.txt"
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  $PY -c "import cupy, torch, numpy, sys; print('python', sys.version.split()[0], 'cupy', cupy.__version__, 'torch', torch.__version__, 'numpy', numpy.__version__)"
  $PY -c "import ember; print('ember sees cuda:', ember.cuda.is_available(), ember.cuda.get_device_name())"
} > "$SUMMARY" 2>&1

CORE=${TESTS:-"tests/test_ops.py tests/test_nn_layers.py tests/test_losses.py tests/test_optim.py
  tests/test_training_parity.py tests/test_amp.py tests/test_cuda_api.py tests/test_interop.py
  tests/test_nn_sweep.py tests/test_autograd.py tests/test_cuda_kernels.py"}
REST=""
for f in tests/test_*.py; do
  case " $(echo $CORE) " in *" $f "*) ;; *) REST="$REST $f" ;; esac
done
EXTRA=""
$PY -c "import pytest_timeout" 2>/dev/null && EXTRA="--timeout 120"

run_tests() {  # name, timeout, files...
  local name=$1 limit=$2
  shift 2
  [ "$limit" = 0 ] && return
  local t0=$SECONDS
  EMBER_RESULT_LOG="$OUT/results.txt" EMBER_FAIL_LOG="$OUT/failures.log" EMBER_TEST_DEVICE=cuda \
    timeout "$limit" $PY -m pytest -q -p no:cacheprovider -p no:randomly -n "$WORKERS" \
    --max-worker-restart 500 $EXTRA --tb=native "$@" > "$OUT/tests_$name.log" 2>&1
  echo "tests $name: exit $? after $((SECONDS - t0)) s; $(tail -1 "$OUT/tests_$name.log")" >> "$SUMMARY"
}

if [ "${BENCH_TIMEOUT:-150}" != 0 ]; then
  timeout "${BENCH_TIMEOUT:-150}" $PY -m ember bench --device cuda --workloads "${WORKLOADS:-matmul,train}" \
    --backends cupy,ember-cuda,torch-cuda --json "$OUT/bench.json" --no-progress >> "$SUMMARY" 2>&1
  echo "bench exit: $?" >> "$SUMMARY"
fi
if [ "${PROFILE_TIMEOUT:-60}" != 0 ]; then
  timeout "${PROFILE_TIMEOUT:-60}" $PY benchmarks/gpu_profile.py > "$OUT/profile.txt" 2>&1
  echo "profile exit: $?" >> "$SUMMARY"
fi
run_tests core "${CORE_TIMEOUT:-300}" $CORE
run_tests rest "${REST_TIMEOUT:-300}" $REST
{
  echo "results (all phases):"
  [ -f "$OUT/results.txt" ] && cut -d' ' -f1 "$OUT/results.txt" | sort | uniq -c
  echo "failures by file:"
  [ -f "$OUT/results.txt" ] && grep -E "^(failed|error) " "$OUT/results.txt" | cut -d' ' -f2 \
    | cut -d: -f1 | sort | uniq -c | sort -rn
} >> "$SUMMARY"
[ -f "$OUT/failures.log" ] && $PY tests/fakecupy/summarize.py "$OUT/failures.log" > "$OUT/failure_kinds.txt" 2>&1
cat "$SUMMARY"
