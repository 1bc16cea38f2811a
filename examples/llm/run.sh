#!/usr/bin/env bash
# A LLaMA-architecture decoder end to end: text and tokenizer (.venv), the
# model trained and exported by torch 1.13 (Debian's python3), then Slim and
# ONNX Runtime side by side (.venv). See docs/results-llm.md.
# Usage: examples/llm/run.sh OUTDIR [--steps N] [evaluate.py options]
# Needs python3.11-doc (the text) and, to train in minutes rather than
# hours, libopenblas0-pthread (Debian's torch uses the system BLAS).
# Model files go to OUTDIR and are never committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$here/../.."
out="$1"; shift
steps=800
if [ "${1:-}" = "--steps" ]; then steps="$2"; shift 2; fi
for p in python3.11-doc libopenblas0-pthread; do
  dpkg -s "$p" >/dev/null 2>&1 || { echo "missing: apt-get install $p" >&2; exit 1; }
done
mkdir -p "$out"
"$top/.venv/bin/python3" "$here/prepare.py" "$out"
[ -f "$out/weights.npz" ] || /usr/bin/python3 "$here/train.py" "$out" --steps "$steps" --lr 3e-3
/usr/bin/python3 "$here/export.py" "$out" --windows 64 --calib 32
"$top/.venv/bin/python3" "$here/evaluate.py" "$out" --json "$out/results.json" "$@"
