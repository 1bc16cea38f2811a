"""Step 3 of examples/minilm (the importer environment, .venv): all-MiniLM-L6-v2
quantized by Slim and by ONNX Runtime, side by side, on the same ONNX model
and sentences.

Imports OUT/minilm.onnx with slim-import once, checks Slim's fp32 and ONNX
Runtime's fp32 against the 8 reference embeddings of sentence-transformers,
then embeds the evaluation set with every configuration and prints one table
(markdown) of: mean and 1st-percentile cosine similarity to the fp32
embeddings (ONNX Runtime fp32 is the reference), and recall@10 agreement of
nearest-neighbour retrieval over the evaluation set (each sentence a query,
its 10 nearest others by the configuration's embeddings vs by fp32's).

Usage: .venv/bin/python3 evaluate.py OUT [--slim-bin build/bin] [--eval N]
       [--calib N] [--only REGEX] [--jobs N]
Every configuration's embeddings are kept in OUT/emb-<tag>-<N>.npy; with
--only, the configurations whose tag does not match are read back from
there, so parts can run in parallel and a last run prints the whole table.
Needs prepare.py and export.py to have run on OUT.
"""

import argparse
import concurrent.futures
import json
import logging
import os
import re
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort
from onnxruntime import quantization as oq

HERE = os.path.dirname(os.path.abspath(__file__))
# The quantizers log every node they visit at INFO.
logging.getLogger("onnxruntime").setLevel(logging.WARNING)
logging.getLogger().setLevel(logging.WARNING)


def run(cmd):
    t = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd),
                                           p.stderr[-3000:]))
    return time.time() - t, p.stdout


def normalize(e):
    return e / np.linalg.norm(e, axis=1, keepdims=True)


def metrics(emb, ref, k=10):
    emb, ref = normalize(emb.astype(np.float64)), normalize(ref.astype(np.float64))
    cos = (emb * ref).sum(1)
    def neighbours(x):
        sim = x @ x.T
        np.fill_diagonal(sim, -np.inf)
        return np.argsort(-sim, axis=1)[:, :k]
    a, b = neighbours(emb), neighbours(ref)
    recall = np.mean([len(set(a[i]) & set(b[i])) / k for i in range(len(a))])
    return cos.mean(), np.percentile(cos, 1), recall


class Reader(oq.CalibrationDataReader):
    def __init__(self, ids, mask):
        self.rows = iter(range(len(ids)))
        self.ids, self.mask = ids, mask

    def get_next(self):
        i = next(self.rows, None)
        if i is None:
            return None
        return {"input_ids": self.ids[i:i + 1],
                "attention_mask": self.mask[i:i + 1]}


def ort_embed(model, ids, mask):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    s = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
    t = time.time()
    out = np.concatenate([s.run(None, {"input_ids": ids[i:i + 1],
                                       "attention_mask": mask[i:i + 1]})[0]
                          for i in range(len(ids))])
    return out, (time.time() - t) / len(ids)


def ort_configs(d, calib_ids, calib_mask, wanted):
    """(label, kind, path) of ONNX Runtime's quantized models (only those
    `wanted` are made)."""
    src = os.path.join(d, "minilm.onnx")
    pre = os.path.join(d, "ort-pre.onnx")
    if not os.path.exists(pre) and wanted("ort-"):
        oq.quant_pre_process(src, pre, skip_symbolic_shape=True)
    out = []
    for per_channel in (False, True):
        p = os.path.join(d, "ort-dynamic-%s.onnx" % ("ch" if per_channel else "t"))
        if wanted(p):
            oq.quantize_dynamic(pre, p, weight_type=oq.QuantType.QInt8,
                                per_channel=per_channel)
        out.append(("ORT quantize_dynamic int8, per-%s weights" %
                    ("channel" if per_channel else "tensor"), "dynamic int8", p))
    # ORT's defaults quantize every supported op (the mask's -10000 add and
    # the softmax input among them); "MatMul only" quantizes what Slim does.
    # quant_pre_process (ORT's recommended first step) fuses the FFN's
    # MatMul + Add into Gemm, which MatMul-only quantization and MatMulNBits
    # then leave in float (12 of the 36 Linears, 2/3 of the weights):
    # "-raw" variants quantize the exported model as it is, all 36.
    static = ((pre, None, "", "default ops"),
              (pre, ["MatMul"], "-matmul", "MatMul only (24 of 36 Linears)"),
              (src, ["MatMul"], "-matmul-raw", "MatMul only, without "
               "pre-processing (all 36 Linears)"))
    for method in ("MinMax", "Entropy", "Percentile"):
        for model, ops, suffix, what in static:
            p = os.path.join(d, "ort-static-%s%s.onnx" % (method.lower(),
                                                          suffix))
            if wanted(p):
                oq.quantize_static(
                    model, p, Reader(calib_ids, calib_mask),
                    quant_format=oq.QuantFormat.QDQ, per_channel=True,
                    activation_type=oq.QuantType.QUInt8,
                    weight_type=oq.QuantType.QInt8, op_types_to_quantize=ops,
                    calibrate_method=getattr(oq.CalibrationMethod, method))
            out.append(("ORT quantize_static QDQ u8/s8, %s, per-channel "
                        "weights, %s" % (method, what), "static int8", p))
    from onnxruntime.quantization.matmul_nbits_quantizer import \
        MatMulNBitsQuantizer
    import onnx
    for symmetric, name, how in ((True, "int4", "symmetric"),
                                 (False, "int4-asym", "with zero points")):
        for model, suffix, what in (
                (pre, "", " (24 of 36 Linears: the FFN's are Gemm after "
                 "pre-processing)"),
                (src, "-raw", ", without pre-processing (all 36 Linears)")):
            p = os.path.join(d, "ort-%s%s.onnx" % (name, suffix))
            if wanted(p):
                q = MatMulNBitsQuantizer(onnx.load(model), block_size=32,
                                         is_symmetric=symmetric)
                q.process()
                q.model.save_model_to_file(p, use_external_data_format=False)
            out.append(("ORT MatMulNBits int4 %s, blocks of 32%s" % (how, what),
                        "weight-only int4", p))
    return out


# SmoothQuant's migration strength (slim-smooth-activations alpha=).
SMOOTH_ALPHA = os.environ.get("SLIM_SMOOTH_ALPHA", "0.5")
SMOOTH_TAG = "" if SMOOTH_ALPHA == "0.5" else "-a" + SMOOTH_ALPHA.replace(".", "")

# The FFN's two Linears of each of the 6 layers (up: #6k+4, down: #6k+5 in
# the per-layer report): what ORT's pre-processed flow leaves in float.
FFN = "main/linalg.matmul#(%s)" % "|".join(
    str(6 * k + j) for k in range(6) for j in (4, 5))
# The FFN down-projections alone (their input is the GELU output).
DOWN = "main/linalg.matmul#(%s)" % "|".join(str(6 * k + 5) for k in range(6))


def slim_configs(d, opt, slimrun, calib_ids, calib_mask, wanted):
    """(label, kind, path) of Slim's quantized modules (only those `wanted`
    are built)."""
    model = os.path.join(d, "minilm.mlirbc")
    observed = os.path.join(d, "minilm-observed.mlirbc")
    stats = os.path.join(d, "minilm-stats.json")
    np.save(os.path.join(d, "calib-sub_ids.npy"), calib_ids)
    np.save(os.path.join(d, "calib-sub_mask.npy"), calib_mask)

    def calibrate(module, stats_file, extra=()):
        t, _ = run([slimrun, module, "--calibrate",
                    os.path.join(d, "calib-sub_ids.npy"), "--calibrate",
                    os.path.join(d, "calib-sub_mask.npy"), "--stats-file",
                    stats_file] + list(extra))
        print("calibrated %s on %d sentences in %.0f s" %
              (os.path.basename(module), len(calib_ids), t), file=sys.stderr)

    if any(wanted("slim-static-%s-%s" % (o, m)) for o in ("quantize", "float")
           for m in ("minmax", "percentile", "entropy", "mse")):
        run([opt, model, "--slim-insert-observers", "--emit-bytecode", "-o",
             observed])
        calibrate(observed, stats)
    # GPTQ: the Gram matrices of the observed module's activations; for
    # pruning, the same without the padding tokens (argument 1, the
    # attention mask: docs/pruning.md).
    hessians = os.path.join(d, "minilm-hessians")
    masked = os.path.join(d, "minilm-hessians-masked")
    pruning = any(wanted("slim-prune-%s-%s" % (p, c))
                  for p in ("2of4", "50pct") for c in ("wanda", "sparsegpt"))
    if (wanted("slim-w4-gptq") or pruning) and not os.path.exists(observed):
        run([opt, model, "--slim-insert-observers", "--emit-bytecode",
             "-o", observed])
    if wanted("slim-w4-gptq"):
        calibrate(observed, os.path.join(d, "minilm-hessians-stats.json"),
                  ["--hessians", hessians])
    if pruning:
        calibrate(observed, os.path.join(d, "minilm-masked-stats.json"),
                  ["--hessians", masked, "--hessian-mask", "1"])
    # SmoothQuant: per-channel statistics, smoothing, a second calibration
    # of the smoothed module.
    smoothed = os.path.join(d, "minilm-smoothed%s.mlirbc" % SMOOTH_TAG)
    smooth_stats = os.path.join(d, "minilm-smoothed%s-stats.json" % SMOOTH_TAG)
    if wanted("slim-static-float-mse-smooth" + SMOOTH_TAG):
        per_channel = os.path.join(d, "minilm-observed-channel.mlirbc")
        channel_stats = os.path.join(d, "minilm-channel-stats.json")
        if not os.path.exists(channel_stats):
            run([opt, model, "--slim-insert-observers=granularity=channel",
                 "--emit-bytecode", "-o", per_channel])
            calibrate(per_channel, channel_stats)
        run([opt, per_channel, "--slim-smooth-activations=stats=%s alpha=%s"
             % (channel_stats, SMOOTH_ALPHA), "--emit-bytecode", "-o",
             smoothed])
        calibrate(smoothed, smooth_stats)
    out = []

    def make(name, label, kind, source, passes):
        path = os.path.join(d, "slim-%s.mlirbc" % name)
        if not wanted("slim-" + name):
            out.append((label, kind, path))
            return
        report = os.path.join(d, "slim-%s-report.md" % name)
        passes = [p.replace("REPORT", report) for p in passes]
        run([opt, source] + passes + ["--emit-bytecode", "-o", path])
        out.append((label, kind, path))

    make("dynamic", "Slim slim-ptq-dynamic (int8 per-channel weights)",
         "dynamic int8", model,
         ["--slim-ptq-dynamic=activation-granularity=tensor report=REPORT "
          "report-format=table"])
    make("dynamic-row", "Slim slim-ptq-dynamic, activations per row (token)",
         "dynamic int8", model,
         ["--slim-ptq-dynamic=activation-granularity=row report=REPORT "
          "report-format=table"])
    # method -> (its options, its label); percentile at ONNX Runtime's
    # default, 99.999.
    methods = {"minmax": ("minmax", "minmax"),
               "percentile": ("percentile percentile=99.999",
                              "percentile 99.999"),
               "entropy": ("entropy", "entropy"), "mse": ("mse", "mse")}
    static = ("--slim-ptq-static=stats=%s method=%%s outputs=%%s%%s "
              "report=REPORT report-format=table" % stats)
    for outputs in ("quantize", "float"):
        for method, (option, what) in methods.items():
            make("static-%s-%s" % (outputs, method),
                 "Slim slim-ptq-static u8/s8, %s, per-channel weights, "
                 "outputs=%s" % (what, outputs), "static int8", observed,
                 [static % (option, outputs, "")])
    for method, skip, name, what in (
            ("percentile", FFN, "skipffn", "FFN skipped (24 of 36 Linears)"),
            ("mse", FFN, "skipffn", "FFN skipped (24 of 36 Linears)"),
            ("percentile", DOWN, "skipdown",
             "FFN down-projections skipped (30 of 36 Linears)")):
        option, label = methods[method]
        make("static-float-%s-%s" % (method, name),
             "Slim slim-ptq-static u8/s8, %s, per-channel weights, "
             "outputs=float, %s" % (label, what), "static int8",
             observed, [static % (option, "float", " skip=" + skip)])
    make("static-float-mse-smooth" + SMOOTH_TAG,
         "Slim slim-smooth-activations alpha=%s, then slim-ptq-static u8/s8, "
         "mse, per-channel weights, outputs=float" % SMOOTH_ALPHA,
         "static int8", smoothed,
         ["--slim-ptq-static=stats=%s method=mse outputs=float "
          "report=REPORT report-format=table" % smooth_stats])
    make("w8", "Slim slim-weight-only int8 per channel", "weight-only int8",
         model, ["--slim-weight-only=bits=8 granularity=channel"])
    make("w8-g32", "Slim slim-weight-only int8, groups of 32",
         "weight-only int8", model,
         ["--slim-weight-only=bits=8 granularity=group group-size=32"])
    w4 = "--slim-weight-only=bits=4 granularity=group group-size=32"
    for name, options, what in (
            ("w4", "", "symmetric [-7, 7]"),
            ("w4-mse", " method=mse", "symmetric [-7, 7], mse"),
            ("w4-asym", " scheme=asymmetric", "with zero points"),
            ("w4-asym-mse", " scheme=asymmetric method=mse",
             "with zero points, mse"),
            ("w4-asym-mse-skipffn", " scheme=asymmetric method=mse skip=" +
             FFN, "with zero points, mse, FFN skipped (24 of 36 Linears)"),
            ("w4-gptq-asym-mse", " scheme=asymmetric method=mse hessians=" +
             hessians, "GPTQ, with zero points, mse"),
            ("w4-gptq-asym-mse-skipffn", " scheme=asymmetric method=mse "
             "hessians=%s skip=%s" % (hessians, FFN),
             "GPTQ, with zero points, mse, FFN skipped (24 of 36 Linears)")):
        # GPTQ reads the observers' ids: it quantizes the observed module.
        make(name, "Slim slim-weight-only int4 %s, groups of 32" % what,
             "weight-only int4", observed if "gptq" in name else model,
             [w4 + options + " report=REPORT report-format=table"])
    # Pruning without retraining, all 36 Linears (issue 16): 2:4 and 50%
    # unstructured by each criterion; Wanda and SparseGPT read the Gram
    # matrices, so they prune the observed module (observers then erased).
    for pattern, options, what in (("2of4", "pattern=nm", "2:4"),
                                   ("50pct", "pattern=unstructured "
                                    "sparsity=0.5", "50% unstructured")):
        for criterion in ("magnitude", "wanda", "sparsegpt"):
            extra = "" if criterion == "magnitude" else \
                " hessians=" + masked
            make("prune-%s-%s" % (pattern, criterion),
                 "Slim slim-prune %s, %s" % (what, criterion), "pruned",
                 model if criterion == "magnitude" else observed,
                 ["--slim-prune=%s criterion=%s%s" % (options, criterion,
                                                     extra),
                  "--slim-lower-observers"])
    return out


def slim_embed(slimrun, path, d, tag, n):
    """Embeddings of the evaluation set and seconds per sentence."""
    out = os.path.join(d, "emb-%s-%d.npy" % (tag, n))
    _, text = run([slimrun, path, "--samples",
                   os.path.join(d, "eval-%d_ids.npy" % n), "--samples",
                   os.path.join(d, "eval-%d_mask.npy" % n), "--output", out])
    m = re.search(r"\(([0-9.]+) ms per sample\)", text)
    per = float(m.group(1)) / 1e3 if m else float("nan")
    return np.load(out), per


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--slim-bin", default=os.path.join(HERE, "..", "..",
                                                      "build", "bin"))
    p.add_argument("--eval", type=int, default=300)
    p.add_argument("--calib", type=int, default=100)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="configurations evaluated at a time (each one runs "
                   "single-threaded; default: one per CPU)")
    p.add_argument("--only", default="",
                   help="compute only configurations whose tag (file name: "
                   "ort-static-minmax, slim-static-float-entropy, ...) "
                   "matches this regular expression; the others are read "
                   "from earlier runs' emb-*.npy")
    a = p.parse_args()
    d = a.dir

    def wanted(tag):
        return re.search(a.only, os.path.basename(tag)) is not None
    opt = os.path.join(a.slim_bin, "slim-opt")
    slimrun = os.path.join(a.slim_bin, "slim-run")
    imp = os.path.join(a.slim_bin, "slim-import")

    ids = np.load(os.path.join(d, "eval_ids.npy"))[:a.eval]
    mask = np.load(os.path.join(d, "eval_mask.npy"))[:a.eval]
    for name, arr in (("ids", ids), ("mask", mask)):
        path = os.path.join(d, "eval-%d_%s.npy" % (len(ids), name))
        if not os.path.exists(path):
            np.save(path, arr)
    calib_ids = np.load(os.path.join(d, "calib_ids.npy"))[:a.calib]
    calib_mask = np.load(os.path.join(d, "calib_mask.npy"))[:a.calib]

    # fp32 both ways, checked against sentence-transformers' embeddings.
    ref_ids = np.load(os.path.join(d, "ref_ids.npy"))
    ref_mask = np.load(os.path.join(d, "ref_mask.npy"))
    want = np.load(os.path.join(d, "ref_embeddings.npy"))
    onnx_model = os.path.join(d, "minilm.onnx")
    got, _ = ort_embed(onnx_model, ref_ids, ref_mask)
    print("ORT fp32 vs sentence-transformers: max |diff| %.2e" %
          np.abs(got - want).max(), file=sys.stderr)
    if not os.path.exists(os.path.join(d, "minilm.mlirbc")):
        t, _ = run([imp, onnx_model, "-o", os.path.join(d, "minilm.mlirbc")])
        print("slim-import: %.1f s" % t, file=sys.stderr)
    run([slimrun, os.path.join(d, "minilm.mlirbc"), "--samples",
         os.path.join(d, "ref_ids.npy"), "--samples",
         os.path.join(d, "ref_mask.npy"), "--output",
         os.path.join(d, "ref-slim.npy")])
    slim_ref = np.load(os.path.join(d, "ref-slim.npy"))
    diff = np.abs(slim_ref - want).max()
    print("Slim fp32 vs sentence-transformers: max |diff| %.2e" % diff,
          file=sys.stderr)
    if diff > 1e-4:
        sys.exit("Slim's fp32 model does not reproduce the reference")

    def embed(tag, compute):
        """A configuration's embeddings and seconds per sentence, computed
        when `tag` is wanted, else read back from an earlier run."""
        path = os.path.join(d, "emb-%s-%d.npy" % (tag, len(ids)))
        if wanted(tag) or not os.path.exists(path):
            if not wanted(tag):
                return None
            emb, per = compute()
            np.save(path, emb)
            with open(path + ".json", "w") as f:
                json.dump({"seconds_per_sentence": per}, f)
        with open(path + ".json") as f:
            return np.load(path), json.load(f)["seconds_per_sentence"]

    fp32, ort_t = (embed("ort-fp32", lambda: ort_embed(onnx_model, ids, mask))
                   or ort_embed(onnx_model, ids, mask))
    rows = [("ONNX Runtime fp32 (the reference)", "fp32", fp32, ort_t)]
    configs = [("Slim fp32", "fp32", os.path.join(d, "minilm.mlirbc"), "slim")]
    configs += [(l, k, p, "ort") for l, k, p in
                ort_configs(d, calib_ids, calib_mask, wanted)]
    configs += [(l, k, p, "slim") for l, k, p in
                slim_configs(d, opt, slimrun, calib_ids, calib_mask, wanted)]
    def evaluate(config):
        """A table row, or None for a configuration neither computed nor
        kept."""
        label, kind, path, who = config
        tag = os.path.basename(path).split(".")[0]
        if who == "slim" and tag == "minilm":
            tag = "slim-fp32"
        t0 = time.time()
        got = embed(tag, (lambda: ort_embed(path, ids, mask)) if who == "ort"
                    else (lambda: slim_embed(slimrun, path, d, tag, len(ids))))
        if got is None:
            return None
        if wanted(tag):
            print("%s: %.0f s" % (label, time.time() - t0), file=sys.stderr)
        return (label, kind) + tuple(got)

    # Every configuration runs single-threaded: --jobs of them at a time.
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        rows += [r for r in pool.map(evaluate, configs) if r]

    print("%d evaluation sentences, %d calibration sentences (disjoint); "
          "metrics against ONNX Runtime fp32\n" % (len(ids), len(calib_ids)))
    print("| kind | configuration | mean cosine | 1st-pct cosine | recall@10 "
          "| ms/sentence |")
    print("|---|---|---|---|---|---|")
    for label, kind, emb, per in rows:
        mean, p1, recall = metrics(emb, fp32)
        print("| %s | %s | %.5f | %.5f | %.3f | %.0f |" % (
            kind, label, mean, p1, recall, per * 1e3))


if __name__ == "__main__":
    main()
