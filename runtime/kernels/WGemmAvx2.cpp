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

using slim::runtime::WGemmArgs;

SLIM_W_STEPS(Avx2)
