//===- QGemmAvx2.cpp - Exact int8 GEMM on AVX2 ----------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with -mavx2 -mfma. vpmaddubsw would add two u8 x s8 products in
// a saturating int16 and return wrong sums for full-range operands (what
// oneDNN, ONNX Runtime and PyTorch do on AVX2-only CPUs); this kernel widens
// both operands to int16 and uses vpmaddwd, whose pair sums cannot
// overflow int32: exact for every input. A is widened once per call; B is
// widened per load (vpmovsxbw from memory), four columns x four k at a time,
// which leaves two partial sums per column, added pairwise at the end.
//
//===----------------------------------------------------------------------===//

#include "QGemmImpl.h"
#include "QGemmYmm.h"

#include <immintrin.h>

#include <cstdlib>

using namespace slim::runtime::detail;

namespace {

struct Widened {
  const int16_t *a; ///< M x kq int16, zero past K
  int64_t kq;       ///< K rounded up to 4
};

template <int MR, int NP>
void tile(const QGemmTask &t, const Widened &w, int64_t r0, int64_t p0) {
  __m256i acc[MR][4 * NP];
  #pragma unroll
  for (int r = 0; r < MR; ++r)
    #pragma unroll
    for (int g = 0; g < 4 * NP; ++g)
      acc[r][g] = _mm256_setzero_si256();
  // __restrict: see QGemmAvx512Vnni.cpp.
  const int8_t *__restrict b = quadOf(t, p0, 0);
  const int64_t panel = t.kp * 16;
  const int16_t *__restrict a = w.a + r0 * w.kq;
  for (int64_t kk = 0; kk < w.kq; kk += 4) {
    __m256i av[MR];
    #pragma unroll
    for (int r = 0; r < MR; ++r) {
      int64_t four;
      std::memcpy(&four, a + r * w.kq + kk, 8);
      av[r] = _mm256_set1_epi64x(four);
    }
    #pragma unroll
    for (int g = 0; g < 4 * NP; ++g) {
      const int8_t *q = b + (g / 4) * panel + kk * 16 + (g % 4) * 16;
      __m256i bw = _mm256_cvtepi8_epi16(
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(q)));
      #pragma unroll
      for (int r = 0; r < MR; ++r)
        acc[r][g] = _mm256_add_epi32(acc[r][g], _mm256_madd_epi16(bw, av[r]));
    }
  }
  #pragma unroll
  for (int p = 0; p < NP; ++p) {
    int64_t cols = columnsIn(t, p0 + p);
    #pragma unroll
    for (int r = 0; r < MR; ++r) {
      int32_t *out = t.c + (r0 + r) * t.ldc + (p0 + p) * 16;
      #pragma unroll
      for (int h = 0; h < 2; ++h) {
        // Pairwise sums of two groups of four columns, back in column order.
        __m256i v = _mm256_permute4x64_epi64(
            _mm256_hadd_epi32(acc[r][4 * p + 2 * h], acc[r][4 * p + 2 * h + 1]),
            0xD8);
        int64_t live = cols - h * 8;
        int32_t *o = out + h * 8;
        if (t.colAdd)
          v = _mm256_add_epi32(v, _mm256_loadu_si256(
                                      reinterpret_cast<const __m256i *>(
                                          t.colAdd + (p0 + p) * 16 + h * 8)));
        storeColumns(o, v, live, t.accumulate);
      }
    }
  }
}

} // namespace

void slim::runtime::detail::qgemmAvx2(const QGemmTask &t, int64_t p0,
                                      int64_t p1) {
  Widened w;
  w.kq = (t.k + 3) & ~int64_t(3);
  auto *wide = static_cast<int16_t *>(
      std::calloc(static_cast<size_t>(t.m * w.kq), sizeof(int16_t)));
  for (int64_t r = 0; r < t.m; ++r) {
    const uint8_t *row = t.a + r * t.lda;
    int16_t *to = wide + r * w.kq;
    if (t.aSigned)
      for (int64_t kk = 0; kk < t.k; ++kk)
        to[kk] = int8_t(row[kk]);
    else
      for (int64_t kk = 0; kk < t.k; ++kk)
        to[kk] = row[kk];
  }
  w.a = wide;
  auto tiles = [&]<int R, int N>(int64_t r, int64_t p) {
    tile<R, N>(t, w, r, p);
  };
  if (t.m <= 2)
    sweepTiles<1, 2>(t, p0, p1, tiles);
  else
    sweepTiles<3, 1>(t, p0, p1, tiles);
  std::free(wide);
}
