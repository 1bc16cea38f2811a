"""Latency at batch 1 of whole models, Slim next to ONNX Runtime: each
configuration timed in its own process (slim-run --repeat, or an ONNX
Runtime session), interleaved over rounds, the best round's median kept,
and a table of every row's ratio to Slim fp32 at the same thread count.
Shared by benchmarks/mobilenet.py and benchmarks/grouped.py.
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BIN = os.path.join(TOP, "build", "bin")

ORT_CHILD = r"""
import sys, time, numpy as np, onnxruntime as ort
path, threads, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
o = ort.SessionOptions(); o.intra_op_num_threads = threads; o.inter_op_num_threads = 1
sess = ort.InferenceSession(path, o, providers=["CPUExecutionProvider"])
x = np.load(sys.argv[4])
for _ in range(20):
    sess.run(None, {"x": x})
times = []
for _ in range(repeat):
    t = time.perf_counter(); sess.run(None, {"x": x}); times.append(time.perf_counter() - t)
print("%.5f" % (1000 * sorted(times)[len(times) // 2]))
"""


def slim_ms(module, x, threads, repeat):
    p = subprocess.run([os.path.join(BIN, "slim-run"), module, "--input", x,
                        "--repeat", str(repeat), "--threads", str(threads)],
                       capture_output=True, text=True, check=True)
    m = re.search(r"median ([0-9.]+) ms", p.stdout + p.stderr)
    return float(m.group(1))


def ort_ms(model, x, threads, repeat):
    p = subprocess.run([sys.executable, "-c", ORT_CHILD, model, str(threads),
                        str(repeat), x], capture_output=True, text=True, check=True)
    return float(p.stdout.strip())



def report(configs, threads, rounds):
    """Times each (name, fn(threads) -> ms) of `configs` at each thread
    count, `rounds` times interleaved, and prints the best medians with
    their ratios to the "Slim fp32" row."""
    best = {}
    for _ in range(rounds):
        for t in threads:
            for name, fn in configs:
                ms = fn(t)
                best[(name, t)] = min(best.get((name, t), ms), ms)
    print("| configuration | " + " | ".join(
        "%d thread%s: ms (/ Slim fp32)" % (t, "s" if t > 1 else "") for t in threads) + " |")
    print("|---|" + "---|" * len(threads))
    for name, _ in configs:
        cells = ["%.3f (%.2f)" % (best[(name, t)], best[(name, t)] / best[("Slim fp32", t)])
                 for t in threads]
        print("| %s | %s |" % (name, " | ".join(cells)))
