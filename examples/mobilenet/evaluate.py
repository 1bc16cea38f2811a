"""The MobileNetV2-style network of train.py quantized by Slim, PyTorch and
ONNX Runtime, side by side, on the same weights and images.

Imports OUT/mobilenet.onnx with slim-import, runs Slim's fp32 on the test
images, calibrates on OUT/calib.npy (slim-insert-observers, slim-run
--calibrate) and quantizes with slim-ptq-static strict=true (it fails if any
convolution, depthwise convolution, residual add or matmul stays in float)
for each range method; runs ONNX Runtime's fp32 and its static QDQ
quantization (quantize_static, per-channel weights, u8 activations, the
same calibration images, MinMax and Percentile) of the same ONNX file; and
prints one markdown table of top-1 accuracy on the test images next to
PyTorch's (OUT/torch.json, from train.py).

Usage: .venv/bin/python3 examples/mobilenet/evaluate.py OUT
       [--slim-bin build/bin] [--test N]
"""

import argparse
import json
import logging
import os
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort
from onnxruntime import quantization as oq

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
logging.getLogger("onnxruntime").setLevel(logging.WARNING)
logging.getLogger().setLevel(logging.ERROR)
ort.set_default_logger_severity(3)
METHODS = ["minmax", "percentile", "mse", "entropy"]


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd),
                                           p.stderr[-3000:]))
    return p.stdout


class Reader(oq.CalibrationDataReader):
    def __init__(self, images, batch=50):
        self.batches = iter([images[i:i + batch] for i in range(0, len(images), batch)])

    def get_next(self):
        b = next(self.batches, None)
        return None if b is None else {"x": b}


def ort_logits(model, images):
    sess = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    return np.concatenate([sess.run(None, {"x": images[i:i + 500]})[0]
                           for i in range(0, len(images), 500)])


def quantize(slim, out, observed, stats, method):
    """slim-ptq-static strict=true with `method`; returns the module's path."""
    path = os.path.join(out, "int8-%s.mlir" % method)
    run([os.path.join(slim, "slim-opt"), observed,
         "--slim-ptq-static=stats=%s method=%s strict=true" % (stats, method),
         "-o", path])
    return path


def integer_ops(path):
    text = open(path).read()
    return {op: text.count("slim." + op + " ") for op in ("qconv2d", "qadd", "qmatmul")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--slim-bin", default=os.path.join(TOP, "build", "bin"))
    parser.add_argument("--test", type=int, default=10000)
    a = parser.parse_args()
    out, slim = a.out, a.slim_bin
    images = np.load(os.path.join(out, "test-images.npy"))[:a.test]
    labels = np.load(os.path.join(out, "test-labels.npy"))[:a.test]
    np.save(os.path.join(out, "eval-images.npy"), images)
    calib = np.load(os.path.join(out, "calib.npy"))
    onnx_path = os.path.join(out, "mobilenet.onnx")
    acc = lambda logits: float((logits.reshape(len(labels), -1).argmax(1) == labels).mean())
    rows = []

    torch_acc = json.load(open(os.path.join(out, "torch.json")))
    rows.append(("PyTorch fp32", torch_acc["fp32"], "train.py"))
    rows.append(("PyTorch static int8 (FX, onednn, histogram)", torch_acc["ptq_int8"], "train.py"))

    imported = os.path.join(out, "mobilenet.mlir")
    # Batch 1 (Slim's pipelines want static shapes); slim-run --samples runs
    # the images one at a time.
    run([os.path.join(slim, "slim-import"), onnx_path, "--input-shape",
         "x=1x1x28x28", "-o", imported])
    run([os.path.join(slim, "slim-run"), imported, "--samples",
         os.path.join(out, "eval-images.npy"), "--output", os.path.join(out, "slim-fp32.npy")])
    rows.append(("Slim fp32", acc(np.load(os.path.join(out, "slim-fp32.npy"))), ""))

    observed = os.path.join(out, "observed.mlir")
    stats = os.path.join(out, "stats.json")
    run([os.path.join(slim, "slim-opt"), imported, "--slim-insert-observers", "-o", observed])
    run([os.path.join(slim, "slim-run"), observed, "--calibrate",
         os.path.join(out, "calib.npy"), "--stats-file", stats, "--batch", "50"])
    for method in METHODS:
        path = quantize(slim, out, observed, stats, method)
        logits = os.path.join(out, "slim-%s.npy" % method)
        run([os.path.join(slim, "slim-run"), path, "--samples",
             os.path.join(out, "eval-images.npy"), "--output", logits])
        ops = integer_ops(path)
        rows.append(("Slim static int8 (%s, strict)" % method, acc(np.load(logits)),
                     "%d qconv2d, %d qadd, %d qmatmul" % (ops["qconv2d"], ops["qadd"], ops["qmatmul"])))

    rows.append(("ONNX Runtime fp32", acc(ort_logits(onnx_path, images)), ""))
    for method in ("MinMax", "Percentile"):
        qdq = os.path.join(out, "ort-qdq-%s.onnx" % method.lower())
        oq.quantize_static(onnx_path, qdq, Reader(calib), quant_format=oq.QuantFormat.QDQ,
                           per_channel=True, activation_type=oq.QuantType.QUInt8,
                           weight_type=oq.QuantType.QInt8,
                           calibrate_method=getattr(oq.CalibrationMethod, method))
        rows.append(("ONNX Runtime static QDQ int8 (%s, per channel)" % method,
                     acc(ort_logits(qdq, images)), ""))

    print("| configuration | top-1 (%d test images) | integer ops |" % len(labels))
    print("|---|---|---|")
    for name, value, note in rows:
        print("| %s | %.2f%% | %s |" % (name, 100 * value, note))


if __name__ == "__main__":
    main()
