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
};

void check(Isa isa, const Case &c, std::mt19937 &rng) {
  int64_t lo = c.isSigned ? -(int64_t(1) << (c.bits - 1)) : 0;
  int64_t hi = c.isSigned ? (int64_t(1) << (c.bits - 1)) - 1
                          : (int64_t(1) << c.bits) - 1;
  std::uniform_int_distribution<int64_t> value(lo, hi);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<int32_t> q(c.k * c.n);
  for (auto &v : q)
    v = static_cast<int32_t>(value(rng));
  PackedLowBitShape s = packedLowBitShape(c.k, c.n, c.bits, c.groupSize);
  int64_t groups = s.groups();
  std::vector<float> scale(groups * c.n);
  std::vector<int32_t> zero(groups * c.n);
  for (int64_t i = 0; i < groups * c.n; ++i) {
    scale[i] = 0.01f * (1 + i % 13) + normal(rng) * 1e-3f;
    zero[i] = static_cast<int32_t>(i % 3 == 0 ? lo : i % 3 == 1 ? hi : value(rng));
  }
  std::vector<uint8_t> packed(s.bytes());
  packLowBitRhs(q.data(), c.k, c.n, c.bits, c.isSigned, packed.data());
  std::vector<float> scales(groups * s.np, 0.0f);
  std::vector<int32_t> offsets(groups * s.np, 0);
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t j = 0; j < c.n; ++j) {
      scales[g * s.np + j] = scale[g * c.n + j];
      offsets[g * s.np + j] =
          lowBitOffset(zero[g * c.n + j], c.bits, c.isSigned);
    }
  int64_t lda = c.k + 3, aBatch = c.m * lda + 1;
  int64_t ldc = c.n + 2, cBatch = c.m * ldc + 5;
  std::vector<float> a(c.batch * aBatch), init(c.batch * cBatch), bias(c.n);
  for (auto &v : a)
    v = normal(rng);
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
  wgemm(isa, args);
  ASSERT_EQ(0, std::memcmp(got.data(), want.data(), got.size() * 4))
      << isaName(isa) << " batch " << c.batch << " m " << c.m << " n " << c.n
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

SLIM_INSTANTIATE_FOR_ALL_ISAS(WGemmTest);

} // namespace
