//===- WGemmAvx512.cpp - Weight-only dequantization for AVX-512 -----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// WGemmImpl.h's loops compiled with the AVX-512 kernels' flags (fp
// contraction off there): the avx512_vnni and amx ISAs'.
//
//===----------------------------------------------------------------------===//

#include "WGemmImpl.h"

void slim::runtime::detail::wDequantizeAvx512(const WGemmArgs &args,
                                              int64_t p, int64_t count,
                                              int64_t k0, int64_t k1,
                                              float *out) {
  wDequantizeBlock(args, p, count, k0, k1, out);
}

void slim::runtime::detail::wGemvAvx512(const WGemmArgs &args, int64_t bt,
                                       int64_t r0, int64_t rows, int64_t p,
                                       int64_t count) {
  wGemvBlock(args, bt, r0, rows, p, count);
}
