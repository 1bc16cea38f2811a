"""Latency of one 1x128 MiniLM inference, Slim against ONNX Runtime in the
same run (the importer environment, .venv): slim-import's time, Slim's
compile time (slim-run with no timed runs) and its median over --repeat runs
(each module's own float or integer code), and ONNX Runtime on one thread
(Slim's code is single-threaded) on the same ONNX model and input. Prints a
markdown table with the ratio Slim / ONNX Runtime.

Usage: .venv/bin/python3 bench.py OUT [--slim-bin build/bin] [--repeat 20]
       [MODULE.mlirbc=LABEL ...]   (default: OUT/minilm.mlirbc = fp32)
"""

import argparse
import os
import re
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("modules", nargs="*")
    p.add_argument("--slim-bin", default=os.path.join(HERE, "..", "..",
                                                      "build", "bin"))
    p.add_argument("--repeat", type=int, default=20)
    a = p.parse_intermixed_args()
    d = a.dir
    ids = np.load(os.path.join(d, "ref_ids.npy"))[:1]
    mask = np.load(os.path.join(d, "ref_mask.npy"))[:1]
    np.save(os.path.join(d, "bench_ids.npy"), ids)
    np.save(os.path.join(d, "bench_mask.npy"), mask)

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    onnx_model = os.path.join(d, "minilm.onnx")
    s = ort.InferenceSession(onnx_model, opts,
                             providers=["CPUExecutionProvider"])
    feeds = {"input_ids": ids, "attention_mask": mask}
    for _ in range(3):
        s.run(None, feeds)
    times = []
    for _ in range(a.repeat):
        t = time.perf_counter()
        s.run(None, feeds)
        times.append(time.perf_counter() - t)
    ort_ms = 1e3 * float(np.median(times))

    imp = os.path.join(a.slim_bin, "slim-import")
    t = time.time()
    subprocess.run([imp, onnx_model, "-o", os.path.join(d, "bench.mlirbc")],
                   check=True, capture_output=True)
    import_s = time.time() - t

    run = os.path.join(a.slim_bin, "slim-run")
    modules = a.modules or [os.path.join(d, "minilm.mlirbc") + "=fp32"]
    print("| module | slim-import s | compile + first run s | Slim ms "
          "(median of %d) | ONNX Runtime fp32 ms (1 thread) | Slim / ORT |"
          % a.repeat)
    print("|---|---|---|---|---|---|")
    for spec in modules:
        path, _, label = spec.partition("=")
        args = [run, path, "--input", os.path.join(d, "bench_ids.npy"),
                "--input", os.path.join(d, "bench_mask.npy")]
        t = time.time()
        subprocess.run(args + ["--output", os.path.join(d, "bench.npy")],
                       check=True, capture_output=True)
        first = time.time() - t
        out = subprocess.run(args + ["--repeat", str(a.repeat), "--output",
                                     os.path.join(d, "bench.npy")],
                             check=True, capture_output=True, text=True).stdout
        ms = float(re.search(r"median ([0-9.]+) ms", out).group(1))
        print("| %s | %.1f | %.1f | %.1f | %.1f | %.2f |" % (
            label or path, import_s, first, ms, ort_ms, ms / ort_ms))


if __name__ == "__main__":
    main()
