"""A LLaMA-architecture decoder, Slim next to ONNX Runtime: compile time,
the latency of one window (batch 1, no KV cache), file sizes.

Usage: .venv/bin/python3 benchmarks/llm.py DIR [--model smollm-135m|example]
       [--seqs 128,1] [--threads 1] [--repeat 10] [--rounds 2] [--only REGEX]

--model smollm-135m (the default) is examples/llm/llama.py with the shape of
the 135M-parameter model of issue 21 (vocabulary 49,152, 30 layers, hidden
576, 9 query and 3 key/value heads, MLP 1,536, tied embeddings) and random
weights (normal, std 0.02, seeded): the timings do not depend on the
values. --model example uses the trained weights examples/llm/train.py
wrote into DIR. For each window length the model is exported by Debian's
torch (opset 17, input_ids 1 x SEQ), imported (slim-import, timed) and
quantized: Slim fp32, int8-dynamic (slim-ptq-dynamic, activations per row),
weight-only int8 (per channel) and int4 (groups of 32, zero points; run
with f32 activations and with --weight-only-activations=int8); ONNX Runtime
fp32, quantize_dynamic (per channel) and MatMulNBits int4 (blocks of 32,
accuracy levels 0 and 4). Each configuration runs in its own process,
interleaved over --rounds; the table gives the best median ms per window,
its ratio to Slim fp32 and to ONNX Runtime fp32, the compile time (Slim:
slim-run's whole compile from --mlir-timing; ONNX Runtime: session
creation), the peak RSS and the model file's size.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import logging

import numpy as np

# The quantizers log every node they visit at INFO.
logging.getLogger("onnxruntime").setLevel(logging.WARNING)
logging.getLogger().setLevel(logging.WARNING)

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BIN = os.path.join(TOP, "build", "bin")
sys.path.insert(0, HERE)
import minilm  # noqa: E402  (measure, peak_rss: one way to time a model)

SMOLLM = dict(vocab=49152, dim=576, layers=30, heads=9, kv_heads=3,
              hidden=1536, theta=10000.0, eps=1e-5)

EXPORT_CHILD = r"""
import json, os, sys, warnings
import torch
sys.path.insert(0, sys.argv[1])
import llama
warnings.filterwarnings("ignore")
d, model_kind, seq = sys.argv[2], sys.argv[3], int(sys.argv[4])
if model_kind == "example":
    c = llama.Config.load(os.path.join(d, "config.json"))
    m = llama.load_weights(llama.Llama(c), os.path.join(d, "weights.npz"))
else:
    c = llama.Config(**json.loads(sys.argv[5]))
    torch.manual_seed(0)
    m = llama.Llama(c)
    with torch.no_grad():
        for w in m.parameters():
            if w.dim() == 2:
                w.normal_(0.0, 0.02)
print(sum(w.numel() for w in m.parameters()))
llama.export_onnx(m.eval(), sys.argv[6], seq)
"""


def timed(cmd):
    t = time.time()
    out, err, rc, rss = minilm.peak_rss(cmd)
    if rc:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), err[-2000:]))
    return time.time() - t, rss


def prepare(d, kind, seq, log):
    """{config: path}, and what preparing each took."""
    base = os.path.join(d, "%s-%d" % (kind, seq))
    onnx_path = base + ".onnx"
    notes = {}
    if not os.path.exists(onnx_path):
        p = subprocess.run(["/usr/bin/python3", "-c", EXPORT_CHILD,
                            os.path.join(TOP, "examples", "llm"), d, kind,
                            str(seq), json.dumps(SMOLLM), onnx_path],
                           capture_output=True, text=True)
        if p.returncode:
            sys.exit("export failed:\n" + p.stderr[-2000:])
        log("exported %s (%s parameters)" % (onnx_path, p.stdout.split()[0]))
    models = {"ort-fp32": onnx_path}
    fp32 = base + "-slim-fp32.mlirbc"
    secs, rss = timed([os.path.join(BIN, "slim-import"), onnx_path, "-o", fp32])
    notes["slim-fp32"] = "imported in %.1f s, %.0f MB peak" % (secs, rss)
    models["slim-fp32"] = fp32
    slim = {
        "slim-int8-dynamic": "--slim-ptq-dynamic=activation-granularity=row",
        "slim-int8-wo": "--slim-weight-only=bits=8 granularity=channel",
        "slim-int4-wo": "--slim-weight-only=bits=4 group-size=32 scheme=asymmetric",
    }
    for tag, passes in slim.items():
        out = "%s-%s.mlirbc" % (base, tag)
        secs, rss = timed([os.path.join(BIN, "slim-opt"), fp32, passes,
                           "--emit-bytecode", "-o", out])
        models[tag] = out
        notes[tag] = "quantized in %.1f s" % secs
    models["slim-int4-wo-a8"] = models["slim-int4-wo"]

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    t = time.time()
    quantize_dynamic(onnx_path, base + "-ort-dynamic.onnx", per_channel=True,
                     weight_type=QuantType.QInt8)
    models["ort-int8-dynamic"] = base + "-ort-dynamic.onnx"
    notes["ort-int8-dynamic"] = "quantized in %.1f s" % (time.time() - t)
    for level in (0, 4):
        t = time.time()
        q = MatMulNBitsQuantizer(onnx.load(onnx_path), bits=4, block_size=32,
                                 is_symmetric=False, accuracy_level=level)
        q.process()
        path = "%s-ort-int4-l%d.onnx" % (base, level)
        q.model.save_model_to_file(path, use_external_data_format=False)
        models["ort-int4-wo-l%d" % level] = path
        notes["ort-int4-wo-l%d" % level] = "quantized in %.1f s" % (time.time() - t)
    return models, notes


LABELS = {
    "slim-fp32": "Slim fp32",
    "slim-int8-dynamic": "Slim int8-dynamic (per row)",
    "slim-int8-wo": "Slim weight-only int8",
    "slim-int4-wo": "Slim weight-only int4 (f32 activations)",
    "slim-int4-wo-a8": "Slim weight-only int4 (--weight-only-activations=int8)",
    "ort-fp32": "ONNX Runtime fp32",
    "ort-int8-dynamic": "ONNX Runtime quantize_dynamic",
    "ort-int4-wo-l0": "ONNX Runtime MatMulNBits int4 (accuracy level 0)",
    "ort-int4-wo-l4": "ONNX Runtime MatMulNBits int4 (accuracy level 4)",
}


def measure(tag, path, seq, threads, repeat, tmp, ids):
    if tag == "slim-int4-wo-a8":
        cmd = [os.path.join(BIN, "slim-run"), path, "--input", ids,
               "--weight-only-activations=int8", "--repeat", str(repeat),
               "--threads", str(threads), "--mlir-timing"]
        out, err, rc, rss = minilm.peak_rss(cmd)
        hit = re.search(r"median ([0-9.]+) ms", out)
        total = re.search(r"([0-9.]+) \(100\.0%\)\s+Total", err)
        if rc or not hit:
            return None, None, None, (err.strip().splitlines() or ["failed"])[-1]
        return float(hit.group(1)), float(total.group(1)) if total else None, rss, ""
    return minilm.measure(tag, path, "1x%d" % seq, threads, repeat, tmp, [ids], {})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--model", choices=["smollm-135m", "example"], default="smollm-135m")
    p.add_argument("--seqs", default="128,1")
    p.add_argument("--threads", default="1")
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--only", default="")
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    log = lambda s: print(s, file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for seq in (int(s) for s in a.seqs.split(",")):
            models, notes = prepare(a.dir, a.model, seq, log)
            ids = os.path.join(tmp, "ids-%d.npy" % seq)
            vocab = SMOLLM["vocab"] if a.model == "smollm-135m" else json.load(
                open(os.path.join(a.dir, "config.json")))["vocab"]
            os.environ["BENCH_MAX_TOKEN"] = str(min(vocab, 4000))
            np.save(ids, np.random.default_rng(0).integers(
                1, min(vocab, 4000), (1, seq)).astype(np.int64))
            tags = [t for t in LABELS if t in models and re.search(a.only, t)]
            best = {}
            for _ in range(a.rounds):
                for threads in (int(t) for t in a.threads.split(",")):
                    for tag in tags:
                        ms, compile_s, rss, note = measure(tag, models[tag], seq, threads,
                                                           a.repeat, tmp, ids)
                        if ms is None:
                            log("%s: %s" % (tag, note))
                            continue
                        key = (tag, threads)
                        if key not in best or ms < best[key][0]:
                            best[key] = (ms, compile_s, rss)
            onnx_bytes = os.path.getsize(models["ort-fp32"])
            print("\n%s, window 1 x %d\n" % (a.model, seq))
            print("| configuration | threads | ms per window | / Slim fp32 | / ORT fp32 "
                  "| compile s | peak RSS MB | file MB (/ fp32 ONNX) | notes |")
            print("|---|---|---|---|---|---|---|---|---|")
            for (tag, threads), (ms, compile_s, rss) in best.items():
                sf = best.get(("slim-fp32", threads))
                of = best.get(("ort-fp32", threads))
                size = os.path.getsize(models[tag])
                print("| %s | %d | %.2f | %s | %s | %s | %.0f | %.1f (%.3f) | %s |" % (
                    LABELS[tag], threads, ms, "%.2f" % (ms / sf[0]) if sf else "-",
                    "%.2f" % (ms / of[0]) if of else "-",
                    "%.1f" % compile_s if compile_s is not None else "-", rss or 0,
                    size / 1e6, size / onnx_bytes, notes.get(tag, "")), flush=True)


if __name__ == "__main__":
    main()
