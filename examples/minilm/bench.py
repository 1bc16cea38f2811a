"""Latency of one 1x128 MiniLM inference, Slim against ONNX Runtime in the
same run (the importer environment, .venv): slim-import's time, Slim's
compile time (slim-run with no timed runs) and its median over --repeat runs
(each module's own float or integer code), and ONNX Runtime on one thread
(Slim's code is single-threaded) on the same ONNX model and input. Prints a
markdown table with the ratio Slim / ONNX Runtime.

Usage: .venv/bin/python3 bench.py OUT [--slim-bin build/bin] [--repeat 20]
       [MODULE.mlirbc=LABEL ...]   (default: OUT/minilm.mlirbc = fp32)

With --pruned, instead: OUT/minilm.mlirbc with 25% of its FFN channels,
25% of its attention heads, or both removed (slim-prune pattern=channel /
pattern=head, magnitude: the criterion changes which units go, not the
shapes), each module's multiply-accumulates counted from its matmuls'
shapes, and its latency on one and two threads (slim-run --repeat, the
modules interleaved, --rounds rounds, the median of the rounds' medians)
against the unpruned model's: the time saved next to the MACs saved.
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
    p.add_argument("--pruned", action="store_true")
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_intermixed_args()
    d = a.dir
    if a.pruned:
        return pruned(a)
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


def macs(opt, path):
    """Multiply-accumulates of the module's matmuls and batch matmuls, from
    their operand shapes."""
    text = subprocess.run([opt, path, "--mlir-elide-elementsattrs-if-larger=1"],
                          check=True, capture_output=True, text=True).stdout
    total = 0
    for op, a_shape, b_shape in re.findall(
            r"linalg\.(batch_matmul|matmul)\b.*? ins\(.*? : tensor<([0-9x]+)xf32>, "
            r"tensor<([0-9x]+)xf32>\)", text):
        lhs = [int(v) for v in a_shape.split("x")]
        rhs = [int(v) for v in b_shape.split("x")]
        total += (lhs[0] if op == "batch_matmul" else 1) * lhs[-2] * lhs[-1] * rhs[-1]
    return total


def pruned(a):
    d = a.dir
    opt = os.path.join(a.slim_bin, "slim-opt")
    run = os.path.join(a.slim_bin, "slim-run")
    base = os.path.join(d, "minilm.mlirbc")
    variants = [("unpruned", base, "")]
    for label, options in (("FFN channels 25%", ["pattern=channel sparsity=0.25"]),
                           ("heads 25%", ["pattern=head sparsity=0.25"]),
                           ("both", ["pattern=channel sparsity=0.25",
                                     "pattern=head sparsity=0.25"])):
        out = os.path.join(d, "bench-%s.mlirbc" % label.split()[0].lower())
        cmd = [opt, base] + ["--slim-prune=" + o for o in options] + [
            "--emit-bytecode", "-o", out]
        subprocess.run(cmd, check=True, capture_output=True)
        variants.append((label, out, " then ".join(options)))
    counted = {label: macs(opt, path) for label, path, _ in variants}
    times = {}
    for _ in range(a.rounds):
        for label, path, _ in variants:
            for t in (1, 2):
                res = subprocess.run(
                    [run, path, "--input", os.path.join(d, "bench_ids.npy"),
                     "--input", os.path.join(d, "bench_mask.npy"), "--threads",
                     str(t), "--repeat", str(a.repeat), "--output",
                     os.path.join(d, "bench.npy")],
                    check=True, capture_output=True, text=True).stdout
                times.setdefault((label, t), []).append(
                    float(re.search(r"median ([0-9.]+) ms", res).group(1)))
    print("| module | matmul MACs (M) | MACs saved | threads | ms (median) "
          "| time saved | time saved / MACs saved |")
    print("|---|---|---|---|---|---|---|")
    for label, _, _ in variants:
        for t in (1, 2):
            ms = float(np.median(times[(label, t)]))
            ref = float(np.median(times[("unpruned", t)]))
            saved = 1 - counted[label] / counted["unpruned"]
            tsaved = 1 - ms / ref
            print("| %s | %.1f | %.1f%% | %d | %.1f | %.1f%% | %s |" % (
                label, counted[label] / 1e6, 100 * saved, t, ms, 100 * tsaved,
                "%.2f" % (tsaved / saved) if saved > 0 else "-"))


if __name__ == "__main__":
    main()
