#!/usr/bin/env bash
# One command: installs the peers (Debian's libdnnl-dev, libopenblas-dev;
# IREE from PyPI into .venv),
# builds slim-bench-peers next to Slim (build/, -DSLIM_BUILD_BENCHMARKS=ON),
# then runs benchmarks/run.py (ONNX Runtime from .venv, PyTorch from
# Debian's python3) and writes docs/performance.md. Arguments go to run.py
# (--quick for a smoke run, --threads 1,2, --shapes M:N:K,...).
# Benchmarks never fail on time; they fail only when something cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for p in libdnnl-dev libopenblas-dev python3-torch; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
[ -d build ] || bash scripts/setup.sh
# IREE (PyPI) as a contender, in the importer's environment.
if ! .venv/bin/python3 -c 'import iree.compiler, iree.runtime' 2>/dev/null; then
  .venv/bin/pip install -q --disable-pip-version-check \
    iree-base-compiler==3.13.0 iree-base-runtime==3.13.0
fi
cmake -S . -B build -DSLIM_BUILD_BENCHMARKS=ON >/dev/null
ninja -C build slim-opt slim-run slim-bench-peers >/dev/null
exec .venv/bin/python3 benchmarks/run.py "$@"
