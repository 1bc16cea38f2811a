//===- AttentionTest.cpp - The attention kernel against softmax in double -===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// attention() on every ISA the host runs against a reference written here
// from Kernels.h's formula in double precision, with the usual two-pass
// softmax (maximum, exponentials, sum, division, then P x V): odd sizes,
// one query row and one key, heads fewer than threads (rows split), keys
// past one tile (the running maximum rescales earlier tiles), operands
// read through the transposed strides of a (batch, seq, head, feature)
// layout, a mask broadcast over heads and rows, each use of the scale,
// scores of 100s (exp's range), a row masked entirely with -3.4e38
// (uniform weights, as the two-pass softmax gives), a first key tile all
// -inf before finite keys, NaN in one score (its row NaN, the others
// not), and no keys (NaN). The exp polynomial itself
// against std::exp over its range and at its edges.
//
//===----------------------------------------------------------------------===//

#include "IsaTest.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace slim::runtime;

namespace {

class AttentionTest : public slim::test::IsaTest {};

/// Tensors in (batch, seq, head, feature) order, read as (batch, head, seq,
/// feature) through strides, as a transposed view of a projection is.
struct Bshd {
  int64_t b, s, h, f;
  std::vector<float> data;
  Bshd(int64_t b, int64_t s, int64_t h, int64_t f)
      : b(b), s(s), h(h), f(f), data(static_cast<size_t>(b * s * h * f)) {}
  void strides(int64_t out[4]) const {
    out[0] = s * h * f, out[1] = f, out[2] = h * f, out[3] = 1;
  }
  float at(int64_t bi, int64_t hi, int64_t si, int64_t fi) const {
    return data[((bi * s + si) * h + hi) * f + fi];
  }
};

struct Case {
  int64_t batch, heads, m, n, d, dv;
  AttentionArgs::Scale scaleOp = AttentionArgs::Scale::Divide;
  float scale = 5.656854f;
  bool mask = true;
  float range = 2.0f; ///< q and k values in [-range, range]
};

void check(Isa isa, const Case &c, std::mt19937 &rng,
           const std::vector<std::pair<int64_t, float>> &maskRows = {},
           int64_t nanScoreRow = -1, int64_t infKeys = 0) {
  SCOPED_TRACE(testing::Message()
               << "batch " << c.batch << " heads " << c.heads << " m " << c.m
               << " n " << c.n << " d " << c.d << " dv " << c.dv);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  Bshd q(c.batch, c.m, c.heads, c.d), k(c.batch, c.n, c.heads, c.d),
      v(c.batch, c.n, c.heads, c.dv), out(c.batch, c.m, c.heads, c.dv);
  for (float &x : q.data)
    x = value(rng) * c.range;
  for (float &x : k.data)
    x = value(rng) * c.range;
  for (float &x : v.data)
    x = value(rng);
  // The mask: batch x n, broadcast over heads and rows; `maskRows` sets
  // whole rows of batch 0 through a per-row mask instead (m x n).
  bool perRow = !maskRows.empty();
  std::vector<float> mask(
      static_cast<size_t>(perRow ? c.batch * c.m * c.n : c.batch * c.n));
  for (float &x : mask)
    x = value(rng) < -0.5f ? -10000.0f : 0.0f;
  for (auto [row, fill] : maskRows)
    for (int64_t j = 0; j < c.n; ++j)
      mask[row * c.n + j] = fill;
  // The first `infKeys` keys of every row of batch 0 masked with -inf.
  for (int64_t j = 0; j < infKeys && !perRow; ++j)
    mask[j] = -std::numeric_limits<float>::infinity();
  if (nanScoreRow >= 0)
    q.data[((0 * c.m + nanScoreRow) * c.heads + 0) * c.d] =
        std::numeric_limits<float>::quiet_NaN();

  AttentionArgs a;
  a.batch = c.batch, a.heads = c.heads, a.m = c.m, a.n = c.n, a.d = c.d,
  a.dv = c.dv;
  a.q = q.data.data(), a.k = k.data.data(), a.v = v.data.data();
  a.out = out.data.data();
  q.strides(a.qStrides), k.strides(a.kStrides), v.strides(a.vStrides),
      out.strides(a.outStrides);
  if (c.mask) {
    a.mask = mask.data();
    int64_t ms[4] = {perRow ? c.m * c.n : c.n, 0, perRow ? c.n : 0, 1};
    for (int i = 0; i < 4; ++i)
      a.maskStrides[i] = ms[i];
  }
  a.scaleOp = c.scaleOp, a.scale = c.scale;
  attention(isa, a);

  int64_t mismatches = 0;
  for (int64_t bi = 0; bi < c.batch; ++bi)
    for (int64_t hi = 0; hi < c.heads; ++hi)
      for (int64_t i = 0; i < c.m; ++i) {
        std::vector<double> s(static_cast<size_t>(c.n));
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t j = 0; j < c.n; ++j) {
          double dot = 0;
          for (int64_t t = 0; t < c.d; ++t)
            dot += double(q.at(bi, hi, i, t)) * k.at(bi, hi, j, t);
          if (c.scaleOp == AttentionArgs::Scale::Multiply)
            dot *= c.scale;
          else if (c.scaleOp == AttentionArgs::Scale::Divide)
            dot /= c.scale;
          if (c.mask)
            dot += mask[perRow ? (bi * c.m + i) * c.n + j : bi * c.n + j];
          s[j] = dot;
          mx = std::max(mx, dot);
        }
        double sum = 0;
        for (double &x : s)
          sum += (x = std::exp(x - mx));
        for (int64_t e = 0; e < c.dv; ++e) {
          double want = 0;
          for (int64_t j = 0; j < c.n; ++j)
            want += s[j] / sum * v.at(bi, hi, j, e);
          if (c.n == 0)
            want = std::nan(""); // 0 / 0
          float got = out.at(bi, hi, i, e);
          bool ok = std::isnan(want) ? std::isnan(got)
                                     : std::fabs(got - want) <=
                                           2e-6 + 2e-5 * std::fabs(want);
          if (!ok && ++mismatches <= 5)
            ADD_FAILURE() << "out[" << bi << "][" << hi << "][" << i << "]["
                          << e << "] = " << got << ", want " << want;
        }
      }
  EXPECT_EQ(mismatches, 0);
}

TEST_P(AttentionTest, MatchesTwoPassSoftmax) {
  std::mt19937 rng(7);
  setNumThreads(2);
  // MiniLM's head (1 x 12 heads x 128 x 32), odd sizes, one row and one
  // key, fewer heads than threads, and keys past one 256-key tile.
  check(GetParam(), {1, 12, 128, 128, 32, 32}, rng);
  check(GetParam(), {2, 3, 5, 7, 9, 11}, rng);
  check(GetParam(), {1, 1, 1, 1, 3, 2}, rng);
  check(GetParam(), {1, 1, 37, 19, 16, 16}, rng);
  check(GetParam(), {2, 2, 9, 600, 8, 5}, rng);
  // The scale's other uses, no mask, and scores in the hundreds.
  check(GetParam(),
        {1, 2, 6, 300, 16, 8, AttentionArgs::Scale::Multiply, 0.125f}, rng);
  check(GetParam(),
        {1, 2, 6, 17, 16, 8, AttentionArgs::Scale::None, 1.0f, false, 5.0f},
        rng);
  setNumThreads(0);
}

TEST_P(AttentionTest, MaskedRowsAndNaN) {
  std::mt19937 rng(11);
  // Row 2 masked entirely with the lowest float: uniform weights; row 4
  // with -inf: NaN (-inf - -inf), as the two-pass softmax gives.
  check(GetParam(), {1, 2, 6, 300, 4, 3}, rng,
        {{2, -3.4e38f}, {4, -std::numeric_limits<float>::infinity()}});
  // A whole first tile of 256 keys (and more) at -inf, finite keys after
  // it: the later tiles must not inherit exp(-inf - -inf).
  check(GetParam(), {2, 2, 5, 300, 4, 3}, rng, {}, -1, /*infKeys=*/270);
  // A NaN in one query: its row is NaN in head 0, the others are not.
  check(GetParam(), {1, 2, 5, 9, 4, 3}, rng, {}, /*nanScoreRow=*/3);
}

TEST_P(AttentionTest, NoKeys) {
  std::mt19937 rng(3);
  check(GetParam(), {1, 2, 3, 0, 4, 5}, rng);
}

SLIM_INSTANTIATE_FOR_ALL_ISAS(AttentionTest);

} // namespace
