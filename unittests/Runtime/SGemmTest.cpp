//===- SGemmTest.cpp - The f32 GEMM kernels against an fma loop -----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Every f32 kernel the host runs, bit for bit against one std::fma chain
// per element in k order (the order the vectorized code generation also
// keeps): odd sizes, depths across the kernels' K blocks (1024), padded
// strides whose gaps must stay untouched, accumulation, batches, threads,
// and NaN, infinities and signed zeros.
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

namespace {

struct Case {
  int64_t batch, m, n, k;
  bool accumulate;
  bool bias = false; ///< a per-column float added after each chain
};

/// Bit patterns, so that NaN compares equal to itself and -0 to itself only.
std::vector<uint32_t> bits(const std::vector<float> &v) {
  std::vector<uint32_t> out(v.size());
  std::memcpy(out.data(), v.data(), v.size() * 4);
  return out;
}

void check(Isa isa, const Case &c, std::mt19937 &rng, bool specials = false,
           bool dense = false) {
  // Dense: buffers of exactly the operands' size (ASan sees reads past A).
  int64_t lda = dense ? c.k : c.k + 3, aBatch = c.m * lda + (dense ? 0 : 5);
  int64_t ldc = dense ? c.n : c.n + 2, cBatch = c.m * ldc + (dense ? 0 : 7);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  std::vector<float> a(c.batch * aBatch + (dense ? 0 : 1)), b(c.k * c.n),
      init(c.batch * cBatch + (dense ? 0 : 1));
  for (auto &v : a)
    v = value(rng);
  for (auto &v : b)
    v = value(rng);
  for (auto &v : init)
    v = value(rng);
  if (specials) {
    const float inf = std::numeric_limits<float>::infinity();
    a[0] = std::numeric_limits<float>::quiet_NaN();
    a[lda + 1] = inf;
    b[2] = -inf;
    b[c.n + 3] = -0.0f;
    // Row 2 is all -0 and column 4 of b all positive: its products are all
    // -0, so the element is -0 only from a -0 start (the init, with
    // accumulate) and +0 from the kernels' +0 start.
    init[2 * ldc + 4] = -0.0f;
    for (int64_t kk = 0; kk < c.k; ++kk) {
      a[2 * lda + kk] = -0.0f;
      b[kk * c.n + 4] = std::fabs(b[kk * c.n + 4]) + 0.5f;
    }
  }
  std::vector<float> bias(c.n);
  for (auto &v : bias)
    v = value(rng);
  std::vector<float> packed(packedF32Shape(c.k, c.n).elements());
  packF32Rhs(b.data(), c.n, 1, c.k, c.n, packed.data());

  std::vector<float> want = init;
  for (int64_t bt = 0; bt < c.batch; ++bt)
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = 0; j < c.n; ++j) {
        float &o = want[bt * cBatch + i * ldc + j];
        float acc = c.accumulate ? o : 0.0f;
        for (int64_t kk = 0; kk < c.k; ++kk)
          acc = std::fma(a[bt * aBatch + i * lda + kk], b[kk * c.n + j], acc);
        o = c.bias ? acc + bias[j] : acc;
      }
  std::vector<float> got = init;
  SGemmArgs args;
  args.batch = c.batch;
  args.m = c.m;
  args.n = c.n;
  args.k = c.k;
  args.a = a.data();
  args.aBatchStride = aBatch;
  args.aRowStride = lda;
  args.packedB = packed.data();
  args.c = got.data();
  args.cBatchStride = cBatch;
  args.cRowStride = ldc;
  args.accumulate = c.accumulate;
  args.bias = c.bias ? bias.data() : nullptr;
  sgemm(isa, args);
  ASSERT_EQ(bits(got), bits(want))
      << isaName(isa) << " batch " << c.batch << " m " << c.m << " n " << c.n
      << " k " << c.k << " accumulate " << c.accumulate;
}

using SGemmTest = slim::test::IsaTest;

TEST_P(SGemmTest, OddShapes) {
  std::mt19937 rng(21);
  for (int64_t m : {1, 2, 3, 9, 17})
    for (int64_t n : {1, 7, 16, 17, 50})
      for (int64_t k : {1, 5, 16, 33})
        check(GetParam(), {1, m, n, k, (m + n) % 2 == 1}, rng);
}

TEST_P(SGemmTest, DepthBlocks) {
  std::mt19937 rng(22);
  check(GetParam(), {1, 5, 33, 1024, false}, rng);
  check(GetParam(), {1, 9, 20, 1025, true}, rng);
  check(GetParam(), {1, 1, 100, 2500, false}, rng);
  // Three blocks for each of several panel groups of 8 x 3 tiles.
  check(GetParam(), {1, 20, 150, 2100, true}, rng);
}

TEST_P(SGemmTest, SpecialValues) {
  std::mt19937 rng(23);
  check(GetParam(), {1, 4, 19, 37, false}, rng, /*specials=*/true);
  check(GetParam(), {1, 4, 19, 37, true}, rng, /*specials=*/true);
}

TEST_P(SGemmTest, BatchesAndThreads) {
  std::mt19937 rng(24);
  for (int threads : {1, 2, 3}) {
    setNumThreads(threads);
    check(GetParam(), {3, 7, 45, 70, true}, rng);
    check(GetParam(), {3, 20, 90, 160, false}, rng); // over 2^18: threaded
    check(GetParam(), {1, 40, 300, 130, false}, rng);
  }
  setNumThreads(0);
}

TEST_P(SGemmTest, DenseBuffers) {
  std::mt19937 rng(27);
  check(GetParam(), {1, 5, 19, 13, false}, rng, false, /*dense=*/true);
  check(GetParam(), {2, 17, 33, 1100, true}, rng, false, /*dense=*/true);
}

TEST_P(SGemmTest, Bias) {
  // After the last K block only (K = 1100 spans two).
  std::mt19937 rng(26);
  check(GetParam(), {1, 5, 37, 1100, false, true}, rng);
  check(GetParam(), {2, 9, 20, 13, true, true}, rng);
  check(GetParam(), {1, 3, 5, 0, false, true}, rng);
}

TEST_P(SGemmTest, EmptySums) {
  std::mt19937 rng(25);
  check(GetParam(), {2, 3, 5, 0, false}, rng);
  check(GetParam(), {2, 3, 5, 0, true}, rng);
}

SLIM_INSTANTIATE_FOR_ALL_ISAS(SGemmTest);

TEST(SGemmPacking, Layout) {
  PackedF32Shape s = packedF32Shape(3, 17);
  EXPECT_EQ(s.np, 32);
  EXPECT_EQ(s.elements(), 3 * 32);
  std::vector<float> b(3 * 17);
  for (int i = 0; i < 3 * 17; ++i)
    b[i] = static_cast<float>(i);
  std::vector<float> packed(s.elements(), -1.0f);
  packF32Rhs(b.data(), 17, 1, 3, 17, packed.data());
  EXPECT_EQ(packed[1 * 16 + 5], b[1 * 17 + 5]);      // panel 0, row 1
  EXPECT_EQ(packed[(1 * 3 + 2) * 16 + 0], b[2 * 17 + 16]); // panel 1, row 2
  EXPECT_EQ(packed[(1 * 3 + 2) * 16 + 1], 0.0f);     // padding
}

} // namespace
