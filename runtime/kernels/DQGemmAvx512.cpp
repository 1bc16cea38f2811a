//===- DQGemmAvx512.cpp - dqgemm's passes on zmm --------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with the AVX-512 kernels' flags (fp contraction off in
// DQGemmImpl.h): the avx512_vnni and amx ISAs' range, quantization and
// scaling passes.
//
//===----------------------------------------------------------------------===//

#include "DQGemmImpl.h"

#include <immintrin.h>

namespace {

struct Avx512 {
  static constexpr int W = 16;
  using F = __m512;
  using I = __m512i;
  static F loadF(const float *p) { return _mm512_loadu_ps(p); }
  static F setF(float v) { return _mm512_set1_ps(v); }
  static I setI(int32_t v) { return _mm512_set1_epi32(v); }
  static I zeroI() { return _mm512_setzero_si512(); }
  static F minKeep(F a, F b) { return _mm512_min_ps(a, b); }
  static F maxKeep(F a, F b) { return _mm512_max_ps(a, b); }
  static F divF(F a, F b) { return _mm512_div_ps(a, b); }
  static F mulF(F a, F b) { return _mm512_mul_ps(a, b); }
  static F addF(F a, F b) { return _mm512_add_ps(a, b); }
  static I cvtRound(F a) { return _mm512_cvtps_epi32(a); }
  static F cvtF(I a) { return _mm512_cvtepi32_ps(a); }
  static I zeroWhereNaN(I i, F x) {
    return _mm512_mask_mov_epi32(i, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q),
                                 _mm512_setzero_si512());
  }
  static I addI(I a, I b) { return _mm512_add_epi32(a, b); }
  static I subI(I a, I b) { return _mm512_sub_epi32(a, b); }
  static I mulLo(I a, I b) { return _mm512_mullo_epi32(a, b); }
  static I clampByte(I a) {
    return _mm512_min_epi32(_mm512_max_epi32(a, _mm512_setzero_si512()),
                            _mm512_set1_epi32(255));
  }
  static void storeBytes(uint8_t *to, I a) {
    _mm_storeu_si128(reinterpret_cast<__m128i *>(to), _mm512_cvtepi32_epi8(a));
  }
  static I loadI(const void *p) { return _mm512_loadu_si512(p); }
  static void storeF(float *p, F a) { _mm512_storeu_ps(p, a); }
  static uint32_t hsumI(I a) {
    return static_cast<uint32_t>(_mm512_reduce_add_epi32(a));
  }
  static float hminF(F a) { return _mm512_reduce_min_ps(a); }
  static float hmaxF(F a) { return _mm512_reduce_max_ps(a); }
};

} // namespace

SLIM_DQ_STEPS(slim::runtime::detail::dqStepsAvx512, Avx512)
