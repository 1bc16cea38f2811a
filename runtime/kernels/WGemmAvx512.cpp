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

using slim::runtime::WGemmArgs;

SLIM_W_STEPS(Avx512)
