//===- WGemm.cpp - Weight-only low-bit matmul: packing and driver ---------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// wgemm: blocks of K rows of a few panels are dequantized (WGemmImpl.h, per
// ISA) into the scratch of ScratchGemm.h, which the f32 kernel multiplies;
// a few rows dequantize in registers instead. The weight stays packed in
// memory: 4 bits (or 8) per weight are read once per call.
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"
#include "Parallel.h"
#include "SGemmImpl.h"
#include "ScratchGemm.h"
#include "WGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace slim::runtime;
using namespace slim::runtime::detail;

PackedLowBitShape slim::runtime::packedLowBitShape(int64_t k, int64_t n,
                                                   int64_t bits,
                                                   int64_t groupSize,
                                                   bool quads) {
  PackedLowBitShape s;
  s.quads = quads && bits == 4;
  s.k = k;
  s.n = n;
  s.np = (n + kPanelColumns - 1) / kPanelColumns * kPanelColumns;
  s.bits = bits;
  s.groupSize = groupSize > 0 ? groupSize : 1;
  return s;
}

int32_t slim::runtime::lowBitOffset(int32_t z, int64_t bits, bool isSigned) {
  if (bits == 4)
    return isSigned ? z + 8 : z;
  return isSigned ? z : z - 128;
}

bool slim::runtime::int8ActivationsApply(int64_t bits, int64_t groupSize,
                                         int64_t k) {
  return bits == 4 && groupSize > 0 && (groupSize % 8 == 0 || groupSize >= k);
}

void slim::runtime::packLowBitRhs(const int32_t *q, int64_t k, int64_t n,
                                  int64_t bits, bool isSigned, uint8_t *out,
                                  bool quads) {
  PackedLowBitShape s = packedLowBitShape(k, n, bits, 1, quads);
  if (s.bytes() == 0)
    return; // K = 0: nothing to pack (and `out` may be null)
  std::memset(out, 0, static_cast<size_t>(s.bytes()));
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c) {
      // The stored value: q shifted by lowBitOffset(0, ...).
      int32_t v = q[r * n + c] + lowBitOffset(0, bits, isSigned);
      uint8_t *panel = out + (c / 16) * s.rowsPerPanel() * 16;
      if (s.quads)
        panel[(r / 8) * 64 + (c % 16) * 4 + r % 4] |=
            static_cast<uint8_t>((v & 15) << ((r / 4) % 2 * 4));
      else if (bits == 4)
        panel[(r / 2) * 16 + c % 16] |=
            static_cast<uint8_t>((v & 15) << ((r & 1) * 4));
      else
        panel[r * 16 + c % 16] = static_cast<uint8_t>(v);
    }
}

bool slim::runtime::sparseLowBitApplies(int64_t groupSize, int64_t k) {
  return groupSize > 0 && (groupSize % 4 == 0 || groupSize >= k);
}

int64_t slim::runtime::sparseLowBitBytes(int64_t k, int64_t n) {
  int64_t np = (n + kPanelColumns - 1) / kPanelColumns * kPanelColumns;
  return (np / 16) * ((k + 3) / 4) * kSparseLowBitQuartetBytes;
}

bool slim::runtime::packSparseLowBitRhs(const int32_t *q, const int32_t *z,
                                        int64_t k, int64_t n,
                                        int64_t groupSize, bool isSigned,
                                        uint8_t *out) {
  if (!sparseLowBitApplies(groupSize, k))
    return false;
  if (sparseLowBitBytes(k, n) == 0)
    return true; // K = 0: nothing to pack (and `out` may be null)
  int64_t quartets = (k + 3) / 4, np = (n + 15) / 16 * 16;
  std::vector<uint8_t> packed(static_cast<size_t>(sparseLowBitBytes(k, n)), 0);
  int32_t shift = lowBitOffset(0, 4, isSigned);
  for (int64_t c = 0; c < np; ++c)
    for (int64_t t = 0; t < quartets; ++t) {
      uint8_t *at = packed.data() +
                    ((c / 16) * quartets + t) * kSparseLowBitQuartetBytes;
      int kept[2] = {-1, -1}, count = 0;
      int64_t live = std::min<int64_t>(4, k - 4 * t);
      int32_t zero = 0;
      if (c < n) {
        zero = z[((4 * t) / groupSize) * n + c];
        for (int i = 0; i < live; ++i) {
          if (q[(4 * t + i) * n + c] == zero)
            continue;
          if (count == 2)
            return false;
          kept[count++] = i;
        }
      }
      // Fewer than two: zero-point values at the first free indices (those
      // inside K first, so that a short quartet never names a k past K
      // unless it must).
      for (int i = 0; count < 2 && i < 4; ++i)
        if (i != kept[0]) {
          kept[count++] = i;
          if (count == 2 && kept[0] > kept[1])
            std::swap(kept[0], kept[1]);
        }
      auto stored = [&](int i) {
        int32_t v = c < n && 4 * t + i < k ? q[(4 * t + i) * n + c] : zero;
        return static_cast<uint8_t>((v + shift) & 15);
      };
      int j = static_cast<int>(c % 16);
      at[j] = static_cast<uint8_t>(stored(kept[0]) | stored(kept[1]) << 4);
      at[16 + j / 2] |=
          static_cast<uint8_t>((kept[0] | kept[1] << 2) << (4 * (j % 2)));
    }
  std::memcpy(out, packed.data(), packed.size());
  return true;
}

SLIM_W_STEPS(Sse2)

/// Up to this many rows the weight is dequantized in registers (no
/// scratch): each dequantized row of 16 weights feeds this many fmas.
constexpr int64_t kWGemvRows = 4;

// The int8-activation path's reference kernel: plain loops over the quad
// layout, the arithmetic of Kernels.h.
void slim::runtime::detail::wGemvQ8Generic(const WQ8Task &t, int64_t bt,
                                           int64_t p, int64_t count) {
  const WGemmArgs &args = *t.args;
  for (int64_t r = 0; r < args.m; ++r) {
    int64_t row = bt * args.m + r;
    const int8_t *qa = t.q + row * t.kq;
    float *c = t.cRow(bt, r);
    for (int64_t pp = p; pp < p + count; ++pp) {
      float acc[16];
      int64_t cols = std::min<int64_t>(16, args.n - pp * 16);
      for (int64_t j = 0; j < 16; ++j)
        acc[j] = args.accumulate && j < cols ? c[pp * 16 + j] : 0.0f;
      for (int64_t g = 0; g < t.groups; ++g) {
        for (int j = 0; j < 16; ++j) {
          int32_t d = 0;
          for (int64_t blk = g * t.groupBlocks; blk < t.groupEnd(g); ++blk)
            for (int i = 0; i < 8; ++i)
              d += wQuadValue(t.block(pp, blk), j, i) * qa[blk * 8 + i];
          int64_t at = g * t.np + pp * 16 + j;
          d -= args.offsets[at] * t.sum[t.rowGroup(row, g)];
          acc[j] = std::fma(static_cast<float>(d),
                            args.scales[at] * t.scale[t.rowGroup(row, g)],
                            acc[j]);
        }
      }
      wStoreColumns(c + pp * 16, acc, cols,
                    args.bias ? args.bias + pp * 16 : nullptr);
    }
  }
}

/// Quantizes row `a` (K floats) per group of `group` k into q (kq bytes,
/// zeros past K), its scales and sums (Kernels.h's formulas).
static void quantizeRow(const float *a, int64_t k, int64_t group, int8_t *q,
                        float *scale, int32_t *sum) {
  // 1.5 x 2^23: adding and subtracting it rounds |x| < 2^22 to the nearest
  // integer, ties to even, in the default rounding mode (vectorizable).
  const float magic = 12582912.0f;
  for (int64_t g0 = 0, g = 0; g0 < k; g0 += group, ++g) {
    int64_t g1 = std::min(k, g0 + group);
    float amax = 0.0f;
    bool finite = true;
    for (int64_t i = g0; i < g1; ++i) {
      float v = std::fabs(a[i]);
      finite &= v <= std::numeric_limits<float>::max();
      amax = v > amax ? v : amax;
    }
    int32_t total = 0;
    if (!finite || amax == 0.0f) {
      std::memset(q + g0, 0, static_cast<size_t>(g1 - g0));
      scale[g] = finite ? 0.0f : std::numeric_limits<float>::quiet_NaN();
    } else {
      float inv = 127.0f / amax;
      for (int64_t i = g0; i < g1; ++i) {
        float x = a[i] * inv;
        // 0 x inf (a zero next to a subnormal maximum) counts as 0.
        x = x != x ? 0.0f : std::fmin(127.0f, std::fmax(-127.0f, x));
        auto v = static_cast<int32_t>((x + magic) - magic);
        q[i] = static_cast<int8_t>(v);
        total += v;
      }
      scale[g] = amax / 127.0f;
    }
    sum[g] = total;
  }
}

/// wgemm with int8Activations.
static void wgemmInt8Activations(Isa isa, const WGemmArgs &args) {
  PackedLowBitShape s =
      packedLowBitShape(args.k, args.n, 4, args.groupSize, /*quads=*/true);
  WQ8Task t;
  t.args = &args;
  t.kq = (args.k + 7) / 8 * 8;
  bool one = args.groupSize >= args.k;
  t.groups = args.k == 0 ? 0 : one ? 1 : s.groups();
  t.groupBlocks = one ? t.kq / 8 : args.groupSize / 8;
  t.panelBytes = s.rowsPerPanel() * 16;
  t.np = s.np;
  int64_t rows = args.batch * args.m;
  std::vector<int8_t> q(static_cast<size_t>(rows * t.kq), 0);
  std::vector<float> scale(static_cast<size_t>(rows * t.groups));
  std::vector<int32_t> sum(static_cast<size_t>(rows * t.groups));
  for (int64_t bt = 0; bt < args.batch; ++bt)
    for (int64_t r = 0; r < args.m; ++r) {
      int64_t row = bt * args.m + r;
      quantizeRow(args.a + bt * args.aBatchStride + r * args.aRowStride,
                  args.k, one ? std::max<int64_t>(args.k, 1) : args.groupSize,
                  q.data() + row * t.kq, scale.data() + row * t.groups,
                  sum.data() + row * t.groups);
    }
  t.q = q.data();
  t.scale = scale.data();
  t.sum = sum.data();
  WGemvQ8 kernel =
      byVectorWidth<WGemvQ8>(isa, wGemvQ8Generic, wGemvQ8Avx2, wGemvQ8Avx512);
  forEachPanelRange(args.batch, s.np / 16,
                    args.batch * args.m * args.n * args.k, /*granule=*/4,
                    [&](int64_t bt, int64_t p0, int64_t p1) {
                      for (int64_t p = p0; p < p1; p += 4)
                        kernel(t, bt, p, std::min<int64_t>(4, p1 - p));
                    });
}

void slim::runtime::wgemm(Isa isa, const WGemmArgs &args) {
  if (args.m <= 0 || args.n <= 0 || args.batch <= 0)
    return;
  if (args.int8Activations && !args.sparse24)
    return wgemmInt8Activations(isa, args);
  WDequantize dequantize = byVectorWidth<WDequantize>(
      isa, wDequantizeSse2, wDequantizeAvx2, wDequantizeAvx512);
  PackedLowBitShape s =
      packedLowBitShape(args.k, args.n, args.bits, args.groupSize);
  if (args.m <= kWGemvRows && args.k > 0) {
    // A few rows: dequantize in registers, 4 panels side by side (four
    // independent chains hide the fma latency).
    WGemv gemv = byVectorWidth<WGemv>(isa, wGemvSse2, wGemvAvx2, wGemvAvx512);
    forEachPanelRange(args.batch, s.np / 16,
                      args.batch * args.m * args.n * args.k, /*granule=*/4,
                      [&](int64_t bt, int64_t p0, int64_t p1) {
                        for (int64_t p = p0; p < p1; p += 4)
                          gemv(args, bt, 0, args.m, p,
                               std::min<int64_t>(4, p1 - p));
                      });
    return;
  }
  scratchGemm(isa, args,
              [&](int64_t p, int64_t count, int64_t k0, int64_t k1,
                  float *out) { dequantize(args, p, count, k0, k1, out); });
}
