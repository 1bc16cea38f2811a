//===- SignGemmAvx512.cpp - One-bit weights on AVX-512 --------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// A tile of MR rows x NP panels of sums in zmm registers; per k, each
// panel's 16 sign bits are a mask register and each row's element is added
// where the mask is set (vaddps with merge masking and an embedded
// broadcast): one instruction per 16 weights.
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
  __m512 acc[MR][NP];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NP; ++j)
      acc[i][j] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kk; ++k) {
    __mmask16 masks[NP];
    for (int j = 0; j < NP; ++j)
      masks[j] = _load_mask16(const_cast<__mmask16 *>(
          reinterpret_cast<const __mmask16 *>(words[j] + k)));
    for (int i = 0; i < MR; ++i) {
      __m512 x = _mm512_set1_ps(a[i * lda + k]);
      for (int j = 0; j < NP; ++j)
        acc[i][j] = _mm512_mask_add_ps(acc[i][j], masks[j], acc[i][j], x);
    }
  }
  for (int i = 0; i < MR; ++i) {
    __m512 t = _mm512_set1_ps(rowSums[r0 + i]);
    float *c = args.c + bt * args.cBatchStride + (r0 + i) * args.cRowStride;
    for (int j = 0; j < NP; ++j) {
      int64_t col = (p0 + j) * 16;
      int64_t live = std::min<int64_t>(16, args.n - col);
      __mmask16 valid = static_cast<__mmask16>((1u << live) - 1);
      __m512 v = _mm512_sub_ps(_mm512_add_ps(acc[i][j], acc[i][j]), t);
      v = _mm512_mul_ps(v, _mm512_maskz_loadu_ps(valid, args.scales + col));
      if (args.accumulate)
        v = _mm512_add_ps(_mm512_maskz_loadu_ps(valid, c + col), v);
      if (args.bias)
        v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(valid, args.bias + col));
      _mm512_mask_storeu_ps(c + col, valid, v);
    }
  }
}

} // namespace

void slim::runtime::detail::signKernelAvx512(const SignGemmArgs &args,
                                             int64_t bt, int64_t r0, int64_t r1,
                                             int64_t p0, int64_t p1,
                                             const float *rowSums) {
  // Eight rows by two panels (16 chains); a few rows take four panels so
  // that enough independent chains hide the addition's latency.
  bool few = r1 - r0 <= 2;
  int64_t p = p0;
  if (few)
    for (; p + 4 <= p1; p += 4)
      forEachRowTile<2>(
          [&]<int M>(int64_t r) { tile<M, 4>(args, bt, r, p, rowSums); }, r0,
          r1);
  for (; p + 2 <= p1; p += 2)
    forEachRowTile<8>(
        [&]<int M>(int64_t r) { tile<M, 2>(args, bt, r, p, rowSums); }, r0, r1);
  for (; p < p1; ++p)
    forEachRowTile<8>(
        [&]<int M>(int64_t r) { tile<M, 1>(args, bt, r, p, rowSums); }, r0, r1);
}
