//===- SignGemmAvx512.cpp - One-bit weights on AVX-512 --------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// A tile of MR rows x NP panels of chains in zmm registers; per k, each
// panel's 16 sign bits are a mask register that blends its +scales and
// -scales into the 16 weights (one instruction), and each row adds one fma
// of its broadcast element: as many instructions per weight as the f32
// kernel, reading 1 bit per weight instead of 32.
//
//===----------------------------------------------------------------------===//

#include "SignGemmImpl.h"

#include <immintrin.h>

using namespace slim::runtime;
using namespace slim::runtime::detail;

namespace {

template <int MR, int NP>
void tile(const SignGemmArgs &args, int64_t bt, int64_t r0, int64_t p0) {
  SignTile<NP> t(args, bt, r0, p0);
  __m512 pos[NP], neg[NP];
  __mmask16 valid[NP];
  const __m512 signBit = _mm512_set1_ps(-0.0f);
  for (int j = 0; j < NP; ++j) {
    int64_t col = (p0 + j) * 16;
    int64_t live = liveColumns(args, col);
    valid[j] = static_cast<__mmask16>((1u << live) - 1);
    pos[j] = _mm512_maskz_loadu_ps(valid[j], args.scales + col);
    neg[j] = _mm512_xor_ps(pos[j], signBit);
  }
  __m512 acc[MR][NP];
  for (int i = 0; i < MR; ++i) {
    float *c = args.c + bt * args.cBatchStride + (r0 + i) * args.cRowStride;
    for (int j = 0; j < NP; ++j)
      acc[i][j] = args.accumulate
                      ? _mm512_maskz_loadu_ps(valid[j], c + (p0 + j) * 16)
                      : _mm512_setzero_ps();
  }
  for (int64_t k = 0; k < args.k; ++k) {
    __m512 w[NP];
    for (int j = 0; j < NP; ++j)
      w[j] = _mm512_mask_blend_ps(_cvtu32_mask16(t.word(j, k)), neg[j], pos[j]);
    for (int i = 0; i < MR; ++i) {
      __m512 x = _mm512_set1_ps(t.a[i * t.lda + k]);
      for (int j = 0; j < NP; ++j)
        acc[i][j] = _mm512_fmadd_ps(x, w[j], acc[i][j]);
    }
  }
  for (int i = 0; i < MR; ++i) {
    float *c = args.c + bt * args.cBatchStride + (r0 + i) * args.cRowStride;
    for (int j = 0; j < NP; ++j) {
      int64_t col = (p0 + j) * 16;
      __m512 v = acc[i][j];
      if (args.bias)
        v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(valid[j], args.bias + col));
      _mm512_mask_storeu_ps(c + col, valid[j], v);
    }
  }
}

} // namespace

void slim::runtime::detail::signExpandAvx512(const SignGemmArgs &args,
                                             int64_t p, int64_t count,
                                             int64_t k0, int64_t k1,
                                             float *out) {
  signExpandLoops(args, p, count, k0, k1, out);
}

void slim::runtime::detail::signKernelAvx512(const SignGemmArgs &args,
                                             int64_t bt, int64_t r0, int64_t r1,
                                             int64_t p0, int64_t p1) {
  // Eight rows by two panels (16 chains); a few rows take four panels so
  // that enough independent chains hide the fma's latency.
  int64_t p = p0;
  if (r1 - r0 <= 2)
    for (; p + 4 <= p1; p += 4)
      forEachRowTile<2>([&]<int M>(int64_t r) { tile<M, 4>(args, bt, r, p); },
                        r0, r1);
  for (; p + 2 <= p1; p += 2)
    forEachRowTile<8>([&]<int M>(int64_t r) { tile<M, 2>(args, bt, r, p); }, r0,
                      r1);
  for (; p < p1; ++p)
    forEachRowTile<8>([&]<int M>(int64_t r) { tile<M, 1>(args, bt, r, p); }, r0,
                      r1);
}
