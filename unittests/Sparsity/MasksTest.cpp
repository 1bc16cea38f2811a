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
