//===- SignGemmAvx2.cpp - One-bit weights on AVX2 -------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// A few rows (signGemm's register path): per k, a panel's 16 sign bits
// become two lane masks (broadcast, and with the lanes' bits, compare) that
// blend its +scales and -scales into 16 weights, and each row adds one fma
// per 8 of them. More rows go through the scratch and the f32 kernel
// (SignGemm.cpp), whose expansion this file compiles for AVX2.
//
//===----------------------------------------------------------------------===//

#include "SignGemmImpl.h"

#include <immintrin.h>

using namespace slim::runtime;
using namespace slim::runtime::detail;

namespace {

template <int MR>
void tile(const SignGemmArgs &args, int64_t bt, int64_t r0, int64_t p0) {
  SignTile<1> t(args, bt, r0, p0);
  const __m256i lowBits = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  const __m256i highBits =
      _mm256_setr_epi32(256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
  int64_t col = p0 * 16, live = liveColumns(args, col);
  // The panel's scales (0 past N) and their negations, and the chains.
  alignas(32) float scales[16] = {}, sums[MR][16] = {};
  for (int64_t j = 0; j < live; ++j)
    scales[j] = args.scales[col + j];
  __m256 pos[2], neg[2], acc[MR][2];
  const __m256 signBit = _mm256_set1_ps(-0.0f);
  for (int h = 0; h < 2; ++h) {
    pos[h] = _mm256_load_ps(scales + 8 * h);
    neg[h] = _mm256_xor_ps(pos[h], signBit);
  }
  for (int i = 0; i < MR; ++i) {
    float *c = args.c + bt * args.cBatchStride + (r0 + i) * args.cRowStride;
    if (args.accumulate)
      for (int64_t j = 0; j < live; ++j)
        sums[i][j] = c[col + j];
    for (int h = 0; h < 2; ++h)
      acc[i][h] = _mm256_load_ps(sums[i] + 8 * h);
  }
  for (int64_t k = 0; k < args.k; ++k) {
    __m256i word = _mm256_set1_epi32(t.word(0, k));
    __m256 w[2] = {
        _mm256_blendv_ps(neg[0], pos[0],
                         _mm256_castsi256_ps(_mm256_cmpeq_epi32(
                             _mm256_and_si256(word, lowBits), lowBits))),
        _mm256_blendv_ps(neg[1], pos[1],
                         _mm256_castsi256_ps(_mm256_cmpeq_epi32(
                             _mm256_and_si256(word, highBits), highBits)))};
    for (int i = 0; i < MR; ++i) {
      __m256 x = _mm256_broadcast_ss(t.a + i * t.lda + k);
      for (int h = 0; h < 2; ++h)
        acc[i][h] = _mm256_fmadd_ps(x, w[h], acc[i][h]);
    }
  }
  for (int i = 0; i < MR; ++i) {
    float *c = args.c + bt * args.cBatchStride + (r0 + i) * args.cRowStride;
    for (int h = 0; h < 2; ++h)
      _mm256_store_ps(sums[i] + 8 * h, acc[i][h]);
    for (int64_t j = 0; j < live; ++j)
      c[col + j] = args.bias ? sums[i][j] + args.bias[col + j] : sums[i][j];
  }
}

} // namespace

void slim::runtime::detail::signExpandAvx2(const SignGemmArgs &args, int64_t p,
                                           int64_t count, int64_t k0,
                                           int64_t k1, float *out) {
  signExpandLoops(args, p, count, k0, k1, out);
}

void slim::runtime::detail::signKernelAvx2(const SignGemmArgs &args, int64_t bt,
                                           int64_t r0, int64_t r1, int64_t p0,
                                           int64_t p1) {
  for (int64_t p = p0; p < p1; ++p)
    forEachRowTile<4>([&]<int M>(int64_t r) { tile<M>(args, bt, r, p); }, r0,
                      r1);
}
