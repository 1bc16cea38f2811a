//===- FactorizeTest.cpp - Low-rank factors against their definitions ----===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// slim::lowrank::Decomposition checked against properties that hold
// whatever the SVD's implementation: full rank gives W back; the truncated
// SVD's Frobenius error is the energy of the singular values left out
// (Eckart-Young); SVD-LLM's output error on the inputs whose Gram matrix
// it whitened by is below plain SVD's at every rank, and equals the energy
// it leaves out when undamped; ASVD weighs heavy input channels; the
// randomized solver agrees with the exact one on a matrix of low rank plus
// noise; the rank for an energy is the smallest that reaches it; OneBit's
// SVID is exact when |W| has rank 1, is the least-squares scale pair for
// the signs, and its refinement on a Gram matrix lowers the output error
// to a point where neither vector can improve it.
//
//===----------------------------------------------------------------------===//

#include "slim/LowRank/Factorize.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <vector>

using namespace slim::lowrank;

namespace {

std::vector<float> randomMatrix(int64_t rows, int64_t cols, std::mt19937 &rng) {
  std::normal_distribution<float> normal;
  std::vector<float> m(static_cast<size_t>(rows * cols));
  for (float &v : m)
    v = normal(rng);
  return m;
}

/// A B, row-major.
std::vector<double> product(const std::vector<float> &a,
                            const std::vector<float> &b, int64_t k, int64_t r,
                            int64_t n) {
  std::vector<double> out(static_cast<size_t>(k * n), 0.0);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t t = 0; t < r; ++t)
      for (int64_t j = 0; j < n; ++j)
        out[i * n + j] += double(a[i * r + t]) * double(b[t * n + j]);
  return out;
}

/// Inputs X (rows x k) with correlated channels of different scales, and
/// their Gram matrix X^T X.
std::vector<double> correlatedGram(int64_t rows, int64_t k, std::mt19937 &rng,
                                   std::vector<double> *x = nullptr) {
  std::normal_distribution<double> normal;
  std::vector<double> mix(static_cast<size_t>(k * k));
  for (double &v : mix)
    v = normal(rng);
  std::vector<double> xs(static_cast<size_t>(rows * k), 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<double> z(static_cast<size_t>(k));
    for (double &v : z)
      v = normal(rng);
    for (int64_t i = 0; i < k; ++i) {
      double s = 0.0;
      for (int64_t t = 0; t < k; ++t)
        s += z[t] * mix[t * k + i];
      xs[r * k + i] = s * (i % 4 == 0 ? 10.0 : 0.5);
    }
  }
  std::vector<double> h(static_cast<size_t>(k * k), 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < k; ++j)
        h[i * k + j] += xs[r * k + i] * xs[r * k + j];
  if (x)
    *x = xs;
  return h;
}

TEST(LowRank, FullRankGivesTheWeightBack) {
  std::mt19937 rng(1);
  for (auto [k, n] : {std::pair<int64_t, int64_t>{7, 5}, {5, 9}, {16, 16}}) {
    std::vector<float> w = randomMatrix(k, n, rng);
    std::vector<double> h = correlatedGram(40, k, rng);
    for (Method m : {Method::Svd, Method::Asvd, Method::SvdLlm}) {
      FactorizeOptions o;
      o.method = m;
      std::string error;
      auto d = Decomposition::compute(w.data(), k, n, h.data(), o, error);
      ASSERT_TRUE(d) << error;
      std::vector<float> a, b;
      int64_t r = std::min(k, n);
      d->factors(r, a, b);
      std::vector<double> back = product(a, b, k, r, n);
      for (size_t i = 0; i < w.size(); ++i)
        EXPECT_NEAR(back[i], w[i], 1e-5) << "method " << int(m) << " at " << i;
      EXPECT_NEAR(d->energyKept(r), 1.0, 1e-12);
    }
  }
}

TEST(LowRank, TruncatedSvdErrorIsTheEnergyLeftOut) {
  std::mt19937 rng(2);
  int64_t k = 12, n = 9;
  std::vector<float> w = randomMatrix(k, n, rng);
  FactorizeOptions o;
  std::string error;
  auto d = Decomposition::compute(w.data(), k, n, nullptr, o, error);
  ASSERT_TRUE(d);
  double total = 0.0;
  for (float v : w)
    total += double(v) * v;
  for (int64_t r = 1; r <= n; ++r) {
    std::vector<float> a, b;
    d->factors(r, a, b);
    std::vector<double> wr = product(a, b, k, r, n);
    double err = 0.0;
    for (size_t i = 0; i < w.size(); ++i)
      err += (w[i] - wr[i]) * (w[i] - wr[i]);
    EXPECT_NEAR(err / total, 1.0 - d->energyKept(r), 1e-5) << "rank " << r;
  }
  // The singular values come largest first.
  for (int64_t i = 1; i < d->available(); ++i)
    EXPECT_GE(d->singularValues()[i - 1], d->singularValues()[i]);
}

TEST(LowRank, SvdLlmMinimizesTheOutputError) {
  std::mt19937 rng(3);
  int64_t k = 24, n = 16;
  std::vector<float> w = randomMatrix(k, n, rng);
  std::vector<double> h = correlatedGram(200, k, rng);
  FactorizeOptions svd, llm, asvd;
  llm.method = Method::SvdLlm;
  llm.damping = 1e-10; // (nearly) none: the truncation is then optimal
  asvd.method = Method::Asvd;
  std::string error;
  auto ds = Decomposition::compute(w.data(), k, n, h.data(), svd, error);
  auto dl = Decomposition::compute(w.data(), k, n, h.data(), llm, error);
  auto da = Decomposition::compute(w.data(), k, n, h.data(), asvd, error);
  ASSERT_TRUE(ds && dl && da);
  for (int64_t r = 1; r < n; ++r) {
    std::vector<float> a, b;
    ds->factors(r, a, b);
    double es = *relativeOutputError(h, w.data(), a, b, k, n, r);
    dl->factors(r, a, b);
    double el = *relativeOutputError(h, w.data(), a, b, k, n, r);
    da->factors(r, a, b);
    double ea = *relativeOutputError(h, w.data(), a, b, k, n, r);
    EXPECT_LT(el, es) << "rank " << r;
    EXPECT_LE(el, ea * (1 + 1e-9)) << "rank " << r;
    // Undamped, the output error is the whitened spectrum's energy left.
    EXPECT_NEAR(el, 1.0 - dl->energyKept(r), 1e-5) << "rank " << r;
  }
}

TEST(LowRank, AsvdKeepsHeavyChannels) {
  // Channel 0 carries activations 100 times larger than the others: ASVD's
  // rank-r factors reproduce its weight row more closely than SVD's.
  std::mt19937 rng(4);
  int64_t k = 8, n = 8;
  std::vector<float> w = randomMatrix(k, n, rng);
  std::vector<double> h(static_cast<size_t>(k * k), 0.0);
  for (int64_t i = 0; i < k; ++i)
    h[i * k + i] = i == 0 ? 1e4 : 1.0;
  FactorizeOptions svd, asvd;
  asvd.method = Method::Asvd;
  std::string error;
  auto ds = Decomposition::compute(w.data(), k, n, h.data(), svd, error);
  auto da = Decomposition::compute(w.data(), k, n, h.data(), asvd, error);
  ASSERT_TRUE(ds && da);
  auto rowError = [&](const Decomposition &d) {
    std::vector<float> a, b;
    d.factors(2, a, b);
    std::vector<double> wr = product(a, b, k, 2, n);
    double e = 0.0;
    for (int64_t j = 0; j < n; ++j)
      e += (w[j] - wr[j]) * (w[j] - wr[j]);
    return e;
  };
  EXPECT_LT(rowError(*da), 0.5 * rowError(*ds));
}

TEST(LowRank, RandomizedAgreesWithExact) {
  // Rank 20 plus small noise, 1200 x 1100: the randomized range finder's
  // leading singular values and rank-20 factors match BDCSVD's.
  std::mt19937 rng(5);
  int64_t k = 1200, n = 1100, true_rank = 20;
  std::vector<float> u = randomMatrix(k, true_rank, rng);
  std::vector<float> v = randomMatrix(true_rank, n, rng);
  std::vector<double> w0 = product(u, v, k, true_rank, n);
  std::normal_distribution<double> noise(0.0, 1e-3);
  std::vector<float> w(w0.size());
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = static_cast<float>(w0[i] + noise(rng));
  FactorizeOptions exact, randomized;
  exact.solver = Solver::Exact;
  randomized.solver = Solver::Randomized;
  randomized.rank = true_rank;
  std::string error;
  auto de = Decomposition::compute(w.data(), k, n, nullptr, exact, error);
  auto dr = Decomposition::compute(w.data(), k, n, nullptr, randomized, error);
  ASSERT_TRUE(de && dr) << error;
  EXPECT_TRUE(dr->randomized());
  EXPECT_EQ(dr->available(), true_rank);
  for (int64_t i = 0; i < true_rank; ++i)
    EXPECT_NEAR(dr->singularValues()[i], de->singularValues()[i],
                1e-6 * de->singularValues()[0]);
  EXPECT_NEAR(dr->energyKept(true_rank), de->energyKept(true_rank), 1e-9);
  // Auto picks it for a fixed small rank of a large matrix.
  FactorizeOptions autoRank;
  autoRank.rank = true_rank;
  auto da = Decomposition::compute(w.data(), k, n, nullptr, autoRank, error);
  ASSERT_TRUE(da);
  EXPECT_TRUE(da->randomized());
}

TEST(LowRank, RankForEnergyIsTheSmallest) {
  std::mt19937 rng(6);
  int64_t k = 10, n = 6;
  std::vector<float> w = randomMatrix(k, n, rng);
  std::string error;
  auto d = Decomposition::compute(w.data(), k, n, nullptr, {}, error);
  ASSERT_TRUE(d);
  for (double e : {0.1, 0.5, 0.9, 0.99, 1.0}) {
    int64_t r = d->rankForEnergy(e);
    EXPECT_GE(d->energyKept(r), e * (1 - 1e-12));
    if (r > 1)
      EXPECT_LT(d->energyKept(r - 1), e);
  }
}

TEST(LowRank, ConvolutionForms) {
  // Full ranks give the filter back (Tucker-2 at max(C, F), spatial at
  // min(C KH, F KW)); spatial's filter error is the energy its rank leaves
  // out of M's spectrum; a filter that is a depthwise then a pointwise
  // convolution is recovered exactly by the depthwise form; parameters
  // count every factor.
  std::mt19937 rng(7);
  ConvShape s{6, 4, 3, 2};
  std::vector<float> w = randomMatrix(1, s.size(), rng);
  auto error = [&](const std::vector<float> &approx) {
    double d = 0, t = 0;
    for (size_t i = 0; i < w.size(); ++i) {
      d += (w[i] - approx[i]) * (w[i] - approx[i]);
      t += double(w[i]) * w[i];
    }
    return d / t;
  };
  ConvFactors t = factorizeConv(w.data(), s, ConvForm::Tucker2, 6, 6);
  EXPECT_EQ(t.rin, 4); // clipped to C
  EXPECT_EQ(t.rout, 6);
  EXPECT_LT(error(t.reconstruct()), 1e-10);
  EXPECT_EQ(t.params(), 4 * 4 + 6 * 4 * 6 + 6 * 6);
  ConvFactors sp = factorizeConv(w.data(), s, ConvForm::Spatial, 12, 0);
  EXPECT_LT(error(sp.reconstruct()), 1e-10);
  ConvSpectra spectra = convSpectra(w.data(), s, ConvForm::Spatial);
  ASSERT_EQ(spectra.channels.size(), 12u);
  double total = 0, kept = 0;
  for (double v : spectra.channels)
    total += v * v;
  for (int r = 0; r < 3; ++r)
    kept += spectra.channels[r] * spectra.channels[r];
  ConvFactors sp3 = factorizeConv(w.data(), s, ConvForm::Spatial, 3, 0);
  EXPECT_NEAR(error(sp3.reconstruct()), 1.0 - kept / total, 1e-5);
  EXPECT_EQ(sp3.params(), 3 * 4 * 3 + 6 * 3 * 2);
  // W[f][c][t] = P[f][c] D[c][t].
  std::vector<float> p = randomMatrix(6, 4, rng), d = randomMatrix(4, 6, rng);
  for (int64_t f = 0; f < 6; ++f)
    for (int64_t c = 0; c < 4; ++c)
      for (int64_t tap = 0; tap < 6; ++tap)
        w[(f * 4 + c) * 6 + tap] = p[f * 4 + c] * d[c * 6 + tap];
  ConvFactors dw = factorizeConv(w.data(), s, ConvForm::Depthwise, 0, 0);
  EXPECT_LT(error(dw.reconstruct()), 1e-10);
  EXPECT_EQ(dw.params(), 4 * 6 + 6 * 4);
  EXPECT_EQ(rankForEnergy({3.0, 2.0, 1.0}, 0.9), 2); // 13/14 >= 0.9 > 9/14
}

/// ||X (W - W~)||^2 / ||X W||^2 from the Gram matrix, in double.
double oneBitError(const std::vector<double> &h, const std::vector<float> &w,
                   const std::vector<float> &approx, int64_t k, int64_t n) {
  double num = 0.0, den = 0.0;
  for (int64_t j = 0; j < n; ++j)
    for (int64_t i = 0; i < k; ++i)
      for (int64_t t = 0; t < k; ++t) {
        double di = double(w[i * n + j]) - approx[i * n + j];
        double dt = double(w[t * n + j]) - approx[t * n + j];
        num += di * h[i * k + t] * dt;
        den += double(w[i * n + j]) * h[i * k + t] * w[t * n + j];
      }
  return num / den;
}

TEST(OneBit, ExactWhenMagnitudesHaveRankOne) {
  // W = diag(u) S diag(v) with positive u, v and random signs.
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> mag(0.1f, 2.0f);
  std::bernoulli_distribution coin(0.5);
  int64_t k = 9, n = 13;
  std::vector<float> u(k), v(n), w(k * n);
  for (float &x : u)
    x = mag(rng);
  for (float &x : v)
    x = mag(rng);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j)
      w[i * n + j] = (coin(rng) ? 1.0f : -1.0f) * u[i] * v[j];
  OneBitFactors f = oneBit(w.data(), k, n, nullptr, 0);
  EXPECT_FALSE(f.error.has_value());
  std::vector<float> approx = f.reconstruct(w.data(), k, n);
  for (int64_t i = 0; i < k * n; ++i)
    EXPECT_NEAR(approx[i], w[i], 1e-5f * std::fabs(w[i])) << i;
  for (float x : f.a)
    EXPECT_GT(x, 0.0f);
}

TEST(OneBit, SvidIsTheBestScalePairForTheSigns) {
  // Without inputs, a o b is the best rank-1 fit of |W|: any other scale
  // pair (here: perturbed) is further from W in the Frobenius norm.
  std::mt19937 rng(13);
  int64_t k = 20, n = 12;
  std::vector<float> w = randomMatrix(k, n, rng);
  OneBitFactors f = oneBit(w.data(), k, n, nullptr, 8);
  auto frob = [&](const OneBitFactors &g) {
    std::vector<float> approx = g.reconstruct(w.data(), k, n);
    double e = 0.0;
    for (int64_t i = 0; i < k * n; ++i)
      e += (double(w[i]) - approx[i]) * (double(w[i]) - approx[i]);
    return e;
  };
  double best = frob(f);
  std::normal_distribution<float> noise(0.0f, 0.02f);
  for (int trial = 0; trial < 10; ++trial) {
    OneBitFactors g = f;
    for (float &x : g.a)
      x *= 1.0f + noise(rng);
    for (float &x : g.b)
      x *= 1.0f + noise(rng);
    EXPECT_GT(frob(g), best);
  }
}

TEST(OneBit, RefinementLowersTheOutputError) {
  std::mt19937 rng(17);
  int64_t k = 24, n = 16;
  std::vector<float> w = randomMatrix(k, n, rng);
  std::vector<double> h = correlatedGram(200, k, rng);
  OneBitFactors svid = oneBit(w.data(), k, n, h.data(), 0);
  OneBitFactors refined = oneBit(w.data(), k, n, h.data(), 8);
  ASSERT_TRUE(svid.error && refined.error && refined.svidError);
  EXPECT_EQ(svid.stepsTaken, 0);
  EXPECT_EQ(refined.stepsTaken, 8);
  // The reported errors are the factors' own.
  double es = oneBitError(h, w, svid.reconstruct(w.data(), k, n), k, n);
  double er = oneBitError(h, w, refined.reconstruct(w.data(), k, n), k, n);
  EXPECT_NEAR(*svid.error, es, 1e-5);
  EXPECT_NEAR(*refined.error, er, 1e-5);
  EXPECT_NEAR(*refined.svidError, es, 1e-5);
  // Inputs with channels 20x apart: the activation-aware scales do much
  // better than SVID's.
  EXPECT_LT(er, 0.9 * es);
  // At the refined point neither vector improves alone: scaling a or b
  // (one entry at a time) by 1 +- 1e-3 does not lower the error.
  auto errorWith = [&](std::vector<float> a, std::vector<float> b) {
    OneBitFactors g;
    g.a = std::move(a);
    g.b = std::move(b);
    return oneBitError(h, w, g.reconstruct(w.data(), k, n), k, n);
  };
  for (int64_t i = 0; i < k; i += 5)
    for (float step : {0.999f, 1.001f}) {
      std::vector<float> a = refined.a;
      a[i] *= step;
      EXPECT_GE(errorWith(a, refined.b), er * (1 - 1e-6)) << "a " << i;
    }
  for (int64_t j = 0; j < n; j += 3)
    for (float step : {0.999f, 1.001f}) {
      std::vector<float> b = refined.b;
      b[j] *= step;
      EXPECT_GE(errorWith(refined.a, b), er * (1 - 1e-6)) << "b " << j;
    }
}

TEST(LowRank, Refusals) {
  std::vector<float> w(12, 1.0f);
  std::vector<double> indefinite(16, 0.0);
  indefinite[0] = -100.0; // not a Gram matrix: negative on the diagonal
  std::string error;
  FactorizeOptions llm;
  llm.method = Method::SvdLlm;
  EXPECT_FALSE(Decomposition::compute(w.data(), 4, 3, nullptr, llm, error));
  EXPECT_NE(error.find("need the Gram matrix"), std::string::npos) << error;
  EXPECT_FALSE(
      Decomposition::compute(w.data(), 4, 3, indefinite.data(), llm, error));
  EXPECT_NE(error.find("not positive definite"), std::string::npos) << error;
  FactorizeOptions randomized;
  randomized.solver = Solver::Randomized;
  EXPECT_FALSE(Decomposition::compute(w.data(), 4, 3, nullptr, randomized, error));
  EXPECT_NE(error.find("needs a rank"), std::string::npos) << error;
  EXPECT_FALSE(Decomposition::compute(w.data(), 0, 3, nullptr, {}, error));
}

} // namespace
