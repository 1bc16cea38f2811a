#!/usr/bin/python3
"""Independent references for Slim's integration tests.

Pure Python (no numpy): exact rational arithmetic (fractions.Fraction) and
Python integers, rounded to float32/float16/bfloat16 by hand. The C++
implementation is never imported or called; the only thing shared with it is
the written semantics of the ops.

Subcommands:
  gen       write a .npy of test inputs (explicit values, specials, random)
  quantize  check slim.quantize results      (types read from the .mlir)
  dequantize, fake-quant, requantize  likewise
  same      check that two .npy files hold identical arrays

Each checker prints '<label>: N values, M mismatches' and exits 1 on any
mismatch.
"""

import argparse
import math
import random
import re
import struct
import sys
from fractions import Fraction

# --------------------------------------------------------------------------
# .npy
# --------------------------------------------------------------------------

DTYPES = {
    "<f2": ("e", 2), "<f4": ("f", 4), "<f8": ("d", 8),
    "|i1": ("b", 1), "|u1": ("B", 1), "<i2": ("h", 2), "<u2": ("H", 2),
    "<i4": ("i", 4), "<i8": ("q", 8),
}
NAMES = {"float16": "<f2", "float32": "<f4", "float64": "<f8", "int8": "|i1",
         "uint8": "|u1", "int16": "<i2", "uint16": "<u2", "int32": "<i4",
         "int64": "<i8"}


def load_npy(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:6] == b"\x93NUMPY", path + ": not a .npy file"
    if data[6] == 1:
        hlen = struct.unpack("<H", data[8:10])[0]
        off = 10
    else:
        hlen = struct.unpack("<I", data[8:12])[0]
        off = 12
    header = data[off:off + hlen].decode("latin1")
    descr = re.search(r"'descr':\s*'([^']+)'", header).group(1)
    shape_text = re.search(r"'shape':\s*\(([^)]*)\)", header).group(1)
    shape = [int(s) for s in shape_text.split(",") if s.strip()]
    code, size = DTYPES[descr]
    n = 1
    for d in shape:
        n *= d
    body = data[off + hlen:]
    assert len(body) == n * size, path + ": size mismatch"
    values = list(struct.unpack("<%d%s" % (n, code), body))
    return descr, shape, values


def save_npy(path, descr, shape, values):
    code, _ = DTYPES[descr]
    shape_text = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header += " " * pad + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        f.write(struct.pack("<%d%s" % (len(values), code), *values))


# --------------------------------------------------------------------------
# Exact float rounding
# --------------------------------------------------------------------------

class Format:
    def __init__(self, name, precision, emin, emax):
        self.name, self.p, self.emin, self.emax = name, precision, emin, emax
        # Largest finite value.
        self.max = (2 - Fraction(1, 2 ** (precision - 1))) * Fraction(2) ** emax


F32 = Format("f32", 24, -126, 127)
F16 = Format("f16", 11, -14, 15)
BF16 = Format("bf16", 8, -126, 127)
FORMATS = {"f32": F32, "f16": F16, "bf16": BF16}


def round_half_even(fr):
    """Nearest integer to a Fraction, ties to even."""
    return round(fr)  # Fraction.__round__ rounds half to even


def round_half_away(fr):
    fl = math.floor(abs(fr) + Fraction(1, 2))
    return fl if fr >= 0 else -fl


def to_float(fr, fmt):
    """Rounds an exact value to the nearest value of `fmt` (ties to even),
    as IEEE arithmetic does; returns a Python float (exact)."""
    if fr == 0:
        return 0.0
    sign = -1 if fr < 0 else 1
    a = abs(fr)
    e = math.floor(math.log2(a.numerator) - math.log2(a.denominator))
    # Correct e so that 2^e <= a < 2^(e+1).
    while Fraction(2) ** e > a:
        e -= 1
    while Fraction(2) ** (e + 1) <= a:
        e += 1
    e = max(e, fmt.emin)  # subnormals share the smallest exponent
    ulp = Fraction(2) ** (e - fmt.p + 1)
    m = round_half_even(a / ulp)
    v = m * ulp
    if v > fmt.max:
        return sign * math.inf
    return sign * float(v)


def f32(x):
    """Python float -> the float32 value nearest to it."""
    if math.isnan(x) or math.isinf(x):
        return x
    return to_float(Fraction(x), F32)


# --------------------------------------------------------------------------
# Quantized types, parsed from the .mlir under test
# --------------------------------------------------------------------------

class QType:
    """A !quant.uniform type: storage range, scales, zero points and the map
    from an element index to its parameter index."""

    def __init__(self, text):
        self.text = text
        m = re.match(r"!quant\.uniform<([iu])(\d+)(?:<(-?\d+):(-?\d+)>)?:(\w+)(.*)>$", text)
        if not m:
            raise ValueError("cannot parse quantized type " + text)
        signed = m.group(1) == "i"
        bits = int(m.group(2))
        if m.group(3) is not None:
            self.qmin, self.qmax = int(m.group(3)), int(m.group(4))
        elif signed:
            self.qmin, self.qmax = -2 ** (bits - 1), 2 ** (bits - 1) - 1
        else:
            self.qmin, self.qmax = 0, 2 ** bits - 1
        self.expressed = FORMATS[m.group(5)]
        rest = m.group(6)
        self.axis = None
        self.blocks = None
        pm = re.match(r":(\d+),\s*\{(.*)\}$", rest)
        bm = re.match(r":\{([^}]*)\},\s*(\{.*\})$", rest)
        if rest.startswith(","):
            params = [rest[1:]]
        elif pm:
            self.axis = int(pm.group(1))
            params = pm.group(2).split(",")
        elif bm:
            self.blocks = {}
            for item in bm.group(1).split(","):
                d, b = item.split(":")
                self.blocks[int(d)] = int(b)
            params = re.sub(r"[{}]", "", bm.group(2)).split(",")
        else:
            raise ValueError("cannot parse parameters of " + text)
        self.scales, self.zps = [], []
        for p in params:
            p = p.strip()
            if ":" in p:
                s, z = p.split(":")
                self.scales.append(float(s))
                self.zps.append(int(z))
            else:
                self.scales.append(float(p))
                self.zps.append(0)

    def param_index(self, index, shape):
        if self.axis is not None:
            return index[self.axis]
        if self.blocks is not None:
            # Unlisted dimensions are one block spanning the dimension.
            linear = 0
            for d, i in enumerate(index):
                b = self.blocks.get(d, shape[d])
                linear = linear * (shape[d] // b) + i // b
            return linear
        return 0


def split_types(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "<({[":
            depth += 1
        elif ch in ">)}]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def func_signature(mlir_path, name):
    """Returns (argument types, result types) of func @name as text; the
    function may be a declaration."""
    with open(mlir_path) as f:
        text = f.read()
    m = re.search(r"^\s*func\.func (?:private )?@" + re.escape(name) + r"\(", text, re.M)
    if not m:
        raise ValueError("no func @%s in %s" % (name, mlir_path))
    i, depth = m.end(), 1
    while depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    args = [a.split(":", 1)[1].strip() if a.startswith("%") else a
            for a in split_types(text[m.end():i - 1])]
    rest = text[i:].split("\n", 1)[0].strip()
    results = []
    if rest.startswith("->"):
        rest = rest[2:].strip()
        if rest.startswith("("):
            j, depth = 1, 1
            while depth:
                depth += {"(": 1, ")": -1}.get(rest[j], 0)
                j += 1
            results = split_types(rest[1:j - 1])
        else:
            results = [split_types(rest.rstrip("{ ").strip())[0]]
    return args, results


def qtype_of(a, where):
    """The quantized element type at 'arg:N' or 'result:N' of --func."""
    args, results = func_signature(a.mlir, a.func)
    kind, n = where.split(":")
    return element_qtype((args if kind == "arg" else results)[int(n)])


def element_qtype(tensor_type):
    m = re.match(r"tensor<(?:[\d?]+x)*(.*)>$", tensor_type)
    return QType(m.group(1))


def indices(shape):
    if not shape:
        yield ()
        return
    total = 1
    for d in shape:
        total *= d
    for linear in range(total):
        idx, rem = [], linear
        for d in reversed(shape):
            idx.append(rem % d)
            rem //= d
        yield tuple(reversed(idx))


# --------------------------------------------------------------------------
# Semantics (from the ops' descriptions)
# --------------------------------------------------------------------------

def quantize(x, scale, zp, qmin, qmax, mode):
    """clamp(round(f32(x / S)) + Z); NaN -> Z, +-Inf saturate."""
    if math.isnan(x):
        return min(max(zp, qmin), qmax)
    s = f32(scale)
    if math.isinf(x):
        return qmax if x > 0 else qmin
    t = to_float(Fraction(x) / Fraction(s), F32)  # IEEE float32 division
    if math.isinf(t):
        return qmax if t > 0 else qmin
    t = Fraction(t)
    r = round_half_even(t) if mode == "even" else round_half_away(t)
    return min(max(r + zp, qmin), qmax)


def dequantize(q, scale, zp, fmt):
    """f32(q - Z) * f32(S) in float32, then narrowed to the expressed type."""
    d = to_float(Fraction(q - zp), F32)
    r = to_float(Fraction(d) * Fraction(f32(scale)), F32)
    if math.isinf(r):
        return r
    return to_float(Fraction(r), fmt)


def decompose(m):
    """TFLite QuantizeMultiplier, written from its definition."""
    if m == 0:
        return 0, 0
    frac, exp = math.frexp(m)
    q = math.floor(frac * 2 ** 31 + 0.5)  # exact: frac * 2^31 has 53 bits
    if q == 2 ** 31:
        q //= 2
        exp += 1
    if exp < -31:
        return 0, 0
    assert exp <= 31
    return q, exp


def sat32(v):
    return min(max(v, -2 ** 31), 2 ** 31 - 1)


def fixed_point(x, m0, shift):
    """saturating left shift, SaturatingRoundingDoublingHighMul (ties up),
    RoundingDivideByPOT (ties away), on unbounded Python integers."""
    x = sat32(x)
    left, right = max(shift, 0), max(-shift, 0)
    x = sat32(x * 2 ** left)
    if x == -2 ** 31 and m0 == -2 ** 31:
        high = 2 ** 31 - 1
    else:
        # round(2 * x * m0 / 2^32) with ties toward +inf
        high = math.floor(Fraction(x * m0, 2 ** 31) + Fraction(1, 2))
    if right == 0:
        return high
    return round_half_away(Fraction(high, 2 ** right))


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------

def parse_floats(text):
    return [float(t) for t in text.split(",") if t.strip()]  # float("nan") works


def cmd_gen(a):
    values = []
    if a.values:
        values += parse_floats(a.values)
    if a.ties:
        # (k + 1/2) * step for k in [-n, n): exact ties of x / step.
        step = float(a.tie_step)
        n = int(a.ties)
        values += [(k + 0.5) * step for k in range(-n, n)]
    if a.specials:
        values += [math.nan, math.inf, -math.inf, 0.0, -0.0,
                   3.0e38, -3.0e38, 1.0e-45, 0.49999997, -0.49999997]
    if a.row_values:
        # Each value fills one row (the last dimension) of --shape.
        row = int(a.shape.split(",")[-1])
        for v in parse_floats(a.row_values):
            values += [v] * row
    if a.eye:
        values += [1.0 if i == j else 0.0 for i in range(a.eye) for j in range(a.eye)]
    if a.ints:
        lo, hi = [int(v) for v in a.ints.split(",")]
        values += list(range(lo, hi + 1))
    rng = random.Random(a.seed)
    if a.random:
        lo, hi = [float(v) for v in a.range.split(",")]
        for _ in range(a.random):
            if a.dtype in ("float32", "float16", "float64"):
                values.append(rng.uniform(lo, hi))
            else:
                values.append(rng.randint(int(lo), int(hi)))
    shape = [int(d) for d in a.shape.split(",")] if a.shape else [len(values)]
    n = 1
    for d in shape:
        n *= d
    if a.fill is not None:
        values += [a.fill] * (n - len(values))
    if len(values) < n:  # fill with more random values
        lo, hi = [float(v) for v in a.range.split(",")]
        while len(values) < n:
            values.append(rng.uniform(lo, hi) if a.dtype.startswith("float")
                          else rng.randint(int(lo), int(hi)))
    values = values[:n]
    if a.column_scales:
        # Multiplies column j (the last dimension) by scale j mod len.
        scales = parse_floats(a.column_scales)
        row = shape[-1]
        values = [v * scales[(i % row) % len(scales)] for i, v in enumerate(values)]
    descr = NAMES[a.dtype]
    if a.dtype == "float32":
        values = [f32(v) for v in values]
    elif a.dtype == "float16":
        values = [v if math.isnan(v) else to_float(Fraction(v), F16) if not math.isinf(v) else v for v in values]
    elif not a.dtype.startswith("float"):
        values = [int(v) for v in values]
    save_npy(a.out, descr, shape, values)


def cmd_prune(a):
    """Writes --w (a K x N float32 or integer weight) with the weights a pruning
    pattern removes set to +0, as slim-prune states it: scores |w| or, with
    --gram (X^T X), Wanda's |w[r][c]| * sqrt(gram[r][r]); unstructured
    removes round-half-even(sparsity * K * N) lowest scores of the layer,
    nm keeps the n highest of every m consecutive rows per column, block
    removes the lowest-summing RxC blocks; equal scores keep the lower
    index (the earlier block in row-major block order)."""
    descr, (K, N), ws = load_npy(a.w)
    norms = [1.0] * K
    if a.gram:
        _, gshape, g = load_npy(a.gram)
        assert gshape == [K, K], "the Gram matrix is %s, not %d x %d" % (gshape, K, K)
        norms = [math.sqrt(max(g[r * K + r], 0.0)) for r in range(K)]
    # Scores as slim-prune computes them: float32 of |w| * norm (double).
    score = [f32(abs(ws[r * N + c]) * norms[r]) if a.gram else abs(ws[r * N + c])
             for r in range(K) for c in range(N)]
    keep = [True] * (K * N)

    def drop_lowest(items, count):
        # items: (score, index, members); the `count` lowest go, among
        # equal scores the higher index first.
        for _, _, members in sorted(items, key=lambda t: (t[0], -t[1]))[:count]:
            for i in members:
                keep[i] = False
    if a.pattern == "unstructured":
        drop_lowest([(score[i], i, [i]) for i in range(K * N)], round(a.sparsity * K * N))
    elif a.pattern == "nm":
        for c in range(N):
            for r0 in range(0, K, a.m):
                group = [((r0 + i) * N + c) for i in range(a.m)]
                drop_lowest([(score[g], i, [g]) for i, g in enumerate(group)], a.m - a.n)
    else:
        br, bc = [int(v) for v in a.block.split("x")]
        blocks = []
        for b in range((K // br) * (N // bc)):
            r0, c0 = b // (N // bc) * br, b % (N // bc) * bc
            members = [r * N + c for r in range(r0, r0 + br) for c in range(c0, c0 + bc)]
            blocks.append((sum(score[i] for i in members), b, members))
        drop_lowest(blocks, round(a.sparsity * len(blocks)))
    integer = "i" in descr or "u" in descr
    out = [w if k else (0 if integer else 0.0) for w, k in zip(ws, keep)]
    # --reshape: the same values under another shape (an HWCF filter whose
    # K x F matrix this was).
    shape = [int(d) for d in a.reshape.split(",")] if a.reshape else [K, N]
    # An integer weight (int8 storage) stays integer.
    save_npy(a.output, descr if integer else "<f4", shape, out)
    print("prune: %d of %d weights zero" % (sum(1 for v in out if v == 0.0), K * N))
    return 0


def cmd_pruned_error(a):
    """Compares the output error slim-prune reported for its one layer
    (--report, JSON: ||X (W - W')||^2 / ||X W||^2 from the Gram matrix) with
    the one measured on the outputs (--ref: the dense layer's, --a: the
    pruned layer's, on the calibration inputs): equal within --rtol."""
    import json
    with open(a.report) as f:
        layers = json.load(f)["layers"]
    assert len(layers) == 1, "expected one layer, got %d" % len(layers)
    reported = layers[0]["output_error"]
    _, sr, vr = load_npy(a.ref)
    _, sa, va = load_npy(a.a)
    assert sr == sa, "shapes %s %s" % (sr, sa)
    measured = sum((x - y) ** 2 for x, y in zip(va, vr)) / sum(y * y for y in vr)
    ok = abs(reported - measured) <= a.rtol * measured
    print("%s: reported %.6g, measured %.6g: %s" % (a.label or "pruned-error", reported,
                                                   measured, "agree" if ok else "DIFFER"))
    if a.max is not None:
        within = measured <= a.max * (1 + a.rtol)
        print("%s: zeros %.4f, error %s the budget %g" % (
            a.label or "pruned-error", layers[0]["zeros"],
            "within" if within else "ABOVE", a.max))
        ok = ok and within
    return 0 if ok else 1


def report(label, n, mismatches):
    print("%s: %d values, %d mismatches" % (label, n, len(mismatches)))
    for m in mismatches[:10]:
        print("  mismatch: " + m)
    return 1 if mismatches else 0


def same_float(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1, a) == math.copysign(1, b) if a == 0 else a == b


def check_pairs(a, label, expected, equal=lambda got, want: got == want):
    """Compares --output with expected(index, shape, input value), element
    by element, and reports."""
    _, shape, xs = load_npy(a.input)
    _, oshape, ys = load_npy(a.output)
    assert shape == oshape, "shape mismatch: %s vs %s" % (shape, oshape)
    bad = []
    for idx, x, y in zip(indices(shape), xs, ys):
        want = expected(idx, shape, x)
        if not equal(y, want):
            bad.append("%s in=%r got %r want %r" % (idx, x, y, want))
    return report(a.label or label, len(xs), bad)


def params(qt, idx, shape):
    p = qt.param_index(idx, shape)
    return qt.scales[p], qt.zps[p]


def cmd_quantize(a):
    qt = qtype_of(a, a.q or "result:0")
    # Inputs that the function narrows (arith.truncf) before quantizing.
    narrow = FORMATS[a.input_format]

    def expected(idx, shape, x):
        if not (math.isnan(x) or math.isinf(x)):
            x = to_float(Fraction(x), narrow)
        s, z = params(qt, idx, shape)
        return quantize(x, s, z, qt.qmin, qt.qmax, a.rounding)
    return check_pairs(a, "quantize", expected)


def cmd_dequantize(a):
    qt = qtype_of(a, a.q or "arg:0")
    return check_pairs(a, "dequantize",
                       lambda idx, shape, q: dequantize(q, *params(qt, idx, shape), qt.expressed),
                       same_float)


def cmd_fake_quant(a):
    qt = QType(a.type)

    def expected(idx, shape, x):
        s, z = params(qt, idx, shape)
        return dequantize(quantize(x, s, z, qt.qmin, qt.qmax, a.rounding), s, z, qt.expressed)
    return check_pairs(a, "fake-quant", expected, same_float)


def cmd_requantize(a):
    qin = qtype_of(a, a.qin)
    qout = qtype_of(a, a.qout)
    lo, hi = qout.qmin, qout.qmax
    if a.clamp:
        clo, chi = [int(v) for v in a.clamp.split(",")]
        lo, hi = max(lo, clo), min(hi, chi)
    stats = {"near": 0, "far": 0}

    def expected(idx, shape, q):
        s_in, z_in = params(qin, idx, shape)
        s_out, z_out = params(qout, idx, shape)
        m = s_in / s_out  # float64, as the op says
        x = q - z_in
        if a.mode == "fixed":
            m0, shift = decompose(m)
            v = fixed_point(x, m0, shift)
            # Distance to the exact product where nothing saturated: one
            # unit at most (two roundings), more than half a unit sometimes.
            real = Fraction(sat32(x)) * Fraction(m)
            if abs(real) < 2 ** 30:
                d = abs(Fraction(v) - real)
                assert d <= 1, "x=%d m=%r: %d is more than 1 from %s" % (x, m, v, float(real))
                stats["near"] += 1
                stats["far"] += d > Fraction(1, 2)
        else:
            p = Fraction(float(x) * m)  # one float64 multiply
            v = round_half_even(p) if a.rounding == "even" else round_half_away(p)
        return min(max(v + z_out, lo), hi)

    code = check_pairs(a, "requantize", expected)
    if a.mode == "fixed" and a.stats:
        print("%s: %d unsaturated values, %d more than half a unit from q*M" % (
            a.label or "requantize", stats["near"], stats["far"]))
    return code


def cmd_qadd(a):
    """slim.qadd: TFLite's reference 8-bit ADD, written from its definition
    on unbounded Python integers (fixed_point above), against --output; and
    the distance to the exact real sum, which must stay within one output
    step where the op says so (M_out <= 1/4) and the result is inside the
    storage range (counted: values within range, values farther)."""
    ql, qr, qo = (qtype_of(a, w) for w in ("arg:0", "arg:1", a.qout))
    lo, hi = qo.qmin, qo.qmax
    if a.clamp:
        clo, chi = [int(v) for v in a.clamp.split(",")]
        lo, hi = max(lo, clo), min(hi, chi)
    sl, zl = ql.scales[0], ql.zps[0]
    sr, zr = qr.scales[0], qr.zps[0]
    so, zo = qo.scales[0], qo.zps[0]
    left = 20
    twice_max = 2 * max(sl, sr)
    ml, ls = decompose(sl / twice_max)
    mr, rs = decompose(sr / twice_max)
    mo, os_ = decompose(twice_max / (2 ** left * so))
    _, shape, xs = load_npy(a.input)
    _, rshape, ys = load_npy(a.rhs)
    _, oshape, outs = load_npy(a.output)
    assert shape == rshape == oshape, (shape, rshape, oshape)
    bad = []
    far = near = 0
    bounded = twice_max / (2 ** left * so) <= 0.25
    for idx, x, y, got in zip(indices(shape), xs, ys, outs):
        u = fixed_point((x - zl) * 2 ** left, ml, ls)
        v = fixed_point((y - zr) * 2 ** left, mr, rs)
        raw = fixed_point(u + v, mo, os_)
        want = min(max(raw + zo, lo), hi)
        if got != want:
            bad.append("%s in=(%d, %d) got %r want %r" % (idx, x, y, got, want))
        real = (Fraction(sl) * (x - zl) + Fraction(sr) * (y - zr)) / Fraction(so)
        if bounded and qo.qmin <= raw + zo <= qo.qmax:
            near += 1
            far += abs(raw - real) > 1
    code = report(a.label or "qadd", len(xs), bad)
    print("%s: %d unsaturated values, %d more than one step from the real sum"
          % (a.label or "qadd", near, far))
    return code


def cmd_qconcat(a):
    """tensor.concat of quantized tensors as slim-fuse-quantized builds it:
    each piece requantized (fixed point) to the result's per-tensor type,
    unchanged when it already has it, then concatenated along --dim."""
    inputs = a.input.split(",")
    qo = qtype_of(a, "result:0")
    so, zo = qo.scales[0], qo.zps[0]
    pieces = []
    for i, path in enumerate(inputs):
        qi = qtype_of(a, "arg:%d" % i)
        _, shape, vs = load_npy(path)
        if qi.text == qo.text:
            out = list(vs)
        else:
            m0, shift = decompose(qi.scales[0] / so)
            out = [min(max(fixed_point(v - qi.zps[0], m0, shift) + zo, qo.qmin), qo.qmax)
                   for v in vs]
        pieces.append((shape, out))
    d = a.dim
    outer = 1
    for n in pieces[0][0][:d]:
        outer *= n
    want = []
    for o in range(outer):
        for shape, vs in pieces:
            inner = 1
            for n in shape[d:]:
                inner *= n
            want += vs[o * inner:(o + 1) * inner]
    _, oshape, got = load_npy(a.output)
    shape = list(pieces[0][0])
    shape[d] = sum(p[0][d] for p in pieces)
    bad = ["[%d] got %r want %r" % (i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w]
    if list(oshape) != shape or len(got) != len(want):
        bad.insert(0, "shape %s, expected %s" % (oshape, shape))
    return report(a.label or "qconcat", len(want), bad)


def cmd_stats(a):
    """Recomputes an observer's statistics from the input data, sample by
    sample (a sample is one index along dimension 0), and compares them with
    the stats file field by field."""
    import json
    _, shape, xs = load_npy(a.input)
    per = len(xs) // shape[0]
    sample_shape = shape[1:]

    def transform(v):
        if math.isnan(v) or math.isinf(v):
            return v
        v = v * a.multiply  # exact for a power of two
        return max(v, 0.0) if a.relu else v

    inf = math.inf
    count = nonfinite = samples = 0
    lo, hi = inf, -inf
    ema_lo = ema_hi = 0.0
    cmin, cmax = {}, {}
    values = []
    for s in range(shape[0]):
        vs = [transform(v) for v in xs[s * per:(s + 1) * per]]
        fin = [v for v in vs if not (math.isnan(v) or math.isinf(v))]
        nonfinite += len(vs) - len(fin)
        count += len(fin)
        values += fin
        if a.axis is not None:
            inner = 1
            for d in sample_shape[a.axis:]:
                inner *= d
            for i, v in enumerate(vs):
                if math.isnan(v) or math.isinf(v):
                    continue
                c = (i // inner) % sample_shape[a.axis - 1]
                cmin[c] = min(cmin.get(c, inf), v)
                cmax[c] = max(cmax.get(c, -inf), v)
        if not fin:
            continue
        smin, smax = min(fin), max(fin)
        lo, hi = min(lo, smin), max(hi, smax)
        if samples == 0:
            ema_lo, ema_hi = smin, smax
        else:
            ema_lo += 0.01 * (smin - ema_lo)
            ema_hi += 0.01 * (smax - ema_hi)
        samples += 1
    # Histogram on the smallest power-of-two limit above max |x|.
    amax = max((abs(v) for v in values), default=0.0)
    limit = 0.0 if amax == 0 else 2.0 ** (math.floor(math.log2(amax)) + 1)
    if limit and limit <= amax:
        limit *= 2
    neg, pos, zeros = {}, {}, 0
    for v in values:
        if v == 0:
            zeros += 1
            continue
        b = min(int(abs(v) / limit * 2048), 2047)
        d = neg if v < 0 else pos
        d[b] = d.get(b, 0) + 1

    with open(a.stats) as f:
        data = json.load(f)
    obs = {o["id"]: o for o in data["observers"]}
    o = obs.get(a.id)
    bad = []
    if o is None:
        bad.append("no observer %r in %s" % (a.id, a.stats))
    else:
        def same(key, want):
            got = o.get(key)
            if got != want:
                bad.append("%s: got %r want %r" % (key, got, want))
        same("samples", samples)
        same("count", count)
        same("nonfinite", nonfinite)
        same("min", lo if count else None)
        same("max", hi if count else None)
        same("ema_min", ema_lo if samples else None)
        same("ema_max", ema_hi if samples else None)
        h = o.get("histogram", {})
        for key, want in (("limit", limit), ("zeros", zeros),
                          ("negative", sorted([b, c] for b, c in neg.items())),
                          ("positive", sorted([b, c] for b, c in pos.items()))):
            if h.get(key) != want:
                bad.append("histogram %s: got %r want %r" % (key, h.get(key), want))
        if a.axis is not None:
            same("axis", a.axis)
            n = sample_shape[a.axis - 1]
            same("channel_min", [cmin.get(c) for c in range(n)])
            same("channel_max", [cmax.get(c) for c in range(n)])
    return report(a.label or "stats", len(xs), bad)


def split(a):
    """Writes every sample (index along dimension 0) of a .npy as its own
    file, DIR/sample-00000.npy, ..."""
    import os
    descr, shape, xs = load_npy(a.input)
    os.makedirs(a.out, exist_ok=True)
    per = len(xs) // shape[0]
    for s in range(shape[0]):
        save_npy(os.path.join(a.out, "sample-%05d.npy" % s), descr, shape[1:],
                 xs[s * per:(s + 1) * per])


def cmd_close(a):
    """Checks that two float arrays agree within --atol, and reports the
    largest difference."""
    da, sa, va = load_npy(a.a)
    db, sb, vb = load_npy(a.b)
    bad = []
    worst = 0.0
    if sa != sb:
        bad.append("shape %s vs %s" % (sa, sb))
    else:
        for i, (x, y) in enumerate(zip(va, vb)):
            d = abs(x - y)
            worst = max(worst, d)
            if not d <= a.atol:
                bad.append("[%d] %r vs %r (difference %g)" % (i, x, y, d))
    print("%s: largest difference %.6g (tolerance %g)" % (a.label or "close", worst, a.atol))
    return report(a.label or "close", len(va), bad)


def write_matmul_onto_zero(f, result, K, N, B=None):
    """Writes `result` = linalg.matmul of %a (? x K) by %w (K x N, f32) onto
    a +0 fill of ? x N (the form slim-pack-contractions matches); with B,
    linalg.batch_matmul of %a (B x ? x K) by %w (B x K x N)."""
    lead = "%dx?x" % B if B else "?x"
    x, y = "tensor<%s%dxf32>" % (lead, K), "tensor<%s%dxf32>" % (lead, N)
    w = "tensor<%s%dx%dxf32>" % ("%dx" % B if B else "", K, N)
    f.write("  %%rows_at = arith.constant %d : index\n" % (1 if B else 0))
    f.write("  %%m = tensor.dim %%a, %%rows_at : %s\n" % x)
    f.write("  %%e = tensor.empty(%%m) : %s\n" % y)
    f.write("  %zero = arith.constant 0.0 : f32\n")
    f.write("  %%i = linalg.fill ins(%%zero : f32) outs(%%e : %s) -> %s\n" % (y, y))
    f.write("  %s = linalg.%s ins(%%a, %%w : %s, %s) outs(%%i : %s) -> %s\n"
            % (result, "batch_matmul" if B else "matmul", x, w, y, y))


def check_floats(a, label, want, shape):
    """Compares --output (of `shape`) with the float32 values `want`, bit for
    bit (any NaN matches any NaN), and reports."""
    _, oshape, got = load_npy(a.output)
    bad = ["[%d] got %r want %r" % (i, g, w)
           for i, (g, w) in enumerate(zip(got, want)) if not same_float(g, w)]
    if oshape != shape:
        bad.insert(0, "shape %s" % oshape)
    return report(a.label or label, len(want), bad)


def fma_f32(x, y, acc):
    """float32 fma(x, y, acc): the exact x * y + acc rounded once (finite
    operands; an exact zero is -0 only when x * y and acc are both -0)."""
    exact = Fraction(x) * Fraction(y) + Fraction(acc)
    if exact == 0:
        product_negative = math.copysign(1, x) * math.copysign(1, y) < 0
        return -0.0 if product_negative and math.copysign(1, acc) < 0 else 0.0
    return to_float(exact, F32)


def cmd_matmul(a):
    """out = lhs @ rhs (+ bias[n]) (then max(., 0) with --relu) in float64,
    2-D or batched (B x M x K, B x K x N); each element must agree within
    --rtol of sum_k |lhs||rhs| (+|bias|): float32 summation in any order
    stays inside it. With --fma (2-D) each element must be, bit for bit, the
    float32 chain acc = fma(lhs[m, k], rhs[k, n], acc) over k in order from
    +0 (what Slim's f32 kernels and vectorized contractions compute), plus
    bias[n] in one float32 addition."""
    _, lshape, xs = load_npy(a.lhs)
    _, rshape, ws = load_npy(a.rhs)
    if a.fma:
        (M, K), N = lshape, rshape[-1]
        fbias = load_npy(a.bias)[2] if a.bias else None
        want = []
        for m in range(M):
            for n in range(N):
                acc = 0.0
                for k in range(K):
                    acc = fma_f32(xs[m * K + k], ws[k * N + n], acc)
                if fbias:  # one float32 addition: fma(acc, 1, bias)
                    acc = fma_f32(acc, 1.0, fbias[n])
                want.append(acc)
        return check_floats(a, "matmul", want, [M, N])
    B = lshape[0] if len(lshape) == 3 else 1
    M, K = lshape[-2:]
    N = rshape[-1]
    bias = load_npy(a.bias)[2] if a.bias else [0.0] * N
    _, oshape, got = load_npy(a.output)
    bad = []
    i = 0
    for b in range(B):
        for m in range(M):
            for n in range(N):
                terms = [xs[(b * M + m) * K + k] * ws[(b * K + k) * N + n] for k in range(K)]
                want = sum(terms) + bias[n]
                scale = sum(abs(t) for t in terms) + abs(bias[n])
                if a.relu:
                    want = max(want, 0.0)
                if not abs(got[i] - want) <= a.rtol * scale:
                    bad.append("[%d] got %r want %r" % (i, got[i], want))
                i += 1
    if oshape != lshape[:-2] + [M, N]:
        bad.insert(0, "shape %s" % oshape)
    return report(a.label or "matmul", B * M * N, bad)


def weight_params(lo, hi, qmin, qmax, symmetric):
    """The pass's parameters for a range [lo, hi] of float32 values, written
    from its description: widened to include 0; symmetric S = max |r| /
    ((qmax - qmin) / 2), Z = 0; asymmetric S = (hi - lo) / (qmax - qmin),
    Z = round(qmin - lo / S) clamped; float32 arithmetic; S = 0 gives
    (1, 0)."""
    lo, hi = min(f32(lo), 0.0), max(f32(hi), 0.0)
    if symmetric:
        scale = to_float(Fraction(max(-lo, hi)) / (Fraction(qmax - qmin) / 2), F32)
    else:
        width = to_float(Fraction(hi) - Fraction(lo), F32)
        scale = to_float(Fraction(width) / (qmax - qmin), F32)
    if scale == 0:
        return 1.0, 0
    if symmetric:
        return scale, 0
    z = to_float(Fraction(qmin) - Fraction(to_float(Fraction(lo) / Fraction(scale), F32)), F32)
    return scale, min(max(round_half_even(Fraction(z)), qmin), qmax)


def mse_range(values, qmin, qmax, symmetric):
    """The MSE search: among the exact range scaled by k / 100, k = 1..100,
    the one with the smallest sum of squared round-trip errors of `values`
    (double sums in order; ties to the larger k)."""
    lo, hi = min([0.0] + values), max([0.0] + values)
    if lo == hi:
        return lo, hi
    amax = max(-lo, hi)
    best, best_err = (lo, hi), math.inf
    for k in range(1, 101):
        f = k / 100.0
        r = (-f * amax, f * amax) if symmetric else (f * lo, f * hi)
        s, z = weight_params(r[0], r[1], qmin, qmax, symmetric)
        err = 0.0
        for v in values:
            d = v - dequantize(quantize(v, s, z, qmin, qmax, "even"), s, z, F32)
            err += d * d
        if err <= best_err:
            best, best_err = r, err
    return best


def cmd_weight_quant(a):
    """Weight quantization of a [K, N] matrix, written from the pass's
    description: one range per tensor, per column, or per group of
    --group-size rows per column; the extremes (minmax) or the MSE search;
    parameters from weight_params; then quantize-dequantize. Compares with
    --output."""
    _, wshape, ws = load_npy(a.weights)
    K, N = wshape
    if a.transposed:  # given as [N, K]: one output channel per row
        N, K = wshape
        ws = [ws[n * K + k] for k in range(K) for n in range(N)]
    symmetric = a.scheme == "symmetric"
    qmax = 2 ** (a.bits - 1) - 1
    qmin = -qmax if symmetric and not a.full_range else -qmax - 1

    def group_of(k, n):
        if a.granularity == "tensor":
            return 0
        if a.granularity == "channel":
            return n
        return (k // a.group_size) * N + n

    members = {}
    for k in range(K):
        for n in range(N):
            members.setdefault(group_of(k, n), []).append(ws[k * N + n])
    params = {}
    for g, vs in members.items():
        r = mse_range(vs, qmin, qmax, symmetric) if a.method == "mse" else (min(vs), max(vs))
        params[g] = weight_params(r[0], r[1], qmin, qmax, symmetric)

    def expected(idx, shape, x):
        k, n = idx
        s, z = params[group_of(k, n)]
        return dequantize(quantize(ws[k * N + n], s, z, qmin, qmax, "even"), s, z, F32)
    signal = sum(w * w for w in ws)
    noise = sum((ws[k * N + n] - expected((k, n), None, None)) ** 2
                for k in range(K) for n in range(N))
    if noise:
        print("%s: SQNR %.2f dB" % (a.label, 10 * math.log10(signal / noise)))
    a.input = a.output  # shapes: the output is the dequantized weight
    return check_pairs(a, "weights", lambda idx, shape, _: expected(idx, shape, None), same_float)


def cmd_unpack(a):
    """4-bit values stored two per byte along the last dimension, the
    lower-indexed one in the low nibble: element j of a row of --n is nibble
    j % 2 of byte j // 2, read as two's complement (--signed) or not.
    Compares with --output (the values as floats)."""
    _, pshape, ps = load_npy(a.input)
    _, oshape, ys = load_npy(a.output)
    rows, per_row = len(ps) // pshape[-1], pshape[-1]
    assert oshape[:-1] == pshape[:-1] and oshape[-1] == a.n, (pshape, oshape)
    assert per_row == (a.n + 1) // 2
    bad = []
    for r in range(rows):
        for j in range(a.n):
            byte = ps[r * per_row + j // 2] & 0xFF
            v = (byte >> (4 * (j % 2))) & 0xF
            if a.signed and v >= 8:
                v -= 16
            got = ys[r * a.n + j]
            if got != v:
                bad.append("row %d col %d byte %d got %r want %d" % (r, j, byte, got, v))
    return report(a.label or "unpack", rows * a.n, bad)


def wrap32(v):
    return (v + 2 ** 31) % 2 ** 32 - 2 ** 31


def cmd_qmatmul(a):
    """acc[m, n] = sum_k (lhs - Z_lhs) * (rhs - Z_rhs[n]) + bias[n], wrapped to
    int32, with the zero points read from the function's quantized types;
    3-D operands (B x M x K, B x K x N) give the same per batch."""
    qa = qtype_of(a, a.qlhs)
    qb = qtype_of(a, a.qrhs)
    _, lshape, xs = load_npy(a.lhs)
    _, rshape, ws = load_npy(a.rhs)
    B = lshape[0] if len(lshape) == 3 else 1
    assert len(lshape) == len(rshape) and (len(lshape) == 2 or rshape[0] == B)
    M, K = lshape[-2:]
    K2, N = rshape[-2:]
    assert K == K2
    bias = load_npy(a.bias)[2] if a.bias else [0] * N
    za = qa.zps[0]
    zb = [qb.zps[n if len(qb.zps) > 1 else 0] for n in range(N)]
    want = [wrap32(sum((xs[(b * M + m) * K + k] - za) * (ws[(b * K + k) * N + n] - zb[n])
                       for k in range(K)) + bias[n])
            for b in range(B) for m in range(M) for n in range(N)]
    _, oshape, got = load_npy(a.output)
    bad = ["[%d] got %d want %d" % (i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w]
    if oshape != lshape[:-2] + [M, N]:
        bad.insert(0, "shape %s" % oshape)
    return report(a.label or "qmatmul", len(want), bad)


def cmd_constant_qmatmul(a):
    """Writes a module whose @main multiplies its argument (? x K, of
    --lhs-type) by the --weights .npy (K x N int8, of --weight-type) held as
    a constant: slim.qmatmul with a constant right-hand side, the form
    slim-pack-contractions packs. @types declares the operand types for the
    qmatmul checker (--func types)."""
    _, (K, N), ws = load_npy(a.weights)
    lhs = QType("!quant.uniform<%s>" % a.lhs_type)
    wt = QType("!quant.uniform<%s>" % a.weight_type)
    assert len(lhs.scales) == 1 and len(wt.scales) == 1, "per-tensor types only"
    lt = "tensor<?x%dx!quant.uniform<%s>>" % (K, a.lhs_type)
    wq = "tensor<%dx%dx!quant.uniform<%s>>" % (K, N, a.weight_type)
    rt = "tensor<?x%dx!quant.uniform<i32:f32, %r>>" % (N, lhs.scales[0] * wt.scales[0])
    raw = "".join("%02X" % (w & 0xFF) for w in ws)
    if a.dynamic:
        # slim.dynamic_qmatmul: an f32 argument quantized at run time
        # (--lhs-type is not used); check with dynamic-matmul.
        xt = "tensor<?x%dxf32>" % K
        yt = "tensor<?x%dxf32>" % N
        with open(a.out, "w") as f:
            f.write("func.func @main(%%x: %s) -> %s {\n" % (xt, yt))
            f.write('  %%w = arith.constant dense<"0x%s"> : tensor<%dx%dxi8>\n' % (raw, K, N))
            f.write("  %%wq = quant.scast %%w : tensor<%dx%dxi8> to %s\n" % (K, N, wq))
            f.write("  %%y = slim.dynamic_qmatmul %%x, %%wq%s : %s, %s -> %s\n"
                    % (" per_row" if a.per_row else "", xt, wq, yt))
            f.write("  return %%y : %s\n}\n" % yt)
        return 0
    with open(a.out, "w") as f:
        f.write("func.func private @types(%s, %s)\n\n" % (lt.replace("?", "1"), wq))
        f.write("func.func @main(%%a: %s) -> %s {\n" % (lt, rt))
        f.write('  %%w = arith.constant dense<"0x%s"> : tensor<%dx%dxi8>\n' % (raw, K, N))
        f.write("  %%wq = quant.scast %%w : tensor<%dx%dxi8> to %s\n" % (K, N, wq))
        f.write("  %%acc = slim.qmatmul %%a, %%wq : %s, %s -> %s\n" % (lt, wq, rt))
        f.write("  return %%acc : %s\n}\n" % rt)
    return 0


def cmd_constant_wo_matmul(a):
    """Writes a weight-only int4 module: @main multiplies its f32 argument
    (? x K) by slim.dequantize of the --q .npy (K x N int8 holding signed
    4-bit values) stored two per byte through slim.unpack, with scales and
    zero points per group of --group rows (0: per column) chosen here
    (zero points -8, 7 and values between, scales 2^-6 to 2^-2 times small
    odd numbers); @types declares the weight's type for wo-int8-matmul."""
    _, (K, N), qs = load_npy(a.q)
    groups = 1 if a.group == 0 else K // a.group
    assert a.group == 0 or K % a.group == 0, "K must be a multiple of --group"
    params = []
    for g in range(groups):
        row = []
        for n in range(N):
            i = g * N + n
            z = (-8, 7, (i * 5) % 16 - 8)[i % 3]
            s = (2 * (i % 7) + 1) * 2.0 ** -(2 + i % 5)
            row.append("%r:%d" % (s, z))
        params.append(row)
    if a.group == 0:
        qt = "!quant.uniform<i4:f32:1, {%s}>" % ",".join(params[0])
    else:
        qt = "!quant.uniform<i4:f32:{0:%d,1:1}, {%s}>" % (
            a.group, ",".join("{%s}" % ",".join(r) for r in params))
    rb = (N + 1) // 2
    raw = []
    for k in range(K):
        for c in range(rb):
            lo = qs[k * N + 2 * c] & 15
            hi = qs[k * N + 2 * c + 1] & 15 if 2 * c + 1 < N else 0
            raw.append("%02X" % (lo | hi << 4))
    wt = "tensor<%dx%dx%s>" % (K, N, qt)
    with open(a.out, "w") as f:
        f.write("func.func private @types(%s)\n\n" % wt)
        f.write("func.func @main(%%a: tensor<?x%dxf32>) -> tensor<?x%dxf32> {\n" % (K, N))
        f.write('  %%b = arith.constant dense<"0x%s"> : tensor<%dx%dxi8>\n' % ("".join(raw), K, rb))
        f.write("  %%u = slim.unpack %%b : tensor<%dx%dxi8> -> tensor<%dx%dxi4>\n" % (K, rb, K, N))
        f.write("  %%q = quant.scast %%u : tensor<%dx%dxi4> to %s\n" % (K, N, wt))
        f.write("  %%w = slim.dequantize %%q : %s to tensor<%dx%dxf32>\n" % (wt, K, N))
        write_matmul_onto_zero(f, "%y", K, N)
        f.write("  return %%y : tensor<?x%dxf32>\n}\n" % N)
    return 0


def cmd_wo_int8_matmul(a):
    """Checks slim.dequant_matmul with int8_activations (its description's
    arithmetic), bit for bit: each row of --x quantized per weight group
    (amax, 127 / amax and the product rounded to float32, clamped to
    [-127, 127], ties to even; 0 when amax is 0; scale NaN when the group
    holds a NaN or an infinity), the group's integer dot product with
    q - z, then acc = fma(f32(d), f32(scale_w * scale_a), acc) over the
    groups from +0. The weight's type comes from @types in --mlir."""
    _, (M, K), xs = load_npy(a.x)
    _, (_, N), qs = load_npy(a.q)
    args, _ = func_signature(a.mlir, "types")
    qt = element_qtype(args[0])
    group = qt.blocks[0] if qt.blocks else K
    want = []
    for m in range(M):
        row = xs[m * K:(m + 1) * K]
        accs = [0.0] * N
        for g0 in range(0, K, group):
            part = row[g0:g0 + group]
            finite = all(math.isfinite(v) for v in part)
            amax = max(abs(v) for v in part) if finite else 0.0
            if not finite:
                qa, sa = [0] * len(part), math.nan
            elif amax == 0:
                qa, sa = [0] * len(part), 0.0
            else:
                inv = to_float(Fraction(127) / Fraction(amax), F32)
                sa = to_float(Fraction(amax) / 127, F32)
                qa = []
                for v in part:
                    x = to_float(Fraction(v) * Fraction(inv), F32) if v != 0 else 0.0
                    qa.append(round_half_even(Fraction(min(127.0, max(-127.0, x)))))
            for n in range(N):
                p = qt.param_index((g0, n), [K, N])
                d = sum((qs[(g0 + i) * N + n] - qt.zps[p]) * qa[i] for i in range(len(part)))
                if math.isnan(sa):
                    accs[n] = math.nan
                    continue
                if math.isnan(accs[n]):
                    continue
                f = to_float(Fraction(qt.scales[p]) * Fraction(sa), F32)
                accs[n] = fma_f32(float(d), f, accs[n])
        want.extend(accs)
    return check_floats(a, "wo-int8-matmul", want, [M, N])


def cmd_constant_conv(a):
    """Writes a module whose @main convolves its argument (? x C x H x W,
    or ? x H x W x C with --nhwc) by the --filter .npy (F x C x KH x KW, or
    KH x KW x C x F) held as a constant: linalg.conv_2d_nchw_fchw or
    conv_2d_nhwc_hwcf with --strides and --dilations, on a +0 init. With
    --depthwise the filter is C x KH x KW (or KH x KW x C) and the op
    linalg.depthwise_conv_2d_nchw_chw (or _nhwc_hwc)."""
    _, fshape, ws = load_npy(a.filter)
    n, d1, d2, d3 = [int(v) for v in a.input_shape.split(",")]
    sh, sw = [int(v) for v in a.strides.split(",")]
    dh, dw = [int(v) for v in a.dilations.split(",")]
    if a.depthwise:
        kh, kw, c = fshape if a.nhwc else fshape[1:] + fshape[:1]
        f = c
        h, w = (d1, d2) if a.nhwc else (d2, d3)
    elif a.nhwc:
        kh, kw, c, f = fshape
        h, w = d1, d2
    else:
        f, c, kh, kw = fshape
        h, w = d2, d3
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w - dw * (kw - 1) - 1) // sw + 1
    it = "tensor<%dx%dx%dx%dxf32>" % (n, d1, d2, d3)
    ft = "tensor<%sxf32>" % "x".join(str(d) for d in fshape)
    ot = "tensor<%dx%dx%dx%dxf32>" % ((n, oh, ow, f) if a.nhwc else (n, f, oh, ow))
    raw = "".join("%08X" % struct.unpack("<I", struct.pack("<f", v))[0] for v in ws)
    # dense<"0x..."> is little-endian per element.
    raw = "".join(raw[i + 6:i + 8] + raw[i + 4:i + 6] + raw[i + 2:i + 4] + raw[i:i + 2]
                  for i in range(0, len(raw), 8))
    op = ("linalg.depthwise_conv_2d_" if a.depthwise else "linalg.conv_2d_") + (
        ("nhwc_hwc" if a.depthwise else "nhwc_hwcf") if a.nhwc
        else ("nchw_chw" if a.depthwise else "nchw_fchw"))
    with open(a.out, "w") as fo:
        fo.write("func.func @main(%%x: %s) -> %s {\n" % (it, ot))
        fo.write('  %%w = arith.constant dense<"0x%s"> : %s\n' % (raw, ft))
        fo.write("  %%z = arith.constant 0.0 : f32\n  %%e = tensor.empty() : %s\n" % ot)
        fo.write("  %%i = linalg.fill ins(%%z : f32) outs(%%e : %s) -> %s\n" % (ot, ot))
        fo.write("  %%y = %s {dilations = dense<[%d, %d]> : tensor<2xi64>, strides = dense<[%d, %d]> : tensor<2xi64>} "
                 "ins(%%x, %%w : %s, %s) outs(%%i : %s) -> %s\n" % (op, dh, dw, sh, sw, it, ft, ot, ot))
        fo.write("  return %%y : %s\n}\n" % ot)
    return 0


def conv_output_order(n, f, oh, ow, nhwc):
    """The (batch, filter, row, column) of each output element in memory
    order."""
    if nhwc:
        return [(b, fi, i, j) for b in range(n) for i in range(oh) for j in range(ow)
                for fi in range(f)]
    return [(b, fi, i, j) for b in range(n) for fi in range(f) for i in range(oh)
            for j in range(ow)]


def cmd_conv2d(a):
    """The f32 convolution of --x by --filter (NCHW x FCHW, or NHWC x HWCF
    with --nhwc), bit for bit: every output the float32 chain acc =
    fma(x, w, acc) from +0 over the taps in the order (c, kh, kw), or
    (kh, kw, c) for NHWC: the reduction order of linalg's convolutions
    and what slim.packed_conv2d computes. --depthwise: filter C x KH x KW
    (KH x KW x C with --nhwc), output channel c reading input channel c
    only, the taps in (kh, kw) order."""
    _, xshape, xs = load_npy(a.x)
    _, fshape, ws = load_npy(a.filter)
    sh, sw = [int(v) for v in a.strides.split(",")]
    dh, dw = [int(v) for v in a.dilations.split(",")]
    n, c, h, w, f, kh, kw, xi, wi = conv_layout(xshape, fshape, a.nhwc, a.depthwise)
    xat = lambda b, ch, i, j: xs[xi(b, ch, i, j)]
    wat = lambda fi, ch, p, q: ws[wi(fi, ch, p, q)]
    if a.depthwise:
        taps = [(None, p, q) for p in range(kh) for q in range(kw)]
    elif a.nhwc:
        taps = [(ch, p, q) for p in range(kh) for q in range(kw) for ch in range(c)]
    else:
        taps = [(ch, p, q) for ch in range(c) for p in range(kh) for q in range(kw)]
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w - dw * (kw - 1) - 1) // sw + 1
    out = {}
    for b in range(n):
        for fi in range(f):
            for i in range(oh):
                for j in range(ow):
                    acc = 0.0
                    for ch, p, q in taps:
                        ch = fi if ch is None else ch
                        acc = fma_f32(xat(b, ch, i * sh + p * dh, j * sw + q * dw), wat(fi, ch, p, q), acc)
                    out[(b, fi, i, j)] = acc
    want = [out[key] for key in conv_output_order(n, f, oh, ow, a.nhwc)]
    _, oshape, got = load_npy(a.output)
    bad = ["[%d] got %r want %r" % (i, g, wv)
           for i, (g, wv) in enumerate(zip(got, want)) if not same_float(g, wv)]
    if oshape != ([n, oh, ow, f] if a.nhwc else [n, f, oh, ow]):
        bad.insert(0, "shape %s" % oshape)
    return report(a.label or "conv2d", len(want), bad)


def cmd_constant_matmul(a):
    """Writes a module whose @main multiplies its f32 argument (? x K) by the
    --weights .npy (K x N float32) held as a constant, with linalg.matmul
    onto a +0 fill: the form slim-pack-contractions packs for the f32
    kernels; with --bias (N float32), then adds it in a linalg.generic (the
    epilogue the pass fuses into the kernel)."""
    _, (K, N), ws = load_npy(a.weights)
    raw = "".join(struct.pack("<f", w).hex().upper() for w in ws)
    braw = ("".join(struct.pack("<f", b).hex().upper() for b in load_npy(a.bias)[2])
            if a.bias else None)
    with open(a.out, "w") as f:
        f.write("func.func @main(%%a: tensor<?x%dxf32>) -> tensor<?x%dxf32> {\n" % (K, N))
        f.write('  %%w = arith.constant dense<"0x%s"> : tensor<%dx%dxf32>\n' % (raw, K, N))
        write_matmul_onto_zero(f, "%r", K, N)
        if braw:
            f.write('  %%b = arith.constant dense<"0x%s"> : tensor<%dxf32>\n' % (braw, N))
            f.write("  %%y = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, "
                    "affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = "
                    "[\"parallel\", \"parallel\"]} ins(%%r, %%b : tensor<?x%dxf32>, tensor<%dxf32>) "
                    "outs(%%e : tensor<?x%dxf32>) {\n"
                    "  ^bb0(%%v: f32, %%c: f32, %%o: f32):\n"
                    "    %%s = arith.addf %%v, %%c : f32\n"
                    "    linalg.yield %%s : f32\n"
                    "  } -> tensor<?x%dxf32>\n" % (N, N, N, N))
            f.write("  return %%y : tensor<?x%dxf32>\n}\n" % N)
        else:
            f.write("  return %%r : tensor<?x%dxf32>\n}\n" % N)
    return 0


def layer_output(acc, bias, s_acc, sy, zy, lo, hi, scale=1.0):
    """The tail of a fused integer layer: the float bias rounded (half to
    even, float64) to int32 at s_acc and added, the fixed-point requantize
    to (sy, zy) (of scale * the accumulator: an affine epilogue), the clamp
    [lo, hi], then dequantize."""
    m0, shift = decompose(s_acc * scale / sy)
    q = fixed_point(wrap32(acc + round(bias / s_acc)), m0, shift) + zy
    return dequantize(min(max(q, lo), hi), sy, zy, F32)


def compare_output(a, label, want, shape):
    """Compares --output (float) with `want`, element by element, and its
    shape with `shape`."""
    _, oshape, got = load_npy(a.output)
    bad = ["[%d] got %r want %r" % (i, g, w) for i, (g, w) in enumerate(zip(got, want))
           if not same_float(g, w)]
    if oshape != shape:
        bad.insert(0, "shape %s, expected %s" % (oshape, shape))
    return report(a.label or label, len(want), bad)


def cmd_fused_matmul(a):
    """An int8 linear layer the way slim-fuse-quantized computes it:
    x quantized (u8/i8 per tensor), an exact integer sum with int8 weights,
    the float bias rounded (half to even, in float64) to int32 at scale
    S_x * S_w[n], the fixed-point requantize to the output's parameters,
    clamped to the quantized ReLU/clamp bounds, then dequantized."""
    _, (M, K), xs = load_npy(a.x)
    _, (K2, N), ws = load_npy(a.w)
    assert K == K2
    w_scales = [float(v) for v in a.w_scales.split(",")]
    if len(w_scales) == 1:
        w_scales *= N
    bias = load_npy(a.bias)[2] if a.bias else [0.0] * N
    xqmin, xqmax = (0, 255) if a.x_unsigned else (-128, 127)
    yqmin, yqmax = (0, 255) if a.y_unsigned else (-128, 127)
    lo = yqmin if a.lo is None else quantize(a.lo, a.sy, a.zy, yqmin, yqmax, "even")
    hi = yqmax if a.hi is None else quantize(a.hi, a.sy, a.zy, yqmin, yqmax, "even")
    want = []
    for m in range(M):
        xq = [quantize(xs[m * K + k], a.sx, a.zx, xqmin, xqmax, "even") for k in range(K)]
        for n in range(N):
            acc = sum((xq[k] - a.zx) * ws[k * N + n] for k in range(K))
            if a.float_output:
                # float-outputs: the accumulator with the int32 bias,
                # dequantized in f32 at S_x * S_w[n]; ReLU (--lo 0) in float.
                s_acc = a.sx * w_scales[n]
                y = dequantize(wrap32(acc + round(bias[n] / s_acc)), s_acc, 0, F32)
                want.append(max(y, 0.0) if a.lo == 0.0 else y)
            else:
                want.append(layer_output(acc, bias[n], a.sx * w_scales[n], a.sy, a.zy, lo, hi))
    return compare_output(a, "fused", want, [M, N])


def cmd_dynamic_matmul(a):
    """slim.dynamic_qmatmul from its description: u8 parameters from the
    activation's own range in float32 (ONNX DynamicQuantizeLinear, NaN
    ignored, an all-zero range giving scale 1), an exact integer sum, and
    float32 scaling."""
    _, (M, K), xs = load_npy(a.x)
    _, (K2, N), ws = load_npy(a.w)
    assert K == K2
    sw = [float(v) for v in a.w_scales.split(",")]
    zw = [int(v) for v in a.w_zps.split(",")] if a.w_zps else [0]
    sw = sw * N if len(sw) == 1 else sw
    zw = zw * N if len(zw) == 1 else zw
    def params(values):
        finite = [v for v in values if not math.isnan(v)]
        rmin = min([0.0] + finite)
        rmax = max([0.0] + finite)
        s = to_float(Fraction(to_float(Fraction(rmax) - Fraction(rmin), F32)) / 255, F32)
        if s == 0:
            s = 1.0
        z = round_half_even(-Fraction(to_float(Fraction(rmin) / Fraction(s), F32)))
        return s, min(max(z, 0), 255)
    # --per-row: each row its own parameters (slim.dynamic_qmatmul per_row).
    row_params = [params(xs[m * K:(m + 1) * K]) for m in range(M)] if a.per_row \
        else [params(xs)] * M
    want = []
    for m in range(M):
        s, z = row_params[m]
        q = [quantize(xs[m * K + k], s, z, 0, 255, "even") for k in range(K)]
        for n in range(N):
            acc = wrap32(sum((q[k] - z) * (ws[k * N + n] - zw[n]) for k in range(K)))
            scale = to_float(Fraction(s) * Fraction(f32(sw[n])), F32)
            want.append(to_float(Fraction(to_float(Fraction(acc), F32)) * Fraction(scale), F32))
    for m, (s, z) in enumerate(row_params[:M if a.per_row else 1]):
        print("%s: %sactivation scale %r, zero point %d" % (
            a.label or "dynamic", "row %d " % m if a.per_row else "", s, z))
    return compare_output(a, "dynamic", want, [M, N])


def conv_layout(xshape, fshape, nhwc, depthwise, groups=1):
    """(N, C, H, W, F, KH, KW, xat(n, c, y, x) index, wat(f, c, p, q) index)
    of a convolution's input and filter shapes in one of the four layouts
    (NCHW x FCHW, NHWC x HWCF, depthwise NCHW x CHW, NHWC x HWC). With
    `groups` the dense filters hold C / groups input channels (F x C/G x KH
    x KW, KH x KW x C/G x F) and wat takes the input channel c within the
    filter's group."""
    if nhwc:
        N, H, W, C = xshape
        xat = lambda n, c, y, x: ((n * H + y) * W + x) * C + c
    else:
        N, C, H, W = xshape
        xat = lambda n, c, y, x: ((n * C + c) * H + y) * W + x
    if depthwise:
        if nhwc:
            KH, KW, _ = fshape
            wat = lambda f, c, p, q: (p * KW + q) * C + f
        else:
            _, KH, KW = fshape
            wat = lambda f, c, p, q: (f * KH + p) * KW + q
        F = C
    elif nhwc:
        KH, KW, CG, F = fshape
        assert CG * groups == C, "the filter holds C / groups channels"
        wat = lambda f, c, p, q: ((p * KW + q) * CG + c % CG) * F + f
    else:
        F, CG, KH, KW = fshape
        assert CG * groups == C, "the filter holds C / groups channels"
        wat = lambda f, c, p, q: ((f * CG + c % CG) * KH + p) * KW + q
    return N, C, H, W, F, KH, KW, xat, wat


def conv_channels(f, C, F, groups, depthwise):
    """The input channels output channel f reads: its own (depthwise), or
    the C / groups of its group."""
    if depthwise:
        return [f]
    cg = C // groups
    g = f // (F // groups)
    return range(g * cg, (g + 1) * cg)


def cmd_qconv2d(a):
    """acc[n, f, i, j] = sum (xpad - Z_x) * (w - Z_w[f]) + bias[f] over
    (c, a, b) (only c = f with --depthwise, the channels of f's group with
    --groups), xpad padded with Z_x, wrapped to int32; NCHW x FCHW, or
    NHWC x HWCF with --nhwc (depthwise: CHW or HWC filters), the result in
    the input's layout."""
    qx = qtype_of(a, "arg:0")
    qw = qtype_of(a, "arg:1")
    _, xshape, xs = load_npy(a.x)
    _, fshape, ws = load_npy(a.w)
    N, C, H, W, F, KH, KW, xat, wat = conv_layout(xshape, fshape, a.nhwc, a.depthwise,
                                                  a.groups)
    bias = load_npy(a.bias)[2] if a.bias else [0] * F
    s0, s1 = [int(v) for v in a.strides.split(",")]
    d0, d1 = [int(v) for v in a.dilations.split(",")]
    top, left, bottom, right = [int(v) for v in a.padding.split(",")]
    zx = qx.zps[0]
    zw = [qw.zps[f if len(qw.zps) > 1 else 0] for f in range(F)]
    OH = (H + top + bottom - d0 * (KH - 1) - 1) // s0 + 1
    OW = (W + left + right - d1 * (KW - 1) - 1) // s1 + 1

    def xpad(n, c, y, x):
        y -= top
        x -= left
        if 0 <= y < H and 0 <= x < W:
            return xs[xat(n, c, y, x)]
        return zx
    out = {}
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    acc = bias[f]
                    for c in conv_channels(f, C, F, a.groups, a.depthwise):
                        for p in range(KH):
                            for q in range(KW):
                                acc += (xpad(n, c, i * s0 + p * d0, j * s1 + q * d1) - zx) * \
                                    (ws[wat(f, c, p, q)] - zw[f])
                    out[(n, f, i, j)] = wrap32(acc)
    order = ([(n, f, i, j) for n in range(N) for i in range(OH) for j in range(OW) for f in range(F)]
             if a.nhwc else sorted(out))
    want = [out[key] for key in order]
    shape = [N, OH, OW, F] if a.nhwc else [N, F, OH, OW]
    _, oshape, got = load_npy(a.output)
    bad = ["[%d] got %d want %d" % (i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w]
    if oshape != shape:
        bad.insert(0, "shape %s, expected %s" % (oshape, shape))
    return report(a.label or "qconv2d", len(want), bad)


def cmd_constant_qconv2d(a):
    """Writes a module whose @main convolves its argument (--input-shape, of
    --x-type) by the --w .npy (int8, of --w-type; per tensor or per channel)
    held as a constant: slim.qconv2d with --strides, --dilations,
    --padding and the --nhwc / --depthwise forms, the form
    slim-pack-contractions puts on the int8 convolution kernels; with
    --bias (an int32 .npy), a constant bias; with --out-type, the
    accumulator requantized (slim.requantize, fixed point, --clamp) to
    that 8-bit type, which the pass fuses into the kernel. @types declares
    the operand types (input, filter, accumulator and, with --out-type,
    output) for the checkers (--func types)."""
    _, fshape, ws = load_npy(a.w)
    xshape = [int(v) for v in a.input_shape.split(",")]
    N, C, H, W, F, KH, KW, _, _ = conv_layout(xshape, fshape, a.nhwc, a.depthwise,
                                              a.groups)
    s0, s1 = [int(v) for v in a.strides.split(",")]
    d0, d1 = [int(v) for v in a.dilations.split(",")]
    top, left, bottom, right = [int(v) for v in a.padding.split(",")]
    OH = (H + top + bottom - d0 * (KH - 1) - 1) // s0 + 1
    OW = (W + left + right - d1 * (KW - 1) - 1) // s1 + 1
    qx = QType("!quant.uniform<%s>" % a.x_type)
    qw = QType("!quant.uniform<%s>" % a.w_type)
    waxis = (2 if a.nhwc else 0) if a.depthwise else (3 if a.nhwc else 0)
    if qw.axis is not None:
        assert qw.axis == waxis, "the filter's channel axis is %d" % waxis
    scales = ["%r" % (qx.scales[0] * s) for s in qw.scales]
    oaxis = 3 if a.nhwc else 1
    acc = ("i32:f32:%d, {%s}" % (oaxis, ", ".join(scales)) if qw.axis is not None
           else "i32:f32, %s" % scales[0])
    dims = lambda shape: "x".join(str(d) for d in shape)
    xt = "tensor<%s!quant.uniform<%s>>" % ("?x" + dims(xshape[1:]) + "x", a.x_type)
    wq = "tensor<%sx!quant.uniform<%s>>" % (dims(fshape), a.w_type)
    ot = "tensor<?x%sx!quant.uniform<%s>>" % (dims([OH, OW, F] if a.nhwc else [F, OH, OW]), acc)
    bt = "tensor<%dx!quant.uniform<%s>>" % (F, acc.replace(":%d," % oaxis, ":0,"))
    raw = "".join("%02X" % (w & 0xFF) for w in ws)
    attrs = "strides [%d, %d] dilations [%d, %d] padding [%d, %d, %d, %d]%s%s%s" % (
        s0, s1, d0, d1, top, left, bottom, right,
        " nhwc" if a.nhwc else "", " depthwise" if a.depthwise else "",
        " groups %d" % a.groups if a.groups != 1 else "")
    at = ot
    if a.out_type:
        ot = "tensor<?x%sx!quant.uniform<%s>>" % (
            dims([OH, OW, F] if a.nhwc else [F, OH, OW]), a.out_type)
    with open(a.out, "w") as f:
        f.write("func.func private @types(%s)\n\n" % ", ".join(
            t.replace("?", str(N)) for t in [xt, wq, at] + ([ot] if a.out_type else [])))
        f.write("func.func @main(%%x: %s) -> %s {\n" % (xt, ot))
        f.write('  %%w = arith.constant dense<"0x%s"> : tensor<%sxi8>\n' % (raw, dims(fshape)))
        f.write("  %%wq = quant.scast %%w : tensor<%sxi8> to %s\n" % (dims(fshape), wq))
        operands = "%x, %wq"
        types = "%s, %s" % (xt, wq)
        if a.bias:
            braw = "".join(struct.pack("<i", v).hex().upper() for v in load_npy(a.bias)[2])
            f.write('  %%b = arith.constant dense<"0x%s"> : tensor<%dxi32>\n' % (braw, F))
            f.write("  %%bq = quant.scast %%b : tensor<%dxi32> to %s\n" % (F, bt))
            operands += ", %bq"
            types += ", " + bt
        f.write("  %%acc = slim.qconv2d %s %s : %s -> %s\n" % (operands, attrs, types, at))
        if a.out_type:
            clamp = " clamp [%s]" % a.clamp.replace(",", ", ") if a.clamp else ""
            f.write("  %%y = slim.requantize %%acc%s : %s to %s\n" % (clamp, at, ot))
            f.write("  return %%y : %s\n}\n" % ot)
        else:
            f.write("  return %%acc : %s\n}\n" % ot)
    return 0


def cmd_fused_conv(a):
    """An int8 convolution layer the way slim-fuse-quantized computes it
    (zero-point padding, exact integer sums, int32 bias at S_x * S_w[f],
    fixed-point requantize, clamp, dequantize): NCHW / FCHW, or with
    --nhwc NHWC / HWCF; with --depthwise each channel convolved with its own
    C x KH x KW (NHWC: KH x KW x C) filter; with --groups each filter reads
    the C / groups channels of its group."""
    _, xshape, xs = load_npy(a.x)
    _, wshape, ws = load_npy(a.w)
    N, C, H, W, F, KH, KW, xi, wi = conv_layout(xshape, wshape, a.nhwc, a.depthwise,
                                                a.groups)
    x_at = lambda n, c, y, x: xq[xi(n, c, y, x)]
    w_at = lambda f, c, p, q: ws[wi(f, c, p, q)]

    w_scales = [float(v) for v in a.w_scales.split(",")]
    if len(w_scales) == 1:
        w_scales *= F
    bias = load_npy(a.bias)[2] if a.bias else [0.0] * F
    # clamp(scale * (x + bias) + offset): the offset joins the bias.
    scale, offset = 1.0, 0.0
    if a.affine:
        scale, offset = [f32(float(v)) for v in a.affine.split(",")]
        bias = [b + offset / scale for b in bias]
    s0, s1 = [int(v) for v in a.strides.split(",")]
    d0, d1 = [int(v) for v in a.dilations.split(",")]
    top, left, bottom, right = [int(v) for v in a.padding.split(",")]
    OH = (H + top + bottom - d0 * (KH - 1) - 1) // s0 + 1
    OW = (W + left + right - d1 * (KW - 1) - 1) // s1 + 1
    xq = [quantize(v, a.sx, a.zx, 0, 255, "even") for v in xs]
    lo = quantize(0.0, a.sy, a.zy, 0, 255, "even") if a.relu else 0
    hi = quantize(a.hi, a.sy, a.zy, 0, 255, "even") if a.hi is not None else 255
    out = {}
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    acc = 0
                    for c in conv_channels(f, C, F, a.groups, a.depthwise):
                        for p in range(KH):
                            for q in range(KW):
                                y, x = i * s0 + p * d0 - top, j * s1 + q * d1 - left
                                if 0 <= y < H and 0 <= x < W:
                                    acc += (x_at(n, c, y, x) - a.zx) * w_at(f, c, p, q)
                    out[(n, f, i, j)] = layer_output(acc, bias[f], a.sx * w_scales[f],
                                                     a.sy, a.zy, lo, hi, scale)
    if a.nhwc:
        want = [out[(n, f, i, j)] for n in range(N) for i in range(OH)
                for j in range(OW) for f in range(F)]
        shape = [N, OH, OW, F]
    else:
        want = [out[(n, f, i, j)] for n in range(N) for f in range(F)
                for i in range(OH) for j in range(OW)]
        shape = [N, F, OH, OW]
    return compare_output(a, "fused-conv", want, shape)


def cmd_accuracy(a):
    """Top-1 accuracy of logits [N, C] against integer labels; with
    --baseline, fails when the accuracy is more than --max-drop below the
    baseline logits' accuracy."""
    def acc(path):
        _, (n, c), vs = load_npy(path)
        right = sum(1 for i in range(n)
                    if max(range(c), key=lambda j: vs[i * c + j]) == labels[i])
        return right / n
    labels = load_npy(a.labels)[2]
    got = acc(a.logits)
    line = "%s: accuracy %.4f" % (a.label or "accuracy", got)
    bad = []
    if a.baseline:
        base = acc(a.baseline)
        line += ", baseline %.4f" % base
        if got < base - a.max_drop:
            bad.append("accuracy dropped by %.4f (allowed %.4f)" % (base - got, a.max_drop))
    if a.min is not None and got < a.min:
        bad.append("accuracy below %.4f" % a.min)
    print(line)
    return report(a.label or "accuracy", len(labels), bad)


def pack_signs(ws, K, N):
    """slim.sign_matmul's packed form, from its documented layout: panels of
    16 columns, K little-endian 16-bit words each, bit j of word k of panel
    p set when column 16 p + j of row k is >= 0."""
    out = bytearray(((N + 15) // 16) * K * 2)
    for k in range(K):
        for n in range(N):
            if ws[k * N + n] >= 0:
                p, j = divmod(n, 16)
                out[(p * K + k) * 2 + j // 8] |= 1 << (j % 8)
    return bytes(out)


def f32_or_inf(x):
    """f32(x), with the overflow to infinity that struct refuses."""
    try:
        return f32(x)
    except OverflowError:
        return math.copysign(math.inf, x)


def cmd_sign_module(a):
    """Writes @main(%x: tensor<?xKxf32> (--rank3: ?x?xK)[, %init]) with one
    slim.sign_matmul by the signs of --w (K x N, packed here) and --scales,
    [--bias], into %init (--accumulate) or a fresh tensor."""
    _, (K, N), ws = load_npy(a.w)
    signs = pack_signs(ws, K, N)
    scales = load_npy(a.scales)[2]
    lead = "?x?x" if a.rank3 else "?x"
    xt = "tensor<%s%dxf32>" % (lead, K)
    ct = "tensor<%s%dxf32>" % (lead, N)
    args = "%%x: %s" % xt + (", %%init: %s" % ct if a.accumulate else "")
    with open(a.out, "w") as f:
        f.write("func.func @main(%s) -> %s {\n" % (args, ct))
        f.write('  %%s = arith.constant dense<"0x%s"> : tensor<%dxi8>\n'
                % (signs.hex().upper(), len(signs)))
        f.write("  %%b = arith.constant dense<[%s]> : tensor<%dxf32>\n"
                % (", ".join(repr(v) for v in scales), N))
        bias = ""
        if a.bias:
            f.write("  %%bias = arith.constant dense<[%s]> : tensor<%dxf32>\n"
                    % (", ".join(repr(v) for v in load_npy(a.bias)[2]), N))
            bias = " bias(%%bias : tensor<%dxf32>)" % N
        if a.accumulate:
            init = "%init"
        else:
            dims = 2 if a.rank3 else 1
            for d in range(dims):
                f.write("  %%c%d = arith.constant %d : index\n" % (d, d))
                f.write("  %%d%d = tensor.dim %%x, %%c%d : %s\n" % (d, d, xt))
            f.write("  %%e = tensor.empty(%s) : %s\n"
                    % (", ".join("%%d%d" % d for d in range(dims)), ct))
            init = "%e"
        f.write("  %%y = slim.sign_matmul ins(%%x, %%s : %s, tensor<%dxi8>) outs(%s : %s) "
                "scales(%%b : tensor<%dxf32>)%s k = %d n = %d%s -> %s\n"
                % (xt, len(signs), init, ct, N, bias, K, N,
                   " accumulate" if a.accumulate else "", ct))
        f.write("  return %%y : %s\n}\n" % ct)
    return 0


def fma32(x, y, acc):
    """fma_f32 for any operands: with an infinity or a NaN among them, the
    IEEE result (which double arithmetic gives exactly)."""
    if all(math.isfinite(v) for v in (x, y, acc)):
        return fma_f32(x, y, acc)
    return x * y + acc


def cmd_sign_check(a):
    """--output against slim.sign_matmul's formula, bit for bit: W[k][n] =
    +-scales[n] by the sign of --w, one fused multiply-add per k in order
    (each rounded once to f32: exact in double, then rounded), from --init
    or +0, then + bias."""
    _, xs, xv = load_npy(a.x)
    _, (K, N), ws = load_npy(a.w)
    scales = load_npy(a.scales)[2]
    bias = load_npy(a.bias)[2] if a.bias else None
    init = load_npy(a.init)[2] if a.init else None
    _, gs, gv = load_npy(a.output)
    rows = len(xv) // K if K else len(gv) // N
    assert list(gs) == list(xs[:-1]) + [N], "output shape %s" % (gs,)
    bad = []
    for r in range(rows):
        x = xv[r * K:(r + 1) * K]
        for n in range(N):
            acc = init[r * N + n] if init is not None else 0.0
            for k in range(K):
                w = scales[n] if ws[k * N + n] >= 0 else -scales[n]
                acc = fma32(x[k], w, acc)
            if bias is not None:
                acc = f32_or_inf(acc + bias[n])
            got = gv[r * N + n]
            if not same_float(got, acc):
                bad.append("[%d, %d] %r vs %r" % (r, n, got, acc))
    return report(a.label or "sign", len(gv), bad)


def cmd_same(a):
    da, sa, va = load_npy(a.a)
    db, sb, vb = load_npy(a.b)
    bad = []
    if da != db or sa != sb:
        bad.append("dtype/shape %s%s vs %s%s" % (da, sa, db, sb))
    else:
        for i, (x, y) in enumerate(zip(va, vb)):
            if not (same_float(x, y) if isinstance(x, float) else x == y):
                bad.append("[%d] %r vs %r" % (i, x, y))
    return report(a.label or "same", len(va), bad)


def patch_rows(shape, xs, patches):
    """The windows of a 4-D NCHW (c = 1) or NHWC (c = 3) tensor that a
    kh x kw filter with strides (sh, sw) and dilations (dh, dw) sees, one
    row per output pixel, each in (kh, kw, channel) order: [rows, K]."""
    c, kh, kw, sh, sw, dh, dw = patches
    n = shape[0]
    ch, h, w = (shape[1], shape[2], shape[3]) if c == 1 else (shape[3], shape[1], shape[2])

    def at(b, q, y, x):
        if c == 1:
            return xs[((b * ch + q) * h + y) * w + x]
        return xs[((b * h + y) * w + x) * ch + q]
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w - dw * (kw - 1) - 1) // sw + 1
    rows = []
    for b in range(n):
        for y in range(oh):
            for x in range(ow):
                rows.extend(at(b, q, y * sh + i * dh, x * sw + j * dw)
                            for i in range(kh) for j in range(kw) for q in range(ch))
    return [len(rows) // (kh * kw * ch), kh * kw * ch], rows


def cmd_gram(a):
    """The sum of x x^T over the rows of --x (vectors along its last
    dimension; with --patches, its convolution windows), exactly, against
    the float64 matrix --h: every entry within 1e-12 of the largest one.
    With --mask (one entry per row), only the rows whose entry is
    nonzero."""
    _, xshape, xs = load_npy(a.x)
    _, hshape, hs = load_npy(a.h)
    if a.patches:
        xshape, xs = patch_rows(xshape, xs, [int(v) for v in a.patches.split(",")])
    k = xshape[-1]
    keep = None
    if a.mask:
        _, _, keep = load_npy(a.mask)
        if len(keep) != len(xs) // k:
            raise SystemExit("gram: %d mask entries for %d rows" % (len(keep), len(xs) // k))
    rows = 0
    want = [Fraction(0)] * (k * k)
    for r in range(len(xs) // k):
        if keep is not None and keep[r] == 0:
            continue
        rows += 1
        row = [Fraction(v) for v in xs[r * k:(r + 1) * k]]
        for i in range(k):
            for j in range(k):
                want[i * k + j] += row[i] * row[j]
    largest = max(abs(v) for v in want)
    bad = [] if hshape == [k, k] else ["shape %s, expected %s" % (hshape, [k, k])]
    if not bad:
        bad = ["[%d] %r vs %r" % (i, h, float(w)) for i, (h, w) in enumerate(zip(hs, want))
               if abs(Fraction(h) - w) > largest * Fraction(1, 10 ** 12)]
    print("%s: %d x %d from %d rows" % (a.label or "gram", k, k, rows))
    return report(a.label or "gram", k * k, bad)


def cmd_global_budget(a):
    """Checks slim-prune scope=global's report (--report) against the same
    pattern at the same sparsity in every layer (--uniform): the weights
    removed in all reach --target, and the sum of the layers' relative
    output errors is at most the uniform one's."""
    import json
    def load(path):
        with open(path) as f:
            return {l["layer"]: l for l in json.load(f)["layers"]}
    g, u = load(a.report), load(a.uniform)
    weights = sum(l["dense_bytes"] / 4 for l in u.values())
    removed = sum(l["zeros"] * l["dense_bytes"] / 4 for l in g.values())
    eg = sum(l["output_error"] for l in g.values())
    eu = sum(l["output_error"] for l in u.values())
    bad = []
    if removed < a.target * weights - 1e-9:
        bad.append("removed %d of %d weights, below the target %g" % (removed, weights, a.target))
    if eg > eu * (1 + 1e-9):
        bad.append("error sum %.6g above the uniform %.6g" % (eg, eu))
    for name in sorted(u):
        z = g[name]["zeros"] if name in g else 0.0
        print("%s: %.1f%% zeros" % (name, 100 * z))
    print("global-budget: removed %.1f%% (target %.1f%%), error sum %.4g %s uniform %.4g"
          % (100 * removed / weights, 100 * a.target, eg, "<=" if eg <= eu * (1 + 1e-9) else ">", eu))
    return report("global-budget", 2, bad)


def jacobi_svd(m, rows, cols):
    """One-sided Jacobi SVD of the rows x cols matrix m (lists of rows, in
    double): (sigma, u, v) with m = u diag(sigma) v^T, sigma descending,
    u rows x c and v cols x c as lists of columns, c = cols."""
    a = [[m[i][j] for i in range(rows)] for j in range(cols)]  # columns
    v = [[1.0 if i == j else 0.0 for i in range(cols)] for j in range(cols)]
    for _ in range(100):
        rotated = False
        for p in range(cols):
            for q in range(p + 1, cols):
                alpha = sum(x * x for x in a[p])
                beta = sum(x * x for x in a[q])
                gamma = sum(x * y for x, y in zip(a[p], a[q]))
                if abs(gamma) <= 1e-15 * math.sqrt(alpha * beta) or gamma == 0.0:
                    continue
                rotated = True
                zeta = (beta - alpha) / (2.0 * gamma)
                t = math.copysign(1.0, zeta) / (abs(zeta) + math.sqrt(1.0 + zeta * zeta))
                c = 1.0 / math.sqrt(1.0 + t * t)
                sn = c * t
                for vec in (a, v):
                    xp, xq = vec[p], vec[q]
                    vec[p] = [c * x - sn * y for x, y in zip(xp, xq)]
                    vec[q] = [sn * x + c * y for x, y in zip(xp, xq)]
        if not rotated:
            break
    sigma = [math.sqrt(sum(x * x for x in col)) for col in a]
    order = sorted(range(cols), key=lambda j: -sigma[j])
    u = [[x / sigma[j] if sigma[j] > 0 else 0.0 for x in a[j]] for j in order]
    return [sigma[j] for j in order], u, [v[j] for j in order]


def cholesky_lower(h, n):
    l = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = h[i][j] - sum(l[i][k] * l[j][k] for k in range(j))
            l[i][j] = math.sqrt(s) if i == j else s / l[j][j]
    return l


def solve_linear(g, r):
    """g x = r by Gaussian elimination with partial pivoting (double)."""
    n = len(r)
    m = [list(g[i]) + [r[i]] for i in range(n)]
    for c in range(n):
        p = max(range(c, n), key=lambda i: abs(m[i][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) <= 1e-12 * max(abs(m[i][i]) for i in range(n)):
            return None
        for i in range(c + 1, n):
            f = m[i][c] / m[c][c]
            for j in range(c, n + 1):
                m[i][j] -= f * m[c][j]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (m[i][n] - sum(m[i][j] * x[j] for j in range(i + 1, n))) / m[i][i]
    return x


def onebit_weight(w, h, k, n, steps):
    """OneBit's W~ = diag(a) S diag(b) as slim-low-rank's description
    defines it, in double: S = +1 where W >= 0; a, b from the leading
    singular pair of |W| (this file's Jacobi SVD), a = sqrt(sigma) u, b =
    sqrt(sigma) v; with the Gram matrix H, `steps` rounds of alternating
    least squares on ||X (W - W~)||: each b_j = u_j^T H w_j / u_j^T H u_j
    (u_j = a o s_j), then a solving (H o (S diag(b^2) S^T)) a = (S o H W)
    b; the round with the lowest error is kept."""
    s = [[1.0 if w[i][j] >= 0 else -1.0 for j in range(n)] for i in range(k)]
    sigma, u, v = jacobi_svd([[abs(x) for x in row] for row in w], k, n)
    a = [math.sqrt(sigma[0]) * abs(x) for x in u[0]]
    b = [math.sqrt(sigma[0]) * abs(x) for x in v[0]]

    def approx(a, b):
        return [[a[i] * s[i][j] * b[j] for j in range(n)] for i in range(k)]
    if h is None or steps == 0:
        return approx(a, b)
    hw = [[sum(h[i][t] * w[t][j] for t in range(k)) for j in range(n)] for i in range(k)]

    def error(a, b):
        wa = approx(a, b)
        d = [[w[i][j] - wa[i][j] for j in range(n)] for i in range(k)]
        return sum(d[i][j] * h[i][t] * d[t][j] for j in range(n)
                   for i in range(k) for t in range(k))
    best, best_ab = error(a, b), (list(a), list(b))
    for _ in range(steps):
        for j in range(n):
            uj = [a[i] * s[i][j] for i in range(k)]
            num = sum(uj[i] * hw[i][j] for i in range(k))
            den = sum(uj[i] * h[i][t] * uj[t] for i in range(k) for t in range(k))
            b[j] = num / den if den > 0 else 0.0
        g = [[h[i][t] * sum(b[j] * b[j] * s[i][j] * s[t][j] for j in range(n))
              for t in range(k)] for i in range(k)]
        r = [sum(b[j] * s[i][j] * hw[i][j] for j in range(n)) for i in range(k)]
        nxt = solve_linear(g, r)
        if nxt is None:
            break
        a = nxt
        e = error(a, b)
        if e < best:
            best, best_ab = e, (list(a), list(b))
    return approx(*best_ab)


def lowrank_weight(w, h, k, n, method, rank, energy, damp, alpha):
    """W_r, the rank-r approximation slim-low-rank's description defines
    (svd: of W; asvd: of diag(s) W unscaled, s_k = sqrt(H_kk)^alpha;
    svdllm: of L^T W unwhitened, L L^T = H + damp * mean(diag H) I), from
    this file's own Jacobi SVD and Cholesky in double; with `energy`, the
    rank is the smallest keeping that fraction of sum sigma^2. Returns
    (W_r, rank)."""
    if method == "svd":
        m = w
    elif method == "asvd":
        s = [math.sqrt(h[i][i]) ** alpha if h[i][i] > 0 else 0.0 for i in range(k)]
        live = [x for x in s if x > 0]
        fill = sum(live) / len(live) if live else 1.0
        s = [x if x > 0 else fill for x in s]
        m = [[s[i] * w[i][j] for j in range(n)] for i in range(k)]
    else:
        mean = sum(h[i][i] for i in range(k)) / k
        damped = [[h[i][j] + (damp * (mean if mean > 0 else 1.0) if i == j else 0.0)
                   for j in range(k)] for i in range(k)]
        l = cholesky_lower(damped, k)
        m = [[sum(l[r][i] * w[r][j] for r in range(i, k)) for j in range(n)] for i in range(k)]
    sigma, u, v = jacobi_svd(m, k, n)
    if energy is not None:
        total = sum(x * x for x in sigma)
        kept = 0.0
        for r in range(len(sigma)):
            kept += sigma[r] ** 2
            if kept >= energy * total * (1 - 1e-12):
                rank = r + 1
                break
    mr = [[sum(u[t][i] * sigma[t] * v[t][j] for t in range(rank)) for j in range(n)]
          for i in range(k)]
    if method == "asvd":
        return [[mr[i][j] / s[i] for j in range(n)] for i in range(k)], rank
    if method == "svdllm":
        # L^T W_r = M_r: back substitution, L^T upper triangular.
        wr = [[0.0] * n for _ in range(k)]
        for j in range(n):
            for i in range(k - 1, -1, -1):
                acc = mr[i][j] - sum(l[r][i] * wr[r][j] for r in range(i + 1, k))
                wr[i][j] = acc / l[i][i]
        return wr, rank
    return mr, rank


def load_matrix(path):
    _, shape, values = load_npy(path)
    rows, cols = shape
    return [[values[i * cols + j] for j in range(cols)] for i in range(rows)], rows, cols


def cmd_constant_batch_matmul(a):
    """Writes a module whose @main multiplies its f32 argument (B x ? x K)
    by the --weights .npy (B x K x N float32) held as a constant, with
    linalg.batch_matmul onto a +0 fill."""
    _, (B, K, N), ws = load_npy(a.weights)
    raw = "".join(struct.pack("<f", w).hex().upper() for w in ws)
    with open(a.out, "w") as f:
        f.write("func.func @main(%%a: tensor<%dx?x%dxf32>) -> tensor<%dx?x%dxf32> {\n"
                % (B, K, B, N))
        f.write('  %%w = arith.constant dense<"0x%s"> : tensor<%dx%dx%dxf32>\n' % (raw, B, K, N))
        write_matmul_onto_zero(f, "%r", K, N, B)
        f.write("  return %%r : tensor<%dx?x%dxf32>\n}\n" % (B, N))
    return 0


def cmd_lowrank_batch(a):
    """A batch matmul's layer, each batch's K x N matrix truncated to --rank
    by this file's own SVD (lowrank_weight, method svd), against --output
    (B x M x N) within --rtol of the largest |y|."""
    _, (B, K, N), ws = load_npy(a.w)
    _, (xb, M, xk), xv = load_npy(a.x)
    assert (xb, xk) == (B, K), "x shape"
    want = []
    for b in range(B):
        w = [[ws[(b * K + i) * N + j] for j in range(N)] for i in range(K)]
        wr, _ = lowrank_weight(w, None, K, N, "svd", a.rank, None, 0.0, 0.0)
        for r in range(M):
            row = xv[(b * M + r) * K:(b * M + r + 1) * K]
            want += [sum(row[i] * wr[i][j] for i in range(K)) for j in range(N)]
    _, gs, gv = load_npy(a.output)
    assert list(gs) == [B, M, N], "output shape %s" % (gs,)
    top = max(abs(v) for v in want)
    bad = ["[%d] %r vs %r" % (i, g, w) for i, (g, w) in enumerate(zip(gv, want))
           if not abs(g - w) <= a.rtol * top]
    return report(a.label or "lowrank-batch", len(gv), bad)


def cmd_lowrank(a):
    """The layer y = x W_r (lowrank_weight, or onebit_weight) compared with --output
    (slim-run's) within --rtol of the largest |y|; with --energy, prints
    the rank it keeps."""
    w, k, n = load_matrix(a.w)
    h = load_matrix(a.gram)[0] if a.gram else None
    if a.method == "onebit":
        wr = onebit_weight(w, h, k, n, a.steps if h is not None else 0)
    else:
        wr, rank = lowrank_weight(w, h, k, n, a.method, a.rank, a.energy, a.damp, a.alpha)
    if a.energy is not None:
        print("lowrank: energy %g keeps rank %d" % (a.energy, rank))
    _, xs, xv = load_npy(a.x)
    rows = xs[0]
    want = [sum(xv[r * k + i] * wr[i][j] for i in range(k)) for r in range(rows) for j in range(n)]
    _, gs, gv = load_npy(a.output)
    assert list(gs) == [rows, n], "output shape %s" % (gs,)
    top = max(abs(x) for x in want)
    bad = []
    for i, (got, ref) in enumerate(zip(gv, want)):
        if not abs(got - ref) <= a.rtol * top:
            bad.append("[%d] %r vs %r" % (i, got, ref))
    return report(a.label or "lowrank", len(gv), bad)


def cmd_lowrank_budget(a):
    """The rank slim-low-rank chose for its one layer (--report) under
    max-error=--max: its error on the Gram matrix (||X (W - W_r)||^2 /
    ||X W||^2, from lowrank_weight) is within the budget and rank - 1's is
    above it."""
    import json
    with open(a.report) as f:
        layers = json.load(f)["layers"]
    rank = layers[0]["rank"]
    w, k, n = load_matrix(a.w)
    h = load_matrix(a.gram)[0]

    def error(r):
        wr, _ = lowrank_weight(w, h, k, n, a.method, r, None, a.damp, a.alpha)
        def quad(d):
            return sum(d[i][j] * h[i][t] * d[t][j] for j in range(n)
                       for i in range(k) for t in range(k))
        diff = [[w[i][j] - wr[i][j] for j in range(n)] for i in range(k)]
        return quad(diff) / quad(w)

    e = error(rank)
    ok = e <= a.max * (1 + 1e-6) and (rank == 1 or error(rank - 1) > a.max)
    print("budget: rank %d, error %.6g %s %g; rank - 1 %s" % (
        rank, e, "within" if e <= a.max * (1 + 1e-6) else "ABOVE", a.max,
        "above it" if ok else "WITHIN it too"))
    return 0 if ok else 1


def cmd_mlp(a):
    """Writes a module whose @main is a chain of f32 layers (x W1, ReLU,
    x W2, ...; --weights .npy files, each K x N) as constant matmuls onto
    +0 fills, a ReLU linalg.generic between two layers."""
    ws = [load_npy(w) for w in a.weights]
    K0 = ws[0][1][0]
    N_last = ws[-1][1][1]
    with open(a.out, "w") as f:
        f.write("func.func @main(%%a: tensor<?x%dxf32>) -> tensor<?x%dxf32> {\n" % (K0, N_last))
        f.write("  %c0 = arith.constant 0 : index\n")
        f.write("  %zero = arith.constant 0.0 : f32\n")
        f.write("  %%m = tensor.dim %%a, %%c0 : tensor<?x%dxf32>\n" % K0)
        x = "%a"
        for i, (_, (K, N), vs) in enumerate(ws):
            raw = "".join(struct.pack("<f", v).hex().upper() for v in vs)
            f.write('  %%w%d = arith.constant dense<"0x%s"> : tensor<%dx%dxf32>\n' % (i, raw, K, N))
            f.write("  %%e%d = tensor.empty(%%m) : tensor<?x%dxf32>\n" % (i, N))
            f.write("  %%i%d = linalg.fill ins(%%zero : f32) outs(%%e%d : tensor<?x%dxf32>) "
                    "-> tensor<?x%dxf32>\n" % (i, i, N, N))
            f.write("  %%y%d = linalg.matmul ins(%s, %%w%d : tensor<?x%dxf32>, tensor<%dx%dxf32>) "
                    "outs(%%i%d : tensor<?x%dxf32>) -> tensor<?x%dxf32>\n"
                    % (i, x, i, K, K, N, i, N, N))
            x = "%%y%d" % i
            if i + 1 < len(ws):
                f.write("  %%r%d = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, "
                        "affine_map<(m, n) -> (m, n)>], iterator_types = [\"parallel\", "
                        "\"parallel\"]} ins(%s : tensor<?x%dxf32>) outs(%%e%d : tensor<?x%dxf32>) {\n"
                        "  ^bb0(%%v: f32, %%o: f32):\n"
                        "    %%s = arith.maximumf %%v, %%zero : f32\n"
                        "    linalg.yield %%s : f32\n"
                        "  } -> tensor<?x%dxf32>\n" % (i, x, N, i, N, N))
                x = "%%r%d" % i
        f.write("  return %s : tensor<?x%dxf32>\n}\n" % (x, N_last))
    return 0


def cmd_mlp_lowrank(a):
    """The chain of cmd_mlp with each layer as slim-factorize's report
    (--report, layers in order) says: dense, or W_r at its rank
    (lowrank_weight, the Gram matrix of the layer's input: the one in
    --hessians of its size). Checks that the layers' parameters kept are
    at most --params of the total, and compares the outputs with
    --output within --rtol of the largest."""
    import json, os
    with open(a.report) as f:
        layers = json.load(f)["layers"]
    with open(os.path.join(a.hessians, "index.json")) as f:
        index = json.load(f)["observers"]
    grams = {}
    for o in index:
        g, k, _ = load_matrix(os.path.join(a.hessians, o["file"]))
        grams.setdefault(k, g)
    ws = [load_matrix(w) for w in a.weights]
    assert len(layers) == len(ws), "report has %d layers" % len(layers)
    before = after = 0
    chain = []
    for l, (w, k, n) in zip(layers, ws):
        before += k * n
        if l["decision"] == "factorized":
            wr, _ = lowrank_weight(w, grams.get(k), k, n, a.method, l["rank"], None,
                                   a.damp, a.alpha)
            after += l["rank"] * (k + n)
            chain.append((wr, k, n))
        else:
            after += k * n
            chain.append((w, k, n))
    print("mlp-lowrank: %d of %d parameters kept (%.3f)" % (after, before, after / before))
    ok = after <= a.params * before + 1e-9 if a.params else True
    _, xs, xv = load_npy(a.x)
    rows = xs[0]
    y = [[xv[r * xs[1] + i] for i in range(xs[1])] for r in range(rows)]
    for j, (w, k, n) in enumerate(chain):
        y = [[sum(row[i] * w[i][c] for i in range(k)) for c in range(n)] for row in y]
        if j + 1 < len(chain):
            y = [[max(v, 0.0) for v in row] for row in y]
    want = [v for row in y for v in row]
    _, gs, gv = load_npy(a.output)
    top = max(abs(v) for v in want)
    bad = ["[%d] %r vs %r" % (i, g, r) for i, (g, r) in enumerate(zip(gv, want))
           if not abs(g - r) <= a.rtol * top]
    if not ok:
        bad.append("kept %.4f of the parameters, above %g" % (after / before, a.params))
    return report(a.label or "mlp-lowrank", len(gv), bad)


def cmd_budget_objectives(a):
    """slim-factorize's two objectives on the same budget (--max-report:
    objective=max, --sum-report: objective=sum): the first's largest layer
    error is at most the second's (the cap is the least that meets the
    budget). The sums are printed: the Lagrange multiplier over discrete
    choices does not always find the least sum."""
    import json
    def errors(path):
        with open(path) as f:
            return [l.get("output_error", 0.0) for l in json.load(f)["layers"]]
    em, es = errors(a.max_report), errors(a.sum_report)
    ok = max(em) <= max(es) * (1 + 1e-9)
    print("objectives: largest error %.6g %s %.6g (sums %.6g and %.6g)" % (
        max(em), "<=" if ok else ">", max(es), sum(em), sum(es)))
    return 0 if ok else 1


def cmd_relative_error(a):
    """||a - b|| / ||b|| over two float arrays of one shape; fails above
    --max."""
    _, sa, va = load_npy(a.a)
    _, sb, vb = load_npy(a.b)
    assert sa == sb, "shapes %s %s" % (sa, sb)
    e = math.sqrt(sum((x - y) ** 2 for x, y in zip(va, vb)) / sum(y * y for y in vb))
    ok = e <= a.max
    print("%s: relative error %.4g %s %g" % (a.label or "relative", e, "<=" if ok else ">", a.max))
    return 0 if ok else 1


def conv_lowrank_filter(w, f, c, kh, kw, form, rank):
    """slim-low-rank's convolution factors multiplied back, FCHW (w[f][c][t],
    t = i kw + j), from this file's own Jacobi SVDs: tucker2 projects the
    filter and channel modes on their leading `rank` singular vectors
    (truncated HOSVD: core x_f U_f x_c U_c = P_f W P_c); spatial truncates
    M[(c, i), (f, j)] to `rank`; depthwise keeps the rank-1 part of each
    channel's F x (KH KW) slice."""
    taps = kh * kw
    if form == "tucker2":
        def projector(rows, cols, at, r):
            # The leading r left singular vectors of the rows x cols matrix
            # at(row, col): the right ones of its transpose.
            mt = [[at(i, j) for i in range(rows)] for j in range(cols)]
            _, _, v = jacobi_svd(mt, cols, rows)
            r = min(r, rows, cols)
            return [[sum(v[t][i] * v[t][j] for t in range(r)) for j in range(rows)]
                    for i in range(rows)]
        pf = projector(f, c * taps, lambda i, j: w[i][j // taps][j % taps], rank)
        pc = projector(c, f * taps, lambda i, j: w[j // taps][i][j % taps], rank)
        half = [[[sum(w[f2][c2][t] * pc[c2][c1] for c2 in range(c)) for t in range(taps)]
                 for c1 in range(c)] for f2 in range(f)]
        return [[[sum(pf[f1][f2] * half[f2][c1][t] for f2 in range(f)) for t in range(taps)]
                 for c1 in range(c)] for f1 in range(f)]
    if form == "spatial":
        rows, cols = c * kh, f * kw
        m = [[w[j // kw][i // kh][(i % kh) * kw + j % kw] for j in range(cols)]
             for i in range(rows)]
        sigma, u, v = jacobi_svd(m, rows, cols)
        r = min(rank, rows, cols)
        out = [[[0.0] * taps for _ in range(c)] for _ in range(f)]
        for i in range(rows):
            for j in range(cols):
                out[j // kw][i // kh][(i % kh) * kw + j % kw] = sum(
                    u[t][i] * sigma[t] * v[t][j] for t in range(r))
        return out
    out = [[[0.0] * taps for _ in range(c)] for _ in range(f)]
    for ch in range(c):
        m = [[w[fi][ch][t] for t in range(taps)] for fi in range(f)]
        sigma, u, v = jacobi_svd(m, f, taps)
        for fi in range(f):
            for t in range(taps):
                out[fi][ch][t] = u[0][fi] * sigma[0] * v[0][t]
    return out


def cmd_conv_lowrank(a):
    """The convolution of --x by --filter (NCHW x FCHW, or NHWC x HWCF with
    --nhwc) with the filter replaced by slim-low-rank's factors multiplied
    back (conv_lowrank_filter), in double, against --output within --rtol
    of the largest output."""
    _, xshape, xs = load_npy(a.x)
    _, fshape, ws = load_npy(a.filter)
    sh, sw = [int(v) for v in a.strides.split(",")]
    dh, dw = [int(v) for v in a.dilations.split(",")]
    n, c, h, w, f, kh, kw, xi, wi = conv_layout(xshape, fshape, a.nhwc, False)
    filt = [[[ws[wi(fi, ch, p, q)] for p in range(kh) for q in range(kw)]
             for ch in range(c)] for fi in range(f)]
    wr = conv_lowrank_filter(filt, f, c, kh, kw, a.form, a.rank)
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w - dw * (kw - 1) - 1) // sw + 1
    want = [sum(xs[xi(b, ch, i * sh + p * dh, j * sw + q * dw)] * wr[fi][ch][p * kw + q]
                for ch in range(c) for p in range(kh) for q in range(kw))
            for b, fi, i, j in conv_output_order(n, f, oh, ow, a.nhwc)]
    _, oshape, got = load_npy(a.output)
    top = max(abs(v) for v in want)
    bad = ["[%d] got %r want %r" % (i, g, wv)
           for i, (g, wv) in enumerate(zip(got, want)) if not abs(g - wv) <= a.rtol * top]
    if oshape != ([n, oh, ow, f] if a.nhwc else [n, f, oh, ow]):
        bad.insert(0, "shape %s" % oshape)
    return report(a.label or "conv-lowrank", len(want), bad)


def cmd_lower_error(a):
    """Root-mean-square differences of --a and of --b from --ref; fails
    unless --a's is the lower."""
    _, sr, vr = load_npy(a.ref)
    _, sa, va = load_npy(a.a)
    _, sb, vb = load_npy(a.b)
    assert sr == sa == sb, "shapes %s %s %s" % (sr, sa, sb)
    rms = [math.sqrt(sum((x - y) ** 2 for x, y in zip(v, vr)) / len(vr)) for v in (va, vb)]
    ok = rms[0] < rms[1]
    print("%s: rms %.6g %s rms %.6g" % (a.label or "error", rms[0], "<" if ok else ">=", rms[1]))
    return 0 if ok else 1


def cmd_same_means(a):
    """The means over the rows of --a and --b (arrays whose last dimension
    is N; every other dimension is rows), column by column, agree within
    --atol: what a bias correction promises on its calibration inputs."""
    _, sa, va = load_npy(a.a)
    _, sb, vb = load_npy(a.b)
    assert sa == sb, "shapes %s %s" % (sa, sb)
    n = sa[-1]
    rows = len(va) // n
    bad = []
    worst = 0.0
    for c in range(n):
        ma = sum(va[r * n + c] for r in range(rows)) / rows
        mb = sum(vb[r * n + c] for r in range(rows)) / rows
        worst = max(worst, abs(ma - mb))
        if abs(ma - mb) > a.atol:
            bad.append("column %d: mean %r vs %r" % (c, ma, mb))
    print("%s: largest difference of the column means %.3g (tolerance %g)"
          % (a.label or "means", worst, a.atol))
    return report(a.label or "means", n, bad)


# --------------------------------------------------------------------------
# Channel and head pruning: small models and their masked references
# --------------------------------------------------------------------------

def channel_model_weights(kind, seed):
    """The weights of --kind mlp (7 -> 10 -> 5, ReLU) or attention (hidden
    12, 3 heads of 4, over 5 tokens), from --seed: lists of float32 values,
    row-major, each rounded to float32."""
    rng = random.Random(seed)

    def mat(rows, cols, scale=1.0):
        return [f32(rng.uniform(-1, 1) * scale) for _ in range(rows * cols)]
    if kind == "mlp":
        # Hidden channels of very different sizes, so that the ones
        # magnitude removes are clear.
        w1 = mat(7, 10)
        for j in range(10):
            for i in range(7):
                w1[i * 10 + j] = f32(w1[i * 10 + j] * (0.05 + 0.2 * j))
        return {"w1": w1, "b1": mat(1, 10, 0.5), "w2": mat(10, 5), "b2": mat(1, 5, 0.5)}
    w = {n: mat(12, 12) for n in ("wq", "wk", "wv", "wo")}
    for h, scale in enumerate((1.0, 0.1, 0.6)):  # head 1 is the quiet one
        for i in range(12):
            for j in range(4 * h, 4 * h + 4):
                w["wv"][i * 12 + j] = f32(w["wv"][i * 12 + j] * scale)
    for n in ("bq", "bk", "bv", "bo"):
        w[n] = mat(1, 12, 0.2)
    return w


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def dense_hex(values):
    return '"0x%s"' % "".join(struct.pack("<f", v).hex().upper() for v in values)


def cmd_channel_model(a):
    """Writes --kind mlp or attention as linalg on tensors, the form an
    importer produces (matmul onto a zero fill, bias adds as generics,
    heads by expand_shape + transpose + batch_matmul, a softmax of
    reductions), with the weights of channel_model_weights."""
    w = channel_model_weights(a.kind, a.seed)
    id2 = "affine_map<(m, n) -> (m, n)>"
    bias = ("  %%%s = linalg.generic {indexing_maps = [%s, affine_map<(m, n) -> (n)>, %s], "
            "iterator_types = [\"parallel\", \"parallel\"]} ins(%%%s, %%%s : tensor<%dx%dxf32>, "
            "tensor<%dxf32>) outs(%%%s : tensor<%dx%dxf32>) {\n"
            "  ^bb0(%%v: f32, %%c: f32, %%o: f32):\n    %%s = arith.addf %%v, %%c : f32\n"
            "    linalg.yield %%s : f32\n  } -> tensor<%dx%dxf32>\n")
    out = []
    if a.kind == "mlp":
        M = 6
        out.append("func.func @main(%%x: tensor<%dx7xf32>) -> tensor<%dx5xf32> {\n" % (M, M))
        out.append("  %zero = arith.constant 0.0 : f32\n")
        for n, (r, c) in (("w1", (7, 10)), ("w2", (10, 5))):
            out.append("  %%%s = arith.constant dense<%s> : tensor<%dx%dxf32>\n" % (n, dense_hex(w[n]), r, c))
        for n, c in (("b1", 10), ("b2", 5)):
            out.append("  %%%s = arith.constant dense<%s> : tensor<%dxf32>\n" % (n, dense_hex(w[n]), c))
        for i, (lhs, wt, K, N) in enumerate((("x", "w1", 7, 10), ("r", "w2", 10, 5))):
            out.append("  %%e%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, M, N))
            out.append("  %%f%d = linalg.fill ins(%%zero : f32) outs(%%e%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n"
                       % (i, i, M, N, M, N))
            out.append("  %%m%d = linalg.matmul ins(%%%s, %%%s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) "
                       "outs(%%f%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n" % (i, lhs, wt, M, K, K, N, i, M, N, M, N))
            out.append(bias % ("y%d" % i, id2, id2, "m%d" % i, "b%d" % (i + 1), M, N, N, "e%d" % i, M, N, M, N))
            if i == 0:
                out.append("  %%r = linalg.generic {indexing_maps = [%s, %s], iterator_types = "
                           "[\"parallel\", \"parallel\"]} ins(%%y0 : tensor<%dx10xf32>) outs(%%e0 : tensor<%dx10xf32>) {\n"
                           "  ^bb0(%%v: f32, %%o: f32):\n    %%s = arith.maximumf %%v, %%zero : f32\n"
                           "    linalg.yield %%s : f32\n  } -> tensor<%dx10xf32>\n" % (id2, id2, M, M, M))
        out.append("  return %%y1 : tensor<%dx5xf32>\n}\n" % M)
    else:
        T = 5
        out.append("func.func @main(%%x: tensor<%dx12xf32>) -> tensor<%dx12xf32> {\n" % (T, T))
        out.append("  %zero = arith.constant 0.0 : f32\n  %ninf = arith.constant 0xFF800000 : f32\n")
        out.append("  %scale = arith.constant 0.5 : f32\n")
        for n in ("wq", "wk", "wv", "wo"):
            out.append("  %%%s = arith.constant dense<%s> : tensor<12x12xf32>\n" % (n, dense_hex(w[n])))
        for n in ("bq", "bk", "bv", "bo"):
            out.append("  %%%s = arith.constant dense<%s> : tensor<12xf32>\n" % (n, dense_hex(w[n])))
        out.append("  %%e = tensor.empty() : tensor<%dx12xf32>\n" % T)
        out.append("  %%f = linalg.fill ins(%%zero : f32) outs(%%e : tensor<%dx12xf32>) -> tensor<%dx12xf32>\n" % (T, T))

        def proj(name, lhs, wt, b):
            out.append("  %%%s_m = linalg.matmul ins(%%%s, %%%s : tensor<%dx12xf32>, tensor<12x12xf32>) "
                       "outs(%%f : tensor<%dx12xf32>) -> tensor<%dx12xf32>\n" % (name, lhs, wt, T, T, T))
            out.append(bias % (name + "_b", id2, id2, name + "_m", b, T, 12, 12, "e", T, 12, T, 12))
        for n in ("q", "k", "v"):
            proj(n, "x", "w" + n, "b" + n)
            out.append("  %%%s_x = tensor.expand_shape %%%s_b [[0], [1, 2]] output_shape [%d, 3, 4] : "
                       "tensor<%dx12xf32> into tensor<%dx3x4xf32>\n" % (n, n, T, T, T))
        out.append("  %%eh = tensor.empty() : tensor<3x%dx4xf32>\n" % T)
        out.append("  %%ekt = tensor.empty() : tensor<3x4x%dxf32>\n" % T)
        out.append("  %%q_t = linalg.transpose ins(%%q_x : tensor<%dx3x4xf32>) outs(%%eh : tensor<3x%dx4xf32>) permutation = [1, 0, 2]\n" % (T, T))
        out.append("  %%v_t = linalg.transpose ins(%%v_x : tensor<%dx3x4xf32>) outs(%%eh : tensor<3x%dx4xf32>) permutation = [1, 0, 2]\n" % (T, T))
        out.append("  %%k_t = linalg.transpose ins(%%k_x : tensor<%dx3x4xf32>) outs(%%ekt : tensor<3x4x%dxf32>) permutation = [1, 2, 0]\n" % (T, T))
        out.append("  %%es = tensor.empty() : tensor<3x%dx%dxf32>\n" % (T, T))
        out.append("  %%fs = linalg.fill ins(%%zero : f32) outs(%%es : tensor<3x%dx%dxf32>) -> tensor<3x%dx%dxf32>\n" % (T, T, T, T))
        out.append("  %%sc = linalg.batch_matmul ins(%%q_t, %%k_t : tensor<3x%dx4xf32>, tensor<3x4x%dxf32>) "
                   "outs(%%fs : tensor<3x%dx%dxf32>) -> tensor<3x%dx%dxf32>\n" % (T, T, T, T, T, T))
        id3 = "affine_map<(h, i, j) -> (h, i, j)>"
        red3 = "affine_map<(h, i, j) -> (h, i)>"
        st = "tensor<3x%dx%dxf32>" % (T, T)
        rt = "tensor<3x%dxf32>" % T
        out.append("  %%ss = linalg.generic {indexing_maps = [%s, %s], iterator_types = [\"parallel\", \"parallel\", \"parallel\"]} "
                   "ins(%%sc : %s) outs(%%es : %s) {\n  ^bb0(%%v: f32, %%o: f32):\n    %%t = arith.mulf %%v, %%scale : f32\n"
                   "    linalg.yield %%t : f32\n  } -> %s\n" % (id3, id3, st, st, st))
        out.append("  %%er = tensor.empty() : %s\n" % rt)
        out.append("  %%fm = linalg.fill ins(%%ninf : f32) outs(%%er : %s) -> %s\n" % (rt, rt))
        out.append("  %%mx = linalg.generic {indexing_maps = [%s, %s], iterator_types = [\"parallel\", \"parallel\", \"reduction\"]} "
                   "ins(%%ss : %s) outs(%%fm : %s) {\n  ^bb0(%%v: f32, %%o: f32):\n    %%t = arith.maximumf %%v, %%o : f32\n"
                   "    linalg.yield %%t : f32\n  } -> %s\n" % (id3, red3, st, rt, rt))
        out.append("  %%ex = linalg.generic {indexing_maps = [%s, %s, %s], iterator_types = [\"parallel\", \"parallel\", \"parallel\"]} "
                   "ins(%%ss, %%mx : %s, %s) outs(%%es : %s) {\n  ^bb0(%%v: f32, %%m: f32, %%o: f32):\n"
                   "    %%d = arith.subf %%v, %%m : f32\n    %%t = math.exp %%d : f32\n"
                   "    linalg.yield %%t : f32\n  } -> %s\n" % (id3, red3, id3, st, rt, st, st))
        out.append("  %%fz = linalg.fill ins(%%zero : f32) outs(%%er : %s) -> %s\n" % (rt, rt))
        out.append("  %%sm = linalg.generic {indexing_maps = [%s, %s], iterator_types = [\"parallel\", \"parallel\", \"reduction\"]} "
                   "ins(%%ex : %s) outs(%%fz : %s) {\n  ^bb0(%%v: f32, %%o: f32):\n    %%t = arith.addf %%v, %%o : f32\n"
                   "    linalg.yield %%t : f32\n  } -> %s\n" % (id3, red3, st, rt, rt))
        out.append("  %%p = linalg.generic {indexing_maps = [%s, %s, %s], iterator_types = [\"parallel\", \"parallel\", \"parallel\"]} "
                   "ins(%%ex, %%sm : %s, %s) outs(%%es : %s) {\n  ^bb0(%%v: f32, %%m: f32, %%o: f32):\n"
                   "    %%t = arith.divf %%v, %%m : f32\n    linalg.yield %%t : f32\n  } -> %s\n" % (id3, red3, id3, st, rt, st, st))
        out.append("  %%fo = linalg.fill ins(%%zero : f32) outs(%%eh : tensor<3x%dx4xf32>) -> tensor<3x%dx4xf32>\n" % (T, T))
        out.append("  %%pv = linalg.batch_matmul ins(%%p, %%v_t : %s, tensor<3x%dx4xf32>) outs(%%fo : tensor<3x%dx4xf32>) "
                   "-> tensor<3x%dx4xf32>\n" % (st, T, T, T))
        out.append("  %%ec = tensor.empty() : tensor<%dx3x4xf32>\n" % T)
        out.append("  %%pv_t = linalg.transpose ins(%%pv : tensor<3x%dx4xf32>) outs(%%ec : tensor<%dx3x4xf32>) permutation = [1, 0, 2]\n" % (T, T))
        out.append("  %%cat = tensor.collapse_shape %%pv_t [[0], [1, 2]] : tensor<%dx3x4xf32> into tensor<%dx12xf32>\n" % (T, T))
        proj("o", "cat", "wo", "bo")
        out.append("  return %%o_b : tensor<%dx12xf32>\n}\n" % T)
    with open(a.out, "w") as f:
        f.write("".join(out))


def cmd_channel_ref(a):
    """The output of --kind's model on --x with the --sparsity fraction of
    its hidden channels (mlp) or heads (attention) removed by magnitude:
    a unit scores sqrt(sum of squares of the weights computing it) times
    sqrt(sum of squares of the reader's weights reading it); the
    round(sparsity * units) lowest go (the lower index kept among equal
    scores), computed as the dense model with the removed units' outputs
    set to zero before the reader. Float64 throughout."""
    w = channel_model_weights(a.kind, a.seed)
    _, (M, K), x = load_npy(a.x)
    X = [x[i * K:(i + 1) * K] for i in range(M)]

    def matmul(A, W, cols, bias):
        return [[sum(r[k] * W[k * cols + j] for k in range(len(r))) + bias[j]
                 for j in range(cols)] for r in A]

    def drop(scores):
        n = round(a.sparsity * len(scores))
        order = sorted(range(len(scores)), key=lambda u: (-scores[u], u))
        return set(order[len(scores) - n:])
    if a.kind == "mlp":
        score = [math.sqrt(sum(w["w1"][i * 10 + j] ** 2 for i in range(7))) *
                 math.sqrt(sum(w["w2"][j * 5 + c] ** 2 for c in range(5))) for j in range(10)]
        gone = drop(score)
        H = [[0.0 if j in gone else max(v, 0.0) for j, v in enumerate(r)]
             for r in matmul(X, w["w1"], 10, w["b1"])]
        Y = matmul(H, w["w2"], 5, w["b2"])
    else:
        score = []
        for h in range(3):
            cols = range(4 * h, 4 * h + 4)
            comp = sum(w[n][i * 12 + j] ** 2 for n in ("wq", "wk", "wv") for i in range(12) for j in cols)
            read = sum(w["wo"][j * 12 + c] ** 2 for j in cols for c in range(12))
            score.append(math.sqrt(comp) * math.sqrt(read))
        gone = drop(score)
        Q, Kx, V = (matmul(X, w["w" + n], 12, w["b" + n]) for n in ("q", "k", "v"))
        C = [[0.0] * 12 for _ in range(M)]
        for h in range(3):
            if h in gone:
                continue
            cols = range(4 * h, 4 * h + 4)
            for i in range(M):
                s = [0.5 * sum(Q[i][c] * Kx[j][c] for c in cols) for j in range(M)]
                mx = max(s)
                e = [math.exp(v - mx) for v in s]
                tot = sum(e)
                for c in cols:
                    C[i][c] = sum(e[j] / tot * V[j][c] for j in range(M))
        Y = matmul(C, w["wo"], 12, w["bo"])
    print("%s-ref: removed %s" % (a.kind, sorted(gone)))
    save_npy(a.output, "<f4", [M, len(Y[0])], [v for r in Y for v in r])


FLT_MIN = 2.0 ** -126


def cmd_attention(a):
    """Checks slim.attention's --output (B x H x M x Dv) against softmax(q
    k^T {* or /} --scale + mask) v computed in float64 from the f32 --q
    (B x H x M x D), --k (B x H x N x D), --v (B x H x N x Dv) and the
    optional --mask (each dimension the scores' or 1), the two-pass softmax
    of the unfused ops: within --atol + --rtol * |exact|; NaN where the
    exact value is NaN."""
    _, qs, q = load_npy(a.q)
    _, ks, k = load_npy(a.k)
    _, vs, v = load_npy(a.v)
    _, os_, out = load_npy(a.output)
    b, h, m, d = qs
    n, dv = ks[2], vs[3]
    mask = None
    if a.mask:
        _, ms, mask = load_npy(a.mask)

    def at(xs, shape, i0, i1, i2, i3):
        return xs[((i0 * shape[1] + i1) * shape[2] + i2) * shape[3] + i3]

    bad = []
    for bi in range(b):
        for hi in range(h):
            for i in range(m):
                s = []
                for j in range(n):
                    x = sum(at(q, qs, bi, hi, i, t) * at(k, ks, bi, hi, j, t)
                            for t in range(d))
                    if a.scale is not None:
                        x = x / a.scale if a.divides else x * a.scale
                    if mask is not None:
                        x += at(mask, ms, bi if ms[0] > 1 else 0, hi if ms[1] > 1 else 0,
                                i if ms[2] > 1 else 0, j)
                    s.append(x)
                if not s:
                    s = [math.nan]  # no keys: 0 / 0
                mx = max(s) if not any(math.isnan(x) for x in s) else math.nan
                e = [math.exp(x - mx) if not math.isnan(mx) else math.nan for x in s]
                total = sum(e)
                for c in range(dv):
                    want = sum(e[j] / total * at(v, vs, bi, hi, j, c) for j in range(n)) \
                        if n and not math.isnan(total) else math.nan
                    got = at(out, os_, bi, hi, i, c)
                    ok = math.isnan(got) if math.isnan(want) else \
                        abs(got - want) <= a.atol + a.rtol * abs(want)
                    if not ok:
                        bad.append("[%d,%d,%d,%d] %r, want %r" % (bi, hi, i, c, got, want))
    return report(a.label or "attention", len(out), bad)


def cmd_rowops(a):
    """Checks a transformer's non-contraction ops, computed in float64 from
    the f32 --input, against --output: softmax, layernorm (eps 1e-12, unit
    gain and zero bias unless --gamma/--beta), gelu (erf form), exp, erf,
    rowsum, colmean (over dimension 1 of a 3-D input). Elementwise functions
    must be within --ulps units in the last place of float32 (results below
    the smallest normal float may be flushed to zero; GELU's in units of
    its input's last place); the others within --atol of the exact
    value."""
    _, shape, xs = load_npy(a.input)
    _, oshape, ys = load_npy(a.output)
    rows = [xs[i:i + shape[-1]] for i in range(0, len(xs), shape[-1])]
    op = a.op
    if op in ("exp", "erf", "gelu"):
        fn = {"exp": lambda x: math.exp(x) if x < 709 else math.inf,
              "erf": math.erf,
              "gelu": lambda x: 0.5 * x * (1 + math.erf(x / math.sqrt(2)))}[op]
        want = []
        for x in xs:
            if math.isnan(x):
                want.append(math.nan)
            elif math.isinf(x):
                want.append({"exp": 0.0 if x < 0 else math.inf, "erf": math.copysign(1.0, x),
                             "gelu": 0.0 if x < 0 else math.inf}[op])
            else:
                w = fn(x)
                # Beyond the largest float32 (rounded): +-inf.
                want.append(math.copysign(math.inf, w) if abs(w) >= 2.0 ** 128 * (1 - 2.0 ** -25) else w)
    elif op == "softmax":
        want = []
        for r in rows:
            m = max(r)
            e = [math.exp(v - m) for v in r]
            t = sum(e)
            want += [v / t for v in e]
    elif op == "layernorm":
        g = load_npy(a.gamma)[2] if a.gamma else [1.0] * shape[-1]
        b = load_npy(a.beta)[2] if a.beta else [0.0] * shape[-1]
        want = []
        for r in rows:
            mean = sum(r) / len(r)
            var = sum((v - mean) ** 2 for v in r) / len(r)
            inv = 1.0 / math.sqrt(var + 1e-12)
            want += [(v - mean) * inv * g[j] + b[j] for j, v in enumerate(r)]
    elif op == "rowsum":
        want = [sum(r) for r in rows]
    elif op == "colmean":
        n0, n1, n2 = shape
        want = [sum(xs[(i * n1 + k) * n2 + j] for k in range(n1)) / n1
                for i in range(n0) for j in range(n2)]
    else:
        raise SystemExit("rowops: unknown --op " + op)
    assert len(want) == len(ys), "output has %d values, expected %d" % (len(ys), len(want))
    ulp = lambda w: max(abs(w), FLT_MIN) * 2.0 ** -23
    bad = []
    worst = 0.0
    for i, (y, w) in enumerate(zip(ys, want)):
        if math.isnan(w) or math.isinf(w):
            ok = same_float(y, w)
        elif op == "gelu":
            # x (1 + erf(x / sqrt 2)) / 2 cancels for negative x: its error
            # is measured in units of the input's last place.
            err = abs(y - w) / ulp(xs[i])
            worst = max(worst, err)
            ok = err <= a.ulps
        elif abs(w) < FLT_MIN and abs(y) < FLT_MIN:
            ok = True  # a subnormal result, maybe flushed to zero
        elif op in ("exp", "erf"):
            err = abs(y - w) / ulp(w)
            worst = max(worst, err)
            ok = err <= a.ulps
        else:
            err = abs(y - w)
            worst = max(worst, err)
            ok = err <= a.atol
        if not ok:
            bad.append("[%d] got %r want %r" % (i, y, w))
    print("%s: largest error %.3g %s" % (a.label or op, worst,
                                         "ulp" if op in ("exp", "erf", "gelu") else "absolute"))
    return report(a.label or op, len(ys), bad)


def cmd_powi(a):
    """Checks x^n (math.fpowi, n = --power) of the f32 --input against
    --output: the exact power of each input rounded once to f32 (beyond
    the largest float +-inf, below the smallest normal possibly flushed),
    within --ulps units in its last place; IEEE's rules for zeros,
    infinities and NaN exactly (x^0 = 1 for every x, NaN included, as C's
    pown)."""
    _, shape, xs = load_npy(a.input)
    _, oshape, ys = load_npy(a.output)
    n = a.power

    def exact(x):
        if n == 0:
            return 1.0
        if math.isnan(x):
            return math.nan
        odd = n % 2 == 1
        sign = -1.0 if (math.copysign(1.0, x) < 0 and odd) else 1.0
        if x == 0:
            return sign * (0.0 if n > 0 else math.inf)
        if math.isinf(x):
            return sign * (math.inf if n > 0 else 0.0)
        w = to_float(Fraction(x) ** n, F32)
        return w

    def ulp(w):
        # The spacing of f32 at |w|: 2^(e - 24) for |w| in [2^(e-1), 2^e),
        # 2^-149 below the smallest normal.
        if abs(w) < FLT_MIN:
            return 2.0 ** -149
        return 2.0 ** (math.frexp(w)[1] - 24)

    bad = []
    worst = 0.0
    if oshape != shape:
        bad.append("shape %s, expected %s" % (oshape, shape))
    for i, (x, y) in enumerate(zip(xs, ys)):
        w = exact(x)
        same_sign = math.copysign(1, y) == math.copysign(1, w)
        if math.isnan(w) or math.isinf(w) or math.isnan(y) or math.isinf(y):
            ok = same_float(y, w)
        elif abs(w) < FLT_MIN and y == 0:
            ok = same_sign  # a subnormal (or zero) result flushed to zero
        else:
            err = abs(y - w) / ulp(w)
            worst = max(worst, err)
            ok = err <= a.ulps and (w != 0 or same_sign)
        if not ok:
            bad.append("[%d] %r^%d: got %r want %r" % (i, x, n, y, w))
    print("%s: largest error %.3g ulp" % (a.label or "powi", worst))
    return report(a.label or "powi", len(ys), bad)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    g = sub.add_parser("gen")
    g.add_argument("out")
    g.add_argument("--dtype", default="float32", choices=sorted(NAMES))
    g.add_argument("--shape")
    g.add_argument("--values")
    g.add_argument("--ties", type=int)
    g.add_argument("--tie-step", default="1.0")
    g.add_argument("--specials", action="store_true")
    g.add_argument("--ints")
    g.add_argument("--eye", type=int, help="the N x N identity, row-major")
    g.add_argument("--row-values")
    g.add_argument("--random", type=int, default=0)
    g.add_argument("--range", default="-10,10")
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--fill", type=float, help="pad with this value, not random ones")
    g.add_argument("--column-scales", help="scale column j by the j-th value (cycling)")
    pe = sub.add_parser("pruned-error")
    for name in ("--report", "--ref", "--a"):
        pe.add_argument(name, required=True)
    pe.add_argument("--rtol", type=float, default=1e-4)
    pe.add_argument("--max", type=float, help="the budget the error must keep")
    pe.add_argument("--label")
    pr = sub.add_parser("prune")
    pr.add_argument("--w", required=True)
    pr.add_argument("--output", required=True)
    pr.add_argument("--pattern", choices=["unstructured", "nm", "block"], default="nm")
    pr.add_argument("--sparsity", type=float, default=0.5)
    pr.add_argument("--n", type=int, default=2)
    pr.add_argument("--m", type=int, default=4)
    pr.add_argument("--block", default="1x4")
    pr.add_argument("--gram", help="a K x K float64 .npy: Wanda scores")
    pr.add_argument("--reshape", help="write the result with this shape")

    def common(sp, needs_func=True):
        if needs_func:
            sp.add_argument("--mlir", required=True)
            sp.add_argument("--func", required=True)
            sp.add_argument("--q", help="where the quantized type is: arg:N or result:N")
        sp.add_argument("--input", required=True)
        sp.add_argument("--output", required=True)
        sp.add_argument("--label")

    q = sub.add_parser("quantize")
    common(q)
    q.add_argument("--rounding", choices=["even", "away"], default="even")
    q.add_argument("--input-format", choices=sorted(FORMATS), default="f32")
    d = sub.add_parser("dequantize")
    common(d)
    f = sub.add_parser("fake-quant")
    common(f, needs_func=False)
    f.add_argument("--type", required=True)
    f.add_argument("--rounding", choices=["even", "away"], default="even")
    r = sub.add_parser("requantize")
    common(r)
    r.add_argument("--qin", default="arg:0")
    r.add_argument("--qout", default="result:0")
    r.add_argument("--mode", choices=["fixed", "float"], default="fixed")
    r.add_argument("--rounding", choices=["even", "away"], default="even")
    r.add_argument("--clamp")
    r.add_argument("--stats", action="store_true")
    qc = sub.add_parser("qconcat")
    common(qc)
    qc.add_argument("--dim", type=int, required=True)
    qa = sub.add_parser("qadd")
    common(qa)
    qa.add_argument("--rhs", required=True)
    qa.add_argument("--qout", default="result:0")
    qa.add_argument("--clamp")
    st = sub.add_parser("stats")
    st.add_argument("--input", required=True)
    st.add_argument("--stats", required=True)
    st.add_argument("--id", required=True)
    st.add_argument("--axis", type=int)
    st.add_argument("--multiply", type=float, default=1.0)
    st.add_argument("--relu", action="store_true")
    st.add_argument("--label")
    sp = sub.add_parser("split")
    sp.add_argument("input")
    sp.add_argument("out")
    wq = sub.add_parser("weight-quant")
    wq.add_argument("--weights", required=True)
    wq.add_argument("--output", required=True)
    wq.add_argument("--bits", type=int, default=8)
    wq.add_argument("--granularity", choices=["tensor", "channel", "group"], default="channel")
    wq.add_argument("--group-size", type=int, default=128)
    wq.add_argument("--scheme", choices=["symmetric", "asymmetric"], default="symmetric")
    wq.add_argument("--full-range", action="store_true",
                    help="symmetric without narrow range ([-8, 7] at 4 bits)")
    wq.add_argument("--method", choices=["minmax", "mse"], default="minmax")
    wq.add_argument("--transposed", action="store_true",
                    help="--weights is [N, K] (e.g. a flattened FCHW filter)")
    wq.add_argument("--label")
    up = sub.add_parser("unpack")
    up.add_argument("--input", required=True)
    up.add_argument("--output", required=True)
    up.add_argument("--n", type=int, required=True)
    up.add_argument("--signed", action="store_true")
    up.add_argument("--label")
    qm = sub.add_parser("qmatmul")
    qm.add_argument("--mlir", required=True)
    qm.add_argument("--func", required=True)
    qm.add_argument("--qlhs", default="arg:0")
    qm.add_argument("--qrhs", default="arg:1")
    qm.add_argument("--lhs", required=True)
    qm.add_argument("--rhs", required=True)
    qm.add_argument("--bias")
    qm.add_argument("--output", required=True)
    qm.add_argument("--label")
    cm = sub.add_parser("constant-matmul")
    cm.add_argument("out")
    cm.add_argument("--weights", required=True)
    cm.add_argument("--bias")

    cw = sub.add_parser("constant-wo-matmul")
    cw.add_argument("out")
    cw.add_argument("--q", required=True)
    cw.add_argument("--group", type=int, default=0)
    wi = sub.add_parser("wo-int8-matmul")
    for name in ("--mlir", "--x", "--q", "--output"):
        wi.add_argument(name, required=True)
    wi.add_argument("--label")

    cc = sub.add_parser("constant-conv")
    cc.add_argument("out")
    cc.add_argument("--filter", required=True)
    cc.add_argument("--input-shape", required=True)
    cc.add_argument("--strides", default="1,1")
    cc.add_argument("--dilations", default="1,1")
    cc.add_argument("--nhwc", action="store_true")
    cc.add_argument("--depthwise", action="store_true")
    cv = sub.add_parser("conv2d")
    for name in ("--x", "--filter", "--output"):
        cv.add_argument(name, required=True)
    cv.add_argument("--strides", default="1,1")
    cv.add_argument("--dilations", default="1,1")
    cv.add_argument("--nhwc", action="store_true")
    cv.add_argument("--depthwise", action="store_true")
    cv.add_argument("--label")

    cq = sub.add_parser("constant-qmatmul")
    cq.add_argument("out")
    cq.add_argument("--weights", required=True)
    cq.add_argument("--lhs-type", required=True)
    cq.add_argument("--weight-type", required=True)
    cq.add_argument("--dynamic", action="store_true",
                    help="slim.dynamic_qmatmul of an f32 argument instead")
    cq.add_argument("--per-row", action="store_true")

    def layer_args(sp):
        for name in ("--x", "--w", "--output", "--w-scales"):
            sp.add_argument(name, required=True)
        sp.add_argument("--bias")
        for name in ("--sx", "--sy"):
            sp.add_argument(name, type=float, required=True)
        for name in ("--zx", "--zy"):
            sp.add_argument(name, type=int, required=True)
        sp.add_argument("--label")

    fm = sub.add_parser("fused-matmul")
    layer_args(fm)
    fm.add_argument("--x-unsigned", action="store_true")
    fm.add_argument("--float-output", action="store_true")
    fm.add_argument("--y-unsigned", action="store_true")
    fm.add_argument("--lo", type=float)
    fm.add_argument("--hi", type=float)
    dm = sub.add_parser("dynamic-matmul")
    for name in ("--x", "--w", "--output", "--w-scales"):
        dm.add_argument(name, required=True)
    dm.add_argument("--w-zps")
    dm.add_argument("--per-row", action="store_true")
    dm.add_argument("--label")
    qc = sub.add_parser("qconv2d")
    for name in ("--mlir", "--func", "--x", "--w", "--output", "--strides", "--dilations", "--padding"):
        qc.add_argument(name, required=True)
    qc.add_argument("--bias")
    qc.add_argument("--label")
    qc.add_argument("--nhwc", action="store_true")
    qc.add_argument("--depthwise", action="store_true")
    qc.add_argument("--groups", type=int, default=1)
    cqc = sub.add_parser("constant-qconv2d")
    cqc.add_argument("out")
    for name in ("--w", "--input-shape", "--x-type", "--w-type"):
        cqc.add_argument(name, required=True)
    cqc.add_argument("--bias")
    cqc.add_argument("--strides", default="1,1")
    cqc.add_argument("--dilations", default="1,1")
    cqc.add_argument("--padding", default="0,0,0,0")
    cqc.add_argument("--nhwc", action="store_true")
    cqc.add_argument("--depthwise", action="store_true")
    cqc.add_argument("--groups", type=int, default=1)
    cqc.add_argument("--out-type")
    cqc.add_argument("--clamp")
    fc = sub.add_parser("fused-conv")
    layer_args(fc)
    for name in ("--strides", "--padding"):
        fc.add_argument(name, required=True)
    fc.add_argument("--relu", action="store_true")
    fc.add_argument("--hi", type=float, help="the clamp's upper bound (ReLU6: 6)")
    fc.add_argument("--dilations", default="1,1")
    fc.add_argument("--nhwc", action="store_true")
    fc.add_argument("--depthwise", action="store_true")
    fc.add_argument("--groups", type=int, default=1)
    fc.add_argument("--affine", help="SCALE,OFFSET (float32) applied before the "
                    "clamp: hard-sigmoid is 0.16666667,0.5 with --relu --hi 1")
    ac = sub.add_parser("accuracy")
    ac.add_argument("--logits", required=True)
    ac.add_argument("--labels", required=True)
    ac.add_argument("--baseline")
    ac.add_argument("--max-drop", type=float, default=0.0)
    ac.add_argument("--min", type=float)
    ac.add_argument("--label")
    mm = sub.add_parser("matmul")
    mm.add_argument("--lhs", required=True)
    mm.add_argument("--rhs", required=True)
    mm.add_argument("--bias")
    mm.add_argument("--output", required=True)
    mm.add_argument("--relu", action="store_true")
    mm.add_argument("--rtol", type=float, default=1e-6)
    mm.add_argument("--fma", action="store_true")
    mm.add_argument("--label")
    ro = sub.add_parser("rowops")
    ro.add_argument("--op", required=True)
    ro.add_argument("--input", required=True)
    ro.add_argument("--output", required=True)
    ro.add_argument("--gamma")
    ro.add_argument("--beta")
    ro.add_argument("--ulps", type=float, default=4)
    ro.add_argument("--atol", type=float, default=1e-6)
    ro.add_argument("--label")
    pw = sub.add_parser("powi")
    pw.add_argument("--input", required=True)
    pw.add_argument("--output", required=True)
    pw.add_argument("--power", type=int, required=True)
    pw.add_argument("--ulps", type=float, default=1)
    pw.add_argument("--label")
    c = sub.add_parser("close")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--atol", type=float, required=True)
    c.add_argument("--label")
    sm = sub.add_parser("sign-module")
    sm.add_argument("out")
    sm.add_argument("--w", required=True)
    sm.add_argument("--scales", required=True)
    sm.add_argument("--bias")
    sm.add_argument("--accumulate", action="store_true")
    sm.add_argument("--rank3", action="store_true")
    sc = sub.add_parser("sign-check")
    sc.add_argument("--x", required=True)
    sc.add_argument("--w", required=True)
    sc.add_argument("--scales", required=True)
    sc.add_argument("--bias")
    sc.add_argument("--init")
    sc.add_argument("--output", required=True)
    sc.add_argument("--label")
    at = sub.add_parser("attention")
    for name in ("--q", "--k", "--v", "--output"):
        at.add_argument(name, required=True)
    at.add_argument("--mask")
    at.add_argument("--scale", type=float)
    at.add_argument("--divides", action="store_true")
    at.add_argument("--atol", type=float, default=2e-6)
    at.add_argument("--rtol", type=float, default=2e-5)
    at.add_argument("--label")
    s = sub.add_parser("same")
    s.add_argument("a")
    s.add_argument("b")
    s.add_argument("--label")
    gm = sub.add_parser("gram")
    gm.add_argument("--x", required=True)
    gm.add_argument("--h", required=True)
    gm.add_argument("--mask")
    gm.add_argument("--patches", help="c,kh,kw,sh,sw,dh,dw: the Gram matrix "
                    "of a convolution input's windows (patch_rows)")
    gm.add_argument("--label")
    gb = sub.add_parser("global-budget")
    gb.add_argument("--report", required=True)
    gb.add_argument("--uniform", required=True)
    gb.add_argument("--target", type=float, required=True)
    sm = sub.add_parser("same-means")
    for name in ("--a", "--b"):
        sm.add_argument(name, required=True)
    sm.add_argument("--atol", type=float, required=True)
    sm.add_argument("--label")
    chm = sub.add_parser("channel-model")
    chm.add_argument("out")
    chm.add_argument("--kind", choices=("mlp", "attention"), required=True)
    chm.add_argument("--seed", type=int, default=1)
    chr_ = sub.add_parser("channel-ref")
    chr_.add_argument("--kind", choices=("mlp", "attention"), required=True)
    chr_.add_argument("--seed", type=int, default=1)
    chr_.add_argument("--x", required=True)
    chr_.add_argument("--sparsity", type=float, required=True)
    chr_.add_argument("--output", required=True)
    cb = sub.add_parser("constant-batch-matmul")
    cb.add_argument("out")
    cb.add_argument("--weights", required=True)
    lb = sub.add_parser("lowrank-batch")
    for name in ("--w", "--x", "--output"):
        lb.add_argument(name, required=True)
    lb.add_argument("--rank", type=int, required=True)
    lb.add_argument("--rtol", type=float, default=1e-4)
    lb.add_argument("--label")
    lr = sub.add_parser("lowrank")
    for name in ("--w", "--x", "--output"):
        lr.add_argument(name, required=True)
    lr.add_argument("--gram")
    lr.add_argument("--method", default="svd", choices=["svd", "asvd", "svdllm", "onebit"])
    lr.add_argument("--rank", type=int, default=0)
    lr.add_argument("--steps", type=int, default=8, help="onebit: refinement rounds")
    lr.add_argument("--energy", type=float)
    lr.add_argument("--damp", type=float, default=0.01)
    lr.add_argument("--alpha", type=float, default=0.5)
    lr.add_argument("--rtol", type=float, default=1e-4)
    lr.add_argument("--label")
    ml = sub.add_parser("mlp")
    ml.add_argument("out")
    ml.add_argument("--weights", nargs="+", required=True)
    mr = sub.add_parser("mlp-lowrank")
    for name in ("--report", "--hessians", "--x", "--output"):
        mr.add_argument(name, required=True)
    mr.add_argument("--weights", nargs="+", required=True)
    mr.add_argument("--method", default="svdllm", choices=["svd", "asvd", "svdllm"])
    mr.add_argument("--params", type=float)
    mr.add_argument("--damp", type=float, default=0.01)
    mr.add_argument("--alpha", type=float, default=0.5)
    mr.add_argument("--rtol", type=float, default=1e-4)
    mr.add_argument("--label")
    cl = sub.add_parser("conv-lowrank")
    for name in ("--x", "--filter", "--output"):
        cl.add_argument(name, required=True)
    cl.add_argument("--form", default="tucker2", choices=["tucker2", "spatial", "depthwise"])
    cl.add_argument("--rank", type=int, default=0)
    cl.add_argument("--strides", default="1,1")
    cl.add_argument("--dilations", default="1,1")
    cl.add_argument("--nhwc", action="store_true")
    cl.add_argument("--rtol", type=float, default=1e-4)
    cl.add_argument("--label")
    re_ = sub.add_parser("relative-error")
    re_.add_argument("a")
    re_.add_argument("b")
    re_.add_argument("--max", type=float, required=True)
    re_.add_argument("--label")
    bo = sub.add_parser("budget-objectives")
    bo.add_argument("--max-report", required=True)
    bo.add_argument("--sum-report", required=True)
    lb = sub.add_parser("lowrank-budget")
    for name in ("--w", "--gram", "--report"):
        lb.add_argument(name, required=True)
    lb.add_argument("--method", default="svdllm", choices=["svd", "asvd", "svdllm"])
    lb.add_argument("--max", type=float, required=True)
    lb.add_argument("--damp", type=float, default=0.01)
    lb.add_argument("--alpha", type=float, default=0.5)
    le = sub.add_parser("lower-error")
    for name in ("--ref", "--a", "--b"):
        le.add_argument(name, required=True)
    le.add_argument("--label")

    a = p.parse_args()
    handlers = {"gen": cmd_gen, "quantize": cmd_quantize, "dequantize": cmd_dequantize,
                "fake-quant": cmd_fake_quant, "requantize": cmd_requantize, "qadd": cmd_qadd, "qconcat": cmd_qconcat, "same": cmd_same, "attention": cmd_attention, "sign-module": cmd_sign_module, "constant-batch-matmul": cmd_constant_batch_matmul, "lowrank-batch": cmd_lowrank_batch, "sign-check": cmd_sign_check,
                "stats": cmd_stats, "split": split, "close": cmd_close, "matmul": cmd_matmul,
                "weight-quant": cmd_weight_quant, "qmatmul": cmd_qmatmul,
                "constant-qmatmul": cmd_constant_qmatmul,
                "constant-matmul": cmd_constant_matmul, "unpack": cmd_unpack,
                "constant-wo-matmul": cmd_constant_wo_matmul,
                "wo-int8-matmul": cmd_wo_int8_matmul,
                "constant-conv": cmd_constant_conv, "conv2d": cmd_conv2d,
                "fused-matmul": cmd_fused_matmul, "dynamic-matmul": cmd_dynamic_matmul,
                "qconv2d": cmd_qconv2d, "constant-qconv2d": cmd_constant_qconv2d,
                "prune": cmd_prune, "pruned-error": cmd_pruned_error,
                "fused-conv": cmd_fused_conv, "powi": cmd_powi,
                "accuracy": cmd_accuracy, "gram": cmd_gram,
                "global-budget": cmd_global_budget,
                "lower-error": cmd_lower_error, "lowrank": cmd_lowrank,
                "lowrank-budget": cmd_lowrank_budget, "mlp": cmd_mlp,
                "mlp-lowrank": cmd_mlp_lowrank,
                "budget-objectives": cmd_budget_objectives,
                "relative-error": cmd_relative_error,
                "conv-lowrank": cmd_conv_lowrank,
                "channel-model": cmd_channel_model, "channel-ref": cmd_channel_ref,
                "same-means": cmd_same_means, "rowops": cmd_rowops}
    sys.exit(handlers[a.cmd](a) or 0)


if __name__ == "__main__":
    main()
