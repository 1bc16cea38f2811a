//===- QGemmZmm.h - The vpdpbusd register tile (internal) --------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Included only by files compiled with AVX-512 VNNI flags: the register
// tile of the int8 GEMM on zmm, MR rows x NP panels (16 int32 columns per
// zmm) accumulated over the whole of K. Per quad of k: NP quads of B from
// the loader, MR broadcasts of 4 bytes of A (from memory: a load, not a
// shuffle) and MR * NP vpdpbusd. The loader gives panel p's quads in order
// of k: a load from the dense packed panels, or a quad rebuilt from the
// sparse form. vpdpbusd multiplies u8 x s8: the driver stores a signed A
// as a + 128 and puts -128 * colsum(B) into QGemmTask::colAdd (with the
// bias), added at the end; exact in wrapping int32 arithmetic.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_QGEMMZMM_H
#define SLIM_RUNTIME_KERNELS_QGEMMZMM_H

#include "QGemmImpl.h"

#include <immintrin.h>

namespace slim::runtime::detail {
namespace {

/// Rows [r0, r0 + MR) x panels [p0, p0 + NP); `Loader<NP>(t, p0)` then
/// `next(p, kk)` for kk = 0, 4, ... per panel.
template <int MR, int NP, template <int> class Loader>
void zmmTile(const QGemmTask &t, int64_t r0, int64_t p0) {
  __m512i acc[MR][NP];
  #pragma unroll
  for (int r = 0; r < MR; ++r)
    #pragma unroll
    for (int p = 0; p < NP; ++p)
      acc[r][p] = _mm512_setzero_si512();
  Loader<NP> b(t, p0);
  // __restrict: byte loads could otherwise alias the accumulators, which
  // would then be stored back to the stack on every step.
  const uint8_t *__restrict a = t.a + r0 * t.lda;
  const int64_t kFull = t.k & ~int64_t(3);
  for (int64_t kk = 0; kk < kFull; kk += 4) {
    __m512i bv[NP];
    #pragma unroll
    for (int p = 0; p < NP; ++p)
      bv[p] = b.next(p, kk);
    #pragma unroll
    for (int r = 0; r < MR; ++r) {
      uint32_t w;
      std::memcpy(&w, a + r * t.lda + kk, 4);
      __m512i av = _mm512_set1_epi32(static_cast<int>(w));
      #pragma unroll
      for (int p = 0; p < NP; ++p)
        acc[r][p] = _mm512_dpbusd_epi32(acc[r][p], av, bv[p]);
    }
  }
  if (kFull < t.k) {
    __m512i bv[NP];
    #pragma unroll
    for (int p = 0; p < NP; ++p)
      bv[p] = b.next(p, kFull);
    #pragma unroll
    for (int r = 0; r < MR; ++r) {
      __m512i av =
          _mm512_set1_epi32(static_cast<int>(wordOf(t, r0 + r, kFull)));
      #pragma unroll
      for (int p = 0; p < NP; ++p)
        acc[r][p] = _mm512_dpbusd_epi32(acc[r][p], av, bv[p]);
    }
  }
  #pragma unroll
  for (int p = 0; p < NP; ++p) {
    __m512i add = _mm512_setzero_si512();
    if (t.colAdd)
      add = _mm512_loadu_si512(t.colAdd + (p0 + p) * 16);
    int64_t cols = columnsIn(t, p0 + p);
    __mmask16 mask = static_cast<__mmask16>((1u << cols) - 1);
    #pragma unroll
    for (int r = 0; r < MR; ++r) {
      int32_t *out = t.c + (r0 + r) * t.ldc + (p0 + p) * 16;
      __m512i v = _mm512_add_epi32(acc[r][p], add);
      if (t.accumulate)
        v = _mm512_add_epi32(v, _mm512_maskz_loadu_epi32(mask, out));
      _mm512_mask_storeu_epi32(out, mask, v);
    }
  }
}

/// Panels [p0, p1) of every row: few rows take more panels per tile, to
/// keep enough independent vpdpbusd chains (latency 5) in flight; B
/// streams once either way.
template <template <int> class Loader>
void zmmSweep(const QGemmTask &t, int64_t p0, int64_t p1) {
  auto tiles = [&]<int R, int N>(int64_t r, int64_t p) {
    zmmTile<R, N, Loader>(t, r, p);
  };
  if (t.m <= 2)
    sweepTiles<2, 8>(t, p0, p1, tiles);
  else
    sweepTiles<8, 3>(t, p0, p1, tiles);
}

} // namespace
} // namespace slim::runtime::detail

#endif // SLIM_RUNTIME_KERNELS_QGEMMZMM_H
