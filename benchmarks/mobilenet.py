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

from latency import ort_ms, report, slim_ms


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
    report(configs, [int(t) for t in a.threads.split(",")], a.rounds)


if __name__ == "__main__":
    main()
