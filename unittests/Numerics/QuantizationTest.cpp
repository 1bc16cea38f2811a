//===- QuantizationTest.cpp - Tests of the quantization arithmetic --------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Expected values come from closed forms worked by hand (noted beside each)
// or from an independent exact computation with 128-bit integers.
//
//===----------------------------------------------------------------------===//

#include "slim/Numerics/Quantization.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

using namespace slim::numerics;

namespace {

const IntRange kI8 = IntRange::forStorage(8, true);
const IntRange kU8 = IntRange::forStorage(8, false);

TEST(IntRangeTest, StorageRanges) {
  EXPECT_EQ(kI8.min, -128);
  EXPECT_EQ(kI8.max, 127);
  EXPECT_EQ(kU8.min, 0);
  EXPECT_EQ(kU8.max, 255);
  IntRange narrow = IntRange::forStorage(8, true, /*narrow=*/true);
  EXPECT_EQ(narrow.min, -127);
  EXPECT_EQ(narrow.max, 127);
  IntRange u8narrow = IntRange::forStorage(8, false, true);
  EXPECT_EQ(u8narrow.min, 1);
  EXPECT_EQ(u8narrow.max, 255);
  IntRange i4 = IntRange::forStorage(4, true);
  EXPECT_EQ(i4.min, -8);
  EXPECT_EQ(i4.max, 7);
  IntRange u4 = IntRange::forStorage(4, false);
  EXPECT_EQ(u4.max, 15);
  IntRange i32 = IntRange::forStorage(32, true);
  EXPECT_EQ(i32.min, INT32_MIN);
  EXPECT_EQ(i32.max, INT32_MAX);
}

TEST(RoundingTest, Ties) {
  EXPECT_EQ(roundToIntegral(2.5f, Rounding::HalfToEven), 2.0f);
  EXPECT_EQ(roundToIntegral(3.5f, Rounding::HalfToEven), 4.0f);
  EXPECT_EQ(roundToIntegral(-2.5f, Rounding::HalfToEven), -2.0f);
  EXPECT_EQ(roundToIntegral(-0.5f, Rounding::HalfToEven), 0.0f);
  EXPECT_EQ(roundToIntegral(2.5f, Rounding::HalfAwayFromZero), 3.0f);
  EXPECT_EQ(roundToIntegral(-2.5f, Rounding::HalfAwayFromZero), -3.0f);
  EXPECT_EQ(roundToIntegral(-0.5f, Rounding::HalfAwayFromZero), -1.0f);
  // The largest float below 0.5 rounds down under both modes (floor(x+0.5)
  // would give 1).
  float below = std::nextafter(0.5f, 0.0f);
  EXPECT_EQ(roundToIntegral(below, Rounding::HalfAwayFromZero), 0.0f);
  EXPECT_EQ(roundToIntegral(below, Rounding::HalfToEven), 0.0f);
  EXPECT_EQ(roundToIntegral(2.5, Rounding::HalfToEven), 2.0);
  EXPECT_EQ(roundToIntegral(-3.5, Rounding::HalfToEven), -4.0);
  EXPECT_EQ(roundToIntegral(-3.5, Rounding::HalfAwayFromZero), -4.0);
}

TEST(QuantizeTest, RoundsThenAddsZeroPoint) {
  // 0.5 / 1 = 0.5 -> 0 (even), + 3 = 3; round(0.5 + 3) would give 4.
  EXPECT_EQ(quantize(0.5f, 1.0f, 3, kI8, Rounding::HalfToEven), 3);
  EXPECT_EQ(quantize(0.5f, 1.0f, 3, kI8, Rounding::HalfAwayFromZero), 4);
  EXPECT_EQ(quantize(-1.5f, 1.0f, 0, kI8, Rounding::HalfToEven), -2);
  EXPECT_EQ(quantize(-1.5f, 1.0f, 0, kI8, Rounding::HalfAwayFromZero), -2);
  EXPECT_EQ(quantize(-2.5f, 1.0f, 0, kI8, Rounding::HalfToEven), -2);
  EXPECT_EQ(quantize(-2.5f, 1.0f, 0, kI8, Rounding::HalfAwayFromZero), -3);
}

TEST(QuantizeTest, SaturatesAndDefinesSpecials) {
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(quantize(1000.0f, 0.5f, 0, kI8, Rounding::HalfToEven), 127);
  EXPECT_EQ(quantize(-1000.0f, 0.5f, 0, kI8, Rounding::HalfToEven), -128);
  EXPECT_EQ(quantize(inf, 0.5f, 10, kU8, Rounding::HalfToEven), 255);
  EXPECT_EQ(quantize(-inf, 0.5f, 10, kU8, Rounding::HalfToEven), 0);
  EXPECT_EQ(quantize(std::nanf(""), 0.5f, 10, kU8, Rounding::HalfToEven), 10);
  EXPECT_EQ(quantize(3e38f, 1e-30f, 0, kI8, Rounding::HalfToEven), 127);
  // Zero point at the ends of the range.
  EXPECT_EQ(quantize(-0.1f, 0.1f, 0, kU8, Rounding::HalfToEven), 0);
  EXPECT_EQ(quantize(0.1f, 0.1f, 255, kU8, Rounding::HalfToEven), 255);
  EXPECT_EQ(quantize(-0.1f, 0.1f, 255, kU8, Rounding::HalfToEven), 254);
  EXPECT_EQ(quantize(0.1f, 0.1f, -128, kI8, Rounding::HalfToEven), -127);
}

TEST(QuantizeTest, DividesInFloat32) {
  // 0.3f / 0.1f is 3.0000002 in float32 (not 2.9999999 as 0.3 * (1/0.1)
  // might give); a tie only appears when the float quotient is exact.
  float q = 0.3f / 0.1f;
  EXPECT_EQ(quantize(0.3f, 0.1f, 0, kI8, Rounding::HalfToEven),
            static_cast<int64_t>(std::nearbyint(q)));
  // 0.15 / 0.1 in float32 is 1.4999999 -> 1 under both modes.
  EXPECT_EQ(quantize(0.15f, 0.1f, 0, kI8, Rounding::HalfAwayFromZero),
            0.15f / 0.1f < 1.5f ? 1 : 2);
}

TEST(DequantizeTest, Basic) {
  EXPECT_EQ(dequantize(-128, 0.5f, -128), 0.0f);
  EXPECT_EQ(dequantize(127, 0.5f, -128), 127.5f);
  EXPECT_EQ(dequantize(0, 0.25f, 3), -0.75f);
}

TEST(ChooseParamsTest, Asymmetric) {
  // [-64, 191] on u8: S = 255/255 = 1 exactly, Z = 0 + 64 / 1 = 64.
  auto p = chooseQuantParams(-64.0f, 191.0f, kU8, false);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scale, 1.0);
  EXPECT_EQ(p->zeroPoint, 64);
  // [-1, 1] on u8: S = 2/255; the real Z is 127.5, but 1 / S in float32 is
  // just below it (127.49999), so Z = 127, as ONNX computes it.
  p = chooseQuantParams(-1.0f, 1.0f, kU8, false);
  ASSERT_TRUE(p);
  EXPECT_FLOAT_EQ(p->scale, 2.0f / 255.0f);
  EXPECT_LT(1.0f / (2.0f / 255.0f), 127.5f);
  EXPECT_EQ(p->zeroPoint, 127);
  // Range widened to include 0: [2, 4] -> [0, 4], Z = 0.
  p = chooseQuantParams(2.0f, 4.0f, kU8, false);
  ASSERT_TRUE(p);
  EXPECT_FLOAT_EQ(p->scale, 4.0f / 255.0f);
  EXPECT_EQ(p->zeroPoint, 0);
  // All negative: [-4, -2] -> [-4, 0], Z = qmax.
  p = chooseQuantParams(-4.0f, -2.0f, kU8, false);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->zeroPoint, 255);
  // i8: [-1, 3]: S = 4/255, Z = round(-128 + 1/S) = round(-64.25) = -64.
  p = chooseQuantParams(-1.0f, 3.0f, kI8, false);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->zeroPoint, -64);
}

TEST(ChooseParamsTest, Symmetric) {
  IntRange narrow = IntRange::forStorage(8, true, true);
  auto p = chooseQuantParams(-0.5f, 2.54f, narrow, true);
  ASSERT_TRUE(p);
  EXPECT_FLOAT_EQ(p->scale, 2.54f / 127.0f);
  EXPECT_EQ(p->zeroPoint, 0);
  p = chooseQuantParams(-2.55f, 1.0f, kI8, true);
  ASSERT_TRUE(p);
  EXPECT_FLOAT_EQ(p->scale, 2.55f / 127.5f);
  EXPECT_EQ(p->zeroPoint, 0);
  p = chooseQuantParams(-1.0f, 1.0f, kU8, true);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->zeroPoint, 128);
}

TEST(ChooseParamsTest, DegenerateAndInvalid) {
  auto p = chooseQuantParams(0.0f, 0.0f, kU8, false);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scale, 1.0);
  EXPECT_EQ(p->zeroPoint, 0);
  p = chooseQuantParams(0.0f, 0.0f, kI8, true);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scale, 1.0);
  // A range too small for a float32 scale is degenerate too.
  p = chooseQuantParams(0.0f, 1e-44f, kU8, false);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scale, 1.0);
  EXPECT_FALSE(chooseQuantParams(std::nanf(""), 1.0f, kU8, false));
  EXPECT_FALSE(chooseQuantParams(0.0f, INFINITY, kU8, false));
  EXPECT_FALSE(chooseQuantParams(2.0f, 1.0f, kU8, false));
  EXPECT_FALSE(chooseQuantParams(-3e38f, 3e38f, kU8, false));
}

TEST(ExactRoundTripTest, Bounds) {
  double f32Max = 3.4028234663852886e38, f32Min = 1.1754943508222875e-38;
  double f16Max = 65504.0, f16Min = 6.103515625e-05;
  double bf16Max = 3.3895313892515355e38;
  EXPECT_TRUE(isDequantizeQuantizeExact(0.1, kI8, 24, f32Max, f32Min));
  EXPECT_TRUE(isDequantizeQuantizeExact(0.1, IntRange::forStorage(16, true), 24,
                                        f32Max, f32Min));
  EXPECT_FALSE(isDequantizeQuantizeExact(0.1, IntRange::forStorage(32, true),
                                         24, f32Max, f32Min));
  EXPECT_TRUE(isDequantizeQuantizeExact(0.1, kI8, 11, f16Max, f16Min));
  EXPECT_FALSE(isDequantizeQuantizeExact(1000.0, kI8, 11, f16Max, f16Min));
  EXPECT_FALSE(isDequantizeQuantizeExact(0.1, kI8, 8, bf16Max, f32Min));
  EXPECT_TRUE(isDequantizeQuantizeExact(0.1, IntRange::forStorage(4, true), 8,
                                        bf16Max, f32Min));
  EXPECT_FALSE(isDequantizeQuantizeExact(1e-39, kI8, 24, f32Max, f32Min));
}

// Exhaustive check of the claim behind the fold, for i8 and u8 with f32.
TEST(ExactRoundTripTest, ExhaustiveI8) {
  for (float scale : {1e-30f, 0.0078125f, 0.1f, 0.3f, 7.77f, 1e30f}) {
    for (int64_t z : {-128, -3, 0, 127}) {
      for (int64_t q = -128; q <= 127; ++q) {
        float r = dequantize(q, scale, z);
        EXPECT_EQ(quantize(r, scale, z, kI8, Rounding::HalfToEven), q);
      }
    }
  }
}

TEST(FixedPointTest, Decompose) {
  auto m = decomposeMultiplier(0.5);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->multiplier, 1 << 30);
  EXPECT_EQ(m->shift, 0);
  m = decomposeMultiplier(1.0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->multiplier, 1 << 30);
  EXPECT_EQ(m->shift, 1);
  m = decomposeMultiplier(0.75);
  EXPECT_EQ(m->multiplier, 3 << 29);
  EXPECT_EQ(m->shift, 0);
  // Rounding the fraction up to 2^31 renormalizes.
  m = decomposeMultiplier(std::nextafter(1.0, 0.0));
  EXPECT_EQ(m->multiplier, 1 << 30);
  EXPECT_EQ(m->shift, 1);
  m = decomposeMultiplier(0.0);
  EXPECT_EQ(m->multiplier, 0);
  EXPECT_EQ(m->shift, 0);
  m = decomposeMultiplier(std::ldexp(1.0, -40));
  EXPECT_EQ(m->multiplier, 0);
  m = decomposeMultiplier(std::ldexp(1.0, -32)); // 0.5 * 2^-31
  EXPECT_EQ(m->multiplier, 1 << 30);
  EXPECT_EQ(m->shift, -31);
  EXPECT_FALSE(decomposeMultiplier(-1.0));
  EXPECT_FALSE(decomposeMultiplier(std::nan("")));
  EXPECT_FALSE(decomposeMultiplier(INFINITY));
  EXPECT_FALSE(decomposeMultiplier(std::ldexp(1.0, 31)));
  EXPECT_TRUE(decomposeMultiplier(std::ldexp(1.0, 30)));
  // Reconstruction error is below half a unit of the 31-bit fraction.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exp(-30, 20);
  for (int i = 0; i < 1000; ++i) {
    double v = std::pow(2.0, exp(rng));
    auto d = decomposeMultiplier(v);
    ASSERT_TRUE(d);
    EXPECT_GE(d->multiplier, 1 << 30);
    double back = std::ldexp(static_cast<double>(d->multiplier), d->shift - 31);
    EXPECT_LE(std::fabs(back - v), std::ldexp(1.0, d->shift - 32) * 1.0000001);
  }
}

TEST(FixedPointTest, HighMul) {
  EXPECT_EQ(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1 << 30, 1 << 30), 1 << 29);
  // 2*3*2^30 / 2^32 = 1.5 -> ties round up: 2; -1.5 -> -1.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(3, 1 << 30), 2);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-3, 1 << 30), -1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX),
            INT32_MAX - 1);
}

TEST(FixedPointTest, DivideByPOT) {
  EXPECT_EQ(roundingDivideByPOT(5, 1), 3);   // 2.5 -> 3 (away)
  EXPECT_EQ(roundingDivideByPOT(-5, 1), -3); // -2.5 -> -3 (away)
  EXPECT_EQ(roundingDivideByPOT(6, 2), 2);   // 1.5 -> 2
  EXPECT_EQ(roundingDivideByPOT(-6, 2), -2); // -1.5 -> -2
  EXPECT_EQ(roundingDivideByPOT(-7, 2), -2); // -1.75 -> -2
  EXPECT_EQ(roundingDivideByPOT(7, 0), 7);
  EXPECT_EQ(roundingDivideByPOT(INT32_MAX, 31), 1);
  EXPECT_EQ(roundingDivideByPOT(INT32_MIN, 31), -1);
}

/// Independent reference: round_half_away(x * M0 * 2^(shift-31)) through
/// the same two steps, in 128-bit integers.
static int64_t referenceFixedPoint(int64_t x, FixedPointMultiplier m) {
  __int128 xi = std::min<int64_t>(std::max<int64_t>(x, INT32_MIN), INT32_MAX);
  int left = std::max(m.shift, 0), right = std::max(-m.shift, 0);
  xi = xi * (__int128(1) << left);
  xi = std::min<__int128>(std::max<__int128>(xi, INT32_MIN), INT32_MAX);
  // High mul: round(2*x*M0 / 2^32) with ties toward +inf.
  __int128 prod = xi * m.multiplier;
  __int128 num = prod + (__int128(1) << 30);
  __int128 q = num >= 0
                   ? num / (__int128(1) << 31)
                   : -((-num + (__int128(1) << 31) - 1) / (__int128(1) << 31));
  if (xi == INT32_MIN && m.multiplier == INT32_MIN)
    q = INT32_MAX;
  // Rounding divide by 2^right, ties away from zero.
  if (right == 0)
    return static_cast<int64_t>(q);
  __int128 d = __int128(1) << right;
  __int128 mag = q < 0 ? -q : q;
  __int128 r = (mag + d / 2) / d;
  return static_cast<int64_t>(q < 0 ? -r : r);
}

TEST(FixedPointTest, AgainstReferenceAndDouble) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int64_t> acc(-(int64_t(1) << 31),
                                             (int64_t(1) << 31) - 1);
  std::uniform_int_distribution<int64_t> small(-70000, 70000);
  std::uniform_real_distribution<double> exp(-31.5, 8);
  int offByOne = 0;
  for (int i = 0; i < 20000; ++i) {
    double mult = std::pow(2.0, exp(rng));
    auto m = decomposeMultiplier(mult);
    ASSERT_TRUE(m);
    int64_t x = (i % 2) ? acc(rng) : small(rng);
    int64_t got = multiplyByFixedPoint(x, *m);
    ASSERT_EQ(got, referenceFixedPoint(x, *m)) << "x=" << x << " m=" << mult;
    // Against the real product: the two rounding steps keep the result
    // within one unit of x * M (not half a unit: rounding twice can land
    // one off round(x * M) near a half), and exact when no right shift
    // follows the high multiply and x * M is away from a half by more than
    // the error of the 31-bit M0 (|x| * 2^-32).
    double exact = static_cast<double>(x) * mult;
    if (std::fabs(exact) < 2e9 && m->shift <= 0) {
      EXPECT_LE(std::fabs(static_cast<double>(got) - exact), 1.0)
          << "x=" << x << " m=" << mult;
      double frac = std::fabs(exact - std::trunc(exact));
      if (m->shift == 0 &&
          std::fabs(frac - 0.5) > std::fabs(static_cast<double>(x)) * 0x1p-31)
        EXPECT_EQ(got, static_cast<int64_t>(std::round(exact)))
            << "x=" << x << " m=" << mult;
      if (static_cast<double>(got) != std::round(exact))
        ++offByOne;
    }
  }
  // Double rounding does happen (this is gemmlowp's arithmetic, not a bug).
  EXPECT_GT(offByOne, 0);
}

TEST(FixedPointTest, LeftShiftSaturates) {
  // M = 4 is 2^30 * 2^(3 - 31): x is shifted left by 3, saturated to int32,
  // then multiplied by 0.5. So large inputs saturate at +-2^30.
  auto m = decomposeMultiplier(4.0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->shift, 3);
  EXPECT_EQ(multiplyByFixedPoint(1 << 29, *m), 1 << 30);
  EXPECT_EQ(multiplyByFixedPoint(-(1 << 29) - 1, *m), -(1 << 30));
  EXPECT_EQ(multiplyByFixedPoint(int64_t(1) << 40, *m), 1 << 30);
  EXPECT_EQ(multiplyByFixedPoint(1000, *m), 4000);
  EXPECT_EQ(multiplyByFixedPoint(-1000, *m), -4000);
}

TEST(RequantizeTest, BothModesDifferOnTies) {
  // M = 0.5 on x = 5: real 2.5. Fixed point rounds away (3); float
  // half-to-even gives 2.
  auto m = decomposeMultiplier(0.5);
  EXPECT_EQ(requantizeFixedPoint(5, 0, *m, 0, kI8), 3);
  EXPECT_EQ(requantizeFloat(5, 0, 0.5, 0, kI8, Rounding::HalfToEven), 2);
  EXPECT_EQ(requantizeFloat(5, 0, 0.5, 0, kI8, Rounding::HalfAwayFromZero), 3);
  EXPECT_EQ(requantizeFloat(-5, 0, 0.5, 0, kI8, Rounding::HalfToEven), -2);
  EXPECT_EQ(requantizeFloat(-5, 0, 0.5, 0, kI8, Rounding::HalfAwayFromZero),
            -3);
  // M = 0.5 has no right shift: the high multiply rounds -2.5 up, to -2.
  EXPECT_EQ(requantizeFixedPoint(-5, 0, *m, 0, kI8), -2);
  // M = 0.25 = 2^30 * 2^(-1 - 31): -10 * 0.5 = -5 exactly, then -5 / 2
  // rounds away from zero, to -3.
  auto quarter = decomposeMultiplier(0.25);
  EXPECT_EQ(requantizeFixedPoint(-10, 0, *quarter, 0, kI8), -3);
  EXPECT_EQ(requantizeFixedPoint(10, 0, *quarter, 0, kI8), 3);
  // Zero points and saturation.
  EXPECT_EQ(requantizeFixedPoint(10000, 0, *m, 3, kI8), 127);
  EXPECT_EQ(requantizeFloat(-10000, 0, 0.5, 3, kI8, Rounding::HalfToEven),
            -128);
  EXPECT_EQ(requantizeFloat(100, 100, 0.5, -128, kI8, Rounding::HalfToEven),
            -128);
}

} // namespace
