//===- QGemmSparseAvx2.cpp - Sparse int8 weights rebuilt with pshufb ------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with -mavx2 -mfma; run on every AVX2 host without VBMI2. Each
// byte of a quad's mask covers 8 bytes of the dense quad: a table of 256
// pshufb controls (byte i takes the value of rank popcount(mask & (2^i -
// 1)), or zero where bit i is clear) rebuilds them from the next 8 values,
// and the values advance by the byte's popcount. The sparse form ends in
// 64 zero bytes, so the 8-byte loads never pass its end.
//
//===----------------------------------------------------------------------===//

#include "QGemmImpl.h"

#include <immintrin.h>

using namespace slim::runtime::detail;

namespace {
struct Controls {
  alignas(16) uint64_t control[256];
  constexpr Controls() : control() {
    for (int m = 0; m < 256; ++m) {
      uint64_t c = 0;
      int rank = 0;
      for (int i = 0; i < 8; ++i) {
        uint64_t byte = (m >> i) & 1 ? uint64_t(rank++) : 0x80;
        c |= byte << (8 * i);
      }
      control[m] = c;
    }
  }
};
constexpr Controls kControls;
} // namespace

void slim::runtime::detail::sparseExpandAvx2(const SparseB &b, int64_t p,
                                             int64_t firstBlock,
                                             int64_t blocks, int8_t *out) {
  forEachSparseQuad(
      b, p, firstBlock, blocks, out,
      [](uint64_t m, const int8_t *v, int8_t *o) {
        for (int i = 0; i < 8; ++i, m >>= 8, o += 8) {
          unsigned byte = m & 0xff;
          __m128i values =
              _mm_loadl_epi64(reinterpret_cast<const __m128i *>(v));
          __m128i control = _mm_loadl_epi64(
              reinterpret_cast<const __m128i *>(&kControls.control[byte]));
          _mm_storel_epi64(reinterpret_cast<__m128i *>(o),
                           _mm_shuffle_epi8(values, control));
          v += __builtin_popcount(byte);
        }
      });
}
