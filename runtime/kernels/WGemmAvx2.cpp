//===- WGemmAvx2.cpp - Weight-only dequantization for AVX2 ----------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// WGemmImpl.h's loops compiled with -mavx2 -mfma (fp contraction off
// there): the avx2 and avx_vnni ISAs'.
//
//===----------------------------------------------------------------------===//

#include "WGemmImpl.h"

void slim::runtime::detail::wDequantizeAvx2(const WGemmArgs &args, int64_t p,
                                            int64_t count, int64_t k0,
                                            int64_t k1, float *out) {
  wDequantizeBlock(args, p, count, k0, k1, out);
}

void slim::runtime::detail::wGemvAvx2(const WGemmArgs &args, int64_t bt,
                                       int64_t r0, int64_t rows, int64_t p,
                                       int64_t count) {
  wGemvBlock(args, bt, r0, rows, p, count);
}
