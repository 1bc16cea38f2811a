#!/usr/bin/python3
"""PyTorch's Linear timed once, for benchmarks/run.py (Debian's torch 1.13:
quantized engines onednn and qnnpack; run under /usr/bin/python3).

Usage: torch_peer.py KIND M N K THREADS SECONDS
       torch_peer.py conv|qconv C H W F KH THREADS SECONDS [GROUPS]
  KIND f32 (F.linear), static (nn.quantized.Linear, quint8 x qint8, onednn
  engine), dynamic (nn.quantized.dynamic.Linear, qint8 weights),
  sparse24 (torch.sparse: the weight pruned 2:4 along K in CSR, f32, times
  the activation; torch 1.13's CPU sparse matmul has no int8 form),
  block80 (the same with 80% of 4 x 16 blocks removed).
Prints "ms <median ms per call> isa <engine>".
"""
import sys
import time

import torch


def median_ms(call, seconds):
    call()
    call()
    times = []
    end = time.perf_counter() + seconds
    while len(times) < 5 or (time.perf_counter() < end and len(times) < 100000):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2]


def conv(c, h, w, f, kh, threads, seconds, groups=1):
    """F.conv2d, NCHW, batch 1, stride 1, 'same' padding, `groups` (C for
    depthwise; oneDNN inside)."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.randn(1, c, h, w)
    weight = torch.randn(f, c // groups, kh, kh)
    with torch.no_grad():
        ms = median_ms(lambda: torch.nn.functional.conv2d(x, weight, padding=(kh - 1) // 2,
                                                          groups=groups),
                       seconds)
    print("ms %.6f isa mkldnn" % ms)


def qconv(c, h, w, f, kh, threads, seconds, groups=1):
    """nn.quantized.Conv2d (onednn engine): quint8 input (zero point 128),
    per-channel qint8 weights, 'same' padding, `groups`; the output is
    requantized to quint8."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    torch.backends.quantized.engine = "onednn"
    conv2d = torch.nn.quantized.Conv2d(c, f, kh, padding=(kh - 1) // 2, groups=groups)
    weight = torch.randn(f, c // groups, kh, kh)
    qw = torch.quantize_per_channel(weight, torch.full((f,), 0.01), torch.zeros(f, dtype=torch.long),
                                    0, torch.qint8)
    conv2d.set_weight_bias(qw, None)
    conv2d.scale, conv2d.zero_point = 0.5, 0
    qx = torch.quantize_per_tensor(torch.randn(1, c, h, w), 0.05, 128, torch.quint8)
    with torch.no_grad():
        ms = median_ms(lambda: conv2d(qx), seconds)
    print("ms %.6f isa onednn" % ms)


def main():
    if sys.argv[1] in ("conv", "qconv"):
        c, h, w, f, kh, threads = (int(v) for v in sys.argv[2:8])
        groups = int(sys.argv[9]) if len(sys.argv) > 9 else 1
        fn = conv if sys.argv[1] == "conv" else qconv
        return fn(c, h, w, f, kh, threads, float(sys.argv[8]), groups)
    kind, m, n, k, threads, seconds = sys.argv[1:7]
    m, n, k, threads, seconds = int(m), int(n), int(k), int(threads), float(seconds)
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.randn(m, k)
    w = torch.randn(n, k)
    engine = "mkldnn"
    with torch.no_grad():
        if kind == "f32":
            call = lambda: torch.nn.functional.linear(x, w)
        elif kind == "static":
            torch.backends.quantized.engine = engine = "onednn"
            lin = torch.nn.quantized.Linear(k, n)
            lin.set_weight_bias(torch.quantize_per_tensor(w, 0.05, 0, torch.qint8), None)
            lin.scale, lin.zero_point = 0.5, 0
            qx = torch.quantize_per_tensor(x, 0.05, 128, torch.quint8)
            call = lambda: lin(qx)
        elif kind == "dynamic":
            torch.backends.quantized.engine = engine = "onednn"
            lin = torch.nn.quantized.dynamic.Linear(k, n)
            lin.set_weight_bias(torch.quantize_per_tensor(w, 0.05, 0, torch.qint8), None)
            call = lambda: lin(x)
        elif kind == "sparse24":
            # Keep the two largest of every four along K (per output row of
            # the N x K weight); y^T = W_csr x^T.
            groups = w.reshape(n, k // 4, 4)
            keep = groups.abs().topk(2, dim=2).indices
            mask = torch.zeros_like(groups).scatter_(2, keep, 1.0)
            csr = (groups * mask).reshape(n, k).to_sparse_csr()
            xt = x.t().contiguous()
            engine = "csr-f32"
            call = lambda: torch.sparse.mm(csr, xt)
        elif kind == "block80":
            # 80% of the blocks of 16 outputs x 4 k removed, at random.
            keep = (torch.rand(n // 16, k // 4) >= 0.8).float()
            mask = keep.repeat_interleave(16, 0).repeat_interleave(4, 1)
            csr = (w * mask).to_sparse_csr()
            xt = x.t().contiguous()
            engine = "csr-f32"
            call = lambda: torch.sparse.mm(csr, xt)
        else:
            sys.exit("torch_peer.py: unknown kind " + kind)
        print("ms %.6f isa %s" % (median_ms(call, seconds), engine))


if __name__ == "__main__":
    main()
