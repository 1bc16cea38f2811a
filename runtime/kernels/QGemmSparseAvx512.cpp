//===- QGemmSparseAvx512.cpp - Sparse int8 weights with vpexpandb ---------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with the AVX-512 VNNI flags and -mavx512vbmi2; run only where
// the host has VBMI2 (QGemmSparse.cpp asks the CPU). vpexpandb with a
// quad's 64-bit mask rebuilds the dense quad from the nonzero values in
// one instruction; the next quad's values start popcount(mask) bytes on.
// The fused kernel is the dense register tile (QGemmZmm.h) with that as
// its loader: B is read from memory in its sparse form only (2:4: 40 of
// every 64 bytes), which is what a memory-bound product with few rows
// gains.
//
//===----------------------------------------------------------------------===//

#include "QGemmZmm.h"

using namespace slim::runtime::detail;

namespace {
/// Quads rebuilt from the sparse form, panel by panel in order of k.
template <int NP> struct ExpandedQuads {
  const int8_t *masks[NP];
  const int8_t *values[NP];
  ExpandedQuads(const QGemmTask &t, int64_t p0) {
    for (int p = 0; p < NP; ++p) {
      masks[p] = sparseMasks(*t.sparse, p0 + p);
      values[p] = sparseBlockValues(*t.sparse, p0 + p, 0);
    }
  }
  __m512i next(int p, int64_t kk) {
    uint64_t m;
    std::memcpy(&m, masks[p] + 2 * kk, 8); // quad kk / 4: 8 bytes each
    __m512i v = _mm512_maskz_expandloadu_epi8(m, values[p]);
    values[p] += _mm_popcnt_u64(m);
    return v;
  }
};
} // namespace

void slim::runtime::detail::sparseExpandVbmi2(const SparseB &b, int64_t p,
                                              int64_t firstBlock,
                                              int64_t blocks, int8_t *out) {
  forEachSparseQuad(b, p, firstBlock, blocks, out,
                    [](uint64_t m, const int8_t *v, int8_t *o) {
                      _mm512_storeu_si512(o,
                                          _mm512_maskz_expandloadu_epi8(m, v));
                    });
}

void slim::runtime::detail::qgemmSparseVbmi2(const QGemmTask &t, int64_t p0,
                                             int64_t p1) {
  zmmSweep<ExpandedQuads>(t, p0, p1);
}
