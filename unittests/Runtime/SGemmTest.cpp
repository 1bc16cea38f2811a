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
  /// Above 0: B pruned in blocks of 4 k x 16 columns (this fraction of
  /// them, at random, plus single zero rows) and given row-compressed; the
  /// reference chain skips the removed rows of each panel.
  double blockSparsity = 0.0;
  /// Above 0: then this fraction of the remaining weights zeroed one by
  /// one (+0 or -0), as unstructured or n:m pruning leaves them: the kept
  /// rows are stored with their lane masks.
  double elementSparsity = 0.0;
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
  bool sparse = c.blockSparsity > 0.0 || c.elementSparsity > 0.0;
  if (c.elementSparsity > 0.0) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int64_t i = 0; i < c.k * c.n; ++i)
      if (u(rng) < c.elementSparsity)
        b[i] = i % 3 ? 0.0f : -0.0f;
  }
  if (c.blockSparsity > 0.0) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int64_t k0 = 0; k0 < c.k; k0 += 4)
      for (int64_t j0 = 0; j0 < c.n; j0 += 16) {
        bool block = u(rng) < c.blockSparsity;
        for (int64_t kk = k0; kk < std::min(k0 + 4, c.k); ++kk) {
          bool row = block || u(rng) < 0.1;
          for (int64_t j = j0; j < std::min(j0 + 16, c.n); ++j)
            if (row)
              b[kk * c.n + j] = (kk + j) % 2 ? 0.0f : -0.0f;
        }
      }
  }
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
        for (int64_t kk = 0; kk < c.k; ++kk) {
          // Row-compressed: the panel's rows that are all zeros are gone.
          bool removed = sparse;
          for (int64_t jj = j / 16 * 16; removed && jj < std::min(j / 16 * 16 + 16, c.n); ++jj)
            removed = b[kk * c.n + jj] == 0.0f;
          if (!removed)
            acc = std::fma(a[bt * aBatch + i * lda + kk], b[kk * c.n + j], acc);
        }
        o = c.bias ? acc + bias[j] : acc;
      }
  std::vector<int8_t> compressed;
  if (sparse) {
    compressed.resize(sparseF32Bytes(packed.data(), c.k, c.n));
    packSparseF32Rhs(packed.data(), c.k, c.n, compressed.data());
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
  args.sparseB = sparse ? compressed.data() : nullptr;
  sgemm(isa, args);
  ASSERT_EQ(bits(got), bits(want))
      << isaName(isa) << " batch " << c.batch << " m " << c.m << " n " << c.n
      << " k " << c.k << " accumulate " << c.accumulate << " sparsity "
      << c.blockSparsity;
}

using SGemmTest = slim::test::IsaTest;

TEST_P(SGemmTest, RowCompressed) {
  // Block-pruned B (4 x 16 blocks, odd sizes, K across the dense kernels'
  // 1024 blocks, all rows removed, NaN and infinities facing kept rows),
  // each element one chain over the kept rows of its panel.
  std::mt19937 rng(41);
  for (double s : {0.5, 0.8, 1.0})
    for (int64_t m : {1, 2, 3, 15, 33})
      for (int64_t n : {1, 17, 40})
        for (int64_t k : {1, 5, 64, 1100})
          check(GetParam(), {1, m, n, k, (m + k) % 2 == 0, (n + k) % 2 == 1, s},
                rng);
  check(GetParam(), {3, 20, 33, 70, true, true, 0.8}, rng);
  check(GetParam(), {1, 19, 21, 259, false, false, 0.5}, rng, /*specials=*/true);
  check(GetParam(), {2, 37, 33, 131, true, false, 0.9}, rng, false,
        /*dense=*/true);
}

TEST_P(SGemmTest, LaneMasks) {
  // Single weights removed (half, most, nearly all of them; with blocks
  // too; -0 among them): kept rows expanded from their lane masks, every
  // mask byte pattern met, NaN and infinities facing kept rows.
  std::mt19937 rng(43);
  for (double e : {0.5, 0.9, 0.99})
    for (int64_t m : {1, 2, 15})
      for (int64_t n : {1, 17, 40})
        for (int64_t k : {1, 5, 64, 1100}) {
          Case c{1, m, n, k, (m + k) % 2 == 0, (n + k) % 2 == 1};
          c.elementSparsity = e;
          check(GetParam(), c, rng);
        }
  Case both{2, 19, 33, 259, true, true, 0.3};
  both.elementSparsity = 0.5;
  check(GetParam(), both, rng, /*specials=*/true);
  check(GetParam(), both, rng, false, /*dense=*/true);
}

TEST(SGemmPacking, RowCompressedLayout) {
  // K = 3, N = 17: panel 0 keeps rows 0 and 2, panel 1 (column 16) row 1.
  std::vector<float> b(3 * 17, 0.0f);
  for (int j = 0; j < 16; ++j)
    b[0 * 17 + j] = float(j + 1), b[2 * 17 + j] = float(-j);
  b[1 * 17 + 16] = 5.0f;
  std::vector<float> packed(packedF32Shape(3, 17).elements());
  packF32Rhs(b.data(), 17, 1, 3, 17, packed.data());
  EXPECT_DOUBLE_EQ(sparseF32RemovedRows(packed.data(), 3, 17), 3.0 / 6.0);
  int64_t bytes = sparseF32Bytes(packed.data(), 3, 17);
  // Panel 0: row 0 has 16 values, row 2 15 (its lane 0 is +0); panel 1:
  // one value. Each panel: count, k, masks, values, 64 bytes of padding.
  int64_t panel0 = 4 + 2 * 4 + 2 * 2 + (16 + 15) * 4 + 64;
  int64_t panel1 = 4 + 4 + (2 + 2) + 4 + 64; // the mask padded to 4 bytes
  EXPECT_EQ(bytes, 8 * 3 + panel0 + panel1);
  std::vector<int8_t> out(bytes);
  packSparseF32Rhs(packed.data(), 3, 17, out.data());
  int64_t start1;
  std::memcpy(&start1, out.data() + 8, 8);
  EXPECT_EQ(start1, 24 + panel0);
  int32_t count, k0, k1;
  uint16_t mask0, mask1;
  std::memcpy(&count, out.data() + 24, 4);
  std::memcpy(&k0, out.data() + 28, 4);
  std::memcpy(&k1, out.data() + 32, 4);
  std::memcpy(&mask0, out.data() + 36, 2);
  std::memcpy(&mask1, out.data() + 38, 2);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(k0, 0);
  EXPECT_EQ(k1, 2);
  EXPECT_EQ(mask0, 0xFFFF);
  EXPECT_EQ(mask1, 0xFFFE); // -0 in lane 0 would be kept; +0 is not
  float first;
  std::memcpy(&first, out.data() + 40 + 64, 4); // row k = 2, lane 1
  EXPECT_EQ(first, -1.0f);
  std::memcpy(&count, out.data() + start1, 4);
  std::memcpy(&k0, out.data() + start1 + 4, 4);
  std::memcpy(&mask0, out.data() + start1 + 8, 2);
  float value;
  std::memcpy(&value, out.data() + start1 + 12, 4);
  EXPECT_EQ(count, 1);
  EXPECT_EQ(k0, 1);
  EXPECT_EQ(mask0, 0x0001);
  EXPECT_EQ(value, 5.0f);
}

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
