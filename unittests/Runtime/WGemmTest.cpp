//===- WGemmTest.cpp - Weight-only kernels against dequantize + fma chains ===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// wgemm on every ISA the host runs, bit for bit against W dequantized here
// from the plain storage values (f32(q - z) * s) and one std::fma chain per
// element in k order: int8 and int4, signed and unsigned storage, zero
// points at the range ends, groups along K (K not a multiple of the group,
// odd K for int4), per-channel (one group), accumulation, a bias, batches,
// K past the driver's 512-deep blocks, threads.
//
//===----------------------------------------------------------------------===//

#include "IsaTest.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace slim::runtime;

#pragma clang fp contract(off)

namespace {

struct Case {
  int64_t batch, m, n, k, bits, groupSize;
  bool isSigned, accumulate, bias;
  /// The int8-activation path (4 bits, the quad layout).
  bool int8 = false;
  /// Rows of A by row index % 4: zeros; a NaN in the first group and an
  /// infinity in the last; round-half ties (each group of 8 holds 127, so
  /// that the activation's scale factor is 1); normal values.
  bool edges = false;
  /// 4 bits pruned 2:4 along K (a quartet of a column keeps 0, 1 or 2
  /// values other than its zero point) and given in the 2:4 form.
  bool sparse24 = false;
};

/// The int8-activation reference (Kernels.h's formulas, written
/// independently of the kernels): the activation row quantized per group,
/// each group's integer dot product with the plain values q - z, one fma
/// per group.
float int8Reference(const Case &c, const float *a, const std::vector<int32_t> &q,
                    const std::vector<int32_t> &zero,
                    const std::vector<float> &scale, int64_t j, float acc) {
  int64_t group = c.groupSize >= c.k ? c.k : c.groupSize;
  for (int64_t g0 = 0, g = 0; g0 < c.k; g0 += group, ++g) {
    int64_t g1 = std::min(c.k, g0 + group);
    float amax = 0.0f;
    bool finite = true;
    for (int64_t kk = g0; kk < g1; ++kk) {
      finite = finite && std::isfinite(a[kk]);
      amax = std::max(amax, std::fabs(a[kk]));
    }
    float sa = !finite ? NAN : amax / 127.0f;
    int64_t d = 0;
    for (int64_t kk = g0; kk < g1; ++kk) {
      int64_t qa = 0;
      if (finite && amax > 0.0f) {
        float x = a[kk] * (127.0f / amax);
        qa = std::isnan(x) ? 0
                           : static_cast<int64_t>(std::nearbyint(
                                 std::min(127.0f, std::max(-127.0f, x))));
      }
      d += (q[kk * c.n + j] - zero[(kk / c.groupSize) * c.n + j]) * qa;
    }
    acc = std::fma(static_cast<float>(d),
                   scale[(g0 / c.groupSize) * c.n + j] * sa, acc);
  }
  return acc;
}

/// Same bits, or both NaN (payloads and signs of NaNs are not specified).
bool sameFloat(float x, float y) {
  return std::memcmp(&x, &y, 4) == 0 || (std::isnan(x) && std::isnan(y));
}

void check(Isa isa, const Case &c, std::mt19937 &rng) {
  int64_t lo = c.isSigned ? -(int64_t(1) << (c.bits - 1)) : 0;
  int64_t hi = c.isSigned ? (int64_t(1) << (c.bits - 1)) - 1
                          : (int64_t(1) << c.bits) - 1;
  std::uniform_int_distribution<int64_t> value(lo, hi);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<int32_t> q(c.k * c.n);
  for (auto &v : q)
    v = static_cast<int32_t>(value(rng));
  PackedLowBitShape s =
      packedLowBitShape(c.k, c.n, c.bits, c.groupSize, c.int8);
  int64_t groups = s.groups();
  std::vector<float> scale(groups * c.n);
  std::vector<int32_t> zero(groups * c.n);
  for (int64_t i = 0; i < groups * c.n; ++i) {
    scale[i] = 0.01f * (1 + i % 13) + normal(rng) * 1e-3f;
    zero[i] = static_cast<int32_t>(i % 3 == 0 ? lo : i % 3 == 1 ? hi : value(rng));
  }
  std::vector<uint8_t> packed(s.bytes());
  if (c.sparse24) {
    // Two random positions of each quartet kept (one of the two, or none,
    // now and then), the others set to their group's zero point.
    for (int64_t j = 0; j < c.n; ++j)
      for (int64_t t = 0; t < c.k; t += 4) {
        int keep0 = static_cast<int>(rng() % 4);
        int keep1 = (keep0 + 1 + static_cast<int>(rng() % 3)) % 4;
        int live = static_cast<int>(rng() % 8); // 0: none, 1: one, else two
        for (int64_t kk = t; kk < std::min(t + 4, c.k); ++kk) {
          int i = static_cast<int>(kk - t);
          bool kept = (live >= 1 && i == keep0) || (live >= 2 && i == keep1);
          if (!kept)
            q[kk * c.n + j] = zero[(kk / c.groupSize) * c.n + j];
        }
      }
    packed.assign(sparseLowBitBytes(c.k, c.n), 0);
    ASSERT_TRUE(packSparseLowBitRhs(q.data(), zero.data(), c.k, c.n,
                                    c.groupSize, c.isSigned, packed.data()));
  } else {
    packLowBitRhs(q.data(), c.k, c.n, c.bits, c.isSigned, packed.data(),
                  c.int8);
  }
  std::vector<float> scales(groups * s.np, 0.0f);
  std::vector<int8_t> offsets(groups * s.np, 0);
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t j = 0; j < c.n; ++j) {
      scales[g * s.np + j] = scale[g * c.n + j];
      offsets[g * s.np + j] = static_cast<int8_t>(
          lowBitOffset(zero[g * c.n + j], c.bits, c.isSigned));
    }
  int64_t lda = c.k + 3, aBatch = c.m * lda + 1;
  int64_t ldc = c.n + 2, cBatch = c.m * ldc + 5;
  std::vector<float> a(c.batch * aBatch), init(c.batch * cBatch), bias(c.n);
  for (auto &v : a)
    v = normal(rng);
  if (c.edges)
    for (int64_t bt = 0; bt < c.batch; ++bt)
      for (int64_t r = 0; r < c.m; ++r) {
        float *row = a.data() + bt * aBatch + r * lda;
        const float ties[8] = {127.0f, 0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 63.5f, -127.0f};
        for (int64_t kk = 0; kk < c.k; ++kk)
          row[kk] = r % 4 == 0 ? 0.0f : r % 4 == 2 ? ties[kk % 8] : row[kk];
        if (r % 4 == 1 && c.k > 0) {
          row[0] = NAN;
          row[c.k - 1] = INFINITY;
        }
      }
  for (auto &v : init)
    v = normal(rng);
  for (auto &v : bias)
    v = normal(rng);
  // The reference: W dequantized, then fma chains in k order.
  std::vector<float> want = init;
  for (int64_t bt = 0; bt < c.batch; ++bt)
    for (int64_t r = 0; r < c.m; ++r)
      for (int64_t j = 0; j < c.n; ++j) {
        float &o = want[bt * cBatch + r * ldc + j];
        float acc = c.accumulate ? o : 0.0f;
        if (c.int8) {
          acc = int8Reference(c, a.data() + bt * aBatch + r * lda, q, zero,
                              scale, j, acc);
          o = c.bias ? acc + bias[j] : acc;
          continue;
        }
        for (int64_t kk = 0; kk < c.k; ++kk) {
          int64_t g = kk / c.groupSize;
          float w = static_cast<float>(q[kk * c.n + j] - zero[g * c.n + j]) *
                    scale[g * c.n + j];
          acc = std::fma(a[bt * aBatch + r * lda + kk], w, acc);
        }
        o = c.bias ? acc + bias[j] : acc;
      }
  std::vector<float> got = init;
  WGemmArgs args;
  args.batch = c.batch;
  args.m = c.m;
  args.n = c.n;
  args.k = c.k;
  args.a = a.data();
  args.aBatchStride = aBatch;
  args.aRowStride = lda;
  args.packedB = packed.data();
  args.bits = c.bits;
  args.groupSize = c.groupSize;
  args.scales = scales.data();
  args.offsets = offsets.data();
  args.c = got.data();
  args.cBatchStride = cBatch;
  args.cRowStride = ldc;
  args.accumulate = c.accumulate;
  args.bias = c.bias ? bias.data() : nullptr;
  args.int8Activations = c.int8;
  args.sparse24 = c.sparse24;
  wgemm(isa, args);
  size_t bad = 0;
  while (bad < got.size() && sameFloat(got[bad], want[bad]))
    ++bad;
  ASSERT_EQ(bad, got.size())
      << "got " << got[bad] << " want " << want[bad] << " at " << bad << " "
      << isaName(isa) << " int8 " << c.int8 << " batch " << c.batch << " m " << c.m << " n " << c.n
      << " k " << c.k << " bits " << c.bits << " group " << c.groupSize
      << " signed " << c.isSigned << " accumulate " << c.accumulate
      << " bias " << c.bias;
}

using WGemmTest = slim::test::IsaTest;

TEST_P(WGemmTest, Int4Groups) {
  std::mt19937 rng(43);
  for (bool isSigned : {true, false}) {
    check(GetParam(), {1, 1, 37, 67, 4, 32, isSigned, false, false}, rng);
    check(GetParam(), {1, 5, 50, 96, 4, 32, isSigned, true, true}, rng);
    check(GetParam(), {2, 3, 17, 33, 4, 7, isSigned, false, true}, rng);
    check(GetParam(), {1, 19, 64, 1, 4, 32, isSigned, false, false}, rng);
  }
}

TEST_P(WGemmTest, Sparse24) {
  // The 2:4 form, bit for bit against the dense reference: few rows (the
  // in-register path) and many (dequantized blocks), groups of 4, 8, 32 and
  // one group, K not a multiple of 4 (a short last quartet), zero points at
  // the range ends, K past the 512-deep blocks, batches, threads.
  std::mt19937 rng(59);
  for (bool isSigned : {true, false}) {
    check(GetParam(), {1, 1, 37, 67, 4, 32, isSigned, false, false, false, false, true}, rng);
    check(GetParam(), {1, 3, 50, 96, 4, 8, isSigned, true, true, false, false, true}, rng);
    check(GetParam(), {2, 5, 17, 33, 4, 4, isSigned, false, true, false, false, true}, rng);
    check(GetParam(), {1, 19, 64, 1, 4, 32, isSigned, false, false, false, false, true}, rng);
    check(GetParam(), {1, 23, 70, 1030, 4, 1030, isSigned, true, true, false, false, true}, rng);
  }
  for (int threads : {1, 3}) {
    setNumThreads(threads);
    check(GetParam(), {3, 7, 100, 523, 4, 32, true, true, true, false, false, true}, rng);
    check(GetParam(), {1, 2, 300, 600, 4, 600, false, false, true, false, false, true}, rng);
  }
  setNumThreads(0);
}

TEST(WGemmPacking, Sparse24) {
  // 0.75 of the plain bytes; refused: a quartet with three values other
  // than the zero point, groups that split a quartet.
  EXPECT_EQ(sparseLowBitBytes(64, 32), 64 * 32 / 2 * 3 / 4);
  std::vector<int32_t> q(8 * 2, 0), z(2, 0);
  std::vector<uint8_t> out(sparseLowBitBytes(8, 2), 0xAB);
  q[0 * 2 + 1] = 3, q[1 * 2 + 1] = -2, q[2 * 2 + 1] = 1;
  EXPECT_FALSE(packSparseLowBitRhs(q.data(), z.data(), 8, 2, 8, true,
                                   out.data()));
  EXPECT_EQ(out[0], 0xAB) << "refused packing leaves out untouched";
  q[2 * 2 + 1] = 0;
  std::vector<int32_t> z4(4, 0);
  EXPECT_FALSE(packSparseLowBitRhs(q.data(), z4.data(), 8, 2, 6, true,
                                   out.data()));
  ASSERT_TRUE(packSparseLowBitRhs(q.data(), z.data(), 8, 2, 8, true,
                                  out.data()));
  // Column 1, quartet 0: k = 0 and 1 (stored 3 + 8, -2 + 8), indices 0, 1.
  EXPECT_EQ(out[1], (3 + 8) | (-2 + 8) << 4);
  EXPECT_EQ(out[16] >> 4, 0 | 1 << 2);
  // Column 0, quartet 0: nothing kept: zero-point values (8) at 0 and 1.
  EXPECT_EQ(out[0], 8 | 8 << 4);
  EXPECT_EQ(out[16] & 15, 0 | 1 << 2);
}

TEST_P(WGemmTest, Int8Channels) {
  std::mt19937 rng(47);
  for (bool isSigned : {true, false}) {
    check(GetParam(), {1, 1, 33, 70, 8, 70, isSigned, false, true}, rng);
    check(GetParam(), {1, 9, 49, 130, 8, 130, isSigned, true, false}, rng);
    check(GetParam(), {3, 2, 16, 17, 8, 4, isSigned, false, false}, rng);
  }
}

TEST_P(WGemmTest, DeepAndThreads) {
  std::mt19937 rng(53);
  for (int threads : {1, 2, 3}) {
    setNumThreads(threads);
    check(GetParam(), {1, 1, 300, 1100, 4, 32, true, false, true}, rng);
    check(GetParam(), {1, 20, 70, 1030, 8, 1030, true, true, false}, rng);
  }
  setNumThreads(0);
}

TEST_P(WGemmTest, EmptyDepth) {
  std::mt19937 rng(59);
  check(GetParam(), {2, 3, 5, 0, 4, 32, true, false, true}, rng);
  check(GetParam(), {1, 3, 5, 0, 8, 1, false, true, false}, rng);
}

TEST_P(WGemmTest, Int8Activations) {
  // Groups of 8, 32 and 64 (K not a multiple of them), one group for all
  // of K (odd K: padded to 8), signed and unsigned storage with zero points
  // at both ends, 1 to 9 rows (the kernels' row and panel tiles and their
  // remainders), accumulation, a bias, batches with strides.
  std::mt19937 rng(61);
  for (bool isSigned : {true, false}) {
    check(GetParam(), {1, 1, 37, 67, 4, 32, isSigned, false, false, true}, rng);
    check(GetParam(), {1, 1, 70, 256, 4, 64, isSigned, true, true, true}, rng);
    check(GetParam(), {1, 5, 50, 96, 4, 8, isSigned, true, true, true}, rng);
    check(GetParam(), {2, 3, 17, 33, 4, 33, isSigned, false, true, true}, rng);
    check(GetParam(), {1, 9, 33, 200, 4, 1000, isSigned, false, false, true}, rng);
    check(GetParam(), {3, 2, 1, 8, 4, 8, isSigned, true, false, true}, rng);
  }
}

TEST_P(WGemmTest, Int8ActivationEdges) {
  // Zero rows (scale 0), NaN and infinity (NaN rows), ties to even, and
  // the saturating ends 127 and -127 of the activation.
  std::mt19937 rng(67);
  for (bool isSigned : {true, false}) {
    check(GetParam(), {1, 8, 35, 40, 4, 8, isSigned, false, true, true, true},
          rng);
    check(GetParam(), {2, 4, 16, 64, 4, 64, isSigned, true, false, true, true},
          rng);
  }
}

TEST_P(WGemmTest, Int8ActivationsDeepAndThreads) {
  std::mt19937 rng(71);
  for (int threads : {1, 2, 3}) {
    setNumThreads(threads);
    check(GetParam(), {1, 1, 300, 1100, 4, 32, true, false, true, true}, rng);
    check(GetParam(), {1, 20, 70, 1030, 4, 128, false, true, false, true}, rng);
  }
  setNumThreads(0);
  check(GetParam(), {2, 3, 5, 0, 4, 32, true, true, true, true}, rng);
}

SLIM_INSTANTIATE_FOR_ALL_ISAS(WGemmTest);

} // namespace
