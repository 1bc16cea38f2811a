//===- SGemmImpl.h - Per-ISA f32 GEMM kernels (internal) --------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// What the f32 driver (SGemm.cpp) hands each ISA's kernel; the same rules as
// QGemmImpl.h (internal linkage only, one ISA per file).
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_SGEMMIMPL_H
#define SLIM_RUNTIME_KERNELS_SGEMMIMPL_H

#include "Tiling.h"
#include "slim/Runtime/Kernels.h"

#include <cstdint>
#include <cstring>

namespace slim::runtime::detail {

struct SGemmTask {
  const float *a = nullptr; ///< row-major M x K
  int64_t lda = 0;
  const float *b = nullptr; ///< packed panels (Kernels.h)
  float *c = nullptr;       ///< row-major M x N
  int64_t ldc = 0;
  int64_t m = 0, n = 0, k = 0;
  bool accumulate = false;
  const float *bias = nullptr; ///< N floats added after the chains, or null
  /// The row-compressed B (Kernels.h, packSparseF32Rhs) of the sparse
  /// kernels, or null.
  const int8_t *sparse = nullptr;
};

/// The register tiles' walks over B (walk(step): step(kk, rows), rows[p]
/// the 16 floats of the tile's panel p at k = kk): every k of [k0, k1) of
/// NP dense panels from p0, ...
template <int NP>
static inline auto denseRows(const SGemmTask &t, int64_t p0, int64_t k0,
                             int64_t k1) {
  return [&t, p0, k0, k1](auto &&step) {
    for (int64_t kk = k0; kk < k1; ++kk) {
      const float *rows[NP];
      for (int p = 0; p < NP; ++p) // row kk of panel p0 + p
        rows[p] = t.b + ((p0 + p) * t.k + kk) * 16;
      step(kk, rows);
    }
  };
}

/// Panel p of a row-compressed B: its kept rows' count, their k, their
/// masks of nonzero lanes and the nonzero floats (Kernels.h).
struct SparseF32Panel {
  int32_t count;
  const int8_t *ks;     ///< count int32, unaligned
  const int8_t *masks;  ///< count uint16, unaligned
  const int8_t *values; ///< the kept rows' nonzero floats, in order
};
static inline SparseF32Panel sparseF32Panel(const int8_t *sparse, int64_t p) {
  int64_t start;
  std::memcpy(&start, sparse + 8 * p, 8);
  SparseF32Panel panel;
  std::memcpy(&panel.count, sparse + start, 4);
  panel.ks = sparse + start + 4;
  panel.masks = panel.ks + 4 * int64_t(panel.count);
  panel.values = panel.masks + sparseF32MaskBytes(panel.count);
  return panel;
}
static inline int32_t sparseF32K(const SparseF32Panel &panel, int64_t i) {
  int32_t k;
  std::memcpy(&k, panel.ks + 4 * i, 4);
  return k;
}

/// ... or the kept rows of row-compressed panel p, in order, each expanded
/// to its 16 floats by `expand(mask, values, row)` (which writes the row
/// and returns the values after its own; per ISA). A full row (every lane
/// kept: block pruning) is read where it lies.
template <typename Expand>
static inline auto keptRows(const SGemmTask &t, int64_t p, Expand &&expand) {
  return [panel = sparseF32Panel(t.sparse, p), &expand](auto &&step) {
    alignas(64) float row[16];
    const int8_t *values = panel.values;
    for (int64_t i = 0; i < panel.count; ++i) {
      uint16_t mask;
      std::memcpy(&mask, panel.masks + 2 * i, 2);
      const float *rows[1];
      if (mask == 0xFFFF && reinterpret_cast<uintptr_t>(values) % 4 == 0) {
        // In place (the form keeps the values 4-byte aligned in a buffer
        // that is; a packed constant need not be).
        rows[0] = reinterpret_cast<const float *>(values);
        values += 64;
      } else {
        values = expand(mask, values, row);
        rows[0] = row;
      }
      step(sparseF32K(panel, i), rows);
    }
  };
}

/// The portable expansion: lane j takes the next value when bit j is set,
/// +0 otherwise.
static inline const int8_t *expandF32Row(uint16_t mask, const int8_t *values,
                                         float *row) {
  for (int j = 0; j < 16; ++j) {
    row[j] = 0.0f;
    if (mask >> j & 1) {
      std::memcpy(row + j, values, 4);
      values += 4;
    }
  }
  return values;
}

/// Live columns of panel p (16 but in the last one).
static inline int64_t liveColumns(const SGemmTask &t, int64_t p) {
  int64_t rest = t.n - p * 16;
  return rest < 16 ? rest : 16;
}

/// Depth of one pass over B: a block of KC rows of the panels a tile reads
/// stays in L2 while every row tile uses it. Accumulators go back to C
/// between blocks, which keeps every element's chain of fused multiply-adds
/// in k order. Measured on the Xeon, one thread, AVX-512: 2048^3 126 ms
/// with 512, 111 with 1024 (AVX2 219 and 193), 128 x 768 x 768 and
/// 128 x 4096 x 4096 the same within noise.
constexpr int64_t kSGemmDepthBlock = 1024;

/// Calls block(k0, k1, load) for each block [k0, k1) of K in order; `load`
/// says whether the accumulators start from C.
template <typename Block>
static inline void forEachDepthBlock(const SGemmTask &t, Block &&block) {
  for (int64_t k0 = 0; k0 < t.k; k0 += kSGemmDepthBlock)
    block(k0, k0 + kSGemmDepthBlock < t.k ? k0 + kSGemmDepthBlock : t.k,
          t.accumulate || k0 > 0);
}

/// Calls block(g0, g1, k0, k1, load) for groups [g0, g1) of `width` panels
/// (a register tile's) of [p0, p1), and for each group the depth blocks in
/// order: a group's columns of C (M x 16 width floats) stay in L2 across
/// its depth blocks (with the depth blocks outside, all of C went through
/// memory once per block), and its block of B (KC rows of `width` panels)
/// in L2 while every row tile uses it.
template <typename Block>
static inline void forEachPanelGroup(const SGemmTask &t, int64_t p0,
                                     int64_t p1, int64_t width, Block &&block) {
  for (int64_t g0 = p0; g0 < p1; g0 += width) {
    int64_t g1 = g0 + width < p1 ? g0 + width : p1;
    forEachDepthBlock(t, [&](int64_t k0, int64_t k1, bool load) {
      block(g0, g1, k0, k1, load);
    });
  }
}

/// Computes the columns of panels [p0, p1) of every row.
using SGemmKernel = void (*)(const SGemmTask &task, int64_t p0, int64_t p1);

/// The f32 kernel of `isa` (AVX-512 for avx512_vnni and amx, AVX2 for avx2
/// and avx_vnni).
SGemmKernel sgemmKernelFor(Isa isa);

void sgemmGeneric(const SGemmTask &task, int64_t p0, int64_t p1);
void sgemmAvx2(const SGemmTask &task, int64_t p0, int64_t p1);
void sgemmAvx512(const SGemmTask &task, int64_t p0, int64_t p1);
/// The same over a row-compressed B: only the kept rows.
void sgemmSparseGeneric(const SGemmTask &task, int64_t p0, int64_t p1);
void sgemmSparseAvx2(const SGemmTask &task, int64_t p0, int64_t p1);
void sgemmSparseAvx512(const SGemmTask &task, int64_t p0, int64_t p1);

} // namespace slim::runtime::detail

#endif // SLIM_RUNTIME_KERNELS_SGEMMIMPL_H
