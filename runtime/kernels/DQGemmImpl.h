//===- DQGemmImpl.h - dqgemm's vector steps, per ISA (internal) -*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The passes of dqgemm (DQGemm.cpp) over the activation and the result,
// written once over a traits class `V` of vector operations and
// instantiated in one file per ISA (SSE2 in DQGemm.cpp, AVX2, AVX-512),
// each compiled with that ISA's flags; everything here has internal
// linkage (QGemmImpl.h says why). The arithmetic is slim.dynamic_qmatmul's
// (see DQGemm.cpp): true divisions, round half to even by the default
// MXCSR mode of cvtps2dq, NaN quotients converted to INT32_MIN as x86
// converts them, int32 steps wrapping.
//
// V provides: W (lanes), F and I (float and int32 vectors), loadF, setF,
// setI, zeroI, minKeep/maxKeep (keep the second operand when the first is
// NaN: x86 min/max), divF, mulF, addF, cvtRound (ps -> epi32, RNE, NaN ->
// INT32_MIN), cvtF (epi32 -> ps), zeroWhereNaN(i, x), addI, subI, mulLo,
// clampByte (to [0, 255]), storeBytes (the low byte of each lane, W bytes),
// loadI, storeF, hsumI, hminF, hmaxF.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_DQGEMMIMPL_H
#define SLIM_RUNTIME_KERNELS_DQGEMMIMPL_H

#include <cstdint>
#include <cstring>

namespace slim::runtime::detail {

/// The quantization parameters of a tensor or a row.
struct DQParams {
  float scale;
  int32_t zero;
};

/// What the last pass needs: C holds int32 sums; row r's become
///   f32(acc - Z colSums[j] - Zw[j] rowSums[r] + Z kZw[j]) * f32(S sw[j])
///   (+ bias[j]).
struct DQFinish {
  int64_t m = 0;
  float *c = nullptr;
  int64_t ldc = 0;
  const DQParams *params = nullptr; ///< one per row, or one (perRow false)
  bool perRow = false;
  const uint32_t *rowSums = nullptr; ///< null: no weight zero points
  const int32_t *colSums = nullptr;
  const float *weightScales = nullptr;
  const int32_t *weightZeros = nullptr; ///< null: all zero
  const int32_t *kTimesZeros = nullptr; ///< K * weightZeros[j], wrapped
  const float *bias = nullptr;
};

/// One ISA's passes.
struct DQSteps {
  void (*range)(const float *x, int64_t n, float &lo, float &hi);
  uint32_t (*quantize)(const float *x, int64_t k, int64_t kq, DQParams p,
                       uint8_t *to);
  void (*finish)(const DQFinish &f, int64_t c0, int64_t c1);
};
extern const DQSteps dqStepsSse2, dqStepsAvx2, dqStepsAvx512;

#pragma clang fp contract(off)

/// The smallest (or largest) of n floats, none NaN: the traits' horizontal
/// reductions after storing a vector.
static inline float dqExtreme(const float *v, int n, bool largest) {
  float m = v[0];
  for (int i = 1; i < n; ++i)
    m = (largest ? v[i] > m : v[i] < m) ? v[i] : m;
  return m;
}

/// One element of the last pass (the vector loops' tail).
static inline float dqFinishOne(const DQFinish &f, DQParams p, uint32_t rowSum,
                                int64_t j, uint32_t acc) {
  uint32_t z = static_cast<uint32_t>(p.zero);
  acc -= z * static_cast<uint32_t>(f.colSums[j]);
  if (f.weightZeros) {
    acc -= static_cast<uint32_t>(f.weightZeros[j]) * rowSum;
    acc += z * static_cast<uint32_t>(f.kTimesZeros[j]);
  }
  float s = p.scale * f.weightScales[j];
  float y = static_cast<float>(static_cast<int32_t>(acc)) * s;
  if (f.bias)
    y = y + f.bias[j];
  return y;
}

template <class V>
static void dqRange(const float *x, int64_t n, float &lo, float &hi) {
  typename V::F vlo = V::setF(lo), vhi = V::setF(hi);
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) {
    typename V::F v = V::loadF(x + i);
    vlo = V::minKeep(v, vlo);
    vhi = V::maxKeep(v, vhi);
  }
  lo = V::hminF(vlo);
  hi = V::hmaxF(vhi);
  for (; i < n; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
}

/// W quantized values as int32 lanes in [0, 255].
template <class V>
static inline typename V::I dqQuantize(typename V::F x, typename V::F scale,
                                       typename V::I zero) {
  constexpr float limit = 1073741824.0f; // 2^30: the lowering's clamp
  typename V::F t = V::divF(x, scale);
  // The bound first: a NaN quotient (an infinite x over an infinite S)
  // stays NaN and converts to INT32_MIN, like fptosi on x86.
  t = V::minKeep(V::setF(limit), V::maxKeep(V::setF(-limit), t));
  typename V::I i = V::zeroWhereNaN(V::cvtRound(t), x);
  return V::clampByte(V::addI(i, zero));
}

template <class V>
static uint32_t dqQuantizeRow(const float *x, int64_t k, int64_t kq,
                              DQParams p, uint8_t *to) {
  typename V::F scale = V::setF(p.scale);
  typename V::I zero = V::setI(p.zero), sum = V::zeroI();
  int64_t i = 0;
  for (; i + V::W <= k; i += V::W) {
    typename V::I q = dqQuantize<V>(V::loadF(x + i), scale, zero);
    sum = V::addI(sum, q);
    V::storeBytes(to + i, q);
  }
  uint32_t total = V::hsumI(sum);
  if (i < k) {
    float tail[V::W] = {};
    uint8_t bytes[V::W];
    std::memcpy(tail, x + i, static_cast<size_t>(k - i) * sizeof(float));
    V::storeBytes(bytes, dqQuantize<V>(V::loadF(tail), scale, zero));
    for (int64_t j = 0; i + j < k; ++j) {
      to[i + j] = bytes[j];
      total += bytes[j];
    }
  }
  std::memset(to + k, 0, static_cast<size_t>(kq - k));
  return total;
}

template <class V>
static void dqFinish(const DQFinish &f, int64_t c0, int64_t c1) {
  for (int64_t r = 0; r < f.m; ++r) {
    DQParams p = f.params[f.perRow ? r : 0];
    uint32_t rowSum = f.rowSums ? f.rowSums[r] : 0;
    typename V::I z = V::setI(p.zero);
    typename V::I rs = V::setI(static_cast<int32_t>(rowSum));
    typename V::F s = V::setF(p.scale);
    float *out = f.c + r * f.ldc;
    int64_t j = c0;
    for (; j + V::W <= c1; j += V::W) {
      typename V::I acc = V::loadI(out + j);
      acc = V::subI(acc, V::mulLo(z, V::loadI(f.colSums + j)));
      if (f.weightZeros) {
        acc = V::subI(acc, V::mulLo(V::loadI(f.weightZeros + j), rs));
        acc = V::addI(acc, V::mulLo(z, V::loadI(f.kTimesZeros + j)));
      }
      typename V::F y =
          V::mulF(V::cvtF(acc), V::mulF(s, V::loadF(f.weightScales + j)));
      if (f.bias)
        y = V::addF(y, V::loadF(f.bias + j));
      V::storeF(out + j, y);
    }
    for (; j < c1; ++j) {
      uint32_t acc;
      std::memcpy(&acc, out + j, 4);
      out[j] = dqFinishOne(f, p, rowSum, j, acc);
    }
  }
}

#pragma clang fp contract(on)

} // namespace slim::runtime::detail

#define SLIM_DQ_STEPS(name, Traits)                                            \
  const ::slim::runtime::detail::DQSteps name = {                              \
      &::slim::runtime::detail::dqRange<Traits>,                               \
      &::slim::runtime::detail::dqQuantizeRow<Traits>,                         \
      &::slim::runtime::detail::dqFinish<Traits>};

#endif // SLIM_RUNTIME_KERNELS_DQGEMMIMPL_H
