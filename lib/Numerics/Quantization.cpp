//===- Quantization.cpp - Affine quantization arithmetic ------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Numerics/Quantization.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace slim {
namespace numerics {

IntRange IntRange::forStorage(unsigned bits, bool isSigned, bool narrow) {
  assert(bits >= 2 && bits <= 32 && "storage width out of range");
  IntRange r;
  if (isSigned) {
    r.min = -(int64_t(1) << (bits - 1));
    r.max = (int64_t(1) << (bits - 1)) - 1;
  } else {
    r.min = 0;
    r.max = (int64_t(1) << bits) - 1;
  }
  if (narrow)
    r.min += 1;
  return r;
}

float roundToIntegral(float v, Rounding mode) {
  float away = std::round(v);
  if (mode == Rounding::HalfAwayFromZero)
    return away;
  // A tie rounded away lands on an odd integer: step back toward zero.
  if (std::fabs(away - v) == 0.5f && std::fmod(away, 2.0f) != 0.0f)
    return away - std::copysign(1.0f, v);
  return away;
}

double roundToIntegral(double v, Rounding mode) {
  double away = std::round(v);
  if (mode == Rounding::HalfAwayFromZero)
    return away;
  if (std::fabs(away - v) == 0.5 && std::fmod(away, 2.0) != 0.0)
    return away - std::copysign(1.0, v);
  return away;
}

std::optional<QuantParams> chooseQuantParams(float rmin, float rmax,
                                             IntRange range, bool symmetric) {
  if (!std::isfinite(rmin) || !std::isfinite(rmax) || rmin > rmax)
    return std::nullopt;
  rmin = std::min(rmin, 0.0f);
  rmax = std::max(rmax, 0.0f);
  bool isSigned = range.min < 0;
  int64_t midpoint = isSigned ? 0 : (range.min + range.max + 1) / 2;

  float scale;
  if (symmetric) {
    float amax = std::max(-rmin, rmax);
    scale = amax / (static_cast<float>(range.max - range.min) / 2.0f);
  } else {
    scale = (rmax - rmin) / static_cast<float>(range.max - range.min);
  }
  if (!std::isfinite(scale))
    return std::nullopt;
  // Degenerate (or underflowing) range: every value quantizes to real 0.
  if (scale == 0.0f)
    return QuantParams{1.0, symmetric ? midpoint : range.clamp(0)};

  QuantParams p;
  p.scale = scale;
  if (symmetric) {
    p.zeroPoint = midpoint;
  } else {
    float z = static_cast<float>(range.min) - rmin / scale;
    z = roundToIntegral(z, Rounding::HalfToEven);
    p.zeroPoint = range.clamp(static_cast<int64_t>(z));
  }
  return p;
}

int64_t quantize(float x, float scale, int64_t zeroPoint, IntRange range,
                 Rounding mode) {
  if (std::isnan(x))
    return range.clamp(zeroPoint);
  float r = roundToIntegral(x / scale, mode);
  // Any value this far out saturates; clamping first keeps the conversion
  // defined (Inf included).
  constexpr float kLimit = 0x1p40f;
  r = std::min(std::max(r, -kLimit), kLimit);
  return range.clamp(static_cast<int64_t>(r) + zeroPoint);
}

float dequantize(int64_t q, float scale, int64_t zeroPoint) {
  return static_cast<float>(q - zeroPoint) * scale;
}

bool isDequantizeQuantizeExact(double scale, IntRange range,
                               unsigned mantissaBits, double maxFinite,
                               double minNormal) {
  float s = static_cast<float>(scale);
  double maxAbs = static_cast<double>(range.max - range.min);
  if (!(s > 0.0f) || maxAbs >= 0x1p24)
    return false;
  // Dequantize rounds twice (the float32 multiply, then the narrowing to the
  // expressed type), quantize once (the float32 division).
  double u32 = 0x1p-24, ue = std::ldexp(1.0, -static_cast<int>(mantissaBits));
  double eps = (1 + u32) * (1 + u32) * (1 + ue) - 1;
  if (maxAbs * eps >= 0.5)
    return false;
  // No overflow to Inf, no subnormal (which loses relative precision).
  return maxAbs * s * (1 + eps) <= maxFinite && s >= minNormal;
}

//===----------------------------------------------------------------------===//
// Requantization
//===----------------------------------------------------------------------===//

static int32_t saturateToInt32(int64_t v) {
  return static_cast<int32_t>(
      std::min<int64_t>(std::max<int64_t>(v, INT32_MIN), INT32_MAX));
}

std::optional<FixedPointMultiplier> decomposeMultiplier(double m) {
  if (!std::isfinite(m) || m < 0.0)
    return std::nullopt;
  if (m == 0.0)
    return FixedPointMultiplier{};
  int exponent = 0;
  double fraction = std::frexp(m, &exponent); // m = fraction * 2^exponent.
  int64_t fixed = std::llround(fraction * 0x1p31);
  if (fixed == (int64_t(1) << 31)) {
    fixed /= 2;
    ++exponent;
  }
  if (exponent > 31)
    return std::nullopt;
  if (exponent < -31)
    return FixedPointMultiplier{};
  return FixedPointMultiplier{static_cast<int32_t>(fixed), exponent};
}

int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN)
    return INT32_MAX;
  int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  int64_t nudge = ab >= 0 ? (int64_t(1) << 30) : 1 - (int64_t(1) << 30);
  // C++ division truncates toward zero, as gemmlowp's does.
  return static_cast<int32_t>((ab + nudge) / (int64_t(1) << 31));
}

int32_t roundingDivideByPOT(int32_t x, int exponent) {
  assert(exponent >= 0 && exponent <= 31 && "exponent out of range");
  int64_t mask = (int64_t(1) << exponent) - 1;
  int64_t remainder = static_cast<int64_t>(x) & mask;
  int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  int64_t shifted = static_cast<int64_t>(x) >> exponent; // arithmetic shift
  return static_cast<int32_t>(shifted + (remainder > threshold ? 1 : 0));
}

int32_t multiplyByFixedPoint(int64_t x, FixedPointMultiplier m) {
  int leftShift = std::max(m.shift, 0);
  int rightShift = std::max(-m.shift, 0);
  // A multiplication, not x << leftShift: shifting a negative value left is
  // undefined in C++17. |x| <= 2^31 and leftShift <= 31 fit in 64 bits.
  int64_t shifted = static_cast<int64_t>(saturateToInt32(x)) *
                    (static_cast<int64_t>(1) << std::min(leftShift, 31));
  int32_t high =
      saturatingRoundingDoublingHighMul(saturateToInt32(shifted), m.multiplier);
  return roundingDivideByPOT(high, rightShift);
}

int64_t requantizeFixedPoint(int64_t q, int64_t zeroIn, FixedPointMultiplier m,
                             int64_t zeroOut, IntRange range) {
  return range.clamp(static_cast<int64_t>(multiplyByFixedPoint(q - zeroIn, m)) +
                     zeroOut);
}

int64_t requantizeFloat(int64_t q, int64_t zeroIn, double m, int64_t zeroOut,
                        IntRange range, Rounding mode) {
  double r = roundToIntegral(static_cast<double>(q - zeroIn) * m, mode);
  constexpr double kLimit = 0x1p62;
  r = std::min(std::max(r, -kLimit), kLimit);
  return range.clamp(static_cast<int64_t>(r) + zeroOut);
}

int64_t groupSizeFor(int64_t k, int64_t groupSize) {
  if (k <= groupSize)
    return k;
  for (bool multipleOf8 : {true, false})
    for (int64_t d = groupSize; 2 * d >= groupSize; --d)
      if (k % d == 0 && (!multipleOf8 || d % 8 == 0))
        return d;
  return k;
}

} // namespace numerics
} // namespace slim
