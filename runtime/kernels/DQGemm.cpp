//===- DQGemm.cpp - Dynamic quantization on the int8 kernels ---------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// slim.dynamic_qmatmul with a packed constant weight in one call: the
// activation's range and its quantization are one pass each over A (the
// second writes the kernel's operand), the int32 sums land in C's buffer
// (same size as the f32 result) and are turned into floats in place right
// after the kernel wrote each block. Bit for bit the arithmetic the
// lowering in slim-lower-quant states (and the integration tests check),
// including the x86 conversion of NaN to INT32_MIN where that arithmetic
// converts a NaN (an infinite input). The passes over A and C are
// DQGemmImpl.h's, per ISA; this file (baseline x86-64) has the SSE2 ones
// and the driver.
//
//===----------------------------------------------------------------------===//

#include "DQGemmImpl.h"
#include "Dispatch.h"
#include "Parallel.h"
#include "QGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include <emmintrin.h>

using namespace slim::runtime;
using namespace slim::runtime::detail;

namespace {

/// SSE2 (baseline x86-64): what the generic ISA runs.
struct Sse2 {
  static constexpr int W = 4;
  using F = __m128;
  using I = __m128i;
  static F loadF(const float *p) { return _mm_loadu_ps(p); }
  static F setF(float v) { return _mm_set1_ps(v); }
  static I setI(int32_t v) { return _mm_set1_epi32(v); }
  static I zeroI() { return _mm_setzero_si128(); }
  static F minKeep(F a, F b) { return _mm_min_ps(a, b); }
  static F maxKeep(F a, F b) { return _mm_max_ps(a, b); }
  static F divF(F a, F b) { return _mm_div_ps(a, b); }
  static F mulF(F a, F b) { return _mm_mul_ps(a, b); }
  static F addF(F a, F b) { return _mm_add_ps(a, b); }
  static I cvtRound(F a) { return _mm_cvtps_epi32(a); }
  static F cvtF(I a) { return _mm_cvtepi32_ps(a); }
  static I zeroWhereNaN(I i, F x) {
    return _mm_andnot_si128(_mm_castps_si128(_mm_cmpunord_ps(x, x)), i);
  }
  static I addI(I a, I b) { return _mm_add_epi32(a, b); }
  static I subI(I a, I b) { return _mm_sub_epi32(a, b); }
  static I mulLo(I a, I b) { // no pmulld before SSE4.1
    I even = _mm_mul_epu32(a, b);
    I odd = _mm_mul_epu32(_mm_srli_si128(a, 4), _mm_srli_si128(b, 4));
    return _mm_unpacklo_epi32(_mm_shuffle_epi32(even, _MM_SHUFFLE(0, 0, 2, 0)),
                              _mm_shuffle_epi32(odd, _MM_SHUFFLE(0, 0, 2, 0)));
  }
  /// Saturating int32 -> int16 -> uint8: the low 4 bytes.
  static I bytes(I a) {
    return _mm_packus_epi16(_mm_packs_epi32(a, a), _mm_setzero_si128());
  }
  static I clampByte(I a) {
    I zero = _mm_setzero_si128();
    return _mm_unpacklo_epi16(_mm_unpacklo_epi8(bytes(a), zero), zero);
  }
  static void storeBytes(uint8_t *to, I a) {
    int32_t word = _mm_cvtsi128_si32(bytes(a));
    std::memcpy(to, &word, 4);
  }
  static I loadI(const void *p) {
    return _mm_loadu_si128(static_cast<const __m128i *>(p));
  }
  static void storeF(float *p, F a) { _mm_storeu_ps(p, a); }
  static uint32_t hsumI(I a) {
    alignas(16) uint32_t v[4];
    _mm_store_si128(reinterpret_cast<__m128i *>(v), a);
    return v[0] + v[1] + v[2] + v[3];
  }
  static float extreme(F a, bool largest) {
    alignas(16) float v[4];
    _mm_store_ps(v, a);
    return slim::runtime::detail::dqExtreme(v, 4, largest);
  }
  static float hminF(F a) { return extreme(a, false); }
  static float hmaxF(F a) { return extreme(a, true); }
};

/// fptosi of a value clamped to +-2^30 with NaN kept (maximumf/minimumf
/// propagate it), as x86 converts: NaN -> INT32_MIN.
int32_t clampedToInt(float v) {
  constexpr float limit = 1073741824.0f;
  if (v != v)
    return std::numeric_limits<int32_t>::min();
  v = v < -limit ? -limit : v;
  v = v > limit ? limit : v;
  return static_cast<int32_t>(v);
}

/// S and Z of a range [lo, hi] (NaN ignored; +inf/-inf when empty).
DQParams paramsOf(float lo, float hi) {
  float rmin = lo < 0.0f ? lo : 0.0f; // minnumf(lo, 0): lo is never NaN
  float rmax = hi > 0.0f ? hi : 0.0f;
  float scale = (rmax - rmin) / 255.0f;
  if (scale == 0.0f)
    scale = 1.0f;
  float z = std::nearbyint(0.0f - rmin / scale); // half to even
  if (z == z) {
    z = z > 0.0f ? z : 0.0f;
    z = z < 255.0f ? z : 255.0f;
  }
  return {scale, clampedToInt(z)};
}

const DQSteps &stepsFor(Isa isa) {
  return *byVectorWidth(isa, &dqStepsSse2, &dqStepsAvx2, &dqStepsAvx512);
}

/// What the driver's hook needs: the ISA's passes, the last pass's data
/// and N.
struct FinishContext {
  const DQSteps *steps;
  DQFinish finish;
  int64_t n;
};

/// The driver's hook: panels [p0, p1) of C become floats.
void finish(void *context, int64_t, int64_t p0, int64_t p1) {
  const auto &c = *static_cast<const FinishContext *>(context);
  c.steps->finish(c.finish, p0 * 16, p1 * 16 < c.n ? p1 * 16 : c.n);
}

} // namespace

SLIM_DQ_STEPS(slim::runtime::detail::dqStepsSse2, Sse2)

void slim::runtime::dqgemm(Isa isa, const DQGemmArgs &args) {
  if (args.m <= 0 || args.n <= 0)
    return;
  const DQSteps &steps = stepsFor(isa);
  int64_t rows = args.m, kq = (args.k + 3) & ~int64_t(3);
  // Both passes split rows over the threads when the call is large enough
  // to be split at all (the tensor's range is the min and max of the
  // threads' ranges: the same values in any order; paramsOf maps -0 and +0
  // alike).
  int threads = threadsFor(rows * args.k * args.n);
  // Pass 1: the range (of the tensor, or of each row) and its parameters.
  std::vector<DQParams> params(static_cast<size_t>(args.perRow ? rows : 1));
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
#ifdef _OPENMP
#pragma omp parallel num_threads(threads) if (threads > 1)
#endif
  {
    float myLo = std::numeric_limits<float>::infinity(), myHi = -myLo;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int64_t r = 0; r < rows; ++r) {
      if (args.perRow) {
        myLo = std::numeric_limits<float>::infinity();
        myHi = -myLo;
      }
      steps.range(args.a + r * args.aRowStride, args.k, myLo, myHi);
      if (args.perRow)
        params[r] = paramsOf(myLo, myHi);
    }
    if (!args.perRow) {
#ifdef _OPENMP
#pragma omp critical
#endif
      {
        lo = myLo < lo ? myLo : lo;
        hi = myHi > hi ? myHi : hi;
      }
    }
  }
  if (!args.perRow)
    params[0] = paramsOf(lo, hi);
  // Pass 2: q, laid out as the kernels read A (rows of kq bytes), and its
  // row sums when the weight has zero points.
  std::vector<uint8_t> q(static_cast<size_t>(rows * (kq > 0 ? kq : 1)));
  std::vector<uint32_t> rowSums(args.weightZeros ? rows : 0);
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
#endif
  for (int64_t r = 0; r < rows; ++r) {
    uint32_t sum =
        steps.quantize(args.a + r * args.aRowStride, args.k, kq,
                       params[args.perRow ? r : 0], q.data() + r * kq);
    if (args.weightZeros)
      rowSums[r] = sum;
  }
  // The weight's column sums (stored after its panels, any alignment) and
  // K * Zw.
  PackedInt8Shape s = packedInt8Shape(args.k, args.n);
  std::vector<int32_t> colSums(static_cast<size_t>(args.n));
  std::memcpy(colSums.data(), args.packedB + s.kp * s.np,
              static_cast<size_t>(args.n) * sizeof(int32_t));
  std::vector<int32_t> kTimesZeros;
  if (args.weightZeros)
    for (int64_t j = 0; j < args.n; ++j)
      kTimesZeros.push_back(static_cast<int32_t>(
          static_cast<uint32_t>(args.k) *
          static_cast<uint32_t>(args.weightZeros[j])));
  DQFinish f;
  f.m = rows;
  f.c = args.c;
  f.ldc = args.cRowStride;
  f.params = params.data();
  f.perRow = args.perRow;
  f.rowSums = args.weightZeros ? rowSums.data() : nullptr;
  f.colSums = colSums.data();
  f.weightScales = args.weightScales;
  f.weightZeros = args.weightZeros;
  f.kTimesZeros = kTimesZeros.data();
  f.bias = args.bias;
  FinishContext context{&steps, f, args.n};
  QGemmArgs g;
  g.m = args.m;
  g.n = args.n;
  g.k = args.k;
  g.a = q.data();
  g.aRowStride = kq;
  g.aSigned = false;
  g.packedB = args.packedB;
  // The sums go to C's buffer (4 bytes per element either way).
  g.c = reinterpret_cast<int32_t *>(args.c);
  g.cRowStride = args.cRowStride;
  runQGemm(isa, g, finish, &context);
}
