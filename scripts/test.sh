#!/usr/bin/env bash
# Runs every test: lit (dialect, conversion, pipeline, tool and integration
# tests) and the GoogleTest unit tests (through lit), then prints one summary
# line 'slim: N passed, N failed, N skipped'. Run scripts/setup.sh first.
set -uo pipefail
cd "$(dirname "$0")/.."
ninja -C build all mlir-doc >/dev/null || { echo "slim: build failed"; exit 1; }
# Outputs of earlier runs must not satisfy a test that forgot to make them.
find build/test -type d -name Output -prune -exec rm -rf {} +
log=$(mktemp)
/usr/lib/llvm-22/bin/lit -sv build/test build/test/Unit 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
count() { awk -v key="$1" '{ line = $0; sub(/^ +/, "", line) }
  index(line, key) == 1 && match(line, /: *[0-9]+/) {
    n += substr(line, RSTART + 1) + 0 } END { print n + 0 }' "$log"; }
passed=$(count Passed)
failed=$(( $(count Failed) + $(count Unresolved) + $(count 'Timed Out') + $(count 'Unexpectedly Passed') ))
skipped=$(( $(count Unsupported) + $(count Skipped) ))
rm -f "$log"
echo "slim: ${passed:-0} passed, ${failed} failed, ${skipped} skipped"
exit "$rc"
