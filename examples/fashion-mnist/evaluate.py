#!/usr/bin/python3
"""Runs the Fashion-MNIST model written by make_models.py in fp32 and
through Slim's pipelines with slim-opt and slim-run on the full 10,000-image
test set, and prints one table: accuracy, drop versus fp32, PyTorch's own
static PTQ accuracy, and the size of the weights.

usage: evaluate.py DIR [--slim-bin build/bin] [--prune | --low-rank [--patterns RE]]
                   [--models mlp,cnn]
  (DIR from make_models.py; --prune, --low-rank: the pruning or the low-rank
  table instead)
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
    their storage width (int4 ones are packed two per byte into i8
    constants), float ones at 4 bytes."""
    text = open(mlir_path).read()
    total = 0.0
    for m in re.finditer(r"arith\.constant (?:dense|dense_resource)<[^>]*> : tensor<([0-9x]+)x(i8|i32|f32)>", text):
        dims = [int(d) for d in m.group(1).split("x")]
        n = 1
        for d in dims:
            n *= d
        if n < 64:  # parameters (scales, zero points, small biases)
            continue
        total += n * {"i8": 1, "i32": 4, "f32": 4}[m.group(2)]
    return total


def evaluate(d, opt, slimrun, name, images, calib, variant=""):
    """`variant` "": the model Slim's emitter wrote; "-onnx": the same
    weights exported to ONNX by torch 1.13 and brought in by slim-import."""
    torch = json.load(open(os.path.join(d, "%s-torch.json" % name)))
    labels = np.load(os.path.join(d, "test-labels.npy"))
    model = os.path.join(d, "%s%s.mlir" % (name, variant))
    images = os.path.join(d, images)
    name = name + variant
    observed = os.path.join(d, "%s-observed.mlir" % name)
    stats = os.path.join(d, "%s-stats.json" % name)
    run([opt, model, "--slim-insert-observers", "-o", observed])
    run([slimrun, observed, "--calibrate", os.path.join(d, calib), "--stats-file", stats, "--batch", "100"])

    configs = [("fp32", None, [])]
    for method in ("minmax", "ema", "percentile", "entropy", "mse"):
        configs.append(("static int8, %s" % method, observed, ["--slim-ptq-static=stats=%s method=%s" % (stats, method)]))
    configs.append(("static int8, minmax, per-tensor weights", observed,
                    ["--slim-ptq-static=stats=%s weight-granularity=tensor" % stats]))
    configs.append(("static int8 activations, minmax, int4 per-channel weights", observed,
                    ["--slim-ptq-static=stats=%s weight-bits=4" % stats]))
    configs.append(("dynamic int8", model,
                    ["--slim-ptq-dynamic=activation-granularity=tensor"]))
    configs.append(("weight-only int8 per channel", model, ["--slim-weight-only=bits=8 granularity=channel"]))
    configs.append(("weight-only int4 per channel", model, ["--slim-weight-only=bits=4 granularity=channel"]))
    configs.append(("weight-only int4 groups of 16", model, ["--slim-weight-only=bits=4 granularity=group group-size=16"]))

    print("\n%s%s\n" % (name.upper(), " (imported from ONNX by slim-import)"
                          if variant else ""))
    print("| configuration | accuracy | vs fp32 | integer ops | weights |")
    print("|---|---|---|---|---|")
    fp32 = None
    for label, source, passes in configs:
        prog = model
        if source:
            prog = os.path.join(d, "%s-q.mlir" % name)
            run([opt, source] + passes + ["-o", prog])
        out = os.path.join(d, "%s-logits.npy" % name)
        run([slimrun, prog, "--input", images, "--output", out])
        acc = float((np.load(out).argmax(1) == labels).mean())
        if fp32 is None:
            fp32 = acc
        text = open(prog).read()
        fused = len(re.findall(r"slim\.(qmatmul|qconv2d|dynamic_qmatmul) ", text))
        print("| %s | %.2f%% | %+.2f | %d | %.0f KiB |" % (
            label, 100 * acc, 100 * (acc - fp32), fused, weight_bytes(prog) / 1024))
    for key, label in (("torch_ptq_minmax", "MinMax"), ("torch_ptq_histogram", "Histogram")):
        print("| PyTorch %s static PTQ, %s | %.2f%% | %+.2f | | |" % (
            torch["engine"], label, 100 * torch[key], 100 * (torch[key] - fp32)))
    print("| PyTorch fp32 | %.2f%% | | | |" % (100 * torch["fp32"]))


# Pruning patterns (issue 16) and their slim-prune options.
PATTERNS = [("2:4", "pattern=nm n=2 m=4"), ("4:8", "pattern=nm n=4 m=8"),
            ("50% unstructured", "pattern=unstructured sparsity=0.5"),
            ("blocks 1x4, 50%", "pattern=block block=1x4 sparsity=0.5"),
            ("blocks 4x4, 50%", "pattern=block block=4x4 sparsity=0.5"),
            ("bank-balanced 50% (4 banks)", "pattern=bank banks=4 sparsity=0.5"),
            ("channels 25%", "pattern=channel sparsity=0.25")]


def observe_with_grams(d, opt, slimrun, name, images, calib):
    """The model observed and calibrated with Gram matrices (a matmul's
    inputs, a convolution's input patches) for the compression tables:
    (observed module, Gram directory, accuracy(module) on the test set,
    the fp32 accuracy)."""
    labels = np.load(os.path.join(d, "test-labels.npy"))
    model = os.path.join(d, "%s.mlir" % name)
    images = os.path.join(d, images)
    observed = os.path.join(d, "%s-observed.mlir" % name)
    hessians = os.path.join(d, "%s-hessians" % name)
    run([opt, model, "--slim-insert-observers", "-o", observed])
    run([slimrun, observed, "--calibrate", os.path.join(d, calib), "--stats-file",
         os.path.join(d, "%s-hstats.json" % name), "--batch", "100", "--hessians", hessians])

    def accuracy(prog):
        out = os.path.join(d, "%s-logits.npy" % name)
        run([slimrun, prog, "--input", images, "--output", out])
        return float((np.load(out).argmax(1) == labels).mean())

    return observed, hessians, accuracy, accuracy(model)


def evaluate_pruning(d, opt, slimrun, name, images, calib, skip, only=None):
    """Accuracy of each pattern x criterion (slim-prune on the observed
    model, its Gram matrices from the calibration set: a matmul's inputs, a
    convolution's input patches), alone and followed by static int8 (the
    pruned model calibrated again, minmax). `skip`: layers left dense by
    the patterns that prune in place (the 10-way classifier, whose 10
    columns no block or bank of these tiles; the CNN's first convolution,
    whose 9 taps 4 does not divide); channel pruning skips none (the
    classifier reads the last hidden layer's channels). `only`: a regular
    expression on the pattern labels."""
    observed, hessians, accuracy, fp32 = observe_with_grams(d, opt, slimrun, name, images, calib)
    print("\n%s pruned (fp32 %.2f%%; %s left dense)\n" % (name.upper(), 100 * fp32, skip))
    print("| pattern | criterion | accuracy | vs fp32 | + static int8 | vs fp32 |")
    print("|---|---|---|---|---|---|")
    pruned = os.path.join(d, "%s-pruned.mlir" % name)
    plain = os.path.join(d, "%s-pruned-plain.mlir" % name)
    stats = os.path.join(d, "%s-pruned-stats.json" % name)
    quantized = os.path.join(d, "%s-pruned-q.mlir" % name)
    for label, options in PATTERNS:
        if only and not re.search(only, label):
            continue
        for criterion in ("magnitude", "wanda", "sparsegpt"):
            if criterion == "sparsegpt" and "block" in options:
                continue  # SparseGPT refuses blocks
            extra = "" if criterion == "magnitude" else " hessians=" + hessians
            if "channel" not in options:
                extra += " skip=" + skip
            run([opt, observed, "--slim-prune=%s criterion=%s%s" % (
                options, criterion, extra), "-o", pruned])
            run([opt, pruned, "--slim-lower-observers", "-o", plain])
            alone = accuracy(plain)
            run([slimrun, pruned, "--calibrate", os.path.join(d, calib), "--stats-file", stats,
                 "--batch", "100"])
            run([opt, pruned, "--slim-ptq-static=stats=%s" % stats, "-o", quantized])
            q = accuracy(quantized)
            print("| %s | %s | %.2f%% | %+.2f | %.2f%% | %+.2f |" % (
                label, criterion, 100 * alone, 100 * (alone - fp32), 100 * q, 100 * (q - fp32)))


# slim-low-rank configurations: label, options (hessians= is added).
LOW_RANK = [
    ("svd, energy 0.9", "energy=0.9"),
    ("svd, rank 32", "rank=32"),
    ("asvd, rank 32", "rank=32 method=asvd"),
    ("svdllm, rank 32", "rank=32 method=svdllm"),
    ("svdllm, rank 16", "rank=16 method=svdllm"),
    ("svdllm, max-error 0.01", "max-error=0.01 method=svdllm"),
    ("onebit, SVID", "method=onebit refine-steps=0"),
    ("onebit, refined", "method=onebit"),
    ("conv tucker2, rank 4", "rank=4 conv=tucker2"),
    ("conv spatial, rank 4", "rank=4 conv=spatial"),
    ("conv depthwise", "rank=4 conv=depthwise"),
    ("conv tucker2, energy 0.9", "energy=0.9 conv=tucker2"),
]


def evaluate_low_rank(d, opt, slimrun, name, images, calib, only=None):
    """Accuracy of each slim-low-rank configuration on the observed model
    (its Gram matrices from the calibration set), with the fraction of the
    factorized layers' bytes kept (from the report), alone and
    followed by static int8 (observers dropped and inserted again for the
    new middle activations, calibrated, minmax). A matmul-only
    configuration leaves convolutions alone (conv=none) and, at a fixed
    rank, the 10-way classifier (skip=); a conv one leaves the matmuls."""
    observed, hessians, accuracy, fp32 = observe_with_grams(d, opt, slimrun, name, images, calib)
    print("\n%s low rank (fp32 %.2f%%)\n" % (name.upper(), 100 * fp32))
    print("| configuration | layers factorized | bytes kept | accuracy | vs fp32 | + static int8 | vs fp32 |")
    print("|---|---|---|---|---|---|---|")
    factored = os.path.join(d, "%s-lr.mlir" % name)
    plain = os.path.join(d, "%s-lr-plain.mlir" % name)
    reobserved = os.path.join(d, "%s-lr-observed.mlir" % name)
    stats = os.path.join(d, "%s-lr-stats.json" % name)
    quantized = os.path.join(d, "%s-lr-q.mlir" % name)
    report = os.path.join(d, "%s-lr.json" % name)
    matmuls = [l for l in open(os.path.join(d, "%s.mlir" % name)).read().split("\n")
               if "linalg.matmul" in l]
    for label, options in LOW_RANK:
        if only and not re.search(only, label):
            continue
        conv = "conv=" in options
        if conv and name != "cnn":
            continue
        extra = " hessians=" + hessians
        if conv:
            extra += " skip=" + ",".join("main/linalg.matmul#%d" % i for i in range(len(matmuls)))
        else:
            extra += " conv=none"
            if "rank=" in options:
                # The 10-way classifier has no rank 16 or 32 (refused).
                extra += " skip=main/linalg.matmul#%d" % (len(matmuls) - 1)
        run([opt, observed, "--slim-low-rank=%s%s report=%s" % (options, extra, report),
             "-o", factored])
        layers = [l for l in json.load(open(report))["layers"] if "reason" not in l
                  or not l["reason"].startswith("skip=")]
        if not layers:
            continue  # nothing this configuration takes (the CNN's matmul is its classifier)
        # Bytes (for the SVD methods, the parameters: 4 bytes each; OneBit
        # holds 1 bit per weight and two f32 scale vectors).
        before = sum(l["bytes_before"] for l in layers)
        after = sum(l.get("bytes_after", l["bytes_before"]) for l in layers)
        count = sum(1 for l in layers if l["decision"] == "factorized")
        run([opt, factored, "--slim-lower-observers", "-o", plain])
        alone = accuracy(plain)
        run([opt, factored, "--slim-lower-observers", "--slim-insert-observers", "-o", reobserved])
        run([slimrun, reobserved, "--calibrate", os.path.join(d, calib), "--stats-file", stats,
             "--batch", "100"])
        run([opt, reobserved, "--slim-ptq-static=stats=%s" % stats, "-o", quantized])
        q = accuracy(quantized)
        print("| %s | %d of %d | %.3f | %.2f%% | %+.2f | %.2f%% | %+.2f |" % (
            label, count, len(layers), after / before if before else 1.0, 100 * alone,
            100 * (alone - fp32), 100 * q, 100 * (q - fp32)), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--slim-bin", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin"))
    p.add_argument("--prune", action="store_true")
    p.add_argument("--patterns", help="--prune: only the patterns whose label "
                   "matches this regular expression")
    p.add_argument("--models", default="mlp,cnn")
    p.add_argument("--low-rank", action="store_true",
                   help="the low-rank table instead (--patterns filters its labels)")
    a = p.parse_args()
    opt = os.path.join(a.slim_bin, "slim-opt")
    slimrun = os.path.join(a.slim_bin, "slim-run")
    imp = os.path.join(a.slim_bin, "slim-import")
    for name, images, calib in (("mlp", "test-images.npy", "calib.npy"),
                                ("cnn", "test-images-nchw.npy", "calib-nchw.npy")):
        if (not os.path.exists(os.path.join(a.dir, name + ".mlir"))
                or name not in a.models.split(",")):
            continue
        if a.low_rank:
            evaluate_low_rank(a.dir, opt, slimrun, name, images, calib, a.patterns)
            continue
        if a.prune:
            # The MLP's two hidden Linears; the CNN's second convolution.
            skip = ("main/linalg.matmul#2" if name == "mlp" else
                    "main/linalg.conv_2d_nchw_fchw#0,main/linalg.matmul#0")
            evaluate_pruning(a.dir, opt, slimrun, name, images, calib, skip,
                             a.patterns)
            continue
        evaluate(a.dir, opt, slimrun, name, images, calib)
        onnx = os.path.join(a.dir, name + ".onnx")
        if os.path.exists(onnx) and os.path.exists(imp):
            # The batch stays dynamic, as in the emitted model: one run
            # takes the whole test set.
            run([imp, onnx, "--allow-dynamic", "-o",
                 os.path.join(a.dir, name + "-onnx.mlir")])
            evaluate(a.dir, opt, slimrun, name, images, calib, "-onnx")


if __name__ == "__main__":
    sys.exit(main())
