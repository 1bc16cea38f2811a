#!/usr/bin/env bash
# all-MiniLM-L6-v2 end to end: weights and sentences (.venv), the torch 1.13
# model checked against sentence-transformers and exported to ONNX (Debian's
# python3), then Slim and ONNX Runtime quantized side by side (.venv).
# Usage: examples/minilm/run.sh OUTDIR [evaluate.py options]
# Model files go to OUTDIR and are never committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$here/../.."
out="$1"; shift
mkdir -p "$out"
"$top/.venv/bin/python3" "$here/prepare.py" "$out"
/usr/bin/python3 "$here/export.py" "$out"
"$top/.venv/bin/python3" "$here/evaluate.py" "$out" --slim-bin "$top/build/bin" "$@"
