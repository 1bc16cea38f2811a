//===- Quantization.h - Affine quantization arithmetic -----------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The scalar reference arithmetic of Slim's quantization ops: parameters from
// a range, rounding, quantize / dequantize of one value, and the two
// requantization paths. Plain C++ with no MLIR dependency; the ops'
// descriptions, their constant folders and the lowering all follow these
// definitions, and unittests/ checks them against closed forms.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_NUMERICS_QUANTIZATION_H
#define SLIM_NUMERICS_QUANTIZATION_H

#include <cstdint>
#include <optional>

namespace slim {
namespace numerics {

/// How a value exactly halfway between two integers is rounded.
enum class Rounding {
  HalfToEven,       ///< ONNX QuantizeLinear, IEEE roundeven.
  HalfAwayFromZero, ///< TFLite / gemmlowp, C `round`.
};

/// The closed range of stored integers, [min, max].
struct IntRange {
  int64_t min = 0;
  int64_t max = 0;

  /// The full range of a `bits`-wide integer (2 <= bits <= 32). `narrow`
  /// drops the lowest value: [-127, 127] for i8, so that -q is representable,
  /// and [1, 255] for u8 (TensorFlow's narrow_range).
  static IntRange forStorage(unsigned bits, bool isSigned, bool narrow = false);

  bool contains(int64_t v) const { return v >= min && v <= max; }
  int64_t clamp(int64_t v) const { return v < min ? min : (v > max ? max : v); }
};

/// A scale and zero point: r = scale * (q - zeroPoint).
struct QuantParams {
  double scale = 1.0;
  int64_t zeroPoint = 0;
};

/// Rounds a float32 value to an integral float32 under `mode`.
float roundToIntegral(float v, Rounding mode);

/// Rounds a float64 value to an integral float64 under `mode`.
double roundToIntegral(double v, Rounding mode);

/// Chooses parameters that cover [rmin, rmax] (widened to include 0.0 so
/// that real 0 is exact).
///   asymmetric: S = (rmax - rmin) / (qmax - qmin) and
///               Z = clamp(round_half_even(qmin - rmin / S)), in float32
///               (ONNX DynamicQuantizeLinear for u8);
///   symmetric:  S = max(|rmin|, |rmax|) / ((qmax - qmin) / 2), Z = 0 for a
///               signed range, the midpoint (qmin + qmax + 1) / 2 for an
///               unsigned one.
/// A degenerate range (rmin == rmax == 0) gives S = 1, Z = 0 (the midpoint
/// for symmetric unsigned). Returns std::nullopt when a bound is NaN or
/// infinite, when rmin > rmax, or when the scale would overflow float32.
std::optional<QuantParams> chooseQuantParams(float rmin, float rmax,
                                             IntRange range, bool symmetric);

/// Quantizes one value: clamp(round(float32(x) / float32(S)) + Z), with
/// +Inf -> max, -Inf -> min and NaN -> clamp(Z).
int64_t quantize(float x, float scale, int64_t zeroPoint, IntRange range,
                 Rounding mode);

/// Dequantizes one value: float32(q - Z) * float32(S).
float dequantize(int64_t q, float scale, int64_t zeroPoint);

/// Whether dequantize followed by quantize (same parameters, any rounding)
/// returns every stored value of `range` unchanged when the dequantized value
/// is kept in a float type with `mantissaBits` bits of precision (24 for f32,
/// 11 for f16, 8 for bf16) and the given largest finite and smallest normal
/// magnitudes. Proven from error bounds, used to decide a sound fold.
bool isDequantizeQuantizeExact(double scale, IntRange range,
                               unsigned mantissaBits, double maxFinite,
                               double minNormal);

//===----------------------------------------------------------------------===//
// Requantization
//===----------------------------------------------------------------------===//

/// A real multiplier as a 32-bit fixed-point value and a power of two:
/// M = multiplier * 2^(shift - 31), multiplier in [2^30, 2^31), or
/// multiplier == 0 and shift == 0 for M == 0 and multipliers below 2^-32.
struct FixedPointMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};

/// Decomposes a finite, non-negative real multiplier (TFLite's
/// QuantizeMultiplier). Returns std::nullopt for a negative, NaN or infinite
/// multiplier, or one of 2^31 or more.
std::optional<FixedPointMultiplier> decomposeMultiplier(double m);

/// gemmlowp SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b,
/// rounded (ties upward); a == b == INT32_MIN saturates to INT32_MAX.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest with ties
/// away from zero, 0 <= exponent <= 31.
int32_t roundingDivideByPOT(int32_t x, int exponent);

/// Applies a fixed-point multiplier to x (TFLite MultiplyByQuantizedMultiplier
/// with a saturating left shift): x is saturated to int32 first.
int32_t multiplyByFixedPoint(int64_t x, FixedPointMultiplier m);

/// Full requantization of one stored value, both modes, per the description
/// of slim.requantize. `range` is the result's storage range intersected with
/// any fused clamp.
int64_t requantizeFixedPoint(int64_t q, int64_t zeroIn, FixedPointMultiplier m,
                             int64_t zeroOut, IntRange range);
int64_t requantizeFloat(int64_t q, int64_t zeroIn, double m, int64_t zeroOut,
                        IntRange range, Rounding mode);

/// Stores the 4-bit integer `q` (its low 4 bits) as element `j` of a row
/// packed two per byte, low nibble first (ONNX's int4 order, slim.unpack's):
/// into byte j / 2 of `row`, which starts zeroed.
inline void setPackedInt4(int8_t *row, int64_t j, int64_t q) {
  auto nibble = static_cast<uint8_t>(static_cast<uint64_t>(q) & 0xF);
  row[j / 2] = static_cast<int8_t>(static_cast<uint8_t>(row[j / 2]) |
                                   (nibble << (4 * (j % 2))));
}

/// The group size a weight with reduction size `k` gets when `groupSize`
/// does not divide it: the largest divisor of k between groupSize / 2 and
/// groupSize, a multiple of 8 first (the int8-activation and 2:4 kernels
/// take those); k itself (one group: per channel) when k <= groupSize or no
/// divisor is in that range. Every kernel and lowering then sees whole
/// groups, exactly. `groupSize` itself when it divides k.
int64_t groupSizeFor(int64_t k, int64_t groupSize);

} // namespace numerics
} // namespace slim

#endif // SLIM_NUMERICS_QUANTIZATION_H
