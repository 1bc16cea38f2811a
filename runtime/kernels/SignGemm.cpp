//===- SignGemm.cpp - One-bit weights: packing, driver, baseline kernel ---===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// signGemm: W = S diag(scales) made from the signs where it is used, never
// stored as f32. On AVX-512 (and for a few rows on every ISA) each panel's
// weights are made in registers from its sign word and feed one fma per
// row; otherwise blocks of panels are made in the scratch of ScratchGemm.h
// and multiplied by the f32 kernel. Either way each element is one chain
// of fused multiply-adds over k in order: the same bits everywhere.
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"
#include "Parallel.h"
#include "ScratchGemm.h"
#include "SignGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace slim::runtime;
using namespace slim::runtime::detail;

/// Up to this many rows the register kernel runs on AVX2 and the baseline
/// (each made row of 16 weights feeds this many fmas; more rows amortize
/// the scratch).
constexpr int64_t kSignGemvRows = 4;

int64_t slim::runtime::packedSignBytes(int64_t k, int64_t n) {
  return (n + kPanelColumns - 1) / kPanelColumns * k * 2;
}

void slim::runtime::packSignRhs(const float *w, int64_t k, int64_t n,
                                uint8_t *out) {
  int64_t bytes = packedSignBytes(k, n);
  if (bytes == 0)
    return; // K = 0: nothing to pack (and `out` may be null)
  std::memset(out, 0, static_cast<size_t>(bytes));
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c)
      if (w[r * n + c] >= 0.0f)
        out[((c / 16) * k + r) * 2 + (c % 16) / 8] |=
            static_cast<uint8_t>(1u << (c % 8));
}

void slim::runtime::detail::signExpandGeneric(const SignGemmArgs &args,
                                              int64_t p, int64_t count,
                                              int64_t k0, int64_t k1,
                                              float *out) {
  signExpandLoops(args, p, count, k0, k1, out);
}

/// The baseline register kernel: a panel's 16 chains per row in an array.
void slim::runtime::detail::signKernelGeneric(const SignGemmArgs &args,
                                              int64_t bt, int64_t r0,
                                              int64_t r1, int64_t p0,
                                              int64_t p1) {
  for (int64_t r = r0; r < r1; ++r) {
    const float *a = args.a + bt * args.aBatchStride + r * args.aRowStride;
    float *c = args.c + bt * args.cBatchStride + r * args.cRowStride;
    for (int64_t p = p0; p < p1; ++p) {
      int64_t cols = liveColumns(args, p * 16);
      float acc[16] = {}, pos[16] = {};
      for (int64_t j = 0; j < cols; ++j) {
        pos[j] = args.scales[p * 16 + j];
        if (args.accumulate)
          acc[j] = c[p * 16 + j];
      }
      for (int64_t k = 0; k < args.k; ++k) {
        uint16_t word = signWord(args, p, k);
        for (int j = 0; j < 16; ++j)
          acc[j] = std::fma(a[k], (word >> j & 1) ? pos[j] : -pos[j], acc[j]);
      }
      for (int64_t j = 0; j < cols; ++j)
        c[p * 16 + j] = args.bias ? acc[j] + args.bias[p * 16 + j] : acc[j];
    }
  }
}

void slim::runtime::signGemm(Isa isa, const SignGemmArgs &args) {
  if (args.m <= 0 || args.n <= 0 || args.batch <= 0)
    return;
  bool registers =
      args.m <= kSignGemvRows || byVectorWidth<bool>(isa, false, false, true);
  if (registers) {
    SignKernel kernel = byVectorWidth<SignKernel>(
        isa, signKernelGeneric, signKernelAvx2, signKernelAvx512);
    forEachPanelRange(args.batch, (args.n + 15) / 16,
                      args.batch * args.m * args.n * args.k, /*granule=*/4,
                      [&](int64_t bt, int64_t p0, int64_t p1) {
                        kernel(args, bt, 0, args.m, p0, p1);
                      });
    return;
  }
  SignExpand expand = byVectorWidth<SignExpand>(
      isa, signExpandGeneric, signExpandAvx2, signExpandAvx512);
  scratchGemm(isa, args,
              [&](int64_t p, int64_t count, int64_t k0, int64_t k1,
                  float *out) { expand(args, p, count, k0, k1, out); });
}
