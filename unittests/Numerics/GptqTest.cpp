//===- GptqTest.cpp - GPTQ weight quantization ----------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Numerics/Gptq.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace slim::numerics;

namespace {

const IntRange kI4 = IntRange::forStorage(4, true, /*narrow=*/false);

/// Row-major K x N weights and M x K inputs from a fixed seed; the inputs'
/// channels are correlated (each is a mix of a few shared factors).
struct Problem {
  int64_t m, k, n;
  std::vector<float> w, x;
  std::vector<double> gram;

  Problem(int64_t m, int64_t k, int64_t n, unsigned seed) : m(m), k(k), n(n) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal;
    for (int64_t i = 0; i < k * n; ++i)
      w.push_back(static_cast<float>(normal(rng)));
    std::vector<double> mix(4 * k);
    for (double &v : mix)
      v = normal(rng);
    for (int64_t r = 0; r < m; ++r) {
      double f[4] = {normal(rng), normal(rng), normal(rng), normal(rng)};
      for (int64_t c = 0; c < k; ++c) {
        double v = 0.3 * normal(rng);
        for (int j = 0; j < 4; ++j)
          v += mix[j * k + c] * f[j];
        x.push_back(static_cast<float>(v));
      }
    }
    gram.assign(k * k, 0.0);
    for (int64_t r = 0; r < m; ++r)
      for (int64_t a = 0; a < k; ++a)
        for (int64_t b = 0; b < k; ++b)
          gram[a * k + b] += static_cast<double>(x[r * k + a]) * x[r * k + b];
  }

  /// || X W - X deq(Q) ||^2.
  double outputError(const GptqResult &q, int64_t groupSize) const {
    double err = 0.0;
    for (int64_t r = 0; r < m; ++r)
      for (int64_t c = 0; c < n; ++c) {
        double d = 0.0;
        for (int64_t i = 0; i < k; ++i) {
          int64_t p = (i / groupSize) * n + c;
          double deq =
              dequantize(q.values[i * n + c], static_cast<float>(q.scales[p]),
                         q.zeroPoints[p]);
          d += static_cast<double>(x[r * k + i]) * (w[i * n + c] - deq);
        }
        err += d * d;
      }
    return err;
  }
};

/// Round to nearest with min/max group parameters, in GptqResult's layout.
GptqResult roundToNearest(const Problem &p, int64_t groupSize, IntRange range,
                          bool symmetric) {
  GptqResult r;
  r.values.resize(p.k * p.n);
  for (int64_t g = 0; g < p.k / groupSize; ++g)
    for (int64_t c = 0; c < p.n; ++c) {
      float lo = 0, hi = 0;
      for (int64_t i = g * groupSize; i < (g + 1) * groupSize; ++i) {
        lo = std::min(lo, p.w[i * p.n + c]);
        hi = std::max(hi, p.w[i * p.n + c]);
      }
      QuantParams q = *chooseQuantParams(lo, hi, range, symmetric);
      r.scales.push_back(q.scale);
      r.zeroPoints.push_back(q.zeroPoint);
      for (int64_t i = g * groupSize; i < (g + 1) * groupSize; ++i)
        r.values[i * p.n + c] =
            quantize(p.w[i * p.n + c], static_cast<float>(q.scale), q.zeroPoint,
                     range, Rounding::HalfToEven);
    }
  return r;
}

TEST(GptqTest, UncorrelatedInputsGiveRoundToNearest) {
  // H = c I: U is diagonal, no error moves to other rows.
  Problem p(1, 12, 5, 3);
  std::vector<double> identity(12 * 12, 0.0);
  for (int i = 0; i < 12; ++i)
    identity[i * 12 + i] = 7.0;
  GptqOptions o;
  o.range = kI4;
  o.symmetric = false;
  o.groupSize = 4;
  std::optional<GptqResult> got =
      gptqQuantize(p.w.data(), 12, 5, identity.data(), o);
  ASSERT_TRUE(got);
  GptqResult want = roundToNearest(p, 4, kI4, false);
  EXPECT_EQ(got->values, want.values);
  EXPECT_EQ(got->scales, want.scales);
  EXPECT_EQ(got->zeroPoints, want.zeroPoints);
}

TEST(GptqTest, LowersTheOutputErrorOfCorrelatedInputs) {
  Problem p(256, 32, 7, 5);
  for (bool symmetric : {true, false}) {
    GptqOptions o;
    o.range = symmetric ? IntRange::forStorage(4, true, true) : kI4;
    o.symmetric = symmetric;
    o.groupSize = 8;
    std::optional<GptqResult> gptq =
        gptqQuantize(p.w.data(), p.k, p.n, p.gram.data(), o);
    ASSERT_TRUE(gptq);
    // Round to nearest on the same grid.
    GptqResult rtn = roundToNearest(p, 8, o.range, symmetric);
    double e1 = p.outputError(*gptq, 8), e0 = p.outputError(rtn, 8);
    EXPECT_LT(e1, 0.7 * e0) << (symmetric ? "symmetric" : "asymmetric");
    for (int64_t v : gptq->values) {
      EXPECT_GE(v, o.range.min);
      EXPECT_LE(v, o.range.max);
    }
  }
}

TEST(GptqTest, DeadChannelsAndRefusals) {
  Problem p(64, 8, 3, 9);
  // Channel 2 never saw anything: its row is zero.
  for (int64_t i = 0; i < 8; ++i)
    p.gram[2 * 8 + i] = p.gram[i * 8 + 2] = 0.0;
  GptqOptions o;
  o.range = kI4;
  o.groupSize = 8;
  std::optional<GptqResult> r =
      gptqQuantize(p.w.data(), 8, 3, p.gram.data(), o);
  ASSERT_TRUE(r);
  for (int64_t c = 0; c < 3; ++c)
    EXPECT_EQ(r->values[2 * 3 + c], r->zeroPoints[c]);
  o.groupSize = 3; // does not divide 8
  EXPECT_FALSE(gptqQuantize(p.w.data(), 8, 3, p.gram.data(), o));
  std::vector<double> negative(64, 0.0);
  for (int i = 0; i < 8; ++i)
    negative[i * 8 + i] = -1.0;
  o.groupSize = 8;
  EXPECT_FALSE(gptqQuantize(p.w.data(), 8, 3, negative.data(), o));
}

} // namespace
