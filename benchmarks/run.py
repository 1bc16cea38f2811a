"""Slim's contractions next to its peers, interleaved in one run
(benchmarks/run.sh runs this under the importer environment, .venv, which
has ONNX Runtime; PyTorch runs under Debian's /usr/bin/python3).

Each contender computes Y = X W with W a constant of K x N:
  slim-*        Slim's compiled code: a module per kind through slim-run
                (--repeat; the whole op: quantization of X, kernel,
                epilogue), weights packed at compile time;
  slim-kernel   Slim's micro-kernel alone (slim-bench-peers gemm slim);
  onednn        oneDNN 2.6 matmul, weights reordered once (Debian);
  openblas      cblas_sgemm (Debian);
  ort-*         ONNX Runtime: MatMul, MatMulInteger, DynamicQuantizeMatMul,
                MatMulNBits (int4, block 32, accuracy_level 4 and 0);
  torch-*       PyTorch 1.13 (Debian): F.linear, quantized Linear (onednn),
                dynamic quantized Linear;
  iree          IREE 3.13 (PyPI, in .venv): the same linalg.matmul by a
                constant, data-tiled with micro-kernels for the host
                (int8: s8 x s8, linalg has no unsigned operand).
Kinds: f32, int8 (u8 x s8 -> s32), dynamic (f32 in, int8 weights, f32 out),
int4 / int8 weight-only. For every shape and thread count, every contender
is measured in each of --rounds rounds (median time per call over
--seconds, the best round kept); the table gives GOP/s (2 M N K / time),
the ratio to the best peer of the same kind, and the fraction of the
machine's peak for the ISA Slim used (register-only loops, one thread,
times the threads). Writes markdown to --out.

Usage: run.py [--out FILE] [--threads 1,2] [--rounds 2] [--seconds 0.5]
              [--shapes M:N:K,...] [--quick] [--render-only]
The measurements also go to FILE with .json for .md; --render-only reads
them back, measures the host and its peaks again and rewrites the tables.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BIN = os.path.join(TOP, "build", "bin")

SHAPES = [(1, 4096, 4096), (16, 4096, 4096), (128, 4096, 4096),
          (1, 11008, 4096), (128, 768, 768), (2048, 2048, 2048)]
# The block-sparse table's shapes (one row, and 128).
BLOCK_SHAPES = [(1, 4096, 4096), (128, 4096, 4096)]
QUICK = [(1, 256, 256), (16, 512, 256), (64, 384, 192)]
# Convolutions (f32, NCHW, batch 1, "same" padding, stride 1): C, H, W, F,
# KH = KW, groups (C for depthwise). Rows are keyed by the equivalent GEMM:
# M = H W output pixels, N = F, K = C / groups KH KW (so GOP/s is 2 M N K /
# time as for the matmuls).
CONVS = [(64, 56, 56, 64, 3, 1), (64, 56, 56, 256, 1, 1), (32, 112, 112, 32, 3, 32)]
CONV_GEOMETRY = {(h * w, f, c // g * kh * kh): (c, h, w, f, kh, g)
                 for c, h, w, f, kh, g in CONVS}


def parse_ms(text):
    m = re.search(r"ms ([0-9.]+) isa (\S+)", text)
    return (float(m.group(1)), m.group(2)) if m else (None, text.strip()[-80:])


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        return None, (p.stderr or p.stdout).strip().splitlines()[-1:] or ["failed"]
    return p.stdout, None


# ---------------------------------------------------------------- Slim ---

def mlir_module(kind, m, n, k, w8, wf, tmp):
    """A module computing `kind` with the constant weight; returns its path."""
    path = os.path.join(tmp, "slim-%s-%d-%d-%d.mlir" % (kind, m, n, k))
    # The weight-only kinds run the quantized module written next to it.
    final = (path.replace(".mlir", ".wo.mlirbc") if kind in ("int4-wo", "int8-wo")
             else path)
    if os.path.exists(final):
        return final
    with open(path, "w") as f:
        if kind in ("f32", "int4-wo", "int8-wo"):
            hexw = wf.astype("<f4").tobytes().hex().upper()
            f.write('func.func @main(%%x: tensor<%dx%dxf32>) -> tensor<%dx%dxf32> {\n'
                    '  %%w = arith.constant dense<"0x%s"> : tensor<%dx%dxf32>\n'
                    '  %%z = arith.constant 0.0 : f32\n'
                    '  %%e = tensor.empty() : tensor<%dx%dxf32>\n'
                    '  %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n'
                    '  %%y = linalg.matmul ins(%%x, %%w : tensor<%dx%dxf32>, tensor<%dx%dxf32>) '
                    'outs(%%i : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n'
                    '  return %%y : tensor<%dx%dxf32>\n}\n'
                    % (m, k, m, n, hexw, k, n, m, n, m, n, m, n, m, k, k, n, m, n, m, n, m, n))
        else:
            hexw = w8.astype(np.int8).tobytes().hex().upper()
            wt = "tensor<%dx%dx!quant.uniform<i8:f32, 0.05>>" % (k, n)
            f.write('func.func @main(%%x: %s) -> %s {\n'
                    '  %%w = arith.constant dense<"0x%s"> : tensor<%dx%dxi8>\n'
                    '  %%wq = quant.scast %%w : tensor<%dx%dxi8> to %s\n'
                    % ("tensor<%dx%dxf32>" % (m, k) if kind == "dynamic" else
                       "tensor<%dx%dx!quant.uniform<u8:f32, 0.5:128>>" % (m, k),
                       "tensor<%dx%dxf32>" % (m, n) if kind == "dynamic" else
                       "tensor<%dx%dx!quant.uniform<i32:f32, 0.025>>" % (m, n),
                       hexw, k, n, k, n, wt))
            if kind == "dynamic":
                f.write('  %%y = slim.dynamic_qmatmul %%x, %%wq : tensor<%dx%dxf32>, %s -> tensor<%dx%dxf32>\n'
                        '  return %%y : tensor<%dx%dxf32>\n}\n' % (m, k, wt, m, n, m, n))
            else:
                xt = "tensor<%dx%dx!quant.uniform<u8:f32, 0.5:128>>" % (m, k)
                yt = "tensor<%dx%dx!quant.uniform<i32:f32, 0.025>>" % (m, n)
                f.write('  %%y = slim.qmatmul %%x, %%wq : %s, %s -> %s\n'
                        '  return %%y : %s\n}\n' % (xt, wt, yt, yt))
    if kind in ("int4-wo", "int8-wo"):
        opts = ("bits=4 granularity=group group-size=32" if kind == "int4-wo"
                else "bits=8 granularity=channel")
        _, err = run([os.path.join(BIN, "slim-opt"), path, "--slim-weight-only=" + opts,
                      "--emit-bytecode", "-o", final])
        if err:
            raise RuntimeError("slim-opt: %s" % err)
    return final


def conv_module(m, n, k, tmp):
    """Slim's convolution: linalg.conv_2d_nchw_fchw by a constant filter of
    the input padded by a tensor.pad of +0 ('same' padding, which the
    kernel takes as its own)."""
    c, h, w, f, kh, g = CONV_GEOMETRY[(m, n, k)]
    path = os.path.join(tmp, "slim-conv-%d-%d-%d.mlir" % (m, n, k))
    if os.path.exists(path):
        return path
    # Depthwise (g == c): linalg.depthwise_conv_2d_nchw_chw, a C x KH x KW
    # filter.
    fshape = (c, kh, kh) if g > 1 else (f, c, kh, kh)
    filt = np.random.default_rng(5).standard_normal(fshape).astype("<f4")
    hp, wp, p = h + kh - 1, w + kh - 1, (kh - 1) // 2
    xt, it, ft, ot = ("tensor<1x%dx%dx%dxf32>" % (c, h, w),
                      "tensor<1x%dx%dx%dxf32>" % (c, hp, wp),
                      "tensor<%sxf32>" % "x".join(str(d) for d in fshape),
                      "tensor<1x%dx%dx%dxf32>" % (f, h, w))
    op = "linalg.depthwise_conv_2d_nchw_chw" if g > 1 else "linalg.conv_2d_nchw_fchw"
    with open(path, "w") as fo:
        fo.write('func.func @main(%%x: %s) -> %s {\n'
                 '  %%w = arith.constant dense<"0x%s"> : %s\n'
                 '  %%z = arith.constant 0.0 : f32\n'
                 '  %%xp = tensor.pad %%x low[0, 0, %d, %d] high[0, 0, %d, %d] {\n'
                 '  ^bb0(%%a: index, %%b: index, %%c: index, %%d: index):\n'
                 '    tensor.yield %%z : f32\n  } : %s to %s\n'
                 '  %%e = tensor.empty() : %s\n'
                 '  %%i = linalg.fill ins(%%z : f32) outs(%%e : %s) -> %s\n'
                 '  %%y = %s {dilations = dense<1> : tensor<2xi64>, '
                 'strides = dense<1> : tensor<2xi64>} ins(%%xp, %%w : %s, %s) outs(%%i : %s) -> %s\n'
                 '  return %%y : %s\n}\n'
                 % (xt, ot, filt.tobytes().hex().upper(), ft, p, p, p, p, xt, it, ot, ot, ot,
                    op, it, ft, ot, ot, ot))
    return path


def qconv_module(m, n, k, tmp):
    """Slim's int8 convolution: slim.qconv2d of a u8 input (zero point 128)
    by a constant per-channel int8 filter, 'same' padding inside the op,
    the int32 accumulator as the result (ONNX ConvInteger's output)."""
    c, h, w, f, kh, g = CONV_GEOMETRY[(m, n, k)]
    path = os.path.join(tmp, "slim-qconv-%d-%d-%d.mlir" % (m, n, k))
    if os.path.exists(path):
        return path
    dw = g > 1
    fshape = (c, kh, kh) if dw else (f, c, kh, kh)
    filt = np.random.default_rng(5).integers(-128, 128, fshape, dtype=np.int8)
    p = (kh - 1) // 2
    xq = "!quant.uniform<u8:f32, 0.05:128>"
    wq = "!quant.uniform<i8:f32:0, {%s}>" % ", ".join(["0.01"] * f)
    aq = "!quant.uniform<i32:f32:1, {%s}>" % ", ".join(["5.0e-04"] * f)
    dims = lambda shape: "x".join(str(d) for d in shape)
    it, ft, ot = ("tensor<1x%dx%dx%dx%s>" % (c, h, w, xq),
                  "tensor<%sx%s>" % (dims(fshape), wq),
                  "tensor<1x%dx%dx%dx%s>" % (f, h, w, aq))
    with open(path, "w") as fo:
        fo.write('func.func @main(%%x: %s) -> %s {\n'
                 '  %%c = arith.constant dense<"0x%s"> : tensor<%sxi8>\n'
                 '  %%w = quant.scast %%c : tensor<%sxi8> to %s\n'
                 '  %%y = slim.qconv2d %%x, %%w strides [1, 1] dilations [1, 1] '
                 'padding [%d, %d, %d, %d]%s : %s, %s -> %s\n'
                 '  return %%y : %s\n}\n'
                 % (it, ot, filt.tobytes().hex().upper(), dims(fshape), dims(fshape),
                    ft, p, p, p, p, " depthwise" if dw else "", it, ft, ot, ot))
    return path


def slim_compiled(kind, m, n, k, threads, seconds, w8, wf, tmp):
    # int4-wo-i8: the int4 module run with its activation quantized to int8
    # (slim-run --weight-only-activations=int8; ORT's accuracy_level 4).
    extra = []
    if kind == "int4-wo-i8":
        kind, extra = "int4-wo", ["--weight-only-activations=int8"]
    module = (conv_module(m, n, k, tmp) if kind == "conv"
              else qconv_module(m, n, k, tmp) if kind == "qconv"
              else mlir_module(kind, m, n, k, w8, wf, tmp))
    x = os.path.join(tmp, "x-%s-%d-%d.npy" % (kind, m, k))
    if not os.path.exists(x):
        if kind == "conv":
            c, h, w, f, kh, g = CONV_GEOMETRY[(m, n, k)]
            np.save(x, np.random.default_rng(1).standard_normal(
                (1, c, h, w)).astype(np.float32))
        elif kind == "qconv":
            c, h, w, f, kh, g = CONV_GEOMETRY[(m, n, k)]
            np.save(x, np.random.default_rng(1).integers(0, 256, (1, c, h, w), dtype=np.uint8))
        elif kind == "int8":
            np.save(x, np.random.default_rng(1).integers(0, 256, (m, k), dtype=np.uint8))
        else:
            np.save(x, np.random.default_rng(1).standard_normal((m, k)).astype(np.float32))
    # About `seconds` of calls, at least 5.
    out, err = run([os.path.join(BIN, "slim-run"), module, "--input", x,
                    "--threads", str(threads), "--repeat", "5"] + extra)
    if err:
        return None, err[0]
    med = float(re.search(r"median ([0-9.]+) ms", out).group(1))
    reps = max(5, min(2000, int(seconds * 1e3 / max(med, 1e-3))))
    out, err = run([os.path.join(BIN, "slim-run"), module, "--input", x,
                    "--threads", str(threads), "--repeat", str(reps)] + extra)
    if err:
        return None, err[0]
    return (float(re.search(r"median ([0-9.]+) ms", out).group(1)),
            "compiled, int8 activations" if extra else "compiled")


def peers_cmd(lib, kind, m, n, k, threads, seconds, hide=""):
    # hide: ISAs hidden from Slim's host query (SLIM_DISABLE_ISA), to time
    # the kernels of the weaker ISAs on this CPU too.
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    if hide:
        env["SLIM_DISABLE_ISA"] = hide
    out, err = run([os.path.join(BIN, "slim-bench-peers"), "gemm", lib, kind,
                    str(m), str(n), str(k), str(threads), str(seconds)], env=env)
    return parse_ms(out) if out else (None, err[0])


def torch_conv(m, n, k, threads, seconds, kind="conv"):
    c, h, w, f, kh, g = CONV_GEOMETRY[(m, n, k)]
    out, err = run(["/usr/bin/python3", os.path.join(HERE, "torch_peer.py"), kind,
                    str(c), str(h), str(w), str(f), str(kh), str(threads), str(seconds),
                    str(g)],
                   env=dict(os.environ, OMP_NUM_THREADS=str(threads)))
    return parse_ms(out) if out else (None, err[0])


def torch_cmd(kind, m, n, k, threads, seconds):
    # OMP_NUM_THREADS too: torch.set_num_threads alone leaves oneDNN's f32
    # path on every core.
    out, err = run(["/usr/bin/python3", os.path.join(HERE, "torch_peer.py"), kind,
                    str(m), str(n), str(k), str(threads), str(seconds)],
                   env=dict(os.environ, OMP_NUM_THREADS=str(threads)))
    return parse_ms(out) if out else (None, err[0])


# ---------------------------------------------------------------- IREE ---

IREE_BIN = os.path.join(TOP, ".venv", "bin")
# The design issue 15 points to: data tiling (encodings, pack, mmt4d) with
# IREE's CPU micro-kernels, for the compiling host's CPU.
IREE_FLAGS = ["--iree-hal-target-device=local",
              "--iree-hal-local-target-device-backends=llvm-cpu",
              "--iree-llvmcpu-target-cpu=host", "--iree-opt-data-tiling",
              "--iree-llvmcpu-enable-ukernels=all"]


def iree_module(kind, m, n, k, w8, wf, tmp):
    """The f32 module Slim runs (linalg.matmul by a constant), or for int8
    linalg.matmul of i8 by a constant i8 weight into i32 (s8 x s8: linalg
    has no u8 operand), compiled to a .vmfb."""
    vmfb = os.path.join(tmp, "iree-%s-%d-%d-%d.vmfb" % (kind, m, n, k))
    if os.path.exists(vmfb):
        return vmfb
    if kind == "f32":
        src = mlir_module("f32", m, n, k, w8, wf, tmp)
    else:
        src = os.path.join(tmp, "iree-int8-%d-%d-%d.mlir" % (m, n, k))
        with open(src, "w") as f:
            f.write('func.func @main(%%x: tensor<%dx%dxi8>) -> tensor<%dx%dxi32> {\n'
                    '  %%w = arith.constant dense<"0x%s"> : tensor<%dx%dxi8>\n'
                    '  %%z = arith.constant 0 : i32\n'
                    '  %%e = tensor.empty() : tensor<%dx%dxi32>\n'
                    '  %%i = linalg.fill ins(%%z : i32) outs(%%e : tensor<%dx%dxi32>) -> tensor<%dx%dxi32>\n'
                    '  %%y = linalg.matmul ins(%%x, %%w : tensor<%dx%dxi8>, tensor<%dx%dxi8>) '
                    'outs(%%i : tensor<%dx%dxi32>) -> tensor<%dx%dxi32>\n'
                    '  return %%y : tensor<%dx%dxi32>\n}\n'
                    % (m, k, m, n, w8.astype(np.int8).tobytes().hex().upper(), k, n,
                       m, n, m, n, m, n, m, k, k, n, m, n, m, n, m, n))
    _, err = run([os.path.join(IREE_BIN, "iree-compile"), src] + IREE_FLAGS + ["-o", vmfb])
    if err:
        raise RuntimeError("iree-compile: %s" % err[0])
    return vmfb


def iree_time(kind, m, n, k, threads, seconds, w8, wf, tmp):
    if not os.path.exists(os.path.join(IREE_BIN, "iree-compile")):
        return None, "no IREE in .venv (pip install iree-base-compiler iree-base-runtime)"
    vmfb = iree_module(kind, m, n, k, w8, wf, tmp)
    # One thread: the synchronous device; more: the task system with that
    # many workers.
    device = (["--device=local-sync"] if threads == 1 else
              ["--device=local-task", "--task_topology_max_group_count=%d" % threads])
    out, err = run([os.path.join(IREE_BIN, "iree-benchmark-module"), "--module=" + vmfb,
                    "--function=main", "--input=%dx%dx%s=1" % (m, k, "f32" if kind == "f32" else "i8"),
                    "--benchmark_min_time=%gs" % max(seconds, 0.1)] + device)
    if err:
        return None, err[0]
    hit = re.search(r"BM_main/process_time/real_time\s+([0-9.]+) (ns|us|ms|s)\b", out)
    if not hit:
        return None, "no timing in iree-benchmark-module's output"
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[hit.group(2)]
    return float(hit.group(1)) * scale, "data-tiled"


# ------------------------------------------------------- ONNX Runtime ---

def ort_session(kind, m, n, k, threads, w8, wf, accuracy=0):
    x = helper.make_tensor_value_info("x", TensorProto.UINT8 if kind == "int8"
                                      else TensorProto.FLOAT, [m, k])
    y = helper.make_tensor_value_info("y", TensorProto.INT32 if kind == "int8"
                                      else TensorProto.FLOAT, [m, n])
    inits, opset = [], [helper.make_opsetid("", 17)]
    if kind in ("conv", "qconv"):
        c, h, w, f, kh, g = CONV_GEOMETRY[(m, n, k)]
        q = kind == "qconv"
        x = helper.make_tensor_value_info("x", TensorProto.UINT8 if q else TensorProto.FLOAT,
                                          [1, c, h, w])
        y = helper.make_tensor_value_info("y", TensorProto.INT32 if q else TensorProto.FLOAT,
                                          [1, f, h, w])
        p = (kh - 1) // 2
        if q:
            # ConvInteger: u8 x with a zero point, s8 w, int32 y.
            inits += [numpy_helper.from_array(np.random.default_rng(5).integers(
                          -128, 128, (f, c // g, kh, kh), dtype=np.int8), "w"),
                      numpy_helper.from_array(np.array(128, np.uint8), "xz")]
            node = helper.make_node("ConvInteger", ["x", "w", "xz"], ["y"],
                                    pads=[p, p, p, p], group=g)
        else:
            inits.append(numpy_helper.from_array(
                np.random.default_rng(5).standard_normal((f, c // g, kh, kh)).astype(np.float32), "w"))
            node = helper.make_node("Conv", ["x", "w"], ["y"], pads=[p, p, p, p], group=g)
    elif kind == "f32":
        inits.append(numpy_helper.from_array(wf, "w"))
        node = helper.make_node("MatMul", ["x", "w"], ["y"])
    elif kind == "int8":
        inits += [numpy_helper.from_array(w8, "w"),
                  numpy_helper.from_array(np.array(128, np.uint8), "xz"),
                  numpy_helper.from_array(np.array(0, np.int8), "wz")]
        node = helper.make_node("MatMulInteger", ["x", "w", "xz", "wz"], ["y"])
    elif kind == "dynamic":
        inits += [numpy_helper.from_array(w8, "w"),
                  numpy_helper.from_array(np.full([n], 0.05, np.float32), "ws")]
        node = helper.make_node("DynamicQuantizeMatMul", ["x", "w", "ws"], ["y"],
                                domain="com.microsoft")
        opset.append(helper.make_opsetid("com.microsoft", 1))
    else:  # int4 weight-only, blocks of 32 along K
        blocks = k // 32
        q = np.random.default_rng(3).integers(0, 16, (n, blocks, 32), dtype=np.uint8)
        packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)
        inits += [numpy_helper.from_array(packed, "w"),
                  numpy_helper.from_array(np.full([n * blocks], 0.05, np.float32), "ws")]
        node = helper.make_node("MatMulNBits", ["x", "w", "ws"], ["y"], domain="com.microsoft",
                                K=k, N=n, bits=4, block_size=32, accuracy_level=accuracy)
        opset.append(helper.make_opsetid("com.microsoft", 1))
    model = helper.make_model(helper.make_graph([node], "g", [x], [y], inits),
                              opset_imports=opset)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), opts,
                                providers=["CPUExecutionProvider"])
    shape = [m, k]
    if kind in ("conv", "qconv"):
        c, h, w, f, kh, g = CONV_GEOMETRY[(m, n, k)]
        shape = [1, c, h, w]
    feed = (np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
            if kind in ("int8", "qconv") else
            np.random.default_rng(1).standard_normal(shape).astype(np.float32))
    return sess, {"x": feed}


def ort_time(kind, m, n, k, threads, seconds, w8, wf, accuracy=0):
    try:
        sess, feed = ort_session(kind, m, n, k, threads, w8, wf, accuracy)
    except Exception as e:  # an op this build lacks, say
        return None, str(e).splitlines()[0][:80]
    sess.run(None, feed)
    sess.run(None, feed)
    times, end = [], time.perf_counter() + seconds
    while len(times) < 5 or (time.perf_counter() < end and len(times) < 100000):
        t0 = time.perf_counter()
        sess.run(None, feed)
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2], "cpu"


# --------------------------------------------------------------- main ---

def contenders(a):
    c = [("f32", "slim-f32", lambda *s: slim_compiled("f32", *s)),
         ("f32", "slim-kernel", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32", m, n, k, t, sec)),
         ("f32", "slim-kernel-avx2", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32", m, n, k, t, sec, "amx,avx512_vnni,avx_vnni")),
         ("f32", "onednn", lambda m, n, k, t, sec, *_: peers_cmd("onednn", "f32", m, n, k, t, sec)),
         ("f32", "openblas", lambda m, n, k, t, sec, *_: peers_cmd("openblas", "f32", m, n, k, t, sec)),
         ("f32", "ort-MatMul", lambda m, n, k, t, sec, w8, wf, _: ort_time("f32", m, n, k, t, sec, w8, wf)),
         ("f32", "torch-linear", lambda m, n, k, t, sec, *_: torch_cmd("f32", m, n, k, t, sec)),
         ("f32", "iree", lambda m, n, k, t, sec, w8, wf, tmp: iree_time("f32", m, n, k, t, sec, w8, wf, tmp)),
         ("int8", "slim-int8", lambda *s: slim_compiled("int8", *s)),
         ("int8", "slim-kernel", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8", m, n, k, t, sec)),
         ("int8", "slim-kernel-vnni512", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8", m, n, k, t, sec, "amx")),
         ("int8", "slim-kernel-vnni256", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8", m, n, k, t, sec, "amx,avx512_vnni")),
         ("int8", "slim-kernel-avx2", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8", m, n, k, t, sec, "amx,avx512_vnni,avx_vnni")),
         ("int8", "onednn", lambda m, n, k, t, sec, *_: peers_cmd("onednn", "u8s8", m, n, k, t, sec)),
         ("int8", "ort-MatMulInteger", lambda m, n, k, t, sec, w8, wf, _: ort_time("int8", m, n, k, t, sec, w8, wf)),
         ("int8", "torch-qlinear", lambda m, n, k, t, sec, *_: torch_cmd("static", m, n, k, t, sec)),
         ("int8", "iree-s8s8", lambda m, n, k, t, sec, w8, wf, tmp: iree_time("int8", m, n, k, t, sec, w8, wf, tmp)),
         # Pruned int8 weights (issue 16): the same 2:4 weight dense and in
         # the sparse form on Slim's kernels, oneDNN's dense int8 and
         # PyTorch's sparse matmul (CSR, f32: torch 1.13 has no int8 one).
         ("sparse", "slim-int8-dense", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8-24dense", m, n, k, t, sec)),
         ("sparse", "slim-int8-2:4", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8-24", m, n, k, t, sec)),
         ("sparse", "onednn-int8-dense", lambda m, n, k, t, sec, *_: peers_cmd("onednn", "u8s8", m, n, k, t, sec)),
         ("sparse", "torch-sparse-2:4-f32", lambda m, n, k, t, sec, *_: torch_cmd("sparse24", m, n, k, t, sec)),
         # The same in f32: Slim's f32 kernel on the 2:4 weight dense and
         # row-compressed with lane masks (expanded per row).
         ("sparse", "slim-f32-dense", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-24dense", m, n, k, t, sec)),
         ("sparse", "slim-f32-2:4", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-24", m, n, k, t, sec)),
         # Block sparsity (blocks of 4 k x 16 columns removed at random):
         # f32 row-compressed and int8 masked sparse forms on Slim's
         # kernels against the same weights dense; torch.sparse (CSR, f32,
         # 80%) as the peer.
         ("block", "slim-f32-dense-kernel", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-block80-dense", m, n, k, t, sec)),
         ("block", "slim-f32-block50", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-block50", m, n, k, t, sec)),
         ("block", "slim-f32-block80", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-block80", m, n, k, t, sec)),
         ("block", "slim-f32-block90", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-block90", m, n, k, t, sec)),
         ("block", "slim-int8-dense-kernel", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8-block80-dense", m, n, k, t, sec)),
         ("block", "slim-int8-block50", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8-block50", m, n, k, t, sec)),
         ("block", "slim-int8-block80", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8-block80", m, n, k, t, sec)),
         ("block", "slim-int8-block90", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8-block90", m, n, k, t, sec)),
         # int8 with whole 64 k x 16 blocks removed: AMX's tiles of B,
         # whose products the AMX kernel skips.
         ("block", "slim-int8-tile50", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8-block50x64", m, n, k, t, sec)),
         ("block", "slim-int8-tile80", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8-block80x64", m, n, k, t, sec)),
         ("block", "slim-int8-tile90", lambda m, n, k, t, sec, *_: peers_cmd("slim", "u8s8-block90x64", m, n, k, t, sec)),
         # Low rank: the weight as two factors of rank R (slim-low-rank's
         # x A then by B, two f32 kernel calls) against the dense weight.
         ("lowrank", "slim-lr-dense", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32", m, n, k, t, sec)),
         ("lowrank", "slim-lr-r64", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-lr64", m, n, k, t, sec)),
         ("lowrank", "slim-lr-r256", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-lr256", m, n, k, t, sec)),
         ("lowrank", "slim-lr-r512", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-lr512", m, n, k, t, sec)),
         ("lowrank", "slim-lr-r1024", lambda m, n, k, t, sec, *_: peers_cmd("slim", "f32-lr1024", m, n, k, t, sec)),
         ("lowrank", "slim-onebit", lambda m, n, k, t, sec, *_: peers_cmd("slim", "onebit", m, n, k, t, sec)),
         ("block", "torch-sparse-block80-f32", lambda m, n, k, t, sec, *_: torch_cmd("block80", m, n, k, t, sec)),
         ("dynamic", "slim-dynamic", lambda *s: slim_compiled("dynamic", *s)),
         ("dynamic", "ort-DynQMatMul", lambda m, n, k, t, sec, w8, wf, _: ort_time("dynamic", m, n, k, t, sec, w8, wf)),
         ("dynamic", "torch-dynamic", lambda m, n, k, t, sec, *_: torch_cmd("dynamic", m, n, k, t, sec)),
         ("int4-wo", "slim-int4", lambda *s: slim_compiled("int4-wo", *s)),
         ("int4-wo", "slim-int4-i8", lambda *s: slim_compiled("int4-wo-i8", *s)),
         ("int4-wo", "slim-int8-wo", lambda *s: slim_compiled("int8-wo", *s)),
         ("int4-wo", "ort-NBits-acc4", lambda m, n, k, t, sec, w8, wf, _: ort_time("int4", m, n, k, t, sec, w8, wf, 4)),
         ("int4-wo", "ort-NBits-acc0", lambda m, n, k, t, sec, w8, wf, _: ort_time("int4", m, n, k, t, sec, w8, wf, 0)),
         ("conv", "slim-conv", lambda *s: slim_compiled("conv", *s)),
         ("conv", "ort-Conv", lambda m, n, k, t, sec, w8, wf, _: ort_time("conv", m, n, k, t, sec, w8, wf)),
         ("conv", "torch-conv2d", lambda m, n, k, t, sec, *_: torch_conv(m, n, k, t, sec)),
         ("qconv", "slim-qconv", lambda *s: slim_compiled("qconv", *s)),
         ("qconv", "ort-ConvInteger", lambda m, n, k, t, sec, w8, wf, _: ort_time("qconv", m, n, k, t, sec, w8, wf)),
         ("qconv", "torch-qconv2d", lambda m, n, k, t, sec, *_: torch_conv(m, n, k, t, sec, "qconv"))]
    return [x for x in c if not a.only or re.search(a.only, x[1])]


def peaks():
    res = {}
    for name in ("fma512", "fma256", "vnni512", "vnni256", "avx2int8", "amx",
                 "stream64m", "stream1g"):
        out, _ = run([os.path.join(BIN, "slim-bench-peers"), "peak", name, "1"])
        m = re.search(r"gops ([0-9.]+)", out or "")
        res[name] = float(m.group(1)) if m else None
    return res


def row_peak(kind, isa, pk):
    """The peak of the ISA a row names (Slim's kernels and oneDNN's
    implementation strings), or None for the machine's best."""
    if kind == "f32":
        return pk["fma256"] if ("avx2" in isa and "512" not in isa) else None
    for key, name in (("amx", "amx"), ("avx512_vnni", "vnni512"),
                      ("avx512_core_vnni", "vnni512"), ("avx_vnni", "vnni256"),
                      ("avx2", "avx2int8")):
        if key in isa:
            return pk[name]
    return None


def host_line():
    # slim-run prints the host, then fails on the empty module: keep stdout.
    out = subprocess.run([os.path.join(BIN, "slim-run"), "--show-host", os.devnull],
                         capture_output=True, text=True).stdout
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*: (.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    return cpu, (out or "").strip().splitlines()[0] if out else "?"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=os.path.join(TOP, "docs", "performance.md"))
    p.add_argument("--threads", default="1,2")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--seconds", type=float, default=0.5)
    p.add_argument("--shapes")
    p.add_argument("--only", help="regex on contender names; their rows replace "
                   "those of the saved results")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--render-only", action="store_true")
    a = p.parse_args()
    results = os.path.splitext(a.out)[0] + ".json"
    shapes = QUICK if a.quick else SHAPES
    if a.shapes:
        shapes = [tuple(int(v) for v in s.split(":")) for s in a.shapes.split(",")]
    threads = [int(t) for t in a.threads.split(",")]
    cpu, host = host_line()
    # The peaks of the run that measured the rows: a re-render or a partial
    # run (--only) keeps the saved ones, so that every "% of peak" divides
    # by the peaks measured next to the full run.
    saved_peaks = None
    if (a.render_only or a.only) and os.path.exists(results):
        with open(results) as f:
            saved_peaks = json.load(f).get("peaks")
    pk = saved_peaks or peaks()
    best_isa = host.split("micro-kernels:")[-1].split(",")[-1].strip()
    int8_peak = {"amx": pk["amx"], "avx512_vnni": pk["vnni512"], "avx_vnni": pk["vnni256"],
                 "avx2": pk["avx2int8"]}.get(best_isa)
    f32_peak = pk["fma512"] if best_isa in ("amx", "avx512_vnni") else pk["fma256"]
    lines = ["# Performance (benchmarks/run.sh)", "",
             "Measured %s on %s (%s), one process per contender, interleaved "
             "in %d rounds (median time per call over %.1f s, best round)." %
             (time.strftime("%Y-%m-%d"), cpu, host, a.rounds, a.seconds), "",
             "Peaks per core, register-only loops (10^9 ops/s; a multiply-add is 2): " +
             ", ".join("%s %s" % (k, "%.0f" % v if v else "n/a") for k, v in pk.items()
                       if not k.startswith("stream")) + "; read bandwidth of one thread "
             "(GB/s): %s from 64 MiB, %s from 1 GiB." % tuple(
                 "%.1f" % pk[k] if pk.get(k) else "n/a" for k in ("stream64m", "stream1g")), ""]
    print("\n".join(lines), flush=True)
    rows = []
    if a.render_only:
        with open(results) as f:
            saved = json.load(f)
        rows = [tuple(r) for r in saved["rows"]]
        shapes = list(dict.fromkeys(tuple(x) for x in saved["shapes"]))
        threads = saved["threads"]
        lines[2] = saved["header"]
    conv_shapes = [] if a.quick or a.shapes else list(CONV_GEOMETRY)
    with tempfile.TemporaryDirectory() as tmp:
        for (m, n, k) in ([] if a.render_only else shapes + conv_shapes):
            is_conv = (m, n, k) in conv_shapes
            rng = np.random.default_rng(7)
            w8 = rng.integers(-128, 128, (k, n), dtype=np.int8)
            wf = rng.standard_normal((k, n)).astype(np.float32)
            for t in threads:
                best = {}
                for r in range(a.rounds):
                    for kind, name, fn in contenders(a):
                        if (kind in ("conv", "qconv")) != is_conv:
                            continue
                        if kind in ("block", "lowrank") and (m, n, k) not in BLOCK_SHAPES:
                            continue
                        try:
                            ms, isa = fn(m, n, k, t, a.seconds, w8, wf, tmp)
                        except Exception as e:
                            ms, isa = None, str(e)[:80]
                        key = (kind, name)
                        if ms is not None and (key not in best or best[key][0] is None
                                               or ms < best[key][0]):
                            best[key] = (ms, isa)
                        elif key not in best:
                            best[key] = (None, isa)
                for (kind, name), (ms, isa) in best.items():
                    rows.append((m, n, k, t, kind, name, ms, isa))
                    print("%dx%dx%d t%d %-8s %-18s %s %s" % (m, n, k, t, kind, name,
                          "%.3f ms" % ms if ms else "-", isa), flush=True)
    if a.only and not a.render_only and os.path.exists(results):
        # Measured again: these contenders' rows replace the saved ones.
        with open(results) as f:
            saved = json.load(f)
        fresh = {tuple(r[:6]) for r in rows}
        rows = [tuple(r) for r in saved["rows"] if tuple(r[:6]) not in fresh] + rows
        # The saved shapes include the convolutions, added again below.
        shapes = [tuple(x) for x in saved["shapes"] if tuple(x) not in CONV_GEOMETRY]
        threads = saved["threads"]
        lines[2] = saved["header"] + (" Contenders matching '%s' measured again on "
                                      "%s." % (a.only, time.strftime("%Y-%m-%d")))
    if not a.render_only:
        with open(results, "w") as f:
            json.dump({"header": lines[2], "shapes": shapes + conv_shapes,
                       "threads": threads, "rows": rows, "peaks": pk}, f, indent=0)
    # Tables: one per kind.
    ops = lambda m, n, k: 2.0 * m * n * k
    for kind in ("f32", "int8", "sparse", "block", "lowrank", "dynamic", "int4-wo", "conv",
                 "qconv"):
        sel = [r for r in rows if r[4] == kind]
        if not sel:
            continue
        peak = f32_peak if kind in ("f32", "conv") else int8_peak
        lines += ["## %s" % kind, "",
                  "| M x N x K | threads | contender | ms | GOP/s | %s | %% of peak |" %
                  ("/ Slim dense" if kind == "sparse" else
                   "/ Slim dense" if kind in ("block", "lowrank") else "/ best peer"),
                  "|---|---|---|---|---|---|---|"]
        for (m, n, k) in (shapes if a.render_only else shapes + conv_shapes):
            for t in threads:
                group = [r for r in sel if r[:4] == (m, n, k, t)]
                peers = [r[6] for r in group if r[6] and not r[5].startswith("slim")]
                bestpeer = min(peers) if peers else None
                # Pruned weights: against Slim's dense int8 of the same
                # weight, measured in the same run.
                for r in group:
                    ms = r[6]
                    if kind == "sparse":
                        # Slim's f32 rows against its dense f32 kernel on
                        # the same weight, the others against dense int8.
                        base = ("slim-f32-dense" if r[5].startswith("slim-f32")
                                else "slim-int8-dense")
                        dense = [x[6] for x in group if x[5] == base and x[6]]
                        bestpeer = dense[0] if dense else None
                    if kind == "block":
                        # Each type against Slim's dense kernel of its type.
                        base = "slim-int8-dense-kernel" if "int8" in r[5] else "slim-f32-dense-kernel"
                        dense = [x[6] for x in group if x[5] == base and x[6]]
                        bestpeer = dense[0] if dense else None
                    if kind == "lowrank":
                        dense = [x[6] for x in group if x[5] == "slim-lr-dense" and x[6]]
                        bestpeer = dense[0] if dense else None
                    if ms is None:
                        lines.append("| %dx%dx%d | %d | %s | failed: %s | | | |" %
                                     (m, n, k, t, r[5], r[7]))
                        continue
                    g = ops(m, n, k) / ms / 1e6
                    ratio = "%.2f" % (bestpeer / ms) if bestpeer else ""
                    rpeak = row_peak(kind, r[7], pk) or peak
                    pct = ("%.0f%%" % (100 * g / (rpeak * t))
                           if rpeak and kind in ("f32", "int8", "conv", "qconv") else "")
                    lines.append("| %dx%dx%d | %d | %s (%s) | %.3f | %.0f | %s | %s |" %
                                 (m, n, k, t, r[5], r[7], ms, g, ratio, pct))
        lines.append("")
    lines += ["`/ best peer` is the best peer's time over this contender's (above 1: "
              "faster than every peer). Slim's int8 rows use u8 activations with a zero "
              "point, per-tensor int8 weights and an int32 result (as MatMulInteger); "
              "`% of peak` divides by the peak of the ISA Slim ran (AMX, VNNI) times "
              "the threads. Convolution rows (f32, NCHW, batch 1, stride 1, 'same' "
              "padding) are keyed by the equivalent GEMM: M = output pixels, N = filters, "
              "K = channels x KH x KW (for the depthwise 3 x 3 on 112 x 112 x 32, N = 32 "
              "channels and K = 9 taps); every contender pads (Slim: a tensor.pad of 0 "
              "that slim-pack-contractions hands to the kernel). The qconv "
              "rows are the same convolutions in int8: Slim's slim.qconv2d (u8 input "
              "with zero point 128, per-channel int8 filter, padding inside the op, "
              "int32 result) against ONNX Runtime's ConvInteger (the same operands and "
              "result) and PyTorch's quantized Conv2d (onednn engine; its result is "
              "requantized to u8, one more pass). The sparse rows multiply one weight "
              "pruned 2:4 along K (two random bytes of every four per column), on "
              "Slim's kernels dense and in the sparse form (slim.packed_matmul "
              "{sparse}: masks and nonzero bytes, 0.625 of the dense bytes), against "
              "Slim's dense int8 of the same weight; oneDNN's dense int8 and PyTorch's "
              "torch.sparse.mm of the 2:4 weight in CSR (f32) are the peers; the "
              "slim-f32 rows are the same weight in f32, Slim's f32 kernel dense and "
              "row-compressed with lane masks (kept values and a 16-bit mask per "
              "16-float row, expanded with vexpandps), against that dense f32; GOP/s "
              "counts the dense operations. The block rows remove 50, 80 or 90% of the "
              "4 k x 16 column blocks of one weight at random: f32 row-compressed "
              "(the kernels skip the removed rows) and int8 in the masked sparse form, "
              "each against Slim's dense kernel of its type on the same weight; the "
              "slim-int8-tile rows remove 50, 80 or 90% of the 64 k x 16 blocks "
              "instead (AMX's tiles of B: the AMX kernel neither rebuilds nor "
              "multiplies an empty one; other ISAs run them as any sparse form); the "
              "torch row is torch.sparse.mm of the 80% weight in CSR (f32). The lowrank "
              "rows multiply by the weight as two factors of rank R (K x R, R x N: "
              "slim-low-rank's x A then by B, two calls of Slim's f32 kernel) against "
              "the dense weight on the same kernel; the slim-onebit row multiplies by the "
              "weight's signs at one bit per weight with column scales "
              "(slim.sign_matmul's kernel: each panel's 16 weights made from its sign word "
              "in registers, one fma per row; slim-low-rank method=onebit); GOP/s counts "
              "the dense operations.", ""]
    # slim-low-rank's SVD of a 4096 x 4096 weight (decaying spectrum) at rank
    # 256: exact and randomized, time and error (measured once per run).
    svd = saved_svd = None
    if os.path.exists(results):
        with open(results) as f:
            saved_svd = json.load(f).get("svd")
    if not a.render_only and not a.quick and (not a.only or re.search(a.only, "svd")):
        out, err = run([os.path.join(BIN, "slim-bench-peers"), "svd", "4096", "4096", "256"],
                       env=dict(os.environ))
        svd = {m.group(1): (float(m.group(2)), float(m.group(3)))
               for m in re.finditer(r"(exact|randomized) s ([0-9.]+) error ([0-9.]+)", out or "")}
        svd["date"] = time.strftime("%Y-%m-%d")
        with open(results) as f:
            saved = json.load(f)
        saved["svd"] = svd
        with open(results, "w") as f:
            json.dump(saved, f, indent=0)
    svd = svd or saved_svd
    if svd:
        lines += ["## low-rank SVD", "",
                  "slim-low-rank's SVD of a 4096 x 4096 weight with a decaying spectrum "
                  "(G1 diag(1 / (1 + i / 32)) G2, Gaussian G1, G2 of inner size 1024), "
                  "rank 256, one thread, measured once on %s: seconds and the relative "
                  "Frobenius error ||W - A B|| / ||W||." % svd["date"], "",
                  "| solver | seconds | error |", "|---|---|---|"]
        for name in ("exact", "randomized"):
            if name in svd:
                lines.append("| %s | %.2f | %.4f |" % ((
                    "exact (Eigen BDCSVD)" if name == "exact" else
                    "randomized (range finder, 16 extra columns, 2 power iterations)"),
                    *svd[name]))
        lines.append("")
    lines += render_minilm(results)
    with open(a.out, "w") as f:
        f.write("\n".join(lines))
    print("wrote " + a.out)


# Labels and order of benchmarks/minilm.py's configurations.
MINILM_CONFIGS = [
    ("slim-fp32", "Slim fp32"), ("ort-fp32", "ONNX Runtime fp32"), ("iree-fp32", "IREE fp32 (data-tiled)"),
    ("slim-static", "Slim static int8 (percentile, float outputs)"),
    ("slim-dynamic", "Slim dynamic int8 (per row)"), ("ort-dynamic", "ONNX Runtime quantize_dynamic (per channel)"),
    ("ort-static-qdq", "ONNX Runtime static QDQ"),
    ("slim-wo-int8", "Slim weight-only int8"), ("slim-wo-int4", "Slim weight-only int4 (g32)"),
    ("ort-matmulnbits", "ONNX Runtime MatMulNBits int4 (b32)")]


def render_minilm(results):
    """The MiniLM section from benchmarks/minilm.py's saved results."""
    if not os.path.exists(results):
        return []
    with open(results) as f:
        m = json.load(f).get("minilm")
    if not m:
        return []
    r = m["results"]
    lines = ["## MiniLM end to end (benchmarks/minilm.py)", "",
             "all-MiniLM-L6-v2 exported at each shape, measured on %s (%s), each configuration "
             "in its own process, interleaved over %d rounds (median of %d calls, best round). "
             "compile: Slim's slim-run compile (--mlir-timing), IREE's iree-compile, ONNX "
             "Runtime's session creation; RSS: the process's peak resident memory."
             % (m["date"], m["host"], m["rounds"], m["repeat"]), "",
             "| shape | threads | configuration | ms | / ORT fp32 | / ORT dynamic | compile s | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|"]
    keys = sorted({tuple(k.split("|")[:2]) for k in r},
                  key=lambda k: ([int(v) for v in k[0].split("x")], int(k[1])))
    for shape, threads in keys:
        ref = r.get("%s|%s|ort-fp32" % (shape, threads), {}).get("ms")
        dyn = r.get("%s|%s|ort-dynamic" % (shape, threads), {}).get("ms")
        for config, label in MINILM_CONFIGS:
            e = r.get("%s|%s|%s" % (shape, threads, config))
            if not e:
                continue
            if e["ms"] is None:
                lines.append("| %s | %s | %s | failed: %s | | | | |" % (shape, threads, label, e["note"]))
                continue
            ratio = lambda d: "%.2f" % (e["ms"] / d) if d else ""
            lines.append("| %s | %s | %s | %.2f | %s | %s | %s | %s |" % (
                shape, threads, label, e["ms"], ratio(ref), ratio(dyn),
                "%.1f" % e["compile_s"] if e["compile_s"] is not None else "",
                "%.0f" % e["rss_mb"] if e["rss_mb"] is not None else ""))
    lines.append("")
    return lines


if __name__ == "__main__":
    main()
