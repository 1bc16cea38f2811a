//===- WGemmAvx512.cpp - Weight-only dequantization for AVX-512 -----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// WGemmImpl.h's loops compiled with the AVX-512 kernels' flags (fp
// contraction off there), and the int8-activation tiles: the avx512_vnni
// and amx ISAs'.
//
//===----------------------------------------------------------------------===//

#include "WGemmImpl.h"

#include <immintrin.h>

using namespace slim::runtime;
using namespace slim::runtime::detail;

SLIM_W_STEPS(Avx512)

// The int8-activation path: 16 columns per zmm, vpdpbusd of the 4-bit
// weights (u8, 0..15) by the quantized activation (s8), low and high
// nibbles into separate accumulators (two independent chains per tile).


namespace {

template <int R, int C>
void q8Tile(const WQ8Task &t, int64_t bt, int64_t r0, int64_t p) {
  const WGemmArgs &args = *t.args;
  float *c = t.cRow(bt, r0);
  __mmask16 live[C];
  __m512 acc[R][C];
  for (int q = 0; q < C; ++q) {
    int64_t cols = args.n - (p + q) * 16;
    live[q] = cols >= 16 ? __mmask16(0xFFFF)
                         : static_cast<__mmask16>((1u << cols) - 1u);
    for (int r = 0; r < R; ++r)
      acc[r][q] = args.accumulate
                      ? _mm512_maskz_loadu_ps(
                            live[q], c + r * args.cRowStride + (p + q) * 16)
                      : _mm512_setzero_ps();
  }
  const int64_t row0 = bt * args.m + r0;
  const __m512i nibble = _mm512_set1_epi8(15);
  for (int64_t g = 0; g < t.groups; ++g) {
    __m512i lo[R][C], hi[R][C];
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < C; ++q)
        lo[r][q] = hi[r][q] = _mm512_setzero_si512();
    for (int64_t blk = g * t.groupBlocks; blk < t.groupEnd(g); ++blk) {
      __m512i a0[R], a1[R];
      for (int r = 0; r < R; ++r) {
        a0[r] = _mm512_set1_epi32(t.word(row0 + r, blk, 0));
        a1[r] = _mm512_set1_epi32(t.word(row0 + r, blk, 1));
      }
      for (int q = 0; q < C; ++q) {
        __m512i w = _mm512_loadu_si512(t.block(p + q, blk));
        __m512i wl = _mm512_and_si512(w, nibble);
        __m512i wh = _mm512_and_si512(_mm512_srli_epi16(w, 4), nibble);
        for (int r = 0; r < R; ++r) {
          lo[r][q] = _mm512_dpbusd_epi32(lo[r][q], wl, a0[r]);
          hi[r][q] = _mm512_dpbusd_epi32(hi[r][q], wh, a1[r]);
        }
      }
    }
    for (int q = 0; q < C; ++q) {
      int64_t at = g * t.np + (p + q) * 16;
      __m512 sw = _mm512_loadu_ps(args.scales + at);
      __m512i off = _mm512_cvtepi8_epi32(
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(args.offsets + at)));
      for (int r = 0; r < R; ++r) {
        int64_t i = t.rowGroup(row0 + r, g);
        __m512i d = _mm512_sub_epi32(
            _mm512_add_epi32(lo[r][q], hi[r][q]),
            _mm512_mullo_epi32(off, _mm512_set1_epi32(t.sum[i])));
        acc[r][q] = _mm512_fmadd_ps(
            _mm512_cvtepi32_ps(d),
            _mm512_mul_ps(sw, _mm512_set1_ps(t.scale[i])), acc[r][q]);
      }
    }
  }
  for (int q = 0; q < C; ++q)
    for (int r = 0; r < R; ++r) {
      __m512 v = acc[r][q];
      if (args.bias)
        v = _mm512_add_ps(
            v, _mm512_maskz_loadu_ps(live[q], args.bias + (p + q) * 16));
      _mm512_mask_storeu_ps(c + r * args.cRowStride + (p + q) * 16, live[q],
                            v);
    }
}

} // namespace

void slim::runtime::detail::wGemvQ8Avx512(const WQ8Task &t, int64_t bt,
                                          int64_t p, int64_t count) {
  int64_t m = t.args->m;
  // One row: four panels (eight chains); more: rows by 4 over 2 panels.
  if (m == 1)
    return dispatchUpTo<4>(static_cast<int>(count), [&]<int C>() {
      q8Tile<1, C>(t, bt, 0, p);
    });
  for (int64_t q = p; q < p + count; q += 2) {
    int cols = static_cast<int>(p + count - q < 2 ? p + count - q : 2);
    for (int64_t r = 0; r < m; r += 4)
      dispatchUpTo<4>(static_cast<int>(m - r < 4 ? m - r : 4), [&]<int R>() {
        dispatchUpTo<2>(cols, [&]<int C>() { q8Tile<R, C>(t, bt, r, q); });
      });
  }
}
