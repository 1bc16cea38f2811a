//===- CalibrationTest.cpp - Tests of histograms and range choosers -------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Distributions with known answers: samples placed at exact quantiles
// (u = (i + 0.5) / N through the inverse CDF), so percentiles are known in
// closed form, and the Laplace distribution, whose MSE-optimal clipping for
// 4-bit uniform quantization is about 5 b (Banner et al., ACIQ).
//
//===----------------------------------------------------------------------===//

#include "slim/Numerics/Calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace slim::numerics;

namespace {

const IntRange kI8 = IntRange::forStorage(8, true);
const IntRange kU8 = IntRange::forStorage(8, false);

std::vector<double> uniformGrid(int n, double lo, double hi) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i)
    v.push_back(lo + (hi - lo) * (i + 0.5) / n);
  return v;
}

std::vector<double> laplaceGrid(int n, double b) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    double u = (i + 0.5) / n - 0.5;
    v.push_back(-b * std::copysign(1.0, u) * std::log(1 - 2 * std::fabs(u)));
  }
  return v;
}

Histogram histogramOf(const std::vector<double> &values) {
  Histogram h;
  for (double v : values)
    EXPECT_TRUE(h.add(v));
  return h;
}

TEST(HistogramTest, GrowsByPowersOfTwo) {
  Histogram h;
  EXPECT_EQ(h.getLimit(), 0.0);
  h.add(0.0);
  EXPECT_EQ(h.getLimit(), 0.0);
  EXPECT_EQ(h.getZeros(), 1u);
  h.add(0.3); // limit 0.5: bin floor(0.3 / 0.5 * 2048) = 1228
  EXPECT_EQ(h.getLimit(), 0.5);
  EXPECT_EQ(h.getPositive()[1228], 1u);
  h.add(-3.0); // limit 4: 0.3 moves to bin 153, -3 to bin 1536
  EXPECT_EQ(h.getLimit(), 4.0);
  EXPECT_EQ(h.getPositive()[153], 1u);
  EXPECT_EQ(h.getNegative()[1536], 1u);
  h.add(4.0); // exactly the limit: grows to 8
  EXPECT_EQ(h.getLimit(), 8.0);
  EXPECT_EQ(h.getPositive()[1024], 1u);
  EXPECT_EQ(h.getTotal(), 4u);
  EXPECT_FALSE(h.add(std::nan("")));
  EXPECT_FALSE(h.add(INFINITY));
  EXPECT_EQ(h.getTotal(), 4u);
}

TEST(HistogramTest, IndependentOfOrderAndGrouping) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.5, 3.0);
  std::vector<double> values;
  for (int i = 0; i < 5000; ++i)
    values.push_back(normal(rng));
  values.push_back(1e-20);
  values.push_back(0.0);
  Histogram forward = histogramOf(values);
  std::vector<double> shuffled = values;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  EXPECT_TRUE(forward == histogramOf(shuffled));
  // In batches of 7, merged.
  Histogram merged;
  for (size_t i = 0; i < shuffled.size(); i += 7) {
    Histogram part;
    for (size_t j = i; j < std::min(shuffled.size(), i + 7); ++j)
      part.add(shuffled[j]);
    merged.merge(part);
  }
  EXPECT_TRUE(forward == merged);
}

TEST(HistogramTest, FromParts) {
  Histogram h = histogramOf({1.0, -2.0, 0.5});
  auto back = Histogram::fromParts(h.getLimit(), h.getZeros(), h.getNegative(),
                                   h.getPositive());
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == h);
  EXPECT_FALSE(Histogram::fromParts(3.0, 0, h.getNegative(), h.getPositive()));
  EXPECT_FALSE(Histogram::fromParts(4.0, 0, {1, 2}, h.getPositive()));
}

TEST(PercentileTest, KnownQuantiles) {
  // 99% of the mass uniform in (0, 1), 1% at 50.
  std::vector<double> v = uniformGrid(9900, 0.0, 1.0);
  for (int i = 0; i < 100; ++i)
    v.push_back(50.0);
  Histogram h = histogramOf(v);
  double w = h.getBinWidth(); // 64 / 2048
  RealRange sym = choosePercentileRange(h, 99.0, true, 0.0, 50.0);
  EXPECT_NEAR(sym.max, 1.0, w);
  EXPECT_EQ(sym.min, -sym.max);
  RealRange asym = choosePercentileRange(h, 99.0, false, 0.0, 50.0);
  EXPECT_NEAR(asym.max, 1.0, w);
  EXPECT_NEAR(asym.min, 0.0, w);
  // 100th percentile is the exact maximum, not a bin edge beyond it.
  RealRange all = choosePercentileRange(h, 100.0, true, 0.0, 50.0);
  EXPECT_EQ(all.max, 50.0);
}

TEST(PercentileTest, AsymmetricTails) {
  // Uniform on (-3, 1): the 1st and 99th percentiles are -2.96 and 0.96.
  Histogram h = histogramOf(uniformGrid(40000, -3.0, 1.0));
  double w = h.getBinWidth();
  RealRange r = choosePercentileRange(h, 99.0, false, -3.0, 1.0);
  EXPECT_NEAR(r.min, -2.96, 2 * w);
  EXPECT_NEAR(r.max, 0.96, 2 * w);
}

TEST(EntropyTest, ClipsOutliers) {
  // Laplace(b = 1) reaching |x| of 12.2: KL trades the sparse tail for
  // resolution in the bulk and clips inside the range (at about 10 b with
  // 128 levels; the 8 levels of 4 bits clip harder, at about 6 b).
  std::vector<double> v = laplaceGrid(200000, 1.0);
  double amax = -v.front();
  Histogram h = histogramOf(v);
  RealRange r = chooseEntropyRange(h, kI8, true, -amax, amax);
  EXPECT_GT(r.max, 3.0);
  EXPECT_LT(r.max, 0.9 * amax);
  EXPECT_EQ(r.min, -r.max);
  RealRange r4 =
      chooseEntropyRange(h, IntRange::forStorage(4, true), true, -amax, amax);
  EXPECT_LT(r4.max, r.max);
  EXPECT_LT(r4.max, 0.6 * amax);
}

TEST(EntropyTest, KeepsAWellBehavedRange) {
  // Without outliers the threshold stays near the data's end.
  Histogram h = histogramOf(uniformGrid(100000, 0.0, 3.0));
  RealRange r = chooseEntropyRange(h, kU8, false, 0.0, 3.0);
  EXPECT_EQ(r.min, 0.0);
  EXPECT_GT(r.max, 2.7);
  EXPECT_LE(r.max, 3.0);
}

TEST(EntropyTest, ExactZerosDoNotMoveTheThreshold) {
  // A post-ReLU activation: the positive half of Laplace(b = 1) plus as many
  // exact zeros. The zero point represents 0 exactly, so the zeros must not
  // count as mass the coarse grid smears: the same threshold as without
  // them, for both schemes.
  std::vector<double> v;
  for (double x : laplaceGrid(200000, 1.0))
    if (x > 0.0)
      v.push_back(x);
  double amax = v.back();
  Histogram without = histogramOf(v);
  v.insert(v.end(), v.size(), 0.0);
  Histogram with = histogramOf(v);
  RealRange asym = chooseEntropyRange(with, kU8, false, 0.0, amax);
  EXPECT_EQ(asym.min, 0.0);
  EXPECT_EQ(asym.max, chooseEntropyRange(without, kU8, false, 0.0, amax).max);
  EXPECT_GT(asym.max, 0.5 * amax);
  RealRange sym = chooseEntropyRange(with, kI8, true, 0.0, amax);
  EXPECT_EQ(sym.max, chooseEntropyRange(without, kI8, true, 0.0, amax).max);
}

TEST(EntropyTest, AsymmetricBothSignsSearchesEachEnd) {
  // An image-like input: 60% of the pixels at the background value -0.8, the
  // rest uniform on (-0.8, 2). Folding |x| would put the threshold at the
  // background spike and clip the whole positive side; each end is searched
  // on its own instead, and almost nothing is clipped.
  std::vector<double> v = uniformGrid(40000, -0.8, 2.0);
  v.insert(v.end(), 60000, -0.8);
  Histogram h = histogramOf(v);
  RealRange r = chooseEntropyRange(h, kU8, false, -0.8, 2.0);
  EXPECT_EQ(r.min, -0.8);
  EXPECT_GT(r.max, 1.8);
  EXPECT_LE(r.max, 2.0);
  EXPECT_LT(clippedFraction(h, r), 0.01);
  // A long positive tail on the same data is clipped at its end.
  for (int i = 0; i < 10; ++i)
    v.push_back(40.0 + i);
  Histogram tail = histogramOf(v);
  RealRange t = chooseEntropyRange(tail, kU8, false, -0.8, 49.0);
  EXPECT_LT(t.max, 10.0);
  EXPECT_GT(t.max, 1.8);
  EXPECT_LT(t.min, -0.7);
}

TEST(EntropyTest, KlDivergence) {
  EXPECT_DOUBLE_EQ(klDivergence({1, 1}, {2, 2}), 0.0);
  // KL([1/2, 1/2] || [1/4, 3/4]) = 1/2 ln 2 + 1/2 ln(2/3).
  EXPECT_NEAR(klDivergence({1, 1}, {1, 3}),
              0.5 * std::log(2.0) + 0.5 * std::log(2.0 / 3.0), 1e-12);
}

TEST(MseTest, UniformKeepsFullRange) {
  // Clipping a uniform distribution only adds error at 8 bits.
  Histogram h = histogramOf(uniformGrid(100000, -1.0, 1.0));
  RealRange r = chooseMseRange(h, kI8, true, -1.0, 1.0);
  EXPECT_GE(r.max, 0.97);
}

TEST(MseTest, LaplaceFourBitClipsNearFiveB) {
  // Laplace(b = 1), 4-bit symmetric: ACIQ's optimum is about 5.03 b; the
  // data reach about 12.9 b, so a good search clips well inside.
  std::vector<double> v = laplaceGrid(200000, 1.0);
  Histogram h = histogramOf(v);
  double amax = -v.front();
  RealRange r =
      chooseMseRange(h, IntRange::forStorage(4, true, true), true, -amax, amax);
  EXPECT_GT(r.max, 4.0);
  EXPECT_LT(r.max, 6.0);
}

TEST(MseTest, ExactValuesAgreeWithTheHistogramSearch) {
  // The same Laplace data as above, as exact values: the search clips near
  // ACIQ's 5 b too; a lone outlier among few values, by contrast, costs more
  // clipped than kept and stays in range.
  std::vector<double> grid = laplaceGrid(20000, 1.0);
  std::vector<float> v(grid.begin(), grid.end());
  IntRange i4 = IntRange::forStorage(4, true, true);
  RealRange r = chooseMseRange(v.data(), v.size(), i4, /*symmetric=*/true);
  EXPECT_GT(r.max, 4.0);
  EXPECT_LT(r.max, 6.0);
  std::vector<float> few{-0.75f, -0.5f, -0.25f, 0.0f, 0.25f, 0.5f, 3.0f};
  r = chooseMseRange(few.data(), few.size(), i4, /*symmetric=*/true);
  EXPECT_GT(r.max, 2.5);
  // All zeros (or nothing): the degenerate range.
  std::vector<float> zeros(3, 0.0f);
  r = chooseMseRange(zeros.data(), zeros.size(), kI8, false);
  EXPECT_EQ(r.min, 0.0);
  EXPECT_EQ(r.max, 0.0);
  r = chooseMseRange(nullptr, 0, kI8, false);
  EXPECT_EQ(r.max, 0.0);
}

TEST(ChoosersTest, ClippedFraction) {
  Histogram h = histogramOf({-1.0, 0.0, 1.0, 3.0});
  EXPECT_EQ(clippedFraction(h, {-1.0, 3.0}), 0.0);
  EXPECT_EQ(clippedFraction(h, {-1.0, 1.0}), 0.25);
  EXPECT_EQ(clippedFraction(h, {-0.5, 1.0}), 0.5);
  EXPECT_EQ(clippedFraction(h, {0.0, 0.0}), 0.75);
  EXPECT_EQ(clippedFraction(Histogram(), {0.0, 1.0}), 0.0);
}

TEST(ChoosersTest, ResampleHistogram) {
  // limit 4 (the first power of two above 3): bins of width 4/2048, so
  // each value sits in a bin whose centre is within 1/1024 of it.
  Histogram h = histogramOf({-1.0, 0.0, 0.0, 1.0, 2.5, 3.0});
  // [-1, 3] in 4 bins of width 1: -1 (its bin's centre, -1.001, clamped
  // to -1) -> bin 0; 0, 0 -> bin 1; 1 (centre 1.001) -> bin 2; 2.5 and 3
  // (centre clamped to 3) -> bin 3.
  std::vector<uint64_t> c = resampleHistogram(h, {-1.0, 3.0}, 4);
  EXPECT_EQ(c, (std::vector<uint64_t>{1, 2, 1, 2}));
  // Wider than the values: the centres decide (-1.001 -> [-2, -1)).
  c = resampleHistogram(h, {-2.0, 4.0}, 6);
  EXPECT_EQ(c, (std::vector<uint64_t>{1, 0, 2, 1, 1, 1}));
  uint64_t total = 0;
  for (uint64_t n : c)
    total += n;
  EXPECT_EQ(total, h.getTotal());
  // Narrower: the bins of -1, 2.5 and 3 lie wholly outside [-0.5, 1.5].
  c = resampleHistogram(h, {-0.5, 1.5}, 2);
  EXPECT_EQ(c, (std::vector<uint64_t>{2, 1}));
  // Degenerate ranges and no bins: all zero counts.
  EXPECT_EQ(resampleHistogram(h, {1.0, 1.0}, 3),
            (std::vector<uint64_t>{0, 0, 0}));
  EXPECT_TRUE(resampleHistogram(h, {-1.0, 1.0}, 0).empty());
  EXPECT_EQ(resampleHistogram(Histogram(), {0.0, 1.0}, 2),
            (std::vector<uint64_t>{0, 0}));
}

TEST(ChoosersTest, EmptyAndZeroHistograms) {
  Histogram empty;
  RealRange r = choosePercentileRange(empty, 99.9, true, 0.0, 0.0);
  EXPECT_EQ(r.min, 0.0);
  EXPECT_EQ(r.max, 0.0);
  Histogram zeros = histogramOf({0.0, 0.0});
  r = chooseEntropyRange(zeros, kI8, true, 0.0, 0.0);
  EXPECT_EQ(r.max, 0.0);
  r = chooseMseRange(zeros, kI8, false, 0.0, 0.0);
  EXPECT_EQ(r.max, 0.0);
}

} // namespace
