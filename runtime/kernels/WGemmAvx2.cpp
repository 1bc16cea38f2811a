//===- WGemmAvx2.cpp - Weight-only dequantization for AVX2 ----------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// WGemmImpl.h's loops compiled with -mavx2 -mfma (fp contraction off
// there), and the int8-activation tiles: the avx2 and avx_vnni ISAs'.
//
//===----------------------------------------------------------------------===//

#include "WGemmImpl.h"

#include <immintrin.h>

using namespace slim::runtime;
using namespace slim::runtime::detail;

SLIM_W_STEPS(Avx2)

// The int8-activation path: 8 columns per ymm (a panel is two halves).
// vpmaddubsw adds pairs of products of a 4-bit weight (0..15) and an int8
// (-127..127): at most 2 x 15 x 127 in magnitude, and the low- and
// high-nibble pairs together at most 7,620, so the int16 sums never
// saturate; vpmaddwd by ones takes them to int32.


namespace {

template <int R, int C>
void q8Tile(const WQ8Task &t, int64_t bt, int64_t r0, int64_t p) {
  const WGemmArgs &args = *t.args;
  float *c = t.cRow(bt, r0);
  __m256 acc[R][C][2];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < C; ++q)
      for (int h = 0; h < 2; ++h) {
        alignas(32) float start[8] = {};
        int64_t col = (p + q) * 16 + h * 8;
        if (args.accumulate)
          for (int64_t j = 0; j < 8 && col + j < args.n; ++j)
            start[j] = c[r * args.cRowStride + col + j];
        acc[r][q][h] = _mm256_load_ps(start);
      }
  const int64_t row0 = bt * args.m + r0;
  const __m256i nibble = _mm256_set1_epi8(15);
  const __m256i ones = _mm256_set1_epi16(1);
  for (int64_t g = 0; g < t.groups; ++g) {
    __m256i sum[R][C][2];
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < C; ++q)
        sum[r][q][0] = sum[r][q][1] = _mm256_setzero_si256();
    for (int64_t blk = g * t.groupBlocks; blk < t.groupEnd(g); ++blk) {
      __m256i a0[R], a1[R];
      for (int r = 0; r < R; ++r) {
        a0[r] = _mm256_set1_epi32(t.word(row0 + r, blk, 0));
        a1[r] = _mm256_set1_epi32(t.word(row0 + r, blk, 1));
      }
      for (int q = 0; q < C; ++q)
        for (int h = 0; h < 2; ++h) {
          __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(
              t.block(p + q, blk) + h * 32));
          __m256i wl = _mm256_and_si256(w, nibble);
          __m256i wh = _mm256_and_si256(_mm256_srli_epi16(w, 4), nibble);
          for (int r = 0; r < R; ++r) {
            __m256i pairs = _mm256_add_epi16(_mm256_maddubs_epi16(wl, a0[r]),
                                             _mm256_maddubs_epi16(wh, a1[r]));
            sum[r][q][h] = _mm256_add_epi32(sum[r][q][h],
                                            _mm256_madd_epi16(pairs, ones));
          }
        }
    }
    for (int q = 0; q < C; ++q)
      for (int h = 0; h < 2; ++h) {
        int64_t at = g * t.np + (p + q) * 16 + h * 8;
        __m256 sw = _mm256_loadu_ps(args.scales + at);
        __m256i off = _mm256_cvtepi8_epi32(_mm_loadl_epi64(
            reinterpret_cast<const __m128i *>(args.offsets + at)));
        for (int r = 0; r < R; ++r) {
          int64_t i = t.rowGroup(row0 + r, g);
          __m256i d = _mm256_sub_epi32(
              sum[r][q][h],
              _mm256_mullo_epi32(off, _mm256_set1_epi32(t.sum[i])));
          acc[r][q][h] = _mm256_fmadd_ps(
              _mm256_cvtepi32_ps(d),
              _mm256_mul_ps(sw, _mm256_set1_ps(t.scale[i])), acc[r][q][h]);
        }
      }
  }
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < C; ++q) {
      alignas(32) float out[16];
      _mm256_store_ps(out, acc[r][q][0]);
      _mm256_store_ps(out + 8, acc[r][q][1]);
      int64_t cols = args.n - (p + q) * 16;
      wStoreColumns(c + r * args.cRowStride + (p + q) * 16, out,
                    cols < 16 ? cols : 16,
                    args.bias ? args.bias + (p + q) * 16 : nullptr);
    }
}

} // namespace

void slim::runtime::detail::wGemvQ8Avx2(const WQ8Task &t, int64_t bt,
                                        int64_t p, int64_t count) {
  int64_t m = t.args->m;
  // One row: two panels; more: rows by 2, one panel at a time.
  if (m == 1) {
    for (int64_t q = p; q < p + count; q += 2)
      dispatchUpTo<2>(static_cast<int>(p + count - q < 2 ? p + count - q : 2),
                      [&]<int C>() { q8Tile<1, C>(t, bt, 0, q); });
    return;
  }
  for (int64_t q = p; q < p + count; ++q)
    for (int64_t r = 0; r < m; r += 2)
      dispatchUpTo<2>(static_cast<int>(m - r < 2 ? m - r : 2),
                      [&]<int R>() { q8Tile<R, 1>(t, bt, r, q); });
}
