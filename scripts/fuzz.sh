#!/usr/bin/env bash
# Runs Slim's libFuzzer targets (built by scripts/sanitize.sh into
# build-sanitize/fuzz) for a fixed time each, over a corpus made from the
# project's own test inputs:
#   ir        the lit tests' .mlir files, split at '// -----'
#   npy       the bundled .npy files (examples/) and a few made here
#   stats     the calibration statistics files of the tests
#   hessians  Hessian index files
# A crash, a sanitizer report, a leak or a timeout (-timeout=30 s per input)
# fails the run; libFuzzer writes the input to fuzz-findings/, which then
# becomes a regression test.
#   scripts/fuzz.sh [--build DIR] [--seconds N | --runs N] [--jobs J] [target...]
# --runs N runs N inputs per target from a fixed seed instead of a time:
# the same inputs every time on the same build (what CI uses).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build-sanitize
seconds=60
runs=0
jobs=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(npy stats hessians ir)

corpus="$build/fuzz/corpus"
mkdir -p "$corpus"/{ir,npy,stats,hessians} fuzz-findings
# Seeds from the tests (cheap to remake each run).
awk -v dir="$corpus/ir" '
  FNR == 1 { part = 0; name = FILENAME; gsub(/[^A-Za-z0-9]/, "_", name) }
  /^\/\/ -----/ { part++; next }
  { print > (dir "/" name "_" part ".mlir") }' $(find test -name '*.mlir' -not -path '*/Output/*')
find examples test -name '*.npy' -size -64k -exec cp {} "$corpus/npy/" \; 2>/dev/null || true
/usr/bin/python3 - "$corpus/npy" <<'PY'
import sys, numpy as np
d = sys.argv[1]
for i, (dt, shape) in enumerate([("<f4", (3,)), ("<f2", (2, 2)), ("|u1", (0, 4)),
                                 ("<i8", ()), ("<f8", (1, 2, 3))]):
    np.save("%s/seed%d.npy" % (d, i), np.arange(int(np.prod(shape)), dtype=dt).reshape(shape))
PY
cp test/Transforms/Inputs/*.json "$corpus/stats/"
printf '%s\n' '{"format": "slim-hessians", "version": 1, "observers": [{"id": "x", "file": "h0.npy", "rows": 3, "skipped_rows": 1}]}' > "$corpus/hessians/ok.json"
printf '%s\n' '{"format": "slim-hessians", "version": 1, "observers": [{"id": "x", "file": "bad.npy", "rows": 3}]}' > "$corpus/hessians/bad.json"

# allow_user_poisoning=0: see scripts/sanitize.sh.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:allow_user_poisoning=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
status=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/slim-$t-fuzzer"
  [ -x "$bin" ] || { echo "slim-fuzz: no $bin (run scripts/sanitize.sh)"; exit 1; }
  log="$build/fuzz/$t.log"
  extra=()
  if [ "$runs" -gt 0 ]; then
    echo "== fuzzing $t: $runs inputs from seed 1"
    extra+=(-seed=1 -runs="$runs")
  else
    echo "== fuzzing $t for ${seconds}s"
    extra+=(-max_total_time="$seconds")
  fi
  [ "$t" = ir ] && extra+=(-max_len=16384 -dict=fuzz/mlir.dict)
  [ "$jobs" -gt 1 ] && extra+=(-jobs="$jobs" -workers="$jobs")
  if "$bin" "$corpus/$t" -timeout=30 \
       -rss_limit_mb=4096 \
       -artifact_prefix="fuzz-findings/$t-" -print_final_stats=1 \
       "${extra[@]}" > "$log" 2>&1; then
    grep -E "stat::number_of_executed_units|cov: " "$log" | tail -2 || true
  else
    echo "slim-fuzz: $t FAILED; see $log and fuzz-findings/"
    tail -40 "$log"
    status=1
  fi
done
exit "$status"
