//===- SGemmAvx512.cpp - f32 GEMM with AVX-512 FMA ------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with -mavx512f -mfma. A register tile of MR rows x NP panels (16
// floats per zmm) runs one fused multiply-add chain per element over a
// block of K: per k, NP loads of B, MR broadcasts of A and MR * NP
// vfmadd231ps. Partial panels are masked.
//
//===----------------------------------------------------------------------===//

#include "DwConvImpl.h"
#include "SGemmImpl.h"

#include <immintrin.h>

using namespace slim::runtime::detail;

namespace {

/// A register tile's accumulators (from C when `load`, else +0) and the
/// masks of its panels' live columns.
template <int MR, int NP>
inline void startTile(const SGemmTask &t, int64_t r0, int64_t p0, bool load,
                      __m512 (&acc)[MR][NP], __mmask16 (&mask)[NP]) {
  #pragma unroll
  for (int p = 0; p < NP; ++p)
    mask[p] = static_cast<__mmask16>((1u << liveColumns(t, p0 + p)) - 1);
  #pragma unroll
  for (int r = 0; r < MR; ++r)
    #pragma unroll
    for (int p = 0; p < NP; ++p)
      acc[r][p] = load ? _mm512_maskz_loadu_ps(
                             mask[p], t.c + (r0 + r) * t.ldc + (p0 + p) * 16)
                       : _mm512_setzero_ps();
}

/// Stores a tile to C, with the bias when `last` (after the chains: one
/// more rounding, as a separate add would do).
template <int MR, int NP>
inline void finishTile(const SGemmTask &t, int64_t r0, int64_t p0, bool last,
                       __m512 (&acc)[MR][NP], const __mmask16 (&mask)[NP]) {
  if (t.bias && last) {
    #pragma unroll
    for (int p = 0; p < NP; ++p) {
      __m512 b = _mm512_maskz_loadu_ps(mask[p], t.bias + (p0 + p) * 16);
      #pragma unroll
      for (int r = 0; r < MR; ++r)
        acc[r][p] = _mm512_add_ps(acc[r][p], b);
    }
  }
  #pragma unroll
  for (int r = 0; r < MR; ++r)
    #pragma unroll
    for (int p = 0; p < NP; ++p)
      _mm512_mask_storeu_ps(t.c + (r0 + r) * t.ldc + (p0 + p) * 16, mask[p],
                            acc[r][p]);
}

/// Rows [r0, r0 + MR) x panels [p0, p0 + NP) over the rows of B that
/// `walk(step)` visits in order of k: step(kk, rows) with rows[p] the 16
/// floats of panel p0 + p at k = kk (every kk of [k0, k1) for the dense
/// panels; the kept rows for a row-compressed panel, NP = 1).
template <int MR, int NP, typename Walk>
void tile(const SGemmTask &t, int64_t r0, int64_t p0, int64_t k1, bool load,
          Walk &&walk) {
  __m512 acc[MR][NP];
  __mmask16 mask[NP];
  startTile<MR, NP>(t, r0, p0, load, acc, mask);
  const float *__restrict a = t.a + r0 * t.lda;
  walk([&](int64_t kk, const float *const *rows) {
    __m512 bv[NP];
    #pragma unroll
    for (int p = 0; p < NP; ++p)
      bv[p] = _mm512_loadu_ps(rows[p]);
    #pragma unroll
    for (int r = 0; r < MR; ++r) {
      __m512 av = _mm512_set1_ps(a[r * t.lda + kk]);
      #pragma unroll
      for (int p = 0; p < NP; ++p)
        acc[r][p] = _mm512_fmadd_ps(av, bv[p], acc[r][p]);
    }
  });
  // The bias after the last block of K.
  finishTile<MR, NP>(t, r0, p0, k1 == t.k, acc, mask);
}

/// Rows [r0, r0 + MR) x panels [p0, p0 + NP) of a row-compressed B, for
/// few rows: the panels' kept rows walked side by side (row i of each
/// panel, whatever its k), so that MR x NP fused multiply-add chains are
/// in flight where one panel alone would wait on one chain's latency. Each
/// element is still one chain over its panel's kept k in order.
template <int MR, int NP>
void sparseFewRows(const SGemmTask &t, int64_t r0, int64_t p0) {
  SparseF32Panel panel[NP];
  const int8_t *values[NP];
  __m512 acc[MR][NP];
  __mmask16 live[NP];
  startTile<MR, NP>(t, r0, p0, t.accumulate, acc, live);
  int64_t longest = 0;
  #pragma unroll
  for (int p = 0; p < NP; ++p) {
    panel[p] = sparseF32Panel(t.sparse, p0 + p);
    values[p] = panel[p].values;
    longest = panel[p].count > longest ? panel[p].count : longest;
  }
  const float *__restrict a = t.a + r0 * t.lda;
  for (int64_t i = 0; i < longest; ++i) {
    #pragma unroll
    for (int p = 0; p < NP; ++p) {
      if (i >= panel[p].count)
        continue;
      uint16_t mask;
      std::memcpy(&mask, panel[p].masks + 2 * i, 2);
      __m512 b = _mm512_maskz_expandloadu_ps(mask, values[p]);
      values[p] += 4 * __builtin_popcount(mask);
      int64_t kk = sparseF32K(panel[p], i);
      #pragma unroll
      for (int r = 0; r < MR; ++r)
        acc[r][p] =
            _mm512_fmadd_ps(_mm512_set1_ps(a[r * t.lda + kk]), b, acc[r][p]);
    }
  }
  finishTile<MR, NP>(t, r0, p0, /*last=*/true, acc, live);
}

} // namespace

void slim::runtime::detail::sgemmAvx512(const SGemmTask &t, int64_t p0,
                                        int64_t p1) {
  // Few rows: more panels per tile keep enough independent FMA chains
  // (latency 4, two per cycle) in flight. Otherwise 14 rows x 2 panels (28
  // accumulators, 2 loads and 14 broadcasts per 28 fmas): on the Xeon,
  // one thread, 2048^3 103 ms against 111 with 8 x 3 (12 x 2 106, 6 x 4
  // 105, 4 x 6 126), 128 x 768 x 768 0.77 against 0.87 ms.
  int64_t width = t.m <= 2 ? 8 : 2;
  forEachPanelGroup(t, p0, p1, width, [&](int64_t g0, int64_t g1, int64_t k0,
                                          int64_t k1, bool load) {
    auto tiles = [&]<int R, int N>(int64_t r, int64_t p) {
      tile<R, N>(t, r, p, k1, load, denseRows<N>(t, p, k0, k1));
    };
    if (t.m <= 2)
      sweepTiles<2, 8>(t, g0, g1, tiles);
    else
      sweepTiles<14, 2>(t, g0, g1, tiles);
  });
}

void slim::runtime::detail::sgemmSparseAvx512(const SGemmTask &t, int64_t p0,
                                              int64_t p1) {
  // One panel per tile (each has its own rows); 14 rows as the dense
  // kernel's tiles, and one chain per element for few rows.
  auto expand = [](uint16_t mask, const int8_t *values, float *row) {
    _mm512_store_ps(row, _mm512_maskz_expandloadu_ps(mask, values));
    return values + 4 * __builtin_popcount(mask);
  };
  if (t.m <= 2) {
    // Few rows: eight panels side by side, eight streams of B and eight
    // chains per row in flight (2:4 on the Xeon, one thread: 1 x 11008 x
    // 4096 4.2 ms against 8.3 one panel at a time; 1 x 4096 x 4096 1.37
    // against 1.43).
    sweepTiles<2, 8>(t, p0, p1, [&]<int R, int N>(int64_t r, int64_t p) {
      sparseFewRows<R, N>(t, r, p);
    });
    return;
  }
  auto tiles = [&]<int R, int N>(int64_t r, int64_t p) {
    tile<R, 1>(t, r, p, t.k, t.accumulate, keptRows(t, p, expand));
  };
  sweepTiles<14, 1>(t, p0, p1, tiles);
}

// The depthwise convolution's loops, compiled with this file's flags.
using slim::runtime::SConvArgs;
SLIM_DW_STEPS(Avx512)
using slim::runtime::QConvArgs;
SLIM_QDW_STEPS(Avx512)
