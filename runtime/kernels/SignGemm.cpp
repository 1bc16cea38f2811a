//===- SignGemm.cpp - One-bit weights: packing, driver, baseline kernel ---===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// signGemm: the row sums T once per call, then each thread's range of
// column panels against every row, with the ISA's kernel (SignGemmImpl.h).
// The weight is read at one bit per element; it is never expanded.
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"
#include "Parallel.h"
#include "SignGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace slim::runtime;
using namespace slim::runtime::detail;

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

/// The baseline kernel: a panel's 16 sums per row in an array.
void slim::runtime::detail::signKernelGeneric(const SignGemmArgs &args,
                                              int64_t bt, int64_t r0,
                                              int64_t r1, int64_t p0,
                                              int64_t p1,
                                              const float *rowSums) {
  for (int64_t r = r0; r < r1; ++r) {
    const float *a = args.a + bt * args.aBatchStride + r * args.aRowStride;
    float *c = args.c + bt * args.cBatchStride + r * args.cRowStride;
    for (int64_t p = p0; p < p1; ++p) {
      float sums[16] = {};
      for (int64_t k = 0; k < args.k; ++k) {
        uint16_t word = signWord(args, p, k);
        for (int j = 0; j < 16; ++j)
          if (word >> j & 1)
            sums[j] += a[k];
      }
      int64_t cols = std::min<int64_t>(16, args.n - p * 16);
      for (int64_t j = 0; j < cols; ++j)
        signStore(args, sums[j], rowSums[r], p * 16 + j, c + p * 16 + j);
    }
  }
}

void slim::runtime::signGemm(Isa isa, const SignGemmArgs &args) {
  if (args.m <= 0 || args.n <= 0 || args.batch <= 0)
    return;
  // T of every row, in k order (the baseline build: no reassociation).
  std::vector<float> rowSums(static_cast<size_t>(args.batch * args.m));
  for (int64_t bt = 0; bt < args.batch; ++bt)
    for (int64_t r = 0; r < args.m; ++r) {
      const float *a = args.a + bt * args.aBatchStride + r * args.aRowStride;
      float t = 0.0f;
      for (int64_t k = 0; k < args.k; ++k)
        t += a[k];
      rowSums[bt * args.m + r] = t;
    }
  SignKernel kernel = byVectorWidth<SignKernel>(
      isa, signKernelGeneric, signKernelAvx2, signKernelAvx512);
  int64_t panels = (args.n + 15) / 16;
  forEachPanelRange(args.batch, panels, args.batch * args.m * args.n * args.k,
                    /*granule=*/4, [&](int64_t bt, int64_t p0, int64_t p1) {
                      kernel(args, bt, 0, args.m, p0, p1,
                             rowSums.data() + bt * args.m);
                    });
}
