//===- SignGemmImpl.h - One-bit weights, per ISA (internal) -----*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// signGemm's per-ISA pieces: the register kernel (rows of A against panels
// of packed signs, each panel's 16 weights +-scales made in registers from
// its sign word: an AVX-512 masked blend, or AVX2 lane masks and a blend,
// then one fma per row) and the expansion of a block of panels into the f32
// scratch of ScratchGemm.h for the f32 kernel. One file per ISA
// (SignGemm.cpp for the baseline, SignGemmAvx2.cpp, SignGemmAvx512.cpp);
// what they share has internal linkage (QGemmImpl.h says why).
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_SIGNGEMMIMPL_H
#define SLIM_RUNTIME_KERNELS_SIGNGEMMIMPL_H

#include "slim/Runtime/Kernels.h"

#include <cstdint>
#include <cstring>

namespace slim::runtime::detail {

/// Rows [r0, r1) of batch `bt` times panels [p0, p1), in registers.
using SignKernel = void (*)(const SignGemmArgs &args, int64_t bt, int64_t r0,
                            int64_t r1, int64_t p0, int64_t p1);
void signKernelGeneric(const SignGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                       int64_t);
void signKernelAvx2(const SignGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                    int64_t);
void signKernelAvx512(const SignGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                      int64_t);
/// Rows [k0, k1) of panels [p, p + count) of W = S diag(scales) into `out`
/// (ScratchGemm.h's layout; 0 past N).
using SignExpand = void (*)(const SignGemmArgs &args, int64_t p, int64_t count,
                            int64_t k0, int64_t k1, float *out);
void signExpandGeneric(const SignGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                       float *);
void signExpandAvx2(const SignGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                    float *);
void signExpandAvx512(const SignGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                      float *);

/// The 16-bit sign word of row k of panel p (memcpy: the packed operand
/// may sit at any byte offset).
static inline uint16_t signWord(const SignGemmArgs &args, int64_t p,
                                int64_t k) {
  uint16_t word;
  std::memcpy(&word, args.packedB + (p * args.k + k) * 2, sizeof(word));
  return word;
}

/// The expansion as plain loops over 16 columns, which each ISA's file
/// compiles (and vectorizes) with its flags: the select is exact.
static inline void signExpandLoops(const SignGemmArgs &args, int64_t p,
                                   int64_t count, int64_t k0, int64_t k1,
                                   float *out) {
  for (int64_t pp = p; pp < p + count; ++pp) {
    float pos[16], neg[16];
    for (int j = 0; j < 16; ++j) {
      int64_t col = pp * 16 + j;
      pos[j] = col < args.n ? args.scales[col] : 0.0f;
      neg[j] = -pos[j];
    }
    for (int64_t k = k0; k < k1; ++k) {
      uint16_t word = signWord(args, pp, k);
      for (int j = 0; j < 16; ++j)
        out[j] = (word >> j & 1) ? pos[j] : neg[j];
      out += 16;
    }
  }
}

namespace {
/// Where a tile of rows from r0 and NP panels from p0 reads: its first row
/// of A, A's row stride, each panel's words (signWord). (An unnamed
/// namespace: each ISA's file has its own copy, compiled with its flags.)
template <int NP>
struct SignTile {
  const SignGemmArgs &args;
  int64_t p0;
  const float *a;
  int64_t lda;
  SignTile(const SignGemmArgs &args, int64_t bt, int64_t r0, int64_t p0)
      : args(args), p0(p0),
        a(args.a + bt * args.aBatchStride + r0 * args.aRowStride),
        lda(args.aRowStride) {}
  uint16_t word(int j, int64_t k) const { return signWord(args, p0 + j, k); }
};
/// The live columns of the panel at column `col` (1 to 16), without a
/// library template (QGemmImpl.h says why the ISA files call none).
inline int64_t liveColumns(const SignGemmArgs &args, int64_t col) {
  return args.n - col < 16 ? args.n - col : 16;
}
} // namespace

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
