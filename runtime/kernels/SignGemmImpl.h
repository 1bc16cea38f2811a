//===- SignGemmImpl.h - One-bit weights, per ISA (internal) -----*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// signGemm's kernel: rows of A against panels of packed signs, the sums P
// kept in registers (an AVX-512 masked addition, or an AVX2 and + add, per
// 16 or 8 weights), then the epilogue scales[n] * (2 P - T) (+ C) (+ bias).
// One file per ISA (SignGemm.cpp for the baseline, SignGemmAvx2.cpp,
// SignGemmAvx512.cpp), internal linkage for what they share (QGemmImpl.h
// says why).
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_SIGNGEMMIMPL_H
#define SLIM_RUNTIME_KERNELS_SIGNGEMMIMPL_H

#include "slim/Runtime/Kernels.h"

#include <cstdint>
#include <cstring>

namespace slim::runtime::detail {

/// Rows [r0, r1) of batch `bt` times panels [p0, p1), from `rowSums` (T of
/// each row of the batch, indexed by row).
using SignKernel = void (*)(const SignGemmArgs &args, int64_t bt, int64_t r0,
                            int64_t r1, int64_t p0, int64_t p1,
                            const float *rowSums);
void signKernelGeneric(const SignGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                       int64_t, const float *);
void signKernelAvx2(const SignGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                    int64_t, const float *);
void signKernelAvx512(const SignGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                      int64_t, const float *);

/// The 16-bit sign word of row k of panel p.
static inline uint16_t signWord(const SignGemmArgs &args, int64_t p,
                                int64_t k) {
  uint16_t word;
  std::memcpy(&word, args.packedB + (p * args.k + k) * 2, sizeof(word));
  return word;
}

namespace {
/// Where a tile of rows from r0 and NP panels from p0 reads: its first row
/// of A, A's row stride, each panel's words. (An unnamed namespace: each
/// ISA's file has its own copy, compiled with its flags.)
template <int NP>
struct SignTile {
  const float *a;
  int64_t lda;
  const uint16_t *words[NP];
  SignTile(const SignGemmArgs &args, int64_t bt, int64_t r0, int64_t p0)
      : a(args.a + bt * args.aBatchStride + r0 * args.aRowStride),
        lda(args.aRowStride) {
    for (int j = 0; j < NP; ++j)
      words[j] =
          reinterpret_cast<const uint16_t *>(args.packedB) + (p0 + j) * args.k;
  }
};
} // namespace

/// The epilogue of one element from its sum P, in the order the kernels'
/// vector epilogues follow (one statement per rounding: nothing may be
/// contracted into a fused multiply-add).
static inline void signStore(const SignGemmArgs &args, float p, float t,
                             int64_t col, float *out) {
  float d = (p + p) - t;
  float v = d * args.scales[col];
  if (args.accumulate)
    v = *out + v;
  if (args.bias)
    v = v + args.bias[col];
  *out = v;
}

/// Rows [r0, r1) in tiles of MR rows (tile.template operator()<MR>(r)),
/// then the rest as one tile of fewer rows.
template <int MR, typename Tile>
static inline void forEachRowTile(const Tile &tile, int64_t r0, int64_t r1) {
  int64_t r = r0;
  for (; r + MR <= r1; r += MR)
    tile.template operator()<MR>(r);
  if constexpr (MR > 1) {
    if (r < r1)
      forEachRowTile<MR - 1>(tile, r, r1);
  }
}

} // namespace slim::runtime::detail

#endif // SLIM_RUNTIME_KERNELS_SIGNGEMMIMPL_H
