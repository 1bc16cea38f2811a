"""The MobileNetV2-style network of examples/mobilenet: latency at batch 1,
Slim next to ONNX Runtime on the same ONNX model.

Usage: .venv/bin/python3 benchmarks/mobilenet.py DIR [--threads 1,2]
       [--repeat 2000] [--rounds 3]

DIR holds examples/mobilenet/train.py's output and evaluate.py's modules
(mobilenet.mlir, the slim-ptq-static strict modules int8-<method>.mlir and
ONNX Runtime's ort-qdq-minmax.onnx). Configurations: Slim fp32 and static
int8 (slim-run --repeat, the median of the timed calls), ONNX Runtime fp32
and its static QDQ int8 (per-channel, MinMax: what evaluate.py made), each
in its own process, interleaved over --rounds rounds; the best round's
median is reported, and every row's ratio to Slim fp32 at the same thread
count (the target: Slim int8 at most 0.5 of it).
"""

import argparse
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--method", default="percentile",
                        help="which int8-<method>.mlir of evaluate.py to time")
    a = parser.parse_args()
    import numpy as np
    x = os.path.join(a.dir, "bench-x.npy")
    np.save(x, np.load(os.path.join(a.dir, "test-images.npy"))[:1])
    configs = [
        ("Slim fp32", lambda t: slim_ms(os.path.join(a.dir, "mobilenet.mlir"), x, t, a.repeat)),
        ("Slim static int8 (%s, strict)" % a.method,
         lambda t: slim_ms(os.path.join(a.dir, "int8-%s.mlir" % a.method), x, t, a.repeat)),
        ("ONNX Runtime fp32", lambda t: ort_ms(os.path.join(a.dir, "mobilenet.onnx"), x, t, a.repeat)),
        ("ONNX Runtime static QDQ int8", lambda t: ort_ms(os.path.join(a.dir, "ort-qdq-minmax.onnx"), x, t, a.repeat)),
    ]
    threads = [int(t) for t in a.threads.split(",")]
    best = {}
    for _ in range(a.rounds):
        for t in threads:
            for name, fn in configs:
                ms = fn(t)
                best[(name, t)] = min(best.get((name, t), ms), ms)
    print("| configuration | " + " | ".join("%d thread%s: ms (/ Slim fp32)" % (t, "s" if t > 1 else "") for t in threads) + " |")
    print("|---|" + "---|" * len(threads))
    for name, _ in configs:
        cells = []
        for t in threads:
            ms = best[(name, t)]
            cells.append("%.3f (%.2f)" % (ms, ms / best[("Slim fp32", t)]))
        print("| %s | %s |" % (name, " | ".join(cells)))


if __name__ == "__main__":
    main()
