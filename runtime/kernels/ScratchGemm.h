//===- ScratchGemm.h - A weight made in cache, block by block -*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The drivers of weights stored in a compact form (wgemm's low-bit values,
// signGemm's one-bit signs): for each range of column panels a thread
// owns, blocks of rows of a few panels are written as f32 into a scratch in
// cache and the ISA's f32 kernel multiplies every row of A by that block,
// continuing each element's chain of fused multiply-adds from C between
// blocks (as the f32 kernel's own depth blocks do), then adds the bias.
// The weight is read at its stored size once per call and never exists in
// memory as f32. Baseline drivers only (WGemm.cpp, SignGemm.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_SCRATCHGEMM_H
#define SLIM_RUNTIME_KERNELS_SCRATCHGEMM_H

#include "Parallel.h"
#include "SGemmImpl.h"

#include <algorithm>
#include <vector>

namespace slim::runtime::detail {

/// Panels made together (two of the AVX-512 f32 kernel's 2-panel register
/// tiles; with 3, one tile in two ran a single panel: 16 x 4096 x 4096 5.9
/// ms against 4.8) and rows of K per block: 4 x 512 x 16 floats, 128 KiB.
constexpr int64_t kScratchPanels = 4;
constexpr int64_t kScratchDepth = 512;

/// C (=|+=) A x W (+ bias) for `args` (any of the drivers' argument structs:
/// batch, m, n, k, a and its strides, c and its strides, accumulate,
/// bias), W's rows [k0, k1) of panels [p, p + count) written by
/// make(p, count, k0, k1, out): panel after panel, each its k1 - k0 rows
/// of 16 floats (packF32Rhs's layout).
template <typename Args, typename Make>
static void scratchGemm(Isa isa, const Args &args, Make &&make) {
  SGemmKernel kernel = sgemmKernelFor(isa);
  int64_t panels = (args.n + 15) / 16;
  forEachPanelRange(
      args.batch, panels, args.batch * args.m * args.n * args.k,
      /*granule=*/1, [&](int64_t bt, int64_t p0, int64_t p1) {
        std::vector<float> scratch(
            static_cast<size_t>(kScratchPanels * kScratchDepth * 16));
        for (int64_t p = p0; p < p1; p += kScratchPanels) {
          int64_t count = std::min(kScratchPanels, p1 - p);
          // K = 0 still runs one (empty) block: C = +0 or C, then the bias.
          for (int64_t k0 = 0; k0 < args.k || k0 == 0; k0 += kScratchDepth) {
            int64_t k1 = std::min(args.k, k0 + kScratchDepth);
            make(p, count, k0, k1, scratch.data());
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

} // namespace slim::runtime::detail

#endif // SLIM_RUNTIME_KERNELS_SCRATCHGEMM_H
