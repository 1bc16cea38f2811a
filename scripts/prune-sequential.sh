#!/usr/bin/env bash
# Sequential calibration for slim-prune (SparseGPT's mode): the prunable
# layers are pruned stage by stage (slim-prune's stage=), each stage
# calibrated on the module with the stages before it already pruned, so
# that its Gram matrices see the inputs the pruned model will give it.
#
#   scripts/prune-sequential.sh OBSERVED OUT "PRUNE-OPTIONS" -- CALIBRATION...
#
# OBSERVED: a module with observers (slim-opt --slim-insert-observers).
# OUT: the pruned module, observers kept (calibrate it again to quantize,
#   or slim-opt --slim-lower-observers to drop them).
# PRUNE-OPTIONS: slim-prune's options without hessians= and stage=
#   (e.g. "pattern=nm criterion=sparsegpt").
# CALIBRATION: slim-run's calibration arguments (--calibrate FILE ...,
#   --hessian-mask N, --batch N).
# SLIM_BIN (default: build/bin next to this script) names the tools;
# SLIM_KEEP=DIR keeps every stage's module and Gram matrices in DIR.
set -euo pipefail
if [ $# -lt 4 ] || [ "$4" != "--" ]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
src=$1 out=$2 opts=$3
shift 4
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SLIM_BIN:-$here/build/bin}
case "$opts" in *hessians=*|*stage=*)
  echo "prune-sequential: PRUNE-OPTIONS set hessians= and stage= themselves" >&2
  exit 2;;
esac
[ -f "$src" ] || { echo "prune-sequential: $src: no such file" >&2; exit 1; }
work=${SLIM_KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${SLIM_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

cur=$src stage=0 stages=1
while [ "$stage" -lt "$stages" ]; do
  rm -rf "$work/h$stage"
  "$bin/slim-run" "$cur" "$@" --stats-file "$work/stats$stage.json" \
    --hessians "$work/h$stage" > "$work/calibrate$stage.log"
  "$bin/slim-opt" "$cur" \
    "--slim-prune=$opts hessians=$work/h$stage stage=$stage report=$work/report$stage.json" \
    --emit-bytecode -o "$work/stage$stage.mlirbc" 2> "$work/prune$stage.log" || {
    cat "$work/prune$stage.log" >&2; exit 1; }
  # Every layer's entry in the report names the number of stages.
  stages=$(grep -o '"stages": *[0-9]*' "$work/report$stage.json" | head -1 | grep -o '[0-9]*$' || echo 0)
  echo "stage $((stage + 1))/$stages: $(grep -c '"layer"' "$work/report$stage.json") layer(s) pruned"
  cur=$work/stage$stage.mlirbc
  stage=$((stage + 1))
done
cp "$cur" "$out"
