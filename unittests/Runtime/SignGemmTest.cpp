//===- SignGemmTest.cpp - One-bit weight kernels against their formula ----===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// signGemm on every ISA the host runs, bit for bit against Kernels.h's
// formula written here from the signs themselves (not the packed words):
// one std::fma chain per element over W = +-scales in k order, from C or
// +0, then the bias. Odd N (a partial last panel), 1 to 19 rows (the
// register tiles and their remainders, and the scratch path past 4 rows),
// K = 0, K past the scratch's 512-deep blocks, accumulation, a bias,
// batches with padded row strides, threads, and activations with zeros,
// negative zeros, infinities and NaN. Also: the result is A x (S
// diag(scales)) up to rounding, and the packing against the layout's
// formula.
//
//===----------------------------------------------------------------------===//

#include "IsaTest.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace slim::runtime;

#pragma clang fp contract(off)

namespace {

struct Case {
  int64_t batch, m, n, k;
  bool accumulate, bias;
  bool edges = false; ///< zeros, -0, +-inf and NaN among the activations
};

class SignGemmTest : public slim::test::IsaTest {};

void check(Isa isa, const Case &c, std::mt19937 &rng) {
  SCOPED_TRACE(testing::Message() << "batch " << c.batch << " m " << c.m
                                  << " n " << c.n << " k " << c.k);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  std::bernoulli_distribution coin(0.5);
  std::vector<float> w(static_cast<size_t>(c.k * c.n));
  for (float &v : w)
    v = coin(rng) ? value(rng) : -value(rng);
  std::vector<float> scales(static_cast<size_t>(c.n)), bias(scales.size());
  for (int64_t j = 0; j < c.n; ++j) {
    scales[j] = std::fabs(value(rng)) + 0.01f;
    bias[j] = value(rng);
  }
  int64_t lda = c.k + 3, ldc = c.n + 5;
  std::vector<float> a(static_cast<size_t>(c.batch * c.m * lda + 1));
  for (float &v : a)
    v = value(rng);
  if (c.edges)
    for (int64_t r = 0; r < c.batch * c.m; ++r) {
      float *row = a.data() + r * lda;
      if (c.k == 0)
        break;
      switch (r % 5) {
      case 0:
        std::fill(row, row + c.k, 0.0f);
        break;
      case 1:
        std::fill(row, row + c.k, -0.0f);
        break;
      case 2:
        row[c.k / 2] = std::numeric_limits<float>::infinity();
        break;
      case 3:
        row[0] = std::numeric_limits<float>::quiet_NaN();
        break;
      default:
        break;
      }
    }
  std::vector<uint8_t> packed(static_cast<size_t>(packedSignBytes(c.k, c.n)));
  packSignRhs(w.data(), c.k, c.n, packed.data());
  std::vector<float> out(static_cast<size_t>(c.batch * c.m * ldc));
  for (float &v : out)
    v = value(rng);
  std::vector<float> init = out;

  SignGemmArgs args;
  args.batch = c.batch;
  args.m = c.m;
  args.n = c.n;
  args.k = c.k;
  args.a = a.data();
  args.aBatchStride = c.m * lda;
  args.aRowStride = lda;
  args.packedB = packed.data();
  args.scales = scales.data();
  args.c = out.data();
  args.cBatchStride = c.m * ldc;
  args.cRowStride = ldc;
  args.accumulate = c.accumulate;
  args.bias = c.bias ? bias.data() : nullptr;
  signGemm(isa, args);

  for (int64_t r = 0; r < c.batch * c.m; ++r) {
    const float *row = a.data() + r * lda;
    for (int64_t j = 0; j < ldc; ++j) {
      float got = out[r * ldc + j];
      if (j >= c.n) {
        // Past N: untouched.
        ASSERT_EQ(std::memcmp(&got, &init[r * ldc + j], 4), 0) << r << "," << j;
        continue;
      }
      // W from the signs of w itself (not the packed words).
      float want = c.accumulate ? init[r * ldc + j] : 0.0f;
      for (int64_t kk = 0; kk < c.k; ++kk)
        want = std::fma(row[kk], w[kk * c.n + j] >= 0.0f ? scales[j] : -scales[j],
                        want);
      if (c.bias)
        want = want + bias[j];
      if (std::isnan(want))
        ASSERT_TRUE(std::isnan(got)) << r << "," << j;
      else
        ASSERT_EQ(std::memcmp(&got, &want, 4), 0)
            << r << "," << j << ": " << got << " vs " << want;
    }
  }
}

TEST_P(SignGemmTest, Shapes) {
  std::mt19937 rng(71);
  for (int64_t m = 1; m <= 19; m += 3)
    for (int64_t n : {1, 15, 16, 17, 33, 64, 100}) {
      check(GetParam(), {1, m, n, 37, false, false}, rng);
      check(GetParam(), {1, m, n, 8, true, true}, rng);
    }
}

TEST_P(SignGemmTest, Batches) {
  std::mt19937 rng(73);
  check(GetParam(), {3, 5, 21, 19, true, false}, rng);
  check(GetParam(), {2, 1, 70, 129, false, true}, rng);
}

TEST_P(SignGemmTest, EmptyDepth) {
  std::mt19937 rng(79);
  check(GetParam(), {2, 3, 5, 0, false, true}, rng);
  check(GetParam(), {1, 3, 20, 0, true, false}, rng);
}

TEST_P(SignGemmTest, Edges) {
  std::mt19937 rng(83);
  check(GetParam(), {1, 10, 35, 41, false, false, true}, rng);
  check(GetParam(), {1, 2, 70, 41, true, true, true}, rng);
}

TEST_P(SignGemmTest, DeepAndThreads) {
  std::mt19937 rng(89);
  for (int threads : {1, 2, 3}) {
    setNumThreads(threads);
    check(GetParam(), {1, 1, 300, 1100, false, true}, rng);
    check(GetParam(), {1, 20, 130, 700, true, false}, rng);
  }
  setNumThreads(0);
}

/// The result is the product with the signs and scales (up to rounding),
/// in double here: checks the stated formula itself, which a bitwise
/// reference of the same formula would not catch.
TEST_P(SignGemmTest, IsTheProduct) {
  std::mt19937 rng(97);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  int64_t m = 3, n = 29, k = 50;
  std::vector<float> w(k * n), a(m * k), scales(n), out(m * n);
  for (float &v : w)
    v = value(rng);
  for (float &v : a)
    v = value(rng);
  for (float &v : scales)
    v = 0.5f + std::fabs(value(rng));
  std::vector<uint8_t> packed(packedSignBytes(k, n));
  packSignRhs(w.data(), k, n, packed.data());
  SignGemmArgs args;
  args.m = m, args.n = n, args.k = k;
  args.a = a.data(), args.aRowStride = k;
  args.packedB = packed.data(), args.scales = scales.data();
  args.c = out.data(), args.cRowStride = n;
  signGemm(GetParam(), args);
  for (int64_t r = 0; r < m; ++r)
    for (int64_t j = 0; j < n; ++j) {
      double want = 0.0;
      for (int64_t kk = 0; kk < k; ++kk)
        want += a[r * k + kk] * (w[kk * n + j] >= 0 ? 1.0 : -1.0);
      EXPECT_NEAR(out[r * n + j], want * scales[j], 1e-4) << r << "," << j;
    }
}

SLIM_INSTANTIATE_FOR_ALL_ISAS(SignGemmTest);

TEST(SignGemmPacking, Layout) {
  // 3 x 20: two panels, the second with 4 live columns.
  int64_t k = 3, n = 20;
  std::vector<float> w(k * n);
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c)
      w[r * n + c] = ((r * 7 + c * 3) % 5 < 2) ? -1.0f : (c == 4 ? 0.0f : 2.0f);
  ASSERT_EQ(packedSignBytes(k, n), 2 * k * 2);
  ASSERT_EQ(packedSignBytes(0, n), 0);
  std::vector<uint8_t> packed(packedSignBytes(k, n), 0xAA);
  packSignRhs(w.data(), k, n, packed.data());
  for (int64_t p = 0; p < 2; ++p)
    for (int64_t r = 0; r < k; ++r)
      for (int64_t j = 0; j < 16; ++j) {
        int64_t c = 16 * p + j;
        bool bit = packed[(p * k + r) * 2 + j / 8] >> (j % 8) & 1;
        EXPECT_EQ(bit, c < n && w[r * n + c] >= 0.0f)
            << p << "," << r << "," << j;
      }
}

} // namespace
