#!/usr/bin/env bash
# Fresh Debian bookworm machine -> Slim built, and the bundled example run.
# Installs what is missing (apt-get), configures with CMake + Ninja against
# LLVM/MLIR 22, builds everything (tools, tests), then runs slim-run on
# examples/int8-linear.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
          cmake ninja-build libgtest-dev python3)
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
