#!/usr/bin/python3
"""Checks slim-run's output of linear.mlir: the int8 result must equal,
bit for bit, the integer pipeline recomputed here from the model with
test/Integration/ref.py (quantize, exact integer matmul, fixed-point
requantize, dequantize), and be within one output step of the float layer.

usage: check_example.py INPUT.npy INT8_RESULT.npy FLOAT_RESULT.npy
"""

import sys
from fractions import Fraction

import make_example as ex
from make_example import ref


def main():
    _, _, xs = ref.load_npy(sys.argv[1])
    _, shape, ys = ref.load_npy(sys.argv[2])
    _, _, yfs = ref.load_npy(sys.argv[3])
    M, K, N = ex.M, ex.K, ex.N
    assert shape == [M, N]
    x = [xs[m * K:(m + 1) * K] for m in range(M)]
    xq = [[ref.quantize(v, float(ex.S_X), 0, -127, 127, "even") for v in row] for row in x]
    wq = [[ref.quantize(ex.W[k][n], ex.S_W[n], 0, -127, 127, "even") for n in range(N)] for k in range(K)]
    bq = [ref.quantize(ex.B[n], ex.S_ACC[n], 0, -2 ** 31, 2 ** 31 - 1, "even") for n in range(N)]
    bad, worst = [], 0.0
    for m in range(M):
        for n in range(N):
            acc = bq[n] + sum(xq[m][k] * wq[k][n] for k in range(K))
            m0, shift = ref.decompose(ex.S_ACC[n] / float(ex.S_Y))
            q = min(max(ref.fixed_point(acc, m0, shift) + ex.Z_Y, ex.Z_Y), 127)
            want = ref.dequantize(q, float(ex.S_Y), ex.Z_Y, ref.F32)
            got = ys[m * N + n]
            if got != want:
                bad.append("(%d, %d) got %r want %r" % (m, n, got, want))
            worst = max(worst, abs(got - yfs[m * N + n]))
    print("int8 vs float: largest difference %.6g, output step %.6g: %s" % (
        worst, ex.S_Y, "within one step" if worst <= ex.S_Y else "TOO LARGE"))
    code = ref.report("int8 layer", M * N, bad)
    sys.exit(code or (0 if worst <= ex.S_Y else 1))


if __name__ == "__main__":
    main()
