//===- WGemm.cpp - Weight-only low-bit matmul: packing and driver ---------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// wgemm: for each range of column panels a thread owns, blocks of K rows of
// a few panels are dequantized into an f32 scratch in cache (WGemmImpl.h,
// per ISA) and the f32 kernel multiplies every row of A by that block,
// continuing each element's chain of fused multiply-adds from C between
// blocks (as the f32 kernel's own depth blocks do). The weight stays packed
// in memory: 4 bits (or 8) per weight are read once per call.
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"
#include "Parallel.h"
#include "SGemmImpl.h"
#include "WGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace slim::runtime;
using namespace slim::runtime::detail;

PackedLowBitShape slim::runtime::packedLowBitShape(int64_t k, int64_t n,
                                                   int64_t bits,
                                                   int64_t groupSize) {
  PackedLowBitShape s;
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

void slim::runtime::packLowBitRhs(const int32_t *q, int64_t k, int64_t n,
                                  int64_t bits, bool isSigned, uint8_t *out) {
  PackedLowBitShape s = packedLowBitShape(k, n, bits, 1);
  if (s.bytes() == 0)
    return; // K = 0: nothing to pack (and `out` may be null)
  std::memset(out, 0, static_cast<size_t>(s.bytes()));
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c) {
      // The stored value: q shifted by lowBitOffset(0, ...).
      int32_t v = q[r * n + c] + lowBitOffset(0, bits, isSigned);
      uint8_t *panel = out + (c / 16) * s.rowsPerPanel() * 16;
      if (bits == 4)
        panel[(r / 2) * 16 + c % 16] |=
            static_cast<uint8_t>((v & 15) << ((r & 1) * 4));
      else
        panel[r * 16 + c % 16] = static_cast<uint8_t>(v);
    }
}

SLIM_W_STEPS(Sse2)

/// Panels dequantized together (the f32 kernel's register tile is up to 3
/// panels wide) and rows of K per block: 3 x 512 x 16 floats, 96 KiB.
constexpr int64_t kWPanels = 3;
/// Up to this many rows the weight is dequantized in registers (no
/// scratch): each dequantized row of 16 weights feeds this many fmas.
constexpr int64_t kWGemvRows = 4;
constexpr int64_t kWDepth = 512;

void slim::runtime::wgemm(Isa isa, const WGemmArgs &args) {
  if (args.m <= 0 || args.n <= 0 || args.batch <= 0)
    return;
  SGemmKernel kernel = sgemmKernelFor(isa);
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
  forEachPanelRange(
      args.batch, s.np / 16, args.batch * args.m * args.n * args.k,
      /*granule=*/1, [&](int64_t bt, int64_t p0, int64_t p1) {
        std::vector<float> scratch(
            static_cast<size_t>(kWPanels * kWDepth * 16));
        for (int64_t p = p0; p < p1; p += kWPanels) {
          int64_t count = std::min(kWPanels, p1 - p);
          // K = 0 still runs one (empty) block: C = +0 or C, then the bias.
          for (int64_t k0 = 0; k0 < args.k || k0 == 0; k0 += kWDepth) {
            int64_t k1 = std::min(args.k, k0 + kWDepth);
            dequantize(args, p, count, k0, k1, scratch.data());
            SGemmTask t;
            t.a = args.a + bt * args.aBatchStride + k0;
            t.lda = args.aRowStride;
            t.b = scratch.data();
            t.c = args.c + bt * args.cBatchStride + p * 16;
            t.ldc = args.cRowStride;
            t.m = args.m;
            t.n = std::min(args.n - p * 16, count * 16);
            t.k = k1 - k0;
            t.accumulate = args.accumulate || k0 > 0;
            t.bias = k1 == args.k && args.bias ? args.bias + p * 16 : nullptr;
            if (t.k == 0) {
              // The kernels assume K > 0: an empty sum is C = +0 or C.
              for (int64_t r = 0; r < t.m; ++r)
                for (int64_t c = 0; c < t.n; ++c) {
                  float &o = t.c[r * t.ldc + c];
                  float v = t.accumulate ? o : 0.0f;
                  o = t.bias ? v + t.bias[c] : v;
                }
            } else {
              kernel(t, 0, count);
            }
            if (k1 == args.k)
              break;
          }
        }
      });
}
