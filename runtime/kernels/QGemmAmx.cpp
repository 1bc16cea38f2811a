//===- QGemmAmx.cpp - int8 GEMM on AMX tiles ------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with -mamx-tile -mamx-int8. Eight tile registers, all 16 rows x
// 64 bytes: four int32 accumulators (a 32 x 32 block of C), two A tiles (16
// rows x 64 k) and two B tiles (16 quads of one panel: the packed layout is
// the tile layout). tdpbssd multiplies s8 x s8 and tdpbusd u8 x s8, so no
// shift is needed. A is copied per chunk of rows into a zero-padded buffer
// (rows to 32, K to Kp) so that every tile load is whole; a B panel pair
// stays in L2 while every row block of the chunk uses it. Below 16 rows the
// driver runs the AVX-512 VNNI kernel instead (a tile would be mostly
// padding).
//
//===----------------------------------------------------------------------===//

#include "QGemmImpl.h"

#include <immintrin.h>

#include <cstdlib>

using namespace slim::runtime::detail;

namespace {

struct alignas(64) TileConfig {
  uint8_t palette = 1;
  uint8_t startRow = 0;
  uint8_t reserved[14] = {};
  uint16_t colsb[16] = {};
  uint8_t rows[16] = {};
};

constexpr int64_t kChunkRows = 256;

/// Tile C += A x B: s8 x s8 or u8 x s8.
template <bool Signed, int C, int A, int B> inline void dot() {
  if constexpr (Signed)
    _tile_dpbssd(C, A, B);
  else
    _tile_dpbusd(C, A, B);
}

/// One 32 x 32 block (fewer live rows or columns when the flags say so).
template <bool Signed, bool TwoRows, bool TwoCols>
void block(const QGemmTask &t, const uint8_t *a, int64_t p,
           int32_t (*scratch)[32]) {
  _tile_zero(0);
  if constexpr (TwoCols)
    _tile_zero(1);
  if constexpr (TwoRows)
    _tile_zero(2);
  if constexpr (TwoRows && TwoCols)
    _tile_zero(3);
  const int8_t *b0 = quadOf(t, p, 0);
  const int8_t *b1 = TwoCols ? quadOf(t, p + 1, 0) : b0;
  for (int64_t kb = 0; kb < t.kp; kb += 64) {
    _tile_loadd(4, a + kb, t.kp);
    _tile_loadd(6, b0 + kb * 16, 64);
    if constexpr (TwoCols)
      _tile_loadd(7, b1 + kb * 16, 64);
    if constexpr (TwoRows)
      _tile_loadd(5, a + 16 * t.kp + kb, t.kp);
    dot<Signed, 0, 4, 6>();
    if constexpr (TwoCols)
      dot<Signed, 1, 4, 7>();
    if constexpr (TwoRows)
      dot<Signed, 2, 5, 6>();
    if constexpr (TwoRows && TwoCols)
      dot<Signed, 3, 5, 7>();
  }
  constexpr int64_t stride = 32 * sizeof(int32_t);
  _tile_stored(0, &scratch[0][0], stride);
  if constexpr (TwoCols)
    _tile_stored(1, &scratch[0][16], stride);
  if constexpr (TwoRows)
    _tile_stored(2, &scratch[16][0], stride);
  if constexpr (TwoRows && TwoCols)
    _tile_stored(3, &scratch[16][16], stride);
}

template <bool Signed>
void run(const QGemmTask &t, int64_t p0, int64_t p1) {
  TileConfig config;
  for (int i = 0; i < 8; ++i) {
    config.rows[i] = 16;
    config.colsb[i] = 64;
  }
  _tile_loadconfig(&config);
  auto *packed = static_cast<uint8_t *>(
      std::aligned_alloc(64, static_cast<size_t>(kChunkRows * t.kp)));
  alignas(64) int32_t scratch[32][32];
  for (int64_t m0 = 0; m0 < t.m; m0 += kChunkRows) {
    int64_t rows = t.m - m0 < kChunkRows ? t.m - m0 : kChunkRows;
    int64_t padded = (rows + 31) / 32 * 32;
    for (int64_t r = 0; r < padded; ++r) {
      uint8_t *to = packed + r * t.kp;
      int64_t live = r < rows ? t.k : 0;
      if (live)
        std::memcpy(to, t.a + (m0 + r) * t.lda, static_cast<size_t>(live));
      std::memset(to + live, 0, static_cast<size_t>(t.kp - live));
    }
    for (int64_t p = p0; p < p1; p += 2) {
      bool twoCols = p + 1 < p1;
      for (int64_t rb = 0; rb < rows; rb += 32) {
        const uint8_t *a = packed + rb * t.kp;
        bool twoRows = rb + 16 < rows;
        if (twoRows && twoCols)
          block<Signed, true, true>(t, a, p, scratch);
        else if (twoRows)
          block<Signed, true, false>(t, a, p, scratch);
        else if (twoCols)
          block<Signed, false, true>(t, a, p, scratch);
        else
          block<Signed, false, false>(t, a, p, scratch);
        int64_t liveRows = rows - rb < 32 ? rows - rb : 32;
        // The epilogue in zmm registers: 16 columns of a row at a time
        // (colAdd has Np entries, so its loads never pass the end).
        for (int h = 0; h < (twoCols ? 2 : 1); ++h) {
          int64_t cols = columnsIn(t, p + h);
          __mmask16 live = static_cast<__mmask16>((1u << cols) - 1u);
          __m512i add = t.colAdd ? _mm512_loadu_si512(t.colAdd + (p + h) * 16)
                                 : _mm512_setzero_si512();
          for (int64_t r = 0; r < liveRows; ++r) {
            int32_t *o = t.c + (m0 + rb + r) * t.ldc + (p + h) * 16;
            __m512i v = _mm512_add_epi32(
                _mm512_load_si512(scratch[r] + h * 16), add);
            if (t.accumulate)
              v = _mm512_add_epi32(v, _mm512_maskz_loadu_epi32(live, o));
            _mm512_mask_storeu_epi32(o, live, v);
          }
        }
      }
    }
  }
  _tile_release();
  std::free(packed);
}

} // namespace

void slim::runtime::detail::qgemmAmx(const QGemmTask &t, int64_t p0,
                                     int64_t p1) {
  if (t.aSigned)
    run<true>(t, p0, p1);
  else
    run<false>(t, p0, p1);
}
