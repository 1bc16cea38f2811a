"""MiniLM end to end: Slim next to ONNX Runtime and IREE on the same model.

Usage: .venv/bin/python3 benchmarks/minilm.py DIR [--shapes 1x64,1x128,32x64]
       [--threads 1,2] [--repeat 20] [--rounds 2] [--only REGEX]

DIR holds examples/minilm/prepare.py's output (weights.npz, config.json,
calib_ids.npy). For each BATCHxSEQ shape the model is exported
(examples/minilm/export.py under Debian's python3), imported (slim-import)
and quantized: Slim fp32, static int8 (slim-insert-observers, slim-run
--calibrate on the batches ONNX Runtime's QDQ model calibrates on,
slim-ptq-static percentile 99.999 with float outputs), dynamic int8
(slim-ptq-dynamic, per-channel weights, activations per row), weight-only int8 (per channel) and int4
(groups of 32, zero points); ONNX Runtime fp32, quantize_dynamic
(per-channel), static QDQ (MinMax, per-channel, 8 calibration batches of
the shape cut from the calibration sentences) and MatMulNBits (int4,
blocks of 32); IREE's fp32 compile of the ONNX model (iree-import-onnx,
data tiling and micro-kernels on; installed from PyPI like
benchmarks/run.sh does). Every configuration runs in its own process, the
configurations interleaved over --rounds rounds; each reports the median
ms per call over --repeat calls (best round), its compile time (Slim:
slim-run's compile, from --mlir-timing; IREE: iree-compile; ONNX Runtime:
session creation) and its peak resident memory (the process's maxrss).
The results go into docs/performance.json ("minilm") and
docs/performance.md is re-rendered (benchmarks/run.py --render-only).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BIN = os.path.join(TOP, "build", "bin")
VENV = os.path.join(TOP, ".venv", "bin")
RESULTS = os.path.join(TOP, "docs", "performance.json")
IREE_FLAGS = ["--iree-hal-target-device=local",
              "--iree-hal-local-target-device-backends=llvm-cpu",
              "--iree-llvmcpu-target-cpu=host", "--iree-opt-data-tiling",
              "--iree-llvmcpu-enable-ukernels=all"]

# The ONNX Runtime side runs in a child process (its own peak memory):
# build the session, time --repeat calls, print "ms compile_s".
ORT_CHILD = r"""
import os, sys, time, numpy as np, onnxruntime as ort
path, threads, repeat, b, s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
o = ort.SessionOptions(); o.intra_op_num_threads = threads; o.inter_op_num_threads = 1
t = time.perf_counter()
sess = ort.InferenceSession(path, o, providers=["CPUExecutionProvider"])
compile_s = time.perf_counter() - t
rng = np.random.default_rng(0)
# Every input the model has: token ids (below 4000, or BENCH_MAX_TOKEN for
# a smaller vocabulary), a mask of ones.
feeds = {i.name: np.ones((b, s), np.int64) if i.name == "attention_mask"
         else rng.integers(1, int(os.environ.get("BENCH_MAX_TOKEN", 4000)),
                           (b, s)).astype(np.int64)
         for i in sess.get_inputs()}
for _ in range(3):
    sess.run(None, feeds)
ts = []
for _ in range(repeat):
    t = time.perf_counter(); sess.run(None, feeds); ts.append(time.perf_counter() - t)
print("%.4f %.3f" % (1e3 * float(np.median(ts)), compile_s))
"""


def peak_rss(cmd, env=None):
    """Runs cmd under a wrapper that reports its own child's peak RSS (the
    children's maxrss of this process only grows, so each measurement runs
    in a fresh wrapper)."""
    wrapper = ("import resource, subprocess, sys; "
               "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr); "
               "print('maxrss_kb %d' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
               "sys.exit(p.returncode)")
    p = subprocess.run([sys.executable, "-c", wrapper] + cmd, capture_output=True,
                       text=True, env=env)
    m = re.search(r"maxrss_kb (\d+)", p.stdout)
    return p.stdout, p.stderr, p.returncode, (int(m.group(1)) / 1024.0 if m else None)


def prepare_models(d, shapes, tmp, log):
    """Exports, imports and quantizes each shape; returns {shape: {config:
    path}} and the Slim/ORT quantization times."""
    missing = [s for s in shapes if not os.path.exists(os.path.join(d, "minilm-%s.onnx" % s))]
    if missing:
        subprocess.run(["/usr/bin/python3", os.path.join(TOP, "examples", "minilm", "export.py"),
                        d] + missing, check=True, capture_output=True)
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                          QuantType, quantize_dynamic,
                                          quantize_static)
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    import onnx
    calib = np.load(os.path.join(d, "calib_ids.npy"))
    calib_mask = np.load(os.path.join(d, "calib_mask.npy"))
    models = {}
    for shape in shapes:
        b, s = (int(v) for v in shape.split("x"))
        onnx_path = os.path.join(d, "minilm-%s.onnx" % shape)
        m = {"ort-fp32": onnx_path}
        base = os.path.join(tmp, "minilm-%s" % shape)
        dyn = base + "-ort-dynamic.onnx"
        quantize_dynamic(onnx_path, dyn, per_channel=True, weight_type=QuantType.QInt8)
        m["ort-dynamic"] = dyn

        class Reader(CalibrationDataReader):
            def __init__(self):
                self.batches = [{"input_ids": calib[i * b:(i + 1) * b, :s].astype(np.int64),
                                 "attention_mask": calib_mask[i * b:(i + 1) * b, :s].astype(np.int64)}
                                for i in range(min(8, len(calib) // b))]

            def get_next(self):
                return self.batches.pop() if self.batches else None
        qdq = base + "-ort-qdq.onnx"
        quantize_static(onnx_path, qdq, Reader(), quant_format=QuantFormat.QDQ,
                        per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8)
        m["ort-static-qdq"] = qdq
        nbits = base + "-ort-matmulnbits.onnx"
        q = MatMulNBitsQuantizer(onnx.load(onnx_path), block_size=32, is_symmetric=False)
        q.process()
        q.model.save_model_to_file(nbits, use_external_data_format=False)
        m["ort-matmulnbits"] = nbits

        slim = base + "-slim-fp32.mlirbc"
        subprocess.run([os.path.join(BIN, "slim-import"), onnx_path, "-o", slim],
                       check=True, capture_output=True)
        m["slim-fp32"] = slim
        # Static int8: observers, calibration on the same batches as ONNX
        # Runtime's QDQ model, then slim-ptq-static (percentile 99.999,
        # float outputs: docs/results-minilm.md's best all-int8 setting).
        observed = base + "-slim-observed.mlirbc"
        stats = base + "-slim-stats.json"
        n = max(1, min(8, len(calib) // b)) * b
        ids, mask = base + "-calib-ids.npy", base + "-calib-mask.npy"
        np.save(ids, calib[:n, :s].astype(np.int64))
        np.save(mask, calib_mask[:n, :s].astype(np.int64))
        steps = [[os.path.join(BIN, "slim-opt"), slim, "--slim-insert-observers",
                  "--emit-bytecode", "-o", observed],
                 [os.path.join(BIN, "slim-run"), observed, "--calibrate", ids, "--calibrate", mask,
                  "--stats-file", stats]]
        static = []
        for cmd in steps:
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode:
                log("%s slim-static: %s" % (shape, p.stderr.strip().splitlines()[-1:]))
                break
        else:
            static = [("slim-static", observed, "--slim-ptq-static=stats=%s method=percentile "
                       "percentile=99.999 outputs=float" % stats)]
        for name, source, pipeline in static + [
                ("slim-dynamic", slim, "--slim-ptq-dynamic=activation-granularity=row"),
                ("slim-wo-int8", slim, "--slim-weight-only=bits=8 granularity=channel"),
                ("slim-wo-int4", slim, "--slim-weight-only=bits=4 group-size=32 scheme=asymmetric")]:
            out = base + "-%s.mlirbc" % name
            p = subprocess.run([os.path.join(BIN, "slim-opt"), source, pipeline, "--emit-bytecode",
                                "-o", out], capture_output=True, text=True)
            if p.returncode:
                log("%s %s: %s" % (shape, name, p.stderr.strip().splitlines()[-1:]))
                continue
            m[name] = out
        m["iree-fp32"] = onnx_path
        models[shape] = m
    return models


def ensure_iree(log):
    if subprocess.run([os.path.join(VENV, "python3"), "-c", "import iree.compiler, iree.runtime"],
                      capture_output=True).returncode == 0:
        return True
    p = subprocess.run([os.path.join(VENV, "pip"), "install", "-q", "--disable-pip-version-check",
                        "iree-base-compiler==3.13.0", "iree-base-runtime==3.13.0"],
                       capture_output=True, text=True)
    if p.returncode:
        log("IREE not installed: " + p.stderr.strip()[-200:])
    return p.returncode == 0


def iree_compile(onnx_path, tmp):
    """iree-import-onnx then iree-compile; returns (vmfb, function, seconds,
    error)."""
    src = os.path.join(tmp, os.path.basename(onnx_path) + ".iree.mlir")
    vmfb = os.path.join(tmp, os.path.basename(onnx_path) + ".vmfb")
    p = subprocess.run([os.path.join(VENV, "iree-import-onnx"), onnx_path, "-o", src],
                       capture_output=True, text=True)
    if p.returncode:
        return None, None, None, "iree-import-onnx: " + (p.stderr.strip().splitlines() or ["?"])[-1]
    with open(src) as f:
        fn = re.search(r"func\.func @([A-Za-z_0-9]+)", f.read())
    fn = fn.group(1) if fn else "main_graph"
    t = time.perf_counter()
    p = subprocess.run([os.path.join(VENV, "iree-compile"), src] + IREE_FLAGS + ["-o", vmfb],
                       capture_output=True, text=True)
    if p.returncode:
        return None, None, None, "iree-compile: " + (p.stderr.strip().splitlines() or ["?"])[-1]
    return vmfb, fn, time.perf_counter() - t, None


def measure(config, path, shape, threads, repeat, tmp, inputs, iree_cache):
    """One configuration's (ms, compile s, peak RSS MB, note)."""
    b, s = (int(v) for v in shape.split("x"))
    if config.startswith("slim-"):
        cmd = [os.path.join(BIN, "slim-run"), path]
        for x in inputs:
            cmd += ["--input", x]
        cmd += ["--repeat", str(repeat), "--threads", str(threads), "--mlir-timing"]
        out, err, rc, rss = peak_rss(cmd)
        hit = re.search(r"median ([0-9.]+) ms", out)
        total = re.search(r"([0-9.]+) \(100\.0%\)\s+Total", err)
        if rc or not hit:
            return None, None, None, (err.strip().splitlines() or ["failed"])[-1]
        return float(hit.group(1)), float(total.group(1)) if total else None, rss, ""
    if config.startswith("ort-"):
        out, err, rc, rss = peak_rss([sys.executable, "-c", ORT_CHILD, path, str(threads),
                                      str(repeat), str(b), str(s)])
        if rc:
            return None, None, None, (err.strip().splitlines() or ["failed"])[-1]
        ms, compile_s = (float(v) for v in out.split()[:2])
        return ms, compile_s, rss, ""
    if config == "iree-fp32":
        if shape not in iree_cache:
            iree_cache[shape] = iree_compile(path, tmp)
        vmfb, fn, compile_s, error = iree_cache[shape]
        if error:
            return None, None, None, error
        device = (["--device=local-sync"] if threads == 1 else
                  ["--device=local-task", "--task_topology_max_group_count=%d" % threads])
        out, err, rc, rss = peak_rss(
            [os.path.join(VENV, "iree-benchmark-module"), "--module=" + vmfb,
             "--function=" + fn, "--input=%dx%dxi64=1" % (b, s),
             "--input=%dx%dxi64=1" % (b, s), "--benchmark_repetitions=%d" % max(3, repeat // 5),
             "--benchmark_min_time=0.2s"] + device)
        hit = re.search(r"BM_%s/process_time/real_time_median\s+([0-9.]+) (ns|us|ms|s)\b" % fn, out) \
            or re.search(r"BM_%s/process_time/real_time\s+([0-9.]+) (ns|us|ms|s)\b" % fn, out)
        if rc or not hit:
            return None, None, None, (err.strip().splitlines() or ["no timing"])[-1]
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[hit.group(2)]
        return float(hit.group(1)) * scale, compile_s, rss, ""
    return None, None, None, "unknown configuration"


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir")
    p.add_argument("--shapes", default="1x64,1x128,32x64")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--only", default="", help="configurations matching this regex")
    a = p.parse_args()
    shapes = a.shapes.split(",")
    threads = [int(t) for t in a.threads.split(",")]
    log = lambda msg: print(msg, file=sys.stderr, flush=True)
    tmp = tempfile.mkdtemp(prefix="slim-minilm-bench-")
    models = prepare_models(a.dir, shapes, tmp, log)
    have_iree = ensure_iree(log)
    rng = np.random.default_rng(0)
    inputs = {}
    for shape in shapes:
        b, s = (int(v) for v in shape.split("x"))
        ids = os.path.join(tmp, "ids-%s.npy" % shape)
        mask = os.path.join(tmp, "mask-%s.npy" % shape)
        np.save(ids, rng.integers(1000, 20000, (b, s)).astype(np.int64))
        np.save(mask, np.ones((b, s), np.int64))
        inputs[shape] = (ids, mask)
    best = {}
    iree_cache = {}
    for r in range(a.rounds):
        for shape in shapes:
            for t in threads:
                for config, path in models[shape].items():
                    if a.only and not re.search(a.only, config):
                        continue
                    if config.startswith("iree") and not have_iree:
                        continue
                    ms, compile_s, rss, note = measure(config, path, shape, t, a.repeat, tmp,
                                                       inputs[shape], iree_cache)
                    key = "%s|%d|%s" % (shape, t, config)
                    log("round %d %s: %s ms %s" % (r + 1, key, ms, note))
                    old = best.get(key)
                    if ms is not None and (old is None or old["ms"] is None or ms < old["ms"]):
                        best[key] = {"ms": ms, "compile_s": compile_s, "rss_mb": rss, "note": note}
                    elif old is None:
                        best[key] = {"ms": None, "compile_s": None, "rss_mb": None, "note": note}
    with open(RESULTS) as f:
        saved = json.load(f)
    cpu = subprocess.run([os.path.join(BIN, "slim-run"), "--show-host", os.devnull],
                         capture_output=True, text=True).stdout.strip()
    # A partial run (--only, fewer shapes) keeps the other rows saved on the
    # same host.
    if saved.get("minilm") and saved["minilm"].get("host") == cpu:
        best = dict(saved["minilm"]["results"], **best)
    saved["minilm"] = {"date": time.strftime("%Y-%m-%d"), "host": cpu, "repeat": a.repeat,
                       "rounds": a.rounds, "results": best}
    with open(RESULTS, "w") as f:
        json.dump(saved, f, indent=0)
    # Only the MiniLM section of docs/performance.md is rewritten (the rest
    # was measured by run.py, perhaps on another machine).
    sys.path.insert(0, HERE)
    import run as bench
    out = os.path.join(TOP, "docs", "performance.md")
    with open(out) as f:
        text = f.read()
    head = text.split("## MiniLM end to end")[0].rstrip("\n")
    with open(out, "w") as f:
        f.write(head + "\n\n" + "\n".join(bench.render_minilm(RESULTS)))
    print("wrote " + out)


if __name__ == "__main__":
    main()
