#!/usr/bin/env bash
# The sanitizer configuration: builds Slim with AddressSanitizer and
# UndefinedBehaviorSanitizer (clang 22; the runtimes are Debian's
# libclang-rt-22-dev) into build-sanitize/, together with the libFuzzer
# targets (fuzz/), then runs the whole lit suite (every IR, tool, integration
# and unit test) on the instrumented tools; any report fails the run
# (-fno-sanitize-recover=all, halt_on_error). With --fuzz SECONDS it then
# runs each fuzz target for that long over its corpus, with --fuzz-runs N
# for N inputs from a fixed seed (scripts/fuzz.sh).
# Run scripts/setup.sh first. .ci/run calls this after scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzz_args=()
case "${1:-}" in
  --fuzz) fuzz_args=(--seconds "${2:?--fuzz needs a number of seconds}") ;;
  --fuzz-runs) fuzz_args=(--runs "${2:?--fuzz-runs needs a number of inputs}") ;;
esac

if ! dpkg -s libclang-rt-22-dev >/dev/null 2>&1; then
  echo "== installing: libclang-rt-22-dev"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends libclang-rt-22-dev
fi

LLVM=/usr/lib/llvm-22
echo "== configuring (build-sanitize/: ASan + UBSan + libFuzzer coverage)"
cmake -G Ninja -S . -B build-sanitize \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$LLVM/bin/clang" \
  -DCMAKE_CXX_COMPILER="$LLVM/bin/clang++" \
  -DLLVM_USE_LINKER=lld \
  -DLLVM_USE_SANITIZER="Address;Undefined" \
  -DLLVM_UBSAN_FLAGS="-fsanitize=undefined -fno-sanitize-recover=all" \
  -DLLVM_USE_SANITIZE_COVERAGE=ON \
  -DSLIM_BUILD_FUZZERS=ON \
  -DMLIR_DIR="$LLVM/lib/cmake/mlir" \
  -DLLVM_EXTERNAL_LIT="$LLVM/bin/lit" >/dev/null
echo "== building (sanitized)"
ninja -C build-sanitize all mlir-doc

# Reports end the process with a non-zero status; lit then fails the test.
# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons the unused part of
# its slabs when compiled with ASan; Slim's instrumented copies of those
# header functions and Debian's uninstrumented libMLIR.so share slabs (the
# attribute storage of Slim's dialect), so the poisoning gives false
# use-after-poison reports in MLIR's own code. Everything else stays on.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:allow_user_poisoning=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0"
find build-sanitize/test -type d -name Output -prune -exec rm -rf {} +
echo "== running every test on the sanitized build"
log=$(mktemp)
"$LLVM/bin/lit" -sv build-sanitize/test build-sanitize/test/Unit 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
if grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log"; then
  echo "slim-sanitize: sanitizer reports above"
  rc=1
fi
rm -f "$log"
echo "slim-sanitize: lit exit status $rc"
[ "$rc" -eq 0 ] || exit "$rc"

if [ ${#fuzz_args[@]} -gt 0 ]; then
  bash scripts/fuzz.sh --build build-sanitize "${fuzz_args[@]}"
fi
