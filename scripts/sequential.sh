#!/usr/bin/env bash
# Sequential calibration for slim-prune and slim-low-rank (SparseGPT's and
# SVD-LLM's mode): the layers are compressed stage by stage (the passes'
# stage=), each stage calibrated on the module with the stages before it
# already compressed, so that its Gram matrices see the inputs the
# compressed model will give it.
#
#   scripts/sequential.sh PASS OBSERVED OUT "OPTIONS" -- CALIBRATION...
#
# PASS: slim-prune or slim-low-rank.
# OBSERVED: a module with observers (slim-opt --slim-insert-observers).
# OUT: the compressed module, observers kept (calibrate it again to
#   quantize, or slim-opt --slim-lower-observers to drop them).
# OPTIONS: the pass's options without hessians= and stage=
#   (e.g. "pattern=nm criterion=sparsegpt", "method=svdllm max-error=0.01").
# CALIBRATION: slim-run's calibration arguments (--calibrate FILE ...,
#   --hessian-mask N, --batch N).
# SLIM_BIN (default: build/bin next to this script) names the tools;
# SLIM_KEEP=DIR keeps every stage's module and Gram matrices in DIR.
set -euo pipefail
if [ $# -lt 5 ] || [ "$5" != "--" ]; then
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
pass=$1 src=$2 out=$3 opts=$4
shift 5
name=${SLIM_SEQUENTIAL_NAME:-sequential}
case "$pass" in
  slim-prune) verb=pruned count='"layer"';;
  slim-low-rank) verb=factorized count='"decision": "factorized"';;
  *) echo "$name: PASS must be slim-prune or slim-low-rank, got '$pass'" >&2; exit 2;;
esac
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SLIM_BIN:-$here/build/bin}
case "$opts" in *hessians=*|*stage=*)
  echo "$name: OPTIONS set hessians= and stage= themselves" >&2
  exit 2;;
esac
[ -f "$src" ] || { echo "$name: $src: no such file" >&2; exit 1; }
work=${SLIM_KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${SLIM_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

cur=$src stage=0 stages=1
while [ "$stage" -lt "$stages" ]; do
  rm -rf "$work/h$stage"
  "$bin/slim-run" "$cur" "$@" --stats-file "$work/stats$stage.json" \
    --hessians "$work/h$stage" > "$work/calibrate$stage.log"
  "$bin/slim-opt" "$cur" \
    "--$pass=$opts hessians=$work/h$stage stage=$stage report=$work/report$stage.json" \
    --emit-bytecode -o "$work/stage$stage.mlirbc" 2> "$work/pass$stage.log" || {
    cat "$work/pass$stage.log" >&2; exit 1; }
  # Every layer's entry in the report names the number of stages.
  stages=$(grep -o '"stages": *[0-9]*' "$work/report$stage.json" | head -1 | grep -o '[0-9]*$' || echo 0)
  done_here=$(grep -c "$count" "$work/report$stage.json" || true)
  echo "stage $((stage + 1))/$stages: $done_here layer(s) $verb"
  cur=$work/stage$stage.mlirbc
  stage=$((stage + 1))
done
cp "$cur" "$out"
