"""Grouped convolutions at batch 1: a ResNeXt-style network (a 3x3 stem of
256 channels, then two bottleneck blocks: 1x1 to 128, 3x3 grouped 32 x 4,
1x1 back to 256, residual add, ReLUs) on a 28 x 28 image, Slim next to
ONNX Runtime on the same ONNX model. Random weights (latency does not
depend on them); calibration on 16 random images.

Usage: .venv/bin/python3 benchmarks/grouped.py DIR [--threads 1,2]
       [--repeat 500] [--rounds 3]

The model is defined and exported by Debian's torch (/usr/bin/python3,
torch.onnx.export, opset 17) into DIR, imported by slim-import, quantized
by slim-ptq-static strict=true (minmax: every convolution integer, the
grouped ones as slim.qconv2d groups 32) and by ONNX Runtime's
quantize_static (QDQ, per-channel weights, MinMax). Each configuration
runs in its own process, interleaved over --rounds rounds; the best
round's median is reported with its ratio to Slim fp32 at the same thread
count.
"""

import argparse
import os
import subprocess
import sys

from latency import BIN, ort_ms, report, slim_ms

EXPORT = r"""
import sys, numpy as np, torch, torch.nn as nn
torch.manual_seed(0)
class Block(nn.Module):
    def __init__(s, c=256, w=128, g=32):
        super().__init__()
        s.a = nn.Conv2d(c, w, 1)
        s.b = nn.Conv2d(w, w, 3, padding=1, groups=g)
        s.c = nn.Conv2d(w, c, 1)
    def forward(s, x):
        y = torch.relu(s.a(x))
        y = torch.relu(s.b(y))
        return torch.relu(s.c(y) + x)
class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.stem = nn.Conv2d(3, 256, 3, padding=1)
        s.blocks = nn.Sequential(Block(), Block())
    def forward(s, x):
        return s.blocks(torch.relu(s.stem(x)))
out = sys.argv[1]
torch.onnx.export(Net().eval(), torch.randn(1, 3, 28, 28), out + "/grouped.onnx",
                  opset_version=17, input_names=["x"], output_names=["y"])
rng = np.random.RandomState(0)
np.save(out + "/calib.npy", rng.randn(16, 3, 28, 28).astype(np.float32))
np.save(out + "/x.npy", rng.randn(1, 3, 28, 28).astype(np.float32))
"""


def run(cmd):
    subprocess.run(cmd, check=True, capture_output=True, text=True)


def prepare(d):
    """The ONNX model, Slim's fp32 and int8 modules, ONNX Runtime's QDQ."""
    run(["/usr/bin/python3", "-c", EXPORT, d])
    onnx = os.path.join(d, "grouped.onnx")
    fp32 = os.path.join(d, "grouped.mlir")
    observed = os.path.join(d, "observed.mlir")
    stats = os.path.join(d, "stats.json")
    int8 = os.path.join(d, "int8.mlir")
    run([os.path.join(BIN, "slim-import"), onnx, "--input-shape", "x=1x3x28x28", "-o", fp32])
    run([os.path.join(BIN, "slim-opt"), fp32, "--slim-insert-observers", "-o", observed])
    run([os.path.join(BIN, "slim-run"), observed, "--calibrate", os.path.join(d, "calib.npy"),
         "--stats-file", stats, "--batch", "1"])
    run([os.path.join(BIN, "slim-opt"), observed,
         "--slim-ptq-static=stats=%s method=minmax strict=true" % stats, "-o", int8])
    import numpy as np
    import onnxruntime.quantization as oq

    class Reader(oq.CalibrationDataReader):
        def __init__(self, images):
            self.it = iter([images[i:i + 1] for i in range(len(images))])

        def get_next(self):
            b = next(self.it, None)
            return None if b is None else {"x": b}

    qdq = os.path.join(d, "grouped-qdq.onnx")
    oq.quantize_static(onnx, qdq, Reader(np.load(os.path.join(d, "calib.npy"))),
                       quant_format=oq.QuantFormat.QDQ, per_channel=True,
                       activation_type=oq.QuantType.QUInt8,
                       weight_type=oq.QuantType.QInt8,
                       calibrate_method=oq.CalibrationMethod.MinMax)
    return onnx, fp32, int8, qdq


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    a = parser.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    onnx, fp32, int8, qdq = prepare(a.dir)
    x = os.path.join(a.dir, "x.npy")
    configs = [
        ("Slim fp32", lambda t: slim_ms(fp32, x, t, a.repeat)),
        ("Slim static int8 (minmax, strict)", lambda t: slim_ms(int8, x, t, a.repeat)),
        ("ONNX Runtime fp32", lambda t: ort_ms(onnx, x, t, a.repeat)),
        ("ONNX Runtime static QDQ int8", lambda t: ort_ms(qdq, x, t, a.repeat)),
    ]
    report(configs, [int(t) for t in a.threads.split(",")], a.rounds)

if __name__ == "__main__":
    sys.exit(main())
