//===- SGemm.cpp - f32 GEMM driver, packing and the generic kernel --------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"
#include "Parallel.h"
#include "SGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <cmath>
#include <cstring>

using namespace slim::runtime;
using namespace slim::runtime::detail;

PackedF32Shape slim::runtime::packedF32Shape(int64_t k, int64_t n) {
  PackedF32Shape s;
  s.k = k;
  s.n = n;
  s.np = (n + kPanelColumns - 1) / kPanelColumns * kPanelColumns;
  return s;
}

void slim::runtime::packF32Rhs(const float *b, int64_t rowStride,
                               int64_t colStride, int64_t k, int64_t n,
                               float *out) {
  PackedF32Shape s = packedF32Shape(k, n);
  if (s.elements() == 0)
    return; // K = 0: nothing to pack (and `out` may be null)
  std::memset(out, 0, sizeof(float) * static_cast<size_t>(s.elements()));
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c)
      out[((c / 16) * k + r) * 16 + c % 16] = b[r * rowStride + c * colStride];
}

namespace {
/// Whether row kk of panel p of a packed B holds anything but zeros.
bool rowKept(const float *packed, int64_t k, int64_t p, int64_t kk) {
  const float *row = packed + (p * k + kk) * 16;
  for (int j = 0; j < 16; ++j)
    if (row[j] != 0.0f)
      return true;
  return false;
}

/// The lanes of a kept row that are stored: every value but +0 (a -0 is
/// kept, so that the chains see the same weights as the dense ones).
uint16_t laneMask(const float *row) {
  uint16_t mask = 0;
  for (int j = 0; j < 16; ++j) {
    uint32_t bits;
    std::memcpy(&bits, row + j, 4);
    mask |= uint16_t(bits != 0) << j;
  }
  return mask;
}

/// Bytes of panel p in the row-compressed form, the padding included.
int64_t panelBytes(const float *packed, int64_t k, int64_t p) {
  int64_t bytes = 4 + kSparseF32Padding, count = 0;
  for (int64_t kk = 0; kk < k; ++kk)
    if (rowKept(packed, k, p, kk)) {
      ++count;
      bytes += 4 + 4 * __builtin_popcount(
                           laneMask(packed + (p * k + kk) * 16));
    }
  return bytes + sparseF32MaskBytes(count);
}
} // namespace

int64_t slim::runtime::sparseF32Bytes(const float *packed, int64_t k,
                                      int64_t n) {
  int64_t panels = packedF32Shape(k, n).np / 16;
  int64_t bytes = 8 * (panels + 1);
  for (int64_t p = 0; p < panels; ++p)
    bytes += panelBytes(packed, k, p);
  return bytes;
}

double slim::runtime::sparseF32RemovedRows(const float *packed, int64_t k,
                                           int64_t n) {
  int64_t panels = packedF32Shape(k, n).np / 16, removed = 0;
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t kk = 0; kk < k; ++kk)
      removed += !rowKept(packed, k, p, kk);
  return panels * k ? double(removed) / double(panels * k) : 0.0;
}

void slim::runtime::packSparseF32Rhs(const float *packed, int64_t k,
                                     int64_t n, int8_t *out) {
  int64_t panels = packedF32Shape(k, n).np / 16;
  int64_t at = 8 * (panels + 1);
  for (int64_t p = 0; p <= panels; ++p) {
    std::memcpy(out + 8 * p, &at, 8);
    if (p == panels)
      break;
    int32_t count = 0;
    for (int64_t kk = 0; kk < k; ++kk)
      count += rowKept(packed, k, p, kk);
    std::memcpy(out + at, &count, 4);
    int8_t *ks = out + at + 4, *masks = ks + 4 * int64_t(count),
           *values = masks + sparseF32MaskBytes(count);
    std::memset(masks, 0, sparseF32MaskBytes(count));
    for (int64_t kk = 0, i = 0; kk < k; ++kk) {
      if (!rowKept(packed, k, p, kk))
        continue;
      const float *row = packed + (p * k + kk) * 16;
      auto k32 = static_cast<int32_t>(kk);
      uint16_t mask = laneMask(row);
      std::memcpy(ks + 4 * i, &k32, 4);
      std::memcpy(masks + 2 * i, &mask, 2);
      for (int j = 0; j < 16; ++j)
        if (mask >> j & 1) {
          std::memcpy(values, row + j, 4);
          values += 4;
        }
      ++i;
    }
    // Zeros after the values: vector expansions may read a row's worth
    // past the last one.
    std::memset(values, 0, kSparseF32Padding);
    at += panelBytes(packed, k, p);
  }
}

// The references: one std::fma chain per element over the rows of B that
// `rowsOf(p)` walks for panel p (SGemmImpl.h), in order of k. The rows of
// the row-compressed form need not be aligned: read by memcpy.
template <typename RowsOf>
static void fmaChains(const SGemmTask &t, int64_t p0, int64_t p1,
                      RowsOf &&rowsOf) {
  for (int64_t p = p0; p < p1; ++p)
    for (int64_t r = 0; r < t.m; ++r) {
      const float *row = t.a + r * t.lda;
      float *out = t.c + r * t.ldc + p * 16;
      for (int64_t j = 0, live = liveColumns(t, p); j < live; ++j) {
        float acc = t.accumulate ? out[j] : 0.0f;
        rowsOf(p)([&](int64_t kk, const float *const *rows) {
          float w;
          std::memcpy(&w, rows[0] + j, 4);
          acc = std::fma(row[kk], w, acc);
        });
        out[j] = t.bias ? acc + t.bias[p * 16 + j] : acc;
      }
    }
}

void slim::runtime::detail::sgemmSparseGeneric(const SGemmTask &t, int64_t p0,
                                               int64_t p1) {
  fmaChains(t, p0, p1,
            [&](int64_t p) { return keptRows(t, p, expandF32Row); });
}

void slim::runtime::detail::sgemmGeneric(const SGemmTask &t, int64_t p0,
                                         int64_t p1) {
  fmaChains(t, p0, p1, [&](int64_t p) { return denseRows<1>(t, p, 0, t.k); });
}

SGemmKernel slim::runtime::detail::sgemmKernelFor(Isa isa) {
  return byVectorWidth<SGemmKernel>(isa, sgemmGeneric, sgemmAvx2, sgemmAvx512);
}

void slim::runtime::sgemm(Isa isa, const SGemmArgs &args) {
  if (args.m <= 0 || args.n <= 0 || args.batch <= 0)
    return;
  if (args.k == 0) {
    // An empty sum: C = +0 (or unchanged), then the bias.
    for (int64_t bt = 0; bt < args.batch; ++bt)
      for (int64_t r = 0; r < args.m; ++r) {
        float *row = args.c + bt * args.cBatchStride + r * args.cRowStride;
        for (int64_t c = 0; c < args.n; ++c) {
          float v = args.accumulate ? row[c] : 0.0f;
          row[c] = args.bias ? v + args.bias[c] : v;
        }
      }
    return;
  }
  SGemmKernel kernel =
      args.sparseB ? byVectorWidth<SGemmKernel>(isa, sgemmSparseGeneric,
                                                sgemmSparseAvx2,
                                                sgemmSparseAvx512)
                   : sgemmKernelFor(isa);
  PackedF32Shape s = packedF32Shape(args.k, args.n);
  forEachPanelRange(args.batch, s.np / 16,
                    args.batch * args.m * args.n * args.k, /*granule=*/1,
                    [&](int64_t bt, int64_t p0, int64_t p1) {
                      SGemmTask t;
                      t.a = args.a + bt * args.aBatchStride;
                      t.lda = args.aRowStride;
                      t.b = args.packedB;
                      t.c = args.c + bt * args.cBatchStride;
                      t.ldc = args.cRowStride;
                      t.m = args.m;
                      t.n = args.n;
                      t.k = args.k;
                      t.accumulate = args.accumulate;
                      t.bias = args.bias;
                      t.sparse = args.sparseB;
                      kernel(t, p0, p1);
                    });
}
