//===- QGemmAvxVnni.cpp - int8 GEMM with vpdpbusd on ymm ------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with -mavx2 -mavxvnni: the AVX-512 VNNI kernel's scheme on 16
// ymm registers, a panel being two ymm of 8 columns.
//
//===----------------------------------------------------------------------===//

#include "QGemmImpl.h"
#include "QGemmYmm.h"

#include <immintrin.h>

using namespace slim::runtime::detail;

namespace {

template <int MR, int NP>
void tile(const QGemmTask &t, int64_t r0, int64_t p0) {
  __m256i acc[MR][2 * NP];
  #pragma unroll
  for (int r = 0; r < MR; ++r)
    #pragma unroll
    for (int h = 0; h < 2 * NP; ++h)
      acc[r][h] = _mm256_setzero_si256();
  // __restrict: byte loads could otherwise alias the accumulators, which
  // would then be stored back to the stack on every step.
  const int8_t *__restrict b = quadOf(t, p0, 0);
  const int64_t panel = t.kp * 16;
  const uint8_t *__restrict a = t.a + r0 * t.lda;
  const int64_t kFull = t.k & ~int64_t(3);
  auto step = [&](int64_t kk, auto wordAt) {
    __m256i bv[2 * NP];
    #pragma unroll
    for (int p = 0; p < NP; ++p) {
      const int8_t *q = b + p * panel + kk * 16;
      bv[2 * p] = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(q));
      bv[2 * p + 1] =
          _mm256_loadu_si256(reinterpret_cast<const __m256i *>(q + 32));
    }
    #pragma unroll
    for (int r = 0; r < MR; ++r) {
      __m256i av = _mm256_set1_epi32(static_cast<int>(wordAt(r)));
      #pragma unroll
      for (int h = 0; h < 2 * NP; ++h)
        acc[r][h] = _mm256_dpbusd_avx_epi32(acc[r][h], av, bv[h]);
    }
  };
  for (int64_t kk = 0; kk < kFull; kk += 4)
    step(kk, [&](int r) {
      uint32_t w;
      std::memcpy(&w, a + r * t.lda + kk, 4);
      return w;
    });
  if (kFull < t.k)
    step(kFull, [&](int r) { return wordOf(t, r0 + r, kFull); });

  #pragma unroll

  for (int p = 0; p < NP; ++p) {
    int64_t cols = columnsIn(t, p0 + p);
    #pragma unroll
    for (int h = 0; h < 2; ++h) {
      int64_t from = p * 16 + h * 8;
      __m256i add = _mm256_setzero_si256();
      if (t.colAdd)
        add = _mm256_loadu_si256(
            reinterpret_cast<const __m256i *>(t.colAdd + p0 * 16 + from));
      int64_t live = cols - h * 8;
      #pragma unroll
      for (int r = 0; r < MR; ++r) {
        int32_t *out = t.c + (r0 + r) * t.ldc + p0 * 16 + from;
        __m256i v = _mm256_add_epi32(acc[r][2 * p + h], add);
        storeColumns(out, v, live, t.accumulate);
      }
    }
  }
}

} // namespace

void slim::runtime::detail::qgemmAvxVnni(const QGemmTask &t, int64_t p0,
                                         int64_t p1) {
  auto tiles = [&]<int R, int N>(int64_t r, int64_t p) {
    tile<R, N>(t, r, p);
  };
  if (t.m <= 2)
    sweepTiles<1, 4>(t, p0, p1, tiles);
  else
    sweepTiles<6, 1>(t, p0, p1, tiles);
}
