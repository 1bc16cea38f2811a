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
// converts a NaN (an infinite input). Compiled for baseline x86-64 (SSE2):
// cvtps2dq rounds half to even under the default MXCSR, as roundeven does.
//
//===----------------------------------------------------------------------===//

#include "QGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <emmintrin.h>

using namespace slim::runtime;
using namespace slim::runtime::detail;

#pragma clang fp contract(off)

namespace {

constexpr float kLimit = 1073741824.0f; // 2^30: the lowering's clamp

/// fptosi of a value clamped to +-2^30 with NaN kept (maximumf/minimumf
/// propagate it), as x86 converts: NaN -> INT32_MIN.
int32_t clampedToInt(float v) {
  if (v != v)
    return std::numeric_limits<int32_t>::min();
  v = v < -kLimit ? -kLimit : v;
  v = v > kLimit ? kLimit : v;
  return static_cast<int32_t>(v);
}

/// Round half to even under the default rounding mode (NaN stays NaN).
float roundEven(float v) { return std::nearbyint(v); }

struct Params {
  float scale;
  int32_t zero;
};

/// S and Z of a range [lo, hi] (NaN ignored; +inf/-inf when empty).
Params paramsOf(float lo, float hi) {
  float rmin = lo < 0.0f ? lo : 0.0f; // minnumf(lo, 0): lo is never NaN
  float rmax = hi > 0.0f ? hi : 0.0f;
  float scale = (rmax - rmin) / 255.0f;
  if (scale == 0.0f)
    scale = 1.0f;
  float z = roundEven(0.0f - rmin / scale);
  if (z == z) {
    z = z > 0.0f ? z : 0.0f;
    z = z < 255.0f ? z : 255.0f;
  }
  return {scale, clampedToInt(z)};
}

/// Min and max of n floats, NaN ignored (minps keeps its second operand
/// when the first is NaN).
void rangeOf(const float *x, int64_t n, float &lo, float &hi) {
  __m128 vlo = _mm_set1_ps(lo), vhi = _mm_set1_ps(hi);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    __m128 v = _mm_loadu_ps(x + i);
    vlo = _mm_min_ps(v, vlo);
    vhi = _mm_max_ps(v, vhi);
  }
  alignas(16) float l[4], h[4];
  _mm_store_ps(l, vlo);
  _mm_store_ps(h, vhi);
  for (int j = 0; j < 4; ++j) {
    lo = l[j] < lo ? l[j] : lo;
    hi = h[j] > hi ? h[j] : hi;
  }
  for (; i < n; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
}

/// Four quantized values: clamp(roundeven(x / S) + Z, 0, 255), NaN x -> Z,
/// as the low 4 bytes; the lanes' int32 sum goes to `sum`.
inline uint32_t quantize4(__m128 x, __m128 scale, __m128i zero,
                          uint32_t &sum) {
  __m128 t = _mm_div_ps(x, scale);
  // max/min with the bound first keep a NaN quotient (an infinite x over an
  // infinite S): cvtps2dq turns it into INT32_MIN, like fptosi on x86.
  t = _mm_min_ps(_mm_set1_ps(kLimit), _mm_max_ps(_mm_set1_ps(-kLimit), t));
  __m128i i = _mm_cvtps_epi32(t);
  i = _mm_andnot_si128(_mm_castps_si128(_mm_cmpunord_ps(x, x)), i);
  i = _mm_add_epi32(i, zero);
  // int32 -> int16 -> uint8, each saturating: the clamp to [0, 255].
  __m128i b = _mm_packus_epi16(_mm_packs_epi32(i, i), _mm_setzero_si128());
  uint32_t word = static_cast<uint32_t>(_mm_cvtsi128_si32(b));
  sum += (word & 0xFF) + ((word >> 8) & 0xFF) + ((word >> 16) & 0xFF) +
         (word >> 24);
  return word;
}

/// Quantizes one row of k floats into `to` (kq bytes, zeros past k);
/// returns the row's sum of q.
uint32_t quantizeRow(const float *x, int64_t k, int64_t kq, Params p,
                     uint8_t *to) {
  __m128 scale = _mm_set1_ps(p.scale);
  __m128i zero = _mm_set1_epi32(p.zero);
  uint32_t sum = 0;
  int64_t i = 0;
  for (; i + 4 <= k; i += 4) {
    uint32_t word = quantize4(_mm_loadu_ps(x + i), scale, zero, sum);
    std::memcpy(to + i, &word, 4);
  }
  if (i < k) {
    alignas(16) float tail[4] = {0, 0, 0, 0};
    std::memcpy(tail, x + i, static_cast<size_t>(k - i) * sizeof(float));
    uint32_t partial = 0;
    uint32_t word = quantize4(_mm_load_ps(tail), scale, zero, partial);
    for (int64_t j = 0; i + j < k; ++j) {
      uint8_t q = static_cast<uint8_t>(word >> (8 * j));
      to[i + j] = q;
      sum += q;
    }
    i = k;
  }
  std::memset(to + k, 0, static_cast<size_t>(kq - k));
  return sum;
}

/// What the epilogue needs, per call.
struct Epilogue {
  const DQGemmArgs *args;
  const Params *params; ///< one, or one per row
  const uint32_t *rowSums;
  const int32_t *colSums; ///< of the packed weight
};

/// C's int32 sums of panels [p0, p1) (batch 0) become the scaled floats.
void finish(void *context, int64_t, int64_t p0, int64_t p1) {
  const Epilogue &e = *static_cast<const Epilogue *>(context);
  const DQGemmArgs &a = *e.args;
  int64_t c0 = p0 * 16, c1 = p1 * 16 < a.n ? p1 * 16 : a.n;
  uint32_t k = static_cast<uint32_t>(a.k);
  for (int64_t r = 0; r < a.m; ++r) {
    Params p = e.params[a.perRow ? r : 0];
    uint32_t z = static_cast<uint32_t>(p.zero);
    uint32_t rowSum = e.rowSums ? e.rowSums[r] : 0;
    float *out = a.c + r * a.cRowStride;
    for (int64_t j = c0; j < c1; ++j) {
      uint32_t acc;
      std::memcpy(&acc, out + j, 4);
      acc -= z * static_cast<uint32_t>(e.colSums[j]);
      if (a.weightZeros) {
        uint32_t zw = static_cast<uint32_t>(a.weightZeros[j]);
        acc -= zw * rowSum;
        acc += k * (z * zw);
      }
      float s = p.scale * a.weightScales[j];
      float y = static_cast<float>(static_cast<int32_t>(acc)) * s;
      if (a.bias)
        y = y + a.bias[j];
      out[j] = y;
    }
  }
}

} // namespace

void slim::runtime::dqgemm(Isa isa, const DQGemmArgs &args) {
  if (args.m <= 0 || args.n <= 0)
    return;
  int64_t rows = args.m, kq = (args.k + 3) & ~int64_t(3);
  // Pass 1: the range (of the tensor, or of each row) and its parameters.
  auto *params = static_cast<Params *>(
      std::malloc(static_cast<size_t>(args.perRow ? rows : 1) * sizeof(Params)));
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  for (int64_t r = 0; r < rows; ++r) {
    if (args.perRow) {
      lo = std::numeric_limits<float>::infinity();
      hi = -lo;
    }
    rangeOf(args.a + r * args.aRowStride, args.k, lo, hi);
    if (args.perRow)
      params[r] = paramsOf(lo, hi);
  }
  if (!args.perRow)
    params[0] = paramsOf(lo, hi);
  // Pass 2: q, laid out as the kernels read A (rows of kq bytes), and its
  // row sums when the weight has zero points.
  auto *q = static_cast<uint8_t *>(
      std::malloc(static_cast<size_t>(rows * (kq > 0 ? kq : 1))));
  uint32_t *rowSums = nullptr;
  if (args.weightZeros)
    rowSums = static_cast<uint32_t *>(
        std::malloc(static_cast<size_t>(rows) * sizeof(uint32_t)));
  for (int64_t r = 0; r < rows; ++r) {
    uint32_t sum = quantizeRow(args.a + r * args.aRowStride, args.k, kq,
                               params[args.perRow ? r : 0], q + r * kq);
    if (rowSums)
      rowSums[r] = sum;
  }
  // The weight's column sums, stored after its panels (any alignment).
  PackedInt8Shape s = packedInt8Shape(args.k, args.n);
  auto *colSums = static_cast<int32_t *>(
      std::malloc(static_cast<size_t>(args.n) * sizeof(int32_t)));
  std::memcpy(colSums, args.packedB + s.kp * s.np,
              static_cast<size_t>(args.n) * sizeof(int32_t));
  Epilogue e{&args, params, rowSums, colSums};
  QGemmArgs g;
  g.m = args.m;
  g.n = args.n;
  g.k = args.k;
  g.a = q;
  g.aRowStride = kq;
  g.aSigned = false;
  g.packedB = args.packedB;
  // The sums go to C's buffer (4 bytes per element either way).
  g.c = reinterpret_cast<int32_t *>(args.c);
  g.cRowStride = args.cRowStride;
  runQGemm(isa, g, finish, &e);
  std::free(params);
  std::free(q);
  std::free(rowSums);
  std::free(colSums);
}
