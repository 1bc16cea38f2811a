#!/usr/bin/python3
"""Runs the Fashion-MNIST model written by make_models.py in fp32 and
through Slim's pipelines with slim-opt and slim-run on the full 10,000-image
test set, and prints one table: accuracy, drop versus fp32, PyTorch's own
static PTQ accuracy, and the size of the weights.

usage: evaluate.py DIR [--slim-bin build/bin]   (DIR from make_models.py)
"""

import argparse
import json
import os
import re
import subprocess
import sys

import numpy as np


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def weight_bytes(mlir_path):
    """Bytes of the weight constants the program carries: integer weights at
    their storage width (i4 counted as half a byte, as packed), float ones
    at 4 bytes."""
    text = open(mlir_path).read()
    total = 0.0
    for m in re.finditer(r"arith\.constant (?:dense|dense_resource)<[^>]*> : tensor<([0-9x]+)x(i4|i8|i32|f32)>", text):
        dims = [int(d) for d in m.group(1).split("x")]
        n = 1
        for d in dims:
            n *= d
        if n < 64:  # parameters (scales, zero points, small biases)
            continue
        total += n * {"i4": 0.5, "i8": 1, "i32": 4, "f32": 4}[m.group(2)]
    return total


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--slim-bin", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin"))
    a = p.parse_args()
    d, b = a.dir, a.slim_bin
    opt, slimrun = os.path.join(b, "slim-opt"), os.path.join(b, "slim-run")
    torch = json.load(open(os.path.join(d, "mlp-torch.json")))
    labels = np.load(os.path.join(d, "test-labels.npy"))
    model = os.path.join(d, "mlp.mlir")
    images = os.path.join(d, "test-images.npy")

    observed = os.path.join(d, "observed.mlir")
    stats = os.path.join(d, "stats.json")
    run([opt, model, "--slim-insert-observers", "-o", observed])
    run([slimrun, observed, "--calibrate", os.path.join(d, "calib.npy"), "--stats-file", stats, "--batch", "100"])

    configs = [("fp32", None, [])]
    for method in ("minmax", "ema", "percentile", "entropy", "mse"):
        configs.append(("static int8, %s" % method, observed, ["--slim-ptq-static=stats=%s method=%s" % (stats, method)]))
    configs.append(("static int8, minmax, per-tensor weights", observed,
                    ["--slim-ptq-static=stats=%s weight-granularity=tensor" % stats]))
    configs.append(("dynamic int8", model, ["--slim-ptq-dynamic"]))
    configs.append(("weight-only int8 per channel", model, ["--slim-weight-only=bits=8 granularity=channel"]))
    configs.append(("weight-only int4 per channel", model, ["--slim-weight-only=bits=4 granularity=channel"]))
    configs.append(("weight-only int4 groups of 16", model, ["--slim-weight-only=bits=4 granularity=group group-size=16"]))

    rows = []
    fp32 = None
    for name, source, passes in configs:
        prog = model
        if source:
            prog = os.path.join(d, "q.mlir")
            run([opt, source] + passes + ["-o", prog])
        out = os.path.join(d, "logits.npy")
        run([slimrun, prog, "--input", images, "--output", out])
        acc = float((np.load(out).argmax(1) == labels).mean())
        if fp32 is None:
            fp32 = acc
        rows.append((name, acc, acc - fp32, weight_bytes(prog)))

    print("| configuration | accuracy | vs fp32 | weights |")
    print("|---|---|---|---|")
    for name, acc, drop, size in rows:
        print("| %s | %.2f%% | %+.2f | %.0f KiB |" % (name, 100 * acc, 100 * drop, size / 1024))
    print("| PyTorch %s static PTQ, MinMax | %.2f%% | %+.2f | |" % (torch["engine"], 100 * torch["torch_ptq_minmax"], 100 * (torch["torch_ptq_minmax"] - fp32)))
    print("| PyTorch %s static PTQ, Histogram | %.2f%% | %+.2f | |" % (torch["engine"], 100 * torch["torch_ptq_histogram"], 100 * (torch["torch_ptq_histogram"] - fp32)))
    print("| PyTorch fp32 | %.2f%% | | |" % (100 * torch["fp32"]))


if __name__ == "__main__":
    sys.exit(main())
