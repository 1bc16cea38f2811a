//===- DQGemmAvx2.cpp - dqgemm's passes on ymm ----------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with -mavx2 -mfma (fp contraction off in DQGemmImpl.h): the
// avx2 and avx_vnni ISAs' range, quantization and scaling passes.
//
//===----------------------------------------------------------------------===//

#include "DQGemmImpl.h"

#include <immintrin.h>

namespace {

struct Avx2 {
  static constexpr int W = 8;
  using F = __m256;
  using I = __m256i;
  static F loadF(const float *p) { return _mm256_loadu_ps(p); }
  static F setF(float v) { return _mm256_set1_ps(v); }
  static I setI(int32_t v) { return _mm256_set1_epi32(v); }
  static I zeroI() { return _mm256_setzero_si256(); }
  static F minKeep(F a, F b) { return _mm256_min_ps(a, b); }
  static F maxKeep(F a, F b) { return _mm256_max_ps(a, b); }
  static F divF(F a, F b) { return _mm256_div_ps(a, b); }
  static F mulF(F a, F b) { return _mm256_mul_ps(a, b); }
  static F addF(F a, F b) { return _mm256_add_ps(a, b); }
  static I cvtRound(F a) { return _mm256_cvtps_epi32(a); }
  static F cvtF(I a) { return _mm256_cvtepi32_ps(a); }
  static I zeroWhereNaN(I i, F x) {
    return _mm256_andnot_si256(
        _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q)), i);
  }
  static I addI(I a, I b) { return _mm256_add_epi32(a, b); }
  static I subI(I a, I b) { return _mm256_sub_epi32(a, b); }
  static I mulLo(I a, I b) { return _mm256_mullo_epi32(a, b); }
  static I clampByte(I a) {
    return _mm256_min_epi32(_mm256_max_epi32(a, _mm256_setzero_si256()),
                            _mm256_set1_epi32(255));
  }
  static void storeBytes(uint8_t *to, I a) {
    // Per 128-bit half: int32 -> int16 -> uint8, the 4 bytes in its low
    // dword.
    I b = _mm256_packus_epi16(_mm256_packs_epi32(a, a), _mm256_setzero_si256());
    int32_t lo = _mm256_extract_epi32(b, 0), hi = _mm256_extract_epi32(b, 4);
    std::memcpy(to, &lo, 4);
    std::memcpy(to + 4, &hi, 4);
  }
  static I loadI(const void *p) {
    return _mm256_loadu_si256(static_cast<const __m256i *>(p));
  }
  static void storeF(float *p, F a) { _mm256_storeu_ps(p, a); }
  static uint32_t hsumI(I a) {
    alignas(32) uint32_t v[8];
    _mm256_store_si256(reinterpret_cast<__m256i *>(v), a);
    uint32_t s = 0;
    for (uint32_t x : v)
      s += x;
    return s;
  }
  static float extreme(F a, bool largest) {
    alignas(32) float v[8];
    _mm256_store_ps(v, a);
    return slim::runtime::detail::dqExtreme(v, 8, largest);
  }
  static float hminF(F a) { return extreme(a, false); }
  static float hmaxF(F a) { return extreme(a, true); }
};

} // namespace

SLIM_DQ_STEPS(slim::runtime::detail::dqStepsAvx2, Avx2)
