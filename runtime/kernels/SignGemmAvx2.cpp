//===- SignGemmAvx2.cpp - One-bit weights on AVX2 -------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// A tile of MR rows x NP panels of sums in ymm registers (two per panel).
// Per k, a panel's 16 sign bits become two lane masks (broadcast, and with
// the lanes' bits, compare), shared by the tile's rows; each row's element
// is and-ed with a mask and added: two instructions per 8 weights.
//
//===----------------------------------------------------------------------===//

#include "SignGemmImpl.h"

#include <immintrin.h>

#include <algorithm>

using namespace slim::runtime;
using namespace slim::runtime::detail;

namespace {

template <int MR, int NP>
void tile(const SignGemmArgs &args, int64_t bt, int64_t r0, int64_t p0,
          const float *rowSums) {
  SignTile<NP> t(args, bt, r0, p0);
  const float *a = t.a;
  const uint16_t *const *words = t.words;
  int64_t lda = t.lda, kk = args.k;
  const __m256i lowBits = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  const __m256i highBits =
      _mm256_setr_epi32(256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
  __m256 acc[MR][NP][2];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NP; ++j)
      acc[i][j][0] = acc[i][j][1] = _mm256_setzero_ps();
  for (int64_t k = 0; k < kk; ++k) {
    __m256 masks[NP][2];
    for (int j = 0; j < NP; ++j) {
      __m256i word = _mm256_set1_epi32(words[j][k]);
      masks[j][0] = _mm256_castsi256_ps(
          _mm256_cmpeq_epi32(_mm256_and_si256(word, lowBits), lowBits));
      masks[j][1] = _mm256_castsi256_ps(
          _mm256_cmpeq_epi32(_mm256_and_si256(word, highBits), highBits));
    }
    for (int i = 0; i < MR; ++i) {
      __m256 x = _mm256_broadcast_ss(a + i * lda + k);
      for (int j = 0; j < NP; ++j)
        for (int h = 0; h < 2; ++h)
          acc[i][j][h] =
              _mm256_add_ps(acc[i][j][h], _mm256_and_ps(masks[j][h], x));
    }
  }
  for (int i = 0; i < MR; ++i) {
    __m256 t = _mm256_set1_ps(rowSums[r0 + i]);
    float *c = args.c + bt * args.cBatchStride + (r0 + i) * args.cRowStride;
    for (int j = 0; j < NP; ++j) {
      int64_t col = (p0 + j) * 16;
      if (args.n - col >= 16) {
        for (int h = 0; h < 2; ++h) {
          int64_t at = col + 8 * h;
          __m256 v =
              _mm256_sub_ps(_mm256_add_ps(acc[i][j][h], acc[i][j][h]), t);
          v = _mm256_mul_ps(v, _mm256_loadu_ps(args.scales + at));
          if (args.accumulate)
            v = _mm256_add_ps(_mm256_loadu_ps(c + at), v);
          if (args.bias)
            v = _mm256_add_ps(v, _mm256_loadu_ps(args.bias + at));
          _mm256_storeu_ps(c + at, v);
        }
        continue;
      }
      // The last panel's live columns, one at a time.
      alignas(32) float sums[16];
      _mm256_store_ps(sums, acc[i][j][0]);
      _mm256_store_ps(sums + 8, acc[i][j][1]);
      for (int64_t l = 0; l < args.n - col; ++l)
        signStore(args, sums[l], rowSums[r0 + i], col + l, c + col + l);
    }
  }
}

} // namespace

void slim::runtime::detail::signKernelAvx2(const SignGemmArgs &args, int64_t bt,
                                           int64_t r0, int64_t r1, int64_t p0,
                                           int64_t p1, const float *rowSums) {
  // Four rows by one panel (8 chains, 2 masks, 2 constants); a few rows
  // take two panels.
  int64_t p = p0;
  if (r1 - r0 <= 2)
    for (; p + 2 <= p1; p += 2)
      forEachRowTile<2>(
          [&]<int M>(int64_t r) { tile<M, 2>(args, bt, r, p, rowSums); }, r0,
          r1);
  for (; p < p1; ++p)
    forEachRowTile<4>(
        [&]<int M>(int64_t r) { tile<M, 1>(args, bt, r, p, rowSums); }, r0, r1);
}
