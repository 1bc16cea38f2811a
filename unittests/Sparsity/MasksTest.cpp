//===- MasksTest.cpp - The masks of the pruning patterns ------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// selectMask checked by the properties each pattern promises, recomputed
// here from the scores: how many are removed, that no removed weight
// outscores a kept one in its group (layer, n:m group, block order), that
// ties keep the lower index, whole blocks; checkPattern's refusals; the
// Wanda scores against their formula.
//
//===----------------------------------------------------------------------===//

#include "slim/Sparsity/Masks.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace slim::sparsity;

namespace {

std::vector<float> randomScores(int64_t count, std::mt19937 &rng,
                                int levels = 0) {
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::uniform_int_distribution<int> level(0, levels - 1);
  std::vector<float> s(count);
  for (float &v : s)
    v = levels ? float(level(rng)) : u(rng); // levels: many ties
  return s;
}

TEST(Masks, NMKeepsTheTopNOfEveryGroup) {
  std::mt19937 rng(11);
  for (auto [n, m] : {std::pair<int64_t, int64_t>{2, 4}, {4, 8}, {1, 4},
                      {0, 4}, {4, 4}, {3, 7}})
    for (int levels : {0, 3}) {
      int64_t k = 5 * m, cols = 7;
      std::vector<float> s = randomScores(k * cols, rng, levels);
      PatternSpec spec;
      spec.pattern = Pattern::NM;
      spec.n = n, spec.m = m;
      ASSERT_EQ("", checkPattern(spec, k, cols));
      std::vector<uint8_t> mask = selectMask(spec, s.data(), k, cols);
      for (int64_t c = 0; c < cols; ++c)
        for (int64_t r0 = 0; r0 < k; r0 += m) {
          int64_t kept = 0;
          for (int64_t i = 0; i < m; ++i)
            kept += mask[(r0 + i) * cols + c];
          EXPECT_EQ(n, kept);
          for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < m; ++j) {
              if (!mask[(r0 + i) * cols + c] || mask[(r0 + j) * cols + c])
                continue;
              float kept = s[(r0 + i) * cols + c], gone = s[(r0 + j) * cols + c];
              // A kept weight scores at least as much as a removed one, and
              // on a tie it comes first.
              EXPECT_TRUE(kept > gone || (kept == gone && i < j))
                  << n << ":" << m << " group " << r0 << " column " << c;
            }
        }
    }
}

TEST(Masks, UnstructuredRemovesTheLowestFraction) {
  std::mt19937 rng(13);
  for (double sparsity : {0.0, 0.1, 0.5, 0.75, 0.99})
    for (int levels : {0, 5}) {
      int64_t k = 9, cols = 11;
      std::vector<float> s = randomScores(k * cols, rng, levels);
      PatternSpec spec;
      spec.pattern = Pattern::Unstructured;
      spec.sparsity = sparsity;
      std::vector<uint8_t> mask = selectMask(spec, s.data(), k, cols);
      int64_t removed = 0;
      for (uint8_t v : mask)
        removed += !v;
      EXPECT_EQ(static_cast<int64_t>(std::nearbyint(sparsity * 99)), removed);
      for (int64_t i = 0; i < k * cols; ++i)
        for (int64_t j = 0; j < k * cols; ++j)
          if (mask[i] && !mask[j])
            EXPECT_TRUE(s[i] > s[j] || (s[i] == s[j] && i < j));
    }
}

TEST(Masks, BlocksGoWhole) {
  std::mt19937 rng(17);
  int64_t k = 8, cols = 12;
  std::vector<float> s = randomScores(k * cols, rng);
  PatternSpec spec;
  spec.pattern = Pattern::Block;
  spec.sparsity = 0.5;
  spec.blockRows = 2, spec.blockCols = 3;
  ASSERT_EQ("", checkPattern(spec, k, cols));
  std::vector<uint8_t> mask = selectMask(spec, s.data(), k, cols);
  int64_t blocks = (k / 2) * (cols / 3), removed = 0;
  std::vector<double> sum(blocks, 0.0);
  std::vector<int> kept(blocks, -1);
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      int64_t b = (r / 2) * (cols / 3) + c / 3;
      sum[b] += s[r * cols + c];
      if (kept[b] < 0)
        kept[b] = mask[r * cols + c];
      EXPECT_EQ(kept[b], mask[r * cols + c]) << "block " << b << " split";
    }
  for (int64_t b = 0; b < blocks; ++b)
    removed += !kept[b];
  EXPECT_EQ(blocks / 2, removed);
  for (int64_t a = 0; a < blocks; ++a)
    for (int64_t b = 0; b < blocks; ++b)
      if (kept[a] && !kept[b])
        EXPECT_GE(sum[a], sum[b]);
}

TEST(Masks, Refusals) {
  PatternSpec spec;
  spec.pattern = Pattern::NM;
  spec.n = 2, spec.m = 4;
  EXPECT_NE("", checkPattern(spec, 6, 3)) << "m must divide K";
  spec.n = 5;
  EXPECT_NE("", checkPattern(spec, 8, 3)) << "n > m";
  spec.n = -1;
  EXPECT_NE("", checkPattern(spec, 8, 3));
  spec.n = 2, spec.m = 0;
  EXPECT_NE("", checkPattern(spec, 8, 3));
  spec.pattern = Pattern::Block;
  spec.blockRows = 3, spec.blockCols = 2;
  EXPECT_NE("", checkPattern(spec, 8, 4)) << "rows must tile K";
  spec.blockRows = 4, spec.blockCols = 3;
  EXPECT_NE("", checkPattern(spec, 8, 4)) << "columns must tile N";
  spec.blockCols = 0;
  EXPECT_NE("", checkPattern(spec, 8, 4));
  spec.pattern = Pattern::Unstructured;
  for (double bad : {1.0, -0.1, std::nan("")}) {
    spec.sparsity = bad;
    EXPECT_NE("", checkPattern(spec, 8, 4)) << bad;
  }
}

TEST(Masks, WandaScoresWeighInputNorms) {
  const float w[6] = {1.0f, -2.0f, 0.5f, -0.25f, 3.0f, 0.0f}; // 3 x 2
  const double diag[3] = {4.0, 0.25, 9.0};
  std::vector<float> s = wandaScores(w, 3, 2, diag);
  const float want[6] = {2.0f, 4.0f, 0.25f, 0.125f, 9.0f, 0.0f};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(want[i], s[i]) << i;
  // A large input channel keeps its small weight over a larger weight that
  // reads a quiet channel: row 0 (norm 2) against row 1 (norm 0.5).
  PatternSpec spec;
  spec.pattern = Pattern::NM;
  spec.n = 1, spec.m = 2;
  const float v[4] = {0.3f, 0.3f, 1.0f, 0.1f}; // 2 x 2
  const double d[2] = {4.0, 0.25};
  std::vector<float> ws = wandaScores(v, 2, 2, d);
  std::vector<uint8_t> mask = selectMask(spec, ws.data(), 2, 2);
  EXPECT_EQ(1, mask[0]); // 0.6 against 0.5
  EXPECT_EQ(0, mask[2]);
  std::vector<float> ms = magnitudeScores(v, 4);
  mask = selectMask(spec, ms.data(), 2, 2);
  EXPECT_EQ(0, mask[0]); // by magnitude the larger weight wins
  EXPECT_EQ(1, mask[2]);
}

} // namespace

//===----------------------------------------------------------------------===//
// SparseGPT
//===----------------------------------------------------------------------===//

#include "slim/Sparsity/SparseGpt.h"

namespace {

/// || X (W - W') ||_F^2 / || X W ||_F^2 for X rows x K, W and W' K x N.
double relativeError(const std::vector<float> &x, int64_t rows, int64_t k,
                     const std::vector<float> &w, const std::vector<float> &p,
                     int64_t n) {
  double diff = 0.0, ref = 0.0;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < n; ++c) {
      double a = 0.0, b = 0.0;
      for (int64_t i = 0; i < k; ++i) {
        a += double(x[r * k + i]) * w[i * n + c];
        b += double(x[r * k + i]) * p[i * n + c];
      }
      diff += (a - b) * (a - b);
      ref += a * a;
    }
  return diff / ref;
}

std::vector<double> gramOf(const std::vector<float> &x, int64_t rows,
                           int64_t k) {
  std::vector<double> g(static_cast<size_t>(k * k), 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < k; ++j)
        g[i * k + j] += double(x[r * k + i]) * x[r * k + j];
  return g;
}

/// Inputs mixing three shared factors (strongly correlated channels, plus
/// a little noise), rows x K, and a random K x N weight.
void correlatedLayer(std::mt19937 &rng, int64_t rows, int64_t k, int64_t n,
                     std::vector<float> &x, std::vector<float> &w) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  x.assign(static_cast<size_t>(rows * k), 0.0f);
  w.assign(static_cast<size_t>(k * n), 0.0f);
  std::vector<float> mix(3 * k);
  for (float &v : mix)
    v = normal(rng);
  for (int64_t r = 0; r < rows; ++r) {
    float f[3] = {normal(rng), normal(rng), normal(rng)};
    for (int64_t i = 0; i < k; ++i)
      x[r * k + i] = f[0] * mix[i] + f[1] * mix[k + i] + f[2] * mix[2 * k + i] +
                     0.1f * normal(rng);
  }
  for (float &v : w)
    v = normal(rng);
}

TEST(SparseGpt, UncorrelatedInputsAreMagnitudePruning) {
  // H = c I: U is diagonal, so no error moves and the saliency orders the
  // weights as |w| does.
  std::mt19937 rng(19);
  int64_t k = 16, n = 5;
  std::vector<float> w = randomScores(k * n, rng);
  for (float &v : w)
    v -= 0.5f;
  std::vector<double> gram(static_cast<size_t>(k * k), 0.0);
  for (int64_t i = 0; i < k; ++i)
    gram[i * k + i] = 3.0;
  for (Pattern pattern : {Pattern::NM, Pattern::Unstructured}) {
    SparseGptOptions o;
    o.spec.pattern = pattern;
    o.spec.sparsity = 0.5;
    o.blockRows = k; // one decision for the layer, as magnitude makes it
    std::optional<std::vector<float>> pruned =
        sparseGptPrune(w.data(), k, n, gram.data(), o);
    ASSERT_TRUE(pruned.has_value());
    std::vector<float> s = magnitudeScores(w.data(), k * n);
    std::vector<uint8_t> mask = selectMask(o.spec, s.data(), k, n);
    for (int64_t i = 0; i < k * n; ++i)
      EXPECT_EQ(mask[i] ? w[i] : 0.0f, (*pruned)[i]) << i;
  }
}

TEST(SparseGpt, CorrelatedInputsLowerTheOutputError) {
  // Inputs mixing three shared factors (strongly correlated channels), a
  // random weight, 2:4 and 50% unstructured: SparseGPT's reconstruction
  // leaves less output error than Wanda and magnitude, and keeps the
  // pattern (exactly 2 of every 4 rows per column for 2:4).
  std::mt19937 rng(23);
  int64_t rows = 256, k = 32, n = 12;
  std::vector<float> x, w;
  correlatedLayer(rng, rows, k, n, x, w);
  std::vector<double> gram = gramOf(x, rows, k);
  std::vector<double> diagonal;
  for (int64_t i = 0; i < k; ++i)
    diagonal.push_back(gram[i * k + i]);
  for (Pattern pattern : {Pattern::NM, Pattern::Unstructured}) {
    SparseGptOptions o;
    o.spec.pattern = pattern;
    o.spec.sparsity = 0.5;
    std::vector<float> sgpt = *sparseGptPrune(w.data(), k, n, gram.data(), o);
    auto masked = [&](const std::vector<float> &scores) {
      std::vector<uint8_t> mask = selectMask(o.spec, scores.data(), k, n);
      std::vector<float> p(w);
      for (int64_t i = 0; i < k * n; ++i)
        p[i] = mask[i] ? p[i] : 0.0f;
      return p;
    };
    std::vector<float> magnitude = masked(magnitudeScores(w.data(), k * n));
    std::vector<float> wanda = masked(wandaScores(w.data(), k, n, diagonal.data()));
    double eS = relativeError(x, rows, k, w, sgpt, n);
    double eW = relativeError(x, rows, k, w, wanda, n);
    double eM = relativeError(x, rows, k, w, magnitude, n);
    EXPECT_LT(eS, eW) << "pattern " << int(pattern);
    EXPECT_LT(eS, eM) << "pattern " << int(pattern);
    EXPECT_LT(eS, 0.5 * eM) << "pattern " << int(pattern);
    int64_t zeros = 0;
    for (float v : sgpt)
      zeros += v == 0.0f;
    EXPECT_EQ(k * n / 2, zeros);
    if (pattern == Pattern::NM)
      for (int64_t c = 0; c < n; ++c)
        for (int64_t r0 = 0; r0 < k; r0 += 4) {
          int64_t kept = 0;
          for (int64_t i = 0; i < 4; ++i)
            kept += sgpt[(r0 + i) * n + c] != 0.0f;
          EXPECT_EQ(2, kept);
        }
  }
}

TEST(SparseGpt, RefitKeepsTheMaskAndLowersTheError) {
  // The same correlated inputs: Wanda's mask, its kept weights refitted by
  // least squares on the Gram matrix, keeps the mask and leaves less error
  // than Wanda alone and than SparseGPT; with uncorrelated inputs (H
  // diagonal) the fit is the kept weights themselves.
  std::mt19937 rng(29);
  int64_t rows = 256, k = 32, n = 12;
  std::vector<float> x, w;
  correlatedLayer(rng, rows, k, n, x, w);
  std::vector<double> gram = gramOf(x, rows, k), diagonal;
  for (int64_t i = 0; i < k; ++i)
    diagonal.push_back(gram[i * k + i]);
  PatternSpec spec; // 2:4
  spec.pattern = Pattern::NM;
  std::vector<float> scores = wandaScores(w.data(), k, n, diagonal.data());
  std::vector<uint8_t> mask = selectMask(spec, scores.data(), k, n);
  std::vector<float> wanda(w);
  for (int64_t i = 0; i < k * n; ++i)
    wanda[i] = mask[i] ? wanda[i] : 0.0f;
  std::vector<float> refit =
      refitMasked(w.data(), wanda, k, n, gram.data(), 0.01, 50);
  for (int64_t i = 0; i < k * n; ++i)
    EXPECT_EQ(mask[i] != 0, refit[i] != 0.0f) << i;
  SparseGptOptions o;
  o.spec = spec;
  std::vector<float> sgpt = *sparseGptPrune(w.data(), k, n, gram.data(), o);
  double eR = relativeError(x, rows, k, w, refit, n);
  EXPECT_LT(eR, relativeError(x, rows, k, w, wanda, n));
  EXPECT_LT(eR, relativeError(x, rows, k, w, sgpt, n));
  std::vector<double> uncorrelated(static_cast<size_t>(k * k), 0.0);
  for (int64_t i = 0; i < k; ++i)
    uncorrelated[i * k + i] = 1.0 + i;
  std::vector<float> same =
      refitMasked(w.data(), wanda, k, n, uncorrelated.data(), 0.0, 10);
  for (int64_t i = 0; i < k * n; ++i)
    EXPECT_NEAR(wanda[i], same[i], 1e-6f) << i;
}

TEST(SparseGpt, Refusals) {
  float w[4] = {1, 2, 3, 4};
  double notPositive[4] = {1.0, 2.0, 2.0, 1.0}; // eigenvalues 3 and -1
  SparseGptOptions o;
  o.spec.pattern = Pattern::NM;
  o.spec.n = 1, o.spec.m = 2;
  o.damping = 0.0;
  EXPECT_FALSE(sparseGptPrune(w, 2, 2, notPositive, o).has_value());
  double identity[4] = {1.0, 0.0, 0.0, 1.0};
  o.spec.pattern = Pattern::Block;
  EXPECT_FALSE(sparseGptPrune(w, 2, 2, identity, o).has_value());
}

} // namespace

namespace {

TEST(Masks, BankIsTheLayersNM) {
  // 3 banks of a 24-deep column at 25%: 6:8.
  std::mt19937 rng(29);
  std::vector<float> s = randomScores(24 * 5, rng);
  PatternSpec bank;
  bank.pattern = Pattern::Bank;
  bank.banks = 3;
  bank.sparsity = 0.25;
  ASSERT_EQ("", checkPattern(bank, 24, 5));
  PatternSpec nm = bank.forReduction(24);
  EXPECT_EQ(Pattern::NM, nm.pattern);
  EXPECT_EQ(8, nm.m);
  EXPECT_EQ(6, nm.n);
  EXPECT_EQ(selectMask(nm, s.data(), 24, 5), selectMask(bank, s.data(), 24, 5));
  EXPECT_NE("", checkPattern(bank, 25, 5)) << "banks must divide K";
  bank.banks = 0;
  EXPECT_NE("", checkPattern(bank, 24, 5));
}

} // namespace
