//===- QGemmYmm.h - Shared pieces of the ymm kernels (internal) -*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Included only by kernels compiled with at least -mavx2 (QGemmAvx2.cpp,
// QGemmAvxVnni.cpp); internal linkage, like QGemmImpl.h.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_QGEMMYMM_H
#define SLIM_RUNTIME_KERNELS_QGEMMYMM_H

#include <immintrin.h>

#include "QGemmImpl.h"

#include <cstdint>

namespace slim::runtime::detail {

/// Writes (or adds, with `accumulate`) the first `live` of v's 8 int32
/// lanes to out.
static inline void storeColumns(int32_t *out, __m256i v, int64_t live,
                                bool accumulate) {
  if (live >= 8) {
    if (accumulate)
      v = _mm256_add_epi32(
          v, _mm256_loadu_si256(reinterpret_cast<__m256i *>(out)));
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(out), v);
  } else if (live > 0) {
    alignas(32) int32_t lanes[8];
    _mm256_store_si256(reinterpret_cast<__m256i *>(lanes), v);
    for (int64_t j = 0; j < live; ++j)
      out[j] = accumulate ? wrapAdd(out[j], lanes[j]) : lanes[j];
  }
}

} // namespace slim::runtime::detail

#endif // SLIM_RUNTIME_KERNELS_QGEMMYMM_H
