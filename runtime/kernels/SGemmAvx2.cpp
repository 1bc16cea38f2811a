//===- SGemmAvx2.cpp - f32 GEMM with AVX2 FMA -----------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with -mavx2 -mfma: the AVX-512 kernel's scheme on 16 ymm
// registers, a panel being two ymm of 8 floats; partial halves use
// vmaskmovps.
//
//===----------------------------------------------------------------------===//

#include "DwConvImpl.h"
#include "SGemmImpl.h"

#include <immintrin.h>

using namespace slim::runtime::detail;

namespace {

/// Lanes [0, live) of a ymm, as vmaskmovps wants them.
inline __m256i laneMask(int64_t live) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(live)),
                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/// As SGemmAvx512.cpp's tile: the rows of B that `walk` visits.
template <int MR, int NP, typename Walk>
void tile(const SGemmTask &t, int64_t r0, int64_t p0, int64_t k1, bool load,
          Walk &&walk) {
  __m256 acc[MR][2 * NP];
  __m256i mask[2 * NP];
  #pragma unroll
  for (int h = 0; h < 2 * NP; ++h)
    mask[h] = laneMask(liveColumns(t, p0 + h / 2) - (h % 2) * 8);
  #pragma unroll
  for (int r = 0; r < MR; ++r)
    #pragma unroll
    for (int h = 0; h < 2 * NP; ++h)
      acc[r][h] = load ? _mm256_maskload_ps(
                             t.c + (r0 + r) * t.ldc + p0 * 16 + h * 8, mask[h])
                       : _mm256_setzero_ps();
  const float *__restrict a = t.a + r0 * t.lda;
  walk([&](int64_t kk, const float *const *rows) {
    __m256 bv[2 * NP];
    #pragma unroll
    for (int h = 0; h < 2 * NP; ++h)
      bv[h] = _mm256_loadu_ps(rows[h / 2] + (h % 2) * 8);
    #pragma unroll
    for (int r = 0; r < MR; ++r) {
      __m256 av = _mm256_set1_ps(a[r * t.lda + kk]);
      #pragma unroll
      for (int h = 0; h < 2 * NP; ++h)
        acc[r][h] = _mm256_fmadd_ps(av, bv[h], acc[r][h]);
    }
  });
  // The bias after the last block of K (see SGemmAvx512.cpp).
  if (t.bias && k1 == t.k) {
#pragma unroll
    for (int h = 0; h < 2 * NP; ++h) {
      __m256 b = _mm256_maskload_ps(t.bias + p0 * 16 + h * 8, mask[h]);
#pragma unroll
      for (int r = 0; r < MR; ++r)
        acc[r][h] = _mm256_add_ps(acc[r][h], b);
    }
  }
  #pragma unroll
  for (int r = 0; r < MR; ++r)
    #pragma unroll
    for (int h = 0; h < 2 * NP; ++h)
      _mm256_maskstore_ps(t.c + (r0 + r) * t.ldc + p0 * 16 + h * 8, mask[h],
                          acc[r][h]);
}

} // namespace

void slim::runtime::detail::sgemmAvx2(const SGemmTask &t, int64_t p0,
                                      int64_t p1) {
  int64_t width = t.m <= 2 ? 2 : 1;
  forEachPanelGroup(t, p0, p1, width, [&](int64_t g0, int64_t g1, int64_t k0,
                                          int64_t k1, bool load) {
    auto tiles = [&]<int R, int N>(int64_t r, int64_t p) {
      tile<R, N>(t, r, p, k1, load, denseRows<N>(t, p, k0, k1));
    };
    if (t.m <= 2)
      sweepTiles<2, 2>(t, g0, g1, tiles);
    else
      sweepTiles<6, 1>(t, g0, g1, tiles);
  });
}

namespace {
/// For each byte of a row mask (8 lanes): lane j's position among the set
/// lanes, the permutation that moves 8 packed values to their lanes.
struct ExpandTable {
  alignas(32) int32_t index[256][8];
  ExpandTable() {
    for (int m = 0; m < 256; ++m)
      for (int j = 0, at = 0; j < 8; ++j) {
        index[m][j] = (m >> j & 1) ? at : 0;
        at += m >> j & 1;
      }
  }
};
const ExpandTable expandTable;

/// 8 lanes of a row: the next popcount(m) values moved to the set lanes,
/// +0 in the others (the padding after the values makes the 8-float load
/// safe).
inline __m256 expandHalf(unsigned m, const int8_t *values) {
  __m256 packed = _mm256_loadu_ps(reinterpret_cast<const float *>(values));
  __m256i index = _mm256_load_si256(
      reinterpret_cast<const __m256i *>(expandTable.index[m]));
  const __m256i bits = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  __m256i set = _mm256_cmpeq_epi32(
      _mm256_and_si256(_mm256_set1_epi32(static_cast<int>(m)), bits), bits);
  return _mm256_and_ps(_mm256_permutevar8x32_ps(packed, index),
                       _mm256_castsi256_ps(set));
}
} // namespace

void slim::runtime::detail::sgemmSparseAvx2(const SGemmTask &t, int64_t p0,
                                            int64_t p1) {
  auto expand = [](uint16_t mask, const int8_t *values, float *row) {
    unsigned low = mask & 0xFF, high = mask >> 8;
    _mm256_store_ps(row, expandHalf(low, values));
    values += 4 * __builtin_popcount(low);
    _mm256_store_ps(row + 8, expandHalf(high, values));
    return values + 4 * __builtin_popcount(high);
  };
  auto tiles = [&]<int R, int N>(int64_t r, int64_t p) {
    tile<R, 1>(t, r, p, t.k, t.accumulate, keptRows(t, p, expand));
  };
  sweepTiles<6, 1>(t, p0, p1, tiles);
}

// The depthwise convolution's loops, compiled with this file's flags.
using slim::runtime::SConvArgs;
SLIM_DW_STEPS(Avx2)
using slim::runtime::QConvArgs;
SLIM_QDW_STEPS(Avx2)
