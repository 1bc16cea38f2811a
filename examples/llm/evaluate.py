"""Step 4 of examples/llm (the importer environment, .venv): the decoder
compressed by Slim and by ONNX Runtime's quantizers, side by side, on the
same ONNX model and held-out text.

Every configuration computes the logits of the test windows (export.py's
OUT/test_windows.npy, non-overlapping windows of SEQ tokens of the held-out
documents); the perplexity is exp of the mean negative log-likelihood of
each window's next tokens (SEQ - 1 per window), in float64. Also printed:
the model file's bytes and their ratio to the fp32 ONNX file, the
milliseconds per window (batch 1, one thread; ONNX Runtime's median over
the windows, slim-run's own mean over them), and Slim's compress and compile times. Slim's fp32 and ONNX
Runtime's fp32 logits are first checked against torch's (torch_logits.npy).

Usage: .venv/bin/python3 evaluate.py OUT [--slim-bin build/bin] [--only REGEX]
       [--windows N] [--json FILE]
Logits are not kept; each configuration's model file is, in OUT.
"""

import argparse
import json
import logging
import os
import re
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime import quantization as oq
from onnxruntime.quantization import matmul_nbits_quantizer as nbits

logging.getLogger("onnxruntime").setLevel(logging.WARNING)
logging.getLogger().setLevel(logging.WARNING)


def _minilm_evaluate():
    """examples/minilm/evaluate.py as a module (its command runner)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "minilm_evaluate", os.path.join(os.path.dirname(os.path.abspath(
            __file__)), "..", "minilm", "evaluate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# (seconds, stdout) of a command; exits with its stderr when it fails.
run = _minilm_evaluate().run


def perplexity(logits, ids):
    """exp(mean NLL) of ids[:, 1:] under logits[:, :-1] (float64)."""
    x = logits[:, :-1].astype(np.float64)
    x -= x.max(-1, keepdims=True)
    logz = np.log(np.exp(x).sum(-1))
    picked = np.take_along_axis(x, ids[:, 1:, None], -1)[..., 0]
    return float(np.exp((logz - picked).mean()))


def ort_logits(path, ids):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    s = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    out, times = [], []
    for i in range(len(ids)):
        t = time.perf_counter()
        out.append(s.run(None, {"input_ids": ids[i:i + 1]})[0][0])
        times.append(time.perf_counter() - t)
    return np.stack(out), 1e3 * float(np.median(times))


def ort_configs(d, wanted):
    src = os.path.join(d, "llm.onnx")
    configs = [("ort-fp32", "ONNX Runtime fp32", lambda p: None)]

    def nbit(bits, sym, block):
        def make(path):
            m = onnx.load(src)
            q = nbits.MatMulNBitsQuantizer(m, bits=bits, block_size=block,
                                           is_symmetric=sym)
            q.process()
            q.model.save_model_to_file(path, use_external_data_format=False)
        return make
    configs += [
        ("ort-int8-dynamic", "ONNX Runtime quantize_dynamic, int8 per channel",
         lambda p: oq.quantize_dynamic(src, p, per_channel=True,
                                       weight_type=oq.QuantType.QInt8)),
        ("ort-int8-wo", "ONNX Runtime MatMulNBits int8, blocks of 32",
         nbit(8, False, 32)),
        ("ort-int4-wo-sym", "ONNX Runtime MatMulNBits int4, blocks of 32, symmetric",
         nbit(4, True, 32)),
        ("ort-int4-wo", "ONNX Runtime MatMulNBits int4, blocks of 32, zero points",
         nbit(4, False, 32)),
    ]
    out = []
    for tag, label, make in configs:
        if not wanted(tag):
            continue
        path = src if tag == "ort-fp32" else os.path.join(d, tag + ".onnx")
        t = time.time()
        make(path)
        out.append(dict(tag=tag, label=label, path=path,
                        compress_s=time.time() - t if tag != "ort-fp32" else 0.0))
    return out


def recipe(name):
    """A recipe file of this example."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), name)


def slim_configs(d, binary, calib, wanted):
    src = os.path.join(d, "llm.onnx")
    fp32 = os.path.join(d, "slim-fp32.mlirbc")
    recipes = [
        ("slim-int8-dynamic", "Slim int8-dynamic (weights per channel, "
         "activations per token)", ["--recipe", "int8-dynamic"]),
        ("slim-int8-wo", "Slim weight-only int8 (per channel)",
         ["--recipe", recipe("int8-weight-only.yaml")]),
        ("slim-int4-wo", "Slim weight-only int4 (GPTQ on text, groups of 32, "
         "zero points, minmax ranges)",
         ["--recipe", recipe("int4-gptq.yaml"), "--calibration", calib]),
        ("slim-int4-wo-mse", "Slim int4-weight-only recipe (GPTQ, MSE ranges)",
         ["--recipe", "int4-weight-only", "--calibration", calib]),
        ("slim-int4-budget", "Slim weight-only int4 (GPTQ), 4-bit embeddings, "
         "8 bits where int4 costs most within 0.2 of the float bytes",
         ["--recipe", recipe("int4-budget.yaml"), "--calibration", calib]),
        ("slim-int4-wo-rtn", "Slim weight-only int4, rounded to nearest "
         "(groups of 32, zero points, MSE ranges)",
         ["--recipe", recipe("int4-rtn.yaml")]),
    ]
    out = []
    if wanted("slim-fp32") or any(wanted(r[0]) for r in recipes):
        secs, _ = run([os.path.join(binary, "slim-import"), src, "-o", fp32])
        out.append(dict(tag="slim-fp32", label="Slim fp32", path=fp32,
                        compress_s=secs))
    for tag, label, args in recipes:
        if not wanted(tag):
            continue
        path = os.path.join(d, tag + ".mlirbc")
        secs, _ = run([os.path.join(binary, "slim-compress"), fp32] + args +
                      ["-o", path, "--report", os.path.join(d, tag + ".json")])
        out.append(dict(tag=tag, label=label, path=path, compress_s=secs))
    return [c for c in out if wanted(c["tag"])]


def slim_logits(binary, path, windows_file, d, tag):
    out = os.path.join(d, "logits-%s.npy" % tag)
    secs, text = run([os.path.join(binary, "slim-run"), path, "--samples",
                      windows_file, "--output", out, "--threads", "1"])
    m = re.search(r"\(([0-9.]+) ms per sample\)", text)
    logits = np.load(out)
    os.remove(out)
    return logits.reshape(-1, *logits.shape[-2:]), float(m.group(1)) if m else float("nan"), secs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--slim-bin", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "bin"))
    p.add_argument("--only", default="")
    p.add_argument("--windows", type=int, default=0, help="0: all")
    p.add_argument("--json", default="")
    a = p.parse_args()
    d = a.out
    def wanted(tag):
        return re.search(a.only, tag) is not None
    ids = np.load(os.path.join(d, "test_windows.npy"))
    if a.windows:
        ids = ids[:a.windows]
    wfile = os.path.join(d, "eval_windows.npy")
    np.save(wfile, ids)
    ref = np.load(os.path.join(d, "torch_logits.npy"))
    onnx_bytes = os.path.getsize(os.path.join(d, "llm.onnx"))

    rows = []
    configs = ort_configs(d, wanted) + slim_configs(
        d, a.slim_bin, os.path.join(d, "calib_windows.npy"), wanted)
    for c in configs:
        if c["tag"].startswith("ort"):
            logits, ms = ort_logits(c["path"], ids)
            run_s = None
        else:
            logits, ms, run_s = slim_logits(a.slim_bin, c["path"], wfile, d, c["tag"])
        if c["tag"].endswith("fp32"):
            n = min(len(ref), len(logits))
            diff = float(np.abs(logits[:n] - ref[:n]).max())
            print("%s vs torch on %d windows: max |diff| %.2e" %
                  (c["label"], n, diff), flush=True)
            if diff > 1e-3:
                sys.exit("%s does not reproduce torch's logits" % c["label"])
        row = dict(c, perplexity=perplexity(logits, ids), ms=ms,
                   bytes=os.path.getsize(c["path"]), run_s=run_s)
        rows.append(row)
        print("%-18s ppl %8.3f  %6.1f MB  %7.2f ms/window" %
              (row["tag"], row["perplexity"], row["bytes"] / 1e6, ms), flush=True)

    base = {r["tag"][:r["tag"].index("-")]: r["perplexity"]
            for r in rows if r["tag"].endswith("fp32")}
    print("\n%d windows of %d tokens (%d predicted tokens)\n" %
          (len(ids), ids.shape[1], len(ids) * (ids.shape[1] - 1)))
    print("| configuration | perplexity | / fp32 | file MB | / fp32 ONNX | ms per window |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        fp = base.get(r["tag"][:r["tag"].index("-")])
        print("| %s | %.3f | %s | %.1f | %.3f | %.2f |" % (
            r["label"], r["perplexity"],
            "%.4f" % (r["perplexity"] / fp) if fp else "-",
            r["bytes"] / 1e6, r["bytes"] / onnx_bytes, r["ms"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
